//! The five examples through the verifier at the CLI's defaults (seed 1, 1,000 steps). The
//! expected lists are today's derivation faults, each with how it shows: fixing a derivation
//! removes its line here (an intended snapshot change).

use expect_test::{expect, Expect};
use schemaplay_core::examples;
use schemaplay_verify::{verify, GapKind, Options};

fn check(id: &str, expected: Expect) {
    let design = examples::get(id).map(|e| e.design).unwrap_or_default();
    let report = verify(&design, &Options::default());
    assert_eq!(report.steps, 1000, "{id}");
    assert!(report.setup_errors.is_empty(), "{report}");
    for (db, n) in &report.compared {
        assert!(*n > 200, "{id}: only {n} {db} reads compared");
    }
    let mut lines: Vec<String> = report
        .divergences
        .iter()
        .map(|d| {
            format!(
                "{} on {}: {} ({} steps)",
                d.pattern,
                d.db,
                d.why,
                d.steps.len()
            )
        })
        .collect();
    lines.extend(report.gaps.iter().map(|g| {
        let kind = match g.kind {
            GapKind::Unservable => "unservable",
        };
        format!("{} on {}: {kind}", g.pattern, g.db)
    }));
    expected.assert_eq(&lines.join("\n"));
}

#[test]
fn user_app() {
    check(
        "user-app",
        expect!["Search users by name or bio on DynamoDB: unservable"],
    );
}

#[test]
fn ecommerce() {
    check("ecommerce", expect![""]);
}

#[test]
fn chat() {
    check("chat", expect!["Search messages on DynamoDB: unservable"]);
}

#[test]
fn iot() {
    check("iot", expect![""]);
}

#[test]
fn saas() {
    check("saas", expect![""]);
}
