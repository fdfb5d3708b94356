//! Array expression operators (manual: "Array Expression Operators"), and the accumulators that
//! also work as expressions over an array (`$sum $avg $min $max`).

use bson::Bson;

use super::comparison::expr_compare;
use super::{nullish, Args, Env, Expr, OpEntry, Style, MISSING};
use crate::error::{MongoError, Result};
use crate::value::{as_num, is_number, type_name, values_equal};

const ANY: usize = usize::MAX;

pub const OPERATORS: &[OpEntry] = &[
    ("$size", Style::List { min: 1, max: 1 }, size),
    (
        "$arrayElemAt",
        Style::List { min: 2, max: 2 },
        array_elem_at,
    ),
    ("$first", Style::List { min: 1, max: 1 }, first),
    ("$last", Style::List { min: 1, max: 1 }, last),
    ("$filter", Style::Named, filter),
    ("$map", Style::Named, map),
    ("$reduce", Style::Named, reduce),
    ("$in", Style::List { min: 2, max: 2 }, in_),
    (
        "$concatArrays",
        Style::List { min: 0, max: ANY },
        concat_arrays,
    ),
    ("$slice", Style::List { min: 2, max: 3 }, slice),
    (
        "$reverseArray",
        Style::List { min: 1, max: 1 },
        reverse_array,
    ),
    ("$isArray", Style::List { min: 1, max: 1 }, is_array),
    ("$range", Style::List { min: 2, max: 3 }, range),
    (
        "$indexOfArray",
        Style::List { min: 2, max: 4 },
        index_of_array,
    ),
    ("$zip", Style::Named, zip),
    ("$sortArray", Style::Named, sort_array),
    ("$firstN", Style::Named, first_n),
    ("$lastN", Style::Named, last_n),
    ("$maxN", Style::Named, max_n),
    ("$minN", Style::Named, min_n),
    ("$sum", Style::List { min: 0, max: ANY }, sum),
    ("$avg", Style::List { min: 0, max: ANY }, avg),
    ("$min", Style::List { min: 0, max: ANY }, min),
    ("$max", Style::List { min: 0, max: ANY }, max),
];

fn array_arg(name: &str, v: Bson) -> Result<Option<Vec<Bson>>> {
    match v {
        Bson::Array(items) => Ok(Some(items)),
        v if nullish(&v) => Ok(None),
        other => Err(MongoError::location(
            28689,
            format!(
                "{name}'s argument must be an array, but is {}",
                type_name(&other)
            ),
        )),
    }
}

/// `$size`: an error unless the argument is an array.
fn size(args: &Args, env: &mut Env) -> Result<Bson> {
    match env.arg(args, 0)? {
        Bson::Array(items) => Ok(Bson::Int32(items.len() as i32)),
        other => Err(MongoError::location(
            17124,
            format!(
                "The argument to $size must be an array. Type of argument: {}",
                type_name(&other)
            ),
        )),
    }
}

fn whole(name: &str, v: &Bson) -> Result<i64> {
    match as_num(v) {
        Some(n) if n.as_f64().fract() == 0.0 => Ok(n.as_f64() as i64),
        _ => Err(MongoError::location(
            28690,
            format!(
                "{name}'s second argument must be a numeric value, but is {}",
                type_name(v)
            ),
        )),
    }
}

/// `$arrayElemAt`: negative indexes count from the end; out of range is missing.
fn array_elem_at(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(items) = array_arg("$arrayElemAt", env.arg(args, 0)?)? else {
        return Ok(Bson::Null);
    };
    let idx = env.arg(args, 1)?;
    if nullish(&idx) {
        return Ok(Bson::Null);
    }
    let i = whole("$arrayElemAt", &idx)?;
    let i = if i < 0 {
        (items.len() as i64).saturating_add(i)
    } else {
        i
    };
    Ok(usize::try_from(i)
        .ok()
        .and_then(|i| items.get(i).cloned())
        .unwrap_or(MISSING))
}

/// `$first` (array form).
fn first(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(
        array_arg("$first", env.arg(args, 0)?)?.map_or(Bson::Null, |items| {
            items.into_iter().next().unwrap_or(MISSING)
        }),
    )
}

