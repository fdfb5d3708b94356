//! The fan-out of an update to the copies of what it changes
//! ([`crate::model::copies`]): one `updateMany` per copy, finding the
//! documents that hold a copy by the copy's `via` (the source's id) and
//! applying the update's own operator to the copy (`$set` the new value,
//! `$inc` by the same amount, `$push` the same element). A copy inside an
//! embedded array is updated in the elements whose `via` is the source's id,
//! through the filtered positional operator `$[copy]` and its `arrayFilters`;
//! arrays around it (a child of an embedded child) in every element, `$[]`.

use serde_json::{json, Map, Value};

use super::super::shell::shell_literal;
use super::{host_path, Inputs, MongoContext, MongoQuery};
use crate::js::js_key;
use crate::model::*;

/// The identifier of the filtered positional operator the copies are updated through.
const ELEMENT: &str = "copy";

impl MongoContext<'_> {
    /// The `updateMany` of each copy an update of `entity` leaves stale.
    pub(super) fn fanout(
        &self,
        pattern: &AccessPattern,
        entity: &Entity,
        inputs: &Inputs<'_>,
    ) -> Vec<MongoQuery> {
        let action = pattern.update.unwrap_or_default();
        let op = match action {
            UpdateAction::Set => "$set",
            UpdateAction::Increment => "$inc",
            UpdateAction::Push => "$push",
        };
        let id = inputs.value(entity, &entity.id_name());
        self.design
            .fanout_copies(pattern)
            .into_iter()
            .filter_map(|copy| {
                let value = match action {
                    UpdateAction::Increment => inputs.amount(pattern, &copy.source.field),
                    UpdateAction::Push => {
                        super::update::first(inputs.value(entity, &copy.source.field))
                    }
                    UpdateAction::Set => inputs.value(entity, &copy.source.field),
                };
                let place = self.placement(&copy.entity.name)?;
                let via = host_path(copy.entity, place, &copy.source.via);
                let innermost = self.is_array_level(&copy.entity.name);
                let target = format!(
                    "{}{}",
                    self.elements_path(&copy.entity.name, 0)?,
                    copy.field.name
                );
                let mut update = Map::new();
                update.insert(target.clone(), value.to_ejson());
                let document = json!({ op: Value::Object(update) });
                let array_filters = innermost.then(|| {
                    json!([{ format!("{ELEMENT}.{}", copy.source.via): id.to_ejson() }])
                });
                let coll = &place.collection;
                let filter_text = format!("{{ {}: {} }}", js_key(&via), shell_literal(&id));
                let options = if innermost {
                    format!(
                        ", {{ arrayFilters: [{{ {}: {} }}] }}",
                        js_key(&format!("{ELEMENT}.{}", copy.source.via)),
                        shell_literal(&id)
                    )
                } else {
                    String::new()
                };
                let shell = format!(
                    "// The copies of {}.{} in {} ({}.{}), found by {via}\ndb.{coll}.updateMany({filter_text}, {{ {op}: {{ {}: {} }} }}{options})",
                    copy.source.entity,
                    copy.source.field,
                    crate::names::plural(&crate::names::words(&copy.entity.name)),
                    copy.entity.name,
                    copy.field.name,
                    js_key(&target),
                    shell_literal(&value),
                );
                Some(MongoQuery {
                    pattern: pattern.name.clone(),
                    collection: coll.clone(),
                    operation: "updateMany".to_string(),
                    filter: json!({ via.clone(): id.to_ejson() }),
                    sort: None,
                    limit: None,
                    document: Some(document),
                    index: self.index_on(coll, &via),
                    pipeline: None,
                    collation: None,
                    shell,
                    transaction: Vec::new(),
                    cleanup: Vec::new(),
                    fanout: Vec::new(),
                    array_filters,
                })
            })
            .collect()
    }

    /// The update path of an entity's fields in its host document, ending in
    /// a dot (empty for a collection's own entity): `comments.$[copy].` for
    /// the elements of the entity's own array the array filter picks,
    /// `posts.$[].comments.$[copy].` with every element of the arrays around
    /// it. None past the design's depth.
    fn elements_path(&self, entity: &str, depth: usize) -> Option<String> {
        let place = self.placement(entity)?;
        if place.prefix.is_empty() {
            return Some(String::new());
        }
        if depth > self.design.entities.len() {
            return None;
        }
        let parent = place.parent.as_deref()?;
        let last = place.prefix.rsplit('.').next().unwrap_or_default();
        let head = self.elements_path(parent, depth + 1)?;
        let element = if depth == 0 {
            format!("$[{ELEMENT}]")
        } else {
            "$[]".to_string()
        };
        Some(if self.is_array_level(entity) {
            format!("{head}{last}.{element}.")
        } else {
            format!("{head}{last}.")
        })
    }

    /// Whether an embedded entity is one of many in its parent (an array), not its one object.
    fn is_array_level(&self, entity: &str) -> bool {
        let Some(place) = self.placement(entity).filter(|p| !p.prefix.is_empty()) else {
            return false;
        };
        let parent = place.parent.as_deref().unwrap_or_default();
        self.design
            .relationships
            .iter()
            .find(|r| r.from == parent && r.to == entity)
            .map_or(place.array, |r| r.cardinality != Cardinality::OneToOne)
    }
}
