//! The app shell: header, navigation between the views, notices, and the side effects of the
//! state (autosave, share links, theme, keyboard shortcuts).

use std::rc::Rc;

use schemaplay_core::model::Design;
use schemaplay_playground::{Request, RequestId};
use yew::prelude::*;

use crate::components::advice::Advice;
use crate::components::console::QueryConsole;
use crate::components::diagram::Diagram;
use crate::components::dynamo_view::DynamoView;
use crate::components::editor::Editor;
use crate::components::header::Header;
use crate::components::mongo_view::MongoView;
use crate::components::start::Start;
use crate::data::{Converted, DataAction, DataState, Purpose};
use crate::derived::Derived;
use crate::hooks::engine::{use_engine, EngineHandle};
use crate::hooks::fragment::{self, Fragment};
use crate::hooks::keys::use_undo_keys;
use crate::hooks::storage;
use crate::state::{blank_design, Action, Origin, State};

/// The views of the playground, in the order the navigation lists them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    Start,
    Design,
    Diagram,
    Mongo,
    Dynamo,
    Query,
    Advice,
}

impl View {
    pub const ALL: [View; 7] = [
        View::Start,
        View::Design,
        View::Diagram,
        View::Mongo,
        View::Dynamo,
        View::Query,
        View::Advice,
    ];

    pub fn label(self) -> &'static str {
        match self {
            View::Start => "Start",
            View::Design => "Design",
            View::Diagram => "Diagram",
            View::Mongo => "MongoDB",
            View::Dynamo => "DynamoDB",
            View::Query => "Query console",
            View::Advice => "Warnings & cost",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            View::Start => "start",
            View::Design => "design",
            View::Diagram => "diagram",
            View::Mongo => "mongo",
            View::Dynamo => "dynamo",
            View::Query => "query",
            View::Advice => "advice",
        }
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

/// What the page shows first: a shared design, else the design open last, else the start screen.
fn boot() -> (State, View, Vec<Notice>) {
    let mut notices = Vec::new();
    match fragment::read() {
        Fragment::Design(design) => {
            notices.push(Notice::info(format!(
                "You opened a shared design, “{}”. Your saved designs are untouched: if you edit this one, it is saved as a new design.",
                design.name
            )));
            let origin = Origin::Unsaved(storage::new_id());
            return (State::new(*design, origin), View::Design, notices);
        }
        Fragment::Broken(message) => {
            notices.push(Notice::error(message));
            fragment::clear();
        }
        Fragment::None => {}
    }
    if let Some(id) = storage::current() {
        match storage::load(&id) {
            Ok(design) => return (State::new(design, Origin::Saved(id)), View::Design, notices),
            Err(message) => notices.push(Notice::error(message)),
        }
    }
    let blank = State::new(blank_design(), Origin::Unsaved(storage::new_id()));
    (blank, View::Start, notices)
}

#[function_component(App)]
pub fn app() -> Html {
    let boot = use_memo((), |_| boot());
    let state = {
        let boot = boot.clone();
        use_reducer(move || boot.0.clone())
    };
    let view = use_state(|| boot.1);
    let notices = use_state(|| boot.2.clone());
    let saved = use_state(storage::list);
    let theme = use_state(storage::theme);
    let share_link = use_state(|| None::<String>);
    let data = use_reducer(DataState::default);
    let derived = use_mut_ref(Derived::default).borrow().clone();
    let on_data = {
        let data = data.clone();
        Callback::from(move |action: DataAction| data.dispatch(action))
    };
    let engine = use_engine(on_data.reform(|reply| DataAction::Reply(Box::new(reply))));

    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };
    let notify = {
        let notices = notices.clone();
        Callback::from(move |notice: Notice| {
            let mut list = (*notices).clone();
            list.retain(|n| n.text != notice.text);
            list.push(notice);
            notices.set(list);
        })
    };
    use_undo_keys(dispatch.clone());
    fragment::use_share_link_reload();

    use_autosave(
        state.clone(),
        saved.clone(),
        notify.clone(),
        share_link.clone(),
    );
    use_theme(theme.clone());

