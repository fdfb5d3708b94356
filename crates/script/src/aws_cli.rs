//! The AWS CLI's `aws dynamodb` commands over the DynamoDB simulator.
//!
//! # Where a command is recognised
//!
//! A line whose first word is `aws`, followed on the same line by `dynamodb` (optionally after
//! a `$ ` prompt), is a CLI command, not JavaScript: `aws dynamodb` (two names side by side) is
//! never valid JavaScript, so nothing that parses as JavaScript is read as a command. The
//! command runs to the end of its line, or further where the shell goes on: a quote left open
//! (the AWS guides spread JSON over many lines inside single quotes) or a line ending in a
//! backslash. The lexer cuts the command out with [`split`], the parser makes it one
//! statement, and [`run`] runs it.
//!
//! # What the shell does
//!
//! [`split`] reads the line as a POSIX shell does: words separated by spaces, single quotes
//! (everything literal), double quotes (backslash escapes `"`, `\`, `$`, `` ` `` and a line
//! break), backslash escapes outside quotes, a backslash before a line break joins the lines,
//! and `#` at the start of a word begins a comment. What a shell would expand or redirect
//! (`$VAR`, `$(...)`, backquotes, `|`, `;`, `&`, `>`, `<`) is an error naming it: the console
//! runs one command and has no variables.
//!
//! # What the CLI does
//!
//! Parameters are read as the CLI reads them: JSON where the value starts with `{` or `[`,
//! the shorthand syntax otherwise (`AttributeName=PK,KeyType=HASH`, one list element per
//! word), integers and booleans (`--consistent-read`, `--no-scan-index-forward`);
//! `file://` arguments are refused (the console has no files). AttributeValue maps are
//! checked as the CLI checks them before sending (`Invalid type for parameter Key.PK`).
//! `query`, `scan` and `list-tables` paginate as the CLI does: every page is fetched and the
//! items joined, unless `--no-paginate`, `--limit` or `--exclusive-start-key` is given (then
//! the one response, with its `LastEvaluatedKey`, is printed); `--max-items` stops early and
//! prints the CLI's `NextToken`, which `--starting-token` takes back. The result is the JSON
//! the CLI prints with `--output json` (the only output format the console prints); a
//! response with nothing in it prints nothing, as the CLI does. A service error reads as the
//! CLI writes it: `An error occurred (ConditionalCheckFailedException) when calling the
//! UpdateItem operation: The conditional request failed`.

use serde_json::{json, Map, Value as J};

use crate::ast::Pos;
use crate::host::{Cx, Result, Thrown};
use crate::value::{self, FromJson, Value};
use crate::Answer;

/// One word of a command line, and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub pos: Pos,
}

/// A command cut out of the script: its words, or why the shell could not read it.
pub type Command = std::result::Result<Vec<Word>, (String, Pos)>;

/// Whether the text at `chars` starts a CLI command: `aws` (or `$ aws`) and `dynamodb` as the
/// next word on the same line.
pub fn starts_command(chars: &[char]) -> bool {
    let mut i = 0;
    if chars.first() == Some(&'$') && matches!(chars.get(1), Some(' ' | '\t')) {
        i = skip_blanks(chars, 1);
    }
    let word = |i: usize, w: &str| {
        w.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
            && !chars
                .get(i + w.len())
                .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
    };
    if !word(i, "aws") {
        return false;
    }
    let j = skip_blanks(chars, i + 3);
    j > i + 3 && word(j, "dynamodb")
}

fn skip_blanks(chars: &[char], mut i: usize) -> usize {
    while matches!(chars.get(i), Some(' ' | '\t')) {
        i += 1;
    }
    i
}

/// Reads one command line as a shell does, from `chars[0]` (at `start`) to the line break that
/// ends it. Returns the words (or the error) and how many characters the command takes.
pub fn split(chars: &[char], start: Pos) -> (Command, usize) {
    let mut words = Vec::new();
    let mut line = start.line;
    let mut column = start.column;
    let mut i = 0;
    // The word being read, and where it started.
    let mut word: Option<(String, Pos)> = None;
    let mut error: Option<(String, Pos)> = None;
    let here = |line: u32, column: u32| Pos { line, column };
    macro_rules! advance {
        ($n:expr) => {
            for _ in 0..$n {
                if chars.get(i) == Some(&'\n') {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
                i += 1;
            }
        };
    }
    macro_rules! fail {
        ($message:expr, $pos:expr) => {
            if error.is_none() {
                error = Some(($message, $pos));
            }
        };
    }
    while let Some(&c) = chars.get(i) {
        let pos = here(line, column);
        match c {
            '\n' => break,
            ' ' | '\t' | '\r' => {
                if let Some(w) = word.take() {
                    words.push(Word {
                        text: w.0,
                        pos: w.1,
                    });
                }
                advance!(1);
            }
            '#' if word.is_none() => {
                while chars.get(i).is_some_and(|c| *c != '\n') {
                    advance!(1);
                }
            }
            '\\' => {
                match chars.get(i + 1) {
                    // A line continuation.
                    Some('\n') => {}
                    Some('\r') if chars.get(i + 2) == Some(&'\n') => advance!(1),
                    Some(&next) => word
                        .get_or_insert_with(|| (String::new(), pos))
                        .0
                        .push(next),
                    None => {}
                }
                advance!(2);
            }
            '\'' => {
                let w = word.get_or_insert_with(|| (String::new(), pos));
                advance!(1);
                loop {
                    match chars.get(i) {
                        None => {
                            fail!(
                                format!("the single quote at line {}, column {} is never closed (the shell would wait for it)", pos.line, pos.column),
                                pos
                            );
                            break;
                        }
                        Some('\'') => {
                            advance!(1);
                            break;
                        }
                        Some(&q) => {
                            w.0.push(q);
                            advance!(1);
                        }
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(|| (String::new(), pos));
                advance!(1);
                loop {
                    let at = here(line, column);
                    match chars.get(i) {
                        None => {
                            fail!(
                                format!("the double quote at line {}, column {} is never closed (the shell would wait for it)", pos.line, pos.column),
                                pos
                            );
                            break;
                        }
                        Some('"') => {
                            advance!(1);
                            break;
                        }
                        Some('\\') => match chars.get(i + 1) {
                            Some('\n') => advance!(2),
                            Some(&e @ ('"' | '\\' | '$' | '`')) => {
                                w.0.push(e);
                                advance!(2);
                            }
                            _ => {
                                w.0.push('\\');
                                advance!(1);
                            }
                        },
                        Some('$') if expands(chars.get(i + 1)) => {
                            fail!(expansion_error(chars, i), at);
                            w.0.push('$');
                            advance!(1);
                        }
                        Some('`') => {
                            fail!(
                                "command substitution (`...`) is shell, not the AWS CLI: the console does not run it".to_string(),
                                at
                            );
                            advance!(1);
                        }
                        Some(&q) => {
                            w.0.push(q);
                            advance!(1);
                        }
                    }
                }
            }
            '$' if expands(chars.get(i + 1)) => {
                fail!(expansion_error(chars, i), pos);
                word.get_or_insert_with(|| (String::new(), pos)).0.push('$');
                advance!(1);
            }
            '|' | ';' | '&' | '>' | '<' | '`' | '(' | ')' => {
                let what = match c {
                    '|' => "a pipe (|)",
                    ';' => "a command separator (;)",
                    '&' => "& (a background job or &&)",
                    '>' | '<' => "a redirection (> or <)",
                    '`' => "command substitution (`...`)",
                    _ => "a subshell (( ... ))",
                };
                fail!(
                    format!("{what} is shell, not the AWS CLI: the console runs one aws command per statement"),
                    pos
                );
                word.get_or_insert_with(|| (String::new(), pos)).0.push(c);
                advance!(1);
            }
            _ => {
                word.get_or_insert_with(|| (String::new(), pos)).0.push(c);
                advance!(1);
            }
        }
    }
    if let Some(w) = word.take() {
        words.push(Word {
            text: w.0,
            pos: w.1,
        });
    }
    let command = match error {
        Some(e) => Err(e),
        None => Ok(words),
    };
    (command, i)
}

/// Whether `$` followed by this character is a shell expansion.
fn expands(next: Option<&char>) -> bool {
    next.is_some_and(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, '_' | '{' | '(' | '?' | '@' | '*' | '#' | '!' | '-')
    })
}

fn expansion_error(chars: &[char], i: usize) -> String {
    let name: String = chars
        .iter()
        .skip(i)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | '_' | '{' | '}' | '('))
        .collect();
    format!("{name} is a shell expansion: the console has no shell variables, so write the value itself")
}

