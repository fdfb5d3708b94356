//! A panic on the page: instead of a page that silently stops answering, a message over it
//! says what happened and offers to reload, which opens the design as it was last saved. When
//! the design could not be saved (storage full or unavailable), the message offers it as a
//! file to download first.
//!
//! After a panic the WebAssembly instance cannot be trusted, so the message is plain DOM built
//! once, in the hook, and its buttons are plain JavaScript (`location.reload()`, a `data:`
//! link): they work with the app stopped.

use std::cell::{Cell, RefCell};
use std::panic::PanicHookInfo;

use wasm_bindgen::prelude::*;

thread_local! {
    /// The design on screen as last written: its name and its JSON text.
    static LAST: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
    /// Whether that text is saved in this browser.
    static SAVED: Cell<bool> = const { Cell::new(true) };
}

/// Remembers the design on screen, for the message of a panic.
pub fn remember(name: &str, text: &str) {
    LAST.with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            *last = Some((name.to_string(), text.to_string()));
        }
    });
}

/// Whether the design remembered is saved in this browser.
pub fn set_saved(saved: bool) {
    SAVED.with(|s| s.set(saved));
}

/// A panic's message, without the location for the user's eyes (the console has it all).
pub fn message(info: &PanicHookInfo) -> String {
    let payload = info.payload();
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| info.to_string())
}

/// Installs the page's panic hook (through Yew, which would otherwise install its own when
/// the app starts).
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&info.to_string()));
        show(&message(info));
    }));
}

/// Puts the message over the page, once.
fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id("crash").is_some() {
        return;
    }
    let saved = SAVED.with(Cell::get);
    let last = LAST.with(|l| l.try_borrow().ok().and_then(|l| l.clone()));
    let _ = build(&document, message, saved, last);
}

fn build(
    document: &web_sys::Document,
    message: &str,
    saved: bool,
    last: Option<(String, String)>,
) -> Result<(), JsValue> {
    let element = |tag: &str, text: &str| -> Result<web_sys::Element, JsValue> {
        let e = document.create_element(tag)?;
        e.set_text_content(Some(text));
        Ok(e)
    };
    let overlay = document.create_element("div")?;
    overlay.set_id("crash");
    overlay.set_class_name("crash");
    overlay.set_attribute("role", "alertdialog")?;
    overlay.set_attribute("aria-labelledby", "crash-title")?;
    overlay.set_attribute("data-testid", "crash")?;
    let card = document.create_element("div")?;
    card.set_class_name("crash-card");
    let title = element("h2", "Something went wrong, and this page stopped")?;
    title.set_id("crash-title");
    card.append_child(&title)?;
    let what = if last.is_none() || saved {
        "Your design is saved in this browser: reload to go on where you were."
    } else {
        "Your latest changes could not be saved in this browser: download the design, then reload and import it."
    };
    let what = element("p", what)?;
    card.append_child(&what)?;
    let failed = element("p", &format!("What failed: {message}"))?;
    card.append_child(&failed)?;
    let actions = document.create_element("div")?;
    actions.set_class_name("crash-actions");
    let reload = element("button", "Reload")?;
    reload.set_class_name("primary");
    reload.set_attribute("onclick", "location.reload()")?;
    reload.set_attribute("data-testid", "crash-reload")?;
    actions.append_child(&reload)?;
    if let Some((name, text)) = last {
        let link = element("a", "Download the design")?;
        let href = format!(
            "data:application/json;charset=utf-8,{}",
            String::from(js_sys::encode_uri_component(&text))
        );
        link.set_attribute("href", &href)?;
        link.set_attribute("download", &crate::components::transfer::file_name(&name))?;
        link.set_attribute("data-testid", "crash-download")?;
        actions.append_child(&link)?;
    }
    card.append_child(&actions)?;
    overlay.append_child(&card)?;
    if let Some(body) = document.body() {
        body.append_child(&overlay)?;
    }
    Ok(())
}

/// Makes the page panic (`"page"`) or the worker (`"worker"`), for the end-to-end tests of
/// recovery.
#[wasm_bindgen(js_name = schemaplayPanicForTests)]
pub fn panic_for_tests(place: &str) {
    match place {
        "worker" => {
            if let Some(engine) = crate::hooks::engine::current() {
                engine.panic_for_tests();
            }
        }
        _ => panic!("a panic on the page, asked for by a test"),
    }
}
