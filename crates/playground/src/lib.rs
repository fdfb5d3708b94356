//! The playground: a design, its analysis, the two simulators and the sample data generated
//! into them, driven by typed requests. The Web Worker, the wasm facade and the CLI's tests all
//! call it; nothing here knows about the browser.
//!
//! # The API
//!
//! A caller sends [`Request`]s and gets [`Reply`]s, each wrapped in an [`Envelope`] whose
//! [`RequestId`] the caller allocates (one counter per caller) and matches answers by:
//!
//! - `SetDesign(Design)` → `DesignSet`: the design (and its [`Analysis`]) to work on.
//! - `Generate { per_entity, seed }` → `Progress`…, then `Generated(Summary)`.
//! - `Mongo(MongoForm)` → `Mongo(MongoAnswer)`: the console's form, its inputs as typed text,
//!   read once here (a JSON mistake comes back as `Failed(Error::Inputs)` with its line and
//!   column), run as a [`schemaplay_mongo::Command`], answered with rows, counts and the plan.
//!   A find or an aggregation answers its first batch (101 documents, as MongoDB) and, while
//!   more remain, its cursor (`MongoAnswer::more`).
//! - `MongoMore(More)` → `Mongo(MongoAnswer)`: the cursor's next batch (`getMore`).
//! - `Dynamo(DynamoCall)` → `Dynamo(DynamoAnswer)`: rows, counts, consumed capacity and
//!   `LastEvaluatedKey`.
//! - `Verify { seed, steps }` → `Progress`… (stage `"verifying"`), then `Verified(VerifyReport)`:
//!   the design's layouts run by [`schemaplay_verify`] against the design applied literally, on
//!   simulators of the verifier's own (the generated data stays as it is): the summary line,
//!   each divergence with its pattern (name and position), the database, why, the minimal
//!   steps, the expected, MongoDB and DynamoDB answers ([`VerifyAnswer`]) and the requests,
//!   and each gap (a pattern a layout cannot serve or the simulator cannot run). Refused with
//!   `Failed` while the design has errors.
//! - `Script(ScriptCall { source })` → `Script(ScriptAnswer)`: the script run statement by
//!   statement on the simulators ([`schemaplay_script`]: mongosh, mongoose, the MongoDB
//!   driver, the AWS SDKs v3 and v2, the AWS CLI), each statement's outcome with the lines it
//!   spans, its typed result ([`ScriptResult`]: a MongoDB answer with rows or a plan, a
//!   DynamoDB answer with rows and consumed capacity, or a plain value) or its error at its
//!   line and column, and its warnings. A script is always answered `Script`, however many
//!   statements fail.
//!
//! - `Derive(DeriveCall { design, seed, wants })` → `Derived(Derivation)`: everything the
//!   page's views show that is derived from a design ([`derive`]), computed from the design
//!   sent without touching the playground's own, so the page links none of the derivations.
//!
//! Files to import ([`ImportFile`]) are answered apart, by [`import::answer`] (`Imported { design,
//! note }` or `Failed`), so a caller can keep the SQL parser out of what runs the simulators.
//!
//! Any other request may be answered `Failed(Error)` instead. [`Playground::handle`] answers one
//! request; the typed methods ([`Playground::run_mongo`], [`Playground::mongo`], ...) serve
//! callers that already hold typed values (the script interpreter builds `Command`s).
//!
//! The console's forms start from each access pattern's own request: [`prefill_mongo`],
//! [`prefill_dynamo`], and [`DynamoForm::initial`] for the design's first read. Its script
//! starts from [`prefill_script`] (or [`Playground::script_for`]): the pattern's request as
//! mongosh or as the SDK export's lib-dynamodb code, with the keys of the generated data.
//!
//! Scripts see a name per entity stored in a collection of its own, `<entity>Id` (camel
//! case: `userId`, `orderItemId`): the `_id` of the first document of that collection when the
//! script reads the name (the first generated record, or the first the script itself
//! inserted), so `User.updateOne({ _id: userId }, ...)` runs on generated data and after a
//! `User.create(...)` alike; while the collection is empty, reading the name is a
//! `ReferenceError` that says so. The names are the same for DynamoDB scripts
//! (`` `USER#${userId}` ``).

mod api;
pub mod derive;
mod dynamo;
mod form;
mod generate;
pub mod import;
mod json;
pub mod load;
pub mod memory;
mod mongo;
mod script;
mod verify;

use schemaplay_core::model::Design;
use schemaplay_core::Analysis;
use schemaplay_script::Host;

