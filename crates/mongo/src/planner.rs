//! The query planner and executor: picks an index for a filter (and sort) as MongoDB would in
//! the common cases, runs the plan counting keys and documents examined, and describes it in
//! `explain`'s shape (IXSCAN, FETCH, SORT, COLLSCAN, TEXT stages).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::ops::Bound;

use bson::{Bson, Document};

use crate::collection::Collection;
use crate::index::{Entry, Index, KeyPart};
use crate::query::{CmpOp, Cond, ElemMatch, Filter, InItem, MatchDetails};
use crate::scan::Tri;
use crate::sort::{SortDir, SortSpec};
use crate::value::{compare, format_double, shell, type_rank};

/// An interval of one index field, in value order.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    pub lo: Bson,
    pub lo_incl: bool,
    pub hi: Bson,
    pub hi_incl: bool,
}

impl Interval {
    fn full() -> Self {
        Interval {
            lo: Bson::MinKey,
            lo_incl: true,
            hi: Bson::MaxKey,
            hi_incl: true,
        }
    }

    fn point(v: Bson) -> Self {
        Interval {
            lo: v.clone(),
            lo_incl: true,
            hi: v,
            hi_incl: true,
        }
    }

    fn is_point(&self) -> bool {
        self.lo_incl && self.hi_incl && compare(&self.lo, &self.hi) == Ordering::Equal
    }

    fn is_full(&self) -> bool {
        matches!(self.lo, Bson::MinKey) && matches!(self.hi, Bson::MaxKey)
    }

    fn contains(&self, v: &Bson) -> bool {
        let lo = compare(v, &self.lo);
        let hi = compare(v, &self.hi);
        (lo == Ordering::Greater || (self.lo_incl && lo == Ordering::Equal))
            && (hi == Ordering::Less || (self.hi_incl && hi == Ordering::Equal))
    }

    fn intersect(&self, other: &Interval) -> Option<Interval> {
        let (lo, lo_incl) = match compare(&self.lo, &other.lo) {
            Ordering::Greater => (self.lo.clone(), self.lo_incl),
            Ordering::Less => (other.lo.clone(), other.lo_incl),
            Ordering::Equal => (self.lo.clone(), self.lo_incl && other.lo_incl),
        };
        let (hi, hi_incl) = match compare(&self.hi, &other.hi) {
            Ordering::Less => (self.hi.clone(), self.hi_incl),
            Ordering::Greater => (other.hi.clone(), other.hi_incl),
            Ordering::Equal => (self.hi.clone(), self.hi_incl && other.hi_incl),
        };
        match compare(&lo, &hi) {
            Ordering::Greater => None,
            Ordering::Equal if !(lo_incl && hi_incl) => None,
            _ => Some(Interval {
                lo,
                lo_incl,
                hi,
                hi_incl,
            }),
        }
    }

    fn show(&self) -> String {
        format!(
            "{}{}, {}{}",
            if self.lo_incl { "[" } else { "(" },
            show_bound(&self.lo),
            show_bound(&self.hi),
            if self.hi_incl { "]" } else { ")" }
        )
    }
}

fn show_bound(v: &Bson) -> String {
    match v {
        Bson::Double(f) if f.is_infinite() => if *f > 0.0 { "inf.0" } else { "-inf.0" }.to_string(),
        Bson::Double(f) => format_double(*f),
        Bson::MinKey => "MinKey".into(),
        Bson::MaxKey => "MaxKey".into(),
        Bson::DateTime(d) => format!("new Date({})", d.timestamp_millis()),
        other => shell(other),
    }
}

/// The smallest and largest values of a value's type bracket, for range bounds; `None` for a
/// type whose bracket is not written here (the index then cannot bound the range).
fn bracket(v: &Bson) -> Option<(Bson, bool, Bson, bool)> {
    Some(match type_rank(v) {
        3 => (
            Bson::Double(f64::NEG_INFINITY),
            true,
            Bson::Double(f64::INFINITY),
            true,
        ),
        4 => (
            Bson::String(String::new()),
            true,
            Bson::Document(Document::new()),
            false,
        ),
        10 => (
            Bson::DateTime(bson::DateTime::MIN),
            true,
            Bson::DateTime(bson::DateTime::MAX),
            true,
        ),
        8 => (
            Bson::ObjectId(bson::oid::ObjectId::from_bytes([0; 12])),
            true,
            Bson::ObjectId(bson::oid::ObjectId::from_bytes([0xff; 12])),
            true,
        ),
        _ if matches!(v, Bson::Boolean(_)) => {
            (Bson::Boolean(false), true, Bson::Boolean(true), true)
        }
        _ => return None,
    })
}

