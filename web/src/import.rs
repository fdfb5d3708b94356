//! Imported files. Schemaplay's own design JSON is read on the page; NoSQL Workbench models and
//! SQL DDL go through the core's importers in the worker's playground
//! (`schemaplay_playground::import`), so the SQL parser is not part of what the page loads.

use schemaplay_core::model::Design;
use schemaplay_playground::import::describe;

/// Reads a schemaplay design file; `Ok(None)` when the file is in another format.
pub fn read_design_file(name: &str, text: &str) -> Result<Option<Design>, String> {
    if !text.trim_start().starts_with('{') {
        return Ok(None);
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "{name} is not valid JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        )
    })?;
    if value.get("formatVersion").is_none() {
        return Ok(None);
    }
    Design::from_json_unchecked(text)
        .map(Some)
        .map_err(|findings| describe(name, &findings))
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};
    use schemaplay_playground::import::convert;

    use super::*;

    /// Reads a file as the page does, converting it as the worker does when needed.
    fn check(name: &str, text: &str, expect: Expect) {
        let shown = match read_design_file(name, text) {
            Ok(Some(design)) => format!("design {}", design.name),
            Ok(None) => match convert(name, text) {
                Ok((design, note)) => {
                    let names: Vec<&str> =
                        design.entities.iter().map(|e| e.name.as_str()).collect();
                    format!("converted {names:?}{note}")
                }
                Err(message) => format!("error: {message}"),
            },
            Err(message) => format!("error: {message}"),
        };
        expect.assert_eq(&shown);
    }

    #[test]
    fn reads_and_converts() {
        check(
            "a.json",
            r#"{"formatVersion": 1, "name": "mine", "entities": []}"#,
            expect!["design mine"],
        );
        check(
            "a.json",
            "{\"formatVersion\": 1,",
            expect!["error: a.json is not valid JSON (line 1, column 20): EOF while parsing a value at line 1 column 20"],
        );
        check(
            "shop.sql",
            "CREATE TABLE customers (id INT PRIMARY KEY, email TEXT NOT NULL);",
            expect![[r#"converted ["Customer"]"#]],
        );
        check(
            "empty.sql",
            "-- nothing",
            expect!["error: empty.sql has no tables to import"],
        );
    }
}
