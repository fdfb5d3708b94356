//! Aggregation patterns: a read that groups the entity's items by some of
//! their fields and computes counts, sums, averages, minimums and maximums
//! per group (`{ $match } { $group: { _id: '$profile.city', count: { $sum: 1 } } }`).
//!
//! In the design file an aggregate is a pattern of kind `aggregate` with an
//! `aggregate` block:
//! `{"groupBy": ["profile.city"], "aggregates": [{"op": "count", "as": "count"}], "limit": 10}`.
//! The pattern's `equality` and `range` filter the items first, as for any
//! read; its `sort` orders the groups, on a group key (by its path) or on an
//! output (by its `as` name); `limit` keeps the first groups. An empty
//! `groupBy` aggregates all the matched items as one group.

use serde::{Deserialize, Serialize};

use super::validate::is_valid_field_name;
use super::{AccessPattern, Entity, Finding, PatternKind, SortSpec};

/// The most aggregates one pattern computes (a `$group` of this many outputs
/// is already more than any screen shows).
pub const MAX_AGGREGATES: usize = 32;

/// What an aggregate pattern groups by and computes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct AggregateSpec {
    /// The fields whose values make a group (dotted paths reach into embedded
    /// objects); empty: one group of all the matched items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_by: Vec<String>,
    /// What is computed per group, each under its own output name.
    pub aggregates: Vec<Aggregate>,
    /// How many groups the read returns at most (after the sort).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One computed output of a group.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Aggregate {
    pub op: AggregateOp,
    /// The field the op reads (none for `count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The output's name (`count`, `totalAmount`).
    #[serde(rename = "as")]
    pub output: String,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum AggregateOp {
    Count,
    Sum,
    Avg,
    Min,
    Max,
}

impl AggregateOp {
    pub const NAMES: [&'static str; 5] = ["count", "sum", "avg", "min", "max"];

    /// The name as the design file writes it.
    pub fn name(self) -> &'static str {
        Self::NAMES.get(self as usize).copied().unwrap_or("count")
    }

    /// Whether the op reads a field (all but `count`).
    pub fn reads_field(self) -> bool {
        self != AggregateOp::Count
    }
}

impl AccessPattern {
    /// The pattern's aggregation, when it is an aggregate pattern that has one.
    pub fn aggregation(&self) -> Option<&AggregateSpec> {
        self.aggregate
            .as_ref()
            .filter(|_| self.kind == PatternKind::Aggregate)
    }
}

impl AccessPattern {
    /// The sort on the items' own fields, which an index can serve: none for
    /// an aggregate, whose sort orders the groups it computes.
    pub fn item_sort(&self) -> Option<&SortSpec> {
        self.sort
            .as_ref()
            .filter(|_| self.kind != PatternKind::Aggregate)
    }
}

impl AggregateSpec {
    /// Whether `name` is one of the outputs.
    pub fn is_output(&self, name: &str) -> bool {
        self.aggregates.iter().any(|a| a.output == name)
    }
}

