//! The database: named collections and the typed operations every caller goes through
//! (the JSON entry point [`Database::execute`] in `request.rs` is built on these).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

use bson::oid::ObjectId;
use bson::{Bson, Document};
use serde::{Deserialize, Serialize};

use crate::aggregate::{AggCtx, Pipeline};
use crate::collation::Collation;
use crate::collection::Collection;
use crate::collection::Slot;
use crate::error::{MongoError, Result};
use crate::index::IndexSpec;
use crate::planner::{self, Access, Plan, Stats};
use crate::projection::{Kind, Projection};
use crate::query::{parse_filter, Filter, MatchDetails};
use crate::sort::{SortDir, SortSpec};
use crate::update::Update;
use crate::value::{compare, values_equal};

/// The options of `find`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FindOptions {
    pub filter: Document,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection: Option<Document>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<Document>,
    #[serde(skip_serializing_if = "is_zero")]
    pub skip: u64,
    /// 0 means no limit; a negative limit means its absolute value.
    #[serde(skip_serializing_if = "is_zero")]
    pub limit: i64,
    /// The `collation` option: how strings compare (the collection's default when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collation: Option<Document>,
}

fn is_zero<T: Default + PartialEq>(n: &T) -> bool {
    *n == T::default()
}

/// The options of `insertMany`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsertManyOptions {
    /// Stop at the first document that cannot be inserted (the server's default), or insert
    /// every other one.
    pub ordered: bool,
    /// `bypassDocumentValidation`: insert without checking the collection's validator.
    pub bypass_document_validation: bool,
}

impl Default for InsertManyOptions {
    fn default() -> Self {
        InsertManyOptions {
            ordered: true,
            bypass_document_validation: false,
        }
    }
}

/// What `insertMany` did, as the server's `insert` command reports it: the `_id` of each
/// document inserted and each write error, with the document's position in the request.
/// Ordered, there is at most one error, and nothing after it was tried.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InsertManyResult {
    pub inserted_ids: Vec<(usize, Bson)>,
    pub write_errors: Vec<(usize, MongoError)>,
}

impl InsertManyResult {
    /// The response of the server's `insert` command: `{"n": inserted, "writeErrors": [{"index",
    /// "code", "codeName", "errmsg", "errInfo"}], "ok": 1}` (`writeErrors` only when some
    /// document failed).
    pub fn to_json(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        out.insert("n".into(), self.inserted_ids.len().into());
        if !self.write_errors.is_empty() {
            let errors = self
                .write_errors
                .iter()
                .map(|(index, e)| {
                    let mut w = serde_json::json!({
                        "index": index,
                        "code": e.code,
                        "codeName": e.code_name,
                        "errmsg": e.message,
                    });
                    if let (Some(info), serde_json::Value::Object(m)) = (&e.err_info, &mut w) {
                        m.insert(
                            "errInfo".into(),
                            Bson::Document((**info).clone()).into_relaxed_extjson(),
                        );
                    }
                    w
                })
                .collect();
            out.insert("writeErrors".into(), serde_json::Value::Array(errors));
        }
        out.insert("ok".into(), 1.into());
        serde_json::Value::Object(out)
    }
}

/// The options of the update operations.
#[derive(Debug, Clone, Default)]
pub struct UpdateOptions {
    pub upsert: bool,
    pub array_filters: Vec<Document>,
    /// `updateMany` rather than `updateOne`.
    pub multi: bool,
    /// The `collation` option of the filter (the collection's default when absent).
    pub collation: Option<Document>,
    /// `bypassDocumentValidation`: write without checking the collection's validator.
    pub bypass_validation: bool,
}

/// What an update did, as the driver reports it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateResult {
    pub matched: u64,
    pub modified: u64,
    pub upserted_id: Option<Bson>,
}

/// How much `explain` runs: `queryPlanner` only plans; `executionStats` (the default here) and
/// `allPlansExecution` also run the plan and report its counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verbosity {
    QueryPlanner,
    #[default]
    ExecutionStats,
}

/// An in-memory MongoDB database.
#[derive(Debug, Clone)]
pub struct Database {
    name: String,
    collections: BTreeMap<String, Collection>,
    oid_counter: u32,
    now_millis: i64,
    /// The server log's lines this database wrote (validation warnings), as `getLog` shows.
    log: Vec<String>,
    /// The open cursors (see [`crate::cursor`]).
    cursors: crate::cursor::Cursors,
    /// The host's timer, the `maxTimeMS` of requests that name none, and whether a blocking
    /// sort or group may use the disk when the request does not say (see [`crate::budget`]).
    defaults: crate::budget::Defaults,
    /// The budget of the request running now.
    budget: crate::budget::Budget,
}

impl Default for Database {
    fn default() -> Self {
        Self::new()
    }
}

/// What a find run produced, with what explain needs to describe it.
pub(crate) struct FindRun<'a> {
    /// Borrowed from the collection unless a projection made new documents.
    pub docs: Vec<Cow<'a, Document>>,
    /// The collection and record ids of the documents, when they are returned as stored.
    pub stored: Option<(&'a Collection, Vec<u64>)>,
    pub plan: Plan,
    pub stats: Stats,
    pub filter: Filter,
    pub sort: SortSpec,
    /// Where the plan stopped, when its order is the answer's (no sort stage).
    pub resume: Option<planner::Resume>,
}

/// The part of a find's answer a run reads (see [`Database::find_window`]).
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    from: planner::Resume,
    stop_at: Option<usize>,
}

impl Database {
    pub fn new() -> Self {
        Database {
            name: "test".into(),
            collections: BTreeMap::new(),
            oid_counter: 0,
            // 2024-01-01T00:00:00Z until the caller sets the clock.
            now_millis: 1_704_067_200_000,
            log: Vec::new(),
            cursors: crate::cursor::Cursors::default(),
            defaults: crate::budget::Defaults::default(),
            budget: crate::budget::Budget::unlimited(),
        }
    }

