//! The globals a pasted script expects: the mongo shell's BSON constructors (`ObjectId`,
//! `ISODate`, `NumberInt`, `NumberLong`, `NumberDecimal`, `Decimal128`, `UUID`), JavaScript's
//! `Date`, `Set`, `String`, `Number`, `Boolean`, `JSON`, `console` and `require`, the `db` of
//! the shell; plus the operators and the few methods of plain values (`'x'.toUpperCase()`,
//! `date.toISOString()`, `id.toHexString()`).

use std::any::Any;
use std::rc::Rc;
use std::str::FromStr;

use bson::oid::ObjectId;
use bson::spec::BinarySubtype;
use bson::{Binary, Bson, DateTime, Decimal128};

use crate::ast::BinaryOp;
use crate::host::{Cx, HostObject, Result, Thrown};
use crate::value::{self, number_to_string, Value};

/// A global function or constructor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    ObjectId,
    IsoDate,
    Date,
    DateNow,
    NumberInt,
    NumberLong,
    NumberDecimal,
    Uuid,
    Set,
    String,
    Number,
    Boolean,
    Object,
    Array,
    Buffer,
    Uint8Array,
    Map,
    Json,
    Console,
    Require,
}

impl Builtin {
    fn name(self) -> &'static str {
        match self {
            Builtin::ObjectId => "ObjectId",
            Builtin::IsoDate => "ISODate",
            Builtin::Date => "Date",
            Builtin::DateNow => "now",
            Builtin::NumberInt => "NumberInt",
            Builtin::NumberLong => "NumberLong",
            Builtin::NumberDecimal => "Decimal128",
            Builtin::Uuid => "UUID",
            Builtin::Set => "Set",
            Builtin::String => "String",
            Builtin::Number => "Number",
            Builtin::Boolean => "Boolean",
            Builtin::Object => "Object",
            Builtin::Array => "Array",
            Builtin::Buffer => "Buffer",
            Builtin::Uint8Array => "Uint8Array",
            Builtin::Map => "Map",
            Builtin::Json => "JSON",
            Builtin::Console => "console",
            Builtin::Require => "require",
        }
    }
}

/// A global name's value, if it is one of the globals.
pub fn global(name: &str, cx: &mut Cx) -> Option<Value> {
    let b = match name {
        "undefined" => return Some(Value::Undefined),
        "NaN" => return Some(Value::Number(f64::NAN)),
        "Infinity" => return Some(Value::Number(f64::INFINITY)),
        "db" => return Some(crate::mongosh::shell_db()),
        "Promise" => return Some(Value::host(crate::function::PromiseCtor)),
        _ if crate::function::ERROR_CLASSES.contains(&name) => {
            let class = crate::function::ERROR_CLASSES
                .iter()
                .find(|c| **c == name)
                .copied()
                .unwrap_or("Error");
            return Some(Value::host(crate::function::ErrorCtor(class)));
        }
        "ObjectId" => Builtin::ObjectId,
        "ISODate" => Builtin::IsoDate,
        "Date" => Builtin::Date,
        "NumberInt" => Builtin::NumberInt,
        "NumberLong" => Builtin::NumberLong,
        "NumberDecimal" | "Decimal128" => Builtin::NumberDecimal,
        "UUID" => Builtin::Uuid,
        "Set" => Builtin::Set,
        "String" => Builtin::String,
        "Number" => Builtin::Number,
        "Boolean" => Builtin::Boolean,
        "Object" => Builtin::Object,
        "Array" => Builtin::Array,
        "Buffer" => Builtin::Buffer,
        "Uint8Array" => Builtin::Uint8Array,
        "Map" => Builtin::Map,
        "JSON" => Builtin::Json,
        "console" => Builtin::Console,
        "require" => Builtin::Require,
        _ => return None,
    };
    let _ = cx;
    Some(Value::host(b))
}

