//! The start screen: the examples gallery, the saved designs, and a blank design.

use schemaplay_core::examples::Example;
use schemaplay_core::model::Design;
use yew::prelude::*;

use super::backup::BackupButtons;
use crate::hooks::storage::SavedEntry;

#[derive(Properties, PartialEq)]
pub struct StartProps {
    pub saved: Vec<SavedEntry>,
    pub current: Option<String>,
    pub on_example: Callback<Design>,
    pub on_saved: Callback<String>,
    pub on_delete: Callback<String>,
    pub on_new: Callback<()>,
    pub on_backup: Callback<()>,
    pub on_restore: Callback<Result<(String, String), String>>,
}

#[function_component(Start)]
pub fn start(props: &StartProps) -> Html {
    let examples = use_memo((), |_| schemaplay_core::examples::all());
    let cards = examples.iter().map(|ex: &Example| {
        let design = ex.design.clone();
        let onclick = props.on_example.reform(move |_| design.clone());
        html! {
            <li class="card example">
                <h4>{ ex.title }</h4>
                <p>{ ex.teaches }</p>
                <p class="meta">{ format!("{} entities, {} access patterns", ex.design.entities.len(), ex.design.access_patterns.len()) }</p>
                <button class="primary small" data-testid={format!("example-{}", ex.id)} {onclick}
                    aria-label={format!("Open the example {}", ex.title)}>{ "Open" }</button>
            </li>
        }
    });
    let saved = props.saved.iter().map(|entry| {
        let open = {
            let id = entry.id.clone();
            props.on_saved.reform(move |_| id.clone())
        };
        let delete = {
            let id = entry.id.clone();
            let name = entry.name.clone();
            let on_delete = props.on_delete.clone();
            Callback::from(move |_| {
                if gloo::dialogs::confirm(&format!("Delete the saved design “{name}”? This cannot be undone.")) {
                    on_delete.emit(id.clone());
                }
            })
        };
        let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(entry.saved_at));
        let current = props.current.as_deref() == Some(entry.id.as_str());
        html! {
            <li class={classes!("saved-row", current.then_some("current"))} data-testid="saved-design">
                <button class="link" onclick={open} aria-label={format!("Open saved design {}", entry.name)}>{ entry.name.clone() }</button>
                <span class="meta">{ format!(" saved {}", String::from(when.to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED))) }</span>
                if current { <span class="badge">{ "open" }</span> }
                <button class="icon danger" onclick={delete} aria-label={format!("Delete saved design {}", entry.name)}>{ "✕" }</button>
            </li>
        }
    });
    let new = props.on_new.reform(|_| ());
    html! {
        <div class="start">
            <section class="intro">
                <h2>{ "Sketch a schema, see it in MongoDB and DynamoDB, run queries on sample data." }</h2>
                <p>{ "Choose the layout from the access patterns, not from relational habits. Start from an example or a blank design." }</p>
                <button class="primary" data-testid="new-design" onclick={new}>{ "New blank design" }</button>
            </section>
            <section aria-labelledby="examples-title">
                <h3 id="examples-title">{ "Examples" }</h3>
                <ul class="gallery" data-testid="examples">{ for cards }</ul>
            </section>
            <section aria-labelledby="saved-title">
                <h3 id="saved-title">{ "Your saved designs" }</h3>
                <BackupButtons on_backup={props.on_backup.clone()} on_restore={props.on_restore.clone()} />
                if props.saved.is_empty() {
                    <p class="empty">{ "Nothing saved yet. Every change you make is saved in this browser automatically." }</p>
                } else {
                    <ul class="plain saved" data-testid="saved-list">{ for saved }</ul>
                }
            </section>
        </div>
    }
}
