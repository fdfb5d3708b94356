//! The Web Workers. [`PlaygroundWorker`] owns the [`Playground`]: generating 100k documents or
//! running a query there never blocks the page. Progress reports stream back while a request
//! runs; every reply carries the id of its request. [`ImporterWorker`] converts imported files
//! (NoSQL Workbench, SQL DDL): a worker of its own, so the SQL parser is downloaded only when a
//! user imports a file, never with the simulators.

use gloo::worker::{HandlerId, Registrable, Worker, WorkerScope};
use schemaplay_playground::{import, Envelope, ImportFile, Playground, Reply, Request};

use crate::codec::StructuredClone;

/// The worker script Trunk builds from `src/bin/schemaplay-worker.rs` (no-modules target).
pub const SCRIPT: &str = "./schemaplay-worker.js";

/// The importer's script, built from `src/bin/schemaplay-importer.rs`.
pub const IMPORTER_SCRIPT: &str = "./schemaplay-importer.js";

pub struct PlaygroundWorker {
    playground: Playground,
}

impl Worker for PlaygroundWorker {
    type Message = ();
    type Input = Envelope<Request>;
    type Output = Envelope<Reply>;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        let mut playground = Playground::default();
        // MongoDB requests run under their maxTimeMS, or the playground's default budget, so
        // no pipeline keeps the worker busy for ever.
        playground.set_timer(std::rc::Rc::new(js_sys::Date::now));
        PlaygroundWorker { playground }
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

/// Converts the files it is sent, one reply each (`Imported` or `Failed`).
pub struct ImporterWorker;

impl Worker for ImporterWorker {
    type Message = ();
    type Input = Envelope<ImportFile>;
    type Output = Envelope<Reply>;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        ImporterWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, file: Envelope<ImportFile>, who: HandlerId) {
        let body = import::answer(&file.body);
        scope.respond(who, Envelope { id: file.id, body });
    }
}

/// Registers the importer; called by the importer script's `main`.
pub fn register_importer() {
    ImporterWorker::registrar()
        .encoding::<StructuredClone>()
        .register();
}
