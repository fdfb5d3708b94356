//! How a value is written inside a DynamoDB key string so that the key's text
//! order (DynamoDB compares strings by their UTF-8 bytes) is the value's order.
//!
//! Numbers are the one kind whose plain text does not sort: as text `1000.00`
//! comes before `99.99`, and `-5` after `-1`. A number in a key is written
//! with a fixed-width integer part and its fraction as long as it needs:
//!
//! - zero and positive numbers: the integer part zero-padded to
//!   [`NUMBER_KEY_DIGITS`] digits, then `.` and the fraction without trailing
//!   zeros when there is one: `0000000000000000352.95`, `0000000000000000042`;
//! - negative numbers: `-`, then the same digits each complemented to nine
//!   (`9 - d`), then `~`: `-5` is `-9999999999999999994~`. `-` sorts before
//!   every digit, so negatives come first; complemented digits sort a larger
//!   magnitude first; `~` sorts after every digit and after `.`, so `-3`
//!   comes after `-3.5`.
//!
//! Equal values are equal keys whatever their type or notation (`1000`,
//! `1000.00`, `1E3`), so a key bound by a number finds the items holding the
//! same number. Magnitudes from 10^19 up share the largest key of their sign
//! (their order among themselves is lost), and fractions are cut after
//! [`NUMBER_KEY_FRACTION_LIMIT`] digits.

/// Digits of a number key's integer part: every 64-bit integer fits.
pub const NUMBER_KEY_DIGITS: usize = 19;
/// The most fraction digits a number key keeps.
pub const NUMBER_KEY_FRACTION_LIMIT: usize = 40;

use schemaplay_decimal::Decimal;

/// A decimal number's text (`-12.50`, `1E3`, `0.001`) as an order-preserving
/// key; text that is not a number comes back unchanged.
pub fn number_key(text: &str) -> String {
    let Some(n) = Decimal::parse(text.trim()) else {
        return text.to_string();
    };
    let n = n.trimmed();
    let (int, frac) = parts(&n);
    let zero = int.bytes().all(|b| b == b'0') && frac.is_empty();
    let mut out = String::with_capacity(NUMBER_KEY_DIGITS + frac.len() + 3);
    if n.is_negative() && !zero {
        out.push('-');
        out.extend(int.chars().map(complement));
        if !frac.is_empty() {
            out.push('.');
            out.extend(frac.chars().map(complement));
        }
        out.push('~');
    } else {
        out.push_str(&int);
        if !frac.is_empty() {
            out.push('.');
            out.push_str(&frac);
        }
    }
    out
}

/// The key of an integer (see [`number_key`]).
pub fn integer_key(n: i64) -> String {
    number_key(&n.to_string())
}

/// The exact sum of two decimal texts (`99.99` + `0.01` is `100`), in plain
/// notation without trailing zeros; None when either is not a number.
pub fn add_decimal(a: &str, b: &str) -> Option<String> {
    let sum = Decimal::parse(a)?.add(&Decimal::parse(b)?).trimmed();
    Some(sum.to_plain_string())
}

fn complement(digit: char) -> char {
    match digit.to_digit(10) {
        Some(d) => char::from_digit(9 - d, 10).unwrap_or(digit),
        None => digit,
    }
}

/// The integer part zero-padded to [`NUMBER_KEY_DIGITS`] digits (all nines
/// past them) and the fraction's digits (cut after
/// [`NUMBER_KEY_FRACTION_LIMIT`]) of a number without trailing zeros.
fn parts(n: &Decimal) -> (String, String) {
    if n.is_zero() {
        return ("0".repeat(NUMBER_KEY_DIGITS), String::new());
    }
    if n.adjusted_exponent() >= NUMBER_KEY_DIGITS as i64 {
        return ("9".repeat(NUMBER_KEY_DIGITS), String::new());
    }
    let digits: String = n.digits().iter().map(|d| char::from(b'0' + d)).collect();
    let exponent = n.exponent();
    let (int, frac) = if exponent >= 0 {
        (
            format!("{digits}{}", "0".repeat(exponent as usize)),
            String::new(),
        )
    } else {
        // Digits below the fraction's limit do not count.
        let places = exponent
            .unsigned_abs()
            .min(NUMBER_KEY_FRACTION_LIMIT as u64 + digits.len() as u64)
            as usize;
        let padded = format!("{digits:0>places$}");
        let (int, frac) = padded.split_at(padded.len() - places);
        (int.to_string(), frac.to_string())
    };
    let mut frac = frac;
    frac.truncate(NUMBER_KEY_FRACTION_LIMIT);
    let frac = frac.trim_end_matches('0').to_string();
    (format!("{int:0>NUMBER_KEY_DIGITS$}"), frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_as_text_in_their_order() {
        let values = [
            "-12345678901",
            "-1000",
            "-99.99",
            "-5.5",
            "-5",
            "-1",
            "-0.51",
            "-0.5",
            "-0.01",
            "0",
            "0.001",
            "0.5",
            "0.51",
            "1",
            "5",
            "99.99",
            "352.95",
            "1000",
            "1000.5",
            "12345.678",
            "9007199254740993",
        ];
        let keys: Vec<String> = values.iter().map(|v| number_key(v)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        // A key followed by more of the key (`#id`) keeps the order too.
        let mut suffixed: Vec<String> = keys.iter().map(|k| format!("{k}#x")).collect();
        suffixed.sort();
        assert_eq!(
            suffixed,
            keys.iter().map(|k| format!("{k}#x")).collect::<Vec<_>>()
        );
    }

    #[test]
    fn equal_values_have_equal_keys() {
        assert_eq!(number_key("1000.00"), number_key("1000"));
        assert_eq!(number_key("1E3"), number_key("1000"));
        assert_eq!(number_key("-0"), number_key("0"));
        assert_eq!(number_key("0.50"), number_key(".5"));
        assert_eq!(number_key("352.95"), "0000000000000000352.95");
        assert_eq!(number_key("42"), "0000000000000000042");
        assert_eq!(number_key("-5"), "-9999999999999999994~");
        assert_eq!(number_key("-5.25"), "-9999999999999999994.74~");
        assert_eq!(integer_key(-7), number_key("-7"));
    }

    #[test]
    fn decimal_sums_are_exact() {
        assert_eq!(add_decimal("99.99", "0.01").as_deref(), Some("100"));
        assert_eq!(add_decimal("-5.50", "5.5").as_deref(), Some("0"));
        assert_eq!(add_decimal("1", "-1000.25").as_deref(), Some("-999.25"));
        assert_eq!(add_decimal("0.1", "0.2").as_deref(), Some("0.3"));
        assert_eq!(add_decimal("-0.01", "-0.99").as_deref(), Some("-1"));
        assert_eq!(
            add_decimal("9007199254740993", "1").as_deref(),
            Some("9007199254740994")
        );
        assert_eq!(add_decimal("x", "1"), None);
    }

    #[test]
    fn what_is_not_a_number_or_too_large_stays_bounded() {
        assert_eq!(number_key("abc"), "abc");
        assert_eq!(number_key(""), "");
        assert_eq!(number_key("1e9223372036854775807"), "9".repeat(19));
        assert_eq!(number_key("1e-9223372036854775807"), number_key("0"));
        assert!(number_key("1e-30") > number_key("0"));
    }
}
