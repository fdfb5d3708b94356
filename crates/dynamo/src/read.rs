//! Query and Scan: key conditions, ordered reads per partition, filters, paging and limits.

use std::borrow::Cow;
use std::ops::Bound;

use serde_json::{Map, Value};

use crate::capacity::{read_units, Consumed, ReturnCapacity};
use crate::db::Database;
use crate::error::{DynamoError, Result};
use crate::expr::eval::{matches, project};
use crate::expr::{CmpOp, Cond, ExprKind, Operand, Path, PathElem};
use crate::items::attributes_to_get;
use crate::request::{opt_bool, opt_int, opt_str, table_name, Expressions};
use crate::table::{Index, KeySchema, KeyValue, PrimaryKey, Projection, Table};
use crate::value::{item_from_json, item_size, item_to_json, AttributeValue, Item};

/// Query and Scan stop reading after this many bytes, before any filter is applied.
const PAGE_BYTES: usize = 1024 * 1024;

/// The sort key part of a key condition.
#[derive(Clone, Debug, PartialEq)]
enum SortCond {
    Cmp(CmpOp, KeyValue),
    Between(KeyValue, KeyValue),
    BeginsWith(KeyValue),
}

/// Where to resume: the sort key within the partition (table) or index sort key plus table key.
#[derive(Clone, Debug)]
struct StartKey {
    table_key: PrimaryKey,
    index_hash: Option<KeyValue>,
    index_range: Option<KeyValue>,
}

fn invalid_key_condition(message: impl Into<String>) -> DynamoError {
    DynamoError::validation(message)
}

fn flatten_and<'a>(cond: &'a Cond, out: &mut Vec<&'a Cond>) {
    match cond {
        Cond::And(a, b) => {
            flatten_and(a, out);
            flatten_and(b, out);
        }
        other => out.push(other),
    }
}

fn key_attr_name(path: &Path) -> Result<&str> {
    match path.0.as_slice() {
        [PathElem::Attr(a)] => Ok(a),
        _ => Err(invalid_key_condition(
            "KeyConditionExpressions cannot have conditions on nested attributes",
        )),
    }
}

fn key_value(v: &AttributeValue) -> Result<KeyValue> {
    KeyValue::from_attribute(v).ok_or_else(|| {
        DynamoError::validation("One or more parameter values were invalid: Condition parameter type does not match schema type")
    })
}

