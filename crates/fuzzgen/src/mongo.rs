//! MongoDB inputs from fuzz bytes: values in Extended JSON, documents, filters, updates,
//! projections, pipelines and whole requests, over a small vocabulary of field names so that
//! filters meet the documents they are run on.

use serde_json::{json, Map, Value};

use schemaplay_mongo::bson::{Bson, Document};
use schemaplay_mongo::query::{parse_filter, MatchDetails, ParseCtx};
use schemaplay_mongo::Database;

use crate::{chance, int, pick, Gen};

/// Top-level fields of generated documents.
const TOP_FIELDS: &[&str] = &["a", "b", "c", "tags"];
/// Fields of embedded documents.
const SUB_FIELDS: &[&str] = &["x", "y", "0"];
/// Paths filters, sorts and indexes use: top-level, embedded, through arrays, by position.
pub const PATHS: &[&str] = &[
    "a", "b", "c", "tags", "a.x", "a.y", "b.x", "a.0", "tags.0", "a.x.y", "c.0.x", "_id",
];

/// A scalar in Extended JSON, drawn from the values where the BSON order is interesting:
/// numbers of every type (equal across types, NaN, infinities, -0), strings, null, booleans,
/// dates, ids, timestamps, binaries, MinKey/MaxKey.
pub fn scalar(u: Gen) -> Value {
    match int(u, 0, 17) {
        0 => json!(int(u, -2, 5)),
        1 => json!({"$numberLong": int(u, -2, 5).to_string()}),
        2 => json!(*pick(u, &[1.5, -0.0, 2.0, 0.5, 1e300, -2.5])),
        3 => json!({"$numberDouble": *pick(u, &["NaN", "Infinity", "-Infinity", "-0.0"])}),
        4 => json!({"$numberDecimal": *pick(u, &["2.0", "1.50", "-0", "NaN", "1E+2", "3"])}),
        5..=7 => json!(*pick(u, &["", "a", "ab", "B", "b", "abc", "x y", "é"])),
        8 => Value::Null,
        9 => json!(chance(u, 128)),
        10 => json!({"$date": {"$numberLong": pick(u, &["0", "86400000", "-1"]).to_string()}}),
        11 => json!({"$oid": *pick(u, &["000000000000000000000001", "65a000000000000000000002"])}),
        12 => json!({"$minKey": 1}),
        13 => json!({"$maxKey": 1}),
        14 => json!({"$regularExpression": {"pattern": *pick(u, &["^a", "b"]), "options": ""}}),
        15 => json!({"$timestamp": {"t": int(u, 0, 2), "i": 1}}),
        16 => json!({"$binary": {"base64": *pick(u, &["", "AQ==", "AQI="]), "subType": "00"}}),
        _ => json!(int(u, 0, 3)),
    }
}

/// A value: a scalar, an array or an embedded document, nested at most `depth` deep.
pub fn value(u: Gen, depth: u32) -> Value {
    if depth == 0 {
        return scalar(u);
    }
    match int(u, 0, 7) {
        0 | 1 => {
            let n = int(u, 0, 3);
            Value::Array((0..n).map(|_| value(u, depth - 1)).collect())
        }
        2 => {
            let mut m = Map::new();
            for _ in 0..int(u, 0, 3) {
                m.insert(pick(u, SUB_FIELDS).to_string(), value(u, depth - 1));
            }
            Value::Object(m)
        }
        _ => scalar(u),
    }
}

/// A document with `_id: id` and some of the top-level fields.
pub fn document(u: Gen, id: i64) -> Value {
    let mut m = Map::new();
    m.insert("_id".into(), json!(id));
    for f in TOP_FIELDS {
        if chance(u, 180) {
            m.insert(f.to_string(), value(u, 2));
        }
    }
    Value::Object(m)
}

const TYPE_NAMES: &[&str] = &[
    "number", "string", "array", "object", "double", "int", "long", "decimal", "null", "bool",
    "date", "objectId", "minKey", "maxKey", "regex", "missing",
];

/// A condition on one field: a literal (equality) or a document of query operators.
fn field_cond(u: Gen, depth: u32) -> Value {
    if chance(u, 70) {
        return value(u, 1);
    }
    let mut ops = Map::new();
    for _ in 0..int(u, 1, 2) {
        let (name, operand) = field_operator(u, depth);
        ops.insert(name.to_string(), operand);
    }
    Value::Object(ops)
}

