//! The exports each view offers, as (title, file name, text), all produced by the core in the
//! worker from the layouts it derived (`schemaplay_playground::derive`).

use schemaplay_playground::derive::{DerivedViews, ExportText};
use yew::Html;

/// One export ready to copy or download.
pub struct Export {
    pub title: String,
    pub file_name: String,
    pub text: String,
    /// A readable rendering shown instead of the text (the migration plan).
    pub view: Option<Html>,
}

fn make(export: &ExportText) -> Export {
    Export {
        title: export.title.clone(),
        file_name: export.file_name.clone(),
        text: export.text.clone(),
        view: None,
    }
}

/// The migration plan, for a design imported from SQL: markdown to copy or download, shown
/// rendered. None for a design sketched by hand.
fn migration(views: &DerivedViews) -> Option<Export> {
    let migration = views.migration.as_ref()?;
    Some(Export {
        view: Some(crate::components::migration::migration_plan(
            &migration.plan,
        )),
        ..make(&migration.export)
    })
}

/// MongoDB exports: `$jsonSchema` validators, the mongoose schema, a mongosh setup script.
pub fn mongo(views: &DerivedViews) -> Vec<Export> {
    let mut list: Vec<Export> = views.mongo_exports.iter().map(make).collect();
    list.extend(migration(views));
    list
}

/// DynamoDB exports: NoSQL Workbench JSON, CloudFormation, SDK code.
pub fn dynamo(views: &DerivedViews) -> Vec<Export> {
    let mut list: Vec<Export> = views.dynamo_exports.iter().map(make).collect();
    list.extend(migration(views));
    list
}
