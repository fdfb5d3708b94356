//! A collection: documents in insertion order, keyed by a record id, and the indexes over them.
//! Every write keeps the indexes in step and refuses what a unique index would refuse.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use bson::{Bson, Document};

use crate::error::{MongoError, Result};
use crate::index::{Index, IndexSpec};
use crate::query::ParseCtx;
use crate::text::TextIndexSpec;

#[derive(Debug, Clone)]
pub struct Collection {
    pub name: String,
    pub db: String,
    docs: BTreeMap<u64, Stored>,
    next_id: u64,
    pub indexes: Vec<Index>,
    /// Values at dotted paths, one per document in scan order, built by the first collection
    /// scan that reads the path and dropped by any write. A scan then reads a compact column
    /// instead of looking the path up in every document.
    columns: RefCell<HashMap<String, Rc<Column>>>,
    /// The record ids in scan order, for scans that read only columns.
    row_ids: RefCell<Option<Rc<Vec<u64>>>>,
}

/// A stored document and, once a response has needed it, its relaxed Extended JSON text (kept
/// until the document changes, as a server keeps documents in their wire form).
#[derive(Debug, Clone)]
struct Stored {
    doc: Document,
    json: OnceCell<String>,
}

impl Stored {
    fn new(doc: Document) -> Self {
        Stored {
            doc,
            json: OnceCell::new(),
        }
    }
}

/// One slot per document: the value a path reaches without crossing an array, nothing, or
/// `Complex` when an array is in the way (the scan then reads the document itself).
#[derive(Debug, Clone)]
pub enum Slot {
    Missing,
    Value(Bson),
    Complex,
}

pub type Column = Vec<Slot>;

fn slot_of(doc: &Document, parts: &[String]) -> Slot {
    let Some((first, rest)) = parts.split_first() else {
        return Slot::Missing;
    };
    let mut current = match crate::path::field(doc, first) {
        Some(v) => v,
        None => return Slot::Missing,
    };
    for part in rest {
        current = match current {
            Bson::Document(d) => match crate::path::field(d, part) {
                Some(v) => v,
                None => return Slot::Missing,
            },
            Bson::Array(_) => return Slot::Complex,
            _ => return Slot::Missing,
        };
    }
    Slot::Value(current.clone())
}

impl Collection {
    pub fn new(db: &str, name: &str) -> Self {
        Collection {
            name: name.to_string(),
            db: db.to_string(),
            docs: BTreeMap::new(),
            next_id: 1,
            indexes: vec![Index::new(IndexSpec::id_index())],
            columns: RefCell::new(HashMap::new()),
            row_ids: RefCell::new(None),
        }
    }

