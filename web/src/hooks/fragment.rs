//! The URL fragment that carries a shared design: `#design=<deflate + base64url>`.

use schemaplay_core::model::Design;
use schemaplay_core::share;

const PREFIX: &str = "#design=";

/// What the page's fragment holds.
pub enum Fragment {
    None,
    Design(Box<Design>),
    /// A share link that could not be opened, with the reason to show.
    Broken(String),
}

/// Reads the fragment of the page's URL.
pub fn read() -> Fragment {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    parse(&hash)
}

fn parse(hash: &str) -> Fragment {
    let Some(payload) = hash.strip_prefix(PREFIX) else {
        return Fragment::None;
    };
    let text = match share::decode(payload) {
        Ok(text) => text,
        Err(err) => {
            return Fragment::Broken(format!("This share link could not be opened: {err}."))
        }
    };
    match Design::from_json_unchecked(&text) {
        Ok(design) => Fragment::Design(Box::new(design)),
        Err(findings) => {
            let first = findings.first().map(|f| f.to_string()).unwrap_or_default();
            Fragment::Broken(format!(
                "This share link holds a design that could not be read ({} problem{}; first: {first}).",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" }
            ))
        }
    }
}

/// The share link of a design: this page's address with the design in the fragment.
pub fn link(design: &Design) -> String {
    let location = gloo::utils::window().location();
    let base = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    format!("{base}{PREFIX}{}", share::encode_design(design))
}

/// Removes the fragment from the address bar without reloading, so a reload shows the autosaved
/// design rather than the link's original.
pub fn clear() {
    let window = gloo::utils::window();
    if window.location().hash().unwrap_or_default().is_empty() {
        return;
    }
    let Ok(history) = window.history() else {
        return;
    };
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
}

/// Opens a share link pasted into the address bar of an open page (a fragment change does not
/// reload the page by itself).
#[yew::hook]
pub fn use_share_link_reload() {
    yew::use_effect_with((), |_| {
        let window = gloo::utils::window();
        let listener = gloo::events::EventListener::new(&window, "hashchange", |_| {
            let location = gloo::utils::window().location();
            if location.hash().unwrap_or_default().starts_with(PREFIX) {
                let _ = location.reload();
            }
        });
        move || drop(listener)
    });
}
