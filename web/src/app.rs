//! The app shell: header, navigation between the views, notices, and the side effects of the
//! state (autosave, share links, theme, keyboard shortcuts).

use std::rc::Rc;

use schemaplay_core::model::Design;
use schemaplay_core::share;
use schemaplay_core::Analysis;
use schemaplay_playground::derive::Wants;
use schemaplay_playground::{
    prefill_dynamo, prefill_mongo, DynamoCall, ImportFile, Request, RequestId,
};
use yew::prelude::*;

use crate::components::advice::Advice;
use crate::components::alternatives::AlternativesView;
use crate::components::console::QueryConsole;
use crate::components::diagram::Diagram;
use crate::components::dynamo_view::DynamoView;
use crate::components::editor::Editor;
use crate::components::header::Header;
use crate::components::import_volumes::ToConvert;
use crate::components::mongo_view::MongoView;
use crate::components::start::Start;
use crate::components::storage_notice::StorageNotice;
use crate::components::verify::VerifyPanel;
use crate::data::Stop;
use crate::data::{Converted, DataAction, DataState, Database, Kept, Mode, Purpose};
use crate::derived::{DeriveKey, Derived};
use crate::hooks::derive::use_derived;
use crate::hooks::engine::{use_engine, EngineHandle};
use crate::hooks::fragment::{self, Fragment};
use crate::hooks::keys::use_undo_keys;
use crate::hooks::saving::{backup_actions, use_saving};
use crate::hooks::storage;
use crate::requests::ConsoleRequests;
use crate::state::{blank_design, Action, Origin, State};

/// The views of the playground, in the order the navigation lists them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    Start,
    Design,
    Diagram,
    Mongo,
    Dynamo,
    Alternatives,
    Query,
    Advice,
    Verify,
}

impl View {
    pub const ALL: [View; 9] = [
        View::Start,
        View::Design,
        View::Diagram,
        View::Mongo,
        View::Dynamo,
        View::Alternatives,
        View::Query,
        View::Advice,
        View::Verify,
    ];

    pub fn label(self) -> &'static str {
        match self {
            View::Start => "Start",
            View::Design => "Design",
            View::Diagram => "Diagram",
            View::Mongo => "MongoDB",
            View::Dynamo => "DynamoDB",
            View::Alternatives => "Alternatives",
            View::Query => "Query console",
            View::Advice => "Warnings & cost",
            View::Verify => "Verify",
        }
    }

    /// The view of an id, as share links name it.
    pub fn from_id(id: &str) -> Option<View> {
        View::ALL.iter().copied().find(|v| v.id() == id)
    }

    pub fn id(self) -> &'static str {
        match self {
            View::Start => "start",
            View::Design => "design",
            View::Diagram => "diagram",
            View::Mongo => "mongo",
            View::Dynamo => "dynamo",
            View::Alternatives => "alternatives",
            View::Query => "query",
            View::Advice => "advice",
            View::Verify => "verify",
        }
    }

    /// Whether the view shows what the worker derives from the design.
    pub fn derives(self) -> bool {
        matches!(
            self,
            View::Mongo | View::Dynamo | View::Alternatives | View::Query | View::Advice
        )
    }
}

/// A message above the views.
#[derive(Clone, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Self {
        Notice {
            error: false,
            text: text.into(),
        }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Notice {
            error: true,
            text: text.into(),
        }
    }
}

/// What the page shows first, and the console to bring back with it.
struct Boot {
    state: State,
    view: View,
    notices: Vec<Notice>,
    console: Option<Kept>,
}

