//! The verifier: proves a design's derived layouts by running them as an application would.
//!
//! For a design it builds a reference model (the entities as plain records, each access pattern
//! applied literally: see [`reference`]), loads the MongoDB layout and the DynamoDB single-table
//! layout into the simulators, and runs a seeded random workload on all three: first records
//! loaded entity by entity, then the design's write patterns (insert, update, delete) and read
//! patterns interleaved, with edge values whatever the field generators say (see [`gen`]). Every
//! read's answer from each layout is compared with the reference's: which records, in which
//! order (ties as sets), with which fields; counts; text searches as sets. The first divergence
//! of each kind (other records, other fields, another order, another count, an error) of each
//! pattern on each database is shrunk (delta debugging over the steps) to the shortest
//! sequence that reproduces it, and reported with the expected answer and both databases'.
//! The same seed gives the same report.
//!
//! A pattern a layout cannot serve (a Scan, nothing derived) is reported as a [`Gap`], never
//! counted as a pass; so is one the simulator cannot run (MongoDB collations).
//!
//! ```text
//! design ──► workload::generate ──► steps ──┬─► reference::Reference ──► Expected
//!                                           ├─► mongo::MongoSide   (layout + simulator) ──► Answer
//!                                           └─► dynamo::DynamoSide (layout + simulator) ──► Answer
//!                                                      answer::difference ──► shrink ──► Report
//! ```
//!
//! Faults can be injected into the derived requests before they run ([`Fault`]), which is how
//! the tests check that the verifier catches a broken derivation.
//!
//! The crate reads no clock and spawns no thread: it runs natively and in WebAssembly.

use std::fmt;

use schemaplay_core::Design;

mod aggregate;
mod answer;
mod canon;
mod dynamo;
mod fault;
pub mod gen;
mod layout;
mod mongo;
pub mod paging;
pub mod random;
mod records;
mod records_store;
pub mod reference;
mod run;
mod schema;
mod shrink;
mod workload;

pub use answer::Shown;
pub use fault::{Fault, Injection};
pub use layout::Db;

/// How to verify.
#[derive(Clone, Debug)]
pub struct Options {
    pub seed: u64,
    /// How many steps the workload has (loads included).
    pub steps: usize,
    /// Faults to inject into the derived requests.
    pub faults: Vec<Injection>,
    /// The most steps shrinking replays per divergence (its reproduction is the shortest found
    /// within them).
    pub shrink_budget: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 1,
            steps: 1000,
            faults: Vec::new(),
            shrink_budget: 100_000,
        }
    }
}

/// What a verification found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// The design's access patterns.
    pub patterns: usize,
    /// The workload's steps.
    pub steps: usize,
    pub divergences: Vec<Divergence>,
    /// Patterns a layout does not serve or the simulator cannot run.
    pub gaps: Vec<Gap>,
    /// A layout that could not even be set up (CreateTable or an index refused).
    pub setup_errors: Vec<String>,
    /// Steps replayed while shrinking (work beyond `steps`).
    pub replayed_steps: usize,
    /// How many read answers of each database were compared with the reference.
    pub compared: Vec<(Db, usize)>,
}

impl Report {
    /// Whether every served pattern agreed with the reference and both layouts set up.
    pub fn is_clean(&self) -> bool {
        self.divergences.is_empty() && self.setup_errors.is_empty()
    }

    /// `verify: P patterns, S steps, D divergences` (a layout that could not be set up counts
    /// as a divergence).
    pub fn summary(&self) -> String {
        format!(
            "verify: {} patterns, {} steps, {} divergences",
            self.patterns,
            self.steps,
            self.divergences.len() + self.setup_errors.len()
        )
    }
}

/// A read whose answer from one layout differs from the reference's.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    pub pattern: String,
    pub db: Db,
    /// How the answer differs.
    pub why: String,
    /// The step (1-based) of the workload where it first showed.
    pub found_at: usize,
    /// The shortest sequence of steps that reproduces it, the divergent read last.
    pub steps: Vec<String>,
    /// The write patterns among those steps.
    pub writes: Vec<String>,
    pub expected: String,
    /// Each database's answer to the last step.
    pub answers: Vec<(Db, String)>,
    /// The requests the diverging layout sent for the last step, with their responses.
    pub requests: Vec<String>,
    /// The pattern's position in the design.
    pub pattern_index: usize,
    /// `expected` and `answers` typed, for a report that lays them out side by side.
    pub shown: Answers,
}

