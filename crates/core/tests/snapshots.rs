//! Snapshots of everything derived from each example design, so a change of a
//! rule shows up as a reviewed diff. Run with UPDATE_EXPECT=1 to accept.

use expect_test::expect_file;
use schemaplay_core::examples;

#[test]
fn mongo_layouts() {
    for example in examples::all() {
        let layout = schemaplay_core::mongo::layout(&example.design);
        let text = serde_json::to_string_pretty(&layout).unwrap_or_default();
        expect_file![format!("snapshots/{}.mongo.json", example.id)].assert_eq(&text);
    }
}

#[test]
fn dynamo_layouts() {
    for example in examples::all() {
        let layout = schemaplay_core::dynamo::layout(&example.design);
        let text = serde_json::to_string_pretty(&layout).unwrap_or_default();
        expect_file![format!("snapshots/{}.dynamo.json", example.id)].assert_eq(&text);
    }
}

/// Findings, cost and scaling as a reviewer reads them: one line per finding.
#[test]
fn advice() {
    for example in examples::all() {
        let analysis = schemaplay_core::analyze(&example.design);
        let mut text = String::from("# Findings\n");
        for f in &analysis.findings {
            text.push_str(&format!("{} [{}] {f}\n", f.severity, f.id));
        }
        text.push_str("\n# Cost (DynamoDB)\n");
        for c in &analysis.cost.patterns {
            text.push_str(&format!(
                "{}: {} at {}/s: {} RCU + {} WCU per request; ${:.2} on-demand, ${:.2} provisioned per month ({})\n",
                c.pattern, c.operation, c.requests_per_second, c.read_units_per_request, c.write_units_per_request, c.on_demand_monthly, c.provisioned_monthly, c.explanation
            ));
        }
        text.push_str(&format!(
            "total: {:.1} RCU/s, {:.1} WCU/s, {} GB (${:.2}/month storage); ${:.2} on-demand, ${:.2} provisioned per month; {}\n",
            analysis.cost.read_units_per_second,
            analysis.cost.write_units_per_second,
            analysis.cost.storage_gb,
            analysis.cost.storage_monthly,
            analysis.cost.on_demand_monthly,
            analysis.cost.provisioned_monthly,
            analysis.cost.advice
        ));
        text.push_str("\n# Scaling\n");
        for s in &analysis.scaling.mongo {
            text.push_str(&format!(
                "mongo {} shard key {}: {}\n",
                s.collection, s.key, s.reason
            ));
            for p in &s.patterns {
                text.push_str(&format!(
                    "  {}: {}\n",
                    p.pattern,
                    if p.targeted {
                        "targeted"
                    } else {
                        "scatter-gather"
                    }
                ));
            }
        }
        let d = &analysis.scaling.dynamo;
        text.push_str(&format!(
            "dynamo: {} partition(s): {}\n",
            d.partitions, d.reason
        ));
        for w in &d.write_sharding {
            text.push_str(&format!(
                "  {} on {}: {} suffixes: {}\n",
                w.pattern, w.partition, w.suffixes, w.advice
            ));
        }
        expect_file![format!("snapshots/{}.advice.txt", example.id)].assert_eq(&text);
    }
}

#[test]
fn exports() {
    use schemaplay_core::export::{export, ExportFormat};
    for example in examples::all() {
        for format in [
            ExportFormat::Mongoose,
            ExportFormat::Mongosh,
            ExportFormat::Sdk,
            ExportFormat::CloudFormation,
        ] {
            let text = export(&example.design, format);
            expect_file![format!("snapshots/{}.{}.txt", example.id, format.name())]
                .assert_eq(&text);
        }
    }
}

/// lib-dynamodb marshalls plain values itself: an AttributeValue (`{ S: 'x' }`) left in the
/// SDK code is wrapped again and DynamoDB rejects the request. Every action of a transaction
/// (Put, Update, Delete, ConditionCheck) and every batch's keys are plain in the export.
#[test]
fn sdk_exports_hold_plain_values_only() {
    use schemaplay_core::export::{export, ExportFormat};
    for example in examples::all() {
        let text = export(&example.design, ExportFormat::Sdk);
        for tag in ["S", "N", "BOOL", "L", "M", "B"] {
            let wrapper = format!("{{ {tag}: ");
            assert!(
                !text.contains(&wrapper),
                "{}: {wrapper} in\n{text}",
                example.id
            );
        }
    }
}

/// A case-insensitive unique index keeps its collation in the mongoose export, as in the
/// mongosh one: an inline `unique: true` would build the index without it. The example
/// declares it (`mongo.indexes`), so both keep its name too.
#[test]
fn mongoose_exports_keep_the_collation_of_unique_indexes() {
    use schemaplay_core::export::{export, ExportFormat};
    let design = examples::get("ecommerce")
        .map(|e| e.design)
        .unwrap_or_default();
    let mongosh = export(&design, ExportFormat::Mongosh);
    let mongoose = export(&design, ExportFormat::Mongoose);
    assert!(mongosh.contains("createIndex({ email: 1 }, { name: 'email_ci', unique: true, collation: { locale: 'en', strength: 2 } })"));
    assert!(mongoose.contains("customerSchema.index({ email: 1 }, { name: 'email_ci', unique: true, collation: { locale: 'en', strength: 2 } })"));
    assert!(!mongoose.contains("email: { type: String, required: true, unique: true }"));
}

/// Each example's layout choices with every alternative derived (`schemaplay alternatives`).
#[test]
fn alternatives() {
    for example in examples::all() {
        let choices = schemaplay_core::alternatives::alternatives(&example.design);
        let text = schemaplay_core::alternatives::report(&choices);
        expect_file![format!("snapshots/{}.alternatives.txt", example.id)].assert_eq(&text);
    }
}
