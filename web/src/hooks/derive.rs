//! The derivations, off the page: a second instance of the simulators' worker script answers
//! `Request::Derive` (the core's analysis, samples, exports, alternatives, scripts), so the
//! page's download holds none of the derivations and the main thread never runs them. It is
//! an instance of its own, not the playground's: a derivation never waits behind a generation
//! or a verification, and a cancel there does not lose it.
//!
//! The views show the last answer until the next one comes. One request is on its way at a
//! time; while it is, only the newest design waits (typing sends no backlog), and an answer
//! for an older revision is still shown, since it is the best there is.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use schemaplay_core::model::Design;
use schemaplay_playground::{DeriveCall, Envelope, Reply, Request, RequestId};
use wasm_bindgen::JsValue;
use web_sys::Worker;
use yew::prelude::*;

use crate::codec;
use crate::derived::{DeriveKey, Derived, Shared};
use crate::hooks::engine::Live;
use crate::worker::{FromWorker, SCRIPT};

#[derive(Default)]
struct Deriver {
    live: RefCell<Option<Live>>,
    last_id: Cell<RequestId>,
    /// The request on its way: its id and what it derives.
    asked: Cell<Option<(RequestId, DeriveKey)>>,
    /// The newest design to derive once the answer on its way has come.
    next: RefCell<Option<(Rc<Design>, DeriveKey)>>,
    on_answer: RefCell<Option<Callback<Derived>>>,
}

impl Deriver {
    /// Asks for `key`'s derivation of `design`, unless it is on its way or waiting already.
    fn ask(self: &Rc<Self>, design: Rc<Design>, key: DeriveKey) {
        if let Some((_, asked)) = self.asked.get() {
            if asked != key {
                let waiting = self.next.borrow().as_ref().map(|(_, k)| *k);
                if waiting != Some(key) {
                    *self.next.borrow_mut() = Some((design, key));
                }
            }
            return;
        }
        let id = self.last_id.get().next();
        self.last_id.set(id);
        let request = Request::Derive(DeriveCall {
            design: Box::new((*design).clone()),
            seed: key.seed,
            wants: key.wants,
        });
        let message = codec::encode(&Envelope { id, body: request });
        match self.post(message) {
            Ok(()) => self.asked.set(Some((id, key))),
            Err(why) => web_sys::console::error_1(&JsValue::from_str(&why)),
        }
    }

    fn post(self: &Rc<Self>, message: JsValue) -> Result<(), String> {
        Live::post_to(&self.live, message, || {
            let weak = Rc::downgrade(self);
            let on_error = {
                let weak = weak.clone();
                move |_: &Worker, why: String| {
                    if let Some(deriver) = weak.upgrade() {
                        deriver.stop(&format!("the deriving worker stopped: {why}"));
                    }
                }
            };
            Live::start(SCRIPT, move |_, data| received(&weak, data), on_error)
        })
    }

    /// Terminates a worker that failed; the next design asked for starts another. What was
    /// asked is forgotten, so a design whose derivation panics is not sent again and again.
    fn stop(&self, why: &str) {
        web_sys::console::error_1(&JsValue::from_str(why));
        let live = self.live.borrow_mut().take();
        if let Some(live) = live {
            live.terminate();
        }
        self.asked.set(None);
        self.next.borrow_mut().take();
    }

    /// The answer to the request on its way; then the design waiting, if any, is asked for.
    fn answered(self: &Rc<Self>, envelope: Envelope<Reply>) {
        let Some((id, key)) = self.asked.get() else {
            return;
        };
        if envelope.id != id {
            return;
        }
        self.asked.set(None);
        match envelope.body {
            Reply::Derived(derivation) => {
                let derivation = *derivation;
                let derived = Derived {
                    key,
                    analysis: Shared::new(derivation.analysis),
                    views: Shared::new(derivation.views),
                };
                // Cloned out first: the callback renders the app, which sets it again.
                let callback = self.on_answer.borrow().clone();
                if let Some(on_answer) = callback {
                    on_answer.emit(derived);
                }
            }
            other => web_sys::console::error_1(&JsValue::from_str(&format!(
                "the deriving worker answered {other:?}"
            ))),
        }
        let waiting = self.next.borrow_mut().take();
        if let Some((design, key)) = waiting {
            self.ask(design, key);
        }
    }
}

fn received(weak: &Weak<Deriver>, data: JsValue) {
    let Some(deriver) = weak.upgrade() else {
        return;
    };
    match codec::decode::<FromWorker>(data) {
        Ok(FromWorker::Ready) => {
            // The borrow ends before `stop`, which takes the worker.
            let sent = deriver.live.borrow_mut().as_mut().map(Live::ready);
            if let Some(Err(why)) = sent {
                deriver.stop(&format!("the deriving worker failed: {why}"));
            }
        }
        Ok(FromWorker::Reply(envelope)) => deriver.answered(*envelope),
        Ok(FromWorker::Panicked(why) | FromWorker::Unreadable(why)) | Err(why) => {
            deriver.stop(&format!("the deriving worker failed: {why}"))
        }
    }
}

/// The last derivation the worker answered for the app's design (none before the first), and
/// a request for `key`'s when `wanted` (a view shows derived values) and the last does not
/// answer it. Call it once, at the root.
#[hook]
pub fn use_derived(design: Rc<Design>, key: DeriveKey, wanted: bool) -> Option<Derived> {
    let answer = use_state(|| None::<Derived>);
    let deriver = use_memo((), |_| Deriver::default());
    *deriver.on_answer.borrow_mut() = Some({
        let answer = answer.clone();
        Callback::from(move |derived: Derived| answer.set(Some(derived)))
    });
    let answered = answer.as_ref().is_some_and(|d| d.key.answers(&key));
    use_effect_with((key, wanted && !answered), move |(key, ask)| {
        if *ask {
            deriver.ask(design, *key);
        }
    });
    (*answer).clone()
}
