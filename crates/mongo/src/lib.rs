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
//!     (ordered: the first failing document is the error; the ones before it stay inserted)
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
//! find or aggregate with "cursor": {"batchSize": 101} (or "cursor": {})
//!     -> {"cursor": {"firstBatch": [documents], "id": 7, "ns": "test.users"}, "ok": 1}
//! {"op": "getMore", "collection": "users", "cursorId": 7, "batchSize": 101}
//!     -> {"cursor": {"nextBatch": [documents], "id": 7 | 0, "ns": "test.users"}, "ok": 1}
//! {"op": "killCursors", "collection": "users", "cursors": [7]}
//!     -> {"cursorsKilled": [7], "cursorsNotFound": [], "cursorsAlive": [], "cursorsUnknown": [], "ok": 1}
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
//! # Bulk load
//!
//! [`Database::insert_many_opts`] inserts BSON documents as one batch: each document is checked
//! (`_id`, nesting, the validator), then each index gets the batch's entries sorted and added
//! in one pass (unique keys checked for the whole batch at once), not one document at a time.
//! Its [`InsertManyOptions`] say whether the insert is `ordered` (the server's default: the
//! first failing document stops it, the ones before stay) or not (every document that can go
//! in does), and its [`InsertManyResult`] gives the `_id`s inserted and the write errors by
//! position, as the server's `insert` command reports them ([`InsertManyResult::to_json`]).
//! `insertMany` requests and [`Database::insert_many`] go the same way, ordered.
//! [`Database::insert_many_json`] takes a JSON array of documents in Extended JSON and reads it
//! straight into BSON (`extjson::read_documents`: no JSON tree, the bson crate's meaning of
//! every value); the wasm facade's `insertManyBulk` calls it. A host that generates data
//! (the playground) builds `bson::Document`s and calls `insert_many_opts` once per collection,
//! then creates its indexes (which are built from sorted entries too); for progress it can
//! call it once per chunk, at the cost of merging each chunk into the indexes.
//!
//! # Cursors
//!
//! Without `cursor`, a find or an aggregate answers its whole result as an array (what every
//! existing caller expects). With it, the answer is the server's: a first batch (101
//! documents unless `batchSize` says otherwise, at most 16 MiB) and a cursor id, 0 when
//! nothing remains; `getMore` returns the next batch (as many as 16 MiB holds without a
//! `batchSize`) and `killCursors` closes cursors early. Typed, a find or an aggregate
//! [`Command`] wrapped in [`Command::Cursor`] (`batch_size: None` for 101), then
//! [`Command::GetMore`] and [`Command::KillCursors`]; or [`Database::find_cursor`],
//! [`Database::aggregate_cursor`], [`Database::get_more`], [`Database::kill_cursors`], which
//! answer a [`CursorBatch`]. A cursor keeps the answer its query gave, sharing stored documents
//! with the collection (a snapshot: later writes do not change it), and closes itself once
//! exhausted. Cursors never time out here: the host kills those it abandons (a console that
//! replaces a result kills the old cursor), or they last as long as the database
//! ([`Database::open_cursors`] counts them). See [`cursor`].
//!
//! # Budgets
//!
//! Every request runs under limits ([`Limits`]): its `maxTimeMS` (any request may give it, as
//! a top-level field; 0 or absent means the host's default, [`Database::set_default_max_time_ms`])
//! and its `allowDiskUse` (find and aggregate; absent means the host's
//! [`Database::set_allow_disk_use_by_default`], true as in the server since 6.0). Time is read
//! from the host's timer ([`Database::set_timer`]: a `Rc<dyn Fn() -> f64>` of milliseconds,
//! natively from `Instant`, in a browser `performance.now()`; without it nothing is timed) every
//! 1,024 steps of the loops that can run long, and a request out of time fails with
//! `MaxTimeMSExpired` (50, "operation exceeded time limit") having written nothing. A blocking
//! sort or `$group` past 100 MB (counted in BSON bytes) without the disk fails with
//! `QueryExceededMemoryLimitNoDiskUseAllowed` (292). [`Database::execute`] and
//! [`Database::execute_json`] read the limits from the request; typed callers pass them to
//! [`Database::run_with`] (or wrap typed calls in [`Database::limited`]); [`Database::run`]
//! uses the defaults. See [`budget`].
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
//! [`aggregate::Pipeline`]; each is validated before it runs. The crate reads no clock (the
//! host's timer, when it gives one) and spawns no thread: it runs the same natively and in
//! WebAssembly.

pub mod aggregate;
pub mod budget;
pub mod collation;
pub mod collection;
pub mod column;
pub mod conformance;
pub mod cursor;
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
pub mod time_zones;
pub mod update;
pub mod validation;
pub mod value;

pub use bson;
pub use budget::{Limits, Timer};
pub use cursor::CursorBatch;
pub use database::{
    Database, FindOptions, InsertManyOptions, InsertManyResult, UpdateOptions, UpdateResult,
    Verbosity,
};
pub use error::MongoError;
pub use request::{Command, FindAndModify, FindExplain, IndexRef, ReturnDocument, WriteOptions};
