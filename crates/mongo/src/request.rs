//! The JSON entry point: one request document in, one response out, both in Extended JSON.
//! The facade, the web console, the CLI and the benchmark all call [`Database::execute`].

use std::borrow::Cow;

use bson::{Bson, Document};
use serde_json::{json, Value};

use crate::database::{Database, FindOptions, UpdateOptions, Verbosity};
use crate::error::{MongoError, Result};

fn to_bson(value: &Value, field: &str) -> Result<Bson> {
    Bson::try_from(value.clone()).map_err(|e| {
        MongoError::failed_to_parse(format!("'{field}' is not valid Extended JSON: {e}"))
    })
}

fn out(value: Bson) -> Value {
    value.into_relaxed_extjson()
}

fn out_docs(docs: Vec<Document>) -> Value {
    Value::Array(docs.into_iter().map(|d| out(Bson::Document(d))).collect())
}

/// Reads the fields of one request.
struct Req<'a> {
    op: &'a str,
    body: &'a serde_json::Map<String, Value>,
}

impl Req<'_> {
    fn wrong_type(&self, field: &str, found: &Value, expected: &str) -> MongoError {
        let found = match found {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        MongoError::type_mismatch(format!(
            "BSON field '{}.{field}' is the wrong type '{found}', expected type '{expected}'",
            self.op
        ))
    }

    fn doc(&self, field: &str) -> Result<Option<Document>> {
        match self.body.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v @ Value::Object(_)) => match to_bson(v, field)? {
                Bson::Document(d) => Ok(Some(d)),
                // `{"$date": ...}` and friends are values, not documents.
                _ => Err(self.wrong_type(field, v, "object")),
            },
            Some(v) => Err(self.wrong_type(field, v, "object")),
        }
    }

    fn required_doc(&self, field: &str) -> Result<Document> {
        self.doc(field)?.ok_or_else(|| {
            MongoError::new(
                40414,
                "Location40414",
                format!(
                    "BSON field '{}.{field}' is missing but a required field",
                    self.op
                ),
            )
        })
    }

    fn docs(&self, field: &str) -> Result<Vec<Document>> {
        match self.body.get(field) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| match to_bson(i, field)? {
                    Bson::Document(d) => Ok(d),
                    _ => Err(self.wrong_type(field, i, "object")),
                })
                .collect(),
            None => Err(MongoError::new(
                40414,
                "Location40414",
                format!(
                    "BSON field '{}.{field}' is missing but a required field",
                    self.op
                ),
            )),
            Some(v) => Err(self.wrong_type(field, v, "array")),
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

    fn update_options(&self, multi: bool) -> Result<UpdateOptions> {
        let array_filters = match self.body.get("arrayFilters") {
            None | Some(Value::Null) => Vec::new(),
            Some(_) => self.docs("arrayFilters")?,
        };
        Ok(UpdateOptions {
            upsert: self.bool("upsert")?,
            array_filters,
            multi,
            collation: self.doc("collation")?,
            bypass_validation: self.bool("bypassDocumentValidation")?,
        })
    }

    fn update_value(&self, field: &str) -> Result<Bson> {
        match self.body.get(field) {
            Some(v @ (Value::Object(_) | Value::Array(_))) => to_bson(v, field),
            Some(v) => Err(self.wrong_type(field, v, "object")),
            None => Err(MongoError::new(
                40414,
                "Location40414",
                format!(
                    "BSON field '{}.{field}' is missing but a required field",
                    self.op
                ),
            )),
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

/// A response before it is written out: documents stay BSON until the caller picks a form.
enum Response<'a> {
    Json(Value),
    Docs(Vec<Cow<'a, Document>>),
    Doc(Option<Document>),
    /// Already written as JSON text.
    Text(String),
}

impl Database {
    /// Runs one request (see the crate documentation for its shape) and returns the response.
    pub fn execute(&mut self, request: &Value) -> Result<Value> {
        Ok(match self.run(request, false)? {
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
        Ok(match self.run(&request, true)? {
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

    /// Runs a request; `as_text` lets a find answer with JSON text directly.
    fn run(&mut self, request: &Value, as_text: bool) -> Result<Response<'_>> {
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
            return Ok(Response::Docs(
                self.collection_infos()
                    .into_iter()
                    .map(Cow::Owned)
                    .collect(),
            ));
        }
        if op == "getLog" {
            let lines: Vec<Value> = self
                .log()
                .iter()
                .map(|l| Value::String(l.clone()))
                .collect();
            return Ok(Response::Json(
                json!({"totalLinesWritten": lines.len(), "log": lines, "ok": 1}),
            ));
        }
        if op == "explain" {
            return self.execute_explain(&req).map(Response::Json);
        }
        let coll = req
            .string("collection")?
            .ok_or_else(|| {
                MongoError::failed_to_parse(format!("'{op}' needs a \"collection\" field"))
            })?
            .to_string();
        let coll = coll.as_str();
        match op {
            "createCollection" | "collMod" => {
                let mut options = req.doc("options")?.unwrap_or_default();
                for (k, v) in body {
                    if !matches!(k.as_str(), "op" | "collection" | "options") {
                        options.insert(k.clone(), to_bson(v, k)?);
                    }
                }
                if op == "collMod" {
                    let mut changed = self.coll_mod(coll, &options)?;
                    changed.insert("ok", 1);
                    return Ok(Response::Json(out(Bson::Document(changed))));
                }
                self.create_collection(coll, &options)?;
                Ok(Response::Json(json!({"ok": 1})))
            }
            "insertOne" => {
                let doc = req.required_doc("document")?;
                let id = self.insert_one_with(coll, doc, req.bool("bypassDocumentValidation")?)?;
                Ok(Response::Json(acknowledged(json!({"insertedId": out(id)}))))
            }
            "insertMany" => {
                let docs = req.docs("documents")?;
                let ids =
                    self.insert_many_with(coll, docs, req.bool("bypassDocumentValidation")?)?;
                let mut map = serde_json::Map::new();
                for (i, id) in ids.into_iter().enumerate() {
                    map.insert(i.to_string(), out(id));
                }
                Ok(Response::Json(acknowledged(
                    json!({"insertedIds": Value::Object(map)}),
                )))
            }
            "find" => {
                let opts = req.find_options()?;
                if req.body.get("explain").and_then(Value::as_str) == Some("withResults") {
                    return if as_text {
                        let (results, explain) = self.find_explained_text(coll, &opts)?;
                        let explain = serde_json::to_string(&out(Bson::Document(explain)))
                            .unwrap_or_else(|_| "null".into());
                        Ok(Response::Text(format!(
                            "{{\"results\":{results},\"explain\":{explain}}}"
                        )))
                    } else {
                        let (results, explain) = self.find_explained(coll, &opts)?;
                        Ok(Response::Json(json!({
                            "results": out_docs(results),
                            "explain": out(Bson::Document(explain)),
                        })))
                    };
                }
                match req.verbosity()? {
                    Some(v) => Ok(Response::Json(out(Bson::Document(
                        self.explain_find(coll, &opts, v)?,
                    )))),
                    None if as_text => Ok(Response::Text(self.find_text(coll, &opts)?)),
                    None => Ok(Response::Docs(self.find_borrowed(coll, &opts)?)),
                }
            }
            "findOne" => {
                let opts = req.find_options()?;
                Ok(Response::Doc(self.find_one(coll, &opts)?))
            }
            "countDocuments" | "count" => {
                let filter = req.doc("filter")?.unwrap_or_default();
                let collation = req.doc("collation")?;
                if let Some(v) = req.verbosity()? {
                    return Ok(Response::Json(out(Bson::Document(
                        self.explain_count_collated(coll, &filter, v, collation.as_ref())?,
                    ))));
                }
                let opts = req.find_options()?;
                if opts.skip > 0 || opts.limit != 0 {
                    return Ok(Response::Json(json!(self
                        .find(
                            coll,
                            &FindOptions {
                                projection: None,
                                sort: None,
                                ..opts
                            }
                        )?
                        .len())));
                }
                Ok(Response::Json(json!(self.count_documents_collated(
                    coll,
                    &filter,
                    collation.as_ref()
                )?)))
            }
            "distinct" => {
                let key = req.string("key")?.ok_or_else(|| {
                    MongoError::failed_to_parse("'distinct' needs a \"key\" field")
                })?;
                let filter = req.doc("filter")?.unwrap_or_default();
                Ok(Response::Json(Value::Array(
                    self.distinct_collated(coll, key, &filter, req.doc("collation")?.as_ref())?
                        .into_iter()
                        .map(out)
                        .collect(),
                )))
            }
            "updateOne" | "updateMany" | "replaceOne" => {
                let filter = req.doc("filter")?.unwrap_or_default();
                let replace = op == "replaceOne";
                let update = if replace && body.contains_key("replacement") {
                    req.update_value("replacement")?
                } else {
                    req.update_value("update")?
                };
                let opts = req.update_options(op == "updateMany")?;
                let r = self.update(coll, &filter, &update, &opts, replace)?;
                Ok(Response::Json(acknowledged(json!({
                    "matchedCount": r.matched,
                    "modifiedCount": r.modified,
                    "upsertedCount": u64::from(r.upserted_id.is_some()),
                    "upsertedId": r.upserted_id.map_or(Value::Null, out),
                }))))
            }
            "deleteOne" | "deleteMany" => {
                let filter = req.doc("filter")?.unwrap_or_default();
                let collation = req.doc("collation")?;
                let n =
                    self.delete_collated(coll, &filter, op == "deleteMany", collation.as_ref())?;
                Ok(Response::Json(acknowledged(json!({"deletedCount": n}))))
            }
            "findOneAndUpdate" | "findOneAndReplace" => {
                let filter = req.doc("filter")?.unwrap_or_default();
                let replace = op == "findOneAndReplace";
                let update = if replace && body.contains_key("replacement") {
                    req.update_value("replacement")?
                } else {
                    req.update_value("update")?
                };
                let after = matches!(req.string("returnDocument")?, Some("after"))
                    || req.bool("returnNewDocument")?;
                let opts = req.update_options(false)?;
                let doc = self.find_one_and_update(
                    coll,
                    &filter,
                    &update,
                    req.doc("sort")?.as_ref(),
                    req.doc("projection")?.as_ref(),
                    &opts,
                    after,
                    replace,
                )?;
                Ok(Response::Doc(doc))
            }
            "findOneAndDelete" => {
                let filter = req.doc("filter")?.unwrap_or_default();
                let doc = self.find_one_and_delete_collated(
                    coll,
                    &filter,
                    req.doc("sort")?.as_ref(),
                    req.doc("collation")?.as_ref(),
                )?;
                Ok(Response::Doc(doc))
            }
            "aggregate" => {
                let pipeline = req.docs("pipeline")?;
                let collation = req.doc("collation")?;
                match req.verbosity()? {
                    Some(v) => Ok(Response::Json(out(Bson::Document(
                        self.explain_aggregate_collated(coll, &pipeline, v, collation.as_ref())?,
                    )))),
                    None => Ok(Response::Docs(self.aggregate_collated(
                        coll,
                        &pipeline,
                        collation.as_ref(),
                    )?)),
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
                    if let Some(v) = body.get(k) {
                        options.insert(k, to_bson(v, k)?);
                    }
                }
                Ok(Response::Json(Value::String(
                    self.create_index(coll, &key, &options)?,
                )))
            }
            "dropIndex" => {
                let name = match body.get("name").or_else(|| body.get("index")) {
                    Some(Value::String(s)) => s.clone(),
                    Some(v @ Value::Object(_)) => match to_bson(v, "index")? {
                        Bson::Document(key) => self
                            .collection(coll)
                            .ok_or_else(|| {
                                MongoError::namespace_not_found(format!(
                                    "ns not found {}.{coll}",
                                    self.name()
                                ))
                            })?
                            .index_name_for_key(&key)?,
                        _ => return Err(req.wrong_type("index", v, "string")),
                    },
                    _ => {
                        return Err(MongoError::failed_to_parse(
                            "'dropIndex' needs a \"name\" (or an \"index\" key pattern)",
                        ))
                    }
                };
                let was = self.drop_index(coll, &name)?;
                Ok(Response::Json(json!({"nIndexesWas": was, "ok": 1})))
            }
            "listIndexes" => Ok(Response::Docs(
                self.list_indexes(coll)?
                    .into_iter()
                    .map(Cow::Owned)
                    .collect(),
            )),
            "drop" => Ok(Response::Json(Value::Bool(self.drop_collection(coll)))),
            other => Err(MongoError::new(
                59,
                "CommandNotFound",
                format!("no such command: '{other}'"),
            )),
        }
    }

    /// `{"op": "explain", "verbosity": ..., "command": {"op": "find" | "aggregate" | "count", ...}}`.
    fn execute_explain(&mut self, req: &Req) -> Result<Value> {
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
                self.execute(&Value::Object(inner))
            }
            Some(other) => Err(MongoError::bad_value(format!(
                "explain does not support '{other}': use find, aggregate or count"
            ))),
            None => Err(MongoError::failed_to_parse(
                "the explained command needs an \"op\"",
            )),
        }
    }
}
