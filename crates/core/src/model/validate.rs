//! Semantic checks of a design: names, references between its parts, and the
//! limits the databases impose on names. Every error is reported, each with
//! its path; structural problems are found earlier, while reading the JSON.

use std::collections::BTreeSet;

use super::relations::{pair_id_fields, reference_field};
use super::*;

mod mindex;

/// Every semantic error of the design, in document order.
pub fn validate(design: &Design) -> Vec<Finding> {
    let mut out = Vec::new();
    if design.name.trim().is_empty() {
        out.push(Finding::error(
            "empty-name",
            "name",
            "the design needs a name",
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, entity) in design.entities.iter().enumerate() {
        let path = format!("entities[{i}]");
        check_entity_name(&entity.name, &format!("{path}.name"), &mut out);
        if !seen.insert(entity.name.as_str()) {
            out.push(Finding::error(
                "duplicate-name",
                format!("{path}.name"),
                format!("entity \"{}\" is declared twice", entity.name),
            ));
        }
        check_fields(design, &entity.fields, &format!("{path}.fields"), &mut out);
        if let Some(id) = &entity.id {
            if entity.field(id).is_none() {
                out.push(Finding::error(
                    "unknown-field",
                    format!("{path}.id"),
                    format!("\"{id}\" is not a field of {}", entity.name),
                ));
            }
        }
    }
    for (i, rel) in design.relationships.iter().enumerate() {
        let path = format!("relationships[{i}]");
        super::cascade::check(rel, &path, &mut out);
        for (key, name) in [("from", &rel.from), ("to", &rel.to)] {
            if design.entity(name).is_none() {
                out.push(unknown_entity(&format!("{path}.{key}"), name));
            }
        }
        if let Some(field) = &rel.field {
            if !is_valid_field_name(field) {
                out.push(Finding::error(
                    "invalid-name",
                    format!("{path}.field"),
                    format!("\"{field}\" is not a valid field name (no dots, no leading $)"),
                ));
            }
        }
    }
    let mut pattern_names = BTreeSet::new();
    for (i, pattern) in design.access_patterns.iter().enumerate() {
        check_pattern(design, pattern, &format!("accessPatterns[{i}]"), &mut out);
        super::transaction::check(design, pattern, &format!("accessPatterns[{i}]"), &mut out);
        if !pattern_names.insert(pattern.name.as_str()) {
            out.push(Finding::error(
                "duplicate-name",
                format!("accessPatterns[{i}].name"),
                format!("access pattern \"{}\" is declared twice", pattern.name),
            ));
        }
    }
    for (entity, collection) in &design.mongo.collections {
        let path = format!("mongo.collections.{entity}");
        if design.entity(entity).is_none() {
            out.push(unknown_entity(&path, entity));
        }
        if collection.is_empty()
            || collection.contains('$')
            || collection.starts_with("system.")
            || collection.contains('\0')
        {
            out.push(Finding::error(
                "invalid-name",
                path,
                format!("\"{collection}\" is not a valid collection name (not empty, no $, not system.*)"),
            ));
        }
    }
    check_dynamo(design, &mut out);
    mindex::check(design, &mut out);
    super::copies::check(design, &mut out);
    for entity in design.positions.keys() {
        if design.entity(entity).is_none() {
            out.push(unknown_entity(&format!("positions.{entity}"), entity));
        }
    }
    out
}

fn unknown_entity(path: &str, name: &str) -> Finding {
    Finding::error(
        "unknown-entity",
        path,
        format!("no entity is named \"{name}\""),
    )
}

/// Whether an entity name is valid: a letter, then letters, digits and `_`.
pub fn is_valid_entity_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether a field name is valid: not empty, no dots (they reach into embedded
/// objects), no leading `$` (MongoDB's operators).
pub fn is_valid_field_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('.') && !name.starts_with('$')
}

fn check_entity_name(name: &str, path: &str, out: &mut Vec<Finding>) {
    if !is_valid_entity_name(name) {
        out.push(Finding::error(
            "invalid-name",
            path,
            format!("entity name \"{name}\" must start with a letter and hold only letters, digits and _"),
        ));
    }
}

fn check_fields(design: &Design, fields: &[Field], path: &str, out: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    for (i, field) in fields.iter().enumerate() {
        let fpath = format!("{path}[{i}]");
        if !is_valid_field_name(&field.name) {
            out.push(Finding::error(
                "invalid-name",
                format!("{fpath}.name"),
                format!(
                    "\"{}\" is not a valid field name (not empty, no dots, no leading $)",
                    field.name
                ),
            ));
        }
        if !seen.insert(field.name.as_str()) {
            out.push(Finding::error(
                "duplicate-name",
                format!("{fpath}.name"),
                format!("field \"{}\" is declared twice", field.name),
            ));
        }
        check_type(design, &field.ty, &format!("{fpath}.type"), out);
        mindex::check_enum(field, &fpath, out);
    }
}

fn check_type(design: &Design, ty: &FieldType, path: &str, out: &mut Vec<Finding>) {
    match ty {
        FieldType::Array(item) => check_type(design, item, &format!("{path}.array"), out),
        FieldType::Object(fields) => check_fields(design, fields, &format!("{path}.object"), out),
        FieldType::Ref(entity) if design.entity(entity).is_none() => {
            out.push(unknown_entity(&format!("{path}.ref"), entity));
        }
        _ => {}
    }
}

/// Whether `path` names a field of the entity, its implicit id, or the
/// implicit reference to a parent (`userId` of a child of `User`).
fn has_path(design: &Design, entity: &Entity, path: &str) -> bool {
    entity.field_path(path).is_some()
        || path == entity.id_name()
        || path == "_id"
        || design
            .relationships
            .iter()
            .any(|r| r.to == entity.name && reference_field(r) == path)
        || design.relationships.iter().any(|r| {
            // Many-to-many: each side can be listed by the other side's id.
            let (from_id, to_id) = pair_id_fields(r);
            r.cardinality == Cardinality::ManyToMany
                && ((r.to == entity.name && path == from_id)
                    || (r.from == entity.name && path == to_id))
        })
}

fn check_pattern(design: &Design, pattern: &AccessPattern, path: &str, out: &mut Vec<Finding>) {
    if pattern.name.trim().is_empty() {
        out.push(Finding::error(
            "empty-name",
            format!("{path}.name"),
            "the access pattern needs a name",
        ));
    }
    let Some(entity) = design.entity(&pattern.entity) else {
        out.push(unknown_entity(&format!("{path}.entity"), &pattern.entity));
        return;
    };
    let mut check = |fpath: String, field: &str| {
        if !has_path(design, entity, field) {
            out.push(Finding::error(
                "unknown-field",
                fpath,
                format!("\"{field}\" is not a field of {}", entity.name),
            ));
        }
    };
    for (i, field) in pattern.equality.iter().enumerate() {
        check(format!("{path}.equality[{i}]"), field);
    }
    if let Some(range) = &pattern.range {
        check(format!("{path}.range"), range);
    }
    // An aggregate's sort names a group key or an output (checked with the aggregate).
    if let Some(sort) = pattern
        .sort
        .as_ref()
        .filter(|_| pattern.kind != PatternKind::Aggregate)
    {
        check(format!("{path}.sort.field"), &sort.field);
    }
    for (i, field) in pattern.fields.iter().enumerate() {
        check(format!("{path}.fields[{i}]"), field);
    }
    if let Some(condition) = &pattern.condition {
        check(format!("{path}.condition.field"), &condition.field);
    }
    super::version::check(entity, pattern, path, out);
    let exists = |field: &str| has_path(design, entity, field);
    super::aggregate::check(entity, pattern, path, &exists, out);
    if pattern.page_size == Some(0) {
        out.push(Finding::error(
            "invalid-value",
            format!("{path}.pageSize"),
            "a page holds at least one item",
        ));
    }
    if pattern.kind == PatternKind::TextSearch && pattern.fields.is_empty() {
        out.push(Finding::error(
            "missing-fields",
            format!("{path}.fields"),
            "a text search names the fields it searches",
        ));
    }
    if pattern.kind == PatternKind::Update && pattern.fields.is_empty() {
        out.push(Finding::error(
            "missing-fields",
            format!("{path}.fields"),
            "an update names the fields it writes",
        ));
    }
    if pattern.update == Some(UpdateAction::Increment) {
        for (i, name) in pattern.fields.iter().enumerate() {
            if let Some(field) = entity.field_path(name) {
                if !field.ty.is_numeric() {
                    out.push(Finding::error(
                        "invalid-value",
                        format!("{path}.fields[{i}]"),
                        format!(
                            "\"{name}\" is a {}, and only numbers can be incremented",
                            field.ty
                        ),
                    ));
                }
            }
        }
    }
}

fn is_valid_dynamo_name(name: &str) -> bool {
    (3..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

fn check_dynamo(design: &Design, out: &mut Vec<Finding>) {
    let dynamo = &design.dynamo;
    if !is_valid_dynamo_name(&dynamo.table_name) {
        out.push(Finding::error(
            "invalid-name",
            "dynamo.tableName",
            format!(
                "\"{}\" is not a valid table name (3 to 255 of a-z, A-Z, 0-9, _, -, .)",
                dynamo.table_name
            ),
        ));
    }
    for (key, name) in [
        ("partitionKey", &dynamo.partition_key),
        ("sortKey", &dynamo.sort_key),
    ] {
        if name.is_empty() || name.len() > 255 {
            out.push(Finding::error(
                "invalid-name",
                format!("dynamo.{key}"),
                "a key attribute name has 1 to 255 characters",
            ));
        }
    }
    if dynamo.partition_key == dynamo.sort_key {
        out.push(Finding::error(
            "invalid-name",
            "dynamo.sortKey",
            "the sort key must differ from the partition key",
        ));
    }
    check_key_templates(design, out);
    super::sql_source::check(design, out);
    check_indexes(design, out);
    super::projection::check_projections(design, out);
    super::layout_choices::check(design, out);
    super::counters::check(design, out);
}

/// Every key template names an entity and its fields, and is well formed.
fn check_key_templates(design: &Design, out: &mut Vec<Finding>) {
    for (entity_name, template) in &design.dynamo.key_templates {
        let path = format!("dynamo.keyTemplates.{entity_name}");
        let Some(entity) = design.entity(entity_name) else {
            out.push(unknown_entity(&path, entity_name));
            continue;
        };
        for (key, text) in [("pk", &template.pk), ("sk", &template.sk)] {
            if text.is_empty() {
                out.push(Finding::error(
                    "invalid-value",
                    format!("{path}.{key}"),
                    "a key template cannot be empty",
                ));
            }
            match placeholders(text) {
                Ok(names) => {
                    for name in names {
                        if !has_path(design, entity, name) {
                            out.push(Finding::error(
                                "unknown-field",
                                format!("{path}.{key}"),
                                format!("<{name}> is not a field of {entity_name}"),
                            ));
                        }
                    }
                }
                Err(message) => out.push(Finding::error(
                    "invalid-value",
                    format!("{path}.{key}"),
                    message,
                )),
            }
        }
    }
}

/// Index names are valid and unique, local indexes share the table's
/// partition key and have their own sort key, and the counts fit DynamoDB's limits.
fn check_indexes(design: &Design, out: &mut Vec<Finding>) {
    let dynamo = &design.dynamo;
    let mut names = BTreeSet::new();
    let (mut global, mut local) = (0, 0);
    for (i, index) in dynamo.indexes.iter().enumerate() {
        let path = format!("dynamo.indexes[{i}]");
        if !is_valid_dynamo_name(&index.name) {
            out.push(Finding::error(
                "invalid-name",
                format!("{path}.name"),
                format!(
                    "\"{}\" is not a valid index name (3 to 255 of a-z, A-Z, 0-9, _, -, .)",
                    index.name
                ),
            ));
        }
        if !names.insert(index.name.as_str()) {
            out.push(Finding::error(
                "duplicate-name",
                format!("{path}.name"),
                format!("index \"{}\" is declared twice", index.name),
            ));
        }
        if index.local {
            local += 1;
            if index.partition_key != dynamo.partition_key {
                out.push(Finding::error(
                    "invalid-value",
                    format!("{path}.partitionKey"),
                    format!(
                        "a local index shares the table's partition key \"{}\"",
                        dynamo.partition_key
                    ),
                ));
            }
            if index.sort_key.is_none() {
                out.push(Finding::error(
                    "invalid-value",
                    format!("{path}.sortKey"),
                    "a local index needs its own sort key",
                ));
            }
        } else {
            global += 1;
        }
    }
    if global > 20 {
        out.push(Finding::error(
            "too-many-indexes",
            "dynamo.indexes",
            format!("{global} global secondary indexes; DynamoDB allows 20 per table"),
        ));
    }
    if local > 5 {
        out.push(Finding::error(
            "too-many-indexes",
            "dynamo.indexes",
            format!("{local} local secondary indexes; DynamoDB allows 5 per table"),
        ));
    }
}

/// The `<field>` names in a key template (`<email|lower>` names `email`), or
/// why the template is malformed.
pub fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            return Err(format!("\"{template}\" has a < without its >"));
        };
        let name = &after[..close];
        if name.is_empty() {
            return Err(format!("\"{template}\" has an empty <>"));
        }
        // `<email|lower>` puts the lowercased value in the key.
        let name = match name.split_once('|') {
            Some((field, "lower")) => field,
            Some((_, modifier)) => {
                return Err(format!(
                    "\"{template}\" uses the unknown modifier |{modifier} (only |lower exists)"
                ))
            }
            None => name,
        };
        names.push(name);
        rest = &after[close + 1..];
    }
    if rest.contains('>') {
        return Err(format!("\"{template}\" has a > without its <"));
    }
    Ok(names)
}
