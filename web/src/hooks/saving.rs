//! Autosave that loses nothing: every edit of a saved design (and its console) is written back,
//! other tabs' saves of the same design are followed, and nothing another tab saved is ever
//! overwritten silently.
//!
//! The tab remembers the text of the design it last wrote or read under its id (`synced`).
//! Before a write it reads what storage holds: a text it has not seen means another tab saved
//! in between, and the write waits for the user's choice (a [`Conflict`]: load theirs, or keep
//! mine as a copy). A `storage` event for the open design is followed at once when this tab has
//! nothing of its own that is not saved; otherwise it is the same conflict. When storage fails
//! (full, disabled, private window) the design stays on screen, the failure is shown until a
//! write works again, and the write is retried every few seconds.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use schemaplay_core::model::Design;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::app::Notice;
use crate::data::{DataAction, Kept};
use crate::hooks::fragment;
use crate::hooks::storage::{self, SavedEntry};
use crate::state::{Action, Origin, State};

/// How often a failed write is tried again, in milliseconds.
const RETRY_MS: u32 = 3_000;

/// Another tab saved the open design while this one had changes of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub id: String,
    /// The other tab's design, as saved.
    pub theirs: String,
}

/// What the page shows of saving, and the user's answers.
#[derive(Clone, PartialEq)]
pub struct Saving {
    /// Why the design is not saved, while it is not.
    pub failure: Option<String>,
    pub conflict: Option<Conflict>,
    pub on_retry: Callback<()>,
    /// Show the other tab's design instead of this one.
    pub on_theirs: Callback<()>,
    /// Keep this tab's design, saved as a new design beside theirs.
    pub on_mine: Callback<()>,
}

/// The tab's side of storage, read by the effects, the event listener and the retry timer.
#[derive(Default)]
struct Sync {
    /// The design on screen and where it is saved, as of the last render.
    origin: Option<Origin>,
    design: Rc<Design>,
    /// The console on screen and the id of the design it belongs to.
    kept: Option<(String, Kept)>,
    /// The id of the open design and the text this tab last wrote or read under it (`None`
    /// when nothing is saved there).
    synced: Option<(String, Option<String>)>,
    conflict: Option<Conflict>,
    failure: Option<String>,
    /// What the page was last told to show of them.
    shown: (Option<String>, Option<Conflict>),
}

/// What a write did.
enum Wrote {
    Nothing,
    /// The design was written: the saved list changed.
    Saved,
}

impl Sync {
    fn open_id(&self) -> Option<&str> {
        match &self.origin {
            Some(Origin::Saved(id)) => Some(id),
            _ => None,
        }
    }

    /// Writes the design and its console unless storage holds a design this tab has not seen.
    fn write(&mut self) -> Wrote {
        let Some(id) = self.open_id().map(str::to_string) else {
            return Wrote::Nothing;
        };
        let text = self.design.to_json();
        crate::panic::remember(&self.design.name, &text);
        let wrote = self.write_design(&id, &text);
        crate::panic::set_saved(self.failure.is_none() && self.conflict.is_none());
        if self.failure.is_none() {
            self.write_console();
        }
        wrote
    }

    fn write_design(&mut self, id: &str, text: &str) -> Wrote {
        if self.conflict.as_ref().is_some_and(|c| c.id == id) {
            return Wrote::Nothing;
        }
        let stored = match storage::saved_text(id) {
            Ok(stored) => stored,
            Err(message) => {
                self.failure = Some(message);
                return Wrote::Nothing;
            }
        };
        let known = match &self.synced {
            Some((synced, known)) if synced == id => known.clone(),
            // Just opened: what storage holds is what this tab read.
            _ => stored.clone(),
        };
        if stored.as_deref() == Some(text) {
            self.synced = Some((id.to_string(), stored));
            self.failure = None;
            return Wrote::Nothing;
        }
        if let Some(theirs) = stored.filter(|s| Some(s) != known.as_ref()) {
            self.conflict = Some(Conflict {
                id: id.to_string(),
                theirs,
            });
            return Wrote::Nothing;
        }
        match storage::save_text(id, &self.design.name, text) {
            Ok(()) => {
                self.synced = Some((id.to_string(), Some(text.to_string())));
                self.failure = None;
                Wrote::Saved
            }
            Err(message) => {
                self.failure = Some(message);
                Wrote::Nothing
            }
        }
    }