/// What the page shows first: a shared design (with its console), else the design open last
/// (with the console kept with it), else the start screen.
fn boot() -> Boot {
    let mut notices = Vec::new();
    match fragment::read() {
        Fragment::Design(design, console) => {
            let (view, console) = shared_console(console, &mut notices);
            let what = if console.as_ref().is_some_and(|c| c.ran) {
                ", with its query console: its data is generated again and its query runs"
            } else {
                ""
            };
            notices.insert(0, Notice::info(format!(
                "You opened a shared design, “{}”{what}. Your saved designs are untouched: if you edit this one, it is saved as a new design.",
                design.name
            )));
            let origin = Origin::Unsaved(storage::new_id());
            let state = State::new(*design, origin);
            return Boot {
                state,
                view,
                notices,
                console,
            };
        }
        Fragment::Broken(message) => {
            notices.push(Notice::error(message));
            fragment::clear();
        }
        Fragment::None => {}
    }
    if let Some(id) = storage::current() {
        match storage::load(&id) {
            Ok(design) => {
                let console = storage::load_console(&id);
                let state = State::new(design, Origin::Saved(id));
                return Boot {
                    state,
                    view: View::Design,
                    notices,
                    console,
                };
            }
            Err(message) => notices.push(Notice::error(message)),
        }
    }
    let blank = State::new(blank_design(), Origin::Unsaved(storage::new_id()));
    Boot {
        state: blank,
        view: View::Start,
        notices,
        console: None,
    }
}

/// The view and the console a share link carries; what cannot be read of them is a notice,
/// and the design opens all the same.
fn shared_console(
    console: Option<Result<share::Console, String>>,
    notices: &mut Vec<Notice>,
) -> (View, Option<Kept>) {
    let console = match console {
        None => return (View::Design, None),
        Some(Ok(console)) => console,
        Some(Err(message)) => {
            notices.push(Notice::error(format!(
                "The design of this link opened, but {message}."
            )));
            return (View::Design, None);
        }
    };
    let view = match console.view.as_deref() {
        None => View::Design,
        Some(id) => View::from_id(id).unwrap_or_else(|| {
            notices.push(Notice::error(format!(
                "This link opens a view this version does not have (“{id}”): it shows the design."
            )));
            View::Design
        }),
    };
    (view, Some(Kept::from_link(&console)))
}

/// Sends what a console brought back needs: its data generated again, then the script (or the
/// pattern's form) that had shown its answer, run again.
fn resume(kept: &Kept, requests: &ConsoleRequests, analysis: &Analysis) {
    if let Some(generation) = kept.data {
        requests.generate(generation);
    }
    if !kept.ran {
        return;
    }
    let seed = kept.data.map_or(crate::data::DEFAULT_SEED, |d| d.seed);
    match kept.mode {
        Mode::Script => requests.run_script(kept.database, kept.script().to_string(), seed),
        Mode::Form => {
            let Some(pattern) = &kept.pattern else {
                return;
            };
            let on_data = &requests.on_data;
            let request = match kept.database {
                Database::Mongo => analysis
                    .mongo
                    .queries
                    .iter()
                    .find(|q| &q.pattern == pattern)
                    .map(|query| {
                        let form = prefill_mongo(query);
                        on_data.emit(DataAction::SetMongo(form.clone()));
                        Request::Mongo(form)
                    }),
                Database::Dynamo => analysis
                    .dynamo
                    .requests
                    .iter()
                    .find(|r| &r.pattern == pattern)
                    .map(|request| {
                        let form = prefill_dynamo(request);
                        on_data.emit(DataAction::SetDynamo(form.clone()));
                        Request::Dynamo(DynamoCall {
                            form,
                            start_key: None,
                        })
                    }),
            };
            if let Some(request) = request {
                requests.run_form(request);
            }
        }
    }
}

