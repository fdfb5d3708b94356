//! DynamoDB inputs from fuzz bytes: AttributeValues, items, expressions from the grammar, and
//! whole requests; and a small reference for condition and update expressions written from the
//! DynamoDB Developer Guide ("Comparison operator and function reference", "Update
//! expressions"), independent of the simulator's own evaluator.
//!
//! The reference works on AttributeValue JSON as the API shows it (`{"N": "1.5"}`), compares
//! numbers by value and sets as sets, and knows the run-time errors of updates; the grammar
//! generates only expressions DynamoDB accepts, so every rejection is a divergence.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use schemaplay_dynamo::Database;

use crate::{chance, int, pick, Gen};

/// The table every generated request is about, with its key `PK` (S) and `SK` (N).
pub const TABLE: &str = "fuzz";

const STRINGS: &[&str] = &["", "a", "ab", "abc", "b", "B", "ba"];
const NUMBERS: &[&str] = &["0", "1", "-1", "2.5", "10", "1E1", "-0.5", "100"];
/// Distinct by value, so any subset is a valid number set.
const SET_NUMBERS: &[&str] = &["0", "1", "-1", "2.5", "10", "-0.5"];
/// Binary values as base64, with their bytes for the reference.
const BINARIES: &[(&str, &[u8])] = &[
    ("", &[]),
    ("AA==", &[0]),
    ("AQ==", &[1]),
    ("AQI=", &[1, 2]),
    ("Ag==", &[2]),
];
const TYPES: &[&str] = &["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

fn set_of(u: Gen, from: &[&str]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for _ in 0..int(u, 1, 3) {
        let v = json!(*pick(u, from));
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn binary_names() -> Vec<&'static str> {
    BINARIES.iter().map(|(b, _)| *b).collect()
}

/// A scalar AttributeValue: S, N, B, BOOL or NULL.
pub fn scalar(u: Gen) -> Value {
    match int(u, 0, 6) {
        0 | 1 => json!({"S": *pick(u, STRINGS)}),
        2 | 3 => json!({"N": *pick(u, NUMBERS)}),
        4 => json!({"B": pick(u, BINARIES).0}),
        5 => json!({"BOOL": chance(u, 128)}),
        _ => json!({"NULL": true}),
    }
}

/// A value of one of the types DynamoDB orders (N, S, B), for comparisons and BETWEEN.
fn ordered_scalar(u: Gen) -> Value {
    match int(u, 0, 2) {
        0 => json!({"S": *pick(u, STRINGS)}),
        1 => json!({"N": *pick(u, NUMBERS)}),
        _ => json!({"B": pick(u, BINARIES).0}),
    }
}

/// Any AttributeValue, nested at most `depth` deep.
pub fn value(u: Gen, depth: u32) -> Value {
    match int(u, 0, 9) {
        0 if depth > 0 => {
            json!({"L": (0..int(u, 0, 3)).map(|_| value(u, depth - 1)).collect::<Vec<_>>()})
        }
        1 if depth > 0 => {
            let mut m = Map::new();
            for _ in 0..int(u, 0, 3) {
                m.insert(pick(u, &["x", "y", "a"]).to_string(), value(u, depth - 1));
            }
            json!({ "M": m })
        }
        2 => json!({"SS": set_of(u, STRINGS)}),
        3 => json!({"NS": set_of(u, SET_NUMBERS)}),
        4 => json!({"BS": set_of(u, &binary_names())}),
        _ => scalar(u),
    }
}

/// The non-key attributes items have, and expressions read and write.
const ATTRS: &[&str] = &["a", "b", "c", "l", "m", "s", "name"];

/// An item of partition `p0`..`p2` with sort key `sk`.
pub fn item(u: Gen, pk: &str, sk: i64) -> Value {
    let mut m = Map::new();
    m.insert("PK".into(), json!({"S": pk}));
    m.insert("SK".into(), json!({"N": sk.to_string()}));
    for a in ATTRS {
        if chance(u, 150) {
            let v = match *a {
                // The local index's sort key: a number, or the item is rejected.
                "c" => json!({"N": *pick(u, NUMBERS)}),
                "l" => json!({"L": (0..int(u, 0, 3)).map(|_| value(u, 1)).collect::<Vec<_>>()}),
                "m" => value_map(u),
                _ => value(u, 2),
            };
            m.insert(a.to_string(), v);
        }
    }
    Value::Object(m)
}

fn value_map(u: Gen) -> Value {
    let mut m = Map::new();
    for k in ["x", "y"] {
        if chance(u, 160) {
            m.insert(k.to_string(), value(u, 1));
        }
    }
    json!({ "M": m })
}

/// CreateTable for [`TABLE`], with a global index on `b` (S) and a local one on `c` (N).
pub fn create_table() -> Value {
    json!({
        "TableName": TABLE,
        "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        "AttributeDefinitions": [
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "N"},
            {"AttributeName": "g", "AttributeType": "S"},
            {"AttributeName": "c", "AttributeType": "N"}
        ],
        "GlobalSecondaryIndexes": [{
            "IndexName": "byG",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}
        }],
        "LocalSecondaryIndexes": [{
            "IndexName": "byC",
            "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}
        }],
        "BillingMode": "PAY_PER_REQUEST"
    })
}

/// A database with [`TABLE`] and `n` random items in it (items the table rejects, such as a
/// `c` that is not a number, are left out), and the items stored.
pub fn table_with_items(u: Gen, n: i64) -> (Database, Vec<Value>) {
    let mut db = Database::new();
    let _ = db.execute("CreateTable", &create_table());
    let mut items = Vec::new();
    for i in 0..n {
        let pk = format!("p{}", int(u, 0, 2));
        let it = item(u, &pk, i);
        if db
            .execute("PutItem", &json!({"TableName": TABLE, "Item": it}))
            .is_ok()
        {
            items.push(it);
        }
    }
    (db, items)
}

// ---------------------------------------------------------------------------------------------
// Expressions from the grammar, with their meaning for the reference.

/// One step of a document path.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Attr(String),
    Index(usize),
}

#[derive(Clone, Debug, PartialEq)]
struct DocPath(Vec<Step>);

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    Path(DocPath),
    Value(Value),
    Size(DocPath),
}