/// `$last` (array form).
fn last(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(
        array_arg("$last", env.arg(args, 0)?)?.map_or(Bson::Null, |items| {
            items.into_iter().last().unwrap_or(MISSING)
        }),
    )
}

fn var_name(args: &Args, default: &str) -> Result<String> {
    match args.named("as") {
        None => Ok(default.to_string()),
        Some(Expr::Literal(Bson::String(s))) => {
            crate::expr::object::check_variable_name(s)?;
            Ok(s.clone())
        }
        Some(_) => Err(MongoError::bad_value("'as' must be a variable name")),
    }
}

/// `$filter`: `{input, as, cond, limit}`.
fn filter(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(items) = array_arg("$filter", env.named(args, "input")?)? else {
        return Ok(Bson::Null);
    };
    let name = var_name(args, "this")?;
    let cond = args
        .named("cond")
        .ok_or_else(|| MongoError::location(28648, "Missing 'cond' parameter to $filter"))?;
    let limit = match env.named(args, "limit")? {
        Bson::Undefined | Bson::Null => usize::MAX,
        v => whole("$filter", &v)?.max(1) as usize,
    };
    let mut out = Vec::new();
    for item in items {
        if out.len() >= limit {
            break;
        }
        let keep = env.with_var(&name, item.clone(), |env| env.eval(cond))?;
        if crate::value::truthy(&keep) {
            out.push(item);
        }
    }
    Ok(Bson::Array(out))
}

/// `$map`: `{input, as, in}`.
fn map(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(items) = array_arg("$map", env.named(args, "input")?)? else {
        return Ok(Bson::Null);
    };
    let name = var_name(args, "this")?;
    let body = args
        .named("in")
        .ok_or_else(|| MongoError::location(16882, "Missing 'in' parameter to $map"))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let v = env.with_var(&name, item, |env| env.eval(body))?;
        out.push(if matches!(v, Bson::Undefined) {
            Bson::Null
        } else {
            v
        });
    }
    Ok(Bson::Array(out))
}

/// `$reduce`: `{input, initialValue, in}` with `$$value` and `$$this`.
fn reduce(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(items) = array_arg("$reduce", env.named(args, "input")?)? else {
        return Ok(Bson::Null);
    };
    let mut acc = env.named(args, "initialValue")?;
    let body = args
        .named("in")
        .ok_or_else(|| MongoError::location(40076, "Missing 'in' parameter to $reduce"))?;
    for item in items {
        env.vars.push(("value".to_string(), acc));
        env.vars.push(("this".to_string(), item));
        let next = env.eval(body);
        env.vars.pop();
        env.vars.pop();
        acc = next?;
    }
    Ok(acc)
}

/// `$in`: membership in an array.
fn in_(args: &Args, env: &mut Env) -> Result<Bson> {
    let needle = env.arg(args, 0)?;
    match env.arg(args, 1)? {
        Bson::Array(items) => Ok(Bson::Boolean(
            items.iter().any(|i| values_equal(i, &needle)),
        )),
        other => Err(MongoError::location(
            40081,
            format!(
                "$in requires an array as a second argument, found: {}",
                type_name(&other)
            ),
        )),
    }
}

/// `$concatArrays`.
fn concat_arrays(args: &Args, env: &mut Env) -> Result<Bson> {
    let mut out = Vec::new();
    for v in env.all_args(args)? {
        match array_arg("$concatArrays", v)? {
            Some(items) => out.extend(items),
            None => return Ok(Bson::Null),
        }
    }
    Ok(Bson::Array(out))
}

/// `$slice`: `[array, n]` or `[array, position, n]`.
fn slice(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(items) = array_arg("$slice", env.arg(args, 0)?)? else {
        return Ok(Bson::Null);
    };
    let len = items.len() as i64;
    let (start, count) = if args.list().len() == 2 {
        let n = whole("$slice", &env.arg(args, 1)?)?;
        if n >= 0 {
            (0, n)
        } else {
            (len.saturating_add(n).max(0), n.saturating_neg())
        }
    } else {
        let p = whole("$slice", &env.arg(args, 1)?)?;
        let n = whole("$slice", &env.arg(args, 2)?)?;
        if n <= 0 {
            return Err(MongoError::location(
                28729,
                "Third argument to $slice must be positive",
            ));
        }
        (
            if p < 0 {
                len.saturating_add(p).max(0)
            } else {
                p.min(len)
            },
            n,
        )
    };
    Ok(Bson::Array(
        items
            .into_iter()
            .skip(start as usize)
            .take(count as usize)
            .collect(),
    ))
}

