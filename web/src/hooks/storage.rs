//! Saved designs in localStorage: an index of (id, name, time) and one key per design, each
//! value JSON (a design is its JSON text as a JSON string).
//!
//! Storage can fail at any moment: it is full (`QuotaExceededError`), disabled, or refused in a
//! private window, where even reading `window.localStorage` throws. Nothing here panics on
//! that: reads find nothing, writes answer why they failed, in words the page shows.

use schemaplay_core::backup::{self, Backup, Entry};
use schemaplay_core::model::Design;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use crate::data::Kept;

pub const INDEX_KEY: &str = "schemaplay.saved";
const CURRENT_KEY: &str = "schemaplay.current";
const THEME_KEY: &str = "schemaplay.theme";
const DESIGN_PREFIX: &str = "schemaplay.design.";

fn design_key(id: &str) -> String {
    format!("{DESIGN_PREFIX}{id}")
}

fn console_key(id: &str) -> String {
    format!("schemaplay.console.{id}")
}

/// The id of the design a storage key holds, if it is a design's key.
pub fn design_id_of(key: &str) -> Option<&str> {
    key.strip_prefix(DESIGN_PREFIX)
}

/// One saved design in the list.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SavedEntry {
    pub id: String,
    pub name: String,
    /// Milliseconds since the epoch of the last save.
    pub saved_at: f64,
}

/// This browser's localStorage, or why the page cannot use it.
fn store() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("this page has no window")?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("this browser has no storage for this page".to_string()),
        Err(error) => Err(refusal(&error)),
    }
}

/// Why storage refused, from the exception it threw.
fn refusal(error: &JsValue) -> String {
    let (name, message) = match error.dyn_ref::<web_sys::DomException>() {
        Some(e) => (e.name(), e.message()),
        None => (String::new(), error.as_string().unwrap_or_default()),
    };
    match name.as_str() {
        "QuotaExceededError" => "this browser's storage for this page is full".to_string(),
        "SecurityError" => {
            "this browser does not let this page store anything (storage is disabled, or blocked in this window)".to_string()
        }
        _ if message.is_empty() => "this browser's storage refused to save".to_string(),
        _ => format!("this browser's storage refused to save ({message})"),
    }
}

/// The raw text under `key`; `Err` when storage cannot be read at all.
fn get_raw(key: &str) -> Result<Option<String>, String> {
    store()?.get_item(key).map_err(|e| refusal(&e))
}

fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    get_raw(key)
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str(&text).ok())
}

fn set<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    store()?.set_item(key, &text).map_err(|e| refusal(&e))
}

fn delete_key(key: &str) {
    if let Ok(storage) = store() {
        let _ = storage.remove_item(key);
    }
}

/// The saved designs, most recently saved first.
pub fn list() -> Vec<SavedEntry> {
    let mut entries: Vec<SavedEntry> = get(INDEX_KEY).unwrap_or_default();
    entries.sort_by(|a, b| b.saved_at.total_cmp(&a.saved_at));
    entries
}

/// The design's text as a storage value holds it (a JSON string), if it is one.
pub fn design_text(value: &str) -> Option<String> {
    serde_json::from_str(value).ok()
}

/// The text of the design saved under `id`: `Ok(None)` when there is none, `Err` when storage
/// cannot be read.
pub fn saved_text(id: &str) -> Result<Option<String>, String> {
    Ok(get_raw(&design_key(id))?.and_then(|value| design_text(&value)))
}

/// Reads a design's text as it was saved.
pub fn read_design(text: &str) -> Result<Design, String> {
    Design::from_json_unchecked(text).map_err(|findings| {
        let first = findings.first().map(|f| f.to_string()).unwrap_or_default();
        format!("the saved design could not be read: {first}")
    })
}

/// A saved design, or why it could not be read.
pub fn load(id: &str) -> Result<Design, String> {
    let text = saved_text(id)?
        .ok_or_else(|| format!("the saved design {id} is missing from this browser's storage"))?;
    read_design(&text)
}

