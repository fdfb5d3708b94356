//! The page's side of the worker: spawned on first use, replies delivered to a callback. Request
//! ids are allocated here, in the one handle the app holds, so no view can restart them.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::worker::{Spawnable, WorkerBridge};
use schemaplay_playground::{Envelope, Reply, Request, RequestId};
use yew::prelude::*;

use crate::codec::StructuredClone;
use crate::worker::{PlaygroundWorker, SCRIPT};

/// Sends requests to the worker, spawning it the first time.
#[derive(Clone)]
pub struct EngineHandle {
    bridge: Rc<RefCell<Option<WorkerBridge<PlaygroundWorker>>>>,
    last_id: Rc<Cell<RequestId>>,
    on_reply: Callback<Envelope<Reply>>,
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
}

/// The worker connection of the app; call it once, at the root.
#[hook]
pub fn use_engine(on_reply: Callback<Envelope<Reply>>) -> EngineHandle {
    let bridge = use_mut_ref(|| None::<WorkerBridge<PlaygroundWorker>>);
    let last_id = use_memo((), |_| Cell::new(RequestId::default()));
    EngineHandle {
        bridge,
        last_id,
        on_reply,
    }
}