/// The builtin a value is, if it is one (mongoose reads `String`, `Number`, ... as types).
pub fn as_builtin(v: &Value) -> Option<Builtin> {
    match v {
        Value::Host(h) => h.as_any().downcast_ref::<Builtin>().copied(),
        _ => None,
    }
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

/// A new ObjectId from the simulator's generator (the clock's seconds and a counter), so runs
/// are deterministic.
pub fn new_object_id(cx: &mut Cx) -> ObjectId {
    cx.host.mongo.new_object_id()
}

/// `ObjectId(x)`. The documentation placeholder `ObjectId("...")` (only dots, or `…`) gives a
/// new ObjectId and a warning instead of the shell's error: a learner pasting an example from
/// a tutorial sees the document, and the warning says what a real shell would do.
pub fn object_id(args: &[Value], cx: &mut Cx) -> Result<Value> {
    match arg(args, 0) {
        Value::Undefined | Value::Null => Ok(Value::bson(Bson::ObjectId(new_object_id(cx)))),
        Value::String(s) => {
            if let Ok(oid) = ObjectId::parse_str(&*s) {
                if s.len() == 24 {
                    return Ok(Value::bson(Bson::ObjectId(oid)));
                }
            }
            if !s.is_empty() && s.chars().all(|c| c == '.' || c == '…') {
                let oid = new_object_id(cx);
                cx.warn(format!(
                    "ObjectId(\"{s}\") is a documentation placeholder: the console generated ObjectId(\"{}\") in its place (mongosh would throw BSONError: input must be a 24 character hex string, 12 byte Uint8Array, or an integer)",
                    oid.to_hex()
                ));
                return Ok(Value::bson(Bson::ObjectId(oid)));
            }
            Err(Thrown::new(
                "BSONError",
                "input must be a 24 character hex string, 12 byte Uint8Array, or an integer",
            ))
        }
        Value::Bson(b) if matches!(b.as_ref(), Bson::ObjectId(_)) => Ok(Value::Bson(b)),
        v => match v.as_number() {
            Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
                let mut bytes = new_object_id(cx).bytes();
                bytes[..4].copy_from_slice(&(n as u32).to_be_bytes());
                Ok(Value::bson(Bson::ObjectId(ObjectId::from_bytes(bytes))))
            }
            _ => Err(Thrown::new(
                "BSONError",
                "input must be a 24 character hex string, 12 byte Uint8Array, or an integer",
            )),
        },
    }
}

fn date_value(millis: i64) -> Value {
    Value::bson(Bson::DateTime(DateTime::from_millis(millis)))
}

/// `new Date(...)`.
fn construct_date(args: &[Value], cx: &mut Cx) -> Result<Value> {
    let invalid = || Thrown::range_error("Invalid time value");
    match args {
        [] => Ok(date_value(cx.now_millis())),
        [one] => match one {
            Value::String(s) => crate::date::parse(s).map(date_value).ok_or_else(|| {
                Thrown::range_error(format!(
                    "Invalid time value: \"{s}\" is not a date the console reads (write ISO 8601: 2024-01-01 or 2024-01-01T10:00:00Z)"
                ))
            }),
            Value::Bson(b) if matches!(b.as_ref(), Bson::DateTime(_)) => Ok(Value::Bson(b.clone())),
            v => {
                let n = v.to_number();
                if n.is_finite() && n.abs() <= crate::date::MAX_MILLIS as f64 {
                    Ok(date_value(n.trunc() as i64))
                } else {
                    Err(invalid())
                }
            }
        },
        many => {
            let f = |i: usize, d: f64| many.get(i).map_or(d, Value::to_number);
            crate::date::from_fields(f(0, 0.0), f(1, 0.0), f(2, 1.0), f(3, 0.0), f(4, 0.0), f(5, 0.0), f(6, 0.0))
                .map(date_value)
                .ok_or_else(invalid)
        }
    }
}

fn number_long(v: &Value) -> Result<Value> {
    let n = match v {
        Value::Undefined => 0,
        Value::String(s) => s.trim().parse::<i64>().map_err(|_| {
            Thrown::new(
                "BSONError",
                format!("Input: {s} is not a valid NumberLong string"),
            )
        })?,
        v => {
            let n = v.to_number();
            if !n.is_finite() {
                return Err(Thrown::new(
                    "BSONError",
                    format!("{} is not a valid NumberLong", v.to_js_string()),
                ));
            }
            n.trunc() as i64
        }
    };
    Ok(Value::bson(Bson::Int64(n)))
}

fn decimal(v: &Value) -> Result<Value> {
    let text = match v {
        Value::Undefined => "0".to_string(),
        Value::String(s) => s.to_string(),
        v => v.to_js_string(),
    };
    Decimal128::from_str(text.trim())
        .map(|d| Value::bson(Bson::Decimal128(d)))
        .map_err(|_| Thrown::new("BSONError", format!("{text} not a valid Decimal128 string")))
}

