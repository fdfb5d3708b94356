//! Checks of declared MongoDB indexes, expiry fields and enumerations.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{has_path, unknown_entity};
use crate::model::*;

/// The checks of `mongo.indexes` and each entity's `ttl`.
pub(super) fn check(design: &Design, out: &mut Vec<Finding>) {
    let expiring = design.entities.iter().any(|e| e.ttl.is_some());
    for (i, entity) in design.entities.iter().enumerate() {
        check_ttl(entity, &format!("entities[{i}].ttl"), out);
        // The table's TTL attribute is written by schemaplay; a field of that name would be read as an expiry.
        let clash = entity.fields.iter().position(|f| f.name == TTL_ATTRIBUTE);
        if let Some(j) = clash.filter(|_| expiring) {
            out.push(Finding::error(
                "invalid-name",
                format!("entities[{i}].fields[{j}].name"),
                format!("\"{TTL_ATTRIBUTE}\" is the DynamoDB attribute the items' expiry is written to (an entity has a ttl); rename the field"),
            ));
        }
    }
    let mut names = BTreeSet::new();
    let mut text = BTreeSet::new();
    for (i, index) in design.mongo.indexes.iter().enumerate() {
        let path = format!("mongo.indexes[{i}]");
        let Some(entity) = design.entity(&index.entity) else {
            out.push(unknown_entity(&format!("{path}.entity"), &index.entity));
            continue;
        };
        check_index(design, entity, index, &path, out);
        if !names.insert((index.entity.as_str(), index.index_name())) {
            out.push(Finding::error(
                "duplicate-name",
                format!("{path}.name"),
                format!(
                    "{} already has an index named \"{}\"",
                    index.entity,
                    index.index_name()
                ),
            ));
        }
        if index.is_text() && !text.insert(index.entity.as_str()) {
            out.push(Finding::error(
                "invalid-index",
                format!("{path}.keys"),
                format!(
                    "{} already has a text index; a collection has at most one",
                    index.entity
                ),
            ));
        }
    }
}

fn check_ttl(entity: &Entity, path: &str, out: &mut Vec<Finding>) {
    let Some(name) = entity.ttl.as_ref().map(|t| &t.field) else {
        return;
    };
    let path = &format!("{path}.field");
    match entity.field(name) {
        None => out.push(Finding::error(
            "unknown-field",
            path,
            format!("\"{name}\" is not a field of {}", entity.name),
        )),
        Some(field) if field.ty != FieldType::Date => out.push(Finding::error(
            "invalid-value",
            path,
            format!(
                "\"{name}\" is a {}; an item expires at a date field",
                field.ty
            ),
        )),
        Some(_) => {}
    }
}

fn check_index(
    design: &Design,
    entity: &Entity,
    index: &MongoIndex,
    path: &str,
    out: &mut Vec<Finding>,
) {
    let invalid = |out: &mut Vec<Finding>, at: String, message: String| {
        out.push(Finding::error("invalid-index", at, message));
    };
    if index.keys.is_empty() {
        invalid(
            out,
            format!("{path}.keys"),
            "an index has at least one key".to_string(),
        );
    }
    let mut seen = BTreeSet::new();
    for (k, key) in index.keys.iter().enumerate() {
        let kpath = format!("{path}.keys[{k}]");
        if !has_path(design, entity, &key.field) {
            out.push(Finding::error(
                "unknown-field",
                format!("{kpath}.field"),
                format!("\"{}\" is not a field of {}", key.field, entity.name),
            ));
        }
        if !seen.insert(key.field.as_str()) {
            invalid(
                out,
                format!("{kpath}.field"),
                format!("\"{}\" is a key of this index twice", key.field),
            );
        }
        if key.weight.is_some() && key.order != KeyOrder::Text {
            invalid(
                out,
                format!("{kpath}.weight"),
                "only a text key has a weight".to_string(),
            );
        }
    }
    if index.is_text() && index.unique {
        invalid(
            out,
            format!("{path}.unique"),
            "a text index cannot be unique".to_string(),
        );
    }
    if index.sparse && index.partial_filter_expression.is_some() {
        invalid(
            out,
            format!("{path}.sparse"),
            "an index is either sparse or partial, not both (MongoDB refuses the pair)".to_string(),
        );
    }
    if index.expire_after_seconds.is_some() {
        let first = index
            .keys
            .first()
            .map(|k| k.field.as_str())
            .unwrap_or_default();
        let date_field = entity.field_path(first);
        if index.keys.len() != 1 || index.is_text() {
            invalid(
                out,
                format!("{path}.expireAfterSeconds"),
                "a TTL index has exactly one key, not text".to_string(),
            );
        } else if date_field.is_some_and(|f| f.ty != FieldType::Date) {
            invalid(
                out,
                format!("{path}.expireAfterSeconds"),
                format!("\"{first}\" is not a date: MongoDB never expires a document by it"),
            );
        }
    }
    if let Some(collation) = &index.collation {
        if collation.locale.trim().is_empty() {
            invalid(
                out,
                format!("{path}.collation.locale"),
                "a collation names its locale (\"en\", \"simple\")".to_string(),
            );
        }
    }
}

/// The checks of a field's `enum`: a string field, string values, each once,
/// and an example and default among them.
pub(super) fn check_enum(field: &Field, path: &str, out: &mut Vec<Finding>) {
    if field.enum_values.is_empty() {
        return;
    }
    let epath = format!("{path}.enum");
    let strings = match &field.ty {
        FieldType::String => true,
        FieldType::Array(item) => **item == FieldType::String,
        _ => false,
    };
    if !strings {
        out.push(Finding::error(
            "invalid-enum",
            epath.clone(),
            format!(
                "\"{}\" is a {}; only string fields take an enum",
                field.name, field.ty
            ),
        ));
    }
    let mut seen = BTreeSet::new();
    for (j, value) in field.enum_values.iter().enumerate() {
        match value.as_str() {
            None => out.push(Finding::error(
                "invalid-enum",
                format!("{epath}[{j}]"),
                format!("expected a string, found {value}"),
            )),
            Some(s) if !seen.insert(s) => out.push(Finding::error(
                "invalid-enum",
                format!("{epath}[{j}]"),
                format!("\"{s}\" is in the enum twice"),
            )),
            Some(_) => {}
        }
    }
    for (key, value) in [("example", &field.example), ("default", &field.default)] {
        let Some(value) = value else {
            continue;
        };
        let values: Vec<&Value> = match value {
            Value::Array(items) if matches!(field.ty, FieldType::Array(_)) => {
                items.iter().collect()
            }
            other => vec![other],
        };
        for v in values {
            if !field.enum_values.contains(v) {
                out.push(Finding::error(
                    "invalid-enum",
                    format!("{path}.{key}"),
                    format!("{v} is not one of the enum's values"),
                ));
            }
        }
    }
}
