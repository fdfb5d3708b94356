//! The design document: what a user edits, saves and shares.
//!
//! A design names the entities an application stores, how they relate, and
//! the access patterns that read and write them. Everything else schemaplay
//! shows (MongoDB and DynamoDB layouts, indexes, warnings, cost) is derived
//! from it. The JSON form is an API boundary: field order is the declaration
//! order below, maps are sorted, and `to_json` followed by `from_json` gives
//! back an equal design.
//!
//! The lowest layer of the crate with [`crate::names`] and [`crate::sample`]:
//! the types, reading them (`decode` collects every structural problem with
//! its path, [`validate`](mod@validate) every semantic one), and what both derivations read
//! the same way from a design ([`relations`]: the field a relationship uses,
//! many-to-many reads), and renames that follow ([`rename`]: a field or an
//! entity renamed everywhere the design names it).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

mod aggregate;
pub mod cascade;
pub mod copies;
pub mod counters;
mod decode;
pub mod infer;
pub mod layout_choices;
mod mindex;
mod projection;
pub mod relations;
pub mod rename;
mod skew;
mod sql_source;
pub mod transaction;
pub mod validate;
pub mod version;

pub use crate::names::lower_first;
pub use aggregate::{Aggregate, AggregateOp, AggregateSpec, MAX_AGGREGATES};
pub use cascade::{CascadeStep, LinkSide, OnDelete, MAX_CASCADE_DEPTH};
pub use copies::{Copy, CopyOf};
pub use counters::CounterChoice;
pub(crate) use decode::json_syntax;
pub use decode::{accepted_keys, json_error_message};
pub use infer::{implied_relationships, Implied};
pub use layout_choices::{IndexScope, Placement};
pub use mindex::{IndexCollation, KeyOrder, MongoIndex, MongoIndexKey, Ttl, TTL_ATTRIBUTE};
pub use projection::{Projection, MAX_PROJECTED_ATTRIBUTES};
pub use rename::{field_rename_problem, rename_entity, rename_field, RenameError};
pub use sql_source::{SqlColumn, SqlLink, SqlSource, SqlTable};
pub use transaction::TransactionPart;
pub use validate::validate;

/// The format version this build writes. Every earlier version is read too,
/// upgraded on the way in (see `decode`); `DESIGN_FORMAT.md` says what each
/// version changed.
pub const FORMAT_VERSION: u32 = 2;

/// How deep embedded objects and arrays may nest in a field type.
pub const MAX_TYPE_DEPTH: usize = 16;

/// A whole design document.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Design {
    pub format_version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub entities: Vec<Entity>,
    #[serde(default)]
    pub relationships: Vec<Relationship>,
    #[serde(default)]
    pub access_patterns: Vec<AccessPattern>,
    #[serde(default)]
    pub mongo: MongoChoices,
    #[serde(default)]
    pub dynamo: DynamoChoices,
    /// Where each entity's box sits on the diagram, by entity name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub positions: BTreeMap<String, Position>,
    /// The SQL tables and columns an imported design was read from (boxed: most designs
    /// have none, and a design travels in messages by value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_source: Option<Box<SqlSource>>,
}

impl Default for Design {
    fn default() -> Self {
        Design {
            format_version: FORMAT_VERSION,
            name: String::new(),
            description: String::new(),
            entities: Vec::new(),
            relationships: Vec::new(),
            access_patterns: Vec::new(),
            mongo: MongoChoices::default(),
            dynamo: DynamoChoices::default(),
            positions: BTreeMap::new(),
            sql_source: None,
        }
    }
}

/// A kind of thing the application stores (a user, a post, an order).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Entity {
    pub name: String,
    /// The field that identifies one item. When absent, schemaplay uses a
    /// field named `id` or `<entity>Id` if there is one, else it adds
    /// `_id` (MongoDB) and `<entity>Id` (DynamoDB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub fields: Vec<Field>,
    /// The expected number of items of this entity.
    #[serde(default)]
    pub volume: u64,
    /// When an item expires: a DynamoDB TTL attribute and a MongoDB TTL index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<Ttl>,
}

/// One attribute of an entity or of an embedded object.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    /// An example value, shown in docs and used as-is in sample data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
    /// What kind of realistic value the sample data generator makes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<Generator>,
    /// A default value applied on insert (`"now"` for dates means the insert time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// The values a string field may take (`["active", "suspended"]`); empty: any.
    #[serde(default, rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<serde_json::Value>,
    /// The field is a denormalised copy of another entity's field ([`copies`]).
    #[serde(default, rename = "copyOf", skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<CopyOf>,
}

