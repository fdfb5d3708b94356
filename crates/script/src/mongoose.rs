//! mongoose over the MongoDB simulator: `new mongoose.Schema({...})`, `schema.index(...)`,
//! `mongoose.model(name, schema)` (the collection named as mongoose names it, its indexes built
//! as mongoose builds them), and the model methods that mirror the shell, with mongoose's
//! casting, defaults, validation and error messages.
//!
//! Choices where the playground cannot be mongoose exactly:
//! - Queries (`User.find(...)`, `User.updateOne(...)`) are lazy as in mongoose: they run when
//!   awaited, `exec()`ed or printed by the console; a query assigned without `await` runs
//!   nothing.
//! - A created document lists `_id` first (where the server stores it), then the schema's
//!   paths in schema order, then the timestamps, then `__v`.
//! - Fields outside the schema are dropped as mongoose's strict mode drops them, with a
//!   warning saying so (mongoose says nothing).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use bson::{Bson, Document};
use schemaplay_mongo::{FindOptions, UpdateOptions, Verbosity};

use crate::builtins::{as_builtin, Builtin};
use crate::host::{Cx, HostObject, Result, Thrown};
use crate::mongosh::{self, doc_arg, docs_arg, Flavor};
use crate::value::{self, Value};
use crate::Answer;

/// How deeply schema definitions may nest.
const MAX_SCHEMA_DEPTH: usize = 32;

pub fn module() -> Value {
    Value::host(Mongoose {
        models: Rc::new(RefCell::new(Vec::new())),
    })
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

/// mongoose's `pluralize`: the collection name of a model name (its rules, in its order).
pub fn pluralize(name: &str) -> String {
    const UNCOUNTABLE: &[&str] = &[
        "advice",
        "energy",
        "excretion",
        "digestion",
        "cooperation",
        "health",
        "justice",
        "labour",
        "machinery",
        "equipment",
        "information",
        "pollution",
        "sewage",
        "paper",
        "money",
        "species",
        "series",
        "rain",
        "rice",
        "fish",
        "sheep",
        "moose",
        "deer",
        "news",
        "expertise",
        "status",
        "media",
    ];
    let s = name.to_lowercase();
    if UNCOUNTABLE.contains(&s.as_str()) {
        return s;
    }
    let cut = |n: usize| s.get(..s.len() - n).unwrap_or("").to_string();
    let last = s.chars().last();
    let before_last = s.chars().rev().nth(1);
    let ends = |suffix: &str| s.ends_with(suffix);
    if ends("man") {
        return format!("{}en", cut(2));
    }
    if ends("person") {
        return format!("{}ople", cut(4));
    }
    if ends("child") {
        return format!("{s}ren");
    }
    if s == "ox" {
        return "oxen".into();
    }
    if ends("axis") || ends("testis") {
        return format!("{}es", cut(2));
    }
    if ends("octopus") || ends("virus") {
        return format!("{}i", cut(2));
    }
    if ends("alias") || ends("status") {
        return format!("{s}es");
    }
    if ends("bus") {
        return format!("{s}es");
    }
    if ends("buffalo") || ends("tomato") || ends("potato") {
        return format!("{s}es");
    }
    if ends("tum") || ends("ium") {
        return format!("{}a", cut(2));
    }
    if ends("sis") {
        return format!("{}ses", cut(3));
    }
    if ends("fe") && s.chars().rev().nth(2).is_some_and(|c| c != 'f') {
        return format!("{}ves", cut(2));
    }
    if ends("lf") || ends("rf") {
        return format!("{}ves", cut(1));
    }
    if ends("hive") {
        return format!("{s}s");
    }
    if last == Some('y') && (before_last.is_some_and(|c| !"aeiouy".contains(c)) || ends("quy")) {
        return format!("{}ies", cut(1));
    }
    if ends("x") || ends("ch") || ends("ss") || ends("sh") {
        return format!("{s}es");
    }
    if ends("ex") {
        return format!("{}ices", cut(2));
    }
    for stem in ["matr", "vert", "ind"] {
        let from = format!("{stem}ix");
        if s.contains(&from) {
            return s.replace(&from, &format!("{stem}ices"));
        }
    }
    if ends("mouse") || ends("louse") {
        return format!("{}ice", cut(4));
    }
    if ends("knife") || ends("wife") || ends("life") {
        return format!("{}ves", cut(2));
    }
    if ends("quiz") {
        return format!("{s}zes");
    }
    if s == "goose" {
        return "geese".into();
    }
    if ends("s") || last.is_some_and(|c| !c.is_ascii_lowercase()) {
        return s;
    }
    format!("{s}s")
}

/// The type of a schema path.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    String,
    Number,
    Date,
    Boolean,
    ObjectId,
    Decimal128,
    Uuid,
    Buffer,
    Mixed,
    Array(Box<Kind>),
    /// An array of subdocuments, each with its own paths (and an `_id`).
    DocArray(Rc<Vec<PathDef>>),
    /// A single nested subdocument (a schema used as a path's type), with an `_id`.
    Subdoc(Rc<Vec<PathDef>>),
}

impl Kind {
    fn name(&self) -> String {
        match self {
            Kind::String => "string".into(),
            Kind::Number => "Number".into(),
            Kind::Date => "date".into(),
            Kind::Boolean => "Boolean".into(),
            Kind::ObjectId => "ObjectId".into(),
            Kind::Decimal128 => "Decimal128".into(),
            Kind::Uuid => "UUID".into(),
            Kind::Buffer => "Buffer".into(),
            Kind::Mixed => "Mixed".into(),
            Kind::Array(inner) => format!("[{}]", inner.name()),
            Kind::DocArray(_) => "DocumentArray".into(),
            Kind::Subdoc(_) => "Embedded".into(),
        }
    }
}

