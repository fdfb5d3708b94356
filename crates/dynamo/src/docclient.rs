//! The document clients: JavaScript values in and out, converted to and from AttributeValues as
//! `@aws-sdk/lib-dynamodb` does (`marshall` / `unmarshall` with its `marshallOptions` and
//! `unmarshallOptions`, applied only to the fields each command converts).
//!
//! Two entry points share one marshaller and one walk over the request and response:
//! - [`Database::execute_native`] takes a [`Native`] value, which holds what JavaScript has
//!   and JSON lacks (`undefined`, sets, bytes, BigInts, functions, class instances), and
//!   answers with lib-dynamodb's errors (`Pass options.removeUndefinedValues=true ...`) as a
//!   [`DocumentError::Client`]. The script console runs lib-dynamodb and the SDK v2
//!   DocumentClient through it.
//! - [`Database::execute_document`] takes and returns plain JSON: numbers are exact (as
//!   lib-dynamodb's `NumberValue`), and on the way back sets become arrays and binary values
//!   base64 text.
//!
//! Strings become `S`, numbers `N` (written as JavaScript's `toString()` writes them), booleans
//! `BOOL`, `null` `NULL`, arrays `L`, objects `M`, sets `SS`/`NS`/`BS` by their first member,
//! bytes `B`.

use serde_json::{Map, Value};

use crate::error::{DynamoError, Result};
use crate::number::Number;
use crate::value::{base64_decode, base64_encode, AttributeValue, Item};
use crate::Database;

/// How deeply a [`Native`] value may nest before the marshaller refuses it (far beyond
/// DynamoDB's own 32 levels, which the server checks, but bounded so nothing recurses forever).
const MAX_NATIVE_DEPTH: usize = 256;

/// A JavaScript value as the document clients see it.
#[derive(Clone, Debug, PartialEq)]
pub enum Native {
    Undefined,
    Null,
    Bool(bool),
    /// A JavaScript number (a double).
    Number(f64),
    /// A BigInt, as its decimal digits.
    BigInt(String),
    /// lib-dynamodb's `NumberValue`: a number kept as its exact text.
    NumberValue(String),
    String(String),
    /// A `Uint8Array`, `Buffer` or other binary value.
    Binary(Vec<u8>),
    List(Vec<Native>),
    /// A plain object's properties, in order.
    Map(Vec<(String, Native)>),
    /// A `Set`'s members, in insertion order.
    Set(Vec<Native>),
    /// A function (lib-dynamodb leaves functions out of maps and lists).
    Function,
    /// An instance of some other class (a `Date`), with the text `${value}` gives.
    Instance(String),
}

/// lib-dynamodb's `marshallOptions` (every option defaults to `false`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarshallOptions {
    /// Empty strings, binary values and sets become `NULL`.
    pub convert_empty_values: bool,
    /// `undefined` members of maps, lists and sets are left out instead of refused.
    pub remove_undefined_values: bool,
    /// An instance of a class is marshalled as a map of its own properties.
    pub convert_class_instance_to_map: bool,
    /// Numbers beyond `Number.MAX_SAFE_INTEGER` are written as they are instead of refused.
    pub allow_imprecise_numbers: bool,
}

/// lib-dynamodb's `unmarshallOptions`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnmarshallOptions {
    /// Every `N` comes back as a [`Native::NumberValue`] (its exact text).
    pub wrap_numbers: bool,
}

/// Why a document-client request failed: lib-dynamodb refused a value (a JavaScript `Error`
/// thrown on the client), or DynamoDB refused the request.
#[derive(Clone, Debug, PartialEq)]
pub enum DocumentError {
    Client(String),
    Server(DynamoError),
}

/// JavaScript's `Number.prototype.toString()`: the shortest digits that read back the same
/// number (`1e+21`, `1.5e-7`, `0.000001`), which is what lib-dynamodb writes into `N`.
pub fn number_text(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    // `{:e}` gives the shortest round-trip digits as `d.ddde±x`.
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let k = digits.len() as i32;
    let point = exp + 1;
    let body = if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let e = point - 1;
        let e = if e >= 0 {
            format!("+{e}")
        } else {
            e.to_string()
        };
        match digits.split_at(1) {
            (a, "") => format!("{a}e{e}"),
            (a, b) => format!("{a}.{b}e{e}"),
        }
    };
    format!("{sign}{body}")
}

/// `2^53 - 1`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

const UNDEFINED_ERROR: &str =
    "Pass options.removeUndefinedValues=true to remove undefined values from map/array/set.";

