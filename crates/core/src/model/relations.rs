//! What both derivations read the same way from a design's relationships: the
//! field a relationship stores its children or its reference in, the implicit
//! id fields of a many-to-many pair, and which patterns read one side of a
//! many-to-many relationship by the other side's id; and which fields the
//! design makes key values themselves (never empty).

use super::{AccessPattern, Cardinality, Design, Entity, FieldType, PatternKind, Relationship};
use crate::names::{lower_first, plural};

/// The field of the child holding its parent's id, when a relationship is a
/// reference: the declared `field`, else `authorId`, or `courseIds` for
/// many-to-many.
pub fn reference_field(rel: &Relationship) -> String {
    if let Some(field) = &rel.field {
        return field.clone();
    }
    match rel.cardinality {
        Cardinality::ManyToMany => format!("{}Ids", lower_first(&rel.to)),
        _ => format!("{}Id", lower_first(&rel.from)),
    }
}

/// The field of the parent holding its children, when they are embedded: the
/// declared `field`, else `comments`, or `profile` for one-to-one
/// (`embeddedComments` when the parent has a field of that name). A declared
/// `field` the child has is the child's reference to its parent, not the name
/// of the embedded data: the children go under the default name then (the
/// parent would otherwise hold them under the name of the child's reference).
pub fn embedded_field(design: &Design, rel: &Relationship) -> String {
    let child_has = |f: &str| design.entity(&rel.to).is_some_and(|c| c.field(f).is_some());
    if let Some(field) = rel.field.as_ref().filter(|f| !child_has(f)) {
        return field.clone();
    }
    let child = lower_first(&rel.to);
    let default = match rel.cardinality {
        Cardinality::OneToOne => child,
        _ => plural(&child),
    };
    // A field of the parent's own keeps its name: the children go beside it.
    let parent_has = design
        .entity(&rel.from)
        .is_some_and(|p| p.field(&default).is_some());
    if parent_has {
        format!("embedded{}", crate::names::upper_first(&default))
    } else {
        default
    }
}

/// The implicit id fields of the two sides of a many-to-many pair, by which
/// each side is listed: `studentId`, `courseId`.
pub fn pair_id_fields(rel: &Relationship) -> (String, String) {
    (
        format!("{}Id", lower_first(&rel.from)),
        format!("{}Id", lower_first(&rel.to)),
    )
}

/// Whether a pattern reads one side of a many-to-many relationship by the
/// other side's id: `(relationship, forward)`, forward when it lists the `to`
/// side's entities of one `from`.
pub fn many_to_many_read(design: &Design, pattern: &AccessPattern) -> Option<(usize, bool)> {
    if !matches!(pattern.kind, PatternKind::List | PatternKind::Count) {
        return None;
    }
    let [field] = pattern.equality.as_slice() else {
        return None;
    };
    design.relationships.iter().enumerate().find_map(|(i, r)| {
        if r.cardinality != Cardinality::ManyToMany || r.from == r.to {
            return None;
        }
        let entity = design.entity(&pattern.entity)?;
        if entity.field_path(field).is_some() {
            return None; // A real field wins.
        }
        let (a, b) = pair_id_fields(r);
        if pattern.entity == r.to && *field == a {
            Some((i, true))
        } else if pattern.entity == r.from && *field == b {
            Some((i, false))
        } else {
            None
        }
    })
}

