//! aggregate: the `$match` / `$group` / `$sort` / `$limit` pipeline of an
//! aggregate pattern. The `$match` is the pattern's filter (none when it has none) (for an embedded
//! entity, the hosts matched, the children unwound and matched again), so an
//! index serves it as it serves a `find` with that filter; `$group` keys the
//! groups by the group fields (`_id: '$profile.city'`, or an object of them,
//! see [`group_id_key`]); a sort on an output breaks ties on `_id`, so a
//! limit keeps the same groups every time.

use serde_json::{json, Map, Value};

use super::super::place::host_path;
use super::{embedded, Filter, Query, Rendered};
use crate::js::js_key;
use crate::model::{AggregateOp, AggregateSpec, SortOrder};

/// The key of a group field in `_id` when a pattern groups by several fields
/// (`profile.city` is `_id.profile_city`: a key holds no dot).
pub fn group_id_key(path: &str) -> String {
    path.replace('.', "_")
}

/// Where a group field's value sits in a `$group` output: `_id` for the one
/// group field, `_id.<key>` for one of several.
pub fn group_output_path(spec: &AggregateSpec, field: &str) -> String {
    if spec.group_by.len() == 1 {
        "_id".to_string()
    } else {
        format!("_id.{}", group_id_key(field))
    }
}

pub(super) fn render(q: &Query<'_>, filter: &Filter, spec: &AggregateSpec) -> Rendered {
    let (mut stages, mut shell) = if q.place.prefix.is_empty() && filter.map.is_empty() {
        (Vec::new(), Vec::new())
    } else if q.place.prefix.is_empty() {
        (
            vec![json!({ "$match": Value::Object(filter.map.clone()) })],
            vec![format!("{{ $match: {} }}", filter.text())],
        )
    } else {
        embedded::children(q, filter)
    };
    let path = |field: &str| host_path(q.entity, q.place, field);

    let (id, id_text) = match spec.group_by.as_slice() {
        [] => (Value::Null, "null".to_string()),
        [one] => {
            let p = format!("${}", path(one));
            (json!(p), format!("'{p}'"))
        }
        many => {
            let mut map = Map::new();
            let mut text = Vec::new();
            for field in many {
                let key = group_id_key(field);
                let p = format!("${}", path(field));
                text.push(format!("{}: '{p}'", js_key(&key)));
                map.insert(key, json!(p));
            }
            (Value::Object(map), format!("{{ {} }}", text.join(", ")))
        }
    };
    let mut group = Map::new();
    group.insert("_id".to_string(), id);
    let mut group_text = vec![format!("_id: {id_text}")];
    for a in &spec.aggregates {
        let op = match a.op {
            AggregateOp::Count | AggregateOp::Sum => "$sum",
            AggregateOp::Avg => "$avg",
            AggregateOp::Min => "$min",
            AggregateOp::Max => "$max",
        };
        let (arg, arg_text) = match (&a.field, a.op) {
            (Some(field), op) if op.reads_field() => {
                let p = format!("${}", path(field));
                (json!(p), format!("'{p}'"))
            }
            _ => (json!(1), "1".to_string()),
        };
        group.insert(a.output.clone(), json!({ op: arg }));
        group_text.push(format!("{}: {{ {op}: {arg_text} }}", js_key(&a.output)));
    }
    stages.push(json!({ "$group": Value::Object(group) }));
    shell.push(format!("{{ $group: {{ {} }} }}", group_text.join(", ")));

    if let Some(sort) = &q.pattern.sort {
        let dir = if sort.order == SortOrder::Desc { -1 } else { 1 };
        let key = if spec.is_output(&sort.field) {
            sort.field.clone()
        } else {
            group_output_path(spec, &sort.field)
        };
        let mut order = Map::new();
        order.insert(key.clone(), json!(dir));
        let mut text = vec![format!("{}: {dir}", js_key(&key))];
        if key != "_id" {
            order.insert("_id".to_string(), json!(1));
            text.push("_id: 1".to_string());
        }
        stages.push(json!({ "$sort": Value::Object(order) }));
        shell.push(format!("{{ $sort: {{ {} }} }}", text.join(", ")));
    }
    if let Some(n) = spec.limit {
        stages.push(json!({ "$limit": n }));
        shell.push(format!("{{ $limit: {n} }}"));
    }
    Rendered {
        pipeline: Some(Value::Array(stages)),
        ..Rendered::new(
            "aggregate",
            format!(
                "db.{}.aggregate([{}]{})",
                q.coll,
                shell.join(", "),
                q.collation
            ),
        )
    }
}
