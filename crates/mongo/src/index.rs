//! Indexes: single-field, compound (with directions), multikey, unique, sparse, partial and text.
//! Regular indexes keep their entries in a B-tree ordered as MongoDB orders index keys.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use bson::{Bson, Document};

use crate::collation::Collation;
use crate::error::{MongoError, Result};
use crate::path;
use crate::query::{parse_filter, Filter, MatchDetails, ParseCtx};
use crate::text::TextIndexSpec;
use crate::value::{as_num, compare, shell};

/// One value of an index key, ordered by BSON order (reversed for a descending field).
#[derive(Debug, Clone)]
pub struct KeyPart {
    pub value: Bson,
    pub desc: bool,
}

impl PartialEq for KeyPart {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for KeyPart {}
impl PartialOrd for KeyPart {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for KeyPart {
    fn cmp(&self, other: &Self) -> Ordering {
        let ord = compare(&self.value, &other.value);
        if self.desc {
            ord.reverse()
        } else {
            ord
        }
    }
}

/// An index entry: the key and the record it points to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub key: Vec<KeyPart>,
    pub id: u64,
}

#[derive(Debug, Clone)]
pub struct IndexField {
    pub path: String,
    pub parts: Vec<String>,
    pub desc: bool,
}

/// An index as `createIndex` described it.
#[derive(Debug, Clone)]
pub struct IndexSpec {
    pub name: String,
    pub key: Document,
    pub fields: Vec<IndexField>,
    pub unique: bool,
    pub sparse: bool,
    pub partial: Option<(Document, Filter)>,
    pub text: Option<TextIndexSpec>,
    /// Strings are indexed by this collation's sort keys (manual: "Collation", Collation and
    /// Index Use); a query uses the index for strings only under the same collation.
    pub collation: Option<Rc<Collation>>,
    /// A TTL index: documents expire this many seconds after the date the field holds.
    pub expire_after_seconds: Option<i64>,
    pub options: Document,
}

#[derive(Debug, Clone)]
pub struct Index {
    pub spec: IndexSpec,
    pub entries: BTreeSet<Entry>,
    pub multikey: bool,
    /// Text indexes: term -> record -> score contribution.
    pub postings: BTreeMap<String, BTreeMap<u64, f64>>,
}

const OPTIONS: &[&str] = &[
    "unique",
    "sparse",
    "partialFilterExpression",
    "name",
    "weights",
    "default_language",
    "language_override",
    "textIndexVersion",
    "background",
    "v",
    "hidden",
    "expireAfterSeconds",
    "collation",
];

impl IndexSpec {
    /// Reads `createIndex(key, options)`.
    pub fn parse(key: &Document, options: &Document) -> Result<Self> {
        if key.is_empty() {
            return Err(MongoError::new(
                67,
                "CannotCreateIndex",
                "Index keys cannot be an empty field.",
            ));
        }
        for k in options.keys() {
            if !OPTIONS.contains(&k.as_str()) {
                return Err(MongoError::new(
                    197,
                    "InvalidIndexSpecificationOption",
                    format!("The field '{k}' is not valid for an index specification."),
                ));
            }
        }
        let mut fields = Vec::new();
        let mut text_fields = Vec::new();
        let mut wildcard = None;
        let weights = match options.get("weights") {
            Some(Bson::Document(w)) => w.clone(),
            _ => Document::new(),
        };
        let weight_of = |path: &str| {
            weights
                .get(path)
                .and_then(as_num)
                .map_or(1.0, |n| n.as_f64())
        };
        let mut name_parts = Vec::new();
        for (path, dir) in key {
            if path.is_empty() || path.split('.').any(str::is_empty) {
                return Err(MongoError::new(
                    67,
                    "CannotCreateIndex",
                    format!("Index keys cannot contain an empty field: {path}"),
                ));
            }
            match dir {
                Bson::String(s) if s == "text" => {
                    if path == "$**" {
                        wildcard = Some(weight_of(path));
                    } else {
                        text_fields.push((path::split(path), weight_of(path)));
                    }
                    name_parts.push(format!("{path}_text"));
                }
                Bson::String(s) => {
                    return Err(MongoError::new(
                        67,
                        "CannotCreateIndex",
                        format!("Unknown index plugin '{s}'"),
                    ));
                }
                other => {
                    let n = as_num(other).map(|n| n.as_f64()).unwrap_or(0.0);
                    if n == 0.0 || !n.is_finite() {
                        return Err(MongoError::new(
                            67,
                            "CannotCreateIndex",
                            format!(
                                "Values in the index key pattern can't be 0 or non-numeric: {}",
                                shell(other)
                            ),
                        ));
                    }
                    let shown = match other {
                        Bson::Double(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                        o => shell(o),
                    };
                    name_parts.push(format!("{path}_{shown}"));
                    fields.push(IndexField {
                        path: path.clone(),
                        parts: path::split(path),
                        desc: n < 0.0,
                    });
                }
            }
        }
        for (path, _) in weights.iter() {
            if !text_fields
                .iter()
                .any(|(p, _): &(Vec<String>, f64)| p.join(".") == *path)
                && path != "$**"
            {
                text_fields.push((path::split(path), weight_of(path)));
            }
        }
        let name = match options.get("name") {
            Some(Bson::String(n)) => n.clone(),
            Some(_) => {
                return Err(MongoError::type_mismatch(
                    "The field 'name' must be a string",
                ))
            }
            None => name_parts.join("_"),
        };
        let default_language = match options.get("default_language") {
            Some(Bson::String(l)) => l.clone(),
            _ => "english".to_string(),
        };
        let text = if text_fields.is_empty() && wildcard.is_none() {
            None
        } else {
            Some(TextIndexSpec {
                name: name.clone(),
                fields: text_fields,
                wildcard,
                default_language: default_language.clone(),
                language: crate::text::language(&default_language).ok_or_else(|| {
                    MongoError::new(
                        67,
                        "CannotCreateIndex",
                        format!(
                            "default_language: \"{default_language}\" is not a supported language"
                        ),
                    )
                })?,
            })
        };
        let flag = |k: &str| options.get(k).is_some_and(crate::value::truthy);
        let partial = match options.get("partialFilterExpression") {
            None => None,
            Some(Bson::Document(f)) => {
                Some((f.clone(), parse_filter(f, &mut ParseCtx::new(None))?))
            }
            Some(_) => {
                return Err(MongoError::type_mismatch(
                    "partialFilterExpression must be an object",
                ))
            }
        };
        if name == "_id_" && !(fields.len() == 1 && fields.first().is_some_and(|f| f.path == "_id"))
        {
            return Err(MongoError::bad_value(
                "The index name '_id_' is reserved for the _id index",
            ));
        }
        let collation = match Collation::parse_option(options.get("collation"))? {
            Some(Some(c)) if text.is_some() => {
                return Err(MongoError::new(
                    67,
                    "CannotCreateIndex",
                    format!(
                        "Index type 'text' does not support collation: {}",
                        crate::value::shell_doc(&c.spec())
                    ),
                ))
            }
            Some(c) => c.map(Rc::new),
            None => None,
        };
        let expire_after_seconds = match options.get("expireAfterSeconds") {
            None => None,
            Some(v) => Some(ttl_seconds(key, &name, options, v)?),
        };
        Ok(IndexSpec {
            name,
            key: key.clone(),
            fields,
            unique: flag("unique"),
            sparse: flag("sparse"),
            partial,
            text,
            collation,
            expire_after_seconds,
            options: options.clone(),
        })
    }

    /// The `_id_` index every collection has.
    pub fn id_index() -> Self {
        IndexSpec {
            name: "_id_".into(),
            key: bson::doc! {"_id": 1},
            fields: vec![IndexField {
                path: "_id".into(),
                parts: vec!["_id".into()],
                desc: false,
            }],
            unique: true,
            sparse: false,
            partial: None,
            text: None,
            collation: None,
            expire_after_seconds: None,
            options: Document::new(),
        }
    }

    /// Whether the index holds the document at all (sparse and partial indexes skip some).
    pub fn covers(&self, doc: &Document) -> bool {
        if let Some((_, f)) = &self.partial {
            if !f.matches(doc, &mut MatchDetails::default()) {
                return false;
            }
        }
        if self.sparse {
            let any = self
                .fields
                .iter()
                .any(|f| path::any_leaf(doc, &f.parts, &mut |leaf, _| leaf.is_some()))
                || self
                    .text
                    .as_ref()
                    .is_some_and(|t| !t.strings(doc).is_empty());
            if !any {
                return false;
            }
        }
        true
    }

    /// The keys of one document: one per combination of array elements (multikey).
    pub fn keys(&self, doc: &Document) -> (Vec<Vec<Bson>>, bool) {
        let mut multikey = false;
        let mut per_field: Vec<Vec<Bson>> = Vec::with_capacity(self.fields.len());
        for f in &self.fields {
            let mut values: Vec<Bson> = Vec::new();
            path::any_leaf(doc, &f.parts, &mut |leaf, pos| {
                if pos.is_some() {
                    multikey = true;
                }
                match leaf {
                    None => values.push(Bson::Null),
                    Some(Bson::Array(items)) => {
                        multikey = true;
                        if items.is_empty() {
                            values.push(Bson::Undefined);
                        }
                        values.extend(items.iter().cloned());
                    }
                    Some(v) => values.push(v.clone()),
                }
                false
            });
            if values.is_empty() {
                // Arrays holding no documents still index the document, under null.
                values.push(Bson::Null);
            }
            if let Some(c) = &self.collation {
                for v in &mut values {
                    if let std::borrow::Cow::Owned(key) = c.map(v) {
                        *v = key;
                    }
                }
            }
            let mut uniq: Vec<Bson> = Vec::with_capacity(values.len());
            for v in values {
                if !uniq.iter().any(|u| {
                    compare(u, &v) == Ordering::Equal
                        && crate::value::type_rank(u) == crate::value::type_rank(&v)
                }) {
                    uniq.push(v);
                }
            }
            per_field.push(uniq);
        }
        let mut keys: Vec<Vec<Bson>> = vec![Vec::new()];
        for values in per_field {
            let mut next = Vec::with_capacity(keys.len() * values.len().max(1));
            for k in &keys {
                for v in &values {
                    if next.len() >= 10_000 {
                        break;
                    }
                    let mut k2 = k.clone();
                    k2.push(v.clone());
                    next.push(k2);
                }
            }
            keys = next;
        }
        (keys, multikey)
    }

    pub fn entry(&self, key: Vec<Bson>, id: u64) -> Entry {
        Entry {
            key: key
                .into_iter()
                .zip(self.fields.iter())
                .map(|(value, f)| KeyPart {
                    value,
                    desc: f.desc,
                })
                .collect(),
            id,
        }
    }

    /// Two specs describe the same index (same key pattern and options that matter).
    pub fn same_as(&self, other: &IndexSpec) -> bool {
        self.key == other.key
            && self.unique == other.unique
            && self.sparse == other.sparse
            && self.partial.as_ref().map(|p| &p.0) == other.partial.as_ref().map(|p| &p.0)
            && self.collation == other.collation
            && self.expire_after_seconds == other.expire_after_seconds
    }

    /// The `listIndexes` description.
    pub fn describe(&self) -> Document {
        let mut d = Document::new();
        d.insert("v", 2);
        if let Some(t) = &self.text {
            let mut key = Document::new();
            key.insert("_fts", "text");
            key.insert("_ftsx", 1);
            for f in &self.fields {
                key.insert(f.path.clone(), if f.desc { -1 } else { 1 });
            }
            d.insert("key", key);
            d.insert("name", self.name.clone());
            let mut weights = Document::new();
            for (p, w) in &t.fields {
                weights.insert(p.join("."), *w as i32);
            }
            if let Some(w) = t.wildcard {
                weights.insert("$**", w as i32);
            }
            d.insert("weights", weights);
            d.insert("default_language", t.default_language.clone());
            d.insert("language_override", "language");
            d.insert("textIndexVersion", 3);
        } else {
            d.insert("key", self.key.clone());
            d.insert("name", self.name.clone());
        }
        if self.unique && self.name != "_id_" {
            d.insert("unique", true);
        }
        if self.sparse {
            d.insert("sparse", true);
        }
        if let Some((f, _)) = &self.partial {
            d.insert("partialFilterExpression", f.clone());
        }
        if let Some(seconds) = self.expire_after_seconds {
            d.insert("expireAfterSeconds", seconds as i32);
        }
        if let Some(c) = &self.collation {
            d.insert("collation", c.spec());
        }
        d
    }
}

/// The index specification as the server quotes it in errors: key, name, then the options.
fn spec_shown(key: &Document, name: &str, options: &Document) -> Document {
    let mut spec = bson::doc! {"key": key.clone(), "name": name};
    for (k, v) in options {
        if k != "name" {
            spec.insert(k.clone(), v.clone());
        }
    }
    spec
}

/// Checks a TTL index's `expireAfterSeconds` as the server does (`index_key_validate.cpp`:
/// `validateIndexSpecTTL`, manual: "TTL Indexes"), returning the seconds.
fn ttl_seconds(key: &Document, name: &str, options: &Document, value: &Bson) -> Result<i64> {
    let spec = spec_shown(key, name, options);
    if key.len() == 1 && key.contains_key("_id") {
        let mut with_v = spec;
        with_v.insert("v", 2);
        return Err(MongoError::new(
            197,
            "InvalidIndexSpecificationOption",
            format!(
                "The field 'expireAfterSeconds' is not valid for an _id index specification. Specification: {}",
                crate::value::shell_doc(&with_v)
            ),
        ));
    }
    let shown = crate::value::shell_doc(&spec);
    let invalid = |why: String| {
        MongoError::new(
            67,
            "CannotCreateIndex",
            format!(". Index spec: {shown} :: caused by :: {why}"),
        )
    };
    let seconds = match as_num(value) {
        None => {
            return Err(invalid(format!(
                "TTL index 'expireAfterSeconds' option must be numeric, but received a type of '{}",
                crate::value::type_name(value)
            )))
        }
        Some(crate::value::Num::Float(f)) if f.is_nan() => {
            return Err(invalid(
                "TTL index 'expireAfterSeconds' option must not be NaN".into(),
            ))
        }
        Some(crate::value::Num::Int(i)) => i,
        Some(crate::value::Num::Float(f)) => {
            f.trunc().clamp(i64::MIN as f64, i64::MAX as f64) as i64
        }
    };
    if i32::try_from(seconds).is_err() {
        return Err(invalid(
            "TTL index 'expireAfterSeconds' must be within the range of a 32-bit integer".into(),
        ));
    }
    if seconds < 0 {
        return Err(invalid(
            "TTL index 'expireAfterSeconds' option cannot be less than 0".into(),
        ));
    }
    if key.len() != 1 {
        return Err(MongoError::new(
            67,
            "CannotCreateIndex",
            format!(
                "TTL indexes are single-field indexes, compound indexes do not support TTL. Index spec: {shown}"
            ),
        ));
    }
    Ok(seconds)
}

impl Index {
    pub fn new(spec: IndexSpec) -> Self {
        Index {
            spec,
            entries: BTreeSet::new(),
            multikey: false,
            postings: BTreeMap::new(),
        }
    }

