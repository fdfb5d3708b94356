//! The runner: every step goes to the reference and to both layouts; each read's answer from a
//! layout that serves the pattern is compared with the reference's. The first divergence of
//! each (pattern, database, kind of difference) is then shrunk to the shortest sequence of steps that reproduces
//! it, and replayed once more on both layouts to show what each answers.

use crate::answer::{difference, Answer, DiffKind, Difference, Expected};
use crate::dynamo::DynamoSide;
use crate::layout::{Db, Layout, Service};
use crate::mongo::MongoSide;
use crate::reference::Reference;
use crate::schema::Schema;
use crate::shrink::ddmin;
use crate::workload::{generate, Step};
use crate::{Answers, Divergence, Gap, GapKind, Options, Report, Shown};

/// Both layouts of a design.
struct Sides<'s> {
    mongo: MongoSide<'s>,
    dynamo: DynamoSide<'s>,
}

impl<'s> Sides<'s> {
    fn new(schema: &'s Schema<'s>, options: &Options) -> Sides<'s> {
        let faults = |db: Db| {
            options
                .faults
                .iter()
                .filter(|f| f.db == db)
                .map(|f| f.fault.clone())
                .collect()
        };
        Sides {
            mongo: MongoSide::new(schema, faults(Db::MongoDb)),
            dynamo: DynamoSide::new(schema, faults(Db::DynamoDb)),
        }
    }

    fn get(&mut self, db: Db) -> &mut dyn Layout {
        match db {
            Db::MongoDb => &mut self.mongo,
            Db::DynamoDb => &mut self.dynamo,
        }
    }
}