fn uuid(v: &Value, cx: &mut Cx) -> Result<Value> {
    let bytes: Vec<u8> = match v {
        Value::Undefined => {
            // A version-4-shaped UUID from the deterministic ObjectId generator.
            let oid = new_object_id(cx).bytes();
            let mut b = [0u8; 16];
            b[..12].copy_from_slice(&oid);
            b[12..].copy_from_slice(&[0x5c, 0x68, 0x65, 0x6d]);
            b[6] = (b[6] & 0x0f) | 0x40;
            b[8] = (b[8] & 0x3f) | 0x80;
            b.to_vec()
        }
        Value::String(s) => {
            let hex: String = s.chars().filter(|c| *c != '-').collect();
            let parsed: Option<Vec<u8>> = (hex.len() == 32 && hex.is_ascii())
                .then(|| {
                    (0..16)
                        .map(|i| hex.get(i * 2..i * 2 + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
                        .collect()
                })
                .flatten();
            parsed.ok_or_else(|| {
                Thrown::new("BSONError", "UUID string representation must be 32 hex digits or canonical hyphenated representation")
            })?
        }
        _ => {
            return Err(Thrown::new(
                "BSONError",
                "UUID string representation must be 32 hex digits or canonical hyphenated representation",
            ))
        }
    };
    Ok(Value::bson(Bson::Binary(Binary {
        subtype: BinarySubtype::Uuid,
        bytes,
    })))
}

/// A regular-expression literal as the driver stores it. JavaScript-only flags (`g`, `y`, `d`)
/// do not change what a query matches and are left out; `v` has no BSON form.
pub fn regex(pattern: &str, flags: &str) -> Result<Value> {
    if flags.contains('v') {
        return Err(Thrown::syntax_error(
            "the regular-expression flag 'v' has no BSON form",
        ));
    }
    let mut options: Vec<char> = flags.chars().filter(|c| "imsu".contains(*c)).collect();
    options.sort_unstable();
    let options: String = options.into_iter().collect();
    let bad = |_| {
        Thrown::syntax_error("Invalid regular expression: a pattern cannot contain a NUL character")
    };
    Ok(Value::bson(Bson::RegularExpression(bson::Regex {
        pattern: pattern.to_string().try_into().map_err(bad)?,
        options: options.try_into().map_err(bad)?,
    })))
}

/// `new Set(iterable)`.
fn set(args: &[Value]) -> Result<Value> {
    let items = match arg(args, 0) {
        Value::Undefined | Value::Null => Vec::new(),
        v => crate::interp::iterate(&v)?,
    };
    let mut unique: Vec<Value> = Vec::with_capacity(items.len());
    for v in items {
        if !unique.iter().any(|u| value::same_value_zero(u, &v)) {
            unique.push(v);
        }
    }
    Ok(Value::Set(Rc::new(unique)))
}

fn json_stringify(args: &[Value]) -> Result<Value> {
    if !matches!(arg(args, 1), Value::Undefined | Value::Null) {
        return Err(Thrown::unsupported(
            "JSON.stringify with a replacer is outside the console's subset",
        ));
    }
    let Some(json) = arg(args, 0).to_json() else {
        return Ok(Value::Undefined);
    };
    let indent = match arg(args, 2) {
        Value::Undefined | Value::Null => None,
        Value::String(s) => Some(s.chars().take(10).collect::<String>()),
        v => Some(" ".repeat(v.to_number().clamp(0.0, 10.0) as usize)),
    };
    let text = match indent {
        None => json.to_string(),
        Some(ind) if ind.is_empty() => json.to_string(),
        Some(ind) => {
            use serde::Serialize;
            let mut out = Vec::new();
            let fmt = serde_json::ser::PrettyFormatter::with_indent(ind.as_bytes());
            let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
            json.serialize(&mut ser)
                .map_err(|e| Thrown::type_error(e.to_string()))?;
            String::from_utf8_lossy(&out).into_owned()
        }
    };
    Ok(Value::str(text))
}

fn json_parse(args: &[Value]) -> Result<Value> {
    let text = arg(args, 0).to_js_string();
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Thrown::syntax_error(format!("JSON.parse: {e}")))?;
    value::from_json(&v, value::FromJson::Plain)
}

/// Bytes as scripts hold them (`Buffer`, `Uint8Array`): a generic BSON binary.
pub fn bytes_value(bytes: Vec<u8>) -> Value {
    Value::bson(Bson::Binary(Binary {
        subtype: BinarySubtype::Generic,
        bytes,
    }))
}

/// The bytes a value holds, if it is a `Buffer` or `Uint8Array`.
pub fn as_bytes(v: &Value) -> Option<&[u8]> {
    match v {
        Value::Bson(b) => match b.as_ref() {
            Bson::Binary(bin) if bin.subtype == BinarySubtype::Generic => Some(&bin.bytes),
            _ => None,
        },
        _ => None,
    }
}

/// `Buffer.from(value, encoding)` and `Uint8Array.from(array)`: text in UTF-8, base64 or hex,
/// an array of byte values, or other bytes.
fn bytes_from(v: &Value, encoding: &Value) -> Result<Value> {
    if let Some(b) = as_bytes(v) {
        return Ok(bytes_value(b.to_vec()));
    }
    match v {
        Value::String(s) => {
            let bad = || Thrown::type_error(format!("The string is not valid {}", encoding.to_js_string()));
            let bytes = match encoding.as_str().unwrap_or("utf8") {
                "utf8" | "utf-8" => s.as_bytes().to_vec(),
                "base64" | "base64url" => {
                    schemaplay_dynamo::value::base64_decode(s).map_err(|_| bad())?
                }
                "hex" => (0..s.len() / 2)
                    .map(|i| s.get(i * 2..i * 2 + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
                    .collect::<Option<Vec<u8>>>()
                    .ok_or_else(bad)?,
                "latin1" | "binary" | "ascii" => s.chars().map(|c| c as u32 as u8).collect(),
                other => {
                    return Err(Thrown::type_error(format!("Unknown encoding: {other}")))
                }
            };
            Ok(bytes_value(bytes))
        }
        Value::Array(items) => Ok(bytes_value(
            items
                .iter()
                // As a typed array stores a number: modulo 256.
                .map(|i| {
                    let n = i.to_number();
                    if n.is_finite() {
                        n.trunc().rem_euclid(256.0) as u8
                    } else {
                        0
                    }
                })
                .collect(),
        )),
        other => Err(Thrown::type_error(format!(
            "The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received {}",
            other.to_js_string()
        ))),
    }
}

impl HostObject for Builtin {
    fn class(&self) -> &str {
        self.name()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn is_callable(&self) -> bool {
        !matches!(self, Builtin::Json | Builtin::Console)
    }

    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        match (self, name) {
            (Builtin::Date, "now") => Some(Ok(Value::host(Builtin::DateNow))),
            (_, "name") if self.is_callable() => Some(Ok(Value::str(self.name()))),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        Some(match (self, name) {
            (Builtin::Date, "now") => Ok(Value::Number(cx.now_millis() as f64)),
            (Builtin::Date, "parse") => Ok(Value::Number(
                crate::date::parse(&arg(&args, 0).to_js_string()).map_or(f64::NAN, |t| t as f64),
            )),
            (Builtin::Date, "UTC") => {
                let f = |i: usize, d: f64| args.get(i).map_or(d, Value::to_number);
                Ok(Value::Number(
                    crate::date::from_fields(
                        f(0, f64::NAN),
                        f(1, 0.0),
                        f(2, 1.0),
                        f(3, 0.0),
                        f(4, 0.0),
                        f(5, 0.0),
                        f(6, 0.0),
                    )
                    .map_or(f64::NAN, |t| t as f64),
                ))
            }
            (Builtin::ObjectId, "isValid") => Ok(Value::Bool(match arg(&args, 0) {
                Value::String(s) => s.len() == 24 && ObjectId::parse_str(&*s).is_ok(),
                Value::Bson(b) => matches!(b.as_ref(), Bson::ObjectId(_)),
                _ => false,
            })),
            (Builtin::ObjectId, "createFromHexString") => object_id(&args, cx),
            (Builtin::ObjectId, "createFromTime") => object_id(&args, cx),
            (Builtin::NumberDecimal, "fromString") => decimal(&arg(&args, 0)),
            (Builtin::Number, "isInteger") => Ok(Value::Bool(
                arg(&args, 0)
                    .as_number()
                    .is_some_and(|n| n.is_finite() && n.fract() == 0.0),
            )),
            (Builtin::Array, "isArray") => {
                Ok(Value::Bool(matches!(arg(&args, 0), Value::Array(_))))
            }
            (Builtin::Array, "from") => {
                crate::interp::iterate(&arg(&args, 0)).map(|v| Value::Array(Rc::new(v)))
            }
            (Builtin::Object, "keys") => Ok(Value::Array(Rc::new(
                crate::interp::spread_props(&arg(&args, 0))
                    .into_iter()
                    .map(|(k, _)| Value::str(k))
                    .collect(),
            ))),
            (Builtin::Object, "values") => Ok(Value::Array(Rc::new(
                crate::interp::spread_props(&arg(&args, 0))
                    .into_iter()
                    .map(|(_, v)| v)
                    .collect(),
            ))),
            (Builtin::Object, "entries") => Ok(Value::Array(Rc::new(
                crate::interp::spread_props(&arg(&args, 0))
                    .into_iter()
                    .map(|(k, v)| Value::Array(Rc::new(vec![Value::str(k), v])))
                    .collect(),
            ))),
            (Builtin::Buffer, "from") | (Builtin::Uint8Array, "from") => {
                bytes_from(&arg(&args, 0), &arg(&args, 1))
            }
            (Builtin::Buffer, "isBuffer") => Ok(Value::Bool(as_bytes(&arg(&args, 0)).is_some())),
            (Builtin::Json, "stringify") => json_stringify(&args),
            (Builtin::Json, "parse") => json_parse(&args),
            (Builtin::Console, "log" | "info" | "warn" | "error" | "debug" | "dir" | "table") => {
                cx.print(args);
                Ok(Value::Undefined)
            }
            _ => return None,
        })
    }

    fn call(&self, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        Some(match self {
            Builtin::ObjectId => object_id(&args, cx),
            Builtin::IsoDate => match arg(&args, 0) {
                Value::Undefined => Ok(date_value(cx.now_millis())),
                Value::String(s) => crate::date::parse(&s)
                    .map(date_value)
                    .ok_or_else(|| Thrown::new("Error", format!("invalid ISO date: {s}"))),
                v => construct_date(&[v], cx),
            },
            Builtin::Date => Ok(Value::str(crate::date::to_display(cx.now_millis()))),
            Builtin::DateNow => Ok(Value::Number(cx.now_millis() as f64)),
            Builtin::NumberInt => {
                let n = match arg(&args, 0) {
                    Value::String(s) => s.trim().parse::<f64>().unwrap_or(f64::NAN),
                    v => v.to_number(),
                };
                // As the shell does: truncated to 32 bits, NaN as 0.
                let n = if n.is_finite() {
                    n.trunc().rem_euclid(4_294_967_296.0)
                } else {
                    0.0
                };
                let n = if n >= 2_147_483_648.0 {
                    n - 4_294_967_296.0
                } else {
                    n
                };
                Ok(Value::bson(Bson::Int32(n as i32)))
            }
            Builtin::NumberLong => number_long(&arg(&args, 0)),
            Builtin::NumberDecimal => decimal(&arg(&args, 0)),
            Builtin::Uuid => uuid(&arg(&args, 0), cx),
            Builtin::String => Ok(Value::str(match args.first() {
                None => String::new(),
                Some(v) => v.to_js_string(),
            })),
            Builtin::Number => Ok(Value::Number(args.first().map_or(0.0, Value::to_number))),
            Builtin::Boolean => Ok(Value::Bool(arg(&args, 0).truthy())),
            Builtin::Require => crate::packages::import(&arg(&args, 0).to_js_string(), cx),
            Builtin::Set | Builtin::Map | Builtin::Uint8Array => Err(Thrown::type_error(format!(
                "Constructor {} requires 'new'",
                self.name()
            ))),
            Builtin::Object
            | Builtin::Array
            | Builtin::Buffer
            | Builtin::Json
            | Builtin::Console => return None,
        })
    }

    fn construct(&self, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        Some(match self {
            Builtin::Date => construct_date(&args, cx),
            Builtin::IsoDate | Builtin::NumberInt => return self.call(args, cx),
            Builtin::Set => set(&args),
            Builtin::ObjectId => object_id(&args, cx),
            Builtin::NumberDecimal => decimal(&arg(&args, 0)),
            Builtin::Uuid => uuid(&arg(&args, 0), cx),
            Builtin::NumberLong => number_long(&arg(&args, 0)),
            Builtin::Uint8Array => match arg(&args, 0) {
                Value::Undefined => Ok(bytes_value(Vec::new())),
                v => match v.as_number() {
                    Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 1_048_576.0 => {
                        Ok(bytes_value(vec![0; n as usize]))
                    }
                    Some(_) => Err(Thrown::range_error("Invalid typed array length")),
                    None => bytes_from(&v, &Value::Undefined),
                },
            },
            _ => Err(Thrown::unsupported(format!(
                "new {}(...) is outside the console's subset",
                self.name()
            ))),
        })
    }
}

/// The value JavaScript's `+` and comparisons see (`ToPrimitive`): dates and objects as text
/// where `+` meets a string, numbers otherwise.
fn primitive(v: &Value) -> Value {
    match v {
        Value::Array(_) | Value::Object(_) | Value::Set(_) => Value::str(v.to_js_string()),
        Value::Bson(b) => match b.as_ref() {
            Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) => Value::Number(v.to_number()),
            Bson::Decimal128(_) => Value::str(v.to_js_string()),
            _ => Value::str(v.to_js_string()),
        },
        Value::Host(h) => match h.data() {
            Some(d) => primitive(&d),
            None => Value::str(v.to_js_string()),
        },
        other => other.clone(),
    }
}

/// A binary operator other than the short-circuiting ones.
pub fn binary(op: BinaryOp, l: &Value, r: &Value) -> Value {
    let num = |f: fn(f64, f64) -> f64| Value::Number(f(l.to_number(), r.to_number()));
    match op {
        BinaryOp::Add => {
            let (pl, pr) = (primitive(l), primitive(r));
            // A date meets `+` as its text; in arithmetic (`-`, `*`) as its milliseconds.
            if matches!(pl, Value::String(_)) || matches!(pr, Value::String(_)) {
                Value::str(format!("{}{}", pl.to_js_string(), pr.to_js_string()))
            } else {
                Value::Number(pl.to_number() + pr.to_number())
            }
        }
        BinaryOp::Sub => num(|a, b| a - b),
        BinaryOp::Mul => num(|a, b| a * b),
        BinaryOp::Div => num(|a, b| a / b),
        BinaryOp::Rem => num(|a, b| a % b),
        BinaryOp::Pow => num(f64::powf),
        BinaryOp::StrictEq => Value::Bool(value::strict_equals(l, r)),
        BinaryOp::StrictNe => Value::Bool(!value::strict_equals(l, r)),
        BinaryOp::Eq => Value::Bool(value::loose_equals(l, r)),
        BinaryOp::Ne => Value::Bool(!value::loose_equals(l, r)),
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            let ord = match (primitive(l), primitive(r)) {
                (Value::String(a), Value::String(b)) => {
                    Some(a.encode_utf16().cmp(b.encode_utf16()))
                }
                (a, b) => a.to_number().partial_cmp(&b.to_number()),
            };
            Value::Bool(match (op, ord) {
                (_, None) => false,
                (BinaryOp::Lt, Some(o)) => o.is_lt(),
                (BinaryOp::Le, Some(o)) => o.is_le(),
                (BinaryOp::Gt, Some(o)) => o.is_gt(),
                (_, Some(o)) => o.is_ge(),
            })
        }
        BinaryOp::And | BinaryOp::Or | BinaryOp::Nullish => r.clone(),
    }
}

/// A property of a plain value: `length` of strings and arrays, `size` of a set, an array's
/// element, an object's property.
pub fn property(v: &Value, name: &str) -> Value {
    match v {
        Value::String(s) if name == "length" => Value::Number(s.encode_utf16().count() as f64),
        Value::Array(items) if name == "length" => Value::Number(items.len() as f64),
        Value::Array(items) => name
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get(i).cloned())
            .unwrap_or(Value::Undefined),
        Value::Set(items) if name == "size" => Value::Number(items.len() as f64),
        Value::Object(_) => v.get_prop(name).cloned().unwrap_or(Value::Undefined),
        Value::Bson(b) => match (b.as_ref(), name) {
            (Bson::RegularExpression(r), "source") => Value::str(r.pattern.as_str()),
            (Bson::RegularExpression(r), "flags") => Value::str(r.options.as_str()),
            (Bson::Binary(bin), "sub_type") => Value::Number(f64::from(u8::from(bin.subtype))),
            (Bson::Binary(bin), "length" | "byteLength") => Value::Number(bin.bytes.len() as f64),
            _ => Value::Undefined,
        },
        _ => Value::Undefined,
    }
}

/// A method of a plain value; `None` when it has no such method.
pub fn method(v: &Value, name: &str, args: &[Value], cx: &mut Cx) -> Option<Result<Value>> {
    let text = |s: String| Some(Ok(Value::str(s)));
    match (v, name) {
        (Value::Bson(_), "toString") if as_bytes(v).is_some() => {
            let bytes = as_bytes(v).unwrap_or_default();
            text(match args.first().and_then(Value::as_str) {
                Some("base64") => schemaplay_dynamo::value::base64_encode(bytes),
                Some("hex") => bytes.iter().map(|b| format!("{b:02x}")).collect(),
                _ => String::from_utf8_lossy(bytes).into_owned(),
            })
        }
        (_, "toString") if !matches!(v, Value::Number(_)) => text(v.to_js_string()),
        (Value::Number(n), "toString") => match args.first().map(Value::to_number) {
            None => text(number_to_string(*n)),
            Some(10.0) => text(number_to_string(*n)),
            Some(r) if (2.0..=36.0).contains(&r) && n.fract() == 0.0 && n.abs() < 9e15 => {
                let (mut m, radix) = (n.abs() as u64, r as u64);
                let mut digits = Vec::new();
                loop {
                    digits.push(
                        std::char::from_digit((m % radix) as u32, radix as u32).unwrap_or('0'),
                    );
                    m /= radix;
                    if m == 0 {
                        break;
                    }
                }
                let sign = if *n < 0.0 { "-" } else { "" };
                text(format!(
                    "{sign}{}",
                    digits.into_iter().rev().collect::<String>()
                ))
            }
            Some(_) => Some(Err(Thrown::unsupported(
                "toString with a radix is supported for whole numbers only",
            ))),
        },
        (Value::Number(n), "toFixed") => {
            let d = args.first().map_or(0.0, Value::to_number).clamp(0.0, 100.0) as usize;
            text(format!("{n:.d$}"))
        }
        (_, "valueOf") => Some(Ok(match v {
            Value::Bson(b) if matches!(b.as_ref(), Bson::DateTime(_)) => {
                Value::Number(v.to_number())
            }
            other => other.clone(),
        })),
        (Value::String(s), "toLowerCase" | "toLocaleLowerCase") => text(s.to_lowercase()),
        (Value::String(s), "toUpperCase" | "toLocaleUpperCase") => text(s.to_uppercase()),
        (Value::String(s), "trim") => text(s.trim().to_string()),
        (Value::String(s), "trimStart") => text(s.trim_start().to_string()),
        (Value::String(s), "trimEnd") => text(s.trim_end().to_string()),
        (Value::String(s), "includes") => {
            Some(Ok(Value::Bool(s.contains(&*arg(args, 0).to_js_string()))))
        }
        (Value::String(s), "startsWith") => Some(Ok(Value::Bool(
            s.starts_with(&*arg(args, 0).to_js_string()),
        ))),
        (Value::String(s), "endsWith") => {
            Some(Ok(Value::Bool(s.ends_with(&*arg(args, 0).to_js_string()))))
        }
        (Value::String(s), "split") => match arg(args, 0) {
            Value::String(sep) if args.len() == 1 => {
                Some(Ok(Value::Array(Rc::new(if sep.is_empty() {
                    s.chars().map(|c| Value::str(c.to_string())).collect()
                } else {
                    s.split(&*sep).map(Value::str).collect()
                }))))
            }
            _ => Some(Err(Thrown::unsupported(
                "split takes one string separator in the console's subset",
            ))),
        },
        (Value::String(s), "repeat") => {
            let n = arg(args, 0).to_number();
            if !(0.0..=10_000.0).contains(&n) || s.len().saturating_mul(n as usize) > 1 << 20 {
                return Some(Err(Thrown::range_error("Invalid count value")));
            }
            text(s.repeat(n as usize))
        }
        (Value::String(s), "padStart" | "padEnd") => {
            let width = arg(args, 0).to_number().clamp(0.0, 10_000.0) as usize;
            let fill = match arg(args, 1) {
                Value::Undefined => " ".to_string(),
                f => f.to_js_string(),
            };
            let len = s.encode_utf16().count();
            if len >= width || fill.is_empty() {
                return text(s.to_string());
            }
            let pad: String = fill.chars().cycle().take(width - len).collect();
            text(if name == "padStart" {
                format!("{pad}{s}")
            } else {
                format!("{s}{pad}")
            })
        }
        (Value::Array(items), "includes") => {
            let x = arg(args, 0);
            Some(Ok(Value::Bool(
                items.iter().any(|i| value::same_value_zero(i, &x)),
            )))
        }
        (Value::Array(items), "join") => {
            let sep = match arg(args, 0) {
                Value::Undefined => ",".to_string(),
                s => s.to_js_string(),
            };
            text(
                items
                    .iter()
                    .map(|v| match v {
                        Value::Undefined | Value::Null => String::new(),
                        v => v.to_js_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(&sep),
            )
        }
        (Value::Array(items), "slice") => {
            let len = items.len() as f64;
            let idx = |v: Value, d: f64| {
                let n = match v {
                    Value::Undefined => d,
                    v => v.to_number().trunc(),
                };
                (if n < 0.0 {
                    (len + n).max(0.0)
                } else {
                    n.min(len)
                }) as usize
            };
            let (a, b) = (idx(arg(args, 0), 0.0), idx(arg(args, 1), len));
            Some(Ok(Value::Array(Rc::new(
                items.get(a..b.max(a)).unwrap_or(&[]).to_vec(),
            ))))
        }
        (Value::Array(items), "at") => {
            let n = arg(args, 0).to_number().trunc();
            let i = if n < 0.0 { items.len() as f64 + n } else { n };
            Some(Ok(if i >= 0.0 {
                items.get(i as usize).cloned().unwrap_or(Value::Undefined)
            } else {
                Value::Undefined
            }))
        }
        (Value::Set(items), "has") => {
            let x = arg(args, 0);
            Some(Ok(Value::Bool(
                items.iter().any(|i| value::same_value_zero(i, &x)),
            )))
        }
        (Value::Bson(b), _) => bson_method(b, name, args, cx),
        _ => None,
    }
}

fn arg_ref(args: &[Value], i: usize) -> Option<&Value> {
    args.get(i)
}

fn bson_method(b: &Bson, name: &str, args: &[Value], cx: &mut Cx) -> Option<Result<Value>> {
    let _ = cx;
    match (b, name) {
        (Bson::DateTime(d), "getTime") => Some(Ok(Value::Number(d.timestamp_millis() as f64))),
        (Bson::DateTime(d), "toISOString" | "toJSON") => {
            Some(Ok(Value::str(crate::date::to_iso(d.timestamp_millis()))))
        }
        (Bson::DateTime(d), "getFullYear" | "getUTCFullYear") => {
            let (y, _, _) =
                crate::date::civil_from_days(d.timestamp_millis().div_euclid(86_400_000));
            Some(Ok(Value::Number(y as f64)))
        }
        (Bson::DateTime(d), "getMonth" | "getUTCMonth") => {
            let (_, m, _) =
                crate::date::civil_from_days(d.timestamp_millis().div_euclid(86_400_000));
            Some(Ok(Value::Number((m - 1) as f64)))
        }
        (Bson::DateTime(d), "getDate" | "getUTCDate") => {
            let (_, _, day) =
                crate::date::civil_from_days(d.timestamp_millis().div_euclid(86_400_000));
            Some(Ok(Value::Number(day as f64)))
        }
        (Bson::ObjectId(o), "toHexString" | "toJSON") => Some(Ok(Value::str(o.to_hex()))),
        (Bson::ObjectId(o), "getTimestamp") => Some(Ok(date_value(
            i64::from(u32::from_be_bytes([
                o.bytes()[0],
                o.bytes()[1],
                o.bytes()[2],
                o.bytes()[3],
            ])) * 1000,
        ))),
        (Bson::ObjectId(o), "equals") => Some(Ok(Value::Bool(match arg_ref(args, 0) {
            Some(Value::Bson(x)) => matches!(x.as_ref(), Bson::ObjectId(p) if p == o),
            Some(Value::String(s)) => s.as_ref() == o.to_hex(),
            _ => false,
        }))),
        (Bson::Decimal128(d), "toJSON") => Some(Ok(Value::object(vec![(
            "$numberDecimal".into(),
            Value::str(d.to_string()),
        )]))),
        (Bson::Int64(i), "toNumber") => Some(Ok(Value::Number(*i as f64))),
        (Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_), "toFixed") => {
            let n = Value::Number(Value::bson(b.clone()).to_number());
            method(&n, name, args, cx)
        }
        _ => None,
    }
}
