//! Cursors: a find or an aggregate can answer with a first batch and a cursor id, as the
//! server does, and `getMore` reads the next batches; `killCursors` closes cursors early.
//!
//! A cursor answers its query's whole answer as it was when the query ran: the stored documents
//! shared with the collection (no copy), computed documents as they came out of the
//! pipeline. So paging sees one consistent answer, as a read with `readConcern: "snapshot"`
//! would, whatever is written meanwhile. A find whose plan gives documents in the answer's
//! order (no sort stage) reads only what its batches need: the cursor keeps where the plan
//! stopped ([`Pending`]), `getMore` reads on from there, and the database reads the rest of
//! every pending find on a collection before anything writes to it, so the answer is the same
//! as if it had been read whole at once. Batches hold at most `batchSize` documents (101 for a
//! first batch without one; no count limit for a `getMore` without one) and at most 16 MiB,
//! with at least one document. An exhausted cursor closes itself (its id in the answer is 0).
//! Cursors do not time out: the host closes the ones it leaves (`killCursors`), or they stay
//! until the database is dropped.

use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use bson::Document;

use crate::collection::Record;
use crate::error::{MongoError, Result};

/// The documents of a first batch when the request names no `batchSize` (the server's
/// default).
pub const DEFAULT_FIRST_BATCH: u64 = 101;

/// The most bytes a batch holds (the server's 16 MiB of a reply).
pub const MAX_BATCH_BYTES: usize = 16 * 1024 * 1024;

/// One document of an answer.
#[derive(Debug, Clone)]
pub enum Item {
    /// A stored document, shared with its collection (and its JSON text, once written).
    Stored(Rc<Record>),
    /// A document the query made (a projection, a pipeline's output).
    Owned(Document),
}

impl Item {
    pub fn doc(&self) -> &Document {
        match self {
            Item::Stored(r) => r.doc(),
            Item::Owned(d) => d,
        }
    }

    pub fn into_doc(self) -> Document {
        match self {
            Item::Stored(r) => r.doc().clone(),
            Item::Owned(d) => d,
        }
    }

    /// Appends the document as relaxed Extended JSON (a stored one's text is written once).
    pub fn write_json(&self, out: &mut String) {
        match self {
            Item::Stored(r) => out.push_str(r.json()),
            Item::Owned(d) => crate::extjson::write_doc(d, out),
        }
    }
}

/// One batch of a cursor: its documents, the cursor id to ask for more (0 once the answer is
/// all sent) and the namespace.
#[derive(Debug, Clone)]
pub struct CursorBatch {
    pub items: Vec<Item>,
    pub id: i64,
    pub ns: String,
}

impl CursorBatch {
    pub fn docs(&self) -> impl Iterator<Item = &Document> {
        self.items.iter().map(Item::doc)
    }

    pub fn into_docs(self) -> Vec<Document> {
        self.items.into_iter().map(Item::into_doc).collect()
    }

    /// The server's reply: `{"cursor": {"firstBatch" | "nextBatch": [...], "id", "ns"}, "ok": 1}`,
    /// as relaxed Extended JSON text.
    pub fn reply_json(&self, first: bool) -> String {
        let mut out = String::with_capacity(self.items.len() * 256 + 64);
        out.push_str(if first {
            "{\"cursor\":{\"firstBatch\":["
        } else {
            "{\"cursor\":{\"nextBatch\":["
        });
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(&mut out);
        }
        out.push_str("],\"id\":");
        out.push_str(&self.id.to_string());
        out.push_str(",\"ns\":");
        out.push_str(&serde_json::Value::String(self.ns.clone()).to_string());
        out.push_str("},\"ok\":1}");
        out
    }
}

/// What `killCursors` did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Killed {
    pub killed: Vec<i64>,
    pub not_found: Vec<i64>,
}

impl Killed {
    /// The server's reply.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "cursorsKilled": self.killed,
            "cursorsNotFound": self.not_found,
            "cursorsAlive": [],
            "cursorsUnknown": [],
            "ok": 1,
        })
    }
}

/// The part of a find a cursor has not read yet: the find's options (its skip done, its limit
/// what is left of it) and where its plan stopped.
#[derive(Debug, Clone)]
pub struct Pending {
    pub coll: String,
    pub opts: crate::database::FindOptions,
    pub from: crate::planner::Resume,
}

#[derive(Debug, Clone)]
struct Cursor {
    ns: String,
    /// Documents read and not sent yet, in order.
    rest: VecDeque<Item>,
    /// What follows them, still to read.
    pending: Option<Pending>,
}

/// The open cursors of a database.
#[derive(Debug, Clone, Default)]
pub struct Cursors {
    last_id: i64,
    open: BTreeMap<i64, Cursor>,
}

