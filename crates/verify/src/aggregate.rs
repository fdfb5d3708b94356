//! Aggregation patterns on the reference model: the groups a `$group` makes
//! of the matching records, with their outputs, sorted and limited as the
//! pipeline does, and the check of a layout's groups against them.
//!
//! A group is `{_id, <output>...}` as MongoDB returns it: `_id` is the one
//! group field's value (null when missing), an object of the group fields
//! keyed by `group_id_key` for several (a missing field left out, as
//! `$group` leaves it), or null without group fields. `count` and `sum` are
//! exact decimals (`sum` ignores what is not a number, 0 when nothing is);
//! `avg` is the sum over the numbers divided in floating point (null when no
//! number); `min`/`max` compare in BSON order, ignoring null and missing
//! values. Numbers compare within a relative tolerance of [`TOLERANCE`]: a
//! database sums doubles in floating point, the reference exactly.

use schemaplay_core::model::{AggregateOp, AggregateSpec, SortOrder, SortSpec};
use schemaplay_core::mongo::{group_id_key, group_output_path};
use schemaplay_core::sample::Val;

use crate::answer::{diff, DiffKind, Difference};
use crate::canon::{from_val, number_of_double, Canon, Num};

/// The relative tolerance of numbers in a group (sums and averages of doubles).
pub const TOLERANCE: f64 = 1e-9;

/// The groups of `matches`, sorted and limited as the pattern says.
pub fn groups(spec: &AggregateSpec, sort: Option<&SortSpec>, matches: &[&Val]) -> Vec<Canon> {
    let mut keyed: Vec<(Canon, Vec<&Val>)> = Vec::new();
    for r in matches {
        let key = group_key(spec, r);
        match keyed.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(r),
            None => keyed.push((key, vec![r])),
        }
    }
    let mut out: Vec<Canon> = keyed
        .into_iter()
        .map(|(key, members)| {
            let mut fields = vec![("_id".to_string(), key)];
            for a in &spec.aggregates {
                let values: Vec<Canon> = a
                    .field
                    .as_deref()
                    .map(|f| {
                        members
                            .iter()
                            .filter_map(|r| r.get(f))
                            .map(from_val)
                            .collect()
                    })
                    .unwrap_or_default();
                fields.push((a.output.clone(), output(a.op, members.len(), &values)));
            }
            Canon::object(fields)
        })
        .collect();
    out.sort_by_key(|g| id_order(spec, g));
    if let Some(sort) = sort {
        let path = if spec.is_output(&sort.field) {
            sort.field.clone()
        } else {
            group_output_path(spec, &sort.field)
        };
        // Stable: equal sort values stay in `_id` order, the pipeline's tie-break.
        out.sort_by(|a, b| {
            let (x, y) = (at(a, &path), at(b, &path));
            let (x, y) = if path == "_id" {
                (id_order(spec, a), id_order(spec, b))
            } else {
                (x, y)
            };
            match sort.order {
                SortOrder::Asc => x.cmp(&y),
                SortOrder::Desc => y.cmp(&x),
            }
        });
    }
    if let Some(n) = spec.limit {
        out.truncate(n as usize);
    }
    out
}

/// A group as a database returned it, in the reference's form: the null
/// fields of a compound `_id` left out, as a missing group field is.
pub fn normalize(group: Canon) -> Canon {
    let Canon::Object(fields) = group else {
        return group;
    };
    let fields = fields
        .into_iter()
        .map(|(k, v)| match (k.as_str(), v) {
            ("_id", Canon::Object(id)) => (
                k,
                Canon::Object(id.into_iter().filter(|(_, v)| *v != Canon::Null).collect()),
            ),
            (_, v) => (k, v),
        })
        .collect();
    Canon::Object(fields)
}

/// How a layout's groups differ from the expected ones: other groups or values
/// (numbers within [`TOLERANCE`]), or the right groups in another order when
/// the pattern sorts.
pub fn difference(expected: &[Canon], got: &[Canon], sorted: bool) -> Option<Difference> {
    if expected.len() != got.len() {
        return diff(
            DiffKind::Records,
            format!(
                "returned {} group(s), expected {}",
                got.len(),
                expected.len()
            ),
        );
    }
    let in_order = expected.iter().zip(got).all(|(a, b)| close(a, b));
    if in_order {
        return None;
    }
    let (mut a, mut b) = (expected.to_vec(), got.to_vec());
    a.sort();
    b.sort();
    let same_set = a.iter().zip(&b).all(|(x, y)| close(x, y));
    match (same_set, sorted) {
        (true, false) => None,
        (true, true) => diff(DiffKind::Order, "the right groups in the wrong order"),
        (false, _) => {
            let wrong = b.iter().find(|g| !a.iter().any(|e| close(e, g)));
            diff(
                DiffKind::Fields,
                match wrong {
                    Some(g) => format!("group {g} is not expected"),
                    None => "other groups than expected".to_string(),
                },
            )
        }
    }
}

