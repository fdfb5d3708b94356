//! BSON values as MongoDB compares them: the cross-type order, numbers by value, and the shell's
//! way of printing a value inside an error message.

use std::cmp::Ordering;

use bson::{Bson, Document};

/// The canonical type rank of the "Comparison/Sort Order" manual page: values of different ranks
/// compare by rank alone; numbers of every width share one rank.
pub fn type_rank(value: &Bson) -> u8 {
    match value {
        Bson::MinKey => 1,
        Bson::Null | Bson::Undefined => 2,
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_) => 3,
        Bson::String(_) | Bson::Symbol(_) => 4,
        Bson::Document(_) => 5,
        Bson::Array(_) => 6,
        Bson::Binary(_) => 7,
        Bson::ObjectId(_) => 8,
        Bson::Boolean(_) => 9,
        Bson::DateTime(_) => 10,
        Bson::Timestamp(_) => 11,
        Bson::RegularExpression(_) => 12,
        Bson::DbPointer(_) => 13,
        Bson::JavaScriptCode(_) => 14,
        Bson::JavaScriptCodeWithScope(_) => 15,
        Bson::MaxKey => 16,
    }
}

/// A number widened for comparison and arithmetic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

/// The numeric value of a BSON number (decimals go through their text form).
pub fn as_num(value: &Bson) -> Option<Num> {
    match value {
        Bson::Int32(i) => Some(Num::Int(i64::from(*i))),
        Bson::Int64(i) => Some(Num::Int(*i)),
        Bson::Double(f) => Some(Num::Float(*f)),
        Bson::Decimal128(d) => d.to_string().parse::<f64>().ok().map(Num::Float),
        _ => None,
    }
}

pub fn is_number(value: &Bson) -> bool {
    matches!(
        value,
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_)
    )
}

/// Compares two numbers by value; NaN sorts below every other number and equals itself.
pub fn compare_nums(a: Num, b: Num) -> Ordering {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x.cmp(&y),
        _ => {
            let (x, y) = (a.as_f64(), b.as_f64());
            match (x.is_nan(), y.is_nan()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => {
                    // Exact comparison of a large integer against a double.
                    if let (Num::Int(i), Num::Float(f)) = (a, b) {
                        return compare_int_float(i, f);
                    }
                    if let (Num::Float(f), Num::Int(i)) = (a, b) {
                        return compare_int_float(i, f).reverse();
                    }
                    x.partial_cmp(&y).unwrap_or(Ordering::Equal)
                }
            }
        }
    }
}

