//! mongosh literals of sample values.

use crate::js::js_key;
use crate::sample::{iso_date, Val};

/// A mongosh literal of a sample value.
pub fn shell_literal(value: &Val) -> String {
    match value {
        Val::Str(s) => serde_json::to_string(s)
            .unwrap_or_default()
            .replace('"', "'"),
        Val::Int(n) | Val::Long(n) => n.to_string(),
        Val::Double(d) => d.to_string(),
        Val::Decimal(s) => format!("Decimal128('{s}')"),
        Val::Bool(b) => b.to_string(),
        Val::Date(ms) => format!("ISODate('{}')", iso_date(*ms)),
        Val::ObjectId(hex) => format!("ObjectId('{hex}')"),
        Val::Uuid(hex) => format!("UUID('{hex}')"),
        Val::Binary(_) => "BinData(0, '')".to_string(),
        Val::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(shell_literal)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Val::Object(fields) => format!(
            "{{ {} }}",
            fields
                .iter()
                .map(|(k, v)| format!("{}: {}", js_key(k), shell_literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
