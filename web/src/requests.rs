//! What the console and the Verify panel ask of the worker for the design on screen: a
//! generation, a form's run, a script's run, a verification. Each request goes under a new id,
//! and the data state hears what it was for; the worker is given the design first whenever it
//! does not have this revision yet (and, after a cancel, the data it had generated).

use std::rc::Rc;

use schemaplay_core::model::Design;
use schemaplay_playground::derive::DerivedViews;
use schemaplay_playground::{MongoPageCall, More, Request, ScriptCall};
use yew::Callback;

use crate::data::{DataAction, Database, Generation, ListPage, Purpose};
use crate::derived::Shared;
use crate::hooks::engine::EngineHandle;

/// The console's requests for one design revision.
#[derive(Clone, PartialEq)]
pub struct ConsoleRequests {
    pub engine: EngineHandle,
    pub on_data: Callback<DataAction>,
    pub design: Rc<Design>,
    pub revision: u64,
    /// What the worker last derived (a revision late while the next is on its way): the
    /// paged lists, the prefilled scripts.
    pub views: Option<Shared<DerivedViews>>,
}

impl ConsoleRequests {
    fn send(&self, request: Request, purpose: Purpose) {
        self.engine.prepare(&self.design, self.revision);
        let id = self.engine.send(request);
        self.on_data.emit(DataAction::Sent { id, purpose });
    }

    /// Replaces the simulators' data with a generation from the design on screen.
    pub fn generate(&self, generation: Generation) {
        self.engine.set_design(&self.design, self.revision);
        let id = self.engine.generate(generation.per_entity, generation.seed);
        let purpose = Purpose::Generate {
            revision: self.revision,
            generation,
        };
        self.on_data.emit(DataAction::Sent { id, purpose });
    }

    /// Runs a form's request (`Request::Mongo` or `Request::Dynamo`).
    pub fn run_form(&self, request: Request) {
        self.send(request, Purpose::Query);
    }

    /// Runs page `number` of the paged list named in `call` (the first without `call.after`);
    /// the answer brings the form that ran, which the console then shows.
    pub fn mongo_page(&self, call: MongoPageCall, number: u32) {
        let page = ListPage {
            pattern: call.pattern.clone(),
            number,
            last: false,
        };
        self.send(Request::MongoPage(call), Purpose::Page(page));
    }

    /// Asks for the next batch of the MongoDB answer on screen.
    pub fn more(&self, more: More) {
        self.send(Request::MongoMore(more), Purpose::More);
    }

    /// Runs a database's script. Before any data, the design's layouts are made empty first
    /// (the collections with their indexes, the table with its indexes), so a script that
    /// inserts its own data runs on them.
    pub fn run_script(&self, database: Database, source: String, seed: u64) {
        if !self.engine.generated() {
            self.generate(Generation {
                per_entity: 0,
                seed,
            });
        }
        let request = Request::Script(ScriptCall {
            source: source.clone(),
        });
        self.send(request, Purpose::Script { database, source });
    }

    /// Verifies the design on screen: a workload of `steps` steps from `seed`, run by the
    /// worker on simulators of the verifier's own (the generated data stays as it is).
    pub fn verify(&self, seed: u64, steps: u64) {
        let purpose = Purpose::Verify {
            revision: self.revision,
            steps,
        };
        self.send(Request::Verify { seed, steps }, purpose);
    }

    /// Stops what the worker is doing; what waited for it says "cancelled". The design stays,
    /// and the next request starts a new worker with it.
    pub fn cancel(&self) {
        self.engine.cancel();
    }

    /// The script that fills a database's console for the pattern named `pattern`: the
    /// playground's prefill, with the keys of data generated from `seed`, as the worker
    /// derived it; none while the derivation of that seed is on its way.
    pub fn script_for(&self, database: Database, pattern: &str, seed: u64) -> Option<String> {
        let database = match database {
            Database::Mongo => schemaplay_playground::Database::Mongo,
            Database::Dynamo => schemaplay_playground::Database::Dynamo,
        };
        let views = self.views.as_ref().filter(|v| v.seed == seed)?;
        views.script_for(database, pattern)
    }

    /// Whether the pattern named `pattern` is a paged list, whose form asks for pages.
    pub fn is_paged_list(&self, pattern: &str) -> bool {
        self.views
            .as_ref()
            .is_some_and(|v| v.is_paged_list(pattern))
    }
}