impl Field {
    /// A field of the given name and type, optional and not unique.
    pub fn new(name: &str, ty: FieldType) -> Self {
        Field {
            name: name.to_string(),
            ty,
            required: false,
            unique: false,
            example: None,
            generator: None,
            default: None,
            enum_values: Vec::new(),
            copy_of: None,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The type of a field. In JSON a scalar type is a string (`"string"`), the
/// others are one-key objects: `{"array": T}`, `{"object": [fields]}`,
/// `{"ref": "User"}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub enum FieldType {
    String,
    Int,
    Long,
    Double,
    Decimal,
    Bool,
    Date,
    ObjectId,
    Uuid,
    Binary,
    Array(Box<FieldType>),
    Object(Vec<Field>),
    /// A reference to another entity's id.
    Ref(String),
}

impl FieldType {
    /// The scalar type names, as written in JSON.
    pub const SCALARS: [&'static str; 10] = [
        "string", "int", "long", "double", "decimal", "bool", "date", "objectId", "uuid", "binary",
    ];

    /// The scalar type of the given JSON name.
    pub fn scalar(name: &str) -> Option<FieldType> {
        Some(match name {
            "string" => FieldType::String,
            "int" => FieldType::Int,
            "long" => FieldType::Long,
            "double" => FieldType::Double,
            "decimal" => FieldType::Decimal,
            "bool" => FieldType::Bool,
            "date" => FieldType::Date,
            "objectId" => FieldType::ObjectId,
            "uuid" => FieldType::Uuid,
            "binary" => FieldType::Binary,
            _ => return None,
        })
    }

    /// Whether values of this type are numbers.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            FieldType::Int | FieldType::Long | FieldType::Double | FieldType::Decimal
        )
    }
}

impl fmt::Display for FieldType {
    /// A short readable form: `string`, `array<string>`, `object`, `ref<User>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::String => f.write_str("string"),
            FieldType::Int => f.write_str("int"),
            FieldType::Long => f.write_str("long"),
            FieldType::Double => f.write_str("double"),
            FieldType::Decimal => f.write_str("decimal"),
            FieldType::Bool => f.write_str("bool"),
            FieldType::Date => f.write_str("date"),
            FieldType::ObjectId => f.write_str("objectId"),
            FieldType::Uuid => f.write_str("uuid"),
            FieldType::Binary => f.write_str("binary"),
            FieldType::Array(item) => write!(f, "array<{item}>"),
            FieldType::Object(_) => f.write_str("object"),
            FieldType::Ref(entity) => write!(f, "ref<{entity}>"),
        }
    }
}

/// A hint for the sample data generator.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Generator {
    Name,
    FirstName,
    LastName,
    Email,
    Username,
    City,
    Country,
    Phone,
    Url,
    Word,
    Tag,
    Title,
    Sentence,
    Paragraph,
    Timestamp,
    Age,
    Price,
    Quantity,
    Status,
    Uuid,
    ObjectId,
    Sequence,
    Company,
    Sku,
    Temperature,
}

impl Generator {
    /// Every generator name, as written in JSON.
    pub const NAMES: [&'static str; 25] = [
        "name",
        "firstName",
        "lastName",
        "email",
        "username",
        "city",
        "country",
        "phone",
        "url",
        "word",
        "tag",
        "title",
        "sentence",
        "paragraph",
        "timestamp",
        "age",
        "price",
        "quantity",
        "status",
        "uuid",
        "objectId",
        "sequence",
        "company",
        "sku",
        "temperature",
    ];
}

/// How two entities relate. `from` is the parent (the "one" side), `to` the child.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Relationship {
    pub from: String,
    pub to: String,
    pub cardinality: Cardinality,
    /// About how many children one parent has ("about 20 posts per user").
    #[serde(default)]
    pub expected_count: u64,
    /// Whether the children are usually read together with the parent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_together: bool,
    /// The name under which the children appear in the parent (`comments`),
    /// or for a reference the child's field holding the parent's id (`authorId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The user's override of the embed-or-reference decision for MongoDB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embed: Option<bool>,
    /// What a delete of the parent does to the children (see [`cascade`]);
    /// absent, the default `Design::on_delete` gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_delete: Option<cascade::OnDelete>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Cardinality {
    OneToOne,
    OneToFew,
    OneToMany,
    ManyToMany,
}

