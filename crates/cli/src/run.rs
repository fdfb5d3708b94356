//! `schemaplay run`: a script on a design's layouts, statement by statement, through the
//! playground the console uses (so a script runs here as it runs in the page).

use std::io::Read;
use std::path::Path;

use schemaplay_playground::{Playground, StatementOutcome};
use serde_json::json;

use crate::design::Outcome;

/// The script's text: the file, or stdin for `-`.
pub fn source(path: &Path) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read the script from stdin: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Runs `source` on the layouts of `design` (a design file's text) with `data` sample records
/// per entity of `seed`; without a design, on empty databases. Stdout: one JSON line per
/// statement that shows a result or failed, then `N statements, M failed`; stderr: each
/// warning as `line L: warning: ...` (and what the data could not load). Exits 1 when a
/// statement failed.
pub fn run(source: &str, design: Option<&str>, data: u64, seed: u64) -> Outcome {
    let mut stderr = String::new();
    let mut playground = match design.map(crate::design::read) {
        None => Playground::default(),
        Some(Err(outcome)) => return outcome,
        Some(Ok(design)) => {
            let mut playground = Playground::new(design);
            // What could not be loaded is said; the script runs on the rest.
            for problem in &playground.generate(data, seed, &mut |_| {}).problems {
                stderr.push_str(&format!(
                    "warning: loading the layouts and data: {problem}\n"
                ));
            }
            playground
        }
    };
    let answer = playground.run_script(source);
    let mut stdout = String::new();
    for outcome in &answer.outcomes {
        for warning in &outcome.warnings {
            stderr.push_str(&format!("line {}: warning: {warning}\n", outcome.line));
        }
        if let Some(line) = line(outcome) {
            stdout.push_str(&line);
            stdout.push('\n');
        }
    }
    stdout.push_str(&format!(
        "{} statements, {} failed\n",
        answer.outcomes.len(),
        answer.failed
    ));
    Outcome {
        stdout,
        stderr,
        status: u8::from(answer.failed > 0),
    }
}

/// A statement's JSON line; `None` for one that ran nothing to show.
fn line(outcome: &StatementOutcome) -> Option<String> {
    let value = match (&outcome.error, &outcome.result) {
        (Some(e), _) => json!({
            "line": outcome.line,
            "error": { "message": e.message, "line": e.line, "column": e.column },
        }),
        (None, Some(result)) => json!({ "line": outcome.line, "result": result.json() }),
        (None, None) => return None,
    };
    Some(value.to_string())
}
