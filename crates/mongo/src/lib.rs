//! An in-memory MongoDB simulator: collections of BSON documents with MongoDB's query language,
//! updates, aggregation, indexes (unique, sparse, partial, multikey, text) and `explain`.
//!
//! # One entry point
//!
//! Every caller (the wasm facade, the web query console, the CLI and the benchmark) sends
//! requests to [`Database::execute`]: a JSON object in MongoDB Extended JSON (relaxed or
//! canonical), answered with relaxed Extended JSON in the shapes the mongo shell and the Node
//! driver show. Errors are [`MongoError`]s carrying the server's code, code name and message.
//!
//! ```json
//! {"op": "insertOne",  "collection": "users", "document": {...}}
//!     -> {"acknowledged": true, "insertedId": {"$oid": "..."}}
//! {"op": "insertMany", "collection": "users", "documents": [{...}, ...]}
//!     -> {"acknowledged": true, "insertedIds": {"0": ..., "1": ...}}
//! {"op": "find", "collection": "users", "filter": {...}, "projection": {...},
//!  "sort": {...}, "skip": 0, "limit": 20, "explain": false}
//!     -> [documents]   (with "explain": true or "queryPlanner"/"executionStats": the explain document)
//!     with "explain": "withResults": {"results": [documents], "explain": executionStats explain}
//!     from one execution, so a console can show both without running the query twice
//! {"op": "findOne", "collection": "users", "filter": {...}, "projection": {...}, "sort": {...}}
//!     -> document or null
//! {"op": "countDocuments", "collection": "users", "filter": {...}}       -> number
//! {"op": "distinct", "collection": "users", "key": "profile.city", "filter": {...}} -> [values]
//! {"op": "updateOne" | "updateMany", "collection": "users", "filter": {...},
//!  "update": {"$set": {...}} or [pipeline stages], "upsert": false, "arrayFilters": [...]}
//!     -> {"acknowledged": true, "matchedCount": 1, "modifiedCount": 1, "upsertedCount": 0, "upsertedId": null}
//! {"op": "replaceOne", "collection": "users", "filter": {...}, "replacement": {...}, "upsert": false}
//! {"op": "deleteOne" | "deleteMany", "collection": "users", "filter": {...}}
//!     -> {"acknowledged": true, "deletedCount": 1}
//! {"op": "findOneAndUpdate", "collection": "users", "filter": {...}, "update": {...},
//!  "sort": {...}, "projection": {...}, "upsert": false, "returnDocument": "before" | "after"}
//!     -> document or null   (also "findOneAndReplace", "findOneAndDelete")
//! {"op": "aggregate", "collection": "users", "pipeline": [...], "explain": false} -> [documents]
//! {"op": "createIndex", "collection": "users", "key": {"email": 1},
//!  "options": {"unique": true, "sparse": false, "partialFilterExpression": {...},
//!              "name": "...", "weights": {...}}}                  -> "email_1"
//! {"op": "dropIndex", "collection": "users", "name": "email_1"}   -> {"nIndexesWas": 2, "ok": 1}
//! {"op": "listIndexes", "collection": "users"}                    -> [index descriptions]
//! {"op": "listCollections"}                                       -> [{"name": "users", "type": "collection"}]
//! {"op": "drop", "collection": "users"}                           -> true | false
//! {"op": "explain", "collection": "users", "verbosity": "executionStats",
//!  "command": {"op": "find" | "aggregate" | "count", ...}}        -> explain document
//! ```
//!
//! [`Database::execute_json`] takes and returns the same request and response as text; it
//! writes large results straight from BSON, and is what the WebAssembly facade calls.
//!
//! The explain document has MongoDB's shape: `queryPlanner.winningPlan` (stages `IXSCAN`,
//! `FETCH`, `SORT`, `LIMIT`, `SKIP`, `COLLSCAN`, `TEXT_MATCH`, `PROJECTION_DEFAULT`) and
//! `executionStats` with `nReturned`, `totalKeysExamined` and `totalDocsExamined`.
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
mod request;
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
