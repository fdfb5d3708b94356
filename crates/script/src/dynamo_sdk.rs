//! The AWS SDK for JavaScript v3 over the DynamoDB simulator: `@aws-sdk/client-dynamodb` (the
//! low-level client, AttributeValue JSON in and out), `@aws-sdk/lib-dynamodb` (the document
//! client, plain values marshalled as lib-dynamodb marshalls them) and `@aws-sdk/util-dynamodb`
//! (`marshall`, `unmarshall`).
//!
//! `client.send(new QueryCommand(params))` runs the request when it is sent and answers the
//! SDK's output object: `Item`, `Items`, `Count`, `LastEvaluatedKey`, ... The SDK also puts
//! `$metadata` (HTTP status, request id, retries) on every output; the console does not show
//! it, as it describes a network exchange that did not happen, but a script that reads
//! `result.$metadata.httpStatusCode` reads `200`. Errors are thrown as the SDK throws them,
//! named by DynamoDB's exception (`ConditionalCheckFailedException: The conditional request
//! failed`); a `TransactionCanceledException` shows its `CancellationReasons` after the
//! message, as Node prints the error's properties.
//!
//! The marshalling is the DynamoDB simulator's document client
//! ([`schemaplay_dynamo::docclient`]); this module converts script values to its
//! [`Native`] values and back.

use std::any::Any;
use std::rc::Rc;

use bson::Bson;
use schemaplay_dynamo::docclient::{DocumentError, MarshallOptions, Native, UnmarshallOptions};
use schemaplay_dynamo::DynamoError;

use crate::host::{Cx, HostObject, Result, Thrown};
use crate::value::{self, Value};
use crate::Answer;

/// The operations the simulator runs: the low-level command class, the lib-dynamodb command
/// class (for the item operations) and the API name.
pub(crate) const OPERATIONS: &[(&str, Option<&str>, &str)] = &[
    ("GetItemCommand", Some("GetCommand"), "GetItem"),
    ("PutItemCommand", Some("PutCommand"), "PutItem"),
    ("UpdateItemCommand", Some("UpdateCommand"), "UpdateItem"),
    ("DeleteItemCommand", Some("DeleteCommand"), "DeleteItem"),
    ("QueryCommand", Some("QueryCommand"), "Query"),
    ("ScanCommand", Some("ScanCommand"), "Scan"),
    (
        "BatchGetItemCommand",
        Some("BatchGetCommand"),
        "BatchGetItem",
    ),
    (
        "BatchWriteItemCommand",
        Some("BatchWriteCommand"),
        "BatchWriteItem",
    ),
    (
        "TransactGetItemsCommand",
        Some("TransactGetCommand"),
        "TransactGetItems",
    ),
    (
        "TransactWriteItemsCommand",
        Some("TransactWriteCommand"),
        "TransactWriteItems",
    ),
    ("CreateTableCommand", None, "CreateTable"),
    ("DescribeTableCommand", None, "DescribeTable"),
    ("DeleteTableCommand", None, "DeleteTable"),
    ("ListTablesCommand", None, "ListTables"),
    ("UpdateTimeToLiveCommand", None, "UpdateTimeToLive"),
    ("DescribeTimeToLiveCommand", None, "DescribeTimeToLive"),
];

/// Commands the packages export that the simulator does not run: they construct, and sending
/// one is an error naming it.
const NOT_RUN: &[&str] = &[
    "UpdateTableCommand",
    "ExecuteStatementCommand",
    "BatchExecuteStatementCommand",
    "ExecuteTransactionCommand",
    "TagResourceCommand",
    "UntagResourceCommand",
    "ListTagsOfResourceCommand",
    "DescribeLimitsCommand",
    "DescribeEndpointsCommand",
    "CreateBackupCommand",
    "ListBackupsCommand",
    "CreateGlobalTableCommand",
    "DescribeContinuousBackupsCommand",
    "UpdateContinuousBackupsCommand",
    "ExportTableToPointInTimeCommand",
    "ImportTableCommand",
];

