//! The Web Worker that owns the [`Playground`]: generating 100k documents or running a query
//! here never blocks the page. Progress reports stream back while a request runs; every reply
//! carries the id of its request.

use gloo::worker::{HandlerId, Registrable, Worker, WorkerScope};
use schemaplay_playground::{Envelope, Playground, Reply, Request};

use crate::codec::StructuredClone;

/// The worker script Trunk builds from `src/bin/schemaplay-worker.rs` (no-modules target).
pub const SCRIPT: &str = "./schemaplay-worker.js";

pub struct PlaygroundWorker {
    playground: Playground,
}

impl Worker for PlaygroundWorker {
    type Message = ();
    type Input = Envelope<Request>;
    type Output = Envelope<Reply>;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        PlaygroundWorker {
            playground: Playground::default(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, request: Envelope<Request>, who: HandlerId) {
        let id = request.id;
        let reply = self.playground.handle(request.body, &mut |progress| {
            scope.respond(
                who,
                Envelope {
                    id,
                    body: Reply::Progress(progress),
                },
            )
        });
        scope.respond(who, Envelope { id, body: reply });
    }
}

/// Registers the worker; called by the worker script's `main`.
pub fn register() {
    PlaygroundWorker::registrar()
        .encoding::<StructuredClone>()
        .register();
}