/// A validator's bound with its optional custom message.
#[derive(Debug, Clone, PartialEq)]
struct Bound {
    value: Value,
    message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Checks {
    required: Option<Option<String>>,
    enum_values: Option<(Vec<Value>, Option<String>)>,
    min: Option<Bound>,
    max: Option<Bound>,
    minlength: Option<Bound>,
    maxlength: Option<Bound>,
    match_re: Option<(String, String, Option<String>)>,
    lowercase: bool,
    uppercase: bool,
    trim: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct PathDef {
    path: String,
    kind: Kind,
    checks: Checks,
    default: Option<Value>,
}

#[derive(Debug, Default)]
struct SchemaDef {
    paths: Vec<PathDef>,
    indexes: Vec<(Document, Document)>,
    timestamps: Option<(String, String)>,
    version_key: Option<String>,
    collection: Option<String>,
    /// Collections of the models compiled from this schema (an index added later is built
    /// on each, as mongoose's autoIndex would).
    compiled: Vec<String>,
    /// The `_id` option: whether documents get an ObjectId `_id` when the schema declares no
    /// `_id` path.
    auto_id: bool,
}

impl SchemaDef {
    fn kind_at(&self, path: &str) -> Option<Kind> {
        if path == "_id" {
            return Some(
                self.paths
                    .iter()
                    .find(|p| p.path == "_id")
                    .map_or(Kind::ObjectId, |p| p.kind.clone()),
            );
        }
        self.paths
            .iter()
            .find(|p| p.path == path)
            .map(|p| p.kind.clone())
    }
}

// ---------------------------------------------------------------------------------------------
// Reading a schema definition.

fn type_name_kind(name: &str) -> Option<Kind> {
    Some(match name.to_ascii_lowercase().as_str() {
        "string" => Kind::String,
        "number" => Kind::Number,
        "date" => Kind::Date,
        "boolean" | "bool" => Kind::Boolean,
        "objectid" | "oid" => Kind::ObjectId,
        "decimal128" | "decimal" => Kind::Decimal128,
        "uuid" => Kind::Uuid,
        "buffer" => Kind::Buffer,
        "mixed" | "object" | "map" => Kind::Mixed,
        "array" => Kind::Array(Box::new(Kind::Mixed)),
        _ => return None,
    })
}

/// The kind a type expression names (`String`, `mongoose.Schema.Types.ObjectId`, `'Number'`,
/// `[String]`, a nested schema), if it names one.
fn kind_of(v: &Value, depth: usize) -> Result<Option<Kind>> {
    if depth > MAX_SCHEMA_DEPTH {
        return Err(Thrown::range_error("the schema nests too deeply"));
    }
    if let Some(b) = as_builtin(v) {
        return Ok(Some(match b {
            Builtin::String => Kind::String,
            Builtin::Number => Kind::Number,
            Builtin::Date => Kind::Date,
            Builtin::Boolean => Kind::Boolean,
            Builtin::ObjectId => Kind::ObjectId,
            Builtin::NumberDecimal => Kind::Decimal128,
            Builtin::Uuid => Kind::Uuid,
            Builtin::Buffer => Kind::Buffer,
            Builtin::Object | Builtin::Map => Kind::Mixed,
            Builtin::Array => Kind::Array(Box::new(Kind::Mixed)),
            other => {
                return Err(Thrown::type_error(format!(
                    "Invalid schema configuration: `{}` is not a valid type",
                    other.class()
                )))
            }
        }));
    }
    match v {
        Value::Host(h) => {
            if let Some(t) = h.as_any().downcast_ref::<TypeMarker>() {
                return Ok(Some(t.0.clone()));
            }
            if let Some(s) = h.as_any().downcast_ref::<Schema>() {
                return Ok(Some(Kind::Subdoc(Rc::new(s.def.borrow().paths.clone()))));
            }
            Ok(None)
        }
        Value::String(s) => Ok(type_name_kind(s)),
        Value::Array(items) => Ok(Some(match items.first() {
            None => Kind::Array(Box::new(Kind::Mixed)),
            Some(inner) => match kind_of(inner, depth + 1)? {
                Some(Kind::Subdoc(paths)) => Kind::DocArray(paths),
                Some(k) => Kind::Array(Box::new(k)),
                None => match inner {
                    Value::Object(_) if is_options(inner, depth)? => {
                        let def = path_def("", inner, depth + 1)?;
                        Kind::Array(Box::new(def.kind))
                    }
                    Value::Object(_) => {
                        let mut paths = Vec::new();
                        read_fields(inner, "", &mut paths, depth + 1)?;
                        Kind::DocArray(Rc::new(paths))
                    }
                    _ => return Ok(None),
                },
            },
        })),
        _ => Ok(None),
    }
}

/// Whether an object is a path's options (`{ type: String, required: true }`) rather than a
/// nested object.
fn is_options(v: &Value, depth: usize) -> Result<bool> {
    match v.get_prop("type") {
        None => Ok(false),
        Some(t @ Value::Object(_)) => {
            Ok(t.get_prop("type").is_none() && kind_of(t, depth + 1)?.is_some())
        }
        Some(_) => Ok(true),
    }
}

fn bound(v: &Value) -> Bound {
    match v {
        Value::Array(items) if items.len() == 2 => Bound {
            value: items.first().cloned().unwrap_or(Value::Undefined),
            message: items.get(1).map(Value::to_js_string),
        },
        other => Bound {
            value: other.clone(),
            message: None,
        },
    }
}

/// One path from its definition (`String`, `[String]`, `{ type: ..., required: ... }`).
fn path_def(path: &str, def: &Value, depth: usize) -> Result<PathDef> {
    let bad = || {
        Thrown::type_error(format!(
            "Invalid schema configuration: `{}` is not a valid type at path `{path}`",
            def.to_js_string()
        ))
    };
    if !matches!(def, Value::Object(_)) || !is_options(def, depth)? {
        let kind = kind_of(def, depth)?.ok_or_else(bad)?;
        return Ok(PathDef {
            path: path.to_string(),
            kind,
            checks: Checks::default(),
            default: None,
        });
    }
    let ty = def.get_prop("type").cloned().unwrap_or(Value::Undefined);
    let kind = match &ty {
        Value::Object(_) => {
            let mut paths = Vec::new();
            read_fields(&ty, "", &mut paths, depth + 1)?;
            Kind::Subdoc(Rc::new(paths))
        }
        t => kind_of(t, depth)?.ok_or_else(bad)?,
    };
    let mut checks = Checks::default();
    let mut default = None;
    let Value::Object(props) = def else {
        return Err(bad());
    };
    for (k, v) in props.iter() {
        match k.as_str() {
            "type" | "ref" | "select" | "immutable" | "description" | "alias_" | "unique"
            | "index" | "sparse" | "text" | "_id" | "auto" | "of" => {}
            "required" => match v {
                Value::Array(items) if items.first().is_some_and(Value::truthy) => {
                    checks.required = Some(items.get(1).map(Value::to_js_string));
                }
                Value::Array(_) => {}
                Value::String(s) => checks.required = Some(Some(s.to_string())),
                v if v.truthy() => checks.required = Some(None),
                _ => {}
            },
            "default" => default = Some(v.clone()),
            "enum" => {
                let (values, message) = match v {
                    Value::Array(items) => (items.as_ref().clone(), None),
                    Value::Object(_) => (
                        match v.get_prop("values") {
                            Some(Value::Array(items)) => items.as_ref().clone(),
                            _ => Vec::new(),
                        },
                        v.get_prop("message").map(Value::to_js_string),
                    ),
                    _ => {
                        return Err(Thrown::type_error(format!(
                            "enum of path `{path}` must be an array"
                        )))
                    }
                };
                checks.enum_values = Some((values, message));
            }
            "min" => checks.min = Some(bound(v)),
            "max" => checks.max = Some(bound(v)),
            "minlength" | "minLength" => checks.minlength = Some(bound(v)),
            "maxlength" | "maxLength" => checks.maxlength = Some(bound(v)),
            "lowercase" => checks.lowercase = v.truthy(),
            "uppercase" => checks.uppercase = v.truthy(),
            "trim" => checks.trim = v.truthy(),
            "match" => {
                let b = bound(v);
                match b.value {
                    Value::Bson(r) => match r.as_ref() {
                        Bson::RegularExpression(re) => {
                            checks.match_re =
                                Some((re.pattern.to_string(), re.options.to_string(), b.message))
                        }
                        _ => {
                            return Err(Thrown::type_error(format!(
                                "match of path `{path}` must be a regular expression"
                            )))
                        }
                    },
                    _ => {
                        return Err(Thrown::type_error(format!(
                            "match of path `{path}` must be a regular expression"
                        )))
                    }
                }
            }
            // A TTL index, which `path_index` declares.
            "expires" => {}
            other => {
                return Err(Thrown::unsupported(format!(
                    "the schema option `{other}` of path `{path}` is not supported by the console"
                )))
            }
        }
    }
    Ok(PathDef {
        path: path.to_string(),
        kind,
        checks,
        default,
    })
}

/// The paths of an object definition, nested objects flattened into dotted paths.
fn read_fields(obj: &Value, prefix: &str, out: &mut Vec<PathDef>, depth: usize) -> Result<()> {
    if depth > MAX_SCHEMA_DEPTH {
        return Err(Thrown::range_error("the schema nests too deeply"));
    }
    let Value::Object(props) = obj else {
        return Err(Thrown::type_error(
            "Invalid schema configuration: a schema definition must be an object",
        ));
    };
    for (k, v) in props.iter() {
        let path = format!("{prefix}{k}");
        let nested = matches!(v, Value::Object(p) if !p.is_empty()) && !is_options(v, depth)?;
        if nested {
            read_fields(v, &format!("{path}."), out, depth + 1)?;
        } else if matches!(v, Value::Object(p) if p.is_empty()) {
            out.push(PathDef {
                path,
                kind: Kind::Mixed,
                checks: Checks::default(),
                default: None,
            });
        } else {
            out.push(path_def(&path, v, depth)?);
        }
    }
    Ok(())
}

/// The seconds of a path's `expires` option as mongoose reads it: a number is seconds, a
/// string is read by the `ms` package (`'90'` milliseconds, `'30s'`, `'10m'`, `'1h'`,
/// `'7d'`, `'2 weeks'`, `'1y'`) and rounded down to seconds.
fn expire_seconds(v: &Value) -> Option<i64> {
    const UNITS: &[(&[&str], f64)] = &[
        (&["years", "year", "yrs", "yr", "y"], 31_557_600_000.0),
        (&["weeks", "week", "w"], 604_800_000.0),
        (&["days", "day", "d"], 86_400_000.0),
        (&["hours", "hour", "hrs", "hr", "h"], 3_600_000.0),
        (&["minutes", "minute", "mins", "min", "m"], 60_000.0),
        (&["seconds", "second", "secs", "sec", "s"], 1000.0),
        (
            &["milliseconds", "millisecond", "msecs", "msec", "ms", ""],
            1.0,
        ),
    ];
    match v {
        Value::String(text) => {
            let text = text.trim();
            let split = text
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .unwrap_or(text.len());
            let (number, unit) = text.split_at(split);
            let number: f64 = number.parse().ok()?;
            let unit = unit.trim().to_ascii_lowercase();
            let (_, factor) = UNITS
                .iter()
                .find(|(names, _)| names.contains(&unit.as_str()))?;
            Some((number * factor / 1000.0).floor() as i64)
        }
        v => v.as_number().filter(|n| n.is_finite()).map(|n| n as i64),
    }
}

/// The index a path's options declare (`unique`, `index`, `sparse`, `text`, `expires`).
fn path_index(path: &str, def: &Value) -> Option<(Document, Document)> {
    let get = |k: &str| def.get_prop(k).cloned().unwrap_or(Value::Undefined);
    let (unique, index, sparse, text) = (get("unique"), get("index"), get("sparse"), get("text"));
    let mut options = Document::new();
    let mut dir = Bson::Int32(1);
    // `expires: 3600` or `expires: '1h'`: mongoose's TTL index on the path.
    let expires = expire_seconds(&get("expires"));
    if let Some(seconds) = expires {
        options.insert("expireAfterSeconds", seconds);
    }
    if unique.truthy() {
        options.insert("unique", true);
    }
    if sparse.truthy() {
        options.insert("sparse", true);
    }
    match &index {
        Value::String(s) => dir = Bson::String(s.to_string()),
        v if v.as_number().is_some_and(|n| n == -1.0) => dir = Bson::Int32(-1),
        Value::Object(_) => {
            if let Ok(Some(d)) = value::to_document(&index) {
                for (k, v) in d {
                    options.insert(k, v);
                }
            }
        }
        _ => {}
    }
    if text.truthy() {
        dir = Bson::String("text".into());
    }
    if !(unique.truthy() || index.truthy() || sparse.truthy() || text.truthy()) && expires.is_none()
    {
        return None;
    }
    let mut key = Document::new();
    key.insert(path, dir);
    Some((key, options))
}

fn collect_path_indexes(
    obj: &Value,
    prefix: &str,
    out: &mut Vec<(Document, Document)>,
    depth: usize,
) {
    let Value::Object(props) = obj else { return };
    if depth > MAX_SCHEMA_DEPTH {
        return;
    }
    for (k, v) in props.iter() {
        let path = format!("{prefix}{k}");
        if matches!(v, Value::Object(_)) {
            if is_options(v, depth).unwrap_or(false) {
                if let Some(ix) = path_index(&path, v) {
                    out.push(ix);
                }
            } else {
                collect_path_indexes(v, &format!("{path}."), out, depth + 1);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Casting and validation.

/// `value "x" (type string)` as mongoose's cast errors describe a value.
fn describe(v: &Value) -> String {
    let ty = match v {
        Value::Object(_) => "Object".to_string(),
        Value::Array(_) => "Array".into(),
        Value::Null => "null".into(),
        Value::Bson(b) => match b.as_ref() {
            Bson::ObjectId(_) => "ObjectId".into(),
            Bson::DateTime(_) => "Date".into(),
            _ => v.type_of().into(),
        },
        v => v.type_of().into(),
    };
    let shown = match v {
        Value::Object(_) | Value::Array(_) => {
            v.to_json().map(|j| j.to_string()).unwrap_or_default()
        }
        v => v.to_js_string(),
    };
    format!("value \"{shown}\" (type {ty})")
}

fn cast_error(kind: &Kind, v: &Value, path: &str) -> String {
    let because = if *kind == Kind::ObjectId {
        " because of \"BSONError\""
    } else {
        ""
    };
    format!(
        "Cast to {} failed for {} at path \"{path}\"{because}",
        kind.name(),
        describe(v)
    )
}

/// Casts one value to a path's kind, as mongoose's setters and casters do.
fn cast(
    kind: &Kind,
    checks: &Checks,
    v: &Value,
    path: &str,
    cx: &mut Cx,
    errors: &mut Vec<(String, String)>,
) -> Option<Bson> {
    if matches!(v, Value::Null | Value::Undefined) {
        return Some(Bson::Null);
    }
    let fail = |errors: &mut Vec<(String, String)>| {
        errors.push((path.to_string(), cast_error(kind, v, path)));
        None
    };
    let out = match kind {
        Kind::String => {
            let s = match v {
                Value::String(s) => s.to_string(),
                Value::Object(_) | Value::Array(_) | Value::Set(_) => return fail(errors),
                Value::Host(h) if h.data().is_none() => return fail(errors),
                other => other.to_js_string(),
            };
            let s = if checks.trim { s.trim().to_string() } else { s };
            let s = if checks.lowercase {
                s.to_lowercase()
            } else {
                s
            };
            let s = if checks.uppercase {
                s.to_uppercase()
            } else {
                s
            };
            Bson::String(s)
        }
        Kind::Number => match v {
            Value::String(s) if s.trim().is_empty() => Bson::Null,
            Value::String(_) | Value::Bool(_) | Value::Number(_) => {
                let n = v.to_number();
                if n.is_nan() {
                    return fail(errors);
                }
                value::number_to_bson(n)
            }
            Value::Bson(b)
                if matches!(
                    b.as_ref(),
                    Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_)
                ) =>
            {
                b.as_ref().clone()
            }
            _ => return fail(errors),
        },
        Kind::Date => match v {
            Value::Bson(b) if matches!(b.as_ref(), Bson::DateTime(_)) => b.as_ref().clone(),
            Value::String(s) if s.trim().is_empty() => Bson::Null,
            Value::String(s) => {
                let millis = if s.chars().all(|c| c.is_ascii_digit()) {
                    s.parse::<i64>().ok()
                } else {
                    crate::date::parse(s)
                };
                match millis {
                    Some(m) => Bson::DateTime(bson::DateTime::from_millis(m)),
                    None => return fail(errors),
                }
            }
            v => match v.as_number() {
                Some(n) if n.is_finite() => Bson::DateTime(bson::DateTime::from_millis(n as i64)),
                _ => return fail(errors),
            },
        },
        Kind::Boolean => match v {
            Value::Bool(b) => Bson::Boolean(*b),
            Value::String(s) if ["true", "1", "yes"].contains(&&**s) => Bson::Boolean(true),
            Value::String(s) if ["false", "0", "no"].contains(&&**s) => Bson::Boolean(false),
            v => match v.as_number() {
                Some(1.0) => Bson::Boolean(true),
                Some(0.0) => Bson::Boolean(false),
                _ => return fail(errors),
            },
        },
        Kind::ObjectId => match v {
            Value::Bson(b) if matches!(b.as_ref(), Bson::ObjectId(_)) => b.as_ref().clone(),
            Value::String(s) if s.len() == 24 => match bson::oid::ObjectId::parse_str(&**s) {
                Ok(o) => Bson::ObjectId(o),
                Err(_) => return fail(errors),
            },
            // A document with an `_id` (a populated reference) casts to its `_id`.
            Value::Host(h) => match h.data().and_then(|d| d.get_prop("_id").cloned()) {
                Some(id) => return cast(kind, checks, &id, path, cx, errors),
                None => return fail(errors),
            },
            _ => return fail(errors),
        },
        Kind::Decimal128 => match crate::builtins::global("Decimal128", cx).and_then(|d| match d {
            Value::Host(h) => h.call(vec![Value::str(v.to_js_string())], cx),
            _ => None,
        }) {
            Some(Ok(d)) => value::to_bson(&d).ok()?,
            _ => return fail(errors),
        },
        Kind::Uuid | Kind::Buffer => match v {
            Value::Bson(b) if matches!(b.as_ref(), Bson::Binary(_)) => b.as_ref().clone(),
            Value::String(_) if *kind == Kind::Uuid => match crate::builtins::global("UUID", cx)
                .and_then(|u| match u {
                    Value::Host(h) => h.call(vec![v.clone()], cx),
                    _ => None,
                }) {
                Some(Ok(u)) => value::to_bson(&u).ok()?,
                _ => return fail(errors),
            },
            _ => return fail(errors),
        },
        Kind::Mixed => match value::to_bson(v) {
            Ok(b) => b,
            Err(e) => {
                errors.push((path.to_string(), e.message));
                return None;
            }
        },
        Kind::Array(inner) => {
            let items = match v {
                Value::Array(items) => items.as_ref().clone(),
                Value::Set(items) => items.as_ref().clone(),
                other => vec![other.clone()],
            };
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let before = errors.len();
                match cast(inner, checks, item, &format!("{path}.{i}"), cx, errors) {
                    Some(b) => out.push(b),
                    None => {
                        // mongoose reports the whole array's cast.
                        errors.truncate(before);
                        return fail(errors);
                    }
                }
            }
            Bson::Array(out)
        }
        Kind::DocArray(paths) => {
            let items = match v {
                Value::Array(items) => items.as_ref().clone(),
                other => vec![other.clone()],
            };
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                if !matches!(item, Value::Object(_)) {
                    return fail(errors);
                }
                out.push(Bson::Document(build(
                    paths,
                    item,
                    &format!("{path}.{i}."),
                    true,
                    cx,
                    errors,
                )));
            }
            Bson::Array(out)
        }
        Kind::Subdoc(paths) => {
            if !matches!(v, Value::Object(_)) {
                return fail(errors);
            }
            Bson::Document(build(paths, v, &format!("{path}."), true, cx, errors))
        }
    };
    Some(out)
}

/// Reads a dotted path of an object value.
fn value_at(v: &Value, path: &str) -> Value {
    let mut cur = v.clone();
    for part in path.split('.') {
        cur = match &cur {
            Value::Object(_) => cur.get_prop(part).cloned().unwrap_or(Value::Undefined),
            Value::Host(h) => h
                .data()
                .and_then(|d| d.get_prop(part).cloned())
                .unwrap_or(Value::Undefined),
            _ => return Value::Undefined,
        };
    }
    cur
}

fn set_path(doc: &mut Document, path: &str, v: Bson) {
    match path.split_once('.') {
        None => {
            doc.insert(path, v);
        }
        Some((head, rest)) => {
            if !matches!(doc.get(head), Some(Bson::Document(_))) {
                doc.insert(head, Document::new());
            }
            if let Some(Bson::Document(inner)) = doc.get_mut(head) {
                set_path(inner, rest, v);
            }
        }
    }
}

fn get_path<'a>(doc: &'a Document, path: &str) -> Option<&'a Bson> {
    match path.split_once('.') {
        None => doc.get(path),
        Some((head, rest)) => match doc.get(head) {
            Some(Bson::Document(inner)) => get_path(inner, rest),
            _ => None,
        },
    }
}

/// Builds a document from the input by the schema's paths: cast values, defaults, `[]` for
/// arrays; `with_id` gives it an `_id` first (documents and subdocuments). Cast failures are
/// collected in `errors`.
fn build(
    paths: &[PathDef],
    input: &Value,
    prefix: &str,
    with_id: bool,
    cx: &mut Cx,
    errors: &mut Vec<(String, String)>,
) -> Document {
    let mut doc = Document::new();
    if with_id {
        let id_kind = paths
            .iter()
            .find(|p| p.path == "_id")
            .map(|p| p.kind.clone());
        match (value_at(input, "_id"), id_kind) {
            (Value::Undefined, None | Some(Kind::ObjectId)) => {
                doc.insert("_id", crate::builtins::new_object_id(cx));
            }
            (Value::Undefined, Some(_)) => {}
            (v, kind) => {
                let kind = kind.unwrap_or(Kind::ObjectId);
                if let Some(b) = cast(
                    &kind,
                    &Checks::default(),
                    &v,
                    &format!("{prefix}_id"),
                    cx,
                    errors,
                ) {
                    doc.insert("_id", b);
                }
            }
        }
    }
    for p in paths.iter().filter(|p| p.path != "_id") {
        let v = value_at(input, &p.path);
        let full = format!("{prefix}{}", p.path);
        let v = match (v, &p.default) {
            (Value::Undefined, Some(d)) => match d {
                Value::Host(h) if h.is_callable() => match h.call(Vec::new(), cx) {
                    Some(Ok(v)) => v,
                    _ => Value::Undefined,
                },
                d => d.clone(),
            },
            (v, _) => v,
        };
        if matches!(v, Value::Undefined) {
            if matches!(p.kind, Kind::Array(_) | Kind::DocArray(_)) {
                set_path(&mut doc, &p.path, Bson::Array(Vec::new()));
            }
            continue;
        }
        if let Some(b) = cast(&p.kind, &p.checks, &v, &full, cx, errors) {
            set_path(&mut doc, &p.path, b);
        }
    }
    doc
}

/// The top-level fields of the input the schema does not know (strict mode drops them).
fn unknown_fields(def: &SchemaDef, input: &Value) -> Vec<String> {
    let Some(Value::Object(props)) = (match input {
        Value::Host(h) => h.data(),
        v => Some(v.clone()),
    }) else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| {
            k != "_id"
                && !def
                    .paths
                    .iter()
                    .any(|p| p.path == *k || p.path.starts_with(&format!("{k}.")))
                && def
                    .timestamps
                    .as_ref()
                    .is_none_or(|(c, u)| k != c && k != u)
                && def.version_key.as_deref() != Some(k.as_str())
        })
        .collect()
}

