//! One file per component. Each receives what it shows and typed callbacks; none computes a
//! layout or runs a query itself.

pub mod advice;
pub mod aggregate_form;
pub mod alternatives;
pub mod backup;
pub mod choices;
pub mod code_editor;
pub mod console;
pub mod copy_button;
pub mod copy_form;
pub mod counters;
pub mod diagram;
pub mod dynamo_view;
pub mod editor;
pub mod entity_card;
pub mod enum_form;
pub mod export_list;
pub mod field_list;
pub mod findings;
pub mod header;
pub mod import_volumes;
pub mod index_projection;
pub mod json_tree;
pub mod json_view;
pub mod migration;
pub mod mongo_indexes;
pub mod mongo_view;
pub mod on_delete;
pub mod pattern_skew;
pub mod pattern_version;
pub mod patterns;
pub mod relationships;
pub mod start;
pub mod storage_notice;
pub mod transaction;
pub mod transfer;
pub mod ttl_form;
pub mod verify;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The value of the `<input>` an event came from.
pub fn input_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Whether the checkbox an event came from is checked.
pub fn checked(e: &Event) -> bool {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.checked())
        .unwrap_or_default()
}

/// The value of the `<textarea>` a change event came from.
pub fn input_value_of_textarea(e: &Event) -> String {
    e.target_dyn_into::<HtmlTextAreaElement>()
        .map(|t| t.value())
        .unwrap_or_default()
}

/// The value of the `<select>` an event came from.
pub fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

/// The value of the `<textarea>` an event came from.
pub fn textarea_value(e: &InputEvent) -> String {
    e.target_dyn_into::<HtmlTextAreaElement>()
        .map(|t| t.value())
        .unwrap_or_default()
}

/// A `<select>` whose options are (value, label) pairs, with the current value selected.
pub fn select(
    label: &str,
    testid: String,
    options: &[(String, String)],
    current: &str,
    onchange: Callback<String>,
) -> Html {
    let onchange = Callback::from(move |e: Event| onchange.emit(select_value(&e)));
    html! {
        <select aria-label={label.to_string()} data-testid={testid} {onchange}>
            { for options.iter().map(|(value, text)| html! {
                <option value={value.clone()} selected={value == current}>{ text.clone() }</option>
            }) }
        </select>
    }
}

/// The JSON name of a unit enum variant (`oneToMany`).
pub fn enum_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The unit enum variant of a JSON name.
pub fn parse_enum<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}
