//! The keys of the format, as the reader allows them: what a tool needs to
//! know which attributes a design can say (the editor's test that each has a
//! form, a completion list). The reader's own key lists are the one source,
//! so a key added there is listed here with nothing else to update.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{json_syntax, migrate, Reader};
use crate::model::Finding;

/// The maps whose keys are names the user chose (an entity's key template,
/// its diagram position), written `*` in a generic path.
const NAMED_MAPS: [&str; 2] = ["keyTemplates", "positions"];

/// Every key the reader allows in each object of the document it reads, as a
/// generic path: list positions as `[]`, a user-chosen name as `*`, and an
/// embedded object's fields as the entity's own (`entities[].fields[].enum`,
/// `dynamo.keyTemplates.*.pk`). A key is listed whether or not the document
/// has it; an object the document lacks lists nothing, so a document with
/// one of every kind of object lists the whole format. Sorted.
pub fn accepted_keys(text: &str) -> Result<Vec<String>, Vec<Finding>> {
    let value: Value = serde_json::from_str(text).map_err(|e| vec![json_syntax(&e)])?;
    let value = migrate(value)?;
    let mut reader = Reader {
        accepted: Some(Vec::new()),
        ..Reader::default()
    };
    reader.design(&value);
    // Made generic here, not as the reader reads: reading a design pays only for a push.
    let keys: BTreeSet<String> = reader
        .accepted
        .unwrap_or_default()
        .iter()
        .map(|path| generic(path))
        .collect();
    Ok(keys.into_iter().collect())
}

/// The generic form of a reader's path: `entities[2].fields[0].type.object[1].name`
/// is `entities[].fields[].name`, `positions.User.x` is `positions.*.x`.
fn generic(path: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut segments = path.split('.').map(without_positions).peekable();
    while let Some(segment) = segments.next() {
        if NAMED_MAPS.contains(&segment.as_str()) && segments.peek().is_some() {
            segments.next();
            out.push(segment);
            out.push("*".to_string());
            continue;
        }
        // A field's type nests fields: `type.object[]`, `type.array.object[]`.
        if segment == "type" {
            let mut rest = segments.clone();
            while rest.peek().is_some_and(|s| s == "array") {
                rest.next();
            }
            if rest.peek().is_some_and(|s| s == "object[]") {
                rest.next();
                segments = rest;
                if out.last().is_some_and(|last| last == "fields[]") {
                    out.pop();
                }
                out.push("fields[]".to_string());
                continue;
            }
        }
        out.push(segment);
    }
    out.join(".")
}

/// A segment with its list positions written `[]`: `fields[3]` is `fields[]`.
fn without_positions(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    let mut in_brackets = false;
    for c in segment.chars() {
        match c {
            '[' => {
                in_brackets = true;
                out.push('[');
            }
            ']' => {
                in_brackets = false;
                out.push(']');
            }
            _ if in_brackets => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_made_generic() {
        let cases = [
            ("name", "name"),
            (
                "entities[2].ttl.afterSeconds",
                "entities[].ttl.afterSeconds",
            ),
            (
                "entities[2].fields[0].type.object[1].enum",
                "entities[].fields[].enum",
            ),
            (
                "entities[0].fields[0].type.array.object[1].type.object[0].name",
                "entities[].fields[].name",
            ),
            ("dynamo.keyTemplates.User.pk", "dynamo.keyTemplates.*.pk"),
            ("positions.keyTemplates.x", "positions.*.x"),
            (
                "mongo.indexes[10].keys[0].weight",
                "mongo.indexes[].keys[].weight",
            ),
        ];
        for (path, expected) in cases {
            assert_eq!(generic(path), expected, "{path}");
        }
    }

    #[test]
    fn the_keys_of_each_object_read_are_listed() {
        let text = r#"{ "formatVersion": 1, "name": "d",
            "entities": [ { "name": "User", "fields": [
                { "name": "profile", "type": { "object": [ { "name": "city", "type": "string" } ] } } ] } ],
            "positions": { "User": { "x": 1, "y": 2 } } }"#;
        let keys = accepted_keys(text).unwrap_or_default();
        for key in [
            "formatVersion",
            "sqlSource",
            "entities[].ttl",
            "entities[].fields[].enum",
            "positions.*.y",
        ] {
            assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
        }
        // No relationship, no TTL object: their keys are not known from this document.
        assert!(!keys.iter().any(|k| k.starts_with("relationships[]")));
        assert!(!keys.iter().any(|k| k.starts_with("entities[].ttl.")));
        assert!(
            !keys
                .iter()
                .any(|k| k.contains("type") && k != "entities[].fields[].type"),
            "{keys:?}"
        );
    }

    #[test]
    fn a_document_that_is_not_a_design_says_why() {
        assert!(accepted_keys("{").is_err());
        assert!(accepted_keys(r#"{"formatVersion": 99}"#).is_err());
    }
}
