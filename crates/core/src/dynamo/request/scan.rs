//! Scan: the whole table filtered by entity type (and, for a text search,
//! `contains` on the searched fields); always flagged.

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