/// Splits a key condition into the partition key value and the sort key condition.
fn key_condition(cond: &Cond, schema: &KeySchema) -> Result<(KeyValue, Option<SortCond>)> {
    let mut parts = Vec::new();
    flatten_and(cond, &mut parts);
    // Conditions naming more distinct attributes than the key has are counted before anything else.
    let mut named: Vec<&Path> = Vec::new();
    for part in &parts {
        let mut paths = Vec::new();
        cond_paths(part, &mut paths);
        for p in paths {
            if !named.contains(&p) {
                named.push(p);
            }
        }
    }
    let key_count = 1 + usize::from(schema.range.is_some());
    if named.len() > key_count && parts.len() > key_count {
        return Err(invalid_key_condition(format!(
            "The number of query conditions ({}) exceeds the number of key attributes defined in the schema ({key_count})",
            parts.len()
        )));
    }
    let mut hash: Option<KeyValue> = None;
    let mut sort: Option<SortCond> = None;
    for part in parts {
        let (name, sc) = match part {
            Cond::Cmp(a, op, b) => {
                let (path, value, op) = match (a, b) {
                    (Operand::Path(p), Operand::Value(v)) => (p, v, *op),
                    (Operand::Value(v), Operand::Path(p)) => (p, v, op.flipped()),
                    _ => return Err(invalid_key_condition("Invalid KeyConditionExpression: Only a key attribute can be compared with a value in a key condition")),
                };
                if op == CmpOp::Ne {
                    return Err(invalid_key_condition(
                        "Unsupported operator on KeyConditionExpression: operator: <>",
                    ));
                }
                (key_attr_name(path)?, SortCond::Cmp(op, key_value(value)?))
            }
            Cond::Between(Operand::Path(p), Operand::Value(lo), Operand::Value(hi)) => (
                key_attr_name(p)?,
                SortCond::Between(key_value(lo)?, key_value(hi)?),
            ),
            Cond::BeginsWith(Operand::Path(p), Operand::Value(v)) => {
                (key_attr_name(p)?, SortCond::BeginsWith(key_value(v)?))
            }
            Cond::Or(..) => {
                return Err(invalid_key_condition(
                    "Invalid operator used in KeyConditionExpression: OR",
                ))
            }
            Cond::Not(..) => {
                return Err(invalid_key_condition(
                    "Invalid operator used in KeyConditionExpression: NOT",
                ))
            }
            Cond::In(..) => {
                return Err(invalid_key_condition(
                    "Invalid operator used in KeyConditionExpression: IN",
                ))
            }
            Cond::Exists(_) => {
                return Err(invalid_key_condition(
                    "Invalid operator used in KeyConditionExpression: attribute_exists",
                ))
            }
            Cond::NotExists(_) => {
                return Err(invalid_key_condition(
                    "Invalid operator used in KeyConditionExpression: attribute_not_exists",
                ))
            }
            Cond::Type(..) => {
                return Err(invalid_key_condition(
                    "Invalid operator used in KeyConditionExpression: attribute_type",
                ))
            }
            Cond::Contains(..) => {
                return Err(invalid_key_condition(
                    "Invalid operator used in KeyConditionExpression: contains",
                ))
            }
            _ => {
                return Err(invalid_key_condition(
                    "Invalid KeyConditionExpression: Query key condition not supported",
                ))
            }
        };
        if name == schema.hash.name {
            let SortCond::Cmp(CmpOp::Eq, v) = sc else {
                return Err(invalid_key_condition("Query key condition not supported"));
            };
            if hash.is_some() {
                return Err(invalid_key_condition(
                    "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key",
                ));
            }
            if v.scalar_type() != schema.hash.ty {
                return Err(DynamoError::validation(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type",
                ));
            }
            if matches!(&v, KeyValue::S(x) if x.is_empty())
                || matches!(&v, KeyValue::B(x) if x.is_empty())
            {
                return Err(DynamoError::validation(format!(
                    "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {} value. Key: {}",
                    if v.scalar_type() == crate::table::ScalarType::S { "string" } else { "binary" },
                    schema.hash.name
                )));
            }
            hash = Some(v);
        } else if let Some(range) = schema.range.as_ref().filter(|r| r.name == name) {
            if sort.is_some() {
                return Err(invalid_key_condition(
                    "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key",
                ));
            }
            let types_ok = match &sc {
                SortCond::Cmp(_, v) => v.scalar_type() == range.ty,
                SortCond::Between(a, b) => {
                    a.scalar_type() == range.ty && b.scalar_type() == range.ty
                }
                // A number prefix was rejected while parsing; a string or binary prefix on a
                // number sort key fails the schema check like any other mismatched type.
                SortCond::BeginsWith(v) => v.scalar_type() == range.ty,
            };
            if !types_ok {
                return Err(DynamoError::validation(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type",
                ));
            }
            sort = Some(sc);
        } else {
            return Err(invalid_key_condition(format!(
                "Query condition missed key schema element: {}",
                if hash.is_none() {
                    &schema.hash.name
                } else {
                    schema.range.as_ref().map_or(&schema.hash.name, |r| &r.name)
                }
            )));
        }
    }
    let hash = hash.ok_or_else(|| {
        invalid_key_condition(format!(
            "Query condition missed key schema element: {}",
            schema.hash.name
        ))
    })?;
    Ok((hash, sort))
}

type B = Bound<Option<KeyValue>>;

fn sort_bounds(sort: &Option<SortCond>) -> (B, B) {
    use Bound::{Excluded, Included, Unbounded};
    match sort {
        None => (Unbounded, Unbounded),
        Some(SortCond::Cmp(op, v)) => {
            let v = Some(v.clone());
            match op {
                CmpOp::Lt => (Unbounded, Excluded(v)),
                CmpOp::Le => (Unbounded, Included(v)),
                CmpOp::Gt => (Excluded(v), Unbounded),
                CmpOp::Ge => (Included(v), Unbounded),
                _ => (Included(v.clone()), Included(v)),
            }
        }
        Some(SortCond::Between(a, b)) => (Included(Some(a.clone())), Included(Some(b.clone()))),
        Some(SortCond::BeginsWith(p)) => (Included(Some(p.clone())), Unbounded),
    }
}