/// The enumerations `@aws-sdk/client-dynamodb` exports (TypeScript `enum`s are objects).
const ENUMS: &[(&str, &[&str])] = &[
    (
        "ReturnValue",
        &["ALL_NEW", "ALL_OLD", "NONE", "UPDATED_NEW", "UPDATED_OLD"],
    ),
    ("ReturnConsumedCapacity", &["INDEXES", "NONE", "TOTAL"]),
    ("ReturnItemCollectionMetrics", &["NONE", "SIZE"]),
    ("ReturnValuesOnConditionCheckFailure", &["ALL_OLD", "NONE"]),
    (
        "Select",
        &[
            "ALL_ATTRIBUTES",
            "ALL_PROJECTED_ATTRIBUTES",
            "COUNT",
            "SPECIFIC_ATTRIBUTES",
        ],
    ),
    ("KeyType", &["HASH", "RANGE"]),
    ("ScalarAttributeType", &["B", "N", "S"]),
    ("BillingMode", &["PAY_PER_REQUEST", "PROVISIONED"]),
    ("ProjectionType", &["ALL", "INCLUDE", "KEYS_ONLY"]),
    (
        "TableStatus",
        &["ACTIVE", "CREATING", "DELETING", "UPDATING"],
    ),
];

/// The exception classes scripts import (for `instanceof`, which is outside the subset, or to
/// read their `name`).
const EXCEPTIONS: &[&str] = &[
    "ConditionalCheckFailedException",
    "ResourceNotFoundException",
    "ResourceInUseException",
    "TransactionCanceledException",
    "ProvisionedThroughputExceededException",
    "ItemCollectionSizeLimitExceededException",
    "IdempotentParameterMismatchException",
    "DynamoDBServiceException",
];

/// `@aws-sdk/client-dynamodb`.
pub fn client_module() -> Value {
    Value::host(Module(Package::Client))
}

/// `@aws-sdk/lib-dynamodb`.
pub fn lib_module() -> Value {
    Value::host(Module(Package::Lib))
}