fn message(custom: &Option<String>, default: String, path: &str, v: &Bson) -> String {
    match custom {
        Some(m) => m.replace("{PATH}", path).replace("{VALUE}", &shown(v)),
        None => default,
    }
}

fn shown(v: &Bson) -> String {
    value::from_bson(v).to_js_string()
}

fn validate_value(p: &PathDef, path: &str, v: &Bson, out: &mut Vec<(String, String)>) {
    let c = &p.checks;
    if let (
        Some((values, custom)),
        Bson::String(_) | Bson::Int32(_) | Bson::Double(_) | Bson::Int64(_),
    ) = (&c.enum_values, v)
    {
        let allowed = values.iter().any(|a| {
            value::to_bson(a).is_ok_and(|a| &a == v || value::from_bson(&a) == value::from_bson(v))
        });
        if !allowed {
            out.push((
                path.into(),
                message(
                    custom,
                    format!(
                        "`{}` is not a valid enum value for path `{path}`.",
                        shown(v)
                    ),
                    path,
                    v,
                ),
            ));
            return;
        }
    }
    let as_num = |b: &Bson| value::from_bson(b).to_number();
    if let Some(min) = &c.min {
        let lo = min.value.to_number();
        if matches!(
            v,
            Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::DateTime(_)
        ) && as_num(v) < lo
        {
            out.push((
                path.into(),
                message(
                    &min.message,
                    format!(
                        "Path `{path}` ({}) is less than minimum allowed value ({}).",
                        shown(v),
                        min.value.to_js_string()
                    ),
                    path,
                    v,
                ),
            ));
            return;
        }
    }
    if let Some(max) = &c.max {
        let hi = max.value.to_number();
        if matches!(
            v,
            Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::DateTime(_)
        ) && as_num(v) > hi
        {
            out.push((
                path.into(),
                message(
                    &max.message,
                    format!(
                        "Path `{path}` ({}) is more than maximum allowed value ({}).",
                        shown(v),
                        max.value.to_js_string()
                    ),
                    path,
                    v,
                ),
            ));
            return;
        }
    }
    if let Bson::String(s) = v {
        let len = s.encode_utf16().count() as f64;
        if let Some(b) = c.minlength.as_ref().filter(|b| len < b.value.to_number()) {
            out.push((
                path.into(),
                message(
                    &b.message,
                    format!(
                        "Path `{path}` (`{s}`) is shorter than the minimum allowed length ({}).",
                        b.value.to_js_string()
                    ),
                    path,
                    v,
                ),
            ));
            return;
        }
        if let Some(b) = c.maxlength.as_ref().filter(|b| len > b.value.to_number()) {
            out.push((
                path.into(),
                message(
                    &b.message,
                    format!(
                        "Path `{path}` (`{s}`) is longer than the maximum allowed length ({}).",
                        b.value.to_js_string()
                    ),
                    path,
                    v,
                ),
            ));
            return;
        }
        if let Some((pattern, flags, custom)) = &c.match_re {
            let mut b = regex::RegexBuilder::new(pattern);
            b.case_insensitive(flags.contains('i'))
                .multi_line(flags.contains('m'))
                .dot_matches_new_line(flags.contains('s'));
            let matched = b.size_limit(1 << 20).build().map(|re| re.is_match(s));
            if !matched.unwrap_or(true) {
                out.push((
                    path.into(),
                    message(custom, format!("Path `{path}` is invalid ({s})."), path, v),
                ));
            }
        }
    }
}