fn field_operator(u: Gen, depth: u32) -> (&'static str, Value) {
    let list = |u: Gen| Value::Array((0..int(u, 0, 3)).map(|_| value(u, 1)).collect());
    match int(u, 0, 15) {
        0 => ("$eq", value(u, 1)),
        1 => ("$ne", value(u, 1)),
        2 => ("$gt", scalar(u)),
        3 => ("$gte", scalar(u)),
        4 => ("$lt", scalar(u)),
        5 => ("$lte", scalar(u)),
        6 => ("$in", list(u)),
        7 => ("$nin", list(u)),
        8 => ("$exists", json!(chance(u, 128))),
        9 => ("$type", json!(*pick(u, TYPE_NAMES))),
        10 => ("$size", json!(int(u, 0, 2))),
        11 => ("$all", list(u)),
        12 if depth > 0 => {
            let inner = if chance(u, 128) {
                field_cond_doc(u, depth - 1)
            } else {
                filter(u, depth - 1)
            };
            ("$elemMatch", inner)
        }
        13 if depth > 0 => ("$not", field_cond_doc(u, depth - 1)),
        14 => ("$regex", json!(*pick(u, &["^a", "a", "b$", "^$", "A"]))),
        _ => ("$mod", json!([int(u, 1, 3), int(u, 0, 1)])),
    }
}

/// A document of operators (what `$not` and `$elemMatch` take).
fn field_cond_doc(u: Gen, depth: u32) -> Value {
    let (name, operand) = field_operator(u, depth);
    json!({ name: operand })
}

/// A filter: conditions on paths of [`PATHS`] and `$and`/`$or`/`$nor` of filters, without
/// `$expr`, `$where` and `$text` (those are always matched on the document).
pub fn filter(u: Gen, depth: u32) -> Value {
    let mut m = Map::new();
    for _ in 0..int(u, 0, 2) {
        if depth > 0 && chance(u, 50) {
            let op = *pick(u, &["$and", "$or", "$nor"]);
            let parts = (0..int(u, 1, 3)).map(|_| filter(u, depth - 1)).collect();
            m.insert(op.to_string(), Value::Array(parts));
        } else {
            m.insert(pick(u, PATHS).to_string(), field_cond(u, depth));
        }
    }
    Value::Object(m)
}

/// The paths a filter's conditions name, for the indexes that could serve it.
fn filter_paths(filter: &Value, out: &mut Vec<String>) {
    let Value::Object(m) = filter else { return };
    for (k, v) in m {
        match k.as_str() {
            "$and" | "$or" | "$nor" => {
                for part in v.as_array().into_iter().flatten() {
                    filter_paths(part, out);
                }
            }
            _ if !k.starts_with('$') && !out.contains(k) => out.push(k.clone()),
            _ => {}
        }
    }
}

fn bson_doc(v: &Value) -> Option<Document> {
    match Bson::try_from(v.clone()).ok()? {
        Bson::Document(d) => Some(d),
        _ => None,
    }
}

fn ids(docs: &Value) -> Result<Vec<String>, String> {
    let Value::Array(docs) = docs else {
        return Err(format!("find answered {docs}, not an array"));
    };
    let mut out: Vec<String> = docs.iter().map(|d| d["_id"].to_string()).collect();
    out.sort();
    Ok(out)
}