/// Whether a condition compares strings (which a collated index holds as sort keys).
fn compares_strings(cond: &Cond) -> bool {
    match cond {
        Cond::Eq(v) | Cond::Cmp(_, v) => crate::collation::has_strings(v, 0),
        Cond::In(items) => items.iter().any(|i| match i {
            InItem::Value(v) => crate::collation::has_strings(v, 0),
            InItem::Regex(_) => true,
        }),
        Cond::Regex(_) => true,
        _ => false,
    }
}

/// The intervals a condition allows on one index field of an index with `collation`; `None`
/// when it cannot bound the field. Strings are bounded only when the condition's collation is
/// the index's: the planner's rule that an index serves string comparisons of its own collation.
fn cond_intervals(
    cond: &Cond,
    multikey: bool,
    sparse: bool,
    collation: Option<&crate::collation::Collation>,
) -> Option<Vec<Interval>> {
    match cond {
        Cond::Collated(c) => {
            let in_regex = matches!(&c.cond, Cond::In(items) if items.iter().any(|i| matches!(i, InItem::Regex(_))));
            if collation != Some(&*c.collation) || in_regex {
                return None;
            }
            // The operands are sort keys already, as the index's keys are.
            return cond_intervals(&c.cond, multikey, sparse, None);
        }
        c if collation.is_some() && compares_strings(c) => return None,
        _ => {}
    }
    match cond {
        Cond::Eq(v) => match v {
            Bson::Array(_) | Bson::RegularExpression(_) => None,
            Bson::Null if sparse => None,
            Bson::Null => Some(vec![Interval::point(Bson::Null)]),
            other => Some(vec![Interval::point(other.clone())]),
        },
        Cond::In(items) => {
            let mut out = Vec::new();
            for i in items {
                match i {
                    InItem::Value(Bson::Array(_)) => return None,
                    InItem::Value(Bson::Null) if sparse => return None,
                    InItem::Value(v) => out.push(Interval::point(v.clone())),
                    InItem::Regex(re) => out.extend(regex_intervals(&re.pattern, &re.options)?),
                }
            }
            out.sort_by(|a, b| compare(&a.lo, &b.lo));
            out.dedup_by(|a, b| a == b);
            Some(out)
        }
        Cond::Cmp(op, v) => {
            if matches!(
                v,
                Bson::Null | Bson::MinKey | Bson::MaxKey | Bson::Array(_) | Bson::Document(_)
            ) {
                return None;
            }
            // NaN equals only NaN and a range never reaches it (as the matcher has it):
            // `$gte`/`$lte` NaN scan the NaN point, `$gt`/`$lt` NaN nothing.
            if crate::query::comparison::is_nan(v) {
                return Some(match op {
                    CmpOp::Gte | CmpOp::Lte => vec![Interval::point(v.clone())],
                    CmpOp::Gt | CmpOp::Lt => Vec::new(),
                });
            }
            let (min, min_incl, max, max_incl) = bracket(v)?;
            Some(vec![match op {
                CmpOp::Gt => Interval {
                    lo: v.clone(),
                    lo_incl: false,
                    hi: max,
                    hi_incl: max_incl,
                },
                CmpOp::Gte => Interval {
                    lo: v.clone(),
                    lo_incl: true,
                    hi: max,
                    hi_incl: max_incl,
                },
                CmpOp::Lt => Interval {
                    lo: min,
                    lo_incl: min_incl,
                    hi: v.clone(),
                    hi_incl: false,
                },
                CmpOp::Lte => Interval {
                    lo: min,
                    lo_incl: min_incl,
                    hi: v.clone(),
                    hi_incl: true,
                },
            }])
        }
        Cond::Regex(re) => regex_intervals(&re.pattern, &re.options),
        Cond::And(conds) => {
            let mut acc: Option<Vec<Interval>> = None;
            let mut ranges_used = 0;
            for c in conds {
                let Some(iv) = cond_intervals(c, multikey, sparse, collation) else {
                    continue;
                };
                let is_range = matches!(c, Cond::Cmp(..));
                if multikey && is_range {
                    // Range bounds on a multikey field cannot be intersected.
                    ranges_used += 1;
                    if ranges_used > 1 {
                        continue;
                    }
                }
                acc = Some(match acc {
                    None => iv,
                    Some(prev) => {
                        let mut out = Vec::new();
                        for a in &prev {
                            for b in &iv {
                                if let Some(x) = a.intersect(b) {
                                    out.push(x);
                                }
                            }
                        }
                        out
                    }
                });
            }
            acc
        }
        _ => None,
    }
}

/// What a regex can match in an index: strings (see [`regex_interval`]) and a stored regular
/// expression equal to it, which it matches too. MongoDB's bounds for `/^a/` are
/// `["a", "b"), [/^a/, /^a/]`.
fn regex_intervals(pattern: &str, options: &str) -> Option<Vec<Interval>> {
    let strings = regex_interval(pattern, options)?;
    let itself = bson::Regex {
        pattern: pattern.to_string().try_into().ok()?,
        options: options.to_string().try_into().ok()?,
    };
    Some(vec![
        strings,
        Interval::point(Bson::RegularExpression(itself)),
    ])
}

