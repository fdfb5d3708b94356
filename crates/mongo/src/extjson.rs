//! Writes relaxed Extended JSON text straight from BSON, for large results: the same text as
//! `serde_json::to_string(&bson.into_relaxed_extjson())` without the intermediate JSON tree.

use std::fmt::Write;

use bson::{Bson, Document};

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
}
