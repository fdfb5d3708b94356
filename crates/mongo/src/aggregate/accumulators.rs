//! `$group` accumulators (manual: "Accumulators"): `$sum $avg $min $max $first $last $push
//! $addToSet $count $stdDevPop $stdDevSamp $mergeObjects`, the n-value ones `$firstN $lastN
//! $maxN $minN`, and the sorted picks `$top $bottom $topN $bottomN`.

use bson::{Bson, Document};

use crate::error::{MongoError, Result};
use crate::expr::comparison::expr_compare;
use crate::expr::{self, nullish, Expr};
use crate::sort::SortSpec;
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
    ("$firstN", |v| n_accumulator("$firstN", v, NKind::First)),
    ("$lastN", |v| n_accumulator("$lastN", v, NKind::Last)),
    ("$maxN", |v| n_accumulator("$maxN", v, NKind::Max)),
    ("$minN", |v| n_accumulator("$minN", v, NKind::Min)),
    ("$top", |v| pick_accumulator("$top", v, false, false)),
    ("$bottom", |v| pick_accumulator("$bottom", v, true, false)),
    ("$topN", |v| pick_accumulator("$topN", v, false, true)),
    ("$bottomN", |v| pick_accumulator("$bottomN", v, true, true)),
];

/// Which values an n-value accumulator keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NKind {
    First,
    Last,
    Max,
    Min,
}

/// The `n` of `$firstN`-style operators: a constant positive whole number.
pub fn constant_n(name: &str, v: Option<&Bson>) -> Result<usize> {
    let Some(v) = v else {
        return Err(MongoError::location(
            5787906,
            format!("Missing value for 'n' in {name}"),
        ));
    };
    match as_num(v) {
        Some(n) if n.as_f64().fract() == 0.0 && n.as_f64() >= 1.0 => {
            Ok(n.as_f64().min(1e9) as usize)
        }
        _ => Err(MongoError::location(
            5787908,
            format!(
                "Value for 'n' must be a positive integral number in {name}, found {}",
                crate::value::shell(v)
            ),
        )),
    }
}

fn spec_doc<'a>(name: &str, v: &'a Bson) -> Result<&'a Document> {
    match v {
        Bson::Document(d) => Ok(d),
        _ => Err(MongoError::location(
            5787900,
            format!("specification for {name} must be an object"),
        )),
    }
}

/// `$firstN`, `$lastN`, `$maxN`, `$minN`: `{input, n}`.
fn n_accumulator(name: &str, v: &Bson, which: NKind) -> Result<(AccKind, Expr)> {
    let d = spec_doc(name, v)?;
    if let Some(k) = d.keys().find(|k| !matches!(k.as_str(), "input" | "n")) {
        return Err(MongoError::location(
            5787901,
            format!("Unknown argument for {name}: {k}"),
        ));
    }
    let n = constant_n(name, d.get("n"))?;
    let input = d.get("input").ok_or_else(|| {
        MongoError::location(5787907, format!("Missing value for 'input' in {name}"))
    })?;
    Ok((AccKind::N { which, n }, expr::parse(input)?))
}

/// `$top`, `$bottom` (`{sortBy, output}`) and `$topN`, `$bottomN` (`{sortBy, output, n}`). The
/// expression evaluates to `[output, $$ROOT]`: the sort key is read from the document.
fn pick_accumulator(name: &str, v: &Bson, bottom: bool, with_n: bool) -> Result<(AccKind, Expr)> {
    let d = spec_doc(name, v)?;
    let allowed: &[&str] = if with_n {
        &["sortBy", "output", "n"]
    } else {
        &["sortBy", "output"]
    };
    if let Some(k) = d.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(MongoError::location(
            5788002,
            format!("Unknown argument for {name}: {k}"),
        ));
    }
    let Some(Bson::Document(sort_by)) = d.get("sortBy") else {
        return Err(MongoError::location(
            5788005,
            format!("{name} requires a 'sortBy' object"),
        ));
    };
    let output = d.get("output").ok_or_else(|| {
        MongoError::location(5788004, format!("{name} requires an 'output' argument"))
    })?;
    let n = if with_n {
        Some(constant_n(name, d.get("n"))?)
    } else {
        None
    };
    let e = Expr::Array(vec![
        expr::parse(output)?,
        Expr::Var("ROOT".to_string(), Vec::new()),
    ]);
    Ok((
        AccKind::Pick {
            sort: Box::new(SortSpec::parse(sort_by)?),
            bottom,
            n,
        },
        e,
    ))
}

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

