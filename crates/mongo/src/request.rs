//! The JSON entry point and the typed request behind it. [`Command::from_json`] reads one
//! request in the JSON shape documented in the crate root (Extended JSON values, MongoDB's
//! errors for wrong fields); [`Database::run`] executes a [`Command`], however it was built (from
//! JSON, by the playground's console, by the script interpreter); [`Database::execute`] is the
//! two in a row. Responses are relaxed Extended JSON.

use std::borrow::Cow;

use bson::{Bson, Document};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::database::{Database, FindOptions, UpdateOptions, Verbosity};
use crate::error::{MongoError, Result};

/// One request to the database. Serialized, it is the JSON shape of the crate documentation
/// (`{"op": "find", "collection": ..., "filter": ...}`), which [`Command::from_json`] reads back.
///
/// Explain is not a variant of its own: `{"op": "explain", "command": {...}}` reads as the
/// explained command with its `explain` set, the same as `{"op": "find", "explain": ...}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Command {
    InsertOne {
        collection: String,
        document: Document,
        /// `bypassDocumentValidation`: write without checking the collection's validator.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        bypass_document_validation: bool,
    },
    InsertMany {
        collection: String,
        documents: Vec<Document>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        bypass_document_validation: bool,
    },
    Find {
        collection: String,
        #[serde(flatten)]
        options: FindOptions,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        explain: Option<FindExplain>,
    },
    FindOne {
        collection: String,
        #[serde(flatten)]
        options: FindOptions,
    },
    /// Also read from `"op": "count"`. `skip` and `limit` count at most that window.
    CountDocuments {
        collection: String,
        #[serde(flatten)]
        options: FindOptions,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        explain: Option<Verbosity>,
    },
    Distinct {
        collection: String,
        key: String,
        #[serde(default)]
        filter: Document,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<Document>,
    },
    /// `update` is an update document or an aggregation pipeline (an array).
    UpdateOne {
        collection: String,
        #[serde(default)]
        filter: Document,
        update: Bson,
        #[serde(flatten)]
        options: WriteOptions,
    },
    UpdateMany {
        collection: String,
        #[serde(default)]
        filter: Document,
        update: Bson,
        #[serde(flatten)]
        options: WriteOptions,
    },
    ReplaceOne {
        collection: String,
        #[serde(default)]
        filter: Document,
        replacement: Bson,
        #[serde(flatten)]
        options: WriteOptions,
    },
    DeleteOne {
        collection: String,
        #[serde(default)]
        filter: Document,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<Document>,
    },
    DeleteMany {
        collection: String,
        #[serde(default)]
        filter: Document,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<Document>,
    },
    FindOneAndUpdate {
        collection: String,
        #[serde(flatten)]
        target: FindAndModify,
        update: Bson,
        #[serde(flatten)]
        options: WriteOptions,
    },
    FindOneAndReplace {
        collection: String,
        #[serde(flatten)]
        target: FindAndModify,
        replacement: Bson,
        #[serde(flatten)]
        options: WriteOptions,
    },
    FindOneAndDelete {
        collection: String,
        #[serde(default)]
        filter: Document,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sort: Option<Document>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<Document>,
    },
    Aggregate {
        collection: String,
        pipeline: Vec<Document>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        explain: Option<Verbosity>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<Document>,
    },
    /// `options` holds `validator`, `validationLevel`, `validationAction`, `collation`.
    CreateCollection {
        collection: String,
        #[serde(default)]
        options: Document,
    },
    /// `options` holds the changes: `validator`, `validationLevel`, `validationAction`, `index`.
    CollMod {
        collection: String,
        #[serde(default)]
        options: Document,
    },
    /// The server log's lines (validation warnings), as `getLog` returns them.
    GetLog,
    /// `options` holds `unique`, `sparse`, `partialFilterExpression`, `name`, `weights`,
    /// `collation`, `expireAfterSeconds`, ...
    CreateIndex {
        collection: String,
        key: Document,
        #[serde(default)]
        options: Document,
    },
    DropIndex {
        collection: String,
        index: IndexRef,
    },
    ListIndexes {
        collection: String,
    },
    ListCollections,
    Drop {
        collection: String,
    },
}

/// What a find explains: its plan, the plan with its counters, or (what a console wants) the
/// documents and the `executionStats` explain from one execution.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum FindExplain {
    QueryPlanner,
    ExecutionStats,
    WithResults,
}

/// The options the update and replace operations share.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct WriteOptions {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub upsert: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub array_filters: Vec<Document>,
    /// The filter's collation (the collection's default when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<Document>,
    /// `bypassDocumentValidation`: write without checking the collection's validator.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bypass_document_validation: bool,
}

