//! Extended JSON text straight to and from BSON, for large results and bulk loads: the same
//! text as `serde_json::to_string(&bson.into_relaxed_extjson())`, and the same values as
//! `Bson::try_from(serde_json::from_str(text))`, without the intermediate JSON tree.

use std::fmt::{self, Write};

use bson::{Bson, Document};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// Appends an integer without going through the formatting machinery.
fn write_int(i: i64, out: &mut String) {
    let mut buf = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    if i < 0 {
        out.push('-');
    }
    for b in buf.get(at..).unwrap_or(&[]) {
        out.push(char::from(*b));
    }
}

/// Appends a JSON string literal.
fn write_str(s: &str, out: &mut String) {
    if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    out.push('"');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            c if (c as u32) < 0x20 => {
                out.push_str(s.get(start..i).unwrap_or(""));
                let _ = write!(out, "\\u{:04x}", c as u32);
                start = i + c.len_utf8();
                continue;
            }
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or(""));
        out.push_str(escaped);
        start = i + c.len_utf8();
    }
    out.push_str(s.get(start..).unwrap_or(""));
    out.push('"');
}

pub fn write_doc(doc: &Document, out: &mut String) {
    out.push('{');
    for (i, (k, v)) in doc.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(k, out);
        out.push(':');
        write_value(v, out);
    }
    out.push('}');
}

/// Appends one value as relaxed Extended JSON.
pub fn write_value(v: &Bson, out: &mut String) {
    match v {
        Bson::Document(d) => write_doc(d, out),
        Bson::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Bson::String(s) => write_str(s, out),
        Bson::Int32(i) => write_int(i64::from(*i), out),
        Bson::Int64(i) => write_int(*i, out),
        Bson::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Bson::Null => out.push_str("null"),
        Bson::ObjectId(o) => {
            out.push_str("{\"$oid\":\"");
            out.push_str(&o.to_hex());
            out.push_str("\"}");
        }
        Bson::DateTime(d) => {
            let ms = d.timestamp_millis();
            // Relaxed form for years 1970 to 9999, as the specification says.
            if (0..253_402_300_800_000).contains(&ms) {
                let p = crate::expr::date::parts(ms);
                let digits = |out: &mut String, n: u32, width: u32| {
                    let mut div = 10u32.pow(width.saturating_sub(1));
                    while div > 0 {
                        out.push(char::from(b'0' + ((n / div) % 10) as u8));
                        div /= 10;
                    }
                };
                out.push_str("{\"$date\":\"");
                digits(out, p.year.clamp(0, 9999) as u32, 4);
                out.push('-');
                digits(out, p.month, 2);
                out.push('-');
                digits(out, p.day, 2);
                out.push('T');
                digits(out, p.hour, 2);
                out.push(':');
                digits(out, p.minute, 2);
                out.push(':');
                digits(out, p.second, 2);
                if p.millis > 0 {
                    let mut millis = p.millis;
                    let mut width = 3;
                    while millis % 10 == 0 {
                        millis /= 10;
                        width -= 1;
                    }
                    out.push('.');
                    digits(out, millis, width);
                }
                out.push_str("Z\"}");
            } else {
                let _ = write!(out, "{{\"$date\":{{\"$numberLong\":\"{ms}\"}}}}");
            }
        }
        Bson::Double(f)
            if f.fract() == 0.0 && f.abs() < 1e15 && !(*f == 0.0 && f.is_sign_negative()) =>
        {
            write_int(*f as i64, out);
            out.push_str(".0");
        }
        Bson::Double(f) if f.is_finite() => {
            out.push_str(&serde_json::to_string(f).unwrap_or_else(|_| "null".into()));
        }
        other => {
            let json = other.clone().into_relaxed_extjson();
            out.push_str(&serde_json::to_string(&json).unwrap_or_else(|_| "null".into()));
        }
    }
}

/// Appends an array of documents.
pub fn write_docs<D: std::borrow::Borrow<Document>>(docs: &[D], out: &mut String) {
    out.reserve(docs.len().saturating_mul(256));
    out.push('[');
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_doc(d.borrow(), out);
    }
    out.push(']');
}