/// `$reverseArray`.
fn reverse_array(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(
        array_arg("$reverseArray", env.arg(args, 0)?)?.map_or(Bson::Null, |mut items| {
            items.reverse();
            Bson::Array(items)
        }),
    )
}

/// `$isArray`.
fn is_array(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Boolean(matches!(env.arg(args, 0)?, Bson::Array(_))))
}

/// `$range`: `[start, end, step]`, at most a million values.
fn range(args: &Args, env: &mut Env) -> Result<Bson> {
    let start = whole("$range", &env.arg(args, 0)?)?;
    let end = whole("$range", &env.arg(args, 1)?)?;
    let step = match env.arg(args, 2)? {
        Bson::Undefined => 1,
        v => whole("$range", &v)?,
    };
    if step == 0 {
        return Err(MongoError::location(
            34449,
            "$range requires a non-zero step value",
        ));
    }
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < end) || (step < 0 && i > end) {
        if out.len() >= 1_000_000 {
            return Err(MongoError::location(
                5379700,
                "$range would use too much memory and cannot spill",
            ));
        }
        out.push(crate::expr::arithmetic::from_int(
            i128::from(i),
            crate::expr::arithmetic::Width::Int,
        ));
        i = match i.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    Ok(Bson::Array(out))
}

/// `$indexOfArray`.
fn index_of_array(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(items) = array_arg("$indexOfArray", env.arg(args, 0)?)? else {
        return Ok(Bson::Null);
    };
    let needle = env.arg(args, 1)?;
    let start = match env.arg(args, 2)? {
        Bson::Undefined => 0,
        v => {
            crate::expr::string::nonnegative("$indexOfArray", "start", whole("$indexOfArray", &v)?)?
        }
    };
    let end = match env.arg(args, 3)? {
        Bson::Undefined => items.len(),
        v => crate::expr::string::nonnegative("$indexOfArray", "end", whole("$indexOfArray", &v)?)?
            .min(items.len()),
    };
    for (i, item) in items.iter().enumerate().take(end).skip(start) {
        if values_equal(item, &needle) {
            return Ok(Bson::Int32(i as i32));
        }
    }
    Ok(Bson::Int32(-1))
}

/// `$zip`: `{inputs, useLongestLength, defaults}` transposes arrays; it stops at the shortest
/// array unless `useLongestLength`, which pads with `defaults` (or null).
fn zip(args: &Args, env: &mut Env) -> Result<Bson> {
    let inputs = match env.named(args, "inputs")? {
        Bson::Array(items) => items,
        other => {
            return Err(MongoError::location(
                34461,
                format!(
                    "inputs must be an array of expressions, found {}",
                    type_name(&other)
                ),
            ))
        }
    };
    let longest = match env.named(args, "useLongestLength")? {
        Bson::Undefined => false,
        Bson::Boolean(b) => b,
        other => {
            return Err(MongoError::location(
                34463,
                format!(
                    "useLongestLength must be a bool, found {}",
                    type_name(&other)
                ),
            ))
        }
    };
    let defaults = match env.named(args, "defaults")? {
        Bson::Undefined => None,
        Bson::Array(d) => Some(d),
        other => {
            return Err(MongoError::location(
                34462,
                format!("defaults must be an array, found {}", type_name(&other)),
            ))
        }
    };
    if let Some(d) = &defaults {
        if !longest {
            return Err(MongoError::location(
                34466,
                "cannot specify defaults unless useLongestLength is true",
            ));
        }
        if d.len() != inputs.len() {
            return Err(MongoError::location(
                34467,
                "defaults and inputs must have the same length",
            ));
        }
    }
    let mut arrays = Vec::with_capacity(inputs.len());
    for input in inputs {
        match input {
            Bson::Array(items) => arrays.push(items),
            v if nullish(&v) => return Ok(Bson::Null),
            other => {
                return Err(MongoError::location(
                    34468,
                    format!(
                        "$zip found a non-array expression in input: {}",
                        crate::value::shell(&other)
                    ),
                ))
            }
        }
    }
    let lengths = arrays.iter().map(Vec::len);
    let n = if longest {
        lengths.max().unwrap_or(0)
    } else {
        lengths.min().unwrap_or(0)
    };
    let out = (0..n)
        .map(|i| {
            Bson::Array(
                arrays
                    .iter()
                    .enumerate()
                    .map(|(j, a)| {
                        a.get(i).cloned().unwrap_or_else(|| {
                            defaults
                                .as_ref()
                                .and_then(|d| d.get(j).cloned())
                                .unwrap_or(Bson::Null)
                        })
                    })
                    .collect(),
            )
        })
        .collect();
    Ok(Bson::Array(out))
}

