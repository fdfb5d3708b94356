//! What a read should return (from the reference) and what a layout returned, and the check
//! between them: which records, in which order (ties as sets), with which fields; counts.

use std::fmt;

use schemaplay_core::model::TTL_ATTRIBUTE;
use serde::{Deserialize, Serialize};

use crate::canon::Canon;
use crate::schema::Schema;

/// The reference's answer to a read.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// A `getOne`: any one of these records, or nothing when there are none.
    One(Vec<Canon>),
    /// A list: the matching records in tie groups, in order (one group when the pattern does not
    /// sort), as far as the page reaches; the page holds the first `limit` of `total`.
    List {
        groups: Vec<Vec<Canon>>,
        limit: Option<usize>,
        total: usize,
    },
    Count(u64),
    /// An aggregate's groups (see [`crate::aggregate`]), in order when `sorted`.
    Groups {
        groups: Vec<Canon>,
        sorted: bool,
    },
}

/// A layout's answer to a read.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    One(Option<Canon>),
    List(Vec<Canon>),
    Count(u64),
    /// An aggregate's groups.
    Groups(Vec<Canon>),
    /// The database refused the request, or its answer had an unexpected shape.
    Failed(String),
}

/// How an answer differs from the expected one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub kind: DiffKind,
    pub text: String,
}

/// The kind of a difference: shrinking keeps it, so a reproduction shows the same problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffKind {
    /// The database refused the read.
    Failed,
    /// Other records, or another number of them.
    Records,
    /// The right records with other field values.
    Fields,
    /// The right records in the wrong order.
    Order,
    Count,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

pub(crate) fn diff(kind: DiffKind, text: impl Into<String>) -> Option<Difference> {
    Some(Difference {
        kind,
        text: text.into(),
    })
}

/// How an answer differs from the expected one, or `None` when it is a right answer.
pub fn difference(expected: &Expected, answer: &Answer) -> Option<Difference> {
    match (expected, answer) {
        (_, Answer::Failed(e)) => diff(DiffKind::Failed, format!("the read failed: {e}")),
        (Expected::One(candidates), Answer::One(got)) => match (candidates.is_empty(), got) {
            (true, None) => None,
            (true, Some(_)) => diff(DiffKind::Records, "returned a record where none matches"),
            (false, None) => diff(DiffKind::Records, "returned nothing where a record matches"),
            (false, Some(g)) if candidates.contains(g) => None,
            (false, Some(g)) => describe_mismatch(candidates, g),
        },
        (Expected::Count(n), Answer::Count(m)) => {
            if n == m {
                None
            } else {
                diff(DiffKind::Count, format!("counted {m}, expected {n}"))
            }
        }
        (Expected::Groups { groups, sorted }, Answer::Groups(got)) => {
            crate::aggregate::difference(groups, got, *sorted)
        }
        (
            Expected::List {
                groups,
                limit,
                total,
            },
            Answer::List(got),
        ) => list_difference(groups, limit.map_or(*total, |l| l.min(*total)), got),
        (expected, answer) => diff(
            DiffKind::Records,
            format!(
                "answered {} where {} was expected",
                answer_kind(answer),
                expected_kind(expected)
            ),
        ),
    }
}

fn answer_kind(a: &Answer) -> &'static str {
    match a {
        Answer::One(_) => "one record",
        Answer::List(_) => "a list",
        Answer::Count(_) => "a count",
        Answer::Groups(_) => "groups",
        Answer::Failed(_) => "an error",
    }
}

fn expected_kind(e: &Expected) -> &'static str {
    match e {
        Expected::One(_) => "one record",
        Expected::List { .. } => "a list",
        Expected::Count(_) => "a count",
        Expected::Groups { .. } => "groups",
    }
}

fn describe_mismatch(candidates: &[Canon], got: &Canon) -> Option<Difference> {
    // Same id, other fields: name the fields.
    let same = candidates.iter().find(|c| id_of(c) == id_of(got));
    match same {
        Some(c) => diff(
            DiffKind::Fields,
            format!("fields differ: {}", field_difference(c, got)),
        ),
        None => diff(DiffKind::Records, "returned another record"),
    }
}

/// The id of a canonical record (its field named `id`-like is not known here: the first field
/// the record and the reference agree identifies it), used only to word reports.
fn id_of(record: &Canon) -> Option<&Canon> {
    record.field(ID_KEY)
}

/// The name under which canonical records carry their id, whatever the entity calls it.
pub const ID_KEY: &str = "(id)";