pub use api::{
    DeriveCall, DynamoAnswer, DynamoCall, Envelope, Error, Explain, GapKind, ImportFile,
    InputProblem, MongoAnswer, MongoPage, MongoPageCall, More, PartProgress, PlanSummary, Progress,
    Reply, Request, RequestId, Rows, ScriptAnswer, ScriptCall, ScriptProblem, ScriptResult,
    StatementOutcome, Summary, VerifyAnswer, VerifyDivergence, VerifyGap, VerifyReport,
};
pub use form::{
    prefill_dynamo, prefill_mongo, DynamoForm, MongoField, MongoForm, MongoInput, MongoOp,
    DYNAMO_OPS,
};
pub use mongo::{command as mongo_command, query_command as mongo_query_command};
/// Where the MongoDB simulator's named time zones come from, for a host built without the
/// `bundled-tzdb` feature (the browser worker; see `schemaplay_mongo::time_zones`).
pub use schemaplay_mongo::time_zones::{
    file_name as time_zone_file, set_source as set_time_zone_source, Source as TimeZoneSource,
};
pub use schemaplay_script::Database;
pub use script::prefill_script;

/// Whether the access pattern named `pattern` is a paged list the MongoDB console pages by
/// keyset (a `find` list with a page size; [`Playground::mongo_next_page`]).
pub fn is_paged_list(design: &Design, pattern: &str) -> bool {
    design
        .access_patterns
        .iter()
        .find(|p| p.name == pattern)
        .and_then(|p| schemaplay_core::mongo::MongoContext::new(design).sample_next_page_at(p, 0))
        .is_some()
}

/// The most records per entity a generation makes.
pub const MAX_PER_ENTITY: u64 = 200_000;
/// The most steps one verification runs.
pub const MAX_VERIFY_STEPS: u64 = verify::MAX_STEPS;
/// The stage of a verification's `Progress`.
pub const VERIFY_STAGE: &str = verify::STAGE;
/// The key of the DynamoDB form's input in [`InputProblem::input`].
pub const DYNAMO_INPUT: &str = dynamo::INPUT;

/// What the simulators hold: how it was generated, what was loaded, and from which design.
#[derive(Clone, Debug, PartialEq)]
pub struct Generated {
    pub per_entity: u64,
    pub seed: u64,
    pub summary: Summary,
    /// The [`Playground::revision`] of the design the data was made from.
    pub revision: u64,
}

/// A design, its analysis, both simulators and their data.
pub struct Playground {
    design: Design,
    analysis: Analysis,
    revision: u64,
    /// Both simulators, and the names scripts see (`userId`).
    host: Host,
    generated: Option<Generated>,
    /// The host's clock for MongoDB's time budgets (none: nothing is timed).
    timer: Option<schemaplay_mongo::Timer>,
    /// The cursor of the MongoDB console's last answer, closed when a new run replaces it.
    console_cursor: Option<More>,
}

/// How long a MongoDB request that names no `maxTimeMS` may run once the host gives the
/// playground a timer ([`Playground::set_timer`]): past it the request fails with MongoDB's
/// `MaxTimeMSExpired` and writes nothing, so no pipeline keeps the worker busy for ever.
pub const DEFAULT_MAX_TIME_MS: u64 = 20_000;

impl Default for Playground {
    fn default() -> Self {
        Playground::new(Design::default())
    }
}

impl Playground {
    /// A playground for `design`, with empty simulators.
    pub fn new(design: Design) -> Playground {
        let mut playground = Playground {
            analysis: schemaplay_core::analyze(&design),
            design,
            revision: 0,
            host: Host::default(),
            generated: None,
            timer: None,
            console_cursor: None,
        };
        playground.name_ids();
        playground
    }

    /// Times MongoDB requests with `timer` (milliseconds): each runs under its `maxTimeMS`, or
    /// [`DEFAULT_MAX_TIME_MS`] when it names none.
    pub fn set_timer(&mut self, timer: schemaplay_mongo::Timer) {
        self.timer = Some(timer);
        self.limit_mongo();
    }

    /// Gives the MongoDB simulator the playground's timer and default budget.
    fn limit_mongo(&mut self) {
        if let Some(timer) = &self.timer {
            self.host.mongo.set_timer(Some(timer.clone()));
            self.host
                .mongo
                .set_default_max_time_ms(Some(DEFAULT_MAX_TIME_MS));
        }
    }