fn bound_value<T>(b: &Bound<T>) -> Option<&T> {
    match b {
        Bound::Included(v) | Bound::Excluded(v) => Some(v),
        Bound::Unbounded => None,
    }
}

/// The tighter of two lower bounds.
fn max_lower(a: B, b: B) -> B {
    match (bound_value(&a), bound_value(&b)) {
        (None, _) => b,
        (_, None) => a,
        (Some(x), Some(y)) => match x.cmp(y) {
            std::cmp::Ordering::Greater => a,
            std::cmp::Ordering::Less => b,
            std::cmp::Ordering::Equal => {
                if matches!(a, Bound::Excluded(_)) {
                    a
                } else {
                    b
                }
            }
        },
    }
}

/// The tighter of two upper bounds.
fn min_upper(a: B, b: B) -> B {
    match (bound_value(&a), bound_value(&b)) {
        (None, _) => b,
        (_, None) => a,
        (Some(x), Some(y)) => match x.cmp(y) {
            std::cmp::Ordering::Less => a,
            std::cmp::Ordering::Greater => b,
            std::cmp::Ordering::Equal => {
                if matches!(a, Bound::Excluded(_)) {
                    a
                } else {
                    b
                }
            }
        },
    }
}

/// Whether no value lies between the bounds (`BTreeMap::range` would panic on some of these).
fn empty_range(lo: &B, hi: &B) -> bool {
    match (lo, hi) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
        (Bound::Included(a), Bound::Included(b)) => a > b,
        (Bound::Included(a), Bound::Excluded(b))
        | (Bound::Excluded(a), Bound::Included(b))
        | (Bound::Excluded(a), Bound::Excluded(b)) => a >= b,
    }
}

fn has_prefix(v: &Option<KeyValue>, prefix: &KeyValue) -> bool {
    match (v, prefix) {
        (Some(KeyValue::S(s)), KeyValue::S(p)) => s.starts_with(p.as_str()),
        (Some(KeyValue::B(s)), KeyValue::B(p)) => s.starts_with(p),
        _ => false,
    }
}

type ItemIter<'a> = Box<dyn Iterator<Item = &'a Item> + 'a>;

/// Items of one partition in sort order (reversed when `!forward`), within the key condition,
/// after the start key: O(log n) to find the first item.
fn query_items<'a>(
    table: &'a Table,
    index: Option<&'a Index>,
    hash: &KeyValue,
    sort: &Option<SortCond>,
    forward: bool,
    start: Option<StartKey>,
) -> ItemIter<'a> {
    let (mut lo, mut hi) = sort_bounds(sort);
    let prefix = match sort {
        Some(SortCond::BeginsWith(p)) => Some(p.clone()),
        _ => None,
    };
    let keep = std::rc::Rc::new(move |sk: &Option<KeyValue>| {
        prefix.as_ref().is_none_or(|p| has_prefix(sk, p))
    });
    let keep2 = keep.clone();
    match index {
        None => {
            if let Some(s) = &start {
                if forward {
                    lo = max_lower(lo, Bound::Excluded(s.table_key.range.clone()));
                } else {
                    hi = min_upper(hi, Bound::Excluded(s.table_key.range.clone()));
                }
            }
            let Some(partition) = table.items.get(hash) else {
                return Box::new(std::iter::empty());
            };
            if empty_range(&lo, &hi) {
                return Box::new(std::iter::empty());
            }
            let range = partition.range((lo, hi));
            let it: Box<dyn Iterator<Item = (&Option<KeyValue>, &Item)>> = if forward {
                Box::new(range)
            } else {
                Box::new(range.rev())
            };
            Box::new(
                it.skip_while(move |(k, _)| !keep(k))
                    .take_while(move |(k, _)| keep2(k))
                    .map(|(_, v)| v),
            )
        }
        Some(index) => {
            if let Some(s) = &start {
                if forward {
                    lo = max_lower(lo, Bound::Included(s.index_range.clone()));
                } else {
                    hi = min_upper(hi, Bound::Included(s.index_range.clone()));
                }
            }
            let Some(partition) = index.entries.get(hash) else {
                return Box::new(std::iter::empty());
            };
            if empty_range(&lo, &hi) {
                return Box::new(std::iter::empty());
            }
            let range = partition.range((lo, hi));
            let groups: Box<
                dyn Iterator<Item = (&Option<KeyValue>, &std::collections::BTreeSet<PrimaryKey>)>,
            > = if forward {
                Box::new(range)
            } else {
                Box::new(range.rev())
            };
            let entries = groups
                .skip_while(move |(k, _)| !keep(k))
                .take_while(move |(k, _)| keep2(k))
                .flat_map(move |(isk, keys)| {
                    let it: Box<dyn Iterator<Item = &PrimaryKey>> = if forward {
                        Box::new(keys.iter())
                    } else {
                        Box::new(keys.iter().rev())
                    };
                    it.map(move |k| (isk, k))
                });
            let entries = entries.skip_while(move |(isk, k)| match &start {
                Some(s) if **isk == s.index_range => {
                    if forward {
                        **k <= s.table_key
                    } else {
                        **k >= s.table_key
                    }
                }
                _ => false,
            });
            Box::new(entries.filter_map(move |(_, k)| table.get(k)))
        }
    }
}

