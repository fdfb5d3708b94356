//! Schema validation (manual: "Schema Validation", <https://www.mongodb.com/docs/manual/core/schema-validation/>):
//! a collection's `validator` with its `validationLevel` and `validationAction`, checked on
//! every insert, update and replacement, and the `errInfo` a refused write carries.
//!
//! A validator is a query filter: query operators, `$expr`, and `$jsonSchema`
//! ([`crate::schema`]). `$text`, `$where`, `$near` and `$nearSphere` are refused in it, as the
//! server refuses them. Why a document fails is told in the shape of the server's
//! `doc_validation_error.cpp`: `$jsonSchema` keyword by keyword, a query operator with what it
//! was `specifiedAs`, the `reason` and the `consideredValue`, `$and`/`$or`/`$nor` with the
//! clauses that did not hold.

use bson::{Bson, Document};

use crate::error::{MongoError, Result};
use crate::query::{parse_filter, Filter, MatchDetails, ParseCtx};

/// `validationLevel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// Every insert and update is checked (the default).
    #[default]
    Strict,
    /// Inserts, and updates of documents that were valid, are checked.
    Moderate,
    /// Nothing is checked.
    Off,
}

/// `validationAction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Action {
    /// An invalid write is refused (the default).
    #[default]
    Error,
    /// An invalid write goes through, and the server logs a warning.
    Warn,
}

