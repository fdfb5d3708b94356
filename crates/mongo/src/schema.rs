//! `$jsonSchema` (manual: "$jsonSchema", <https://www.mongodb.com/docs/manual/reference/operator/query/jsonSchema/>,
//! and "JSON Schema Validation"): MongoDB's dialect of JSON Schema draft 4, as a validator and
//! as a query operator.
//!
//! A schema is parsed once, every keyword checked as the server's `json_schema_parser.cpp`
//! checks it (an unknown keyword is an error, `$ref`, `format` and the like are "not currently
//! supported"). `Schema::value_violations` then says which keywords a value fails, in the shape of
//! the server's `errInfo.details` (`doc_validation_error.cpp`): a document matches when it
//! fails none, so the answer and its explanation cannot disagree.
//!
//! Keywords: `bsonType` (every BSON alias and `number`), `type` (the JSON types; `integer` is
//! refused as the server refuses it), `required`, `properties`, `additionalProperties`,
//! `patternProperties`, `minProperties`, `maxProperties`, `dependencies`, `enum`, `minimum`,
//! `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minLength`, `maxLength`,
//! `pattern`, `items`, `additionalItems`, `minItems`, `maxItems`, `uniqueItems`, `allOf`,
//! `anyOf`, `oneOf`, `not`, and the annotations `title` and `description`. A keyword that
//! restricts one type (`minimum`, `pattern`, `properties`...) ignores values of other types.

use bson::{Bson, Document};

use crate::error::{MongoError, Result};
use crate::query::element::TypeSel;
use crate::value::{as_num, compare, type_name, Num};

/// The nesting of subschemas accepted (each level is a parse and a check).
const MAX_SCHEMA_DEPTH: usize = 100;

/// Keywords the server knows but does not support.
const UNSUPPORTED: &[&str] = &["$ref", "$schema", "default", "definitions", "format", "id"];

/// What `additionalProperties` or `additionalItems` allows.
#[derive(Debug, Clone)]
enum Additional {
    Allowed(bool),
    Schema(Box<Schema>),
}

#[derive(Debug, Clone)]
enum Items {
    All(Box<Schema>),
    Each(Vec<Schema>),
}

#[derive(Debug, Clone)]
enum Dependency {
    Properties(Vec<String>),
    Schema(Box<Schema>),
}

/// A parsed `$jsonSchema`.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// The schema as written, for explain and `specifiedAs`.
    pub spec: Document,
    title: Option<String>,
    description: Option<String>,
    /// `bsonType` or `type`: the keyword and the accepted types.
    types: Option<(&'static str, Vec<TypeSel>)>,
    pattern: Option<regex::Regex>,
    min_length: Option<i64>,
    max_length: Option<i64>,
    multiple_of: Option<f64>,
    minimum: Option<(Bson, bool)>,
    maximum: Option<(Bson, bool)>,
    min_items: Option<i64>,
    max_items: Option<i64>,
    unique_items: bool,
    items: Option<Items>,
    additional_items: Option<Additional>,
    properties: Vec<(String, Schema)>,
    required: Vec<String>,
    additional_properties: Option<Additional>,
    pattern_properties: Vec<(String, regex::Regex, Schema)>,
    min_properties: Option<i64>,
    max_properties: Option<i64>,
    dependencies: Vec<(String, Dependency)>,
    all_of: Vec<Schema>,
    any_of: Vec<Schema>,
    one_of: Vec<Schema>,
    not: Option<Box<Schema>>,
    enumeration: Option<Vec<Bson>>,
}

fn keyword_error(code: i32, name: &str, message: String) -> MongoError {
    MongoError::new(code, name, message)
}

fn type_mismatch(message: String) -> MongoError {
    keyword_error(14, "TypeMismatch", message)
}

fn failed(message: String) -> MongoError {
    MongoError::failed_to_parse(message)
}

