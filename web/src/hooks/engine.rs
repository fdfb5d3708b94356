//! The page's side of the worker: spawned on first use, replies delivered to a callback. Request
//! ids are allocated here, in the one handle the app holds, so no view can restart them; it
//! also remembers which design revision the worker was last given and whether anything was
//! generated there, so every caller sends what the worker lacks and nothing twice.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::worker::{Spawnable, WorkerBridge};
use schemaplay_core::model::Design;
use schemaplay_playground::{Envelope, Reply, Request, RequestId};
use yew::prelude::*;

use crate::codec::StructuredClone;
use crate::worker::{PlaygroundWorker, SCRIPT};

/// Sends requests to the worker, spawning it the first time.
#[derive(Clone)]
pub struct EngineHandle {
    bridge: Rc<RefCell<Option<WorkerBridge<PlaygroundWorker>>>>,
    last_id: Rc<Cell<RequestId>>,
    /// What the worker was sent: the design revision it works on, and whether a generation
    /// (which makes the design's collections and table) was sent since it started.
    sent: Rc<Cell<Sent>>,
    on_reply: Callback<Envelope<Reply>>,
}

#[derive(Clone, Copy, Default)]
struct Sent {
    revision: Option<u64>,
    generated: bool,
}

impl PartialEq for EngineHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.bridge, &other.bridge)
    }
}

impl EngineHandle {
    /// Sends a request under a new id, which its replies will carry.
    pub fn send(&self, request: Request) -> RequestId {
        let id = self.last_id.get().next();
        self.last_id.set(id);
        let mut slot = self.bridge.borrow_mut();
        let bridge = slot.get_or_insert_with(|| {
            let on_reply = self.on_reply.clone();
            PlaygroundWorker::spawner()
                .encoding::<StructuredClone>()
                .as_module(false)
                .callback(move |reply| on_reply.emit(reply))
                .spawn(SCRIPT)
        });
        bridge.send(Envelope { id, body: request });
        id
    }

    /// Gives the worker the design at `revision`, unless it has it already. Its reply
    /// (`DesignSet`) is waited for by nobody: the worker answers requests in order.
    pub fn set_design(&self, design: &Design, revision: u64) {
        let sent = self.sent.get();
        if sent.revision != Some(revision) {
            self.send(Request::SetDesign(design.clone()));
            self.sent.set(Sent {
                revision: Some(revision),
                ..sent
            });
        }
    }

    /// Sends a generation.
    pub fn generate(&self, per_entity: u64, seed: u64) -> RequestId {
        let sent = self.sent.get();
        self.sent.set(Sent {
            generated: true,
            ..sent
        });
        self.send(Request::Generate { per_entity, seed })
    }

    /// Whether a generation was sent to the worker, so its simulators hold the layouts.
    pub fn generated(&self) -> bool {
        self.sent.get().generated
    }
}

/// The worker connection of the app; call it once, at the root.
#[hook]
pub fn use_engine(on_reply: Callback<Envelope<Reply>>) -> EngineHandle {
    let bridge = use_mut_ref(|| None::<WorkerBridge<PlaygroundWorker>>);
    let last_id = use_memo((), |_| Cell::new(RequestId::default()));
    let sent = use_memo((), |_| Cell::new(Sent::default()));
    EngineHandle {
        bridge,
        last_id,
        sent,
        on_reply,
    }
}