    /// Sets the clock used by `$currentDate`, `$$NOW` and new ObjectIds (milliseconds since the
    /// epoch). The core crate reads no system clock, so it works the same in WebAssembly.
    pub fn set_clock(&mut self, now_millis: i64) {
        self.now_millis = now_millis;
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sets the timer `maxTimeMS` is measured with (milliseconds from any origin, never going
    /// back: natively `Instant`, in a browser `performance.now()`); without one, requests have
    /// no time limit. See [`crate::budget`].
    pub fn set_timer(&mut self, timer: Option<crate::budget::Timer>) {
        self.defaults.timer = timer;
    }

    /// The `maxTimeMS` of the requests that name none (`None`: no limit).
    pub fn set_default_max_time_ms(&mut self, max_time_ms: Option<u64>) {
        self.defaults.max_time_ms = max_time_ms.filter(|ms| *ms > 0);
    }

    /// Whether a blocking sort or group may go past 100 MB when the request gives no
    /// `allowDiskUse` (the server parameter `allowDiskUseByDefault`: true since 6.0, as
    /// here; false gives the 100 MB error of earlier versions).
    pub fn set_allow_disk_use_by_default(&mut self, allow: bool) {
        self.defaults.allow_disk_use = allow;
    }

    /// Runs `f` under `limits` (the defaults where they say nothing): every request of
    /// [`Database::run_with`] and the JSON entry points goes through here, and so can a caller
    /// of the typed methods. Typed methods called outside it have no time limit.
    pub fn limited<T>(
        &mut self,
        limits: crate::budget::Limits,
        f: impl FnOnce(&mut Database) -> Result<T>,
    ) -> Result<T> {
        let budget = self.defaults.budget(limits);
        let outer = std::mem::replace(&mut self.budget, budget);
        let out = f(self);
        self.budget = outer;
        out
    }

    /// The clock (milliseconds since the epoch).
    pub fn now_millis(&self) -> i64 {
        self.now_millis
    }

    /// One pass of the TTL monitor (manual: "TTL Indexes", Expiration of Data): removes every
    /// document a TTL index holds whose indexed date, or the earliest date of an array there,
    /// lies more than the index's `expireAfterSeconds` before the clock. A document without a
    /// date at that path never expires. The server runs this pass every 60 seconds on its own;
    /// the simulator reads no clock, so the host calls it after moving the clock
    /// ([`Database::set_clock`]). Returns how many documents were removed.
    pub fn expire(&mut self) -> u64 {
        let now = self.now_millis;
        let mut removed = 0;
        let names: Vec<String> = self.collections.keys().cloned().collect();
        for name in names {
            self.settle_cursors(&name);
        }
        for c in self.collections.values_mut() {
            let ttl: Vec<(Vec<String>, i64, crate::index::IndexSpec)> = c
                .indexes
                .iter()
                .filter_map(|ix| {
                    let seconds = ix.spec.expire_after_seconds?;
                    let field = ix.spec.fields.first()?;
                    Some((field.parts.clone(), seconds, ix.spec.clone()))
                })
                .collect();
            if ttl.is_empty() {
                continue;
            }
            let expired: Vec<u64> = c
                .iter()
                .filter(|(_, doc)| {
                    ttl.iter().any(|(parts, seconds, spec)| {
                        spec.covers(doc)
                            && earliest_date(doc, parts).is_some_and(|d| {
                                d.saturating_add(seconds.saturating_mul(1000)) < now
                            })
                    })
                })
                .map(|(id, _)| id)
                .collect();
            for id in expired {
                if c.remove(id).is_some() {
                    removed += 1;
                }
            }
        }
        removed
    }

    pub fn collection(&self, name: &str) -> Option<&Collection> {
        self.collections.get(name)
    }

    /// A collection to write to (made when missing), after every cursor's pending find on it
    /// was read.
    fn collection_mut(&mut self, name: &str) -> Result<&mut Collection> {
        check_collection_name(name)?;
        self.settle_cursors(name);
        let db = self.name.clone();
        Ok(self
            .collections
            .entry(name.to_string())
            .or_insert_with(|| Collection::new(&db, name)))
    }

    /// A new ObjectId: the clock's seconds, a fixed machine part and a counter.
    pub fn new_object_id(&mut self) -> ObjectId {
        self.oid_counter = self.oid_counter.wrapping_add(1);
        let secs = (self.now_millis / 1000).clamp(0, i64::from(u32::MAX)) as u32;
        let mut bytes = [0u8; 12];
        bytes[..4].copy_from_slice(&secs.to_be_bytes());
        bytes[4..9].copy_from_slice(&[0x5c, 0x68, 0x65, 0x6d, 0x61]);
        bytes[9..].copy_from_slice(&self.oid_counter.to_be_bytes()[1..]);
        ObjectId::from_bytes(bytes)
    }

    fn prepare_insert(&mut self, mut doc: Document) -> Result<Document> {
        match doc.get("_id") {
            None => {
                let id = self.new_object_id();
                let mut with_id = Document::new();
                with_id.insert("_id", id);
                for (k, v) in doc {
                    with_id.insert(k, v);
                }
                doc = with_id;
            }
            Some(Bson::Array(_)) => {
                return Err(MongoError::new(
                    53,
                    "InvalidIdField",
                    "The '_id' value cannot be of type array",
                ))
            }
            Some(Bson::RegularExpression(_)) => {
                return Err(MongoError::new(
                    53,
                    "InvalidIdField",
                    "The '_id' value cannot be of type regex",
                ))
            }
            Some(_) => {}
        }
        if crate::value::doc_depth(&doc, crate::value::MAX_DOCUMENT_DEPTH)
            > crate::value::MAX_DOCUMENT_DEPTH
        {
            return Err(MongoError::bad_value(
                "Document exceeds maximum nesting depth of 100",
            ));
        }
        Ok(doc)
    }

    /// `insertOne`: returns the `_id`.
    pub fn insert_one(&mut self, coll: &str, doc: Document) -> Result<Bson> {
        self.insert_one_with(coll, doc, false)
    }

    /// `insertOne` with `bypassDocumentValidation`.
    pub fn insert_one_with(&mut self, coll: &str, doc: Document, bypass: bool) -> Result<Bson> {
        let doc = self.prepare_insert(doc)?;
        let id = doc.get("_id").cloned().unwrap_or(Bson::Null);
        self.insert_checked(coll, doc, bypass)?;
        Ok(id)
    }

    /// `insertMany` (ordered): stops at the first error, keeping what was inserted before it.
    pub fn insert_many(&mut self, coll: &str, docs: Vec<Document>) -> Result<Vec<Bson>> {
        self.insert_many_with(coll, docs, false)
    }

    /// `insertMany` with `bypassDocumentValidation`: the `_id`s, or the first error (the
    /// documents before it stay inserted).
    pub fn insert_many_with(
        &mut self,
        coll: &str,
        docs: Vec<Document>,
        bypass: bool,
    ) -> Result<Vec<Bson>> {
        let options = InsertManyOptions {
            ordered: true,
            bypass_document_validation: bypass,
        };
        let mut result = self.insert_many_opts(coll, docs, options)?;
        match result.write_errors.pop() {
            Some((_, err)) => Err(err),
            None => Ok(result.inserted_ids.into_iter().map(|(_, id)| id).collect()),
        }
    }

    /// `insertMany` with its options, as the server answers it: the documents are checked
    /// (`_id`, nesting, the validator) and then inserted as one batch, each index built once
    /// for all of them (see [`Collection::insert_batch`]), so loading many documents costs
    /// about what building the indexes afterwards would. Ordered (the server's default), the
    /// first failing document stops the insert and the ones before it stay; unordered, every
    /// document that can go in does. Each failure is a write error with the document's
    /// position. An invalid collection name fails the whole request.
    pub fn insert_many_opts(
        &mut self,
        coll: &str,
        docs: Vec<Document>,
        options: InsertManyOptions,
    ) -> Result<InsertManyResult> {
        self.collection_mut(coll)?;
        let now = self.now_millis;
        let mut result = InsertManyResult::default();
        // Documents that passed their own checks, with their positions and validation warnings.
        let mut ready = Vec::with_capacity(docs.len());
        for (i, doc) in docs.into_iter().enumerate() {
            self.budget.step()?;
            let checked = self.prepare_insert(doc).and_then(|doc| {
                let c = self.collection_mut(coll)?;
                let warning = check_write(c, &doc, None, options.bypass_document_validation, now)?;
                Ok((doc, warning))
            });
            match checked {
                Ok((doc, warning)) => ready.push((i, doc, warning)),
                Err(err) => {
                    result.write_errors.push((i, err));
                    if options.ordered {
                        break;
                    }
                }
            }
        }
        let mut positions = Vec::with_capacity(ready.len());
        let mut docs = Vec::with_capacity(ready.len());
        let mut warnings = Vec::with_capacity(ready.len());
        for (i, doc, warning) in ready {
            positions.push(i);
            docs.push(doc);
            warnings.push(warning);
        }
        let ids: Vec<Bson> = docs
            .iter()
            .map(|d| d.get("_id").cloned().unwrap_or(Bson::Null))
            .collect();
        let c = self.collection_mut(coll)?;
        let outcome = c.insert_batch(docs, options.ordered);
        for ((record, id), (position, warning)) in outcome
            .ids
            .iter()
            .zip(ids)
            .zip(positions.iter().zip(warnings))
        {
            if record.is_some() {
                result.inserted_ids.push((*position, id));
                self.log.extend(warning);
            }
        }
        // An index refusal comes before a check failure further on, which an ordered insert
        // never reached.
        let refused = outcome
            .errors
            .into_iter()
            .filter_map(|(j, err)| positions.get(j).map(|p| (*p, err)));
        result.write_errors.extend(refused);
        result.write_errors.sort_by_key(|(i, _)| *i);
        if options.ordered {
            result.write_errors.truncate(1);
        }
        Ok(result)
    }

    /// [`Database::insert_many_opts`] on a JSON array of documents in Extended JSON, read
    /// straight into BSON (no JSON tree, no per-document request): the bulk load of callers
    /// that hold JSON text, such as the wasm facade.
    pub fn insert_many_json(
        &mut self,
        coll: &str,
        documents_json: &str,
        options: InsertManyOptions,
    ) -> Result<InsertManyResult> {
        let docs = crate::extjson::read_documents(documents_json, "insertMany.documents")?;
        self.insert_many_opts(coll, docs, options)
    }

    /// Inserts a prepared document after the collection's validator passed it.
    fn insert_checked(&mut self, coll: &str, doc: Document, bypass: bool) -> Result<()> {
        let now = self.now_millis;
        let c = self.collection_mut(coll)?;
        let warning = check_write(c, &doc, None, bypass, now)?;
        c.insert(doc)?;
        self.log.extend(warning);
        Ok(())
    }

    /// `create`: a collection with options (manual: "db.createCollection()"): `validator`,
    /// `validationLevel`, `validationAction` and a default `collation`.
    pub fn create_collection(&mut self, coll: &str, options: &Document) -> Result<()> {
        check_collection_name(coll)?;
        if self.collections.contains_key(coll) {
            return Err(MongoError::new(
                48,
                "NamespaceExists",
                format!("Collection {}.{coll} already exists.", self.name),
            ));
        }
        let mut c = Collection::new(&self.name, coll);
        for (k, v) in options {
            match k.as_str() {
                "collation" => {
                    let collation = Collation::parse_option(Some(v))?.flatten().map(Rc::new);
                    if let Some(id) = c.indexes.first_mut() {
                        id.spec.collation = collation.clone();
                    }
                    match &collation {
                        Some(spec) => c.options.insert("collation", spec.spec()),
                        None => c.options.remove("collation"),
                    };
                    c.default_collation = collation;
                }
                "validator" | "validationLevel" | "validationAction" => {
                    set_validation(&mut c, "create", k, v)?;
                }
                "capped"
                | "size"
                | "max"
                | "timeseries"
                | "clusteredIndex"
                | "viewOn"
                | "pipeline"
                | "expireAfterSeconds"
                | "changeStreamPreAndPostImages"
                | "storageEngine"
                | "indexOptionDefaults"
                | "encryptedFields" => {
                    return Err(MongoError::bad_value(format!(
                        "the createCollection option '{k}' is not simulated: the playground \
                         creates ordinary collections (validator, validationLevel, \
                         validationAction and collation are supported)"
                    )))
                }
                "idIndex" | "writeConcern" | "comment" | "autoIndexId" => {}
                other => {
                    return Err(MongoError::location(
                        40415,
                        format!("BSON field 'create.{other}' is an unknown field."),
                    ))
                }
            }
        }
        self.settle_cursors(coll);
        self.collections.insert(coll.to_string(), c);
        Ok(())
    }

    /// `collMod`: changes a collection's `validator`, `validationLevel`, `validationAction`,
    /// or a TTL index's `expireAfterSeconds` (`index: {name | keyPattern, expireAfterSeconds}`).
    /// Returns the response fields besides `ok`.
    pub fn coll_mod(&mut self, coll: &str, options: &Document) -> Result<Document> {
        let ns = format!("{}.{coll}", self.name);
        self.settle_cursors(coll);
        let c = self
            .collections
            .get_mut(coll)
            .ok_or_else(|| MongoError::namespace_not_found(format!("ns does not exist: {ns}")))?;
        let mut out = Document::new();
        for (k, v) in options {
            match k.as_str() {
                "validator" | "validationLevel" | "validationAction" => {
                    set_validation(c, "collMod", k, v)?;
                }
                "index" => {
                    let Bson::Document(spec) = v else {
                        return Err(MongoError::type_mismatch(
                            "BSON field 'collMod.index' is the wrong type, expected type 'object'",
                        ));
                    };
                    let position = match (spec.get("name"), spec.get("keyPattern")) {
                        (Some(Bson::String(name)), _) => {
                            c.indexes.iter().position(|i| &i.spec.name == name)
                        }
                        (_, Some(Bson::Document(key))) => {
                            c.indexes.iter().position(|i| &i.spec.key == key)
                        }
                        _ => {
                            return Err(MongoError::bad_value(
                                "must specify either index name or key pattern",
                            ))
                        }
                    };
                    let ix = position.and_then(|p| c.indexes.get_mut(p)).ok_or_else(|| {
                        MongoError::index_not_found(format!(
                            "cannot find index {} for ns {ns}",
                            crate::value::shell_doc(spec)
                        ))
                    })?;
                    if let Some(seconds) = spec.get("expireAfterSeconds") {
                        let Some(old) = ix.spec.expire_after_seconds else {
                            return Err(MongoError::new(
                                72,
                                "InvalidOptions",
                                if ix.spec.name == "_id_" {
                                    "the _id field does not support TTL indexes"
                                } else {
                                    "no expireAfterSeconds field to update"
                                },
                            ));
                        };
                        let new = match crate::value::as_num(seconds) {
                            Some(crate::value::Num::Int(i)) if (0..=i64::from(i32::MAX)).contains(&i) => i,
                            _ => {
                                return Err(MongoError::new(
                                    72,
                                    "InvalidOptions",
                                    "TTL index 'expireAfterSeconds' option must be a whole number from 0 to 2147483647",
                                ))
                            }
                        };
                        ix.spec.expire_after_seconds = Some(new);
                        ix.spec.options.insert("expireAfterSeconds", new);
                        out.insert("expireAfterSeconds_old", old);
                        out.insert("expireAfterSeconds_new", new);
                    }
                }
                "writeConcern" | "comment" => {}
                other => {
                    return Err(MongoError::location(
                        40415,
                        format!("BSON field 'collMod.{other}' is an unknown field."),
                    ))
                }
            }
        }
        Ok(out)
    }

    /// The server log this database wrote: `getLog("global")`.
    pub fn log(&self) -> &[String] {
        &self.log
    }

    pub(crate) fn find_run(
        &self,
        coll: &str,
        opts: &FindOptions,
        run: bool,
    ) -> Result<FindRun<'_>> {
        self.find_window(coll, opts, run, Window::default())
    }

    /// [`Database::find_run`] over part of the answer when the plan gives documents in the
    /// answer's order (then [`FindRun::resume`] says where it stopped): from `window.from`, at
    /// most `window.stop_at` matches (skipped ones included). A plan that sorts reads every
    /// match whatever the window.
    fn find_window(
        &self,
        coll: &str,
        opts: &FindOptions,
        run: bool,
        window: Window,
    ) -> Result<FindRun<'_>> {
        let collation = op_collation(self.collections.get(coll), opts.collation.as_ref())?;
        let Some(c) = self.collections.get(coll) else {
            // No collection: check the request all the same, and find nothing.
            let mut ctx = crate::query::ParseCtx::new(None).with_collation(collation);
            let filter = parse_filter(&opts.filter, &mut ctx)?;
            let sort = match &opts.sort {
                Some(s) => SortSpec::parse(s)?,
                None => SortSpec::default(),
            };
            if let Some(p) = opts.projection.as_ref().filter(|p| !p.is_empty()) {
                Projection::parse(p, Kind::Find, &ctx)?;
            }
            let plan = Plan {
                access: Access::CollScan,
                sorted: true,
            };
            return Ok(FindRun {
                stored: None,
                docs: Vec::new(),
                plan,
                stats: Stats::default(),
                filter,
                sort,
                resume: None,
            });
        };
        let mut ctx = c.parse_ctx().with_collation(collation.clone());
        let filter = parse_filter(&opts.filter, &mut ctx)?;
        let sort = match &opts.sort {
            Some(s) => SortSpec::parse(s)?,
            None => SortSpec::default(),
        }
        .with_collation(collation);
        let projection = match &opts.projection {
            Some(p) if !p.is_empty() => Some(Projection::parse(p, Kind::Find, &ctx)?),
            _ => None,
        };
        let plan = planner::plan(c, &filter, &sort);
        let mut stats = Stats::default();
        let limit = opts.limit.unsigned_abs();
        if !run {
            return Ok(FindRun {
                stored: None,
                docs: Vec::new(),
                plan,
                stats,
                filter,
                sort,
                resume: None,
            });
        }
        let stop_at = if plan.sorted && limit > 0 {
            Some(opts.skip.saturating_add(limit) as usize)
        } else {
            None
        };
        let (from, stop_at) = if plan.sorted {
            let stop_at = match (stop_at, window.stop_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            (window.from, stop_at)
        } else {
            (planner::Resume::default(), stop_at)
        };
        let positional = projection.as_ref().is_some_and(|p| p.uses_positional);
        let (mut rows, resume) = planner::run_from(
            c,
            &filter,
            &plan,
            from,
            stop_at,
            positional,
            &mut stats,
            &self.budget,
        )?;
        let resume = plan.sorted.then_some(resume);
        if !plan.sorted && !sort.is_empty() {
            let none = Document::new();
            // Sort keys come from the columns (a scan row is the record id less one) when many
            // documents are sorted or the columns exist, and from the document where an array
            // is in the way.
            let many = rows.len().saturating_mul(16) > c.rows();
            let columns: Vec<Option<std::rc::Rc<crate::collection::Column>>> = sort
                .keys
                .iter()
                .map(|(p, _, dir)| match dir {
                    SortDir::TextScore => None,
                    _ if many => Some(c.column(p)),
                    _ => c.cached_column(p),
                })
                .collect();
            let collation = sort.collation.as_deref();
            let key_of = |(id, d): &(u64, MatchDetails)| -> Vec<Bson> {
                sort.keys
                    .iter()
                    .zip(columns.iter())
                    .map(|((_, parts, dir), col)| {
                        let desc = *dir == SortDir::Desc;
                        if *dir == SortDir::TextScore {
                            return Bson::Double(d.text_score.unwrap_or(0.0));
                        }
                        match col.as_ref().map(|col| col.slot(Collection::row_of_id(*id))) {
                            Some(Slot::Value(v)) => {
                                crate::sort::value_sort_value(v, desc, collation)
                            }
                            Some(Slot::Missing) => Bson::Null,
                            _ => crate::sort::sort_value(
                                c.get(*id).unwrap_or(&none),
                                parts,
                                desc,
                                collation,
                            ),
                        }
                    })
                    .collect()
            };
            let k = (limit > 0).then(|| opts.skip.saturating_add(limit) as usize);
            // A sort without a limit holds every document it sorts (the server's SORT stage).
            if self.budget.counts_memory() && k.is_none() {
                let mut bytes = 0;
                for (id, _) in &rows {
                    bytes += c.get(*id).map_or(0, crate::value::doc_size);
                    self.budget.sort_memory(bytes)?;
                }
            }
            rows = sort.sort_top(rows, k, key_of, || self.budget.step_is_over());
            self.budget.check()?;
            if self.budget.counts_memory() && k.is_some() {
                let bytes = rows
                    .iter()
                    .map(|(id, _)| c.get(*id).map_or(0, crate::value::doc_size))
                    .sum();
                self.budget.sort_memory(bytes)?;
            }
        }
        let rows = rows.into_iter().skip(opts.skip as usize);
        let rows: Vec<(u64, MatchDetails)> = if limit > 0 {
            rows.take(limit as usize).collect()
        } else {
            rows.collect()
        };
        let mut docs = Vec::with_capacity(rows.len());
        let mut ids = Vec::with_capacity(rows.len());
        for (id, details) in &rows {
            let Some(doc) = c.get(*id) else { continue };
            ids.push(*id);
            docs.push(match &projection {
                Some(p) => Cow::Owned(p.apply(doc, details)?),
                None => Cow::Borrowed(doc),
            });
        }
        stats.n_returned = docs.len() as u64;
        Ok(FindRun {
            stored: projection.is_none().then_some((c, ids)),
            docs,
            plan,
            stats,
            filter,
            sort,
            resume,
        })
    }

    /// `find`.
    pub fn find(&self, coll: &str, opts: &FindOptions) -> Result<Vec<Document>> {
        Ok(self
            .find_run(coll, opts, true)?
            .docs
            .into_iter()
            .map(Cow::into_owned)
            .collect())
    }

    /// `find` answered as JSON text: stored documents reuse their cached text.
    pub(crate) fn find_text(&self, coll: &str, opts: &FindOptions) -> Result<String> {
        let run = self.find_run(coll, opts, true)?;
        Ok(run_text(&run))
    }

    /// `find` and its `executionStats` explain from one execution: the documents and the
    /// explain document (what `"explain": "withResults"` answers).
    pub fn find_explained(
        &self,
        coll: &str,
        opts: &FindOptions,
    ) -> Result<(Vec<Document>, Document)> {
        let (run, explain) = self.find_with_stats(coll, opts)?;
        Ok((run.docs.into_iter().map(Cow::into_owned).collect(), explain))
    }

    /// [`Database::find_explained`] with the documents written as JSON text.
    pub(crate) fn find_explained_text(
        &self,
        coll: &str,
        opts: &FindOptions,
    ) -> Result<(String, Document)> {
        let (run, explain) = self.find_with_stats(coll, opts)?;
        Ok((run_text(&run), explain))
    }

    /// One execution of a find and its `executionStats` explain.
    fn find_with_stats(&self, coll: &str, opts: &FindOptions) -> Result<(FindRun<'_>, Document)> {
        let run = self.find_run(coll, opts, true)?;
        let explain = self.explain_doc(
            coll,
            self.collections.get(coll),
            &run,
            opts,
            Verbosity::ExecutionStats,
            false,
        );
        Ok((run, explain))
    }

    /// `find` without copying the documents out of the collection (unless projected).
    pub fn find_borrowed(&self, coll: &str, opts: &FindOptions) -> Result<Vec<Cow<'_, Document>>> {
        Ok(self.find_run(coll, opts, true)?.docs)
    }