/// An anchored, case-sensitive regex with a literal prefix scans only that prefix's range.
fn regex_interval(pattern: &str, options: &str) -> Option<Interval> {
    let rest = pattern.strip_prefix('^')?;
    if options.contains('i') || options.contains('m') || options.contains('x') {
        return None;
    }
    let prefix: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == ' ' || *c == '_' || *c == '-' || *c == '@')
        .collect();
    if prefix.is_empty() {
        return Some(Interval {
            lo: Bson::String(String::new()),
            lo_incl: true,
            hi: Bson::Document(Document::new()),
            hi_incl: false,
        });
    }
    let mut hi: Vec<char> = prefix.chars().collect();
    let last = hi.pop()?;
    let next = char::from_u32(last as u32 + 1)?;
    hi.push(next);
    Some(Interval {
        lo: Bson::String(prefix),
        lo_incl: true,
        hi: Bson::String(hi.into_iter().collect()),
        hi_incl: false,
    })
}

/// The conditions of the top-level conjunction, by path.
fn conjuncts<'a>(filter: &'a Filter, out: &mut Vec<(Cow<'a, str>, &'a Cond)>) {
    match filter {
        Filter::And(parts) => parts.iter().for_each(|p| conjuncts(p, out)),
        Filter::Field { path, cond, .. } => {
            out.push((Cow::Borrowed(path.as_str()), cond));
            elem_match_conjuncts(path, cond, out);
        }
        _ => {}
    }
}

/// `{a: {$elemMatch: {b: 1}}}` implies `{"a.b": 1}`, which a multikey index on `a.b` can bound.
fn elem_match_conjuncts<'a>(path: &str, cond: &'a Cond, out: &mut Vec<(Cow<'a, str>, &'a Cond)>) {
    match cond {
        Cond::ElemMatch(em) => {
            if let ElemMatch::Doc(inner) = em.as_ref() {
                let mut sub = Vec::new();
                conjuncts(inner, &mut sub);
                for (p, c) in sub {
                    out.push((Cow::Owned(format!("{path}.{p}")), c));
                }
            }
        }
        Cond::And(cs) => cs.iter().for_each(|c| elem_match_conjuncts(path, c, out)),
        _ => {}
    }
}