impl WriteOptions {
    /// The database's options for an update (`multi` for `updateMany`).
    fn into_update(self, multi: bool) -> UpdateOptions {
        UpdateOptions {
            upsert: self.upsert,
            array_filters: self.array_filters,
            multi,
            collation: self.collation,
            bypass_validation: self.bypass_document_validation,
        }
    }
}

/// Which document a `findOneAndUpdate` or `findOneAndReplace` modifies, and what it returns.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct FindAndModify {
    #[serde(default)]
    pub filter: Document,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<Document>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<Document>,
    #[serde(default)]
    pub return_document: ReturnDocument,
}

/// Whether a find-and-modify returns the document before or after the change.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub enum ReturnDocument {
    #[default]
    Before,
    After,
}

/// An index to drop: by name, or by its key pattern.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum IndexRef {
    Name(String),
    Key(Document),
}

/// Converts the JSON value of one request field (`op.field` in errors) to BSON.
fn to_bson(value: &Value, field: &str) -> Result<Bson> {
    Bson::try_from(value.clone()).map_err(|e| {
        MongoError::failed_to_parse(format!("'{field}' is not valid Extended JSON: {e}"))
    })
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn wrong_type(op: &str, field: &str, found: &Value, expected: &str) -> MongoError {
    MongoError::type_mismatch(format!(
        "BSON field '{op}.{field}' is the wrong type '{}', expected type '{expected}'",
        type_name(found)
    ))
}

/// The server's error for a required field that an `op` request lacks.
pub fn missing_field(op: &str, field: &str) -> MongoError {
    MongoError::new(
        40414,
        "Location40414",
        format!("BSON field '{op}.{field}' is missing but a required field"),
    )
}

/// The document in field `field` of an `op` request (a filter, a sort, a document to insert),
/// read from Extended JSON with the server's error for anything else.
pub fn to_document(op: &str, field: &str, value: &Value) -> Result<Document> {
    match value {
        Value::Object(_) => match to_bson(value, field)? {
            Bson::Document(d) => Ok(d),
            // `{"$date": ...}` and friends are values, not documents.
            _ => Err(wrong_type(op, field, value, "object")),
        },
        _ => Err(wrong_type(op, field, value, "object")),
    }
}

/// The array of documents in field `field` of an `op` request (a pipeline, documents to insert).
pub fn to_documents(op: &str, field: &str, value: &Value) -> Result<Vec<Document>> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|i| match to_bson(i, field)? {
                Bson::Document(d) => Ok(d),
                _ => Err(wrong_type(op, field, i, "object")),
            })
            .collect(),
        _ => Err(wrong_type(op, field, value, "array")),
    }
}

/// The update (a document or a pipeline) or replacement in field `field` of an `op` request.
pub fn to_update(op: &str, field: &str, value: &Value) -> Result<Bson> {
    match value {
        Value::Object(_) | Value::Array(_) => to_bson(value, field),
        _ => Err(wrong_type(op, field, value, "object")),
    }
}

/// Reads the fields of one request.
struct Req<'a> {
    op: &'a str,
    body: &'a serde_json::Map<String, Value>,
}

