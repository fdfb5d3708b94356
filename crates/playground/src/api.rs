//! The messages of the playground: what a caller asks ([`Request`]) and what it answers
//! ([`Reply`]), wrapped with the id that matches them ([`Envelope`]). They are plain serde types
//! that carry what the user typed as text and results as typed values, so the Web Worker moves
//! them by structured clone and never as JSON text.

use schemaplay_core::model::Design;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::derive::{Derivation, Wants};
use crate::form::{DynamoForm, MongoForm};

/// An answer in a verification report, its records in the compact form `{name: "Ana"}`:
/// `Nothing`, `One`, `AnyOf` (a `getOne` that several records match), `List { headline, groups }`
/// (records of one group tie: any order among them is right), `Count`, `Failed`.
pub use schemaplay_verify::Shown as VerifyAnswer;

/// Names one request; its replies carry it back. Ids are allocated by one counter per caller.
#[derive(
    Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
)]
pub struct RequestId(pub u64);

impl RequestId {
    /// The id after this one.
    pub fn next(self) -> RequestId {
        RequestId(self.0.wrapping_add(1))
    }
}

/// A request or a reply with the id of the request.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Envelope<T> {
    pub id: RequestId,
    pub body: T,
}

/// What a caller asks of the playground.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
// A request is made and handled one at a time: the size of the design variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// Work on this design from now on (the data generated earlier stays until the next
    /// `Generate`). Answered with `Reply::DesignSet`.
    SetDesign(#[serde(with = "design_file")] Box<Design>),
    /// Replace the data of both simulators with `per_entity` sample records of each entity of
    /// the design (at most [`crate::MAX_PER_ENTITY`]), reporting progress on the way.
    Generate { per_entity: u64, seed: u64 },
    /// Run the MongoDB console's form.
    Mongo(MongoForm),
    /// The next batch of the MongoDB console's last find or aggregation (`getMore`). Answered
    /// with `Reply::Mongo`, whose rows are the batch and whose `more` is the cursor again
    /// while documents remain; a cursor that a newer run or a generation closed is MongoDB's
    /// `CursorNotFound`.
    MongoMore(More),
    /// A page of the MongoDB console's paged list: the pattern's own form (the first page), or
    /// the page after a row of it by keyset. Answered with `Reply::MongoPage`.
    MongoPage(MongoPageCall),
    /// Run the DynamoDB console's form.
    Dynamo(DynamoCall),
    /// Run a script (mongosh, mongoose, the MongoDB driver, the AWS SDKs, the AWS CLI) on the
    /// simulators, statement by statement. Answered with `Reply::Script`.
    Script(ScriptCall),
    /// Verify the design's layouts ([`schemaplay_verify`]): a workload of `steps` steps (at
    /// most [`crate::MAX_VERIFY_STEPS`]) from `seed`, run on simulators of the verifier's own,
    /// so the generated data stays as it is. Answered with `Progress` (stage `"verifying"`,
    /// steps done of the workload's), then `Verified`.
    Verify { seed: u64, steps: u64 },
    /// Everything the views show that is derived from a design ([`crate::derive`]): a pure
    /// function of the design sent, which leaves the playground's design and data as they
    /// are. Answered with `Reply::Derived`.
    Derive(DeriveCall),
}

/// A design to derive, with the seed of the console's data (the prefilled scripts read its
/// keys) and the parts only some views need.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DeriveCall {
    #[serde(with = "design_file")]
    pub design: Box<Design>,
    pub seed: u64,
    pub wants: Wants,
}

/// A NoSQL Workbench model (JSON) or SQL DDL file to convert into a design, answered by
/// [`crate::import::answer`] with `Reply::Imported` or `Reply::Failed`. It is not a [`Request`]:
/// the page converts files in a worker of their own, so the SQL parser is downloaded only when
/// a user imports, never with the simulators.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ImportFile {
    pub name: String,
    pub text: String,
    /// Row counts per table for a SQL import (a JSON object or `table=rows` lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<String>,
}