#[derive(Debug, Clone, PartialEq)]
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
    StdDev {
        sample: bool,
    },
    Count,
    N {
        which: NKind,
        n: usize,
    },
    Pick {
        sort: Box<SortSpec>,
        bottom: bool,
        n: Option<usize>,
    },
}

/// The running state of one accumulator in one group.
#[derive(Debug, Clone)]
pub enum AccState {
    Values(Vec<Bson>),
    One(Option<Bson>),
    Count(i64),
    Merge(Document),
    /// Outputs with their sort keys, for `$top`-style accumulators.
    Keyed(Vec<(Vec<Bson>, Bson)>),
}

impl AccKind {
    /// Whether the accumulator keeps the values it is given (their bytes count against
    /// `$group`'s memory, as in the server), rather than a running result.
    pub fn keeps_values(&self) -> bool {
        matches!(
            self,
            AccKind::Push
                | AccKind::AddToSet
                | AccKind::MergeObjects
                | AccKind::N { .. }
                | AccKind::Pick { .. }
        )
    }

    pub fn start(&self) -> AccState {
        match self {
            AccKind::Count => AccState::Count(0),
            AccKind::Pick { .. } => AccState::Keyed(Vec::new()),
            AccKind::MergeObjects => AccState::Merge(Document::new()),
            AccKind::Min | AccKind::Max | AccKind::First | AccKind::Last => AccState::One(None),
            _ => AccState::Values(Vec::new()),
        }
    }

    pub fn add(&self, state: &mut AccState, value: Bson) -> Result<()> {
        match (self, state) {
            (AccKind::N { which, n }, AccState::Values(vs)) => {
                let value = if matches!(value, Bson::Undefined) {
                    Bson::Null
                } else {
                    value
                };
                match which {
                    NKind::First if vs.len() < *n => vs.push(value),
                    NKind::First => {}
                    NKind::Last => {
                        vs.push(value);
                        if vs.len() > *n {
                            vs.remove(0);
                        }
                    }
                    NKind::Max | NKind::Min => {
                        if !nullish(&value) {
                            vs.push(value);
                        }
                    }
                }
            }
            (AccKind::Pick { sort, .. }, AccState::Keyed(items)) => {
                let (output, key) = match value {
                    Bson::Array(mut pair) if pair.len() == 2 => {
                        let root = pair.pop().unwrap_or(Bson::Null);
                        let output = pair.pop().unwrap_or(Bson::Null);
                        let key = match &root {
                            Bson::Document(doc) => sort.key(doc, None),
                            _ => Vec::new(),
                        };
                        (output, key)
                    }
                    other => (other, Vec::new()),
                };
                items.push((key, output));
            }
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
                        if *self == AccKind::Min {
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

    pub fn finish(&self, state: AccState) -> Bson {
        match (self, state) {
            (AccKind::N { which, n }, AccState::Values(mut vs)) => {
                match which {
                    NKind::Max => vs.sort_by(|a, b| expr_compare(b, a)),
                    NKind::Min => vs.sort_by(expr_compare),
                    NKind::First | NKind::Last => {}
                }
                vs.truncate(*n);
                Bson::Array(vs)
            }
            (AccKind::Pick { sort, bottom, n }, AccState::Keyed(mut items)) => {
                items.sort_by(|(a, _), (b, _)| sort.compare_keys(a, b));
                if *bottom {
                    items.reverse();
                }
                match n {
                    None => items.into_iter().next().map_or(Bson::Null, |(_, v)| v),
                    Some(n) => {
                        let mut picked: Vec<Bson> =
                            items.into_iter().take(*n).map(|(_, v)| v).collect();
                        if *bottom {
                            picked.reverse();
                        }
                        Bson::Array(picked)
                    }
                }
            }
            (_, AccState::Keyed(_)) => Bson::Null,
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
                let numbers: Vec<&Bson> = vs.iter().collect();
                if let Some(mean) = crate::expr::arithmetic::decimal_mean(&numbers) {
                    return mean;
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
                if xs.is_empty() || (*sample && xs.len() < 2) {
                    return Bson::Null;
                }
                let mean = xs.iter().sum::<f64>() / n;
                let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
                Bson::Double((ss / if *sample { n - 1.0 } else { n }).sqrt())
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