    /// `find` answered with a first batch of at most `batch_size` documents (101 without one)
    /// and a cursor for the rest (see [`crate::cursor`]). When the plan gives documents in the
    /// answer's order, the query reads only the first batch and one more match; the rest is read
    /// by `getMore`, or before anything writes to the collection.
    pub fn find_cursor(
        &mut self,
        coll: &str,
        opts: &FindOptions,
        batch_size: Option<u64>,
    ) -> Result<crate::cursor::CursorBatch> {
        let first = batch_size.unwrap_or(crate::cursor::DEFAULT_FIRST_BATCH);
        let (answer, pending) =
            self.find_part(coll, opts, planner::Resume::default(), Some(first))?;
        let ns = format!("{}.{coll}", self.name);
        Ok(self.cursors.open(ns, answer, batch_size, pending))
    }

    /// Reads the answer of a find from `from` (its skip and limit still to apply): all of it,
    /// or at least `batch` documents and one more when its plan gives them in the answer's
    /// order; then what is left to read, if anything.
    fn find_part(
        &self,
        coll: &str,
        opts: &FindOptions,
        from: planner::Resume,
        batch: Option<u64>,
    ) -> Result<(Vec<crate::cursor::Item>, Option<crate::cursor::Pending>)> {
        let limit = opts.limit.unsigned_abs();
        // The matches to read: those skipped, the batch, and one to know whether more follow.
        let want = batch.map(|n| {
            let more = n.saturating_add(1);
            let more = if limit > 0 { more.min(limit) } else { more };
            usize::try_from(opts.skip.saturating_add(more)).unwrap_or(usize::MAX)
        });
        let window = Window {
            from,
            stop_at: want,
        };
        let run = self.find_window(coll, opts, true, window)?;
        let resume = run.resume;
        let answer: Vec<crate::cursor::Item> = match run.stored {
            Some((c, ids)) => ids
                .iter()
                .filter_map(|id| c.record(*id))
                .map(crate::cursor::Item::Stored)
                .collect(),
            None => run
                .docs
                .into_iter()
                .map(|d| crate::cursor::Item::Owned(d.into_owned()))
                .collect(),
        };
        let read = answer.len() as u64;
        let complete = match (want, resume) {
            (Some(want), Some(_)) => {
                let matched = (want as u64).saturating_sub(opts.skip);
                read < matched || (limit > 0 && read >= limit)
            }
            _ => true,
        };
        let pending = match resume {
            Some(from) if !complete => Some(crate::cursor::Pending {
                coll: coll.to_string(),
                opts: FindOptions {
                    skip: 0,
                    limit: if limit > 0 {
                        i64::try_from(limit - read).unwrap_or(i64::MAX)
                    } else {
                        0
                    },
                    ..opts.clone()
                },
                from,
            }),
            _ => None,
        };
        Ok((answer, pending))
    }

