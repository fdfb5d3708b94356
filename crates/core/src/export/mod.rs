//! Exports of the derived layouts: `$jsonSchema` validators, mongoose schemas
//! and a mongosh script for MongoDB (`mongodb.rs`); a NoSQL Workbench model, a
//! CloudFormation template and AWS SDK v3 code for DynamoDB (`dynamodb.rs`).

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use crate::dynamo;
use crate::model::*;
use crate::mongo;
use crate::names;

mod dynamodb;
pub mod migration;
mod mongodb;
mod mongoose_pages;
mod mongoose_transactions;

pub use dynamodb::{cloudformation, sdk, sdk_pattern, workbench};
pub use mongodb::{json_schema, json_schemas, mongoose, mongosh, mongosh_pattern};

/// The key under which a Workbench export carries the whole design, so it
/// imports back to an equal design.
pub const WORKBENCH_DESIGN_KEY: &str = "SchemaplayDesign";

/// The formats `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Workbench,
    CloudFormation,
    Mongosh,
    Mongoose,
    JsonSchema,
    Sdk,
    /// The migration plan of a design imported from SQL, as markdown.
    MigrationPlan,
    /// The same plan as JSON, for tools.
    MigrationPlanJson,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 8] = [
        ExportFormat::Workbench,
        ExportFormat::CloudFormation,
        ExportFormat::Mongosh,
        ExportFormat::Mongoose,
        ExportFormat::JsonSchema,
        ExportFormat::Sdk,
        ExportFormat::MigrationPlan,
        ExportFormat::MigrationPlanJson,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Workbench => "workbench",
            ExportFormat::CloudFormation => "cloudformation",
            ExportFormat::Mongosh => "mongosh",
            ExportFormat::Mongoose => "mongoose",
            ExportFormat::JsonSchema => "jsonschema",
            ExportFormat::Sdk => "sdk",
            ExportFormat::MigrationPlan => "migration-plan",
            ExportFormat::MigrationPlanJson => "migration-plan-json",
        }
    }

    /// A file name for the export.
    pub fn file_name(self, design: &Design) -> String {
        let base = names::camel(&design.name);
        let base = if base.is_empty() {
            "design".to_string()
        } else {
            base
        };
        match self {
            ExportFormat::Workbench => format!("{base}.workbench.json"),
            ExportFormat::CloudFormation => format!("{base}.cloudformation.json"),
            ExportFormat::Mongosh => format!("{base}.mongosh.js"),
            ExportFormat::Mongoose => format!("{base}.models.js"),
            ExportFormat::JsonSchema => format!("{base}.jsonschema.json"),
            ExportFormat::Sdk => format!("{base}.dynamodb.js"),
            ExportFormat::MigrationPlan => format!("{base}.migration-plan.md"),
            ExportFormat::MigrationPlanJson => format!("{base}.migration-plan.json"),
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown export format \"{s}\" (expected one of {})",
                    ExportFormat::ALL.map(|f| f.name()).join(", ")
                )
            })
    }
}

/// The export of a design in the given format, as text.
pub fn export(design: &Design, format: ExportFormat) -> String {
    let pretty = |v: &Value| {
        let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
        s.push('\n');
        s
    };
    match format {
        ExportFormat::Workbench => pretty(&workbench(design, &dynamo::layout(design))),
        ExportFormat::CloudFormation => pretty(&cloudformation(&dynamo::layout(design))),
        ExportFormat::Mongosh => mongosh(design, &mongo::layout(design)),
        ExportFormat::Mongoose => mongoose(design, &mongo::layout(design)),
        ExportFormat::JsonSchema => pretty(&json_schemas(design, &mongo::layout(design))),
        ExportFormat::Sdk => sdk(design, &dynamo::layout(design)),
        ExportFormat::MigrationPlan => migration::markdown(&migration::plan(design)),
        ExportFormat::MigrationPlanJson => {
            pretty(&serde_json::to_value(migration::plan(design)).unwrap_or_default())
        }
    }
}