impl Req<'_> {
    fn wrong_type(&self, field: &str, found: &Value, expected: &str) -> MongoError {
        wrong_type(self.op, field, found, expected)
    }

    fn doc(&self, field: &str) -> Result<Option<Document>> {
        match self.body.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => to_document(self.op, field, v).map(Some),
        }
    }

    fn required_doc(&self, field: &str) -> Result<Document> {
        self.doc(field)?
            .ok_or_else(|| missing_field(self.op, field))
    }

    fn docs(&self, field: &str) -> Result<Vec<Document>> {
        match self.body.get(field) {
            Some(v) => to_documents(self.op, field, v),
            None => Err(missing_field(self.op, field)),
        }
    }

    fn string(&self, field: &str) -> Result<Option<&str>> {
        match self.body.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.wrong_type(field, v, "string")),
        }
    }

    fn bool(&self, field: &str) -> Result<bool> {
        match self.body.get(field) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(self.wrong_type(field, v, "bool")),
        }
    }

    fn int(&self, field: &str) -> Result<i64> {
        match self.body.get(field) {
            None | Some(Value::Null) => Ok(0),
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                .ok_or_else(|| {
                    MongoError::bad_value(format!(
                        "BSON field '{}.{field}' must be a whole number",
                        self.op
                    ))
                }),
            Some(v) => Err(self.wrong_type(field, v, "long")),
        }
    }

    fn find_options(&self) -> Result<FindOptions> {
        let skip = self.int("skip")?;
        if skip < 0 {
            return Err(MongoError::bad_value("skip value must be non-negative"));
        }
        Ok(FindOptions {
            filter: self.doc("filter")?.unwrap_or_default(),
            projection: self.doc("projection")?,
            sort: self.doc("sort")?,
            skip: skip as u64,
            limit: self.int("limit")?,
            collation: self.doc("collation")?,
        })
    }

    fn filter(&self) -> Result<Document> {
        Ok(self.doc("filter")?.unwrap_or_default())
    }

    fn write_options(&self) -> Result<WriteOptions> {
        let array_filters = match self.body.get("arrayFilters") {
            None | Some(Value::Null) => Vec::new(),
            Some(_) => self.docs("arrayFilters")?,
        };
        Ok(WriteOptions {
            upsert: self.bool("upsert")?,
            array_filters,
            collation: self.doc("collation")?,
            bypass_document_validation: self.bool("bypassDocumentValidation")?,
        })
    }

    fn update_value(&self, field: &str) -> Result<Bson> {
        match self.body.get(field) {
            Some(v) => to_update(self.op, field, v),
            None => Err(missing_field(self.op, field)),
        }
    }

    /// The replacement of a replace operation, which may also come as `update`.
    fn replacement(&self) -> Result<Bson> {
        if self.body.contains_key("replacement") {
            self.update_value("replacement")
        } else {
            self.update_value("update")
        }
    }

    fn verbosity(&self) -> Result<Option<Verbosity>> {
        match self.body.get("explain").or_else(|| self.body.get("verbosity")) {
            None | Some(Value::Null) | Some(Value::Bool(false)) => Ok(None),
            Some(Value::Bool(true)) => Ok(Some(Verbosity::ExecutionStats)),
            Some(Value::String(s)) => match s.as_str() {
                "queryPlanner" => Ok(Some(Verbosity::QueryPlanner)),
                "executionStats" | "allPlansExecution" => Ok(Some(Verbosity::ExecutionStats)),
                other => Err(MongoError::bad_value(format!("verbosity string must be one of {{'queryPlanner', 'executionStats', 'allPlansExecution'}}{}, not '{other}'", if self.op == "find" { " or 'withResults'" } else { "" }))),
            },
            Some(v) => Err(self.wrong_type("explain", v, "bool")),
        }
    }

    fn find_explain(&self) -> Result<Option<FindExplain>> {
        if self.body.get("explain").and_then(Value::as_str) == Some("withResults") {
            return Ok(Some(FindExplain::WithResults));
        }
        Ok(self.verbosity()?.map(|v| match v {
            Verbosity::QueryPlanner => FindExplain::QueryPlanner,
            Verbosity::ExecutionStats => FindExplain::ExecutionStats,
        }))
    }

    /// The fields of a find-and-modify read after its update: where it returns, then how it
    /// writes, then its sort and projection (the order in which the server reports errors).
    fn find_and_modify(&self, filter: Document) -> Result<(FindAndModify, WriteOptions)> {
        let after = matches!(self.string("returnDocument")?, Some("after"))
            || self.bool("returnNewDocument")?;
        let options = self.write_options()?;
        let target = FindAndModify {
            filter,
            sort: self.doc("sort")?,
            projection: self.doc("projection")?,
            return_document: if after {
                ReturnDocument::After
            } else {
                ReturnDocument::Before
            },
        };
        Ok((target, options))
    }
}

fn acknowledged(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        let mut with = serde_json::Map::new();
        with.insert("acknowledged".into(), Value::Bool(true));
        for (k, val) in std::mem::take(m) {
            with.insert(k, val);
        }
        *m = with;
    }
    v
}

/// The deepest nesting a request may have. Extended JSON conversion recurses once per level,
/// and WebAssembly has a small stack, so deeper requests are refused before conversion.
pub const MAX_REQUEST_DEPTH: usize = 100;

