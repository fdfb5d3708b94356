//! The AWS SDK for JavaScript v2 (`aws-sdk`) over the DynamoDB simulator: `AWS.DynamoDB` (the
//! low-level client), `AWS.DynamoDB.DocumentClient`, `AWS.DynamoDB.Converter` and
//! `AWS.config`.
//!
//! A v2 method returns an `AWS.Request`, which is not a promise: `.promise()` sends it and is
//! its result. In Node, `await docClient.get(params)` without `.promise()` gives the
//! `AWS.Request` object and sends nothing; the console does the same, and says so with a
//! warning, so a pasted `await` without `.promise()` never runs silently and never runs
//! twice. `.promise()` called again on the same request answers the first response without
//! sending the request again.
//!
//! The DocumentClient converts values as v2 does, which differs from lib-dynamodb: `undefined`
//! members are left out, numbers are written as they are (DynamoDB judges `NaN`), class
//! instances become maps of their own properties, and only its own sets
//! (`docClient.createSet([...])`) become `SS`/`NS`/`BS`: a JavaScript `Set` reaches DynamoDB as
//! an empty AttributeValue. On the way back, numbers are JavaScript numbers (`NumberValue`s
//! with `wrapNumbers`) and sets `DynamoDBSet`s.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use bson::Bson;
use schemaplay_dynamo::docclient::{MarshallOptions, UnmarshallOptions};

use crate::dynamo_sdk::{self, Flavor};
use crate::host::{Cx, HostObject, Result, Thrown};
use crate::value::{self, Value};
use crate::Answer;

/// `require('aws-sdk')`.
pub fn module() -> Value {
    Value::host(Aws::Module)
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

/// The objects reachable from `AWS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aws {
    Module,
    /// `AWS.config`.
    Config,
    /// `AWS.DynamoDB` (a constructor with `DocumentClient` and `Converter` on it).
    DynamoDb,
    /// `AWS.DynamoDB.DocumentClient`.
    DocumentClient,
    /// `AWS.DynamoDB.Converter`.
    Converter,
}

impl HostObject for Aws {
    fn class(&self) -> &str {
        match self {
            Aws::Module => "AWS",
            Aws::Config => "Config",
            Aws::DynamoDb => "DynamoDB",
            Aws::DocumentClient => "DocumentClient",
            Aws::Converter => "Converter",
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn is_callable(&self) -> bool {
        matches!(self, Aws::DynamoDb | Aws::DocumentClient)
    }

    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        let v = match (self, name) {
            (Aws::Module, "DynamoDB") => Aws::DynamoDb,
            (Aws::Module, "config") => Aws::Config,
            (Aws::DynamoDb, "DocumentClient") => Aws::DocumentClient,
            (Aws::DynamoDb, "Converter") => Aws::Converter,
            _ => return None,
        };
        Some(Ok(Value::host(v)))
    }

    fn call_method(&self, name: &str, args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        match (self, name) {
            // The region and credentials say where requests go; the playground has one place.
            (Aws::Config, "update") => Some(Ok(Value::Undefined)),
            (Aws::Converter, _) => Some(converter(name, &args)),
            _ => None,
        }
    }

    fn construct(&self, args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        let options = arg(&args, 0);
        let params = options.get_prop("params").cloned();
        Some(match self {
            Aws::DynamoDb => Ok(Value::host(V2Client {
                document: None,
                params,
            })),
            Aws::DocumentClient => (|| {
                Ok(Value::host(V2Client {
                    document: Some(Options {
                        convert_empty_values: dynamo_sdk::bool_option(
                            &options,
                            "convertEmptyValues",
                        )?,
                        wrap_numbers: dynamo_sdk::bool_option(&options, "wrapNumbers")?,
                    }),
                    params,
                }))
            })(),
            _ => return None,
        })
    }
}

/// The DocumentClient's conversion options.
#[derive(Debug, Clone, Copy, Default)]
struct Options {
    convert_empty_values: bool,
    wrap_numbers: bool,
}

impl Options {
    /// v2's conversion in lib-dynamodb's terms: `undefined` and class instances were dealt
    /// with when the values were read ([`Flavor::V2`]); numbers are never refused.
    fn marshall(self) -> MarshallOptions {
        MarshallOptions {
            convert_empty_values: self.convert_empty_values,
            remove_undefined_values: true,
            convert_class_instance_to_map: true,
            allow_imprecise_numbers: true,
        }
    }

