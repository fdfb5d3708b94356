//! Reading a design from JSON while collecting every structural problem.
//!
//! serde stops at the first error; a learner fixing a hand-edited file wants
//! them all at once, each with its path. So the JSON is parsed into a value
//! first (syntax errors name their line and column), migrated from older
//! format versions, then walked by hand: each key is checked and converted,
//! problems are collected, and the walk goes on.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::*;

mod copies;
mod keys;
mod mindex;

pub use keys::accepted_keys;

/// Parses, migrates and converts a design document.
pub(crate) fn decode(text: &str) -> Result<Design, Vec<Finding>> {
    let value: Value = serde_json::from_str(text).map_err(|e| vec![json_syntax(&e)])?;
    let value = migrate(value)?;
    let mut reader = Reader::default();
    let design = reader.design(&value);
    match design {
        Some(design) if reader.findings.is_empty() => Ok(design),
        _ => Err(reader.findings),
    }
}

/// The finding of a document that is not JSON: `invalid JSON at line 3,
/// column 7: trailing comma`.
pub(crate) fn json_syntax(error: &serde_json::Error) -> Finding {
    Finding::error(
        "json-syntax",
        "",
        format!(
            "invalid JSON at line {}, column {}: {}",
            error.line(),
            error.column(),
            json_error_message(error)
        ),
    )
}

/// What a JSON syntax error says, without the " at line L column C" that
/// serde_json appends: callers say where in front, in their own words
/// (`invalid JSON at line 3, column 7: trailing comma`), from
/// [`serde_json::Error::line`] and [`serde_json::Error::column`].
pub fn json_error_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    }
}

/// Brings a document of any earlier format version up to [`FORMAT_VERSION`],
/// one version at a time.
fn migrate(value: Value) -> Result<Value, Vec<Finding>> {
    let version = match value.get("formatVersion") {
        None => {
            return Err(vec![Finding::error(
                "format-version",
                "formatVersion",
                format!("missing; this build writes formatVersion {FORMAT_VERSION}"),
            )])
        }
        Some(v) => v.as_u64(),
    };
    match version {
        Some(v) if (1..=u64::from(FORMAT_VERSION)).contains(&v) => {
            let mut value = value;
            for from in v..u64::from(FORMAT_VERSION) {
                value = upgrade(from, value);
            }
            Ok(value)
        }
        Some(v) if v > u64::from(FORMAT_VERSION) => Err(vec![Finding::error(
            "format-version",
            "formatVersion",
            format!(
                "version {v} was written by a newer schemaplay; this one reads versions 1 to {FORMAT_VERSION}"
            ),
        )]),
        _ => Err(vec![Finding::error(
            "format-version",
            "formatVersion",
            format!("expected a positive whole number, found {}", describe(value.get("formatVersion"))),
        )]),
    }
}

/// Turns a document of version `from` into one of version `from + 1`.
///
/// Version 2 only adds optional keys, each meaning what a version 1 document
/// meant without it, so a version 1 document is a version 2 document once its
/// version says so. A later version that renames or reshapes a key rewrites it
/// here, in its own arm, so every older file keeps reading.
fn upgrade(from: u64, mut value: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.insert("formatVersion".to_string(), Value::from(from + 1));
    }
    value
}

pub(super) fn describe(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "null".to_string(),
        Some(Value::Bool(b)) => format!("the boolean {b}"),
        Some(Value::Number(n)) => format!("the number {n}"),
        Some(Value::String(s)) => format!("the string {s:?}"),
        Some(Value::Array(_)) => "an array".to_string(),
        Some(Value::Object(_)) => "an object".to_string(),
    }
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Default)]
pub(super) struct Reader {
    pub(super) findings: Vec<Finding>,
    /// When set, the path of every key each object read allows (see [`accepted_keys`]).
    accepted: Option<Vec<String>>,
}

pub(super) type Obj = Map<String, Value>;

impl Reader {
    pub(super) fn error(&mut self, path: String, message: String) {
        self.findings.push(Finding::error("schema", path, message));
    }

