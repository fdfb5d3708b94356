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

use std::rc::Rc;

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
/// A long list (more than [`EAGER_OPTIONS`]) is a [`LazySelect`]: the editor has hundreds of
/// selects, and building every option of each when it appears was most of the task.
pub fn select(
    label: &str,
    testid: String,
    options: &[(String, String)],
    current: &str,
    onchange: Callback<String>,
) -> Html {
    let onchange = Callback::from(move |e: Event| onchange.emit(select_value(&e)));
    if options.len() > EAGER_OPTIONS {
        return html! {
            <LazySelect label={label.to_string()} {testid} options={Rc::new(options.to_vec())}
                current={current.to_string()} {onchange} />
        };
    }
    html! {
        <select aria-label={label.to_string()} data-testid={testid} {onchange}>
            { for options.iter().map(|(value, text)| option(value, text, current)) }
        </select>
    }
}

/// How many options a select builds at once; a longer list waits (see [`LazySelect`]).
pub const EAGER_OPTIONS: usize = 8;

fn option(value: &str, text: &str, current: &str) -> Html {
    html! { <option value={value.to_string()} selected={value == current}>{ text.to_string() }</option> }
}

#[derive(Properties, PartialEq)]
pub struct LazySelectProps {
    pub label: AttrValue,
    pub testid: AttrValue,
    pub options: Rc<Vec<(String, String)>>,
    pub current: AttrValue,
    pub onchange: Callback<Event>,
}

/// A select that first builds only the option it shows (the current one, else the first, as
/// a browser shows), and the others in a task of their own right after it appears, or at
/// once when it is focused or pressed, so the list is whole before it opens or takes a key.
/// What it shows and how it is used do not change; a view of many selects appears in one
/// short task instead of one long one.
#[function_component(LazySelect)]
pub fn lazy_select(props: &LazySelectProps) -> Html {
    let whole = use_state(|| false);
    {
        let whole = whole.clone();
        use_effect_with((), move |_| {
            let later = gloo::timers::callback::Timeout::new(0, move || whole.set(true));
            move || drop(later)
        });
    }
    let fill = {
        let whole = whole.clone();
        Callback::from(move |()| {
            if !*whole {
                whole.set(true);
            }
        })
    };
    let current = props.current.as_str();
    let options: Vec<&(String, String)> = if *whole {
        props.options.iter().collect()
    } else {
        let shown = props.options.iter().find(|(value, _)| value == current);
        shown.or(props.options.first()).into_iter().collect()
    };
    html! {
        <select aria-label={props.label.clone()} data-testid={props.testid.clone()}
            onchange={props.onchange.clone()} onfocus={fill.reform(|_: FocusEvent| ())}
            onpointerdown={fill.reform(|_: PointerEvent| ())}>
            { for options.into_iter().map(|(value, text)| option(value, text, current)) }
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