/// The keys that make an object an Extended JSON value rather than a document (those the bson
/// crate's conversion looks for).
const SPECIAL_KEYS: &[&str] = &[
    "$oid",
    "$symbol",
    "$regularExpression",
    "$numberInt",
    "$numberLong",
    "$numberDouble",
    "$numberDecimal",
    "$binary",
    "$uuid",
    "$code",
    "$timestamp",
    "$date",
    "$minKey",
    "$maxKey",
    "$dbPointer",
    "$undefined",
];

/// Reads a JSON array of documents in Extended JSON (relaxed or canonical) straight into BSON:
/// the documents `Bson::try_from` of the parsed JSON gives, without building the JSON tree.
/// `what` names the array in errors (`insertMany.documents`). Nesting deeper than
/// [`crate::request::MAX_REQUEST_DEPTH`] is refused before it can exhaust the stack.
pub fn read_documents(text: &str, what: &str) -> crate::error::Result<Vec<Document>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let docs = DocumentsSeed { what }
        .deserialize(&mut de)
        .and_then(|docs| de.end().map(|()| docs))
        .map_err(|e| {
            crate::error::MongoError::failed_to_parse(format!("'{what}' could not be read: {e}"))
        })?;
    docs.map_err(|(found, expected)| {
        let (op, field) = what.split_once('.').unwrap_or(("insertMany", what));
        crate::error::MongoError::type_mismatch(format!(
            "BSON field '{op}.{field}' is the wrong type '{found}', expected type '{expected}'"
        ))
    })
}

/// The JSON type of what a value was read from, as a wrong-type error names it.
fn json_type(v: &Bson) -> &'static str {
    match v {
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) => "number",
        Bson::String(_) => "string",
        Bson::Boolean(_) => "bool",
        Bson::Null => "null",
        Bson::Array(_) => "array",
        _ => "object",
    }
}

/// The array of documents; a value of the wrong type is reported as (found, expected).
struct DocumentsSeed<'w> {
    what: &'w str,
}

type Documents = Result<Vec<Document>, (&'static str, &'static str)>;