    fn write_console(&mut self) {
        let (Some(id), Some((owner, kept))) = (self.open_id(), &self.kept) else {
            return;
        };
        // A console is kept only under the id of the design it belongs to, so nothing is
        // written under another design's id between opening a design and its console.
        if id == owner {
            if let Err(message) = storage::save_console(id, kept) {
                self.failure = Some(format!("its query console: {message}"));
            }
        }
    }

    /// Another tab changed the open design: `theirs` is its text, `None` when it was deleted.
    /// Returns the design to show instead of this one.
    fn changed_elsewhere(&mut self, id: &str, theirs: Option<String>) -> Option<Design> {
        let mine = self.design.to_json();
        let Some(theirs) = theirs else {
            self.synced = Some((id.to_string(), None));
            return None;
        };
        if theirs == mine {
            self.synced = Some((id.to_string(), Some(theirs)));
            self.conflict = None;
            return None;
        }
        let clean =
            self.conflict.is_none() && self.synced.as_ref() == Some(&(id.to_string(), Some(mine)));
        if clean {
            if let Ok(design) = storage::read_design(&theirs) {
                self.synced = Some((id.to_string(), Some(theirs)));
                return Some(design);
            }
        }
        self.conflict = Some(Conflict {
            id: id.to_string(),
            theirs,
        });
        None
    }
}

/// Autosave, the other tabs' saves, and storage failures, for the design on screen. Call it
/// once, at the root.
#[hook]
pub fn use_saving(
    state: UseReducerHandle<State>,
    console: (String, Kept),
    saved: UseStateHandle<Vec<SavedEntry>>,
    notify: Callback<Notice>,
    on_data: Callback<DataAction>,
    share_link: UseStateHandle<Option<String>>,
) -> Saving {
    let sync = use_mut_ref(Sync::default);
    let shown = use_state(|| (None::<String>, None::<Conflict>));
    // The one place a render touches the tab's side: never while a step holds it.
    if let Ok(mut s) = sync.try_borrow_mut() {
        s.origin = Some(state.origin.clone());
        s.design = state.design.clone();
        s.kept = Some(console.clone());
    }
    // Shows what the last step left, re-rendering only when it changed.
    let show = {
        let sync = sync.clone();
        let shown = shown.clone();
        let saved = saved.clone();
        let show: Show = Rc::new(move |wrote: Wrote| {
            let changed = {
                let mut s = sync.borrow_mut();
                let now = (s.failure.clone(), s.conflict.clone());
                // Compared with what the tab holds, not with this render's (maybe stale)
                // handle; set once the tab is released, as setting may render.
                (s.shown != now).then(|| {
                    s.shown = now.clone();
                    now
                })
            };
            if let Some(now) = changed {
                shown.set(now);
            }
            if matches!(wrote, Wrote::Saved) {
                saved.set(storage::list());
            }
        });
        show
    };

    {
        let sync = sync.clone();
        let show = show.clone();
        use_effect_with(
            (state.revision, state.origin.clone()),
            move |(_, origin)| {
                share_link.set(None);
                if matches!(origin, Origin::Saved(_)) {
                    // A link's design now lives in storage: a reload shows the saved design.
                    fragment::clear();
                }
                let wrote = sync.borrow_mut().write();
                show(wrote);
            },
        );
    }
    {
        let sync = sync.clone();
        let show = show.clone();
        use_effect_with(console, move |_| {
            let mut s = sync.borrow_mut();
            if s.failure.is_none() {
                s.write_console();
            }
            drop(s);
            show(Wrote::Nothing);
        });
    }
    use_retry(sync.clone(), show.clone(), shown.0.is_some());
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };
    use_other_tabs(
        sync.clone(),
        show.clone(),
        saved.clone(),
        dispatch.clone(),
        notify.clone(),
    );

    let on_retry = {
        let sync = sync.clone();
        let show = show.clone();
        Callback::from(move |()| {
            let wrote = sync.borrow_mut().write();
            show(wrote);
        })
    };
    let (on_theirs, on_mine) = conflict_callbacks(&sync, &show, dispatch, notify, on_data);
    Saving {
        failure: shown.0.clone(),
        conflict: shown.1.clone(),
        on_retry,
        on_theirs,
        on_mine,
    }
}

