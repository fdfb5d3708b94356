//! The Verify panel: runs the design's layouts against the design itself in the worker (a
//! seeded workload of its own patterns on simulators of the verifier's own), with progress, and
//! shows the report: the summary line, each divergence linked to its pattern with its minimal
//! steps and the expected, MongoDB and DynamoDB answers side by side, and each gap. It shows
//! the report the worker typed; it compares nothing itself.

use schemaplay_core::model::Design;
use schemaplay_playground::{
    Database, GapKind, VerifyAnswer, VerifyDivergence, VerifyGap, VerifyReport, MAX_VERIFY_STEPS,
};
use std::rc::Rc;
use yew::prelude::*;

use crate::components::input_value;
use crate::data::{DataAction, Verification, VerifyRun};

#[derive(Properties, PartialEq)]
pub struct VerifyPanelProps {
    pub verification: Verification,
    /// The design on screen, and its revision: a report of another revision is out of date.
    pub design: Rc<Design>,
    pub revision: u64,
    pub on_data: Callback<DataAction>,
    /// Runs a verification: `(seed, steps)`.
    pub on_verify: Callback<(u64, u64)>,
    /// Stops the verification on its way (the worker is replaced; the design stays).
    pub on_cancel: Callback<()>,
    /// Shows the element a path names (`accessPatterns[2]`) in the editor.
    pub on_goto: Callback<String>,
}

/// The steps and seed as typed, or what is wrong with them.
fn inputs(v: &Verification) -> Result<(u64, u64), String> {
    let steps = v
        .steps
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=MAX_VERIFY_STEPS).contains(n))
        .ok_or_else(|| format!("Steps must be a whole number from 1 to {MAX_VERIFY_STEPS}."))?;
    let seed = v
        .seed
        .trim()
        .parse::<u64>()
        .map_err(|_| "The seed must be a whole number from 0.".to_string())?;
    Ok((seed, steps))
}

fn database_name(db: Database) -> &'static str {
    match db {
        Database::Mongo => "MongoDB",
        Database::Dynamo => "DynamoDB",
    }
}

#[function_component(VerifyPanel)]
pub fn verify_panel(props: &VerifyPanelProps) -> Html {
    let v = &props.verification;
    let checked = inputs(v);
    let running = v.pending.is_some();
    let on_run = {
        let on_verify = props.on_verify.clone();
        let checked = checked.clone();
        Callback::from(move |_: MouseEvent| {
            if let Ok(run) = checked {
                on_verify.emit(run);
            }
        })
    };
    let on_steps = props
        .on_data
        .reform(|e: Event| DataAction::SetVerifySteps(input_value(&e)));
    let on_seed = props
        .on_data
        .reform(|e: Event| DataAction::SetVerifySeed(input_value(&e)));
    let progress = v.pending.as_ref().map(|p| {
        let (done, total) = (p.progress.done, p.progress.total);
        let what = if total > 0 && done >= total {
            "every step ran; shrinking what diverged to its shortest reproduction".to_string()
        } else {
            format!("{}: {done} of {total} steps", p.progress.stage)
        };
        html! {
            <>
                <progress class="progress" max={total.to_string()} value={done.to_string()}
                    data-testid="verify-progress" aria-label="Verifying" />
                <p class="hint">{ what }</p>
            </>
        }
    });
    let report = v
        .last
        .as_ref()
        .map(|run| last_run(run, props))
        .unwrap_or_default();
    html! {
        <div class="verify">
            <section class="card" aria-labelledby="verify-title">
                <div class="card-head">
                    <h3 id="verify-title">{ "Verify the layouts" }</h3>
                    <label>{ "Steps " }
                        <input type="number" min="1" max={MAX_VERIFY_STEPS.to_string()} class="num" value={v.steps.clone()}
                            data-testid="verify-steps" aria-label="Steps" onchange={on_steps} />
                    </label>
                    <label>{ "Seed " }
                        <input type="number" min="0" class="num" value={v.seed.clone()}
                            data-testid="verify-seed" aria-label="Seed" onchange={on_seed} />
                    </label>
                    <button class="primary" onclick={on_run} disabled={running || checked.is_err()} data-testid="verify-run">
                        { if v.last.is_some() { "Run again" } else { "Run" } }</button>
                    if running {
                        <button class="small" onclick={props.on_cancel.reform(|_: MouseEvent| ())} data-testid="cancel"
                            title="Stop this verification: the design stays as it is">{ "Cancel" }</button>
                    }
                </div>
                <p class="hint">
                    { "Runs a random workload of this design's own patterns (inserts, updates and deletes with edge values, \
                       and reads) on the MongoDB and DynamoDB layouts, in simulators of its own (your sample data is untouched), \
                       and checks every read against the design applied literally: the records, their order, their fields, counts. \
                       The same seed gives the same report." }
                </p>
                if let Err(problem) = &checked { <div class="inline-error" role="alert">{ problem.clone() }</div> }
                { progress }
            </section>
            { report }
        </div>
    }
}