    fn flavor(self) -> Flavor {
        Flavor::V2 {
            wrap_numbers: self.wrap_numbers,
        }
    }
}

/// `AWS.DynamoDB.Converter.marshall` / `unmarshall` / `input` / `output`.
fn converter(name: &str, args: &[Value]) -> Result<Value> {
    let options = arg(args, 1);
    let o = Options {
        convert_empty_values: dynamo_sdk::bool_option(&options, "convertEmptyValues")?,
        wrap_numbers: dynamo_sdk::bool_option(&options, "wrapNumbers")?,
    };
    let client = |e: String| Thrown::new("Error", e);
    match name {
        "marshall" | "input" => {
            let native = dynamo_sdk::to_native(&arg(args, 0), o.flavor())?;
            let wire = schemaplay_dynamo::docclient::convert_to_attr(&native, &o.marshall())
                .map_err(client)?;
            let attr = value::from_json(&wire, value::FromJson::Sdk)?;
            Ok(match (name, attr.get_prop("M")) {
                ("marshall", Some(m)) => m.clone(),
                _ => attr,
            })
        }
        "unmarshall" | "output" => {
            let wire = dynamo_sdk::to_wire_json(&arg(args, 0), 0)?.unwrap_or_default();
            let wire = if name == "unmarshall" {
                serde_json::json!({ "M": wire })
            } else {
                wire
            };
            let wrap = UnmarshallOptions { wrap_numbers: true };
            let native =
                schemaplay_dynamo::docclient::convert_to_native(&wire, &wrap).map_err(client)?;
            Ok(dynamo_sdk::from_native(native, o.flavor()))
        }
        _ => Err(Thrown::type_error(format!(
            "AWS.DynamoDB.Converter.{name} is not a function"
        ))),
    }
}

/// `new AWS.DynamoDB(options)` (no `document`) or `new AWS.DynamoDB.DocumentClient(options)`.
#[derive(Debug)]
struct V2Client {
    document: Option<Options>,
    /// `options.params`: parameters bound to every request.
    params: Option<Value>,
}

impl HostObject for V2Client {
    fn class(&self) -> &str {
        if self.document.is_some() {
            "DocumentClient"
        } else {
            "DynamoDB"
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn call_method(&self, name: &str, args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        if self.document.is_some() && name == "createSet" {
            return Some(create_set(&arg(&args, 0), &arg(&args, 1)));
        }
        let operation = match self.document {
            Some(_) => dynamo_sdk::DOCUMENT_METHODS
                .iter()
                .find(|(m, _)| *m == name)
                .map(|(_, op)| *op)?,
            None => dynamo_sdk::method_operation(name)?,
        };
        let params = match (&self.params, arg(&args, 0)) {
            (Some(Value::Object(bound)), Value::Object(given)) => Value::object(
                bound
                    .iter()
                    .chain(given.iter())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            (Some(bound), Value::Undefined) => bound.clone(),
            (_, given) => given,
        };
        Some(Ok(Value::host(Request(Rc::new(RequestState {
            method: format!("{}.{name}", self.class_name()),
            operation,
            document: self.document,
            params,
            response: RefCell::new(None),
            warned: Cell::new(false),
        })))))
    }
}

impl V2Client {
    fn class_name(&self) -> &'static str {
        if self.document.is_some() {
            "docClient"
        } else {
            "dynamodb"
        }
    }
}

/// `docClient.createSet(list, { validate })`: v2's `DynamoDBSet`, typed by its first member.
fn create_set(list: &Value, options: &Value) -> Result<Value> {
    let members = match list {
        Value::Array(items) => items.as_ref().clone(),
        other => vec![other.clone()],
    };
    let kind = |v: &Value| match v {
        Value::String(_) => Some("String"),
        Value::Number(_) => Some("Number"),
        Value::Bson(b) if matches!(b.as_ref(), Bson::Binary(_)) => Some("Binary"),
        Value::Bson(b) if v.as_number().is_some() && !matches!(b.as_ref(), Bson::Binary(_)) => {
            Some("Number")
        }
        Value::Host(h) if h.as_any().is::<dynamo_sdk::NumberValue>() => Some("Number"),
        _ => None,
    };
    let Some(set_type) = members.first().and_then(kind) else {
        return Err(Thrown::new(
            "InvalidSetType",
            "Sets can contain string, number, or binary values",
        ));
    };
    if dynamo_sdk::bool_option(options, "validate")? {
        if let Some(odd) = members.iter().find(|m| kind(m) != Some(set_type)) {
            return Err(Thrown::new(
                "InvalidType",
                format!("{set_type} Set contains {} value", type_name(odd)),
            ));
        }
    }
    Ok(Value::host(DynamoDbSet { members, set_type }))
}

/// v2's `typeOf`: the constructor name.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Undefined => "undefined",
        Value::Null => "null",
        Value::Bool(_) => "Boolean",
        Value::Number(_) => "Number",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Set(_) => "Set",
        _ => "Object",
    }
}

/// A v2 set made from a response.
pub(crate) fn dynamo_db_set(members: Vec<Value>) -> Value {
    let set_type = match members.first() {
        Some(Value::String(_)) => "String",
        Some(Value::Bson(b)) if matches!(b.as_ref(), Bson::Binary(_)) => "Binary",
        _ => "Number",
    };
    Value::host(DynamoDbSet { members, set_type })
}

/// v2's `DynamoDBSet`: `values` and a `type`; it prints (and serializes) as its values.
#[derive(Debug)]
pub(crate) struct DynamoDbSet {
    pub members: Vec<Value>,
    set_type: &'static str,
}

impl HostObject for DynamoDbSet {
    fn class(&self) -> &str {
        "Set"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(Ok(match name {
            "values" => Value::Array(Rc::new(self.members.clone())),
            "type" => Value::str(self.set_type),
            "wrapperName" => Value::str("Set"),
            _ => return None,
        }))
    }