/// How deeply a JSON value nests, measured without recursion.
fn json_depth(v: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(v, 1usize)];
    while let Some((v, d)) = stack.pop() {
        deepest = deepest.max(d);
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            Value::Object(m) => stack.extend(m.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    deepest
}

impl Command {
    /// Reads a request in the JSON shape of the crate documentation, with MongoDB's errors for
    /// a missing, misnamed or mistyped field, in the order the server reports them.
    pub fn from_json(request: &Value) -> Result<Command> {
        let depth = json_depth(request);
        if depth > MAX_REQUEST_DEPTH {
            return Err(MongoError::bad_value(format!(
                "the request nests {depth} levels deep; at most {MAX_REQUEST_DEPTH} are allowed"
            )));
        }
        let Value::Object(body) = request else {
            return Err(MongoError::failed_to_parse(
                "a request must be a JSON object with an \"op\" field",
            ));
        };
        let op = match body.get("op") {
            Some(Value::String(s)) => s.as_str(),
            _ => {
                return Err(MongoError::failed_to_parse(
                    "a request needs an \"op\" field naming the operation",
                ))
            }
        };
        let req = Req { op, body };
        if op == "listCollections" {
            return Ok(Command::ListCollections);
        }
        if op == "getLog" {
            return Ok(Command::GetLog);
        }
        if op == "explain" {
            return Self::explained(&req);
        }
        let collection = req
            .string("collection")?
            .ok_or_else(|| {
                MongoError::failed_to_parse(format!("'{op}' needs a \"collection\" field"))
            })?
            .to_string();
        Self::read_op(&req, collection)
    }

    /// The operation-specific fields of a request on `collection`.
    fn read_op(req: &Req, collection: String) -> Result<Command> {
        let op = req.op;
        Ok(match op {
            "createCollection" | "collMod" => {
                let mut options = req.doc("options")?.unwrap_or_default();
                for (k, v) in req.body {
                    if !matches!(k.as_str(), "op" | "collection" | "options") {
                        options.insert(k.clone(), to_bson(v, k)?);
                    }
                }
                if op == "collMod" {
                    Command::CollMod {
                        collection,
                        options,
                    }
                } else {
                    Command::CreateCollection {
                        collection,
                        options,
                    }
                }
            }
            "insertOne" => Command::InsertOne {
                collection,
                document: req.required_doc("document")?,
                bypass_document_validation: req.bool("bypassDocumentValidation")?,
            },
            "insertMany" => Command::InsertMany {
                collection,
                documents: req.docs("documents")?,
                bypass_document_validation: req.bool("bypassDocumentValidation")?,
            },
            "find" => {
                let options = req.find_options()?;
                Command::Find {
                    collection,
                    options,
                    explain: req.find_explain()?,
                }
            }
            "findOne" => Command::FindOne {
                collection,
                options: req.find_options()?,
            },
            "countDocuments" | "count" => {
                let filter = req.filter()?;
                match req.verbosity()? {
                    Some(v) => Command::CountDocuments {
                        collection,
                        options: FindOptions {
                            filter,
                            collation: req.doc("collation")?,
                            ..FindOptions::default()
                        },
                        explain: Some(v),
                    },
                    None => Command::CountDocuments {
                        collection,
                        options: req.find_options()?,
                        explain: None,
                    },
                }
            }
            "distinct" => {
                let key = req.string("key")?.ok_or_else(|| {
                    MongoError::failed_to_parse("'distinct' needs a \"key\" field")
                })?;
                Command::Distinct {
                    collection,
                    key: key.to_string(),
                    filter: req.filter()?,
                    collation: req.doc("collation")?,
                }
            }
            "updateOne" | "updateMany" => {
                let filter = req.filter()?;
                let update = req.update_value("update")?;
                let options = req.write_options()?;
                Command::update(collection, filter, update, options, op == "updateMany")
            }
            "replaceOne" => {
                let filter = req.filter()?;
                let replacement = req.replacement()?;
                Command::ReplaceOne {
                    collection,
                    filter,
                    replacement,
                    options: req.write_options()?,
                }
            }
            "deleteOne" => Command::DeleteOne {
                collection,
                filter: req.filter()?,
                collation: req.doc("collation")?,
            },
            "deleteMany" => Command::DeleteMany {
                collection,
                filter: req.filter()?,
                collation: req.doc("collation")?,
            },
            "findOneAndUpdate" => {
                let filter = req.filter()?;
                let update = req.update_value("update")?;
                let (target, options) = req.find_and_modify(filter)?;
                Command::FindOneAndUpdate {
                    collection,
                    target,
                    update,
                    options,
                }
            }
            "findOneAndReplace" => {
                let filter = req.filter()?;
                let replacement = req.replacement()?;
                let (target, options) = req.find_and_modify(filter)?;
                Command::FindOneAndReplace {
                    collection,
                    target,
                    replacement,
                    options,
                }
            }
            "findOneAndDelete" => {
                let filter = req.filter()?;
                Command::FindOneAndDelete {
                    collection,
                    filter,
                    sort: req.doc("sort")?,
                    collation: req.doc("collation")?,
                }
            }
            "aggregate" => {
                let pipeline = req.docs("pipeline")?;
                let collation = req.doc("collation")?;
                Command::Aggregate {
                    collection,
                    pipeline,
                    explain: req.verbosity()?,
                    collation,
                }
            }
            "createIndex" => {
                let key = match req.doc("key")? {
                    Some(k) => k,
                    None => req.required_doc("keys")?,
                };
                let mut options = req.doc("options")?.unwrap_or_default();
                for k in [
                    "unique",
                    "sparse",
                    "partialFilterExpression",
                    "name",
                    "weights",
                    "default_language",
                    "collation",
                    "expireAfterSeconds",
                ] {
                    if let Some(v) = req.body.get(k) {
                        options.insert(k, to_bson(v, k)?);
                    }
                }
                Command::CreateIndex {
                    collection,
                    key,
                    options,
                }
            }
            "dropIndex" => {
                let index = match req.body.get("name").or_else(|| req.body.get("index")) {
                    Some(Value::String(s)) => IndexRef::Name(s.clone()),
                    Some(v @ Value::Object(_)) => match to_bson(v, "index")? {
                        Bson::Document(key) => IndexRef::Key(key),
                        _ => return Err(req.wrong_type("index", v, "string")),
                    },
                    _ => {
                        return Err(MongoError::failed_to_parse(
                            "'dropIndex' needs a \"name\" (or an \"index\" key pattern)",
                        ))
                    }
                };
                Command::DropIndex { collection, index }
            }
            "listIndexes" => Command::ListIndexes { collection },
            "drop" => Command::Drop { collection },
            other => {
                return Err(MongoError::new(
                    59,
                    "CommandNotFound",
                    format!("no such command: '{other}'"),
                ))
            }
        })
    }

    /// `{"op": "explain", "verbosity": ..., "command": {"op": "find" | "aggregate" | "count", ...}}`:
    /// the command, explained.
    fn explained(req: &Req) -> Result<Command> {
        let Some(Value::Object(command)) = req.body.get("command") else {
            return Err(MongoError::failed_to_parse(
                "'explain' needs a \"command\" object: the find, aggregate or count to explain",
            ));
        };
        let mut inner = command.clone();
        if !inner.contains_key("collection") {
            if let Some(c) = req.body.get("collection") {
                inner.insert("collection".into(), c.clone());
            }
        }
        let verbosity = match req.body.get("verbosity") {
            Some(v) => v.clone(),
            None => Value::String("executionStats".into()),
        };
        inner.insert("explain".into(), verbosity);
        match inner.get("op").and_then(Value::as_str) {
            Some("find" | "aggregate" | "count" | "countDocuments") => {
                Command::from_json(&Value::Object(inner))
            }
            Some(other) => Err(MongoError::bad_value(format!(
                "explain does not support '{other}': use find, aggregate or count"
            ))),
            None => Err(MongoError::failed_to_parse(
                "the explained command needs an \"op\"",
            )),
        }
    }

    /// `updateMany` when `many`, else `updateOne`.
    pub fn update(
        collection: String,
        filter: Document,
        update: Bson,
        options: WriteOptions,
        many: bool,
    ) -> Command {
        if many {
            Command::UpdateMany {
                collection,
                filter,
                update,
                options,
            }
        } else {
            Command::UpdateOne {
                collection,
                filter,
                update,
                options,
            }
        }
    }

    /// The operation's name as the JSON shape spells it (`"find"`, `"insertMany"`, ...).
    pub fn op(&self) -> &'static str {
        match self {
            Command::InsertOne { .. } => "insertOne",
            Command::InsertMany { .. } => "insertMany",
            Command::Find { .. } => "find",
            Command::FindOne { .. } => "findOne",
            Command::CountDocuments { .. } => "countDocuments",
            Command::Distinct { .. } => "distinct",
            Command::UpdateOne { .. } => "updateOne",
            Command::UpdateMany { .. } => "updateMany",
            Command::ReplaceOne { .. } => "replaceOne",
            Command::DeleteOne { .. } => "deleteOne",
            Command::DeleteMany { .. } => "deleteMany",
            Command::FindOneAndUpdate { .. } => "findOneAndUpdate",
            Command::FindOneAndReplace { .. } => "findOneAndReplace",
            Command::FindOneAndDelete { .. } => "findOneAndDelete",
            Command::Aggregate { .. } => "aggregate",
            Command::CreateCollection { .. } => "createCollection",
            Command::CollMod { .. } => "collMod",
            Command::GetLog => "getLog",
            Command::CreateIndex { .. } => "createIndex",
            Command::DropIndex { .. } => "dropIndex",
            Command::ListIndexes { .. } => "listIndexes",
            Command::ListCollections => "listCollections",
            Command::Drop { .. } => "drop",
        }
    }

    /// The same command asking for its `executionStats` explain, for the operations that have a
    /// plan (find, aggregate, countDocuments); `None` for the others.
    pub fn explained_with_stats(&self) -> Option<Command> {
        let mut command = self.clone();
        match &mut command {
            Command::Find { explain, .. } => *explain = Some(FindExplain::ExecutionStats),
            Command::Aggregate { explain, .. } | Command::CountDocuments { explain, .. } => {
                *explain = Some(Verbosity::ExecutionStats)
            }
            _ => return None,
        }
        Some(command)
    }
}