/// The storage id of a design, saved or not yet.
fn design_id(origin: &Origin) -> String {
    match origin {
        Origin::Saved(id) | Origin::Unsaved(id) => id.clone(),
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let boot = use_memo((), |_| boot());
    let state = {
        let boot = boot.clone();
        use_reducer(move || boot.state.clone())
    };
    let view = use_state(|| boot.view);
    let notices = use_state(|| boot.notices.clone());
    let saved = use_state(storage::list);
    let theme = use_state(storage::theme);
    let share_link = use_state(|| None::<String>);
    let data = {
        let boot = boot.clone();
        use_reducer(move || {
            let open = DataAction::Open {
                design_id: design_id(&boot.state.origin),
                kept: boot.console.clone(),
            };
            yew::Reducible::reduce(Rc::new(DataState::default()), open)
                .as_ref()
                .clone()
        })
    };
    // A console brought back (at boot, or with a saved design opened) resumes once its design
    // is on screen.
    let resuming = use_mut_ref(|| boot.console.clone());
    let on_data = {
        let data = data.clone();
        Callback::from(move |action: DataAction| data.dispatch(action))
    };
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };
    let notify = notify_callback(notices.clone());
    let on_stop = stop_callback(on_data.clone(), notify.clone());
    let engine = use_engine(
        on_data.reform(|reply| DataAction::Reply(Box::new(reply))),
        on_stop,
    );
    use_undo_keys(dispatch.clone());
    fragment::use_share_link_reload();

    let saving = use_saving(
        state.clone(),
        (data.console.design_id.clone(), data.kept()),
        saved.clone(),
        notify.clone(),
        on_data.clone(),
        share_link.clone(),
    );
    let (on_backup, on_restore) = backup_actions(saved.clone(), notify.clone());
    let on_theme = use_theme(theme.clone());

    let open = open_callback(
        state.clone(),
        view.clone(),
        on_data.clone(),
        resuming.clone(),
    );
    let on_import = import_callback(open.clone(), saved.clone(), notify.clone());
    let on_goto = goto_callback(view.clone());
    let on_convert = use_worker_import(
        engine.clone(),
        on_data.clone(),
        data.imported.clone(),
        on_import.clone(),
    );
    let design = &state.design;
    // The views that show derived values ask the worker for them; the seed matters to the
    // console's prefilled scripts only.
    let scripts = *view == View::Query;
    let key = DeriveKey {
        revision: state.revision,
        seed: if scripts {
            data.generated.map_or(data.console.seed, |g| g.seed)
        } else {
            0
        },
        wants: Wants {
            alternatives: *view == View::Alternatives,
            scripts,
        },
    };
    let wanted = view.derives() || resuming.borrow().is_some();
    let derived = use_derived(design.clone(), key, wanted);
    // A derived view is busy until the worker's answer for the design on screen has come:
    // `view-<id>` names it once it is up to date. Meanwhile a view that showed an answer keeps
    // showing it (an edit made in the view); a view just opened waits, rather than show
    // another design's or revision's layouts.
    let busy = view.derives() && !derived.as_ref().is_some_and(|d| d.key.answers(&key));
    let fresh_view = use_mut_ref(|| None::<View>);
    let shown = if view.derives() && (!busy || *fresh_view.borrow() == Some(*view)) {
        derived.clone()
    } else {
        None
    };
    *fresh_view.borrow_mut() = shown.as_ref().map(|_| *view);
    let requests = ConsoleRequests {
        engine: engine.clone(),
        on_data: on_data.clone(),
        design: design.clone(),
        revision: state.revision,
        views: derived.as_ref().map(|d| d.views.clone()),
    };
    use_resume(resuming, requests.clone(), derived.clone(), state.revision);
    let kept = data.kept();
    // Editing a script is working on the design: an unsaved one is saved, so the script
    // outlasts a reload.
    let on_console = console_callback(
        on_data.clone(),
        dispatch.clone(),
        matches!(state.origin, Origin::Unsaved(_)),
    );
    let body = match *view {
        View::Start => start_view(&StartContext {
            open: open.clone(),
            state: state.clone(),
            saved: saved.clone(),
            on_data: on_data.clone(),
            notify: notify.clone(),
            on_backup,
            on_restore,
        }),
        View::Design => html! { <Editor design={design.clone()} on_action={dispatch.clone()} /> },
        View::Diagram => html! { <Diagram design={design.clone()} on_action={dispatch.clone()} /> },
        View::Mongo | View::Dynamo | View::Alternatives | View::Query | View::Advice => match shown
        {
            Some(Derived {
                analysis, views, ..
            }) => match *view {
                View::Mongo => html! {
                    <MongoView design={design.clone()} {analysis} {views} on_alternatives={to_view(&view, View::Alternatives)} />
                },
                View::Dynamo => html! {
                    <DynamoView design={design.clone()} {analysis} {views} on_alternatives={to_view(&view, View::Alternatives)} on_action={dispatch.clone()} />
                },
                View::Alternatives => html! {
                    <AlternativesView design={design.clone()} {views} on_action={dispatch.clone()} />
                },
                View::Query => html! {
                    <QueryConsole {analysis} data={Rc::new((*data).clone())} on_data={on_console} {requests} />
                },
                _ => {
                    let view = view.clone();
                    let on_verify = Callback::from(move |()| view.set(View::Verify));
                    html! { <Advice {analysis} {on_goto} {on_verify} /> }
                }
            },
            None => {
                html! { <p class="empty" data-testid="deriving">{ "Deriving the layouts…" }</p> }
            }
        },
        View::Verify => html! {
            <VerifyPanel verification={data.verification.clone()} design={design.clone()} revision={state.revision}
                on_data={on_data.clone()} on_verify={verify_callback(&requests)}
                on_cancel={cancel_callback(&requests)} {on_goto} />
        },
    };
    // A link carries the console when it shows more than a fresh page would.
    let shared = (*view != View::Design || !kept.is_fresh()).then(|| kept.to_link(view.id()));
    let on_share = {
        let share_link = share_link.clone();
        Callback::from(move |link: String| share_link.set(Some(link)))
    };
    html! {
        <div class="app">
            <Header design={design.clone()} console={shared}
                saved={matches!(state.origin, Origin::Saved(_)) && saving.failure.is_none() && saving.conflict.is_none()}
                can_undo={state.can_undo()} can_redo={state.can_redo()} on_action={dispatch.clone()}
                {on_share} {on_import} {on_convert} theme={(*theme).clone()} {on_theme} />
            if let Some(link) = (*share_link).clone() { { share_notice(link) } }
            <StorageNotice saving={saving.clone()} />
            { notice_list(&notices) }
            <nav class="app-nav" aria-label="Views">{ nav(&view) }</nav>
            <main class="app-main" data-testid={format!("view-{}{}", view.id(), if busy { "-deriving" } else { "" })}
                aria-busy={busy.to_string()}>
                { body }
            </main>
        </div>
    }
}