    let open = {
        let state = state.clone();
        let view = view.clone();
        let on_data = on_data.clone();
        Callback::from(move |(design, origin): (Design, Origin)| {
            if let Origin::Saved(id) = &origin {
                storage::set_current(id);
            }
            state.dispatch(Action::Open { design, origin });
            on_data.emit(DataAction::ResetConsole);
            view.set(View::Design);
        })
    };
    let unsaved = || Origin::Unsaved(storage::new_id());
    let on_example = open.reform(move |design: Design| (design, unsaved()));
    let on_new = open.reform(move |_: ()| (blank_design(), unsaved()));
    let on_saved = {
        let open = open.clone();
        let notify = notify.clone();
        Callback::from(move |id: String| match storage::load(&id) {
            Ok(design) => open.emit((design, Origin::Saved(id))),
            Err(message) => notify.emit(Notice::error(message)),
        })
    };
    let on_delete = {
        let saved = saved.clone();
        let state = state.clone();
        Callback::from(move |id: String| {
            storage::delete(&id);
            if state.origin == Origin::Saved(id) {
                state.dispatch(Action::Open {
                    design: (*state.design).clone(),
                    origin: Origin::Unsaved(storage::new_id()),
                });
            }
            saved.set(storage::list());
        })
    };
    let on_import = import_callback(open.clone(), saved.clone(), notify.clone());
    let on_goto = {
        let view = view.clone();
        Callback::from(move |path: String| {
            view.set(View::Design);
            crate::hooks::focus::reveal(&path);
        })
    };
    let on_convert = use_worker_import(
        engine.clone(),
        on_data.clone(),
        data.imported.clone(),
        on_import.clone(),
    );
    let design = &state.design;
    let analysis = || derived.get(state.revision, design);
    let body = match *view {
        View::Start => html! {
            <Start saved={(*saved).clone()} current={match &state.origin { Origin::Saved(id) => Some(id.clone()), Origin::Unsaved(_) => None }}
                {on_example} {on_saved} {on_delete} {on_new} />
        },
        View::Design => html! { <Editor design={design.clone()} on_action={dispatch.clone()} /> },
        View::Diagram => html! { <Diagram design={design.clone()} on_action={dispatch.clone()} /> },
        View::Mongo => html! { <MongoView design={design.clone()} analysis={analysis()} /> },
        View::Dynamo => html! { <DynamoView design={design.clone()} analysis={analysis()} /> },
        View::Query => html! {
            <QueryConsole design={design.clone()} analysis={analysis()} revision={state.revision} data={Rc::new((*data).clone())}
                on_data={on_data.clone()} engine={engine.clone()} />
        },
        View::Advice => html! { <Advice analysis={analysis()} {on_goto} /> },
    };
    let on_share = {
        let share_link = share_link.clone();
        Callback::from(move |link: String| share_link.set(Some(link)))
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |next: String| {
            storage::set_theme(&next);
            theme.set(next);
        })
    };
    html! {
        <div class="app">
            <Header design={design.clone()} saved={matches!(state.origin, Origin::Saved(_))}
                can_undo={state.can_undo()} can_redo={state.can_redo()} on_action={dispatch.clone()}
                {on_share} {on_import} {on_convert} theme={(*theme).clone()} {on_theme} />
            if let Some(link) = (*share_link).clone() {
                <div class="notice share" role="status">
                    <span>{ format!("Link copied ({} characters). Anyone who opens it sees this design.", link.len()) }</span>
                    <input readonly=true value={link} aria-label="Share link" data-testid="share-link" />
                </div>
            }
            { notice_list(&notices) }
            <nav class="app-nav" aria-label="Views">{ nav(&view) }</nav>
            <main class="app-main" data-testid={format!("view-{}", view.id())}>
                { body }
            </main>
        </div>
    }
}

/// Autosave: every edit of a saved design is written back. The first edit of an unsaved one
/// (an example, a share link) has already made it `Saved` under the new id it was opened with,
/// so nothing saved is ever overwritten, and this one pass saves it.
#[hook]
fn use_autosave(
    state: UseReducerHandle<State>,
    saved: UseStateHandle<Vec<storage::SavedEntry>>,
    notify: Callback<Notice>,
    share_link: UseStateHandle<Option<String>>,
) {
    use_effect_with(state.revision, move |_| {
        share_link.set(None);
        if let Origin::Saved(id) = &state.origin {
            // A link's design now lives in storage: a reload shows the saved design.
            fragment::clear();
            match storage::save(id, &state.design) {
                Ok(()) => saved.set(storage::list()),
                Err(message) => notify.emit(Notice::error(message)),
            }
        }
    });
}

/// Puts the theme on the document's root element.
#[hook]
fn use_theme(theme: UseStateHandle<String>) {
    use_effect_with((*theme).clone(), move |theme| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("data-theme", theme);
        }
    });
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

/// Files in another format go to the worker to be converted (the returned callback); what comes
/// back opens like any import.
#[hook]
fn use_worker_import(
    engine: EngineHandle,
    on_data: Callback<DataAction>,
    imported: Option<(RequestId, Converted)>,
    on_import: Callback<Converted>,
) -> Callback<(String, String)> {
    use_effect_with(imported.as_ref().map(|(id, _)| *id), move |_| {
        if let Some((_, result)) = imported {
            on_import.emit(result);
        }
    });
    Callback::from(move |(name, text): (String, String)| {
        let id = engine.send(Request::Import { name, text });
        on_data.emit(DataAction::Sent {
            id,
            purpose: Purpose::Import,
        });
    })
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
