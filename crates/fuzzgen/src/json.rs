//! Structural mutation of JSON documents: a few changes to a valid document (a design, a
//! Workbench model) that keep it JSON, so the decoder's checks past the JSON parser are reached.

use serde_json::{json, Value};

use crate::{chance, int, pick, Gen};

/// Strings that mean something to the design format and its importers.
const WORDS: &[&str] = &[
    "",
    "id",
    "name",
    "string",
    "number",
    "int",
    "date",
    "boolean",
    "objectId",
    "array",
    "object",
    "one-to-many",
    "many-to-many",
    "one-to-one",
    "get",
    "list",
    "count",
    "text",
    "insert",
    "update",
    "delete",
    "range",
    "eq",
    "desc",
    "asc",
    "User",
    "Order",
    "user",
    "userId",
    "{userId}",
    "USER#{id}",
    "#",
    "{",
    "}",
    "{}",
    "a.b",
    "$x",
    "__proto__",
    "é",
    "\u{0}",
    "PK",
    "SK",
    "S",
    "N",
    "B",
    "GSI1",
    "embed",
    "reference",
    "auto",
];

/// A replacement value: a word, a number, a literal, or a small container.
fn small(u: Gen) -> Value {
    match int(u, 0, 9) {
        0..=3 => json!(*pick(u, WORDS)),
        4 => json!(int(u, -1, 3)),
        5 => json!(*pick(u, &[1e20, -0.5, 1e308])),
        6 => Value::Null,
        7 => json!(chance(u, 128)),
        8 => json!([]),
        _ => json!({}),
    }
}

/// Counts the nodes of `v`.
fn size(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(size).sum(),
        Value::Object(m) => m.values().map(size).sum(),
        _ => 0,
    }
}

/// Applies one to four mutations to `doc`: replace a node, drop a member or element, copy a
/// member under another name, duplicate an element, or nest a node in an array.
pub fn mutate(u: Gen, doc: &mut Value) {
    for _ in 0..int(u, 1, 4) {
        let total = size(doc);
        let target = int(u, 0, total as i64 - 1) as usize;
        mutate_at(u, doc, target);
    }
}

fn mutate_at(u: Gen, doc: &mut Value, target: usize) {
    let mut n = target;
    visit(doc, &mut n, &mut |node| match int(u, 0, 5) {
        0 | 1 => *node = small(u),
        2 => match node {
            Value::Object(m) if !m.is_empty() => {
                let i = int(u, 0, m.len() as i64 - 1) as usize;
                if let Some(k) = m.keys().nth(i).cloned() {
                    m.shift_remove(&k);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                let i = int(u, 0, a.len() as i64 - 1) as usize;
                a.remove(i);
            }
            _ => *node = small(u),
        },
        3 => match node {
            Value::Object(m) if !m.is_empty() => {
                let i = int(u, 0, m.len() as i64 - 1) as usize;
                if let Some(v) = m.values().nth(i).cloned() {
                    m.insert(pick(u, WORDS).to_string(), v);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                let i = int(u, 0, a.len() as i64 - 1) as usize;
                let copy = a[i].clone();
                a.push(copy);
            }
            _ => *node = small(u),
        },
        4 => {
            let inner = node.take();
            *node = json!([inner]);
        }
        _ => {
            if let Value::Object(m) = node {
                m.insert(pick(u, WORDS).to_string(), small(u));
            } else {
                *node = small(u);
            }
        }
    });
}

/// Calls `f` on the `n`th node of `v` in pre-order.
fn visit(v: &mut Value, n: &mut usize, f: &mut dyn FnMut(&mut Value)) -> bool {
    if *n == 0 {
        f(v);
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|c| visit(c, n, f)),
        Value::Object(m) => m.values_mut().any(|c| visit(c, n, f)),
        _ => false,
    }
}