/// Refuses a value nested deeper than [`MAX_NATIVE_DEPTH`].
fn check_depth(depth: usize) -> std::result::Result<(), String> {
    if depth > MAX_NATIVE_DEPTH {
        return Err(format!(
            "the value nests more than {MAX_NATIVE_DEPTH} levels deep"
        ));
    }
    Ok(())
}

impl Native {
    /// A plain JSON value; numbers keep their exact text (as a `NumberValue`).
    pub fn from_json(value: &Value) -> std::result::Result<Native, String> {
        from_json_at(value, true, 0)
    }

    /// The plain JSON form: sets become arrays, binary values base64 text, numbers JSON
    /// numbers (integers beyond `i64` their decimal text, as JSON cannot hold them exactly);
    /// `undefined` and functions are left out of objects (and `null` in arrays), as
    /// `JSON.stringify` does.
    pub fn to_json(&self) -> Value {
        self.to_json_at(0)
    }

    fn to_json_at(&self, depth: usize) -> Value {
        if depth > MAX_NATIVE_DEPTH {
            return Value::Null;
        }
        match self {
            Native::Undefined | Native::Null | Native::Function => Value::Null,
            Native::Bool(b) => Value::Bool(*b),
            Native::Number(n) => f64_json(*n),
            Native::BigInt(text) | Native::NumberValue(text) => exact_number_json(text),
            Native::String(s) | Native::Instance(s) => Value::String(s.clone()),
            Native::Binary(b) => Value::String(base64_encode(b)),
            Native::List(items) | Native::Set(items) => {
                Value::Array(items.iter().map(|v| v.to_json_at(depth + 1)).collect())
            }
            Native::Map(props) => Value::Object(
                props
                    .iter()
                    .filter(|(_, v)| !matches!(v, Native::Undefined | Native::Function))
                    .map(|(k, v)| (k.clone(), v.to_json_at(depth + 1)))
                    .collect(),
            ),
        }
    }

    /// The text `${value}` gives (lib-dynamodb's `toString()` of a set member).
    fn text(&self) -> String {
        match self {
            Native::Undefined => "undefined".into(),
            Native::Null => "null".into(),
            Native::Bool(b) => b.to_string(),
            Native::Number(n) => number_text(*n),
            Native::BigInt(s)
            | Native::NumberValue(s)
            | Native::String(s)
            | Native::Instance(s) => s.clone(),
            Native::Binary(b) => b.iter().map(u8::to_string).collect::<Vec<_>>().join(","),
            Native::List(items) => items.iter().map(Native::text).collect::<Vec<_>>().join(","),
            Native::Map(_) => "[object Object]".into(),
            Native::Set(_) => "[object Set]".into(),
            Native::Function => "function () { [native code] }".into(),
        }
    }
}

/// A JavaScript number as JSON: whole numbers as integers.
fn f64_json(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
        return Value::from(n as i64);
    }
    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// Exact number text as JSON: an integer when it fits `i64`, its text when it is an integer
/// beyond, a double otherwise.
fn exact_number_json(text: &str) -> Value {
    let Ok(n) = Number::parse(text) else {
        return Value::String(text.to_string());
    };
    if let Some(i) = n.to_i64() {
        return Value::from(i);
    }
    if n.is_integer() {
        return Value::String(n.to_string());
    }
    serde_json::Number::from_f64(n.to_f64())
        .map_or_else(|| Value::String(n.to_string()), Value::Number)
}

/// lib-dynamodb's `convertToAttr`: one JavaScript value as AttributeValue JSON (the wire form,
/// which DynamoDB validates).
pub fn convert_to_attr(
    value: &Native,
    options: &MarshallOptions,
) -> std::result::Result<Value, String> {
    to_attr(value, options, 0)
}

fn tagged(tag: &str, inner: Value) -> Value {
    let mut map = Map::with_capacity(1);
    map.insert(tag.to_string(), inner);
    Value::Object(map)
}

fn null_attr() -> Value {
    tagged("NULL", Value::Bool(true))
}

fn number_attr(n: f64, options: &MarshallOptions) -> std::result::Result<String, String> {
    let text = number_text(n);
    if !n.is_finite() {
        return Err(format!("Special numeric value {text} is not allowed"));
    }
    if !options.allow_imprecise_numbers {
        let use_number_value = "Use NumberValue from @aws-sdk/lib-dynamodb.";
        if n > MAX_SAFE_INTEGER {
            return Err(format!(
                "Number {text} is greater than Number.MAX_SAFE_INTEGER. {use_number_value}"
            ));
        }
        if n < -MAX_SAFE_INTEGER {
            return Err(format!(
                "Number {text} is lesser than Number.MIN_SAFE_INTEGER. {use_number_value}"
            ));
        }
    }
    Ok(text)
}

