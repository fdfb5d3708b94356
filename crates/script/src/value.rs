//! Script values and JavaScript's rules for them: conversions (`ToString`, `ToNumber`,
//! truthiness), equality and comparison, and the mapping to and from BSON that the drivers use.

use std::fmt;
use std::rc::Rc;

use bson::{Bson, Document};

use crate::host::{HostObject, Thrown};

/// How deeply a value may nest (the MongoDB document limit); deeper values are refused when
/// they are built, so nothing that walks a value can exhaust the stack.
pub const MAX_VALUE_DEPTH: usize = 100;

#[derive(Clone)]
pub enum Value {
    Undefined,
    Null,
    Bool(bool),
    /// A JavaScript number.
    Number(f64),
    String(Rc<str>),
    Array(Rc<Vec<Value>>),
    /// An object literal's properties in JavaScript's order: integer keys ascending, then the
    /// others as inserted.
    Object(Rc<Vec<(String, Value)>>),
    Set(Rc<Vec<Value>>),
    /// A BSON value with no JavaScript literal of its own (ObjectId, Date, RegExp, NumberInt,
    /// NumberLong, Decimal128, UUID, ...), and numbers read from the database, which keep their
    /// BSON type so that a document read and written back is unchanged. Never a document or
    /// an array (those are [`Value::Object`] and [`Value::Array`]).
    Bson(Rc<Bson>),
    /// An object implemented by the host: `db`, a collection, a cursor, a mongoose model.
    Host(Rc<dyn HostObject>),
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Host(h) => write!(f, "[{}]", h.class()),
            other => write!(f, "{}", other.to_json_text()),
        }
    }
}

impl Value {
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::String(s.into())
    }

    pub fn bson(b: Bson) -> Value {
        Value::Bson(Rc::new(b))
    }

    pub fn host(h: impl HostObject + 'static) -> Value {
        Value::Host(Rc::new(h))
    }

    /// An object from its properties, in JavaScript's key order (a repeated key keeps its first
    /// place and its last value).
    pub fn object(props: Vec<(String, Value)>) -> Value {
        let mut b = ObjectBuilder::default();
        for (k, v) in props {
            b.insert(k, v);
        }
        b.build()
    }

    /// `typeof`.
    pub fn type_of(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null | Value::Array(_) | Value::Object(_) | Value::Set(_) => "object",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Bson(b) => match b.as_ref() {
                Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) => "number",
                Bson::String(_) => "string",
                Bson::Boolean(_) => "boolean",
                _ => "object",
            },
            Value::Host(h) => {
                if h.is_callable() {
                    "function"
                } else {
                    "object"
                }
            }
        }
    }

    pub fn truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::String(s) => !s.is_empty(),
            Value::Bson(b) => match b.as_ref() {
                Bson::Int32(i) => *i != 0,
                Bson::Int64(i) => *i != 0,
                Bson::Double(f) => *f != 0.0 && !f.is_nan(),
                _ => true,
            },
            _ => true,
        }
    }

    /// The number a value converts to, where JavaScript gives one (`ToNumber`).
    pub fn to_number(&self) -> f64 {
        match self {
            Value::Undefined => f64::NAN,
            Value::Null => 0.0,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Number(n) => *n,
            Value::String(s) => string_to_number(s),
            Value::Bson(b) => match b.as_ref() {
                Bson::Int32(i) => f64::from(*i),
                Bson::Int64(i) => *i as f64,
                Bson::Double(f) => *f,
                Bson::DateTime(d) => d.timestamp_millis() as f64,
                Bson::Decimal128(d) => d.to_string().parse().unwrap_or(f64::NAN),
                Bson::Boolean(b) => f64::from(u8::from(*b)),
                _ => f64::NAN,
            },
            Value::Array(items) => match items.len() {
                0 => 0.0,
                1 => items.first().map_or(0.0, Value::to_number),
                _ => f64::NAN,
            },
            _ => f64::NAN,
        }
    }

    /// A number value, if this is one (of any width).
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Bson(b) => match b.as_ref() {
                Bson::Int32(i) => Some(f64::from(*i)),
                Bson::Int64(i) => Some(*i as f64),
                Bson::Double(f) => Some(*f),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// `String(value)`: JavaScript's `ToString`.
    pub fn to_js_string(&self) -> String {
        match self {
            Value::Undefined => "undefined".into(),
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => number_to_string(*n),
            Value::String(s) => s.to_string(),
            Value::Array(items) => items
                .iter()
                .map(|v| match v {
                    Value::Undefined | Value::Null => String::new(),
                    v => v.to_js_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
            Value::Object(_) => "[object Object]".into(),
            Value::Set(_) => "[object Set]".into(),
            Value::Bson(b) => match b.as_ref() {
                Bson::ObjectId(o) => o.to_hex(),
                Bson::DateTime(d) => crate::date::to_display(d.timestamp_millis()),
                Bson::RegularExpression(r) => format!("/{}/{}", r.pattern, r.options),
                Bson::Int32(i) => i.to_string(),
                Bson::Int64(i) => i.to_string(),
                Bson::Double(f) => number_to_string(*f),
                Bson::Decimal128(d) => d.to_string(),
                Bson::String(s) => s.clone(),
                other => other.clone().into_relaxed_extjson().to_string(),
            },
            Value::Host(h) => match h.data() {
                Some(d) => d.to_js_string(),
                None => format!("[object {}]", h.class()),
            },
        }
    }

    /// Relaxed Extended JSON of the value (what a result shows); `None` for `undefined` and
    /// for host objects that stand for no data.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        match self {
            Value::Undefined => None,
            Value::Host(h) => h.data().and_then(|d| d.to_json()),
            v => Some(to_bson_for_display(v).into_relaxed_extjson()),
        }
    }

    fn to_json_text(&self) -> String {
        self.to_json()
            .map_or_else(|| "undefined".into(), |j| j.to_string())
    }

    /// Whether two values are the same value: the same object, array, set or host object (not
    /// merely equal ones), or equal primitives, as JavaScript's `Object.is` (with `NaN` never
    /// the same).
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) | (Value::Set(a), Value::Set(b)) => Rc::ptr_eq(a, b),
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
            (Value::Bson(a), Value::Bson(b)) => Rc::ptr_eq(a, b) || a == b,
            (Value::Host(a), Value::Host(b)) => std::ptr::addr_eq(Rc::as_ptr(a), Rc::as_ptr(b)),
            _ => false,
        }
    }

    /// A property of a plain object.
    pub fn get_prop(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(props) => props.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// How deeply the value nests, counting up to `limit + 1` at most.
    pub fn depth(&self, limit: usize) -> usize {
        if limit == 0 {
            return 1;
        }
        let inner = |items: &mut dyn Iterator<Item = &Value>| {
            items.map(|v| v.depth(limit - 1)).max().unwrap_or(0)
        };
        match self {
            Value::Array(items) | Value::Set(items) => 1 + inner(&mut items.iter()),
            Value::Object(props) => 1 + inner(&mut props.iter().map(|(_, v)| v)),
            _ => 0,
        }
    }
}

