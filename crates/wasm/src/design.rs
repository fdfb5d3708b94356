//! The design handle: validate, derive layouts, export and import.
//!
//! A `Design` is built from the design JSON (throwing an `Error` whose
//! message lists every finding, one per line); its methods return JSON
//! strings shaped as `schemaplay_core` serializes them. Free functions cover
//! what needs no design: validating text, importing, the examples.

use wasm_bindgen::prelude::*;

use schemaplay_core::export::ExportFormat;
use schemaplay_core::import::ImportFormat;

use crate::js_error;

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(js_error)
}

/// Every finding as one line each: `path: message`.
pub(crate) fn findings_text(findings: &[schemaplay_core::Finding]) -> String {
    findings
        .iter()
        .map(|f| f.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A design read from its JSON document.
#[wasm_bindgen(js_name = Design)]
pub struct DesignHandle {
    design: schemaplay_core::Design,
}

#[wasm_bindgen(js_class = Design)]
impl DesignHandle {
    /// Reads a design; throws with every reading and validation error, one per line.
    #[wasm_bindgen(constructor)]
    pub fn new(json: &str) -> Result<DesignHandle, JsValue> {
        schemaplay_core::Design::from_json(json)
            .map(|design| DesignHandle { design })
            .map_err(|findings| js_error(findings_text(&findings)))
    }

    /// The design in its canonical JSON form.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.design.to_json()
    }

    /// Everything derived from the design (`Analysis`: findings, mongo, dynamo, cost, scaling).
    pub fn analyze(&self) -> Result<String, JsValue> {
        to_json(&schemaplay_core::analyze(&self.design))
    }

    /// Each layout choice with every alternative derived (JSON: an array of `Choice`:
    /// `id`, `title`, `path`, `alternatives` with their cost, requests per pattern,
    /// consistency notes and findings).
    pub fn alternatives(&self) -> Result<String, JsValue> {
        to_json(&schemaplay_core::alternatives::alternatives(&self.design))
    }

    /// A new design with one alternative recorded (`choice` a choice's `id`, `alternative`
    /// one of its alternatives' `key`); throws naming an unknown choice or alternative.
    #[wasm_bindgen(js_name = applyAlternative)]
    pub fn apply_alternative(
        &self,
        choice: &str,
        alternative: &str,
    ) -> Result<DesignHandle, JsValue> {
        schemaplay_core::alternatives::apply(&self.design, choice, alternative)
            .map(|design| DesignHandle { design })
            .map_err(js_error)
    }

    /// The export in `workbench`, `cloudformation`, `mongosh`, `mongoose`, `jsonschema`, `sdk`,
    /// `migration-plan` (markdown) or `migration-plan-json` (a design imported from SQL).
    #[wasm_bindgen(js_name = exportAs)]
    pub fn export_as(&self, format: &str) -> Result<String, JsValue> {
        let format: ExportFormat = format.parse().map_err(js_error)?;
        Ok(schemaplay_core::export::export(&self.design, format))
    }

    /// `count` sample documents of a collection as an Extended JSON array, deterministic from `seed`.
    #[wasm_bindgen(js_name = sampleDocuments)]
    pub fn sample_documents(
        &self,
        collection: &str,
        count: u32,
        seed: u32,
    ) -> Result<String, JsValue> {
        to_json(&schemaplay_core::mongo::sample_documents(
            &self.design,
            collection,
            u64::from(count),
            u64::from(seed),
        ))
    }

    /// `count` sample items of every entity as DynamoDB AttributeValue JSON, deterministic from `seed`.
    #[wasm_bindgen(js_name = sampleItems)]
    pub fn sample_items(&self, count_per_entity: u32, seed: u32) -> Result<String, JsValue> {
        to_json(&schemaplay_core::dynamo::sample_items(
            &self.design,
            u64::from(count_per_entity),
            u64::from(seed),
        ))
    }

    /// Documents `start..end` of a collection of `total`, as an Extended JSON
    /// array: consecutive ranges concatenate to `sampleDocuments(collection, total, seed)`.
    #[wasm_bindgen(js_name = sampleDocumentsRange)]
    pub fn sample_documents_range(
        &self,
        collection: &str,
        start: u32,
        end: u32,
        total: u32,
        seed: u32,
    ) -> Result<String, JsValue> {
        to_json(&schemaplay_core::mongo::sample_documents_range(
            &self.design,
            collection,
            u64::from(start)..u64::from(end),
            u64::from(total),
            u64::from(seed),
        ))
    }

    /// What sample items are made of, in order, as a JSON array of names:
    /// entities stored as items, then many-to-many links (`Student/Course`).
    #[wasm_bindgen(js_name = sampleSources)]
    pub fn sample_sources(&self) -> Result<String, JsValue> {
        to_json(&schemaplay_core::dynamo::sample_sources(&self.design))
    }

    /// Items `start..end` of one of `sampleSources()`, out of `total` per
    /// source: the sources' full ranges in turn are `sampleItems(total, seed)`.
    #[wasm_bindgen(js_name = sampleItemsRange)]
    pub fn sample_items_range(
        &self,
        source: &str,
        start: u32,
        end: u32,
        total: u32,
        seed: u32,
    ) -> Result<String, JsValue> {
        to_json(&schemaplay_core::dynamo::sample_items_range(
            &self.design,
            source,
            u64::from(start)..u64::from(end),
            u64::from(total),
            u64::from(seed),
        ))
    }
}

/// Every finding about a design text (reading errors, or validation errors
/// and lint findings), as a JSON array of `{id, severity, path, message}`. Never throws.
#[wasm_bindgen(js_name = validateDesign)]
pub fn validate_design(json: &str) -> Result<String, JsValue> {
    match schemaplay_core::Design::from_json_unchecked(json) {
        Ok(design) => to_json(&schemaplay_core::analysis::findings(&design)),
        Err(findings) => to_json(&findings),
    }
}

/// Imports a NoSQL Workbench model (`workbench`) or SQL `CREATE TABLE`
/// statements (`sql`): `{design, findings}`.
#[wasm_bindgen(js_name = importDesign)]
pub fn import_design(text: &str, format: &str) -> Result<String, JsValue> {
    let format: ImportFormat = format.parse().map_err(js_error)?;
    to_json(&schemaplay_core::import::import(text, format))
}

/// The example designs: `[{id, title, teaches, design}]`.
#[wasm_bindgen(js_name = exampleDesigns)]
pub fn example_designs() -> Result<String, JsValue> {
    to_json(&schemaplay_core::examples::all())
}

#[cfg(test)]
mod tests {
    //! The success paths run natively; errors become JavaScript values and are
    //! covered by the Node test.

    use super::*;

    fn user_app() -> String {
        schemaplay_core::examples::get("user-app")
            .map(|e| e.design.to_json())
            .unwrap_or_default()
    }

    #[test]
    fn a_design_round_trips_and_derives_everything() {
        let Ok(design) = DesignHandle::new(&user_app()) else {
            panic!("the user's example does not read");
        };
        assert_eq!(design.to_json(), user_app());
        let analysis: serde_json::Value = design
            .analyze()
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        assert_eq!(analysis["dynamo"]["tableName"], "app-data");
        assert_eq!(analysis["mongo"]["collections"][0]["name"], "users");
        let mongoose = design.export_as("mongoose").ok().unwrap_or_default();
        assert!(mongoose.starts_with("import mongoose from 'mongoose'"));
        let docs: Vec<serde_json::Value> = design
            .sample_documents("users", 5, 1)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        assert_eq!(docs.len(), 5);
        let items: Vec<serde_json::Value> = design
            .sample_items(2, 1)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        assert_eq!(items.len(), 4);
        let sources: Vec<String> = design
            .sample_sources()
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        let mut parts: Vec<serde_json::Value> = Vec::new();
        for source in &sources {
            for (start, end) in [(0, 1), (1, 2)] {
                let part: Vec<serde_json::Value> = design
                    .sample_items_range(source, start, end, 2, 1)
                    .ok()
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or_default();
                parts.extend(part);
            }
        }
        assert_eq!(parts, items);
        let first: Vec<serde_json::Value> = design
            .sample_documents_range("users", 0, 3, 5, 1)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        assert_eq!(first, docs[..3]);
    }

    #[test]
    fn validation_never_throws_and_lists_every_finding() {
        let findings: Vec<serde_json::Value> = validate_design(
            r#"{"formatVersion": 1, "name": "x", "entities": [{"name": "A", "fields": [{"name": "a", "type": "strng"}, {"name": "b", "type": "intt"}]}]}"#,
        )
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
        let paths: Vec<&str> = findings.iter().filter_map(|f| f["path"].as_str()).collect();
        assert_eq!(
            paths,
            ["entities[0].fields[0].type", "entities[0].fields[1].type"]
        );
    }

    #[test]
    fn imports_and_examples() {
        let imported: serde_json::Value =
            import_design("CREATE TABLE users (id INT PRIMARY KEY);", "sql")
                .ok()
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default();
        assert_eq!(imported["design"]["entities"][0]["name"], "User");
        let design = imported["design"].to_string();
        let plan: serde_json::Value = DesignHandle::new(&design)
            .ok()
            .and_then(|d| d.export_as("migration-plan-json").ok())
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        assert_eq!(plan["tables"][0]["table"], "users");
        assert_eq!(plan["loads"][0]["target"], "mongodb");
        let examples: Vec<serde_json::Value> = example_designs()
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        assert!(examples.len() >= 5);
    }
}