/// A CLI error, worded as the CLI prints it (no exception name in front).
fn cli_error(message: impl Into<String>) -> Thrown {
    Thrown::new("", message)
}

/// How a parameter's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Int,
    /// `--flag` / `--no-flag`.
    Bool,
    /// A map of AttributeValues (`--key`, `--item`, `--expression-attribute-values`).
    Attributes,
    /// A structure or map: JSON or shorthand.
    Structure,
    /// A list: JSON, or one shorthand structure (or string) per word.
    List,
    /// A structure holding AttributeValues deeper down (`--request-items`,
    /// `--transact-items`): JSON only, as the CLI's shorthand cannot say it.
    Nested,
}

/// A parameter: its CLI name, its API name, how it is read.
type Param = (&'static str, &'static str, Kind);

const TABLE: Param = ("table-name", "TableName", Kind::Str);
const KEY: Param = ("key", "Key", Kind::Attributes);
const NAMES: Param = (
    "expression-attribute-names",
    "ExpressionAttributeNames",
    Kind::Structure,
);
const VALUES: Param = (
    "expression-attribute-values",
    "ExpressionAttributeValues",
    Kind::Attributes,
);
const CONDITION: Param = ("condition-expression", "ConditionExpression", Kind::Str);
const PROJECTION: Param = ("projection-expression", "ProjectionExpression", Kind::Str);
const FILTER: Param = ("filter-expression", "FilterExpression", Kind::Str);
const CONSISTENT: Param = ("consistent-read", "ConsistentRead", Kind::Bool);
const CAPACITY: Param = (
    "return-consumed-capacity",
    "ReturnConsumedCapacity",
    Kind::Str,
);
const METRICS: Param = (
    "return-item-collection-metrics",
    "ReturnItemCollectionMetrics",
    Kind::Str,
);
const RETURN_VALUES: Param = ("return-values", "ReturnValues", Kind::Str);
const ON_FAILURE: Param = (
    "return-values-on-condition-check-failure",
    "ReturnValuesOnConditionCheckFailure",
    Kind::Str,
);
const EXPECTED: Param = ("expected", "Expected", Kind::Structure);
const CONDITIONAL_OPERATOR: Param = ("conditional-operator", "ConditionalOperator", Kind::Str);
const ATTRIBUTES_TO_GET: Param = ("attributes-to-get", "AttributesToGet", Kind::List);
const INDEX: Param = ("index-name", "IndexName", Kind::Str);
const SELECT: Param = ("select", "Select", Kind::Str);
const LIMIT: Param = ("limit", "Limit", Kind::Int);
const START_KEY: Param = ("exclusive-start-key", "ExclusiveStartKey", Kind::Attributes);

/// The options of the item writes.
const WRITE: &[Param] = &[
    CONDITION,
    NAMES,
    VALUES,
    RETURN_VALUES,
    CAPACITY,
    METRICS,
    ON_FAILURE,
    EXPECTED,
    CONDITIONAL_OPERATOR,
];

/// The options Query and Scan share.
const READ: &[Param] = &[
    INDEX,
    FILTER,
    PROJECTION,
    NAMES,
    VALUES,
    SELECT,
    LIMIT,
    CONSISTENT,
    START_KEY,
    CAPACITY,
    ATTRIBUTES_TO_GET,
    CONDITIONAL_OPERATOR,
];

/// An operation of `aws dynamodb`: its CLI name, its API name, its parameters (in groups)
/// and which of them are required.
struct Operation {
    cli: &'static str,
    api: &'static str,
    params: &'static [&'static [Param]],
    required: &'static [&'static str],
}