fn field_difference(expected: &Canon, got: &Canon) -> String {
    let (Canon::Object(a), Canon::Object(b)) = (expected, got) else {
        return format!("{got} instead of {expected}");
    };
    let mut names: Vec<&String> = a.iter().chain(b.iter()).map(|(k, _)| k).collect();
    names.sort();
    names.dedup();
    let parts: Vec<String> = names
        .into_iter()
        .filter_map(|k| {
            let (x, y) = (expected.field(k), got.field(k));
            (x != y).then(|| {
                let show = |v: Option<&Canon>| v.map_or("missing".to_string(), Canon::to_string);
                format!("{k} {} instead of {}", show(y), show(x))
            })
        })
        .collect();
    parts.join(", ")
}

/// How a page differs: first missing or extra records (a tie group the page cuts may lend
/// any of its records), then fields, then order.
fn list_difference(groups: &[Vec<Canon>], want: usize, got: &[Canon]) -> Option<Difference> {
    if got.len() != want {
        return diff(
            DiffKind::Records,
            format!("returned {} records, expected {want}", got.len()),
        );
    }
    // The records the page must hold (groups before the cut) and may hold (the cut group).
    let (mut must, mut may): (Vec<&Canon>, Vec<&Canon>) = (Vec::new(), Vec::new());
    let mut count = 0;
    for g in groups {
        if count >= want {
            break;
        }
        if count + g.len() <= want {
            must.extend(g);
        } else {
            may.extend(g);
        }
        count += g.len();
    }
    let flat: Vec<&Canon> = must.iter().chain(&may).copied().collect();
    let same_id = |pool: &[&Canon], r: &Canon| -> Option<Canon> {
        pool.iter()
            .find(|c| id_of(c).is_some() && id_of(c) == id_of(r))
            .map(|c| (*c).clone())
    };
    let mut left: Vec<&Canon> = got.iter().collect();
    for m in &must {
        match left.iter().position(|g| *g == *m) {
            Some(i) => {
                left.swap_remove(i);
            }
            None => {
                return match same_id(&left, m) {
                    Some(g) => diff(
                        DiffKind::Fields,
                        format!("fields differ: {}", field_difference(m, &g)),
                    ),
                    None => diff(DiffKind::Records, format!("misses {}", short(m))),
                };
            }
        }
    }
    for r in left {
        match may.iter().position(|c| *c == r) {
            Some(i) => {
                may.swap_remove(i);
            }
            None => {
                return match same_id(&flat, r) {
                    Some(c) => diff(
                        DiffKind::Fields,
                        format!("fields differ: {}", field_difference(&c, r)),
                    ),
                    None => diff(
                        DiffKind::Records,
                        format!("returned {} which does not match", short(r)),
                    ),
                };
            }
        }
    }
    // The right records: each tie group in its place.
    let mut rest = got;
    for group in groups {
        if rest.is_empty() {
            break;
        }
        let take = group.len().min(rest.len());
        let (page, after) = rest.split_at(take);
        if let Some(r) = page.iter().find(|r| !group.contains(r)) {
            return diff(
                DiffKind::Order,
                format!("order differs: {} is out of place", short(r)),
            );
        }
        rest = after;
    }
    None
}

/// A record named by its id when it has one.
fn short(record: &Canon) -> String {
    match id_of(record) {
        Some(id) => format!("the record {id}"),
        None => record.to_string(),
    }
}

/// A canonical record of an entity: its declared fields, its declared id under [`ID_KEY`], and for a
/// read that returns children with it, each relationship's children (as a sorted list under
/// `Child[]`). Whatever else a database stores (keys, `entityType`, embedded arrays, links) is
/// left out.
pub fn project(schema: &Schema, entity: usize, record: &Canon) -> Canon {
    let (Some(e), Some(info)) = (schema.entity(entity), schema.info(entity)) else {
        return record.clone();
    };
    let mut fields: Vec<(String, Canon)> = Vec::new();
    // An id the design does not declare is the layouts' own (and a layout storing the
    // entity inside its parent keeps none): it is not compared.
    if let Some(id) = record.field(&info.id).filter(|_| info.declared_id) {
        fields.push((ID_KEY.to_string(), id.clone()));
    }
    for f in &e.fields {
        if f.name == info.id {
            continue;
        }
        if let Some(v) = record.field(&f.name).filter(|v| **v != Canon::Null) {
            fields.push((f.name.clone(), v.clone()));
        }
    }
    // A DynamoDB item's `ttl` that is not the expiry of its own date (`dynamo.rs` keeps only
    // such): no record of the reference has one, so it shows as a difference.
    if e.ttl.is_some() && e.field(TTL_ATTRIBUTE).is_none() {
        if let Some(v) = record.field(TTL_ATTRIBUTE) {
            fields.push((TTL_ATTRIBUTE.to_string(), v.clone()));
        }
    }
    Canon::object(fields)
}