/// Equivalence of access paths: for random documents and a random filter, every way the
/// simulator can answer a find (a collection scan over columns, built and then cached; each
/// single-field and compound index on the filter's paths; all of them at once, which plans
/// `$or` branches; `countDocuments`; a `$match` stage) returns exactly the documents that the
/// plain document matcher (`Filter::matches`) accepts. An invalid filter is rejected by every
/// path alike.
pub fn check_filter_plans(u: Gen) -> Result<(), String> {
    let n = int(u, 0, 10);
    let docs: Vec<Value> = (0..n).map(|i| document(u, i)).collect();
    let filter = filter(u, 2);
    let bdocs: Vec<Document> = docs.iter().filter_map(bson_doc).collect();
    let Some(bfilter) = bson_doc(&filter) else {
        return Ok(());
    };
    let context = || format!("documents {}\nfilter {filter}", Value::Array(docs.clone()));

    // The reference: the parsed filter matched against each document.
    let expected = match parse_filter(&bfilter, &mut ParseCtx::new(None)) {
        Ok(f) => {
            let mut out: Vec<String> = Vec::new();
            for (d, j) in bdocs.iter().zip(&docs) {
                let mut details = MatchDetails::default();
                if f.matches(d, &mut details) {
                    out.push(j["_id"].to_string());
                }
            }
            out.sort();
            Some(out)
        }
        Err(_) => None,
    };

    let mut paths = Vec::new();
    filter_paths(&filter, &mut paths);
    paths.retain(|p| p != "_id");
    let mut index_sets: Vec<Vec<Value>> = vec![Vec::new()];
    for p in &paths {
        index_sets.push(vec![json!({ p.as_str(): 1 })]);
    }
    if paths.len() >= 2 {
        index_sets.push(vec![json!({ paths[0].as_str(): 1, paths[1].as_str(): -1 })]);
        index_sets.push(vec![json!({ paths[1].as_str(): -1, paths[0].as_str(): 1 })]);
    }
    if paths.len() >= 2 {
        index_sets.push(paths.iter().map(|p| json!({ p.as_str(): -1 })).collect());
    }
    // A sort made total by `_id`, so every plan must give the same sequence: the collection
    // scan's in-memory sort, or an index that gives the order (or part of it).
    let sort_path = paths
        .first()
        .cloned()
        .unwrap_or_else(|| pick(u, &PATHS[..PATHS.len() - 1]).to_string());
    let dir = if chance(u, 128) { 1 } else { -1 };
    let sorted = json!({"op": "find", "collection": "c", "filter": filter,
        "sort": { sort_path.as_str(): dir, "_id": 1 }, "skip": int(u, 0, 2), "limit": int(u, 0, 4)});
    index_sets.push(vec![json!({ sort_path.as_str(): dir, "_id": 1 })]);
    index_sets.push(vec![json!({ sort_path.as_str(): -dir })]);
    let mut sorted_reference: Option<Vec<String>> = None;

    for indexes in &index_sets {
        let mut db = Database::new();
        let setup = json!({"op": "insertMany", "collection": "c", "documents": docs});
        if docs.is_empty() {
            // Nothing to insert: the indexes create the collection.
        } else if let Err(e) = db.execute(&setup) {
            return Err(format!("insertMany failed: {e}\n{}", context()));
        }
        for key in indexes {
            if let Err(e) = db.execute(&json!({"op": "createIndex", "collection": "c", "key": key}))
            {
                return Err(format!("createIndex {key} failed: {e}\n{}", context()));
            }
        }
        let requests = [
            json!({"op": "find", "collection": "c", "filter": filter}),
            // Again: the columns the first scan built are now cached.
            json!({"op": "find", "collection": "c", "filter": filter}),
            json!({"op": "aggregate", "collection": "c", "pipeline": [{"$match": filter}]}),
        ];
        for request in &requests {
            let answer = db.execute(request);
            match (&expected, answer) {
                (Some(want), Ok(got)) => {
                    let got = ids(&got)?;
                    if &got != want {
                        return Err(format!(
                            "{} with indexes {indexes:?} found {got:?}, the matcher {want:?}\n{}",
                            request["op"],
                            context()
                        ));
                    }
                }
                (None, Err(_)) => {}
                (Some(_), Err(e)) => {
                    return Err(format!(
                        "{} with indexes {indexes:?} failed ({e}) on a filter the matcher accepts\n{}",
                        request["op"],
                        context()
                    ))
                }
                (None, Ok(got)) => {
                    return Err(format!(
                        "{} with indexes {indexes:?} answered {got} for a filter that does not parse\n{}",
                        request["op"],
                        context()
                    ))
                }
            }
        }
        if expected.is_some() {
            let got = match db.execute(&sorted) {
                Ok(Value::Array(docs)) => docs
                    .iter()
                    .map(|d| d["_id"].to_string())
                    .collect::<Vec<_>>(),
                other => {
                    return Err(format!(
                        "{sorted} with indexes {indexes:?} answered {other:?}\n{}",
                        context()
                    ))
                }
            };
            match &sorted_reference {
                None => sorted_reference = Some(got),
                Some(want) if *want != got => {
                    return Err(format!(
                    "{sorted} with indexes {indexes:?} gave {got:?}, without indexes {want:?}\n{}",
                    context()
                ))
                }
                Some(_) => {}
            }
        }
        let count =
            db.execute(&json!({"op": "countDocuments", "collection": "c", "filter": filter}));
        match (&expected, count) {
            (Some(want), Ok(got)) if got.as_u64() == Some(want.len() as u64) => {}
            (None, Err(_)) => {}
            (want, got) => {
                return Err(format!(
                    "countDocuments with indexes {indexes:?} answered {got:?}, the matcher {want:?}\n{}",
                    context()
                ))
            }
        }
    }
    Ok(())
}