/// A stable hash of a partition key, to assign partitions to Scan segments.
fn segment_of(hash: &KeyValue, total: u64) -> u64 {
    let bytes: Vec<u8> = match hash {
        KeyValue::S(s) => s.as_bytes().to_vec(),
        KeyValue::N(n) => n.to_string().into_bytes(),
        KeyValue::B(b) => b.clone(),
    };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % total
}

/// Every item of the table or index in storage order, from after the start key, of one segment.
fn scan_items<'a>(
    table: &'a Table,
    index: Option<&'a Index>,
    start: Option<StartKey>,
    segment: Option<(u64, u64)>,
) -> ItemIter<'a> {
    let in_segment = move |h: &KeyValue| segment.is_none_or(|(s, total)| segment_of(h, total) == s);
    match index {
        None => {
            let lower = start.as_ref().map_or(Bound::Unbounded, |s| {
                Bound::Included(s.table_key.hash.clone())
            });
            let start_key = start.map(|s| s.table_key);
            Box::new(
                table
                    .items
                    .range((lower, Bound::Unbounded))
                    .filter(move |(h, _)| in_segment(h))
                    .flat_map(|(h, part)| part.iter().map(move |(r, item)| (h, r, item)))
                    .skip_while(move |(h, r, _)| match &start_key {
                        Some(s) => *h == &s.hash && **r <= s.range,
                        None => false,
                    })
                    .map(|(_, _, item)| item),
            )
        }
        Some(index) => {
            let lower = match start.as_ref().and_then(|s| s.index_hash.clone()) {
                Some(h) => Bound::Included(h),
                None => Bound::Unbounded,
            };
            Box::new(
                index
                    .entries
                    .range((lower, Bound::Unbounded))
                    .filter(move |(h, _)| in_segment(h))
                    .flat_map(|(h, part)| {
                        part.iter()
                            .flat_map(move |(r, keys)| keys.iter().map(move |k| (h, r, k)))
                    })
                    .skip_while(move |(h, r, k)| match &start {
                        Some(s) => {
                            Some(*h) == s.index_hash.as_ref()
                                && (*r, *k) <= (&s.index_range, &s.table_key)
                        }
                        None => false,
                    })
                    .filter_map(move |(_, _, k)| table.get(k)),
            )
        }
    }
}

/// Whether a sort key value satisfies the key condition's sort key part.
fn sort_matches(sort: &SortCond, v: &KeyValue) -> bool {
    match sort {
        SortCond::Cmp(op, x) => match op {
            CmpOp::Lt => v < x,
            CmpOp::Le => v <= x,
            CmpOp::Gt => v > x,
            CmpOp::Ge => v >= x,
            _ => v == x,
        },
        SortCond::Between(a, b) => a <= v && v <= b,
        SortCond::BeginsWith(p) => has_prefix(&Some(v.clone()), p),
    }
}

/// DynamoDB resumes a Query only from a key the query itself could have returned: in the queried
/// partition and, when the key condition restricts the sort key, satisfying it.
fn check_start_within(
    start: &StartKey,
    on_index: bool,
    hash: &KeyValue,
    sort: &Option<SortCond>,
) -> Result<()> {
    let (start_hash, start_range) = if on_index {
        (start.index_hash.as_ref(), start.index_range.as_ref())
    } else {
        (Some(&start.table_key.hash), start.table_key.range.as_ref())
    };
    let same_partition = start_hash == Some(hash);
    match sort {
        Some(sort) if !same_partition || !start_range.is_some_and(|r| sort_matches(sort, r)) => {
            Err(DynamoError::validation(
                "The provided starting key does not match the range key predicate",
            ))
        }
        None if !same_partition => Err(DynamoError::validation(
            "The provided starting key is outside query boundaries based on provided conditions",
        )),
        _ => Ok(()),
    }
}

