//! The verifier ([`schemaplay_verify`]) run on the playground's design, its report turned into
//! the typed [`VerifyReport`] callers show. The verifier loads the layouts into simulators of
//! its own: the data generated into the playground's stays as it was.

use schemaplay_core::model::{Design, Severity};
use schemaplay_verify::{verify_with_progress, Db, Options, Report};

use crate::api::{
    Error, GapKind, Progress, VerifyAnswer, VerifyDivergence, VerifyGap, VerifyReport,
};
use crate::Database;

/// The most steps one verification runs.
pub const MAX_STEPS: u64 = 100_000;

/// The stage name of a verification's progress reports.
pub const STAGE: &str = "verifying";

/// Verifies `design` with a workload of `steps` steps (at most [`MAX_STEPS`]) from `seed`;
/// refused while the design has errors, as `schemaplay verify` refuses such a file.
pub(crate) fn run(
    design: &Design,
    seed: u64,
    steps: u64,
    progress: &mut dyn FnMut(Progress),
) -> Result<VerifyReport, Error> {
    let errors: Vec<String> = schemaplay_core::validate(design)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.to_string())
        .collect();
    if let Some(first) = errors.first() {
        let more = match errors.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        return Err(Error::Message(format!(
            "the design cannot be verified while it has errors: {first}{more}"
        )));
    }
    let options = Options {
        seed,
        steps: usize::try_from(steps.min(MAX_STEPS)).unwrap_or(usize::MAX),
        ..Options::default()
    };
    // Progress moves in whole percents, so a long run sends about a hundred reports.
    let mut last = None;
    let mut report_progress = |done: usize, total: usize| {
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        if last != Some(percent) {
            last = Some(percent);
            progress(Progress {
                done: done as u64,
                total: total as u64,
                stage: STAGE.to_string(),
                part: None,
            });
        }
    };
    let report = verify_with_progress(design, &options, &mut report_progress);
    Ok(convert(&report, seed))
}

fn convert(report: &Report, seed: u64) -> VerifyReport {
    let compared = |db: Db| {
        report
            .compared
            .iter()
            .find(|(d, _)| *d == db)
            .map_or(0, |(_, n)| *n as u64)
    };
    VerifyReport {
        seed,
        patterns: report.patterns as u64,
        steps: report.steps as u64,
        summary: report.summary(),
        clean: report.is_clean(),
        divergences: report.divergences.iter().map(divergence).collect(),
        gaps: report
            .gaps
            .iter()
            .map(|g| VerifyGap {
                pattern: g.pattern.clone(),
                pattern_index: g.pattern_index as u64,
                database: database(g.db),
                kind: match g.kind {
                    schemaplay_verify::GapKind::Unservable => GapKind::Unservable,
                },
                why: g.why.clone(),
            })
            .collect(),
        setup_errors: report.setup_errors.clone(),
        compared_mongo: compared(Db::MongoDb),
        compared_dynamo: compared(Db::DynamoDb),
    }
}

fn divergence(d: &schemaplay_verify::Divergence) -> VerifyDivergence {
    let answer = |db: Db| {
        d.shown.answers.iter().find(|(x, _)| *x == db).map_or_else(
            || VerifyAnswer::Failed("not run".into()),
            |(_, a)| a.clone(),
        )
    };
    VerifyDivergence {
        pattern: d.pattern.clone(),
        pattern_index: d.pattern_index as u64,
        database: database(d.db),
        why: d.why.clone(),
        found_at: d.found_at as u64,
        steps: d.steps.clone(),
        expected: d.shown.expected.clone(),
        mongo: answer(Db::MongoDb),
        dynamo: answer(Db::DynamoDb),
        requests: d.requests.clone(),
    }
}

fn database(db: Db) -> Database {
    match db {
        Db::MongoDb => Database::Mongo,
        Db::DynamoDb => Database::Dynamo,
    }
}