    /// The index entries a document would add.
    pub fn entries_for(&self, doc: &Document, id: u64) -> (Vec<Entry>, bool) {
        if self.spec.text.is_some() || !self.spec.covers(doc) {
            return (Vec::new(), false);
        }
        let (keys, multikey) = self.spec.keys(doc);
        (
            keys.into_iter().map(|k| self.spec.entry(k, id)).collect(),
            multikey,
        )
    }

    /// The E11000 error if a unique index already holds one of the document's keys for another
    /// record.
    pub fn check_unique(&self, doc: &Document, id: u64, ns: &str) -> Result<()> {
        if !self.spec.unique {
            return Ok(());
        }
        let (entries, _) = self.entries_for(doc, id);
        for e in entries {
            let lo = Entry {
                key: e.key.clone(),
                id: 0,
            };
            let hi = Entry {
                key: e.key.clone(),
                id: u64::MAX,
            };
            if self.entries.range(lo..=hi).any(|other| other.id != id) {
                return Err(self.duplicate(&e, ns));
            }
        }
        Ok(())
    }

    /// The E11000 error for an entry, worded as `buildDupKeyErrorStatus` does: a collated
    /// index names its collation, and its string keys (sort keys, not the strings) show in hex.
    pub fn duplicate(&self, e: &Entry, ns: &str) -> MongoError {
        let mut dup = Document::new();
        for (f, part) in self.spec.fields.iter().zip(e.key.iter()) {
            let value = match (&part.value, &self.spec.collation) {
                (Bson::String(key), Some(_)) => {
                    let mut hex = String::from("0x");
                    for b in key.as_bytes() {
                        hex.push_str(&format!("{b:02x}"));
                    }
                    Bson::String(hex)
                }
                (v, _) => v.clone(),
            };
            dup.insert(f.path.clone(), value);
        }
        let collation = match &self.spec.collation {
            Some(c) => format!(" collation: {}", crate::value::shell_doc(&c.spec())),
            None => String::new(),
        };
        MongoError::duplicate_key(format!(
            "E11000 duplicate key error collection: {ns} index: {}{collation} dup key: {}",
            self.spec.name,
            crate::value::shell_doc(&dup)
        ))
    }

    pub fn insert(&mut self, doc: &Document, id: u64) {
        if let Some(t) = &self.spec.text {
            if !self.spec.covers(doc) {
                return;
            }
            for (term, score) in t.term_scores(doc) {
                self.postings.entry(term).or_default().insert(id, score);
            }
            return;
        }
        let (entries, multikey) = self.entries_for(doc, id);
        self.multikey |= multikey;
        self.entries.extend(entries);
    }

    pub fn remove(&mut self, doc: &Document, id: u64) {
        if let Some(t) = &self.spec.text {
            for (term, _) in t.term_scores(doc) {
                if let Some(p) = self.postings.get_mut(&term) {
                    p.remove(&id);
                    if p.is_empty() {
                        self.postings.remove(&term);
                    }
                }
            }
            return;
        }
        let (entries, _) = self.entries_for(doc, id);
        for e in entries {
            self.entries.remove(&e);
        }
    }

    /// Number of keys the index holds.
    pub fn len(&self) -> usize {
        if self.spec.text.is_some() {
            self.postings.values().map(BTreeMap::len).sum()
        } else {
            self.entries.len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
