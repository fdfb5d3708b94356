//! The mongo shell's objects over the MongoDB simulator: `db`, collections, find and
//! aggregation cursors, `explain()`, and the shell commands (`show collections`). The Node
//! driver's `client.db(...).collection(...)` (package `mongodb`) reuses them with the driver's
//! result shapes and error names ([`Flavor::Driver`]).
//!
//! Every operation goes through the simulator's typed API on BSON documents. Options are
//! checked: one MongoDB has but the simulator does not implement (a hint, a write concern) is
//! a `NotSupportedError` naming it, never dropped; one MongoDB does not know is the server's
//! unknown-field error. Collations (on reads, writes, aggregations, counts, distinct and
//! indexes), TTL indexes (`expireAfterSeconds`), validators (`db.createCollection(name,
//! { validator, validationLevel, validationAction, collation })`, `db.runCommand({ collMod
//! })`) and `bypassDocumentValidation` are the simulator's own.

use std::any::Any;
use std::rc::Rc;

use bson::{Bson, Document};
use schemaplay_mongo::{FindOptions, Limits, MongoError, UpdateOptions, Verbosity};

use crate::host::{Cx, HostObject, Result, Thrown};
use crate::value::{self, Value};
use crate::Answer;

/// Whose objects these are: the shell's (`db.users...`) or the Node driver's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Shell,
    Driver,
}

/// A server error as the shell (`MongoServerError[DuplicateKey]: ...`) or the driver
/// (`MongoServerError: ...`) shows it.
pub fn server_error(e: MongoError, flavor: Flavor) -> Thrown {
    let name = match flavor {
        Flavor::Shell => format!("MongoServerError[{}]", e.code_name),
        Flavor::Driver => "MongoServerError".to_string(),
    };
    Thrown::new(&name, e.message)
}

/// The shell's global `db`.
pub fn shell_db() -> Value {
    Value::host(Db {
        flavor: Flavor::Shell,
    })
}

/// The driver's `client.db()`.
pub fn driver_db() -> Value {
    Value::host(Db {
        flavor: Flavor::Driver,
    })
}

/// A collection object of the given flavor.
pub fn collection(name: &str, flavor: Flavor) -> Value {
    Value::host(Collection {
        name: name.to_string(),
        flavor,
    })
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

fn describe_type(v: &Value) -> String {
    match v {
        Value::Array(_) => "array".into(),
        Value::Null => "null".into(),
        v => v.type_of().into(),
    }
}

/// An object argument as a document; `None` when it is absent.
pub fn doc_arg(args: &[Value], i: usize, method: &str) -> Result<Option<Document>> {
    let v = arg(args, i);
    if matches!(v, Value::Undefined) {
        return Ok(None);
    }
    let is_object = match &v {
        Value::Object(_) => true,
        Value::Host(h) => h.data().is_some_and(|d| matches!(d, Value::Object(_))),
        _ => false,
    };
    if !is_object {
        return Err(Thrown::type_error(format!(
            "Argument at position {i} of {method} must be of type object, got {} instead",
            describe_type(&v)
        )));
    }
    value::to_document(&v)
}

fn required_doc(args: &[Value], i: usize, method: &str) -> Result<Document> {
    doc_arg(args, i, method)?.ok_or_else(|| {
        Thrown::type_error(format!(
            "Missing required argument at position {i} of {method}"
        ))
    })
}

/// An array of documents (`insertMany`, a pipeline).
pub fn docs_arg(args: &[Value], i: usize, method: &str) -> Result<Vec<Document>> {
    match arg(args, i) {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(j, v)| {
                doc_arg(std::slice::from_ref(v), 0, method)?.ok_or_else(|| {
                    Thrown::type_error(format!(
                        "Element {j} of the argument at position {i} of {method} must be an object"
                    ))
                })
            })
            .collect(),
        v => Err(Thrown::type_error(format!(
            "Argument at position {i} of {method} must be of type array, got {} instead",
            describe_type(&v)
        ))),
    }
}

/// Options MongoDB knows that the simulator does not implement, by method family.
const UNSUPPORTED: &[&str] = &[
    "hint",
    "maxTimeMS",
    "comment",
    "let",
    "readConcern",
    "readPreference",
    "writeConcern",
    "batchSize",
    "session",
    "min",
    "max",
    "returnKey",
    "showRecordId",
    "tailable",
    "awaitData",
    "noCursorTimeout",
    "hidden",
    "language_override",
    "wildcardProjection",
    "storageEngine",
    "2dsphereIndexVersion",
    "bits",
    "commitQuorum",
    "capped",
    "size",
    "timeseries",
    "clusteredIndex",
    "changeStreamPreAndPostImages",
];

/// Reads an options object, refusing what the simulator cannot honour.
pub fn options(
    args: &[Value],
    i: usize,
    method: &str,
    command: &str,
    known: &[&str],
) -> Result<Document> {
    let Some(opts) = doc_arg(args, i, method)? else {
        return Ok(Document::new());
    };
    for k in opts.keys() {
        if known.contains(&k.as_str()) {
            continue;
        }
        if UNSUPPORTED.contains(&k.as_str()) {
            return Err(Thrown::unsupported(format!(
                "the playground's MongoDB simulator does not implement the '{k}' option of {method}"
            )));
        }
        return Err(Thrown::new(
            "MongoServerError[Location40415]",
            format!("BSON field '{command}.{k}' is an unknown field."),
        ));
    }
    Ok(opts)
}