    /// Binds `<entity>Id` for scripts: the first document of each entity's collection.
    fn name_ids(&mut self) {
        for (name, collection) in generate::id_names(&self.analysis) {
            self.host.define_first_id(&name, &collection);
        }
    }

    /// Answers one request; `progress` hears how a generation advances.
    pub fn handle(&mut self, request: Request, progress: &mut dyn FnMut(Progress)) -> Reply {
        match request {
            Request::SetDesign(design) => {
                self.set_design(*design);
                Reply::DesignSet
            }
            Request::Generate { per_entity, seed } => {
                Reply::Generated(self.generate(per_entity, seed, progress).clone())
            }
            Request::Mongo(form) => match self.run_mongo(&form) {
                Ok(answer) => Reply::Mongo(answer),
                Err(error) => Reply::Failed(error),
            },
            Request::MongoMore(more) => match self.mongo_more(&more) {
                Ok(answer) => Reply::Mongo(answer),
                Err(error) => Reply::Failed(error),
            },
            Request::MongoPage(call) => match self.mongo_page(&call) {
                Ok(page) => Reply::MongoPage(page),
                Err(error) => Reply::Failed(error),
            },
            Request::Dynamo(call) => match self.run_dynamo(&call) {
                Ok(answer) => Reply::Dynamo(answer),
                Err(error) => Reply::Failed(error),
            },
            Request::Script(call) => Reply::Script(self.run_script(&call.source)),
            Request::Verify { seed, steps } => match self.verify(seed, steps, progress) {
                Ok(report) => Reply::Verified(report),
                Err(error) => Reply::Failed(error),
            },
            Request::Derive(call) => Reply::Derived(Box::new(derive::derive(
                &call.design,
                call.seed,
                call.wants,
            ))),
        }
    }

