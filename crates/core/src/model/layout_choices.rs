//! The user's picks among DynamoDB layout alternatives that the derivation
//! would otherwise make itself: where a child entity's items live
//! (`dynamo.placements`), and whether a sort on another field than the sort
//! key is served by a local or a global secondary index
//! (`dynamo.sortIndexes`). Both are optional: absent, the derivation decides,
//! so every design written before them reads and derives as it did.

use serde::{Deserialize, Serialize};

use super::relations::many_to_many_read;
use super::*;

/// Where a child entity's items live in the single table.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Placement {
    /// In the parent's item collection (`USER#<authorId>` / `POST#<createdAt>#<postId>`):
    /// one Query reads the parent with its children.
    Parent,
    /// In a partition of its own, reached by its id (`POST#<postId>` / `METADATA`);
    /// a list by the parent goes through a global index.
    Own,
}

impl Placement {
    pub const NAMES: [&'static str; 2] = ["parent", "own"];
}

/// Which kind of secondary index serves a pattern sorted on another field.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum IndexScope {
    /// A local index: same partition, re-sorted; strongly consistent reads;
    /// 10 GB per item collection; created with the table only.
    Local,
    /// A global index: its own partitions, eventually consistent, added any time.
    Global,
}

impl IndexScope {
    pub const NAMES: [&'static str; 2] = ["local", "global"];
}

/// The relationship whose parent's item collection a child can live in: the
/// first one naming it as the child of another entity, not many-to-many.
pub fn parent_relationship<'d>(design: &'d Design, child: &str) -> Option<&'d Relationship> {
    design.relationships.iter().find(|r| {
        r.to == child
            && r.from != child
            && r.cardinality != Cardinality::ManyToMany
            && design.entity(&r.from).is_some()
    })
}

/// A pattern that reads the entity through many-to-many link items, which
/// fetch each item by its id alone (so it needs a partition of its own).
pub fn link_read<'d>(design: &'d Design, entity: &str) -> Option<&'d AccessPattern> {
    design.access_patterns.iter().find(|p| {
        p.entity == entity && p.kind == PatternKind::List && many_to_many_read(design, p).is_some()
    })
}

/// Whether a pattern sorts (or bounds a range) on a field: the only patterns
/// a choice of index scope can concern.
pub fn sorts(pattern: &AccessPattern) -> bool {
    matches!(pattern.kind, PatternKind::List | PatternKind::Count)
        && (pattern.sort.is_some() || pattern.range.is_some())
}

/// The semantic checks of both maps: each names an entity or a pattern that
/// exists, and a placement in the parent's collection has a parent to go to.
pub(super) fn check(design: &Design, out: &mut Vec<Finding>) {
    for (entity, placement) in &design.dynamo.placements {
        let path = format!("dynamo.placements.{entity}");
        if design.entity(entity).is_none() {
            out.push(Finding::error(
                "unknown-entity",
                path,
                format!("no entity is named \"{entity}\""),
            ));
            continue;
        }
        if *placement != Placement::Parent {
            continue;
        }
        if parent_relationship(design, entity).is_none() {
            out.push(Finding::error(
                "invalid-value",
                path,
                format!("{entity} is not the child of a one-to-one, one-to-few or one-to-many relationship, so it has no parent's item collection to live in"),
            ));
        } else if let Some(p) = link_read(design, entity) {
            out.push(Finding::error(
                "invalid-value",
                path,
                format!("\"{}\" reads {entity} through many-to-many link items, which fetch each item by its id alone: {entity} needs a partition of its own", p.name),
            ));
        }
    }
    for name in design.dynamo.sort_indexes.keys() {
        let path = format!("dynamo.sortIndexes.{name}");
        match design.access_patterns.iter().find(|p| p.name == *name) {
            None => out.push(Finding::error(
                "unknown-pattern",
                path,
                format!("no access pattern is named \"{name}\""),
            )),
            Some(p) if !sorts(p) => out.push(Finding::error(
                "invalid-value",
                path,
                format!("\"{name}\" is not a list or count with a sort or a range, so no secondary index sorts it"),
            )),
            Some(_) => {}
        }
    }
}