fn compare_int_float(i: i64, f: f64) -> Ordering {
    if f >= 9.3e18 {
        return Ordering::Less;
    }
    if f <= -9.3e18 {
        return Ordering::Greater;
    }
    let t = f.trunc();
    match i.cmp(&(t as i64)) {
        Ordering::Equal => {
            if f > t {
                Ordering::Less
            } else if f < t {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        other => other,
    }
}

/// String equality that rejects on length and on the first and last bytes before comparing the
/// rest (WebAssembly's `memcmp` is a plain loop behind a call).
#[inline]
pub fn str_eq(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    x.len() == y.len() && x.last() == y.last() && x.first() == y.first() && x == y
}

/// MongoDB's total order over BSON values.
pub fn compare(a: &Bson, b: &Bson) -> Ordering {
    // The common same-type cases first.
    match (a, b) {
        (Bson::Int32(x), Bson::Int32(y)) => return x.cmp(y),
        (Bson::Int64(x), Bson::Int64(y)) => return x.cmp(y),
        (Bson::String(x), Bson::String(y)) => return x.as_bytes().cmp(y.as_bytes()),
        (Bson::DateTime(x), Bson::DateTime(y)) => {
            return x.timestamp_millis().cmp(&y.timestamp_millis())
        }
        _ => {}
    }
    let (ra, rb) = (type_rank(a), type_rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (Bson::String(x) | Bson::Symbol(x), Bson::String(y) | Bson::Symbol(y)) => {
            x.as_bytes().cmp(y.as_bytes())
        }
        (Bson::Document(x), Bson::Document(y)) => compare_documents(x, y),
        (Bson::Array(x), Bson::Array(y)) => compare_arrays(x, y),
        (Bson::Binary(x), Bson::Binary(y)) => x
            .bytes
            .len()
            .cmp(&y.bytes.len())
            .then_with(|| u8::from(x.subtype).cmp(&u8::from(y.subtype)))
            .then_with(|| x.bytes.cmp(&y.bytes)),
        (Bson::ObjectId(x), Bson::ObjectId(y)) => x.bytes().cmp(&y.bytes()),
        (Bson::Boolean(x), Bson::Boolean(y)) => x.cmp(y),
        (Bson::DateTime(x), Bson::DateTime(y)) => x.timestamp_millis().cmp(&y.timestamp_millis()),
        (Bson::Timestamp(x), Bson::Timestamp(y)) => {
            (x.time, x.increment).cmp(&(y.time, y.increment))
        }
        (Bson::RegularExpression(x), Bson::RegularExpression(y)) => x
            .pattern
            .as_str()
            .cmp(y.pattern.as_str())
            .then_with(|| x.options.as_str().cmp(y.options.as_str())),
        (Bson::JavaScriptCode(x), Bson::JavaScriptCode(y)) => x.cmp(y),
        (Bson::Decimal128(_), _) | (_, Bson::Decimal128(_)) => {
            match crate::decimal::compare_exact(a, b) {
                Some(ord) => ord,
                None => match (as_num(a), as_num(b)) {
                    (Some(x), Some(y)) => compare_nums(x, y),
                    _ => Ordering::Equal,
                },
            }
        }
        _ => match (as_num(a), as_num(b)) {
            (Some(x), Some(y)) => compare_nums(x, y),
            _ => Ordering::Equal,
        },
    }
}

/// Embedded documents compare field by field: the value's type, then the field name, then the
/// value; a document that runs out of fields first is smaller.
pub fn compare_documents(x: &Document, y: &Document) -> Ordering {
    let mut ix = x.iter();
    let mut iy = y.iter();
    loop {
        match (ix.next(), iy.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some((kx, vx)), Some((ky, vy))) => {
                let ord = type_rank(vx)
                    .cmp(&type_rank(vy))
                    .then_with(|| kx.as_bytes().cmp(ky.as_bytes()))
                    .then_with(|| compare(vx, vy));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

fn compare_arrays(x: &[Bson], y: &[Bson]) -> Ordering {
    for (vx, vy) in x.iter().zip(y.iter()) {
        let ord = type_rank(vx)
            .cmp(&type_rank(vy))
            .then_with(|| compare(vx, vy));
        if ord != Ordering::Equal {
            return ord;
        }
    }
    x.len().cmp(&y.len())
}

/// Equality as the query language and `$eq` see it: numbers by value, documents field by field
/// in order.
pub fn values_equal(a: &Bson, b: &Bson) -> bool {
    compare(a, b) == Ordering::Equal
}

/// The `$type` alias of a value, as `$type` the expression returns it.
pub fn type_name(value: &Bson) -> &'static str {
    match value {
        Bson::Double(_) => "double",
        Bson::String(_) => "string",
        Bson::Document(_) => "object",
        Bson::Array(_) => "array",
        Bson::Binary(_) => "binData",
        Bson::Undefined => "missing",
        Bson::ObjectId(_) => "objectId",
        Bson::Boolean(_) => "bool",
        Bson::DateTime(_) => "date",
        Bson::Null => "null",
        Bson::RegularExpression(_) => "regex",
        Bson::DbPointer(_) => "dbPointer",
        Bson::JavaScriptCode(_) => "javascript",
        Bson::Symbol(_) => "symbol",
        Bson::JavaScriptCodeWithScope(_) => "javascriptWithScope",
        Bson::Int32(_) => "int",
        Bson::Timestamp(_) => "timestamp",
        Bson::Int64(_) => "long",
        Bson::Decimal128(_) => "decimal",
        Bson::MinKey => "minKey",
        Bson::MaxKey => "maxKey",
    }
}

/// The BSON type number of a value (`$type` accepts these as well as the aliases).
pub fn type_number(value: &Bson) -> i32 {
    match value {
        Bson::Double(_) => 1,
        Bson::String(_) => 2,
        Bson::Document(_) => 3,
        Bson::Array(_) => 4,
        Bson::Binary(_) => 5,
        Bson::Undefined => 6,
        Bson::ObjectId(_) => 7,
        Bson::Boolean(_) => 8,
        Bson::DateTime(_) => 9,
        Bson::Null => 10,
        Bson::RegularExpression(_) => 11,
        Bson::DbPointer(_) => 12,
        Bson::JavaScriptCode(_) => 13,
        Bson::Symbol(_) => 14,
        Bson::JavaScriptCodeWithScope(_) => 15,
        Bson::Int32(_) => 16,
        Bson::Timestamp(_) => 17,
        Bson::Int64(_) => 18,
        Bson::Decimal128(_) => 19,
        Bson::MinKey => -1,
        Bson::MaxKey => 127,
    }
}

/// Truthiness in aggregation expressions: false, null, missing and zero are false.
pub fn truthy(value: &Bson) -> bool {
    match value {
        Bson::Boolean(b) => *b,
        Bson::Null | Bson::Undefined => false,
        Bson::Int32(i) => *i != 0,
        Bson::Int64(i) => *i != 0,
        Bson::Double(f) => *f != 0.0,
        Bson::Decimal128(_) => as_num(value).is_some_and(|n| n.as_f64() != 0.0),
        _ => true,
    }
}

/// Prints a value the way the shell does inside server messages: `{ email: "a@b.c" }`.
pub fn shell(value: &Bson) -> String {
    let mut out = String::new();
    write_shell(value, &mut out, 0);
    out
}

pub fn shell_doc(doc: &Document) -> String {
    let mut out = String::new();
    write_doc(doc, &mut out, 0);
    out
}

fn write_doc(doc: &Document, out: &mut String, depth: usize) {
    if doc.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{ ");
    for (i, (k, v)) in doc.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(k);
        out.push_str(": ");
        write_shell(v, out, depth + 1);
    }
    out.push_str(" }");
}

fn write_shell(value: &Bson, out: &mut String, depth: usize) {
    if depth > 20 {
        out.push_str("...");
        return;
    }
    match value {
        Bson::String(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        Bson::Document(d) => write_doc(d, out, depth),
        Bson::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_shell(v, out, depth + 1);
            }
            out.push(']');
        }
        Bson::ObjectId(o) => {
            out.push_str("ObjectId('");
            out.push_str(&o.to_hex());
            out.push_str("')");
        }
        Bson::DateTime(d) => {
            out.push_str("new Date(");
            out.push_str(&d.timestamp_millis().to_string());
            out.push(')');
        }
        Bson::Int64(i) => out.push_str(&i.to_string()),
        Bson::Int32(i) => out.push_str(&i.to_string()),
        Bson::Double(f) => out.push_str(&format_double(*f)),
        Bson::Null => out.push_str("null"),
        Bson::Undefined => out.push_str("undefined"),
        Bson::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Bson::Decimal128(d) => {
            out.push_str("Decimal128(\"");
            out.push_str(&d.to_string());
            out.push_str("\")");
        }
        Bson::RegularExpression(r) => {
            out.push('/');
            out.push_str(r.pattern.as_str());
            out.push('/');
            out.push_str(r.options.as_str());
        }
        Bson::MinKey => out.push_str("MinKey"),
        Bson::MaxKey => out.push_str("MaxKey"),
        other => out.push_str(&other.to_string()),
    }
}

pub fn format_double(f: f64) -> String {
    if f.is_nan() {
        "NaN".to_string()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.to_string()
    } else if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

/// The nesting depth MongoDB accepts in a stored document.
pub const MAX_DOCUMENT_DEPTH: usize = 100;

/// How deeply a document nests, counting up to `limit + 1` at most.
pub fn doc_depth(doc: &Document, limit: usize) -> usize {
    doc.values().map(|v| depth(v, limit)).max().unwrap_or(0) + 1
}

/// How deeply a value nests documents and arrays, counting up to `limit + 1` at most.
pub fn depth(value: &Bson, limit: usize) -> usize {
    fn go(value: &Bson, level: usize, limit: usize) -> usize {
        if level > limit {
            return level;
        }
        match value {
            Bson::Document(d) => d
                .values()
                .map(|v| go(v, level + 1, limit))
                .max()
                .unwrap_or(level + 1),
            Bson::Array(a) => a
                .iter()
                .map(|v| go(v, level + 1, limit))
                .max()
                .unwrap_or(level + 1),
            _ => level,
        }
    }
    go(value, 0, limit)
}

/// The size of a document in BSON bytes, as the server counts it for its limits (16 MiB per
/// batch and document, the 100 MB of a blocking sort or group).
pub fn doc_size(doc: &Document) -> usize {
    // The length, each element, the terminating zero.
    4 + doc
        .iter()
        .map(|(k, v)| element_size(k.len(), v))
        .sum::<usize>()
        + 1
}

/// The bytes of one element: its type, its name and terminating zero, its value.
fn element_size(key_len: usize, v: &Bson) -> usize {
    1 + key_len + 1 + value_size(v)
}

/// The size of a value in BSON bytes (without its element's type and name).
pub fn value_size(v: &Bson) -> usize {
    match v {
        Bson::Double(_) | Bson::Int64(_) | Bson::DateTime(_) | Bson::Timestamp(_) => 8,
        Bson::Int32(_) => 4,
        Bson::Decimal128(_) => 16,
        Bson::Boolean(_) => 1,
        Bson::Null | Bson::Undefined | Bson::MinKey | Bson::MaxKey => 0,
        Bson::ObjectId(_) => 12,
        Bson::String(s) | Bson::Symbol(s) | Bson::JavaScriptCode(s) => 4 + s.len() + 1,
        Bson::Document(d) => doc_size(d),
        Bson::Array(items) => {
            // An array is a document whose keys are the indexes.
            let mut size = 4 + 1;
            let mut digits = 1;
            let mut next_width = 10;
            for (i, item) in items.iter().enumerate() {
                if i == next_width {
                    digits += 1;
                    next_width = next_width.saturating_mul(10);
                }
                size += element_size(digits, item);
            }
            size
        }
        Bson::Binary(b) => 4 + 1 + b.bytes.len(),
        Bson::RegularExpression(r) => r.pattern.len() + 1 + r.options.len() + 1,
        Bson::JavaScriptCodeWithScope(c) => 4 + (4 + c.code.len() + 1) + doc_size(&c.scope),
        Bson::DbPointer(_) => 4 + 1 + 12,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sizes counted are the bytes the bson crate writes.
    #[test]
    fn sizes_are_the_bson_bytes() {
        let items: Vec<Bson> = (0..120).map(Bson::Int32).collect();
        let regex = Bson::try_from(
            serde_json::json!({"$regularExpression": {"pattern": "^a", "options": "i"}}),
        )
        .unwrap_or(Bson::Null);
        assert!(matches!(regex, Bson::RegularExpression(_)));
        let docs = [
            Document::new(),
            bson::doc! {"a": 1, "b": 2.5, "c": "text", "d": {"e": [1, "x", null, true]}},
            bson::doc! {
                "big": items,
                "l": 5_i64,
                "t": bson::DateTime::from_millis(5),
                "o": bson::oid::ObjectId::from_bytes([1; 12]),
                "r": regex,
                "bin": bson::Binary { subtype: bson::spec::BinarySubtype::Generic, bytes: vec![1, 2, 3] },
                "ts": bson::Timestamp { time: 1, increment: 2 },
                "m": Bson::MinKey,
                "code": Bson::JavaScriptCode("f()".into()),
                "dec": Bson::Decimal128(bson::Decimal128::from_bytes([0; 16])),
            },
        ];
        for doc in docs {
            assert_eq!(
                Some(doc_size(&doc)),
                doc.to_vec().ok().map(|v| v.len()),
                "{doc}"
            );
        }
    }
}