/// The last run: why it did not run, or its report, marked when the design changed since.
fn last_run(run: &VerifyRun, props: &VerifyPanelProps) -> Html {
    let current = run.revision == props.revision;
    let stale = (!current).then(|| {
        html! {
            <p class="finding warning" data-testid="verify-stale">
                { "The design changed since this run: run again to verify it as it is now." }</p>
        }
    });
    let report = match &run.report {
        Err(message) => {
            return html! {
                <section class="card">
                    { stale }
                    <div class="inline-error" role="alert" data-testid="verify-error">{ message.clone() }</div>
                </section>
            }
        }
        Ok(report) => report,
    };
    let goto = |name: &str, index: u64| pattern_link(name, index, current, props);
    html! {
        <>
            <section class="card" aria-labelledby="verify-report-title" data-testid="verify-report">
                <div class="card-head">
                    <h3 id="verify-report-title">{ "Report" }</h3>
                    if report.clean {
                        <span class="badge ok-badge">{ "clean" }</span>
                    } else {
                        <span class="badge error-badge">{ "diverges" }</span>
                    }
                </div>
                { stale }
                <p><code data-testid="verify-summary">{ report.summary.clone() }</code></p>
                <p class="stats">
                    <span>{ format!("seed {}", report.seed) }</span>
                    <span>{ format!("MongoDB: {} reads compared", report.compared_mongo) }</span>
                    <span>{ format!("DynamoDB: {} reads compared", report.compared_dynamo) }</span>
                    <span>{ format!("{} not verified (gaps)", report.gaps.len()) }</span>
                </p>
                { summary_text(report) }
                { for report.setup_errors.iter().map(|e| html! {
                    <p class="finding error" data-testid="verify-setup-error">{ format!("Could not set up {e}") }</p>
                }) }
            </section>
            if !report.divergences.is_empty() {
                <section class="card" aria-labelledby="divergences-title">
                    <h3 id="divergences-title">{ format!("Divergences ({})", report.divergences.len()) }</h3>
                    { for report.divergences.iter().map(|d| divergence(d, report.steps, goto(&d.pattern, d.pattern_index))) }
                </section>
            }
            if !report.gaps.is_empty() {
                <section class="card" aria-labelledby="gaps-title">
                    <h3 id="gaps-title">{ format!("Not verified ({})", report.gaps.len()) }</h3>
                    <p class="hint">{ "Patterns a layout cannot serve, or the simulator cannot run: never counted as passing." }</p>
                    <ul class="plain findings">{ for report.gaps.iter().map(|g| gap(g, goto(&g.pattern, g.pattern_index))) }</ul>
                </section>
            }
        </>
    }
}

fn summary_text(report: &VerifyReport) -> Html {
    if !report.clean {
        return Html::default();
    }
    let text = if report.gaps.is_empty() {
        "Every read answered as the design says, on both layouts."
    } else {
        "Every read the layouts serve answered as the design says; the patterns listed below were not verified."
    };
    html! { <p class="ok" data-testid="verify-clean">{ text }</p> }
}

/// A pattern's name as a link that shows it in the editor. A report of an older revision finds
/// the pattern by its name; a pattern since renamed or deleted is plain text.
fn pattern_link(name: &str, index: u64, current: bool, props: &VerifyPanelProps) -> Html {
    let patterns = &props.design.access_patterns;
    let at = usize::try_from(index).ok().filter(|_| current);
    let found = at
        .filter(|i| patterns.get(*i).is_some_and(|p| p.name == name))
        .or_else(|| patterns.iter().position(|p| p.name == name));
    let quoted = format!("“{name}”");
    match found {
        Some(i) => {
            let path = format!("accessPatterns[{i}]");
            let label = format!("Show {name} in the editor");
            let onclick = props.on_goto.reform(move |_: MouseEvent| path.clone());
            html! { <button class="link" {onclick} aria-label={label} data-testid="verify-pattern">{ quoted }</button> }
        }
        None => html! { <span>{ quoted }</span> },
    }
}