/// A script for the console to run, as the user typed it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ScriptCall {
    pub source: String,
}

/// A page of a paged list (a `find` list pattern with a page size) for the MongoDB console.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MongoPageCall {
    /// The access pattern's name.
    pub pattern: String,
    /// The last row of the page before, as the console received it (relaxed Extended JSON);
    /// none for the first page.
    pub after: Option<Value>,
}

/// A page of a paged list in the MongoDB console: the form that ran (the next page's has the
/// keyset condition in its filter, for the console to show) and its answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MongoPage {
    pub form: MongoForm,
    pub answer: MongoAnswer,
    /// The page is shorter than the form's limit: the list has no page after it.
    pub last: bool,
}

/// The DynamoDB console's form, and the page to start from (the previous answer's
/// `LastEvaluatedKey`), if it asks for the next page.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoCall {
    pub form: DynamoForm,
    pub start_key: Option<Value>,
}

/// What the playground answers. A request gets exactly one reply that is not `Progress`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Reply {
    /// How far a generation has come; more replies follow.
    Progress(Progress),
    DesignSet,
    Generated(Summary),
    Mongo(MongoAnswer),
    MongoPage(MongoPage),
    Dynamo(DynamoAnswer),
    /// A converted file: the design and a note on what was left out (empty when nothing was).
    Imported {
        #[serde(with = "design_file")]
        design: Design,
        note: String,
    },
    /// Every statement's outcome. A script whose statements fail is still answered this way;
    /// `Failed` is never the answer to a script.
    Script(ScriptAnswer),
    Verified(VerifyReport),
    /// Boxed: the analysis is much larger than the other replies.
    Derived(Box<Derivation>),
    Failed(Error),
}

/// A design crosses as its design file (`Design::to_json`), the versioned format every other
/// boundary uses (storage, share links, files), read back with the same decoder. Its serde
/// form is not made for other formats: `Position` and the request rates write whole floats as
/// integers, which a structured clone turns into `BigInt`s that no float field reads.
mod design_file {
    use schemaplay_core::model::Design;
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(design: &Design, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&design.to_json())
    }

    /// A `Design` or a `Box<Design>` (a request boxes it: it is much larger than the others).
    pub fn deserialize<'de, D: Deserializer<'de>, T: From<Design>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(deserializer)?;
        Design::from_json_unchecked(&text)
            .map(T::from)
            .map_err(|findings| {
                let first = findings.first().map(|f| f.to_string()).unwrap_or_default();
                de::Error::custom(format!("the design could not be read: {first}"))
            })
    }
}

/// How far a generation or a verification has come.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    pub stage: String,
    /// The part being filled, when the work goes part by part (a generation: each
    /// collection's documents, then each entity's items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<PartProgress>,
}

/// How far one part of a generation has come: `posts: 12000 of 50000`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PartProgress {
    /// The collection (MongoDB) or the entity whose items (DynamoDB) are being written.
    pub name: String,
    pub done: u64,
    pub total: u64,
}

/// What was generated.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// (collection, documents) for MongoDB.
    pub collections: Vec<(String, u64)>,
    pub documents: u64,
    pub table: String,
    pub items: u64,
    /// Problems met while loading (a rejected batch), each once.
    pub problems: Vec<String>,
}

/// Why a request failed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Error {
    /// Inputs of the form that are not valid JSON, each with where.
    Inputs(Vec<InputProblem>),
    /// The simulator's error as the database words it, or the importer's.
    Message(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Message(message) => f.write_str(message),
            Error::Inputs(problems) => {
                let list: Vec<String> = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.input, p.message))
                    .collect();
                f.write_str(&list.join("; "))
            }
        }
    }
}

/// An input of a form that is not valid JSON.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InputProblem {
    /// The input's key: `filter`, `pipeline`, ... for MongoDB, `request` for DynamoDB.
    pub input: String,
    /// `line 2, column 18: expected `:``.
    pub message: String,
    /// The line of the problem with a caret under its column; empty when there is no position.
    pub excerpt: String,
}

