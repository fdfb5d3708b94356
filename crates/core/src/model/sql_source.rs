//! Where an imported design came from: the SQL tables and columns each
//! entity and field was read from, and how many rows each table holds. The
//! SQL importer writes it; the migration plan reads it, so a plan can be made
//! from a saved or shared design long after the import. Optional: a design
//! sketched by hand has none.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Cardinality, Design, Finding};

/// The SQL schema a design was imported from.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct SqlSource {
    /// `postgresql`, `mysql` or `generic`: which dialect the statements were read as.
    pub dialect: String,
    pub tables: Vec<SqlTable>,
}

/// One table and what it became: an entity, or the many-to-many relationship
/// a pure join table stands for.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct SqlTable {
    /// The table's name as the database knows it, with its schema when one
    /// was written (`public.orders`).
    pub table: String,
    /// The entity the table's rows became.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// The relationship a join table's rows became.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<SqlLink>,
    pub columns: Vec<SqlColumn>,
    /// The primary key's columns, in key order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_key: Vec<String>,
    /// How many rows the table holds (0: not said).
    #[serde(default)]
    pub rows: u64,
}

/// One column and the field it became.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct SqlColumn {
    pub column: String,
    /// The field of the table's entity holding the column's values (none
    /// for a join table's columns, which its `link` names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The column's SQL type as written (`numeric(12,2)`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sql_type: String,
}

/// A join table's two foreign keys: `from_column` holds the id of a `from`
/// entity, `to_column` the id of a `to` entity, as in the design's
/// many-to-many relationship between them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct SqlLink {
    pub from: String,
    pub from_column: String,
    pub to: String,
    pub to_column: String,
}

impl SqlSource {
    /// The table an entity was read from.
    pub fn table_of(&self, entity: &str) -> Option<&SqlTable> {
        self.tables
            .iter()
            .find(|t| t.entity.as_deref() == Some(entity))
    }
}

impl SqlSource {
    /// Follows a rename of an entity (`model::rename`): the tables it came from, and the
    /// join tables naming it.
    pub(super) fn rename_entity(&mut self, old: &str, new: &str) {
        for t in &mut self.tables {
            if t.entity.as_deref() == Some(old) {
                t.entity = Some(new.to_string());
            }
            if let Some(link) = &mut t.link {
                for side in [&mut link.from, &mut link.to] {
                    if side == old {
                        *side = new.to_string();
                    }
                }
            }
        }
    }

    /// Follows a rename of a top-level field of `entity` (`model::rename`): the column it
    /// came from keeps its name and now fills the new field.
    pub(super) fn rename_field(&mut self, entity: &str, old: &str, new: &str) {
        for t in self
            .tables
            .iter_mut()
            .filter(|t| t.entity.as_deref() == Some(entity))
        {
            for c in &mut t.columns {
                if c.field.as_deref() == Some(old) {
                    c.field = Some(new.to_string());
                }
            }
        }
    }
}

impl SqlTable {
    /// The column a field was read from.
    pub fn column_of(&self, field: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|c| c.field.as_deref() == Some(field))
            .map(|c| c.column.as_str())
    }
}

/// Every entity and field the source names exists, each column is named
/// once, the primary key's columns are columns, and a join table's
/// relationship is in the design.
pub(super) fn check(design: &Design, out: &mut Vec<Finding>) {
    let Some(source) = &design.sql_source else {
        return;
    };
    for (i, table) in source.tables.iter().enumerate() {
        let path = format!("sqlSource.tables[{i}]");
        let entity = match &table.entity {
            Some(name) => match design.entity(name) {
                Some(e) => Some(e),
                None => {
                    out.push(Finding::error(
                        "unknown-entity",
                        format!("{path}.entity"),
                        format!("no entity is named \"{name}\""),
                    ));
                    None
                }
            },
            None => None,
        };
        if table.entity.is_some() == table.link.is_some() {
            out.push(Finding::error(
                "invalid-value",
                path.clone(),
                format!(
                    "table {} must name either the entity or the link it became",
                    table.table
                ),
            ));
        }
        if let Some(link) = &table.link {
            let linked = design.relationships.iter().any(|r| {
                r.cardinality == Cardinality::ManyToMany
                    && (r.from == link.from && r.to == link.to
                        || r.from == link.to && r.to == link.from)
            });
            if !linked {
                out.push(Finding::error(
                    "unknown-relationship",
                    format!("{path}.link"),
                    format!(
                        "no many-to-many relationship joins {} and {}",
                        link.from, link.to
                    ),
                ));
            }
            for (key, column) in [
                ("fromColumn", &link.from_column),
                ("toColumn", &link.to_column),
            ] {
                if !table.columns.iter().any(|c| &c.column == column) {
                    out.push(Finding::error(
                        "unknown-column",
                        format!("{path}.link.{key}"),
                        format!("{column} is not a column of {}", table.table),
                    ));
                }
            }
        }
        let mut seen = BTreeSet::new();
        for (j, column) in table.columns.iter().enumerate() {
            let cpath = format!("{path}.columns[{j}]");
            if !seen.insert(column.column.as_str()) {
                out.push(Finding::error(
                    "duplicate-name",
                    format!("{cpath}.column"),
                    format!("column {} is listed twice", column.column),
                ));
            }
            if let (Some(field), Some(entity)) = (&column.field, entity) {
                if entity.field(field).is_none() {
                    out.push(Finding::error(
                        "unknown-field",
                        format!("{cpath}.field"),
                        format!("\"{field}\" is not a field of {}", entity.name),
                    ));
                }
            }
        }
        for (j, key) in table.primary_key.iter().enumerate() {
            if !seen.contains(key.as_str()) {
                out.push(Finding::error(
                    "unknown-column",
                    format!("{path}.primaryKey[{j}]"),
                    format!("{key} is not a column of {}", table.table),
                ));
            }
        }
    }
}