fn to_attr(
    value: &Native,
    options: &MarshallOptions,
    depth: usize,
) -> std::result::Result<Value, String> {
    check_depth(depth)?;
    Ok(match value {
        Native::Undefined => return Err(UNDEFINED_ERROR.into()),
        Native::Null => null_attr(),
        Native::List(items) => {
            let mut list = Vec::with_capacity(items.len());
            for item in items {
                if matches!(item, Native::Function)
                    || (options.remove_undefined_values && matches!(item, Native::Undefined))
                {
                    continue;
                }
                list.push(to_attr(item, options, depth + 1)?);
            }
            tagged("L", Value::Array(list))
        }
        Native::Set(members) => set_attr(members, options)?,
        Native::Map(props) => {
            let mut map = Map::with_capacity(props.len());
            for (k, v) in props {
                if matches!(v, Native::Function)
                    || (options.remove_undefined_values && matches!(v, Native::Undefined))
                {
                    continue;
                }
                map.insert(k.clone(), to_attr(v, options, depth + 1)?);
            }
            tagged("M", Value::Object(map))
        }
        Native::Binary(b) if b.is_empty() && options.convert_empty_values => null_attr(),
        Native::Binary(b) => tagged("B", Value::String(base64_encode(b))),
        Native::Bool(b) => tagged("BOOL", Value::Bool(*b)),
        Native::Number(n) => tagged("N", Value::String(number_attr(*n, options)?)),
        Native::NumberValue(text) | Native::BigInt(text) => {
            tagged("N", Value::String(text.clone()))
        }
        Native::String(s) if s.is_empty() && options.convert_empty_values => null_attr(),
        Native::String(s) => tagged("S", Value::String(s.clone())),
        Native::Instance(_) if options.convert_class_instance_to_map => {
            tagged("M", Value::Object(Map::new()))
        }
        Native::Instance(_) | Native::Function => {
            return Err(format!(
                "Unsupported type passed: {}. Pass options.convertClassInstanceToMap=true to marshall typeof object as map attribute.",
                value.text()
            ))
        }
    })
}

/// A `Set`: its type is its first member's.
fn set_attr(members: &[Native], options: &MarshallOptions) -> std::result::Result<Value, String> {
    let members: Vec<&Native> = members
        .iter()
        .filter(|m| !(options.remove_undefined_values && matches!(m, Native::Undefined)))
        .collect();
    if members.iter().any(|m| matches!(m, Native::Undefined)) {
        return Err(UNDEFINED_ERROR.into());
    }
    let Some(first) = members.first() else {
        if options.convert_empty_values {
            return Ok(null_attr());
        }
        return Err("Pass a non-empty set, or options.convertEmptyValues=true.".into());
    };
    let texts = |f: &dyn Fn(&Native) -> std::result::Result<String, String>| {
        members
            .iter()
            .map(|m| f(m).map(Value::String))
            .collect::<std::result::Result<Vec<_>, String>>()
            .map(Value::Array)
    };
    Ok(match first {
        Native::NumberValue(_) | Native::BigInt(_) => tagged("NS", texts(&|m| Ok(m.text()))?),
        Native::Number(_) => tagged(
            "NS",
            texts(&|m| match m {
                Native::Number(n) => number_attr(*n, options),
                other => Ok(other.text()),
            })?,
        ),
        Native::String(_) => tagged("SS", texts(&|m| Ok(m.text()))?),
        Native::Binary(_) => tagged(
            "BS",
            texts(&|m| match m {
                Native::Binary(b) => Ok(base64_encode(b)),
                other => Ok(other.text()),
            })?,
        ),
        _ => {
            return Err(
                "Only Number Set (NS), Binary Set (BS) or String Set (SS) are allowed.".into(),
            )
        }
    })
}

/// lib-dynamodb's `convertToNative`: AttributeValue JSON as a JavaScript value.
pub fn convert_to_native(
    value: &Value,
    options: &UnmarshallOptions,
) -> std::result::Result<Native, String> {
    to_native(value, options, 0)
}