/// `$sortArray`: `{input, sortBy}`; `sortBy` is 1 or -1 to sort the values, or a sort document
/// for arrays of documents (a missing field sorts as null).
fn sort_array(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(sort_by) = args.named("sortBy") else {
        return Err(MongoError::location(
            2942501,
            "$sortArray requires 'sortBy' to be specified",
        ));
    };
    let Expr::Literal(sort_by) = sort_by.clone() else {
        // A sort document is parsed as an object expression: read it back as a document.
        let Expr::Object(fields) = sort_by else {
            return Err(MongoError::location(
                2942505,
                "$sortArray requires 'sortBy' to be a sort specification",
            ));
        };
        let mut spec = bson::Document::new();
        for (k, e) in fields {
            match e {
                Expr::Literal(v) => {
                    spec.insert(k.clone(), v.clone());
                }
                _ => {
                    return Err(MongoError::location(
                        2942505,
                        "$sortArray requires 'sortBy' to be a sort specification",
                    ))
                }
            }
        }
        let spec = crate::sort::SortSpec::parse(&spec)?;
        let Some(items) = array_arg("$sortArray", env.named(args, "input")?)? else {
            return Ok(Bson::Null);
        };
        let empty = bson::Document::new();
        let sorted = spec.sort(items, |item| match item {
            Bson::Document(d) => spec.key(d, None),
            _ => spec.key(&empty, None),
        });
        return Ok(Bson::Array(sorted));
    };
    let descending = match as_num(&sort_by).map(|n| n.as_f64()) {
        Some(1.0) => false,
        Some(-1.0) => true,
        _ => {
            return Err(MongoError::location(
                2942505,
                "$sortArray requires 'sortBy' to be 1, -1 or a sort specification",
            ))
        }
    };
    let Some(mut items) = array_arg("$sortArray", env.named(args, "input")?)? else {
        return Ok(Bson::Null);
    };
    items.sort_by(|a, b| {
        let ord = crate::value::compare(a, b);
        if descending {
            ord.reverse()
        } else {
            ord
        }
    });
    Ok(Bson::Array(items))
}

/// The `{input, n}` of the array forms of `$firstN`, `$lastN`, `$maxN`, `$minN`; `None` when
/// the input is null or missing.
fn n_args(name: &str, args: &Args, env: &mut Env) -> Result<Option<(Vec<Bson>, usize)>> {
    let n = env.named(args, "n")?;
    let n = crate::aggregate::accumulators::constant_n(
        name,
        if matches!(n, Bson::Undefined) {
            None
        } else {
            Some(&n)
        },
    )?;
    match env.named(args, "input")? {
        Bson::Array(items) => Ok(Some((items, n))),
        v if nullish(&v) => Ok(None),
        other => Err(MongoError::location(
            5788200,
            format!(
                "Input to {name} must be an array, found {}",
                type_name(&other)
            ),
        )),
    }
}

/// `$firstN` (array operator): the first `n` elements.
fn first_n(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(match n_args("$firstN", args, env)? {
        Some((items, n)) => Bson::Array(items.into_iter().take(n).collect()),
        None => Bson::Null,
    })
}

/// `$lastN` (array operator): the last `n` elements.
fn last_n(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(match n_args("$lastN", args, env)? {
        Some((items, n)) => {
            let skip = items.len().saturating_sub(n);
            Bson::Array(items.into_iter().skip(skip).collect())
        }
        None => Bson::Null,
    })
}

