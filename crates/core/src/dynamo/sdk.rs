//! The request as code: the DynamoDB operations with their lib-dynamodb
//! commands, AttributeValue JSON back to plain values, and the
//! `client.send(new …Command({ … }))` line of each request.

use serde_json::{json, Map, Value};

use crate::js::js_literal;
use crate::model::version::pattern_version;
use crate::model::*;
use crate::names;

/// A DynamoDB operation on items, by its API name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    GetItem,
    PutItem,
    UpdateItem,
    DeleteItem,
    Query,
    Scan,
    BatchGetItem,
    BatchWriteItem,
    TransactGetItems,
    TransactWriteItems,
    ExecuteStatement,
    BatchExecuteStatement,
    ExecuteTransaction,
}

impl Operation {
    pub const ALL: [Operation; 13] = [
        Operation::GetItem,
        Operation::PutItem,
        Operation::UpdateItem,
        Operation::DeleteItem,
        Operation::Query,
        Operation::Scan,
        Operation::BatchGetItem,
        Operation::BatchWriteItem,
        Operation::TransactGetItems,
        Operation::TransactWriteItems,
        Operation::ExecuteStatement,
        Operation::BatchExecuteStatement,
        Operation::ExecuteTransaction,
    ];

    /// The name in the DynamoDB API (`GetItem`), as requests carry it.
    pub fn name(self) -> &'static str {
        match self {
            Operation::GetItem => "GetItem",
            Operation::PutItem => "PutItem",
            Operation::UpdateItem => "UpdateItem",
            Operation::DeleteItem => "DeleteItem",
            Operation::Query => "Query",
            Operation::Scan => "Scan",
            Operation::BatchGetItem => "BatchGetItem",
            Operation::BatchWriteItem => "BatchWriteItem",
            Operation::TransactGetItems => "TransactGetItems",
            Operation::TransactWriteItems => "TransactWriteItems",
            Operation::ExecuteStatement => "ExecuteStatement",
            Operation::BatchExecuteStatement => "BatchExecuteStatement",
            Operation::ExecuteTransaction => "ExecuteTransaction",
        }
    }

    /// The operation of an API name, if it is one of these.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The command of the document client, `@aws-sdk/lib-dynamodb`, that
    /// sends it with plain JavaScript values (`GetItem` → `GetCommand`).
    pub fn sdk_command(self) -> &'static str {
        match self {
            Operation::GetItem => "GetCommand",
            Operation::PutItem => "PutCommand",
            Operation::UpdateItem => "UpdateCommand",
            Operation::DeleteItem => "DeleteCommand",
            Operation::Query => "QueryCommand",
            Operation::Scan => "ScanCommand",
            Operation::BatchGetItem => "BatchGetCommand",
            Operation::BatchWriteItem => "BatchWriteCommand",
            Operation::TransactGetItems => "TransactGetCommand",
            Operation::TransactWriteItems => "TransactWriteCommand",
            Operation::ExecuteStatement => "ExecuteStatementCommand",
            Operation::BatchExecuteStatement => "BatchExecuteStatementCommand",
            Operation::ExecuteTransaction => "ExecuteTransactionCommand",
        }
    }
}

/// AttributeValue JSON back to the plain values lib-dynamodb takes.
pub fn unmarshall(value: &Value) -> Value {
    let Some(map) = value.as_object() else {
        return value.clone();
    };
    if map.len() == 1 {
        if let Some((tag, inner)) = map.iter().next() {
            match tag.as_str() {
                "S" | "B" => return inner.clone(),
                "N" => {
                    let text = inner.as_str().unwrap_or("0");
                    return text
                        .parse::<i64>()
                        .map(Value::from)
                        .or_else(|_| text.parse::<f64>().map(Value::from))
                        .unwrap_or_else(|_| Value::String(text.to_string()));
                }
                "BOOL" => return inner.clone(),
                "NULL" => return Value::Null,
                "L" => {
                    return Value::Array(
                        inner
                            .as_array()
                            .map(|a| a.iter().map(unmarshall).collect())
                            .unwrap_or_default(),
                    )
                }
                "M" => return unmarshall_map(inner),
                _ => {}
            }
        }
    }
    value.clone()
}

/// A map of AttributeValues to a plain object.
pub fn unmarshall_map(value: &Value) -> Value {
    match value.as_object() {
        Some(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), unmarshall(v))).collect()),
        None => value.clone(),
    }
}

