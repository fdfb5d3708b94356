//! The page's side of the worker: spawned on first use, replies delivered to a callback. Request
//! ids are allocated here, in the one handle the app holds, so no view can restart them; it
//! also remembers which design revision the worker was last given and whether anything was
//! generated there, so every caller sends what the worker lacks and nothing twice.
//!
//! A worker can be stopped: cancelled by the user ([`EngineHandle::cancel`]), or lost to a
//! panic or a message it cannot read. It is terminated and forgotten; the next request starts
//! a new one, sends it the design again, and first regenerates the data the old one had
//! finished generating (the same seed gives the same data), so a query runs on what the page
//! shows. Ids keep counting across workers and every message of a stopped worker is dropped,
//! so no answer of the old worker can be matched to a new request.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo::timers::callback::Timeout;
use schemaplay_core::model::Design;
use schemaplay_playground::{Envelope, Error, ImportFile, Reply, Request, RequestId};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::prelude::*;

use crate::codec;
use crate::data::Stop;
use crate::worker::{FromWorker, IMPORTER_SCRIPT, PANIC_FOR_TESTS, SCRIPT, TZDB_DIR, TZDB_GLOBAL};

/// Sends requests to the worker, spawning it the first time.
#[derive(Clone)]
pub struct EngineHandle {
    engine: Rc<Engine>,
}

impl PartialEq for EngineHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.engine, &other.engine)
    }
}

#[derive(Default)]
struct Engine {
    live: RefCell<Option<Live>>,
    last_id: Cell<RequestId>,
    /// What the worker was sent since it started.
    sent: Cell<Sent>,
    /// The data the last stopped worker held, generated again before the next request.
    restore: Cell<Option<(u64, u64)>>,
    callbacks: RefCell<Option<Callbacks>>,
}

/// Who hears the worker's replies, and why it stopped.
type Callbacks = (Callback<Envelope<Reply>>, Callback<Stop>);

/// A running worker and what the page holds for it: the messages held until it says it is
/// ready, and its handlers. The playground's engine and the deriving worker
/// (`hooks/derive.rs`) both hold one.
pub(crate) struct Live {
    pub(crate) worker: Worker,
    /// Messages held until the worker says it is ready.
    queue: Option<Vec<JsValue>>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(ErrorEvent)>,
}

