//! The Web Workers. The one that owns the [`Playground`]: generating 100k documents or running
//! a query there never blocks the page; the importer ([`register_importer`]) converts files.
//! Progress reports stream back while a request runs; every reply carries the id of its request.
//!
//! The protocol is ours, over `postMessage` with the structured-clone codec: the page sends
//! `Envelope<Request>`s, the worker answers [`FromWorker`] messages, `Ready` first (messages
//! sent before it would be lost, so the page holds them until then). A panic in the worker is
//! reported as `Panicked` before the WebAssembly instance stops; the page then replaces the
//! worker (see `hooks/engine.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use schemaplay_playground::{import, Envelope, ImportFile, Playground, Reply, Request};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::codec;

/// The worker script Trunk builds from `src/bin/schemaplay-worker.rs` (no-modules target).
pub const SCRIPT: &str = "./schemaplay-worker.js";

/// The importer's script, built from `src/bin/schemaplay-importer.rs`.
pub const IMPORTER_SCRIPT: &str = "./schemaplay-importer.js";

/// The folder of the time zone files (`schemaplay tzdb`, run by Trunk's post-build hook), next to
/// the page: the simulators' worker fetches a zone from it the first time a query names it.
pub const TZDB_DIR: &str = "./tzdb/";

/// The global through which the page tells a worker the absolute URL of [`TZDB_DIR`] (a worker
/// started from a blob cannot resolve the page's relative URLs).
pub const TZDB_GLOBAL: &str = "schemaplayTzdb";

/// The message that makes the worker panic, for the end-to-end tests of recovery. No request
/// can carry it: it is a string, and requests are objects.
pub const PANIC_FOR_TESTS: &str = "schemaplay: panic for tests";

/// What the worker says to the page.
#[derive(Serialize, Deserialize, Debug)]
pub enum FromWorker {
    /// Listening: messages posted from now on are read.
    Ready,
    /// Boxed: a reply can hold a whole design.
    Reply(Box<Envelope<Reply>>),
    /// The worker panicked, with the panic's message; it answers nothing any more.
    Panicked(String),
    /// A message from the page could not be read (a page and a worker of different builds).
    Unreadable(String),
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: &FromWorker) {
    let _ = scope().post_message(&codec::encode(message));
}

/// Starts the worker; called by the worker script's `main`.
pub fn register() {
    let mut playground = Playground::default();
    // MongoDB requests run under their maxTimeMS, or the playground's default budget, so no
    // pipeline keeps the worker busy for ever.
    playground.set_timer(Rc::new(js_sys::Date::now));
    schemaplay_playground::set_time_zone_source(Rc::new(fetch_time_zone));
    let playground = RefCell::new(playground);
    serve(move |request: Envelope<Request>| {
        let id = request.id;
        let Ok(mut playground) = playground.try_borrow_mut() else {
            return;
        };
        let reply = playground.handle(request.body, &mut |progress| {
            post(&FromWorker::Reply(Box::new(Envelope {
                id,
                body: Reply::Progress(progress),
            })))
        });
        post(&FromWorker::Reply(Box::new(Envelope { id, body: reply })));
    });
}

/// A zone's TZif bytes, read synchronously (a worker may: the query that names the zone waits
/// for them) from the page's [`TZDB_DIR`]; `None` when there is no such file.
fn fetch_time_zone(name: &str) -> Option<Vec<u8>> {
    let base = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(TZDB_GLOBAL))
        .ok()?
        .as_string()?;
    let request = web_sys::XmlHttpRequest::new().ok()?;
    request
        .open_with_async(
            "GET",
            &format!("{base}{}", schemaplay_playground::time_zone_file(name)),
            false,
        )
        .ok()?;
    request.set_response_type(web_sys::XmlHttpRequestResponseType::Arraybuffer);
    request.send().ok()?;
    if request.status().ok()? != 200 {
        return None;
    }
    Some(js_sys::Uint8Array::new(&request.response().ok()?).to_vec())
}

/// Starts the importer: a worker of its own that converts the files it is sent (NoSQL
/// Workbench, SQL DDL), so the SQL parser is downloaded only when a user imports a file, never
/// with the simulators. Called by the importer script's `main`.
pub fn register_importer() {
    serve(|file: Envelope<ImportFile>| {
        let body = import::answer(&file.body);
        post(&FromWorker::Reply(Box::new(Envelope { id: file.id, body })));
    });
}

/// Answers the page's messages with `handle`, in this module's protocol: `Ready` once
/// listening, `Panicked` when a panic stops the worker, `Unreadable` for a message that does
/// not decode.
fn serve<I: DeserializeOwned + 'static>(handle: impl Fn(I) + 'static) {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&info.to_string()));
        post(&FromWorker::Panicked(crate::panic::message(info)));
    }));
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        if data.as_string().as_deref() == Some(PANIC_FOR_TESTS) {
            panic!("a panic in the worker, asked for by a test");
        }
        match codec::decode(data) {
            Ok(message) => handle(message),
            Err(message) => post(&FromWorker::Unreadable(message)),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as its page wants it: the handler is never dropped.
    on_message.forget();
    post(&FromWorker::Ready);
}
