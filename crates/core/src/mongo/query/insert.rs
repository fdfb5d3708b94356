//! insert: `insertOne` into the entity's collection, or, for an embedded
//! entity, an `updateOne` of the host document that pushes (array) or sets
//! (one object) the new data at its path.

use serde_json::json;

use super::super::shell::shell_literal;
use super::{Inputs, Query, Rendered};
use crate::js::js_key;
use crate::sample::Val;

pub(super) fn render(q: &Query<'_>, inputs: &Inputs<'_>) -> Rendered {
    let empty = Val::Object(Vec::new());
    let doc = inputs.document.unwrap_or(&empty);
    let coll = q.coll;
    if q.place.prefix.is_empty() {
        return Rendered {
            document: Some(doc.to_ejson()),
            ..Rendered::new(
                "insertOne",
                format!("db.{coll}.insertOne({})", shell_literal(doc)),
            )
        };
    }
    let (path, op) = &q.target;
    let update = json!({ *op: { path.clone(): doc.to_ejson() } });
    Rendered {
        document: Some(update),
        ..Rendered::new(
            "updateOne",
            format!(
                "db.{coll}.updateOne({}, {{ {op}: {{ {}: {} }} }})",
                q.filter_text,
                js_key(path),
                shell_literal(doc)
            ),
        )
    }
}