/// The answers to a divergence's last step: the reference's and each database's.
#[derive(Clone, Debug, PartialEq)]
pub struct Answers {
    pub expected: Shown,
    pub answers: Vec<(Db, Shown)>,
}

/// A pattern a layout does not serve, or the simulator cannot run.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    pub pattern: String,
    pub db: Db,
    pub kind: GapKind,
    pub why: String,
    /// The pattern's position in the design.
    pub pattern_index: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapKind {
    /// The layout cannot answer the pattern.
    Unservable,
}

impl Report {
    /// The divergences no finding of the design explains (see [`unverifiable`]): neither the
    /// pattern that diverged nor a write of its reproduction has one.
    pub fn unexplained(&self, design: &Design) -> Vec<&Divergence> {
        let why = unverifiable(design);
        let explained = |name: &String| why.iter().any(|(p, _)| p == name);
        self.divergences
            .iter()
            .filter(|d| !explained(&d.pattern) && !d.writes.iter().any(explained))
            .collect()
    }
}

/// The patterns of a design that cannot verify clean, each with the lint finding that says
/// why (the findings of the rules listed in [`UNVERIFIABLE_RULES`], by the pattern they name,
/// or by the entity every pattern of which they concern).
pub fn unverifiable(design: &Design) -> Vec<(String, schemaplay_core::Finding)> {
    let findings = schemaplay_core::analyze(design).findings;
    let under = |f: &schemaplay_core::Finding, path: &str| {
        f.path == path || f.path.starts_with(&format!("{path}."))
    };
    design
        .access_patterns
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            let path = format!("accessPatterns[{i}]");
            let entity = design
                .entities
                .iter()
                .position(|e| e.name == p.entity)
                .map(|e| format!("entities[{e}]"));
            findings
                .iter()
                .filter(move |f| {
                    UNVERIFIABLE_RULES.contains(&f.id.as_str())
                        && (under(f, &path) || entity.as_ref().is_some_and(|e| under(f, e)))
                })
                .map(move |f| (p.name.clone(), f.clone()))
        })
        .collect()
}

/// The lint rules whose findings say why a pattern's layouts cannot agree with the design: a
/// divergence of a pattern one of them names is explained, not a fault of a derivation.
pub const UNVERIFIABLE_RULES: &[&str] = &[
    "write-ambiguous",
    "dynamo-many-to-many-order",
    "dynamo-text-sort-key",
    "dynamo-read-together-apart",
    "delete-leaves-children",
    "embedded-unique-value",
    "mongo-embedded-reparent",
];

/// Verifies a design's layouts against its reference model.
pub fn verify(design: &Design, options: &Options) -> Report {
    verify_with_progress(design, options, &mut |_, _| {})
}

/// [`verify`], reporting `(steps done, steps)` as the workload runs.
pub fn verify_with_progress(
    design: &Design,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Report {
    // Paged lists read several small pages, so that a small workload's lists cross pages.
    let design = paging::with_small_pages(design);
    let schema = schema::Schema::new(&design);
    run::verify(&schema, options, progress)
}

impl fmt::Display for Report {
    /// Each divergence, then the gaps, then `verify: P patterns, S steps, D divergences`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.setup_errors {
            writeln!(f, "setup failed: {e}")?;
        }
        let n = self.divergences.len();
        for (i, d) in self.divergences.iter().enumerate() {
            writeln!(
                f,
                "divergence {} of {n}: \"{}\" on {}: {}",
                i + 1,
                d.pattern,
                d.db,
                d.why
            )?;
            writeln!(
                f,
                "  reproduced in {} step(s) (first seen at step {}):",
                d.steps.len(),
                d.found_at
            )?;
            for (j, s) in d.steps.iter().enumerate() {
                writeln!(f, "    {}. {s}", j + 1)?;
            }
            writeln!(f, "  expected: {}", d.expected)?;
            for (db, answer) in &d.answers {
                writeln!(f, "  {db}: {answer}")?;
            }
            writeln!(f, "  {}'s requests for the last step:", d.db)?;
            for r in &d.requests {
                writeln!(f, "    {r}")?;
            }
        }
        for g in &self.gaps {
            let kind = match g.kind {
                GapKind::Unservable => "unservable",
            };
            writeln!(f, "{kind} on {}: \"{}\": {}", g.db, g.pattern, g.why)?;
        }
        writeln!(f, "{}", self.summary())
    }
}