impl Cardinality {
    pub const NAMES: [&'static str; 4] = ["oneToOne", "oneToFew", "oneToMany", "manyToMany"];

    /// A phrase for explanations: "one-to-few".
    pub fn phrase(self) -> &'static str {
        match self {
            Cardinality::OneToOne => "one-to-one",
            Cardinality::OneToFew => "one-to-few",
            Cardinality::OneToMany => "one-to-many",
            Cardinality::ManyToMany => "many-to-many",
        }
    }
}

/// One way the application reads or writes data.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccessPattern {
    pub name: String,
    pub entity: String,
    pub kind: PatternKind,
    /// Fields bound by equality (`email = ?`). Dotted paths reach into embedded objects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equality: Vec<String>,
    /// A field bound by a range (`createdAt > ?`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<SortSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Fields the pattern searches (text search) or writes (update).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Whether the equality match ignores letter case.
    #[serde(default, skip_serializing_if = "is_false")]
    pub case_insensitive: bool,
    /// How the update changes `fields`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<UpdateAction>,
    /// A guard: a condition on the item's own values the write requires (no
    /// overdraft: `balance >= 0`). Not optimistic locking: that is `version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// The update's version field (optimistic locking, [`version`]): the write
    /// succeeds only while the item still holds the version the client read,
    /// and adds one to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Whether the write runs in a transaction. A write of one item stays one
    /// conditional write (atomic on its own); see `single-item-transaction`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub transactional: bool,
    /// The other writes that succeed or fail with this one (see [`transaction`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transaction: Vec<TransactionPart>,
    /// What an aggregate pattern groups by and computes (see [`aggregate`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<AggregateSpec>,
    #[serde(default, serialize_with = "whole_as_integer")]
    pub requests_per_second: f64,
    #[serde(default)]
    pub consistency: Consistency,
    /// The share of the requests on the hottest key (0.2: a fifth), when the
    /// traffic is not spread evenly over the key's values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hot_key_share: Option<f64>,
}

impl AccessPattern {
    /// A pattern with only the essentials set.
    pub fn new(name: &str, entity: &str, kind: PatternKind) -> Self {
        AccessPattern {
            name: name.to_string(),
            entity: entity.to_string(),
            kind,
            equality: Vec::new(),
            range: None,
            sort: None,
            page_size: None,
            fields: Vec::new(),
            case_insensitive: false,
            update: None,
            condition: None,
            version: None,
            transactional: false,
            transaction: Vec::new(),
            aggregate: None,
            requests_per_second: 0.0,
            consistency: Consistency::Eventual,
            hot_key_share: None,
        }
    }

    /// The sample amount an increment adds to `field`. The design does not
    /// say the amount (the client sends it), so only its sign is inferred,
    /// from the pattern's condition: a positive lower bound on the same field
    /// (`stock >= 1`, `stock > 0`) requires what the write takes away, so the
    /// sample takes exactly that much; an upper bound (`views < 10`) is a cap,
    /// approached one step at a time; anything else (no condition, `balance
    /// >= 0` which only keeps the field from going negative) adds
    /// [`INCREMENT_SAMPLE`].
    pub fn increment_sample(&self, field: &str) -> i64 {
        let lower = self.condition.as_ref().filter(|c| c.field == field);
        let bound = lower.and_then(|c| Some((c.op, c.value.as_ref()?.as_f64()?)));
        match bound {
            Some((ConditionOp::Ge, b)) if b >= 1.0 => -(b.min(1e15) as i64),
            Some((ConditionOp::Gt, b)) if b >= 0.0 => -(b.min(1e15).floor() as i64 + 1),
            Some((ConditionOp::Lt | ConditionOp::Le, _)) => 1,
            _ => INCREMENT_SAMPLE,
        }
    }

    /// How generated code describes an increment's amount, when the pattern increments.
    pub fn increment_note(&self) -> Option<String> {
        if self.kind != PatternKind::Update || self.update != Some(UpdateAction::Increment) {
            return None;
        }
        let takes = self.fields.iter().any(|f| self.increment_sample(f) < 0);
        let taken = self.condition.as_ref().filter(|_| takes);
        Some(match taken {
            Some(c) => format!(
                "the amount is the client's value; the sample is negative: the condition on {} requires what the write takes away",
                c.field
            ),
            None => "the amount is the client's value".to_string(),
        })
    }
}