impl Operation {
    fn params(&self) -> impl Iterator<Item = &'static Param> {
        self.params.iter().flat_map(|group| group.iter())
    }
}

const OPERATIONS: &[Operation] = &[
    Operation {
        cli: "get-item",
        api: "GetItem",
        params: &[&[
            TABLE,
            KEY,
            CONSISTENT,
            PROJECTION,
            NAMES,
            CAPACITY,
            ATTRIBUTES_TO_GET,
        ]],
        required: &["table-name", "key"],
    },
    Operation {
        cli: "put-item",
        api: "PutItem",
        params: &[&[TABLE, ("item", "Item", Kind::Attributes)], WRITE],
        required: &["table-name", "item"],
    },
    Operation {
        cli: "update-item",
        api: "UpdateItem",
        params: &[
            &[
                TABLE,
                KEY,
                ("update-expression", "UpdateExpression", Kind::Str),
                ("attribute-updates", "AttributeUpdates", Kind::Structure),
            ],
            WRITE,
        ],
        required: &["table-name", "key"],
    },
    Operation {
        cli: "delete-item",
        api: "DeleteItem",
        params: &[&[TABLE, KEY], WRITE],
        required: &["table-name", "key"],
    },
    Operation {
        cli: "query",
        api: "Query",
        params: &[
            &[
                TABLE,
                (
                    "key-condition-expression",
                    "KeyConditionExpression",
                    Kind::Str,
                ),
                ("scan-index-forward", "ScanIndexForward", Kind::Bool),
                ("key-conditions", "KeyConditions", Kind::Structure),
                ("query-filter", "QueryFilter", Kind::Structure),
            ],
            READ,
        ],
        required: &["table-name"],
    },
    Operation {
        cli: "scan",
        api: "Scan",
        params: &[
            &[
                TABLE,
                ("segment", "Segment", Kind::Int),
                ("total-segments", "TotalSegments", Kind::Int),
                ("scan-filter", "ScanFilter", Kind::Structure),
            ],
            READ,
        ],
        required: &["table-name"],
    },
    Operation {
        cli: "batch-get-item",
        api: "BatchGetItem",
        params: &[&[("request-items", "RequestItems", Kind::Nested), CAPACITY]],
        required: &["request-items"],
    },
    Operation {
        cli: "batch-write-item",
        api: "BatchWriteItem",
        params: &[&[
            ("request-items", "RequestItems", Kind::Nested),
            CAPACITY,
            METRICS,
        ]],
        required: &["request-items"],
    },
    Operation {
        cli: "transact-get-items",
        api: "TransactGetItems",
        params: &[&[("transact-items", "TransactItems", Kind::Nested), CAPACITY]],
        required: &["transact-items"],
    },
    Operation {
        cli: "transact-write-items",
        api: "TransactWriteItems",
        params: &[&[
            ("transact-items", "TransactItems", Kind::Nested),
            CAPACITY,
            METRICS,
            ("client-request-token", "ClientRequestToken", Kind::Str),
        ]],
        required: &["transact-items"],
    },
    Operation {
        cli: "create-table",
        api: "CreateTable",
        params: &[&[
            ("attribute-definitions", "AttributeDefinitions", Kind::List),
            TABLE,
            ("key-schema", "KeySchema", Kind::List),
            (
                "local-secondary-indexes",
                "LocalSecondaryIndexes",
                Kind::List,
            ),
            (
                "global-secondary-indexes",
                "GlobalSecondaryIndexes",
                Kind::List,
            ),
            ("billing-mode", "BillingMode", Kind::Str),
            (
                "provisioned-throughput",
                "ProvisionedThroughput",
                Kind::Structure,
            ),
            (
                "stream-specification",
                "StreamSpecification",
                Kind::Structure,
            ),
            ("sse-specification", "SSESpecification", Kind::Structure),
            ("tags", "Tags", Kind::List),
            ("table-class", "TableClass", Kind::Str),
            (
                "deletion-protection-enabled",
                "DeletionProtectionEnabled",
                Kind::Bool,
            ),
        ]],
        required: &["attribute-definitions", "table-name", "key-schema"],
    },
    Operation {
        cli: "describe-table",
        api: "DescribeTable",
        params: &[&[TABLE]],
        required: &["table-name"],
    },
    Operation {
        cli: "delete-table",
        api: "DeleteTable",
        params: &[&[TABLE]],
        required: &["table-name"],
    },
    Operation {
        cli: "list-tables",
        api: "ListTables",
        params: &[&[
            (
                "exclusive-start-table-name",
                "ExclusiveStartTableName",
                Kind::Str,
            ),
            LIMIT,
        ]],
        required: &[],
    },
];

/// `aws dynamodb` operations the CLI has and the simulator does not run.
const NOT_RUN: &[&str] = &[
    "batch-execute-statement",
    "create-backup",
    "create-global-table",
    "describe-continuous-backups",
    "describe-limits",
    "describe-time-to-live",
    "execute-statement",
    "execute-transaction",
    "export-table-to-point-in-time",
    "list-backups",
    "list-tags-of-resource",
    "tag-resource",
    "untag-resource",
    "update-table",
    "update-time-to-live",
    "wait",
];

/// Global options that say how to reach AWS (which the playground is, whatever they say):
/// each takes a value.
const CONNECTION_OPTIONS: &[&str] = &[
    "region",
    "endpoint-url",
    "profile",
    "ca-bundle",
    "cli-read-timeout",
    "cli-connect-timeout",
    "color",
];

/// Global flags that change nothing the console shows.
const QUIET_FLAGS: &[&str] = &["no-cli-pager", "no-verify-ssl", "no-sign-request", "debug"];

/// The paginated operations: the token the CLI passes between pages (the request's and the
/// response's), the limit key, and the result keys it joins.
fn paginator(api: &str) -> Option<(&'static str, &'static str, &'static [&'static str])> {
    match api {
        "Query" | "Scan" => Some((
            "ExclusiveStartKey",
            "LastEvaluatedKey",
            &["Items", "Count", "ScannedCount"],
        )),
        "ListTables" => Some((
            "ExclusiveStartTableName",
            "LastEvaluatedTableName",
            &["TableNames"],
        )),
        _ => None,
    }
}