/// Whether every document the filter matches is in the partial index.
fn implies_partial(conds: &[(Cow<'_, str>, &Cond)], partial: &Filter) -> bool {
    let mut needed = Vec::new();
    conjuncts(partial, &mut needed);
    if needed.is_empty() {
        return matches!(partial, Filter::True);
    }
    needed.iter().all(|(path, need)| {
        conds.iter().any(|(p, have)| {
            if p != path {
                return false;
            }
            let have_str = format!("{have:?}");
            if have_str == format!("{need:?}") {
                return true;
            }
            // An equality whose value satisfies the partial condition.
            if let Cond::Eq(v) = have {
                let mut probe = Document::new();
                crate::path::set_plain(&mut probe, &crate::path::split(path), v.clone());
                return crate::query::field_matches(
                    &probe,
                    &crate::path::split(path),
                    need,
                    &mut MatchDetails::default(),
                );
            }
            // A range inside the partial range: `{a: {$gt: 10}}` under `{a: {$gt: 5}}`.
            if let (Cond::Cmp(hop, hv), Cond::Cmp(nop, nv)) = (have, need) {
                let same_side = matches!(
                    (hop, nop),
                    (CmpOp::Gt | CmpOp::Gte, CmpOp::Gt | CmpOp::Gte)
                        | (CmpOp::Lt | CmpOp::Lte, CmpOp::Lt | CmpOp::Lte)
                );
                if same_side && type_rank(hv) == type_rank(nv) {
                    let ord = compare(hv, nv);
                    return match nop {
                        CmpOp::Gt | CmpOp::Gte => {
                            ord == Ordering::Greater
                                || (ord == Ordering::Equal
                                    && (*nop == CmpOp::Gte || *hop == CmpOp::Gt))
                        }
                        CmpOp::Lt | CmpOp::Lte => {
                            ord == Ordering::Less
                                || (ord == Ordering::Equal
                                    && (*nop == CmpOp::Lte || *hop == CmpOp::Lt))
                        }
                    };
                }
            }
            false
        })
    })
}

#[derive(Debug, Clone)]
pub enum Access {
    CollScan,
    IxScan {
        index: usize,
        bounds: Vec<Vec<Interval>>,
        backward: bool,
    },
    Text {
        index: usize,
    },
    /// A rooted `$or` whose every clause an index bounds: the union of one forward index scan
    /// per clause (`index`, `bounds`), each document fetched once (explain's `OR` stage).
    Or {
        branches: Vec<(usize, Vec<Vec<Interval>>)>,
    },
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub access: Access,
    /// The index returns documents in the requested sort order.
    pub sorted: bool,
}

/// How well an index serves a filter: more leading equality fields first, then a bounded range,
/// then whether it also gives the sort order.
fn score(bounds: &[Vec<Interval>]) -> (usize, usize) {
    let mut eq = 0;
    let mut range = 0;
    for b in bounds {
        if b.iter().all(Interval::is_point) && !b.is_empty() {
            eq += 1;
        } else if b.iter().any(|i| !i.is_full()) {
            range = 1;
            break;
        } else {
            break;
        }
    }
    (eq, range)
}

/// Whether an index scan with these bounds yields documents in `sort` order, and in which
/// direction.
fn provides_sort(index: &Index, bounds: &[Vec<Interval>], sort: &SortSpec) -> Option<bool> {
    // An index orders strings by its collation: it gives a sort only under the same one.
    if sort.is_empty() || index.multikey || index.spec.collation != sort.collation {
        return None;
    }
    if sort.keys.iter().any(|(_, _, d)| *d == SortDir::TextScore) {
        return None;
    }
    let fields = &index.spec.fields;
    let mut start = 0;
    loop {
        let candidate = fields.get(start..start + sort.keys.len());
        if let Some(window) = candidate {
            let same = window
                .iter()
                .zip(sort.keys.iter())
                .all(|(f, (p, _, d))| &f.path == p && f.desc == (*d == SortDir::Desc));
            let reversed = window
                .iter()
                .zip(sort.keys.iter())
                .all(|(f, (p, _, d))| &f.path == p && f.desc != (*d == SortDir::Desc));
            // Earlier fields must be single points, and the sorted fields scanned as one range each.
            let prefix_points = bounds.get(..start).is_some_and(|b| {
                b.iter()
                    .all(|iv| iv.len() == 1 && iv.iter().all(Interval::is_point))
            });
            let single_ranges = bounds
                .get(start..start + sort.keys.len())
                .is_some_and(|b| b.iter().all(|iv| iv.len() == 1));
            if prefix_points && single_ranges {
                if same {
                    return Some(false);
                }
                if reversed {
                    return Some(true);
                }
            }
        } else {
            return None;
        }
        let point = bounds
            .get(start)
            .is_some_and(|iv| iv.len() == 1 && iv.iter().all(Interval::is_point));
        if !point {
            return None;
        }
        start += 1;
    }
}

/// Chooses the plan for a filter and sort.
pub fn plan(coll: &Collection, filter: &Filter, sort: &SortSpec) -> Plan {
    if filter.has_text() {
        if let Some(i) = coll.indexes.iter().position(|ix| ix.spec.text.is_some()) {
            return Plan {
                access: Access::Text { index: i },
                sorted: false,
            };
        }
    }
    if let Some(p) = index_plan(coll, filter, sort) {
        return p;
    }
    // A rooted `$or` uses indexes only when every clause can: one unindexed clause means a
    // collection scan anyway.
    if let Filter::Or(clauses) = filter {
        let none = SortSpec::default();
        let branches: Option<Vec<(usize, Vec<Vec<Interval>>)>> = clauses
            .iter()
            .map(|clause| match index_plan(coll, clause, &none)?.access {
                Access::IxScan { index, bounds, .. } => Some((index, bounds)),
                _ => None,
            })
            .collect();
        if let Some(branches) = branches.filter(|b| !b.is_empty()) {
            return Plan {
                access: Access::Or { branches },
                sorted: sort.is_empty(),
            };
        }
    }
    Plan {
        access: Access::CollScan,
        sorted: sort.is_empty(),
    }
}

/// The best single-index plan for a filter's top-level conjunction, if an index bounds it (or
/// gives the sort order).
fn index_plan(coll: &Collection, filter: &Filter, sort: &SortSpec) -> Option<Plan> {
    let mut conds = Vec::new();
    conjuncts(filter, &mut conds);
    let mut best: Option<((usize, usize, bool, usize), Plan)> = None;
    for (i, index) in coll.indexes.iter().enumerate() {
        if index.spec.text.is_some() {
            continue;
        }
        if let Some((_, partial)) = &index.spec.partial {
            if !implies_partial(&conds, partial) {
                continue;
            }
        }
        let bounds: Vec<Vec<Interval>> = index
            .spec
            .fields
            .iter()
            .map(|f| {
                let mine: Vec<&Cond> = conds
                    .iter()
                    .filter(|(p, _)| *p == f.path.as_str())
                    .map(|(_, c)| *c)
                    .collect();
                let collation = index.spec.collation.as_deref();
                let combined = match mine.as_slice() {
                    [] => None,
                    [one] => cond_intervals(one, index.multikey, index.spec.sparse, collation),
                    many => cond_intervals(
                        &Cond::And(many.iter().map(|c| (*c).clone()).collect()),
                        index.multikey,
                        index.spec.sparse,
                        collation,
                    ),
                };
                combined.unwrap_or_else(|| vec![Interval::full()])
            })
            .collect();
        // After the first field that is not a point, later fields are scanned whole (their
        // conditions stay in the FETCH filter).
        let mut bounds = bounds;
        let mut open = false;
        for b in bounds.iter_mut() {
            if open {
                *b = vec![Interval::full()];
            } else if !(b.iter().all(Interval::is_point)) {
                open = true;
            }
        }
        let (eq, range) = score(&bounds);
        let sorted = provides_sort(index, &bounds, sort);
        if eq == 0 && range == 0 && sorted.is_none() {
            continue;
        }
        if eq == 0 && range == 0 && (index.spec.sparse || index.spec.partial.is_some()) {
            continue;
        }
        let key = (
            eq,
            range,
            sorted.is_some(),
            usize::MAX - index.spec.fields.len(),
        );
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((
                key,
                Plan {
                    access: Access::IxScan {
                        index: i,
                        bounds,
                        backward: sorted.unwrap_or(false),
                    },
                    sorted: sorted.is_some(),
                },
            ));
        }
    }
    // A sort-only index scan is chosen only when no index bounds the filter.
    best.map(|(_, p)| p)
}

/// Counters of one run.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub keys_examined: u64,
    pub docs_examined: u64,
    pub n_returned: u64,
    /// Keys examined by each clause of an `$or` union, in clause order.
    pub branch_keys: Vec<u64>,
}