#[derive(Clone, Debug)]
enum Cond {
    Cmp(Operand, &'static str, Operand),
    Between(Operand, Value, Value),
    In(DocPath, Vec<Value>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
    Exists(DocPath),
    NotExists(DocPath),
    Type(DocPath, &'static str),
    BeginsWith(DocPath, Value),
    Contains(DocPath, Value),
}

fn doc_path(u: Gen) -> DocPath {
    let root = *pick(u, ATTRS);
    let mut steps = vec![Step::Attr(root.to_string())];
    let extra = match root {
        "l" => vec![
            vec![Step::Index(0)],
            vec![Step::Index(1)],
            vec![Step::Index(0), Step::Attr("x".into())],
            vec![],
        ],
        "m" => vec![
            vec![Step::Attr("x".into())],
            vec![Step::Attr("y".into())],
            vec![Step::Attr("x".into()), Step::Index(0)],
            vec![],
        ],
        _ => vec![
            vec![],
            vec![],
            vec![Step::Attr("x".into())],
            vec![Step::Index(0)],
        ],
    };
    steps.extend(pick(u, &extra).iter().cloned());
    DocPath(steps)
}

/// A value stored in one of `items` at `path` (so comparisons meet equal values), if the input
/// asks for one and there is one.
fn seen(u: Gen, items: &[Value], path: &DocPath) -> Option<Value> {
    if items.is_empty() || !chance(u, 140) {
        return None;
    }
    get(pick(u, items), path).cloned()
}

fn is_ordered(v: &Value) -> bool {
    typed(v).is_some_and(|(t, _)| matches!(t, "N" | "S" | "B"))
}

fn cond(u: Gen, depth: u32, items: &[Value]) -> Cond {
    let choice = if depth == 0 {
        int(u, 3, 12)
    } else {
        int(u, 0, 12)
    };
    match choice {
        0 => Cond::And(
            Box::new(cond(u, depth - 1, items)),
            Box::new(cond(u, depth - 1, items)),
        ),
        1 => Cond::Or(
            Box::new(cond(u, depth - 1, items)),
            Box::new(cond(u, depth - 1, items)),
        ),
        2 => Cond::Not(Box::new(cond(u, depth - 1, items))),
        3 | 4 => {
            let op = *pick(u, &["=", "<>", "<", "<=", ">", ">="]);
            let ordered = !matches!(op, "=" | "<>");
            let lhs = if chance(u, 40) {
                Operand::Size(doc_path(u))
            } else {
                Operand::Path(doc_path(u))
            };
            let stored = match &lhs {
                Operand::Path(p) => seen(u, items, p).filter(|v| !ordered || is_ordered(v)),
                Operand::Size(p) => seen(u, items, p).and_then(|_| {
                    let item = pick(u, items);
                    operand_value(&Operand::Size(p.clone()), item)
                }),
                Operand::Value(_) => None,
            };
            let rhs = match int(u, 0, 5) {
                0 => Operand::Path(doc_path(u)),
                1 => Operand::Size(doc_path(u)),
                _ if stored.is_some() => Operand::Value(stored.unwrap_or_default()),
                _ if matches!(lhs, Operand::Size(_)) => {
                    Operand::Value(json!({"N": *pick(u, &["0", "1", "2", "3"])}))
                }
                _ if ordered => Operand::Value(ordered_scalar(u)),
                _ => Operand::Value(value(u, 1)),
            };
            // DynamoDB rejects an operand compared with itself.
            let rhs = if rhs == lhs {
                Operand::Value(json!({"N": "1"}))
            } else {
                rhs
            };
            if chance(u, 60) {
                Cond::Cmp(rhs, flip(op), lhs)
            } else {
                Cond::Cmp(lhs, op, rhs)
            }
        }
        5 => {
            let path = doc_path(u);
            let stored = seen(u, items, &path).filter(is_ordered);
            let lhs = if chance(u, 40) {
                Operand::Size(path)
            } else {
                Operand::Path(path)
            };
            let (mut lo, mut hi) = match (int(u, 0, 2), stored) {
                (0, Some(v)) => (v.clone(), v),
                (_, Some(v)) => {
                    let t = typed(&v).map_or("N", |(t, _)| t).to_string();
                    let other = match t.as_str() {
                        "S" => json!({"S": *pick(u, STRINGS)}),
                        "N" => json!({"N": *pick(u, NUMBERS)}),
                        _ => json!({"B": pick(u, BINARIES).0}),
                    };
                    (v, other)
                }
                (0, None) => (
                    json!({"S": *pick(u, STRINGS)}),
                    json!({"S": *pick(u, STRINGS)}),
                ),
                (1, None) => (
                    json!({"N": *pick(u, NUMBERS)}),
                    json!({"N": *pick(u, NUMBERS)}),
                ),
                _ => (
                    json!({"B": pick(u, BINARIES).0}),
                    json!({"B": pick(u, BINARIES).0}),
                ),
            };
            if order(&lo, &hi) == Some(std::cmp::Ordering::Greater) {
                std::mem::swap(&mut lo, &mut hi);
            }
            Cond::Between(lhs, lo, hi)
        }
        6 => {
            let path = doc_path(u);
            let mut list: Vec<Value> = (0..int(u, 1, 3)).map(|_| value(u, 1)).collect();
            if let Some(v) = seen(u, items, &path) {
                list.push(v);
            }
            Cond::In(path, list)
        }
        7 => Cond::Exists(doc_path(u)),
        8 => Cond::NotExists(doc_path(u)),
        9 => {
            let path = doc_path(u);
            let t: &&'static str = pick(u, TYPES);
            Cond::Type(path, t)
        }
        10 => {
            let path = doc_path(u);
            // A prefix of a stored string or binary, or any.
            let v = match seen(u, items, &path).as_ref().and_then(typed) {
                Some(("S", x)) => {
                    let x = x.as_str().unwrap_or("");
                    let n = int(u, 0, x.len() as i64) as usize;
                    json!({"S": x.get(..n).unwrap_or("")})
                }
                Some(("B", x)) => x.as_str().map_or(json!({"B": ""}), |b| json!({"B": b})),
                _ if chance(u, 200) => json!({"S": *pick(u, STRINGS)}),
                _ => json!({"B": pick(u, BINARIES).0}),
            };
            Cond::BeginsWith(path, v)
        }
        _ => {
            let path = doc_path(u);
            // A member of a stored set or list, or a part of a stored string, or any.
            let member = match seen(u, items, &path).as_ref().and_then(typed) {
                Some(("SS", x)) => x
                    .as_array()
                    .and_then(|m| m.first())
                    .map(|m| json!({"S": m})),
                Some(("NS", x)) => x
                    .as_array()
                    .and_then(|m| m.first())
                    .map(|m| json!({"N": m})),
                Some(("BS", x)) => x
                    .as_array()
                    .and_then(|m| m.first())
                    .map(|m| json!({"B": m})),
                Some(("L", x)) => x
                    .as_array()
                    .and_then(|m| m.first())
                    .cloned()
                    .filter(is_ordered),
                Some(("S", x)) => {
                    let x = x.as_str().unwrap_or("");
                    let n = int(u, 0, x.len() as i64) as usize;
                    Some(json!({"S": x.get(n..).unwrap_or("")}))
                }
                _ => None,
            };
            let v = member.unwrap_or_else(|| match int(u, 0, 2) {
                0 => json!({"N": *pick(u, NUMBERS)}),
                1 => json!({"B": pick(u, BINARIES).0}),
                _ => json!({"S": *pick(u, STRINGS)}),
            });
            Cond::Contains(path, v)
        }
    }
}

fn flip(op: &'static str) -> &'static str {
    match op {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        other => other,
    }
}

/// Renders expressions, collecting `ExpressionAttributeNames` and `ExpressionAttributeValues`.
#[derive(Default)]
struct Render {
    names: BTreeMap<String, String>,
    values: BTreeMap<String, Value>,
    /// Whether to write names through placeholders even where they are not reserved.
    placeholders: bool,
}

impl Render {
    fn name(&mut self, name: &str) -> String {
        if !self.placeholders && name != "name" {
            return name.to_string();
        }
        if let Some((k, _)) = self.names.iter().find(|(_, v)| v.as_str() == name) {
            return k.clone();
        }
        let k = format!("#n{}", self.names.len());
        self.names.insert(k.clone(), name.to_string());
        k
    }

    fn value(&mut self, v: &Value) -> String {
        let k = format!(":v{}", self.values.len());
        self.values.insert(k.clone(), v.clone());
        k
    }

    fn path(&mut self, p: &DocPath) -> String {
        let mut out = String::new();
        for (i, s) in p.0.iter().enumerate() {
            match s {
                Step::Attr(a) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(&self.name(a));
                }
                Step::Index(n) => out.push_str(&format!("[{n}]")),
            }
        }
        out
    }

    fn operand(&mut self, o: &Operand) -> String {
        match o {
            Operand::Path(p) => self.path(p),
            Operand::Value(v) => self.value(v),
            Operand::Size(p) => format!("size({})", self.path(p)),
        }
    }

    fn cond(&mut self, c: &Cond) -> String {
        match c {
            Cond::Cmp(a, op, b) => format!("{} {op} {}", self.operand(a), self.operand(b)),
            Cond::Between(a, lo, hi) => {
                format!(
                    "{} BETWEEN {} AND {}",
                    self.operand(a),
                    self.value(lo),
                    self.value(hi)
                )
            }
            Cond::In(p, list) => {
                let p = self.path(p);
                let list: Vec<String> = list.iter().map(|v| self.value(v)).collect();
                format!("{p} IN ({})", list.join(", "))
            }
            Cond::And(a, b) => format!("({}) AND ({})", self.cond(a), self.cond(b)),
            Cond::Or(a, b) => format!("({}) OR ({})", self.cond(a), self.cond(b)),
            Cond::Not(a) => format!("NOT ({})", self.cond(a)),
            Cond::Exists(p) => format!("attribute_exists({})", self.path(p)),
            Cond::NotExists(p) => format!("attribute_not_exists({})", self.path(p)),
            Cond::Type(p, t) => {
                let p = self.path(p);
                format!("attribute_type({p}, {})", self.value(&json!({ "S": t })))
            }
            Cond::BeginsWith(p, v) => format!("begins_with({}, {})", self.path(p), self.value(v)),
            Cond::Contains(p, v) => format!("contains({}, {})", self.path(p), self.value(v)),
        }
    }

    /// Adds the names and values to a request.
    fn attach(&self, request: &mut Map<String, Value>) {
        if !self.names.is_empty() {
            request.insert("ExpressionAttributeNames".into(), json!(self.names));
        }
        if !self.values.is_empty() {
            request.insert("ExpressionAttributeValues".into(), json!(self.values));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The reference.

fn number(s: &str) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

fn binary(b64: &str) -> Option<&'static [u8]> {
    BINARIES.iter().find(|(k, _)| *k == b64).map(|(_, v)| *v)
}

/// The one type key and the payload of an AttributeValue.
fn typed(v: &Value) -> Option<(&str, &Value)> {
    let m = v.as_object()?;
    let (k, x) = m.iter().next()?;
    (m.len() == 1).then_some((k.as_str(), x))
}

/// Equality as the guide defines it: same type and same value; numbers by value, sets as sets.
fn equal(a: &Value, b: &Value) -> bool {
    let (Some((ta, a)), Some((tb, b))) = (typed(a), typed(b)) else {
        return false;
    };
    if ta != tb {
        return false;
    }
    let set_eq = |a: &Value, b: &Value, same: &dyn Fn(&Value, &Value) -> bool| {
        let (Some(a), Some(b)) = (a.as_array(), b.as_array()) else {
            return false;
        };
        a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| same(x, y)))
    };
    match ta {
        "N" => number(a.as_str().unwrap_or("")) == number(b.as_str().unwrap_or("")),
        "NS" => set_eq(a, b, &|x, y| {
            number(x.as_str().unwrap_or("")) == number(y.as_str().unwrap_or(""))
        }),
        "SS" | "BS" => set_eq(a, b, &|x, y| x == y),
        "L" => match (a.as_array(), b.as_array()) {
            (Some(a), Some(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equal(x, y)),
            _ => false,
        },
        "M" => match (a.as_object(), b.as_object()) {
            (Some(a), Some(b)) => {
                a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| equal(x, y)))
            }
            _ => false,
        },
        _ => a == b,
    }
}

/// Order of two N, two S or two B values; `None` for anything else.
fn order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (typed(a)?, typed(b)?) {
        (("N", x), ("N", y)) => number(x.as_str()?).partial_cmp(&number(y.as_str()?)),
        (("S", x), ("S", y)) => Some(x.as_str()?.as_bytes().cmp(y.as_str()?.as_bytes())),
        (("B", x), ("B", y)) => Some(binary(x.as_str()?)?.cmp(binary(y.as_str()?)?)),
        _ => None,
    }
}

fn get<'a>(item: &'a Value, path: &DocPath) -> Option<&'a Value> {
    let mut current: Option<&Value> = None;
    for (i, s) in path.0.iter().enumerate() {
        current = match (i, s) {
            (0, Step::Attr(a)) => item.get(a),
            (0, Step::Index(_)) => None,
            (_, Step::Attr(a)) => current.and_then(|c| c.get("M")).and_then(|m| m.get(a)),
            (_, Step::Index(n)) => current.and_then(|c| c.get("L")).and_then(|l| l.get(*n)),
        };
        current?;
    }
    current
}

