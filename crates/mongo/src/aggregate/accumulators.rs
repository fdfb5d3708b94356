//! `$group` accumulators (manual: "Accumulators"): `$sum $avg $min $max $first $last $push
//! $addToSet $count $stdDevPop $stdDevSamp $mergeObjects`.

use bson::{Bson, Document};

use crate::error::{MongoError, Result};
use crate::expr::comparison::expr_compare;
use crate::expr::{self, nullish, Expr};
use crate::value::{as_num, is_number, values_equal};

/// Parses an accumulator's argument into its kind and expression.
pub type AccumulatorFn = fn(&Bson) -> Result<(AccKind, Expr)>;

pub const ACCUMULATORS: &[(&str, AccumulatorFn)] = &[
    ("$sum", |v| Ok((AccKind::Sum, expr::parse(v)?))),
    ("$avg", |v| Ok((AccKind::Avg, expr::parse(v)?))),
    ("$min", |v| Ok((AccKind::Min, expr::parse(v)?))),
    ("$max", |v| Ok((AccKind::Max, expr::parse(v)?))),
    ("$first", |v| Ok((AccKind::First, expr::parse(v)?))),
    ("$last", |v| Ok((AccKind::Last, expr::parse(v)?))),
    ("$push", |v| Ok((AccKind::Push, expr::parse(v)?))),
    ("$addToSet", |v| Ok((AccKind::AddToSet, expr::parse(v)?))),
    ("$mergeObjects", |v| {
        Ok((AccKind::MergeObjects, expr::parse(v)?))
    }),
    ("$stdDevPop", |v| {
        Ok((AccKind::StdDev { sample: false }, expr::parse(v)?))
    }),
    ("$stdDevSamp", |v| {
        Ok((AccKind::StdDev { sample: true }, expr::parse(v)?))
    }),
    ("$count", count),
];

/// `$count` takes an empty document.
fn count(v: &Bson) -> Result<(AccKind, Expr)> {
    match v {
        Bson::Document(d) if d.is_empty() => Ok((AccKind::Count, Expr::Literal(Bson::Null))),
        _ => Err(MongoError::location(
            40156,
            "$count takes no arguments, i.e. $count:{}",
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AccKind {
    Sum,
    Avg,
    Min,
    Max,
    First,
    Last,
    Push,
    AddToSet,
    MergeObjects,
    StdDev { sample: bool },
    Count,
}

/// The running state of one accumulator in one group.
#[derive(Debug, Clone)]
pub enum AccState {
    Values(Vec<Bson>),
    One(Option<Bson>),
    Count(i64),
    Merge(Document),
}

impl AccKind {
    pub fn start(self) -> AccState {
        match self {
            AccKind::Count => AccState::Count(0),
            AccKind::MergeObjects => AccState::Merge(Document::new()),
            AccKind::Min | AccKind::Max | AccKind::First | AccKind::Last => AccState::One(None),
            _ => AccState::Values(Vec::new()),
        }
    }

    pub fn add(self, state: &mut AccState, value: Bson) -> Result<()> {
        match (self, state) {
            (AccKind::Count, AccState::Count(n)) => *n += 1,
            (AccKind::Sum | AccKind::Avg | AccKind::StdDev { .. }, AccState::Values(vs))
                if is_number(&value) =>
            {
                vs.push(value)
            }
            (AccKind::Push, AccState::Values(vs)) if !matches!(value, Bson::Undefined) => {
                vs.push(value)
            }
            (AccKind::AddToSet, AccState::Values(vs))
                if !matches!(value, Bson::Undefined)
                    && !vs.iter().any(|v| values_equal(v, &value)) =>
            {
                vs.push(value)
            }
            (AccKind::Min | AccKind::Max, AccState::One(best)) => {
                if nullish(&value) {
                    return Ok(());
                }
                let replace = match best {
                    None => true,
                    Some(b) => {
                        let ord = expr_compare(&value, b);
                        if self == AccKind::Min {
                            ord.is_lt()
                        } else {
                            ord.is_gt()
                        }
                    }
                };
                if replace {
                    *best = Some(value);
                }
            }
            (AccKind::First, AccState::One(first)) if first.is_none() => {
                *first = Some(if matches!(value, Bson::Undefined) {
                    Bson::Null
                } else {
                    value
                });
            }
            (AccKind::Last, AccState::One(last)) => {
                *last = Some(if matches!(value, Bson::Undefined) {
                    Bson::Null
                } else {
                    value
                });
            }
            (AccKind::MergeObjects, AccState::Merge(out)) => match value {
                Bson::Document(d) => {
                    for (k, v) in d {
                        out.insert(k, v);
                    }
                }
                v if nullish(&v) => {}
                _ => {
                    return Err(MongoError::location(
                        40400,
                        "$mergeObjects requires object inputs",
                    ))
                }
            },
            _ => {}
        }
        Ok(())
    }

    pub fn finish(self, state: AccState) -> Bson {
        match (self, state) {
            (_, AccState::Count(n)) => crate::expr::arithmetic::from_int(
                i128::from(n),
                crate::expr::arithmetic::Width::Int,
            ),
            (_, AccState::Merge(d)) => Bson::Document(d),
            (AccKind::Sum, AccState::Values(vs)) => crate::expr::array::sum_values(vs.iter()),
            (AccKind::Avg, AccState::Values(vs)) => {
                if vs.is_empty() {
                    return Bson::Null;
                }
                let total: f64 = vs
                    .iter()
                    .filter_map(|v| as_num(v).map(|n| n.as_f64()))
                    .sum();
                let mean = total / vs.len() as f64;
                if vs.iter().any(|v| matches!(v, Bson::Decimal128(_))) {
                    crate::expr::arithmetic::decimal(mean)
                } else {
                    Bson::Double(mean)
                }
            }
            (AccKind::StdDev { sample }, AccState::Values(vs)) => {
                let xs: Vec<f64> = vs
                    .iter()
                    .filter_map(|v| as_num(v).map(|n| n.as_f64()))
                    .collect();
                let n = xs.len() as f64;
                if xs.is_empty() || (sample && xs.len() < 2) {
                    return Bson::Null;
                }
                let mean = xs.iter().sum::<f64>() / n;
                let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
                Bson::Double((ss / if sample { n - 1.0 } else { n }).sqrt())
            }
            (_, AccState::Values(vs)) => Bson::Array(vs),
            (_, AccState::One(v)) => v.unwrap_or(Bson::Null),
        }
    }
}

pub fn lookup(name: &str) -> Option<AccumulatorFn> {
    ACCUMULATORS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
}