/// Runs the schema's validators over a built document, as `validate()` does.
fn validate(
    paths: &[PathDef],
    doc: &Document,
    prefix: &str,
    skip: &[String],
    out: &mut Vec<(String, String)>,
) {
    for p in paths {
        let path = format!("{prefix}{}", p.path);
        if skip.contains(&path) {
            continue;
        }
        let v = get_path(doc, &p.path);
        let missing = match v {
            None | Some(Bson::Null) => true,
            Some(Bson::String(s)) => s.is_empty(),
            _ => false,
        };
        if let Some(custom) = &p.checks.required {
            if missing {
                out.push((
                    path.clone(),
                    message(
                        custom,
                        format!("Path `{path}` is required."),
                        &path,
                        &Bson::Null,
                    ),
                ));
                continue;
            }
        }
        let Some(v) = v.filter(|v| !matches!(v, Bson::Null)) else {
            continue;
        };
        match (&p.kind, v) {
            (Kind::Array(_), Bson::Array(items)) => {
                for item in items {
                    validate_value(p, &path, item, out);
                }
            }
            (Kind::DocArray(inner), Bson::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if let Bson::Document(d) = item {
                        validate(inner, d, &format!("{path}.{i}."), skip, out);
                    }
                }
            }
            (Kind::Subdoc(inner), Bson::Document(d)) => {
                validate(inner, d, &format!("{path}."), skip, out)
            }
            _ => validate_value(p, &path, v, out),
        }
    }
}

fn validation_error(model: &str, errors: &[(String, String)]) -> Thrown {
    let parts: Vec<String> = errors.iter().map(|(p, m)| format!("{p}: {m}")).collect();
    Thrown::new(
        "ValidationError",
        format!("{model} validation failed: {}", parts.join(", ")),
    )
}

// ---------------------------------------------------------------------------------------------
// The objects.

#[derive(Debug)]
struct Mongoose {
    models: Rc<RefCell<Vec<Rc<ModelState>>>>,
}

#[derive(Debug)]
struct TypeMarker(Kind);

