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
//! - `Dynamo(DynamoCall)` → `Dynamo(DynamoAnswer)`: rows, counts, consumed capacity and
//!   `LastEvaluatedKey`.
//! - `Import { name, text }` → `Imported { design, note }`.
//! - `Script(ScriptCall { source })` → `Script(ScriptAnswer)`: the script run statement by
//!   statement on the simulators ([`schemaplay_script`]: mongosh, mongoose, the MongoDB
//!   driver, the AWS SDKs v3 and v2, the AWS CLI), each statement's outcome with the lines it
//!   spans, its typed result ([`ScriptResult`]: a MongoDB answer with rows or a plan, a
//!   DynamoDB answer with rows and consumed capacity, or a plain value) or its error at its
//!   line and column, and its warnings. A script is always answered `Script`, however many
//!   statements fail.
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
mod dynamo;
mod form;
mod generate;
pub mod import;
mod json;
mod mongo;
mod script;

use schemaplay_core::model::Design;
use schemaplay_core::Analysis;
use schemaplay_script::Host;

pub use api::{
    DynamoAnswer, DynamoCall, Envelope, Error, Explain, InputProblem, MongoAnswer, PlanSummary,
    Progress, Reply, Request, RequestId, Rows, ScriptAnswer, ScriptCall, ScriptProblem,
    ScriptResult, StatementOutcome, Summary,
};
pub use form::{
    prefill_dynamo, prefill_mongo, DynamoForm, MongoField, MongoForm, MongoInput, MongoOp,
    DYNAMO_OPS,
};
pub use mongo::{command as mongo_command, query_command as mongo_query_command};
pub use schemaplay_script::Database;
pub use script::prefill_script;

/// The most records per entity a generation makes.
pub const MAX_PER_ENTITY: u64 = 200_000;
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
}

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
        };
        playground.name_ids();
        playground
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
                self.set_design(design);
                Reply::DesignSet
            }
            Request::Generate { per_entity, seed } => {
                Reply::Generated(self.generate(per_entity, seed, progress).clone())
            }
            Request::Mongo(form) => match self.run_mongo(&form) {
                Ok(answer) => Reply::Mongo(answer),
                Err(error) => Reply::Failed(error),
            },
            Request::Dynamo(call) => match self.run_dynamo(&call) {
                Ok(answer) => Reply::Dynamo(answer),
                Err(error) => Reply::Failed(error),
            },
            Request::Import { name, text } => match import::convert(&name, &text) {
                Ok((design, note)) => Reply::Imported { design, note },
                Err(message) => Reply::Failed(Error::Message(message)),
            },
            Request::Script(call) => Reply::Script(self.run_script(&call.source)),
        }
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

    /// Runs the MongoDB console's form.
    pub fn run_mongo(&mut self, form: &MongoForm) -> Result<MongoAnswer, Error> {
        let command = mongo::command(form)?;
        let explain = form.explain && form.operation.explains();
        Ok(mongo::run(&mut self.host.mongo, command, explain)?)
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