    /// The namespace, `db.collection`.
    pub fn ns(&self) -> String {
        format!("{}.{}", self.db, self.name)
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (u64, &Document)> {
        self.docs.iter().map(|(id, s)| (*id, &s.doc))
    }

    pub fn get(&self, id: u64) -> Option<&Document> {
        self.docs.get(&id).map(|s| &s.doc)
    }

    /// The relaxed Extended JSON text of a document, written once.
    pub fn json(&self, id: u64) -> Option<&str> {
        let stored = self.docs.get(&id)?;
        Some(stored.json.get_or_init(|| {
            let mut text = String::new();
            crate::extjson::write_doc(&stored.doc, &mut text);
            text
        }))
    }

    pub fn text_spec(&self) -> Option<TextIndexSpec> {
        self.indexes.iter().find_map(|i| i.spec.text.clone())
    }

    /// The parse context for filters on this collection.
    pub fn parse_ctx(&self) -> ParseCtx {
        ParseCtx::new(self.text_spec())
    }

    /// Inserts a document (which must already have its `_id`).
    /// The record ids in scan order, built on first use.
    pub fn row_ids(&self) -> Rc<Vec<u64>> {
        if let Some(ids) = self.row_ids.borrow().as_ref() {
            return Rc::clone(ids);
        }
        let ids = Rc::new(self.docs.keys().copied().collect::<Vec<u64>>());
        *self.row_ids.borrow_mut() = Some(Rc::clone(&ids));
        ids
    }

    /// The column of a path, built on first use.
    pub fn column(&self, path: &str) -> Rc<Column> {
        if let Some(c) = self.columns.borrow().get(path) {
            return Rc::clone(c);
        }
        let parts = crate::path::split(path);
        let column: Column = self
            .docs
            .values()
            .map(|s| slot_of(&s.doc, &parts))
            .collect();
        let column = Rc::new(column);
        self.columns
            .borrow_mut()
            .insert(path.to_string(), Rc::clone(&column));
        column
    }

    pub fn insert(&mut self, doc: Document) -> Result<u64> {
        self.columns.get_mut().clear();
        *self.row_ids.get_mut() = None;
        let id = self.next_id;
        let ns = self.ns();
        for ix in &self.indexes {
            ix.check_unique(&doc, id, &ns)?;
        }
        for ix in &mut self.indexes {
            ix.insert(&doc, id);
        }
        self.docs.insert(id, Stored::new(doc));
        self.next_id += 1;
        Ok(id)
    }

    /// Replaces the document of a record, keeping it if a unique index refuses the new one.
    pub fn replace(&mut self, id: u64, new: Document) -> Result<()> {
        self.columns.get_mut().clear();
        *self.row_ids.get_mut() = None;
        let Some(old) = self.docs.get(&id).map(|s| s.doc.clone()) else {
            return Err(MongoError::bad_value("record not found"));
        };
        for ix in &mut self.indexes {
            ix.remove(&old, id);
        }
        let ns = self.ns();
        if let Some(err) = self
            .indexes
            .iter()
            .find_map(|ix| ix.check_unique(&new, id, &ns).err())
        {
            for ix in &mut self.indexes {
                ix.insert(&old, id);
            }
            return Err(err);
        }
        for ix in &mut self.indexes {
            ix.insert(&new, id);
        }
        self.docs.insert(id, Stored::new(new));
        Ok(())
    }

    pub fn remove(&mut self, id: u64) -> Option<Document> {
        self.columns.get_mut().clear();
        *self.row_ids.get_mut() = None;
        let doc = self.docs.remove(&id)?.doc;
        for ix in &mut self.indexes {
            ix.remove(&doc, id);
        }
        Some(doc)
    }

    /// Builds a new index over the existing documents.
    pub fn create_index(&mut self, spec: IndexSpec) -> Result<String> {
        if let Some(existing) = self.indexes.iter().find(|i| i.spec.name == spec.name) {
            if existing.spec.same_as(&spec) {
                return Ok(spec.name);
            }
            return Err(MongoError::new(
                86,
                "IndexKeySpecsConflict",
                format!(
                    "An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: {}, existing index: {}",
                    crate::value::shell_doc(&spec.describe()),
                    crate::value::shell_doc(&existing.spec.describe())
                ),
            ));
        }
        if let Some(existing) = self
            .indexes
            .iter()
            .find(|i| i.spec.key == spec.key && i.spec.partial.is_none() && spec.partial.is_none())
        {
            return Err(MongoError::new(
                85,
                "IndexOptionsConflict",
                format!(
                    "Index already exists with a different name: {}",
                    existing.spec.name
                ),
            ));
        }
        if spec.text.is_some() {
            if let Some(existing) = self.indexes.iter().find(|i| i.spec.text.is_some()) {
                return Err(MongoError::new(
                    85,
                    "IndexOptionsConflict",
                    format!("An equivalent index already exists with a different name and options. Requested index: {}, existing index: {}", spec.name, existing.spec.name),
                ));
            }
        }
        let mut index = Index::new(spec);
        let ns = self.ns();
        for (id, doc) in self.docs.iter().map(|(id, s)| (id, &s.doc)) {
            index.check_unique(doc, *id, &ns)?;
            index.insert(doc, *id);
        }
        let name = index.spec.name.clone();
        self.indexes.push(index);
        Ok(name)
    }

    /// Drops an index by name; `_id_` cannot be dropped.
    pub fn drop_index(&mut self, name: &str) -> Result<()> {
        if name == "_id_" {
            return Err(MongoError::new(
                72,
                "InvalidOptions",
                "cannot drop _id index",
            ));
        }
        if name == "*" {
            self.indexes.retain(|i| i.spec.name == "_id_");
            return Ok(());
        }
        let before = self.indexes.len();
        self.indexes.retain(|i| i.spec.name != name);
        if self.indexes.len() == before {
            return Err(MongoError::index_not_found(format!(
                "index not found with name [{name}]"
            )));
        }
        Ok(())
    }

    /// The name of the index with this key pattern.
    pub fn index_name_for_key(&self, key: &Document) -> Result<String> {
        self.indexes
            .iter()
            .find(|i| &i.spec.key == key)
            .map(|i| i.spec.name.clone())
            .ok_or_else(|| {
                MongoError::index_not_found(format!(
                    "can't find index with key: {}",
                    crate::value::shell_doc(key)
                ))
            })
    }
}