/// A response before it is written out: documents stay BSON until the caller picks a form.
enum Response<'a> {
    Json(Value),
    Docs(Vec<Cow<'a, Document>>),
    Doc(Option<Document>),
    /// Already written as JSON text.
    Text(String),
}

fn out(value: Bson) -> Value {
    value.into_relaxed_extjson()
}

fn out_docs(docs: Vec<Document>) -> Value {
    Value::Array(docs.into_iter().map(|d| out(Bson::Document(d))).collect())
}

fn out_explain(explain: Document) -> Value {
    out(Bson::Document(explain))
}

fn find_verbosity(explain: FindExplain) -> Verbosity {
    match explain {
        FindExplain::QueryPlanner => Verbosity::QueryPlanner,
        FindExplain::ExecutionStats | FindExplain::WithResults => Verbosity::ExecutionStats,
    }
}

fn update_result(r: crate::database::UpdateResult) -> Value {
    acknowledged(json!({
        "matchedCount": r.matched,
        "modifiedCount": r.modified,
        "upsertedCount": u64::from(r.upserted_id.is_some()),
        "upsertedId": r.upserted_id.map_or(Value::Null, out),
    }))
}

impl Database {
    /// Runs one request (see the crate documentation for its shape) and returns the response:
    /// [`Command::from_json`], then [`Database::run`].
    pub fn execute(&mut self, request: &Value) -> Result<Value> {
        let command = Command::from_json(request)?;
        self.run(command)
    }