    /// Reads more of cursors' pending finds: of cursor `id` on `ns`, enough for a batch of
    /// `batch` documents (all without one), or, with no `id`, all of every cursor's on `ns`
    /// (before a write changes what they would read, so each answer stays the one its query
    /// gave). Reading before a write is not the writer's time: it runs without a time limit.
    fn read_pending(&mut self, ns: &str, id: Option<i64>, batch: Option<u64>) -> Result<()> {
        let pending = self.cursors.take_pending(ns, id, batch);
        if pending.is_empty() {
            return Ok(());
        }
        let budget = match id {
            Some(_) => None,
            None => Some(std::mem::replace(
                &mut self.budget,
                crate::budget::Budget::unlimited(),
            )),
        };
        let mut outcome = Ok(());
        for (cursor, part, need) in pending {
            match self.find_part(&part.coll, &part.opts, part.from, need) {
                Ok((items, rest)) => self.cursors.extend(cursor, items, rest),
                Err(err) => {
                    // The cursor cannot go on: it is closed, as the server kills a cursor whose
                    // plan failed.
                    self.cursors.kill(ns, &[cursor]);
                    outcome = Err(err);
                }
            }
        }
        if let Some(budget) = budget {
            self.budget = budget;
        }
        outcome
    }

    /// Reads every pending find on collection `coll` before a write to it.
    fn settle_cursors(&mut self, coll: &str) {
        if self.cursors.is_empty() {
            return;
        }
        let ns = format!("{}.{coll}", self.name);
        // A failure closed its cursor, as its next getMore would have failed too.
        let _ = self.read_pending(&ns, None, None);
    }