/// Parses `ExclusiveStartKey`: exactly the table key, plus the index key when reading an index.
fn start_key(input: &Value, table: &Table, index: Option<&Index>) -> Result<Option<StartKey>> {
    let Some(v) = input.get("ExclusiveStartKey").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let item = item_from_json(v)?;
    let invalid = || {
        DynamoError::validation("The provided starting key is invalid: The provided key element does not match the schema")
    };
    let mut names: Vec<&str> = table.schema.names().collect();
    if let Some(i) = index {
        names.extend(i.schema.names());
    }
    names.sort_unstable();
    names.dedup();
    if item.len() != names.len() || names.iter().any(|n| !item.contains_key(*n)) {
        return Err(invalid());
    }
    let table_key = table.key_of_item(&item).map_err(|_| invalid())?;
    let (index_hash, index_range) = match index {
        Some(i) => {
            let get = |name: &str| item.get(name).and_then(KeyValue::from_attribute);
            let h = get(&i.schema.hash.name).ok_or_else(invalid)?;
            let r = match &i.schema.range {
                Some(r) => Some(get(&r.name).ok_or_else(invalid)?),
                None => None,
            };
            (Some(h), r)
        }
        None => (None, table_key.range.clone()),
    };
    Ok(Some(StartKey {
        table_key,
        index_hash,
        index_range,
    }))
}

fn cond_paths<'a>(cond: &'a Cond, out: &mut Vec<&'a Path>) {
    let operand = |o: &'a Operand, out: &mut Vec<&'a Path>| {
        if let Operand::Path(p) | Operand::Size(p) = o {
            out.push(p);
        }
    };
    match cond {
        Cond::Cmp(a, _, b) | Cond::BeginsWith(a, b) | Cond::Contains(a, b) | Cond::Type(a, b) => {
            operand(a, out);
            operand(b, out);
        }
        Cond::Between(a, b, c) => {
            operand(a, out);
            operand(b, out);
            operand(c, out);
        }
        Cond::In(a, list) => {
            operand(a, out);
            for o in list {
                operand(o, out);
            }
        }
        Cond::And(a, b) | Cond::Or(a, b) => {
            cond_paths(a, out);
            cond_paths(b, out);
        }
        Cond::Not(a) => cond_paths(a, out),
        Cond::Exists(p) | Cond::NotExists(p) => out.push(p),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Select {
    AllAttributes,
    AllProjected,
    Specific,
    Count,
}

struct ReadRequest<'a> {
    table: &'a Table,
    index: Option<&'a Index>,
    filter: Option<Cond>,
    projection: Option<Vec<Path>>,
    select: Select,
    limit: Option<usize>,
    consistent: bool,
    mode: ReturnCapacity,
}