    /// Runs one command and returns the response as relaxed Extended JSON.
    pub fn run(&mut self, command: Command) -> Result<Value> {
        Ok(match self.respond(command, false)? {
            Response::Json(v) => v,
            Response::Text(t) => serde_json::from_str(&t).unwrap_or(Value::Null),
            Response::Docs(docs) => out_docs(docs.into_iter().map(Cow::into_owned).collect()),
            Response::Doc(doc) => doc.map_or(Value::Null, |d| out(Bson::Document(d))),
        })
    }

    /// [`Database::execute`] on JSON text, answering JSON text: the same request and response,
    /// with large results written straight from BSON (what the WebAssembly facade uses).
    pub fn execute_json(&mut self, request_json: &str) -> Result<String> {
        let request: Value = serde_json::from_str(request_json).map_err(|e| {
            MongoError::failed_to_parse(format!("the request is not valid JSON: {e}"))
        })?;
        let command = Command::from_json(&request)?;
        Ok(match self.respond(command, true)? {
            Response::Json(v) => serde_json::to_string(&v).unwrap_or_else(|_| "null".into()),
            Response::Text(t) => t,
            Response::Docs(docs) => {
                let mut text = String::new();
                crate::extjson::write_docs(&docs, &mut text);
                text
            }
            Response::Doc(Some(d)) => {
                let mut text = String::new();
                crate::extjson::write_doc(&d, &mut text);
                text
            }
            Response::Doc(None) => "null".into(),
        })
    }

