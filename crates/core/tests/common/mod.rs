//! What the test files share: designs from the gallery or from JSON fragments, a design's
//! pattern by name, records to render requests from. Each test file uses some of it.
#![allow(dead_code)]

use schemaplay_core::sample::Val;
use schemaplay_core::{examples, AccessPattern, Design};

/// A gallery example's design.
pub fn example(id: &str) -> Design {
    examples::get(id).map(|e| e.design).unwrap_or_default()
}

/// A version-1 design from entity, relationship and pattern JSON fragments.
pub fn design(entities: &str, relationships: &str, patterns: &str) -> Design {
    let json = format!(
        r#"{{"formatVersion": 1, "name": "rule", "entities": [{entities}], "relationships": [{relationships}], "accessPatterns": [{patterns}]}}"#
    );
    match Design::from_json(&json) {
        Ok(d) => d,
        Err(f) => panic!("the test design does not read: {f:?}"),
    }
}

/// The findings reading a design gives, one a line, or `read`.
pub fn read(json: &str) -> String {
    match Design::from_json(json) {
        Ok(_) => "read".to_string(),
        Err(findings) => findings
            .iter()
            .map(|f| format!("[{}] {f}\n", f.id))
            .collect(),
    }
}

/// A design's pattern by name.
pub fn pattern(design: &Design, name: &str) -> AccessPattern {
    design
        .access_patterns
        .iter()
        .find(|p| p.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("no pattern {name}"))
}

/// An object of the given fields.
pub fn record(fields: &[(&str, Val)]) -> Val {
    Val::Object(
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

pub fn text(s: &str) -> Val {
    Val::Str(s.to_string())
}