fn group_key(spec: &AggregateSpec, r: &Val) -> Canon {
    match spec.group_by.as_slice() {
        [] => Canon::Null,
        [one] => r.get(one).map(from_val).unwrap_or(Canon::Null),
        many => Canon::object(
            many.iter()
                .filter_map(|f| Some((group_id_key(f), from_val(r.get(f)?))))
                .filter(|(_, v)| *v != Canon::Null)
                .collect(),
        ),
    }
}

fn output(op: AggregateOp, members: usize, values: &[Canon]) -> Canon {
    let numbers = || {
        values.iter().filter_map(|v| match v {
            Canon::Num(n) => Some(n),
            _ => None,
        })
    };
    let present = || values.iter().filter(|v| **v != Canon::Null);
    match op {
        AggregateOp::Count => Canon::Num(Num::from_i64(members as i64)),
        AggregateOp::Sum => {
            Canon::Num(numbers().fold(Num::from_i64(0), |s, n| s.add(n).unwrap_or(s)))
        }
        AggregateOp::Avg => {
            let (sum, n) = numbers().fold((0.0, 0usize), |(s, c), x| (s + x.to_f64(), c + 1));
            match (n, number_of_double(sum / n.max(1) as f64)) {
                (0, _) | (_, None) => Canon::Null,
                (_, Some(avg)) => Canon::Num(avg),
            }
        }
        AggregateOp::Min => present().min().cloned().unwrap_or(Canon::Null),
        AggregateOp::Max => present().max().cloned().unwrap_or(Canon::Null),
    }
}

/// What `_id` sorts by: its value, or for several group fields the
/// (name, value) pairs in the order `$group` writes them (the `groupBy`
/// order; MongoDB compares an embedded document field by field in its
/// order, where `Canon` keeps fields sorted by name).
fn id_order(spec: &AggregateSpec, group: &Canon) -> Canon {
    let id = at(group, "_id");
    if spec.group_by.len() < 2 {
        return id;
    }
    Canon::Array(
        spec.group_by
            .iter()
            .map(|f| group_id_key(f))
            .filter_map(|k| {
                let v = id.field(&k)?.clone();
                Some(Canon::Array(vec![Canon::Str(k), v]))
            })
            .collect(),
    )
}

/// The value at a dotted path of a group (`_id.profile_city`).
fn at(group: &Canon, path: &str) -> Canon {
    let mut current = group;
    for part in path.split('.') {
        match current.field(part) {
            Some(v) => current = v,
            None => return Canon::Null,
        }
    }
    current.clone()
}

/// Equal, numbers within the tolerance.
fn close(a: &Canon, b: &Canon) -> bool {
    match (a, b) {
        (Canon::Num(x), Canon::Num(y)) => {
            let (x, y) = (x.to_f64(), y.to_f64());
            x == y || (x - y).abs() <= TOLERANCE * x.abs().max(y.abs()).max(1.0)
        }
        (Canon::Object(x), Canon::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, v), (l, w))| k == l && close(v, w))
        }
        (Canon::Array(x), Canon::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| close(v, w))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: i64) -> Canon {
        Canon::Num(Num::from_i64(n))
    }

    fn group(id: &str, count: i64) -> Canon {
        Canon::object(vec![
            ("_id".into(), Canon::Str(id.into())),
            ("n".into(), num(count)),
        ])
    }

    #[test]
    fn groups_compare_as_sets_unless_sorted_and_numbers_within_the_tolerance() {
        let expected = vec![group("a", 2), group("b", 1)];
        let swapped = vec![group("b", 1), group("a", 2)];
        assert_eq!(difference(&expected, &swapped, false), None);
        assert_eq!(
            difference(&expected, &swapped, true).map(|d| d.kind),
            Some(DiffKind::Order)
        );
        assert_eq!(
            difference(&expected, &[group("a", 2), group("b", 2)], false).map(|d| d.kind),
            Some(DiffKind::Fields)
        );
        assert_eq!(
            difference(&expected, &[group("a", 2)], false).map(|d| d.kind),
            Some(DiffKind::Records)
        );
        let near = |x: f64| {
            Canon::object(vec![(
                "avg".into(),
                Canon::Num(number_of_double(x).unwrap_or(Num::from_i64(0))),
            )])
        };
        assert_eq!(difference(&[near(0.3)], &[near(0.1 + 0.2)], true), None);
        assert!(difference(&[near(0.3)], &[near(0.3001)], true).is_some());
    }
}