const UPDATE_OPS: &[&str] = &[
    "$set",
    "$unset",
    "$inc",
    "$mul",
    "$min",
    "$max",
    "$rename",
    "$push",
    "$addToSet",
    "$pull",
    "$pullAll",
    "$pop",
    "$currentDate",
    "$setOnInsert",
    "$bit",
];

const UPDATE_PATHS: &[&str] = &[
    "a",
    "b",
    "c",
    "tags",
    "a.x",
    "a.0",
    "tags.$",
    "tags.$[]",
    "tags.$[e]",
    "c.$[].x",
    "a.x.y",
    "b.1",
    "n",
    "_id",
    "",
    "a..b",
    "$x",
];

/// An update document (or a pipeline update now and then).
pub fn update(u: Gen) -> Value {
    if chance(u, 30) {
        return pipeline(u, 1);
    }
    let mut m = Map::new();
    for _ in 0..int(u, 1, 3) {
        let op = *pick(u, UPDATE_OPS);
        let mut fields = Map::new();
        for _ in 0..int(u, 1, 2) {
            let path = pick(u, UPDATE_PATHS).to_string();
            let operand = match op {
                "$rename" => json!(*pick(u, UPDATE_PATHS)),
                "$push" | "$addToSet" if chance(u, 100) => {
                    let mut each = Map::new();
                    each.insert(
                        "$each".into(),
                        Value::Array((0..int(u, 0, 3)).map(|_| value(u, 1)).collect()),
                    );
                    if chance(u, 128) {
                        each.insert("$slice".into(), json!(int(u, -3, 3)));
                    }
                    if chance(u, 100) {
                        each.insert(
                            "$sort".into(),
                            if chance(u, 128) {
                                json!(1)
                            } else {
                                json!({"x": -1})
                            },
                        );
                    }
                    if chance(u, 100) {
                        each.insert("$position".into(), json!(int(u, -2, 3)));
                    }
                    Value::Object(each)
                }
                "$pull" if chance(u, 128) => field_cond_doc(u, 1),
                "$pop" => json!(*pick(u, &[1, -1, 0])),
                "$currentDate" => {
                    if chance(u, 128) {
                        json!(true)
                    } else {
                        json!({"$type": *pick(u, &["date", "timestamp", "x"])})
                    }
                }
                "$bit" => json!({ *pick(u, &["and", "or", "xor", "not"]): int(u, 0, 7) }),
                _ => value(u, 2),
            };
            fields.insert(path, operand);
        }
        m.insert(op.to_string(), Value::Object(fields));
    }
    Value::Object(m)
}