/// The checks of a pattern's `aggregate` block: present exactly for an
/// aggregate pattern; group keys and op fields are fields of the entity
/// (`exists` says whether a path is one); sum and avg read numbers; outputs
/// are valid, distinct field names, none a group key; the sort names a group
/// key or an output; the limit keeps at least one group. Each finding names
/// the path of what is wrong under `<path>.aggregate`.
pub(super) fn check(
    entity: &Entity,
    pattern: &AccessPattern,
    path: &str,
    exists: &dyn Fn(&str) -> bool,
    out: &mut Vec<Finding>,
) {
    let at = format!("{path}.aggregate");
    let spec = match (&pattern.aggregate, pattern.kind == PatternKind::Aggregate) {
        (None, false) => return,
        (None, true) => {
            out.push(Finding::error(
                "missing-fields",
                at,
                "an aggregate says what it computes: add \"aggregate\": { \"groupBy\": [...], \"aggregates\": [{ \"op\": \"count\", \"as\": \"count\" }] }",
            ));
            return;
        }
        (Some(_), false) => {
            out.push(Finding::error(
                "invalid-value",
                at,
                "only an aggregate pattern groups and computes; remove \"aggregate\" or make the pattern an aggregate",
            ));
            return;
        }
        (Some(spec), true) => spec,
    };
    for (i, key) in spec.group_by.iter().enumerate() {
        let key_at = format!("{at}.groupBy[{i}]");
        if !exists(key) {
            out.push(unknown_field(key_at, key, entity));
        } else if spec.group_by[..i].contains(key) {
            out.push(Finding::error(
                "invalid-value",
                key_at,
                format!("\"{key}\" is already a group key"),
            ));
        }
    }
    if spec.aggregates.is_empty() {
        out.push(Finding::error(
            "missing-fields",
            format!("{at}.aggregates"),
            "an aggregate computes at least one output (count, sum, avg, min or max)",
        ));
    }
    if spec.aggregates.len() > MAX_AGGREGATES {
        out.push(Finding::error(
            "invalid-value",
            format!("{at}.aggregates"),
            format!(
                "{} outputs: an aggregate computes at most {MAX_AGGREGATES}",
                spec.aggregates.len()
            ),
        ));
    }
    for (i, a) in spec.aggregates.iter().enumerate() {
        let a_at = format!("{at}.aggregates[{i}]");
        check_output(entity, spec, i, a, &a_at, exists, out);
    }
    if let Some(sort) = &pattern.sort {
        if !spec.group_by.contains(&sort.field) && !spec.is_output(&sort.field) {
            out.push(Finding::error(
                "unknown-field",
                format!("{path}.sort.field"),
                format!(
                    "\"{}\" is neither a group key nor an output of the aggregate: groups sort on what they hold",
                    sort.field
                ),
            ));
        }
    }
    if spec.limit == Some(0) {
        out.push(Finding::error(
            "invalid-value",
            format!("{at}.limit"),
            "a limit keeps at least one group",
        ));
    }
}

fn check_output(
    entity: &Entity,
    spec: &AggregateSpec,
    i: usize,
    a: &Aggregate,
    at: &str,
    exists: &dyn Fn(&str) -> bool,
    out: &mut Vec<Finding>,
) {
    match (&a.field, a.op.reads_field()) {
        (Some(_), false) => out.push(Finding::error(
            "invalid-value",
            format!("{at}.field"),
            "a count reads no field; remove \"field\"",
        )),
        (None, true) => out.push(Finding::error(
            "missing-fields",
            format!("{at}.field"),
            format!("{} reads a field: name it in \"field\"", a.op.name()),
        )),
        (Some(field), true) if !exists(field) => {
            out.push(unknown_field(format!("{at}.field"), field, entity))
        }
        (Some(field), true) => {
            let numeric_op = matches!(a.op, AggregateOp::Sum | AggregateOp::Avg);
            if let Some(f) = entity.field_path(field) {
                if numeric_op && !f.ty.is_numeric() {
                    out.push(Finding::error(
                        "invalid-value",
                        format!("{at}.field"),
                        format!(
                            "\"{field}\" is a {}, and only numbers can be summed or averaged",
                            f.ty
                        ),
                    ));
                }
            }
        }
        (None, false) => {}
    }
    let name_at = format!("{at}.as");
    if !is_valid_field_name(&a.output) || a.output == "_id" {
        out.push(Finding::error(
            "invalid-name",
            name_at,
            format!(
                "\"{}\" cannot name an output: a name is not empty, has no dot, does not start with $ and is not _id",
                a.output
            ),
        ));
    } else if spec.aggregates[..i].iter().any(|b| b.output == a.output) {
        out.push(Finding::error(
            "invalid-name",
            name_at,
            format!("\"{}\" names another output already", a.output),
        ));
    } else if spec.group_by.contains(&a.output) {
        out.push(Finding::error(
            "invalid-name",
            name_at,
            format!(
                "\"{}\" is a group key: an output needs a name of its own",
                a.output
            ),
        ));
    }
}

fn unknown_field(path: String, field: &str, entity: &Entity) -> Finding {
    Finding::error(
        "unknown-field",
        path,
        format!("\"{field}\" is not a field of {}", entity.name),
    )
}
