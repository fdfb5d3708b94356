//! An in-memory MongoDB simulator: collections of BSON documents with MongoDB's query language,
//! updates, aggregation, indexes (unique, sparse, partial, multikey, text, TTL, collated),
//! collation, schema validation (`$jsonSchema` and query validators) and `explain`.
//!
//! # One entry point
//!
//! Every caller (the wasm facade, the playground, the CLI and the benchmark) sends requests to
//! [`Database::execute`] or, typed, [`Database::run`]: a JSON object in MongoDB Extended JSON (relaxed or
//! canonical), answered with relaxed Extended JSON in the shapes the mongo shell and the Node
//! driver show. Errors are [`MongoError`]s carrying the server's code, code name and message.
//!
//! ```json
//! {"op": "insertOne",  "collection": "users", "document": {...}}
//!     -> {"acknowledged": true, "insertedId": {"$oid": "..."}}
//! {"op": "insertMany", "collection": "users", "documents": [{...}, ...]}
//!     -> {"acknowledged": true, "insertedIds": {"0": ..., "1": ...}}
//! {"op": "createCollection", "collection": "users", "validator": {"$jsonSchema": {...}},
//!  "validationLevel": "strict" | "moderate" | "off", "validationAction": "error" | "warn",
//!  "collation": {"locale": "en", "strength": 2}}                  -> {"ok": 1}
//!     (the options may also come as one "options" object; an existing name is NamespaceExists)
//! {"op": "collMod", "collection": "users", "validator": ..., "validationLevel": ...,
//!  "validationAction": ..., "index": {"name" | "keyPattern": ..., "expireAfterSeconds": 60}}
//!     -> {"ok": 1} (with expireAfterSeconds_old/_new when a TTL changed)
//! {"op": "find", "collection": "users", "filter": {...}, "projection": {...},
//!  "sort": {...}, "skip": 0, "limit": 20, "collation": {...}, "explain": false}
//!     -> [documents]   (with "explain": true or "queryPlanner"/"executionStats": the explain document)
//!     with "explain": "withResults": {"results": [documents], "explain": executionStats explain}
//!     from one execution, so a console can show both without running the query twice
//! {"op": "findOne", "collection": "users", "filter": {...}, "projection": {...}, "sort": {...}}
//!     -> document or null
//! {"op": "countDocuments", "collection": "users", "filter": {...}, "collation": {...}} -> number
//! {"op": "distinct", "collection": "users", "key": "profile.city", "filter": {...},
//!  "collation": {...}}                                            -> [values]
//! {"op": "updateOne" | "updateMany", "collection": "users", "filter": {...},
//!  "update": {"$set": {...}} or [pipeline stages], "upsert": false, "arrayFilters": [...],
//!  "collation": {...}, "bypassDocumentValidation": false}
//!     -> {"acknowledged": true, "matchedCount": 1, "modifiedCount": 1, "upsertedCount": 0, "upsertedId": null}
//! {"op": "replaceOne", "collection": "users", "filter": {...}, "replacement": {...}, "upsert": false}
//! {"op": "deleteOne" | "deleteMany", "collection": "users", "filter": {...}, "collation": {...}}
//!     -> {"acknowledged": true, "deletedCount": 1}
//! {"op": "findOneAndUpdate", "collection": "users", "filter": {...}, "update": {...},
//!  "sort": {...}, "projection": {...}, "upsert": false, "returnDocument": "before" | "after"}
//!     -> document or null   (also "findOneAndReplace", "findOneAndDelete")
//! {"op": "aggregate", "collection": "users", "pipeline": [...], "collation": {...},
//!  "explain": false}                                              -> [documents]
//! {"op": "createIndex", "collection": "users", "key": {"email": 1},
//!  "options": {"unique": true, "sparse": false, "partialFilterExpression": {...},
//!              "name": "...", "weights": {...}, "expireAfterSeconds": 3600,
//!              "collation": {"locale": "en", "strength": 2}}}     -> "email_1"
//! {"op": "dropIndex", "collection": "users", "name": "email_1"}   -> {"nIndexesWas": 2, "ok": 1}
//! {"op": "listIndexes", "collection": "users"}                    -> [index descriptions]
//! {"op": "listCollections"}     -> [{"name": "users", "type": "collection", "options": {...},
//!                                   "info": {"readOnly": false}, "idIndex": {...}}]
//! {"op": "getLog"}              -> {"totalLinesWritten": n, "log": [lines], "ok": 1}
//!                                  (the warnings of validationAction "warn", id 20294)
//! {"op": "drop", "collection": "users"}                           -> true | false
//! {"op": "explain", "collection": "users", "verbosity": "executionStats",
//!  "command": {"op": "find" | "aggregate" | "count", ...}}        -> explain document
//! ```
//!
//! The same requests are typed as [`Command`]: [`Command::from_json`] reads the shape above
//! (with MongoDB's errors for a wrong field), [`Database::run`] executes a command however it
//! was built, and a `Command` serializes back to this shape. Callers that build requests in
//! code (the playground's console, the script interpreter, the CLI's tests) build `Command`s;
//! [`request::to_document`] and its siblings read one field's JSON value with the same errors.
//!
//! [`Database::execute_json`] takes and returns the same request and response as text; it
//! writes large results straight from BSON, and is what the WebAssembly facade calls.
//!
//! The explain document has MongoDB's shape: `queryPlanner.winningPlan` (stages `IXSCAN`,
//! `FETCH`, `SORT`, `LIMIT`, `SKIP`, `COLLSCAN`, `TEXT_MATCH`, `PROJECTION_DEFAULT`) and
//! `executionStats` with `nReturned`, `totalKeysExamined` and `totalDocsExamined`.
//!
//! Every insertOne/insertMany/update/replace/findOneAnd* also takes `bypassDocumentValidation`,
//! and every find/count/distinct/update/delete/findOneAnd*/aggregate a `collation` (see
//! [`collation`] for what is simulated). A write the validator refuses fails with
//! `DocumentValidationFailure` (121) and the server's `errInfo` in [`MongoError::err_info`].
//!
//! # The clock and TTL
//!
//! The simulator reads no clock: [`Database::set_clock`] sets it, and [`Database::expire`] is
//! the TTL monitor's pass (the server runs it every 60 seconds), which the host calls after
//! moving the clock. TTL indexes are `createIndex` with `expireAfterSeconds`.
//!
//! # Typed API
//!
//! Underneath, [`Database`] has typed methods (`insert_many`, `find`, `update`, `aggregate`,
//! `create_index`, `explain_find`, ...) on [`bson::Document`]s, for callers that want speed.
//!
//! # Layout
//!
//! Filters are parsed into [`query::Filter`] (operators in `query/` by family), expressions
//! into [`expr::Expr`] (`expr/` by family), updates into [`update::Update`], pipelines into
//! [`aggregate::Pipeline`]; each is validated before it runs. The crate reads no clock and
//! spawns no thread: it runs the same natively and in WebAssembly.

pub mod aggregate;
pub mod collation;
pub mod collection;
pub mod column;
pub mod conformance;
pub mod database;
pub mod decimal;
pub mod error;
pub mod expr;
pub mod extjson;
pub mod index;
pub mod path;
pub mod planner;
pub mod projection;
pub mod query;
pub mod request;
pub mod scan;
pub mod schema;
pub mod sort;
pub mod text;
pub mod update;
pub mod validation;
pub mod value;

pub use bson;
pub use database::{Database, FindOptions, UpdateOptions, UpdateResult, Verbosity};
pub use error::MongoError;
pub use request::{Command, FindAndModify, FindExplain, IndexRef, ReturnDocument, WriteOptions};