/// Expression operators: `[args]` or one argument.
const EXPR_OPS: &[&str] = &[
    "$add",
    "$subtract",
    "$multiply",
    "$divide",
    "$mod",
    "$abs",
    "$ceil",
    "$floor",
    "$round",
    "$trunc",
    "$pow",
    "$sqrt",
    "$ln",
    "$log",
    "$log10",
    "$exp",
    "$concat",
    "$substr",
    "$substrCP",
    "$substrBytes",
    "$toUpper",
    "$toLower",
    "$strLenCP",
    "$strLenBytes",
    "$split",
    "$indexOfCP",
    "$indexOfBytes",
    "$strcasecmp",
    "$cond",
    "$ifNull",
    "$eq",
    "$ne",
    "$gt",
    "$gte",
    "$lt",
    "$lte",
    "$cmp",
    "$and",
    "$or",
    "$not",
    "$in",
    "$size",
    "$arrayElemAt",
    "$slice",
    "$concatArrays",
    "$range",
    "$reverseArray",
    "$isArray",
    "$type",
    "$toString",
    "$toInt",
    "$toDouble",
    "$toDecimal",
    "$toLong",
    "$toBool",
    "$toDate",
    "$toObjectId",
    "$year",
    "$month",
    "$dayOfWeek",
    "$hour",
    "$setUnion",
    "$setIntersection",
    "$setDifference",
    "$setEquals",
    "$setIsSubset",
    "$mergeObjects",
    "$objectToArray",
    "$arrayToObject",
    "$literal",
    "$max",
    "$min",
    "$sum",
    "$avg",
    "$first",
    "$last",
    "$zip",
    "$isNumber",
    "$allElementsTrue",
    "$anyElementTrue",
    "$indexOfArray",
    "$trim",
    "$ltrim",
    "$rtrim",
    "$meta",
    "$rand",
    "$tsSecond",
    "$binarySize",
    "$bsonSize",
    "$stdDevPop",
];

/// Expression operators that take named arguments.
const EXPR_NAMED_OPS: &[&str] = &[
    "$filter",
    "$map",
    "$reduce",
    "$let",
    "$cond",
    "$dateToString",
    "$dateFromString",
    "$convert",
    "$switch",
    "$regexMatch",
    "$regexFind",
    "$regexFindAll",
    "$replaceAll",
    "$replaceOne",
    "$sortArray",
    "$dateAdd",
    "$dateDiff",
    "$dateTrunc",
    "$getField",
    "$setField",
    "$trim",
    "$zip",
    "$firstN",
    "$lastN",
    "$maxN",
    "$dateFromParts",
    "$dateToParts",
    "$median",
    "$percentile",
    "$round",
];

const EXPR_ARG_NAMES: &[&str] = &[
    "input",
    "as",
    "in",
    "cond",
    "initialValue",
    "vars",
    "if",
    "then",
    "else",
    "format",
    "date",
    "to",
    "onError",
    "onNull",
    "branches",
    "case",
    "default",
    "regex",
    "options",
    "find",
    "replacement",
    "sortBy",
    "unit",
    "amount",
    "startDate",
    "endDate",
    "timezone",
    "field",
    "value",
    "n",
    "chars",
    "inputs",
    "useLongestLength",
    "defaults",
    "year",
    "month",
    "day",
    "p",
    "method",
    "limit",
    "dateString",
];

/// An aggregation expression.
pub fn expr(u: Gen, depth: u32) -> Value {
    let leaf = |u: Gen| match int(u, 0, 4) {
        0 => json!(*pick(
            u,
            &["$a", "$b", "$c", "$tags", "$a.x", "$c.x", "$_id", "$missing"]
        )),
        1 => json!(*pick(
            u,
            &[
                "$$ROOT",
                "$$CURRENT",
                "$$this",
                "$$value",
                "$$x",
                "$$NOW",
                "$$REMOVE",
                "$$",
                "$$undefinedVar"
            ]
        )),
        _ => value(u, 1),
    };
    if depth == 0 {
        return leaf(u);
    }
    match int(u, 0, 5) {
        0 | 1 => {
            let op = *pick(u, EXPR_OPS);
            let args: Vec<Value> = (0..int(u, 0, 3)).map(|_| expr(u, depth - 1)).collect();
            if args.len() == 1 && chance(u, 128) {
                json!({ op: args[0] })
            } else {
                json!({ op: args })
            }
        }
        2 => {
            let op = *pick(u, EXPR_NAMED_OPS);
            let mut args = Map::new();
            for _ in 0..int(u, 0, 4) {
                let name = *pick(u, EXPR_ARG_NAMES);
                let v = match name {
                    "as" => json!(*pick(u, &["x", "this", "", "X"])),
                    "vars" => json!({"x": expr(u, depth - 1)}),
                    "branches" => json!([{"case": expr(u, depth - 1), "then": expr(u, depth - 1)}]),
                    "format" => json!(*pick(
                        u,
                        &["%Y-%m-%d", "%H:%M:%S.%L", "%%", "%", "%Z%z%j%U"]
                    )),
                    "unit" => json!(*pick(u, &["day", "hour", "week", "month", "year", "x"])),
                    "to" => pick(
                        u,
                        &[
                            json!("int"),
                            json!("string"),
                            json!("double"),
                            json!("decimal"),
                            json!("bool"),
                            json!("date"),
                            json!("objectId"),
                            json!("long"),
                            json!(16),
                        ],
                    )
                    .clone(),
                    _ => expr(u, depth - 1),
                };
                args.insert(name.to_string(), v);
            }
            json!({ op: args })
        }
        3 => {
            let mut m = Map::new();
            for _ in 0..int(u, 0, 2) {
                m.insert(pick(u, SUB_FIELDS).to_string(), expr(u, depth - 1));
            }
            Value::Object(m)
        }
        _ => leaf(u),
    }
}

