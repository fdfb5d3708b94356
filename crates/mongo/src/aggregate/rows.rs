//! Documents between stages that share what they have in common: a document `$unwind` made
//! holds its parent's other fields once for all the elements, and one element; a document an
//! uncorrelated `$lookup` joined holds the sub-pipeline's one answer. The shared parts are
//! written into a document of its own only when a stage reads it ([`Row::into_doc`]), so
//! stages that only count, skip or limit (`$count`, `$skip`, `$limit`, `$sample`) never copy
//! them, and a stage's cost stays O(input + output) however large the shared parts are.

use std::borrow::Cow;
use std::rc::Rc;

use bson::{Bson, Document};

use super::Docs;
use crate::path;

/// One document of the stream: a base document and the fields set on top of it, in order.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    base: Base<'a>,
    sets: Vec<(Rc<[String]>, Value)>,
}

#[derive(Debug, Clone)]
enum Base<'a> {
    Doc(Cow<'a, Document>),
    Shared(Rc<Document>),
}

/// A value set on a row: its own, or shared with other rows.
#[derive(Debug, Clone)]
pub enum Value {
    Own(Bson),
    Shared(Rc<Bson>),
}

impl Value {
    fn into_bson(self) -> Bson {
        match self {
            Value::Own(v) => v,
            Value::Shared(v) => Rc::unwrap_or_clone(v),
        }
    }
}

impl<'a> Row<'a> {
    pub fn doc(doc: Cow<'a, Document>) -> Self {
        Row {
            base: Base::Doc(doc),
            sets: Vec::new(),
        }
    }

    /// A shared document with `value` at `path` (a path through embedded documents that the
    /// document already holds, so the value takes the old one's place).
    pub fn shared_with(base: Rc<Document>, path: Rc<[String]>, value: Value) -> Self {
        Row {
            base: Base::Shared(base),
            sets: vec![(path, value)],
        }
    }

    /// Sets `value` at `path` (creating embedded documents on the way, as `$lookup`'s `as`
    /// does) without writing it yet.
    pub fn set(&mut self, path: Rc<[String]>, value: Value) {
        self.sets.push((path, value));
    }

    /// The document the row stands for.
    pub fn into_doc(self) -> Cow<'a, Document> {
        let mut doc = match self.base {
            Base::Doc(d) if self.sets.is_empty() => return d,
            Base::Doc(d) => d.into_owned(),
            Base::Shared(d) => Rc::unwrap_or_clone(d),
        };
        for (p, v) in self.sets {
            path::set_plain(&mut doc, &p, v.into_bson());
        }
        Cow::Owned(doc)
    }

    /// The same row with a document of its own made shareable, so copies of the row (one per
    /// `$facet`) do not copy the document.
    fn shareable(self) -> Self {
        match self.base {
            Base::Doc(Cow::Owned(d)) => Row {
                base: Base::Shared(Rc::new(d)),
                sets: self.sets,
            },
            _ => self,
        }
    }
}

/// The documents flowing between stages: plain documents, or rows with shared parts.
pub enum Stream<'a> {
    Docs(Docs<'a>),
    Rows(Vec<Row<'a>>),
}

impl<'a> Stream<'a> {
    pub fn len(&self) -> usize {
        match self {
            Stream::Docs(d) => d.len(),
            Stream::Rows(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The documents, with every shared part written in.
    pub fn into_docs(self) -> Docs<'a> {
        match self {
            Stream::Docs(d) => d,
            Stream::Rows(r) => r.into_iter().map(Row::into_doc).collect(),
        }
    }

    pub fn into_rows(self) -> Vec<Row<'a>> {
        match self {
            Stream::Docs(d) => d.into_iter().map(Row::doc).collect(),
            Stream::Rows(r) => r,
        }
    }

    /// Rows whose documents can be copied cheaply (for several sub-pipelines over one input).
    pub fn into_shareable_rows(self) -> Vec<Row<'a>> {
        self.into_rows().into_iter().map(Row::shareable).collect()
    }

    /// The stream with `$skip`, `$limit` or `$sample` applied, whatever form it has.
    pub fn pick(self, pick: Pick) -> Stream<'a> {
        match self {
            Stream::Docs(d) => Stream::Docs(pick.apply(d)),
            Stream::Rows(r) => Stream::Rows(pick.apply(r)),
        }
    }
}

/// The stages that choose documents without reading them.
#[derive(Debug, Clone, Copy)]
pub enum Pick {
    Skip(u64),
    Limit(u64),
    /// `$sample`: pseudo-random picks from a fixed seed, so runs repeat.
    Sample(u64),
}

impl Pick {
    pub fn apply<T>(self, mut items: Vec<T>) -> Vec<T> {
        match self {
            Pick::Skip(n) => items.into_iter().skip(n as usize).collect(),
            Pick::Limit(n) => {
                items.truncate(usize::try_from(n).unwrap_or(usize::MAX));
                items
            }
            Pick::Sample(n) => {
                let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
                let mut out = Vec::new();
                while !items.is_empty() && (out.len() as u64) < n {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    let i = (state % items.len() as u64) as usize;
                    out.push(items.swap_remove(i));
                }
                out
            }
        }
    }
}