/// Puts the theme on the document's root element; the callback changes it and keeps it.
#[hook]
fn use_theme(theme: UseStateHandle<String>) -> Callback<String> {
    use_effect_with((*theme).clone(), move |theme| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("data-theme", theme);
        }
    });
    Callback::from(move |next: String| {
        storage::set_theme(&next);
        theme.set(next);
    })
}

/// An imported design (or why it failed) is saved at once, under a new id, so it never
/// replaces a saved design, and opened.
fn import_callback(
    open: Callback<(Design, Origin)>,
    saved: UseStateHandle<Vec<storage::SavedEntry>>,
    notify: Callback<Notice>,
) -> Callback<Result<(Design, String), String>> {
    Callback::from(move |result: Result<(Design, String), String>| {
        let (design, note) = match result {
            Ok(imported) => imported,
            Err(message) => return notify.emit(Notice::error(message)),
        };
        let id = storage::new_id();
        match storage::save(&id, &design) {
            Ok(()) => {
                saved.set(storage::list());
                notify.emit(Notice::info(format!(
                    "Imported “{}” as a new saved design.{note}",
                    design.name
                )));
                open.emit((design, Origin::Saved(id)));
            }
            Err(message) => notify.emit(Notice::error(message)),
        }
    })
}

/// The notices above the views, each with its dismiss button.
fn notice_list(notices: &UseStateHandle<Vec<Notice>>) -> Html {
    let list = notices.iter().enumerate().map(|(i, n)| {
        let dismiss = {
            let notices = notices.clone();
            Callback::from(move |_| {
                let mut list = (*notices).clone();
                if i < list.len() {
                    list.remove(i);
                }
                notices.set(list);
            })
        };
        html! {
            <div class={classes!("notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }}
                data-testid={if n.error { "notice-error" } else { "notice-info" }}>
                <span>{ n.text.clone() }</span>
                <button class="icon" aria-label="Dismiss" onclick={dismiss}>{ "✕" }</button>
            </div>
        }
    });
    html! { { for list } }
}

/// Files in another format go to the importer worker to be converted (the returned callback); what comes
/// back opens like any import.
#[hook]
fn use_worker_import(
    engine: EngineHandle,
    on_data: Callback<DataAction>,
    imported: Option<(RequestId, Converted)>,
    on_import: Callback<Converted>,
) -> Callback<ToConvert> {
    use_effect_with(imported.as_ref().map(|(id, _)| *id), move |_| {
        if let Some((_, result)) = imported {
            on_import.emit(result);
        }
    });
    Callback::from(move |file: ToConvert| {
        let id = engine.import(ImportFile {
            name: file.name,
            text: file.text,
            volumes: file.volumes,
        });
        on_data.emit(DataAction::Sent {
            id,
            purpose: Purpose::Import,
        });
    })
}

/// Shows the element a path names (`accessPatterns[2]`) in the editor.
/// A callback that shows `target`.
fn to_view(view: &UseStateHandle<View>, target: View) -> Callback<()> {
    let view = view.clone();
    Callback::from(move |()| view.set(target))
}

fn goto_callback(view: UseStateHandle<View>) -> Callback<String> {
    Callback::from(move |path: String| {
        view.set(View::Design);
        crate::hooks::focus::reveal(&path);
    })
}

/// A console brought back (at boot, or with a saved design opened) resumes once its design
/// is on screen, at `revision`.
#[hook]
fn use_resume(
    resuming: Rc<std::cell::RefCell<Option<Kept>>>,
    requests: ConsoleRequests,
    derived: Option<Derived>,
    revision: u64,
) {
    // The pattern's form comes from the design's derivation: it waits for the worker's.
    let ready = derived.filter(|d| d.key.revision == revision);
    let deps = (revision, ready.is_some());
    use_effect_with(deps, move |_| {
        let Some(derived) = ready else {
            return;
        };
        if let Some(kept) = resuming.borrow_mut().take() {
            resume(&kept, &requests, &derived.analysis);
        }
    });
}

/// Adds a notice (once: the same text replaces an earlier one).
fn notify_callback(notices: UseStateHandle<Vec<Notice>>) -> Callback<Notice> {
    Callback::from(move |notice: Notice| {
        let mut list = (*notices).clone();
        list.retain(|n| n.text != notice.text);
        list.push(notice);
        notices.set(list);
    })
}

/// Hears why the worker stopped: what waited for it is told, and a crash is a notice.
fn stop_callback(on_data: Callback<DataAction>, notify: Callback<Notice>) -> Callback<Stop> {
    Callback::from(move |stop: Stop| {
        if let Stop::Crashed(why) = &stop {
            notify.emit(Notice::error(format!(
                "The worker that runs the simulators stopped ({why}). Your design is intact: the next run starts a new worker with it."
            )));
        }
        on_data.emit(DataAction::Stopped(stop));
    })
}

/// Opens a design (an example, a saved one, a new one, an import) with the console it keeps.
fn open_callback(
    state: UseReducerHandle<State>,
    view: UseStateHandle<View>,
    on_data: Callback<DataAction>,
    resuming: Rc<std::cell::RefCell<Option<Kept>>>,
) -> Callback<(Design, Origin)> {
    Callback::from(move |(design, origin): (Design, Origin)| {
        let kept = match &origin {
            Origin::Saved(id) => {
                storage::set_current(id);
                storage::load_console(id)
            }
            Origin::Unsaved(_) => None,
        };
        on_data.emit(DataAction::Open {
            design_id: design_id(&origin),
            kept: kept.clone(),
        });
        *resuming.borrow_mut() = kept;
        state.dispatch(Action::Open { design, origin });
        view.set(View::Design);
    })
}

/// The console's actions; editing a script of an `unsaved` design saves it first.
fn console_callback(
    on_data: Callback<DataAction>,
    dispatch: Callback<Action>,
    unsaved: bool,
) -> Callback<DataAction> {
    Callback::from(move |action: DataAction| {
        if unsaved
            && matches!(
                action,
                DataAction::SetScript(_) | DataAction::FillScript { .. }
            )
        {
            dispatch.emit(Action::Keep);
        }
        on_data.emit(action)
    })
}

/// Says a share link was copied, with the link to copy by hand.
fn share_notice(link: String) -> Html {
    html! {
        <div class="notice share" role="status">
            <span>{ format!("Link copied ({} characters). Anyone who opens it sees this design{}.", link.len(),
                if link.contains("#design=2") { " as you see it: the same view, data and query" } else { "" }) }</span>
            <input readonly=true value={link} aria-label="Share link" data-testid="share-link" />
        </div>
    }
}

/// What the start screen's callbacks act on.
struct StartContext {
    open: Callback<(Design, Origin)>,
    state: UseReducerHandle<State>,
    saved: UseStateHandle<Vec<storage::SavedEntry>>,
    on_data: Callback<DataAction>,
    notify: Callback<Notice>,
    on_backup: Callback<()>,
    on_restore: Callback<Result<(String, String), String>>,
}

/// The start screen: the gallery, the saved designs (open, delete), a new design, backups.
fn start_view(ctx: &StartContext) -> Html {
    let unsaved = || Origin::Unsaved(storage::new_id());
    let on_example = ctx.open.reform(move |design: Design| (design, unsaved()));
    let on_new = ctx.open.reform(move |_: ()| (blank_design(), unsaved()));
    let on_saved = {
        let open = ctx.open.clone();
        let notify = ctx.notify.clone();
        Callback::from(move |id: String| match storage::load(&id) {
            Ok(design) => open.emit((design, Origin::Saved(id))),
            Err(message) => notify.emit(Notice::error(message)),
        })
    };
    let on_delete = {
        let saved = ctx.saved.clone();
        let state = ctx.state.clone();
        let on_data = ctx.on_data.clone();
        Callback::from(move |id: String| {
            storage::delete(&id);
            if state.origin == Origin::Saved(id) {
                let fresh = storage::new_id();
                on_data.emit(DataAction::Adopt(fresh.clone()));
                state.dispatch(Action::Open {
                    design: (*state.design).clone(),
                    origin: Origin::Unsaved(fresh),
                });
            }
            saved.set(storage::list());
        })
    };
    let current = match &ctx.state.origin {
        Origin::Saved(id) => Some(id.clone()),
        Origin::Unsaved(_) => None,
    };
    html! {
        <Start saved={(*ctx.saved).clone()} {current} {on_example} {on_saved} {on_delete} {on_new}
            on_backup={ctx.on_backup.clone()} on_restore={ctx.on_restore.clone()} />
    }
}

/// Runs a verification of the design on screen: `(seed, steps)`.
fn verify_callback(requests: &ConsoleRequests) -> Callback<(u64, u64)> {
    let requests = requests.clone();
    Callback::from(move |(seed, steps)| requests.verify(seed, steps))
}

/// Stops what the worker is doing (the design stays).
fn cancel_callback(requests: &ConsoleRequests) -> Callback<()> {
    let requests = requests.clone();
    Callback::from(move |()| requests.cancel())
}

/// The navigation between the views, the current one marked.
fn nav(view: &UseStateHandle<View>) -> Html {
    let items = View::ALL.iter().map(|&v| {
        let onclick = {
            let view = view.clone();
            Callback::from(move |_| view.set(v))
        };
        let current = **view == v;
        html! {
            <button class={classes!("nav-item", current.then_some("active"))}
                data-testid={format!("nav-{}", v.id())}
                aria-current={current.then_some("page")}
                {onclick}>{ v.label() }</button>
        }
    });
    html! { { for items } }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(console: Option<Result<share::Console, String>>) -> (View, bool, Vec<String>) {
        let mut notices = Vec::new();
        let (view, kept) = shared_console(console, &mut notices);
        (
            view,
            kept.is_some(),
            notices.into_iter().map(|n| n.text).collect(),
        )
    }

    /// A link's view opens when this build has it; otherwise, and when the console cannot be
    /// read, the design opens with a notice saying so.
    #[test]
    fn a_links_view_and_console() {
        let with_view = |view: &str| {
            Some(Ok(share::Console {
                view: Some(view.into()),
                ..share::Console::default()
            }))
        };
        assert_eq!(open(None), (View::Design, false, vec![]));
        assert_eq!(open(with_view("dynamo")), (View::Dynamo, true, vec![]));
        assert_eq!(
            open(with_view("reports")),
            (
                View::Design,
                true,
                vec!["This link opens a view this version does not have (“reports”): it shows the design.".to_string()]
            )
        );
        assert_eq!(
            open(Some(Err("the console part was cut off".into()))),
            (
                View::Design,
                false,
                vec![
                    "The design of this link opened, but the console part was cut off.".to_string()
                ]
            )
        );
        for view in View::ALL {
            assert_eq!(View::from_id(view.id()), Some(view));
        }
    }
}
