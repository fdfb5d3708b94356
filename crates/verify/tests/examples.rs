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
            Products in a category by price on DynamoDB: order differs: the record "product-45" is out of place (3 steps)
            Orders by status on DynamoDB: returned 1 records, expected 0 (3 steps)
            Sign in by email on MongoDB: not simulated"#]],
    );
}

#[test]
fn chat() {
    check(
        "chat",
        expect![[r#"
            Get user on DynamoDB: returned a record where none matches (2 steps)
            Latest messages in a room on DynamoDB: returned 1 records, expected 0 (2 steps)
            Search messages on DynamoDB: unservable"#]],
    );
}

#[test]
fn iot() {
    check(
        "iot",
        expect![[r#"
        Readings of a device in a time range on DynamoDB: returned 0 records, expected 1 (2 steps)
        Readings of a device in a time range on DynamoDB: the read failed: ValidationException: Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:READING#9999-12-31T23:59:59.999Z}, upper bound operand: AttributeValue: {S:READING#10000-01-30T23:59:59.999Z} (1 steps)"#]],
    );
}

#[test]
fn saas() {
    check(
        "saas",
        expect![[r#"
            Projects of a member on DynamoDB: fields differ: createdAt missing instead of 1900-01-01T00:00:00.000Z, name missing instead of "日本語", tenantId missing instead of "tenant-28" (2 steps)
            Tasks of a project by due date on DynamoDB: fields differ: status "active" instead of "inactive" (3 steps)
            Members of a project on DynamoDB: fields differ: email missing instead of "josé24@exemple.fr", name missing instead of "李 小龙", role missing instead of "shipped", tenantId missing instead of "tenant-25" (4 steps)
            Get task on DynamoDB: fields differ: status "active" instead of "inactive" (3 steps)
            My open tasks on DynamoDB: returned 0 records, expected 1 (3 steps)
            Tasks of a project by due date on DynamoDB: returned 1 records, expected 0 (3 steps)"#]],
    );
}
