//! `schemaplay verify`: runs a design through both simulators against its reference model.

use schemaplay_core::{examples, Design};
use schemaplay_verify::{verify_with_progress, Options};

use crate::design::Outcome;

/// The design text of a built-in example.
pub fn example(id: &str) -> Result<String, String> {
    examples::get(id)
        .map(|e| e.design.to_json())
        .ok_or_else(|| {
            let ids: Vec<&str> = examples::all().iter().map(|e| e.id).collect();
            format!(
                "no example is named \"{id}\" (there are: {})",
                ids.join(", ")
            )
        })
}

/// Each divergence and gap, then `verify: P patterns, S steps, D divergences` on stdout; the
/// speed on stderr. Exits 1 on a divergence.
pub fn run(text: &str, seed: u64, steps: usize) -> Outcome {
    let design = match Design::from_json(text) {
        Ok(d) => d,
        Err(findings) => {
            return Outcome {
                stdout: String::new(),
                stderr: findings
                    .iter()
                    .map(|f| format!("error [{}] {f}\n", f.id))
                    .collect(),
                status: 1,
            }
        }
    };
    let options = Options {
        seed,
        steps,
        ..Options::default()
    };
    let started = std::time::Instant::now();
    let report = verify_with_progress(&design, &options, &mut |_, _| {});
    let seconds = started.elapsed().as_secs_f64();
    let work = report.steps + report.replayed_steps;
    let compared: Vec<String> = report
        .compared
        .iter()
        .map(|(db, n)| format!("{n} {db}"))
        .collect();
    Outcome {
        stdout: report.to_string(),
        stderr: format!(
            "answers compared with the reference: {}\n{} steps and {} replayed while shrinking in {seconds:.2} s: {:.0} steps/s\n",
            compared.join(", "),
            report.steps,
            report.replayed_steps,
            work as f64 / seconds.max(1e-9)
        ),
        status: u8::from(!report.is_clean()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: &str = r#"{"formatVersion": 1, "name": "notes", "entities": [
        {"name": "Note", "id": "noteId", "fields": [
            {"name": "noteId", "type": "string", "required": true},
            {"name": "text", "type": "string", "required": true}], "volume": 100}],
      "accessPatterns": [
        {"name": "Get note", "entity": "Note", "kind": "getOne", "equality": ["noteId"]},
        {"name": "Write note", "entity": "Note", "kind": "insert"}]}"#;

    #[test]
    fn a_clean_design_exits_0_with_the_summary_line() {
        let out = run(CLEAN, 3, 200);
        assert_eq!(out.stdout, "verify: 2 patterns, 200 steps, 0 divergences\n");
        assert_eq!(out.status, 0);
        assert!(out.stderr.contains(" steps/s"), "{}", out.stderr);
        assert!(
            out.stderr
                .starts_with("answers compared with the reference: "),
            "{}",
            out.stderr
        );
    }

    /// Notes updated by their tag: several notes share one, and which of them an update
    /// changes is each database's own order (DynamoDB's key order is not the order of inserts).
    const AMBIGUOUS: &str = r#"{"formatVersion": 1, "name": "notes", "entities": [
        {"name": "Note", "id": "noteId", "volume": 100, "fields": [
            {"name": "noteId", "type": "string", "required": true},
            {"name": "tag", "type": "string", "required": true, "generator": "status"},
            {"name": "text", "type": "string", "required": true}]}],
      "accessPatterns": [
        {"name": "Get note", "entity": "Note", "kind": "getOne", "equality": ["noteId"]},
        {"name": "Write note", "entity": "Note", "kind": "insert"},
        {"name": "Retext a tag", "entity": "Note", "kind": "update", "equality": ["tag"], "fields": ["text"]}]}"#;

    #[test]
    fn a_divergence_is_printed_and_exits_1() {
        let out = run(AMBIGUOUS, 1, 1000);
        assert_eq!(out.status, 1);
        assert!(out.stdout.starts_with("divergence 1 of "), "{}", out.stdout);
        assert!(
            out.stdout.contains("\"Get note\" on DynamoDB"),
            "{}",
            out.stdout
        );
        let last = out.stdout.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("verify: 3 patterns, 1000 steps, "),
            "{last}"
        );
        assert!(!last.ends_with(" 0 divergences"), "{last}");
    }

    #[test]
    fn bad_input_is_named() {
        assert_eq!(
            example("nope"),
            Err(
                "no example is named \"nope\" (there are: user-app, ecommerce, chat, iot, saas)"
                    .into()
            )
        );
        let out = run("{", 1, 10);
        assert_eq!(out.status, 1);
        assert!(
            out.stderr.starts_with("error [json-syntax]"),
            "{}",
            out.stderr
        );
    }
}