/// A request field as lib-dynamodb takes it: the keys, items and values it marshalls (also
/// inside the actions of a transaction and the requests of a batch) as plain values, every
/// other field as it is.
fn plain(key: &str, value: &Value) -> Value {
    let nested = |value: &Value| -> Value {
        match value {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| match item.as_object() {
                        Some(m) => {
                            Value::Object(m.iter().map(|(k, v)| (k.clone(), plain(k, v))).collect())
                        }
                        None => item.clone(),
                    })
                    .collect(),
            ),
            Value::Object(m) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), plain(k, v))).collect())
            }
            other => other.clone(),
        }
    };
    match key {
        "Key" | "Item" | "ExpressionAttributeValues" | "ExclusiveStartKey" => unmarshall_map(value),
        "Keys" => match value {
            Value::Array(keys) => Value::Array(keys.iter().map(unmarshall_map).collect()),
            other => other.clone(),
        },
        // TransactWriteItems and TransactGetItems: `[{ Put: { Item, ... } }, { Update: ... }]`;
        // BatchWriteItem: `{ table: [{ PutRequest: { Item } }, { DeleteRequest: { Key } }] }`;
        // BatchGetItem: `{ table: { Keys: [...] } }`.
        "TransactItems" | "Put" | "Update" | "Delete" | "ConditionCheck" | "Get" | "PutRequest"
        | "DeleteRequest" => nested(value),
        "RequestItems" => match value {
            Value::Object(tables) => Value::Object(
                tables
                    .iter()
                    .map(|(table, requests)| (table.clone(), nested(requests)))
                    .collect(),
            ),
            other => other.clone(),
        },
        _ => value.clone(),
    }
}

/// The lib-dynamodb code for a pattern's request: a comment naming the
/// pattern (and the amount an increment adds), then the statement.
pub(super) fn sdk_code(
    pattern: &AccessPattern,
    table: &str,
    operation: Operation,
    input: &Map<String, Value>,
) -> String {
    let binding = if !is_read(operation) {
        None
    } else if pattern.kind.is_write() {
        // Named after the pattern: an export holds several writes that read first.
        Some(format!("{}Found", names::camel(&pattern.name)))
    } else {
        Some(names::camel(&pattern.name))
    };
    let statement = sdk_statement(table, operation, input, binding.as_deref());
    let mut code = format!("// {}\n", pattern.name);
    if let Some(note) = pattern.increment_note() {
        code.push_str(&format!("// {note}\n"));
    }
    if let Some(v) = pattern_version(pattern) {
        code.push_str(&format!(
            "// optimistic locking: the condition expects the {v} the client read; a ConditionalCheckFailedException is a conflict (the {} changed since, or is gone): read it again and retry\n",
            names::words(&pattern.entity)
        ));
    }
    code.push_str(&statement);
    code
}

/// The code of the request a pattern sends next, with what the first found.
pub(super) fn sdk_then(
    pattern: &AccessPattern,
    table: &str,
    operation: Operation,
    input: &Map<String, Value>,
) -> String {
    let binding = is_read(operation).then(|| format!("{}Items", names::camel(&pattern.name)));
    format!(
        "// then, with what it found (here the sample's values):\n{}",
        sdk_statement(table, operation, input, binding.as_deref())
    )
}

/// The code reading every page after a paged list's first (bound by [`sdk_code`] to the
/// pattern's name): each page's request is the first's with `ExclusiveStartKey` set to the
/// `LastEvaluatedKey` of the page before, until a page comes back without one. The items of
/// every page, the first's included, end in `<name>All`.
pub(super) fn sdk_page_loop(
    pattern: &AccessPattern,
    table: &str,
    operation: Operation,
    input: &Map<String, Value>,
) -> String {
    format!(
        "// the next pages: each starts where the page before stopped (ExclusiveStartKey = its LastEvaluatedKey) until a page has no LastEvaluatedKey; an application serving one page per request hands LastEvaluatedKey to its caller instead\n{}",
        page_loop(&names::camel(&pattern.name), table, operation, input)
    )
}

/// The loop reading every page after the first, bound to `name`, of a Query or Scan with
/// `input`: the items of every page end in `<name>All`.
pub(super) fn page_loop(
    name: &str,
    table: &str,
    operation: Operation,
    input: &Map<String, Value>,
) -> String {
    let start = format!("{name}Start");
    let mut input = input.clone();
    input.remove("ExclusiveStartKey");
    let statement = sdk_statement(table, operation, &input, Some("page"));
    let statement = match statement.strip_suffix("\n}))") {
        Some(body) => format!("{body},\n  ExclusiveStartKey: {start}\n}}))"),
        None => statement,
    };
    format!(
        "let {name}All = {name}.Items\nlet {start} = {name}.LastEvaluatedKey\nwhile ({start}) {{\n{}\n  {name}All = [...{name}All, ...page.Items]\n  {start} = page.LastEvaluatedKey\n}}",
        indent(&statement)
    )
}