/// What the command line says, read.
struct Parsed {
    operation: &'static Operation,
    request: Map<String, J>,
    paginate: bool,
    max_items: Option<i64>,
    starting_token: Option<String>,
    page_size: Option<i64>,
    raw_binary: bool,
}

/// Runs a command; `None` when the CLI prints nothing.
pub fn run(command: &Command, cx: &mut Cx) -> Result<Option<Value>> {
    let words = command
        .as_ref()
        .map_err(|(message, pos)| cli_error(message.clone()).at(*pos))?;
    let parsed = parse(words)?;
    cx.ran_operation(Answer::Dynamo { plain: false });
    let response = if parsed.paginate {
        paginate(&parsed, cx)?
    } else {
        send(&parsed, parsed.request.clone(), cx)?
    };
    if response.is_empty() {
        return Ok(None);
    }
    value::from_json(&J::Object(response), FromJson::Python).map(Some)
}

fn parse(words: &[Word]) -> Result<Parsed> {
    let mut rest = words
        .iter()
        .skip_while(|w| w.text == "$")
        .skip(2)
        .peekable();
    let usage = "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]";
    let Some(op_word) = rest.next() else {
        return Err(cli_error(format!(
            "{usage}\naws: error: the following arguments are required: operation"
        )));
    };
    let operation =
        match OPERATIONS.iter().find(|o| o.cli == op_word.text) {
            Some(o) => o,
            None if NOT_RUN.contains(&op_word.text.as_str()) => {
                return Err(Thrown::unsupported(format!(
                "the playground's DynamoDB simulator does not run `aws dynamodb {}`: it runs {}",
                op_word.text,
                OPERATIONS.iter().map(|o| o.cli).collect::<Vec<_>>().join(", ")
            ))
                .at(op_word.pos))
            }
            None => {
                return Err(cli_error(format!(
                "{usage}\naws: error: argument operation: Invalid choice, valid choices are: {}",
                OPERATIONS.iter().map(|o| o.cli).collect::<Vec<_>>().join(" | ")
            ))
                .at(op_word.pos))
            }
        };
    let mut p = Parsed {
        operation,
        request: Map::new(),
        paginate: paginator(operation.api).is_some(),
        max_items: None,
        starting_token: None,
        page_size: None,
        raw_binary: false,
    };
    let mut unknown = Vec::new();
    let mut no_paginate = false;
    while let Some(w) = rest.next() {
        let Some(option) = w.text.strip_prefix("--") else {
            unknown.push(w.text.clone());
            continue;
        };
        // `--name=value`.
        let (name, inline) = match option.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (option, None),
        };
        let mut value = |what: &str| -> Result<Word> {
            if let Some(v) = inline {
                return Ok(Word {
                    text: v.to_string(),
                    pos: w.pos,
                });
            }
            match rest.next_if(|n| !n.text.starts_with("--") || n.text == "--") {
                Some(v) => Ok(v.clone()),
                None => Err(
                    cli_error(format!("aws: error: argument --{name}: expected {what}")).at(w.pos),
                ),
            }
        };
        match name {
            "output" => {
                let v = value("one argument")?;
                if v.text != "json" {
                    return Err(Thrown::unsupported(format!(
                        "the console prints what `--output json` prints; `--output {}` is not implemented",
                        v.text
                    ))
                    .at(v.pos));
                }
            }
            "query" => {
                return Err(Thrown::unsupported(
                    "the console does not implement the CLI's --query (a JMESPath expression over the output)",
                )
                .at(w.pos))
            }
            "no-paginate" => no_paginate = true,
            "cli-binary-format" => {
                let v = value("one argument")?;
                p.raw_binary = match v.text.as_str() {
                    "base64" => false,
                    "raw-in-base64-out" => true,
                    other => {
                        return Err(cli_error(format!(
                            "aws: error: argument --cli-binary-format: Invalid choice: '{other}' (choose from 'base64', 'raw-in-base64-out')"
                        ))
                        .at(v.pos))
                    }
                };
            }
            "cli-input-json" => {
                let v = value("one argument")?;
                let input = parse_json(&v, "cli-input-json")?;
                let J::Object(input) = input else {
                    return Err(cli_error(
                        "Error parsing parameter '--cli-input-json': the JSON must be an object",
                    )
                    .at(v.pos));
                };
                p.request.extend(input);
            }
            "generate-cli-skeleton" => {
                return Err(Thrown::unsupported(
                    "the console does not implement --generate-cli-skeleton",
                )
                .at(w.pos))
            }
            "max-items" | "page-size" if p.paginate => {
                let v = value("one argument")?;
                let n = integer(&v, name)?;
                if name == "max-items" {
                    p.max_items = Some(n);
                } else {
                    p.page_size = Some(n);
                }
            }
            "starting-token" if p.paginate => {
                p.starting_token = Some(value("one argument")?.text);
            }
            _ if CONNECTION_OPTIONS.contains(&name) => {
                value("one argument")?;
            }
            _ if QUIET_FLAGS.contains(&name) => {}
            _ => {
                let (param, negated) = match find_param(operation, name) {
                    Some(found) => found,
                    None => {
                        unknown.push(w.text.clone());
                        continue;
                    }
                };
                match param.2 {
                    Kind::Bool => {
                        if inline.is_some() {
                            unknown.push(w.text.clone());
                            continue;
                        }
                        p.request.insert(param.1.to_string(), J::Bool(!negated));
                    }
                    Kind::List => {
                        // One element per word, up to the next option.
                        let first = value("at least one argument")?;
                        let mut items = vec![first];
                        while let Some(n) = rest.next_if(|n| !n.text.starts_with("--")) {
                            items.push(n.clone());
                        }
                        let list = list_value(param, &items)?;
                        p.request.insert(param.1.to_string(), list);
                    }
                    _ => {
                        let v = value("one argument")?;
                        let converted = read_param(param, &v)?;
                        p.request.insert(param.1.to_string(), converted);
                    }
                }
            }
        }
    }
    if !unknown.is_empty() {
        return Err(cli_error(format!(
            "aws: error: Unknown options: {}",
            unknown.join(", ")
        )));
    }
    let missing: Vec<String> = operation
        .required
        .iter()
        .filter(|cli| {
            operation
                .params()
                .find(|q| q.0 == **cli)
                .is_some_and(|q| !p.request.contains_key(q.1))
        })
        .map(|cli| format!("--{cli}"))
        .collect();
    if !missing.is_empty() {
        return Err(cli_error(format!(
            "{usage}\naws: error: the following arguments are required: {}",
            missing.join(", ")
        )));
    }
    if let Some((input_token, _, _)) = paginator(operation.api) {
        // A page's own limit or start turns the CLI's pagination off.
        let manual = p.request.contains_key(input_token) || p.request.contains_key("Limit");
        if no_paginate || manual {
            let used: Vec<&str> = [
                ("--starting-token", p.starting_token.is_some()),
                ("--page-size", p.page_size.is_some()),
                ("--max-items", p.max_items.is_some()),
            ]
            .iter()
            .filter(|(_, set)| *set)
            .map(|(n, _)| *n)
            .collect();
            if !used.is_empty() {
                return Err(cli_error(format!(
                    "Cannot specify --no-paginate along with pagination arguments: {}",
                    used.join(", ")
                )));
            }
            p.paginate = false;
        }
    }
    if p.raw_binary {
        // Binary values were written as text: the CLI sends their bytes.
        for (k, v) in p.request.iter_mut() {
            if matches!(
                k.as_str(),
                "Key"
                    | "Item"
                    | "ExpressionAttributeValues"
                    | "ExclusiveStartKey"
                    | "RequestItems"
                    | "TransactItems"
            ) {
                let script = value::from_json(v, FromJson::Plain)?;
                *v = crate::dynamo_sdk::to_wire_json(&script, 0)?.unwrap_or(J::Null);
            }
        }
    }
    Ok(p)
}