fn read_request<'a>(
    db: &'a Database,
    input: &Value,
    exprs: &mut Expressions,
    query: bool,
) -> Result<ReadRequest<'a>> {
    // The filter and projection are read before the table is looked up, as DynamoDB does:
    // a malformed one is a ValidationException even for a missing table.
    {
        let mut early = Expressions::new(input)?;
        early.condition(input, "FilterExpression", ExprKind::Filter)?;
        attributes_to_get(input)?;
        early.projection(input)?;
    }
    let table = db.table(table_name(input)?)?;
    let index = match opt_str(input, "IndexName")? {
        Some(name) => Some(table.index(name).ok_or_else(|| {
            DynamoError::validation(format!(
                "The table does not have the specified index: {name}"
            ))
        })?),
        None => None,
    };
    let consistent = opt_bool(input, "ConsistentRead")?.unwrap_or(false);
    if consistent && index.is_some_and(|i| i.global) {
        return Err(DynamoError::validation(
            "Consistent reads are not supported on global secondary indexes",
        ));
    }
    let limit = match opt_int(input, "Limit")? {
        Some(n) if n < 1 => {
            return Err(DynamoError::validation(format!(
                "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
            )))
        }
        Some(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
        None => None,
    };
    let mode = ReturnCapacity::parse(opt_str(input, "ReturnConsumedCapacity")?)?;
    let legacy_filter = match crate::legacy::filter(input, "QueryFilter")? {
        Some(f) => Some(f),
        None => crate::legacy::filter(input, "ScanFilter")?,
    };
    let filter = exprs
        .condition(input, "FilterExpression", ExprKind::Filter)?
        .or(legacy_filter);
    // AttributesToGet is read first so that giving it beside ProjectionExpression is rejected.
    let legacy_projection = attributes_to_get(input)?;
    let projection = exprs.projection(input)?.or(legacy_projection);
    let select = match opt_str(input, "Select")? {
        None if projection.is_some() => Select::Specific,
        None if index.is_some() => Select::AllProjected,
        None => Select::AllAttributes,
        Some("ALL_ATTRIBUTES") => Select::AllAttributes,
        Some("ALL_PROJECTED_ATTRIBUTES") => Select::AllProjected,
        Some("SPECIFIC_ATTRIBUTES") => Select::Specific,
        Some("COUNT") => Select::Count,
        Some(other) => {
            return Err(DynamoError::validation(format!(
                "1 validation error detected: Value '{other}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
            )))
        }
    };
    if select == Select::Specific && projection.is_none() {
        return Err(DynamoError::validation(
            "1 validation error detected: SPECIFIC_ATTRIBUTES requires either ProjectionExpression or AttributesToGet",
        ));
    }
    if select != Select::Specific && projection.is_some() {
        let name = match select {
            Select::AllAttributes => "ALL_ATTRIBUTES",
            Select::AllProjected => "ALL_PROJECTED_ATTRIBUTES",
            _ => "only the Count",
        };
        let param = if input
            .get("ProjectionExpression")
            .is_some_and(|v| !v.is_null())
        {
            "ProjectionExpression"
        } else {
            "AttributesToGet"
        };
        // Query words this as a request-validation error, Scan does not.
        let prefix = if query {
            "1 validation error detected: "
        } else {
            ""
        };
        return Err(DynamoError::validation(format!(
            "{prefix}Cannot specify the {param} when choosing to get {name}"
        )));
    }
    if select == Select::AllProjected && index.is_none() {
        return Err(DynamoError::validation(
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
        ));
    }
    if let Some(i) = index {
        if select == Select::AllAttributes && i.global && i.projection != Projection::All {
            return Err(DynamoError::validation(format!(
                "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection type is not ALL",
                i.name
            )));
        }
    }
    Ok(ReadRequest {
        table,
        index,
        filter,
        projection,
        select,
        limit,
        consistent,
        mode,
    })
}

/// The `LastEvaluatedKey` for `item`: the table key, plus the index key when reading an index.
fn evaluated_key(req: &ReadRequest<'_>, item: &Item) -> Item {
    let mut names: Vec<&str> = req.table.schema.names().collect();
    if let Some(i) = req.index {
        names.extend(i.schema.names());
    }
    names
        .into_iter()
        .filter_map(|n| Some((n.to_string(), item.get(n)?.clone())))
        .collect()
}

