//! Multi-item transactions: a write pattern names other write patterns whose
//! writes succeed or fail with its own (placing an order inserts the order
//! and takes the stock of each of its products).
//!
//! In the design file a pattern's `transaction` lists its parts:
//! `[{"pattern": "Reserve stock", "count": 3}]`, each another write pattern
//! (with its own action and guard) made `count` times per transaction. A part
//! cannot have parts of its own: transactions do not nest.

use serde::{Deserialize, Serialize};

use super::{AccessPattern, Design, Finding};

/// The most parts one transaction may have in all, whatever the database:
/// DynamoDB's TransactWriteItems takes at most 100 actions.
pub const MAX_TRANSACTION_ACTIONS: u64 = 100;

/// DynamoDB's limit on the size of one TransactWriteItems, in bytes.
pub const MAX_TRANSACTION_BYTES: u64 = 4 * 1024 * 1024;

/// Another write pattern whose write joins a pattern's transaction.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TransactionPart {
    /// The write pattern (`Reserve stock`).
    pub pattern: String,
    /// How many of its writes one transaction makes (a stock decrement per
    /// order line: 3).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

impl TransactionPart {
    pub fn new(pattern: &str, count: u32) -> Self {
        TransactionPart {
            pattern: pattern.to_string(),
            count,
        }
    }
}

impl Design {
    /// The parts of a pattern's transaction that name one of the design's
    /// write patterns, each with its count; empty for a pattern without parts.
    pub fn transaction_parts<'d>(&'d self, p: &AccessPattern) -> Vec<(&'d AccessPattern, u32)> {
        p.transaction
            .iter()
            .filter_map(|part| {
                let q = self
                    .access_patterns
                    .iter()
                    .find(|q| q.name == part.pattern)?;
                (q.kind.is_write() && q.transaction.is_empty() && q.name != p.name)
                    .then_some((q, part.count.max(1)))
            })
            .collect()
    }
}

/// The references of a pattern's transaction: each part names another write
/// pattern that has no parts of its own, made at least once.
pub(super) fn check(design: &Design, p: &AccessPattern, path: &str, out: &mut Vec<Finding>) {
    if !p.transaction.is_empty() && !p.kind.is_write() {
        out.push(Finding::error(
            "transaction-of-a-read",
            format!("{path}.transaction"),
            format!(
                "\"{}\" reads: only a write (insert, update, delete) can run a transaction",
                p.name
            ),
        ));
    }
    for (i, part) in p.transaction.iter().enumerate() {
        let at = format!("{path}.transaction[{i}]");
        let Some(q) = design
            .access_patterns
            .iter()
            .find(|q| q.name == part.pattern)
        else {
            out.push(Finding::error(
                "unknown-pattern",
                format!("{at}.pattern"),
                format!("no access pattern is named \"{}\"", part.pattern),
            ));
            continue;
        };
        let problem = if q.name == p.name {
            Some("is the pattern itself: its own write is in the transaction already".to_string())
        } else if !q.kind.is_write() {
            Some(format!(
                "is a {}: only writes (insert, update, delete) join a transaction",
                kind_word(q)
            ))
        } else if !q.transaction.is_empty() {
            Some("has a transaction of its own: transactions do not nest".to_string())
        } else {
            None
        };
        if let Some(problem) = problem {
            out.push(Finding::error(
                "transaction-part",
                format!("{at}.pattern"),
                format!("\"{}\" {problem}", q.name),
            ));
        }
        if part.count == 0 || u64::from(part.count) > MAX_TRANSACTION_ACTIONS {
            out.push(Finding::error(
                "transaction-part",
                format!("{at}.count"),
                format!(
                    "{} writes of \"{}\": a transaction makes from 1 to {MAX_TRANSACTION_ACTIONS}",
                    part.count, part.pattern
                ),
            ));
        }
    }
}

fn kind_word(p: &AccessPattern) -> &'static str {
    super::PatternKind::NAMES
        .get(p.kind as usize)
        .copied()
        .unwrap_or("read")
}

impl Design {
    /// Follows a pattern's rename from `old` to `new` in every transaction
    /// that names it, so renaming a pattern in the editor keeps its place in
    /// the transactions it is part of.
    pub fn rename_transaction_parts(&mut self, old: &str, new: &str) {
        for p in &mut self.access_patterns {
            for part in &mut p.transaction {
                if part.pattern == old {
                    part.pattern = new.to_string();
                }
            }
        }
    }

    /// Takes a deleted pattern out of every transaction that names it.
    pub fn forget_transaction_parts(&mut self, name: &str) {
        for p in &mut self.access_patterns {
            p.transaction.retain(|part| part.pattern != name);
        }
    }
}
