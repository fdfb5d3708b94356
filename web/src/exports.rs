//! The exports each view offers, as (title, file name, text), all produced by the core from the
//! layouts already derived.

use schemaplay_core::export::{self, ExportFormat};
use schemaplay_core::model::Design;
use schemaplay_core::Analysis;

/// One export ready to copy or download.
pub struct Export {
    pub title: &'static str,
    pub file_name: String,
    pub text: String,
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn make(design: &Design, format: ExportFormat, title: &'static str, text: String) -> Export {
    Export {
        title,
        file_name: format.file_name(design),
        text,
    }
}

/// MongoDB exports: `$jsonSchema` validators, the mongoose schema, a mongosh setup script.
pub fn mongo(design: &Design, analysis: &Analysis) -> Vec<Export> {
    let layout = &analysis.mongo;
    vec![
        make(
            design,
            ExportFormat::JsonSchema,
            "$jsonSchema validators",
            pretty(&export::json_schemas(design, layout)),
        ),
        make(
            design,
            ExportFormat::Mongoose,
            "mongoose schemas",
            export::mongoose(design, layout),
        ),
        make(
            design,
            ExportFormat::Mongosh,
            "mongosh script",
            export::mongosh(design, layout),
        ),
    ]
}

/// DynamoDB exports: NoSQL Workbench JSON, CloudFormation, SDK code.
pub fn dynamo(design: &Design, analysis: &Analysis) -> Vec<Export> {
    let layout = &analysis.dynamo;
    vec![
        make(
            design,
            ExportFormat::Workbench,
            "NoSQL Workbench model",
            pretty(&export::workbench(design, layout)),
        ),
        make(
            design,
            ExportFormat::CloudFormation,
            "CloudFormation template",
            pretty(&export::cloudformation(layout)),
        ),
        make(
            design,
            ExportFormat::Sdk,
            "AWS SDK v3 code",
            export::sdk(design, layout),
        ),
    ]
}
