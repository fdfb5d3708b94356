//! Files in other formats made into designs: NoSQL Workbench models and SQL DDL, through the
//! core's importers (in the worker, so the SQL parser is not part of what the page loads).

use schemaplay_core::import::{self, ImportFormat};
use schemaplay_core::model::{Design, Finding};

use crate::{Error, ImportFile, Reply};

/// How many findings a message lists.
const LISTED: usize = 3;

/// Answers a file to import: `Reply::Imported` with the design and its note, or
/// `Reply::Failed` with what could not be read.
pub fn answer(file: &ImportFile) -> Reply {
    match convert_with(&file.name, &file.text, file.volumes.as_deref()) {
        Ok((design, note)) => Reply::Imported { design, note },
        Err(message) => Reply::Failed(Error::Message(message)),
    }
}

/// Converts a NoSQL Workbench model (JSON) or SQL DDL into a design, with a note on what could
/// not be imported (empty when everything was).
pub fn convert(name: &str, text: &str) -> Result<(Design, String), String> {
    convert_with(name, text, None)
}

/// [`convert`], with row counts per table for a SQL import (a JSON object or `table=rows`
/// lines) overriding its `-- rows:` comments. The note lists errors and warnings before
/// what was only skipped.
pub fn convert_with(
    name: &str,
    text: &str,
    volumes: Option<&str>,
) -> Result<(Design, String), String> {
    let format = if text.trim_start().starts_with('{') {
        ImportFormat::Workbench
    } else {
        ImportFormat::Sql
    };
    let mut imported = match (format, volumes.filter(|v| !v.trim().is_empty())) {
        (ImportFormat::Sql, Some(v)) => {
            let volumes = import::volumes(v)
                .map_err(|f| format!("the volumes could not be read: {}", listed(&f)))?;
            import::sql_with(text, &import::SqlOptions { volumes })
        }
        _ => import::import(text, format),
    };
    imported.findings.sort_by_key(|f| f.severity);
    if imported.design.entities.is_empty() {
        return Err(if imported.findings.is_empty() {
            format!("{name} has no tables to import")
        } else {
            describe(name, &imported.findings)
        });
    }
    let count = imported.findings.len();
    let note = if count == 0 {
        String::new()
    } else {
        format!(
            " {count} note{}: {}{}",
            if count == 1 { "" } else { "s" },
            listed(&imported.findings),
            if count > LISTED { "; …" } else { "" }
        )
    };
    Ok((imported.design, note))
}

/// `shop.sql could not be read: ...` with the first findings.
pub fn describe(name: &str, findings: &[Finding]) -> String {
    format!("{name} could not be read: {}", listed(findings))
}

fn listed(findings: &[Finding]) -> String {
    let list: Vec<String> = findings
        .iter()
        .take(LISTED)
        .map(|f| f.to_string())
        .collect();
    list.join("; ")
}
