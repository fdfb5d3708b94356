//! What a design says of MongoDB indexes, expiry and enumerations: the
//! indexes the user declares (`mongo.indexes`), the field an entity's items
//! expire at (`ttl`) and the values a string field may take (`enum`).
//! Each is optional; a design without them reads and derives as before.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// When an entity's items expire: `after_seconds` after the date in `field`
/// (`{ "field": "expiresAt" }` expires at that date; `{ "field": "ts",
/// "afterSeconds": 7776000 }` keeps readings 90 days).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Ttl {
    pub field: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub after_seconds: u64,
}

/// The DynamoDB attribute holding an item's expiry, in epoch seconds (the
/// table's TimeToLiveSpecification names it).
pub const TTL_ATTRIBUTE: &str = "ttl";

impl Ttl {
    /// The expiry in epoch seconds of an item whose date field holds `millis`.
    pub fn expiry_seconds(&self, millis: i64) -> i64 {
        millis
            .div_euclid(1000)
            .saturating_add(i64::try_from(self.after_seconds).unwrap_or(i64::MAX))
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A MongoDB index the user declares on an entity's collection.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MongoIndex {
    /// The entity whose collection holds the index; an embedded entity's
    /// keys are paths inside its host document.
    pub entity: String,
    /// The index name; absent, MongoDB's own (`email_1`, `title_text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The keys in order: `{ "field": "email", "order": 1 }`.
    pub keys: Vec<MongoIndexKey>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub sparse: bool,
    /// Only documents matching this filter are indexed (a query filter document).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_filter_expression: Option<Value>,
    /// A TTL index: a document expires this many seconds after its date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_after_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<IndexCollation>,
}

/// One key of a declared index.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MongoIndexKey {
    /// A field path of the entity (`email`, `profile.city`).
    pub field: String,
    pub order: KeyOrder,
    /// The weight of a text key (MongoDB's default is 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

/// The direction of an index key: `1`, `-1` or `"text"` in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOrder {
    Asc,
    Desc,
    Text,
}

impl Serialize for KeyOrder {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            KeyOrder::Asc => s.serialize_i64(1),
            KeyOrder::Desc => s.serialize_i64(-1),
            KeyOrder::Text => s.serialize_str("text"),
        }
    }
}

impl<'de> Deserialize<'de> for KeyOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        KeyOrder::from_json(&value)
            .ok_or_else(|| serde::de::Error::custom("expected 1, -1 or \"text\""))
    }
}

impl KeyOrder {
    /// The order a JSON value names: `1`, `-1` or `"text"`.
    pub fn from_json(value: &Value) -> Option<KeyOrder> {
        match value {
            Value::String(s) if s == "text" => Some(KeyOrder::Text),
            Value::Number(n) => match n.as_f64() {
                Some(1.0) => Some(KeyOrder::Asc),
                Some(-1.0) => Some(KeyOrder::Desc),
                _ => None,
            },
            _ => None,
        }
    }

    /// The value of the key in MongoDB's key document.
    pub fn to_json(self) -> Value {
        match self {
            KeyOrder::Asc => Value::from(1),
            KeyOrder::Desc => Value::from(-1),
            KeyOrder::Text => Value::from("text"),
        }
    }
}

impl fmt::Display for KeyOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyOrder::Asc => "1",
            KeyOrder::Desc => "-1",
            KeyOrder::Text => "text",
        })
    }
}

/// The collation an index is built with: a locale and a strength (1: base
/// letters only, 2: accents too, 3: case too; MongoDB's default is 3).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IndexCollation {
    pub locale: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<u8>,
}

impl IndexCollation {
    /// The collation document (`{ "locale": "en", "strength": 2 }`).
    pub fn to_json(&self) -> Value {
        let mut doc = serde_json::json!({ "locale": self.locale });
        if let Some(s) = self.strength {
            doc["strength"] = Value::from(s);
        }
        doc
    }

    /// Whether letters compare without their case (strength 1 or 2).
    pub fn ignores_case(&self) -> bool {
        matches!(self.strength, Some(1 | 2))
    }
}

impl MongoIndex {
    /// The index's name: the declared one, else MongoDB's default made of
    /// its keys (`lastName_1_createdAt_-1`, `title_text`).
    pub fn index_name(&self) -> String {
        if let Some(name) = self.name.as_ref().filter(|n| !n.is_empty()) {
            return name.clone();
        }
        self.keys
            .iter()
            .map(|k| match k.order {
                KeyOrder::Asc => format!("{}_1", k.field),
                KeyOrder::Desc => format!("{}_-1", k.field),
                KeyOrder::Text => format!("{}_text", k.field),
            })
            .collect::<Vec<_>>()
            .join("_")
    }

    /// Whether the index is a text index (any key is `"text"`).
    pub fn is_text(&self) -> bool {
        self.keys.iter().any(|k| k.order == KeyOrder::Text)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}