/// The parameter an option names (`--no-x` negates the boolean `--x`).
fn find_param(operation: &Operation, name: &str) -> Option<(&'static Param, bool)> {
    if let Some(p) = operation.params().find(|p| p.0 == name) {
        return Some((p, false));
    }
    let positive = name.strip_prefix("no-")?;
    operation
        .params()
        .find(|p| p.0 == positive && p.2 == Kind::Bool)
        .map(|p| (p, true))
}

fn integer(v: &Word, name: &str) -> Result<i64> {
    v.text.trim().parse::<i64>().map_err(|_| {
        cli_error(format!(
            "aws: error: argument --{name}: invalid int value: '{}'",
            v.text
        ))
        .at(v.pos)
    })
}

/// `file://` and `fileb://` name files, which the console does not have.
fn refuse_files(v: &Word, name: &str) -> Result<()> {
    if v.text.starts_with("file://") || v.text.starts_with("fileb://") {
        return Err(cli_error(format!(
            "Error parsing parameter '--{name}': the console cannot read files ({}): paste the file's content in its place",
            v.text
        ))
        .at(v.pos));
    }
    Ok(())
}

fn parse_json(v: &Word, name: &str) -> Result<J> {
    refuse_files(v, name)?;
    serde_json::from_str(&v.text).map_err(|e| {
        cli_error(format!(
            "Error parsing parameter '--{name}': Invalid JSON: {e}\nJSON received: {}",
            v.text
        ))
        .at(v.pos)
    })
}

/// Whether the CLI reads a value as JSON (it starts with `{` or `[`) rather than shorthand.
fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with(['{', '['])
}

/// One parameter's value as the API takes it.
fn read_param(param: &Param, v: &Word) -> Result<J> {
    let (name, api, kind) = *param;
    refuse_files(v, name)?;
    match kind {
        Kind::Str => Ok(J::String(v.text.clone())),
        Kind::Int => Ok(J::from(integer(v, name)?)),
        Kind::Bool => Ok(J::Bool(true)),
        Kind::Attributes => {
            let json = if looks_like_json(&v.text) {
                parse_json(v, name)?
            } else {
                shorthand(&v.text, name).map_err(|e| e.at(v.pos))?
            };
            check_attributes(api, &json).map_err(|e| e.at(v.pos))?;
            Ok(json)
        }
        Kind::Structure => {
            if looks_like_json(&v.text) {
                parse_json(v, name)
            } else {
                shorthand(&v.text, name).map_err(|e| e.at(v.pos))
            }
        }
        Kind::Nested => {
            let json = parse_json(v, name)?;
            check_nested(api, &json).map_err(|e| e.at(v.pos))?;
            Ok(json)
        }
        Kind::List => list_value(param, std::slice::from_ref(v)),
    }
}

/// A list parameter from its words: one JSON list, or one shorthand structure (or plain
/// string) per word.
fn list_value(param: &Param, words: &[Word]) -> Result<J> {
    let (name, _, _) = *param;
    if let [only] = words {
        refuse_files(only, name)?;
        if looks_like_json(&only.text) {
            return parse_json(only, name);
        }
    }
    words
        .iter()
        .map(|w| {
            refuse_files(w, name)?;
            if w.text.contains('=') {
                shorthand(&w.text, name).map_err(|e| e.at(w.pos))
            } else {
                Ok(J::String(w.text.clone()))
            }
        })
        .collect::<Result<Vec<J>>>()
        .map(J::Array)
}

/// Members the shorthand syntax gives as numbers or booleans (everything else is a string).
fn shorthand_scalar(key: &str, text: &str) -> J {
    match key {
        "ReadCapacityUnits"
        | "WriteCapacityUnits"
        | "MaxReadRequestUnits"
        | "MaxWriteRequestUnits" => text
            .parse::<i64>()
            .map_or_else(|_| J::String(text.into()), J::from),
        "StreamEnabled" | "Enabled" | "NULL" | "BOOL" => match text {
            "true" => J::Bool(true),
            "false" => J::Bool(false),
            _ => J::String(text.into()),
        },
        _ => J::String(text.into()),
    }
}

/// The CLI's shorthand syntax: `Key=value,Key2={Inner=x},Key3=[a,b]`.
fn shorthand(text: &str, name: &str) -> Result<J> {
    let chars: Vec<char> = text.chars().collect();
    let mut s = Shorthand {
        chars: &chars,
        at: 0,
        name,
        depth: 0,
    };
    let v = s.keyvals(None)?;
    if s.at < chars.len() {
        return Err(s.expected(","));
    }
    Ok(v)
}