/// A MongoDB operation's answer, ready to show.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MongoAnswer {
    /// The response as relaxed Extended JSON: the documents, a count, an acknowledgement.
    pub result: Value,
    /// Which part of `result` is rows of a table.
    pub rows: Rows,
    /// What the answer reports besides rows, in order: `count 3`, `matchedCount 1`, ...
    pub stats: Vec<String>,
    /// The query's plan, when explain was asked for and the operation has one.
    pub explain: Option<Explain>,
    /// The cursor holding the rest of a find's or an aggregation's documents, when the answer
    /// is a batch of them (as MongoDB answers: [`crate::mongo::BATCH`] at a time) and more
    /// remain; `Request::MongoMore` asks for the next batch.
    #[serde(default)]
    pub more: Option<More>,
}

/// An open cursor of the MongoDB console: its collection and its id.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct More {
    pub collection: String,
    pub cursor_id: i64,
}

/// Which part of a MongoDB result is rows.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Rows {
    /// The result is an array of documents.
    All,
    /// The result is one document.
    One,
    /// The result has no rows (a count, an acknowledgement).
    None,
}

impl MongoAnswer {
    /// The documents to show as rows.
    pub fn rows(&self) -> &[Value] {
        match (self.rows, &self.result) {
            (Rows::All, Value::Array(rows)) => rows,
            (Rows::One, one) => std::slice::from_ref(one),
            _ => &[],
        }
    }

    /// This answer with the next batch of its cursor after its rows, and that batch's cursor
    /// (none once the cursor is exhausted). The plan and counts stay this answer's.
    pub fn followed_by(&self, next: MongoAnswer) -> MongoAnswer {
        let mut rows = self.rows().to_vec();
        rows.extend(next.rows().iter().cloned());
        MongoAnswer {
            result: Value::Array(rows),
            rows: Rows::All,
            stats: self.stats.clone(),
            explain: self.explain.clone(),
            more: next.more,
        }
    }

    /// The answer as one JSON value, `{"result": ..., "explain": ...}`, for a JSON view.
    pub fn json(&self) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("result".into(), self.result.clone());
        if let Some(explain) = &self.explain {
            map.insert("explain".into(), explain.plan.clone());
        }
        Value::Object(map)
    }
}

/// A query plan: the explain document and what a reader looks at first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Explain {
    /// The `executionStats` explain document (for an aggregation, its first stage's `$cursor`),
    /// or `{"error": ...}` when the plan could not be had.
    pub plan: Value,
    pub summary: Result<PlanSummary, String>,
}

/// The plan from the top (`FETCH`, `IXSCAN email_1`) and its counters.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    pub stages: Vec<String>,
    pub keys_examined: Option<u64>,
    pub docs_examined: Option<u64>,
    pub returned: Option<u64>,
}

/// A DynamoDB operation's answer, ready to show.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoAnswer {
    /// The response in DynamoDB's JSON shape (for a script, as the code received it: plain
    /// values from lib-dynamodb and the DocumentClient).
    pub response: Value,
    /// The items it returned, as plain values (`"x"`, not `{"S": "x"}`).
    pub rows: Vec<Value>,
    pub count: Option<u64>,
    pub scanned_count: Option<u64>,
    /// Capacity units consumed, summed over the tables and indexes it reports.
    pub consumed_capacity: Option<f64>,
    /// Where the next page starts, when there is one.
    pub last_evaluated_key: Option<Value>,
    /// The `ExclusiveStartKey` this page started at (the previous page's `LastEvaluatedKey`),
    /// when the call gave one.
    #[serde(default)]
    pub exclusive_start_key: Option<Value>,
    /// A Query or Scan that pages (it has a `Limit`, or started at a `LastEvaluatedKey`) and
    /// answered no `LastEvaluatedKey`: nothing follows this page.
    #[serde(default)]
    pub last_page: bool,
}

/// What a script did: one outcome per statement, in order.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct ScriptAnswer {
    pub outcomes: Vec<StatementOutcome>,
    /// How many statements failed.
    pub failed: usize,
}