/// The fields of an entity whose value is, unchanged, a DynamoDB key value:
/// the attribute a declared index is keyed on (the `EmailIndex` on `email`),
/// or a key template that is one placeholder and nothing else (`<email>`).
/// DynamoDB refuses an empty string (or empty binary) as a key value, so
/// the design makes these fields never empty: the application rejects an
/// empty value before it writes or looks one up. Each with where it is a key
/// (`EmailIndex's partition key`). Only text and binary fields can be empty.
pub fn raw_key_fields(design: &Design, entity: &Entity) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |field: &str, place: String| {
        let can_be_empty = entity
            .field_path(field)
            .is_some_and(|f| matches!(f.ty, FieldType::String | FieldType::Binary));
        if can_be_empty && !out.iter().any(|(f, _)| f == field) {
            out.push((field.to_string(), place));
        }
    };
    for i in &design.dynamo.indexes {
        add(&i.partition_key, format!("{}'s partition key", i.name));
        if let Some(sk) = &i.sort_key {
            add(sk, format!("{}'s sort key", i.name));
        }
    }
    if let Some(t) = design.dynamo.key_templates.get(&entity.name) {
        for (template, which) in [(&t.pk, "partition key"), (&t.sk, "sort key")] {
            let raw = template
                .strip_prefix('<')
                .and_then(|rest| rest.strip_suffix('>'))
                .filter(|f| !f.contains(['<', '>', '|']));
            if let Some(field) = raw {
                add(field, format!("the table's {which}"));
            }
        }
    }
    out
}

/// Whether an entity's ids are made new by the writer for every insert, so an
/// insert never carries a taken one: ObjectIds and UUIDs (as drivers and SDKs
/// make them), text ids the design says are made as UUIDs or ObjectIds
/// (their generator), and the ids of an entity that declares none (each
/// layout makes its own). Other ids (a slug, a SKU, a sequence number) are
/// the client's choice and may be taken.
pub fn writer_made_id(entity: &Entity) -> bool {
    let Some(id) = entity.id_field() else {
        return true;
    };
    matches!(id.ty, FieldType::ObjectId | FieldType::Uuid)
        || matches!(
            id.generator,
            Some(super::Generator::Uuid | super::Generator::ObjectId)
        )
}

/// Whether an entity stored inside its parent keeps its id there: it
/// declares one, or a pattern finds it by its id (a read, an update or a
/// delete binding it), or a child of its own is inserted on its own (the
/// insert finds the element to write into by the id), which must then be
/// there to find. Otherwise the id exists only where a layout stores the
/// entity on its own.
pub fn embedded_keeps_id(design: &Design, entity: &Entity) -> bool {
    let id = entity.id_name();
    let children_inserted = || {
        design.access_patterns.iter().any(|p| {
            p.kind == PatternKind::Insert
                && design
                    .relationships
                    .iter()
                    .any(|r| r.from == entity.name && r.to == p.entity && r.to != r.from)
        })
    };
    entity.id_field().is_some()
        || design
            .access_patterns
            .iter()
            .any(|p| p.entity == entity.name && p.equality.iter().any(|f| *f == id || f == "_id"))
        || children_inserted()
}

/// One field of an entity's key identity (see [`key_identity`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPart {
    pub field: String,
    /// Whether the key holds the value lowercased (`<email|lower>`), so two
    /// values that differ only in case are the same key.
    pub lowered: bool,
}

/// The fields that together identify an entity's records when its key
/// template (`dynamo.keyTemplates`) does not hold its id: the template's
/// placeholders, partition key's first, as a SQL table's composite primary
/// key becomes (`ORDER#<orderId>` / `LINE#<lineNo>`). Two records with the
/// same values would be one DynamoDB item, so the design keeps them unique
/// together: an insert of a taken combination is refused (DynamoDB's
/// `attribute_not_exists` on the key), and MongoDB keeps them with a compound
/// unique index. Empty when the entity has no template or its template holds
/// the id: the id identifies the record then.
pub fn key_identity(design: &Design, entity: &Entity) -> Vec<KeyPart> {
    let Some(t) = design.dynamo.key_templates.get(&entity.name) else {
        return Vec::new();
    };
    let id = entity.id_name();
    let mut parts: Vec<KeyPart> = Vec::new();
    for template in [&t.pk, &t.sk] {
        let Ok(names) = super::validate::placeholders(template) else {
            return Vec::new();
        };
        for name in names {
            if name == id {
                return Vec::new();
            }
            if !parts.iter().any(|p| p.field == name) {
                parts.push(KeyPart {
                    field: name.to_string(),
                    lowered: template.contains(&format!("<{name}|lower>")),
                });
            }
        }
    }
    parts
}