/// A child as it is compared inside its parent: declared fields only (an id the design does not
/// declare exists only where a layout needs one), as [`project`] compares every record.
pub fn project_child(schema: &Schema, entity: usize, record: &Canon) -> Canon {
    project(schema, entity, record)
}

/// A record with its children attached under `Child[]`, sorted so their order does not count.
pub fn with_children(record: Canon, children: Vec<(String, Vec<Canon>)>) -> Canon {
    let Canon::Object(mut fields) = record else {
        return record;
    };
    for (entity, mut list) in children {
        list.sort();
        fields.push((format!("{entity}[]"), Canon::Array(list)));
    }
    Canon::object(fields)
}

impl Expected {
    /// The answer as a report shows it.
    pub fn shown(&self) -> Shown {
        let text = |records: &[Canon]| records.iter().map(ToString::to_string).collect();
        match self {
            Expected::One(c) if c.is_empty() => Shown::Nothing,
            Expected::One(c) if c.len() == 1 => Shown::One(c[0].to_string()),
            Expected::One(c) => Shown::AnyOf(text(c)),
            Expected::Count(n) => Shown::Count(*n),
            Expected::Groups { groups, .. } => groups_shown(groups),
            Expected::List {
                groups,
                limit,
                total,
            } => {
                let total = *total;
                let headline = match limit {
                    Some(l) if total > *l => format!("the first {l} of {total} records"),
                    _ => format!("{total} record(s)"),
                };
                Shown::List {
                    headline,
                    groups: groups.iter().map(|g| text(g)).collect(),
                }
            }
        }
    }
}

impl Answer {
    /// The answer as a report shows it.
    pub fn shown(&self) -> Shown {
        match self {
            Answer::One(None) => Shown::Nothing,
            Answer::One(Some(r)) => Shown::One(r.to_string()),
            Answer::Count(n) => Shown::Count(*n),
            Answer::Failed(e) => Shown::Failed(e.clone()),
            Answer::Groups(groups) => groups_shown(groups),
            Answer::List(items) => Shown::List {
                headline: format!("{} record(s)", items.len()),
                groups: items.iter().map(|r| vec![r.to_string()]).collect(),
            },
        }
    }
}

/// Groups as a report shows them: one a line, in order.
fn groups_shown(groups: &[Canon]) -> Shown {
    Shown::List {
        headline: format!("{} group(s)", groups.len()),
        groups: groups.iter().map(|g| vec![g.to_string()]).collect(),
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.shown().fmt(f)
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.shown().fmt(f)
    }
}

/// An answer as a report shows it: the expected one or a database's, its records in the
/// compact form `{name: "Ana", age: 30}`, typed so that they can be laid out side by side (the
/// playground's report carries it to the page and to JavaScript as it is).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shown {
    /// No record.
    Nothing,
    One(String),
    /// Any one of these records (a `getOne` that several records match).
    AnyOf(Vec<String>),
    /// A list, `3 record(s)` or `the first 2 of 5 records`, in order. Records of one group tie
    /// (equal sort values: any order among them is right); a database's answer has one record
    /// per group.
    List {
        headline: String,
        groups: Vec<Vec<String>>,
    },
    Count(u64),
    /// The read failed, or was not run.
    Failed(String),
}