/// A non-negative whole number, as `parseIntegerElementToNonNegativeLong` reads it.
fn non_negative(keyword: &str, v: &Bson) -> Result<i64> {
    let n = match as_num(v) {
        Some(Num::Int(i)) => i,
        Some(Num::Float(f)) if f.fract() == 0.0 && f.abs() < 9.2e18 => f as i64,
        Some(_) => {
            return Err(failed(format!(
                "Expected an integer: {keyword}: {}",
                crate::value::shell(v)
            )))
        }
        None => {
            return Err(failed(format!(
                "Expected a number in: {keyword}: {}",
                crate::value::shell(v)
            )))
        }
    };
    if n < 0 {
        return Err(failed(format!(
            "Expected a positive number in: {keyword}: {n}"
        )));
    }
    Ok(n)
}

fn compile(pattern: &str) -> Result<regex::Regex> {
    regex::Regex::new(pattern).map_err(|e| {
        keyword_error(
            51091,
            "Location51091",
            format!("Regular expression is invalid: {e}"),
        )
    })
}

fn object<'a>(keyword: &str, v: &'a Bson) -> Result<&'a Document> {
    v.as_document()
        .ok_or_else(|| type_mismatch(format!("$jsonSchema keyword '{keyword}' must be an object")))
}

fn strings(keyword: &str, v: &Bson, what: &str) -> Result<Vec<String>> {
    let Bson::Array(items) = v else {
        return Err(type_mismatch(format!(
            "$jsonSchema keyword '{keyword}' must be an array, but found an element of type {}",
            type_name(v)
        )));
    };
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for i in items {
        match i {
            Bson::String(s) => {
                if out.contains(s) {
                    return Err(failed(format!(
                        "$jsonSchema keyword '{keyword}' array cannot contain duplicate values"
                    )));
                }
                out.push(s.clone());
            }
            other => {
                return Err(type_mismatch(format!(
                    "$jsonSchema keyword '{keyword}' must be an array of {what}, but found an element of type: {}",
                    type_name(other)
                )))
            }
        }
    }
    if out.is_empty() {
        return Err(failed(format!(
            "$jsonSchema keyword '{keyword}' cannot be an empty array"
        )));
    }
    Ok(out)
}

/// The types of `bsonType` (every `$type` alias and `number`) or `type` (the JSON types).
fn parse_types(keyword: &'static str, v: &Bson) -> Result<Vec<TypeSel>> {
    let names: Vec<&str> = match v {
        Bson::String(s) => vec![s.as_str()],
        Bson::Array(items) => {
            let mut names = Vec::new();
            for i in items {
                let Bson::String(s) = i else {
                    return Err(type_mismatch(format!(
                        "$jsonSchema keyword '{keyword}' array elements must be strings"
                    )));
                };
                if names.contains(&s.as_str()) {
                    return Err(failed(format!(
                        "$jsonSchema keyword '{keyword}' has duplicate value: {s}"
                    )));
                }
                names.push(s.as_str());
            }
            names
        }
        _ => {
            return Err(type_mismatch(format!(
                "$jsonSchema keyword '{keyword}' must be either a string or an array of strings"
            )))
        }
    };
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        if name == "integer" {
            return Err(failed(
                "$jsonSchema type 'integer' is not currently supported.".into(),
            ));
        }
        let json = match name {
            "object" | "array" | "string" | "null" | "number" => Some(name),
            "boolean" => Some("bool"),
            _ => None,
        };
        let alias = if keyword == "type" {
            json.ok_or_else(|| MongoError::bad_value(format!("Unknown type name alias: {name}")))?
        } else {
            name
        };
        out.push(
            crate::query::element::parse_type_alias(alias)
                .ok_or_else(|| MongoError::bad_value(format!("Unknown type name alias: {name}")))?,
        );
    }
    if out.is_empty() {
        return Err(failed(format!(
            "$jsonSchema keyword '{keyword}' must name at least one type"
        )));
    }
    Ok(out)
}

fn subschemas(keyword: &str, v: &Bson, depth: usize) -> Result<Vec<Schema>> {
    let Bson::Array(items) = v else {
        return Err(type_mismatch(format!(
            "$jsonSchema keyword '{keyword}' must be an array"
        )));
    };
    if items.is_empty() {
        return Err(MongoError::bad_value(format!(
            "$jsonSchema keyword '{keyword}' must be a non-empty array"
        )));
    }
    items
        .iter()
        .map(|i| match i {
            Bson::Document(d) => Schema::parse_at(d, depth + 1),
            other => Err(type_mismatch(format!(
                "$jsonSchema keyword '{keyword}' must be an array of objects, but found an element of type {}",
                type_name(other)
            ))),
        })
        .collect()
}

