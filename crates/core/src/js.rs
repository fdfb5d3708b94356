//! JavaScript literals for generated code (mongosh lines, lib-dynamodb calls,
//! mongoose schemas), in the style of the user's examples: single quotes,
//! bare keys where JavaScript allows them. A leaf of the crate.

use serde_json::Value;

/// A JavaScript object key, quoted when it is not a plain identifier.
pub fn js_key(key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if plain {
        key.to_string()
    } else {
        format!("'{key}'")
    }
}

/// A JavaScript literal in the style of the user's examples: single quotes, bare keys.
pub fn js_literal(value: &Value, indent: usize) -> String {
    match value {
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|v| js_literal(v, indent))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) if map.is_empty() => "{}".to_string(),
        Value::Object(map) => {
            let inline: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", js_key(k), js_literal(v, indent + 2)))
                .collect();
            let one_line = format!("{{ {} }}", inline.join(", "));
            if one_line.len() + indent <= 80 {
                one_line
            } else {
                let pad = " ".repeat(indent + 2);
                let lines: Vec<String> = map
                    .iter()
                    .map(|(k, v)| format!("{pad}{}: {}", js_key(k), js_literal(v, indent + 2)))
                    .collect();
                format!("{{\n{}\n{}}}", lines.join(",\n"), " ".repeat(indent))
            }
        }
        other => other.to_string(),
    }
}