impl fmt::Display for Shown {
    /// A headline, then one record per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Nothing => f.write_str("nothing"),
            Shown::One(r) => f.write_str(r),
            Shown::AnyOf(records) => {
                write!(f, "one of")?;
                for r in records {
                    write!(f, "\n      {r}")?;
                }
                Ok(())
            }
            Shown::Count(n) => write!(f, "count {n}"),
            Shown::Failed(e) => write!(f, "error: {e}"),
            Shown::List { headline, groups } => {
                f.write_str(headline)?;
                for g in groups {
                    match g.as_slice() {
                        [one] => write!(f, "\n      {one}")?,
                        _ => {
                            write!(f, "\n      tied, in any order:")?;
                            for r in g {
                                write!(f, "\n        {r}")?;
                            }
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::Num;

    fn rec(id: i64, v: &str) -> Canon {
        Canon::object(vec![
            (ID_KEY.into(), Canon::Num(Num::from_i64(id))),
            ("v".into(), Canon::Str(v.into())),
        ])
    }

    #[test]
    fn ties_compare_as_sets_and_a_page_may_cut_a_tie() {
        let groups = vec![
            vec![rec(1, "a")],
            vec![rec(2, "b"), rec(3, "b")],
            vec![rec(4, "c")],
        ];
        let list = |limit| Expected::List {
            groups: groups.clone(),
            limit,
            total: 4,
        };
        let got = |ids: &[i64]| {
            Answer::List(
                ids.iter()
                    .map(|i| rec(*i, ["", "a", "b", "b", "c"][*i as usize]))
                    .collect(),
            )
        };
        assert_eq!(difference(&list(None), &got(&[1, 3, 2, 4])), None);
        assert_eq!(difference(&list(Some(2)), &got(&[1, 3])), None);
        assert_eq!(difference(&list(Some(2)), &got(&[1, 2])), None);
        assert_eq!(
            difference(&list(None), &got(&[2, 1, 3, 4]))
                .map(|d| d.text)
                .as_deref(),
            Some("order differs: the record 2 is out of place")
        );
        assert_eq!(
            difference(&list(Some(2)), &got(&[1]))
                .map(|d| d.text)
                .as_deref(),
            Some("returned 1 records, expected 2")
        );
        // A record missing from the page lets a later one in: that is a missing record, not
        // an order problem.
        assert_eq!(
            difference(&list(Some(3)), &got(&[1, 3, 4]))
                .map(|d| d.text)
                .as_deref(),
            Some("misses the record 2")
        );
        assert_eq!(
            difference(&list(Some(1)), &got(&[4]))
                .map(|d| d.text)
                .as_deref(),
            Some("misses the record 1")
        );
        let wrong_field = Answer::List(vec![rec(1, "a"), rec(2, "z")]);
        assert_eq!(
            difference(&list(Some(2)), &wrong_field)
                .map(|d| d.text)
                .as_deref(),
            Some("fields differ: v \"z\" instead of \"b\"")
        );
    }

    #[test]
    fn get_one_accepts_any_match_and_counts_compare() {
        let one = Expected::One(vec![rec(1, "a"), rec(2, "a")]);
        assert_eq!(difference(&one, &Answer::One(Some(rec(2, "a")))), None);
        assert_eq!(
            difference(&one, &Answer::One(None))
                .map(|d| d.text)
                .as_deref(),
            Some("returned nothing where a record matches")
        );
        assert_eq!(
            difference(&Expected::One(vec![]), &Answer::One(Some(rec(9, "x"))))
                .map(|d| d.text)
                .as_deref(),
            Some("returned a record where none matches")
        );
        assert_eq!(
            difference(&Expected::Count(3), &Answer::Count(2))
                .map(|d| d.text)
                .as_deref(),
            Some("counted 2, expected 3")
        );
        assert_eq!(difference(&Expected::Count(3), &Answer::Count(3)), None);
    }

    /// Reports show answers typed (ties as groups) and as text, one record per line.
    #[test]
    fn answers_are_shown_with_their_ties() {
        let expected = Expected::List {
            groups: vec![vec![rec(1, "a")], vec![rec(2, "b"), rec(3, "b")]],
            limit: Some(2),
            total: 3,
        };
        let shown = expected.shown();
        assert_eq!(
            shown,
            Shown::List {
                headline: "the first 2 of 3 records".into(),
                groups: vec![
                    vec![r#"{(id): 1, v: "a"}"#.into()],
                    vec![r#"{(id): 2, v: "b"}"#.into(), r#"{(id): 3, v: "b"}"#.into()],
                ],
            }
        );
        assert_eq!(
            shown.to_string(),
            "the first 2 of 3 records\n      {(id): 1, v: \"a\"}\n      tied, in any order:\n        {(id): 2, v: \"b\"}\n        {(id): 3, v: \"b\"}"
        );
        let got = Answer::List(vec![rec(3, "b"), rec(1, "a")]);
        assert_eq!(
            got.to_string(),
            "2 record(s)\n      {(id): 3, v: \"b\"}\n      {(id): 1, v: \"a\"}"
        );
        let any = Expected::One(vec![rec(1, "a"), rec(2, "a")]);
        assert_eq!(
            any.shown(),
            Shown::AnyOf(vec![
                r#"{(id): 1, v: "a"}"#.into(),
                r#"{(id): 2, v: "a"}"#.into()
            ])
        );
        assert_eq!(Expected::One(vec![]).to_string(), "nothing");
        assert_eq!(Answer::One(None).shown(), Shown::Nothing);
        assert_eq!(Answer::Count(4).to_string(), "count 4");
        assert_eq!(Answer::Failed("no".into()).to_string(), "error: no");
    }
}