/// A fetch that has read this many documents (and an eighth of the collection) answers the
/// rest of its filter from columns.
const COLUMNS_AFTER_FETCHES: usize = 1024;

/// Checks documents fetched by record id against a filter. Fetching in index order reads memory
/// at random; once enough documents were fetched to pay for building columns, the filter is
/// answered from columns where they can (a scan row is the record id less one).
struct Fetch<'f, 'c> {
    filter: &'f Filter,
    coll: &'c Collection,
    budget: &'c crate::budget::Budget,
    program: Option<crate::scan::Node<'f>>,
    worth_columns: u64,
    positional: bool,
    stop_at: Option<usize>,
    examined: u64,
    out: Vec<(u64, MatchDetails)>,
    failure: Option<crate::error::MongoError>,
}

impl<'f, 'c> Fetch<'f, 'c> {
    fn new(
        filter: &'f Filter,
        coll: &'c Collection,
        budget: &'c crate::budget::Budget,
        positional: bool,
        stop_at: Option<usize>,
    ) -> Self {
        Fetch {
            filter,
            coll,
            budget,
            program: None,
            worth_columns: (coll.rows() / 8).max(COLUMNS_AFTER_FETCHES) as u64,
            positional,
            stop_at,
            examined: 0,
            out: Vec::new(),
            failure: None,
        }
    }

    /// Keeps record `id` if it matches; whether the fetch is done (enough matches, or an error).
    fn offer(&mut self, id: u64) -> bool {
        if let Err(err) = self.budget.step() {
            self.failure = Some(err);
            return true;
        }
        match self.check(id) {
            Ok(Some(d)) => self.out.push((id, d)),
            Ok(None) => {}
            Err(err) => self.failure = Some(err),
        }
        self.done()
    }

    fn done(&self) -> bool {
        self.failure.is_some() || self.stop_at.is_some_and(|n| self.out.len() >= n)
    }

    /// The matches in fetch order, or the error that stopped the fetch.
    fn finish(self, stats: &mut Stats) -> crate::error::Result<Vec<(u64, MatchDetails)>> {
        stats.docs_examined += self.examined;
        match self.failure {
            Some(err) => Err(err),
            None => Ok(self.out),
        }
    }

    /// The match details when record `id` matches (its document fetched); counts it examined.
    fn check(&mut self, id: u64) -> crate::error::Result<Option<MatchDetails>> {
        let Some(doc) = self.coll.get(id) else {
            return Ok(None);
        };
        self.examined += 1;
        if self.program.is_none() && self.examined > self.worth_columns {
            self.program = Some(crate::scan::compile(self.filter, self.coll));
        }
        let verdict = match &mut self.program {
            Some(p) => p.eval(Collection::row_of_id(id)),
            None => Tri::Unknown,
        };
        match verdict {
            Tri::No => Ok(None),
            Tri::Yes if !self.positional => Ok(Some(MatchDetails::default())),
            _ => match_document(self.filter, doc),
        }
    }
}

/// The match details when `doc` matches, or the error `$expr` raised.
fn match_document(filter: &Filter, doc: &Document) -> crate::error::Result<Option<MatchDetails>> {
    let mut d = MatchDetails::default();
    let ok = filter.matches(doc, &mut d);
    if let Some(err) = d.error.take() {
        return Err(err);
    }
    Ok(ok.then_some(d))
}

