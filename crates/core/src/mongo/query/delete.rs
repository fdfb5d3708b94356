//! delete: `deleteOne`, or, for an embedded entity, an `updateOne` of the
//! host document that removes the element the pattern names from its array
//! (`$pull` of the elements holding the pattern's values; `$pop` of the first
//! when the pattern names none), or the embedded object (`$unset`).

use serde_json::{json, Map, Value};

use super::super::shell::shell_literal;
use super::{Inputs, Query, Rendered};
use crate::js::js_key;

pub(super) fn render(q: &Query<'_>, inputs: &Inputs<'_>) -> Rendered {
    let Query {
        coll, filter_text, ..
    } = q;
    if q.place.prefix.is_empty() {
        return Rendered::new("deleteOne", format!("db.{coll}.deleteOne({filter_text})"));
    }
    let prefix = q.place.prefix.clone();
    let (op, value, value_text) = if !q.place.array {
        ("$unset", json!(""), "''".to_string())
    } else if q.pattern.equality.is_empty() {
        ("$pop", json!(-1), "-1".to_string())
    } else {
        // The elements holding the values the pattern binds, by their paths inside an element.
        let mut matching = Map::new();
        let mut shell = Vec::new();
        for field in &q.pattern.equality {
            let v = inputs.value(q.entity, field);
            matching.insert(field.clone(), v.to_ejson());
            shell.push(format!("{}: {}", js_key(field), shell_literal(&v)));
        }
        (
            "$pull",
            Value::Object(matching),
            format!("{{ {} }}", shell.join(", ")),
        )
    };
    Rendered {
        document: Some(json!({ op: { prefix.clone(): value } })),
        ..Rendered::new(
            "updateOne",
            format!(
                "db.{coll}.updateOne({filter_text}, {{ {op}: {{ {}: {value_text} }} }})",
                js_key(&prefix)
            ),
        )
    }
}
