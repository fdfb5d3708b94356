//! A pattern's multi-item transaction ([`crate::model::transaction`]) in
//! MongoDB: its own write and each part's in one multi-document transaction
//! (mongosh `session.withTransaction`), aborted when a guarded update or
//! delete matches nothing, so every write is applied or none.

use super::{MongoContext, MongoQuery};
use crate::model::transaction::MAX_TRANSACTION_ACTIONS;
use crate::model::*;

impl MongoContext<'_> {
    /// The pattern's own write `own` with the writes of its transaction's
    /// parts (`parts`, each as many times as its count, already rendered):
    /// the same request, holding the others in [`MongoQuery::transaction`],
    /// and its mongosh code the whole `session.withTransaction`.
    pub fn transaction(
        &self,
        pattern: &AccessPattern,
        mut own: MongoQuery,
        parts: Vec<MongoQuery>,
    ) -> MongoQuery {
        if parts.is_empty() {
            return own;
        }
        let mut body = vec![format!("  // {}", pattern.name), in_session(&own)];
        for q in &parts {
            body.push(format!("  // {}", q.pattern));
            body.push(in_session(q));
        }
        own.shell = format!(
            "// one multi-document transaction: every write below or none\nconst session = db.getMongo().startSession()\nsession.withTransaction(() => {{\n  const tx = session.getDatabase(db.getName())\n{}\n}})\nsession.endSession()",
            body.join("\n")
        );
        own.transaction = parts;
        own
    }

    /// The pattern's transaction rendered with the layout's sample values:
    /// its own write of sample record 0 and each part's of records 0, 1, ...
    pub fn sample_transaction(&self, pattern: &AccessPattern, own: MongoQuery) -> MongoQuery {
        let mut parts = Vec::new();
        for (part, count) in self.design.transaction_parts(pattern) {
            let count = u64::from(count).min(MAX_TRANSACTION_ACTIONS + 1);
            parts.extend((0..count).filter_map(|i| self.sample_query_at(part, i)));
        }
        self.transaction(pattern, own, parts)
    }
}

/// A write's mongosh line run in the session (`tx.` for `db.`), checked:
/// an update or delete that matches nothing (its guard failed, or its
/// document is gone) throws, which aborts the transaction.
fn in_session(q: &MongoQuery) -> String {
    let own = checked_in_session(q);
    let fanout = q
        .fanout
        .iter()
        .map(|f| format!("  {}", session_lines(&f.shell)));
    std::iter::once(own)
        .chain(fanout)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Mongosh lines run in the session: `tx.` for `db.`, indented.
fn session_lines(shell: &str) -> String {
    let line = match shell.strip_prefix("db.") {
        Some(rest) => format!("tx.{rest}"),
        None => shell.to_string(),
    };
    line.replace("\ndb.", "\ntx.").replace('\n', "\n  ")
}

/// The query's own write in the session, without its fan-out, checked.
fn checked_in_session(q: &MongoQuery) -> String {
    let line = session_lines(q.own_shell());
    match q.operation.as_str() {
        "updateOne" => format!(
            "  if ({line}.matchedCount !== 1) throw new Error('{}: nothing matched')",
            q.pattern.replace('\'', "\\'")
        ),
        "deleteOne" => format!(
            "  if ({line}.deletedCount !== 1) throw new Error('{}: nothing matched')",
            q.pattern.replace('\'', "\\'")
        ),
        _ => format!("  {line}"),
    }
}
