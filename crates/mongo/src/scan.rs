//! Collection scans answered from columns.
//!
//! A filter is compiled against a collection into a tree of [`Node`]s whose leaves read
//! dictionary-coded columns ([`crate::column`]). A leaf tests a condition once per *distinct*
//! value, on first meeting it, with the same code a document match uses
//! ([`field_matches_leaf`]), so the answers are the same by construction; a row then costs a
//! table lookup. `$elemMatch` on arrays of documents reads columns over the array elements.
//!
//! Evaluation is three-valued: where a column cannot answer (an array on the way to a path,
//! `$expr`, `$text`), a row is [`Tri::Unknown`] and the caller matches the document itself.

use std::rc::Rc;

use bson::Bson;

use crate::collection::Collection;
use crate::column::{Column, Elements, Slot};
use crate::query::{
    field_matches_leaf, scalar_matches, Cond, ElemMatch, Filter, InItem, MatchDetails,
};

/// A row's answer: matches, does not, or the document must be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    No,
    Yes,
    Unknown,
}

/// A verdict not computed yet.
const UNSET: u8 = 3;

/// From this many distinct arrays at a path on, conditions on it are tested element by element.
const MANY_ARRAYS: usize = 64;

/// A compiled filter.
#[derive(Debug)]
pub enum Node<'f> {
    True,
    /// Only the document can tell.
    Unknown,
    And(Vec<Node<'f>>),
    Or(Vec<Node<'f>>),
    Nor(Vec<Node<'f>>),
    /// A condition on one path, with a verdict per distinct slot of its column.
    Leaf {
        column: Rc<Column>,
        cond: &'f Cond,
        verdicts: Memo,
    },
    /// A condition that a whole array never meets, on a path whose arrays rarely repeat: an
    /// array matches when one of its elements does, and each distinct element is tested once.
    AnyElement {
        column: Rc<Column>,
        elements: Rc<Elements>,
        values: Rc<Column>,
        cond: &'f Cond,
        /// Per distinct slot of `column` that is not an array.
        verdicts: Memo,
        /// Per distinct element.
        element_verdicts: Memo,
    },
    /// `{path: {$elemMatch: {...}}}` answered element by element from columns over the
    /// elements of the arrays at the path.
    ElemMatch {
        column: Rc<Column>,
        elements: Rc<Elements>,
        cond: &'f Cond,
        filter: &'f Filter,
        inner: Box<Node<'f>>,
        /// Per distinct slot of `column` that is not an array.
        verdicts: Memo,
    },
}

/// Where a node reads its columns: the documents, or the elements of the arrays at a path.
#[derive(Clone, Copy)]
enum Table<'a> {
    Documents(&'a Collection),
    Elements(&'a Collection, &'a str),
}

impl Table<'_> {
    fn column(&self, path: &str) -> Rc<Column> {
        match self {
            Table::Documents(c) => c.column(path),
            Table::Elements(c, array) => c.element_column(array, path),
        }
    }
}

/// Compiles a filter against a collection's columns.
pub fn compile<'f>(filter: &'f Filter, coll: &Collection) -> Node<'f> {
    compile_in(filter, Table::Documents(coll))
}

fn compile_in<'f>(filter: &'f Filter, table: Table<'_>) -> Node<'f> {
    let all = |parts: &'f [Filter]| parts.iter().map(|p| compile_in(p, table)).collect();
    match filter {
        Filter::True => Node::True,
        Filter::And(parts) => Node::And(all(parts)),
        Filter::Or(parts) => Node::Or(all(parts)),
        Filter::Nor(parts) => Node::Nor(all(parts)),
        Filter::Field { path, cond, .. } => {
            let column = table.column(path);
            let verdicts = Memo::new(column.slots().len());
            if let Table::Documents(coll) = table {
                // A few distinct arrays are cheapest tested whole, once each; many are cheaper
                // taken apart, as their elements repeat.
                let varied = column
                    .slots()
                    .iter()
                    .filter(|s| matches!(s, Slot::Value(Bson::Array(_))))
                    .nth(MANY_ARRAYS)
                    .is_some();
                if varied && whole_array_never_matches(cond) {
                    let values = coll.element_values(path);
                    return Node::AnyElement {
                        elements: coll.elements(path),
                        element_verdicts: Memo::new(values.slots().len()),
                        values,
                        column,
                        cond,
                        verdicts,
                    };
                }
                if let Cond::ElemMatch(em) = cond {
                    if let (ElemMatch::Doc(inner), true) = (&**em, varied) {
                        return Node::ElemMatch {
                            elements: coll.elements(path),
                            inner: Box::new(compile_in(inner, Table::Elements(coll, path))),
                            column,
                            cond,
                            filter: inner,
                            verdicts,
                        };
                    }
                }
            }
            Node::Leaf {
                column,
                cond,
                verdicts,
            }
        }
        Filter::Expr(_) | Filter::Text(_) | Filter::Schema(_) => Node::Unknown,
    }
}