/// What shows a step's outcome (the notices, the saved list).
type Show = Rc<dyn Fn(Wrote)>;

/// While storage fails, tries the write again every few seconds until it works.
#[hook]
fn use_retry(sync: Rc<RefCell<Sync>>, show: Show, failing: bool) {
    use_effect_with(failing, move |failing| {
        let timer = failing.then(|| {
            Interval::new(RETRY_MS, move || {
                let wrote = sync.borrow_mut().write();
                show(wrote);
            })
        });
        move || drop(timer)
    });
}

/// Follows the other tabs: their saves of the open design (followed, or a conflict when this
/// tab has its own unsaved edits), deletions, and the saved list.
#[hook]
fn use_other_tabs(
    sync: Rc<RefCell<Sync>>,
    show: Show,
    saved: UseStateHandle<Vec<SavedEntry>>,
    dispatch: Callback<Action>,
    notify: Callback<Notice>,
) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            EventListener::new(&window, "storage", move |event| {
                let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
                    return;
                };
                let key = event.key();
                // `clear()` elsewhere (no key) and the list both change the saved list.
                if key.as_deref().is_none_or(|k| k == storage::INDEX_KEY) {
                    saved.set(storage::list());
                }
                let open = sync.borrow().open_id().map(str::to_string);
                let Some(id) = open else { return };
                let ours = match key.as_deref() {
                    None => true,
                    Some(key) => storage::design_id_of(key) == Some(id.as_str()),
                };
                if !ours {
                    return;
                }
                let theirs = event.new_value().and_then(|v| storage::design_text(&v));
                let deleted = theirs.is_none();
                let next = sync.borrow_mut().changed_elsewhere(&id, theirs);
                if deleted {
                    notify.emit(Notice::info(
                        "This design was deleted in another tab. It stays open here: your next edit saves it again.",
                    ));
                }
                if let Some(design) = next {
                    dispatch.emit(Action::Replace(design));
                }
                show(Wrote::Nothing);
            })
        });
        move || drop(listener)
    });
}

/// The answers to a conflict: load theirs, or keep mine as a copy.
fn conflict_callbacks(
    sync: &Rc<RefCell<Sync>>,
    show: &Show,
    dispatch: Callback<Action>,
    notify: Callback<Notice>,
    on_data: Callback<DataAction>,
) -> (Callback<()>, Callback<()>) {
    let on_theirs = {
        let sync = sync.clone();
        let show = show.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            let mut s = sync.borrow_mut();
            let Some(conflict) = s.conflict.take() else {
                return;
            };
            let design = storage::read_design(&conflict.theirs);
            if design.is_ok() {
                s.synced = Some((conflict.id.clone(), Some(conflict.theirs)));
            }
            drop(s);
            show(Wrote::Nothing);
            match design {
                Ok(design) => dispatch.emit(Action::Replace(design)),
                Err(message) => notify.emit(Notice::error(message)),
            }
        })
    };
    let on_mine = {
        let sync = sync.clone();
        let show = show.clone();
        Callback::from(move |()| {
            let mut s = sync.borrow_mut();
            if s.conflict.take().is_none() {
                return;
            }
            let mut design = (*s.design).clone();
            drop(s);
            design.name = format!("{} (my copy)", design.name);
            let id = storage::new_id();
            on_data.emit(DataAction::Adopt(id.clone()));
            dispatch.emit(Action::Open {
                design,
                origin: Origin::Saved(id),
            });
            show(Wrote::Nothing);
        })
    };
    (on_theirs, on_mine)
}