fn operand_value(o: &Operand, item: &Value) -> Option<Value> {
    match o {
        Operand::Path(p) => get(item, p).cloned(),
        Operand::Value(v) => Some(v.clone()),
        // size: string length (ASCII here), bytes of a binary, members of a set, list or map.
        Operand::Size(p) => {
            let (t, x) = typed(get(item, p)?)?;
            let n = match t {
                "S" => x.as_str()?.chars().count(),
                "B" => binary(x.as_str()?)?.len(),
                "SS" | "NS" | "BS" | "L" => x.as_array()?.len(),
                "M" => x.as_object()?.len(),
                _ => return None,
            };
            Some(json!({"N": n.to_string()}))
        }
    }
}

fn holds(c: &Cond, item: &Value) -> bool {
    match c {
        Cond::And(a, b) => holds(a, item) && holds(b, item),
        Cond::Or(a, b) => holds(a, item) || holds(b, item),
        Cond::Not(a) => !holds(a, item),
        Cond::Cmp(a, op, b) => {
            let (Some(x), Some(y)) = (operand_value(a, item), operand_value(b, item)) else {
                // A missing operand equals nothing, so only "<>" holds.
                return *op == "<>";
            };
            use std::cmp::Ordering::*;
            match *op {
                "=" => equal(&x, &y),
                "<>" => !equal(&x, &y),
                "<" => order(&x, &y) == Some(Less),
                "<=" => matches!(order(&x, &y), Some(Less | Equal)),
                ">" => order(&x, &y) == Some(Greater),
                _ => matches!(order(&x, &y), Some(Greater | Equal)),
            }
        }
        Cond::Between(a, lo, hi) => operand_value(a, item).is_some_and(|x| {
            matches!(
                order(&x, lo),
                Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)
            ) && matches!(
                order(&x, hi),
                Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
            )
        }),
        Cond::In(p, list) => get(item, p).is_some_and(|x| list.iter().any(|y| equal(x, y))),
        Cond::Exists(p) => get(item, p).is_some(),
        Cond::NotExists(p) => get(item, p).is_none(),
        Cond::Type(p, t) => get(item, p).and_then(typed).is_some_and(|(k, _)| k == *t),
        Cond::BeginsWith(p, v) => match (get(item, p).and_then(typed), typed(v)) {
            (Some(("S", x)), Some(("S", y))) => x
                .as_str()
                .zip(y.as_str())
                .is_some_and(|(x, y)| x.starts_with(y)),
            (Some(("B", x)), Some(("B", y))) => {
                let x = x.as_str().and_then(binary);
                let y = y.as_str().and_then(binary);
                x.zip(y).is_some_and(|(x, y)| x.starts_with(y))
            }
            _ => false,
        },
        Cond::Contains(p, v) => {
            let Some(h) = get(item, p) else { return false };
            match (typed(h), typed(v)) {
                (Some(("S", x)), Some(("S", y))) => x
                    .as_str()
                    .zip(y.as_str())
                    .is_some_and(|(x, y)| x.contains(y)),
                (Some(("B", x)), Some(("B", y))) => {
                    let x = x.as_str().and_then(binary).unwrap_or_default();
                    let y = y.as_str().and_then(binary).unwrap_or_default();
                    y.is_empty() || x.windows(y.len()).any(|w| w == y)
                }
                (Some(("SS", xs)), Some(("S", _)))
                | (Some(("NS", xs)), Some(("N", _)))
                | (Some(("BS", xs)), Some(("B", _))) => {
                    let t = if typed(h).is_some_and(|(k, _)| k == "NS") {
                        "N"
                    } else if typed(h).is_some_and(|(k, _)| k == "SS") {
                        "S"
                    } else {
                        "B"
                    };
                    xs.as_array()
                        .is_some_and(|xs| xs.iter().any(|x| equal(&json!({ t: x }), v)))
                }
                (Some(("L", xs)), _) => xs
                    .as_array()
                    .is_some_and(|xs| xs.iter().any(|x| equal(x, v))),
                _ => false,
            }
        }
    }
}

