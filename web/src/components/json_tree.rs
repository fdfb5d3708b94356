//! A JSON value as a collapsible tree (`<details>` per object and array).

use serde_json::Value;
use yew::prelude::*;

/// Deeper values are shown collapsed as JSON text.
const MAX_DEPTH: usize = 24;

#[derive(Properties, PartialEq)]
pub struct JsonTreeProps {
    pub value: Value,
    /// Levels open at first.
    #[prop_or(2)]
    pub open: usize,
}

#[function_component(JsonTree)]
pub fn json_tree(props: &JsonTreeProps) -> Html {
    html! { <div class="json-tree">{ node(None, &props.value, 0, props.open) }</div> }
}

fn node(key: Option<&str>, value: &Value, depth: usize, open: usize) -> Html {
    let key_html = key.map(|k| html! { <><span class="k">{ k.to_string() }</span>{ ": " }</> });
    if let Some(shell) = extended_json(value) {
        return html! { <div class="leaf">{ key_html }<span class="n">{ shell }</span></div> };
    }
    let (entries, brackets): (Vec<(String, &Value)>, (&str, &str)) = match value {
        Value::Object(map) => (
            map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            ("{", "}"),
        ),
        Value::Array(items) => (
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            ("[", "]"),
        ),
        scalar => {
            let class = match scalar {
                Value::String(_) => "s",
                Value::Number(_) => "n",
                Value::Bool(_) => "b",
                _ => "z",
            };
            return html! { <div class="leaf">{ key_html }<span class={class}>{ scalar.to_string() }</span></div> };
        }
    };
    if entries.is_empty() {
        return html! { <div class="leaf">{ key_html }{ format!("{}{}", brackets.0, brackets.1) }</div> };
    }
    if depth >= MAX_DEPTH {
        return html! { <div class="leaf">{ key_html }<span class="z">{ value.to_string() }</span></div> };
    }
    let summary = format!(
        "{} {} {}",
        brackets.0,
        if matches!(value, Value::Array(_)) {
            format!("{} items", entries.len())
        } else {
            format!("{} keys", entries.len())
        },
        brackets.1
    );
    html! {
        <details open={depth < open}>
            <summary>{ key_html }<span class="z">{ summary }</span></summary>
            <div class="children">
                { for entries.iter().map(|(k, v)| node(Some(k), v, depth + 1, open)) }
            </div>
        </details>
    }
}

/// Extended JSON wrappers as the shell prints them: `ObjectId("…")`, `ISODate("…")`.
fn extended_json(value: &Value) -> Option<String> {
    let map = value.as_object().filter(|m| m.len() == 1)?;
    let (key, inner) = map.iter().next()?;
    let text = match inner {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Object(o) if key == "$date" => o.get("$numberLong")?.as_str()?.to_string(),
        _ => return None,
    };
    let name = match key.as_str() {
        "$oid" => "ObjectId",
        "$date" => "ISODate",
        "$numberLong" => "Long",
        "$numberDecimal" => "Decimal128",
        "$numberDouble" => "Double",
        "$numberInt" => "Int32",
        "$uuid" => "UUID",
        _ => return None,
    };
    Some(format!("{name}(\"{text}\")"))
}
