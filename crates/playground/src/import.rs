//! Files in other formats made into designs: NoSQL Workbench models and SQL DDL, through the
//! core's importers (in the worker, so the SQL parser is not part of what the page loads).

use schemaplay_core::import::{self, ImportFormat};
use schemaplay_core::model::{Design, Finding};

/// How many findings a message lists.
const LISTED: usize = 3;

/// Converts a NoSQL Workbench model (JSON) or SQL DDL into a design, with a note on what could
/// not be imported (empty when everything was).
pub fn convert(name: &str, text: &str) -> Result<(Design, String), String> {
    let format = if text.trim_start().starts_with('{') {
        ImportFormat::Workbench
    } else {
        ImportFormat::Sql
    };
    let imported = import::import(text, format);
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
