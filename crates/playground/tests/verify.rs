//! Verification through the playground: progress, a typed report that names each pattern, and
//! the generated data left as it was.

use schemaplay_core::examples;
use schemaplay_core::model::Design;
use schemaplay_playground::{
    Database, DynamoCall, DynamoForm, Envelope, Error, GapKind, MongoForm, MongoOp, Playground,
    Progress, Reply, Request, RequestId, VerifyAnswer, VerifyReport, VERIFY_STAGE,
};

fn design(json: &str) -> Design {
    Design::from_json(json).unwrap_or_default()
}

fn verify(playground: &mut Playground, seed: u64, steps: u64) -> (VerifyReport, Vec<Progress>) {
    let mut progress = Vec::new();
    let reply = playground.handle(Request::Verify { seed, steps }, &mut |p| progress.push(p));
    match reply {
        Reply::Verified(report) => (report, progress),
        other => panic!("verify answered {other:?}"),
    }
}

/// What the console shows of the generated data: every user document, and every item.
fn data(playground: &mut Playground) -> (Reply, Reply) {
    let users = Request::Mongo(MongoForm::new("users").with_operation(MongoOp::Find));
    let items = Request::Dynamo(DynamoCall {
        form: DynamoForm {
            operation: "Scan".into(),
            input: r#"{"TableName": "app-data"}"#.into(),
        },
        start_key: None,
    });
    (
        playground.handle(users, &mut |_| {}),
        playground.handle(items, &mut |_| {}),
    )
}

#[test]
fn a_verification_reports_progress_and_leaves_the_generated_data_alone() {
    let example = examples::get("user-app").map(|e| e.design);
    let mut playground = Playground::new(example.unwrap_or_default());
    playground.generate(20, 7, &mut |_| {});
    let before = data(&mut playground);
    assert!(
        matches!(&before.0, Reply::Mongo(a) if a.rows().len() == 20),
        "{before:?}"
    );

    let (report, progress) = verify(&mut playground, 1, 300);
    assert_eq!((report.seed, report.patterns, report.steps), (1, 13, 300));
    assert_eq!(
        report.summary,
        format!(
            "verify: 13 patterns, 300 steps, {} divergences",
            report.divergences.len()
        )
    );
    assert_eq!(report.clean, report.divergences.is_empty());
    assert!(
        report.compared_mongo > 50 && report.compared_dynamo > 50,
        "{report:?}"
    );
    // A text search on DynamoDB would be a Scan: a gap, named by its place in the design.
    let gap = report.gaps.iter().find(|g| g.database == Database::Dynamo);
    let search = playground
        .design()
        .access_patterns
        .iter()
        .position(|p| p.name == "Search users by name or bio");
    assert_eq!(
        gap.map(|g| (g.pattern.as_str(), Some(g.pattern_index as usize), g.kind)),
        Some(("Search users by name or bio", search, GapKind::Unservable)),
    );
    assert!(progress
        .iter()
        .all(|p| p.stage == VERIFY_STAGE && p.total == 300));
    assert!(progress.len() > 2, "{progress:?}");
    assert!(
        progress.windows(2).all(|w| w[0].done < w[1].done),
        "{progress:?}"
    );
    assert_eq!(progress.last().map(|p| p.done), Some(300));

    // The verifier ran on simulators of its own.
    assert!(
        data(&mut playground) == before,
        "the generated data changed"
    );
    // The same seed gives the same report.
    assert_eq!(verify(&mut playground, 1, 300).0, report);
}

/// Notes updated by their tag: several notes share one, and which of them an update changes is
/// each database's own order, so DynamoDB's answer to "Get note" differs from the design's.
const AMBIGUOUS: &str = r#"{"formatVersion": 1, "name": "notes", "entities": [
    {"name": "Note", "id": "noteId", "volume": 100, "fields": [
        {"name": "noteId", "type": "string", "required": true},
        {"name": "tag", "type": "string", "required": true, "generator": "status"},
        {"name": "text", "type": "string", "required": true}]}],
  "accessPatterns": [
    {"name": "Write note", "entity": "Note", "kind": "insert"},
    {"name": "Get note", "entity": "Note", "kind": "getOne", "equality": ["noteId"]},
    {"name": "Retext a tag", "entity": "Note", "kind": "update", "equality": ["tag"], "fields": ["text"]}]}"#;

#[test]
fn a_divergence_names_its_pattern_and_shows_every_answer() {
    let mut playground = Playground::new(design(AMBIGUOUS));
    let (report, _) = verify(&mut playground, 1, 1000);
    assert!(!report.clean);
    let Some(d) = report.divergences.first() else {
        panic!("no divergence in {report:?}");
    };
    assert_eq!((d.pattern.as_str(), d.pattern_index), ("Get note", 1));
    assert!(!d.why.is_empty());
    assert!(d.found_at > 0 && d.found_at <= 1000);
    // The minimal steps end with the read, and are fewer than the workload's.
    assert!(d.steps.len() < d.found_at as usize, "{d:?}");
    assert!(
        d.steps.last().is_some_and(|s| s.contains("\"Get note\"")),
        "{:?}",
        d.steps
    );
    let one = |a: &VerifyAnswer| matches!(a, VerifyAnswer::One(_) | VerifyAnswer::Nothing);
    assert!(one(&d.expected) && one(&d.mongo) && one(&d.dynamo), "{d:?}");
    let diverging = match d.database {
        Database::Mongo => &d.mongo,
        Database::Dynamo => &d.dynamo,
    };
    assert_ne!(diverging, &d.expected);
    assert!(!d.requests.is_empty());
    assert_eq!(
        report.summary,
        format!(
            "verify: 3 patterns, 1000 steps, {} divergences",
            report.divergences.len()
        )
    );
}

#[test]
fn a_design_with_errors_is_refused_with_its_first_error() {
    let mut broken = design(AMBIGUOUS);
    for p in &mut broken.access_patterns {
        p.entity = "Ghost".into();
    }
    let mut playground = Playground::new(broken);
    let reply = playground.handle(Request::Verify { seed: 1, steps: 10 }, &mut |_| {});
    assert_eq!(
        reply,
        Reply::Failed(Error::Message(
            "the design cannot be verified while it has errors: accessPatterns[0].entity: no entity is named \"Ghost\" (and 2 more)".into()
        ))
    );
}

/// A report crosses the worker as a serde value and reads back as it was written.
#[test]
fn a_report_reads_back_as_written() {
    let mut playground = Playground::new(design(AMBIGUOUS));
    let (report, _) = verify(&mut playground, 2, 400);
    let envelope = Envelope {
        id: RequestId(9),
        body: Reply::Verified(report),
    };
    let back = serde_json::to_value(&envelope)
        .and_then(serde_json::from_value::<Envelope<Reply>>)
        .ok();
    assert_eq!(back.as_ref(), Some(&envelope));
}