/// Writes a design's text (its `to_json`) under its id, and its entry in the list.
fn write(id: &str, name: &str, text: &str, saved_at: f64) -> Result<(), String> {
    set(&design_key(id), text)?;
    let mut entries = list();
    entries.retain(|e| e.id != id);
    entries.push(SavedEntry {
        id: id.to_string(),
        name: name.to_string(),
        saved_at,
    });
    entries.sort_by(|a, b| b.saved_at.total_cmp(&a.saved_at));
    set(INDEX_KEY, &entries)
}

/// Saves a design's text (its `to_json`) under its id, moves it to the top of the list and
/// makes it the design a reload opens.
pub fn save_text(id: &str, name: &str, text: &str) -> Result<(), String> {
    write(id, name, text, js_sys::Date::now())?;
    set(CURRENT_KEY, id)
}

/// Saves a design under its id and moves it to the top of the list.
pub fn save(id: &str, design: &Design) -> Result<(), String> {
    save_text(id, &design.name, &design.to_json())
}

/// The console kept with a saved design: its scripts, what was generated, what had run.
/// One that cannot be read (from another build) is a fresh console.
pub fn load_console(id: &str) -> Option<Kept> {
    get(&console_key(id))
}

/// Keeps the console of a saved design; a fresh one takes no room.
pub fn save_console(id: &str, console: &Kept) -> Result<(), String> {
    if console.is_fresh() {
        delete_key(&console_key(id));
        return Ok(());
    }
    set(&console_key(id), console)
}

pub fn delete(id: &str) {
    delete_key(&design_key(id));
    delete_key(&console_key(id));
    let mut entries = list();
    entries.retain(|e| e.id != id);
    let _ = set(INDEX_KEY, &entries);
    if current().as_deref() == Some(id) {
        delete_key(CURRENT_KEY);
    }
}

/// The id of the design that was open last.
pub fn current() -> Option<String> {
    get(CURRENT_KEY)
}

pub fn set_current(id: &str) {
    let _ = set(CURRENT_KEY, id);
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
    if let Some(theme) = get::<String>(THEME_KEY) {
        return theme;
    }
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|query| query.matches());
    if dark { "dark" } else { "light" }.to_string()
}

pub fn set_theme(theme: &str) {
    let _ = set(THEME_KEY, theme);
}

/// Every saved design with its console, as one backup; designs that cannot be read are named.
pub fn backup() -> Result<(Backup, Vec<String>), String> {
    store()?;
    let mut designs = Vec::new();
    let mut unreadable = Vec::new();
    for entry in list() {
        match load(&entry.id) {
            Ok(design) => designs.push(Entry {
                console: get::<serde_json::Map<String, serde_json::Value>>(&console_key(&entry.id)),
                id: entry.id,
                name: entry.name,
                saved_at: entry.saved_at,
                design,
            }),
            Err(message) => unreadable.push(format!("“{}”: {message}", entry.name)),
        }
    }
    let backup = Backup {
        exported_at: js_sys::Date::now(),
        designs,
    };
    Ok((backup, unreadable))
}

/// What restoring a backup did.
#[derive(Debug, Default)]
pub struct Restored {
    /// Saved under their own ids.
    pub added: usize,
    /// Saved beside a different design that has their id here.
    pub copied: usize,
    /// Already saved here, unchanged.
    pub present: usize,
}

/// Saves the designs of a backup beside the saved ones: a design saved here is never
/// replaced; one whose id holds a different design here is saved under a new id. Stops at the
/// first design storage refuses, with what was restored until then.
pub fn restore(entries: Vec<Entry>) -> Result<Restored, (Restored, String)> {
    let mut restored = Restored::default();
    for entry in entries {
        let existing = load(&entry.id).ok();
        let id = match backup::place(&entry, existing.as_ref()) {
            backup::Place::Present => {
                restored.present += 1;
                continue;
            }
            backup::Place::Same => entry.id.clone(),
            backup::Place::Copy => new_id(),
        };
        let text = entry.design.to_json();
        let stored =
            write(&id, &entry.name, &text, entry.saved_at).and_then(|()| match &entry.console {
                Some(console) => set(&console_key(&id), console),
                None => Ok(()),
            });
        if let Err(message) = stored {
            return Err((restored, message));
        }
        if id == entry.id {
            restored.added += 1;
        } else {
            restored.copied += 1;
        }
    }
    Ok(restored)
}
