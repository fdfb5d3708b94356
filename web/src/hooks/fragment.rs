//! The URL fragment that carries a shared design, and with it the console (a version 2 link):
//! `#design=<version><deflate + base64url>`.

use schemaplay_core::model::Design;
use schemaplay_core::share;

const PREFIX: &str = "#design=";

/// What the page's fragment holds.
pub enum Fragment {
    None,
    /// A design, and the console of a link that carries one, or why it could not be read.
    Design(Box<Design>, Option<Result<share::Console, String>>),
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
    let link = match share::decode_link(payload) {
        Ok(link) => link,
        Err(err) => {
            return Fragment::Broken(format!("This share link could not be opened: {err}."))
        }
    };
    match Design::from_json_unchecked(&link.design) {
        Ok(design) => Fragment::Design(
            Box::new(design),
            link.console.map(|c| c.map_err(|e| format!("{e}"))),
        ),
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

/// The share link of a design, and of the console when there is one to share: this page's
/// address with both in the fragment.
pub fn link(design: &Design, console: Option<&share::Console>) -> String {
    let location = gloo::utils::window().location();
    let base = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    let payload = match console {
        Some(console) => share::encode_design_with_console(design, console),
        None => share::encode_design(design),
    };
    format!("{base}{PREFIX}{payload}")
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