/// The `collation` option, when given.
pub fn collation(opts: &Document) -> Option<Document> {
    opts.get_document("collation").ok().cloned()
}

fn int_option(v: Option<&Bson>, what: &str) -> Result<i64> {
    match v {
        None | Some(Bson::Null) => Ok(0),
        Some(Bson::Int32(i)) => Ok(i64::from(*i)),
        Some(Bson::Int64(i)) => Ok(*i),
        Some(Bson::Double(f)) if f.fract() == 0.0 && f.is_finite() => Ok(*f as i64),
        Some(other) => Err(Thrown::type_error(format!(
            "{what} must be a whole number, got {other}"
        ))),
    }
}

fn number_arg(args: &[Value], i: usize, method: &str) -> Result<i64> {
    match arg(args, i) {
        Value::Undefined => Ok(0),
        v => match v.as_number() {
            Some(n) if n.is_finite() => Ok(n.trunc() as i64),
            _ => Err(Thrown::type_error(format!(
                "Argument at position {i} of {method} must be of type number, got {} instead",
                describe_type(&v)
            ))),
        },
    }
}

fn bool_option(opts: &Document, k: &str) -> bool {
    match opts.get(k) {
        Some(Bson::Boolean(b)) => *b,
        Some(Bson::Int32(i)) => *i != 0,
        Some(Bson::Int64(i)) => *i != 0,
        Some(Bson::Double(f)) => *f != 0.0,
        _ => false,
    }
}

/// The kind of answer an operation gives: its plan when it is explained.
pub(crate) fn answer(explain: Option<Verbosity>) -> Answer {
    match explain {
        Some(_) => Answer::MongoPlan,
        None => Answer::Mongo,
    }
}

/// `explain(verbosity)`: the shell's default is `queryPlanner`.
pub fn verbosity(v: &Value) -> Result<Verbosity> {
    match v {
        Value::Undefined | Value::Bool(false) => Ok(Verbosity::QueryPlanner),
        Value::Bool(true) => Ok(Verbosity::ExecutionStats),
        Value::String(s) => match s.as_ref() {
            "queryPlanner" => Ok(Verbosity::QueryPlanner),
            "executionStats" | "allPlansExecution" => Ok(Verbosity::ExecutionStats),
            other => Err(Thrown::new(
                "MongoServerError[BadValue]",
                format!("verbosity string must be one of {{'queryPlanner', 'executionStats', 'allPlansExecution'}}, not '{other}'"),
            )),
        },
        other => Err(Thrown::type_error(format!(
            "explain verbosity must be a string or a boolean, got {}",
            describe_type(other)
        ))),
    }
}

fn docs_value(docs: Vec<Document>) -> Value {
    Value::Array(Rc::new(docs.iter().map(value::from_document).collect()))
}

