//! Estimates the requests and the cost read: average item sizes, distinct
//! values of a field, how many items a Query reads, the table's bytes.

use super::keys::template_fields;
use super::{Deriver, DynamoLayout};
use crate::model::*;
use crate::sample::{guess_generator, item_size};

impl Deriver<'_> {
    pub(super) fn average_item_bytes(&self, entity: &Entity) -> u64 {
        if let Some((_, bytes)) = self.sizes.borrow().iter().find(|(n, _)| *n == entity.name) {
            return *bytes;
        }
        let n = self.ctx.count(&entity.name).clamp(1, 20);
        let bytes = (0..n)
            .map(|i| item_size(&self.item(entity, i)) as u64)
            .fold(0u64, u64::saturating_add)
            / n;
        self.sizes.borrow_mut().push((entity.name.clone(), bytes));
        bytes
    }

    /// About how many distinct values a field has among an entity's items.
    pub(super) fn distinct(&self, entity: &Entity, field: &str) -> u64 {
        distinct_values(self.design, entity, field)
    }

    /// Items and bytes a Query reads.
    pub(super) fn query_reads(
        &self,
        pattern: &AccessPattern,
        entity: &Entity,
        item_bytes: u64,
        page: u64,
        per_partition: u64,
    ) -> (u64, u64) {
        match pattern.kind {
            PatternKind::GetOne if self.owns_collection(&entity.name) => {
                // The item and the items read with it.
                let mut items: u64 = 1;
                let mut bytes = item_bytes;
                for r in &self.design.relationships {
                    if r.from == entity.name && r.read_together {
                        if let Some(child) = self.design.entity(&r.to) {
                            let n = r.expected_count.max(1);
                            items = items.saturating_add(n);
                            bytes = bytes
                                .saturating_add(n.saturating_mul(self.average_item_bytes(child)));
                        }
                    }
                }
                (items, bytes)
            }
            PatternKind::GetOne => (1, item_bytes),
            PatternKind::Count => (per_partition, per_partition.saturating_mul(item_bytes)),
            _ => {
                let n = page.min(per_partition).max(1);
                (n, n.saturating_mul(item_bytes))
            }
        }
    }

    pub(super) fn partition_values(&self, entity: &Entity, template: &str) -> u64 {
        let fields = template_fields(template);
        if fields.is_empty() {
            return 1;
        }
        fields
            .iter()
            .map(|f| {
                if let Some(home) = self.home_of(&entity.name) {
                    if let Some(parent) = home.parent.as_ref().and_then(|p| self.design.entity(p)) {
                        if template_fields(&home.pk).contains(f) && entity.field_path(f).is_none() {
                            return parent.volume.max(1);
                        }
                    }
                }
                self.distinct(entity, f)
            })
            .fold(1u64, |a, b| a.saturating_mul(b))
            .min(entity.volume.max(1))
    }
}

/// What DynamoDB adds to every item it stores, in the table and in each
/// index, for its own bookkeeping.
pub const ITEM_OVERHEAD_BYTES: u64 = 100;
/// About the size of a marker item (`USER_EMAIL#ada@example.com` as both keys).
pub const MARKER_ITEM_BYTES: u64 = 80;

/// The bytes the table's partitions hold: every item with DynamoDB's 100
/// bytes of overhead, its copy in each local index (which lives in the
/// table's partitions), the marker items of unique values and of ids the
/// client chooses, and the link items of many-to-many relationships.
/// Children stored inside items count once, in their parent.
pub fn table_bytes(design: &Design, layout: &DynamoLayout) -> u64 {
    stored(design, layout, false)
}

/// The bytes the global indexes hold: a copy of every item each index
/// holds (what it projects), with 100 bytes of overhead each.
pub fn index_bytes(design: &Design, layout: &DynamoLayout) -> u64 {
    stored(design, layout, true)
}

/// How many of an entity's items are stored at steady state, and how that was
/// found when its `ttl` changes it. Items that expire `afterSeconds` after their
/// date field live that long: with inserts at R per second, R × afterSeconds
/// items live at once, or the entity's volume if that is fewer. Without
/// inserts, or when an item expires at its date (`afterSeconds` 0: the design
/// does not say how far ahead that date is), the volume stands.
pub fn living_items(design: &Design, entity: &Entity) -> (u64, Option<String>) {
    let Some(ttl) = entity.ttl.as_ref().filter(|t| t.after_seconds > 0) else {
        return (entity.volume, None);
    };
    let inserts: f64 = design.rate_of(&entity.name, PatternKind::Insert);
    if inserts <= 0.0 {
        return (entity.volume, None);
    }
    let window = (inserts * ttl.after_seconds as f64).ceil();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let living = if window >= entity.volume as f64 {
        entity.volume
    } else {
        window as u64
    };
    let stored = if living == entity.volume {
        format!(
            "the volume, {}, is fewer and is what is stored",
            entity.volume
        )
    } else {
        format!(
            "what is stored at steady state, not the volume ({})",
            entity.volume
        )
    };
    let note = format!(
        "{} items expire {} s after their {}: at {inserts} inserts per second {window} live within that window, {stored}; TTL deletes cost no write units",
        entity.name, ttl.after_seconds, ttl.field
    );
    (living, Some(note))
}