/// Builds an object's property list in JavaScript's order.
#[derive(Default)]
pub struct ObjectBuilder {
    props: Vec<(String, Value)>,
}

impl ObjectBuilder {
    pub fn insert(&mut self, key: String, value: Value) {
        if let Some(slot) = self.props.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
            return;
        }
        match array_index(&key) {
            Some(i) => {
                // Integer keys come first, ascending.
                let at = self
                    .props
                    .iter()
                    .position(|(k, _)| array_index(k).is_none_or(|j| j > i))
                    .unwrap_or(self.props.len());
                self.props.insert(at, (key, value));
            }
            None => self.props.push((key, value)),
        }
    }

    pub fn build(self) -> Value {
        Value::Object(Rc::new(self.props))
    }
}

/// The index a key names when it is a canonical array index (`"0"`, `"42"`, not `"01"`).
fn array_index(key: &str) -> Option<u32> {
    let i: u32 = key.parse().ok()?;
    (i != u32::MAX && i.to_string() == key).then_some(i)
}

/// `Number.prototype.toString()`: the shortest digits that read back the same number, in
/// JavaScript's notation (`1e+21`, `1.5e-7`, `0.000001`). The DynamoDB document client writes
/// numbers with the same function, so it lives there.
pub fn number_to_string(n: f64) -> String {
    schemaplay_dynamo::docclient::number_text(n)
}

/// `ToNumber` of a string.
fn string_to_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    let radix = |p: &str, r: u32| {
        t.strip_prefix(p)
            .or_else(|| t.strip_prefix(&p.to_uppercase()))
            .map(|d| i64::from_str_radix(d, r).map_or(f64::NAN, |v| v as f64))
    };
    if let Some(v) = radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
    {
        return v;
    }
    match t {
        "Infinity" | "+Infinity" => f64::INFINITY,
        "-Infinity" => f64::NEG_INFINITY,
        _ if t.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)) => {
            t.parse().unwrap_or(f64::NAN)
        }
        _ => f64::NAN,
    }
}

