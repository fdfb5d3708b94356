//! Reading declared MongoDB indexes (`mongo.indexes`) and a field's `enum`.

use serde_json::Value;

use super::{describe, index, join, Obj, Reader};
use crate::model::{IndexCollation, KeyOrder, MongoIndex, MongoIndexKey, Ttl};

impl Reader {
    /// `mongo.indexes`: each index with its keys and options.
    pub(super) fn mongo_indexes(&mut self, map: &Obj) -> Vec<MongoIndex> {
        self.array(map, "indexes", "mongo")
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.mongo_index(v, &index("mongo.indexes", i)))
            .collect()
    }

    fn mongo_index(&mut self, value: &Value, path: &str) -> Option<MongoIndex> {
        let map = self.object(
            value,
            path,
            &[
                "entity",
                "name",
                "keys",
                "unique",
                "sparse",
                "partialFilterExpression",
                "expireAfterSeconds",
                "collation",
            ],
        )?;
        let entity = self.string(map, "entity", path);
        let name = self.opt_string(map, "name", path);
        if !map.contains_key("keys") {
            self.error(join(path, "keys"), "missing".to_string());
        }
        let keys_path = join(path, "keys");
        let keys: Vec<MongoIndexKey> = self
            .array(map, "keys", path)
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.index_key(v, &index(&keys_path, i)))
            .collect();
        let unique = self.boolean(map, "unique", path);
        let sparse = self.boolean(map, "sparse", path);
        let partial_filter_expression = match map.get("partialFilterExpression") {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => Some(v.clone()),
            Some(other) => {
                self.error(
                    join(path, "partialFilterExpression"),
                    format!(
                        "expected a filter document, found {}",
                        describe(Some(other))
                    ),
                );
                None
            }
        };
        let expire_after_seconds = self.uint(map, "expireAfterSeconds", path);
        let collation = match map.get("collation") {
            None | Some(Value::Null) => None,
            Some(v) => self.collation(v, &join(path, "collation")),
        };
        Some(MongoIndex {
            entity: entity?,
            name,
            keys,
            unique,
            sparse,
            partial_filter_expression,
            expire_after_seconds,
            collation,
        })
    }

    fn index_key(&mut self, value: &Value, path: &str) -> Option<MongoIndexKey> {
        let map = self.object(value, path, &["field", "order", "weight"])?;
        let field = self.string(map, "field", path);
        let order = match map.get("order") {
            None | Some(Value::Null) => Some(KeyOrder::Asc),
            Some(v) => {
                let order = KeyOrder::from_json(v);
                if order.is_none() {
                    self.error(
                        join(path, "order"),
                        format!("expected 1, -1 or \"text\", found {}", describe(Some(v))),
                    );
                }
                order
            }
        };
        let weight = match self.uint(map, "weight", path) {
            Some(w) if w == 0 || w >= 100_000 => {
                self.error(
                    join(path, "weight"),
                    format!("a text weight is from 1 to 99999, found {w}"),
                );
                None
            }
            w => w.and_then(|w| u32::try_from(w).ok()),
        };
        Some(MongoIndexKey {
            field: field?,
            order: order?,
            weight,
        })
    }

    fn collation(&mut self, value: &Value, path: &str) -> Option<IndexCollation> {
        let map = self.object(value, path, &["locale", "strength"])?;
        let locale = self.string(map, "locale", path);
        let strength = match self.uint(map, "strength", path) {
            Some(s @ 1..=5) => u8::try_from(s).ok(),
            Some(s) => {
                self.error(
                    join(path, "strength"),
                    format!("a collation strength is from 1 to 5, found {s}"),
                );
                None
            }
            None => None,
        };
        Some(IndexCollation {
            locale: locale?,
            strength,
        })
    }

    /// An entity's `ttl`: the date field and the seconds after it.
    pub(super) fn ttl(&mut self, value: &Value, path: &str) -> Option<Ttl> {
        // The first form, a field name alone, expires at that date.
        if let Value::String(field) = value {
            return Some(Ttl {
                field: field.clone(),
                after_seconds: 0,
            });
        }
        let map = self.object(value, path, &["field", "afterSeconds"])?;
        let field = self.string(map, "field", path);
        let after_seconds = self.uint(map, "afterSeconds", path).unwrap_or(0);
        Some(Ttl {
            field: field?,
            after_seconds,
        })
    }

    /// A field's `enum`: an array of values (their types are checked by validation).
    pub(super) fn enum_values(&mut self, map: &Obj, path: &str) -> Vec<Value> {
        match map.get("enum") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(values)) => values.clone(),
            Some(other) => {
                self.error(
                    join(path, "enum"),
                    format!(
                        "expected an array of values, found {}",
                        describe(Some(other))
                    ),
                );
                Vec::new()
            }
        }
    }
}