    /// Verifies the design's layouts with a workload of `steps` steps (at most
    /// [`MAX_VERIFY_STEPS`]) from `seed`, on simulators of the verifier's own: the generated
    /// data stays as it is. Refused while the design has errors.
    pub fn verify(
        &self,
        seed: u64,
        steps: u64,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<VerifyReport, Error> {
        verify::run(&self.design, seed, steps, progress)
    }

    /// Works on `design` from now on; the data stays until the next generation.
    pub fn set_design(&mut self, design: Design) {
        self.analysis = schemaplay_core::analyze(&design);
        self.design = design;
        self.revision += 1;
        self.name_ids();
    }

    /// Replaces the data of both simulators with `per_entity` (at most [`MAX_PER_ENTITY`])
    /// sample records of each entity of the design.
    pub fn generate(
        &mut self,
        per_entity: u64,
        seed: u64,
        progress: &mut dyn FnMut(Progress),
    ) -> &Summary {
        let per_entity = per_entity.min(MAX_PER_ENTITY);
        let (mongo, dynamo, summary) =
            generate::generate(&self.design, &self.analysis, per_entity, seed, progress);
        self.host = Host::new(mongo, dynamo);
        self.console_cursor = None;
        self.limit_mongo();
        self.name_ids();
        &self
            .generated
            .insert(Generated {
                per_entity,
                seed,
                summary,
                revision: self.revision,
            })
            .summary
    }

    /// Runs the MongoDB console's form. A find or an aggregation answers its first batch of
    /// documents and, while more remain, the cursor for them ([`MongoAnswer::more`]); the
    /// cursor of the console's previous answer is closed.
    pub fn run_mongo(&mut self, form: &MongoForm) -> Result<MongoAnswer, Error> {
        let command = mongo::command(form)?;
        let explain = form.explain && form.operation.explains();
        if let Some(old) = self.console_cursor.take() {
            mongo::close(&mut self.host.mongo, &old);
        }
        let answer = mongo::run_batched(&mut self.host.mongo, command, explain)?;
        self.console_cursor = answer.more.clone();
        Ok(answer)
    }

    /// The next batch of the MongoDB console's answer (`getMore` on its cursor).
    pub fn mongo_more(&mut self, more: &More) -> Result<MongoAnswer, Error> {
        let answer = mongo::more(&mut self.host.mongo, more)?;
        self.console_cursor = answer.more.clone();
        Ok(answer)
    }

    /// Runs a MongoDB command built in code; with `explain`, the answer has the plan of a find,
    /// an aggregation or a count.
    pub fn run_mongo_command(
        &mut self,
        command: schemaplay_mongo::Command,
        explain: bool,
    ) -> Result<MongoAnswer, Error> {
        Ok(mongo::run(&mut self.host.mongo, command, explain)?)
    }

    /// Runs the DynamoDB console's form.
    pub fn run_dynamo(&mut self, call: &DynamoCall) -> Result<DynamoAnswer, Error> {
        dynamo::run(&mut self.host.dynamo, call)
    }

    /// Runs a script on the simulators, which keep what it writes; every statement has its
    /// outcome.
    pub fn run_script(&mut self, source: &str) -> ScriptAnswer {
        script::run(source, &mut self.host)
    }

    /// The console's script for the access pattern named `pattern` ([`prefill_script`]), with
    /// the keys of the data generated last (of seed 1, the layouts' own, before any).
    pub fn script_for(&self, pattern: &str, database: Database) -> Option<String> {
        let seed = self.generated.as_ref().map_or(1, |g| g.seed);
        prefill_script(&self.design, pattern, database, seed)
    }

    /// The names scripts see besides the globals (`userId`) that have a value now, with their
    /// values as Extended JSON.
    pub fn script_names(&self) -> Vec<(String, serde_json::Value)> {
        self.host
            .predefined()
            .iter()
            .filter_map(|(name, _)| {
                let value = self.host.resolve(name)?.ok()?;
                Some((name.clone(), value.into_relaxed_extjson()))
            })
            .collect()
    }

    /// The MongoDB form of the access pattern named `pattern`, as the console prefills it.
    pub fn mongo_form(&self, pattern: &str) -> Option<MongoForm> {
        let queries = &self.analysis.mongo.queries;
        queries
            .iter()
            .find(|q| q.pattern == pattern)
            .map(prefill_mongo)
    }

    /// The MongoDB form of the page after `last` (the last row the pattern's form answered,
    /// relaxed Extended JSON) of the paged list named `pattern`: the same find with the keyset
    /// condition on (sort field, `_id`) added to its filter. None when the pattern is no paged
    /// `find` list (a list through an aggregate has no keyset page). A page shorter than the
    /// form's limit is the last; a DynamoDB next page is the form with its
    /// `LastEvaluatedKey` ([`DynamoCall::start_key`]).
    pub fn mongo_next_page(&self, pattern: &str, last: &serde_json::Value) -> Option<MongoForm> {
        let p = self
            .design
            .access_patterns
            .iter()
            .find(|p| p.name == pattern)?;
        let next = schemaplay_core::mongo::MongoContext::new(&self.design)
            .sample_page_after(p, 0, last)?;
        Some(prefill_mongo(&next))
    }

    /// Runs a page of the paged list named in `call`: the pattern's form, or the page after
    /// `call.after` ([`Self::mongo_next_page`]). An error names a pattern that is no paged list.
    pub fn mongo_page(&mut self, call: &MongoPageCall) -> Result<MongoPage, Error> {
        let pattern = call.pattern.as_str();
        let form = if is_paged_list(&self.design, pattern) {
            match &call.after {
                None => self.mongo_form(pattern),
                Some(last) => self.mongo_next_page(pattern, last),
            }
        } else {
            None
        };
        let form = form.ok_or_else(|| {
            Error::Message(format!(
                "\"{pattern}\" has no next page: it is no paged list read by find, or the row \
                 has no _id"
            ))
        })?;
        let answer = self.run_mongo(&form)?;
        let size = form.limit.trim().parse::<usize>().unwrap_or(0);
        let last = answer.rows().len() < size;
        Ok(MongoPage { form, answer, last })
    }

    /// The DynamoDB form of the access pattern named `pattern`, as the console prefills it.
    pub fn dynamo_form(&self, pattern: &str) -> Option<DynamoForm> {
        let requests = &self.analysis.dynamo.requests;
        requests
            .iter()
            .find(|r| r.pattern == pattern)
            .map(prefill_dynamo)
    }

    pub fn design(&self) -> &Design {
        &self.design
    }

    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// Counts the designs set so far; [`Generated::revision`] tells which the data came from.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// What the simulators hold, once something was generated.
    pub fn generated(&self) -> Option<&Generated> {
        self.generated.as_ref()
    }

    /// The MongoDB simulator, for callers that run its typed API directly.
    pub fn mongo(&mut self) -> &mut schemaplay_mongo::Database {
        &mut self.host.mongo
    }

    /// The DynamoDB simulator, for callers that run its API directly.
    pub fn dynamo(&mut self) -> &mut schemaplay_dynamo::Database {
        &mut self.host.dynamo
    }
}