struct Shorthand<'a> {
    chars: &'a [char],
    at: usize,
    name: &'a str,
    depth: usize,
}

impl Shorthand<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn expected(&self, what: &str) -> Thrown {
        let received = self.peek().map_or("EOF".to_string(), |c| c.to_string());
        let input: String = self.chars.iter().collect();
        cli_error(format!(
            "Error parsing parameter '--{}': Expected: '{what}', received: '{received}' for input:\n{input}\n{}^",
            self.name,
            " ".repeat(self.at)
        ))
    }

    /// Goes one level deeper, refusing values nested deeper than a document may be.
    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > value::MAX_VALUE_DEPTH {
            return Err(cli_error(format!(
                "Error parsing parameter '--{}': the value nests too deeply",
                self.name
            )));
        }
        Ok(())
    }

    /// `key=value,...` up to `close` (or the end).
    fn keyvals(&mut self, close: Option<char>) -> Result<J> {
        self.enter()?;
        let mut map = Map::new();
        loop {
            if self.peek().is_none() || self.peek() == close {
                break;
            }
            let key: String = self.scalar(&['=', ',', '}', ']'])?;
            if self.peek() != Some('=') {
                return Err(self.expected("="));
            }
            self.at += 1;
            let v = self.value(&key, close)?;
            map.insert(key.trim().to_string(), v);
            match self.peek() {
                Some(',') => self.at += 1,
                c if c == close || c.is_none() => break,
                _ => return Err(self.expected(",")),
            }
        }
        self.depth -= 1;
        Ok(J::Object(map))
    }

    fn value(&mut self, key: &str, close: Option<char>) -> Result<J> {
        match self.peek() {
            Some('{') => {
                self.at += 1;
                let v = self.keyvals(Some('}'))?;
                if self.peek() != Some('}') {
                    return Err(self.expected("}"));
                }
                self.at += 1;
                Ok(v)
            }
            Some('[') => {
                self.at += 1;
                self.enter()?;
                let mut items = Vec::new();
                while self.peek() != Some(']') {
                    if self.peek().is_none() {
                        return Err(self.expected("]"));
                    }
                    items.push(self.value(key, Some(']'))?);
                    if self.peek() == Some(',') {
                        self.at += 1;
                    }
                }
                self.at += 1;
                self.depth -= 1;
                Ok(J::Array(items))
            }
            _ => {
                let stops: &[char] = match close {
                    Some(c) => &[',', c],
                    None => &[','],
                };
                let text = self.scalar(stops)?;
                Ok(shorthand_scalar(key, &text))
            }
        }
    }

    /// A bare or quoted value up to one of `stops`.
    fn scalar(&mut self, stops: &[char]) -> Result<String> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            match c {
                '"' | '\'' => {
                    self.at += 1;
                    loop {
                        match self.peek() {
                            None => return Err(self.expected(&c.to_string())),
                            Some(q) if q == c => {
                                self.at += 1;
                                break;
                            }
                            Some('\\') => {
                                self.at += 1;
                                if let Some(e) = self.peek() {
                                    out.push(e);
                                    self.at += 1;
                                }
                            }
                            Some(q) => {
                                out.push(q);
                                self.at += 1;
                            }
                        }
                    }
                }
                '\\' => {
                    self.at += 1;
                    if let Some(e) = self.peek() {
                        out.push(e);
                        self.at += 1;
                    }
                }
                _ if stops.contains(&c) => break,
                _ => {
                    out.push(c);
                    self.at += 1;
                }
            }
        }
        Ok(out)
    }
}

/// The Python type name botocore's validation prints for a JSON value.
fn python_type(v: &J) -> &'static str {
    match v {
        J::Null => "<class 'NoneType'>",
        J::Bool(_) => "<class 'bool'>",
        J::Number(n) if n.is_f64() => "<class 'float'>",
        J::Number(_) => "<class 'int'>",
        J::String(_) => "<class 'str'>",
        J::Array(_) => "<class 'list'>",
        J::Object(_) => "<class 'dict'>",
    }
}

/// How Python prints a value in botocore's validation messages.
fn python_repr(v: &J) -> String {
    match v {
        J::String(s) => s.clone(),
        J::Null => "None".into(),
        J::Bool(true) => "True".into(),
        J::Bool(false) => "False".into(),
        other => other.to_string(),
    }
}

const ATTRIBUTE_MEMBERS: [&str; 10] = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];

/// botocore's validation of a map of AttributeValues, before anything is sent.
fn check_attributes(path: &str, json: &J) -> Result<()> {
    let J::Object(map) = json else {
        return Err(validation(format!(
            "Invalid type for parameter {path}, value: {}, type: {}, valid types: <class 'dict'>",
            python_repr(json),
            python_type(json)
        )));
    };
    for (name, v) in map {
        check_attribute(&format!("{path}.{name}"), v, 0)?;
    }
    Ok(())
}

