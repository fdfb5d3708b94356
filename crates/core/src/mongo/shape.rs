//! The shape of a collection's documents (the entity's fields, `_id` first,
//! embedded children, references) and their expected size.

use super::decide::reference;
use super::EmbedDecision;
use crate::model::relations::embedded_field;
use crate::model::*;
use crate::sample::{document_size, SampleContext};

/// The document shape of an entity, with embedded children and references.
pub(super) fn shape(
    design: &Design,
    decisions: &[EmbedDecision],
    entity: &Entity,
    depth: usize,
) -> Vec<Field> {
    let id_name = entity.id_field().map(|f| f.name.clone());
    let mut fields = Vec::new();
    if depth == 0 {
        match entity.id_field() {
            Some(id) => {
                let mut f = id.clone();
                f.name = "_id".to_string();
                f.required = true;
                fields.push(f);
            }
            None => {
                let mut f = Field::new("_id", FieldType::ObjectId);
                f.required = true;
                fields.push(f);
            }
        }
    }
    for field in &entity.fields {
        if depth == 0 && Some(&field.name) == id_name.as_ref() {
            continue;
        }
        fields.push(field.clone());
    }
    for d in decisions {
        let Some(rel) = design.relationships.get(d.relationship) else {
            continue;
        };
        if d.embed && d.from == entity.name && depth < MAX_TYPE_DEPTH {
            let Some(child) = design.entity(&d.to) else {
                continue;
            };
            let inner = FieldType::Object(shape(design, decisions, child, depth + 1));
            let ty = if rel.cardinality == Cardinality::OneToOne {
                inner
            } else {
                FieldType::Array(Box::new(inner))
            };
            let name = embedded_field(design, rel);
            if !fields.iter().any(|f| f.name == name) {
                fields.push(Field::new(&name, ty));
            }
        } else if !d.embed {
            let (holder, field, target, many) = reference(rel);
            let ty = if many {
                FieldType::Array(Box::new(FieldType::Ref(target)))
            } else {
                FieldType::Ref(target)
            };
            if holder == entity.name && !fields.iter().any(|f| f.name == field) {
                let mut f = Field::new(&field, ty);
                f.required = !many;
                fields.push(f);
            }
        }
    }
    fields
}

/// The average BSON size of an entity's own fields, from samples.
pub(super) fn entity_bytes(ctx: &SampleContext<'_>, entity: &Entity) -> u64 {
    let n = ctx.count(&entity.name).clamp(1, 20);
    (0..n)
        .map(|i| document_size(&ctx.record(entity, i)) as u64)
        .fold(0u64, u64::saturating_add)
        / n
}

/// The expected BSON size of an entity's document: its own fields (averaged
/// over samples) plus each embedded relationship at its stated expected count.
pub(super) fn expected_bytes(
    ctx: &SampleContext<'_>,
    design: &Design,
    decisions: &[EmbedDecision],
    entity: &Entity,
    depth: usize,
) -> u64 {
    let mut bytes = entity_bytes(ctx, entity);
    if depth >= 8 {
        return bytes;
    }
    for d in decisions
        .iter()
        .filter(|d| d.embed && d.from == entity.name)
    {
        let (Some(rel), Some(child)) = (
            design.relationships.get(d.relationship),
            design.entity(&d.to),
        ) else {
            continue;
        };
        let child_bytes = expected_bytes(ctx, design, decisions, child, depth + 1);
        let count = if rel.cardinality == Cardinality::OneToOne {
            1
        } else {
            rel.expected_count.max(1)
        };
        bytes = bytes.saturating_add(count.saturating_mul(child_bytes));
    }
    bytes
}
