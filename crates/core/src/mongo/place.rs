//! Where each entity lives: its own collection, or inside another entity's
//! documents (following chains of embedding), and the path of its fields there.

use super::{collection_of, EmbedDecision};
use crate::model::relations::embedded_field;
use crate::model::*;

/// Where an entity's data lives: its own collection, or inside another's documents.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// The collection holding the documents (the host's, when embedded).
    pub collection: String,
    /// The path of the embedded data inside the host document (empty for a collection's own entity).
    pub prefix: String,
    /// Whether the embedded data is an array (one-to-few, one-to-many) rather than one object.
    pub array: bool,
    /// The host entity, when embedded.
    pub parent: Option<String>,
}

/// Where each entity lives, following chains of embedding.
pub(crate) fn placements(design: &Design, decisions: &[EmbedDecision]) -> Vec<(String, Placement)> {
    let mut out = Vec::new();
    for entity in &design.entities {
        let mut prefix = Vec::new();
        let mut current = entity.name.clone();
        let mut array = false;
        let mut parent = None;
        // Follow embed decisions up to the collection's root entity, at most once per entity.
        for _ in 0..design.entities.len() {
            let Some(d) = decisions.iter().find(|d| d.embed && d.to == current) else {
                break;
            };
            let Some(rel) = design.relationships.get(d.relationship) else {
                break;
            };
            prefix.insert(0, embedded_field(design, rel));
            array |= rel.cardinality != Cardinality::OneToOne;
            if parent.is_none() {
                parent = Some(d.from.clone());
            }
            current = d.from.clone();
        }
        out.push((
            entity.name.clone(),
            Placement {
                collection: collection_of(design, &current),
                prefix: prefix.join("."),
                array,
                parent,
            },
        ));
    }
    out
}

pub(crate) fn placement<'a>(
    placements: &'a [(String, Placement)],
    entity: &str,
) -> Option<&'a Placement> {
    placements.iter().find(|(n, _)| n == entity).map(|(_, p)| p)
}

/// Translates an entity's field path to its path in the host document.
pub(crate) fn host_path(entity: &Entity, placement: &Placement, field: &str) -> String {
    let field = if placement.prefix.is_empty() && (field == entity.id_name() || field == "_id") {
        "_id"
    } else {
        field
    };
    if placement.prefix.is_empty() {
        field.to_string()
    } else {
        format!("{}.{field}", placement.prefix)
    }
}