impl Cursors {
    /// A cursor over an answer: its first batch, and the cursor kept open when more remain.
    pub fn open(
        &mut self,
        ns: String,
        answer: Vec<Item>,
        batch_size: Option<u64>,
        pending: Option<Pending>,
    ) -> CursorBatch {
        let mut cursor = Cursor {
            ns,
            rest: answer.into(),
            pending,
        };
        let items = take(
            &mut cursor.rest,
            Some(batch_size.unwrap_or(DEFAULT_FIRST_BATCH)),
        );
        let ns = cursor.ns.clone();
        let id = if cursor.rest.is_empty() && cursor.pending.is_none() {
            0
        } else {
            self.last_id += 1;
            self.open.insert(self.last_id, cursor);
            self.last_id
        };
        CursorBatch { items, id, ns }
    }

    /// Whether cursor `id` is open on namespace `ns`: else the server's error for a `getMore`.
    pub fn check(&self, ns: &str, id: i64) -> Result<()> {
        let Some(cursor) = self.open.get(&id) else {
            return Err(not_found(id));
        };
        if cursor.ns != ns {
            return Err(MongoError::new(
                13,
                "Unauthorized",
                format!(
                    "Requested getMore on namespace '{ns}', but cursor belongs to a different namespace {}",
                    cursor.ns
                ),
            ));
        }
        Ok(())
    }

    /// `getMore`: the next batch of cursor `id` on namespace `ns`, of what the cursor has read.
    pub fn get_more(&mut self, ns: &str, id: i64, batch_size: Option<u64>) -> Result<CursorBatch> {
        self.check(ns, id)?;
        let Some(cursor) = self.open.get_mut(&id) else {
            return Err(not_found(id));
        };
        let items = take(&mut cursor.rest, batch_size.filter(|n| *n > 0));
        let ns = cursor.ns.clone();
        let id = if cursor.rest.is_empty() && cursor.pending.is_none() {
            self.open.remove(&id);
            0
        } else {
            id
        };
        Ok(CursorBatch { items, id, ns })
    }

    /// The pending finds to read on namespace `ns`, taken from their cursors, each with how many
    /// more documents to read (`None`: all): of cursor `id` when it has fewer than a batch of
    /// `batch` documents and one more read (`batch` `None`: all of it), or with no `id`, all of
    /// every cursor's. [`Cursors::extend`] gives each cursor what was read.
    pub fn take_pending(
        &mut self,
        ns: &str,
        id: Option<i64>,
        batch: Option<u64>,
    ) -> Vec<(i64, Pending, Option<u64>)> {
        let mut out = Vec::new();
        for (cursor_id, cursor) in self.open.iter_mut() {
            if cursor.ns != ns || id.is_some_and(|id| id != *cursor_id) {
                continue;
            }
            let have = cursor.rest.len() as u64;
            let need = match (id, batch) {
                (Some(_), Some(n)) if have > n => continue,
                (Some(_), Some(n)) => Some(n - have),
                _ => None,
            };
            if let Some(pending) = cursor.pending.take() {
                out.push((*cursor_id, pending, need));
            }
        }
        out
    }

    /// Appends what was read of cursor `id`'s pending find, and what is still to read.
    pub fn extend(&mut self, id: i64, items: Vec<Item>, pending: Option<Pending>) {
        if let Some(cursor) = self.open.get_mut(&id) {
            cursor.rest.extend(items);
            cursor.pending = pending;
        }
    }

    /// `killCursors` on namespace `ns`: a cursor of another namespace is not found there.
    pub fn kill(&mut self, ns: &str, ids: &[i64]) -> Killed {
        let mut out = Killed::default();
        for id in ids {
            if self.open.get(id).is_some_and(|c| c.ns == ns) {
                self.open.remove(id);
                out.killed.push(*id);
            } else {
                out.not_found.push(*id);
            }
        }
        out
    }

    /// How many cursors are open.
    pub fn len(&self) -> usize {
        self.open.len()
    }

    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }
}

/// The server's error for a cursor id that names no open cursor.
fn not_found(id: i64) -> MongoError {
    MongoError::new(43, "CursorNotFound", format!("cursor id {id} not found"))
}

/// The next batch: at most `count` documents (no limit without one) and 16 MiB, at least one.
fn take(rest: &mut VecDeque<Item>, count: Option<u64>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut bytes = 0;
    while let Some(next) = rest.front() {
        if count.is_some_and(|n| items.len() as u64 >= n) {
            break;
        }
        let size = crate::value::doc_size(next.doc());
        if !items.is_empty() && bytes + size > MAX_BATCH_BYTES {
            break;
        }
        bytes += size;
        if let Some(item) = rest.pop_front() {
            items.push(item);
        }
    }
    items
}