/// What one statement of a script did.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StatementOutcome {
    /// The line the statement starts on (1-based).
    pub line: u32,
    /// The line it ends on.
    pub end_line: u32,
    /// What it shows; `None` when it ran nothing to show (an `import`, `const TABLE = '...'`)
    /// or failed.
    pub result: Option<ScriptResult>,
    pub error: Option<ScriptProblem>,
    /// What a driver prints without throwing (mongoose's duplicate index warning, a
    /// placeholder ObjectId, a v2 request awaited without `.promise()`).
    pub warnings: Vec<String>,
}

/// A statement's error and where it is.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScriptProblem {
    /// As the console shows it: `ReferenceError: userId is not defined`,
    /// `MongoServerError[DuplicateKey]: E11000 ...`, `ConditionalCheckFailedException: ...`.
    pub message: String,
    pub line: u32,
    pub column: u32,
}

/// A statement's result, typed so that it is shown without interpreting JSON.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum ScriptResult {
    /// A MongoDB operation's answer: documents (rows), a document, a count, an
    /// acknowledgement; an `explain()` is a `MongoAnswer` with its `explain` (and the explain
    /// document as its `result`).
    Mongo(MongoAnswer),
    /// A DynamoDB output object (SDK v3 low-level or lib-dynamodb, SDK v2, the AWS CLI): its
    /// `response` is the output as the code received it, its `rows` the items as plain values.
    Dynamo(DynamoAnswer),
    /// Anything else: a pasted document, a value computed from an answer, index names.
    Value(Value),
}

impl ScriptResult {
    /// The result as the code received it: relaxed Extended JSON for MongoDB (an explain's
    /// document), the output object for the SDKs, the AWS CLI's JSON.
    pub fn json(&self) -> &Value {
        match self {
            ScriptResult::Mongo(answer) => &answer.result,
            ScriptResult::Dynamo(answer) => &answer.response,
            ScriptResult::Value(value) => value,
        }
    }
}

/// What a verification found: a design's layouts run against the design applied literally.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    pub seed: u64,
    /// The design's access patterns.
    pub patterns: u64,
    /// The workload's steps.
    pub steps: u64,
    /// `verify: P patterns, S steps, D divergences`, as `schemaplay verify` ends.
    pub summary: String,
    /// No divergence, and both layouts set up.
    pub clean: bool,
    pub divergences: Vec<VerifyDivergence>,
    /// Patterns a layout does not serve or the simulator cannot run: never counted as passes.
    pub gaps: Vec<VerifyGap>,
    /// A layout that could not be set up (CreateTable or an index refused): nothing ran.
    pub setup_errors: Vec<String>,
    /// How many reads of each database were compared with the reference.
    pub compared_mongo: u64,
    pub compared_dynamo: u64,
}

/// A read whose answer from one layout differs from the design's.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VerifyDivergence {
    pub pattern: String,
    /// The pattern's position in the design that was verified.
    pub pattern_index: u64,
    /// The database whose answer differs.
    pub database: crate::Database,
    /// How it differs: `order differs: the record 7 is out of place`.
    pub why: String,
    /// The workload's step (1-based) where it first showed.
    pub found_at: u64,
    /// The shortest sequence of steps that reproduces it, one readable line each, the
    /// divergent read last.
    pub steps: Vec<String>,
    /// The answers to that read: the design's, MongoDB's and DynamoDB's.
    pub expected: VerifyAnswer,
    pub mongo: VerifyAnswer,
    pub dynamo: VerifyAnswer,
    /// The requests the diverging database ran for that read, each with its response.
    pub requests: Vec<String>,
}

/// A pattern a layout does not serve, or the simulator cannot run.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VerifyGap {
    pub pattern: String,
    pub pattern_index: u64,
    pub database: crate::Database,
    pub kind: GapKind,
    pub why: String,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum GapKind {
    /// The layout cannot answer the pattern (it would need a Scan, or nothing was derived).
    Unservable,
}
