//! A collection: documents in insertion order, keyed by a record id, and the indexes over them.
//! Every write keeps the indexes in step and refuses what a unique index would refuse.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use bson::Document;

use crate::collation::Collation;
pub use crate::column::{Column, Elements, Slot};
use crate::error::{MongoError, Result};
use crate::index::{Index, IndexSpec};
use crate::query::ParseCtx;
use crate::text::TextIndexSpec;

#[derive(Debug, Clone)]
pub struct Collection {
    pub name: String,
    pub db: String,
    /// Records by id: the record with id `i` is at `i - 1`, and a deleted record leaves a hole
    /// (see [`Collection::insert`] for when holes are closed). Scan order is id order.
    docs: Vec<Option<Stored>>,
    live: usize,
    pub indexes: Vec<Index>,
    /// The collection's default collation (`createCollection`'s `collation` option): what its
    /// operations and new indexes use unless they name their own.
    pub default_collation: Option<Rc<Collation>>,
    /// The validator and its level and action.
    pub validation: crate::validation::Validation,
    /// The options `createCollection` and `collMod` set, as `listCollections` shows them.
    pub options: bson::Document,
    /// Columns of dotted paths over the rows (row `r` is record `r + 1`), built by the first
    /// scan that reads a path and dropped by any write.
    columns: RefCell<HashMap<String, Rc<Column>>>,
    /// The array elements at a path, as rows, and columns over them (keyed by the array's
    /// path, then the path inside the elements).
    elements: RefCell<HashMap<String, Rc<Elements>>>,
    element_columns: RefCell<HashMap<(String, String), Rc<Column>>>,
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

/// Below this many holes, deleted records are never compacted away.
const MIN_HOLES_TO_COMPACT: usize = 1024;

impl Collection {
    pub fn new(db: &str, name: &str) -> Self {
        Collection {
            name: name.to_string(),
            db: db.to_string(),
            docs: Vec::new(),
            live: 0,
            indexes: vec![Index::new(IndexSpec::id_index())],
            default_collation: None,
            validation: crate::validation::Validation::default(),
            options: bson::Document::new(),
            columns: RefCell::new(HashMap::new()),
            elements: RefCell::new(HashMap::new()),
            element_columns: RefCell::new(HashMap::new()),
        }
    }

    /// The namespace, `db.collection`.
    pub fn ns(&self) -> String {
        format!("{}.{}", self.db, self.name)
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The documents with their record ids, in scan order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &Document)> {
        self.docs
            .iter()
            .enumerate()
            .filter_map(|(row, s)| s.as_ref().map(|s| (Self::id_of_row(row), &s.doc)))
    }

    /// The number of rows a scan walks: records, deleted or not.
    pub fn rows(&self) -> usize {
        self.docs.len()
    }

    /// The record id of a scan row.
    pub fn id_of_row(row: usize) -> u64 {
        row as u64 + 1
    }

    /// The scan row of a record id (ids start at 1).
    pub fn row_of_id(id: u64) -> usize {
        id.saturating_sub(1) as usize
    }

    /// The document of a scan row, unless it was deleted.
    #[inline]
    pub fn row(&self, row: usize) -> Option<&Document> {
        self.docs.get(row)?.as_ref().map(|s| &s.doc)
    }

    fn stored(&self, id: u64) -> Option<&Stored> {
        let row = usize::try_from(id.checked_sub(1)?).ok()?;
        self.docs.get(row)?.as_ref()
    }

    pub fn get(&self, id: u64) -> Option<&Document> {
        self.stored(id).map(|s| &s.doc)
    }

    /// The relaxed Extended JSON text of a document, written once.
    pub fn json(&self, id: u64) -> Option<&str> {
        let stored = self.stored(id)?;
        Some(stored.json.get_or_init(|| {
            let mut text = String::new();
            crate::extjson::write_doc(&stored.doc, &mut text);
            text
        }))
    }

    pub fn text_spec(&self) -> Option<TextIndexSpec> {
        self.indexes.iter().find_map(|i| i.spec.text.clone())
    }

    /// The parse context for filters on this collection, under its default collation.
    pub fn parse_ctx(&self) -> ParseCtx {
        ParseCtx::new(self.text_spec()).with_collation(self.default_collation.clone())
    }

    /// The column of a path over the scan rows, built on first use.
    pub fn column(&self, path: &str) -> Rc<Column> {
        if let Some(c) = self.columns.borrow().get(path) {
            return Rc::clone(c);
        }
        let parts = crate::path::split(path);
        let rows = self.docs.iter().map(|s| s.as_ref().map(|s| &s.doc));
        let column = Rc::new(Column::build(rows, &parts));
        self.columns
            .borrow_mut()
            .insert(path.to_string(), Rc::clone(&column));
        column
    }

