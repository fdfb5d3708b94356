//! Imports: SQL `CREATE TABLE` statements (a migration from SQL starts from the
//! user's own schema) and NoSQL Workbench data models.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::model::*;

mod sql;
mod workbench;

pub use sql::{entity_name, field_name, sql, sql_with, volumes, SqlOptions};
pub use workbench::workbench;

/// The formats `import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    Workbench,
    Sql,
}

impl ImportFormat {
    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Workbench => "workbench",
            ImportFormat::Sql => "sql",
        }
    }
}

impl fmt::Display for ImportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ImportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "workbench" => Ok(ImportFormat::Workbench),
            "sql" => Ok(ImportFormat::Sql),
            _ => Err(format!(
                "unknown import format \"{s}\" (expected one of workbench, sql)"
            )),
        }
    }
}

/// An imported design and what could not be imported.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    pub design: Design,
    /// Skipped statements, guessed types, parse errors; paths are `line N` for SQL.
    pub findings: Vec<Finding>,
}

/// Imports a design from text in the given format.
pub fn import(text: &str, format: ImportFormat) -> Imported {
    match format {
        ImportFormat::Sql => sql(text),
        ImportFormat::Workbench => workbench(text),
    }
}