    fn data(&self) -> Option<Value> {
        Some(Value::Array(Rc::new(self.members.clone())))
    }
}

/// An `AWS.Request`: not sent until `.promise()`.
#[derive(Debug)]
struct Request(Rc<RequestState>);

#[derive(Debug)]
struct RequestState {
    /// `docClient.get`, for messages.
    method: String,
    operation: &'static str,
    document: Option<Options>,
    params: Value,
    /// The response, once sent.
    response: RefCell<Option<Result<Value>>>,
    warned: Cell<bool>,
}

impl HostObject for Request {
    fn class(&self) -> &str {
        "Request"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn call_method(&self, name: &str, _args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        match name {
            "promise" => Some(self.send(cx)),
            "send" => {
                let sent = self.send(cx).map(|_| Value::Undefined);
                cx.warn(format!(
                    "{}(...).send() without a callback discards the response; .promise() answers it",
                    self.0.method
                ));
                Some(sent)
            }
            "abort" => Some(Ok(Value::host(Request(self.0.clone())))),
            _ => None,
        }
    }

    fn settle(&self, cx: &mut Cx) -> Option<Result<Value>> {
        if self.0.response.borrow().is_none() && !self.0.warned.replace(true) {
            cx.warn(format!(
                "{}(...) returns an AWS.Request, which is not a promise: awaited without .promise() it is the request object, and the request is not sent (the console did not run it; write {}(params).promise())",
                self.0.method, self.0.method
            ));
        }
        Some(Ok(Value::host(Request(self.0.clone()))))
    }
}

impl Request {
    /// Sends the request once; later calls answer the same response.
    fn send(&self, cx: &mut Cx) -> Result<Value> {
        if let Some(done) = self.0.response.borrow().as_ref() {
            return done.clone();
        }
        let s = &self.0;
        cx.ran_operation(Answer::Dynamo {
            plain: s.document.is_some(),
        });
        let result = match s.document {
            Some(o) => (|| {
                let native = dynamo_sdk::to_native(&s.params, o.flavor())?;
                let wrap = UnmarshallOptions { wrap_numbers: true };
                let out = cx
                    .host
                    .dynamo
                    .execute_native(s.operation, &native, &o.marshall(), &wrap)
                    .map_err(dynamo_sdk::document_error)?;
                Ok(dynamo_sdk::from_native(out, o.flavor()))
            })(),
            None => dynamo_sdk::execute_wire(s.operation, &s.params, cx),
        };
        *s.response.borrow_mut() = Some(result.clone());
        result
    }
}