    /// The column of a path if a scan has built it since the last write.
    pub fn cached_column(&self, path: &str) -> Option<Rc<Column>> {
        self.columns.borrow().get(path).cloned()
    }

    /// The elements of the arrays at a path, as rows, built on first use.
    pub fn elements(&self, path: &str) -> Rc<Elements> {
        if let Some(e) = self.elements.borrow().get(path) {
            return Rc::clone(e);
        }
        let elements = Rc::new(Elements::build(&self.column(path)));
        self.elements
            .borrow_mut()
            .insert(path.to_string(), Rc::clone(&elements));
        elements
    }

    /// The column of `inner` over the elements of the arrays at `path`.
    pub fn element_column(&self, path: &str, inner: &str) -> Rc<Column> {
        self.element_column_of(path, Some(inner))
    }

    /// The column of the elements themselves of the arrays at `path`.
    pub fn element_values(&self, path: &str) -> Rc<Column> {
        self.element_column_of(path, None)
    }

    fn element_column_of(&self, path: &str, inner: Option<&str>) -> Rc<Column> {
        // A NUL never occurs in a field name, so it can stand for "the elements themselves".
        let key = (path.to_string(), inner.unwrap_or("\0").to_string());
        if let Some(c) = self.element_columns.borrow().get(&key) {
            return Rc::clone(c);
        }
        let parent = self.column(path);
        let column = Rc::new(match inner {
            None => Column::of_values(Elements::values(&parent).map(Some)),
            Some(inner) => Column::build(Elements::rows(&parent), &crate::path::split(inner)),
        });
        self.element_columns
            .borrow_mut()
            .insert(key, Rc::clone(&column));
        column
    }

    /// Forgets every column: the documents are about to change.
    fn changed(&mut self) {
        self.columns.get_mut().clear();
        self.elements.get_mut().clear();
        self.element_columns.get_mut().clear();
    }

    /// Inserts a document (which must already have its `_id`) and returns its record id.
    /// When deleted records outnumber live ones, the records are first renumbered without holes
    /// and the indexes rebuilt, so scans never walk mostly holes; no record id is held across
    /// an insert.
    pub fn insert(&mut self, doc: Document) -> Result<u64> {
        self.changed();
        let holes = self.docs.len() - self.live;
        if holes >= MIN_HOLES_TO_COMPACT && holes > self.live {
            self.compact();
        }
        let id = Self::id_of_row(self.docs.len());
        let ns = self.ns();
        for ix in &self.indexes {
            ix.check_unique(&doc, id, &ns)?;
        }
        for ix in &mut self.indexes {
            ix.insert(&doc, id);
        }
        self.docs.push(Some(Stored::new(doc)));
        self.live += 1;
        Ok(id)
    }

    /// Renumbers the records without holes, in the same order, and rebuilds the indexes.
    fn compact(&mut self) {
        self.docs.retain(Option::is_some);
        for ix in &mut self.indexes {
            let mut fresh = Index::new(ix.spec.clone());
            for (row, stored) in self.docs.iter().enumerate() {
                if let Some(s) = stored {
                    fresh.insert(&s.doc, Self::id_of_row(row));
                }
            }
            *ix = fresh;
        }
    }

    /// Replaces the document of a record, keeping it if a unique index refuses the new one.
    pub fn replace(&mut self, id: u64, new: Document) -> Result<()> {
        self.changed();
        let Some(old) = self.get(id).cloned() else {
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
        if let Some(slot) = self.docs.get_mut(Self::row_of_id(id)) {
            *slot = Some(Stored::new(new));
        }
        Ok(())
    }

    pub fn remove(&mut self, id: u64) -> Option<Document> {
        self.changed();
        let row = usize::try_from(id.checked_sub(1)?).ok()?;
        let doc = self.docs.get_mut(row)?.take()?.doc;
        self.live -= 1;
        for ix in &mut self.indexes {
            ix.remove(&doc, id);
        }
        Some(doc)
    }

    /// Builds a new index over the existing documents.
    pub fn create_index(&mut self, mut spec: IndexSpec) -> Result<String> {
        // An index without its own collation takes the collection's default (manual:
        // "Collation", Collation and Index Use); a text index has none.
        if !spec.options.contains_key("collation") && spec.text.is_none() {
            spec.collation = self.default_collation.clone();
        }
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
        if let Some(existing) = self.indexes.iter().find(|i| {
            i.spec.key == spec.key
                && i.spec.partial.is_none()
                && spec.partial.is_none()
                && i.spec.collation == spec.collation
        }) {
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
        for (id, doc) in self.iter() {
            index.check_unique(doc, id, &ns)?;
            index.insert(doc, id);
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