fn stored(design: &Design, layout: &DynamoLayout, global: bool) -> u64 {
    let is_global = |index: &str| {
        layout
            .indexes
            .iter()
            .any(|i| i.name == index && i.kind == "global")
    };
    let mut total: u64 = 0;
    for e in layout.entities.iter().filter(|e| e.attribute.is_none()) {
        let (volume, markers) = match design.entity(&e.entity) {
            Some(entity) => (living_items(design, entity).0, markers_per_item(entity, e)),
            None => (link_volume(design, &e.entity), 0),
        };
        let item = e.average_item_bytes + ITEM_OVERHEAD_BYTES;
        // Each index keeps a copy of what it projects, with the overhead of an item.
        let copies = e
            .index_keys
            .iter()
            .filter(|k| is_global(&k.index) == global)
            .map(|k| k.projected_bytes.saturating_add(ITEM_OVERHEAD_BYTES))
            .fold(0u64, u64::saturating_add);
        let per_item = if global {
            copies
        } else {
            item.saturating_add(copies)
                .saturating_add(markers.saturating_mul(MARKER_ITEM_BYTES + ITEM_OVERHEAD_BYTES))
        };
        total = total.saturating_add(volume.saturating_mul(per_item));
    }
    total
}

/// The marker items each item of an entity keeps: one per unique attribute
/// (its id aside), and one for an id the client chooses when the key holds
/// more than the id.
fn markers_per_item(entity: &Entity, keys: &super::EntityKeys) -> u64 {
    let id = entity.id_name();
    let uniques = entity
        .fields
        .iter()
        .filter(|f| f.unique && f.name != id)
        .count() as u64;
    let fields: Vec<String> = template_fields(&keys.pk)
        .into_iter()
        .chain(template_fields(&keys.sk))
        .collect();
    let id_marker = entity.id_field().is_some()
        && !crate::model::relations::writer_made_id(entity)
        && fields.iter().any(|f| *f != id);
    uniques + u64::from(id_marker)
}

/// About how many link items a many-to-many relationship has (by its link
/// name, `Student/Course`): its `from` side's items times the expected count.
fn link_volume(design: &Design, link: &str) -> u64 {
    design
        .relationships
        .iter()
        .find(|r| super::link_name(r) == link)
        .and_then(|r| {
            let from = design.entity(&r.from)?;
            Some(from.volume.saturating_mul(r.expected_count.max(1)))
        })
        .unwrap_or(0)
}

/// About how many distinct values a key template (`STATUS#<status>`) takes
/// among an entity's items: the product of its fields' distinct values; None
/// when it names no field.
pub fn key_values(design: &Design, entity: &Entity, template: &str) -> Option<u64> {
    let fields = template_fields(template);
    if fields.is_empty() {
        return None;
    }
    Some(
        fields
            .iter()
            .map(|f| distinct_values(design, entity, f))
            .fold(1u64, |a, b| a.saturating_mul(b)),
    )
}

/// About how many distinct values a field has among an entity's items.
pub fn distinct_values(design: &Design, entity: &Entity, field: &str) -> u64 {
    let volume = entity.volume.max(1);
    if field == entity.id_name() || field == "_id" {
        return volume;
    }
    let Some(f) = entity.field_path(field) else {
        return volume;
    };
    if f.unique {
        return volume;
    }
    let guess = match &f.ty {
        FieldType::Ref(target) => design
            .entity(target)
            .map(|t| t.volume.max(1))
            .unwrap_or(volume),
        FieldType::Bool => 2,
        FieldType::Date | FieldType::ObjectId | FieldType::Uuid => volume,
        _ => match f.generator.or_else(|| guess_generator(&f.name, &f.ty)) {
            Some(Generator::Status) => 5,
            Some(Generator::Country) => 50,
            Some(Generator::City) => 1000,
            Some(Generator::Tag | Generator::Word) => 100,
            Some(Generator::Age) => 80,
            Some(Generator::Quantity) => 10,
            Some(
                Generator::Email
                | Generator::Username
                | Generator::Phone
                | Generator::Url
                | Generator::Uuid
                | Generator::ObjectId
                | Generator::Sequence
                | Generator::Timestamp,
            ) => volume,
            Some(
                Generator::Name | Generator::Title | Generator::Sentence | Generator::Paragraph,
            ) => volume,
            _ => volume.min(1000),
        },
    };
    guess.min(volume).max(1)
}
