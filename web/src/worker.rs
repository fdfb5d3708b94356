//! The Web Worker that owns the [`Engine`]: generating 100k documents or running a query here
//! never blocks the page. Progress reports stream back while a request runs.

use gloo::worker::{HandlerId, Registrable, Worker, WorkerScope};

use crate::engine::{Engine, Request, Response};

/// The worker script Trunk builds from `src/bin/schemaplay-worker.rs` (no-modules target).
pub const SCRIPT: &str = "./schemaplay-worker.js";

pub struct EngineWorker {
    engine: Engine,
}

impl Worker for EngineWorker {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        EngineWorker {
            engine: Engine::default(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, request: Request, id: HandlerId) {
        self.engine
            .handle(request, &mut |response| scope.respond(id, response));
    }
}

/// Registers the worker; called by the worker script's `main`.
pub fn register() {
    EngineWorker::registrar().register();
}