impl<'de> DeserializeSeed<'de> for DocumentsSeed<'_> {
    type Value = Documents;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Documents, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocumentsSeed<'_> {
    type Value = Documents;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an array of documents for {}", self.what)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Documents, A::Error> {
        let mut docs = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut wrong = None;
        while let Some(v) = seq.next_element_seed(BsonSeed { depth: 2 })? {
            match v {
                Bson::Document(d) => docs.push(d),
                other => {
                    wrong.get_or_insert(json_type(&other));
                }
            }
        }
        Ok(match wrong {
            Some(found) => Err((found, "object")),
            None => Ok(docs),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Documents, A::Error> {
        BsonVisitor { depth: 1 }.visit_map(map)?;
        Ok(Err(("object", "array")))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Documents, E> {
        Ok(Err(("bool", "array")))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Documents, E> {
        Ok(Err(("number", "array")))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Documents, E> {
        Ok(Err(("number", "array")))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Documents, E> {
        Ok(Err(("number", "array")))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Documents, E> {
        Ok(Err(("string", "array")))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Documents, E> {
        Ok(Err(("null", "array")))
    }
}

/// One value at a nesting depth.
struct BsonSeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for BsonSeed {
    type Value = Bson;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Bson, D::Error> {
        d.deserialize_any(BsonVisitor { depth: self.depth })
    }
}

struct BsonVisitor {
    depth: usize,
}

impl BsonVisitor {
    fn nested<E: de::Error>(&self) -> Result<BsonSeed, E> {
        let depth = self.depth + 1;
        if depth > crate::request::MAX_REQUEST_DEPTH {
            return Err(E::custom(format!(
                "the documents nest more than {} levels deep",
                crate::request::MAX_REQUEST_DEPTH
            )));
        }
        Ok(BsonSeed { depth })
    }
}

/// An Extended JSON value as the bson crate reads it.
fn from_json<E: de::Error>(map: serde_json::Map<String, serde_json::Value>) -> Result<Bson, E> {
    Bson::try_from(map).map_err(|e| E::custom(format!("not valid Extended JSON: {e}")))
}

impl<'de> Visitor<'de> for BsonVisitor {
    type Value = Bson;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an Extended JSON value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Bson, E> {
        Ok(Bson::Boolean(b))
    }

    // A JSON integer is an int32 when it fits, else an int64, else a double.
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Bson, E> {
        Ok(match i32::try_from(i) {
            Ok(i) => Bson::Int32(i),
            Err(_) => Bson::Int64(i),
        })
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Bson, E> {
        match i64::try_from(u) {
            Ok(i) => self.visit_i64(i),
            Err(_) => Ok(Bson::Double(u as f64)),
        }
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Bson, E> {
        Ok(Bson::Double(f))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Bson, E> {
        Ok(Bson::String(s.to_string()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Bson, E> {
        Ok(Bson::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Bson, E> {
        Ok(Bson::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Bson, A::Error> {
        let seed = self.nested()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(BsonSeed { depth: seed.depth })? {
            items.push(v);
        }
        Ok(Bson::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Bson, A::Error> {
        let seed = self.nested()?;
        let mut doc = Document::new();
        while let Some(key) = map.next_key::<String>()? {
            if SPECIAL_KEYS.contains(&key.as_str()) {
                // An Extended JSON value (or an object the bson crate refuses): read the rest
                // as JSON and convert the whole object as the bson crate does. Fields already
                // read go back in their canonical form, which converts to the same values.
                let first: serde_json::Value = map.next_value()?;
                let next = map.next_key::<String>()?;
                // The common one-field forms, read as the bson crate reads them (anything
                // else, errors included, goes its way).
                if let (true, None, serde_json::Value::String(s)) = (doc.is_empty(), &next, &first)
                {
                    let direct = match key.as_str() {
                        "$date" => bson::DateTime::parse_rfc3339_str(s)
                            .ok()
                            .map(Bson::DateTime),
                        "$oid" => bson::oid::ObjectId::parse_str(s).ok().map(Bson::ObjectId),
                        _ => None,
                    };
                    if let Some(v) = direct {
                        return Ok(v);
                    }
                }
                let mut json = serde_json::Map::new();
                for (k, v) in doc {
                    json.insert(k, v.into_canonical_extjson());
                }
                json.insert(key, first);
                if let Some(k) = next {
                    json.insert(k, map.next_value()?);
                    while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                        json.insert(k, v);
                    }
                }
                return from_json(json);
            }
            let value = map.next_value_seed(BsonSeed { depth: seed.depth })?;
            doc.insert(key, value);
        }
        Ok(Bson::Document(doc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct writer and the bson crate's conversion agree.
    fn check(v: Bson) {
        let mut direct = String::new();
        write_value(&v, &mut direct);
        let via_tree = serde_json::to_string(&v.into_relaxed_extjson()).unwrap_or_default();
        assert_eq!(direct, via_tree);
    }

    #[test]
    fn same_text_as_the_bson_crate() {
        check(Bson::String("a \"q\" \\ \n \u{1} é".into()));
        check(Bson::Double(1.0));
        check(Bson::Double(-0.0));
        check(Bson::Double(-42.0));
        check(Bson::Double(1e15));
        check(Bson::Double(0.1));
        check(Bson::Double(2.5e-7));
        check(Bson::Double(f64::NAN));
        check(Bson::Int64(-5));
        check(Bson::Int64(i64::MIN));
        check(Bson::Int64(i64::MAX));
        check(Bson::Int32(0));
        check(Bson::DateTime(bson::DateTime::from_millis(
            1_704_067_200_000,
        )));
        check(Bson::DateTime(bson::DateTime::from_millis(
            1_396_610_499_736,
        )));
        check(Bson::DateTime(bson::DateTime::from_millis(
            1_396_610_499_500,
        )));
        check(Bson::DateTime(bson::DateTime::from_millis(-1)));
        check(Bson::Decimal128(
            "1.50"
                .parse()
                .unwrap_or(bson::Decimal128::from_bytes([0; 16])),
        ));
        check(Bson::Document(
            bson::doc! {"a": [1, {"b": null}], "o": bson::oid::ObjectId::from_bytes([1; 12]), "m": Bson::MinKey},
        ));
    }

    /// The direct reader and the bson crate's conversion of the parsed JSON agree.
    fn read_check(text: &str) {
        // Compared as debug text: NaN is not equal to itself.
        let direct = read_documents(text, "insertMany.documents").map_err(|e| e.code);
        let via_tree = serde_json::from_str::<serde_json::Value>(text)
            .map_err(|_| 9)
            .and_then(|v| {
                crate::request::to_documents("insertMany", "documents", &v).map_err(|e| e.code)
            });
        assert_eq!(format!("{direct:?}"), format!("{via_tree:?}"), "{text}");
    }

    #[test]
    fn same_documents_as_the_bson_crate() {
        read_check(r#"[]"#);
        read_check(r#"[{}, {"a": 1}]"#);
        read_check(
            r#"[{"i": 2147483647, "l": 2147483648, "n": -2147483649, "big": 9223372036854775807,
                 "huge": 18446744073709551615, "d": 1.0, "e": 1e3, "neg": -0.0, "s": "x\u00e9\n",
                 "b": true, "z": null, "arr": [1, [2, {"x": []}], "y"], "o": {"p": {"q": {}}}}]"#,
        );
        read_check(
            r#"[{"_id": {"$oid": "65a1b2c3d4e5f60718293a4b"}, "at": {"$date": "2024-01-02T03:04:05.678Z"},
                 "at2": {"$date": {"$numberLong": "-5"}}, "l": {"$numberLong": "7"},
                 "i": {"$numberInt": "3"}, "f": {"$numberDouble": "NaN"}, "m": {"$numberDecimal": "1.50"},
                 "r": {"$regularExpression": {"pattern": "^a", "options": "i"}},
                 "bin": {"$binary": {"base64": "AQID", "subType": "00"}}, "t": {"$timestamp": {"t": 1, "i": 2}},
                 "min": {"$minKey": 1}, "max": {"$maxKey": 1}, "sym": {"$symbol": "s"}, "u": {"$undefined": true},
                 "c": {"$code": "f()"}, "nested": [{"$date": "2024-01-01T00:00:00Z"}]}]"#,
        );
        // Special keys after plain ones, keys that only look special, duplicates.
        read_check(r#"[{"a": {"x": 1, "$date": "2024-01-01T00:00:00Z"}}]"#);
        read_check(r#"[{"a": {"$date": "2024-01-01T00:00:00Z", "x": 1}}]"#);
        read_check(
            r#"[{"a": {"$date": "2024-13-01T00:00:00Z"}, "b": {"$date": "1970-01-01T00:00:00+02:00"}}]"#,
        );
        read_check(r#"[{"a": {"$date": "2024-01-01"}}]"#);
        read_check(
            r#"[{"a": {"$oid": "65A1B2C3D4E5F60718293A4B"}, "b": {"$oid": "65a1"}, "c": {"$oid": 5}}]"#,
        );
        read_check(
            r#"[{"a": {"$date": -5}, "b": {"$date": 1.5}, "c": {"$date": {"$numberLong": "x"}}}]"#,
        );
        read_check(r#"[{"a": {"$set": {"b": 1}}, "$inc": 2, "k": 1, "k": 2}]"#);
        read_check(r#"[{"a": {"$oid": "nope"}}]"#);
        read_check(r#"[{"a": {"$numberLong": "7", "extra": 1}}]"#);
        // Not an array of documents, not JSON.
        read_check(r#"[{"a": 1}, 2]"#);
        read_check(r#"[{"$date": "2024-01-01T00:00:00Z"}]"#);
        read_check(r#"{"a": 1}"#);
        read_check(r#""documents""#);
        read_check(r#"[{"a": 1e400}]"#);
        read_check(r#"[{"a": 1}"#);
        read_check(r#"[{"a": 1}] x"#);
    }

    #[test]
    fn deep_documents_are_refused_not_crashed() {
        let deep = format!("[{}1{}]", r#"{"a":"#.repeat(5000), "}".repeat(5000));
        assert!(read_documents(&deep, "insertMany.documents").is_err());
        let deep = format!("[{}1{}]", "[".repeat(5000), "]".repeat(5000));
        assert!(read_documents(&deep, "insertMany.documents").is_err());
        let ok = format!("[{}1{}]", r#"{"a":"#.repeat(90), "}".repeat(90));
        assert!(read_documents(&ok, "insertMany.documents").is_ok());
    }
}