fn additional(keyword: &str, v: &Bson, depth: usize) -> Result<Additional> {
    match v {
        Bson::Boolean(b) => Ok(Additional::Allowed(*b)),
        Bson::Document(d) => Ok(Additional::Schema(Box::new(Schema::parse_at(
            d,
            depth + 1,
        )?))),
        _ => Err(type_mismatch(format!(
            "$jsonSchema keyword '{keyword}' must be an object or a boolean"
        ))),
    }
}

impl Schema {
    /// Parses a `$jsonSchema` document.
    pub fn parse(spec: &Document) -> Result<Schema> {
        Schema::parse_at(spec, 0)
    }

    fn parse_at(spec: &Document, depth: usize) -> Result<Schema> {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(MongoError::bad_value(format!(
                "$jsonSchema nests more than {MAX_SCHEMA_DEPTH} subschemas deep"
            )));
        }
        let mut s = Schema {
            spec: spec.clone(),
            ..Schema::default()
        };
        for (k, v) in spec {
            let k = k.as_str();
            match k {
                "title" | "description" => {
                    let Bson::String(text) = v else {
                        return Err(type_mismatch(format!(
                            "$jsonSchema keyword '{k}' must be of type string"
                        )));
                    };
                    if k == "title" {
                        s.title = Some(text.clone());
                    } else {
                        s.description = Some(text.clone());
                    }
                }
                "bsonType" | "type" => {
                    if s.types.is_some() {
                        return Err(failed(
                            "Cannot specify both $jsonSchema keywords 'type' and 'bsonType'".into(),
                        ));
                    }
                    let keyword = if k == "type" { "type" } else { "bsonType" };
                    s.types = Some((keyword, parse_types(keyword, v)?));
                }
                "pattern" => {
                    let Bson::String(p) = v else {
                        return Err(type_mismatch(
                            "$jsonSchema keyword 'pattern' must be a string".into(),
                        ));
                    };
                    s.pattern = Some(compile(p)?);
                }
                "minLength" => s.min_length = Some(non_negative(k, v)?),
                "maxLength" => s.max_length = Some(non_negative(k, v)?),
                "minItems" => s.min_items = Some(non_negative(k, v)?),
                "maxItems" => s.max_items = Some(non_negative(k, v)?),
                "minProperties" => s.min_properties = Some(non_negative(k, v)?),
                "maxProperties" => s.max_properties = Some(non_negative(k, v)?),
                "multipleOf" => {
                    let n = as_num(v).map(Num::as_f64).ok_or_else(|| {
                        type_mismatch("$jsonSchema keyword 'multipleOf' must be a number".into())
                    })?;
                    if n <= 0.0 || n.is_nan() {
                        return Err(failed(
                            "$jsonSchema keyword 'multipleOf' must have a positive value".into(),
                        ));
                    }
                    s.multiple_of = Some(n);
                }
                "minimum" | "maximum" => {
                    if as_num(v).is_none() {
                        return Err(type_mismatch(format!(
                            "$jsonSchema keyword '{k}' must be a number"
                        )));
                    }
                    let exclusive_key = if k == "minimum" {
                        "exclusiveMinimum"
                    } else {
                        "exclusiveMaximum"
                    };
                    let exclusive = match spec.get(exclusive_key) {
                        None => false,
                        Some(Bson::Boolean(b)) => *b,
                        Some(_) => {
                            return Err(type_mismatch(format!(
                                "$jsonSchema keyword '{exclusive_key}' must be a boolean"
                            )))
                        }
                    };
                    if k == "minimum" {
                        s.minimum = Some((v.clone(), exclusive));
                    } else {
                        s.maximum = Some((v.clone(), exclusive));
                    }
                }
                "exclusiveMinimum" | "exclusiveMaximum" => {
                    let bound = if k == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    if !spec.contains_key(bound) {
                        return Err(failed(format!(
                            "$jsonSchema keyword '{bound}' must be a present if {k} is present"
                        )));
                    }
                }
                "uniqueItems" => {
                    let Bson::Boolean(b) = v else {
                        return Err(type_mismatch(
                            "$jsonSchema keyword 'uniqueItems' must be a boolean".into(),
                        ));
                    };
                    s.unique_items = *b;
                }
                "items" => {
                    s.items = Some(match v {
                        Bson::Document(d) => Items::All(Box::new(Schema::parse_at(d, depth + 1)?)),
                        Bson::Array(list) => Items::Each(
                            list.iter()
                                .map(|i| match i {
                                    Bson::Document(d) => Schema::parse_at(d, depth + 1),
                                    other => Err(type_mismatch(format!(
                                        "$jsonSchema keyword 'items' requires that each element of the array is an object, but found a {}",
                                        type_name(other)
                                    ))),
                                })
                                .collect::<Result<_>>()?,
                        ),
                        other => {
                            return Err(type_mismatch(format!(
                                "$jsonSchema keyword 'items' must be an array or an object, not {}",
                                type_name(other)
                            )))
                        }
                    });
                }
                "additionalItems" => {
                    s.additional_items = Some(match v {
                        Bson::Boolean(_) | Bson::Document(_) => additional(k, v, depth)?,
                        other => {
                            return Err(type_mismatch(format!(
                                "$jsonSchema keyword 'additionalItems' must be either an object or a boolean, but got a {}",
                                type_name(other)
                            )))
                        }
                    });
                }
                "properties" => {
                    for (name, sub) in object(k, v)? {
                        let Bson::Document(d) = sub else {
                            return Err(type_mismatch(format!(
                                "Nested schema for $jsonSchema property '{name}' must be an object"
                            )));
                        };
                        s.properties
                            .push((name.clone(), Schema::parse_at(d, depth + 1)?));
                    }
                }
                "required" => s.required = strings(k, v, "strings")?,
                "additionalProperties" => s.additional_properties = Some(additional(k, v, depth)?),
                "patternProperties" => {
                    for (pattern, sub) in object(k, v)? {
                        let Bson::Document(d) = sub else {
                            return Err(type_mismatch(format!(
                                "$jsonSchema keyword 'patternProperties' has property '{pattern}' which is not an object"
                            )));
                        };
                        s.pattern_properties.push((
                            pattern.clone(),
                            compile(pattern)?,
                            Schema::parse_at(d, depth + 1)?,
                        ));
                    }
                }
                "dependencies" => {
                    for (name, dep) in object(k, v)? {
                        let dep = match dep {
                            Bson::Document(d) => {
                                Dependency::Schema(Box::new(Schema::parse_at(d, depth + 1)?))
                            }
                            Bson::Array(list) => {
                                if list.is_empty() {
                                    return Err(failed(format!(
                                        "property '{name}' in $jsonSchema keyword 'dependencies' cannot be an empty array"
                                    )));
                                }
                                let mut names: Vec<String> = Vec::new();
                                for p in list {
                                    let Bson::String(p) = p else {
                                        return Err(type_mismatch(format!(
                                            "array '{name}' in $jsonSchema keyword 'dependencies' can only contain strings, but found element of type: {}",
                                            type_name(p)
                                        )));
                                    };
                                    if names.contains(p) {
                                        return Err(failed(format!(
                                            "array '{name}' in $jsonSchema keyword 'dependencies' contains duplicate element: {p}"
                                        )));
                                    }
                                    names.push(p.clone());
                                }
                                Dependency::Properties(names)
                            }
                            _ => {
                                return Err(type_mismatch(format!(
                                    "property '{name}' in $jsonSchema keyword 'dependencies' must be either an object or an array"
                                )))
                            }
                        };
                        s.dependencies.push((name.clone(), dep));
                    }
                }
                "allOf" => s.all_of = subschemas(k, v, depth)?,
                "anyOf" => s.any_of = subschemas(k, v, depth)?,
                "oneOf" => s.one_of = subschemas(k, v, depth)?,
                "not" => {
                    let Bson::Document(d) = v else {
                        return Err(type_mismatch(format!(
                            "$jsonSchema keyword 'not' must be an object, but found an element of type {}",
                            type_name(v)
                        )));
                    };
                    s.not = Some(Box::new(Schema::parse_at(d, depth + 1)?));
                }
                "enum" => {
                    let Bson::Array(values) = v else {
                        return Err(type_mismatch(format!(
                            "$jsonSchema keyword 'enum' must be an array, but found an element of type {}",
                            type_name(v)
                        )));
                    };
                    if values.is_empty() {
                        return Err(failed(
                            "$jsonSchema keyword 'enum' cannot be an empty array".into(),
                        ));
                    }
                    for (i, a) in values.iter().enumerate() {
                        if values.iter().skip(i + 1).any(|b| unordered_equal(a, b)) {
                            return Err(failed(
                                "$jsonSchema keyword 'enum' array cannot contain duplicate values."
                                    .into(),
                            ));
                        }
                    }
                    s.enumeration = Some(values.clone());
                }
                other if UNSUPPORTED.contains(&other) => {
                    return Err(failed(format!(
                        "$jsonSchema keyword '{other}' is not currently supported"
                    )))
                }
                other => return Err(failed(format!("Unknown $jsonSchema keyword: {other}"))),
            }
        }
        Ok(s)
    }

    /// Whether a document matches the schema.
    pub fn matches(&self, doc: &Document) -> bool {
        self.value_violations(&Bson::Document(doc.clone()), true, true)
            .is_empty()
    }

    /// The server's `errInfo.details` for a document the schema refuses (`None` when it
    /// matches): `{operatorName: "$jsonSchema", schemaRulesNotSatisfied: [...]}`.
    pub fn explain(&self, doc: &Document) -> Option<Document> {
        let rules = self.value_violations(&Bson::Document(doc.clone()), true, false);
        if rules.is_empty() {
            return None;
        }
        let mut out = bson::doc! {"operatorName": "$jsonSchema"};
        self.annotate(&mut out);
        out.insert(
            "schemaRulesNotSatisfied",
            rules.into_iter().map(Bson::Document).collect::<Vec<_>>(),
        );
        Some(out)
    }

    fn annotate(&self, out: &mut Document) {
        if let Some(t) = &self.title {
            out.insert("title", t.clone());
        }
        if let Some(d) = &self.description {
            out.insert("description", d.clone());
        }
    }

    fn specified(&self, keyword: &str) -> Document {
        let mut d = Document::new();
        if let Some(v) = self.spec.get(keyword) {
            d.insert(keyword, v.clone());
        }
        d
    }

    fn error(&self, keyword: &str, reason: &str, considered: Option<&Bson>) -> Document {
        let mut d = bson::doc! {"operatorName": keyword, "specifiedAs": self.specified(keyword)};
        if !reason.is_empty() {
            d.insert("reason", reason);
        }
        if let Some(v) = considered {
            d.insert("consideredValue", v.clone());
        }
        d
    }

    /// The keywords a value fails, each as an error document, in the order the server
    /// reports them. `root`: the value is the whole document (type restrictions that cannot
    /// apply to a document are moot). `first`: stop at the first failure (a plain match).
    fn value_violations(&self, v: &Bson, root: bool, first: bool) -> Vec<Document> {
        let mut out = Vec::new();
        // A value of another type fails only the type keyword; restrictions of other types
        // do not apply to it.
        if let Some((keyword, types)) = &self.types {
            let ok = types
                .iter()
                .any(|t| crate::query::element::type_matches(std::slice::from_ref(t), v));
            if !ok {
                if root {
                    // Only objects are stored: a root schema for another type matches nothing.
                    let mut d = self.error(keyword, "type did not match", Some(v));
                    d.insert("consideredType", type_name(v));
                    out.push(d);
                    return out;
                }
                let mut d = self.error(keyword, "type did not match", Some(v));
                d.insert("consideredType", type_name(v));
                return vec![d];
            }
        }
        macro_rules! fail {
            ($d:expr) => {{
                out.push($d);
                if first {
                    return out;
                }
            }};
        }
        // Scalar keywords.
        if let (Some(re), Bson::String(s)) = (&self.pattern, v) {
            if !re.is_match(s) {
                fail!(self.error("pattern", "regular expression did not match", Some(v)));
            }
        }
        if let Bson::String(s) = v {
            let len = s.chars().count() as i64;
            if self.max_length.is_some_and(|m| len > m) {
                fail!(self.error(
                    "maxLength",
                    "specified string length was not satisfied",
                    Some(v)
                ));
            }
            if self.min_length.is_some_and(|m| len < m) {
                fail!(self.error(
                    "minLength",
                    "specified string length was not satisfied",
                    Some(v)
                ));
            }
        }
        if let Some(n) = as_num(v) {
            if let Some(m) = self.multiple_of {
                let x = n.as_f64();
                if !(x % m == 0.0) {
                    fail!(self.error(
                        "multipleOf",
                        "considered value is not a multiple of the specified value",
                        Some(v)
                    ));
                }
            }
            if let Some((bound, exclusive)) = &self.maximum {
                let ord = compare(v, bound);
                if ord.is_gt() || (*exclusive && ord.is_eq()) {
                    let mut d = self.error("maximum", "comparison failed", Some(v));
                    if *exclusive {
                        d.insert(
                            "specifiedAs",
                            bson::doc! {"maximum": bound.clone(), "exclusiveMaximum": true},
                        );
                    }
                    fail!(d);
                }
            }
            if let Some((bound, exclusive)) = &self.minimum {
                let ord = compare(v, bound);
                if ord.is_lt() || (*exclusive && ord.is_eq()) {
                    let mut d = self.error("minimum", "comparison failed", Some(v));
                    if *exclusive {
                        d.insert(
                            "specifiedAs",
                            bson::doc! {"minimum": bound.clone(), "exclusiveMinimum": true},
                        );
                    }
                    fail!(d);
                }
            }
        }
        // Array keywords.
        if let Bson::Array(items) = v {
            let n = items.len() as i64;
            for (keyword, bound, too_few) in [
                ("minItems", self.min_items, true),
                ("maxItems", self.max_items, false),
            ] {
                if bound.is_some_and(|b| if too_few { n < b } else { n > b }) {
                    let mut d =
                        self.error(keyword, "array did not match specified length", Some(v));
                    d.insert("numberOfItems", n as i32);
                    fail!(d);
                }
            }
            if self.unique_items {
                let dup = items.iter().enumerate().find_map(|(i, a)| {
                    items
                        .iter()
                        .skip(i + 1)
                        .find(|b| unordered_equal(a, b))
                        .map(|_| a)
                });
                if let Some(dup) = dup {
                    let mut d = self.error("uniqueItems", "found a duplicate item", Some(v));
                    d.insert("duplicatedValue", dup.clone());
                    fail!(d);
                }
            }
            match &self.items {
                Some(Items::All(schema)) => {
                    if let Some((i, details)) = first_failing(items, 0, schema, first) {
                        let mut d = bson::doc! {"operatorName": "items"};
                        schema.annotate(&mut d);
                        d.insert("reason", "At least one item did not match the sub-schema");
                        d.insert("itemIndex", i as i32);
                        d.insert("details", details);
                        fail!(d);
                    }
                }
                Some(Items::Each(schemas)) => {
                    let mut failing = Vec::new();
                    for (i, (item, schema)) in items.iter().zip(schemas).enumerate() {
                        let details = schema.value_violations(item, false, first);
                        if !details.is_empty() {
                            failing.push(Bson::Document(bson::doc! {
                                "itemIndex": i as i32,
                                "details": details.into_iter().map(Bson::Document).collect::<Vec<_>>(),
                            }));
                            if first {
                                break;
                            }
                        }
                    }
                    if !failing.is_empty() {
                        fail!(bson::doc! {"operatorName": "items", "details": failing});
                    }
                    let start = schemas.len();
                    match &self.additional_items {
                        Some(Additional::Allowed(false)) if items.len() > start => {
                            let mut d =
                                self.error("additionalItems", "found additional items", None);
                            d.insert(
                                "additionalItems",
                                items.get(start..).unwrap_or(&[]).to_vec(),
                            );
                            fail!(d);
                        }
                        Some(Additional::Schema(schema)) => {
                            if let Some((i, details)) = first_failing(items, start, schema, first) {
                                let mut d = bson::doc! {"operatorName": "additionalItems"};
                                schema.annotate(&mut d);
                                d.insert(
                                    "reason",
                                    "At least one additional item did not match the sub-schema",
                                );
                                d.insert("itemIndex", i as i32);
                                d.insert("details", details);
                                fail!(d);
                            }
                        }
                        _ => {}
                    }
                }
                None => {}
            }
        }
        // Object keywords.
        if let Bson::Document(doc) = v {
            let mut failing = Vec::new();
            for (name, schema) in &self.properties {
                let Some(value) = doc.get(name) else { continue };
                let details = schema.value_violations(value, false, first);
                if !details.is_empty() {
                    let mut d = bson::doc! {"propertyName": name.clone()};
                    schema.annotate(&mut d);
                    d.insert(
                        "details",
                        details.into_iter().map(Bson::Document).collect::<Vec<_>>(),
                    );
                    failing.push(Bson::Document(d));
                    if first {
                        break;
                    }
                }
            }
            if !failing.is_empty() {
                fail!(bson::doc! {"operatorName": "properties", "propertiesNotSatisfied": failing});
            }
            if self.additional_properties.is_some() || !self.pattern_properties.is_empty() {
                let mut pattern_errors = Vec::new();
                for (pattern, re, schema) in &self.pattern_properties {
                    let failed = doc.iter().find_map(|(k, value)| {
                        if !re.is_match(k) {
                            return None;
                        }
                        let details = schema.value_violations(value, false, first);
                        (!details.is_empty()).then_some((k, details))
                    });
                    if let Some((k, details)) = failed {
                        let mut d = bson::doc! {"propertyName": k.clone()};
                        schema.annotate(&mut d);
                        d.insert("regexMatched", pattern.clone());
                        d.insert(
                            "details",
                            details.into_iter().map(Bson::Document).collect::<Vec<_>>(),
                        );
                        pattern_errors.push(Bson::Document(d));
                        if first {
                            break;
                        }
                    }
                }
                let extra: Vec<&String> = doc
                    .keys()
                    .filter(|k| {
                        !self.properties.iter().any(|(p, _)| p == *k)
                            && !self
                                .pattern_properties
                                .iter()
                                .any(|(_, re, _)| re.is_match(k))
                    })
                    .collect();
                match &self.additional_properties {
                    Some(Additional::Allowed(false)) if !extra.is_empty() => {
                        let mut d = bson::doc! {"operatorName": "additionalProperties", "specifiedAs": {"additionalProperties": false}};
                        d.insert(
                            "additionalProperties",
                            extra
                                .iter()
                                .map(|k| Bson::String((*k).clone()))
                                .collect::<Vec<_>>(),
                        );
                        fail!(d);
                    }
                    Some(Additional::Schema(schema)) => {
                        let failed = extra.iter().find_map(|k| {
                            let details = doc
                                .get(*k)
                                .map(|value| schema.value_violations(value, false, first))?;
                            (!details.is_empty()).then_some((*k, details))
                        });
                        if let Some((k, details)) = failed {
                            let mut d = bson::doc! {"operatorName": "additionalProperties"};
                            schema.annotate(&mut d);
                            d.insert(
                                "reason",
                                "at least one additional property did not match the subschema",
                            );
                            d.insert("failingProperty", k.clone());
                            d.insert(
                                "details",
                                details.into_iter().map(Bson::Document).collect::<Vec<_>>(),
                            );
                            fail!(d);
                        }
                    }
                    _ => {}
                }
                if !pattern_errors.is_empty() {
                    fail!(
                        bson::doc! {"operatorName": "patternProperties", "details": pattern_errors}
                    );
                }
            }
            let missing: Vec<Bson> = self
                .required
                .iter()
                .filter(|r| !doc.contains_key(r.as_str()))
                .map(|r| Bson::String(r.clone()))
                .collect();
            if !missing.is_empty() {
                let mut d = bson::doc! {"operatorName": "required", "specifiedAs": self.specified("required")};
                d.insert("missingProperties", missing);
                fail!(d);
            }
            let n = doc.len() as i64;
            for (keyword, bound, too_few) in [
                ("minProperties", self.min_properties, true),
                ("maxProperties", self.max_properties, false),
            ] {
                if bound.is_some_and(|b| if too_few { n < b } else { n > b }) {
                    let mut d = self.error(
                        keyword,
                        "specified number of properties was not satisfied",
                        None,
                    );
                    d.insert("numberOfProperties", n as i32);
                    fail!(d);
                }
            }
            let mut failing = Vec::new();
            for (name, dep) in &self.dependencies {
                if !doc.contains_key(name.as_str()) {
                    continue;
                }
                let mut d = bson::doc! {"conditionalProperty": name.clone()};
                match dep {
                    Dependency::Properties(names) => {
                        let missing: Vec<Bson> = names
                            .iter()
                            .filter(|p| !doc.contains_key(p.as_str()))
                            .map(|p| Bson::String(p.clone()))
                            .collect();
                        if missing.is_empty() {
                            continue;
                        }
                        d.insert("missingProperties", missing);
                    }
                    Dependency::Schema(schema) => {
                        let details = schema.value_violations(v, root, first);
                        if details.is_empty() {
                            continue;
                        }
                        d.insert(
                            "details",
                            details.into_iter().map(Bson::Document).collect::<Vec<_>>(),
                        );
                    }
                }
                failing.push(Bson::Document(d));
                if first {
                    break;
                }
            }
            if !failing.is_empty() {
                fail!(bson::doc! {"operatorName": "dependencies", "failingDependencies": failing});
            }
        }
        // Logical keywords.
        let indexed = |schemas: &[Schema], want_failing: bool| -> Vec<Bson> {
            schemas
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let details = s.value_violations(v, root, first);
                    (details.is_empty() != want_failing).then(|| {
                        Bson::Document(bson::doc! {
                            "index": i as i32,
                            "details": details.into_iter().map(Bson::Document).collect::<Vec<_>>(),
                        })
                    })
                })
                .collect()
        };
        if !self.all_of.is_empty() {
            let failing = indexed(&self.all_of, true);
            if !failing.is_empty() {
                fail!(bson::doc! {"operatorName": "allOf", "schemasNotSatisfied": failing});
            }
        }
        if !self.any_of.is_empty()
            && self
                .any_of
                .iter()
                .all(|s| !s.value_violations(v, root, true).is_empty())
        {
            fail!(
                bson::doc! {"operatorName": "anyOf", "schemasNotSatisfied": indexed(&self.any_of, true)}
            );
        }
        if !self.one_of.is_empty() {
            let matching: Vec<i32> = self
                .one_of
                .iter()
                .enumerate()
                .filter(|(_, s)| s.value_violations(v, root, true).is_empty())
                .map(|(i, _)| i as i32)
                .collect();
            if matching.is_empty() {
                fail!(
                    bson::doc! {"operatorName": "oneOf", "schemasNotSatisfied": indexed(&self.one_of, true)}
                );
            } else if matching.len() > 1 {
                fail!(
                    bson::doc! {"operatorName": "oneOf", "reason": "more than one subschema matched", "matchingSchemaIndexes": matching}
                );
            }
        }
        if let Some(not) = &self.not {
            if not.value_violations(v, root, true).is_empty() {
                fail!(bson::doc! {"operatorName": "not", "reason": "child expression matched"});
            }
        }
        if let Some(values) = &self.enumeration {
            if !values.iter().any(|e| unordered_equal(e, v)) {
                fail!(self.error("enum", "value was not found in enum", Some(v)));
            }
        }
        out
    }
}

/// The first item from `start` on that fails `schema`, with why.
fn first_failing(
    items: &[Bson],
    start: usize,
    schema: &Schema,
    first: bool,
) -> Option<(usize, Vec<Bson>)> {
    items.iter().enumerate().skip(start).find_map(|(i, item)| {
        let details = schema.value_violations(item, false, first);
        (!details.is_empty()).then(|| (i, details.into_iter().map(Bson::Document).collect()))
    })
}

/// Equality as `enum` and `uniqueItems` see it: documents equal whatever their field order.
fn unordered_equal(a: &Bson, b: &Bson) -> bool {
    match (a, b) {
        (Bson::Document(x), Bson::Document(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| unordered_equal(v, w)))
        }
        (Bson::Array(x), Bson::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| unordered_equal(v, w))
        }
        _ => crate::value::type_rank(a) == crate::value::type_rank(b) && compare(a, b).is_eq(),
    }
}