/// A projection: inclusions, exclusions, computed fields, `$slice`, `$elemMatch`, positional.
pub fn projection(u: Gen) -> Value {
    let mut m = Map::new();
    for _ in 0..int(u, 0, 3) {
        let path = pick(
            u,
            &[
                "a", "b", "a.x", "tags", "tags.$", "c", "_id", "c.x", "a.$", "$a",
            ],
        )
        .to_string();
        let v = match int(u, 0, 6) {
            0 | 1 => json!(1),
            2 => json!(0),
            3 => {
                json!({"$slice": if chance(u, 128) { json!(int(u, -2, 2)) } else { json!([int(u, -2, 2), int(u, 0, 2)]) }})
            }
            4 => json!({"$elemMatch": filter(u, 1)}),
            5 => expr(u, 2),
            _ => json!(*pick(u, &[true, false])),
        };
        m.insert(path, v);
    }
    Value::Object(m)
}

/// A sort document.
pub fn sort(u: Gen) -> Value {
    let mut m = Map::new();
    for _ in 0..int(u, 0, 2) {
        let dir = match int(u, 0, 3) {
            0 => json!(-1),
            1 => json!({"$meta": "textScore"}),
            2 => json!(0),
            _ => json!(1),
        };
        m.insert(pick(u, PATHS).to_string(), dir);
    }
    Value::Object(m)
}

const ACCUMULATORS: &[&str] = &[
    "$sum",
    "$avg",
    "$min",
    "$max",
    "$first",
    "$last",
    "$push",
    "$addToSet",
    "$count",
    "$stdDevPop",
    "$stdDevSamp",
    "$mergeObjects",
    "$top",
    "$bottom",
    "$firstN",
    "$median",
];

/// One aggregation stage.
fn stage(u: Gen, depth: u32) -> Value {
    match int(u, 0, 22) {
        0 | 1 => json!({"$match": filter(u, 2)}),
        2 => json!({"$project": projection(u)}),
        3 => {
            let mut g = Map::new();
            g.insert("_id".into(), expr(u, 1));
            for _ in 0..int(u, 0, 2) {
                let acc = *pick(u, ACCUMULATORS);
                let arg = if acc == "$count" {
                    json!({})
                } else {
                    expr(u, 1)
                };
                g.insert(pick(u, SUB_FIELDS).to_string(), json!({ acc: arg }));
            }
            json!({"$group": g})
        }
        4 => json!({"$sort": sort(u)}),
        5 => json!({"$limit": int(u, -1, 3)}),
        6 => json!({"$skip": int(u, -1, 3)}),
        7 => {
            if chance(u, 128) {
                json!({"$unwind": *pick(u, &["$tags", "$a", "$c", "tags", "$a.x"])})
            } else {
                json!({"$unwind": {"path": "$tags", "includeArrayIndex": "i", "preserveNullAndEmptyArrays": chance(u, 128)}})
            }
        }
        8 => json!({ *pick(u, &["$addFields", "$set"]): {*pick(u, SUB_FIELDS): expr(u, 2)} }),
        9 => json!({"$unset": *pick(u, &["a", "b.x", "_id", ""])}),
        10 => json!({"$count": *pick(u, &["n", "", "$n", "a.b"])}),
        11 => {
            json!({"$lookup": {"from": "d", "localField": *pick(u, PATHS), "foreignField": *pick(u, PATHS), "as": "j"}})
        }
        12 if depth > 0 => json!({"$facet": {"f": pipeline(u, depth - 1)}}),
        13 => {
            json!({ *pick(u, &["$replaceRoot", "$replaceWith"]): if chance(u, 128) { json!({"newRoot": expr(u, 1)}) } else { expr(u, 1) } })
        }
        14 => json!({"$sortByCount": expr(u, 1)}),
        15 => {
            json!({"$bucket": {"groupBy": expr(u, 1), "boundaries": [int(u, -1, 1), int(u, 1, 4)], "default": "other"}})
        }
        16 => json!({"$bucketAuto": {"groupBy": expr(u, 1), "buckets": int(u, 0, 3)}}),
        17 => json!({"$sample": {"size": int(u, 0, 3)}}),
        18 if depth > 0 => {
            json!({"$lookup": {"from": "d", "let": {"v": "$a"}, "pipeline": pipeline(u, depth - 1), "as": "j"}})
        }
        19 => json!({"$redact": expr(u, 1)}),
        20 => {
            json!({"$densify": {"field": "a", "range": {"step": int(u, 0, 2), "bounds": "full"}}})
        }
        21 if depth > 0 => json!({"$unionWith": {"coll": "d", "pipeline": pipeline(u, depth - 1)}}),
        _ => json!({"$match": {"$expr": expr(u, 2)}}),
    }
}