fn key_of(item: &Value) -> String {
    format!(
        "{}/{}",
        item["PK"]["S"].as_str().unwrap_or(""),
        item["SK"]["N"].as_str().unwrap_or("")
    )
}

fn scan_all(db: &mut Database) -> Result<Vec<Value>, String> {
    let out = db
        .execute("Scan", &json!({"TableName": TABLE}))
        .map_err(|e| format!("Scan failed: {e}"))?;
    let mut items = out["Items"].as_array().cloned().unwrap_or_default();
    items.sort_by_key(key_of);
    Ok(items)
}

/// Conditions agree with the reference: a Scan with a generated FilterExpression returns
/// exactly the items the reference accepts, and a DeleteItem with it as ConditionExpression
/// deletes the item exactly when the reference accepts it, and otherwise fails with
/// ConditionalCheckFailedException leaving the table unchanged. Every generated expression is
/// one DynamoDB accepts, so a ValidationException is a divergence too.
pub fn check_condition(u: Gen) -> Result<(), String> {
    let n = int(u, 0, 8);
    let (mut db, items) = table_with_items(u, n);
    let c = cond(u, 3, &items);
    let mut render = Render {
        placeholders: chance(u, 80),
        ..Default::default()
    };
    let text = render.cond(&c);
    let context = || {
        format!(
            "items {}\nexpression {text}\nnames {:?}\nvalues {:?}",
            Value::Array(items.clone()),
            render.names,
            render.values
        )
    };

    let mut scan = Map::new();
    scan.insert("TableName".into(), json!(TABLE));
    scan.insert("FilterExpression".into(), json!(text));
    render.attach(&mut scan);
    let got = db
        .execute("Scan", &Value::Object(scan))
        .map_err(|e| format!("Scan rejected a valid filter: {e}\n{}", context()))?;
    let mut got: Vec<String> = got["Items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(key_of)
        .collect();
    got.sort();
    let mut want: Vec<String> = items.iter().filter(|i| holds(&c, i)).map(key_of).collect();
    want.sort();
    if got != want {
        return Err(format!(
            "Scan found {got:?}, the reference {want:?}\n{}",
            context()
        ));
    }

    // The same condition guarding a delete, of a stored item or of one that does not exist.
    let target = if items.is_empty() || chance(u, 40) {
        json!({"PK": {"S": "p9"}, "SK": {"N": "0"}})
    } else {
        pick(u, &items).clone()
    };
    let key = json!({"PK": target["PK"], "SK": target["SK"]});
    let stored = items.iter().find(|i| key_of(i) == key_of(&target));
    let empty = json!({});
    let expect_pass = holds(&c, stored.unwrap_or(&empty));
    let before = scan_all(&mut db)?;
    let mut delete = Map::new();
    delete.insert("TableName".into(), json!(TABLE));
    delete.insert("Key".into(), key.clone());
    delete.insert("ConditionExpression".into(), json!(text));
    render.attach(&mut delete);
    let result = db.execute("DeleteItem", &Value::Object(delete));
    let after = scan_all(&mut db)?;
    match result {
        Ok(_) if expect_pass => {
            let mut want = before.clone();
            want.retain(|i| key_of(i) != key_of(&key));
            if after != want {
                return Err(format!("DeleteItem of {key} left {after:?}\n{}", context()));
            }
        }
        Err(e) if !expect_pass && e.to_string().contains("ConditionalCheckFailed") => {
            if after != before {
                return Err(format!("a failed DeleteItem changed the table: {after:?}\n{}", context()));
            }
        }
        other => {
            return Err(format!(
                "DeleteItem of {key} answered {other:?}, the reference says the condition is {expect_pass}\n{}",
                context()
            ))
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Update expressions.

#[derive(Clone, Debug)]
enum SetOperand {
    Value(Value),
    Path(DocPath),
    IfNotExists(DocPath, Value),
    ListAppend(Box<SetOperand>, Box<SetOperand>),
}

#[derive(Clone, Debug)]
enum Action {
    Set(DocPath, SetOperand, Option<(char, SetOperand)>),
    Remove(DocPath),
    Add(String, Value),
    Delete(String, Value),
}

/// Roots updates write: each action of one update takes its own, so no two paths overlap.
const UPDATE_ROOTS: &[&str] = &["a", "b", "l", "m", "s", "n", "name"];

fn path_under(u: Gen, root: &str) -> DocPath {
    let mut p = doc_path(u);
    p.0[0] = Step::Attr(root.to_string());
    if chance(u, 100) {
        p.0.truncate(1);
    }
    p
}

fn set_operand(u: Gen, depth: u32) -> SetOperand {
    match int(u, 0, 5) {
        0 => SetOperand::Path(doc_path(u)),
        1 => SetOperand::IfNotExists(doc_path(u), value(u, 1)),
        2 if depth > 0 => SetOperand::ListAppend(
            Box::new(set_operand(u, depth - 1)),
            Box::new(set_operand(u, depth - 1)),
        ),
        3 => SetOperand::Value(
            json!({"L": (0..int(u, 0, 2)).map(|_| scalar(u)).collect::<Vec<_>>()}),
        ),
        4 => SetOperand::Value(json!({"N": *pick(u, NUMBERS)})),
        _ => SetOperand::Value(value(u, 1)),
    }
}

fn actions(u: Gen) -> Vec<Action> {
    let mut roots: Vec<&str> = UPDATE_ROOTS.to_vec();
    let mut out = Vec::new();
    for _ in 0..int(u, 1, 3) {
        if roots.is_empty() {
            break;
        }
        let i = u
            .choose_index(roots.len())
            .unwrap_or(0)
            .min(roots.len() - 1);
        let root = roots.remove(i);
        let action = match int(u, 0, 5) {
            0 | 1 => {
                let arith = if chance(u, 70) {
                    Some((*pick(u, &['+', '-']), set_operand(u, 0)))
                } else {
                    None
                };
                Action::Set(path_under(u, root), set_operand(u, 1), arith)
            }
            2 => Action::Remove(path_under(u, root)),
            3 | 4 => {
                let v = match int(u, 0, 3) {
                    0 | 1 => json!({"N": *pick(u, NUMBERS)}),
                    2 => json!({"SS": set_of(u, STRINGS)}),
                    _ => json!({"NS": set_of(u, SET_NUMBERS)}),
                };
                Action::Add(root.to_string(), v)
            }
            _ => {
                let v = if chance(u, 128) {
                    json!({"SS": set_of(u, STRINGS)})
                } else {
                    json!({"NS": set_of(u, SET_NUMBERS)})
                };
                Action::Delete(root.to_string(), v)
            }
        };
        out.push(action);
    }
    out
}

impl Render {
    fn set_operand(&mut self, o: &SetOperand) -> String {
        match o {
            SetOperand::Value(v) => self.value(v),
            SetOperand::Path(p) => self.path(p),
            SetOperand::IfNotExists(p, v) => {
                format!("if_not_exists({}, {})", self.path(p), self.value(v))
            }
            SetOperand::ListAppend(a, b) => format!(
                "list_append({}, {})",
                self.set_operand(a),
                self.set_operand(b)
            ),
        }
    }

    fn update(&mut self, actions: &[Action]) -> String {
        let mut set = Vec::new();
        let mut remove = Vec::new();
        let mut add = Vec::new();
        let mut delete = Vec::new();
        for a in actions {
            match a {
                Action::Set(p, o, arith) => {
                    let mut s = format!("{} = {}", self.path(p), self.set_operand(o));
                    if let Some((op, b)) = arith {
                        s.push_str(&format!(" {op} {}", self.set_operand(b)));
                    }
                    set.push(s);
                }
                Action::Remove(p) => remove.push(self.path(p)),
                Action::Add(r, v) => add.push(format!("{} {}", self.name(r), self.value(v))),
                Action::Delete(r, v) => delete.push(format!("{} {}", self.name(r), self.value(v))),
            }
        }
        let mut out = Vec::new();
        for (word, parts) in [
            ("SET", set),
            ("REMOVE", remove),
            ("ADD", add),
            ("DELETE", delete),
        ] {
            if !parts.is_empty() {
                out.push(format!("{word} {}", parts.join(", ")));
            }
        }
        out.join(" ")
    }
}

/// An update's run-time failure in the reference (DynamoDB answers ValidationException).
struct UpdateError;

fn set_operand_value(o: &SetOperand, item: &Value) -> Result<Value, UpdateError> {
    match o {
        SetOperand::Value(v) => Ok(v.clone()),
        // A path on the right must exist.
        SetOperand::Path(p) => get(item, p).cloned().ok_or(UpdateError),
        SetOperand::IfNotExists(p, v) => Ok(get(item, p).cloned().unwrap_or_else(|| v.clone())),
        // list_append takes two lists.
        SetOperand::ListAppend(a, b) => {
            let (a, b) = (set_operand_value(a, item)?, set_operand_value(b, item)?);
            match (
                a.get("L").and_then(Value::as_array),
                b.get("L").and_then(Value::as_array),
            ) {
                (Some(a), Some(b)) => {
                    Ok(json!({"L": a.iter().chain(b).cloned().collect::<Vec<_>>()}))
                }
                _ => Err(UpdateError),
            }
        }
    }
}

fn format_number(x: f64) -> String {
    format!("{x}")
}

/// Writes `v` at `path`: the parent must exist and be a map (for a name) or a list (for an
/// index; an index past the end appends).
fn put(item: &mut Value, path: &DocPath, v: Value) -> Result<(), UpdateError> {
    let Some((last, parents)) = path.0.split_last() else {
        return Err(UpdateError);
    };
    let parent = parent_of(item, parents)?;
    match (last, parent) {
        (Step::Attr(a), Parent::Item(m)) | (Step::Attr(a), Parent::Map(m)) => {
            m.insert(a.clone(), v);
        }
        (Step::Index(i), Parent::List(l)) => {
            if *i < l.len() {
                l[*i] = v;
            } else {
                l.push(v);
            }
        }
        _ => return Err(UpdateError),
    }
    Ok(())
}

enum Parent<'a> {
    Item(&'a mut Map<String, Value>),
    Map(&'a mut Map<String, Value>),
    List(&'a mut Vec<Value>),
}

fn parent_of<'a>(item: &'a mut Value, parents: &[Step]) -> Result<Parent<'a>, UpdateError> {
    let Value::Object(top) = item else {
        return Err(UpdateError);
    };
    let Some((first, rest)) = parents.split_first() else {
        return Ok(Parent::Item(top));
    };
    let Step::Attr(a) = first else {
        return Err(UpdateError);
    };
    let mut current = top.get_mut(a).ok_or(UpdateError)?;
    for s in rest {
        current = match s {
            Step::Attr(a) => current
                .get_mut("M")
                .and_then(|m| m.get_mut(a))
                .ok_or(UpdateError)?,
            Step::Index(i) => current
                .get_mut("L")
                .and_then(Value::as_array_mut)
                .and_then(|l| l.get_mut(*i))
                .ok_or(UpdateError)?,
        };
    }
    let Value::Object(typed) = current else {
        return Err(UpdateError);
    };
    match typed.iter_mut().next() {
        Some((k, Value::Object(m))) if k == "M" => Ok(Parent::Map(m)),
        Some((k, Value::Array(l))) if k == "L" => Ok(Parent::List(l)),
        _ => Err(UpdateError),
    }
}

fn remove(item: &mut Value, path: &DocPath) -> Result<(), UpdateError> {
    let Some((last, parents)) = path.0.split_last() else {
        return Err(UpdateError);
    };
    match (last, parent_of(item, parents)?) {
        (Step::Attr(a), Parent::Item(m)) | (Step::Attr(a), Parent::Map(m)) => {
            m.remove(a);
        }
        (Step::Index(i), Parent::List(l)) => {
            if *i < l.len() {
                l.remove(*i);
            }
        }
        _ => return Err(UpdateError),
    }
    Ok(())
}

fn members(set: &Value) -> Vec<Value> {
    typed(set)
        .and_then(|(_, x)| x.as_array().cloned())
        .unwrap_or_default()
}

/// The item after `actions`, as the guide describes an UpdateItem: every right-hand side reads
/// the item as it was; SET, then REMOVE, then ADD, then DELETE.
fn apply(actions: &[Action], old: &Value, exists: bool) -> Result<Value, UpdateError> {
    let mut item = old.clone();
    let mut sets = Vec::new();
    for a in actions {
        if let Action::Set(p, o, arith) = a {
            let mut v = set_operand_value(o, old)?;
            if let Some((op, b)) = arith {
                let b = set_operand_value(b, old)?;
                let (Some(x), Some(y)) = (
                    v.get("N").and_then(Value::as_str),
                    b.get("N").and_then(Value::as_str),
                ) else {
                    return Err(UpdateError);
                };
                let (x, y) = (number(x), number(y));
                v = json!({"N": format_number(if *op == '+' { x + y } else { x - y })});
            }
            sets.push((p, v));
        }
    }
    for (p, v) in sets {
        put(&mut item, p, v)?;
    }
    for a in actions {
        if let Action::Remove(p) = a {
            match remove(&mut item, p) {
                // A nested REMOVE on an item that does not exist is a no-op.
                Err(_) if !exists => {}
                other => other?,
            }
        }
    }
    for a in actions {
        match a {
            Action::Add(root, v) => {
                let new = match (item.get(root).and_then(typed), typed(v)) {
                    (None, _) => v.clone(),
                    (Some(("N", x)), Some(("N", y))) => {
                        json!({"N": format_number(number(x.as_str().unwrap_or("")) + number(y.as_str().unwrap_or("")))})
                    }
                    (Some((t, _)), Some((tv, _))) if t == tv && (t == "SS" || t == "NS") => {
                        let mut all = members(&item[root]);
                        for m in members(v) {
                            let elem = |x: &Value| json!({ &t[..1]: x });
                            if !all.iter().any(|x| equal(&elem(x), &elem(&m))) {
                                all.push(m);
                            }
                        }
                        json!({ t: all })
                    }
                    _ => return Err(UpdateError),
                };
                item[root.as_str()] = new;
            }
            Action::Delete(root, v) => {
                let new = match (item.get(root).and_then(typed), typed(v)) {
                    (None, _) => continue,
                    (Some((t, _)), Some((tv, _))) if t == tv => {
                        let elem = |x: &Value| json!({ &t[..1]: x });
                        let gone = members(v);
                        let left: Vec<Value> = members(&item[root])
                            .into_iter()
                            .filter(|x| !gone.iter().any(|g| equal(&elem(x), &elem(g))))
                            .collect();
                        if left.is_empty() {
                            None
                        } else {
                            Some(json!({ t: left }))
                        }
                    }
                    _ => return Err(UpdateError),
                };
                match (new, item.as_object_mut()) {
                    (Some(n), Some(m)) => {
                        m.insert(root.clone(), n);
                    }
                    (None, Some(m)) => {
                        m.remove(root);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(item)
}

/// Updates agree with the reference: an UpdateItem with a generated update expression either
/// succeeds with the item the reference computes, or fails (ValidationException) exactly when
/// the reference finds a run-time error, and then leaves the table unchanged.
pub fn check_update(u: Gen) -> Result<(), String> {
    let n = int(u, 0, 4);
    let (mut db, items) = table_with_items(u, n);
    let acts = actions(u);
    let mut render = Render {
        placeholders: chance(u, 80),
        ..Default::default()
    };
    let text = render.update(&acts);
    let target = if items.is_empty() || chance(u, 50) {
        json!({"PK": {"S": "p9"}, "SK": {"N": "0"}})
    } else {
        pick(u, &items).clone()
    };
    let key = json!({"PK": target["PK"], "SK": target["SK"]});
    let stored = items.iter().find(|i| key_of(i) == key_of(&target)).cloned();
    let context = || {
        format!(
            "item {stored:?}\nupdate {text}\nnames {:?}\nvalues {:?}",
            render.names, render.values
        )
    };
    // An update of a missing item creates it, unless it only removes or deletes (ScyllaDB's
    // Alternator test_update_item_returnvalues_all_new, which runs against DynamoDB).
    let creates = stored.is_some()
        || acts
            .iter()
            .any(|a| matches!(a, Action::Set(..) | Action::Add(..)));
    let expected = apply(&acts, stored.as_ref().unwrap_or(&key), stored.is_some()).map(|item| {
        if creates {
            item
        } else {
            json!({})
        }
    });

    let before = scan_all(&mut db)?;
    let mut request = Map::new();
    request.insert("TableName".into(), json!(TABLE));
    request.insert("Key".into(), key.clone());
    request.insert("UpdateExpression".into(), json!(text));
    request.insert("ReturnValues".into(), json!("ALL_NEW"));
    render.attach(&mut request);
    let result = db.execute("UpdateItem", &Value::Object(request));
    let after = scan_all(&mut db)?;
    match (expected, result) {
        (Ok(want), Ok(got)) => {
            let got = got.get("Attributes").cloned().unwrap_or(json!({}));
            if !equal(&json!({"M": got}), &json!({"M": want.clone()})) {
                return Err(format!(
                    "UpdateItem made {got}, the reference {want}\n{}",
                    context()
                ));
            }
            // And the table holds what was returned: the item replaced, or none created.
            let mut table = before.clone();
            table.retain(|i| key_of(i) != key_of(&key));
            if want.as_object().is_some_and(|m| !m.is_empty()) {
                table.push(want);
                table.sort_by_key(key_of);
            }
            let same = table.len() == after.len()
                && table
                    .iter()
                    .zip(&after)
                    .all(|(a, b)| equal(&json!({"M": a}), &json!({"M": b})));
            if !same {
                return Err(format!(
                    "after UpdateItem the table holds {after:?}, the reference {table:?}\n{}",
                    context()
                ));
            }
        }
        (Err(UpdateError), Err(e)) if e.to_string().contains("ValidationException") => {
            if after != before {
                return Err(format!(
                    "a failed UpdateItem ({e}) changed the table\n{}",
                    context()
                ));
            }
        }
        (Ok(want), Err(e)) => {
            return Err(format!(
                "UpdateItem failed ({e}); the reference makes {want}\n{}",
                context()
            ))
        }
        (Err(UpdateError), other) => {
            return Err(format!(
                "UpdateItem answered {other:?}; the reference fails\n{}",
                context()
            ))
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Whole requests, for the crash fuzzing of `Database::execute`.

/// Words an expression is made of, valid or not, for expressions that go past the grammar.
const EXPR_TOKENS: &[&str] = &[
    "a",
    "b",
    "#n0",
    "#n1",
    ":v0",
    ":v1",
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "(",
    ")",
    ",",
    ".",
    "[0]",
    "[",
    "]",
    "AND",
    "OR",
    "NOT",
    "BETWEEN",
    "IN",
    "SET",
    "REMOVE",
    "ADD",
    "DELETE",
    "size",
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
    "if_not_exists",
    "list_append",
    "+",
    "-",
    "PK",
    "SK",
    "[99999999999999999999]",
    "name",
    "l[1]",
    "m.x",
    "#",
    ":",
    "\u{0}",
    "é",
];

/// An expression string: from the grammar, sometimes with tokens inserted or dropped.
pub fn expression(
    u: Gen,
    kind: &str,
) -> (String, BTreeMap<String, String>, BTreeMap<String, Value>) {
    let mut render = Render {
        placeholders: chance(u, 100),
        ..Default::default()
    };
    let mut text = match kind {
        "UpdateExpression" => {
            let a = actions(u);
            render.update(&a)
        }
        "ProjectionExpression" => {
            let paths: Vec<String> = (0..int(u, 1, 3))
                .map(|_| {
                    let p = doc_path(u);
                    render.path(&p)
                })
                .collect();
            paths.join(", ")
        }
        "KeyConditionExpression" => {
            let pk = render.name("PK");
            let v = render.value(&json!({"S": format!("p{}", int(u, 0, 2))}));
            let mut t = format!("{pk} = {v}");
            if chance(u, 150) {
                let sk = render.name("SK");
                let op = *pick(u, &["=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"]);
                let a = render.value(&json!({"N": *pick(u, NUMBERS)}));
                match op {
                    "BETWEEN" => {
                        let b = render.value(&json!({"N": *pick(u, NUMBERS)}));
                        t.push_str(&format!(" AND {sk} BETWEEN {a} AND {b}"));
                    }
                    "begins_with" => t.push_str(&format!(" AND begins_with({sk}, {a})")),
                    _ => t.push_str(&format!(" AND {sk} {op} {a}")),
                }
            }
            t
        }
        _ => {
            let c = cond(u, 3, &[]);
            render.cond(&c)
        }
    };
    // Mutations past the grammar: an inserted token, a dropped character.
    for _ in 0..int(u, 0, 2) {
        if chance(u, 60) {
            let at = floor_char(&text, int(u, 0, text.len() as i64) as usize);
            text.insert_str(at, &format!(" {} ", pick(u, EXPR_TOKENS)));
        } else if chance(u, 30) && !text.is_empty() {
            let at = floor_char(&text, int(u, 0, text.len() as i64 - 1) as usize);
            text.remove(at);
        }
    }
    if chance(u, 20) {
        render.values.insert(":unused".into(), scalar(u));
    }
    (text, render.names, render.values)
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A random key of the table (sometimes malformed).
fn key(u: Gen) -> Value {
    match int(u, 0, 9) {
        0 => json!({"PK": {"S": "p0"}}),
        1 => json!({"PK": {"N": "1"}, "SK": {"N": "0"}}),
        2 => json!({"PK": {"S": ""}, "SK": {"N": "1"}}),
        3 => json!({"PK": {"S": "p0"}, "SK": {"N": "1"}, "a": {"S": "x"}}),
        _ => {
            json!({"PK": {"S": format!("p{}", int(u, 0, 2))}, "SK": {"N": int(u, 0, 6).to_string()}})
        }
    }
}

fn with_expression(u: Gen, r: &mut Map<String, Value>, kind: &str) {
    let (text, names, values) = expression(u, kind);
    r.insert(kind.into(), json!(text));
    merge_placeholders(r, names, values);
}

fn merge_placeholders(
    r: &mut Map<String, Value>,
    names: BTreeMap<String, String>,
    values: BTreeMap<String, Value>,
) {
    if !names.is_empty() {
        let entry = r
            .entry("ExpressionAttributeNames")
            .or_insert_with(|| json!({}));
        if let Value::Object(m) = entry {
            for (k, v) in names {
                m.insert(k, json!(v));
            }
        }
    }
    if !values.is_empty() {
        let entry = r
            .entry("ExpressionAttributeValues")
            .or_insert_with(|| json!({}));
        if let Value::Object(m) = entry {
            for (k, v) in values {
                m.insert(k, v);
            }
        }
    }
}

/// One request for `Database::execute(op, input)` on [`TABLE`], with expressions, legacy
/// parameters, paging and return options drawn at random.
pub fn request(u: Gen) -> (String, Value) {
    let op = *pick(
        u,
        &[
            "PutItem",
            "GetItem",
            "UpdateItem",
            "UpdateItem",
            "DeleteItem",
            "Query",
            "Query",
            "Scan",
            "Scan",
            "BatchGetItem",
            "BatchWriteItem",
            "TransactGetItems",
            "TransactWriteItems",
            "DescribeTable",
            "CreateTable",
            "DeleteTable",
        ],
    );
    let mut r = Map::new();
    r.insert(
        "TableName".into(),
        json!(if chance(u, 245) { TABLE } else { "missing" }),
    );
    match op {
        "PutItem" => {
            let sk = int(u, 0, 6);
            r.insert("Item".into(), item(u, "p0", sk));
            if chance(u, 100) {
                with_expression(u, &mut r, "ConditionExpression");
            }
            if chance(u, 40) {
                r.insert("Expected".into(), json!({"a": {"Exists": false}}));
            }
        }
        "GetItem" => {
            r.insert("Key".into(), key(u));
            if chance(u, 100) {
                with_expression(u, &mut r, "ProjectionExpression");
            }
            if chance(u, 30) {
                r.insert("AttributesToGet".into(), json!(["a", "PK"]));
            }
        }
        "UpdateItem" => {
            r.insert("Key".into(), key(u));
            if chance(u, 220) {
                with_expression(u, &mut r, "UpdateExpression");
            } else {
                r.insert("AttributeUpdates".into(), json!({"a": {"Action": *pick(u, &["PUT", "ADD", "DELETE", "X"]), "Value": value(u, 1)}}));
            }
            if chance(u, 80) {
                with_expression(u, &mut r, "ConditionExpression");
            }
        }
        "DeleteItem" => {
            r.insert("Key".into(), key(u));
            if chance(u, 120) {
                with_expression(u, &mut r, "ConditionExpression");
            }
        }
        "Query" | "Scan" => {
            if op == "Query" {
                if chance(u, 230) {
                    with_expression(u, &mut r, "KeyConditionExpression");
                } else {
                    r.insert("KeyConditions".into(), json!({"PK": {"ComparisonOperator": *pick(u, &["EQ", "BEGINS_WITH", "GT"]), "AttributeValueList": [scalar(u)]}}));
                }
                if chance(u, 60) {
                    r.insert("ScanIndexForward".into(), json!(chance(u, 128)));
                }
            } else if chance(u, 40) {
                r.insert("Segment".into(), json!(int(u, -1, 2)));
                r.insert("TotalSegments".into(), json!(int(u, 0, 3)));
            }
            if chance(u, 120) {
                with_expression(u, &mut r, "FilterExpression");
            }
            if chance(u, 60) {
                with_expression(u, &mut r, "ProjectionExpression");
            }
            if chance(u, 60) {
                r.insert("IndexName".into(), json!(*pick(u, &["byG", "byC", "X"])));
            }
            if chance(u, 60) {
                r.insert("Limit".into(), json!(int(u, -1, 3)));
            }
            if chance(u, 50) {
                r.insert("ExclusiveStartKey".into(), key(u));
            }
            if chance(u, 40) {
                r.insert(
                    "Select".into(),
                    json!(*pick(
                        u,
                        &[
                            "COUNT",
                            "ALL_ATTRIBUTES",
                            "SPECIFIC_ATTRIBUTES",
                            "ALL_PROJECTED_ATTRIBUTES"
                        ]
                    )),
                );
            }
            if chance(u, 30) {
                r.insert(if op == "Query" { "QueryFilter" } else { "ScanFilter" }.into(), json!({"a": {"ComparisonOperator": *pick(u, &["EQ", "NE", "CONTAINS", "NULL", "IN", "BETWEEN"]), "AttributeValueList": [scalar(u)]}}));
            }
        }
        "BatchGetItem" => {
            let keys: Vec<Value> = (0..int(u, 0, 3)).map(|_| key(u)).collect();
            return (op.into(), json!({"RequestItems": {TABLE: {"Keys": keys}}}));
        }
        "BatchWriteItem" => {
            let writes: Vec<Value> = (0..int(u, 0, 3))
                .map(|_| {
                    if chance(u, 128) {
                        {
                            let sk = int(u, 0, 4);
                            json!({"PutRequest": {"Item": item(u, "p1", sk)}})
                        }
                    } else {
                        json!({"DeleteRequest": {"Key": key(u)}})
                    }
                })
                .collect();
            return (op.into(), json!({"RequestItems": {TABLE: writes}}));
        }
        "TransactGetItems" => {
            let gets: Vec<Value> = (0..int(u, 0, 3))
                .map(|_| json!({"Get": {"TableName": TABLE, "Key": key(u)}}))
                .collect();
            return (op.into(), json!({"TransactItems": gets}));
        }
        "TransactWriteItems" => {
            let mut actions = Vec::new();
            for _ in 0..int(u, 0, 3) {
                let mut a = Map::new();
                a.insert("TableName".into(), json!(TABLE));
                let kind = *pick(u, &["Put", "Update", "Delete", "ConditionCheck"]);
                if kind == "Put" {
                    let sk = int(u, 0, 4);
                    a.insert("Item".into(), item(u, "p2", sk));
                } else {
                    a.insert("Key".into(), key(u));
                }
                if kind == "Update" {
                    with_expression(u, &mut a, "UpdateExpression");
                }
                if kind == "ConditionCheck" || chance(u, 80) {
                    with_expression(u, &mut a, "ConditionExpression");
                }
                actions.push(json!({ kind: a }));
            }
            return (op.into(), json!({"TransactItems": actions}));
        }
        "CreateTable" => return (op.into(), create_table()),
        _ => {}
    }
    if chance(u, 60) {
        r.insert(
            "ReturnValues".into(),
            json!(*pick(
                u,
                &[
                    "ALL_OLD",
                    "ALL_NEW",
                    "UPDATED_OLD",
                    "UPDATED_NEW",
                    "NONE",
                    "X"
                ]
            )),
        );
    }
    if chance(u, 40) {
        r.insert(
            "ReturnConsumedCapacity".into(),
            json!(*pick(u, &["TOTAL", "INDEXES", "NONE"])),
        );
    }
    (op.into(), Value::Object(r))
}
