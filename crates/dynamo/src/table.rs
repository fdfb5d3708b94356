//! Tables: key schema, secondary indexes, and storage ordered per partition.
//!
//! Items live in `partition key -> (sort key -> item)` B-trees, so a Query finds its partition
//! and its first sort key in O(log n) and then reads k items in order. Each secondary index keeps
//! `index partition key -> index sort key -> set of table keys`, updated on every write.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{DynamoError, Result};
use crate::number::Number;
use crate::value::{item_size, AttributeValue, Item};

/// Largest item DynamoDB stores, in bytes.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;
/// Longest attribute name DynamoDB accepts, in bytes.
pub const MAX_ATTRIBUTE_NAME_BYTES: usize = 65535;
/// Longest key attribute name (table and index keys), in bytes.
pub const MAX_KEY_NAME_BYTES: usize = 255;
/// Largest partition key value, in bytes.
const MAX_HASH_KEY_BYTES: usize = 2048;
/// Largest sort key value, in bytes.
const MAX_RANGE_KEY_BYTES: usize = 1024;

/// The scalar types a key attribute may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarType {
    S,
    N,
    B,
}

impl ScalarType {
    pub fn parse(text: &str) -> Option<ScalarType> {
        match text {
            "S" => Some(ScalarType::S),
            "N" => Some(ScalarType::N),
            "B" => Some(ScalarType::B),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        }
    }
}

/// A key attribute value; its order is DynamoDB's key order (UTF-8 bytes, numeric, unsigned bytes).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyValue {
    S(String),
    N(Number),
    B(Vec<u8>),
}

impl KeyValue {
    pub fn from_attribute(v: &AttributeValue) -> Option<KeyValue> {
        match v {
            AttributeValue::S(s) => Some(KeyValue::S(s.clone())),
            AttributeValue::N(n) => Some(KeyValue::N(n.clone())),
            AttributeValue::B(b) => Some(KeyValue::B(b.clone())),
            _ => None,
        }
    }

    pub fn to_attribute(&self) -> AttributeValue {
        match self {
            KeyValue::S(s) => AttributeValue::S(s.clone()),
            KeyValue::N(n) => AttributeValue::N(n.clone()),
            KeyValue::B(b) => AttributeValue::B(b.clone()),
        }
    }

    pub fn scalar_type(&self) -> ScalarType {
        match self {
            KeyValue::S(_) => ScalarType::S,
            KeyValue::N(_) => ScalarType::N,
            KeyValue::B(_) => ScalarType::B,
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            KeyValue::S(s) => s.is_empty(),
            KeyValue::B(b) => b.is_empty(),
            KeyValue::N(_) => false,
        }
    }
}

/// One key attribute: its name and type.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyAttr {
    pub name: String,
    pub ty: ScalarType,
}

/// A partition key and an optional sort key.
#[derive(Clone, Debug, PartialEq)]
pub struct KeySchema {
    pub hash: KeyAttr,
    pub range: Option<KeyAttr>,
}

impl KeySchema {
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.hash.name.as_str()).chain(self.range.as_ref().map(|r| r.name.as_str()))
    }
}

/// A table's primary key value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PrimaryKey {
    pub hash: KeyValue,
    pub range: Option<KeyValue>,
}

/// Which attributes an index copies from the table.
#[derive(Clone, Debug, PartialEq)]
pub enum Projection {
    KeysOnly,
    Include(Vec<String>),
    All,
}

impl Projection {
    pub fn type_name(&self) -> &'static str {
        match self {
            Projection::KeysOnly => "KEYS_ONLY",
            Projection::Include(_) => "INCLUDE",
            Projection::All => "ALL",
        }
    }
}

/// A global or local secondary index and its entries.
#[derive(Clone, Debug)]
pub struct Index {
    pub name: String,
    pub global: bool,
    pub schema: KeySchema,
    pub projection: Projection,
    /// index partition key -> index sort key -> table keys of the items there.
    pub entries: BTreeMap<KeyValue, BTreeMap<Option<KeyValue>, BTreeSet<PrimaryKey>>>,
    pub item_count: usize,
    pub size_bytes: usize,
}

impl Index {
    /// The index key of `item`, or `None` when the item lacks an index key attribute (sparse).
    fn key_of(&self, item: &Item) -> Option<(KeyValue, Option<KeyValue>)> {
        let hash = KeyValue::from_attribute(item.get(&self.schema.hash.name)?)?;
        let range = match &self.schema.range {
            Some(r) => Some(KeyValue::from_attribute(item.get(&r.name)?)?),
            None => None,
        };
        Some((hash, range))
    }

