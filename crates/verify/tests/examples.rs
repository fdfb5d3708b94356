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
            GapKind::NotSimulated => "not simulated",
        };
        format!("{} on {}: {kind}", g.pattern, g.db)
    }));
    expected.assert_eq(&lines.join("\n"));
}

#[test]
fn user_app() {
    check(
        "user-app",
        expect![[r#"
            Get user by id on DynamoDB: returned a record where none matches (2 steps)
            Search users by name or bio on DynamoDB: unservable"#]],
    );
}

#[test]
fn ecommerce() {
    check(
        "ecommerce",
        expect![[r#"
            Products in a category by price on DynamoDB: order differs: the record "product-37" is out of place (3 steps)
            Orders by status on DynamoDB: returned 0 records, expected 1 (3 steps)
            Sign in by email on MongoDB: not simulated"#]],
    );
}

#[test]
fn chat() {
    check(
        "chat",
        expect![[r#"
        Latest messages in a room on DynamoDB: returned 1 records, expected 0 (2 steps)
        Get user on DynamoDB: returned a record where none matches (2 steps)
        Search messages on DynamoDB: unservable"#]],
    );
}

#[test]
fn iot() {
    check("iot", expect!["Readings of a device in a time range on DynamoDB: returned 0 records, expected 1 (2 steps)"]);
}

#[test]
fn saas() {
    check(
        "saas",
        expect![[r#"
            Tasks of a project by due date on DynamoDB: fields differ: status "日本語" instead of "inactive" (3 steps)
            Projects of a member on DynamoDB: fields differ: createdAt missing instead of 2024-10-17T10:00:00.000Z, name missing instead of "design", tenantId missing instead of "tenant-20" (2 steps)
            Members of a project on DynamoDB: fields differ: email missing instead of "user4@example.com", name missing instead of "Chloé Durand", role missing instead of "UPPER lower", tenantId missing instead of "tenant-3" (3 steps)
            Get task on DynamoDB: fields differ: status "active" instead of "日本語" (3 steps)
            My open tasks on DynamoDB: returned 0 records, expected 1 (3 steps)
            Tasks of a project by due date on DynamoDB: returned 1 records, expected 0 (3 steps)"#]],
    );
}
