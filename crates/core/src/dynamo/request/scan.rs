//! Scan: the whole table filtered by entity type (and, for a text search,
//! `contains` on the searched fields; for an aggregate, its equality and
//! range, the client grouping what comes back); always flagged.

use serde_json::json;

use super::super::TYPE_ATTRIBUTE;
use super::{Deriver, Draft, Operation, Request};
use crate::model::*;
use crate::sample::Val;

impl Deriver<'_> {
    pub(super) fn scan(&self, r: &Request<'_>, why: &str) -> Draft {
        let mut d = Draft::new(Operation::Scan, r.table);
        d.values
            .push((":type".into(), Val::Str(r.entity.name.clone())));
        let mut filter = format!("{} = :type", d.names.name(TYPE_ATTRIBUTE));
        if r.pattern.kind == PatternKind::TextSearch {
            let parts: Vec<String> = r
                .pattern
                .fields
                .iter()
                .map(|f| format!("contains({}, :q)", d.names.path(f)))
                .collect();
            // `contains` looks for one substring: the first word.
            let word = r.inputs.words.split_whitespace().next().unwrap_or("");
            d.values.push((":q".into(), Val::Str(word.to_string())));
            filter.push_str(&format!(" AND ({})", parts.join(" OR ")));
        }
        if r.pattern.kind == PatternKind::Aggregate {
            aggregate_filter(r, &mut d, &mut filter);
        }
        d.input.insert("FilterExpression".into(), json!(filter));
        if r.pattern.kind == PatternKind::Count {
            d.input.insert("Select".into(), json!("COUNT"));
        }
        d.flag = Some(why.to_string());
        let stored: Vec<&Entity> = self
            .design
            .entities
            .iter()
            .filter(|e| self.home_of(&e.name).is_some_and(|h| h.embedded.is_none()))
            .collect();
        d.items = stored.iter().map(|e| e.volume).fold(0, u64::saturating_add);
        d.bytes = stored
            .iter()
            .map(|e| e.volume.saturating_mul(self.average_item_bytes(e)))
            .fold(0, u64::saturating_add);
        d.partition_values = 1;
        d
    }
}

/// An aggregate's filter: each equality field equal to the record's value,
/// the range field from the record's value on (as MongoDB's `$match`).
pub(super) fn aggregate_filter(r: &Request<'_>, d: &mut Draft, filter: &mut String) {
    let id = r.entity.id_name();
    let value = |field: &str| {
        let key = if field == "_id" { id.as_str() } else { field };
        (
            key.to_string(),
            r.inputs
                .record
                .get(key)
                .cloned()
                .unwrap_or(Val::Str(String::new())),
        )
    };
    for (i, field) in r.pattern.equality.iter().enumerate() {
        let (key, v) = value(field);
        let placeholder = format!(":e{i}");
        filter.push_str(&format!(" AND {} = {placeholder}", d.names.path(&key)));
        d.values.push((placeholder, v));
    }
    if let Some(range) = &r.pattern.range {
        let (key, v) = value(range);
        filter.push_str(&format!(" AND {} >= :from", d.names.path(&key)));
        d.values.push((":from".into(), v));
    }
}