/// `@aws-sdk/util-dynamodb`.
pub fn util_module() -> Value {
    Value::host(Module(Package::Util))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Package {
    Client,
    Lib,
    Util,
}

#[derive(Debug)]
struct Module(Package);

impl HostObject for Module {
    fn class(&self) -> &str {
        match self.0 {
            Package::Client => "@aws-sdk/client-dynamodb",
            Package::Lib => "@aws-sdk/lib-dynamodb",
            Package::Util => "@aws-sdk/util-dynamodb",
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        let class = match (self.0, name) {
            (Package::Client, "DynamoDBClient") => Class::Client,
            (Package::Client, "DynamoDB") => Class::Aggregated,
            (Package::Lib, "DynamoDBDocumentClient") => Class::DocumentClient,
            (Package::Lib, "DynamoDBDocument") => Class::Document,
            (Package::Lib | Package::Util, "NumberValue") => Class::NumberValue,
            (Package::Client | Package::Lib, "paginateQuery" | "paginateScan")
            | (Package::Client, "paginateListTables") => Class::Paginator(static_name(name)?),
            (Package::Util, "marshall" | "unmarshall" | "convertToAttr" | "convertToNative") => {
                Class::Util(static_name(name)?)
            }
            (Package::Client, _) if EXCEPTIONS.contains(&name) => {
                Class::Exception(static_name(name)?)
            }
            (Package::Client, _) => match ENUMS.iter().find(|(n, _)| *n == name) {
                Some((_, members)) => {
                    return Some(Ok(Value::object(
                        members
                            .iter()
                            .map(|m| (m.to_string(), Value::str(*m)))
                            .collect(),
                    )))
                }
                None => command_class(name, false)?,
            },
            (Package::Lib, _) => command_class(name, true)?,
            _ => return None,
        };
        Some(Ok(Value::host(class)))
    }
}

/// The `'static` spelling of an export name the module knows.
fn static_name(name: &str) -> Option<&'static str> {
    const NAMES: &[&str] = &[
        "paginateQuery",
        "paginateScan",
        "paginateListTables",
        "marshall",
        "unmarshall",
        "convertToAttr",
        "convertToNative",
    ];
    NAMES
        .iter()
        .chain(EXCEPTIONS)
        .chain(NOT_RUN)
        .find(|n| **n == name)
        .copied()
}

/// A command class of the low-level client or of lib-dynamodb.
fn command_class(name: &str, document: bool) -> Option<Class> {
    let found = OPERATIONS.iter().find_map(|(low, doc, op)| {
        let class = if document { (*doc)? } else { *low };
        (class == name).then_some((class, Some(*op)))
    });
    let (class, operation) = match found {
        Some(f) => f,
        None => {
            let not_run = static_name(name).filter(|n| NOT_RUN.contains(n))?;
            let in_lib = matches!(
                not_run,
                "ExecuteStatementCommand"
                    | "BatchExecuteStatementCommand"
                    | "ExecuteTransactionCommand"
            );
            if document && !in_lib {
                return None;
            }
            (not_run, None)
        }
    };
    Some(Class::Command {
        class,
        operation,
        document,
    })
}

/// A class or function a package exports.
#[derive(Debug, Clone, Copy)]
enum Class {
    /// `DynamoDBClient`.
    Client,
    /// `DynamoDB`: the client with one method per operation.
    Aggregated,
    /// `DynamoDBDocumentClient`.
    DocumentClient,
    /// `DynamoDBDocument`: the document client with one method per operation.
    Document,
    Command {
        class: &'static str,
        /// `None` for a command the simulator does not run.
        operation: Option<&'static str>,
        document: bool,
    },
    NumberValue,
    Paginator(&'static str),
    Util(&'static str),
    Exception(&'static str),
}

impl Class {
    fn name(&self) -> &'static str {
        match self {
            Class::Client => "DynamoDBClient",
            Class::Aggregated => "DynamoDB",
            Class::DocumentClient => "DynamoDBDocumentClient",
            Class::Document => "DynamoDBDocument",
            Class::Command { class, .. } => class,
            Class::NumberValue => "NumberValue",
            Class::Paginator(n) | Class::Util(n) | Class::Exception(n) => n,
        }
    }
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

impl HostObject for Class {
    fn class(&self) -> &str {
        self.name()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn is_callable(&self) -> bool {
        true
    }

    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        (name == "name").then(|| Ok(Value::str(self.name())))
    }

    fn call_method(&self, name: &str, args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        match (self, name) {
            (Class::DocumentClient | Class::Document, "from") => {
                Some(document_client(*self, &args))
            }
            (Class::NumberValue, "from") => Some(number_value(&arg(&args, 0))),
            _ => None,
        }
    }

    fn construct(&self, args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(match self {
            Class::Client | Class::Aggregated => Ok(Value::host(Client {
                translate: None,
                aggregated: matches!(self, Class::Aggregated),
            })),
            Class::DocumentClient | Class::Document => document_client(*self, &args),
            Class::Command {
                class,
                operation,
                document,
            } => Ok(Value::host(Command {
                class,
                operation: *operation,
                document: *document,
                input: arg(&args, 0),
            })),
            Class::NumberValue => number_value(&arg(&args, 0)),
            Class::Exception(name) => Ok(Value::object(vec![
                ("name".into(), Value::str(*name)),
                ("message".into(), arg(&args, 0)),
            ])),
            Class::Paginator(_) | Class::Util(_) => return None,
        })
    }

    fn call(&self, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        Some(match self {
            Class::Paginator(name) => Err(Thrown::unsupported(format!(
                "{name} returns an async iterator of pages, which the console does not implement: send one {} per page instead (a `while` loop does it), with ExclusiveStartKey set to the previous page's LastEvaluatedKey",
                if *name == "paginateScan" { "ScanCommand" } else { "QueryCommand" }
            ))),
            Class::Util(name) => util(name, &args, cx),
            _ => Err(Thrown::type_error(format!(
                "Class constructor {} cannot be invoked without 'new'",
                self.name()
            ))),
        })
    }
}

/// lib-dynamodb's `translateConfig`: how the document client converts values.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Translate {
    pub marshall: MarshallOptions,
    pub unmarshall: UnmarshallOptions,
}

/// A boolean option of an options object; anything but a boolean or `undefined` is refused.
pub(crate) fn bool_option(options: &Value, key: &str) -> Result<bool> {
    match options.get_prop(key) {
        None | Some(Value::Undefined) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(Thrown::type_error(format!(
            "the option {key} must be a boolean, got {}",
            other.to_js_string()
        ))),
    }
}

/// Refuses keys of an options object that `known` does not list.
pub(crate) fn known_options(options: &Value, what: &str, known: &[&str]) -> Result<()> {
    if let Value::Object(props) = options {
        if let Some((k, _)) = props.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            return Err(Thrown::unsupported(format!(
                "the console does not implement the {what} option '{k}' (it knows {})",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

fn translate_config(config: &Value) -> Result<Translate> {
    if matches!(config, Value::Undefined | Value::Null) {
        return Ok(Translate::default());
    }
    known_options(
        config,
        "translateConfig",
        &["marshallOptions", "unmarshallOptions"],
    )?;
    let m = config
        .get_prop("marshallOptions")
        .cloned()
        .unwrap_or(Value::Undefined);
    known_options(
        &m,
        "marshallOptions",
        &[
            "convertEmptyValues",
            "removeUndefinedValues",
            "convertClassInstanceToMap",
            "allowImpreciseNumbers",
        ],
    )?;
    let u = config
        .get_prop("unmarshallOptions")
        .cloned()
        .unwrap_or(Value::Undefined);
    known_options(&u, "unmarshallOptions", &["wrapNumbers"])?;
    Ok(Translate {
        marshall: MarshallOptions {
            convert_empty_values: bool_option(&m, "convertEmptyValues")?,
            remove_undefined_values: bool_option(&m, "removeUndefinedValues")?,
            convert_class_instance_to_map: bool_option(&m, "convertClassInstanceToMap")?,
            allow_imprecise_numbers: bool_option(&m, "allowImpreciseNumbers")?,
        },
        unmarshall: UnmarshallOptions {
            wrap_numbers: bool_option(&u, "wrapNumbers")?,
        },
    })
}

/// `DynamoDBDocumentClient.from(client, translateConfig)` (and `new`, and `DynamoDBDocument`).
fn document_client(class: Class, args: &[Value]) -> Result<Value> {
    match args.first() {
        Some(Value::Host(h)) if h.as_any().downcast_ref::<Client>().is_some() => {}
        _ => {
            return Err(Thrown::type_error(format!(
            "{}.from takes a DynamoDBClient: DynamoDBDocumentClient.from(new DynamoDBClient({{}}))",
            class.name()
        )))
        }
    }
    Ok(Value::host(Client {
        translate: Some(translate_config(&arg(args, 1))?),
        aggregated: matches!(class, Class::Document),
    }))
}

/// lib-dynamodb's `NumberValue`: a number kept as its exact text.
fn number_value(v: &Value) -> Result<Value> {
    let text = match v {
        Value::Object(_) => match v.get_prop("N") {
            Some(n) => n.to_js_string(),
            None => v.to_js_string(),
        },
        other => other.to_js_string(),
    };
    Ok(Value::host(NumberValue { text, v2: false }))
}

/// A `NumberValue` instance (lib-dynamodb's, or v2's, which serializes as a number).
#[derive(Debug)]
pub(crate) struct NumberValue {
    pub text: String,
    pub v2: bool,
}

impl HostObject for NumberValue {
    fn class(&self) -> &str {
        "NumberValue"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        (name == "value").then(|| Ok(Value::str(self.text.as_str())))
    }

    fn call_method(&self, name: &str, _args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(Ok(match name {
            "toString" | "valueOf" => Value::str(self.text.as_str()),
            "toAttributeValue" => Value::object(vec![("N".into(), Value::str(self.text.as_str()))]),
            _ => return None,
        }))
    }

    fn data(&self) -> Option<Value> {
        if self.v2 {
            return Some(Value::Number(self.text.trim().parse().unwrap_or(f64::NAN)));
        }
        Some(Value::object(vec![(
            "value".into(),
            Value::str(self.text.as_str()),
        )]))
    }
}

/// A client: `DynamoDBClient` (no `translate`), `DynamoDBDocumentClient` (with it), and the
/// aggregated `DynamoDB` / `DynamoDBDocument`, which also have a method per operation.
#[derive(Debug)]
struct Client {
    translate: Option<Translate>,
    aggregated: bool,
}

/// `DynamoDBDocument`'s method names, by operation.
pub(crate) const DOCUMENT_METHODS: &[(&str, &str)] = &[
    ("get", "GetItem"),
    ("put", "PutItem"),
    ("update", "UpdateItem"),
    ("delete", "DeleteItem"),
    ("query", "Query"),
    ("scan", "Scan"),
    ("batchGet", "BatchGetItem"),
    ("batchWrite", "BatchWriteItem"),
    ("transactGet", "TransactGetItems"),
    ("transactWrite", "TransactWriteItems"),
];

/// The low-level clients' method name of an operation (`GetItem` → `getItem`).
pub(crate) fn method_operation(method: &str) -> Option<&'static str> {
    OPERATIONS.iter().map(|(_, _, op)| *op).find(|op| {
        let mut chars = op.chars();
        chars.next().is_some_and(|c| {
            method.len() == op.len()
                && method.starts_with(c.to_ascii_lowercase())
                && method.get(1..) == Some(chars.as_str())
        })
    })
}

impl HostObject for Client {
    fn class(&self) -> &str {
        match (self.translate.is_some(), self.aggregated) {
            (false, false) => "DynamoDBClient",
            (false, true) => "DynamoDB",
            (true, false) => "DynamoDBDocumentClient",
            (true, true) => "DynamoDBDocument",
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        match name {
            "send" => return Some(self.send(&arg(&args, 0), cx)),
            "destroy" => return Some(Ok(Value::Undefined)),
            _ => {}
        }
        if !self.aggregated {
            return None;
        }
        let input = arg(&args, 0);
        let document = self.translate.is_some();
        let operation = if document {
            DOCUMENT_METHODS
                .iter()
                .find(|(m, _)| *m == name)
                .map(|(_, op)| *op)?
        } else {
            method_operation(name)?
        };
        Some(self.run(operation, document, &input, cx))
    }
}

impl Client {
    /// `client.send(command)`.
    fn send(&self, command: &Value, cx: &mut Cx) -> Result<Value> {
        let command = match command {
            Value::Host(h) => h.as_any().downcast_ref::<Command>(),
            _ => None,
        };
        let Some(command) = command else {
            return Err(Thrown::type_error(
                "command.resolveMiddleware is not a function",
            ));
        };
        let Some(operation) = command.operation else {
            return Err(Thrown::unsupported(format!(
                "the playground's DynamoDB simulator does not run {}: it runs {}",
                command.class,
                OPERATIONS
                    .iter()
                    .map(|(_, _, op)| *op)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        self.run(operation, command.document, &command.input, cx)
    }

    /// Runs one operation: a lib-dynamodb command with the client's `translateConfig` (a
    /// lib-dynamodb command sent through the low-level client marshalls with the defaults, as
    /// in the SDK), a low-level one with AttributeValue JSON.
    fn run(&self, operation: &str, document: bool, input: &Value, cx: &mut Cx) -> Result<Value> {
        cx.ran_operation(Answer::Dynamo { plain: document });
        let output = if document {
            let t = self.translate.unwrap_or_default();
            let native = to_native(input, Flavor::V3)?;
            let out = cx
                .host
                .dynamo
                .execute_native(operation, &native, &t.marshall, &t.unmarshall)
                .map_err(document_error)?;
            from_native(out, Flavor::V3)
        } else {
            execute_wire(operation, input, cx)?
        };
        Ok(Value::host(SdkOutput(output)))
    }
}

/// Runs an operation on AttributeValue JSON, as the low-level clients send it.
pub(crate) fn execute_wire(operation: &str, input: &Value, cx: &mut Cx) -> Result<Value> {
    let request = match input {
        Value::Undefined | Value::Null => serde_json::Value::Object(serde_json::Map::new()),
        other => to_wire_json(other, 0)?.unwrap_or(serde_json::Value::Null),
    };
    let response = cx
        .host
        .dynamo
        .execute(operation, &request)
        .map_err(server_error)?;
    value::from_json(&response, value::FromJson::Sdk)
}

/// A lib-dynamodb error (a JavaScript `Error`) or DynamoDB's.
pub(crate) fn document_error(e: DocumentError) -> Thrown {
    match e {
        DocumentError::Client(message) => Thrown::new("Error", message),
        DocumentError::Server(e) => server_error(e),
    }
}

/// DynamoDB's error as the SDKs throw it: named by its exception, with DynamoDB's message; the
/// properties Node prints after the message (`CancellationReasons`, a failed condition's
/// `Item`) follow it.
pub(crate) fn server_error(e: DynamoError) -> Thrown {
    let mut extra = serde_json::Map::new();
    if !e.cancellation_reasons.is_empty() {
        extra.insert(
            "CancellationReasons".into(),
            serde_json::Value::Array(e.cancellation_reasons.clone()),
        );
    }
    if let Some(item) = &e.item {
        extra.insert("Item".into(), item.as_ref().clone());
    }
    let message = if extra.is_empty() {
        e.message.clone()
    } else {
        format!("{} {}", e.message, serde_json::Value::Object(extra))
    };
    Thrown::new(e.type_name(), message)
}

/// A command object: `new QueryCommand(params)` holds `params` as its `input`.
#[derive(Debug)]
struct Command {
    class: &'static str,
    operation: Option<&'static str>,
    document: bool,
    input: Value,
}

impl HostObject for Command {
    fn class(&self) -> &str {
        self.class
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        (name == "input").then(|| Ok(self.input.clone()))
    }
}

/// An SDK output: the response, and `$metadata`, which the console does not show.
#[derive(Debug)]
pub(crate) struct SdkOutput(pub Value);

impl HostObject for SdkOutput {
    fn class(&self) -> &str {
        "Object"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        (name == "$metadata").then(|| {
            Ok(Value::object(vec![
                ("httpStatusCode".into(), Value::Number(200.0)),
                ("attempts".into(), Value::Number(1.0)),
                ("totalRetryDelay".into(), Value::Number(0.0)),
            ]))
        })
    }

    fn data(&self) -> Option<Value> {
        Some(self.0.clone())
    }
}

/// `@aws-sdk/util-dynamodb`'s functions.
fn util(name: &str, args: &[Value], cx: &mut Cx) -> Result<Value> {
    let options = arg(args, 1);
    let client = |e: String| Thrown::new("Error", e);
    match name {
        "marshall" | "convertToAttr" => {
            known_options(
                &options,
                "marshall",
                &[
                    "convertEmptyValues",
                    "removeUndefinedValues",
                    "convertClassInstanceToMap",
                    "allowImpreciseNumbers",
                    "convertTopLevelContainer",
                ],
            )?;
            let m = MarshallOptions {
                convert_empty_values: bool_option(&options, "convertEmptyValues")?,
                remove_undefined_values: bool_option(&options, "removeUndefinedValues")?,
                convert_class_instance_to_map: bool_option(&options, "convertClassInstanceToMap")?,
                allow_imprecise_numbers: bool_option(&options, "allowImpreciseNumbers")?,
            };
            let native = to_native(&arg(args, 0), Flavor::V3)?;
            let wire =
                schemaplay_dynamo::docclient::convert_to_attr(&native, &m).map_err(client)?;
            let attr = value::from_json(&wire, value::FromJson::Sdk)?;
            // `marshall` of a map or list answers its members unless convertTopLevelContainer.
            let top = bool_option(&options, "convertTopLevelContainer")?;
            Ok(match (&attr, name, top) {
                (Value::Object(props), "marshall", false) => match props.first() {
                    Some((tag, inner)) if tag == "M" || tag == "L" => inner.clone(),
                    _ => attr,
                },
                _ => attr,
            })
        }
        "unmarshall" | "convertToNative" => {
            known_options(&options, name, &["wrapNumbers", "convertWithoutMapWrapper"])?;
            let u = UnmarshallOptions {
                wrap_numbers: bool_option(&options, "wrapNumbers")?,
            };
            let input = arg(args, 0);
            let wire = to_wire_json(&input, 0)?.unwrap_or(serde_json::Value::Null);
            let wire =
                if name == "unmarshall" && !bool_option(&options, "convertWithoutMapWrapper")? {
                    serde_json::json!({ "M": wire })
                } else {
                    wire
                };
            let _ = cx;
            let native =
                schemaplay_dynamo::docclient::convert_to_native(&wire, &u).map_err(client)?;
            Ok(from_native(native, Flavor::V3))
        }
        _ => Err(Thrown::type_error(format!("{name} is not a function"))),
    }
}

/// Which SDK's document client a value goes through: lib-dynamodb (v3) or aws-sdk v2's
/// `DocumentClient`, which converts some values differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    V3,
    /// v2 reads numbers as JavaScript numbers unless `wrapNumbers`.
    V2 {
        wrap_numbers: bool,
    },
}

impl Flavor {
    fn is_v2(self) -> bool {
        matches!(self, Flavor::V2 { .. })
    }
}

/// A script value as the document clients see it.
pub(crate) fn to_native(v: &Value, flavor: Flavor) -> Result<Native> {
    Ok(match v {
        Value::Undefined => Native::Undefined,
        Value::Null => Native::Null,
        Value::Bool(b) => Native::Bool(*b),
        Value::Number(n) => number_native(*n, flavor),
        Value::String(s) => Native::String(s.to_string()),
        Value::Array(items) => Native::List(
            items
                .iter()
                .map(|v| to_native(v, flavor))
                .collect::<Result<_>>()?,
        ),
        Value::Object(props) => Native::Map(
            props
                .iter()
                // aws-sdk v2 leaves out `undefined` members of maps.
                .filter(|(_, v)| !(flavor.is_v2() && matches!(v, Value::Undefined)))
                .map(|(k, v)| Ok((k.clone(), to_native(v, flavor)?)))
                .collect::<Result<_>>()?,
        ),
        Value::Set(items) => match flavor {
            Flavor::V3 => Native::Set(
                items
                    .iter()
                    .map(|v| to_native(v, flavor))
                    .collect::<Result<_>>()?,
            ),
            // v2 converts only its own sets (`createSet`); a JavaScript Set becomes an empty
            // AttributeValue, which DynamoDB refuses.
            Flavor::V2 { .. } => {
                return Err(Thrown::new(
                    "ValidationException",
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
                ))
            }
        },
        Value::Bson(b) => match b.as_ref() {
            Bson::Binary(bin) if bin.subtype == bson::spec::BinarySubtype::Generic => {
                Native::Binary(bin.bytes.clone())
            }
            Bson::Int32(i) => Native::Number(f64::from(*i)),
            Bson::Double(f) => number_native(*f, flavor),
            // A BigInt read back from DynamoDB.
            Bson::Int64(i) => Native::BigInt(i.to_string()),
            // A class instance: v2 converts its own properties (a Date has none).
            _ if flavor.is_v2() => Native::Map(Vec::new()),
            _ => Native::Instance(v.to_js_string()),
        },
        Value::Host(h) => {
            if let Some(n) = h.as_any().downcast_ref::<NumberValue>() {
                Native::NumberValue(n.text.clone())
            } else if let Some(set) = h.as_any().downcast_ref::<crate::aws_v2::DynamoDbSet>() {
                Native::Set(
                    set.members
                        .iter()
                        .map(|v| to_native(v, flavor))
                        .collect::<Result<_>>()?,
                )
            } else if h.is_callable() {
                Native::Function
            } else if let Some(d) = h.data() {
                to_native(&d, flavor)?
            } else if flavor.is_v2() {
                Native::Map(Vec::new())
            } else {
                Native::Instance(format!("[object {}]", h.class()))
            }
        }
    })
}

/// v2 writes any number as its text (DynamoDB judges `NaN`); v3 checks it first.
fn number_native(n: f64, flavor: Flavor) -> Native {
    match flavor {
        Flavor::V2 { .. } if !n.is_finite() => Native::NumberValue(value::number_to_string(n)),
        _ => Native::Number(n),
    }
}

/// A document client's value as a script value: sets are `Set`s (v2: its own `DynamoDBSet`),
/// bytes `Uint8Array`s, BigInts kept exact where a 64-bit integer holds them.
pub(crate) fn from_native(n: Native, flavor: Flavor) -> Value {
    match n {
        Native::Undefined | Native::Function => Value::Undefined,
        Native::Null => Value::Null,
        Native::Bool(b) => Value::Bool(b),
        Native::Number(n) => Value::Number(n),
        Native::BigInt(text) => match text.parse::<i64>() {
            Ok(i) => Value::bson(Bson::Int64(i)),
            Err(_) => Value::str(text),
        },
        Native::NumberValue(text) => match flavor {
            Flavor::V2 {
                wrap_numbers: false,
            } => Value::Number(text.trim().parse().unwrap_or(f64::NAN)),
            _ => Value::host(NumberValue {
                text,
                v2: flavor.is_v2(),
            }),
        },
        Native::String(s) | Native::Instance(s) => Value::str(s),
        Native::Binary(bytes) => crate::builtins::bytes_value(bytes),
        Native::List(items) => Value::Array(Rc::new(
            items.into_iter().map(|v| from_native(v, flavor)).collect(),
        )),
        Native::Map(props) => Value::object(
            props
                .into_iter()
                .map(|(k, v)| (k, from_native(v, flavor)))
                .collect(),
        ),
        Native::Set(items) => {
            let members = items.into_iter().map(|v| from_native(v, flavor)).collect();
            match flavor {
                Flavor::V3 => Value::Set(Rc::new(members)),
                Flavor::V2 { .. } => crate::aws_v2::dynamo_db_set(members),
            }
        }
    }
}

/// A script value as the JSON the low-level clients send (what `JSON.stringify` writes, with
/// bytes as base64 and a string in a `B` member as its UTF-8 bytes, as the SDKs encode
/// blobs). `None` for what JSON leaves out (`undefined`, functions).
pub(crate) fn to_wire_json(v: &Value, depth: usize) -> Result<Option<serde_json::Value>> {
    use serde_json::Value as J;
    if depth > value::MAX_VALUE_DEPTH {
        return Err(Thrown::range_error(format!(
            "the value nests more than {} levels deep",
            value::MAX_VALUE_DEPTH
        )));
    }
    let base64 = |bytes: &[u8]| J::String(schemaplay_dynamo::value::base64_encode(bytes));
    let blob = |v: &Value| -> Option<J> {
        match v {
            Value::String(s) => Some(base64(s.as_bytes())),
            _ => None,
        }
    };
    Ok(Some(match v {
        Value::Undefined => return Ok(None),
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => schemaplay_dynamo::docclient::Native::Number(*n).to_json(),
        Value::String(s) => J::String(s.to_string()),
        Value::Array(items) => J::Array(
            items
                .iter()
                .map(|v| Ok(to_wire_json(v, depth + 1)?.unwrap_or(J::Null)))
                .collect::<Result<_>>()?,
        ),
        Value::Set(_) => return Err(Thrown::type_error("input.filter is not a function")),
        Value::Object(props) => {
            let mut map = serde_json::Map::new();
            for (k, item) in props.iter() {
                let converted = match (k.as_str(), item, props.len()) {
                    ("B", Value::String(_), 1) => blob(item),
                    ("BS", Value::Array(members), 1) => Some(J::Array(
                        members
                            .iter()
                            .map(|m| match blob(m) {
                                Some(j) => Ok(j),
                                None => Ok(to_wire_json(m, depth + 2)?.unwrap_or(J::Null)),
                            })
                            .collect::<Result<_>>()?,
                    )),
                    _ => to_wire_json(item, depth + 1)?,
                };
                if let Some(j) = converted {
                    map.insert(k.clone(), j);
                }
            }
            J::Object(map)
        }
        Value::Bson(b) => match b.as_ref() {
            Bson::Binary(bin) => base64(&bin.bytes),
            Bson::DateTime(d) => J::String(crate::date::to_iso(d.timestamp_millis())),
            Bson::ObjectId(o) => J::String(o.to_hex()),
            _ => v.to_json().unwrap_or(J::Null),
        },
        Value::Host(h) => {
            if let Some(n) = h.as_any().downcast_ref::<NumberValue>() {
                J::String(n.text.clone())
            } else if h.is_callable() {
                return Ok(None);
            } else if let Some(d) = h.data() {
                return to_wire_json(&d, depth);
            } else {
                J::Object(serde_json::Map::new())
            }
        }
    }))
}