fn obj(props: Vec<(&str, Value)>) -> Value {
    Value::object(props.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn num(n: u64) -> Value {
    Value::Number(n as f64)
}

/// The mongo shell's commands: `show collections`, `show dbs`, `use <db>`.
pub fn shell(command: &str, arg: Option<&str>, cx: &mut Cx) -> Result<Value> {
    let db = cx.host.mongo.name().to_string();
    match (command, arg) {
        ("show", Some("collections" | "tables")) => Ok(Value::Array(Rc::new(
            cx.host.mongo.list_collections().into_iter().map(Value::str).collect(),
        ))),
        ("show", Some("dbs" | "databases")) => Ok(Value::Array(Rc::new(vec![obj(vec![
            ("name", Value::str(db)),
            ("collections", num(cx.host.mongo.list_collections().len() as u64)),
        ])]))),
        ("use", Some(name)) if name == db => Ok(Value::str(format!("already on db {db}"))),
        ("use", Some(name)) => Err(Thrown::unsupported(format!(
            "the playground has one database, '{db}': `use {name}` cannot switch to another"
        ))),
        (c, a) => Err(Thrown::unsupported(format!(
            "`{c}{}` is not a shell command the console runs (it runs `show collections`, `show dbs` and `use {db}`)",
            a.map(|a| format!(" {a}")).unwrap_or_default()
        ))),
    }
}

#[derive(Debug)]
struct Db {
    flavor: Flavor,
}

impl HostObject for Db {
    fn class(&self) -> &str {
        "Db"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn get(&self, name: &str, cx: &mut Cx) -> Option<Result<Value>> {
        match (self.flavor, name) {
            (_, "databaseName") => Some(Ok(Value::str(cx.host.mongo.name()))),
            // `db.users` in the shell; the driver's Db has no collection properties.
            (Flavor::Shell, _) => Some(Ok(collection(name, Flavor::Shell))),
            (Flavor::Driver, _) => None,
        }
    }

    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        let f = self.flavor;
        Some(match name {
            "getCollection" | "collection" => match arg(&args, 0) {
                Value::String(s) => Ok(collection(&s, f)),
                v => Err(Thrown::type_error(format!(
                    "Argument at position 0 of {name} must be of type string, got {} instead",
                    describe_type(&v)
                ))),
            },
            "getMongo" if f == Flavor::Shell => Ok(Value::host(crate::session::Mongo)),
            "getCollectionNames" => Ok(Value::Array(Rc::new(
                cx.host
                    .mongo
                    .list_collections()
                    .into_iter()
                    .map(Value::str)
                    .collect(),
            ))),
            "getCollectionInfos" | "listCollections" => {
                Ok(docs_value(cx.host.mongo.collection_infos()))
            }
            "createCollection" => (|| {
                let Value::String(coll) = arg(&args, 0) else {
                    return Err(Thrown::type_error(
                        "Argument at position 0 of createCollection must be of type string",
                    ));
                };
                // The simulator reads the options with the server's errors (an unknown
                // field, an option it does not simulate, a collection that exists).
                let opts = doc_arg(&args, 1, "createCollection")?.unwrap_or_default();
                cx.host
                    .mongo
                    .create_collection(&coll, &opts)
                    .map_err(|e| server_error(e, f))?;
                cx.ran_operation(Answer::Mongo);
                Ok(match f {
                    Flavor::Shell => obj(vec![("ok", Value::Number(1.0))]),
                    Flavor::Driver => collection(&coll, f),
                })
            })(),
            "dropDatabase" => {
                for c in cx.host.mongo.list_collections() {
                    cx.host.mongo.drop_collection(&c);
                }
                cx.ran_operation(Answer::Mongo);
                Ok(match f {
                    Flavor::Shell => obj(vec![
                        ("ok", Value::Number(1.0)),
                        ("dropped", Value::str(cx.host.mongo.name())),
                    ]),
                    Flavor::Driver => Value::Bool(true),
                })
            }
            "getName" => Ok(Value::str(cx.host.mongo.name())),
            "getSiblingDB" | "db" => match arg(&args, 0) {
                Value::String(s) if &*s == cx.host.mongo.name() => {
                    Ok(Value::host(Db { flavor: f }))
                }
                Value::Undefined if name == "db" => Ok(Value::host(Db { flavor: f })),
                v => Err(Thrown::unsupported(format!(
                    "the playground has one database, '{}': {name}({}) cannot reach another",
                    cx.host.mongo.name(),
                    v.to_js_string()
                ))),
            },
            "runCommand" => run_command(&args, f, cx),
            "adminCommand" | "stats" | "getUsers" | "createUser" | "createView" | "currentOp"
            | "killOp" | "aggregate" | "watch" | "serverStatus" | "version" => Err(
                Thrown::unsupported(format!("db.{name}() is not supported by the console")),
            ),
            _ => return None,
        })
    }
}

/// `db.runCommand(...)`: the commands that change a collection's options, `create` and
/// `collMod`, answered as the server answers them.
fn run_command(args: &[Value], f: Flavor, cx: &mut Cx) -> Result<Value> {
    let command = required_doc(args, 0, "db.runCommand")?;
    let Some((name, target)) = command.iter().next() else {
        return Err(server_error(
            MongoError::new(59, "CommandNotFound", "no such command: ''"),
            f,
        ));
    };
    let rest = || {
        let mut rest = command.clone();
        rest.remove(name);
        rest
    };
    let coll = match target {
        Bson::String(c) => c.clone(),
        other => {
            return Err(server_error(
                MongoError::new(
                    73,
                    "InvalidNamespace",
                    format!(
                        "collection name has invalid type {}",
                        schemaplay_mongo::value::type_name(other)
                    ),
                ),
                f,
            ))
        }
    };
    let mongo = &mut cx.host.mongo;
    let answer = match name.as_str() {
        "create" => mongo.create_collection(&coll, &rest()).map(|()| Document::new()),
        "collMod" => mongo.coll_mod(&coll, &rest()),
        other => {
            return Err(Thrown::unsupported(format!(
                "db.runCommand({{ {other}: ... }}) is not supported by the console: it runs the commands create and collMod"
            )))
        }
    }
    .map_err(|e| server_error(e, f))?;
    cx.ran_operation(Answer::Mongo);
    let mut out = value::from_document(&answer);
    if let Value::Object(props) = &mut out {
        Rc::make_mut(props).push(("ok".to_string(), Value::Number(1.0)));
    }
    Ok(out)
}

#[derive(Debug, Clone)]
struct Collection {
    name: String,
    flavor: Flavor,
}

/// Methods of a collection MongoDB has and the console does not run.
const UNSUPPORTED_METHODS: &[&str] = &[
    "bulkWrite",
    "watch",
    "mapReduce",
    "renameCollection",
    "stats",
    "validate",
    "initializeOrderedBulkOp",
    "initializeUnorderedBulkOp",
    "hideIndex",
    "unhideIndex",
    "createSearchIndex",
    "getShardDistribution",
    "dataSize",
    "storageSize",
    "totalIndexSize",
    "latencyStats",
    "reIndex",
    "insert",
    "update",
    "remove",
    "save",
    "findAndModify",
];

impl Collection {
    fn err(&self, e: MongoError) -> Thrown {
        server_error(e, self.flavor)
    }

    fn method(&self, name: &str) -> String {
        match self.flavor {
            Flavor::Shell => format!("db.{}.{name}", self.name),
            Flavor::Driver => format!("collection.{name}"),
        }
    }

    fn update_result(&self, r: schemaplay_mongo::UpdateResult) -> Value {
        let upserted = r.upserted_id.as_ref().map_or(Value::Null, value::from_bson);
        match self.flavor {
            Flavor::Shell => obj(vec![
                ("acknowledged", Value::Bool(true)),
                ("insertedId", upserted),
                ("matchedCount", num(r.matched)),
                ("modifiedCount", num(r.modified)),
                ("upsertedCount", num(u64::from(r.upserted_id.is_some()))),
            ]),
            Flavor::Driver => driver_update_result(&r),
        }
    }

    fn update(
        &self,
        name: &str,
        args: &[Value],
        cx: &mut Cx,
        replace: bool,
        multi: bool,
    ) -> Result<Value> {
        let m = self.method(name);
        let filter = required_doc(args, 0, &m)?;
        let update = match arg(args, 1) {
            Value::Array(_) if !replace => Bson::Array(
                docs_arg(args, 1, &m)?
                    .into_iter()
                    .map(Bson::Document)
                    .collect(),
            ),
            _ => Bson::Document(required_doc(args, 1, &m)?),
        };
        let known: &[&str] = if replace {
            &["upsert", "collation", "bypassDocumentValidation"]
        } else {
            &[
                "upsert",
                "arrayFilters",
                "collation",
                "bypassDocumentValidation",
            ]
        };
        let opts = options(args, 2, &m, "update", known)?;
        let opts = update_options(&opts, multi)?;
        let r = cx
            .host
            .mongo
            .update(&self.name, &filter, &update, &opts, replace)
            .map_err(|e| self.err(e))?;
        cx.ran_operation(Answer::Mongo);
        Ok(self.update_result(r))
    }

    fn find_one_and(&self, name: &str, args: &[Value], cx: &mut Cx) -> Result<Value> {
        let m = self.method(name);
        let filter = required_doc(args, 0, &m)?;
        let delete = name == "findOneAndDelete";
        let replace = name == "findOneAndReplace";
        let (update, opts_at) = if delete {
            (None, 1)
        } else {
            (Some(Bson::Document(required_doc(args, 1, &m)?)), 2)
        };
        let known: &[&str] = &[
            "projection",
            "sort",
            "upsert",
            "returnDocument",
            "returnNewDocument",
            "arrayFilters",
            "collation",
            "bypassDocumentValidation",
        ];
        let opts = options(args, opts_at, &m, "findAndModify", known)?;
        let sort = opts.get_document("sort").ok().cloned();
        let doc = match update {
            None => cx
                .host
                .mongo
                .find_one_and_delete_collated(
                    &self.name,
                    &filter,
                    sort.as_ref(),
                    collation(&opts).as_ref(),
                )
                .map_err(|e| self.err(e))?,
            Some(update) => {
                let after = opts.get_str("returnDocument").ok() == Some("after")
                    || bool_option(&opts, "returnNewDocument");
                let projection = opts.get_document("projection").ok().cloned();
                cx.host
                    .mongo
                    .find_one_and_update(
                        &self.name,
                        &filter,
                        &update,
                        sort.as_ref(),
                        projection.as_ref(),
                        &update_options(&opts, false)?,
                        after,
                        replace,
                    )
                    .map_err(|e| self.err(e))?
            }
        };
        cx.ran_operation(Answer::Mongo);
        Ok(doc.map_or(Value::Null, |d| value::from_document(&d)))
    }
}

pub fn update_options(opts: &Document, multi: bool) -> Result<UpdateOptions> {
    let array_filters = match opts.get("arrayFilters") {
        None | Some(Bson::Null) => Vec::new(),
        Some(Bson::Array(items)) => items
            .iter()
            .map(|f| match f {
                Bson::Document(d) => Ok(d.clone()),
                _ => Err(Thrown::type_error(
                    "arrayFilters must be an array of objects",
                )),
            })
            .collect::<Result<_>>()?,
        Some(_) => {
            return Err(Thrown::type_error(
                "arrayFilters must be an array of objects",
            ))
        }
    };
    Ok(UpdateOptions {
        upsert: bool_option(opts, "upsert"),
        array_filters,
        multi,
        collation: collation(opts),
        bypass_validation: bool_option(opts, "bypassDocumentValidation"),
    })
}

/// The Node driver's `UpdateResult`.
pub fn driver_update_result(r: &schemaplay_mongo::UpdateResult) -> Value {
    obj(vec![
        ("acknowledged", Value::Bool(true)),
        ("modifiedCount", num(r.modified)),
        (
            "upsertedId",
            r.upserted_id.as_ref().map_or(Value::Null, value::from_bson),
        ),
        ("upsertedCount", num(u64::from(r.upserted_id.is_some()))),
        ("matchedCount", num(r.matched)),
    ])
}

/// Reads `createIndex` options, refusing the ones the simulator does not implement.
pub fn index_options(args: &[Value], i: usize, method: &str) -> Result<Document> {
    options(
        args,
        i,
        method,
        "createIndexes",
        &[
            "unique",
            "sparse",
            "partialFilterExpression",
            "name",
            "weights",
            "default_language",
            "background",
            "v",
            "textIndexVersion",
            "language_override",
            "collation",
            "expireAfterSeconds",
        ],
    )
}

impl HostObject for Collection {
    fn class(&self) -> &str {
        "Collection"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        match (self.flavor, name) {
            (_, "collectionName") => Some(Ok(Value::str(self.name.as_str()))),
            (Flavor::Driver, "name") => Some(Ok(Value::str(self.name.as_str()))),
            // `db.users.archive` is the collection `users.archive` in the shell.
            (Flavor::Shell, _) => Some(Ok(collection(
                &format!("{}.{name}", self.name),
                Flavor::Shell,
            ))),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        let m = self.method(name);
        let coll = self.name.as_str();
        let f = self.flavor;
        Some((|| -> Result<Value> {
            match name {
                "find" => {
                    let filter = doc_arg(&args, 0, &m)?.unwrap_or_default();
                    let mut projection = doc_arg(&args, 1, &m)?;
                    let opts = options(
                        &args,
                        2,
                        &m,
                        "find",
                        &[
                            "projection",
                            "sort",
                            "skip",
                            "limit",
                            "collation",
                            "maxTimeMS",
                            "allowDiskUse",
                        ],
                    )?;
                    if let Ok(p) = opts.get_document("projection") {
                        projection = Some(p.clone());
                    }
                    let limits = limits_of(&opts).map_err(|e| server_error(e, f))?;
                    Ok(Value::host(Cursor {
                        coll: coll.to_string(),
                        flavor: f,
                        opts: FindOptions {
                            filter,
                            projection,
                            sort: opts.get_document("sort").ok().cloned(),
                            skip: int_option(opts.get("skip"), "skip")?.max(0) as u64,
                            limit: int_option(opts.get("limit"), "limit")?,
                            collation: collation(&opts),
                        },
                        explain: None,
                        limits,
                    }))
                }
                "findOne" => {
                    let filter = doc_arg(&args, 0, &m)?.unwrap_or_default();
                    let mut projection = doc_arg(&args, 1, &m)?;
                    let opts = options(
                        &args,
                        2,
                        &m,
                        "find",
                        &["projection", "sort", "skip", "collation"],
                    )?;
                    if let Ok(p) = opts.get_document("projection") {
                        projection = Some(p.clone());
                    }
                    let found = cx
                        .host
                        .mongo
                        .find_one(
                            coll,
                            &FindOptions {
                                filter,
                                projection,
                                sort: opts.get_document("sort").ok().cloned(),
                                skip: int_option(opts.get("skip"), "skip")?.max(0) as u64,
                                limit: 1,
                                collation: collation(&opts),
                            },
                        )
                        .map_err(|e| self.err(e))?;
                    cx.ran_operation(Answer::Mongo);
                    Ok(found.map_or(Value::Null, |d| value::from_document(&d)))
                }
                "insertOne" => {
                    let doc = required_doc(&args, 0, &m)?;
                    let opts = options(&args, 1, &m, "insert", &["bypassDocumentValidation"])?;
                    let id = cx
                        .host
                        .mongo
                        .insert_one_with(coll, doc, bool_option(&opts, "bypassDocumentValidation"))
                        .map_err(|e| self.err(e))?;
                    cx.ran_operation(Answer::Mongo);
                    Ok(obj(vec![
                        ("acknowledged", Value::Bool(true)),
                        ("insertedId", value::from_bson(&id)),
                    ]))
                }
                "insertMany" => {
                    let docs = docs_arg(&args, 0, &m)?;
                    let opts = options(
                        &args,
                        1,
                        &m,
                        "insert",
                        &["ordered", "bypassDocumentValidation"],
                    )?;
                    if opts.get("ordered").is_some() && !bool_option(&opts, "ordered") {
                        return Err(Thrown::unsupported(format!(
                            "the playground's MongoDB simulator does not implement the 'ordered: false' option of {m}"
                        )));
                    }
                    let ids = cx
                        .host
                        .mongo
                        .insert_many_with(
                            coll,
                            docs,
                            bool_option(&opts, "bypassDocumentValidation"),
                        )
                        .map_err(|e| self.err(e))?;
                    cx.ran_operation(Answer::Mongo);
                    let ids = ids
                        .iter()
                        .enumerate()
                        .map(|(i, id)| (i.to_string(), value::from_bson(id)))
                        .collect();
                    Ok(obj(vec![
                        ("acknowledged", Value::Bool(true)),
                        ("insertedIds", Value::object(ids)),
                    ]))
                }
                "updateOne" => self.update(name, &args, cx, false, false),
                "updateMany" => self.update(name, &args, cx, false, true),
                "replaceOne" => self.update(name, &args, cx, true, false),
                "findOneAndUpdate" | "findOneAndReplace" | "findOneAndDelete" => {
                    self.find_one_and(name, &args, cx)
                }
                "deleteOne" | "deleteMany" => {
                    let filter = required_doc(&args, 0, &m)?;
                    let opts = options(&args, 1, &m, "delete", &["collation"])?;
                    let n = cx
                        .host
                        .mongo
                        .delete_collated(
                            coll,
                            &filter,
                            name == "deleteMany",
                            collation(&opts).as_ref(),
                        )
                        .map_err(|e| self.err(e))?;
                    cx.ran_operation(Answer::Mongo);
                    Ok(obj(vec![
                        ("acknowledged", Value::Bool(true)),
                        ("deletedCount", num(n)),
                    ]))
                }
                "countDocuments" | "count" => {
                    let filter = doc_arg(&args, 0, &m)?.unwrap_or_default();
                    let opts = options(&args, 1, &m, "count", &["skip", "limit", "collation"])?;
                    let (skip, limit) = (
                        int_option(opts.get("skip"), "skip")?,
                        int_option(opts.get("limit"), "limit")?,
                    );
                    let n = if skip > 0 || limit != 0 {
                        cx.host
                            .mongo
                            .find(
                                coll,
                                &FindOptions {
                                    filter,
                                    skip: skip.max(0) as u64,
                                    limit,
                                    collation: collation(&opts),
                                    ..Default::default()
                                },
                            )
                            .map_err(|e| self.err(e))?
                            .len() as u64
                    } else {
                        cx.host
                            .mongo
                            .count_documents_collated(coll, &filter, collation(&opts).as_ref())
                            .map_err(|e| self.err(e))?
                    };
                    cx.ran_operation(Answer::Mongo);
                    Ok(num(n))
                }
                "estimatedDocumentCount" => {
                    options(&args, 0, &m, "count", &[])?;
                    cx.ran_operation(Answer::Mongo);
                    Ok(num(cx
                        .host
                        .mongo
                        .collection(coll)
                        .map_or(0, |c| c.len() as u64)))
                }
                "distinct" => {
                    let Value::String(key) = arg(&args, 0) else {
                        return Err(Thrown::type_error(format!(
                            "Argument at position 0 of {m} must be of type string"
                        )));
                    };
                    let filter = doc_arg(&args, 1, &m)?.unwrap_or_default();
                    let opts = options(&args, 2, &m, "distinct", &["collation"])?;
                    let values = cx
                        .host
                        .mongo
                        .distinct_collated(coll, &key, &filter, collation(&opts).as_ref())
                        .map_err(|e| self.err(e))?;
                    cx.ran_operation(Answer::Mongo);
                    Ok(Value::Array(Rc::new(
                        values.iter().map(value::from_bson).collect(),
                    )))
                }
                "aggregate" => {
                    // The shell also takes the stages as separate arguments.
                    let (pipeline, opts_at) = match arg(&args, 0) {
                        Value::Array(_) => (docs_arg(&args, 0, &m)?, 1),
                        _ => (
                            args.iter()
                                .enumerate()
                                .map(|(i, _)| required_doc(&args, i, &m))
                                .collect::<Result<Vec<_>>>()?,
                            args.len(),
                        ),
                    };
                    let opts = options(
                        &args,
                        opts_at,
                        &m,
                        "aggregate",
                        &["explain", "allowDiskUse", "cursor", "collation"],
                    )?;
                    Ok(Value::host(AggCursor {
                        coll: coll.to_string(),
                        flavor: f,
                        pipeline,
                        explain: bool_option(&opts, "explain").then_some(Verbosity::QueryPlanner),
                        collation: collation(&opts),
                    }))
                }
                "createIndex" | "ensureIndex" => {
                    let keys = required_doc(&args, 0, &m)?;
                    let opts = index_options(&args, 1, &m)?;
                    let name = cx
                        .host
                        .mongo
                        .create_index(coll, &keys, &opts)
                        .map_err(|e| self.err(e))?;
                    cx.ran_operation(Answer::Mongo);
                    Ok(Value::str(name))
                }
                "createIndexes" => {
                    let all = docs_arg(&args, 0, &m)?;
                    let opts = index_options(&args, 1, &m)?;
                    let mut names = Vec::new();
                    for keys in all {
                        names.push(Value::str(
                            cx.host
                                .mongo
                                .create_index(coll, &keys, &opts)
                                .map_err(|e| self.err(e))?,
                        ));
                    }
                    cx.ran_operation(Answer::Mongo);
                    Ok(Value::Array(Rc::new(names)))
                }
                "getIndexes" | "getIndexSpecs" | "indexes" => {
                    let list = cx.host.mongo.list_indexes(coll).map_err(|e| self.err(e))?;
                    cx.ran_operation(Answer::Mongo);
                    Ok(docs_value(list))
                }
                "getIndexKeys" => {
                    let list = cx.host.mongo.list_indexes(coll).map_err(|e| self.err(e))?;
                    cx.ran_operation(Answer::Mongo);
                    Ok(Value::Array(Rc::new(
                        list.iter()
                            .map(|d| d.get("key").map_or(Value::Undefined, value::from_bson))
                            .collect(),
                    )))
                }
                "dropIndex" | "dropIndexes" => {
                    let index = match arg(&args, 0) {
                        Value::Undefined if name == "dropIndexes" => "*".to_string(),
                        Value::String(s) => s.to_string(),
                        v @ Value::Object(_) => {
                            let key = value::to_document(&v)?.unwrap_or_default();
                            cx.host
                                .mongo
                                .collection(coll)
                                .ok_or_else(|| self.err(MongoError::namespace_not_found(format!("ns not found {}.{coll}", cx.host.mongo.name()))))?
                                .index_name_for_key(&key)
                                .map_err(|e| self.err(e))?
                        }
                        v => {
                            return Err(Thrown::type_error(format!(
                                "Argument at position 0 of {m} must be a string or an object, got {} instead",
                                describe_type(&v)
                            )))
                        }
                    };
                    let was = cx
                        .host
                        .mongo
                        .drop_index(coll, &index)
                        .map_err(|e| self.err(e))?;
                    cx.ran_operation(Answer::Mongo);
                    let mut props = vec![("nIndexesWas", num(was as u64))];
                    if index == "*" {
                        props.push(("msg", Value::str("non-_id indexes dropped for collection")));
                    }
                    props.push(("ok", Value::Number(1.0)));
                    Ok(obj(props))
                }
                "drop" => {
                    let existed = cx.host.mongo.drop_collection(coll);
                    cx.ran_operation(Answer::Mongo);
                    Ok(Value::Bool(existed))
                }
                "explain" => Ok(Value::host(Explainable {
                    coll: coll.to_string(),
                    flavor: f,
                    verbosity: verbosity(&arg(&args, 0))?,
                })),
                "getName" => Ok(Value::str(coll)),
                "getFullName" => Ok(Value::str(format!("{}.{coll}", cx.host.mongo.name()))),
                "getDB" => Ok(Value::host(Db { flavor: f })),
                _ if UNSUPPORTED_METHODS.contains(&name) => Err(Thrown::unsupported(format!(
                    "{m}() is not supported by the console"
                ))),
                _ => Err(Thrown::type_error(format!("{m} is not a function"))),
            }
        })())
    }
}

/// A find cursor: lazy until printed, awaited or read (`toArray`, `count`, `explain`).
#[derive(Debug, Clone)]
struct Cursor {
    coll: String,
    flavor: Flavor,
    opts: FindOptions,
    explain: Option<Verbosity>,
    /// `maxTimeMS` and `allowDiskUse`, from the options or the cursor's methods.
    limits: Limits,
}

impl Cursor {
    fn run(&self, cx: &mut Cx) -> Result<Value> {
        cx.ran_operation(answer(self.explain));
        cx.host
            .mongo
            .limited(self.limits, |mongo| match self.explain {
                Some(v) => mongo
                    .explain_find(&self.coll, &self.opts, v)
                    .map(|d| value::from_document(&d)),
                None => mongo.find(&self.coll, &self.opts).map(docs_value),
            })
            .map_err(|e| server_error(e, self.flavor))
    }

    fn with(&self, change: impl FnOnce(&mut Cursor)) -> Value {
        let mut c = self.clone();
        change(&mut c);
        Value::host(c)
    }
}

/// The `maxTimeMS` and `allowDiskUse` of a find's options, with the server's errors for
/// values it refuses.
fn limits_of(opts: &Document) -> std::result::Result<Limits, MongoError> {
    let mut request = serde_json::Map::new();
    for key in ["maxTimeMS", "allowDiskUse"] {
        if let Some(value) = opts.get(key) {
            request.insert(key.to_string(), value.clone().into_relaxed_extjson());
        }
    }
    Limits::from_json(&serde_json::Value::Object(request))
}

/// Cursor methods MongoDB has that change nothing the simulator models or need functions.
const CURSOR_UNSUPPORTED: &[&str] = &[
    "hint",
    "batchSize",
    "comment",
    "min",
    "max",
    "readPref",
    "readConcern",
    "noCursorTimeout",
    "returnKey",
    "showRecordId",
    "tailable",
    "maxAwaitTimeMS",
    "hasNext",
    "next",
    "close",
    "addCursorFlag",
];

impl HostObject for Cursor {
    fn class(&self) -> &str {
        "Cursor"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn settle(&self, cx: &mut Cx) -> Option<Result<Value>> {
        Some(self.run(cx))
    }

    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        let m = format!("cursor.{name}");
        Some((|| -> Result<Value> {
            match name {
                "sort" => {
                    let sort = required_doc(&args, 0, &m)?;
                    Ok(self.with(|c| c.opts.sort = Some(sort)))
                }
                "limit" => {
                    let n = number_arg(&args, 0, &m)?;
                    Ok(self.with(|c| c.opts.limit = n))
                }
                "skip" => {
                    let n = number_arg(&args, 0, &m)?;
                    if n < 0 {
                        return Err(Thrown::new(
                            "MongoServerError[BadValue]",
                            "skip value must be non-negative",
                        ));
                    }
                    Ok(self.with(|c| c.opts.skip = n as u64))
                }
                "project" | "projection" => {
                    let p = required_doc(&args, 0, &m)?;
                    Ok(self.with(|c| c.opts.projection = Some(p)))
                }
                "collation" => {
                    let spec = required_doc(&args, 0, &m)?;
                    Ok(self.with(|c| c.opts.collation = Some(spec)))
                }
                "maxTimeMS" => {
                    let ms = number_arg(&args, 0, &m)?;
                    let limits = Limits::from_json(&serde_json::json!({ "maxTimeMS": ms }))
                        .map_err(|e| server_error(e, self.flavor))?;
                    Ok(self.with(|c| c.limits.max_time_ms = limits.max_time_ms))
                }
                "allowDiskUse" => {
                    // mongosh: `allowDiskUse()` is `allowDiskUse(true)`.
                    let allow = args.first().is_none_or(Value::truthy);
                    Ok(self.with(|c| c.limits.allow_disk_use = Some(allow)))
                }
                "pretty" => Ok(Value::host(self.clone())),
                "toArray" => self.with(|c| c.explain = None).settle_value(cx),
                "explain" => {
                    let v = verbosity(&arg(&args, 0))?;
                    self.with(|c| c.explain = Some(v)).settle_value(cx)
                }
                "count" | "size" | "itcount" => {
                    let apply = name != "count" || arg(&args, 0).truthy();
                    cx.ran_operation(Answer::Mongo);
                    let n = if apply && (self.opts.skip > 0 || self.opts.limit != 0)
                        || name == "itcount"
                    {
                        let opts = FindOptions {
                            projection: None,
                            ..self.opts.clone()
                        };
                        cx.host
                            .mongo
                            .find(&self.coll, &opts)
                            .map(|d| d.len() as u64)
                    } else {
                        cx.host.mongo.count_documents_collated(
                            &self.coll,
                            &self.opts.filter,
                            self.opts.collation.as_ref(),
                        )
                    }
                    .map_err(|e| server_error(e, self.flavor))?;
                    Ok(num(n))
                }
                _ if CURSOR_UNSUPPORTED.contains(&name) => Err(Thrown::unsupported(format!(
                    "{m}() is not supported by the console"
                ))),
                _ => Err(Thrown::type_error(format!("{m} is not a function"))),
            }
        })())
    }
}

trait SettleValue {
    fn settle_value(self, cx: &mut Cx) -> Result<Value>;
}

impl SettleValue for Value {
    fn settle_value(self, cx: &mut Cx) -> Result<Value> {
        match &self {
            Value::Host(h) => h.settle(cx).unwrap_or(Ok(self.clone())),
            _ => Ok(self),
        }
    }
}

/// An aggregation cursor.
#[derive(Debug, Clone)]
struct AggCursor {
    coll: String,
    flavor: Flavor,
    pipeline: Vec<Document>,
    explain: Option<Verbosity>,
    collation: Option<Document>,
}

impl HostObject for AggCursor {
    fn class(&self) -> &str {
        "AggregationCursor"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn settle(&self, cx: &mut Cx) -> Option<Result<Value>> {
        cx.ran_operation(answer(self.explain));
        let mongo = &cx.host.mongo;
        Some(
            match self.explain {
                Some(v) => mongo
                    .explain_aggregate_collated(
                        &self.coll,
                        &self.pipeline,
                        v,
                        self.collation.as_ref(),
                    )
                    .map(|d| value::from_document(&d)),
                None => mongo
                    .aggregate_collated(&self.coll, &self.pipeline, self.collation.as_ref())
                    .map(|docs| {
                        Value::Array(Rc::new(
                            docs.iter().map(|d| value::from_document(d)).collect(),
                        ))
                    }),
            }
            .map_err(|e| server_error(e, self.flavor)),
        )
    }

    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        match name {
            "toArray" => self.settle(cx),
            "pretty" => Some(Ok(Value::host(self.clone()))),
            "explain" => Some(verbosity(&arg(&args, 0)).and_then(|v| {
                Value::host(AggCursor {
                    explain: Some(v),
                    ..self.clone()
                })
                .settle_value(cx)
            })),
            "itcount" => Some(self.settle(cx)?.map(|v| match v {
                Value::Array(items) => num(items.len() as u64),
                _ => num(0),
            })),
            _ if CURSOR_UNSUPPORTED.contains(&name) => Some(Err(Thrown::unsupported(format!(
                "cursor.{name}() is not supported by the console"
            )))),
            _ => None,
        }
    }
}

/// `db.users.explain(verbosity)`: the explainable collection.
#[derive(Debug, Clone)]
struct Explainable {
    coll: String,
    flavor: Flavor,
    verbosity: Verbosity,
}

impl HostObject for Explainable {
    fn class(&self) -> &str {
        "Explainable"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        let target = collection(&self.coll, self.flavor);
        let Value::Host(c) = &target else { return None };
        Some((|| -> Result<Value> {
            match name {
                "find" | "aggregate" => {
                    let v = c.call_method(name, args, cx).unwrap_or_else(|| Ok(Value::Undefined))?;
                    let Value::Host(h) = &v else { return Ok(v) };
                    h.call_method("explain", vec![Value::str(verbosity_name(self.verbosity))], cx)
                        .unwrap_or(Ok(v.clone()))
                }
                "count" | "countDocuments" => {
                    let filter = doc_arg(&args, 0, "explain().count")?.unwrap_or_default();
                    let opts = options(&args, 1, "explain().count", "count", &["collation"])?;
                    cx.ran_operation(Answer::MongoPlan);
                    cx.host
                        .mongo
                        .explain_count_collated(
                            &self.coll,
                            &filter,
                            self.verbosity,
                            collation(&opts).as_ref(),
                        )
                        .map(|d| value::from_document(&d))
                        .map_err(|e| server_error(e, self.flavor))
                }
                other => Err(Thrown::unsupported(format!(
                    "explain() of {other} is not supported: the simulator explains find, aggregate and count"
                ))),
            }
        })())
    }
}

fn verbosity_name(v: Verbosity) -> &'static str {
    match v {
        Verbosity::QueryPlanner => "queryPlanner",
        Verbosity::ExecutionStats => "executionStats",
    }
}
