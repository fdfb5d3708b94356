//! Which form of the editor edits each key of the design format: the one list that says the
//! page edits every attribute without the JSON view. Its test reads the keys the core's reader
//! allows (`schemaplay_core::model::accepted_keys`), so a key added to the format fails it
//! until its form is written and listed here.
//!
//! Keys are generic paths (`entities[].ttl.afterSeconds`, `dynamo.keyTemplates.*.pk`): list
//! positions as `[]`, names the user chose as `*`, an embedded object's fields as the entity's.

/// Who edits a key of the design format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// The component (its file under `src/components/`) whose form edits the key.
    Form(&'static str),
    /// No form, on purpose, and why; the key and every key under it.
    NoForm(&'static str),
}

use By::{Form, NoForm};

/// Every key of the design format with what edits it.
pub const FORM_KEYS: &[(&str, By)] = &[
    ("formatVersion", NoForm("written by the app: the version this build writes")),
    ("name", Form("header.rs")),
    ("description", Form("editor.rs")),
    ("entities", Form("editor.rs")),
    ("entities[].name", Form("entity_card.rs")),
    ("entities[].id", Form("entity_card.rs")),
    ("entities[].volume", Form("entity_card.rs")),
    ("entities[].fields", Form("field_list.rs")),
    ("entities[].fields[].name", Form("field_list.rs")),
    ("entities[].fields[].type", Form("field_list.rs")),
    ("entities[].fields[].required", Form("field_list.rs")),
    ("entities[].fields[].unique", Form("field_list.rs")),
    ("entities[].fields[].example", Form("field_list.rs")),
    ("entities[].fields[].generator", Form("field_list.rs")),
    ("entities[].fields[].default", Form("field_list.rs")),
    ("entities[].fields[].enum", Form("enum_form.rs")),
    ("entities[].fields[].copyOf", Form("copy_form.rs")),
    ("entities[].fields[].copyOf.entity", Form("copy_form.rs")),
    ("entities[].fields[].copyOf.field", Form("copy_form.rs")),
    ("entities[].fields[].copyOf.via", Form("copy_form.rs")),
    ("entities[].ttl", Form("ttl_form.rs")),
    ("entities[].ttl.field", Form("ttl_form.rs")),
    ("entities[].ttl.afterSeconds", Form("ttl_form.rs")),
    ("relationships", Form("relationships.rs")),
    ("relationships[].from", Form("relationships.rs")),
    ("relationships[].to", Form("relationships.rs")),
    ("relationships[].cardinality", Form("relationships.rs")),
    ("relationships[].expectedCount", Form("relationships.rs")),
    ("relationships[].readTogether", Form("relationships.rs")),
    ("relationships[].field", Form("relationships.rs")),
    ("relationships[].embed", Form("relationships.rs")),
    ("relationships[].onDelete", Form("on_delete.rs")),
    ("accessPatterns", Form("patterns.rs")),
    ("accessPatterns[].name", Form("patterns.rs")),
    ("accessPatterns[].entity", Form("patterns.rs")),
    ("accessPatterns[].kind", Form("patterns.rs")),
    ("accessPatterns[].equality", Form("patterns.rs")),
    ("accessPatterns[].range", Form("patterns.rs")),
    ("accessPatterns[].sort", Form("patterns.rs")),
    ("accessPatterns[].sort.field", Form("patterns.rs")),
    ("accessPatterns[].sort.order", Form("patterns.rs")),
    ("accessPatterns[].pageSize", Form("patterns.rs")),
    ("accessPatterns[].fields", Form("patterns.rs")),
    ("accessPatterns[].caseInsensitive", Form("patterns.rs")),
    ("accessPatterns[].update", Form("patterns.rs")),
    ("accessPatterns[].condition", Form("patterns.rs")),
    ("accessPatterns[].condition.field", Form("patterns.rs")),
    ("accessPatterns[].condition.op", Form("patterns.rs")),
    ("accessPatterns[].condition.value", Form("patterns.rs")),
    ("accessPatterns[].version", Form("pattern_version.rs")),
    ("accessPatterns[].transactional", Form("patterns.rs")),
    ("accessPatterns[].transaction", Form("transaction.rs")),
    ("accessPatterns[].transaction[].pattern", Form("transaction.rs")),
    ("accessPatterns[].transaction[].count", Form("transaction.rs")),
    ("accessPatterns[].aggregate", Form("aggregate_form.rs")),
    ("accessPatterns[].aggregate.groupBy", Form("aggregate_form.rs")),
    ("accessPatterns[].aggregate.aggregates", Form("aggregate_form.rs")),
    ("accessPatterns[].aggregate.aggregates[].op", Form("aggregate_form.rs")),
    ("accessPatterns[].aggregate.aggregates[].field", Form("aggregate_form.rs")),
    ("accessPatterns[].aggregate.aggregates[].as", Form("aggregate_form.rs")),
    ("accessPatterns[].aggregate.limit", Form("aggregate_form.rs")),
    ("accessPatterns[].requestsPerSecond", Form("patterns.rs")),
    ("accessPatterns[].consistency", Form("patterns.rs")),
    ("accessPatterns[].hotKeyShare", Form("pattern_skew.rs")),
    ("mongo", Form("choices.rs")),
    ("mongo.collections", Form("choices.rs")),
    ("mongo.indexes", Form("mongo_indexes.rs")),
    ("mongo.indexes[].entity", Form("mongo_indexes.rs")),
    ("mongo.indexes[].name", Form("mongo_indexes.rs")),
    ("mongo.indexes[].keys", Form("mongo_indexes.rs")),
    ("mongo.indexes[].keys[].field", Form("mongo_indexes.rs")),
    ("mongo.indexes[].keys[].order", Form("mongo_indexes.rs")),
    ("mongo.indexes[].keys[].weight", Form("mongo_indexes.rs")),
    ("mongo.indexes[].unique", Form("mongo_indexes.rs")),
    ("mongo.indexes[].sparse", Form("mongo_indexes.rs")),
    ("mongo.indexes[].partialFilterExpression", Form("mongo_indexes.rs")),
    ("mongo.indexes[].expireAfterSeconds", Form("mongo_indexes.rs")),
    ("mongo.indexes[].collation", Form("mongo_indexes.rs")),
    ("mongo.indexes[].collation.locale", Form("mongo_indexes.rs")),
    ("mongo.indexes[].collation.strength", Form("mongo_indexes.rs")),
    ("dynamo", Form("choices.rs")),
    ("dynamo.tableName", Form("choices.rs")),
    ("dynamo.partitionKey", Form("choices.rs")),
    ("dynamo.sortKey", Form("choices.rs")),
    ("dynamo.billingMode", Form("choices.rs")),
    ("dynamo.keyTemplates", Form("choices.rs")),
    ("dynamo.keyTemplates.*.pk", Form("choices.rs")),
    ("dynamo.keyTemplates.*.sk", Form("choices.rs")),
    ("dynamo.indexes", Form("choices.rs")),
    ("dynamo.indexes[].name", Form("choices.rs")),
    ("dynamo.indexes[].partitionKey", Form("choices.rs")),
    ("dynamo.indexes[].sortKey", Form("choices.rs")),
    ("dynamo.indexes[].local", Form("choices.rs")),
    // In the DynamoDB view, beside each index.
    ("dynamo.projections", Form("index_projection.rs")),
    // Each layout choice's alternatives ("Use this layout"; the derived one clears it).
    ("dynamo.placements", Form("alternatives.rs")),
    ("dynamo.sortIndexes", Form("alternatives.rs")),
    // The DynamoDB view's Counter items card (and the Alternatives view).
    ("dynamo.counters", Form("counters.rs")),
    // Dragging an entity's box on the diagram.
    ("positions", Form("diagram.rs")),
    ("positions.*.x", Form("diagram.rs")),
    ("positions.*.y", Form("diagram.rs")),
    (
        "sqlSource",
        NoForm("written by the SQL importer: where an imported design came from, which the migration plan reads"),
    ),
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    use schemaplay_core::model::accepted_keys;

    use super::*;

    /// A design with one of every kind of object of the format, so the reader lists the keys
    /// each allows.
    const EVERY_OBJECT: &str = include_str!("../tests/every-object.json");

    /// What covers a key: its own entry, or the entry of a key above it that has no form.
    fn covering(key: &str) -> Option<By> {
        FORM_KEYS.iter().find_map(|(listed, by)| {
            let above = key
                .strip_prefix(listed)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['));
            (*listed == key || (above && matches!(by, NoForm(_)))).then_some(*by)
        })
    }

    #[test]
    fn every_key_of_the_format_has_a_form() {
        let keys = accepted_keys(EVERY_OBJECT).unwrap_or_default();
        assert!(
            keys.len() > 50,
            "the reader lists the format's keys: {keys:?}"
        );
        let missing: Vec<&String> = keys.iter().filter(|k| covering(k).is_none()).collect();
        assert!(
            missing.is_empty(),
            "no form edits {missing:?}: write one and list it in FORM_KEYS (form_keys.rs)"
        );
    }

    #[test]
    fn every_listed_key_is_a_key_of_the_format() {
        let keys = accepted_keys(EVERY_OBJECT).unwrap_or_default();
        let stale: Vec<&str> = FORM_KEYS
            .iter()
            .map(|(key, _)| *key)
            .filter(|key| !keys.iter().any(|k| k == key))
            .collect();
        assert!(
            stale.is_empty(),
            "FORM_KEYS lists {stale:?}, which the format does not have"
        );
        let mut listed: Vec<&str> = FORM_KEYS.iter().map(|(key, _)| *key).collect();
        listed.sort_unstable();
        listed.dedup();
        assert_eq!(listed.len(), FORM_KEYS.len(), "a key is listed twice");
    }

    #[test]
    fn every_form_listed_is_a_component() {
        let components = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/components");
        for (key, by) in FORM_KEYS {
            if let Form(file) = by {
                assert!(
                    components.join(file).is_file(),
                    "{key}: no component {file}"
                );
            }
        }
    }

    #[test]
    fn a_key_without_an_entry_is_not_covered() {
        assert_eq!(covering("entities[].ttl"), Some(Form("ttl_form.rs")));
        assert!(matches!(
            covering("sqlSource.tables[].rows"),
            Some(NoForm(_))
        ));
        // A form covers its own key only: a new key under it needs its own entry.
        assert_eq!(covering("entities[].ttl.unit"), None);
        assert_eq!(covering("entities[].ttlx"), None);
    }
}