    fn object<'v>(&mut self, value: &'v Value, path: &str, keys: &[&str]) -> Option<&'v Obj> {
        let Some(map) = value.as_object() else {
            self.error(
                path.to_string(),
                format!("expected an object, found {}", describe(Some(value))),
            );
            return None;
        };
        if let Some(accepted) = &mut self.accepted {
            accepted.extend(keys.iter().map(|key| join(path, key)));
        }
        for key in map.keys() {
            if !keys.contains(&key.as_str()) {
                self.error(
                    join(path, key),
                    format!(
                        "unknown key \"{key}\" (expected one of {})",
                        quoted_list(keys)
                    ),
                );
            }
        }
        Some(map)
    }

    fn string(&mut self, map: &Obj, key: &str, path: &str) -> Option<String> {
        match map.get(key) {
            None => {
                self.error(join(path, key), "missing".to_string());
                None
            }
            Some(v) => self.string_value(v, &join(path, key)),
        }
    }

    fn string_value(&mut self, value: &Value, path: &str) -> Option<String> {
        match value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.error(
                    path.to_string(),
                    format!("expected a string, found {}", describe(Some(value))),
                );
                None
            }
        }
    }

    fn opt_string(&mut self, map: &Obj, key: &str, path: &str) -> Option<String> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => self.string_value(v, &join(path, key)),
        }
    }

    fn boolean(&mut self, map: &Obj, key: &str, path: &str) -> bool {
        match map.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                self.error(
                    join(path, key),
                    format!("expected true or false, found {}", describe(Some(v))),
                );
                false
            }
        }
    }

    fn opt_boolean(&mut self, map: &Obj, key: &str, path: &str) -> Option<bool> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(_) => Some(self.boolean(map, key, path)),
        }
    }

    fn uint(&mut self, map: &Obj, key: &str, path: &str) -> Option<u64> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_u64() {
                Some(n) => Some(n),
                None => {
                    self.error(
                        join(path, key),
                        format!(
                            "expected a whole number of zero or more, found {}",
                            describe(Some(v))
                        ),
                    );
                    None
                }
            },
        }
    }

    /// An optional whole number that fits 32 bits (a page size, a limit).
    fn opt_u32(&mut self, map: &Obj, key: &str, path: &str) -> Option<u32> {
        match self.uint(map, key, path) {
            Some(n) if n > u64::from(u32::MAX) => {
                self.error(join(path, key), format!("{n} is too large"));
                None
            }
            Some(n) => u32::try_from(n).ok(),
            None => None,
        }
    }

    fn number(&mut self, map: &Obj, key: &str, path: &str) -> f64 {
        match map.get(key) {
            None | Some(Value::Null) => 0.0,
            Some(v) => match v.as_f64() {
                Some(n) if n >= 0.0 && n.is_finite() => n,
                _ => {
                    self.error(
                        join(path, key),
                        format!(
                            "expected a number of zero or more, found {}",
                            describe(Some(v))
                        ),
                    );
                    0.0
                }
            },
        }
    }

    pub(super) fn strings(&mut self, map: &Obj, key: &str, path: &str) -> Vec<String> {
        let path = join(path, key);
        match map.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| self.string_value(v, &index(&path, i)))
                .collect(),
            Some(v) => {
                self.error(
                    path,
                    format!("expected an array of strings, found {}", describe(Some(v))),
                );
                Vec::new()
            }
        }
    }

    /// A camelCase name of one of serde's unit variants.
    pub(super) fn name<T: DeserializeOwned>(
        &mut self,
        map: &Obj,
        key: &str,
        path: &str,
        what: &str,
        names: &[&str],
    ) -> Option<T> {
        let path = join(path, key);
        let value = map.get(key)?;
        let Some(text) = value.as_str() else {
            self.error(
                path,
                format!("expected a {what} name, found {}", describe(Some(value))),
            );
            return None;
        };
        match serde_json::from_value(Value::String(text.to_string())) {
            Ok(v) if names.contains(&text) => Some(v),
            _ => {
                self.error(
                    path,
                    format!(
                        "unknown {what} \"{text}\" (expected one of {})",
                        quoted_list(names)
                    ),
                );
                None
            }
        }
    }

    /// An object whose every value is one of `names` (`{"Post": "parent"}`).
    fn name_map<T: DeserializeOwned>(
        &mut self,
        map: &Obj,
        key: &str,
        path: &str,
        what: &str,
        names: &[&str],
    ) -> BTreeMap<String, T> {
        let mut out = BTreeMap::new();
        match map.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Object(entries)) => {
                let here = join(path, key);
                for name in entries.keys() {
                    if let Some(v) = self.name(entries, name, &here, what, names) {
                        out.insert(name.clone(), v);
                    }
                }
            }
            Some(other) => self.error(
                join(path, key),
                format!("expected an object, found {}", describe(Some(other))),
            ),
        }
        out
    }

    fn array<'v>(&mut self, map: &'v Obj, key: &str, path: &str) -> &'v [Value] {
        match map.get(key) {
            None | Some(Value::Null) => &[],
            Some(Value::Array(items)) => items,
            Some(v) => {
                self.error(
                    join(path, key),
                    format!("expected an array, found {}", describe(Some(v))),
                );
                &[]
            }
        }
    }

    fn design(&mut self, value: &Value) -> Option<Design> {
        let map = self.object(
            value,
            "",
            &[
                "formatVersion",
                "name",
                "description",
                "entities",
                "relationships",
                "accessPatterns",
                "mongo",
                "dynamo",
                "positions",
                "sqlSource",
            ],
        )?;
        let name = self.string(map, "name", "");
        let description = self.opt_string(map, "description", "").unwrap_or_default();
        if !map.contains_key("entities") {
            self.error("entities".to_string(), "missing".to_string());
        }
        let entities = self
            .array(map, "entities", "")
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.entity(v, &index("entities", i)))
            .collect();
        let relationships = self
            .array(map, "relationships", "")
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.relationship(v, &index("relationships", i)))
            .collect();
        let access_patterns = self
            .array(map, "accessPatterns", "")
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.pattern(v, &index("accessPatterns", i)))
            .collect();
        let mongo = match map.get("mongo") {
            None | Some(Value::Null) => Some(MongoChoices::default()),
            Some(v) => self.mongo(v),
        };
        let dynamo = match map.get("dynamo") {
            None | Some(Value::Null) => Some(DynamoChoices::default()),
            Some(v) => self.dynamo(v),
        };
        let positions = self.positions(map.get("positions"));
        let sql_source = match map.get("sqlSource") {
            None | Some(Value::Null) => None,
            Some(v) => Some(Box::new(self.sql_source(v)?)),
        };
        Some(Design {
            format_version: FORMAT_VERSION,
            name: name?,
            description,
            entities,
            relationships,
            access_patterns,
            mongo: mongo?,
            dynamo: dynamo?,
            positions,
            sql_source,
        })
    }

    fn entity(&mut self, value: &Value, path: &str) -> Option<Entity> {
        let map = self.object(value, path, &["name", "id", "fields", "volume", "ttl"])?;
        let name = self.string(map, "name", path);
        let id = self.opt_string(map, "id", path);
        if !map.contains_key("fields") {
            self.error(join(path, "fields"), "missing".to_string());
        }
        let fields = self.fields(map, path, 0);
        let volume = self.uint(map, "volume", path).unwrap_or(0);
        let ttl = match map.get("ttl") {
            None | Some(Value::Null) => None,
            Some(v) => self.ttl(v, &join(path, "ttl")),
        };
        Some(Entity {
            name: name?,
            id,
            fields,
            volume,
            ttl,
        })
    }

    fn fields(&mut self, map: &Obj, path: &str, depth: usize) -> Vec<Field> {
        let fields_path = join(path, "fields");
        self.array(map, "fields", path)
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.field(v, &index(&fields_path, i), depth))
            .collect()
    }

    fn field(&mut self, value: &Value, path: &str, depth: usize) -> Option<Field> {
        let map = self.object(
            value,
            path,
            &[
                "name",
                "type",
                "required",
                "unique",
                "example",
                "generator",
                "default",
                "enum",
                "copyOf",
            ],
        )?;
        let name = self.string(map, "name", path);
        let ty = match map.get("type") {
            None => {
                self.error(join(path, "type"), "missing".to_string());
                None
            }
            Some(v) => self.field_type(v, &join(path, "type"), depth),
        };
        let required = self.boolean(map, "required", path);
        let unique = self.boolean(map, "unique", path);
        let example = map.get("example").filter(|v| !v.is_null()).cloned();
        let generator = self.name(map, "generator", path, "generator", &Generator::NAMES);
        let default = map.get("default").filter(|v| !v.is_null()).cloned();
        let enum_values = self.enum_values(map, path);
        let copy_of = self.copy_of(map, path);
        Some(Field {
            name: name?,
            ty: ty?,
            required,
            unique,
            example,
            generator,
            default,
            enum_values,
            copy_of,
        })
    }

    fn field_type(&mut self, value: &Value, path: &str, depth: usize) -> Option<FieldType> {
        if depth >= MAX_TYPE_DEPTH {
            self.error(
                path.to_string(),
                format!("types nest deeper than {MAX_TYPE_DEPTH} levels"),
            );
            return None;
        }
        match value {
            Value::String(name) => match FieldType::scalar(name) {
                Some(ty) => Some(ty),
                None => {
                    let hint = match name.as_str() {
                        "array" | "object" | "ref" => format!(
                            " (write {{\"{name}\": ...}} for {})",
                            match name.as_str() {
                                "array" => "an array of a type",
                                "object" => "an embedded object with its fields",
                                _ => "a reference to an entity",
                            }
                        ),
                        _ => String::new(),
                    };
                    self.error(path.to_string(), format!("unknown type \"{name}\"{hint}"));
                    None
                }
            },
            Value::Object(map) if map.len() == 1 => {
                let (key, inner) = map.iter().next()?;
                let inner_path = join(path, key);
                match key.as_str() {
                    "array" => self
                        .field_type(inner, &inner_path, depth + 1)
                        .map(|t| FieldType::Array(Box::new(t))),
                    "ref" => self.string_value(inner, &inner_path).map(FieldType::Ref),
                    "object" => match inner {
                        Value::Array(items) => {
                            let fields = items
                                .iter()
                                .enumerate()
                                .filter_map(|(i, v)| {
                                    self.field(v, &index(&inner_path, i), depth + 1)
                                })
                                .collect();
                            Some(FieldType::Object(fields))
                        }
                        other => {
                            self.error(
                                inner_path,
                                format!(
                                    "expected an array of fields, found {}",
                                    describe(Some(other))
                                ),
                            );
                            None
                        }
                    },
                    other => {
                        self.error(
                            path.to_string(),
                            format!(
                                "unknown type \"{other}\" (expected a type name or one of {{\"array\": T}}, {{\"object\": [fields]}}, {{\"ref\": \"Entity\"}})"
                            ),
                        );
                        None
                    }
                }
            }
            other => {
                self.error(
                    path.to_string(),
                    format!(
                        "expected a type name such as \"string\" or one of {{\"array\": T}}, {{\"object\": [fields]}}, {{\"ref\": \"Entity\"}}, found {}",
                        describe(Some(other))
                    ),
                );
                None
            }
        }
    }

    fn relationship(&mut self, value: &Value, path: &str) -> Option<Relationship> {
        let map = self.object(
            value,
            path,
            &[
                "from",
                "to",
                "cardinality",
                "expectedCount",
                "readTogether",
                "field",
                "embed",
                "onDelete",
            ],
        )?;
        let from = self.string(map, "from", path);
        let to = self.string(map, "to", path);
        if !map.contains_key("cardinality") {
            self.error(join(path, "cardinality"), "missing".to_string());
        }
        let cardinality = self.name(map, "cardinality", path, "cardinality", &Cardinality::NAMES);
        let expected_count = self.uint(map, "expectedCount", path).unwrap_or(0);
        let read_together = self.boolean(map, "readTogether", path);
        let field = self.opt_string(map, "field", path);
        let embed = self.opt_boolean(map, "embed", path);
        let on_delete = self.on_delete(map, path);
        Some(Relationship {
            from: from?,
            to: to?,
            cardinality: cardinality?,
            expected_count,
            read_together,
            field,
            embed,
            on_delete,
        })
    }

    fn pattern(&mut self, value: &Value, path: &str) -> Option<AccessPattern> {
        let map = self.object(
            value,
            path,
            &[
                "name",
                "entity",
                "kind",
                "equality",
                "range",
                "sort",
                "pageSize",
                "fields",
                "caseInsensitive",
                "update",
                "condition",
                "version",
                "transactional",
                "transaction",
                "aggregate",
                "requestsPerSecond",
                "consistency",
                "hotKeyShare",
            ],
        )?;
        let name = self.string(map, "name", path);
        let entity = self.string(map, "entity", path);
        if !map.contains_key("kind") {
            self.error(join(path, "kind"), "missing".to_string());
        }
        let kind = self.name(map, "kind", path, "pattern kind", &PatternKind::NAMES);
        let equality = self.strings(map, "equality", path);
        let range = self.opt_string(map, "range", path);
        let sort = match map.get("sort") {
            None | Some(Value::Null) => None,
            Some(v) => self.sort(v, &join(path, "sort")),
        };
        let page_size = self.opt_u32(map, "pageSize", path);
        let fields = self.strings(map, "fields", path);
        let case_insensitive = self.boolean(map, "caseInsensitive", path);
        let update = self.name(
            map,
            "update",
            path,
            "update action",
            &["set", "increment", "push"],
        );
        let condition = match map.get("condition") {
            None | Some(Value::Null) => None,
            Some(v) => self.condition(v, &join(path, "condition")),
        };
        let version = self.opt_string(map, "version", path);
        let transactional = self.boolean(map, "transactional", path);
        let transaction = self.transaction_parts(map, path);
        let aggregate = match map.get("aggregate") {
            None | Some(Value::Null) => None,
            Some(v) => self.aggregate(v, &join(path, "aggregate")),
        };
        let requests_per_second = self.number(map, "requestsPerSecond", path);
        let consistency = self
            .name(
                map,
                "consistency",
                path,
                "consistency",
                &["eventual", "strong"],
            )
            .unwrap_or_default();
        let hot_key_share = self.hot_key_share(map, path);
        Some(AccessPattern {
            name: name?,
            entity: entity?,
            kind: kind?,
            equality,
            range,
            sort,
            page_size,
            fields,
            case_insensitive,
            update,
            condition,
            version,
            transactional,
            transaction,
            aggregate,
            requests_per_second,
            consistency,
            hot_key_share,
        })
    }

    /// A pattern's `transaction`: `[{"pattern": "Reserve stock", "count": 3}]`.
    fn transaction_parts(&mut self, map: &Obj, path: &str) -> Vec<TransactionPart> {
        let mut parts = Vec::new();
        for (i, value) in self.array(map, "transaction", path).iter().enumerate() {
            let at = index(&join(path, "transaction"), i);
            let Some(part) = self.object(value, &at, &["pattern", "count"]) else {
                continue;
            };
            let pattern = self.string(part, "pattern", &at);
            let count = match self.uint(part, "count", &at) {
                None => 1,
                Some(n) => u32::try_from(n).unwrap_or(u32::MAX),
            };
            if let Some(pattern) = pattern {
                parts.push(TransactionPart { pattern, count });
            }
        }
        parts
    }

    /// A pattern's `aggregate`: `{"groupBy": [...], "aggregates": [{"op", "field", "as"}], "limit"}`.
    fn aggregate(&mut self, value: &Value, path: &str) -> Option<AggregateSpec> {
        let map = self.object(value, path, &["groupBy", "aggregates", "limit"])?;
        let group_by = self.strings(map, "groupBy", path);
        if !map.contains_key("aggregates") {
            self.error(join(path, "aggregates"), "missing".to_string());
        }
        let mut aggregates = Vec::new();
        for (i, value) in self.array(map, "aggregates", path).iter().enumerate() {
            let at = index(&join(path, "aggregates"), i);
            let Some(a) = self.object(value, &at, &["op", "field", "as"]) else {
                continue;
            };
            if !a.contains_key("op") {
                self.error(join(&at, "op"), "missing".to_string());
            }
            let op = self.name(a, "op", &at, "aggregate op", &AggregateOp::NAMES);
            let field = self.opt_string(a, "field", &at);
            let output = self.string(a, "as", &at);
            if let (Some(op), Some(output)) = (op, output) {
                aggregates.push(Aggregate { op, field, output });
            }
        }
        let limit = self.opt_u32(map, "limit", path);
        Some(AggregateSpec {
            group_by,
            aggregates,
            limit,
        })
    }

    fn sort(&mut self, value: &Value, path: &str) -> Option<SortSpec> {
        let map = self.object(value, path, &["field", "order"])?;
        let field = self.string(map, "field", path);
        let order = self
            .name(map, "order", path, "sort order", &["asc", "desc"])
            .unwrap_or_default();
        Some(SortSpec {
            field: field?,
            order,
        })
    }

    fn condition(&mut self, value: &Value, path: &str) -> Option<Condition> {
        let map = self.object(value, path, &["field", "op", "value"])?;
        let field = self.string(map, "field", path);
        if !map.contains_key("op") {
            self.error(join(path, "op"), "missing".to_string());
        }
        let op = self.name(map, "op", path, "condition operator", &ConditionOp::NAMES);
        let value = map.get("value").filter(|v| !v.is_null()).cloned();
        Some(Condition {
            field: field?,
            op: op?,
            value,
        })
    }

    fn mongo(&mut self, value: &Value) -> Option<MongoChoices> {
        let map = self.object(value, "mongo", &["collections", "indexes"])?;
        let mut collections = BTreeMap::new();
        match map.get("collections") {
            None | Some(Value::Null) => {}
            Some(Value::Object(names)) => {
                for (entity, name) in names {
                    let path = format!("mongo.collections.{entity}");
                    if let Some(name) = self.string_value(name, &path) {
                        collections.insert(entity.clone(), name);
                    }
                }
            }
            Some(other) => self.error(
                "mongo.collections".to_string(),
                format!("expected an object, found {}", describe(Some(other))),
            ),
        }
        let indexes = self.mongo_indexes(map);
        Some(MongoChoices {
            collections,
            indexes,
        })
    }

    fn dynamo(&mut self, value: &Value) -> Option<DynamoChoices> {
        let path = "dynamo";
        let map = self.object(
            value,
            path,
            &[
                "tableName",
                "partitionKey",
                "sortKey",
                "keyTemplates",
                "indexes",
                "billingMode",
                "projections",
                "placements",
                "sortIndexes",
                "counters",
            ],
        )?;
        let defaults = DynamoChoices::default();
        let table_name = self
            .opt_string(map, "tableName", path)
            .unwrap_or(defaults.table_name);
        let partition_key = self
            .opt_string(map, "partitionKey", path)
            .unwrap_or(defaults.partition_key);
        let sort_key = self
            .opt_string(map, "sortKey", path)
            .unwrap_or(defaults.sort_key);
        let mut key_templates = BTreeMap::new();
        match map.get("keyTemplates") {
            None | Some(Value::Null) => {}
            Some(Value::Object(templates)) => {
                for (entity, template) in templates {
                    let tpath = format!("dynamo.keyTemplates.{entity}");
                    if let Some(t) = self.object(template, &tpath, &["pk", "sk"]) {
                        let pk = self.string(t, "pk", &tpath);
                        let sk = self.string(t, "sk", &tpath);
                        if let (Some(pk), Some(sk)) = (pk, sk) {
                            key_templates.insert(entity.clone(), KeyTemplate { pk, sk });
                        }
                    }
                }
            }
            Some(other) => self.error(
                "dynamo.keyTemplates".to_string(),
                format!("expected an object, found {}", describe(Some(other))),
            ),
        }
        let indexes = self
            .array(map, "indexes", path)
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let ipath = index("dynamo.indexes", i);
                let m = self.object(v, &ipath, &["name", "partitionKey", "sortKey", "local"])?;
                let name = self.string(m, "name", &ipath);
                let partition_key = self.string(m, "partitionKey", &ipath);
                let sort_key = self.opt_string(m, "sortKey", &ipath);
                let local = self.boolean(m, "local", &ipath);
                Some(IndexChoice {
                    name: name?,
                    partition_key: partition_key?,
                    sort_key,
                    local,
                })
            })
            .collect();
        let billing_mode = self
            .name(
                map,
                "billingMode",
                path,
                "billing mode",
                &["onDemand", "provisioned"],
            )
            .unwrap_or_default();
        let projections = self.projections(map.get("projections"));
        let placements = self.name_map(map, "placements", path, "placement", &Placement::NAMES);
        let sort_indexes =
            self.name_map(map, "sortIndexes", path, "index scope", &IndexScope::NAMES);
        let counters = self.name_map(
            map,
            "counters",
            path,
            "counter choice",
            &CounterChoice::NAMES,
        );
        Some(DynamoChoices {
            table_name,
            partition_key,
            sort_key,
            key_templates,
            indexes,
            billing_mode,
            projections,
            placements,
            sort_indexes,
            counters,
        })
    }

    fn positions(&mut self, value: Option<&Value>) -> BTreeMap<String, Position> {
        let mut positions = BTreeMap::new();
        match value {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (entity, pos) in map {
                    let path = format!("positions.{entity}");
                    let Some(p) = self.object(pos, &path, &["x", "y"]) else {
                        continue;
                    };
                    let coordinate =
                        |r: &mut Reader, key: &str| match p.get(key).and_then(Value::as_f64) {
                            Some(n) => Some(n),
                            None => {
                                r.error(
                                    join(&path, key),
                                    format!("expected a number, found {}", describe(p.get(key))),
                                );
                                None
                            }
                        };
                    let x = coordinate(self, "x");
                    let y = coordinate(self, "y");
                    if let (Some(x), Some(y)) = (x, y) {
                        positions.insert(entity.clone(), Position { x, y });
                    }
                }
            }
            Some(other) => self.error(
                "positions".to_string(),
                format!("expected an object, found {}", describe(Some(other))),
            ),
        }
        positions
    }

    fn sql_source(&mut self, value: &Value) -> Option<SqlSource> {
        let path = "sqlSource";
        let map = self.object(value, path, &["dialect", "tables"])?;
        let dialect = self.string(map, "dialect", path);
        let tables: Vec<Option<SqlTable>> = self
            .array(map, "tables", path)
            .iter()
            .enumerate()
            .map(|(i, v)| self.sql_table(v, &index(&join(path, "tables"), i)))
            .collect();
        Some(SqlSource {
            dialect: dialect?,
            tables: tables.into_iter().collect::<Option<_>>()?,
        })
    }

    fn sql_table(&mut self, value: &Value, path: &str) -> Option<SqlTable> {
        let map = self.object(
            value,
            path,
            &["table", "entity", "link", "columns", "primaryKey", "rows"],
        )?;
        let table = self.string(map, "table", path);
        let entity = self.opt_string(map, "entity", path);
        let link = match map.get("link") {
            None | Some(Value::Null) => None,
            Some(v) => Some(self.sql_link(v, &join(path, "link"))?),
        };
        let columns: Vec<Option<SqlColumn>> = self
            .array(map, "columns", path)
            .iter()
            .enumerate()
            .map(|(i, v)| self.sql_column(v, &index(&join(path, "columns"), i)))
            .collect();
        let primary_key = self.strings(map, "primaryKey", path);
        let rows = self.uint(map, "rows", path).unwrap_or(0);
        Some(SqlTable {
            table: table?,
            entity,
            link,
            columns: columns.into_iter().collect::<Option<_>>()?,
            primary_key,
            rows,
        })
    }

    fn sql_column(&mut self, value: &Value, path: &str) -> Option<SqlColumn> {
        let map = self.object(value, path, &["column", "field", "sqlType"])?;
        let column = self.string(map, "column", path);
        let field = self.opt_string(map, "field", path);
        let sql_type = self.opt_string(map, "sqlType", path).unwrap_or_default();
        Some(SqlColumn {
            column: column?,
            field,
            sql_type,
        })
    }

    fn sql_link(&mut self, value: &Value, path: &str) -> Option<SqlLink> {
        let map = self.object(value, path, &["from", "fromColumn", "to", "toColumn"])?;
        let from = self.string(map, "from", path);
        let from_column = self.string(map, "fromColumn", path);
        let to = self.string(map, "to", path);
        let to_column = self.string(map, "toColumn", path);
        Some(SqlLink {
            from: from?,
            from_column: from_column?,
            to: to?,
            to_column: to_column?,
        })
    }
}