fn divergence(d: &VerifyDivergence, total: u64, pattern: Html) -> Html {
    let db = database_name(d.database);
    html! {
        <article class="divergence" data-testid="divergence">
            <h4>{ pattern }{ format!(" on {db}") }</h4>
            <p class="finding error" data-testid="divergence-why">{ d.why.clone() }</p>
            <p class="hint">{ format!("Reproduced in {} step(s), first seen at step {} of {total}:", d.steps.len(), d.found_at) }</p>
            <ol class="repro" data-testid="divergence-steps">
                { for d.steps.iter().map(|s| html! { <li><code>{ s.clone() }</code></li> }) }
            </ol>
            { answers(d) }
            <details>
                <summary>{ format!("{db}'s requests for the last step ({})", d.requests.len()) }</summary>
                <pre class="code">{ d.requests.join("\n") }</pre>
            </details>
        </article>
    }
}

/// The expected, MongoDB and DynamoDB answers side by side, a record per row; on a narrow
/// screen the three stack.
fn answers(d: &VerifyDivergence) -> Html {
    let columns = [
        ("Expected (the design)", &d.expected, false),
        ("MongoDB", &d.mongo, d.database == Database::Mongo),
        ("DynamoDB", &d.dynamo, d.database == Database::Dynamo),
    ];
    let cells = columns
        .iter()
        .enumerate()
        .flat_map(|(c, (title, answer, diverges))| {
            let at = move |row: usize| format!("--c: {}; --r: {}", c + 1, row + 1);
            let mut cells = vec![html! {
                <div class={classes!("answer-head", diverges.then_some("diverges"))} style={at(0)}>
                    { *title }{ if *diverges { " · differs" } else { "" } }</div>
            }];
            let failed = matches!(answer, VerifyAnswer::Failed(_));
            cells.push(html! {
                <div class={classes!("answer-headline", failed.then_some("failed"))} style={at(1)}>{ headline(answer) }</div>
            });
            for (i, (record, tied)) in records(answer).into_iter().enumerate() {
                cells.push(html! {
                    <div class={classes!("answer-record", tied.then_some("tied"))} style={at(i + 2)}
                        title={tied.then_some("Tied with its neighbours: any order among them is right")}>{ record }</div>
                });
            }
            cells
        });
    html! { <div class="answers" data-testid="divergence-answers">{ for cells }</div> }
}

fn headline(answer: &VerifyAnswer) -> String {
    match answer {
        VerifyAnswer::Nothing => "no record".to_string(),
        VerifyAnswer::One(_) => "1 record".to_string(),
        VerifyAnswer::AnyOf(records) => format!("any one of {} records", records.len()),
        VerifyAnswer::List { headline, .. } => headline.clone(),
        VerifyAnswer::Count(n) => format!("count {n}"),
        VerifyAnswer::Failed(e) => format!("error: {e}"),
    }
}

/// The records of an answer in order, each with whether it ties with others.
fn records(answer: &VerifyAnswer) -> Vec<(String, bool)> {
    match answer {
        VerifyAnswer::One(r) => vec![(r.clone(), false)],
        VerifyAnswer::AnyOf(records) => records.iter().map(|r| (r.clone(), false)).collect(),
        VerifyAnswer::List { groups, .. } => groups
            .iter()
            .flat_map(|g| g.iter().map(move |r| (r.clone(), g.len() > 1)))
            .collect(),
        VerifyAnswer::Nothing | VerifyAnswer::Count(_) | VerifyAnswer::Failed(_) => Vec::new(),
    }
}

fn gap(g: &VerifyGap, pattern: Html) -> Html {
    let kind = match g.kind {
        GapKind::Unservable => "unservable",
    };
    html! {
        <li class="finding warning" data-testid="gap">
            <span class="badge">{ kind }</span>{ " " }{ pattern }{ format!(" on {}: {}", database_name(g.database), g.why) }
        </li>
    }
}