/// `===`.
pub fn strict_equals(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (a.as_number(), b.as_number()) {
        return x == y;
    }
    match (a, b) {
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => Rc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        (Value::Set(x), Value::Set(y)) => Rc::ptr_eq(x, y),
        (Value::Bson(x), Value::Bson(y)) => Rc::ptr_eq(x, y),
        (Value::Host(x), Value::Host(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// `==`.
pub fn loose_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Undefined | Value::Null, Value::Undefined | Value::Null) => true,
        (Value::Undefined | Value::Null, _) | (_, Value::Undefined | Value::Null) => false,
        (Value::String(x), Value::String(y)) => x == y,
        _ if a.type_of() == "object" && b.type_of() == "object" => strict_equals(a, b),
        (Value::Bson(x), _)
            if !matches!(
                x.as_ref(),
                Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_)
            ) =>
        {
            Value::str(a.to_js_string()) == *b || a.to_number() == b.to_number()
        }
        (_, Value::Bson(_)) if b.as_number().is_none() => loose_equals(b, a),
        _ => a.to_number() == b.to_number(),
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::String(a), Value::String(b)) => a == b,
            _ => strict_equals(self, other),
        }
    }
}

/// `SameValueZero`, what a `Set` uses to drop repeated members.
pub fn same_value_zero(a: &Value, b: &Value) -> bool {
    match (a.as_number(), b.as_number()) {
        (Some(x), Some(y)) => x == y || (x.is_nan() && y.is_nan()),
        _ => strict_equals(a, b),
    }
}

/// The BSON a value is stored as, as the Node driver serializes it: a whole number that fits
/// in 32 bits becomes an Int32, any other number a Double; `undefined` becomes `null`.
pub fn to_bson(value: &Value) -> Result<Bson, Thrown> {
    to_bson_at(value, 0)
}