impl Live {
    /// Starts `script`: `on_message` hears each message with the worker it came from,
    /// `on_error` why the worker stopped.
    pub(crate) fn start(
        script: &str,
        on_message: impl Fn(&Worker, JsValue) + 'static,
        on_error: impl Fn(&Worker, String) + 'static,
    ) -> Result<Live, String> {
        let worker =
            start_worker(script).map_err(|e| format!("the worker could not start: {e}"))?;
        let on_message = {
            let worker = worker.clone();
            Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                on_message(&worker, event.data());
            })
        };
        let on_error = {
            let worker = worker.clone();
            Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
                event.prevent_default();
                on_error(&worker, format!("the worker stopped: {}", event.message()));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Live {
            worker,
            queue: Some(Vec::new()),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Posts a message to the worker in `slot`, starting one with `start` if there is none;
    /// held until the worker is ready.
    pub(crate) fn post_to(
        slot: &RefCell<Option<Live>>,
        message: JsValue,
        start: impl FnOnce() -> Result<Live, String>,
    ) -> Result<(), String> {
        let mut live = slot.borrow_mut();
        if live.is_none() {
            *live = Some(start()?);
        }
        let Some(live) = live.as_mut() else {
            return Err("the worker did not start".to_string());
        };
        match &mut live.queue {
            Some(queue) => queue.push(message),
            None => live
                .worker
                .post_message(&message)
                .map_err(|e| format!("could not send to the worker: {e:?}"))?,
        }
        Ok(())
    }

    /// The worker said it is ready: the messages held are sent now.
    pub(crate) fn ready(&mut self) -> Result<(), String> {
        for message in self.queue.take().unwrap_or_default() {
            self.worker
                .post_message(&message)
                .map_err(|e| format!("could not send to the worker: {e:?}"))?;
        }
        Ok(())
    }

    /// Terminates the worker; none of its messages is heard from now on.
    pub(crate) fn terminate(self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

#[derive(Clone, Copy, Default)]
struct Sent {
    revision: Option<u64>,
    /// The last generation sent (per entity, seed), and the id of its request.
    generation: Option<((u64, u64), RequestId)>,
    /// Whether that generation finished.
    generated: bool,
}

impl Engine {
    fn next_id(&self) -> RequestId {
        let id = self.last_id.get().next();
        self.last_id.set(id);
        id
    }

    /// Posts a message, starting the worker if there is none.
    fn post(self: &Rc<Self>, message: JsValue) -> Result<(), String> {
        Live::post_to(&self.live, message, || self.spawn())
    }

    fn spawn(self: &Rc<Self>) -> Result<Live, String> {
        let weak = Rc::downgrade(self);
        let on_error = {
            let weak = weak.clone();
            move |worker: &Worker, why: String| {
                if let Some(engine) = weak.upgrade() {
                    engine.stop_if_current(worker, Stop::Crashed(why));
                }
            }
        };
        Live::start(
            SCRIPT,
            move |worker, data| received(&weak, worker, data),
            on_error,
        )
    }

    /// Stops `worker` if it is still the current one.
    fn stop_if_current(&self, worker: &Worker, why: Stop) {
        let current = self
            .live
            .borrow()
            .as_ref()
            .is_some_and(|live| live.worker == *worker);
        if current {
            self.stop(why);
        }
    }

    /// Terminates the worker and tells the page why; the next request starts another.
    fn stop(&self, why: Stop) -> bool {
        let Some(live) = self.live.borrow_mut().take() else {
            return false;
        };
        live.terminate();
        let sent = self.sent.replace(Sent::default());
        // Data that was fully generated comes back before the next request; a generation
        // that was stopped is not made again.
        if sent.generated {
            self.restore
                .set(sent.generation.map(|(generation, _)| generation));
        } else {
            self.restore.set(None);
        }
        // Cloned out first: the callback may render the app, which sets the callbacks.
        let callback = self.callbacks.borrow().as_ref().map(|(_, s)| s.clone());
        if let Some(on_stop) = callback {
            on_stop.emit(why);
        }
        true
    }

    fn reply(&self, envelope: Envelope<Reply>) {
        let mut sent = self.sent.get();
        if let Some((_, id)) = sent.generation {
            if id == envelope.id && matches!(envelope.body, Reply::Generated(_)) {
                sent.generated = true;
                self.sent.set(sent);
            }
        }
        let callback = self.callbacks.borrow().as_ref().map(|(r, _)| r.clone());
        if let Some(on_reply) = callback {
            on_reply.emit(envelope);
        }
    }
}

/// A message from `worker`: dropped unless it is the current worker's.
fn received(weak: &Weak<Engine>, worker: &Worker, data: JsValue) {
    let Some(engine) = weak.upgrade() else {
        return;
    };
    let current = engine
        .live
        .borrow()
        .as_ref()
        .is_some_and(|live| live.worker == *worker);
    if !current {
        return;
    }
    match codec::decode::<FromWorker>(data) {
        Ok(FromWorker::Ready) => {
            // The borrow ends before `stop`, which takes the worker.
            let sent = engine.live.borrow_mut().as_mut().map(Live::ready);
            if let Some(Err(why)) = sent {
                engine.stop(Stop::Crashed(why));
            }
        }
        Ok(FromWorker::Reply(envelope)) => engine.reply(*envelope),
        Ok(FromWorker::Panicked(message)) => {
            engine.stop(Stop::Crashed(format!("the worker failed: {message}")));
        }
        Ok(FromWorker::Unreadable(message)) | Err(message) => {
            engine.stop(Stop::Crashed(message));
        }
    }
}

/// Starts a worker script: a classic worker that loads the no-modules build of the worker
/// and its WebAssembly from where the page was served.
fn start_worker(script: &str) -> Result<Worker, String> {
    let window = web_sys::window().ok_or("no window")?;
    let href = window.location().href().map_err(|e| format!("{e:?}"))?;
    let script = web_sys::Url::new_with_base(script, &href)
        .map_err(|e| format!("{e:?}"))?
        .href();
    let wasm = script.replace(".js", "_bg.wasm");
    let tzdb = web_sys::Url::new_with_base(TZDB_DIR, &href)
        .map_err(|e| format!("{e:?}"))?
        .href();
    let parts = js_sys::Array::of1(&JsValue::from_str(&format!(
        r#"self.{TZDB_GLOBAL}="{tzdb}";importScripts("{script}");wasm_bindgen("{wasm}");"#
    )));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    Worker::new(&url).map_err(|e| format!("{e:?}"))
}

impl EngineHandle {
    /// Sends a request under a new id, which its replies will carry. When the worker cannot
    /// be reached the request is answered `Failed`, as the worker would answer it.
    pub fn send(&self, request: Request) -> RequestId {
        let id = self.engine.next_id();
        let message = codec::encode(&Envelope { id, body: request });
        if let Err(why) = self.engine.post(message) {
            // Answered once the caller has recorded what the request was for.
            let engine = Rc::downgrade(&self.engine);
            Timeout::new(0, move || {
                if let Some(engine) = engine.upgrade() {
                    engine.reply(Envelope {
                        id,
                        body: Reply::Failed(Error::Message(why)),
                    });
                }
            })
            .forget();
        }
        id
    }

    /// Gives the worker the design at `revision`, unless it has it already. Its reply
    /// (`DesignSet`) is waited for by nobody: the worker answers requests in order.
    pub fn set_design(&self, design: &Design, revision: u64) {
        let sent = self.engine.sent.get();
        if sent.revision != Some(revision) {
            self.send(Request::SetDesign(Box::new(design.clone())));
            self.engine.sent.set(Sent {
                revision: Some(revision),
                ..self.engine.sent.get()
            });
        }
    }

    /// Gives the worker the design, and the data a stopped worker had generated, before a
    /// request that runs on them.
    pub fn prepare(&self, design: &Design, revision: u64) {
        self.set_design(design, revision);
        if let Some((per_entity, seed)) = self.engine.restore.take() {
            self.generate(per_entity, seed);
        }
    }

    /// Sends a generation.
    pub fn generate(&self, per_entity: u64, seed: u64) -> RequestId {
        self.engine.restore.set(None);
        let id = self.send(Request::Generate { per_entity, seed });
        let sent = self.engine.sent.get();
        self.engine.sent.set(Sent {
            generation: Some(((per_entity, seed), id)),
            generated: false,
            ..sent
        });
        id
    }

    /// Whether a generation was sent to the worker (or will be, for a stopped one), so its
    /// simulators hold the layouts.
    pub fn generated(&self) -> bool {
        self.engine.sent.get().generation.is_some() || self.engine.restore.get().is_some()
    }

    /// Stops whatever the worker is doing: it is terminated, and the next request starts a new
    /// one. Whether there was a worker to stop.
    pub fn cancel(&self) -> bool {
        self.engine.stop(Stop::Cancelled)
    }

    /// Converts a file in the importer, a worker started for it and terminated once it has
    /// answered (the SQL parser is in no other download). The answer, `Imported` or
    /// `Failed` (also when the importer cannot start or fails), comes under the id returned,
    /// from the same counter as the playground's requests.
    pub fn import(&self, file: ImportFile) -> RequestId {
        let id = self.engine.next_id();
        let on_reply = self
            .engine
            .callbacks
            .borrow()
            .as_ref()
            .map(|(r, _)| r.clone());
        let Some(on_reply) = on_reply else {
            return id;
        };
        let answer = {
            let on_reply = on_reply.clone();
            move |body: Reply| on_reply.emit(Envelope { id, body })
        };
        if let Err(why) = import_in_worker(codec::encode(&Envelope { id, body: file }), answer) {
            // Answered once the caller has recorded what the request was for.
            Timeout::new(0, move || {
                on_reply.emit(Envelope {
                    id,
                    body: Reply::Failed(Error::Message(why)),
                })
            })
            .forget();
        }
        id
    }

    /// Makes the worker panic, for the end-to-end tests of recovery.
    pub fn panic_for_tests(&self) {
        let _ = self.engine.post(JsValue::from_str(PANIC_FOR_TESTS));
    }
}

/// Starts the importer, sends it `message` once it is ready, and gives its one answer (or why
/// it failed) to `answer`; then the importer is terminated.
fn import_in_worker(message: JsValue, answer: impl Fn(Reply) + 'static) -> Result<(), String> {
    let worker =
        start_worker(IMPORTER_SCRIPT).map_err(|e| format!("the importer could not start: {e}"))?;
    // The handlers live until the answer; they are dropped after it, not while they run.
    let handlers: Rc<RefCell<Option<ImporterHandlers>>> = Rc::default();
    let finish = {
        let worker = worker.clone();
        let handlers = handlers.clone();
        let answer = Rc::new(answer);
        move |body: Reply| {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
            answer(body);
            let handlers = handlers.clone();
            Timeout::new(0, move || drop(handlers.borrow_mut().take())).forget();
        }
    };
    let failed = |why: String| Reply::Failed(Error::Message(format!("the importer failed: {why}")));
    let on_message = {
        let worker = worker.clone();
        let finish = finish.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            match codec::decode::<FromWorker>(event.data()) {
                Ok(FromWorker::Ready) => {
                    if let Err(e) = worker.post_message(&message) {
                        finish(failed(format!("could not send the file: {e:?}")));
                    }
                }
                Ok(FromWorker::Reply(envelope)) => finish(envelope.body),
                Ok(FromWorker::Panicked(why) | FromWorker::Unreadable(why)) | Err(why) => {
                    finish(failed(why))
                }
            }
        })
    };
    let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
        event.prevent_default();
        finish(failed(event.message()));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    *handlers.borrow_mut() = Some((on_message, on_error));
    Ok(())
}

/// The importer's message and error handlers.
type ImporterHandlers = (Closure<dyn Fn(MessageEvent)>, Closure<dyn Fn(ErrorEvent)>);

thread_local! {
    /// The app's engine, for the test hooks the page exports.
    static CURRENT: RefCell<Option<EngineHandle>> = const { RefCell::new(None) };
}

/// The app's engine, once the app has started.
pub fn current() -> Option<EngineHandle> {
    CURRENT.with(|c| c.try_borrow().ok().and_then(|c| c.clone()))
}

/// The worker connection of the app; call it once, at the root. `on_stop` hears why a
/// worker stopped before answering what it was asked.
#[hook]
pub fn use_engine(on_reply: Callback<Envelope<Reply>>, on_stop: Callback<Stop>) -> EngineHandle {
    let engine = use_memo((), |_| Engine::default());
    *engine.callbacks.borrow_mut() = Some((on_reply, on_stop));
    let handle = EngineHandle { engine };
    CURRENT.with(|c| {
        if let Ok(mut c) = c.try_borrow_mut() {
            if c.as_ref() != Some(&handle) {
                *c = Some(handle.clone());
            }
        }
    });
    handle
}
