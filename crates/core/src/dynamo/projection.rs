//! Index projections: which attributes each secondary index copies from the
//! items it holds. The design may say (`dynamo.projections`); otherwise the
//! patterns the index serves decide. A count or a look-up of keys needs the
//! keys only; a read of whole items needs every attribute, either copied
//! (ALL) or fetched from the table after the Query (a GetItem, or a
//! BatchGetItem for a list). Copying costs an index write on every update of
//! the item, even one that changes no key (DynamoDB writes an index whenever
//! an attribute it projects changes); fetching costs a read per item read.
//! The cheaper at the patterns' rates wins, as an expert would weigh it.

use super::capacity::{READ_UNIT_BYTES, WRITE_UNIT_BYTES, WRITE_UNIT_IN_READ_UNITS};
use super::index::IndexDraft;
use super::keys::template_fields;
use super::plan::{Path, Plan};
use super::Deriver;
use crate::model::*;
use crate::names;
use crate::sample::{item_size, Val};

/// Units of `bytes`, rounded up, at least one.
fn units(bytes: u64, unit: u64) -> f64 {
    bytes.max(1).div_ceil(unit) as f64
}

impl Deriver<'_> {
    /// Decides every index's projection, once planning has registered the
    /// indexes and the patterns they serve.
    pub(super) fn project_indexes(&mut self, plans: &[Option<Plan>]) {
        for n in 0..self.indexes.len() {
            let Some(i) = self.indexes.get(n) else {
                continue;
            };
            let (projection, reason) = self.projection_of(i, plans);
            if let Some(i) = self.indexes.get_mut(n) {
                i.projection = projection;
                i.projection_reason = reason;
            }
        }
    }

    /// The design's projection of the index, or the derived one, with why.
    fn projection_of(&self, i: &IndexDraft, plans: &[Option<Plan>]) -> (Projection, String) {
        if let Some(p) = self.design.dynamo.projections.get(&i.name) {
            return (p.clone(), "set in the design".to_string());
        }
        // An index the user declared is the user's: without a projection of its
        // own it copies whole items, as the user's CreateTable or the console
        // makes it, so reads through it answer what the user's code expects.
        if self.design.dynamo.indexes.iter().any(|d| d.name == i.name) {
            return (
                Projection::All,
                "declared in the design without a projection: it copies whole items (set `dynamo.projections` to copy the keys alone or some attributes)".to_string(),
            );
        }
        // The whole-item reads the index serves, with the read units per
        // second that fetching their items from the table would take.
        let mut fetches: Vec<(&AccessPattern, f64)> = Vec::new();
        for (p, plan) in self.design.access_patterns.iter().zip(plans) {
            let Some(plan) = plan else {
                continue;
            };
            match &plan.path {
                Path::Link {
                    index: Some(name), ..
                } if *name == i.name => {
                    return (
                        Projection::All,
                        format!("\"{}\" reads link items through it, which hold the ids it needs and are never updated", p.name),
                    );
                }
                Path::Index { name, .. } if *name == i.name => {}
                _ => continue,
            }
            let Some(entity) = self.design.entity(&p.entity) else {
                continue;
            };
            match p.kind {
                PatternKind::GetOne if self.owns_collection(&entity.name) => {
                    return (
                        Projection::All,
                        format!("\"{}\" reads the item with the items of its collection, through the item it finds here", p.name),
                    );
                }
                PatternKind::GetOne | PatternKind::List => {
                    fetches.push((
                        p,
                        p.requests_per_second * self.fetch_units(p, entity, &plan.path),
                    ));
                }
                PatternKind::Update | PatternKind::Delete => {
                    return (
                        Projection::All,
                        format!(
                            "\"{}\" finds the item it writes here, and writes with what it read",
                            p.name
                        ),
                    );
                }
                _ => {}
            }
        }
        if fetches.is_empty() {
            return (
                Projection::KeysOnly,
                "nothing read through it needs more than the keys".to_string(),
            );
        }
        let fetched: f64 = fetches.iter().map(|(_, u)| u).sum();
        let (saved, updates) = self.index_writes_saved(i);
        let reads = fetches
            .iter()
            .map(|(p, _)| format!("\"{}\"", p.name))
            .collect::<Vec<_>>()
            .join(", ");
        let (read, change) = match (fetches.len(), updates.starts_with("the updates")) {
            (1, false) => ("reads", "changes"),
            (1, true) => ("reads", "change"),
            (_, false) => ("read", "changes"),
            (_, true) => ("read", "change"),
        };
        if saved * WRITE_UNIT_IN_READ_UNITS > fetched {
            (
                Projection::KeysOnly,
                format!(
                    "{updates} {change} no key of it: with the keys alone it is not written then, saving about {saved:.1} write units per second, while fetching from the table the items {reads} {read} takes about {fetched:.1} read units per second (a write unit costs {WRITE_UNIT_IN_READ_UNITS} read units)"
                ),
            )
        } else {
            let why = if saved > 0.0 {
                format!(
                    "{updates} would save only about {saved:.1} write units per second with the keys alone"
                )
            } else {
                "no update spares it".to_string()
            };
            (
                Projection::All,
                format!(
                    "{reads} {read} whole items through it: copying them costs less than fetching them from the table (about {fetched:.1} read units per second), and {why}"
                ),
            )
        }
    }

    /// The read units one run of a whole-item read through an index would
    /// take to fetch its items from the table.
    fn fetch_units(&self, p: &AccessPattern, entity: &Entity, path: &Path) -> f64 {
        let factor = if p.consistency == Consistency::Strong {
            1.0
        } else {
            0.5
        };
        let item = units(self.average_item_bytes(entity), READ_UNIT_BYTES);
        let per_value = match path {
            Path::Index { pk, raw: true, .. } => {
                self.distinct(entity, pk.trim_matches(|c| c == '<' || c == '>'))
            }
            Path::Index { pk, .. } => self.partition_values(entity, pk),
            _ => 1,
        };
        let per_partition = entity
            .volume
            .checked_div(per_value.max(1))
            .unwrap_or(0)
            .max(1);
        let page = u64::from(p.page_size.unwrap_or(25));
        let (items, _) = self.query_reads(p, entity, 0, page, per_partition);
        items as f64 * item * factor
    }

    /// The index write units per second that projecting only the keys saves:
    /// the updates of the index's items that change none of its key
    /// attributes (which write the index whatever it projects). With the
    /// names of those updates.
    fn index_writes_saved(&self, i: &IndexDraft) -> (f64, String) {
        let mut saved = 0.0;
        let mut names = Vec::new();
        for p in &self.design.access_patterns {
            if p.kind != PatternKind::Update {
                continue;
            }
            let Some(entity) = self.design.entity(&p.entity) else {
                continue;
            };
            let Some((_, pk, sk)) = i.mappings.iter().find(|(e, _, _)| *e == entity.name) else {
                continue;
            };
            if self
                .home_of(&entity.name)
                .is_some_and(|h| h.embedded.is_some())
            {
                continue;
            }
            let key_fields: Vec<String> = template_fields(pk)
                .into_iter()
                .chain(sk.iter().flat_map(|s| template_fields(s)))
                .chain([i.pk_attr.clone()])
                .chain(i.sk_attr.clone())
                .collect();
            let top = |f: &String| f.split('.').next().unwrap_or(f).to_string();
            if p.fields.iter().any(|f| key_fields.contains(&top(f))) {
                continue;
            }
            let factor = if p.transactional { 2.0 } else { 1.0 };
            saved += p.requests_per_second
                * units(self.average_item_bytes(entity), WRITE_UNIT_BYTES)
                * factor;
            names.push(format!("\"{}\"", p.name));
        }
        let names = match names.len() {
            0 => String::new(),
            1 => format!("the update {}", names.join("")),
            _ => format!("the updates {}", names.join(", ")),
        };
        (saved, names)
    }

    /// Whether a read through the index lacks attributes of `entity`'s items
    /// that a whole-item read needs, and so fetches them from the table.
    pub(super) fn index_lacks(&self, index: &str, entity: &Entity) -> bool {
        let Some(i) = self.indexes.iter().find(|i| i.name == index) else {
            return false;
        };
        entity.fields.iter().any(|f| {
            !i.projection.holds(&f.name)
                && f.name != i.pk_attr
                && i.sk_attr.as_deref() != Some(f.name.as_str())
        })
    }

    /// Whether the index copies the top-level attribute `attribute` (a key
    /// attribute of the index, or one it projects).
    pub(super) fn index_holds(&self, i: &IndexDraft, attribute: &str) -> bool {
        i.projection.holds(attribute)
            || i.pk_attr == attribute
            || i.sk_attr.as_deref() == Some(attribute)
    }

    /// The bytes of the copy of one of `entity`'s items (a link item's, for a
    /// link) that the index keeps: the whole item, or its table and index key
    /// attributes and the attributes it projects, measured on sample record 0.
    pub(super) fn projected_bytes_of(&self, entity: &str, i: &IndexDraft) -> u64 {
        let Some(e) = self.design.entity(entity) else {
            let link = self
                .design
                .relationships
                .iter()
                .find(|r| super::link_name(r) == entity);
            return link.map_or(0, |r| item_size(&self.link_item(r, 0)) as u64);
        };
        if i.projection == Projection::All {
            return self.average_item_bytes(e);
        }
        let dynamo = &self.design.dynamo;
        let item = self.item_of(e, Val::Object(self.record(e, 0)));
        let kept: Vec<(String, Val)> = item
            .into_iter()
            .filter(|(name, _)| {
                *name == dynamo.partition_key
                    || *name == dynamo.sort_key
                    || self.index_holds(i, name)
            })
            .collect();
        item_size(&kept) as u64
    }

    /// Why a read through the index fetches its items after the Query.
    pub(super) fn fetch_note(&self, index: &str, entity: &Entity, kind: PatternKind) -> String {
        let projection = self
            .indexes
            .iter()
            .find(|i| i.name == index)
            .map_or("", |i| i.projection.type_name());
        let (operation, what) = match kind {
            PatternKind::GetOne => ("GetItem", names::words(&entity.name)),
            _ => ("BatchGetItem", names::plural(&names::words(&entity.name))),
        };
        format!(
            "{index} projects {projection}: the Query finds the keys, then a {operation} fetches the whole {what} from the table"
        )
    }
}