    /// Runs a command; `as_text` lets a find answer with JSON text directly.
    fn respond(&mut self, command: Command, as_text: bool) -> Result<Response<'_>> {
        match command {
            Command::ListCollections => Ok(Response::Docs(
                self.collection_infos()
                    .into_iter()
                    .map(Cow::Owned)
                    .collect(),
            )),
            Command::GetLog => {
                let lines: Vec<Value> = self
                    .log()
                    .iter()
                    .map(|l| Value::String(l.clone()))
                    .collect();
                Ok(Response::Json(
                    json!({"totalLinesWritten": lines.len(), "log": lines, "ok": 1}),
                ))
            }
            Command::CreateCollection {
                collection,
                options,
            } => {
                self.create_collection(&collection, &options)?;
                Ok(Response::Json(json!({"ok": 1})))
            }
            Command::CollMod {
                collection,
                options,
            } => {
                let mut changed = self.coll_mod(&collection, &options)?;
                changed.insert("ok", 1);
                Ok(Response::Json(out(Bson::Document(changed))))
            }
            Command::InsertOne {
                collection,
                document,
                bypass_document_validation,
            } => {
                let id = self.insert_one_with(&collection, document, bypass_document_validation)?;
                Ok(Response::Json(acknowledged(json!({"insertedId": out(id)}))))
            }
            Command::InsertMany {
                collection,
                documents,
                bypass_document_validation,
            } => {
                let ids =
                    self.insert_many_with(&collection, documents, bypass_document_validation)?;
                let mut map = serde_json::Map::new();
                for (i, id) in ids.into_iter().enumerate() {
                    map.insert(i.to_string(), out(id));
                }
                Ok(Response::Json(acknowledged(
                    json!({"insertedIds": Value::Object(map)}),
                )))
            }
            Command::Find {
                collection,
                options,
                explain,
            } => self.respond_find(&collection, &options, explain, as_text),
            Command::FindOne {
                collection,
                options,
            } => Ok(Response::Doc(self.find_one(&collection, &options)?)),
            Command::CountDocuments {
                collection,
                options,
                explain,
            } => {
                if let Some(v) = explain {
                    return Ok(Response::Json(out_explain(self.explain_count_collated(
                        &collection,
                        &options.filter,
                        v,
                        options.collation.as_ref(),
                    )?)));
                }
                if options.skip > 0 || options.limit != 0 {
                    let window = FindOptions {
                        projection: None,
                        sort: None,
                        ..options
                    };
                    return Ok(Response::Json(json!(self
                        .find(&collection, &window)?
                        .len())));
                }
                Ok(Response::Json(json!(self.count_documents_collated(
                    &collection,
                    &options.filter,
                    options.collation.as_ref()
                )?)))
            }
            Command::Distinct {
                collection,
                key,
                filter,
                collation,
            } => Ok(Response::Json(Value::Array(
                self.distinct_collated(&collection, &key, &filter, collation.as_ref())?
                    .into_iter()
                    .map(out)
                    .collect(),
            ))),
            Command::UpdateOne {
                collection,
                filter,
                update,
                options,
            } => self.respond_update(&collection, &filter, &update, options, false, false),
            Command::UpdateMany {
                collection,
                filter,
                update,
                options,
            } => self.respond_update(&collection, &filter, &update, options, true, false),
            Command::ReplaceOne {
                collection,
                filter,
                replacement,
                options,
            } => self.respond_update(&collection, &filter, &replacement, options, false, true),
            Command::DeleteOne {
                collection,
                filter,
                collation,
            } => {
                let n = self.delete_collated(&collection, &filter, false, collation.as_ref())?;
                Ok(Response::Json(acknowledged(json!({"deletedCount": n}))))
            }
            Command::DeleteMany {
                collection,
                filter,
                collation,
            } => {
                let n = self.delete_collated(&collection, &filter, true, collation.as_ref())?;
                Ok(Response::Json(acknowledged(json!({"deletedCount": n}))))
            }
            Command::FindOneAndUpdate {
                collection,
                target,
                update,
                options,
            } => self.respond_find_and_modify(&collection, &target, &update, options, false),
            Command::FindOneAndReplace {
                collection,
                target,
                replacement,
                options,
            } => self.respond_find_and_modify(&collection, &target, &replacement, options, true),
            Command::FindOneAndDelete {
                collection,
                filter,
                sort,
                collation,
            } => Ok(Response::Doc(self.find_one_and_delete_collated(
                &collection,
                &filter,
                sort.as_ref(),
                collation.as_ref(),
            )?)),
            Command::Aggregate {
                collection,
                pipeline,
                explain,
                collation,
            } => match explain {
                Some(v) => Ok(Response::Json(out_explain(
                    self.explain_aggregate_collated(&collection, &pipeline, v, collation.as_ref())?,
                ))),
                None => Ok(Response::Docs(self.aggregate_collated(
                    &collection,
                    &pipeline,
                    collation.as_ref(),
                )?)),
            },
            Command::CreateIndex {
                collection,
                key,
                options,
            } => Ok(Response::Json(Value::String(self.create_index(
                &collection,
                &key,
                &options,
            )?))),
            Command::DropIndex { collection, index } => {
                let name = match index {
                    IndexRef::Name(name) => name,
                    IndexRef::Key(key) => self
                        .collection(&collection)
                        .ok_or_else(|| {
                            MongoError::namespace_not_found(format!(
                                "ns not found {}.{collection}",
                                self.name()
                            ))
                        })?
                        .index_name_for_key(&key)?,
                };
                let was = self.drop_index(&collection, &name)?;
                Ok(Response::Json(json!({"nIndexesWas": was, "ok": 1})))
            }
            Command::ListIndexes { collection } => Ok(Response::Docs(
                self.list_indexes(&collection)?
                    .into_iter()
                    .map(Cow::Owned)
                    .collect(),
            )),
            Command::Drop { collection } => Ok(Response::Json(Value::Bool(
                self.drop_collection(&collection),
            ))),
        }
    }

    fn respond_find(
        &self,
        coll: &str,
        options: &FindOptions,
        explain: Option<FindExplain>,
        as_text: bool,
    ) -> Result<Response<'_>> {
        match explain {
            Some(FindExplain::WithResults) if as_text => {
                let (results, explain) = self.find_explained_text(coll, options)?;
                let explain =
                    serde_json::to_string(&out_explain(explain)).unwrap_or_else(|_| "null".into());
                Ok(Response::Text(format!(
                    "{{\"results\":{results},\"explain\":{explain}}}"
                )))
            }
            Some(FindExplain::WithResults) => {
                let (results, explain) = self.find_explained(coll, options)?;
                Ok(Response::Json(json!({
                    "results": out_docs(results),
                    "explain": out_explain(explain),
                })))
            }
            Some(v) => Ok(Response::Json(out_explain(self.explain_find(
                coll,
                options,
                find_verbosity(v),
            )?))),
            None if as_text => Ok(Response::Text(self.find_text(coll, options)?)),
            None => Ok(Response::Docs(self.find_borrowed(coll, options)?)),
        }
    }

    fn respond_update(
        &mut self,
        coll: &str,
        filter: &Document,
        update: &Bson,
        options: WriteOptions,
        multi: bool,
        replace: bool,
    ) -> Result<Response<'_>> {
        let options = options.into_update(multi);
        let r = self.update(coll, filter, update, &options, replace)?;
        Ok(Response::Json(update_result(r)))
    }

    fn respond_find_and_modify(
        &mut self,
        coll: &str,
        target: &FindAndModify,
        update: &Bson,
        options: WriteOptions,
        replace: bool,
    ) -> Result<Response<'_>> {
        let options = options.into_update(false);
        let doc = self.find_one_and_update(
            coll,
            &target.filter,
            update,
            target.sort.as_ref(),
            target.projection.as_ref(),
            &options,
            target.return_document == ReturnDocument::After,
            replace,
        )?;
        Ok(Response::Doc(doc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A command serializes to the JSON shape it was read from: reading that again gives the
    /// same command, so a `Command` built in code and one read from JSON are interchangeable.
    #[test]
    fn commands_serialize_to_the_request_shape() {
        let requests = [
            json!({"op": "insertOne", "collection": "c", "document": {"_id": {"$oid": "507f1f77bcf86cd799439011"}, "at": {"$date": "2024-01-01T00:00:00Z"}}}),
            json!({"op": "insertMany", "collection": "c", "documents": [{"a": 1}, {"a": {"$numberLong": "9007199254740993"}}]}),
            json!({"op": "find", "collection": "c", "filter": {"a": {"$gt": 1}}, "projection": {"a": 1}, "sort": {"a": -1}, "skip": 2, "limit": 5, "explain": "withResults"}),
            json!({"op": "findOne", "collection": "c", "filter": {"a": 1}}),
            json!({"op": "count", "collection": "c", "filter": {"a": 1}, "limit": 3}),
            json!({"op": "explain", "collection": "c", "command": {"op": "count", "filter": {"a": 1}}}),
            json!({"op": "distinct", "collection": "c", "key": "a.b", "filter": {}}),
            json!({"op": "updateMany", "collection": "c", "filter": {}, "update": [{"$set": {"b": 1}}], "upsert": true, "arrayFilters": [{"x.a": 1}]}),
            json!({"op": "replaceOne", "collection": "c", "filter": {"a": 1}, "replacement": {"a": 2}}),
            json!({"op": "deleteMany", "collection": "c", "filter": {"a": 1}}),
            json!({"op": "findOneAndUpdate", "collection": "c", "filter": {"a": 1}, "update": {"$inc": {"a": 1}}, "sort": {"a": 1}, "returnNewDocument": true}),
            json!({"op": "findOneAndDelete", "collection": "c", "filter": {"a": 1}}),
            json!({"op": "aggregate", "collection": "c", "pipeline": [{"$match": {}}], "explain": true}),
            json!({"op": "createIndex", "collection": "c", "keys": {"a": 1}, "unique": true}),
            json!({"op": "dropIndex", "collection": "c", "index": {"a": 1}}),
            json!({"op": "dropIndex", "collection": "c", "name": "a_1"}),
            json!({"op": "listCollections"}),
        ];
        for request in requests {
            let command = Command::from_json(&request);
            let written = command.as_ref().map(|c| serde_json::to_value(c).ok());
            let again = written.clone().map(|w| w.map(|w| Command::from_json(&w)));
            assert_eq!(
                again,
                Ok(Some(command.clone())),
                "{request} wrote {written:?}"
            );
            // Serde's own reading gives the same JSON back (numbers may widen to 64 bits:
            // only `from_json` knows the Extended JSON rules for their width).
            let written = written.ok().flatten();
            let typed = written
                .clone()
                .and_then(|w| serde_json::from_value::<Command>(w).ok())
                .and_then(|c| serde_json::to_value(c).ok());
            assert_eq!(typed, written, "{request}");
        }
    }

    #[test]
    fn an_explain_reads_as_the_explained_command() {
        let explain = json!({"op": "explain", "collection": "c", "verbosity": "queryPlanner", "command": {"op": "find", "filter": {"a": 1}}});
        let find =
            json!({"op": "find", "collection": "c", "filter": {"a": 1}, "explain": "queryPlanner"});
        assert_eq!(Command::from_json(&explain), Command::from_json(&find));
        let Ok(command) = Command::from_json(&find) else {
            panic!("the find does not read");
        };
        assert_eq!(command.op(), "find");
        let stats = command.explained_with_stats();
        assert!(matches!(
            stats,
            Some(Command::Find {
                explain: Some(FindExplain::ExecutionStats),
                ..
            })
        ));
        let insert =
            Command::from_json(&json!({"op": "insertOne", "collection": "c", "document": {}}));
        assert_eq!(insert.map(|c| c.explained_with_stats()), Ok(None));
    }
}
