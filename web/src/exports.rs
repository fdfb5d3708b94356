//! The exports each view offers, as (title, file name, text), all produced by the core.

use schemaplay_core::export::{export, ExportFormat};
use schemaplay_core::model::Design;

/// One export ready to copy or download.
pub struct Export {
    pub title: &'static str,
    pub file_name: String,
    pub text: String,
}

fn make(design: &Design, formats: &[(ExportFormat, &'static str)]) -> Vec<Export> {
    formats
        .iter()
        .map(|&(format, title)| Export {
            title,
            file_name: format.file_name(design),
            text: export(design, format),
        })
        .collect()
}

/// MongoDB exports: `$jsonSchema` validators, the mongoose schema, a mongosh setup script.
pub fn mongo(design: &Design) -> Vec<Export> {
    make(
        design,
        &[
            (ExportFormat::JsonSchema, "$jsonSchema validators"),
            (ExportFormat::Mongoose, "mongoose schemas"),
            (ExportFormat::Mongosh, "mongosh script"),
        ],
    )
}

/// DynamoDB exports: NoSQL Workbench JSON, CloudFormation, SDK code.
pub fn dynamo(design: &Design) -> Vec<Export> {
    make(
        design,
        &[
            (ExportFormat::Workbench, "NoSQL Workbench model"),
            (ExportFormat::CloudFormation, "CloudFormation template"),
            (ExportFormat::Sdk, "AWS SDK v3 code"),
        ],
    )
}