impl Node<'_> {
    /// Whether no row can be answered without its document.
    pub fn is_unknown(&self) -> bool {
        match self {
            Node::Unknown => true,
            Node::And(parts) | Node::Or(parts) | Node::Nor(parts) => {
                !parts.is_empty() && parts.iter().all(Node::is_unknown)
            }
            _ => false,
        }
    }

    /// The answer for one row of the table the node was compiled against.
    pub fn eval(&mut self, row: usize) -> Tri {
        match self {
            Node::True => Tri::Yes,
            Node::Unknown => Tri::Unknown,
            Node::And(parts) => combine(parts, row, Tri::No),
            Node::Or(parts) => combine(parts, row, Tri::Yes),
            Node::Nor(parts) => match combine(parts, row, Tri::Yes) {
                Tri::Yes => Tri::No,
                Tri::No => Tri::Yes,
                Tri::Unknown => Tri::Unknown,
            },
            Node::Leaf {
                column,
                cond,
                verdicts,
            } => {
                let code = column.code(row) as usize;
                verdicts.get(code, || verdict(column.slots().get(code), cond))
            }
            Node::AnyElement {
                column,
                elements,
                values,
                cond,
                verdicts,
                element_verdicts,
            } => {
                let code = column.code(row) as usize;
                match column.slots().get(code) {
                    Some(Slot::Value(Bson::Array(_))) => {
                        for e in elements.range(row) {
                            let code = values.code(e) as usize;
                            let t = element_verdicts.get(code, || match values.slots().get(code) {
                                Some(Slot::Value(x)) => u8::from(scalar_matches(cond, Some(x))),
                                _ => 2,
                            });
                            if t != Tri::No {
                                return t;
                            }
                        }
                        Tri::No
                    }
                    slot => verdicts.get(code, || verdict(slot, cond)),
                }
            }
            Node::ElemMatch {
                column,
                elements,
                cond,
                filter,
                inner,
                verdicts,
            } => {
                let code = column.code(row) as usize;
                let items = match column.slots().get(code) {
                    Some(Slot::Value(Bson::Array(items))) => items,
                    slot => return verdicts.get(code, || verdict(slot, cond)),
                };
                let range = elements.range(row);
                let start = range.start;
                for e in range {
                    if !elements.is_doc(e) {
                        continue;
                    }
                    let found = match inner.eval(e) {
                        Tri::Yes => true,
                        Tri::No => false,
                        Tri::Unknown => match items.get(e - start) {
                            Some(Bson::Document(d)) => {
                                filter.matches(d, &mut MatchDetails::default())
                            }
                            _ => false,
                        },
                    };
                    if found {
                        return Tri::Yes;
                    }
                }
                Tri::No
            }
        }
    }
}