pub fn verify(
    schema: &Schema,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Report {
    let patterns = schema.design.access_patterns.len();
    let steps = generate(schema, options.seed, options.steps);
    let mut sides = Sides::new(schema, options);
    let mut report = Report {
        patterns,
        steps: steps.len(),
        compared: Db::ALL.iter().map(|db| (*db, 0)).collect(),
        ..Report::default()
    };
    for db in Db::ALL {
        for p in 0..patterns {
            let kind = match sides.get(db).service(p) {
                Service::Served => continue,
                Service::Unservable(why) => (GapKind::Unservable, why),
            };
            report.gaps.push(Gap {
                pattern: schema.design.access_patterns[p].name.clone(),
                db,
                kind: kind.0,
                why: kind.1,
                pattern_index: p,
            });
        }
        if let Err(e) = sides.get(db).reset() {
            report.setup_errors.push(format!("{db}: {e}"));
        }
    }
    if !report.setup_errors.is_empty() {
        return report;
    }
    // The first divergent read of each (pattern, database, kind of difference).
    let mut found: Vec<(usize, Db, usize, DiffKind)> = Vec::new();
    let mut reference = Reference::new(schema);
    for (i, step) in steps.iter().enumerate() {
        if i % 64 == 0 {
            progress(i, steps.len());
        }
        let Step::Read { pattern, args } = step else {
            apply(&mut reference, &mut sides, step, &Db::ALL);
            continue;
        };
        let expected = reference.read(*pattern, args);
        for db in Db::ALL {
            let side = sides.get(db);
            if side.service(*pattern) != Service::Served {
                continue;
            }
            let answer = side.read(*pattern, args);
            if let Some((_, n)) = report.compared.iter_mut().find(|(d, _)| *d == db) {
                *n += 1;
            }
            if let Some(d) = difference(&expected, &answer) {
                let seen = found
                    .iter()
                    .any(|(p, x, _, k)| p == pattern && *x == db && *k == d.kind);
                if !seen {
                    found.push((*pattern, db, i, d.kind));
                }
            }
        }
    }
    progress(steps.len(), steps.len());
    for (pattern, db, at, kind) in found {
        let target = Target {
            pattern,
            db,
            at,
            kind,
        };
        let (divergence, replayed) =
            shrink(schema, &mut sides, &steps, &target, options.shrink_budget);
        report.replayed_steps += replayed;
        report.divergences.push(divergence);
    }
    report
}

/// Applies a load or a write to the reference and to the given layouts.
fn apply(reference: &mut Reference, sides: &mut Sides, step: &Step, dbs: &[Db]) {
    match step {
        Step::Load { entity, args } => {
            reference.insert(*entity, args);
            for db in dbs {
                sides.get(*db).load(*entity, args);
            }
        }
        Step::Write { pattern, args } => {
            reference.write(*pattern, args);
            for db in dbs {
                sides.get(*db).write(*pattern, args);
            }
        }
        Step::Read { .. } => {}
    }
}

/// Replays `steps` (the last a read) on the reference and one layout from empty, and says how
/// the last read's answer differs, if it does.
fn replay(schema: &Schema, sides: &mut Sides, steps: &[&Step], db: Db) -> Option<Difference> {
    let (last, before) = steps.split_last()?;
    let Step::Read { pattern, args } = last else {
        return None;
    };
    if sides.get(db).reset().is_err() {
        return None;
    }
    let mut reference = Reference::new(schema);
    for step in before {
        apply(&mut reference, sides, step, &[db]);
    }
    let expected = reference.read(*pattern, args);
    difference(&expected, &sides.get(db).read(*pattern, args))
}

/// A divergence to shrink: the read of `pattern` at step `at` differed on `db` in this way.
struct Target {
    pattern: usize,
    db: Db,
    at: usize,
    kind: DiffKind,
}

/// The shortest reproduction of a divergence: the fewest steps after which the same read still
/// differs on the same database in the same way.
fn shrink(
    schema: &Schema,
    sides: &mut Sides,
    steps: &[Step],
    target: &Target,
    budget: usize,
) -> (Divergence, usize) {
    let Target {
        pattern,
        db,
        at,
        kind,
    } = *target;
    let mut replayed = 0usize;
    // Reads change nothing: all but the divergent one go first, then ddmin on the rest.
    let mut kept: Vec<usize> = (0..at)
        .filter(|i| !matches!(steps[*i], Step::Read { .. }))
        .collect();
    // Past the budget a candidate counts as not reproducing: the shortest found so far stands.
    let mut fails = |subset: &[usize]| {
        if replayed + subset.len() + 1 > budget {
            return false;
        }
        let mut chosen: Vec<&Step> = subset.iter().map(|i| &steps[*i]).collect();
        chosen.push(&steps[at]);
        replayed += chosen.len();
        replay(schema, sides, &chosen, db).is_some_and(|d| d.kind == kind)
    };
    if !fails(&kept) {
        // Only the reads in between reproduce it (cannot happen while reads change nothing),
        // or the budget is spent: keep the whole prefix rather than lose the divergence.
        kept = (0..at).collect();
    }
    let kept = ddmin(kept, usize::MAX, &mut fails);
    let mut chosen: Vec<&Step> = kept.iter().map(|i| &steps[*i]).collect();
    chosen.push(&steps[at]);
    // The reproduction once more, on both layouts, to show every answer.
    let (shown, why, requests) = show(schema, sides, &chosen, db);
    let divergence = Divergence {
        pattern: schema.design.access_patterns[pattern].name.clone(),
        db,
        why,
        found_at: at + 1,
        steps: chosen.iter().map(|s| s.describe(schema)).collect(),
        writes: chosen
            .iter()
            .filter_map(|s| match s {
                Step::Write { pattern, .. } => schema
                    .design
                    .access_patterns
                    .get(*pattern)
                    .map(|p| p.name.clone()),
                _ => None,
            })
            .collect(),
        expected: shown.expected.to_string(),
        answers: shown
            .answers
            .iter()
            .map(|(db, a)| (*db, a.to_string()))
            .collect(),
        requests,
        pattern_index: pattern,
        shown,
    };
    (divergence, replayed)
}

type Replayed = (Answers, String, Vec<String>);

/// Replays a reproduction on both layouts: the expected answer, each layout's answer, why the
/// diverging one differs, and the requests of its last read.
fn show(schema: &Schema, sides: &mut Sides, steps: &[&Step], db: Db) -> Replayed {
    let mut reference = Reference::new(schema);
    for d in Db::ALL {
        let _ = sides.get(d).reset();
    }
    let Some((Step::Read { pattern, args }, before)) = steps.split_last() else {
        let nothing = Answers {
            expected: Shown::Nothing,
            answers: Vec::new(),
        };
        return (nothing, String::new(), Vec::new());
    };
    for step in before {
        apply(&mut reference, sides, step, &Db::ALL);
    }
    let expected: Expected = reference.read(*pattern, args);
    let mut answers = Vec::new();
    let mut why = String::new();
    let mut requests = Vec::new();
    for d in Db::ALL {
        let side = sides.get(d);
        let answer = match side.service(*pattern) {
            Service::Served => side.read(*pattern, args),
            Service::Unservable(w) => Answer::Failed(format!("not run: {w}")),
        };
        if d == db {
            why = difference(&expected, &answer)
                .map_or_else(|| "does not reproduce".into(), |d| d.text);
            requests = side.calls().iter().map(ToString::to_string).collect();
        }
        answers.push((d, answer.shown()));
    }
    let expected = expected.shown();
    (Answers { expected, answers }, why, requests)
}
