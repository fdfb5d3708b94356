//! The user's pick, per count or aggregate pattern, between a counter item
//! the writes keep up to date and a read of the items themselves
//! (`dynamo.counters`: `{"Count users per city": "counter"}`). Absent, the
//! DynamoDB derivation decides by cost (`dynamo/counter.rs`), so every
//! design written before it reads as it did.
//!
//! A counter item can keep what can be kept incrementally: the number of
//! items in a group, a sum, and an average as a sum and a count. A minimum
//! or a maximum cannot: deleting the item holding it leaves no way to find
//! the next one without reading the group. Nor can a range (`createdAt >=
//! :from`): its bound changes with every read, and no item holds every range.

use serde::{Deserialize, Serialize};

use super::*;

/// How a count or an aggregate pattern is served in DynamoDB.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum CounterChoice {
    /// A counter item per group, changed with `ADD` in the same
    /// TransactWriteItems as each write of the entity; read with one GetItem
    /// (or one Query of all the groups).
    Counter,
    /// The items themselves: a Query with `Select: COUNT`, or a Scan the
    /// client groups.
    Read,
}

impl CounterChoice {
    pub const NAMES: [&'static str; 2] = ["counter", "read"];
}

/// Why a pattern cannot be served by a counter item; None when it can: a
/// count without a range, or an aggregate without a range whose outputs are
/// counts, sums and averages.
pub fn counter_blocker(pattern: &AccessPattern) -> Option<String> {
    match pattern.kind {
        PatternKind::Count => {}
        PatternKind::Aggregate if pattern.aggregation().is_some() => {}
        _ => return Some("only a count or an aggregate is kept in a counter item".to_string()),
    }
    if let Some(range) = &pattern.range {
        return Some(format!(
            "the range on {range} takes a new bound with every read, and no counter item holds every range"
        ));
    }
    let extreme: Vec<&str> = pattern
        .aggregation()
        .map(|s| {
            s.aggregates
                .iter()
                .filter(|a| matches!(a.op, AggregateOp::Min | AggregateOp::Max))
                .map(|a| a.output.as_str())
                .collect()
        })
        .unwrap_or_default();
    if !extreme.is_empty() {
        return Some(format!(
            "{} is a min or max, which a counter item cannot keep: deleting the item that holds it leaves nothing to find the next one without reading the whole group",
            extreme.join(", ")
        ));
    }
    None
}

/// The fields whose values choose a pattern's counter item: its equality
/// fields, then its group keys not among them.
pub fn counter_key_fields(pattern: &AccessPattern) -> Vec<String> {
    let mut out: Vec<String> = pattern.equality.clone();
    if let Some(spec) = pattern.aggregation() {
        out.extend(
            spec.group_by
                .iter()
                .filter(|g| !pattern.equality.contains(g))
                .cloned(),
        );
    }
    out
}

/// The fields a write changes a pattern's counter by: the key fields and
/// those summed or averaged.
pub fn counter_fields(pattern: &AccessPattern) -> Vec<String> {
    let mut out = counter_key_fields(pattern);
    if let Some(spec) = pattern.aggregation() {
        out.extend(spec.aggregates.iter().filter_map(|a| a.field.clone()));
    }
    out
}

/// The semantic checks of `dynamo.counters`: each names a pattern that
/// exists, and a counter only where one can serve it.
pub(super) fn check(design: &Design, out: &mut Vec<Finding>) {
    for (name, choice) in &design.dynamo.counters {
        let path = format!("dynamo.counters.{name}");
        match design.access_patterns.iter().find(|p| p.name == *name) {
            None => out.push(Finding::error(
                "unknown-pattern",
                path,
                format!("no access pattern is named \"{name}\""),
            )),
            Some(p) if matches!(p.kind, PatternKind::Count | PatternKind::Aggregate) => {
                if let (CounterChoice::Counter, Some(why)) = (choice, counter_blocker(p)) {
                    out.push(Finding::error(
                        "invalid-value",
                        path,
                        format!("\"{name}\" cannot be a counter item: {why}"),
                    ));
                }
            }
            Some(_) => out.push(Finding::error(
                "invalid-value",
                path,
                format!("\"{name}\" is not a count or an aggregate, so no counter item serves it"),
            )),
        }
    }
}