    /// `aggregate` (with its `collation` option) answered with a first batch and a cursor.
    pub fn aggregate_cursor(
        &mut self,
        coll: &str,
        pipeline: &[Document],
        collation: Option<&Document>,
        batch_size: Option<u64>,
    ) -> Result<crate::cursor::CursorBatch> {
        let answer = self
            .aggregate_collated(coll, pipeline, collation)?
            .into_iter()
            .map(|d| crate::cursor::Item::Owned(d.into_owned()))
            .collect();
        let ns = format!("{}.{coll}", self.name);
        Ok(self.cursors.open(ns, answer, batch_size, None))
    }

    /// `getMore`: the next batch of a cursor on this collection, of at most `batch_size`
    /// documents (as many as 16 MiB holds without one).
    pub fn get_more(
        &mut self,
        coll: &str,
        cursor_id: i64,
        batch_size: Option<u64>,
    ) -> Result<crate::cursor::CursorBatch> {
        let ns = format!("{}.{coll}", self.name);
        let batch = batch_size.filter(|n| *n > 0);
        self.cursors.check(&ns, cursor_id)?;
        self.read_pending(&ns, Some(cursor_id), batch)?;
        self.cursors.get_more(&ns, cursor_id, batch)
    }

    /// `killCursors` on this collection.
    pub fn kill_cursors(&mut self, coll: &str, cursor_ids: &[i64]) -> crate::cursor::Killed {
        let ns = format!("{}.{coll}", self.name);
        self.cursors.kill(&ns, cursor_ids)
    }

    /// How many cursors are open.
    pub fn open_cursors(&self) -> usize {
        self.cursors.len()
    }

    /// `findOne`.
    pub fn find_one(&self, coll: &str, opts: &FindOptions) -> Result<Option<Document>> {
        let mut o = opts.clone();
        o.limit = 1;
        Ok(self.find(coll, &o)?.into_iter().next())
    }

    /// `countDocuments`.
    pub fn count_documents(&self, coll: &str, filter: &Document) -> Result<u64> {
        self.count_documents_collated(coll, filter, None)
    }

    /// `countDocuments` with its `collation` option.
    pub fn count_documents_collated(
        &self,
        coll: &str,
        filter: &Document,
        collation: Option<&Document>,
    ) -> Result<u64> {
        let Some(c) = self.collections.get(coll) else {
            // No collection: check the filter and collation all the same (as find does), and count nothing.
            let collation = op_collation(None, collation)?;
            parse_filter(
                filter,
                &mut crate::query::ParseCtx::new(None).with_collation(collation),
            )?;
            return Ok(0);
        };
        let mut ctx = c
            .parse_ctx()
            .with_collation(op_collation(Some(c), collation)?);
        let f = parse_filter(filter, &mut ctx)?;
        let plan = planner::plan(c, &f, &SortSpec::default());
        let mut stats = Stats::default();
        Ok(planner::run(c, &f, &plan, None, false, &mut stats, &self.budget)?.len() as u64)
    }

    /// `distinct`: values at the path in matching documents, arrays unwound, each value once,
    /// in BSON order.
    pub fn distinct(&self, coll: &str, key: &str, filter: &Document) -> Result<Vec<Bson>> {
        self.distinct_collated(coll, key, filter, None)
    }

    /// `distinct` with its `collation` option: values equal under the collation count once
    /// (the first one met stands for them), in collation order.
    pub fn distinct_collated(
        &self,
        coll: &str,
        key: &str,
        filter: &Document,
        collation: Option<&Document>,
    ) -> Result<Vec<Bson>> {
        if key.is_empty() || key.starts_with('$') {
            return Err(MongoError::bad_value(format!(
                "distinct key '{key}' is not a valid field name"
            )));
        }
        let docs = self.find(
            coll,
            &FindOptions {
                filter: filter.clone(),
                collation: collation.cloned(),
                ..Default::default()
            },
        )?;
        let collation = op_collation(self.collections.get(coll), collation)?;
        let collation = collation.as_deref();
        let parts = crate::path::split(key);
        let mut values: Vec<Bson> = Vec::new();
        for doc in &docs {
            self.budget.step()?;
            crate::path::any_leaf(doc, &parts, &mut |leaf, _| {
                match leaf {
                    Some(Bson::Array(items)) => values.extend(items.iter().cloned()),
                    Some(v) => values.push(v.clone()),
                    None => {}
                }
                false
            });
        }
        let mut keyed: Vec<(Bson, Bson)> = values
            .into_iter()
            .map(|v| (crate::collation::collated(collation, &v).into_owned(), v))
            .collect();
        // Stable, so equal values keep the first one met in front.
        keyed.sort_by(|a, b| compare(&a.0, &b.0));
        keyed.dedup_by(|a, b| values_equal(&a.0, &b.0));
        Ok(keyed.into_iter().map(|(_, v)| v).collect())
    }

    /// `updateOne` / `updateMany` (operators or pipeline) and `replaceOne` (replacement).
    pub fn update(
        &mut self,
        coll: &str,
        filter: &Document,
        update: &Bson,
        opts: &UpdateOptions,
        replace: bool,
    ) -> Result<UpdateResult> {
        let now = self.now_millis;
        let budget = self.budget.clone();
        let c = self.collection_mut(coll)?;
        let mut ctx = c
            .parse_ctx()
            .with_collation(op_collation(Some(c), opts.collation.as_ref())?);
        let f = parse_filter(filter, &mut ctx)?;
        let parsed = Update::parse(update, &opts.array_filters, replace)?;
        let plan = planner::plan(c, &f, &SortSpec::default());
        let mut stats = Stats::default();
        let rows = planner::run(
            c,
            &f,
            &plan,
            if opts.multi { None } else { Some(1) },
            true,
            &mut stats,
            &budget,
        )?;
        // Compute every new document first: nothing changes unless all succeed.
        let mut changes = Vec::with_capacity(rows.len());
        for (id, details) in &rows {
            budget.step()?;
            let Some(old) = c.get(*id) else { continue };
            let new = parsed.apply(old, details, false, now)?;
            if &new != old {
                changes.push((*id, old.clone(), new));
            }
        }
        // Every new document passes the validator before any is written.
        let mut warnings = Vec::new();
        for (_, old, new) in &changes {
            warnings.extend(check_write(c, new, Some(old), opts.bypass_validation, now)?);
        }
        let mut done: Vec<(u64, Document)> = Vec::new();
        for (id, old, new) in &changes {
            if let Err(e) = c.replace(*id, new.clone()) {
                for (rid, rold) in done.into_iter().rev() {
                    let _ = c.replace(rid, rold);
                }
                return Err(e);
            }
            done.push((*id, old.clone()));
        }
        let mut result = UpdateResult {
            matched: rows.len() as u64,
            modified: changes.len() as u64,
            upserted_id: None,
        };
        if rows.is_empty() && opts.upsert {
            let seed = Update::upsert_seed(&f)?;
            let mut doc = parsed.apply(&seed, &MatchDetails::default(), true, now)?;
            // The _id the filter gives is as immutable as a stored one.
            if let (Some(id), Some(new_id)) = (seed.get("_id"), doc.get("_id")) {
                if id != new_id {
                    return Err(MongoError::immutable_field(
                        "Performing an update on the path '_id' would modify the immutable field '_id'",
                    ));
                }
            }
            if parsed.is_replacement() {
                if let (Some(id), false) = (seed.get("_id"), doc.contains_key("_id")) {
                    let mut with_id = Document::new();
                    with_id.insert("_id", id.clone());
                    for (k, v) in doc {
                        with_id.insert(k, v);
                    }
                    doc = with_id;
                }
            }
            self.log.extend(warnings);
            let id = self.insert_one_with(coll, doc, opts.bypass_validation)?;
            result.upserted_id = Some(id);
            return Ok(result);
        }
        self.log.extend(warnings);
        Ok(result)
    }