fn check_attribute(path: &str, v: &J, depth: usize) -> Result<()> {
    if depth > value::MAX_VALUE_DEPTH {
        return Ok(());
    }
    let J::Object(members) = v else {
        return Err(validation(format!(
            "Invalid type for parameter {path}, value: {}, type: {}, valid types: <class 'dict'>",
            python_repr(v),
            python_type(v)
        )));
    };
    if let Some(odd) = members
        .keys()
        .find(|k| !ATTRIBUTE_MEMBERS.contains(&k.as_str()))
    {
        return Err(validation(format!(
            "Unknown parameter in {path}: \"{odd}\", must be one of: {}",
            ATTRIBUTE_MEMBERS.join(", ")
        )));
    }
    match (members.get("M"), members.get("L")) {
        (Some(J::Object(m)), _) => {
            for (k, x) in m {
                check_attribute(&format!("{path}.M.{k}"), x, depth + 1)?;
            }
        }
        (_, Some(J::Array(l))) => {
            for (i, x) in l.iter().enumerate() {
                check_attribute(&format!("{path}.L[{i}]"), x, depth + 1)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// botocore's validation of the AttributeValue maps inside `--request-items` and
/// `--transact-items`.
fn check_nested(api: &str, json: &J) -> Result<()> {
    let maps = |v: &J, path: &str, fields: &[&str]| -> Result<()> {
        for f in fields {
            if let Some(m) = v.get(f) {
                check_attributes(&format!("{path}.{f}"), m)?;
            }
        }
        Ok(())
    };
    match (api, json) {
        ("RequestItems", J::Object(tables)) => {
            for (table, requests) in tables {
                let path = format!("RequestItems.{table}");
                match requests {
                    J::Array(list) => {
                        for (i, r) in list.iter().enumerate() {
                            if let Some(put) = r.get("PutRequest") {
                                maps(put, &format!("{path}[{i}].PutRequest"), &["Item"])?;
                            }
                            if let Some(del) = r.get("DeleteRequest") {
                                maps(del, &format!("{path}[{i}].DeleteRequest"), &["Key"])?;
                            }
                        }
                    }
                    J::Object(keys) => {
                        if let Some(J::Array(list)) = keys.get("Keys") {
                            for (i, k) in list.iter().enumerate() {
                                check_attributes(&format!("{path}.Keys[{i}]"), k)?;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok(())
        }
        ("TransactItems", J::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                for action in ["Get", "Put", "Update", "Delete", "ConditionCheck"] {
                    if let Some(a) = item.get(action) {
                        maps(
                            a,
                            &format!("TransactItems[{i}].{action}"),
                            &["Key", "Item", "ExpressionAttributeValues"],
                        )?;
                    }
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn validation(message: String) -> Thrown {
    cli_error(format!("Parameter validation failed:\n{message}"))
}

/// Sends one request; the response without the CLI's `ResponseMetadata`.
fn send(p: &Parsed, request: Map<String, J>, cx: &mut Cx) -> Result<Map<String, J>> {
    let api = p.operation.api;
    match cx.host.dynamo.execute(api, &J::Object(request)) {
        Ok(J::Object(map)) => Ok(map),
        Ok(_) => Ok(Map::new()),
        // The CLI prints the exception and its message, not the error's other members.
        Err(e) => Err(cli_error(format!(
            "An error occurred ({}) when calling the {api} operation: {}",
            e.type_name(),
            e.message
        ))),
    }
}

/// The most pages one command reads (DynamoDB pages hold up to 1 MB; no table of the
/// playground comes near), so a runaway loop cannot hang the page.
const MAX_PAGES: usize = 100_000;

/// The CLI's pagination: every page, the result keys joined (botocore's `build_full_result`).
fn paginate(p: &Parsed, cx: &mut Cx) -> Result<Map<String, J>> {
    let Some((input_token, output_token, result_keys)) = paginator(p.operation.api) else {
        return send(p, p.request.clone(), cx);
    };
    let primary = result_keys.first().copied().unwrap_or("Items");
    let mut request = p.request.clone();
    if let Some(size) = p.page_size {
        request.insert("Limit".into(), J::from(size));
    }
    // The token the current page was fetched with, and how many of its items a previous
    // `--max-items` already printed.
    let mut token = J::Null;
    let mut skip = 0usize;
    if let Some(text) = &p.starting_token {
        let (t, s) = decode_token(text, input_token)?;
        token = t;
        skip = s;
    }
    let mut full = Map::new();
    let mut capacity: Option<J> = None;
    let mut total: i64 = 0;
    let mut next_token: Option<J> = None;
    let mut first = true;
    for _ in 0..MAX_PAGES {
        if token.is_null() {
            request.remove(input_token);
        } else {
            request.insert(input_token.into(), token.clone());
        }
        let mut page = send(p, request.clone(), cx)?;
        if first && skip > 0 {
            // Resuming inside a page: its first items were printed already, and botocore
            // zeroes the page's other counts.
            if let Some(J::Array(items)) = page.get_mut(primary) {
                let keep = items.split_off(skip.min(items.len()));
                *items = keep;
            }
            for k in result_keys.iter().skip(1) {
                if page.contains_key(*k) {
                    page.insert((*k).to_string(), J::from(0));
                }
            }
        }
        first = false;
        let page_len = page.get(primary).and_then(J::as_array).map_or(0, Vec::len) as i64;
        let truncate = p.max_items.map_or(0, |max| total + page_len - max);
        if truncate > 0 {
            let keep = page_len - truncate;
            if let Some(J::Array(items)) = page.get_mut(primary) {
                items.truncate(keep.max(0) as usize);
            }
            next_token = Some(json!({
                input_token: token,
                "boto_truncate_amount": keep.max(0) + skip as i64,
            }));
            join(&mut full, &page, result_keys, &mut capacity);
            break;
        }
        join(&mut full, &page, result_keys, &mut capacity);
        total += page_len;
        skip = 0;
        let next = page.get(output_token).cloned().unwrap_or(J::Null);
        if next.is_null() || next == J::String(String::new()) {
            break;
        }
        if p.max_items == Some(total) {
            next_token = Some(json!({ input_token: next }));
            break;
        }
        if next == token {
            return Err(cli_error(format!(
                "The same next token was received twice: {{'{input_token}': {}}}",
                python_json(&next)
            )));
        }
        token = next;
    }
    if let Some(c) = capacity {
        full.insert("ConsumedCapacity".into(), c);
    }
    if let Some(t) = next_token {
        full.insert(
            "NextToken".into(),
            J::String(schemaplay_dynamo::value::base64_encode(
                python_json(&t).as_bytes(),
            )),
        );
    }
    Ok(full)
}

/// Adds a page to the full result: lists extend, counts add up, and the capacity units of
/// `ConsumedCapacity` add up (the CLI's `aggregate_numeric_keys`).
fn join(full: &mut Map<String, J>, page: &Map<String, J>, keys: &[&str], capacity: &mut Option<J>) {
    for k in keys {
        let Some(v) = page.get(*k) else { continue };
        match (full.get_mut(*k), v) {
            (None, _) => {
                full.insert((*k).to_string(), v.clone());
            }
            (Some(J::Array(all)), J::Array(more)) => all.extend(more.iter().cloned()),
            (Some(sum @ J::Number(_)), J::Number(more)) => {
                let a = sum.as_i64().unwrap_or(0);
                *sum = J::from(a + more.as_i64().unwrap_or(0));
            }
            _ => {}
        }
    }
    if let Some(J::Object(c)) = page.get("ConsumedCapacity") {
        match capacity {
            None => *capacity = Some(J::Object(c.clone())),
            Some(J::Object(acc)) => {
                for unit in ["CapacityUnits", "ReadCapacityUnits", "WriteCapacityUnits"] {
                    if let (Some(a), Some(b)) = (
                        acc.get(unit).and_then(J::as_f64),
                        c.get(unit).and_then(J::as_f64),
                    ) {
                        if let Some(n) = serde_json::Number::from_f64(a + b) {
                            acc.insert(unit.into(), J::Number(n));
                        }
                    }
                }
            }
            Some(_) => {}
        }
    }
}

/// A `--starting-token`: botocore's token is base64 of JSON naming the request's start and
/// how many items of that page were printed.
fn decode_token(text: &str, input_token: &str) -> Result<(J, usize)> {
    let bad = || {
        validation(format!(
            "Invalid type for parameter {input_token}, value: {text}, type: <class 'str'>, valid types: <class 'dict'>"
        ))
    };
    let bytes = schemaplay_dynamo::value::base64_decode(text).map_err(|_| bad())?;
    let json: J = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    let token = json.get(input_token).cloned().ok_or_else(bad)?;
    let skip = json
        .get("boto_truncate_amount")
        .and_then(J::as_u64)
        .unwrap_or(0) as usize;
    Ok((token, skip))
}

/// JSON as Python's `json.dumps` writes it (`", "` and `": "` between items, non-ASCII as
/// `\uXXXX`), which is what botocore's tokens hold.
fn python_json(v: &J) -> String {
    let mut out = String::new();
    write_python(v, &mut out);
    out
}

fn write_python(v: &J, out: &mut String) {
    match v {
        J::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python(x, out);
            }
            out.push(']');
        }
        J::Object(map) => {
            out.push('{');
            for (i, (k, x)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python(&J::String(k.clone()), out);
                out.push_str(": ");
                write_python(x, out);
            }
            out.push('}');
        }
        J::String(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                        let mut buf = [0u16; 2];
                        for unit in c.encode_utf16(&mut buf) {
                            out.push_str(&format!("\\u{unit:04x}"));
                        }
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str) -> String {
        let chars: Vec<char> = src.chars().collect();
        let (r, n) = split(&chars, Pos { line: 1, column: 1 });
        match r {
            Ok(w) => format!(
                "{} {n}",
                w.iter()
                    .map(|w| format!("[{}@{}:{}]", w.text, w.pos.line, w.pos.column))
                    .collect::<String>()
            ),
            Err((m, p)) => format!("! {m} @{}:{} {n}", p.line, p.column),
        }
    }

    #[test]
    fn the_shell_splits_words_as_posix_does() {
        assert_eq!(
            words("aws dynamodb get-item --key '{\"a\": 1}' \\\n  --x \"q\\\"d\"# not a comment\nnext"),
            "[aws@1:1][dynamodb@1:5][get-item@1:14][--key@1:23][{\"a\": 1}@1:29][--x@2:3][q\"d#@2:7][not@2:15][a@2:19][comment@2:21] 68"
        );
        assert_eq!(
            words("aws dynamodb scan # a comment's quote\nx"),
            "[aws@1:1][dynamodb@1:5][scan@1:14] 37"
        );
        assert_eq!(
            words("aws dynamodb scan --table-name $T"),
            "! $T is a shell expansion: the console has no shell variables, so write the value itself @1:32 33"
        );
        assert_eq!(
            words("aws dynamodb scan --item '{\n"),
            "! the single quote at line 1, column 26 is never closed (the shell would wait for it) @1:26 28"
        );
        assert_eq!(
            words("aws dynamodb scan | jq"),
            "! a pipe (|) is shell, not the AWS CLI: the console runs one aws command per statement @1:19 22"
        );
    }

    #[test]
    fn commands_are_recognised_only_as_aws_then_dynamodb() {
        let yes = |s: &str| starts_command(&s.chars().collect::<Vec<_>>());
        assert!(yes("aws dynamodb scan"));
        assert!(yes("$ aws\tdynamodb"));
        assert!(!yes("aws.dynamodb"));
        assert!(!yes("awsdynamodb"));
        assert!(!yes("aws dynamodbx"));
        assert!(!yes("aws\ndynamodb"));
        assert!(!yes("aws s3 ls"));
    }

    #[test]
    fn shorthand_reads_structures_lists_and_numbers() {
        let s = |t: &str| match shorthand(t, "x") {
            Ok(v) => v.to_string(),
            Err(e) => e.message,
        };
        assert_eq!(
            s("AttributeName=PK,KeyType=HASH"),
            r#"{"AttributeName":"PK","KeyType":"HASH"}"#
        );
        assert_eq!(
            s("ReadCapacityUnits=5,WriteCapacityUnits=10"),
            r#"{"ReadCapacityUnits":5,"WriteCapacityUnits":10}"#
        );
        assert_eq!(
            s("IndexName=I,KeySchema=[{AttributeName=a,KeyType=HASH}],Projection={ProjectionType=ALL}"),
            r#"{"IndexName":"I","KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}"#
        );
        assert_eq!(s("PK={S=\"a,b\"}"), r#"{"PK":{"S":"a,b"}}"#);
        assert_eq!(
            s("AttributeName=PK,KeyType"),
            "Error parsing parameter '--x': Expected: '=', received: 'EOF' for input:\nAttributeName=PK,KeyType\n                        ^"
        );
    }

    #[test]
    fn tokens_are_written_as_python_writes_json() {
        assert_eq!(
            python_json(
                &json!({"ExclusiveStartKey": {"PK": {"S": "é"}}, "boto_truncate_amount": 1})
            ),
            r#"{"ExclusiveStartKey": {"PK": {"S": "\u00e9"}}, "boto_truncate_amount": 1}"#
        );
    }
}