impl HostObject for TypeMarker {
    fn class(&self) -> &str {
        "SchemaType"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `mongoose.Schema.Types` / `mongoose.Types`.
#[derive(Debug)]
struct Types;

impl HostObject for Types {
    fn class(&self) -> &str {
        "Types"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(Ok(match name {
            "ObjectId" => Value::host(Builtin::ObjectId),
            "String" => Value::host(Builtin::String),
            "Number" => Value::host(Builtin::Number),
            "Date" => Value::host(Builtin::Date),
            "Boolean" => Value::host(Builtin::Boolean),
            "Decimal128" => Value::host(Builtin::NumberDecimal),
            "UUID" => Value::host(Builtin::Uuid),
            "Buffer" => Value::host(Builtin::Buffer),
            "Array" => Value::host(Builtin::Array),
            "Mixed" | "Map" => Value::host(TypeMarker(Kind::Mixed)),
            _ => return None,
        }))
    }
}

/// `mongoose.Schema`, the constructor.
#[derive(Debug)]
struct SchemaCtor;

impl HostObject for SchemaCtor {
    fn class(&self) -> &str {
        "Schema"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        (name == "Types").then(|| Ok(Value::host(Types)))
    }
    fn construct(&self, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        Some(new_schema(&args, cx))
    }
    fn call(&self, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        Some(new_schema(&args, cx))
    }
}

fn new_schema(args: &[Value], cx: &mut Cx) -> Result<Value> {
    let def = match arg(args, 0) {
        Value::Undefined => Value::object(Vec::new()),
        v @ Value::Object(_) => v,
        v => {
            return Err(Thrown::type_error(format!(
                "Invalid schema configuration: the definition must be an object, got {}",
                v.type_of()
            )))
        }
    };
    let mut s = SchemaDef {
        version_key: Some("__v".into()),
        auto_id: true,
        ..Default::default()
    };
    read_fields(&def, "", &mut s.paths, 0)?;
    let opts = arg(args, 1);
    if let Value::Object(props) = &opts {
        for (k, v) in props.iter() {
            match k.as_str() {
                "timestamps" => {
                    s.timestamps = match v {
                        Value::Object(_) => {
                            let name = |k: &str, d: &str| match v.get_prop(k) {
                                Some(Value::String(s)) => s.to_string(),
                                _ => d.to_string(),
                            };
                            Some((
                                name("createdAt", "createdAt"),
                                name("updatedAt", "updatedAt"),
                            ))
                        }
                        v if v.truthy() => Some(("createdAt".into(), "updatedAt".into())),
                        _ => None,
                    }
                }
                "versionKey" => {
                    s.version_key = match v {
                        Value::String(name) => Some(name.to_string()),
                        v if !v.truthy() => None,
                        _ => Some("__v".into()),
                    }
                }
                "collection" => s.collection = Some(v.to_js_string()),
                // Without an `_id` path of its own, a document gets none, and saving it is
                // mongoose's error.
                "_id" => s.auto_id = v.truthy(),
                "strict" | "strictQuery" if v.truthy() => {}
                "toJSON" | "toObject" | "id" | "minimize" | "autoIndex" | "autoCreate" => {}
                other => {
                    return Err(Thrown::unsupported(format!(
                        "the schema option `{other}` is not supported by the console"
                    )))
                }
            }
        }
    }
    let mut path_indexes = Vec::new();
    collect_path_indexes(&def, "", &mut path_indexes, 0);
    for (key, options) in path_indexes {
        add_index(&mut s, key, options, cx);
    }
    Ok(Value::host(Schema {
        def: Rc::new(RefCell::new(s)),
    }))
}

/// Adds an index declaration; one on the same keys as an earlier one is mongoose's warning.
fn add_index(s: &mut SchemaDef, key: Document, options: Document, cx: &mut Cx) -> bool {
    if s.indexes.iter().any(|(k, _)| *k == key) {
        let json = Bson::Document(key).into_relaxed_extjson();
        cx.warn(format!(
            "[MONGOOSE] Warning: Duplicate schema index on {json} found. This is often due to declaring an index using both \"index: true\" and \"schema.index()\". Please remove the duplicate index definition."
        ));
        return false;
    }
    s.indexes.push((key, options));
    true
}

/// Builds an index as mongoose's autoIndex does: a failure is reported, not thrown.
fn build_index(coll: &str, key: &Document, options: &Document, cx: &mut Cx) {
    if let Err(e) = cx.host.mongo.create_index(coll, key, options) {
        cx.warn(format!(
            "mongoose could not build the index {} on '{coll}': MongoServerError: {}",
            Bson::Document(key.clone()).into_relaxed_extjson(),
            e.message
        ));
    }
}

#[derive(Debug)]
struct Schema {
    def: Rc<RefCell<SchemaDef>>,
}

impl HostObject for Schema {
    fn class(&self) -> &str {
        "Schema"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        Some((|| -> Result<Value> {
            match name {
                "index" => {
                    let key = mongosh::doc_arg(&args, 0, "schema.index")?.unwrap_or_default();
                    let options = mongosh::index_options(&args, 1, "schema.index")?;
                    let compiled = {
                        let mut def = self.def.borrow_mut();
                        add_index(&mut def, key.clone(), options.clone(), cx).then(|| def.compiled.clone())
                    };
                    for coll in compiled.unwrap_or_default() {
                        build_index(&coll, &key, &options, cx);
                    }
                    Ok(Value::host(Schema { def: self.def.clone() }))
                }
                "indexes" => Ok(Value::Array(Rc::new(
                    self.def
                        .borrow()
                        .indexes
                        .iter()
                        .map(|(k, o)| Value::Array(Rc::new(vec![value::from_document(k), value::from_document(o)])))
                        .collect(),
                ))),
                "add" => {
                    let def = arg(&args, 0);
                    let mut paths = Vec::new();
                    read_fields(&def, "", &mut paths, 0)?;
                    self.def.borrow_mut().paths.extend(paths);
                    Ok(Value::host(Schema { def: self.def.clone() }))
                }
                "pre" | "post" | "virtual" | "method" | "static" | "plugin" | "set" | "loadClass" | "queue" => {
                    Err(Thrown::unsupported(format!("schema.{name}() (middleware, virtuals, methods, plugins) is not supported by the console")))
                }
                _ => Err(Thrown::type_error(format!("schema.{name} is not a function"))),
            }
        })())
    }
}

#[derive(Debug)]
struct ModelState {
    name: String,
    collection: String,
    schema: Rc<RefCell<SchemaDef>>,
}

impl HostObject for Mongoose {
    fn class(&self) -> &str {
        "Mongoose"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(Ok(match name {
            "Schema" => Value::host(SchemaCtor),
            "Types" | "SchemaTypes" => Value::host(Types),
            // The default connection: the same models and database.
            "connection" => Value::host(Mongoose {
                models: self.models.clone(),
            }),
            "modelNames" => return None,
            _ => return None,
        }))
    }
    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        Some(match name {
            "model" => self.model(&args, cx),
            "connect" | "disconnect" | "createConnection" => Ok(Value::host(Mongoose {
                models: self.models.clone(),
            })),
            "set" => match (arg(&args, 0).to_js_string().as_str(), arg(&args, 1)) {
                ("strictQuery", v) if !v.truthy() => Ok(Value::Undefined),
                ("debug" | "autoIndex" | "autoCreate", _) => Ok(Value::Undefined),
                (k, v) => Err(Thrown::unsupported(format!(
                    "mongoose.set('{k}', {}) is not supported by the console",
                    v.to_js_string()
                ))),
            },
            "modelNames" => Ok(Value::Array(Rc::new(
                self.models
                    .borrow()
                    .iter()
                    .map(|m| Value::str(m.name.as_str()))
                    .collect(),
            ))),
            "isValidObjectId" | "isObjectIdOrHexString" => Ok(Value::Bool(match arg(&args, 0) {
                Value::String(s) => s.len() == 24 && bson::oid::ObjectId::parse_str(&*s).is_ok(),
                Value::Bson(b) => matches!(b.as_ref(), Bson::ObjectId(_)),
                _ => false,
            })),
            "pluralize" => Ok(Value::Undefined),
            "startSession" => Ok(crate::session::Session::value(false)),
            _ => return None,
        })
    }
    /// `connection.transaction(fn)`: `fn(session)` in a transaction, committed when it
    /// returns and aborted when it throws (the error goes on), as mongoose's helper does.
    fn call_with(
        &self,
        name: &str,
        args: &[Value],
        cb: &mut dyn crate::host::Callbacks,
    ) -> Option<Result<Value>> {
        if name != "transaction" {
            return None;
        }
        let f = args.first().cloned().unwrap_or(Value::Undefined);
        let session = crate::session::Session::new(false);
        Some(session.run(&f, cb))
    }
}

impl Mongoose {
    fn model(&self, args: &[Value], cx: &mut Cx) -> Result<Value> {
        let Value::String(name) = arg(args, 0) else {
            return Err(Thrown::type_error(
                "First argument to `model()` must be a string, got a value of another type",
            ));
        };
        let existing = self
            .models
            .borrow()
            .iter()
            .find(|m| *m.name == *name)
            .cloned();
        let schema = match arg(args, 1) {
            Value::Undefined => {
                return match existing {
                    Some(m) => Ok(Value::host(Model { state: m })),
                    None => Err(Thrown::new(
                        "MissingSchemaError",
                        format!("Schema hasn't been registered for model \"{name}\".\nUse mongoose.model(name, schema)"),
                    )),
                }
            }
            Value::Host(h) => match h.as_any().downcast_ref::<Schema>() {
                Some(s) => s.def.clone(),
                None => return Err(Thrown::type_error(format!("mongoose.model('{name}', ...) needs a Schema, got {}", h.class()))),
            },
            v @ Value::Object(_) => match new_schema(&[v], cx)? {
                Value::Host(h) => match h.as_any().downcast_ref::<Schema>() {
                    Some(s) => s.def.clone(),
                    None => return Err(Thrown::type_error("not a schema")),
                },
                _ => return Err(Thrown::type_error("not a schema")),
            },
            v => return Err(Thrown::type_error(format!("mongoose.model('{name}', ...) needs a Schema, got {}", v.type_of()))),
        };
        if existing.is_some() {
            return Err(Thrown::new(
                "OverwriteModelError",
                format!("Cannot overwrite `{name}` model once compiled."),
            ));
        }
        let collection = match (arg(args, 2), &schema.borrow().collection) {
            (Value::String(c), _) => c.to_string(),
            (_, Some(c)) => c.clone(),
            _ => pluralize(&name),
        };
        let state = Rc::new(ModelState {
            name: name.to_string(),
            collection: collection.clone(),
            schema: schema.clone(),
        });
        // autoCreate and autoIndex: the collection and the schema's indexes.
        if let Err(e) = cx.host.mongo.insert_many(&collection, Vec::new()) {
            return Err(mongosh::server_error(e, Flavor::Driver));
        }
        let indexes = schema.borrow().indexes.clone();
        for (key, options) in &indexes {
            build_index(&collection, key, options, cx);
        }
        schema.borrow_mut().compiled.push(collection);
        self.models.borrow_mut().push(state.clone());
        Ok(Value::host(Model { state }))
    }
}

#[derive(Debug)]
struct Model {
    state: Rc<ModelState>,
}

/// mongoose saves no document without an `_id` (a schema with `_id: false`, or an `_id` path
/// of another type left empty).
fn require_id(doc: &Document) -> Result<()> {
    if doc.contains_key("_id") {
        return Ok(());
    }
    Err(Thrown::new(
        "MongooseError",
        "document must have an _id before saving",
    ))
}

/// Model methods mongoose has that the console does not run.
const MODEL_UNSUPPORTED: &[&str] = &[
    "populate",
    "bulkWrite",
    "watch",
    "mapReduce",
    "hydrate",
    "where",
    "$where",
    "translateAliases",
    "bulkSave",
    "diffIndexes",
    "cleanIndexes",
    "discriminator",
    "findOneAndRemove",
    "findByIdAndRemove",
    "remove",
    "update",
    "count",
    "on",
    "once",
];

impl Model {
    fn name(&self) -> &str {
        &self.state.name
    }

    /// Builds and validates a new document (nothing is written).
    fn new_doc(&self, input: &Value, cx: &mut Cx) -> (Document, Vec<(String, String)>) {
        let def = self.state.schema.borrow();
        let mut errors = Vec::new();
        for k in unknown_fields(&def, input) {
            cx.warn(format!(
                "mongoose dropped the field '{k}': it is not in the {} schema (strict mode)",
                self.name()
            ));
        }
        let mut doc = build(&def.paths, input, "", true, cx, &mut errors);
        let declared_id = def.paths.iter().any(|p| p.path == "_id");
        if !def.auto_id && !declared_id && matches!(value_at(input, "_id"), Value::Undefined) {
            doc.remove("_id");
        }
        if let Some((created, updated)) = &def.timestamps {
            let now = bson::DateTime::from_millis(cx.now_millis());
            doc.insert(created.clone(), now);
            doc.insert(updated.clone(), now);
        }
        if let Some(vk) = &def.version_key {
            doc.insert(vk.clone(), 0);
        }
        (doc, errors)
    }

    fn check(&self, doc: &Document, cast_errors: Vec<(String, String)>) -> Result<()> {
        let def = self.state.schema.borrow();
        let skip: Vec<String> = cast_errors.iter().map(|(p, _)| p.clone()).collect();
        let mut errors = cast_errors;
        validate(&def.paths, doc, "", &skip, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(validation_error(self.name(), &errors))
        }
    }

    fn create_one(&self, input: &Value, cx: &mut Cx) -> Result<Value> {
        if !matches!(input, Value::Object(_))
            && !matches!(input, Value::Host(h) if h.data().is_some())
        {
            return Err(Thrown::new(
                "ObjectParameterError",
                format!(
                    "Parameter \"obj\" to Document() must be an object, got \"{}\" (type {})",
                    input.to_js_string(),
                    input.type_of()
                ),
            ));
        }
        let (doc, errors) = self.new_doc(input, cx);
        self.check(&doc, errors)?;
        require_id(&doc)?;
        cx.host
            .mongo
            .insert_one(&self.state.collection, doc.clone())
            .map_err(|e| mongosh::server_error(e, Flavor::Driver))?;
        cx.ran_operation(Answer::Mongo);
        Ok(Value::host(MDoc {
            model: self.state.clone(),
            doc: RefCell::new(doc),
            saved: RefCell::new(true),
            errors: Vec::new(),
        }))
    }

    fn query(&self, op: Op, filter: Document) -> Query {
        Query {
            model: self.state.clone(),
            op,
            filter,
            projection: None,
            sort: None,
            skip: 0,
            limit: 0,
            update: None,
            options: Document::new(),
            explain: None,
            collation: None,
        }
    }

