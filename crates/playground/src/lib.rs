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
//!
//! Any request may be answered `Failed(Error)` instead. [`Playground::handle`] answers one
//! request; the typed methods ([`Playground::run_mongo`], [`Playground::mongo`], ...) serve
//! callers that already hold typed values (the script interpreter builds `Command`s).
//!
//! The console's forms start from each access pattern's own request: [`prefill_mongo`],
//! [`prefill_dynamo`], and [`DynamoForm::initial`] for the design's first read.

mod api;
mod dynamo;
mod form;
mod generate;
pub mod import;
mod json;
mod mongo;

use schemaplay_core::model::Design;
use schemaplay_core::Analysis;

pub use api::{
    DynamoAnswer, DynamoCall, Envelope, Error, Explain, InputProblem, MongoAnswer, PlanSummary,
    Progress, Reply, Request, RequestId, Rows, Summary,
};
pub use form::{
    prefill_dynamo, prefill_mongo, DynamoForm, MongoField, MongoForm, MongoInput, MongoOp,
    DYNAMO_OPS,
};
pub use mongo::command as mongo_command;

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
    mongo: schemaplay_mongo::Database,
    dynamo: schemaplay_dynamo::Database,
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
        Playground {
            analysis: schemaplay_core::analyze(&design),
            design,
            revision: 0,
            mongo: schemaplay_mongo::Database::new(),
            dynamo: schemaplay_dynamo::Database::new(),
            generated: None,
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
        }
    }

    /// Works on `design` from now on; the data stays until the next generation.
    pub fn set_design(&mut self, design: Design) {
        self.analysis = schemaplay_core::analyze(&design);
        self.design = design;
        self.revision += 1;
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
        self.mongo = mongo;
        self.dynamo = dynamo;
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
        Ok(mongo::run(&mut self.mongo, command, explain)?)
    }

    /// Runs a MongoDB command built in code; with `explain`, the answer has the plan of a find,
    /// an aggregation or a count.
    pub fn run_mongo_command(
        &mut self,
        command: schemaplay_mongo::Command,
        explain: bool,
    ) -> Result<MongoAnswer, Error> {
        Ok(mongo::run(&mut self.mongo, command, explain)?)
    }

    /// Runs the DynamoDB console's form.
    pub fn run_dynamo(&mut self, call: &DynamoCall) -> Result<DynamoAnswer, Error> {
        dynamo::run(&mut self.dynamo, call)
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
        &mut self.mongo
    }

    /// The DynamoDB simulator, for callers that run its API directly.
    pub fn dynamo(&mut self) -> &mut schemaplay_dynamo::Database {
        &mut self.dynamo
    }
}