    /// The item as stored in the index: the projected attributes only.
    pub fn project(&self, item: &Item, table_schema: &KeySchema) -> Item {
        match &self.projection {
            Projection::All => item.clone(),
            Projection::KeysOnly | Projection::Include(_) => item
                .iter()
                .filter(|(k, _)| self.projects(k, table_schema))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// The size of the item as stored in the index, without building the projection.
    pub fn projected_size(&self, item: &Item, table_schema: &KeySchema) -> usize {
        match &self.projection {
            Projection::All => item_size(item),
            Projection::KeysOnly | Projection::Include(_) => item
                .iter()
                .filter(|(k, _)| self.projects(k, table_schema))
                .map(|(k, v)| k.len() + v.size())
                .sum(),
        }
    }

    /// Whether the index copies the attribute `name`.
    fn projects(&self, name: &str, table_schema: &KeySchema) -> bool {
        table_schema.names().any(|n| n == name)
            || self.schema.names().any(|n| n == name)
            || match &self.projection {
                Projection::All => true,
                Projection::Include(attrs) => attrs.iter().any(|a| a == name),
                Projection::KeysOnly => false,
            }
    }

    fn insert(&mut self, item: &Item, key: &PrimaryKey, table_schema: &KeySchema) {
        if let Some((h, r)) = self.key_of(item) {
            if self
                .entries
                .entry(h)
                .or_default()
                .entry(r)
                .or_default()
                .insert(key.clone())
            {
                self.item_count += 1;
                self.size_bytes += self.projected_size(item, table_schema);
            }
        }
    }

    fn remove(&mut self, item: &Item, key: &PrimaryKey, table_schema: &KeySchema) {
        let Some((h, r)) = self.key_of(item) else {
            return;
        };
        let projected_size = self.projected_size(item, table_schema);
        let Some(partition) = self.entries.get_mut(&h) else {
            return;
        };
        if let Some(keys) = partition.get_mut(&r) {
            if keys.remove(key) {
                self.item_count = self.item_count.saturating_sub(1);
                self.size_bytes = self.size_bytes.saturating_sub(projected_size);
            }
            if keys.is_empty() {
                partition.remove(&r);
            }
        }
        if partition.is_empty() {
            self.entries.remove(&h);
        }
    }
}

/// A table: its definition and its items.
#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub schema: KeySchema,
    pub attribute_definitions: Vec<KeyAttr>,
    pub billing_mode: String,
    pub provisioned: Option<(i64, i64)>,
    pub indexes: Vec<Index>,
    /// Creation order number, standing in for a creation time (no clock in core logic).
    pub created: u64,
    pub items: BTreeMap<KeyValue, BTreeMap<Option<KeyValue>, Item>>,
    pub item_count: usize,
    pub size_bytes: usize,
    /// The attribute holding each item's expiry while TTL is enabled (`UpdateTimeToLive`).
    pub time_to_live: Option<String>,
}

impl Table {
    /// The index named `name`.
    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// The primary key of a full item, checking that the key attributes are there, typed and non-empty.
    pub fn key_of_item(&self, item: &Item) -> Result<PrimaryKey> {
        let hash = key_attr_value(item, &self.schema.hash, true, true)?;
        let range = match &self.schema.range {
            Some(r) => Some(key_attr_value(item, r, true, false)?),
            None => None,
        };
        Ok(PrimaryKey { hash, range })
    }

    /// The primary key given as a request's `Key`: exactly the key attributes, nothing else.
    pub fn key_from_request(&self, key: &Item) -> Result<PrimaryKey> {
        let expected = if self.schema.range.is_some() { 2 } else { 1 };
        if key.len() != expected {
            return Err(DynamoError::item_validation(
                "The provided key element does not match the schema",
            ));
        }
        let hash = key_attr_value(key, &self.schema.hash, false, true)?;
        let range = match &self.schema.range {
            Some(r) => Some(key_attr_value(key, r, false, false)?),
            None => None,
        };
        Ok(PrimaryKey { hash, range })
    }

    /// The key attributes of `key` as an item (for LastEvaluatedKey and upserts).
    pub fn key_item(&self, key: &PrimaryKey) -> Item {
        let mut item = Item::new();
        item.insert(self.schema.hash.name.clone(), key.hash.to_attribute());
        if let (Some(attr), Some(v)) = (&self.schema.range, &key.range) {
            item.insert(attr.name.clone(), v.to_attribute());
        }
        item
    }

    pub fn get(&self, key: &PrimaryKey) -> Option<&Item> {
        self.items.get(&key.hash)?.get(&key.range)
    }