/// An aggregation pipeline.
pub fn pipeline(u: Gen, depth: u32) -> Value {
    Value::Array((0..int(u, 0, 3)).map(|_| stage(u, depth)).collect())
}

/// One request for `Database::execute`, on collection `c` (which [`seeded_database`] fills)
/// or `d` (empty unless written).
pub fn request(u: Gen) -> Value {
    let coll = if chance(u, 220) { "c" } else { "d" };
    let mut r = Map::new();
    let op = *pick(
        u,
        &[
            "find",
            "find",
            "findOne",
            "countDocuments",
            "distinct",
            "updateOne",
            "updateMany",
            "replaceOne",
            "deleteOne",
            "deleteMany",
            "findOneAndUpdate",
            "findOneAndReplace",
            "findOneAndDelete",
            "aggregate",
            "aggregate",
            "createIndex",
            "dropIndex",
            "insertOne",
            "insertMany",
            "explain",
            "listIndexes",
        ],
    );
    r.insert("op".into(), json!(op));
    r.insert("collection".into(), json!(coll));
    match op {
        "find" | "findOne" | "countDocuments" | "deleteOne" | "deleteMany" | "findOneAndDelete" => {
            r.insert("filter".into(), filter(u, 3));
            if op.starts_with("find") {
                if chance(u, 100) {
                    r.insert("projection".into(), projection(u));
                }
                if chance(u, 100) {
                    r.insert("sort".into(), sort(u));
                }
                if chance(u, 60) {
                    r.insert("skip".into(), json!(int(u, -1, 3)));
                }
                if chance(u, 60) {
                    r.insert("limit".into(), json!(int(u, -2, 3)));
                }
                if chance(u, 30) {
                    r.insert(
                        "explain".into(),
                        json!(*pick(u, &["withResults", "queryPlanner", "executionStats"])),
                    );
                }
            }
        }
        "distinct" => {
            r.insert("key".into(), json!(*pick(u, PATHS)));
            r.insert("filter".into(), filter(u, 2));
        }
        "updateOne" | "updateMany" | "findOneAndUpdate" => {
            r.insert("filter".into(), filter(u, 2));
            r.insert("update".into(), update(u));
            r.insert("upsert".into(), json!(chance(u, 60)));
            if chance(u, 60) {
                r.insert("arrayFilters".into(), json!([{"e": field_cond(u, 1)}]));
            }
            if op == "findOneAndUpdate" {
                r.insert(
                    "returnDocument".into(),
                    json!(*pick(u, &["before", "after"])),
                );
                if chance(u, 60) {
                    r.insert("projection".into(), projection(u));
                }
            }
        }
        "replaceOne" | "findOneAndReplace" => {
            r.insert("filter".into(), filter(u, 2));
            let id = int(u, 0, 12);
            r.insert("replacement".into(), document(u, id));
            r.insert("upsert".into(), json!(chance(u, 60)));
        }
        "aggregate" => {
            r.insert("pipeline".into(), pipeline(u, 2));
        }
        "createIndex" => {
            let mut key = Map::new();
            for _ in 0..int(u, 1, 2) {
                let dir = match int(u, 0, 4) {
                    0 => json!(-1),
                    1 => json!("text"),
                    2 => json!("hashed"),
                    _ => json!(1),
                };
                key.insert(pick(u, PATHS).to_string(), dir);
            }
            r.insert("key".into(), Value::Object(key));
            let mut options = Map::new();
            if chance(u, 80) {
                options.insert("unique".into(), json!(true));
            }
            if chance(u, 60) {
                options.insert("sparse".into(), json!(true));
            }
            if chance(u, 60) {
                options.insert("partialFilterExpression".into(), filter(u, 1));
            }
            r.insert("options".into(), Value::Object(options));
        }
        "dropIndex" => {
            r.insert(
                "name".into(),
                json!(*pick(u, &["a_1", "a_1_b_-1", "_id_", "*", "x"])),
            );
        }
        "insertOne" => {
            let id = int(u, 0, 12);
            r.insert("document".into(), document(u, id));
        }
        "insertMany" => {
            let docs: Vec<Value> = (0..int(u, 0, 3))
                .map(|_| {
                    let id = int(u, 0, 12);
                    document(u, id)
                })
                .collect();
            r.insert("documents".into(), Value::Array(docs));
        }
        "explain" => {
            let inner = if chance(u, 128) {
                json!({"op": "find", "filter": filter(u, 2), "sort": sort(u)})
            } else {
                json!({"op": "aggregate", "pipeline": pipeline(u, 1)})
            };
            r.insert("command".into(), inner);
            r.insert(
                "verbosity".into(),
                json!(*pick(
                    u,
                    &["queryPlanner", "executionStats", "allPlansExecution"]
                )),
            );
        }
        _ => {}
    }
    Value::Object(r)
}