/// Reads items until the limit or the 1 MB page ends, filtering and projecting them.
fn collect_page<'a>(req: &ReadRequest<'a>, items: ItemIter<'a>) -> Value {
    let mut out_items = Vec::new();
    let (mut count, mut scanned, mut bytes) = (0usize, 0usize, 0usize);
    let mut last: Option<&Item> = None;
    let mut stopped = false;
    for item in items {
        if req.limit.is_some_and(|l| scanned >= l) || bytes >= PAGE_BYTES {
            stopped = true;
            break;
        }
        // A GSI holds only its projection; an LSI fetches the rest from the table when asked to.
        let stored: Cow<'_, Item> = match req.index {
            Some(i) if i.global || req.select == Select::AllProjected => {
                Cow::Owned(i.project(item, &req.table.schema))
            }
            _ => Cow::Borrowed(item),
        };
        scanned += 1;
        bytes += item_size(&stored);
        last = Some(item);
        if req.filter.as_ref().is_none_or(|f| matches(f, &stored)) {
            count += 1;
            if req.select != Select::Count {
                let json = match &req.projection {
                    Some(paths) => item_to_json(&project(&stored, paths)),
                    None => item_to_json(&stored),
                };
                out_items.push(json);
            }
        }
    }
    let mut out = Map::new();
    if req.select != Select::Count {
        out.insert("Items".into(), Value::Array(out_items));
    }
    out.insert("Count".into(), count.into());
    out.insert("ScannedCount".into(), scanned.into());
    if stopped || req.limit == Some(scanned) && scanned > 0 || bytes >= PAGE_BYTES {
        if let Some(item) = last {
            out.insert(
                "LastEvaluatedKey".into(),
                item_to_json(&evaluated_key(req, item)),
            );
        }
    }
    if req.mode != ReturnCapacity::None {
        let units = read_units(bytes, req.consistent);
        let mut consumed = Consumed {
            read: true,
            ..Consumed::default()
        };
        match req.index {
            Some(i) if i.global => {
                consumed.global_indexes.insert(i.name.clone(), units);
            }
            Some(i) => {
                consumed.local_indexes.insert(i.name.clone(), units);
            }
            None => consumed.table = units,
        }
        out.insert(
            "ConsumedCapacity".into(),
            consumed.to_json(&req.table.name, req.mode),
        );
    }
    Value::Object(out)
}

pub(crate) fn query(db: &mut Database, input: &Value) -> Result<Value> {
    let mut exprs = Expressions::new(input)?;
    // The key condition is parsed before the table is looked up: DynamoDB reports an invalid
    // key condition even for a missing table.
    let key_expr = exprs.condition(input, "KeyConditionExpression", ExprKind::KeyCondition)?;
    let req = read_request(db, input, &mut exprs, true)?;
    let legacy_key = crate::legacy::key_conditions(input)?;
    let key_cond = key_expr
        .or(legacy_key)
        .ok_or_else(|| {
            DynamoError::validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            )
        })?;
    exprs.finish()?;
    let schema = req.index.map_or(&req.table.schema, |i| &i.schema);
    let (hash, sort) = key_condition(&key_cond, schema)?;
    if let Some(filter) = &req.filter {
        let mut paths = Vec::new();
        cond_paths(filter, &mut paths);
        if let Some(p) = paths.iter().find(|p| schema.names().any(|k| k == p.root())) {
            return Err(DynamoError::validation(format!(
                "Filter Expression can only contain non-primary key attributes: Primary key attribute: {}",
                p.root()
            )));
        }
    }
    let forward = opt_bool(input, "ScanIndexForward")?.unwrap_or(true);
    let start = start_key(input, req.table, req.index)?;
    if let Some(s) = &start {
        check_start_within(s, req.index.is_some(), &hash, &sort)?;
    }
    let items = query_items(req.table, req.index, &hash, &sort, forward, start);
    Ok(collect_page(&req, items))
}

pub(crate) fn scan(db: &mut Database, input: &Value) -> Result<Value> {
    let mut exprs = Expressions::new(input)?;
    let req = read_request(db, input, &mut exprs, false)?;
    exprs.finish()?;
    let segment = match (opt_int(input, "Segment")?, opt_int(input, "TotalSegments")?) {
        (None, None) => None,
        (Some(_), None) => {
            return Err(DynamoError::validation(
                "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
            ))
        }
        (None, Some(_)) => {
            return Err(DynamoError::validation(
                "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
            ))
        }
        (Some(s), Some(t)) => {
            if !(1..=1_000_000).contains(&t) {
                return Err(DynamoError::validation(format!(
                    "1 validation error detected: Value '{t}' at 'totalSegments' failed to satisfy constraint: Member must have value {} 1000000",
                    if t < 1 { "greater than or equal to 1, and less than or equal to" } else { "less than or equal to" }
                )));
            }
            if s < 0 || s >= t {
                return Err(DynamoError::validation(format!(
                    "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {t}"
                )));
            }
            Some((s as u64, t as u64))
        }
    };
    let start = start_key(input, req.table, req.index)?;
    if let (Some(s), Some((segment, total))) = (&start, segment) {
        let hash = s.index_hash.as_ref().unwrap_or(&s.table_key.hash);
        if segment_of(hash, total) != segment {
            return Err(DynamoError::validation(format!(
                "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: {total} Segment: {segment}"
            )));
        }
    }
    let items = scan_items(req.table, req.index, start, segment);
    Ok(collect_page(&req, items))
}