fn to_bson_at(value: &Value, depth: usize) -> Result<Bson, Thrown> {
    if depth > MAX_VALUE_DEPTH {
        return Err(Thrown::range_error(format!(
            "the value nests more than {MAX_VALUE_DEPTH} levels deep"
        )));
    }
    Ok(match value {
        Value::Undefined | Value::Null => Bson::Null,
        Value::Bool(b) => Bson::Boolean(*b),
        Value::Number(n) => number_to_bson(*n),
        Value::String(s) => Bson::String(s.to_string()),
        Value::Array(items) => Bson::Array(
            items
                .iter()
                .map(|v| to_bson_at(v, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(props) => {
            let mut d = Document::new();
            for (k, v) in props.iter() {
                d.insert(k.clone(), to_bson_at(v, depth + 1)?);
            }
            Bson::Document(d)
        }
        Value::Set(_) => {
            return Err(Thrown::type_error(
                "a Set cannot be stored in MongoDB: BSON has no set type (the driver would store an empty document); use an array",
            ))
        }
        Value::Bson(b) => b.as_ref().clone(),
        Value::Host(h) => match h.data() {
            Some(d) => to_bson_at(&d, depth)?,
            None => {
                return Err(Thrown::type_error(format!(
                    "a {} object cannot be stored in a document",
                    h.class()
                )))
            }
        },
    })
}

/// A document from an object value (`None` when the value is not an object).
pub fn to_document(value: &Value) -> Result<Option<Document>, Thrown> {
    match to_bson(value)? {
        Bson::Document(d) => Ok(Some(d)),
        _ => Ok(None),
    }
}

/// A BSON value for display: what cannot be stored shows as JavaScript shows it.
fn to_bson_for_display(value: &Value) -> Bson {
    match value {
        Value::Set(items) => Bson::Array(items.iter().map(to_bson_for_display).collect()),
        Value::Array(items) => Bson::Array(items.iter().map(to_bson_for_display).collect()),
        Value::Object(props) => {
            let mut d = Document::new();
            for (k, v) in props.iter() {
                if !matches!(v, Value::Undefined) {
                    d.insert(k.clone(), to_bson_for_display(v));
                }
            }
            Bson::Document(d)
        }
        Value::Host(h) => match h.data() {
            Some(d) => to_bson_for_display(&d),
            None => Bson::String(format!("[object {}]", h.class())),
        },
        // A whole number beyond 32 bits shows as the shell shows it (`1703980800000`).
        Value::Number(n)
            if n.fract() == 0.0
                && n.abs() < 9_007_199_254_740_992.0
                && !(*n == 0.0 && n.is_sign_negative()) =>
        {
            match number_to_bson(*n) {
                Bson::Double(_) => Bson::Int64(*n as i64),
                b => b,
            }
        }
        v => to_bson(v).unwrap_or(Bson::Null),
    }
}

pub fn number_to_bson(n: f64) -> Bson {
    if n.fract() == 0.0
        && n >= f64::from(i32::MIN)
        && n <= f64::from(i32::MAX)
        && !(n == 0.0 && n.is_sign_negative())
    {
        Bson::Int32(n as i32)
    } else {
        Bson::Double(n)
    }
}

/// A value from BSON, as the Node driver returns it (numbers keep their BSON type here, see
/// [`Value::Bson`]).
pub fn from_bson(b: &Bson) -> Value {
    match b {
        Bson::Null => Value::Null,
        Bson::Undefined => Value::Undefined,
        Bson::Boolean(v) => Value::Bool(*v),
        Bson::String(s) => Value::str(s.as_str()),
        Bson::Array(items) => Value::Array(Rc::new(items.iter().map(from_bson).collect())),
        Bson::Document(d) => Value::Object(Rc::new(
            d.iter().map(|(k, v)| (k.clone(), from_bson(v))).collect(),
        )),
        other => Value::bson(other.clone()),
    }
}

/// How [`from_json`] reads JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FromJson {
    /// As `JSON.parse` does.
    Plain,
    /// AttributeValue JSON as the AWS SDKs deserialize it: `{"B": "<base64>"}` and
    /// `{"BS": [...]}` hold bytes.
    Sdk,
    /// As Python reads it (the AWS CLI): a number written with a point or an exponent stays a
    /// double, so `1.0` prints as `1.0`.
    Python,
}

/// A value from JSON.
pub fn from_json(v: &serde_json::Value, mode: FromJson) -> Result<Value, Thrown> {
    from_json_at(v, mode, 0)
}

fn from_json_at(v: &serde_json::Value, mode: FromJson, depth: usize) -> Result<Value, Thrown> {
    if depth > MAX_VALUE_DEPTH {
        return Err(Thrown::range_error(format!(
            "the value nests more than {MAX_VALUE_DEPTH} levels deep"
        )));
    }
    let bytes = |text: &str| {
        schemaplay_dynamo::value::base64_decode(text)
            .map(crate::builtins::bytes_value)
            .map_err(|e| Thrown::type_error(e.message))
    };
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) if mode == FromJson::Python && n.is_f64() => {
            Value::bson(Bson::Double(n.as_f64().unwrap_or(f64::NAN)))
        }
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::str(s.as_str()),
        serde_json::Value::Array(a) => Value::Array(Rc::new(
            a.iter()
                .map(|v| from_json_at(v, mode, depth + 1))
                .collect::<Result<_, _>>()?,
        )),
        serde_json::Value::Object(m) => {
            if mode == FromJson::Sdk && m.len() == 1 {
                match m.iter().next() {
                    Some((tag, serde_json::Value::String(text))) if tag == "B" => {
                        return Ok(Value::object(vec![("B".into(), bytes(text)?)]));
                    }
                    Some((tag, serde_json::Value::Array(texts)))
                        if tag == "BS" && texts.iter().all(|t| t.is_string()) =>
                    {
                        let members = texts
                            .iter()
                            .map(|t| bytes(t.as_str().unwrap_or_default()))
                            .collect::<Result<_, _>>()?;
                        return Ok(Value::object(vec![(
                            "BS".into(),
                            Value::Array(Rc::new(members)),
                        )]));
                    }
                    _ => {}
                }
            }
            Value::object(
                m.iter()
                    .map(|(k, v)| Ok((k.clone(), from_json_at(v, mode, depth + 1)?)))
                    .collect::<Result<_, Thrown>>()?,
            )
        }
    })
}

pub fn from_document(d: &Document) -> Value {
    from_bson(&Bson::Document(d.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        for (n, s) in [
            (1.0, "1"),
            (-1.5, "-1.5"),
            (1e21, "1e+21"),
            (123456789012345680000.0, "123456789012345680000"),
            (0.000001, "0.000001"),
            (1.5e-7, "1.5e-7"),
            (0.1 + 0.2, "0.30000000000000004"),
            (86400000.0, "86400000"),
        ] {
            assert_eq!(number_to_string(n), s);
        }
    }

    #[test]
    fn integer_keys_come_first() {
        let v = Value::object(vec![
            ("b".into(), Value::Number(1.0)),
            ("2".into(), Value::Number(2.0)),
            ("a".into(), Value::Number(3.0)),
            ("1".into(), Value::Number(4.0)),
            ("b".into(), Value::Number(5.0)),
        ]);
        assert_eq!(
            v.to_json().map(|j| j.to_string()),
            Some(r#"{"1":4,"2":2,"b":5,"a":3}"#.into())
        );
    }
}
