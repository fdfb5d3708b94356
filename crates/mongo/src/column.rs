//! Columns: the value one dotted path reaches in every row of a table, dictionary-coded.
//!
//! A collection scan that reads a column instead of the documents tests each *distinct* value
//! once (see [`crate::scan`]): a row then costs one table lookup. Rows are the documents of a
//! collection, or the elements of the arrays at one path (for `$elemMatch`).
//!
//! Columns are built on first use and thrown away by any write to the collection.

use std::hash::{Hash, Hasher};

use bson::{Bson, Document};

/// What a path reaches in one row: nothing, one value reached through embedded documents
/// alone, or `Complex` when an array lies on the way (the row must then be read whole).
#[derive(Debug, Clone)]
pub enum Slot {
    Missing,
    Value(Bson),
    Complex,
}

/// The slots of one path over the rows of a table: each row holds the code of its slot, and
/// each distinct slot is kept once. Code 0 is always [`Slot::Missing`].
#[derive(Debug, Clone)]
pub struct Column {
    codes: Vec<u32>,
    slots: Vec<Slot>,
    complex: bool,
    /// How many of the distinct values are arrays.
    arrays: usize,
}

const MISSING: Slot = Slot::Missing;

impl Column {
    /// The column of `parts` over `rows` (`None`: a row with no document, such as a deleted
    /// record or an array element that is not a document, reads as missing).
    pub fn build<'a>(rows: impl Iterator<Item = Option<&'a Document>>, parts: &[String]) -> Self {
        Self::collect(rows.map(|doc| match doc {
            Some(d) => locate(d, parts),
            None => Located::Missing,
        }))
    }

    /// The column of the values themselves (`None`: missing).
    pub fn of_values<'a>(values: impl Iterator<Item = Option<&'a Bson>>) -> Self {
        Self::collect(values.map(|v| v.map_or(Located::Missing, Located::Value)))
    }

    fn collect<'a>(rows: impl Iterator<Item = Located<'a>>) -> Self {
        let mut codes = Vec::with_capacity(rows.size_hint().0);
        let mut slots = vec![Slot::Missing];
        let mut seen: foldhash::HashMap<Key<'a>, u32> = foldhash::HashMap::default();
        let mut complex = None;
        let mut arrays = 0;
        for located in rows {
            let code = match located {
                Located::Missing => 0,
                Located::Complex => *complex.get_or_insert_with(|| {
                    slots.push(Slot::Complex);
                    (slots.len() - 1) as u32
                }),
                Located::Value(v) => *seen.entry(Key(v)).or_insert_with(|| {
                    arrays += usize::from(matches!(v, Bson::Array(_)));
                    slots.push(Slot::Value(v.clone()));
                    (slots.len() - 1) as u32
                }),
            };
            codes.push(code);
        }
        Column {
            codes,
            slots,
            complex: complex.is_some(),
            arrays,
        }
    }

    /// The slot of a row (missing past the last row).
    #[inline]
    pub fn slot(&self, row: usize) -> &Slot {
        &self.slots[self.code(row) as usize]
    }

    /// The code of a row's slot: its position in [`Column::slots`].
    #[inline]
    pub fn code(&self, row: usize) -> u32 {
        self.codes.get(row).copied().unwrap_or(0)
    }

    /// The distinct slots, by code.
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// Whether some row has an array on the way to the path.
    pub fn has_complex(&self) -> bool {
        self.complex
    }

    /// How many distinct values are arrays (counted once, when the column is built).
    pub fn distinct_arrays(&self) -> usize {
        self.arrays
    }

    /// The code of every row.
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }
}

impl Default for Column {
    fn default() -> Self {
        Column {
            codes: Vec::new(),
            slots: vec![MISSING],
            complex: false,
            arrays: 0,
        }
    }
}

/// The elements of the arrays one path reaches: a table whose rows are array elements, so that
/// `$elemMatch` can read columns of its own. Row `r` of the parent table owns the elements
/// `offsets[r]..offsets[r + 1]`; a parent row whose value at the path is not an array owns none.
#[derive(Debug, Clone, Default)]
pub struct Elements {
    offsets: Vec<u32>,
    /// Per element: whether it is a document (only documents can match the filter form).
    is_doc: Vec<bool>,
}

impl Elements {
    /// The elements of the arrays that `column` holds, over the parent rows.
    pub fn build(column: &Column) -> Self {
        let mut offsets = Vec::with_capacity(column.codes.len() + 1);
        let mut is_doc = Vec::new();
        offsets.push(0);
        for row in 0..column.codes.len() {
            if let Slot::Value(Bson::Array(items)) = column.slot(row) {
                is_doc.extend(items.iter().map(|i| matches!(i, Bson::Document(_))));
            }
            offsets.push(is_doc.len() as u32);
        }
        Elements { offsets, is_doc }
    }

    /// The elements of a parent row.
    #[inline]
    pub fn range(&self, row: usize) -> std::ops::Range<usize> {
        match (self.offsets.get(row), self.offsets.get(row + 1)) {
            (Some(a), Some(b)) => *a as usize..*b as usize,
            _ => 0..0,
        }
    }

    #[inline]
    pub fn is_doc(&self, element: usize) -> bool {
        self.is_doc.get(element).copied().unwrap_or(false)
    }

    /// Every element, in element order, given the column the elements came from.
    pub fn values(column: &Column) -> impl Iterator<Item = &Bson> {
        (0..column.codes.len()).flat_map(move |row| {
            let items: &[Bson] = match column.slot(row) {
                Slot::Value(Bson::Array(items)) => items,
                _ => &[],
            };
            items.iter()
        })
    }