fn to_native(
    value: &Value,
    options: &UnmarshallOptions,
    depth: usize,
) -> std::result::Result<Native, String> {
    check_depth(depth)?;
    let number = |text: &str| -> std::result::Result<Native, String> {
        if options.wrap_numbers {
            return Ok(Native::NumberValue(text.to_string()));
        }
        let n: f64 = text.trim().parse().unwrap_or(f64::NAN);
        if n.is_finite() && n.abs() > MAX_SAFE_INTEGER {
            // lib-dynamodb turns what a double cannot hold exactly into a BigInt, which only
            // whole numbers can be.
            return match Number::parse(text) {
                Ok(exact) if exact.is_integer() => Ok(Native::BigInt(exact.to_string())),
                _ => Err(format!(
                    "{text} can't be converted to BigInt. Set options.wrapNumbers to get string value."
                )),
            };
        }
        Ok(Native::Number(n))
    };
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let bytes = |text: &str| base64_decode(text).map_err(|e| e.message);
    let Some(obj) = value.as_object() else {
        return Err(format!("No value defined: {value}"));
    };
    let Some((tag, inner)) = obj.iter().find(|(_, v)| !v.is_null()) else {
        return Err(format!("No value defined: {value}"));
    };
    Ok(match tag.as_str() {
        "NULL" => Native::Null,
        "BOOL" => Native::Bool(inner.as_bool().unwrap_or(false)),
        "N" => number(inner.as_str().unwrap_or_default())?,
        "B" => Native::Binary(bytes(inner.as_str().unwrap_or_default())?),
        "S" => Native::String(inner.as_str().unwrap_or_default().to_string()),
        "L" => Native::List(
            inner
                .as_array()
                .map(|a| a.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|v| to_native(v, options, depth + 1))
                .collect::<std::result::Result<_, _>>()?,
        ),
        "M" => Native::Map(
            inner
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| Ok((k.clone(), to_native(v, options, depth + 1)?)))
                        .collect::<std::result::Result<Vec<_>, String>>()
                })
                .transpose()?
                .unwrap_or_default(),
        ),
        "NS" => Native::Set(
            strings(inner)
                .iter()
                .map(|s| number(s))
                .collect::<std::result::Result<_, _>>()?,
        ),
        "SS" => Native::Set(strings(inner).into_iter().map(Native::String).collect()),
        "BS" => Native::Set(
            strings(inner)
                .iter()
                .map(|s| bytes(s).map(Native::Binary))
                .collect::<std::result::Result<_, _>>()?,
        ),
        other => return Err(format!("Unsupported type passed: {other}")),
    })
}

/// Which fields of a request or response lib-dynamodb converts (its `inputKeyNodes` and
/// `outputKeyNodes`).
#[derive(Clone, Copy, Debug)]
enum Node {
    /// The value is one AttributeValue (`SELF`).
    Value,
    /// Every member of the map or list is one (`ALL_VALUES`, `ALL_MEMBERS`).
    Members,
    /// Every member, each converted by the inner node (`"*"`).
    Each(&'static Node),
    /// The named fields, each converted by its node.
    Fields(&'static [(&'static str, Node)]),
}

const EAV: (&str, Node) = ("ExpressionAttributeValues", Node::Members);
const EXPECTED: (&str, Node) = (
    "Expected",
    Node::Each(&Node::Fields(&[
        ("Value", Node::Value),
        ("AttributeValueList", Node::Members),
    ])),
);
const CONDITIONS: Node = Node::Each(&Node::Fields(&[("AttributeValueList", Node::Members)]));
const KEYS_AND_ATTRIBUTES: Node =
    Node::Each(&Node::Fields(&[("Keys", Node::Each(&Node::Members))]));
const WRITE_REQUESTS: Node = Node::Each(&Node::Each(&Node::Fields(&[
    ("PutRequest", Node::Fields(&[("Item", Node::Members)])),
    ("DeleteRequest", Node::Fields(&[("Key", Node::Members)])),
])));
const METRICS: Node = Node::Fields(&[("ItemCollectionKey", Node::Members)]);
const WRITE_OUTPUT: &[(&str, Node)] = &[
    ("Attributes", Node::Members),
    ("ItemCollectionMetrics", METRICS),
];
const READ_OUTPUT: &[(&str, Node)] = &[
    ("Items", Node::Each(&Node::Members)),
    ("LastEvaluatedKey", Node::Members),
];
const TABLES_METRICS: (&str, Node) = ("ItemCollectionMetrics", Node::Each(&Node::Each(&METRICS)));