    fn id_filter(&self, id: &Value) -> Result<Option<Document>> {
        if matches!(id, Value::Undefined | Value::Null) {
            return Ok(None);
        }
        let mut f = Document::new();
        f.insert("_id", value::to_bson(id)?);
        Ok(Some(f))
    }
}

fn doc_or_empty(args: &[Value], i: usize, m: &str) -> Result<Document> {
    Ok(doc_arg(args, i, m)?.unwrap_or_default())
}

/// A mongoose sort or select string: `'name -createdAt'`.
fn spec_arg(v: &Value, m: &str, exclude: i32) -> Result<Option<Document>> {
    match v {
        Value::Undefined | Value::Null => Ok(None),
        Value::String(s) => {
            let mut d = Document::new();
            for word in s.split_whitespace() {
                match word.strip_prefix('-') {
                    Some(f) => d.insert(f, exclude),
                    None => d.insert(word.trim_start_matches('+'), 1),
                };
            }
            Ok(Some(d))
        }
        v => doc_arg(std::slice::from_ref(v), 0, m),
    }
}

impl HostObject for Model {
    fn class(&self) -> &str {
        "Model"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(Ok(match name {
            "modelName" => Value::str(self.name()),
            "collection" => mongosh::collection(&self.state.collection, Flavor::Driver),
            "schema" => Value::host(Schema {
                def: self.state.schema.clone(),
            }),
            _ => return None,
        }))
    }
    fn construct(&self, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        let input = match arg(&args, 0) {
            Value::Undefined => Value::object(Vec::new()),
            v => v,
        };
        let (doc, errors) = self.new_doc(&input, cx);
        Some(Ok(Value::host(MDoc {
            model: self.state.clone(),
            doc: RefCell::new(doc),
            saved: RefCell::new(false),
            errors,
        })))
    }
    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        let m = format!("{}.{name}", self.name());
        Some((|| -> Result<Value> {
            match name {
                "create" => match (arg(&args, 0), args.len()) {
                    (Value::Array(items), _) => {
                        let docs = items
                            .iter()
                            .map(|i| self.create_one(i, cx))
                            .collect::<Result<Vec<_>>>()?;
                        Ok(Value::Array(Rc::new(docs)))
                    }
                    (v, n) if n <= 1 => self.create_one(&v, cx),
                    _ => Ok(Value::Array(Rc::new(
                        args.iter()
                            .map(|i| self.create_one(i, cx))
                            .collect::<Result<Vec<_>>>()?,
                    ))),
                },
                "insertMany" => {
                    let items: Vec<Value> = match arg(&args, 0) {
                        Value::Array(items) => items.as_ref().clone(),
                        v => vec![v],
                    };
                    let mut docs = Vec::with_capacity(items.len());
                    for i in &items {
                        let (doc, errors) = self.new_doc(i, cx);
                        self.check(&doc, errors)?;
                        docs.push(doc);
                    }
                    cx.host
                        .mongo
                        .insert_many(&self.state.collection, docs.clone())
                        .map_err(|e| mongosh::server_error(e, Flavor::Driver))?;
                    cx.ran_operation(Answer::Mongo);
                    Ok(Value::Array(Rc::new(
                        docs.into_iter()
                            .map(|d| {
                                Value::host(MDoc {
                                    model: self.state.clone(),
                                    doc: RefCell::new(d),
                                    saved: RefCell::new(true),
                                    errors: Vec::new(),
                                })
                            })
                            .collect(),
                    )))
                }
                "find" | "findOne" => {
                    let mut q = self.query(
                        if name == "find" {
                            Op::Find
                        } else {
                            Op::FindOne
                        },
                        doc_or_empty(&args, 0, &m)?,
                    );
                    q.projection = spec_arg(&arg(&args, 1), &m, 0)?;
                    q.apply_options(&arg(&args, 2), &m)?;
                    Ok(Value::host(q))
                }
                "findById" => {
                    let mut q = match self.id_filter(&arg(&args, 0))? {
                        Some(f) => self.query(Op::FindOne, f),
                        None => self.query(Op::Nothing, Document::new()),
                    };
                    q.projection = spec_arg(&arg(&args, 1), &m, 0)?;
                    Ok(Value::host(q))
                }
                "exists" => Ok(Value::host(
                    self.query(Op::Exists, doc_or_empty(&args, 0, &m)?),
                )),
                "countDocuments" => Ok(Value::host(
                    self.query(Op::Count, doc_or_empty(&args, 0, &m)?),
                )),
                "estimatedDocumentCount" => {
                    Ok(Value::host(self.query(Op::Estimated, Document::new())))
                }
                "distinct" => {
                    let field = arg(&args, 0).to_js_string();
                    Ok(Value::host(
                        self.query(Op::Distinct(field), doc_or_empty(&args, 1, &m)?),
                    ))
                }
                "updateOne" | "updateMany" | "replaceOne" => {
                    let op = match name {
                        "updateOne" => Op::Update {
                            multi: false,
                            replace: false,
                        },
                        "updateMany" => Op::Update {
                            multi: true,
                            replace: false,
                        },
                        _ => Op::Update {
                            multi: false,
                            replace: true,
                        },
                    };
                    let mut q = self.query(op, doc_or_empty(&args, 0, &m)?);
                    q.update = Some(update_arg(&args, 1, &m)?);
                    q.options = mongosh::options(
                        &args,
                        2,
                        &m,
                        "update",
                        &[
                            "upsert",
                            "arrayFilters",
                            "new",
                            "runValidators",
                            "strict",
                            "timestamps",
                            "overwrite",
                            "collation",
                        ],
                    )?;
                    q.collation = mongosh::collation(&q.options);
                    Ok(Value::host(q))
                }
                "deleteOne" | "deleteMany" => Ok(Value::host(self.query(
                    Op::Delete {
                        multi: name == "deleteMany",
                    },
                    doc_or_empty(&args, 0, &m)?,
                ))),
                "findOneAndUpdate" | "findByIdAndUpdate" | "findOneAndReplace" => {
                    let filter = if name == "findByIdAndUpdate" {
                        self.id_filter(&arg(&args, 0))?.unwrap_or_default()
                    } else {
                        doc_or_empty(&args, 0, &m)?
                    };
                    let mut q = self.query(
                        Op::FindAndUpdate {
                            replace: name == "findOneAndReplace",
                        },
                        filter,
                    );
                    q.update = Some(update_arg(&args, 1, &m)?);
                    q.options = mongosh::options(
                        &args,
                        2,
                        &m,
                        "findAndModify",
                        &[
                            "new",
                            "upsert",
                            "returnDocument",
                            "projection",
                            "sort",
                            "arrayFilters",
                            "runValidators",
                            "collation",
                            "lean",
                            "strict",
                            "timestamps",
                            "returnOriginal",
                            "select",
                        ],
                    )?;
                    q.projection = match q
                        .options
                        .get("projection")
                        .or_else(|| q.options.get("select"))
                    {
                        Some(Bson::Document(p)) => Some(p.clone()),
                        _ => None,
                    };
                    q.collation = mongosh::collation(&q.options);
                    Ok(Value::host(q))
                }
                "findOneAndDelete" | "findByIdAndDelete" => {
                    let filter = if name == "findByIdAndDelete" {
                        self.id_filter(&arg(&args, 0))?.unwrap_or_default()
                    } else {
                        doc_or_empty(&args, 0, &m)?
                    };
                    Ok(Value::host(self.query(Op::FindAndDelete, filter)))
                }
                "aggregate" => {
                    let pipeline = match arg(&args, 0) {
                        Value::Undefined => Vec::new(),
                        _ => docs_arg(&args, 0, &m)?,
                    };
                    let opts = mongosh::options(
                        &args,
                        1,
                        &m,
                        "aggregate",
                        &["allowDiskUse", "collation"],
                    )?;
                    Ok(Value::host(Aggregate {
                        model: self.state.clone(),
                        pipeline,
                        explain: None,
                        collation: mongosh::collation(&opts),
                    }))
                }
                "createIndexes" | "ensureIndexes" | "syncIndexes" | "init" | "createCollection" => {
                    let indexes = self.state.schema.borrow().indexes.clone();
                    for (key, options) in &indexes {
                        build_index(&self.state.collection, key, options, cx);
                    }
                    Ok(Value::Undefined)
                }
                "listIndexes" => {
                    let list = cx
                        .host
                        .mongo
                        .list_indexes(&self.state.collection)
                        .map_err(|e| mongosh::server_error(e, Flavor::Driver))?;
                    cx.ran_operation(Answer::Mongo);
                    Ok(Value::Array(Rc::new(
                        list.iter().map(value::from_document).collect(),
                    )))
                }
                "startSession" => Ok(crate::session::Session::value(false)),
                _ if MODEL_UNSUPPORTED.contains(&name) => Err(Thrown::unsupported(format!(
                    "{m}() is not supported by the console"
                ))),
                _ => Err(Thrown::type_error(format!("{m} is not a function"))),
            }
        })())
    }
}

fn update_arg(args: &[Value], i: usize, m: &str) -> Result<Bson> {
    match arg(args, i) {
        Value::Array(_) => Ok(Bson::Array(
            docs_arg(args, i, m)?
                .into_iter()
                .map(Bson::Document)
                .collect(),
        )),
        _ => Ok(Bson::Document(doc_or_empty(args, i, m)?)),
    }
}

#[derive(Debug, Clone)]
enum Op {
    Find,
    FindOne,
    /// `findById(undefined)`: mongoose answers `null` without a query.
    Nothing,
    Exists,
    Count,
    Estimated,
    Distinct(String),
    Update {
        multi: bool,
        replace: bool,
    },
    Delete {
        multi: bool,
    },
    FindAndUpdate {
        replace: bool,
    },
    FindAndDelete,
}

/// A mongoose query: lazy until awaited, `exec()`ed or printed.
#[derive(Debug, Clone)]
struct Query {
    model: Rc<ModelState>,
    op: Op,
    filter: Document,
    projection: Option<Document>,
    sort: Option<Document>,
    skip: u64,
    limit: i64,
    update: Option<Bson>,
    options: Document,
    explain: Option<Verbosity>,
    /// The `collation` option or `.collation(spec)`: how the filter and sort compare strings.
    collation: Option<Document>,
}