    /// Every element as a document row (`None` for an element that is not a document).
    pub fn rows(column: &Column) -> impl Iterator<Item = Option<&Document>> {
        Self::values(column).map(|i| match i {
            Bson::Document(d) => Some(d),
            _ => None,
        })
    }
}

enum Located<'a> {
    Missing,
    Value(&'a Bson),
    Complex,
}

/// The value a path reaches through embedded documents alone.
fn locate<'a>(doc: &'a Document, parts: &[String]) -> Located<'a> {
    let Some((first, rest)) = parts.split_first() else {
        return Located::Missing;
    };
    let mut current = match crate::path::field(doc, first) {
        Some(v) => v,
        None => return Located::Missing,
    };
    for part in rest {
        current = match current {
            Bson::Document(d) => match crate::path::field(d, part) {
                Some(v) => v,
                None => return Located::Missing,
            },
            Bson::Array(_) => return Located::Complex,
            _ => return Located::Missing,
        };
    }
    Located::Value(current)
}

/// A value as a dictionary key: equal when the values are identical (same types, same bits),
/// which is stricter than MongoDB's equality and so never merges values a condition could tell
/// apart.
struct Key<'a>(&'a Bson);

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        identical(self.0, other.0)
    }
}

impl Eq for Key<'_> {}

impl Hash for Key<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_value(self.0, state);
    }
}

fn identical(a: &Bson, b: &Bson) -> bool {
    match (a, b) {
        (Bson::Double(x), Bson::Double(y)) => x.to_bits() == y.to_bits(),
        (Bson::Array(x), Bson::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| identical(p, q))
        }
        (Bson::Document(x), Bson::Document(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && identical(v1, v2))
        }
        _ => std::mem::discriminant(a) == std::mem::discriminant(b) && a == b,
    }
}

fn hash_value<H: Hasher>(v: &Bson, state: &mut H) {
    std::mem::discriminant(v).hash(state);
    match v {
        Bson::Double(x) => x.to_bits().hash(state),
        Bson::String(s) | Bson::Symbol(s) | Bson::JavaScriptCode(s) => s.hash(state),
        Bson::Boolean(b) => b.hash(state),
        Bson::Int32(i) => i.hash(state),
        Bson::Int64(i) => i.hash(state),
        Bson::DateTime(d) => d.timestamp_millis().hash(state),
        Bson::ObjectId(o) => o.bytes().hash(state),
        Bson::Decimal128(d) => d.bytes().hash(state),
        Bson::Binary(b) => b.bytes.hash(state),
        Bson::RegularExpression(r) => {
            r.pattern.as_str().hash(state);
            r.options.as_str().hash(state);
        }
        Bson::Timestamp(t) => (t.time, t.increment).hash(state),
        Bson::Array(items) => {
            items.len().hash(state);
            items.iter().for_each(|i| hash_value(i, state));
        }
        Bson::Document(d) => {
            d.len().hash(state);
            for (k, x) in d {
                k.hash(state);
                hash_value(x, state);
            }
        }
        // The rest hash by type alone; equality still tells them apart.
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::doc;

    fn split(p: &str) -> Vec<String> {
        crate::path::split(p)
    }

    #[test]
    fn distinct_values_are_kept_once_and_types_are_not_merged() {
        let docs = [
            doc! {"a": {"b": 1}},
            doc! {"a": {"b": 1.0}},
            doc! {"a": {"b": 1}},
            doc! {"a": [{"b": 1}]},
            doc! {"x": 1},
            doc! {"a": {"b": [1, 2]}},
            doc! {"a": {"b": [1, 2]}},
        ];
        let col = Column::build(docs.iter().map(Some), &split("a.b"));
        // Missing, 1, 1.0, Complex, [1, 2].
        assert_eq!(col.slots().len(), 5);
        assert_eq!(col.code(0), col.code(2));
        assert_ne!(col.code(0), col.code(1));
        assert!(matches!(col.slot(3), Slot::Complex));
        assert!(matches!(col.slot(4), Slot::Missing));
        assert_eq!(col.code(5), col.code(6));
        assert!(col.has_complex());
        assert!(matches!(col.slot(99), Slot::Missing));
    }

    #[test]
    fn nan_is_one_entry_and_zero_signs_are_two() {
        let docs = [
            doc! {"a": f64::NAN},
            doc! {"a": f64::NAN},
            doc! {"a": 0.0},
            doc! {"a": -0.0},
        ];
        let col = Column::build(docs.iter().map(Some), &split("a"));
        assert_eq!(col.code(0), col.code(1));
        assert_ne!(col.code(2), col.code(3));
    }

    #[test]
    fn elements_follow_their_parent_rows() {
        let docs = [
            doc! {"o": [{"s": "x"}, 3, {"s": "y"}]},
            doc! {"o": "scalar"},
            doc! {},
            doc! {"o": [{"s": "x"}]},
        ];
        let col = Column::build(docs.iter().map(Some), &split("o"));
        let els = Elements::build(&col);
        assert_eq!(els.range(0), 0..3);
        assert_eq!(els.range(1), 3..3);
        assert_eq!(els.range(2), 3..3);
        assert_eq!(els.range(3), 3..4);
        assert!(els.is_doc(0) && !els.is_doc(1) && els.is_doc(2));
        let sub = Column::build(Elements::rows(&col), &split("s"));
        assert_eq!(sub.codes().len(), 4);
        assert_eq!(sub.code(0), sub.code(3));
        assert_eq!(sub.code(1), 0);
        let values = Column::of_values(Elements::values(&col).map(Some));
        assert_eq!(values.slots().len(), 1 + 3);
        assert_eq!(values.code(0), values.code(3));
    }
}