    /// `findOneAndUpdate` (and, with `replace`, `findOneAndReplace`): the document before or
    /// after the update.
    #[allow(clippy::too_many_arguments)]
    pub fn find_one_and_update(
        &mut self,
        coll: &str,
        filter: &Document,
        update: &Bson,
        sort: Option<&Document>,
        projection: Option<&Document>,
        opts: &UpdateOptions,
        return_after: bool,
        replace: bool,
    ) -> Result<Option<Document>> {
        let found = self.find_run(
            coll,
            &FindOptions {
                filter: filter.clone(),
                sort: sort.cloned(),
                limit: 1,
                collation: opts.collation.clone(),
                ..Default::default()
            },
            true,
        )?;
        let target = found.docs.into_iter().next().map(Cow::into_owned);
        let id_filter = match &target {
            Some(d) => {
                let mut f = Document::new();
                f.insert("_id", d.get("_id").cloned().unwrap_or(Bson::Null));
                // Keep the original conditions so the positional `$` still sees its match.
                let mut and = Document::new();
                and.insert(
                    "$and",
                    vec![Bson::Document(f), Bson::Document(filter.clone())],
                );
                and
            }
            None => filter.clone(),
        };
        let result = self.update(
            coll,
            &id_filter,
            update,
            &UpdateOptions {
                multi: false,
                ..opts.clone()
            },
            replace,
        )?;
        let shown = if return_after {
            let id = match (&target, &result.upserted_id) {
                (Some(d), _) => d.get("_id").cloned(),
                (None, Some(id)) => Some(id.clone()),
                (None, None) => None,
            };
            match id {
                Some(id) => self.find_one(
                    coll,
                    &FindOptions {
                        filter: bson::doc! {"_id": id},
                        ..Default::default()
                    },
                )?,
                None => None,
            }
        } else {
            target
        };
        match (shown, projection) {
            (Some(d), Some(p)) if !p.is_empty() => {
                let ctx = crate::query::ParseCtx::new(None);
                Ok(Some(
                    Projection::parse(p, Kind::Find, &ctx)?.apply(&d, &MatchDetails::default())?,
                ))
            }
            (shown, _) => Ok(shown),
        }
    }

    /// `deleteOne` / `deleteMany`: the number deleted.
    pub fn delete(&mut self, coll: &str, filter: &Document, many: bool) -> Result<u64> {
        self.delete_collated(coll, filter, many, None)
    }

    /// `deleteOne` / `deleteMany` with their `collation` option.
    pub fn delete_collated(
        &mut self,
        coll: &str,
        filter: &Document,
        many: bool,
        collation: Option<&Document>,
    ) -> Result<u64> {
        let budget = self.budget.clone();
        self.settle_cursors(coll);
        let Some(c) = self.collections.get_mut(coll) else {
            op_collation(None, collation)?;
            return Ok(0);
        };
        let mut ctx = c
            .parse_ctx()
            .with_collation(op_collation(Some(c), collation)?);
        let f = parse_filter(filter, &mut ctx)?;
        let plan = planner::plan(c, &f, &SortSpec::default());
        let mut stats = Stats::default();
        let rows = planner::run(
            c,
            &f,
            &plan,
            if many { None } else { Some(1) },
            false,
            &mut stats,
            &budget,
        )?;
        for (id, _) in &rows {
            c.remove(*id);
        }
        Ok(rows.len() as u64)
    }

    /// `findOneAndDelete`.
    pub fn find_one_and_delete(
        &mut self,
        coll: &str,
        filter: &Document,
        sort: Option<&Document>,
    ) -> Result<Option<Document>> {
        self.find_one_and_delete_collated(coll, filter, sort, None)
    }

    /// `findOneAndDelete` with its `collation` option.
    pub fn find_one_and_delete_collated(
        &mut self,
        coll: &str,
        filter: &Document,
        sort: Option<&Document>,
        collation: Option<&Document>,
    ) -> Result<Option<Document>> {
        let found = self.find_one(
            coll,
            &FindOptions {
                filter: filter.clone(),
                sort: sort.cloned(),
                collation: collation.cloned(),
                ..Default::default()
            },
        )?;
        if let Some(d) = &found {
            self.delete(
                coll,
                &bson::doc! {"_id": d.get("_id").cloned().unwrap_or(Bson::Null)},
                false,
            )?;
        }
        Ok(found)
    }

    fn agg_parts(
        &self,
        coll: &str,
        pipeline: &[Document],
        collation: Option<&Document>,
    ) -> Result<Pipeline> {
        let c = self.collections.get(coll);
        let ctx_spec = c.and_then(Collection::text_spec);
        let mut ctx =
            crate::query::ParseCtx::new(ctx_spec).with_collation(op_collation(c, collation)?);
        Pipeline::parse(pipeline, &mut ctx)
    }

    /// `aggregate`.
    pub fn aggregate(&self, coll: &str, pipeline: &[Document]) -> Result<Vec<Document>> {
        Ok(self
            .aggregate_borrowed(coll, pipeline)?
            .into_iter()
            .map(Cow::into_owned)
            .collect())
    }