impl Query {
    fn apply_options(&mut self, v: &Value, m: &str) -> Result<()> {
        let opts = mongosh::options(
            std::slice::from_ref(v),
            0,
            m,
            "find",
            &["sort", "skip", "limit", "projection", "lean", "collation"],
        )?;
        if let Some(c) = mongosh::collation(&opts) {
            self.collation = Some(c);
        }
        if let Some(Bson::Document(s)) = opts.get("sort") {
            self.sort = Some(s.clone());
        }
        if let Some(n) = opts.get("skip").and_then(Bson::as_i32) {
            self.skip = n.max(0) as u64;
        }
        if let Some(n) = opts.get("limit").and_then(Bson::as_i32) {
            self.limit = i64::from(n);
        }
        if let Some(Bson::Document(p)) = opts.get("projection") {
            self.projection = Some(p.clone());
        }
        Ok(())
    }

    fn err(&self, e: schemaplay_mongo::MongoError) -> Thrown {
        mongosh::server_error(e, Flavor::Driver)
    }

    fn run(&self, cx: &mut Cx) -> Result<Value> {
        let coll = self.model.collection.as_str();
        let def = self.model.schema.borrow();
        let filter = cast_filter(&def, &self.filter, &self.model.name, cx, 0)?;
        let find = FindOptions {
            filter: filter.clone(),
            projection: self.projection.clone(),
            sort: self.sort.clone(),
            skip: self.skip,
            limit: self.limit,
            collation: self.collation.clone(),
        };
        let collation = self.collation.as_ref();
        if let Some(v) = self.explain {
            cx.ran_operation(Answer::MongoPlan);
            return cx
                .host
                .mongo
                .explain_find(coll, &find, v)
                .map(|d| value::from_document(&d))
                .map_err(|e| self.err(e));
        }
        cx.ran_operation(Answer::Mongo);
        let db = &mut cx.host.mongo;
        let docs = |docs: Vec<Document>| {
            Value::Array(Rc::new(docs.iter().map(value::from_document).collect()))
        };
        let one = |d: Option<Document>| d.map_or(Value::Null, |d| value::from_document(&d));
        match &self.op {
            Op::Find => db.find(coll, &find).map(docs).map_err(|e| self.err(e)),
            Op::FindOne => db.find_one(coll, &find).map(one).map_err(|e| self.err(e)),
            Op::Nothing => Ok(Value::Null),
            Op::Exists => db
                .find_one(
                    coll,
                    &FindOptions {
                        projection: Some(bson::doc! {"_id": 1}),
                        ..find
                    },
                )
                .map(one)
                .map_err(|e| self.err(e)),
            Op::Count => db
                .count_documents_collated(coll, &filter, collation)
                .map(|n| Value::Number(n as f64))
                .map_err(|e| self.err(e)),
            Op::Estimated => Ok(Value::Number(
                db.collection(coll).map_or(0, |c| c.len()) as f64
            )),
            Op::Distinct(field) => db
                .distinct_collated(coll, field, &filter, collation)
                .map(|v| Value::Array(Rc::new(v.iter().map(value::from_bson).collect())))
                .map_err(|e| self.err(e)),
            Op::Delete { multi } => db
                .delete_collated(coll, &filter, *multi, collation)
                .map(|n| {
                    Value::object(vec![
                        ("acknowledged".into(), Value::Bool(true)),
                        ("deletedCount".into(), Value::Number(n as f64)),
                    ])
                })
                .map_err(|e| self.err(e)),
            Op::Update { multi, replace } => {
                let update = self.cast_update(&def, *replace, cx)?;
                let opts = self.update_options(*multi)?;
                cx.host
                    .mongo
                    .update(coll, &filter, &update, &opts, *replace)
                    .map(|r| mongosh::driver_update_result(&r))
                    .map_err(|e| self.err(e))
            }
            Op::FindAndUpdate { replace } => {
                let update = self.cast_update(&def, *replace, cx)?;
                let opts = self.update_options(false)?;
                let after = matches!(self.options.get("new"), Some(Bson::Boolean(true)))
                    || self.options.get_str("returnDocument").ok() == Some("after")
                    || matches!(
                        self.options.get("returnOriginal"),
                        Some(Bson::Boolean(false))
                    );
                cx.host
                    .mongo
                    .find_one_and_update(
                        coll,
                        &filter,
                        &update,
                        self.sort.as_ref(),
                        self.projection.as_ref(),
                        &opts,
                        after,
                        *replace,
                    )
                    .map(one)
                    .map_err(|e| self.err(e))
            }
            Op::FindAndDelete => db
                .find_one_and_delete_collated(coll, &filter, self.sort.as_ref(), collation)
                .map(one)
                .map_err(|e| self.err(e)),
        }
    }

    fn update_options(&self, multi: bool) -> Result<UpdateOptions> {
        if self
            .options
            .get("runValidators")
            .is_some_and(|v| v.as_bool() == Some(true))
        {
            return Err(Thrown::unsupported(
                "the runValidators option (update validators) is not supported by the console",
            ));
        }
        let mut opts = mongosh::update_options(&self.options, multi)?;
        opts.collation = self.collation.clone();
        Ok(opts)
    }

    /// Casts an update as mongoose does: a document without operators is a `$set`; values
    /// under `$set` and `$setOnInsert` are cast to their paths' types; timestamps are set.
    fn cast_update(&self, def: &SchemaDef, replace: bool, cx: &mut Cx) -> Result<Bson> {
        let Some(update) = &self.update else {
            return Ok(Bson::Document(Document::new()));
        };
        let Bson::Document(u) = update else {
            return Ok(update.clone());
        };
        if replace {
            let mut errors = Vec::new();
            let mut doc = build(
                &def.paths,
                &value::from_document(u),
                "",
                false,
                cx,
                &mut errors,
            );
            if let Some((_, msg)) = errors.into_iter().next() {
                return Err(Thrown::new(
                    "CastError",
                    format!("{msg} for model \"{}\"", self.model.name),
                ));
            }
            if let Some(id) = u.get("_id") {
                doc.insert("_id", id.clone());
            }
            return Ok(Bson::Document(doc));
        }
        let has_ops = u.keys().any(|k| k.starts_with('$'));
        let mut out = if has_ops {
            u.clone()
        } else {
            bson::doc! {"$set": u.clone()}
        };
        for op in ["$set", "$setOnInsert"] {
            if let Some(Bson::Document(fields)) = out.get(op).cloned() {
                let mut cast_fields = Document::new();
                for (path, v) in fields {
                    let kind = def.kind_at(&path);
                    if kind.is_none()
                        && !def
                            .paths
                            .iter()
                            .any(|p| p.path.starts_with(&format!("{path}.")))
                        && !path.contains(".$")
                        && path.split('.').next().is_some_and(|head| {
                            !def.paths
                                .iter()
                                .any(|p| p.path == head || p.path.starts_with(&format!("{head}.")))
                        })
                    {
                        cx.warn(format!("mongoose dropped '{path}' from the update: it is not in the {} schema (strict mode)", self.model.name));
                        continue;
                    }
                    let v = match kind {
                        Some(k) => {
                            let mut errors = Vec::new();
                            let p = def.paths.iter().find(|p| p.path == path);
                            let checks = p.map(|p| p.checks.clone()).unwrap_or_default();
                            match cast(&k, &checks, &value::from_bson(&v), &path, cx, &mut errors) {
                                Some(b) => b,
                                None => {
                                    let msg = errors
                                        .into_iter()
                                        .next()
                                        .map(|(_, m)| m)
                                        .unwrap_or_default();
                                    return Err(Thrown::new(
                                        "CastError",
                                        format!("{msg} for model \"{}\"", self.model.name),
                                    ));
                                }
                            }
                        }
                        None => v,
                    };
                    cast_fields.insert(path, v);
                }
                if cast_fields.is_empty() {
                    out.remove(op);
                } else {
                    out.insert(op, cast_fields);
                }
            }
        }
        if let Some((created, updated)) = &def.timestamps {
            let now = bson::DateTime::from_millis(cx.now_millis());
            let mut set = out.get_document("$set").cloned().unwrap_or_default();
            set.insert(updated.clone(), now);
            out.insert("$set", set);
            let mut on_insert = out
                .get_document("$setOnInsert")
                .cloned()
                .unwrap_or_default();
            on_insert.insert(created.clone(), now);
            out.insert("$setOnInsert", on_insert);
        }
        Ok(Bson::Document(out))
    }
}

/// Casts a filter's values to the schema's types (`_id: '507f...'` becomes an ObjectId), as
/// mongoose casts queries; paths the schema does not know are left as written.
fn cast_filter(
    def: &SchemaDef,
    filter: &Document,
    model: &str,
    cx: &mut Cx,
    depth: usize,
) -> Result<Document> {
    if depth > MAX_SCHEMA_DEPTH {
        return Err(Thrown::range_error("the filter nests too deeply"));
    }
    let mut out = Document::new();
    for (k, v) in filter {
        if let Some(op) = k.strip_prefix('$') {
            let v = match (op, v) {
                ("and" | "or" | "nor", Bson::Array(items)) => Bson::Array(
                    items
                        .iter()
                        .map(|i| match i {
                            Bson::Document(d) => {
                                cast_filter(def, d, model, cx, depth + 1).map(Bson::Document)
                            }
                            other => Ok(other.clone()),
                        })
                        .collect::<Result<_>>()?,
                ),
                _ => v.clone(),
            };
            out.insert(k.clone(), v);
            continue;
        }
        let Some(kind) = def.kind_at(k) else {
            out.insert(k.clone(), v.clone());
            continue;
        };
        let scalar = match &kind {
            Kind::Array(inner) => inner.as_ref().clone(),
            other => other.clone(),
        };
        let cast_one = |b: &Bson, cx: &mut Cx| -> Result<Bson> {
            if matches!(b, Bson::RegularExpression(_) | Bson::Null)
                || matches!(scalar, Kind::Mixed | Kind::DocArray(_) | Kind::Subdoc(_))
            {
                return Ok(b.clone());
            }
            let target = if matches!(b, Bson::Array(_)) {
                &kind
            } else {
                &scalar
            };
            let mut errors = Vec::new();
            cast(
                target,
                &Checks::default(),
                &value::from_bson(b),
                k,
                cx,
                &mut errors,
            )
            .ok_or_else(|| {
                let msg = errors
                    .into_iter()
                    .next()
                    .map(|(_, m)| m)
                    .unwrap_or_default();
                let msg = msg
                    .trim_end_matches(" because of \"BSONError\"")
                    .to_string();
                let because = if scalar == Kind::ObjectId {
                    " because of \"BSONError\""
                } else {
                    ""
                };
                Thrown::new("CastError", format!("{msg} for model \"{model}\"{because}"))
            })
        };
        let v = match v {
            Bson::Document(ops) if ops.keys().next().is_some_and(|o| o.starts_with('$')) => {
                let mut cast_ops = Document::new();
                for (op, operand) in ops {
                    let c = match (op.as_str(), operand) {
                        ("$eq" | "$ne" | "$gt" | "$gte" | "$lt" | "$lte", b) => cast_one(b, cx)?,
                        ("$in" | "$nin" | "$all", Bson::Array(items)) => Bson::Array(
                            items
                                .iter()
                                .map(|i| cast_one(i, cx))
                                .collect::<Result<_>>()?,
                        ),
                        (_, b) => b.clone(),
                    };
                    cast_ops.insert(op.clone(), c);
                }
                Bson::Document(cast_ops)
            }
            b => cast_one(b, cx)?,
        };
        out.insert(k.clone(), v);
    }
    Ok(out)
}