impl Level {
    pub fn parse(command: &str, v: &Bson) -> Result<Level> {
        match v {
            Bson::String(s) if s == "strict" => Ok(Level::Strict),
            Bson::String(s) if s == "moderate" => Ok(Level::Moderate),
            Bson::String(s) if s == "off" => Ok(Level::Off),
            other => Err(MongoError::bad_value(format!(
                "Enumeration value '{}' for field '{command}.validationLevel' is not a valid value.",
                shown_enum(other)
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Strict => "strict",
            Level::Moderate => "moderate",
            Level::Off => "off",
        }
    }
}

impl Action {
    pub fn parse(command: &str, v: &Bson) -> Result<Action> {
        match v {
            Bson::String(s) if s == "error" => Ok(Action::Error),
            Bson::String(s) if s == "warn" => Ok(Action::Warn),
            other => Err(MongoError::bad_value(format!(
                "Enumeration value '{}' for field '{command}.validationAction' is not a valid value.",
                shown_enum(other)
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Action::Error => "error",
            Action::Warn => "warn",
        }
    }
}

fn shown_enum(v: &Bson) -> String {
    match v {
        Bson::String(s) => s.clone(),
        other => crate::value::shell(other),
    }
}

/// A collection's validation settings.
#[derive(Debug, Clone, Default)]
pub struct Validation {
    /// The validator as written and parsed.
    pub validator: Option<(Document, Filter)>,
    pub level: Level,
    pub action: Action,
}

/// Operators a validator may not use (manual: "Schema Validation", Restrictions).
const REFUSED: &[&str] = &["$text", "$where", "$near", "$nearSphere", "$geoNear"];

/// Parses a validator: a filter without the operators validators refuse.
pub fn parse_validator(validator: &Document) -> Result<Filter> {
    fn refuse(d: &Document, depth: usize) -> Result<()> {
        if depth > crate::query::MAX_FILTER_DEPTH {
            return Ok(());
        }
        for (k, v) in d {
            if REFUSED.contains(&k.as_str()) {
                return Err(MongoError::new(
                    72,
                    "InvalidOptions",
                    format!("{k} is not allowed in collection validators"),
                ));
            }
            let nested: Box<dyn Iterator<Item = &Bson>> = match v {
                Bson::Array(items) => Box::new(items.iter()),
                other => Box::new(std::iter::once(other)),
            };
            for n in nested {
                if let Bson::Document(inner) = n {
                    if k != "$jsonSchema" && k != "$expr" {
                        refuse(inner, depth + 1)?;
                    }
                }
            }
        }
        Ok(())
    }
    refuse(validator, 0)?;
    parse_filter(validator, &mut ParseCtx::new(None))
}

impl Validation {
    /// Whether a write of `new` (replacing `old`, for an update) must be checked.
    pub fn applies(&self, old: Option<&Document>) -> bool {
        let Some((_, filter)) = &self.validator else {
            return false;
        };
        match self.level {
            Level::Off => false,
            Level::Strict => true,
            // Moderate: an update of a document that already failed the validator is let be.
            Level::Moderate => old.is_none_or(|old| passes(filter, old)),
        }
    }

    /// The `errInfo` of a document the validator refuses, or `None` when it passes.
    pub fn failure(&self, doc: &Document) -> Option<Document> {
        let (spec, filter) = self.validator.as_ref()?;
        if passes(filter, doc) {
            return None;
        }
        let mut info = Document::new();
        info.insert(
            "failingDocumentId",
            doc.get("_id").cloned().unwrap_or(Bson::Null),
        );
        info.insert("details", explain(spec, doc));
        Some(info)
    }
}

/// Whether a document passes a filter (an error raised while matching fails it).
fn passes(filter: &Filter, doc: &Document) -> bool {
    let mut d = MatchDetails::default();
    filter.matches(doc, &mut d) && d.error.is_none()
}

/// A filter clause as the error tells it: one operator on one path, a logical operator, or a
/// top-level operator.
#[allow(clippy::large_enum_variant)] // Built a handful at a time, only to explain a failure.
enum Clause<'a> {
    Field {
        path: &'a str,
        op: String,
        operand: Bson,
        spec: Document,
    },
    Top(&'a str, &'a Bson),
}

/// The clauses of a filter document, operator documents split into their operators (the server
/// parses `{a: {$gt: 1, $lt: 5}}` into two clauses).
fn clauses(filter: &Document) -> Vec<Clause<'_>> {
    let mut out = Vec::new();
    for (k, v) in filter {
        if k.starts_with('$') {
            out.push(Clause::Top(k, v));
            continue;
        }
        match v {
            Bson::Document(ops) if ops.keys().next().is_some_and(|o| o.starts_with('$')) => {
                for (op, operand) in ops {
                    if op == "$options" {
                        continue;
                    }
                    let mut inner = bson::doc! {op.clone(): operand.clone()};
                    if op == "$regex" {
                        if let Some(o) = ops.get("$options") {
                            inner.insert("$options", o.clone());
                        }
                    }
                    out.push(Clause::Field {
                        path: k,
                        op: op.clone(),
                        operand: operand.clone(),
                        spec: bson::doc! {k.clone(): inner},
                    });
                }
            }
            Bson::RegularExpression(_) => out.push(Clause::Field {
                path: k,
                op: "$regex".into(),
                operand: v.clone(),
                spec: bson::doc! {k.clone(): v.clone()},
            }),
            _ => out.push(Clause::Field {
                path: k,
                op: "$eq".into(),
                operand: v.clone(),
                spec: bson::doc! {k.clone(): v.clone()},
            }),
        }
    }
    out
}

/// Why `doc` fails the filter document `filter`: the details of `errInfo`.
pub fn explain(filter: &Document, doc: &Document) -> Document {
    explain_clauses(&clauses(filter), doc, false)
}

fn explain_clauses(list: &[Clause<'_>], doc: &Document, inverted: bool) -> Document {
    match list {
        [one] => explain_clause(one, doc, inverted),
        many => {
            let failing: Vec<Bson> = many
                .iter()
                .enumerate()
                .filter(|(_, c)| clause_holds(c, doc) == inverted)
                .map(|(i, c)| {
                    Bson::Document(
                        bson::doc! {"index": i as i32, "details": explain_clause(c, doc, inverted)},
                    )
                })
                .collect();
            let key = if inverted {
                "clausesSatisfied"
            } else {
                "clausesNotSatisfied"
            };
            bson::doc! {"operatorName": "$and", key: failing}
        }
    }
}

fn clause_filter(c: &Clause<'_>) -> Option<Filter> {
    let doc = match c {
        Clause::Field { spec, .. } => spec.clone(),
        Clause::Top(k, v) => bson::doc! {*k: (*v).clone()},
    };
    parse_filter(&doc, &mut ParseCtx::new(None)).ok()
}

fn clause_holds(c: &Clause<'_>, doc: &Document) -> bool {
    clause_filter(c).is_some_and(|f| passes(&f, doc))
}

/// The values a path reaches, array elements in place of their arrays (as the server's
/// `consideredValues`), or `None` when the path is missing.
fn considered(doc: &Document, path: &str) -> Option<Vec<Bson>> {
    let parts = crate::path::split(path);
    let mut values = Vec::new();
    let mut found = false;
    crate::path::any_leaf(doc, &parts, &mut |leaf, _| {
        match leaf {
            Some(Bson::Array(items)) => {
                found = true;
                values.extend(items.iter().cloned());
            }
            Some(v) => {
                found = true;
                values.push(v.clone());
            }
            None => {}
        }
        false
    });
    found.then_some(values)
}

fn explain_clause(c: &Clause<'_>, doc: &Document, inverted: bool) -> Document {
    match c {
        Clause::Field {
            path,
            op,
            operand,
            spec,
        } => {
            let (normal, inverse, op_name, flip) = match op.as_str() {
                "$eq" | "$gt" | "$gte" | "$lt" | "$lte" => (
                    "comparison failed",
                    "comparison succeeded",
                    op.as_str(),
                    false,
                ),
                "$ne" => ("comparison failed", "comparison succeeded", "$ne", true),
                "$in" => (
                    "no matching value found in array",
                    "matching value found in array",
                    "$in",
                    false,
                ),
                "$nin" => (
                    "no matching value found in array",
                    "matching value found in array",
                    "$nin",
                    true,
                ),
                "$exists" => ("path does not exist", "path does exist", "$exists", false),
                "$type" => ("type did not match", "type did match", "$type", false),
                "$regex" => (
                    "regular expression did not match",
                    "regular expression did match",
                    "$regex",
                    false,
                ),
                "$mod" => (
                    "$mod did not evaluate to expected remainder",
                    "$mod did evaluate to expected remainder",
                    "$mod",
                    false,
                ),
                "$size" => (
                    "array length was not equal to given size",
                    "array length was equal to given size",
                    "$size",
                    false,
                ),
                "$all" => (
                    "array did not contain all specified values",
                    "array did contain all specified values",
                    "$all",
                    false,
                ),
                "$elemMatch" => (
                    "array did not satisfy the child predicate",
                    "array did satisfy the child predicate",
                    "$elemMatch",
                    false,
                ),
                other => (
                    "expression did not match",
                    "expression did match",
                    other,
                    false,
                ),
            };
            let inverted = inverted != flip;
            let mut d = bson::doc! {"operatorName": op_name, "specifiedAs": spec.clone()};
            if op == "$not" {
                if let Bson::Document(inner) = operand {
                    let inner_spec = bson::doc! {*path: inner.clone()};
                    d.insert(
                        "details",
                        explain_clauses(&clauses(&inner_spec), doc, !inverted),
                    );
                }
                return d;
            }
            let values = considered(doc, path);
            let reason = match &values {
                None if op != "$exists" => "field was missing",
                _ if inverted => inverse,
                _ => normal,
            };
            d.insert("reason", reason);
            if let Some(values) = values {
                if op == "$exists" {
                    return d;
                }
                match values.as_slice() {
                    [one] => {
                        d.insert("consideredValue", one.clone());
                    }
                    [] => {}
                    many => {
                        d.insert("consideredValues", many.to_vec());
                    }
                }
                if op == "$type" {
                    let mut types: Vec<&str> = values.iter().map(crate::value::type_name).collect();
                    types.sort_unstable();
                    types.dedup();
                    match types.as_slice() {
                        [one] => d.insert("consideredType", *one),
                        many => d.insert("consideredTypes", many.to_vec()),
                    };
                }
            }
            d
        }
        Clause::Top(op, operand) => match (*op, operand) {
            ("$and" | "$or" | "$nor", Bson::Array(items)) => {
                let nor = *op == "$nor";
                let inner_inverted = inverted != nor;
                let failing: Vec<Bson> = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| {
                        let Bson::Document(clause) = item else { return None };
                        let list = clauses(clause);
                        let holds = list.iter().all(|c| clause_holds(c, doc));
                        (holds == inner_inverted).then(|| {
                            Bson::Document(bson::doc! {"index": i as i32, "details": explain_clauses(&list, doc, inner_inverted)})
                        })
                    })
                    .collect();
                let key = if inverted {
                    "clausesSatisfied"
                } else {
                    "clausesNotSatisfied"
                };
                bson::doc! {"operatorName": *op, key: failing}
            }
            ("$jsonSchema", Bson::Document(spec)) => crate::schema::Schema::parse(spec)
                .ok()
                .and_then(|s| s.explain(doc))
                .unwrap_or_else(
                    || bson::doc! {"operatorName": "$jsonSchema", "reason": "schema matched"},
                ),
            ("$expr", e) => {
                let mut d =
                    bson::doc! {"operatorName": "$expr", "specifiedAs": {"$expr": (*e).clone()}};
                match crate::expr::parse(e).and_then(|x| crate::expr::eval_root(&x, doc)) {
                    Ok(result) => {
                        d.insert(
                            "reason",
                            if inverted {
                                "expression did match"
                            } else {
                                "expression did not match"
                            },
                        );
                        d.insert("expressionResult", result);
                    }
                    Err(e) => {
                        d.insert("reason", "failed to evaluate aggregation expression");
                        d.insert(
                            "details",
                            bson::doc! {"code": e.code, "codeName": e.code_name, "errmsg": e.message},
                        );
                    }
                }
                d
            }
            (other, v) => bson::doc! {"operatorName": other, "specifiedAs": {other: (*v).clone()}},
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(validator: Document, doc: Document) -> String {
        let v = Validation {
            validator: Some((
                validator.clone(),
                parse_validator(&validator).unwrap_or(Filter::True),
            )),
            ..Validation::default()
        };
        match v.failure(&doc) {
            Some(info) => crate::value::shell_doc(&info),
            None => "passes".into(),
        }
    }

    #[test]
    fn query_operator_validators_say_which_clause_failed() {
        // jstests/core/doc_validation/doc_validation_options.js
        assert_eq!(
            details(bson::doc! {"a": 1}, bson::doc! {"_id": 1, "a": 2}),
            "{ failingDocumentId: 1, details: { operatorName: \"$eq\", specifiedAs: { a: 1 }, reason: \"comparison failed\", consideredValue: 2 } }"
        );
        assert_eq!(
            details(bson::doc! {"a": 1}, bson::doc! {"_id": 1, "a": 1}),
            "passes"
        );
        // jstests/core/doc_validation/doc_validation_error.js ("Contacts")
        assert_eq!(
            details(
                bson::doc! {"$or": [{"phone": {"$type": "string"}}, {"status": {"$in": ["Unknown", "Incomplete"]}}]},
                bson::doc! {"_id": 2, "email": "info@mongodb.co"}
            ),
            "{ failingDocumentId: 2, details: { operatorName: \"$or\", clausesNotSatisfied: [{ index: 0, details: { operatorName: \"$type\", specifiedAs: { phone: { $type: \"string\" } }, reason: \"field was missing\" } }, { index: 1, details: { operatorName: \"$in\", specifiedAs: { status: { $in: [\"Unknown\", \"Incomplete\"] } }, reason: \"field was missing\" } }] } }"
        );
        assert_eq!(
            details(bson::doc! {"a": {"$gte": 1, "$lte": 5}}, bson::doc! {"_id": 3, "a": 9}),
            "{ failingDocumentId: 3, details: { operatorName: \"$and\", clausesNotSatisfied: [{ index: 1, details: { operatorName: \"$lte\", specifiedAs: { a: { $lte: 5 } }, reason: \"comparison failed\", consideredValue: 9 } }] } }"
        );
    }

    #[test]
    fn refused_operators_are_named() {
        let err = parse_validator(&bson::doc! {"$text": {"$search": "bob"}}).map(|_| ());
        assert_eq!(
            err.map_err(|e| e.message),
            Err("$text is not allowed in collection validators".to_string())
        );
    }
}
