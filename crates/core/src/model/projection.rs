//! Which attributes a DynamoDB secondary index copies from the table's items
//! (its projection), as the design overrides the derived one: read from
//! JSON with every problem's path, and checked against the design's fields.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::decode::{describe, Reader};
use super::{Design, Finding};

/// The attributes an index holds beside the table's and its own key
/// attributes. In JSON `"all"`, `"keysOnly"` or `{"include": ["name"]}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Projection {
    /// Every attribute: a read through the index has the whole item.
    All,
    /// The keys alone: a read of anything else fetches the item from the table.
    KeysOnly,
    /// The keys and these attributes (top-level attribute names).
    Include(Vec<String>),
}

impl Projection {
    /// The names written in JSON.
    pub const NAMES: [&'static str; 3] = ["all", "keysOnly", "include"];

    /// DynamoDB's `ProjectionType`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Projection::All => "ALL",
            Projection::KeysOnly => "KEYS_ONLY",
            Projection::Include(_) => "INCLUDE",
        }
    }

    /// Whether the index holds the non-key attribute `attribute`.
    pub fn holds(&self, attribute: &str) -> bool {
        match self {
            Projection::All => true,
            Projection::KeysOnly => false,
            Projection::Include(names) => names.iter().any(|n| n == attribute),
        }
    }

    /// The `Projection` of a CreateTable index: its type and, for INCLUDE,
    /// its `NonKeyAttributes`.
    pub fn to_create_table(&self) -> Value {
        match self {
            Projection::Include(names) => serde_json::json!({
                "ProjectionType": "INCLUDE",
                "NonKeyAttributes": names,
            }),
            other => serde_json::json!({ "ProjectionType": other.type_name() }),
        }
    }
}

/// The most non-key attributes the indexes of one table may project (DynamoDB's limit).
pub const MAX_PROJECTED_ATTRIBUTES: usize = 100;

impl Reader {
    /// `dynamo.projections`: an object from index name to projection.
    pub(super) fn projections(&mut self, value: Option<&Value>) -> BTreeMap<String, Projection> {
        let mut out = BTreeMap::new();
        match value {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (index, v) in map {
                    let path = format!("dynamo.projections.{index}");
                    if let Some(p) = self.projection(v, &path) {
                        out.insert(index.clone(), p);
                    }
                }
            }
            Some(other) => self.error(
                "dynamo.projections".to_string(),
                format!("expected an object, found {}", describe(Some(other))),
            ),
        }
        out
    }

    fn projection(&mut self, value: &Value, path: &str) -> Option<Projection> {
        match value {
            Value::String(s) if s == "all" => Some(Projection::All),
            Value::String(s) if s == "keysOnly" => Some(Projection::KeysOnly),
            Value::Object(map) if map.len() == 1 && map.contains_key("include") => {
                let names = self.strings(map, "include", path);
                Some(Projection::Include(names))
            }
            other => {
                self.error(
                    path.to_string(),
                    format!(
                        "expected \"all\", \"keysOnly\" or {{\"include\": [attribute names]}}, found {}",
                        describe(Some(other))
                    ),
                );
                None
            }
        }
    }
}

/// Every projection names attributes some entity has, each once, within
/// DynamoDB's limit; an INCLUDE names at least one.
pub(super) fn check_projections(design: &Design, out: &mut Vec<Finding>) {
    let mut total = 0;
    for (index, projection) in &design.dynamo.projections {
        let path = format!("dynamo.projections.{index}");
        let Projection::Include(names) = projection else {
            continue;
        };
        if names.is_empty() {
            out.push(Finding::error(
                "invalid-value",
                format!("{path}.include"),
                "an INCLUDE projection names at least one attribute (else say \"keysOnly\")",
            ));
        }
        total += names.len();
        for (i, name) in names.iter().enumerate() {
            let here = format!("{path}.include[{i}]");
            if names[..i].contains(name) {
                out.push(Finding::error(
                    "invalid-value",
                    here,
                    format!("\"{name}\" is named twice"),
                ));
            } else if !design.entities.iter().any(|e| e.field(name).is_some()) {
                out.push(Finding::error(
                    "unknown-field",
                    here,
                    format!(
                        "no entity has a field \"{name}\" (an index projects top-level attributes)"
                    ),
                ));
            }
        }
    }
    if total > MAX_PROJECTED_ATTRIBUTES {
        out.push(Finding::error(
            "invalid-value",
            "dynamo.projections",
            format!("the INCLUDE projections name {total} attributes; DynamoDB allows {MAX_PROJECTED_ATTRIBUTES} across all of a table's indexes"),
        ));
    }
}