/// What an increment adds in generated code when its pattern says nothing of the sign.
pub const INCREMENT_SAMPLE: i64 = 100;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum PatternKind {
    GetOne,
    List,
    Count,
    TextSearch,
    Insert,
    Update,
    Delete,
    /// Groups the matched items and computes per group (see [`aggregate`]).
    Aggregate,
}

impl PatternKind {
    pub const NAMES: [&'static str; 8] = [
        "getOne",
        "list",
        "count",
        "textSearch",
        "insert",
        "update",
        "delete",
        "aggregate",
    ];

    /// Whether the pattern writes.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            PatternKind::Insert | PatternKind::Update | PatternKind::Delete
        )
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SortSpec {
    pub field: String,
    #[serde(default)]
    pub order: SortOrder,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub enum Consistency {
    #[default]
    Eventual,
    Strong,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub enum UpdateAction {
    /// Replace the fields' values.
    #[default]
    Set,
    /// Add a number to the fields (`balance = balance + :amount`).
    Increment,
    /// Append to an array field.
    Push,
}

/// A condition on one field of the item a write touches.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    pub field: String,
    pub op: ConditionOp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ConditionOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Exists,
    NotExists,
}

impl ConditionOp {
    pub const NAMES: [&'static str; 8] =
        ["eq", "ne", "lt", "le", "gt", "ge", "exists", "notExists"];
}

/// The user's overrides for the MongoDB layout.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct MongoChoices {
    /// Collection name by entity name; absent entities get a derived name (`users`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub collections: BTreeMap<String, String>,
    /// Indexes the user declares; a collection with any uses them instead of the suggestions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<MongoIndex>,
}

/// The user's overrides for the DynamoDB single-table layout.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoChoices {
    pub table_name: String,
    pub partition_key: String,
    pub sort_key: String,
    /// Key templates by entity name, overriding the derived ones.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub key_templates: BTreeMap<String, KeyTemplate>,
    /// Secondary indexes the user declares (the `EmailIndex` on `email`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<IndexChoice>,
    #[serde(default)]
    pub billing_mode: BillingMode,
    /// Projections by index name (derived or declared), overriding the derived ones.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub projections: BTreeMap<String, Projection>,
    /// Where a child entity's items live, by entity name, overriding the
    /// derived placement (see [`layout_choices`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub placements: BTreeMap<String, Placement>,
    /// The kind of secondary index serving a sorted pattern, by pattern name,
    /// overriding the derived one (see [`layout_choices`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sort_indexes: BTreeMap<String, IndexScope>,
    /// A counter item or a read of the items, by count or aggregate pattern
    /// name, overriding the derived choice (see [`counters`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counters: BTreeMap<String, CounterChoice>,
}

impl Default for DynamoChoices {
    fn default() -> Self {
        DynamoChoices {
            table_name: "app-data".to_string(),
            partition_key: "PK".to_string(),
            sort_key: "SK".to_string(),
            key_templates: BTreeMap::new(),
            indexes: Vec::new(),
            billing_mode: BillingMode::OnDemand,
            projections: BTreeMap::new(),
            placements: BTreeMap::new(),
            sort_indexes: BTreeMap::new(),
            counters: BTreeMap::new(),
        }
    }
}

/// Partition and sort key values for an entity's items: `USER#<userId>` / `PROFILE`.
/// `<field>` is replaced by the item's value of that field.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KeyTemplate {
    pub pk: String,
    pub sk: String,
}

/// A secondary index declared by the user.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IndexChoice {
    pub name: String,
    /// The attribute holding the index's partition key (`email`, `GSI1PK`).
    pub partition_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_key: Option<String>,
    /// Local indexes share the table's partition key.
    #[serde(default, skip_serializing_if = "is_false")]
    pub local: bool,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub enum BillingMode {
    #[default]
    OnDemand,
    Provisioned,
}

/// Where an entity's box sits on the diagram.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
pub struct Position {
    #[serde(serialize_with = "whole_as_integer")]
    pub x: f64,
    #[serde(serialize_with = "whole_as_integer")]
    pub y: f64,
}