/// A database whose collection `c` holds twelve generated-looking documents and a few indexes
/// (single, compound, multikey, unique sparse, text), so requests meet index plans too.
pub fn seeded_database() -> Database {
    let mut db = Database::new();
    let docs = json!([
        {"_id": 0, "a": 1, "b": "x", "tags": ["red", "blue"], "c": [{"x": 1}, {"x": 2}]},
        {"_id": 1, "a": 2.5, "b": "y", "tags": [], "c": {"x": "s"}},
        {"_id": 2, "a": {"x": 1, "y": [1, 2]}, "b": null},
        {"_id": 3, "a": [1, [2, 3]], "tags": ["red"], "text": "the quick brown fox"},
        {"_id": 4, "a": {"$numberLong": "7"}, "b": {"$date": "2024-01-01T00:00:00Z"}},
        {"_id": 5, "a": {"$numberDecimal": "2.50"}, "b": "x", "text": "lazy dogs jump"},
        {"_id": 6, "a": "1", "b": true, "tags": ["blue", "green", "red"]},
        {"_id": 7, "b": {"x": [1, {"y": 2}]}, "c": [[1], {"x": null}]},
        {"_id": 8, "a": null, "b": {"$oid": "65a000000000000000000002"}},
        {"_id": 9, "a": {"$numberDouble": "NaN"}, "tags": "red"},
        {"_id": 10, "a": -0.0, "b": {"$minKey": 1}, "c": []},
        {"_id": 11, "a": [], "b": {"$maxKey": 1}, "text": "Quick quick FOX"},
    ]);
    let setup = [
        json!({"op": "insertMany", "collection": "c", "documents": docs}),
        json!({"op": "createIndex", "collection": "c", "key": {"a": 1}}),
        json!({"op": "createIndex", "collection": "c", "key": {"b": 1, "a": -1}}),
        json!({"op": "createIndex", "collection": "c", "key": {"tags": 1}}),
        json!({"op": "createIndex", "collection": "c", "key": {"c.x": 1}, "options": {"sparse": true}}),
        json!({"op": "createIndex", "collection": "c", "key": {"text": "text"}}),
    ];
    for request in &setup {
        // The setup is fixed; a failure here would show as every request failing.
        let _ = db.execute(request);
    }
    db
}