/// The request fields of an operation that hold JavaScript values.
fn input_nodes(operation: &str) -> &'static [(&'static str, Node)] {
    match operation {
        "GetItem" => &[("Key", Node::Members)],
        "PutItem" => &[("Item", Node::Members), EXPECTED, EAV],
        "UpdateItem" => &[
            ("Key", Node::Members),
            (
                "AttributeUpdates",
                Node::Each(&Node::Fields(&[("Value", Node::Value)])),
            ),
            EXPECTED,
            EAV,
        ],
        "DeleteItem" => &[("Key", Node::Members), EXPECTED, EAV],
        "Query" => &[
            ("KeyConditions", CONDITIONS),
            ("QueryFilter", CONDITIONS),
            ("ExclusiveStartKey", Node::Members),
            EAV,
        ],
        "Scan" => &[
            ("ScanFilter", CONDITIONS),
            ("ExclusiveStartKey", Node::Members),
            EAV,
        ],
        "BatchGetItem" => &[("RequestItems", KEYS_AND_ATTRIBUTES)],
        "BatchWriteItem" => &[("RequestItems", WRITE_REQUESTS)],
        "TransactGetItems" => &[(
            "TransactItems",
            Node::Each(&Node::Fields(&[(
                "Get",
                Node::Fields(&[("Key", Node::Members)]),
            )])),
        )],
        "TransactWriteItems" => &[(
            "TransactItems",
            Node::Each(&Node::Fields(&[
                (
                    "ConditionCheck",
                    Node::Fields(&[("Key", Node::Members), EAV]),
                ),
                ("Put", Node::Fields(&[("Item", Node::Members), EAV])),
                ("Delete", Node::Fields(&[("Key", Node::Members), EAV])),
                ("Update", Node::Fields(&[("Key", Node::Members), EAV])),
            ])),
        )],
        _ => &[],
    }
}

/// The response fields of an operation that hold AttributeValues.
fn output_nodes(operation: &str) -> &'static [(&'static str, Node)] {
    match operation {
        "GetItem" => &[("Item", Node::Members)],
        "PutItem" | "UpdateItem" | "DeleteItem" => WRITE_OUTPUT,
        "Query" | "Scan" => READ_OUTPUT,
        "BatchGetItem" => &[
            ("Responses", Node::Each(&Node::Each(&Node::Members))),
            ("UnprocessedKeys", KEYS_AND_ATTRIBUTES),
        ],
        "BatchWriteItem" => &[("UnprocessedItems", WRITE_REQUESTS), TABLES_METRICS],
        "TransactGetItems" => &[(
            "Responses",
            Node::Each(&Node::Fields(&[("Item", Node::Members)])),
        )],
        "TransactWriteItems" => &[TABLES_METRICS],
        _ => &[],
    }
}

/// lib-dynamodb's `marshallInput`: the request with every converted field as AttributeValue
/// JSON and everything else as `JSON.stringify` writes it.
pub fn marshall_input(
    operation: &str,
    input: &Native,
    options: &MarshallOptions,
) -> std::result::Result<Value, String> {
    let marshall = |v: &Native| convert_to_attr(v, options);
    Ok(marshall_fields(input, input_nodes(operation), &marshall)?.unwrap_or(Value::Null))
}

type Marshall<'a> = &'a dyn Fn(&Native) -> std::result::Result<Value, String>;

/// `processObj`: `None` for `undefined` (the field is left out).
fn marshall_node(
    value: &Native,
    node: Node,
    f: Marshall,
) -> std::result::Result<Option<Value>, String> {
    if matches!(value, Native::Undefined) {
        return Ok(None);
    }
    Ok(match node {
        Node::Value => Some(f(value)?),
        Node::Fields(fields) => marshall_fields(value, fields, f)?,
        Node::Members => Some(marshall_members(value, &|v| {
            marshall_node(v, Node::Value, f)
        })?),
        Node::Each(inner) => Some(marshall_members(value, &|v| marshall_node(v, *inner, f))?),
    })
}

/// Every member of a map or list through `g`; functions are left out, and so are members `g`
/// leaves out (a list keeps their place as `null`, as `JSON.stringify` writes a hole).
fn marshall_members(
    value: &Native,
    g: &dyn Fn(&Native) -> std::result::Result<Option<Value>, String>,
) -> std::result::Result<Value, String> {
    Ok(match value {
        Native::List(items) => Value::Array(
            items
                .iter()
                .filter(|v| !matches!(v, Native::Function))
                .map(|v| Ok(g(v)?.unwrap_or(Value::Null)))
                .collect::<std::result::Result<_, String>>()?,
        ),
        Native::Map(props) => {
            let mut map = Map::with_capacity(props.len());
            for (k, v) in props {
                if matches!(v, Native::Function) {
                    continue;
                }
                if let Some(x) = g(v)? {
                    map.insert(k.clone(), x);
                }
            }
            Value::Object(map)
        }
        other => other.to_json(),
    })
}

fn marshall_fields(
    value: &Native,
    fields: &[(&str, Node)],
    f: Marshall,
) -> std::result::Result<Option<Value>, String> {
    let Native::Map(props) = value else {
        return Ok(Some(value.to_json()));
    };
    let mut map = Map::with_capacity(props.len());
    for (k, v) in props {
        if matches!(v, Native::Undefined | Native::Function) {
            continue;
        }
        let converted = match fields.iter().find(|(name, _)| name == k) {
            Some((_, node)) => marshall_node(v, *node, f)?,
            None => Some(v.to_json()),
        };
        if let Some(x) = converted {
            map.insert(k.clone(), x);
        }
    }
    Ok(Some(Value::Object(map)))
}

