//! Backup files: every design saved in a browser, with the console kept beside each, in one
//! JSON file the playground downloads and reads back.
//!
//! ```json
//! { "format": "schemaplay-backup", "version": 1, "exportedAt": 1765123456789,
//!   "designs": [ { "id": "19af…", "name": "Shop", "savedAt": 1765123400000,
//!                  "design": { …the design file… }, "console": { … } } ] }
//! ```
//!
//! `console` is the page's own record of the query console (scripts, generated data); this
//! module carries it untouched, as any JSON object, and the page reads what it can of it.
//!
//! Reading is the hostile direction: the file may be anything. Whatever makes the whole file
//! unreadable (not JSON, not a backup, a newer version) is one error; a design that cannot be
//! read is a problem naming where it is (`designs[2].design: entities[0].name: …`) and the
//! others are read all the same. [`place`] decides where a read design goes so that importing
//! never replaces a saved design with a different one.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{json_error_message, Design};

/// The value of `format` that names a backup file.
pub const FORMAT: &str = "schemaplay-backup";
/// The version this build writes, and the newest it reads.
pub const VERSION: u64 = 1;
/// The longest storage id a backup may carry (ids become storage keys).
const MAX_ID_LEN: usize = 64;

/// A backup: the saved designs, most recently saved first.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Backup {
    /// Milliseconds since the epoch of the export.
    pub exported_at: f64,
    pub designs: Vec<Entry>,
}

/// One saved design in a backup.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The storage id the design had in the browser it came from.
    pub id: String,
    pub name: String,
    /// Milliseconds since the epoch of its last save.
    pub saved_at: f64,
    pub design: Design,
    /// The query console kept with it, as the page wrote it.
    pub console: Option<Map<String, Value>>,
}

/// What could be read of a backup file: its designs, and why any others were left out.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Read {
    pub designs: Vec<Entry>,
    /// One line per design left out, naming where it is in the file.
    pub problems: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    exported_at: f64,
    designs: Vec<EntryOut<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryOut<'a> {
    id: &'a str,
    name: &'a str,
    saved_at: f64,
    design: &'a Design,
    #[serde(skip_serializing_if = "Option::is_none")]
    console: Option<&'a Map<String, Value>>,
}

impl Backup {
    /// The backup file's text (pretty JSON, trailing newline).
    pub fn to_json(&self) -> String {
        let file = FileOut {
            format: FORMAT,
            version: VERSION,
            exported_at: self.exported_at,
            designs: self
                .designs
                .iter()
                .map(|e| EntryOut {
                    id: &e.id,
                    name: &e.name,
                    saved_at: e.saved_at,
                    design: &e.design,
                    console: e.console.as_ref(),
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Reads a backup file: `Err` when nothing of it can be read, else its designs and a problem
/// for each design left out.
pub fn read(text: &str) -> Result<Read, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "this file is not a schemaplay backup: it is not valid JSON (line {}, column {}: {})",
            e.line(),
            e.column(),
            json_error_message(&e)
        )
    })?;
    let Value::Object(file) = value else {
        return Err(format!(
            "this file is not a schemaplay backup: it holds {} where a backup holds an object",
            kind(&value)
        ));
    };
    match file.get("format") {
        Some(Value::String(format)) if format == FORMAT => {}
        Some(other) => {
            return Err(format!(
                "this file is not a schemaplay backup: its \"format\" is {other}, not \"{FORMAT}\""
            ))
        }
        None => {
            let hint = if file.contains_key("entities") {
                " (it looks like a single design: open it with Import instead)"
            } else {
                ""
            };
            return Err(format!(
                "this file is not a schemaplay backup: it has no \"format\": \"{FORMAT}\"{hint}"
            ));
        }
    }
    match file.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => {}
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > VERSION) => {
            return Err(format!(
                "this backup is version {n}, written by a newer schemaplay: this one reads version {VERSION}"
            ))
        }
        Some(other) => {
            return Err(format!(
                "\"version\": {other} is not a backup version (this build reads {VERSION})"
            ))
        }
        None => return Err("this backup has no \"version\"".to_string()),
    }
    let designs = match file.get("designs") {
        Some(Value::Array(designs)) => designs,
        Some(other) => {
            return Err(format!(
                "\"designs\": expected a list of designs, found {}",
                kind(other)
            ))
        }
        None => return Err("this backup has no \"designs\" list".to_string()),
    };
    let mut read = Read::default();
    for (i, value) in designs.iter().enumerate() {
        match entry(value) {
            Ok(entry) => read.designs.push(entry),
            Err(problem) => read.problems.push(format!("designs[{i}]{problem}")),
        }
    }
    Ok(read)
}

