//! Keyboard shortcuts: Ctrl+Z undoes, Ctrl+Shift+Z (or Ctrl+Y) redoes.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use crate::state::Action;

/// Listens on the document for the undo and redo shortcuts, except while typing in a text field,
/// where the browser's own undo applies.
#[hook]
pub fn use_undo_keys(on_action: Callback<Action>) {
    use_effect_with((), move |_| {
        let document = gloo::utils::document();
        let options = EventListenerOptions::enable_prevent_default();
        let listener =
            EventListener::new_with_options(&document, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if !(event.ctrl_key() || event.meta_key()) {
                    return;
                }
                let typing = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"))
                    .unwrap_or(false);
                if typing {
                    return;
                }
                let key = event.key().to_lowercase();
                let action = match (key.as_str(), event.shift_key()) {
                    ("z", false) => Action::Undo,
                    ("z", true) | ("y", false) => Action::Redo,
                    _ => return,
                };
                event.prevent_default();
                on_action.emit(action);
            });
        move || drop(listener)
    });
}