    /// Checks a complete item before it is written: key attributes, index key types, size.
    pub fn validate_item(&self, item: &Item) -> Result<PrimaryKey> {
        let key = self.key_of_item(item)?;
        for index in &self.indexes {
            for attr in index.schema.names() {
                let Some(v) = item.get(attr) else { continue };
                let Some(def) = self.attribute_definitions.iter().find(|d| d.name == attr) else {
                    continue;
                };
                let ok = KeyValue::from_attribute(v).is_some_and(|k| k.scalar_type() == def.ty);
                if !ok {
                    return Err(DynamoError::item_validation(format!(
                        "One or more parameter values were invalid: Type mismatch for Index Key {attr} Expected: {} Actual: {} IndexName: {}",
                        def.ty.name(),
                        v.type_name(),
                        index.name
                    )));
                }
                if KeyValue::from_attribute(v).is_some_and(|k| k.is_empty()) {
                    let kind = if def.ty == ScalarType::B {
                        "binary"
                    } else {
                        "string"
                    };
                    return Err(DynamoError::validation(format!(
                        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {kind} value. IndexName: {}, IndexKey: {attr}",
                        index.name
                    )));
                }
            }
        }
        if let Some(long) = item.keys().find(|k| k.len() > MAX_ATTRIBUTE_NAME_BYTES) {
            return Err(DynamoError::item_validation(format!(
                "One or more parameter values were invalid: Attribute name {}... is longer than the maximum of {MAX_ATTRIBUTE_NAME_BYTES} bytes",
                long.chars().take(16).collect::<String>()
            )));
        }
        if item.keys().any(String::is_empty) {
            return Err(DynamoError::item_validation(
                "One or more parameter values were invalid: An attribute name cannot be empty",
            ));
        }
        // Known from the request alone, so in a transaction it fails the whole request.
        if item_size(item) > MAX_ITEM_SIZE {
            return Err(DynamoError::validation(
                "Item size has exceeded the maximum allowed size",
            ));
        }
        Ok(key)
    }

    /// Stores `item` under `key` (already validated), returning the item it replaced.
    pub fn put(&mut self, key: PrimaryKey, item: Item) -> Option<Item> {
        let old = self.delete(&key);
        for index in &mut self.indexes {
            index.insert(&item, &key, &self.schema);
        }
        self.item_count += 1;
        self.size_bytes += item_size(&item);
        self.items
            .entry(key.hash)
            .or_default()
            .insert(key.range, item);
        old
    }

    /// Removes the item under `key`, returning it.
    pub fn delete(&mut self, key: &PrimaryKey) -> Option<Item> {
        let partition = self.items.get_mut(&key.hash)?;
        let old = partition.remove(&key.range)?;
        if partition.is_empty() {
            self.items.remove(&key.hash);
        }
        for index in &mut self.indexes {
            index.remove(&old, key, &self.schema);
        }
        self.item_count = self.item_count.saturating_sub(1);
        self.size_bytes = self.size_bytes.saturating_sub(item_size(&old));
        Some(old)
    }
}

fn key_attr_value(
    item: &Item,
    attr: &KeyAttr,
    whole_item: bool,
    attr_is_hash: bool,
) -> Result<KeyValue> {
    let Some(v) = item.get(&attr.name) else {
        return Err(DynamoError::item_validation(if whole_item {
            format!(
                "One or more parameter values were invalid: Missing the key {} in the item",
                attr.name
            )
        } else {
            "The provided key element does not match the schema".to_string()
        }));
    };
    let key = KeyValue::from_attribute(v).filter(|k| k.scalar_type() == attr.ty);
    let Some(key) = key else {
        return Err(DynamoError::item_validation(if whole_item {
            format!(
                "One or more parameter values were invalid: Type mismatch for key {} expected: {} actual: {}",
                attr.name,
                attr.ty.name(),
                v.type_name()
            )
        } else {
            "The provided key element does not match the schema".to_string()
        }));
    };
    let limit = if attr_is_hash {
        MAX_HASH_KEY_BYTES
    } else {
        MAX_RANGE_KEY_BYTES
    };
    if key.to_attribute().size() > limit {
        return Err(DynamoError::item_validation(if attr_is_hash {
            format!("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of{MAX_HASH_KEY_BYTES} bytes")
        } else {
            format!("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of {MAX_RANGE_KEY_BYTES} bytes")
        }));
    }
    // An empty key value is rejected up front, so in a transaction it fails the whole request
    // instead of cancelling it.
    if key.is_empty() {
        return Err(DynamoError::validation(format!(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {} value. Key: {}",
            if attr.ty == ScalarType::S { "string" } else { "binary" },
            attr.name
        )));
    }
    Ok(key)
}