/// One design of the file, or what is wrong with it as a path suffix and a message.
fn entry(value: &Value) -> Result<Entry, String> {
    let Value::Object(map) = value else {
        return Err(format!(": expected a design, found {}", kind(value)));
    };
    let id = match map.get("id") {
        Some(Value::String(id)) if valid_id(id) => id.clone(),
        Some(Value::String(id)) => {
            return Err(format!(
            ".id: {id:?} is not a storage id (letters, digits, '-' and '_', at most {MAX_ID_LEN})"
        ))
        }
        Some(other) => return Err(format!(".id: expected text, found {}", kind(other))),
        None => return Err(": \"id\" is missing".to_string()),
    };
    let saved_at = match map.get("savedAt") {
        None => 0.0,
        Some(Value::Number(n)) => n.as_f64().filter(|t| t.is_finite()).unwrap_or(0.0),
        Some(other) => {
            return Err(format!(
                ".savedAt: expected a number, found {}",
                kind(other)
            ))
        }
    };
    let design = match map.get("design") {
        Some(design @ Value::Object(_)) => Design::from_json_unchecked(&design.to_string())
            .map_err(|findings| {
                let first = findings.first().map(|f| f.to_string()).unwrap_or_default();
                let more = match findings.len() {
                    0 | 1 => String::new(),
                    n => format!(" (and {} more)", n - 1),
                };
                format!(".design: {first}{more}")
            })?,
        Some(other) => return Err(format!(".design: expected a design, found {}", kind(other))),
        None => return Err(": \"design\" is missing".to_string()),
    };
    let console = match map.get("console") {
        None | Some(Value::Null) => None,
        Some(Value::Object(console)) => Some(console.clone()),
        Some(other) => {
            return Err(format!(
                ".console: expected an object, found {}",
                kind(other)
            ))
        }
    };
    let name = match map.get("name") {
        Some(Value::String(name)) if !name.is_empty() => name.clone(),
        _ => design.name.clone(),
    };
    Ok(Entry {
        id,
        name,
        saved_at,
        design,
        console,
    })
}

/// Whether `id` can be a storage id.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Where a design read from a backup goes, given the design saved under its id here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Nothing is saved under its id: it is saved there.
    Same,
    /// The same design is saved under its id already: nothing to do.
    Present,
    /// Another design is saved under its id: it is saved under a new id, beside it.
    Copy,
}

/// Where `entry` goes when `existing` is what this browser saved under its id.
pub fn place(entry: &Entry, existing: Option<&Design>) -> Place {
    match existing {
        None => Place::Same,
        Some(design) if *design == entry.design => Place::Present,
        Some(_) => Place::Copy,
    }
}

