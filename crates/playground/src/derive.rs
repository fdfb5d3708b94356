//! Everything the page shows that is derived from a design: the core's analysis (findings, both
//! layouts, cost, scaling), each collection's sample documents, the exports, the layout
//! alternatives, which patterns are paged lists and each pattern's prefilled scripts. The page
//! asks for it with `Request::Derive` and renders the answer, so none of the derivations is in
//! the page's download: they run in the worker, off the main thread.
//!
//! A pure function of the design: it reads neither the playground's design nor its data, so a
//! worker that holds no design can answer it.

use schemaplay_core::alternatives::{alternatives, Choice};
use schemaplay_core::export::migration::{self, MigrationPlan};
use schemaplay_core::export::{self, ExportFormat};
use schemaplay_core::model::Design;
use schemaplay_core::{analyze, mongo, Analysis};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::script::prefill_script;
use crate::Database;

/// How many sample documents each collection shows, and the seed they are made from.
const SAMPLES: u64 = 2;
const SAMPLE_SEED: u64 = 1;

/// What to derive besides the analysis, samples, exports and paged lists, which every derived
/// view shows: the parts only one view needs, each a derivation per choice or per pattern.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Wants {
    /// The layout alternatives (the Alternatives view): the whole analysis once per
    /// alternative.
    pub alternatives: bool,
    /// Each pattern's prefilled scripts (the console).
    pub scripts: bool,
}

/// The design's derivation and the views' extras, answered by `Reply::Derived`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Derivation {
    pub analysis: Analysis,
    pub views: DerivedViews,
}

/// What the views show beyond the [`Analysis`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct DerivedViews {
    /// Two sample documents (relaxed Extended JSON) of each collection of the MongoDB layout,
    /// in the layout's order.
    pub samples: Vec<Vec<Value>>,
    /// The MongoDB exports: `$jsonSchema` validators, mongoose, mongosh.
    pub mongo_exports: Vec<ExportText>,
    /// The DynamoDB exports: NoSQL Workbench, CloudFormation, the SDK.
    pub dynamo_exports: Vec<ExportText>,
    /// The migration plan of a design imported from SQL (both lists offer it).
    pub migration: Option<MigrationExport>,
    /// The layout alternatives, when asked for ([`Wants::alternatives`]).
    pub alternatives: Option<Vec<Choice>>,
    /// The access patterns that are paged lists ([`crate::is_paged_list`]).
    pub paged_lists: Vec<String>,
    /// Each pattern's prefilled scripts with the keys of the data of `seed`, when asked for
    /// ([`Wants::scripts`]).
    pub scripts: Option<Vec<PatternScripts>>,
    /// The seed the scripts read their keys from.
    pub seed: u64,
}

/// One export ready to copy or download.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ExportText {
    pub title: String,
    pub file_name: String,
    pub text: String,
}

/// The migration plan: its markdown, and the plan itself for the page to render.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MigrationExport {
    pub export: ExportText,
    pub plan: MigrationPlan,
}

/// A pattern's script in each database's console ([`prefill_script`]).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PatternScripts {
    pub pattern: String,
    pub mongo: Option<String>,
    pub dynamo: Option<String>,
}

impl DerivedViews {
    /// Whether `pattern` is a paged list, whose console form asks for pages.
    pub fn is_paged_list(&self, pattern: &str) -> bool {
        self.paged_lists.iter().any(|p| p == pattern)
    }

    /// The script that fills `database`'s console for `pattern`, with the keys of the data of
    /// [`DerivedViews::seed`]; none when the scripts were not asked for.
    pub fn script_for(&self, database: Database, pattern: &str) -> Option<String> {
        let scripts = self.scripts.as_ref()?;
        let found = scripts.iter().find(|s| s.pattern == pattern)?;
        match database {
            Database::Mongo => found.mongo.clone(),
            Database::Dynamo => found.dynamo.clone(),
        }
    }
}

/// Derives everything the views show of `design`; `seed` is the console's data's, whose keys
/// the prefilled scripts read.
pub fn derive(design: &Design, seed: u64, wants: Wants) -> Derivation {
    let analysis = analyze(design);
    let samples = analysis
        .mongo
        .collections
        .iter()
        .map(|c| mongo::sample_documents(design, &c.name, SAMPLES, SAMPLE_SEED))
        .collect();
    let text = |format: ExportFormat, title: &str, text: String| ExportText {
        title: title.to_string(),
        file_name: format.file_name(design),
        text,
    };
    let mongo_exports = vec![
        text(
            ExportFormat::JsonSchema,
            "$jsonSchema validators",
            pretty(&export::json_schemas(design, &analysis.mongo)),
        ),
        text(
            ExportFormat::Mongoose,
            "mongoose schemas",
            export::mongoose(design, &analysis.mongo),
        ),
        text(
            ExportFormat::Mongosh,
            "mongosh script",
            export::mongosh(design, &analysis.mongo),
        ),
    ];
    let dynamo_exports = vec![
        text(
            ExportFormat::Workbench,
            "NoSQL Workbench model",
            pretty(&export::workbench(design, &analysis.dynamo)),
        ),
        text(
            ExportFormat::CloudFormation,
            "CloudFormation template",
            pretty(&export::cloudformation(&analysis.dynamo)),
        ),
        text(
            ExportFormat::Sdk,
            "AWS SDK v3 code",
            export::sdk(design, &analysis.dynamo),
        ),
    ];
    let migration = design.sql_source.as_ref().map(|_| {
        let plan = migration::plan(design);
        MigrationExport {
            export: text(
                ExportFormat::MigrationPlan,
                "Migration plan from SQL",
                migration::markdown(&plan),
            ),
            plan,
        }
    });
    let paged_lists = design
        .access_patterns
        .iter()
        .filter(|p| crate::is_paged_list(design, &p.name))
        .map(|p| p.name.clone())
        .collect();
    let scripts = wants.scripts.then(|| {
        design
            .access_patterns
            .iter()
            .map(|p| PatternScripts {
                pattern: p.name.clone(),
                mongo: prefill_script(design, &p.name, Database::Mongo, seed),
                dynamo: prefill_script(design, &p.name, Database::Dynamo, seed),
            })
            .collect()
    });
    Derivation {
        views: DerivedViews {
            samples,
            mongo_exports,
            dynamo_exports,
            migration,
            alternatives: wants.alternatives.then(|| alternatives(design)),
            paged_lists,
            scripts,
            seed,
        },
        analysis,
    }
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
