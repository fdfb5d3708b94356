//! delete: `deleteOne`, or, for an embedded entity, an `updateOne` of the
//! host document that pulls the data from its array.

use serde_json::json;

use super::{Query, Rendered};
use crate::js::js_key;

pub(super) fn render(q: &Query<'_>) -> Rendered {
    let Query {
        coll, filter_text, ..
    } = q;
    if q.place.prefix.is_empty() {
        return Rendered::new("deleteOne", format!("db.{coll}.deleteOne({filter_text})"));
    }
    Rendered {
        document: Some(json!({ "$pull": { q.place.prefix.clone(): {} } })),
        ..Rendered::new(
            "updateOne",
            format!(
                "db.{coll}.updateOne({filter_text}, {{ $pull: {{ {}: {{}} }} }})",
                js_key(&q.place.prefix)
            ),
        )
    }
}
