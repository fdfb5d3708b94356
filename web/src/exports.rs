//! The exports each view offers, as (title, file name, text), all produced by the core from the
//! layouts already derived.

use schemaplay_core::export::{self, ExportFormat};
use schemaplay_core::model::Design;
use schemaplay_core::Analysis;
use yew::Html;

/// One export ready to copy or download.
pub struct Export {
    pub title: &'static str,
    pub file_name: String,
    pub text: String,
    /// A readable rendering shown instead of the text (the migration plan).
    pub view: Option<Html>,
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
        view: None,
    }
}

/// The migration plan, for a design imported from SQL: markdown to copy or download, shown
/// rendered. None for a design sketched by hand.
fn migration(design: &Design) -> Option<Export> {
    design.sql_source.as_ref()?;
    let plan = export::migration::plan(design);
    Some(Export {
        view: Some(crate::components::migration::migration_plan(&plan)),
        ..make(
            design,
            ExportFormat::MigrationPlan,
            "Migration plan from SQL",
            export::migration::markdown(&plan),
        )
    })
}

/// MongoDB exports: `$jsonSchema` validators, the mongoose schema, a mongosh setup script.
pub fn mongo(design: &Design, analysis: &Analysis) -> Vec<Export> {
    let layout = &analysis.mongo;
    let mut list = vec![
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
    ];
    list.extend(migration(design));
    list
}

/// DynamoDB exports: NoSQL Workbench JSON, CloudFormation, SDK code.
pub fn dynamo(design: &Design, analysis: &Analysis) -> Vec<Export> {
    let layout = &analysis.dynamo;
    let mut list = vec![
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
    ];
    list.extend(migration(design));
    list
}