/// Code indented by two spaces, line by line.
pub(super) fn indent(code: &str) -> String {
    code.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A cleanup read's code, every page of it: the first page bound to `name`
/// (a `let`), its items gathered in `<name>Items`, and a `while` sending the
/// same read from its `LastEvaluatedKey` until a page has none.
pub(super) fn sdk_find_loop(
    comment: &str,
    table: &str,
    operation: Operation,
    input: &Map<String, Value>,
    name: &str,
) -> String {
    let first = sdk_statement(table, operation, input, Some(name)).replacen("const ", "let ", 1);
    let next = sdk_statement(table, operation, input, None);
    let next = match next.strip_suffix("\n}))") {
        Some(body) => format!("{body},\n  ExclusiveStartKey: {name}.LastEvaluatedKey\n}}))"),
        None => next,
    };
    let body: Vec<String> = format!("{name} = {next}")
        .lines()
        .map(|l| format!("  {l}"))
        .collect();
    format!(
        "{comment}\n{first}\nlet {name}Items = {name}.Items\nwhile ({name}.LastEvaluatedKey) {{\n{}\n  {name}Items = [...{name}Items, ...{name}.Items]\n}}",
        body.join("\n")
    )
}

/// A BatchWriteItem's code bound to `name` (a `let`), then a `while` sending
/// its `UnprocessedItems` again until none come back (DynamoDB returns those
/// a throttled batch did not write; a real client waits a little longer
/// before each retry).
pub(super) fn sdk_batch_retry(
    comment: &str,
    table: &str,
    input: &Map<String, Value>,
    name: &str,
) -> String {
    let first = sdk_statement(table, Operation::BatchWriteItem, input, Some(name))
        .replacen("const ", "let ", 1);
    format!(
        "{comment}\n{first}\nwhile ({name}.UnprocessedItems && Object.keys({name}.UnprocessedItems).length > 0) {{\n  {name} = await client.send(new BatchWriteCommand({{ RequestItems: {name}.UnprocessedItems }}))\n}}"
    )
}

fn is_read(operation: Operation) -> bool {
    matches!(
        operation,
        Operation::GetItem | Operation::Query | Operation::Scan | Operation::BatchGetItem
    )
}

/// `await client.send(new …Command({ … }))`, bound to a constant when named.
/// lib-dynamodb takes plain values wherever the low-level API takes
/// AttributeValues: keys, items and expression values, in every action of a
/// transaction and every table of a batch too.
pub(super) fn sdk_statement(
    table: &str,
    operation: Operation,
    input: &Map<String, Value>,
    binding: Option<&str>,
) -> String {
    let command = operation.sdk_command();
    let mut lines = Vec::new();
    for (k, v) in input {
        let text = match k.as_str() {
            "TableName" => {
                lines.push("  TableName: TABLE".to_string());
                continue;
            }
            "RequestItems" => request_items(v, table),
            _ => js_literal(&plain(k, v), 2),
        };
        lines.push(format!("  {k}: {text}"));
    }
    let body = lines.join(",\n");
    let body = body.replace(
        &format!("TableName: {}", js_literal(&json!(table), 0)),
        "TableName: TABLE",
    );
    let call = format!("client.send(new {command}({{\n{body}\n}}))");
    match binding {
        Some(name) => format!("const {name} = await {call}"),
        None => format!("await {call}"),
    }
}

/// A batch's `RequestItems` with plain keys and items, the table named by `TABLE`.
fn request_items(value: &Value, table: &str) -> String {
    let plain = plain("RequestItems", value);
    let Some(tables) = plain.as_object() else {
        return js_literal(&plain, 2);
    };
    let parts: Vec<String> = tables
        .iter()
        .map(|(name, request)| {
            let key = if name == table {
                "[TABLE]".to_string()
            } else {
                js_literal(&json!(name), 0)
            };
            format!("{key}: {}", js_literal(request, 4))
        })
        .collect();
    format!("{{\n    {}\n  }}", parts.join(",\n    "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_its_own_command() {
        let pairs: Vec<String> = Operation::ALL
            .iter()
            .map(|o| format!("{} {}", o.name(), o.sdk_command()))
            .collect();
        expect_test::expect![[r#"
            [
                "GetItem GetCommand",
                "PutItem PutCommand",
                "UpdateItem UpdateCommand",
                "DeleteItem DeleteCommand",
                "Query QueryCommand",
                "Scan ScanCommand",
                "BatchGetItem BatchGetCommand",
                "BatchWriteItem BatchWriteCommand",
                "TransactGetItems TransactGetCommand",
                "TransactWriteItems TransactWriteCommand",
                "ExecuteStatement ExecuteStatementCommand",
                "BatchExecuteStatement BatchExecuteStatementCommand",
                "ExecuteTransaction ExecuteTransactionCommand",
            ]
        "#]]
        .assert_debug_eq(&pairs);
        for o in Operation::ALL {
            assert_eq!(Operation::from_name(o.name()), Some(o));
        }
        assert_eq!(Operation::from_name("CreateTable"), None);
    }
}