/// The JSON kind of a value, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};
    use serde_json::json;

    use super::*;

    fn design(name: &str) -> Design {
        Design {
            name: name.to_string(),
            ..Design::default()
        }
    }

    fn entry(id: &str, name: &str) -> Entry {
        Entry {
            id: id.to_string(),
            name: name.to_string(),
            saved_at: 1_765_000_000_000.0,
            design: design(name),
            console: json!({"mongoScript": "db.users.find()"})
                .as_object()
                .cloned(),
        }
    }

    /// A file's error, or its designs' ids and its problems, one per line.
    fn check(text: &str, expected: Expect) {
        let shown = match read(text) {
            Err(error) => format!("error: {error}"),
            Ok(read) => read
                .designs
                .iter()
                .map(|d| format!("ok: {} {:?}", d.id, d.name))
                .chain(read.problems.iter().map(|p| format!("problem: {p}")))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        expected.assert_eq(&shown);
    }

    #[test]
    fn a_backup_reads_back_what_was_written() {
        let backup = Backup {
            exported_at: 1_765_000_000_001.0,
            designs: vec![
                entry("a1", "Shop"),
                Entry {
                    console: None,
                    ..entry("b-2", "Blog")
                },
            ],
        };
        let back = read(&backup.to_json());
        assert_eq!(
            back,
            Ok(Read {
                designs: backup.designs.clone(),
                problems: vec![],
            })
        );
    }

    #[test]
    fn an_unreadable_file_is_one_error() {
        check(
            "{\"format\": ",
            expect!["error: this file is not a schemaplay backup: it is not valid JSON (line 1, column 11: EOF while parsing a value)"],
        );
        check(
            "[1, 2]",
            expect![[
                r#"error: this file is not a schemaplay backup: it holds a list where a backup holds an object"#
            ]],
        );
        check(
            r#"{"name": "Shop", "entities": []}"#,
            expect![[
                r#"error: this file is not a schemaplay backup: it has no "format": "schemaplay-backup" (it looks like a single design: open it with Import instead)"#
            ]],
        );
        check(
            r#"{"format": "zip"}"#,
            expect![[
                r#"error: this file is not a schemaplay backup: its "format" is "zip", not "schemaplay-backup""#
            ]],
        );
        check(
            r#"{"format": "schemaplay-backup", "version": 9, "designs": []}"#,
            expect![[
                r#"error: this backup is version 9, written by a newer schemaplay: this one reads version 1"#
            ]],
        );
        check(
            r#"{"format": "schemaplay-backup", "version": "1", "designs": []}"#,
            expect![[r#"error: "version": "1" is not a backup version (this build reads 1)"#]],
        );
        check(
            r#"{"format": "schemaplay-backup", "version": 1, "designs": {}}"#,
            expect![[r#"error: "designs": expected a list of designs, found an object"#]],
        );
        check(
            r#"{"format": "schemaplay-backup", "version": 1}"#,
            expect![[r#"error: this backup has no "designs" list"#]],
        );
        // Nesting deeper than the JSON reader allows is an error, not a crash.
        let deep = format!(
            "{{\"format\": \"schemaplay-backup\", \"version\": 1, \"designs\": {}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(read(&deep).is_err_and(|e| e.contains("recursion limit")));
    }

    /// A design that cannot be read is left out with its place in the file; the others come in.
    #[test]
    fn a_broken_design_names_where_it_is() {
        let good = json!({"id": "ok1", "name": "Shop", "design": {"formatVersion": 1, "name": "Shop", "entities": []}});
        let file = json!({
            "format": "schemaplay-backup",
            "version": 1,
            "designs": [
                good,
                {"id": "x", "design": {"formatVersion": 1, "name": "Bad", "entities": [{"name": "User", "fields": [{"name": "id", "type": "strng"}]}]}},
                {"id": "../etc", "design": {}},
                {"id": 7, "design": {}},
                {"design": {}},
                {"id": "y"},
                {"id": "z", "design": "text"},
                {"id": "w", "design": {"formatVersion": 1, "name": "W", "entities": []}, "console": [1]},
                {"id": "v", "design": {}, "savedAt": "yesterday"},
                "nothing",
                {"id": "unnamed", "design": {"formatVersion": 1, "name": "From the design", "entities": []}},
            ]
        });
        check(
            &file.to_string(),
            expect![[r#"
                ok: ok1 "Shop"
                ok: unnamed "From the design"
                problem: designs[1].design: entities[0].fields[0].type: unknown type "strng"
                problem: designs[2].id: "../etc" is not a storage id (letters, digits, '-' and '_', at most 64)
                problem: designs[3].id: expected text, found a number
                problem: designs[4]: "id" is missing
                problem: designs[5]: "design" is missing
                problem: designs[6].design: expected a design, found text
                problem: designs[7].console: expected an object, found a list
                problem: designs[8].savedAt: expected a number, found text
                problem: designs[9]: expected a design, found text"#]],
        );
    }

    /// Importing never replaces a different design saved under the same id.
    #[test]
    fn a_design_goes_beside_a_different_one() {
        let shop = entry("a1", "Shop");
        assert_eq!(place(&shop, None), Place::Same);
        assert_eq!(place(&shop, Some(&design("Shop"))), Place::Present);
        assert_eq!(place(&shop, Some(&design("Shop, edited"))), Place::Copy);
    }
}