/// The backup buttons' actions: download every saved design as one file, and restore such a
/// file beside the designs saved here.
#[allow(clippy::type_complexity)]
pub fn backup_actions(
    saved: UseStateHandle<Vec<SavedEntry>>,
    notify: Callback<Notice>,
) -> (Callback<()>, Callback<Result<(String, String), String>>) {
    let on_backup = {
        let notify = notify.clone();
        Callback::from(move |()| match storage::backup() {
            Ok((backup, unreadable)) => {
                let day: String = String::from(js_sys::Date::new_0().to_iso_string())
                    .chars()
                    .take(10)
                    .collect();
                crate::components::transfer::download(
                    &format!("schemaplay-backup-{day}.json"),
                    &backup.to_json(),
                );
                let count = backup.designs.len();
                let plural = if count == 1 { "" } else { "s" };
                let mut text = format!("Downloaded a backup of {count} saved design{plural}.");
                if !unreadable.is_empty() {
                    text.push_str(&format!(
                        " Left out, as they cannot be read: {}.",
                        unreadable.join("; ")
                    ));
                }
                notify.emit(if unreadable.is_empty() {
                    Notice::info(text)
                } else {
                    Notice::error(text)
                });
            }
            Err(message) => notify.emit(Notice::error(format!(
                "Could not make a backup: {message}."
            ))),
        })
    };
    let on_restore = Callback::from(move |file: Result<(String, String), String>| {
        let (name, text) = match file {
            Ok(file) => file,
            Err(message) => return notify.emit(Notice::error(message)),
        };
        let read = match schemaplay_core::backup::read(&text) {
            Ok(read) => read,
            Err(message) => {
                return notify.emit(Notice::error(format!(
                    "{name}: {message}. Nothing was restored."
                )))
            }
        };
        let (restored, failed) = match storage::restore(read.designs) {
            Ok(restored) => (restored, None),
            Err((restored, message)) => (restored, Some(message)),
        };
        saved.set(storage::list());
        let mut text = format!(
            "{name}: restored {} design{}",
            restored.added + restored.copied,
            if restored.added + restored.copied == 1 {
                ""
            } else {
                "s"
            }
        );
        if restored.copied > 0 {
            text.push_str(&format!(
                " ({} beside a different design saved here under the same id)",
                restored.copied
            ));
        }
        if restored.present > 0 {
            text.push_str(&format!("; {} already saved here", restored.present));
        }
        text.push('.');
        if let Some(message) = &failed {
            text.push_str(&format!(" Stopped: {message}."));
        }
        if !read.problems.is_empty() {
            text.push_str(&format!(" Left out: {}.", read.problems.join("; ")));
        }
        notify.emit(if failed.is_none() && read.problems.is_empty() {
            Notice::info(text)
        } else {
            Notice::error(text)
        });
    });
    (on_backup, on_restore)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(name: &str) -> Design {
        Design {
            name: name.to_string(),
            ..Design::default()
        }
    }

    /// A tab with `mine` on screen under id "d", having last written or read `synced` there.
    fn tab(mine: &Design, synced: &Design) -> Sync {
        Sync {
            origin: Some(Origin::Saved("d".into())),
            design: Rc::new(mine.clone()),
            synced: Some(("d".into(), Some(synced.to_json()))),
            ..Sync::default()
        }
    }

    /// Another tab's save is followed when this tab has nothing unsaved of its own; when it
    /// has, it is a conflict, never an overwrite; a save equal to this tab's design settles it.
    #[test]
    fn another_tabs_save_is_followed_or_a_conflict() {
        let (old, theirs, mine) = (design("old"), design("theirs"), design("mine"));
        let mut clean = tab(&old, &old);
        let followed = clean.changed_elsewhere("d", Some(theirs.to_json()));
        assert_eq!(followed.map(|d| d.name), Some("theirs".to_string()));
        assert_eq!(clean.synced, Some(("d".into(), Some(theirs.to_json()))));
        assert_eq!(clean.conflict, None);

        // This tab's edit was not saved (storage failed): theirs does not replace it.
        let mut dirty = tab(&mine, &old);
        assert_eq!(dirty.changed_elsewhere("d", Some(theirs.to_json())), None);
        assert_eq!(
            dirty.conflict,
            Some(Conflict {
                id: "d".into(),
                theirs: theirs.to_json()
            })
        );
        // While the conflict waits, even a clean-looking tab follows nothing.
        dirty.synced = Some(("d".into(), Some(mine.to_json())));
        assert_eq!(dirty.changed_elsewhere("d", Some(old.to_json())), None);
        assert!(dirty.conflict.is_some());
        // The other tab saving this tab's very design settles it.
        assert_eq!(dirty.changed_elsewhere("d", Some(mine.to_json())), None);
        assert_eq!(dirty.conflict, None);

        // Deleted elsewhere: this tab keeps its design, and its next write saves it again.
        let mut deleted = tab(&old, &old);
        assert_eq!(deleted.changed_elsewhere("d", None), None);
        assert_eq!(deleted.synced, Some(("d".into(), None)));
        assert_eq!(deleted.conflict, None);
    }
}
