//! Every layout alternative of every example verifies clean: each choice's
//! alternatives applied one at a time (and, on each of those designs, both
//! index scopes of each sort that a local or a global index can serve), run
//! through both simulators against the reference model at modest steps: clean, or each
//! divergence explained by a lint finding the alternative shows (`Report::unexplained`).

use schemaplay_core::alternatives::{alternatives, apply};
use schemaplay_core::{examples, Design};
use schemaplay_verify::{verify, Options};

const STEPS: usize = 200;

/// The problems verifying a design found, named by what was applied.
fn problems(design: &Design, applied: &str) -> Vec<String> {
    let options = Options {
        steps: STEPS,
        ..Options::default()
    };
    let report = verify(design, &options);
    let mut out: Vec<String> = report
        .setup_errors
        .iter()
        .map(|e| format!("{applied}: setup: {e}"))
        .collect();
    // A divergence a lint finding of the alternative explains (an embedded id the client
    // chooses cannot stay unique in MongoDB: `embedded-unique-value`) is shown to the user
    // beside the alternative; any other is a derivation fault.
    out.extend(
        report
            .unexplained(design)
            .iter()
            .map(|d| format!("{applied}: {} on {}: {}", d.pattern, d.db, d.why)),
    );
    out
}

/// Each alternative of each choice of `design`, applied: (what was applied, the design).
fn applied(design: &Design, only_sorts: bool) -> Vec<(String, Design)> {
    let mut out = Vec::new();
    for choice in alternatives(design) {
        if only_sorts && !choice.id.starts_with("sortIndex:") {
            continue;
        }
        for alt in &choice.alternatives {
            let what = format!("{}={}", choice.id, alt.key);
            match apply(design, &choice.id, &alt.key) {
                Ok(d) => out.push((what, d)),
                Err(e) => panic!("{what}: {e}"),
            }
        }
    }
    out
}

fn check(id: &str) -> usize {
    let design = examples::get(id).map(|e| e.design).unwrap_or_default();
    let mut found = Vec::new();
    let mut verified = 0;
    for (what, d) in applied(&design, false) {
        found.extend(problems(&d, &format!("{id} {what}")));
        verified += 1;
        for (then, d2) in applied(&d, true) {
            found.extend(problems(&d2, &format!("{id} {what}, then {then}")));
            verified += 1;
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    verified
}

#[test]
fn user_app() {
    // The user's sketch (posts in the user's partition keyed by id) is one of them.
    let design = examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default();
    let sketch = apply(&design, "placement:Post", "parentById").map(|d| d.dynamo.key_templates);
    assert_eq!(
        sketch
            .ok()
            .and_then(|t| t.get("Post").map(|t| (t.pk.clone(), t.sk.clone()))),
        Some(("USER#<authorId>".to_string(), "POST#<postId>".to_string()))
    );
    assert!(check("user-app") >= 8);
}

#[test]
fn saas() {
    assert!(check("saas") >= 6);
}

#[test]
fn iot() {
    assert!(check("iot") >= 6);
}

#[test]
fn ecommerce() {
    assert!(check("ecommerce") >= 6);
}

#[test]
fn chat() {
    assert!(check("chat") >= 6);
}