/// The documents a plan yields, matched against the filter, in plan order; stops once `stop_at`
/// matches are found (when the plan order is the final order). `positional`: the caller needs
/// each match's array position (for a positional `$`), which only matching the document gives.
/// Every row scanned, key followed and document fetched is a step of the request's `budget`.
pub fn run(
    coll: &Collection,
    filter: &Filter,
    plan: &Plan,
    stop_at: Option<usize>,
    positional: bool,
    stats: &mut Stats,
    budget: &crate::budget::Budget,
) -> crate::error::Result<Vec<(u64, MatchDetails)>> {
    let from = Resume::default();
    run_from(coll, filter, plan, from, stop_at, positional, stats, budget).map(|(out, _)| out)
}

/// Where a run of a plan stands: how many candidates its plan gave (rows of a collection scan,
/// record ids an index scan or a text search gave, duplicates included). A run that starts
/// `after` what an earlier run of the same plan on the same collection consumed gives exactly
/// the matches that run would have given next: the candidates before are walked again (an index
/// scan's keys, not its documents) only to know which ids were already seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resume {
    pub consumed: u64,
}

/// [`run`] from a [`Resume`] point; the matches, and the point where this run stopped.
#[allow(clippy::too_many_arguments)]
pub fn run_from(
    coll: &Collection,
    filter: &Filter,
    plan: &Plan,
    from: Resume,
    stop_at: Option<usize>,
    positional: bool,
    stats: &mut Stats,
    budget: &crate::budget::Budget,
) -> crate::error::Result<(Vec<(u64, MatchDetails)>, Resume)> {
    let start = from.consumed;
    // Candidates given so far (by a scan that walks ids), those before `start` only recorded.
    let mut given: u64 = 0;
    let fresh = |given: &mut u64| {
        *given += 1;
        *given > start
    };
    match &plan.access {
        Access::CollScan => {
            let mut out = Vec::new();
            let mut program = crate::scan::compile(filter, coll);
            // Rows are records, deleted ones included: a hole is skipped, and is only looked
            // for when the columns do not rule the row out (or to count the rows examined).
            let dense = coll.len() == coll.rows();
            let skip_columns = program.is_unknown();
            let first = usize::try_from(start)
                .unwrap_or(usize::MAX)
                .min(coll.rows());
            let mut next = coll.rows();
            for row in first..coll.rows() {
                budget.step()?;
                let verdict = if skip_columns {
                    Tri::Unknown
                } else {
                    program.eval(row)
                };
                if verdict == Tri::No && dense {
                    stats.docs_examined += 1;
                    continue;
                }
                let Some(doc) = coll.row(row) else { continue };
                stats.docs_examined += 1;
                let id = Collection::id_of_row(row);
                let found = match verdict {
                    Tri::No => None,
                    Tri::Yes if !positional => Some(MatchDetails::default()),
                    _ => match_document(filter, doc)?,
                };
                if let Some(d) = found {
                    out.push((id, d));
                    if stop_at.is_some_and(|n| out.len() >= n) {
                        next = row + 1;
                        break;
                    }
                }
            }
            Ok((
                out,
                Resume {
                    consumed: next as u64,
                },
            ))
        }
        Access::Text { index } => {
            let Some(ix) = coll.indexes.get(*index) else {
                return Ok((Vec::new(), from));
            };
            let Some(query) = filter.text_query() else {
                return Ok((Vec::new(), from));
            };
            let mut ids: Vec<u64> = Vec::new();
            let mut seen = HashSet::new();
            for term in &query.terms {
                if let Some(postings) = ix.postings.get(term) {
                    for id in postings.keys() {
                        budget.step()?;
                        stats.keys_examined += 1;
                        if seen.insert(*id) {
                            ids.push(*id);
                        }
                    }
                }
            }
            ids.sort_unstable();
            let mut fetch = Fetch::new(filter, coll, budget, positional, stop_at);
            for id in ids {
                if fresh(&mut given) && fetch.offer(id) {
                    break;
                }
            }
            Ok((fetch.finish(stats)?, Resume { consumed: given }))
        }
        Access::Or { branches } => {
            // Every clause's scan feeds one stream; a document found by an earlier clause is
            // not fetched again, and each fetched document is checked against the whole filter.
            let mut seen = HashSet::new();
            let mut fetch = Fetch::new(filter, coll, budget, positional, stop_at);
            for (index, bounds) in branches {
                let Some(ix) = coll.indexes.get(*index) else {
                    stats.branch_keys.push(0);
                    continue;
                };
                let keys = scan(ix, bounds, false, &mut |id| {
                    seen.insert(id) && fresh(&mut given) && fetch.offer(id)
                });
                stats.keys_examined += keys;
                stats.branch_keys.push(keys);
                if fetch.done() {
                    break;
                }
            }
            Ok((fetch.finish(stats)?, Resume { consumed: given }))
        }
        Access::IxScan {
            index,
            bounds,
            backward,
        } => {
            let Some(ix) = coll.indexes.get(*index) else {
                return Ok((Vec::new(), from));
            };
            // Conditions the bounds already guarantee are not checked again; a multikey index
            // can list a document several times.
            let rest = residual(filter, coll, plan);
            let mut seen = HashSet::new();
            let mut fetch = Fetch::new(&rest, coll, budget, positional, stop_at);
            let keys = scan(ix, bounds, *backward, &mut |id| {
                (!ix.multikey || seen.insert(id)) && fresh(&mut given) && fetch.offer(id)
            });
            stats.keys_examined += keys;
            Ok((fetch.finish(stats)?, Resume { consumed: given }))
        }
    }
}