    /// `aggregate`, with the documents no stage changed borrowed from the collection.
    pub fn aggregate_borrowed(
        &self,
        coll: &str,
        pipeline: &[Document],
    ) -> Result<Vec<Cow<'_, Document>>> {
        self.aggregate_collated(coll, pipeline, None)
    }

    /// `aggregate` with its `collation` option: every `$match`, `$sort` and `$group` of the
    /// pipeline compares strings under it.
    pub fn aggregate_collated(
        &self,
        coll: &str,
        pipeline: &[Document],
        collation: Option<&Document>,
    ) -> Result<Vec<Cow<'_, Document>>> {
        let mut p = self.agg_parts(coll, pipeline, collation)?;
        let mut text_query = None;
        let c = self.collections.get(coll);
        // The records the pipeline reads, in scan order (a row is the record id less one). A
        // leading $match runs through the planner, so it can use an index.
        let rows: Vec<usize> = match p.stages.first() {
            Some(crate::aggregate::Stage::Match(filter)) => {
                let filter = filter.clone();
                text_query = filter.text_query().cloned();
                p.stages.remove(0);
                match c {
                    Some(c) => {
                        let plan = planner::plan(c, &filter, &SortSpec::default());
                        let mut stats = Stats::default();
                        planner::run(c, &filter, &plan, None, false, &mut stats, &self.budget)?
                            .into_iter()
                            .map(|(id, _)| Collection::row_of_id(id))
                            .collect()
                    }
                    None => Vec::new(),
                }
            }
            _ => c
                .map(|c| c.iter().map(|(id, _)| Collection::row_of_id(id)).collect())
                .unwrap_or_default(),
        };
        let lookup = |name: &str| self.collections.get(name);
        let ctx = AggCtx {
            now_millis: self.now_millis,
            collection: &lookup,
            text_index: None,
            text_query,
            budget: &self.budget,
        };
        let Some(c) = c else {
            return p.run(Vec::new(), &ctx);
        };
        // A $group first reads the records' fields from the collection's columns.
        if let (Some((group, rest)), None) = (
            p.stages
                .first()
                .and_then(crate::aggregate::Stage::leading_group),
            &ctx.text_query,
        ) {
            let docs = crate::aggregate::stages::group_rows(group, c, &rows, &ctx)?;
            let docs = Pipeline::run_stages(rest, docs, &ctx)?;
            return Pipeline::run_stages(p.stages.get(1..).unwrap_or(&[]), docs, &ctx);
        }
        // So does an `$unwind` then `$group` first, from columns over the array elements.
        if let (Some(crate::aggregate::Stage::Unwind(u)), Some((group, rest)), None) = (
            p.stages.first(),
            p.stages
                .get(1)
                .and_then(crate::aggregate::Stage::leading_group),
            &ctx.text_query,
        ) {
            if u.include_index.is_none() {
                let docs = crate::aggregate::stages::unwind_group_rows(u, group, c, &rows, &ctx)?;
                let docs = Pipeline::run_stages(rest, docs, &ctx)?;
                return Pipeline::run_stages(p.stages.get(2..).unwrap_or(&[]), docs, &ctx);
            }
        }
        let input = rows
            .iter()
            .filter_map(|row| c.row(*row).map(Cow::Borrowed))
            .collect();
        p.run(input, &ctx)
    }

    /// `createIndex(key, options)`: the index name.
    pub fn create_index(
        &mut self,
        coll: &str,
        key: &Document,
        options: &Document,
    ) -> Result<String> {
        let spec = IndexSpec::parse(key, options)?;
        self.collection_mut(coll)?.create_index(spec)
    }

    /// `dropIndex` by name (or `*` for all but `_id_`).
    pub fn drop_index(&mut self, coll: &str, name: &str) -> Result<usize> {
        self.settle_cursors(coll);
        let c = self.collections.get_mut(coll).ok_or_else(|| {
            MongoError::namespace_not_found(format!("ns not found {}.{coll}", self.name))
        })?;
        let before = c.indexes.len();
        c.drop_index(name)?;
        Ok(before)
    }

    /// `listIndexes`.
    pub fn list_indexes(&self, coll: &str) -> Result<Vec<Document>> {
        let c = self.collections.get(coll).ok_or_else(|| {
            MongoError::namespace_not_found(format!("ns does not exist: {}.{coll}", self.name))
        })?;
        Ok(c.indexes.iter().map(|i| i.spec.describe()).collect())
    }

    /// `listCollections`: the names, sorted.
    pub fn list_collections(&self) -> Vec<String> {
        self.collections.keys().cloned().collect()
    }

    /// `listCollections` as the server answers it: each collection's name, type, the options
    /// it was created or modified with, and its `_id` index.
    pub fn collection_infos(&self) -> Vec<Document> {
        self.collections
            .values()
            .map(|c| {
                let id_index = c
                    .indexes
                    .first()
                    .map(|i| i.spec.describe())
                    .unwrap_or_default();
                bson::doc! {
                    "name": c.name.clone(),
                    "type": "collection",
                    "options": c.options.clone(),
                    "info": {"readOnly": false},
                    "idIndex": id_index,
                }
            })
            .collect()
    }

    /// `drop`: whether the collection existed.
    pub fn drop_collection(&mut self, coll: &str) -> bool {
        self.settle_cursors(coll);
        self.collections.remove(coll).is_some()
    }

    /// `explain` of a find.
    pub fn explain_find(
        &self,
        coll: &str,
        opts: &FindOptions,
        verbosity: Verbosity,
    ) -> Result<Document> {
        let run = self.find_run(coll, opts, verbosity != Verbosity::QueryPlanner)?;
        let c = self.collections.get(coll);
        Ok(self.explain_doc(coll, c, &run, opts, verbosity, false))
    }

    /// `explain` of a count.
    pub fn explain_count(
        &self,
        coll: &str,
        filter: &Document,
        verbosity: Verbosity,
    ) -> Result<Document> {
        self.explain_count_collated(coll, filter, verbosity, None)
    }

    /// `explain` of a count with its `collation` option.
    pub fn explain_count_collated(
        &self,
        coll: &str,
        filter: &Document,
        verbosity: Verbosity,
        collation: Option<&Document>,
    ) -> Result<Document> {
        let opts = FindOptions {
            filter: filter.clone(),
            collation: collation.cloned(),
            ..Default::default()
        };
        let run = self.find_run(coll, &opts, verbosity != Verbosity::QueryPlanner)?;
        let c = self.collections.get(coll);
        Ok(self.explain_doc(coll, c, &run, &opts, verbosity, true))
    }

    /// `explain` of an aggregation: the plan of its leading `$match`, then the other stages.
    pub fn explain_aggregate(
        &self,
        coll: &str,
        pipeline: &[Document],
        verbosity: Verbosity,
    ) -> Result<Document> {
        self.explain_aggregate_collated(coll, pipeline, verbosity, None)
    }

    /// `explain` of an aggregation with its `collation` option.
    pub fn explain_aggregate_collated(
        &self,
        coll: &str,
        pipeline: &[Document],
        verbosity: Verbosity,
        collation: Option<&Document>,
    ) -> Result<Document> {
        self.agg_parts(coll, pipeline, collation)?;
        let (filter, rest) = match pipeline.first().and_then(|s| s.get("$match")) {
            Some(Bson::Document(f)) => (f.clone(), pipeline.get(1..).unwrap_or(&[])),
            _ => (Document::new(), pipeline),
        };
        let opts = FindOptions {
            filter,
            collation: collation.cloned(),
            ..Default::default()
        };
        let run = self.find_run(coll, &opts, verbosity != Verbosity::QueryPlanner)?;
        let c = self.collections.get(coll);
        let cursor = self.explain_doc(coll, c, &run, &opts, verbosity, false);
        let mut first = Document::new();
        let mut inner = Document::new();
        for (k, v) in cursor {
            if k == "queryPlanner" || k == "executionStats" {
                inner.insert(k, v);
            }
        }
        first.insert("$cursor", inner);
        let mut stages = vec![Bson::Document(first)];
        stages.extend(rest.iter().map(|s| Bson::Document(s.clone())));
        Ok(bson::doc! {"explainVersion": "1", "stages": stages, "ok": 1.0})
    }

    fn explain_doc(
        &self,
        coll: &str,
        c: Option<&Collection>,
        run: &FindRun,
        opts: &FindOptions,
        verbosity: Verbosity,
        count: bool,
    ) -> Document {
        let with_stats = verbosity != Verbosity::QueryPlanner;
        let stats = &run.stats;
        let parsed = planner::filter_doc(&run.filter);
        let filter_nonempty = !matches!(run.filter, Filter::True);
        let mut stage = match (&run.plan.access, c) {
            (
                Access::IxScan {
                    index,
                    bounds,
                    backward,
                },
                Some(c),
            ) => {
                let ixscan = ixscan_doc(
                    c,
                    *index,
                    bounds,
                    *backward,
                    with_stats.then_some(stats.keys_examined),
                );
                let mut fetch = Document::new();
                fetch.insert("stage", "FETCH");
                let rest = planner::residual(&run.filter, c, &run.plan);
                if !matches!(rest, Filter::True) {
                    fetch.insert("filter", planner::filter_doc(&rest));
                }
                if with_stats {
                    fetch.insert("docsExamined", stats.docs_examined as i64);
                }
                fetch.insert("inputStage", ixscan);
                fetch
            }
            (Access::Or { branches }, Some(c)) => {
                let scans: Vec<Bson> = branches
                    .iter()
                    .enumerate()
                    .map(|(i, (index, bounds))| {
                        let keys = stats.branch_keys.get(i).copied().unwrap_or(0);
                        Bson::Document(ixscan_doc(
                            c,
                            *index,
                            bounds,
                            false,
                            with_stats.then_some(keys),
                        ))
                    })
                    .collect();
                let mut fetch = Document::new();
                fetch.insert("stage", "FETCH");
                // The fetched documents are checked against the whole filter unless every
                // clause's bounds are exact.
                let exact = match &run.filter {
                    Filter::Or(clauses) => {
                        clauses.len() == branches.len()
                            && clauses
                                .iter()
                                .zip(branches)
                                .all(|(clause, (index, bounds))| {
                                    let branch = Plan {
                                        access: Access::IxScan {
                                            index: *index,
                                            bounds: bounds.clone(),
                                            backward: false,
                                        },
                                        sorted: false,
                                    };
                                    matches!(planner::residual(clause, c, &branch), Filter::True)
                                })
                    }
                    _ => false,
                };
                if !exact {
                    fetch.insert("filter", parsed.clone());
                }
                if with_stats {
                    fetch.insert("docsExamined", stats.docs_examined as i64);
                }
                fetch.insert(
                    "inputStage",
                    bson::doc! {"stage": "OR", "inputStages": scans},
                );
                fetch
            }
            (Access::Text { index }, Some(c)) => {
                let name = c
                    .indexes
                    .get(*index)
                    .map(|i| i.spec.name.clone())
                    .unwrap_or_default();
                let mut ixscan = bson::doc! {"stage": "IXSCAN", "keyPattern": {"_fts": "text", "_ftsx": 1}, "indexName": name.clone(), "isMultiKey": true, "direction": "backward"};
                if with_stats {
                    ixscan.insert("keysExamined", stats.keys_examined as i64);
                }
                let text_or = bson::doc! {"stage": "TEXT_OR", "inputStage": ixscan};
                let mut fetch = bson::doc! {"stage": "FETCH", "inputStage": text_or};
                if with_stats {
                    fetch.insert("docsExamined", stats.docs_examined as i64);
                }
                let q = run.filter.text_query();
                bson::doc! {
                    "stage": "TEXT_MATCH",
                    "indexPrefix": {},
                    "indexName": name,
                    "parsedTextQuery": {
                        "terms": q.map(|q| q.terms.clone()).unwrap_or_default(),
                        "negatedTerms": q.map(|q| q.negated.clone()).unwrap_or_default(),
                        "phrases": q.map(|q| q.phrases.clone()).unwrap_or_default(),
                        "negatedPhrases": q.map(|q| q.negated_phrases.clone()).unwrap_or_default(),
                    },
                    "textIndexVersion": 3,
                    "inputStage": fetch,
                }
            }
            _ => {
                let mut scan = Document::new();
                if c.is_none() {
                    scan.insert("stage", "EOF");
                } else {
                    scan.insert("stage", "COLLSCAN");
                    if filter_nonempty {
                        scan.insert("filter", parsed.clone());
                    }
                    scan.insert("direction", "forward");
                    if with_stats {
                        scan.insert("docsExamined", stats.docs_examined as i64);
                    }
                }
                scan
            }
        };
        let limit = opts.limit.unsigned_abs();
        if count {
            stage = bson::doc! {"stage": "COUNT", "inputStage": stage};
        } else {
            if !run.plan.sorted && !run.sort.is_empty() {
                let mut sort = Document::new();
                sort.insert("stage", "SORT");
                sort.insert("sortPattern", opts.sort.clone().unwrap_or_default());
                sort.insert("memLimit", 104_857_600_i32);
                if limit > 0 {
                    sort.insert("limitAmount", limit.saturating_add(opts.skip) as i64);
                }
                sort.insert("type", "simple");
                sort.insert("inputStage", stage);
                stage = sort;
            } else if limit > 0 {
                stage = bson::doc! {"stage": "LIMIT", "limitAmount": limit.saturating_add(opts.skip) as i64, "inputStage": stage};
            }
            if opts.skip > 0 {
                stage = bson::doc! {"stage": "SKIP", "skipAmount": opts.skip as i64, "inputStage": stage};
            }
            if let Some(p) = opts.projection.as_ref().filter(|p| !p.is_empty()) {
                stage = bson::doc! {"stage": "PROJECTION_DEFAULT", "transformBy": p.clone(), "inputStage": stage};
            }
        }
        if matches!(run.plan.access, Access::Or { .. }) && c.is_some() {
            // A rooted `$or` is planned clause by clause, which explain shows as SUBPLAN.
            stage = if count {
                let mut inner = stage;
                match inner.remove("inputStage") {
                    Some(below) => {
                        inner.insert(
                            "inputStage",
                            bson::doc! {"stage": "SUBPLAN", "inputStage": below},
                        );
                        inner
                    }
                    None => inner,
                }
            } else {
                bson::doc! {"stage": "SUBPLAN", "inputStage": stage}
            };
        }
        if with_stats {
            stage.insert("nReturned", if count { 0 } else { stats.n_returned as i64 });
        }
        let strip = |mut d: Document| -> Document {
            fn go(d: &mut Document) {
                for k in ["keysExamined", "docsExamined", "nReturned"] {
                    d.remove(k);
                }
                if let Some(Bson::Document(inner)) = d.get_mut("inputStage") {
                    go(inner);
                }
                if let Some(Bson::Array(inputs)) = d.get_mut("inputStages") {
                    for input in inputs {
                        if let Bson::Document(inner) = input {
                            go(inner);
                        }
                    }
                }
            }
            go(&mut d);
            d
        };
        let mut query_planner = Document::new();
        query_planner.insert("namespace", format!("{}.{coll}", self.name));
        query_planner.insert("parsedQuery", parsed);
        query_planner.insert("indexFilterSet", false);
        query_planner.insert("winningPlan", strip(stage.clone()));
        query_planner.insert("rejectedPlans", Vec::<Bson>::new());
        let mut out = Document::new();
        out.insert("explainVersion", "1");
        out.insert("queryPlanner", query_planner);
        if with_stats {
            let mut es = Document::new();
            es.insert("executionSuccess", true);
            es.insert("nReturned", if count { 0 } else { stats.n_returned as i64 });
            es.insert("executionTimeMillis", 0);
            es.insert("totalKeysExamined", stats.keys_examined as i64);
            es.insert("totalDocsExamined", stats.docs_examined as i64);
            es.insert("executionStages", stage);
            out.insert("executionStats", es);
        }
        out.insert("ok", 1.0);
        out
    }
}