/// lib-dynamodb's `unmarshallOutput`: the response with every converted field as JavaScript
/// values and everything else as plain values.
pub fn unmarshall_output(
    operation: &str,
    output: &Value,
    options: &UnmarshallOptions,
) -> std::result::Result<Native, String> {
    unmarshall_node(output, Node::Fields(output_nodes(operation)), options, 0)
}

fn unmarshall_node(
    value: &Value,
    node: Node,
    options: &UnmarshallOptions,
    depth: usize,
) -> std::result::Result<Native, String> {
    check_depth(depth)?;
    let each = |inner: Node| -> std::result::Result<Native, String> {
        Ok(match value {
            Value::Array(items) => Native::List(
                items
                    .iter()
                    .map(|v| unmarshall_node(v, inner, options, depth + 1))
                    .collect::<std::result::Result<_, _>>()?,
            ),
            Value::Object(map) => Native::Map(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), unmarshall_node(v, inner, options, depth + 1)?)))
                    .collect::<std::result::Result<_, String>>()?,
            ),
            other => plain(other, depth)?,
        })
    };
    match node {
        Node::Value => to_native(value, options, depth),
        Node::Members => each(Node::Value),
        Node::Each(inner) => each(*inner),
        Node::Fields(fields) => match value {
            Value::Object(map) => Ok(Native::Map(
                map.iter()
                    .map(|(k, v)| {
                        let converted = match fields.iter().find(|(name, _)| name == k) {
                            Some((_, node)) => unmarshall_node(v, *node, options, depth + 1)?,
                            None => plain(v, depth + 1)?,
                        };
                        Ok((k.clone(), converted))
                    })
                    .collect::<std::result::Result<_, String>>()?,
            )),
            other => plain(other, depth),
        },
    }
}

/// A plain JSON value: numbers exact (a request's), or as JavaScript reads them (a response's
/// `Count`, `ConsumedCapacity`).
fn from_json_at(
    value: &Value,
    exact_numbers: bool,
    depth: usize,
) -> std::result::Result<Native, String> {
    check_depth(depth)?;
    Ok(match value {
        Value::Null => Native::Null,
        Value::Bool(b) => Native::Bool(*b),
        Value::Number(n) if exact_numbers => Native::NumberValue(n.to_string()),
        Value::Number(n) => Native::Number(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => Native::String(s.clone()),
        Value::Array(a) => Native::List(
            a.iter()
                .map(|v| from_json_at(v, exact_numbers, depth + 1))
                .collect::<std::result::Result<_, _>>()?,
        ),
        Value::Object(m) => Native::Map(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), from_json_at(v, exact_numbers, depth + 1)?)))
                .collect::<std::result::Result<_, String>>()?,
        ),
    })
}

fn plain(value: &Value, depth: usize) -> std::result::Result<Native, String> {
    from_json_at(value, false, depth)
}

/// Converts a plain JSON value to an AttributeValue, as lib-dynamodb's `marshall` does (numbers
/// exactly as written).
pub fn marshall(value: &Value) -> Result<AttributeValue> {
    let native = Native::from_json(value).map_err(DynamoError::validation)?;
    let wire =
        convert_to_attr(&native, &MarshallOptions::default()).map_err(DynamoError::validation)?;
    AttributeValue::from_json(&wire)
}

/// Converts an AttributeValue back to plain JSON, as lib-dynamodb's `unmarshall` does (with
/// numbers exact; see [`Native::to_json`]).
pub fn unmarshall(value: &AttributeValue) -> Value {
    let wrap = UnmarshallOptions { wrap_numbers: true };
    // An AttributeValue that parsed always converts.
    convert_to_native(&value.to_json(), &wrap).map_or(Value::Null, |n| n.to_json())
}

/// Marshalls every value of a plain object (an item, a key, `ExpressionAttributeValues`).
pub fn marshall_item(value: &Value) -> Result<Item> {
    let obj = value.as_object().ok_or_else(|| {
        DynamoError::validation(format!(
            "Expected an object of attribute values, got {value}"
        ))
    })?;
    obj.iter()
        .map(|(k, v)| Ok((k.clone(), marshall(v)?)))
        .collect()
}

/// Unmarshalls an item in AttributeValue JSON into a plain object.
pub fn unmarshall_item(value: &Value) -> Result<Value> {
    let item = crate::value::item_from_json(value)?;
    Ok(item_to_plain(&item))
}

