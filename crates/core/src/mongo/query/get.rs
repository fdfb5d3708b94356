//! getOne: `findOne`, or an `aggregate` that joins the referenced children
//! read together with the document (a `$lookup` each).

use serde_json::{json, Value};

use super::{joins, Filter, MongoContext, Query, Rendered};

pub(super) fn render(ctx: &MongoContext<'_>, q: &Query<'_>, filter: &Filter) -> Rendered {
    let Query {
        coll, filter_text, ..
    } = q;
    let joins = if q.place.prefix.is_empty() {
        joins(ctx, q.entity)
    } else {
        Vec::new()
    };
    if joins.is_empty() {
        return Rendered::new(
            "findOne",
            format!("db.{coll}.findOne({filter_text}{})", q.collation),
        );
    }
    let mut stages = vec![json!({ "$match": Value::Object(filter.map.clone()) })];
    let mut shell_stages = vec![format!("{{ $match: {filter_text} }}")];
    for (from, foreign, as_name) in &joins {
        stages.push(json!({ "$lookup": { "from": from, "localField": "_id", "foreignField": foreign, "as": as_name } }));
        shell_stages.push(format!(
            "{{ $lookup: {{ from: '{from}', localField: '_id', foreignField: '{foreign}', as: '{as_name}' }} }}"
        ));
    }
    Rendered {
        pipeline: Some(Value::Array(stages)),
        ..Rendered::new(
            "aggregate",
            format!("db.{coll}.aggregate([{}])", shell_stages.join(", ")),
        )
    }
}
