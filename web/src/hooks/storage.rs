//! Saved designs in localStorage: an index of (id, name, time) and one key per design.

use gloo::storage::{LocalStorage, Storage};
use schemaplay_core::model::Design;
use serde::{Deserialize, Serialize};

use crate::data::Kept;

const INDEX_KEY: &str = "schemaplay.saved";
const CURRENT_KEY: &str = "schemaplay.current";
const THEME_KEY: &str = "schemaplay.theme";

fn design_key(id: &str) -> String {
    format!("schemaplay.design.{id}")
}

fn console_key(id: &str) -> String {
    format!("schemaplay.console.{id}")
}

/// One saved design in the list.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SavedEntry {
    pub id: String,
    pub name: String,
    /// Milliseconds since the epoch of the last save.
    pub saved_at: f64,
}

/// The saved designs, most recently saved first.
pub fn list() -> Vec<SavedEntry> {
    let mut entries: Vec<SavedEntry> = LocalStorage::get(INDEX_KEY).unwrap_or_default();
    entries.sort_by(|a, b| b.saved_at.total_cmp(&a.saved_at));
    entries
}

/// A saved design, or why it could not be read.
pub fn load(id: &str) -> Result<Design, String> {
    let text: String = LocalStorage::get(design_key(id))
        .map_err(|_| format!("the saved design {id} is missing from this browser's storage"))?;
    Design::from_json_unchecked(&text).map_err(|findings| {
        let first = findings.first().map(|f| f.to_string()).unwrap_or_default();
        format!("the saved design could not be read: {first}")
    })
}

/// Saves a design under its id and moves it to the top of the list.
pub fn save(id: &str, design: &Design) -> Result<(), String> {
    LocalStorage::set(design_key(id), design.to_json())
        .map_err(|e| format!("could not save in this browser's storage: {e}"))?;
    let mut entries = list();
    entries.retain(|e| e.id != id);
    entries.insert(
        0,
        SavedEntry {
            id: id.to_string(),
            name: design.name.clone(),
            saved_at: js_sys::Date::now(),
        },
    );
    LocalStorage::set(INDEX_KEY, &entries)
        .map_err(|e| format!("could not save the list of designs: {e}"))?;
    LocalStorage::set(CURRENT_KEY, id).map_err(|e| format!("could not save: {e}"))
}

/// The console kept with a saved design: its scripts, what was generated, what had run.
/// One that cannot be read (from another build) is a fresh console.
pub fn load_console(id: &str) -> Option<Kept> {
    LocalStorage::get(console_key(id)).ok()
}

/// Keeps the console of a saved design; a fresh one takes no room.
pub fn save_console(id: &str, console: &Kept) -> Result<(), String> {
    if console.is_fresh() {
        LocalStorage::delete(console_key(id));
        return Ok(());
    }
    LocalStorage::set(console_key(id), console)
        .map_err(|e| format!("could not save the query console in this browser's storage: {e}"))
}

pub fn delete(id: &str) {
    LocalStorage::delete(design_key(id));
    LocalStorage::delete(console_key(id));
    let mut entries = list();
    entries.retain(|e| e.id != id);
    let _ = LocalStorage::set(INDEX_KEY, &entries);
    if current().as_deref() == Some(id) {
        LocalStorage::delete(CURRENT_KEY);
    }
}

/// The id of the design that was open last.
pub fn current() -> Option<String> {
    LocalStorage::get(CURRENT_KEY).ok()
}

pub fn set_current(id: &str) {
    let _ = LocalStorage::set(CURRENT_KEY, id);
}

/// A new storage id that no saved design has.
pub fn new_id() -> String {
    let taken = list();
    loop {
        let id = format!(
            "{:x}{:06x}",
            js_sys::Date::now() as u64,
            (js_sys::Math::random() * 16_777_216.0) as u64
        );
        if taken.iter().all(|e| e.id != id) {
            return id;
        }
    }
}

/// The theme chosen last, else the system's preference.
pub fn theme() -> String {
    if let Ok(theme) = LocalStorage::get::<String>(THEME_KEY) {
        return theme;
    }
    let dark = gloo::utils::window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    if dark { "dark" } else { "light" }.to_string()
}

pub fn set_theme(theme: &str) {
    let _ = LocalStorage::set(THEME_KEY, theme);
}