/// Checks a write of `new` (over `old`, for an update) against the collection's validator:
/// refused with `DocumentValidationFailure` under `validationAction: "error"`, let through with
/// the server log's warning line (returned) under `"warn"`.
fn check_write(
    c: &Collection,
    new: &Document,
    old: Option<&Document>,
    bypass: bool,
    now: i64,
) -> Result<Option<String>> {
    if bypass || !c.validation.applies(old) {
        return Ok(None);
    }
    let Some(info) = c.validation.failure(new) else {
        return Ok(None);
    };
    match c.validation.action {
        crate::validation::Action::Error => Err(MongoError::document_validation(info)),
        crate::validation::Action::Warn => {
            let line = bson::doc! {
                "t": Bson::DateTime(bson::DateTime::from_millis(now)),
                "s": "W",
                "c": "STORAGE",
                "id": 20294,
                "ctx": "conn",
                "msg": "Document would fail validation",
                "attr": {"namespace": c.ns(), "document": new.clone(), "errInfo": info},
            };
            let mut text = String::new();
            crate::extjson::write_doc(&line, &mut text);
            Ok(Some(text))
        }
    }
}

/// Sets one validation option of a collection (`create` or `collMod`), keeping what was set
/// among the options `listCollections` shows.
fn set_validation(c: &mut Collection, command: &str, k: &str, v: &Bson) -> Result<()> {
    match k {
        "validator" => {
            let Bson::Document(spec) = v else {
                return Err(MongoError::type_mismatch(format!(
                    "BSON field '{command}.validator' is the wrong type '{}', expected type 'object'",
                    crate::value::type_name(v)
                )));
            };
            let filter = crate::validation::parse_validator(spec)?;
            c.validation.validator = if spec.is_empty() {
                None
            } else {
                Some((spec.clone(), filter))
            };
        }
        "validationLevel" => c.validation.level = crate::validation::Level::parse(command, v)?,
        _ => c.validation.action = crate::validation::Action::parse(command, v)?,
    }
    c.options.insert(k, v.clone());
    Ok(())
}

/// The earliest date (milliseconds) a path reaches in a document, array elements included.
fn earliest_date(doc: &Document, parts: &[String]) -> Option<i64> {
    let mut earliest: Option<i64> = None;
    let mut consider = |v: &Bson| {
        if let Bson::DateTime(d) = v {
            let ms = d.timestamp_millis();
            earliest = Some(earliest.map_or(ms, |e| e.min(ms)));
        }
    };
    crate::path::any_leaf(doc, parts, &mut |leaf, _| {
        match leaf {
            Some(Bson::Array(items)) => items.iter().for_each(&mut consider),
            Some(v) => consider(v),
            None => {}
        }
        false
    });
    earliest
}

/// The collation an operation compares strings with: its own `collation` option, else the
/// collection's default (manual: "Collation", Operations that Support Collation).
pub(crate) fn op_collation(
    c: Option<&Collection>,
    requested: Option<&Document>,
) -> Result<Option<Rc<Collation>>> {
    match requested {
        Some(spec) => Ok(Collation::parse(spec)?.map(Rc::new)),
        None => Ok(c.and_then(|c| c.default_collation.clone())),
    }
}

fn check_collection_name(name: &str) -> Result<()> {
    if name.is_empty() || name.contains('$') || name.contains('\0') || name.starts_with("system.") {
        return Err(MongoError::new(
            73,
            "InvalidNamespace",
            format!("Invalid collection name: '{name}'"),
        ));
    }
    Ok(())
}

/// The documents of a find run as a JSON array: stored documents reuse their cached text.
fn run_text(run: &FindRun) -> String {
    let mut text = String::new();
    match &run.stored {
        Some((c, ids)) => {
            let parts: Vec<&str> = ids.iter().map(|id| c.json(*id).unwrap_or("null")).collect();
            text.reserve(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 2);
            text.push('[');
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                text.push_str(part);
            }
            text.push(']');
        }
        None => crate::extjson::write_docs(&run.docs, &mut text),
    }
    text
}

/// An `IXSCAN` stage of explain; `keys` is its `keysExamined` when execution stats are shown.
fn ixscan_doc(
    c: &Collection,
    index: usize,
    bounds: &[Vec<planner::Interval>],
    backward: bool,
    keys: Option<u64>,
) -> Document {
    let mut ixscan = Document::new();
    ixscan.insert("stage", "IXSCAN");
    if let Some(ix) = c.indexes.get(index) {
        ixscan.insert("keyPattern", ix.spec.key.clone());
        ixscan.insert("indexName", ix.spec.name.clone());
        ixscan.insert("isMultiKey", ix.multikey);
        ixscan.insert("isUnique", ix.spec.unique);
        ixscan.insert("isSparse", ix.spec.sparse);
        ixscan.insert("isPartial", ix.spec.partial.is_some());
        if let Some(c) = &ix.spec.collation {
            ixscan.insert("collation", c.spec());
        }
        ixscan.insert("indexVersion", 2);
        ixscan.insert("direction", if backward { "backward" } else { "forward" });
        ixscan.insert("indexBounds", planner::bounds_doc(ix, bounds, backward));
    }
    if let Some(keys) = keys {
        ixscan.insert("keysExamined", keys as i64);
    }
    ixscan
}
