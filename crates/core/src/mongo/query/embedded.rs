//! Reads of an entity embedded in its host's documents (getOne, list, count):
//! an `aggregate` that matches the host documents holding a matching child,
//! unwinds the children (each level of the path, an array or one object),
//! matches each child again, then sorts, pages or counts the children, not
//! the hosts. A `find` would return whole hosts, all their children with the
//! one that matched, sorted and limited as hosts, and `countDocuments` would
//! count hosts.

use serde_json::{json, Value};

use super::{Filter, Query, Rendered};
use crate::model::PatternKind;

/// The stages that make each matching child a document of its own: match
/// the hosts, unwind each level of the path, match the children; as
/// Extended JSON and as mongosh text.
pub(super) fn children(q: &Query<'_>, filter: &Filter) -> (Vec<Value>, Vec<String>) {
    let matched = Value::Object(filter.map.clone());
    let mut stages = vec![json!({ "$match": matched.clone() })];
    let mut shell = vec![format!("{{ $match: {} }}", filter.text())];
    let mut path = String::new();
    for part in q.place.prefix.split('.') {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(part);
        stages.push(json!({ "$unwind": format!("${path}") }));
        shell.push(format!("{{ $unwind: '${path}' }}"));
    }
    stages.push(json!({ "$match": matched }));
    shell.push(format!("{{ $match: {} }}", filter.text()));
    (stages, shell)
}

/// `joins`: the referenced children a read of one child joins into it
/// (their collection, their reference field, the name they join as).
pub(super) fn render(
    q: &Query<'_>,
    filter: &Filter,
    joins: &[(String, String, String)],
) -> Rendered {
    let (mut stages, mut shell) = children(q, filter);
    if let Some((sort, dir)) = &q.sort {
        stages.push(json!({ "$sort": { sort.clone(): dir } }));
        shell.push(format!(
            "{{ $sort: {{ {}: {dir} }} }}",
            crate::js::js_key(sort)
        ));
    }
    let limit = match q.pattern.kind {
        PatternKind::GetOne => Some(1),
        PatternKind::List => q.pattern.page_size,
        _ => None,
    };
    if let Some(n) = limit {
        stages.push(json!({ "$limit": n }));
        shell.push(format!("{{ $limit: {n} }}"));
    }
    // The children read together with the one found, joined in by its id.
    if q.pattern.kind == PatternKind::GetOne {
        let local = format!("{}.{}", q.place.prefix, q.entity.id_name());
        for (from, foreign, as_name) in joins {
            let as_path = format!("{}.{as_name}", q.place.prefix);
            stages.push(json!({ "$lookup": { "from": from, "localField": local, "foreignField": foreign, "as": as_path } }));
            shell.push(format!(
                "{{ $lookup: {{ from: '{from}', localField: '{local}', foreignField: '{foreign}', as: '{as_path}' }} }}"
            ));
        }
    }
    if q.pattern.kind == PatternKind::Count {
        stages.push(json!({ "$count": "count" }));
        shell.push("{ $count: 'count' }".to_string());
    }
    Rendered {
        pipeline: Some(Value::Array(stages)),
        ..Rendered::new(
            "aggregate",
            format!("db.{}.aggregate([{}])", q.coll, shell.join(", ")),
        )
    }
}