/// `$and` (`decisive` = no) or `$or` (`decisive` = yes) over three-valued answers.
fn combine(parts: &mut [Node<'_>], row: usize, decisive: Tri) -> Tri {
    let mut out = if decisive == Tri::Yes {
        Tri::No
    } else {
        Tri::Yes
    };
    for p in parts {
        match p.eval(row) {
            Tri::Unknown => out = Tri::Unknown,
            t if t == decisive => return t,
            _ => {}
        }
    }
    out
}

/// Verdicts per distinct value of a column (0 no, 1 yes, 2 read the document), each computed
/// the first time a row has the value.
#[derive(Debug)]
pub struct Memo(Vec<u8>);

impl Memo {
    fn new(len: usize) -> Self {
        Memo(vec![UNSET; len])
    }

    #[inline]
    fn get(&mut self, code: usize, compute: impl FnOnce() -> u8) -> Tri {
        match self.0.get_mut(code) {
            Some(v) => {
                if *v == UNSET {
                    *v = compute();
                }
                tri(*v)
            }
            None => Tri::Unknown,
        }
    }
}

/// Whether a condition can only be met by an array's elements, never by the array as a whole:
/// equality, comparison, `$in` and regular expressions with operands that are not arrays (nor
/// null, MinKey or MaxKey, which compare across types). A leaf array is then matched exactly
/// when one of its elements is (see [`crate::query::leaf_matches`]).
fn whole_array_never_matches(cond: &Cond) -> bool {
    fn plain(v: &Bson) -> bool {
        !matches!(
            v,
            Bson::Array(_) | Bson::Null | Bson::Undefined | Bson::MinKey | Bson::MaxKey
        )
    }
    match cond {
        Cond::Eq(v) | Cond::Cmp(_, v) => plain(v),
        Cond::In(items) => items.iter().all(|i| match i {
            InItem::Value(v) => plain(v),
            InItem::Regex(_) => true,
        }),
        Cond::Regex(_) => true,
        Cond::Collated(c) => whole_array_never_matches(&c.cond),
        _ => false,
    }
}

/// A condition's verdict on one distinct slot: 0 no, 1 yes, 2 read the document.
fn verdict(slot: Option<&Slot>, cond: &Cond) -> u8 {
    let mut details = MatchDetails::default();
    match slot {
        Some(Slot::Missing) | None => u8::from(field_matches_leaf(None, cond, &mut details)),
        Some(Slot::Value(v)) => u8::from(field_matches_leaf(Some(v), cond, &mut details)),
        Some(Slot::Complex) => 2,
    }
}

fn tri(v: u8) -> Tri {
    match v {
        0 => Tri::No,
        1 => Tri::Yes,
        _ => Tri::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{parse_filter, ParseCtx};
    use bson::{doc, Document};

    /// Every row's answer from columns agrees with matching the document, wherever the
    /// columns give one.
    fn collection(docs: &[Document]) -> Collection {
        let mut coll = Collection::new("db", "c");
        for (i, d) in docs.iter().enumerate() {
            let mut d = d.clone();
            d.insert("_id", i as i32);
            coll.insert(d).unwrap();
        }
        coll
    }

    fn agree(docs: &[Document], filter: Document) -> Vec<Tri> {
        let coll = collection(docs);
        let f = parse_filter(&filter, &mut ParseCtx::new(None)).unwrap();
        let mut node = compile(&f, &coll);
        (0..coll.rows())
            .map(|row| {
                let t = node.eval(row);
                let doc = coll.row(row).unwrap();
                let want = f.matches(doc, &mut MatchDetails::default());
                if t != Tri::Unknown {
                    assert_eq!(t == Tri::Yes, want, "row {row}: {doc} against {filter}");
                }
                t
            })
            .collect()
    }

    fn docs() -> Vec<Document> {
        vec![
            doc! {"a": 1, "o": [{"s": "x", "q": 5}, {"s": "y", "q": 1}]},
            doc! {"a": 1.0, "o": [{"s": "y", "q": 5}, 7]},
            doc! {"a": [1, 2], "o": []},
            doc! {"a": null, "o": "text"},
            doc! {"b": {"c": 3}},
            doc! {"b": [{"c": 3}], "o": [{"s": ["x"], "q": 9}]},
            doc! {"a": "1", "o": [{"s": "x", "q": 4}]},
        ]
    }

    #[test]
    fn leaves_agree_with_document_matching() {
        for filter in [
            doc! {"a": 1},
            doc! {"a": null},
            doc! {"a": {"$exists": false}},
            doc! {"a": {"$gte": 1}},
            doc! {"a": {"$in": [2, "1"]}},
            doc! {"a": {"$not": {"$eq": 1}}},
            doc! {"a": {"$size": 2}},
            doc! {"a": {"$type": "array"}},
            doc! {"b.c": 3},
            doc! {"$or": [{"a": 2}, {"b.c": {"$gt": 2}}]},
            doc! {"$nor": [{"a": 1}, {"b.c": 3}]},
            doc! {"$and": [{"a": {"$ne": null}}, {"o": {"$size": 1}}]},
        ] {
            agree(&docs(), filter);
        }
    }

    #[test]
    fn an_array_on_the_way_asks_for_the_document() {
        let t = agree(&docs(), doc! {"b.c": 3});
        assert_eq!(t[4], Tri::Yes);
        assert_eq!(t[5], Tri::Unknown);
    }

    #[test]
    fn elem_match_reads_element_columns() {
        let filter = doc! {"o": {"$elemMatch": {"s": "x", "q": {"$gte": 4}}}};
        let f = parse_filter(&filter, &mut ParseCtx::new(None)).unwrap();
        // Enough distinct arrays for the element-by-element plan.
        let mut many = docs();
        many.extend((0..MANY_ARRAYS as i32).map(|i| doc! {"o": [{"s": format!("f{i}"), "q": i}]}));
        let coll = collection(&many);
        assert!(matches!(compile(&f, &coll), Node::ElemMatch { .. }));
        assert!(matches!(
            compile(&f, &collection(&docs())),
            Node::Leaf { .. }
        ));
        let t = agree(&many, filter);
        // Row 5's element has an array at `s`: read from the element itself, and it matches.
        assert_eq!(
            t[..7],
            [
                Tri::Yes,
                Tri::No,
                Tri::No,
                Tri::No,
                Tri::No,
                Tri::Yes,
                Tri::Yes
            ]
        );
        assert!(t[7..].iter().all(|t| *t == Tri::No));
        agree(
            &many,
            doc! {"o": {"$elemMatch": {"$or": [{"q": 1}, {"s": "zz"}]}}},
        );
        agree(&many, doc! {"o": {"$elemMatch": {"s": {"$exists": false}}}});
    }

    #[test]
    fn varied_arrays_are_matched_element_by_element() {
        let docs: Vec<Document> = (0..400)
            .map(|i| match i % 5 {
                0 => doc! {"t": [i, i + 1, "s"]},
                1 => doc! {"t": i},
                2 => doc! {"t": [[i], {"x": i}]},
                3 => doc! {},
                _ => doc! {"t": [format!("v{i}"), null]},
            })
            .collect();
        for filter in [
            doc! {"t": 6},
            doc! {"t": "s"},
            doc! {"t": {"$gt": 30}},
            doc! {"t": {"$in": ["v9", 11, {"x": 12}]}},
            doc! {"t": {"$regex": "^v1"}},
            doc! {"t": {"x": 22}},
        ] {
            let f = parse_filter(&filter, &mut ParseCtx::new(None)).unwrap();
            let coll = collection(&docs);
            assert!(
                matches!(compile(&f, &coll), Node::AnyElement { .. }),
                "{filter}"
            );
            let t = agree(&docs, filter.clone());
            assert!(t.iter().all(|t| *t != Tri::Unknown), "{filter}");
            assert!(t.contains(&Tri::Yes), "{filter}");
        }
        // Conditions an array can meet as a whole keep testing each distinct value.
        for filter in [
            doc! {"t": [7, 8, "s"]},
            doc! {"t": null},
            doc! {"t": {"$size": 3}},
        ] {
            let f = parse_filter(&filter, &mut ParseCtx::new(None)).unwrap();
            assert!(matches!(compile(&f, &collection(&docs)), Node::Leaf { .. }));
            agree(&docs, filter);
        }
    }

    /// Mixed generated documents (scalars of every common type, nested documents, arrays of
    /// scalars, of documents and of arrays, nulls and missing fields) against many filters:
    /// wherever the columns answer, they answer as matching the document does.
    #[test]
    fn generated_documents_agree_with_document_matching() {
        let mut seed = 0x2545_f491_u64;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let scalar = |next: &mut dyn FnMut(u64) -> u64| -> Bson {
            match next(8) {
                0 => Bson::Int32(next(10) as i32),
                1 => Bson::Double(next(10) as f64 / 2.0),
                2 => Bson::String(format!("s{}", next(6))),
                3 => Bson::Null,
                4 => Bson::Boolean(next(2) == 1),
                5 => Bson::Int64(next(10) as i64),
                6 => Bson::Document(doc! {"k": next(5) as i32}),
                _ => Bson::Array(vec![Bson::Int32(next(10) as i32)]),
            }
        };
        let docs: Vec<Document> = (0..600)
            .map(|_| {
                let mut d = Document::new();
                if next(5) > 0 {
                    let v = match next(3) {
                        0 => scalar(&mut next),
                        _ => Bson::Array((0..next(4)).map(|_| scalar(&mut next)).collect()),
                    };
                    d.insert("a", v);
                }
                if next(5) > 0 {
                    let items: Vec<Bson> = (0..next(4))
                        .map(|_| match next(6) {
                            0 => scalar(&mut next),
                            1 => Bson::Document(
                                doc! {"s": [scalar(&mut next)], "q": scalar(&mut next)},
                            ),
                            _ => Bson::Document(doc! {"s": scalar(&mut next), "q": next(8) as i32}),
                        })
                        .collect();
                    d.insert("o", items);
                }
                if next(3) > 0 {
                    d.insert("b", doc! {"c": scalar(&mut next)});
                }
                d
            })
            .collect();
        let filters = [
            doc! {"a": 3},
            doc! {"a": "s2"},
            doc! {"a": null},
            doc! {"a": {"k": 1}},
            doc! {"a": [4]},
            doc! {"a": {"$gt": 4}},
            doc! {"a": {"$lte": "s3"}},
            doc! {"a": {"$in": [1, "s1", null]}},
            doc! {"a": {"$in": [2.5, true, {"k": 2}]}},
            doc! {"a": {"$nin": [1, 2]}},
            doc! {"a": {"$ne": 3}},
            doc! {"a": {"$regex": "^s[12]"}},
            doc! {"a": {"$exists": true}},
            doc! {"a": {"$size": 2}},
            doc! {"a": {"$type": "number"}},
            doc! {"a": {"$all": [1, 2]}},
            doc! {"a": {"$elemMatch": {"$gt": 2, "$lt": 6}}},
            doc! {"a.k": 2},
            doc! {"a.0": 3},
            doc! {"o": {"$elemMatch": {"s": "s1", "q": {"$gte": 3}}}},
            doc! {"o": {"$elemMatch": {"s": {"$exists": false}}}},
            doc! {"o": {"$elemMatch": {"$or": [{"q": null}, {"s": {"$in": [1, 2]}}]}}},
            doc! {"o": {"$elemMatch": {"q": {"$not": {"$gt": 3}}}}},
            // `s.k` crosses the array at `s`: those elements are matched whole.
            doc! {"o": {"$elemMatch": {"s.k": {"$gte": 2}}}},
            doc! {"o": {"$elemMatch": {"s.k": 1, "q": {"$lt": 4}}}},
            doc! {"o.q": {"$gt": 5}},
            doc! {"o": 4},
            doc! {"o": {"$gte": 5}},
            doc! {"b.c": {"$in": ["s0", 0]}},
            doc! {"$or": [{"a": 1}, {"o.s": "s3"}, {"b.c": true}]},
            doc! {"$nor": [{"a": {"$gt": 2}}, {"b.c": null}]},
            doc! {"$and": [{"a": {"$ne": null}}, {"o": {"$size": 1}}]},
        ];
        let coll = collection(&docs);
        let mut kinds = std::collections::BTreeSet::new();
        for filter in filters {
            let f = parse_filter(&filter, &mut ParseCtx::new(None)).unwrap();
            let node = compile(&f, &coll);
            kinds.insert(match node {
                Node::AnyElement { .. } => "any element",
                Node::ElemMatch { .. } => "elemMatch",
                Node::Leaf { .. } => "leaf",
                _ => "other",
            });
            agree(&docs, filter);
        }
        assert_eq!(kinds.len(), 4, "{kinds:?}");
    }

    #[test]
    fn expr_and_text_are_left_to_the_document() {
        let f = parse_filter(
            &doc! {"$expr": {"$eq": ["$a", 1]}},
            &mut ParseCtx::new(None),
        )
        .unwrap();
        let coll = Collection::new("db", "c");
        assert!(compile(&f, &coll).is_unknown());
    }
}