/// Walks the index within the bounds in index order, giving each record id to `visit` until it
/// asks to stop; returns the number of keys examined.
fn scan(
    ix: &Index,
    bounds: &[Vec<Interval>],
    backward: bool,
    visit: &mut dyn FnMut(u64) -> bool,
) -> u64 {
    // Every combination of per-field intervals, up to a limit; past it, one bounding box.
    let mut boxes: Vec<Vec<Interval>> = vec![Vec::new()];
    for field in bounds {
        let mut next = Vec::new();
        for b in &boxes {
            for iv in field {
                let mut b2 = b.clone();
                b2.push(iv.clone());
                next.push(b2);
            }
        }
        if next.len() > 2000 {
            next = boxes
                .iter()
                .map(|b| {
                    let mut b2 = b.clone();
                    let lo = field.first().map(|i| i.lo.clone()).unwrap_or(Bson::MinKey);
                    let hi = field.last().map(|i| i.hi.clone()).unwrap_or(Bson::MaxKey);
                    b2.push(Interval {
                        lo,
                        lo_incl: true,
                        hi,
                        hi_incl: true,
                    });
                    b2
                })
                .collect();
        }
        boxes = next;
    }
    let fields = &ix.spec.fields;
    // Boxes in index order: by the first field's direction.
    boxes.sort_by(|a, b| {
        for ((x, y), f) in a.iter().zip(b.iter()).zip(fields.iter()) {
            let ord = compare(&x.lo, &y.lo);
            let ord = if f.desc { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
    if backward {
        boxes.reverse();
    }
    let mut keys = 0;
    for b in &boxes {
        let start: Vec<KeyPart> = b
            .iter()
            .zip(fields.iter())
            .map(|(iv, f)| KeyPart {
                value: if f.desc { iv.hi.clone() } else { iv.lo.clone() },
                desc: f.desc,
            })
            .collect();
        let end: Vec<KeyPart> = b
            .iter()
            .zip(fields.iter())
            .map(|(iv, f)| KeyPart {
                value: if f.desc { iv.lo.clone() } else { iv.hi.clone() },
                desc: f.desc,
            })
            .collect();
        let lo = Entry { key: start, id: 0 };
        let hi = Entry {
            key: end,
            id: u64::MAX,
        };
        if lo > hi {
            continue;
        }
        let range = ix.entries.range((Bound::Included(lo), Bound::Included(hi)));
        let entries: Box<dyn Iterator<Item = &Entry>> = if backward {
            Box::new(range.rev())
        } else {
            Box::new(range)
        };
        for e in entries {
            // The range is taken with inclusive ends; keys equal to an excluded end of the
            // first field's interval are stepped over, as a server's seek would never see them.
            let first_inside = e
                .key
                .first()
                .zip(b.first())
                .is_none_or(|(k, iv)| iv.contains(&k.value));
            if !first_inside {
                continue;
            }
            keys += 1;
            let inside = e
                .key
                .iter()
                .zip(b.iter())
                .all(|(k, iv)| iv.contains(&k.value));
            if inside && visit(e.id) {
                return keys;
            }
        }
    }
    keys
}

/// The `indexBounds` of an IXSCAN stage.
pub fn bounds_doc(ix: &Index, bounds: &[Vec<Interval>], backward: bool) -> Document {
    let mut d = Document::new();
    for (f, b) in ix.spec.fields.iter().zip(bounds.iter()) {
        let mut shown: Vec<Bson> = b
            .iter()
            .map(|iv| {
                // Descending fields show their intervals high to low.
                if f.desc != backward {
                    Bson::String(
                        Interval {
                            lo: iv.hi.clone(),
                            lo_incl: iv.hi_incl,
                            hi: iv.lo.clone(),
                            hi_incl: iv.lo_incl,
                        }
                        .show(),
                    )
                } else {
                    Bson::String(iv.show())
                }
            })
            .collect();
        if f.desc != backward {
            shown.reverse();
        }
        d.insert(f.path.clone(), shown);
    }
    d
}

/// The part of a filter an index scan does not already guarantee: conditions whose index bounds
/// are exact drop out (what explain shows as FETCH's `filter`).
pub fn residual(filter: &Filter, coll: &Collection, plan: &Plan) -> Filter {
    let Access::IxScan { index, bounds, .. } = &plan.access else {
        return filter.clone();
    };
    let Some(ix) = coll.indexes.get(*index) else {
        return filter.clone();
    };
    if ix.multikey {
        return filter.clone();
    }
    let exact = |path: &str, cond: &Cond| -> bool {
        let Some(i) = ix.spec.fields.iter().position(|f| f.path == path) else {
            return false;
        };
        if bounds
            .get(i)
            .is_none_or(|b| b.iter().any(Interval::is_full))
        {
            return false;
        }
        fn exact_cond(c: &Cond) -> bool {
            match c {
                Cond::Eq(v) => !matches!(v, Bson::Null | Bson::Array(_) | Bson::Undefined | Bson::Document(_)),
                Cond::In(items) => items.iter().all(|i| matches!(i, InItem::Value(v) if !matches!(v, Bson::Null | Bson::Array(_) | Bson::Undefined | Bson::Document(_)))),
                Cond::Cmp(_, v) => matches!(type_rank(v), 3 | 4 | 8 | 10),
                Cond::And(cs) => cs.iter().all(exact_cond),
                // Bounded only under the index's collation, where equal keys are equal strings.
                Cond::Collated(c) => exact_cond(&c.cond),
                _ => false,
            }
        }
        exact_cond(cond)
    };
    let keep = |f: &Filter| !matches!(f, Filter::Field { path, cond, .. } if exact(path, cond));
    match filter {
        Filter::And(parts) => {
            let mut rest: Vec<Filter> = parts.iter().filter(|p| keep(p)).cloned().collect();
            match rest.len() {
                0 => Filter::True,
                1 => rest.pop().unwrap_or(Filter::True),
                _ => Filter::And(rest),
            }
        }
        f if !keep(f) => Filter::True,
        f => f.clone(),
    }
}

/// Renders a filter back into the parsed-query shape explain shows.
pub fn filter_doc(filter: &Filter) -> Document {
    fn cond_doc(c: &Cond) -> Bson {
        match c {
            Cond::Eq(v) => Bson::Document(bson::doc! {"$eq": v.clone()}),
            Cond::Cmp(op, v) => {
                let mut d = Document::new();
                d.insert(crate::query::comparison::op_name(*op), v.clone());
                Bson::Document(d)
            }
            Cond::In(items) => Bson::Document(bson::doc! {"$in": items.iter().map(|i| match i {
                InItem::Value(v) => v.clone(),
                InItem::Regex(r) => Bson::String(format!("/{}/{}", r.pattern, r.options)),
            }).collect::<Vec<_>>()}),
            Cond::Exists(b) => Bson::Document(bson::doc! {"$exists": *b}),
            Cond::Regex(r) => Bson::Document(
                bson::doc! {"$regex": r.pattern.clone(), "$options": r.options.clone()},
            ),
            Cond::Mod(d, r) => Bson::Document(bson::doc! {"$mod": [*d, *r]}),
            Cond::Size(n) => Bson::Document(bson::doc! {"$size": *n}),
            Cond::Not(inner) => Bson::Document(bson::doc! {"$not": cond_doc(inner)}),
            Cond::And(cs) => {
                let mut d = Document::new();
                for c in cs {
                    if let Bson::Document(cd) = cond_doc(c) {
                        for (k, v) in cd {
                            d.insert(k, v);
                        }
                    }
                }
                Bson::Document(d)
            }
            Cond::All(_) => Bson::String("$all".into()),
            Cond::ElemMatch(_) => Bson::String("$elemMatch".into()),
            Cond::Type(_) => Bson::String("$type".into()),
            Cond::Collated(c) => cond_doc(&c.written),
        }
    }
    match filter {
        Filter::True => Document::new(),
        Filter::And(parts) => {
            bson::doc! {"$and": parts.iter().map(|p| Bson::Document(filter_doc(p))).collect::<Vec<_>>()}
        }
        Filter::Or(parts) => {
            bson::doc! {"$or": parts.iter().map(|p| Bson::Document(filter_doc(p))).collect::<Vec<_>>()}
        }
        Filter::Nor(parts) => {
            bson::doc! {"$nor": parts.iter().map(|p| Bson::Document(filter_doc(p))).collect::<Vec<_>>()}
        }
        Filter::Field { path, cond, .. } => {
            let mut d = Document::new();
            d.insert(path.clone(), cond_doc(cond));
            d
        }
        Filter::Expr(_) => bson::doc! {"$expr": "<expression>"},
        Filter::Text(q) => bson::doc! {"$text": {"$search": q.search.clone()}},
        Filter::Schema(s) => bson::doc! {"$jsonSchema": s.spec.clone()},
    }
}