fn extreme_n(name: &str, args: &Args, env: &mut Env, want_max: bool) -> Result<Bson> {
    let Some((items, n)) = n_args(name, args, env)? else {
        return Ok(Bson::Null);
    };
    let mut values: Vec<Bson> = items.into_iter().filter(|v| !nullish(v)).collect();
    if want_max {
        values.sort_by(|a, b| expr_compare(b, a));
    } else {
        values.sort_by(expr_compare);
    }
    values.truncate(n);
    Ok(Bson::Array(values))
}

/// `$maxN` (array operator): the `n` largest values, largest first, nulls ignored.
fn max_n(args: &Args, env: &mut Env) -> Result<Bson> {
    extreme_n("$maxN", args, env, true)
}

/// `$minN` (array operator): the `n` smallest values, smallest first, nulls ignored.
fn min_n(args: &Args, env: &mut Env) -> Result<Bson> {
    extreme_n("$minN", args, env, false)
}

/// The values an accumulator-style expression works on: one array argument is unwound.
fn operands(args: &Args, env: &mut Env) -> Result<Vec<Bson>> {
    let values = env.all_args(args)?;
    if values.len() == 1 {
        if let Some(Bson::Array(items)) = values.first() {
            return Ok(items.clone());
        }
    }
    Ok(values)
}

/// Sums numbers with MongoDB's widening, ignoring everything else.
pub fn sum_values<'a>(values: impl Iterator<Item = &'a Bson>) -> Bson {
    use crate::expr::arithmetic::{from_float, from_int, width, Width};
    let mut w = Width::Int;
    let mut int_sum: i128 = 0;
    let mut float_sum = 0.0;
    let mut all_int = true;
    let mut numbers: Vec<&Bson> = Vec::new();
    for v in values {
        let Some(vw) = width(v) else { continue };
        numbers.push(v);
        w = w.max(vw);
        match v {
            Bson::Int32(i) => int_sum += i128::from(*i),
            Bson::Int64(i) => int_sum += i128::from(*i),
            _ => all_int = false,
        }
        float_sum += as_num(v).map_or(0.0, |n| n.as_f64());
    }
    if w == Width::Decimal {
        if let Some(d) = crate::expr::arithmetic::decimal_fold(&numbers, crate::decimal::Exact::add)
        {
            return d;
        }
    }
    if all_int {
        from_int(int_sum, w)
    } else {
        from_float(float_sum, w)
    }
}

/// `$sum` as an expression.
fn sum(args: &Args, env: &mut Env) -> Result<Bson> {
    let values = operands(args, env)?;
    Ok(sum_values(values.iter()))
}

/// `$avg` as an expression: null when there are no numbers.
fn avg(args: &Args, env: &mut Env) -> Result<Bson> {
    let values = operands(args, env)?;
    let nums: Vec<f64> = values
        .iter()
        .filter(|v| is_number(v))
        .filter_map(|v| as_num(v).map(|n| n.as_f64()))
        .collect();
    if nums.is_empty() {
        return Ok(Bson::Null);
    }
    let numbers: Vec<&Bson> = values.iter().filter(|v| is_number(v)).collect();
    if let Some(mean) = crate::expr::arithmetic::decimal_mean(&numbers) {
        return Ok(mean);
    }
    let decimal = values.iter().any(|v| matches!(v, Bson::Decimal128(_)));
    let mean = nums.iter().sum::<f64>() / nums.len() as f64;
    Ok(if decimal {
        crate::expr::arithmetic::decimal(mean)
    } else {
        Bson::Double(mean)
    })
}

fn extreme(args: &Args, env: &mut Env, want_max: bool) -> Result<Bson> {
    let values = operands(args, env)?;
    let mut best: Option<Bson> = None;
    for v in values {
        if nullish(&v) {
            continue;
        }
        best = match best {
            None => Some(v),
            Some(b) => {
                let ord = expr_compare(&v, &b);
                if (want_max && ord.is_gt()) || (!want_max && ord.is_lt()) {
                    Some(v)
                } else {
                    Some(b)
                }
            }
        };
    }
    Ok(best.unwrap_or(Bson::Null))
}

/// `$min` as an expression.
fn min(args: &Args, env: &mut Env) -> Result<Bson> {
    extreme(args, env, false)
}
/// `$max` as an expression.
fn max(args: &Args, env: &mut Env) -> Result<Bson> {
    extreme(args, env, true)
}