const QUERY_UNSUPPORTED: &[&str] = &[
    "populate",
    "cursor",
    "stream",
    "hint",
    "maxTimeMS",
    "comment",
    "transform",
    "orFail",
];

impl HostObject for Query {
    fn class(&self) -> &str {
        "Query"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn settle(&self, cx: &mut Cx) -> Option<Result<Value>> {
        Some(self.run(cx))
    }
    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        let m = format!("Query.{name}");
        let mut q = self.clone();
        Some((|| -> Result<Value> {
            match name {
                "sort" => q.sort = spec_arg(&arg(&args, 0), &m, -1)?,
                "select" | "projection" => q.projection = spec_arg(&arg(&args, 0), &m, 0)?,
                "limit" => q.limit = arg(&args, 0).to_number() as i64,
                "skip" => q.skip = arg(&args, 0).to_number().max(0.0) as u64,
                // The open transaction covers the query (see `crate::session`).
                "lean" | "session" => {}
                "setOptions" => q.apply_options(&arg(&args, 0), &m)?,
                "collation" => {
                    q.collation = Some(mongosh::doc_arg(&args, 0, &m)?.unwrap_or_default())
                }
                "exec" => return self.run(cx),
                "explain" => {
                    if !matches!(self.op, Op::Find | Op::FindOne) {
                        return Err(Thrown::unsupported("explain() of this query is not supported: the simulator explains find, aggregate and count"));
                    }
                    q.explain = Some(mongosh::verbosity(&match arg(&args, 0) {
                        Value::Undefined => Value::str("queryPlanner"),
                        v => v,
                    })?);
                    return q.run(cx);
                }
                "countDocuments" => q.op = Op::Count,
                _ if QUERY_UNSUPPORTED.contains(&name) => {
                    return Err(Thrown::unsupported(format!(
                        "{m}() is not supported by the console"
                    )))
                }
                _ => return Err(Thrown::type_error(format!("{m} is not a function"))),
            }
            Ok(Value::host(q))
        })())
    }
}

/// `Model.aggregate(pipeline)`: lazy until awaited, `exec()`ed or printed.
#[derive(Debug, Clone)]
struct Aggregate {
    model: Rc<ModelState>,
    pipeline: Vec<Document>,
    explain: Option<Verbosity>,
    /// `.collation(spec)` or the `collation` option: every stage compares strings under it.
    collation: Option<Document>,
}

impl HostObject for Aggregate {
    fn class(&self) -> &str {
        "Aggregate"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn settle(&self, cx: &mut Cx) -> Option<Result<Value>> {
        cx.ran_operation(mongosh::answer(self.explain));
        let coll = &self.model.collection;
        Some(
            match self.explain {
                Some(v) => cx
                    .host
                    .mongo
                    .explain_aggregate_collated(coll, &self.pipeline, v, self.collation.as_ref())
                    .map(|d| value::from_document(&d)),
                None => cx
                    .host
                    .mongo
                    .aggregate_collated(coll, &self.pipeline, self.collation.as_ref())
                    .map(|docs| {
                        Value::Array(Rc::new(
                            docs.iter().map(|d| value::from_document(d)).collect(),
                        ))
                    }),
            }
            .map_err(|e| mongosh::server_error(e, Flavor::Driver)),
        )
    }
    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        let mut a = self.clone();
        let stage = |op: &str, v: Value| -> Result<Document> {
            let mut d = Document::new();
            d.insert(op, value::to_bson(&v)?);
            Ok(d)
        };
        Some((|| -> Result<Value> {
            match name {
                "exec" => return self.settle(cx).unwrap_or(Ok(Value::Undefined)),
                "explain" => {
                    a.explain = Some(mongosh::verbosity(&match arg(&args, 0) {
                        Value::Undefined => Value::str("queryPlanner"),
                        v => v,
                    })?);
                    return a.settle(cx).unwrap_or(Ok(Value::Undefined));
                }
                "append" => {
                    for i in 0..args.len() {
                        a.pipeline.push(doc_or_empty(&args, i, "Aggregate.append")?);
                    }
                }
                "collation" => {
                    a.collation = Some(doc_or_empty(&args, 0, "Aggregate.collation")?);
                }
                "match" | "group" | "project" | "sort" | "limit" | "skip" | "unwind" | "lookup"
                | "addFields" | "count" | "sample" | "facet" | "replaceRoot" | "sortByCount" => {
                    let v = arg(&args, 0);
                    let v = match (name, &v) {
                        ("unwind", Value::String(s)) if !s.starts_with('$') => {
                            Value::str(format!("${s}"))
                        }
                        ("sort", Value::String(_)) => spec_arg(&v, "Aggregate.sort", -1)?
                            .map_or(Value::Undefined, |d| value::from_document(&d)),
                        _ => v,
                    };
                    a.pipeline.push(stage(&format!("${name}"), v)?);
                }
                _ => {
                    return Err(Thrown::type_error(format!(
                        "Aggregate.{name} is not a function"
                    )))
                }
            }
            Ok(Value::host(a))
        })())
    }
}

/// A mongoose document (`new User({...})`, `User.create(...)`).
#[derive(Debug)]
struct MDoc {
    model: Rc<ModelState>,
    doc: RefCell<Document>,
    saved: RefCell<bool>,
    /// Cast errors from construction, reported by `validate()` and `save()`.
    errors: Vec<(String, String)>,
}

impl HostObject for MDoc {
    fn class(&self) -> &str {
        "Document"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn data(&self) -> Option<Value> {
        Some(value::from_document(&self.doc.borrow()))
    }
    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        match name {
            "id" => self
                .doc
                .borrow()
                .get("_id")
                .map(|id| Ok(Value::str(value::from_bson(id).to_js_string()))),
            "isNew" => Some(Ok(Value::Bool(!*self.saved.borrow()))),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        let model = Model {
            state: self.model.clone(),
        };
        Some((|| -> Result<Value> {
            match name {
                "save" => {
                    let doc = self.doc.borrow().clone();
                    model.check(&doc, self.errors.clone())?;
                    require_id(&doc)?;
                    let coll = &self.model.collection;
                    if *self.saved.borrow() {
                        let id = doc.get("_id").cloned().unwrap_or(Bson::Null);
                        cx.host
                            .mongo
                            .update(
                                coll,
                                &bson::doc! {"_id": id},
                                &Bson::Document(doc.clone()),
                                &UpdateOptions::default(),
                                true,
                            )
                            .map_err(|e| mongosh::server_error(e, Flavor::Driver))?;
                    } else {
                        cx.host
                            .mongo
                            .insert_one(coll, doc.clone())
                            .map_err(|e| mongosh::server_error(e, Flavor::Driver))?;
                        *self.saved.borrow_mut() = true;
                    }
                    cx.ran_operation(Answer::Mongo);
                    Ok(value::from_document(&doc))
                }
                "validate" => {
                    let doc = self.doc.borrow().clone();
                    model.check(&doc, self.errors.clone())?;
                    Ok(Value::Undefined)
                }
                "validateSync" => {
                    let doc = self.doc.borrow().clone();
                    Ok(match model.check(&doc, self.errors.clone()) {
                        Ok(()) => Value::Undefined,
                        Err(t) => Value::object(vec![
                            ("name".into(), Value::str(t.name)),
                            ("message".into(), Value::str(t.message)),
                        ]),
                    })
                }
                "toObject" | "toJSON" => Ok(value::from_document(&self.doc.borrow())),
                "get" => Ok(value_at(
                    &value::from_document(&self.doc.borrow()),
                    &arg(&args, 0).to_js_string(),
                )),
                "set" | "deleteOne" | "populate" | "markModified" | "updateOne" => {
                    Err(Thrown::unsupported(format!(
                        "document.{name}() is not supported by the console"
                    )))
                }
                _ => Err(Thrown::type_error(format!(
                    "document.{name} is not a function"
                ))),
            }
        })())
    }
}

#[cfg(test)]
mod tests {
    use super::pluralize;

    #[test]
    fn collection_names_as_mongoose_pluralizes() {
        for (model, coll) in [
            ("User", "users"),
            ("Person", "people"),
            ("Category", "categories"),
            ("Status", "status"),
            ("Box", "boxes"),
            ("Address", "addresses"),
            ("Day", "days"),
            ("Child", "children"),
            ("Mouse", "mice"),
            ("Index", "indexes"),
            ("Knife", "knives"),
            ("Wolf", "wolves"),
            ("Datum", "data"),
            ("Analysis", "analyses"),
            ("Quiz", "quizzes"),
            ("OrderItem", "orderitems"),
            ("Series", "series"),
            ("Woman", "women"),
            ("Bus", "buses"),
            ("Tomato", "tomatoes"),
        ] {
            assert_eq!(pluralize(model), coll, "{model}");
        }
    }
}