/// A plain object from an item, for callers that hold items already.
pub fn item_to_plain(item: &Item) -> Value {
    Value::Object(
        item.iter()
            .map(|(k, v)| (k.clone(), unmarshall(v)))
            .collect::<Map<_, _>>(),
    )
}

impl Database {
    /// Runs an operation as lib-dynamodb's document client does: converts the fields of
    /// `input` the command converts with `marshall`, runs the request, and converts the fields
    /// of the response the command converts with `unmarshall`.
    pub fn execute_native(
        &mut self,
        operation: &str,
        input: &Native,
        marshall: &MarshallOptions,
        unmarshall: &UnmarshallOptions,
    ) -> std::result::Result<Native, DocumentError> {
        let request = marshall_input(operation, input, marshall).map_err(DocumentError::Client)?;
        let response = self
            .execute(operation, &request)
            .map_err(DocumentError::Server)?;
        unmarshall_output(operation, &response, unmarshall).map_err(DocumentError::Client)
    }

    /// Runs an operation with lib-dynamodb-shaped input (plain values in `Item`, `Key`,
    /// `ExpressionAttributeValues`, ...) and returns plain values in the response.
    pub fn execute_document(&mut self, operation: &str, input: &Value) -> Result<Value> {
        let native = Native::from_json(input).map_err(DynamoError::validation)?;
        let wrap = UnmarshallOptions { wrap_numbers: true };
        match self.execute_native(operation, &native, &MarshallOptions::default(), &wrap) {
            Ok(out) => Ok(out.to_json()),
            Err(DocumentError::Server(e)) => Err(e),
            Err(DocumentError::Client(message)) => Err(DynamoError::validation(message)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(plain: &str, expect: Expect) {
        let actual = match serde_json::from_str::<Value>(plain) {
            Ok(v) => match marshall(&v) {
                Ok(av) => format!("{} -> {}", av.to_json(), unmarshall(&av)),
                Err(e) => e.to_string(),
            },
            Err(e) => e.to_string(),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn marshall_and_unmarshall() {
        check(
            r#""USER#123""#,
            expect![[r#"{"S":"USER#123"} -> "USER#123""#]],
        );
        check("100", expect![[r#"{"N":"100"} -> 100"#]]);
        check("-1.25", expect![[r#"{"N":"-1.25"} -> -1.25"#]]);
        check("1e300", expect!["ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range"]);
        check("null", expect![[r#"{"NULL":true} -> null"#]]);
        check(
            "[true, {}]",
            expect![[r#"{"L":[{"BOOL":true},{"M":{}}]} -> [true,{}]"#]],
        );
        check(
            r#"{"profile": {"age": 30, "city": "NYC"}}"#,
            expect![[
                r#"{"M":{"profile":{"M":{"age":{"N":"30"},"city":{"S":"NYC"}}}}} -> {"profile":{"age":30,"city":"NYC"}}"#
            ]],
        );
    }

    #[test]
    fn numbers_beyond_i64_stay_exact() {
        let big = AttributeValue::N(
            Number::parse("123456789012345678901234567890").unwrap_or_else(|_| Number::zero()),
        );
        expect![[r#""123456789012345678901234567890""#]].assert_eq(&unmarshall(&big).to_string());
    }

    fn s(text: &str) -> Native {
        Native::String(text.into())
    }

    fn map(props: Vec<(&str, Native)>) -> Native {
        Native::Map(props.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// One JavaScript value through `convertToAttr` with the given options.
    fn attr(value: Native, options: MarshallOptions) -> String {
        match convert_to_attr(&value, &options) {
            Ok(v) => v.to_string(),
            Err(e) => format!("Error: {e}"),
        }
    }

    #[test]
    fn what_json_cannot_say_marshalls_as_lib_dynamodb_does() {
        let none = MarshallOptions::default();
        let all = MarshallOptions {
            convert_empty_values: true,
            remove_undefined_values: true,
            convert_class_instance_to_map: true,
            allow_imprecise_numbers: true,
        };
        let cases = [
            attr(Native::Set(vec![s("a"), s("b")]), none),
            attr(
                Native::Set(vec![Native::Number(1.5), Native::Number(2.0)]),
                none,
            ),
            attr(Native::Set(vec![Native::Binary(vec![1, 2])]), none),
            attr(Native::Set(vec![]), none),
            attr(Native::Set(vec![]), all),
            attr(Native::Set(vec![Native::Bool(true)]), none),
            attr(Native::Set(vec![s("a"), Native::Undefined]), none),
            attr(Native::Set(vec![s("a"), Native::Undefined]), all),
            attr(map(vec![("a", Native::Undefined)]), none),
            attr(map(vec![("a", Native::Undefined), ("b", s(""))]), all),
            attr(
                Native::List(vec![Native::Function, Native::Number(1e21)]),
                none,
            ),
            attr(Native::Number(f64::NAN), all),
            attr(Native::Number(1e21), all),
            attr(Native::Number(-1e16), none),
            attr(Native::BigInt("123456789012345678901".into()), none),
            attr(
                Native::Instance(
                    "Mon Jan 01 2024 00:00:00 GMT+0000 (Coordinated Universal Time)".into(),
                ),
                none,
            ),
            attr(Native::Instance("x".into()), all),
            attr(Native::Binary(vec![]), all),
        ];
        expect![[r#"
            {"SS":["a","b"]}
            {"NS":["1.5","2"]}
            {"BS":["AQI="]}
            Error: Pass a non-empty set, or options.convertEmptyValues=true.
            {"NULL":true}
            Error: Only Number Set (NS), Binary Set (BS) or String Set (SS) are allowed.
            Error: Pass options.removeUndefinedValues=true to remove undefined values from map/array/set.
            {"SS":["a"]}
            Error: Pass options.removeUndefinedValues=true to remove undefined values from map/array/set.
            {"M":{"b":{"NULL":true}}}
            Error: Number 1e+21 is greater than Number.MAX_SAFE_INTEGER. Use NumberValue from @aws-sdk/lib-dynamodb.
            Error: Special numeric value NaN is not allowed
            {"N":"1e+21"}
            Error: Number -10000000000000000 is lesser than Number.MIN_SAFE_INTEGER. Use NumberValue from @aws-sdk/lib-dynamodb.
            {"N":"123456789012345678901"}
            Error: Unsupported type passed: Mon Jan 01 2024 00:00:00 GMT+0000 (Coordinated Universal Time). Pass options.convertClassInstanceToMap=true to marshall typeof object as map attribute.
            {"M":{}}
            {"NULL":true}
        "#]]
        .assert_eq(&(cases.join("\n") + "\n"));
    }

    #[test]
    fn numbers_come_back_as_javascript_reads_them() {
        let native = |json: &str, wrap_numbers: bool| {
            let v: Value = serde_json::from_str(json).unwrap_or_default();
            format!(
                "{:?}",
                convert_to_native(&v, &UnmarshallOptions { wrap_numbers })
            )
        };
        expect![[r#"Ok(Number(42.5))"#]].assert_eq(&native(r#"{"N":"42.5"}"#, false));
        expect![[r#"Ok(BigInt("12345678901234567890"))"#]]
            .assert_eq(&native(r#"{"N":"12345678901234567890"}"#, false));
        expect![[r#"Err("12345678901234567.5 can't be converted to BigInt. Set options.wrapNumbers to get string value.")"#]]
            .assert_eq(&native(r#"{"N":"12345678901234567.5"}"#, false));
        expect![[r#"Ok(Set([NumberValue("1"), NumberValue("2.5")]))"#]]
            .assert_eq(&native(r#"{"NS":["1","2.5"]}"#, true));
        expect![[r#"Err("No value defined: {}")"#]].assert_eq(&native("{}", false));
    }

    #[test]
    fn only_the_fields_a_command_converts_are_marshalled() {
        let input = map(vec![
            ("TableName", s("t")),
            (
                "Key",
                map(vec![("PK", s("a")), ("skip", Native::Undefined)]),
            ),
            (
                "AttributeUpdates",
                map(vec![(
                    "n",
                    map(vec![("Action", s("ADD")), ("Value", Native::Number(1.0))]),
                )]),
            ),
            (
                "Expected",
                map(vec![(
                    "n",
                    map(vec![
                        ("ComparisonOperator", s("BETWEEN")),
                        (
                            "AttributeValueList",
                            Native::List(vec![Native::Number(1.0), Native::Number(9.0)]),
                        ),
                    ]),
                )]),
            ),
            ("ReturnValues", s("ALL_NEW")),
            ("ConditionExpression", Native::Undefined),
        ]);
        let out = marshall_input("UpdateItem", &input, &MarshallOptions::default());
        expect![[r#"Ok(Object {"TableName": String("t"), "Key": Object {"PK": Object {"S": String("a")}}, "AttributeUpdates": Object {"n": Object {"Action": String("ADD"), "Value": Object {"N": String("1")}}}, "Expected": Object {"n": Object {"ComparisonOperator": String("BETWEEN"), "AttributeValueList": Array [Object {"N": String("1")}, Object {"N": String("9")}]}}, "ReturnValues": String("ALL_NEW")})"#]]
            .assert_eq(&format!("{out:?}"));
    }
}