/// Writes `10.0` as `10` so hand-written files round-trip to the same text.
fn whole_as_integer<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: integers below are exact in f64.
    if value.fract() == 0.0 && value.abs() < EXACT {
        #[allow(clippy::cast_possible_truncation)]
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

/// How serious a finding is.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One problem or piece of advice about a design, with the place it concerns.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// A stable identifier of the rule (`unknown-type`, `dynamo-hot-partition`).
    pub id: String,
    pub severity: Severity,
    /// Where in the design: `entities[2].fields[0].type`; empty for the whole document.
    pub path: String,
    pub message: String,
}

impl Finding {
    pub fn new(
        id: &str,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            id: id.to_string(),
            severity,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn error(id: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            id: id.to_string(),
            severity: Severity::Error,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn warning(id: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            id: id.to_string(),
            severity: Severity::Warning,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn info(id: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            id: id.to_string(),
            severity: Severity::Info,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    /// `entities[2].fields[0].type: unknown type "strng"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl Design {
    /// Reads a design from JSON, reporting every structural problem with its
    /// path, then every semantic one (see [`validate()`]). Malformed JSON
    /// gives one finding naming the line and column.
    pub fn from_json(text: &str) -> Result<Design, Vec<Finding>> {
        let design = decode::decode(text)?;
        let errors: Vec<Finding> = validate::validate(&design)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        if errors.is_empty() {
            Ok(design)
        } else {
            Err(errors)
        }
    }

    /// Reads the JSON structure only, without the semantic checks, so an editor
    /// can show a design that still has dangling references.
    pub fn from_json_unchecked(text: &str) -> Result<Design, Vec<Finding>> {
        decode::decode(text)
    }

    /// The design as pretty JSON (two-space indent, trailing newline).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn entity(&self, name: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.name == name)
    }

    /// The requests per second of the entity's patterns of one kind, summed
    /// (how fast its items are inserted, for instance).
    pub fn rate_of(&self, entity: &str, kind: PatternKind) -> f64 {
        self.access_patterns
            .iter()
            .filter(|p| p.entity == entity && p.kind == kind)
            .map(|p| p.requests_per_second)
            .sum()
    }
}

impl Entity {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The date field its items expire by, when the entity declares one that exists.
    pub fn ttl_field(&self) -> Option<&Field> {
        self.ttl.as_ref().and_then(|t| self.field(&t.field))
    }

    /// The field that identifies one item, when the entity has one: the
    /// declared `id`, else a field named `id`, `_id` or `<entity>Id`.
    pub fn id_field(&self) -> Option<&Field> {
        if let Some(id) = &self.id {
            return self.field(id);
        }
        self.fields
            .iter()
            .find(|f| f.name == "id" || f.name == "_id" || is_own_id(&f.name, &self.name))
    }

    /// The name of the identifying attribute: the id field, else `<entity>Id`.
    pub fn id_name(&self) -> String {
        match self.id_field() {
            Some(f) => f.name.clone(),
            None => format!("{}Id", lower_first(&self.name)),
        }
    }

    /// Looks up a dotted path (`profile.city`) through embedded objects and arrays of objects.
    pub fn field_path(&self, path: &str) -> Option<&Field> {
        let mut fields = &self.fields;
        let mut found = None;
        for part in path.split('.') {
            let field = fields.iter().find(|f| f.name == part)?;
            found = Some(field);
            fields = match object_fields(&field.ty) {
                Some(inner) => inner,
                None => &EMPTY,
            };
        }
        found
    }
}

static EMPTY: Vec<Field> = Vec::new();

/// The fields of an object type, or of the objects in an array type.
pub fn object_fields(ty: &FieldType) -> Option<&Vec<Field>> {
    match ty {
        FieldType::Object(fields) => Some(fields),
        FieldType::Array(item) => object_fields(item),
        _ => None,
    }
}

/// Whether `field` is `<entity>Id` with the entity's first letter lowercased
/// (`userId` for `User`), without building that name: this runs per sample record.
fn is_own_id(field: &str, entity: &str) -> bool {
    let Some(stem) = field.strip_suffix("Id") else {
        return false;
    };
    let mut a = stem.chars();
    let mut b = entity.chars();
    match (a.next(), b.next()) {
        (Some(x), Some(y)) => y.to_lowercase().eq(std::iter::once(x)) && a.eq(b),
        _ => false,
    }
}
