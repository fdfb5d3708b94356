//! The page's side of the worker: spawned on first use, answers delivered to a callback.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::worker::{Spawnable, WorkerBridge};
use yew::prelude::*;

use crate::engine::{Request, Response};
use crate::worker::{EngineWorker, SCRIPT};

/// Sends requests to the worker, spawning it the first time.
#[derive(Clone)]
pub struct EngineHandle {
    bridge: Rc<RefCell<Option<WorkerBridge<EngineWorker>>>>,
    on_response: Callback<Response>,
}

impl PartialEq for EngineHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.bridge, &other.bridge)
    }
}

impl EngineHandle {
    pub fn send(&self, request: Request) {
        let mut slot = self.bridge.borrow_mut();
        let bridge = slot.get_or_insert_with(|| {
            let on_response = self.on_response.clone();
            EngineWorker::spawner()
                .as_module(false)
                .callback(move |response| on_response.emit(response))
                .spawn(SCRIPT)
        });
        bridge.send(request);
    }
}

#[hook]
pub fn use_engine(on_response: Callback<Response>) -> EngineHandle {
    let bridge = use_mut_ref(|| None::<WorkerBridge<EngineWorker>>);
    EngineHandle {
        bridge,
        on_response,
    }
}
