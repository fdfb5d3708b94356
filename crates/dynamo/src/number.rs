//! DynamoDB's `N` type: a decimal with up to 38 significant digits and a magnitude between
//! 1e-130 and 9.99…e125, kept exactly (never as an `f64`).

use std::cmp::Ordering;
use std::fmt;

use crate::error::{DynamoError, Result};

/// Significant digits DynamoDB keeps.
const MAX_DIGITS: usize = 38;
/// Largest allowed position of the most significant digit (9.99…e125).
const MAX_ADJUSTED_EXP: i64 = 125;
/// Smallest allowed position of the most significant digit (1e-130).
const MIN_ADJUSTED_EXP: i64 = -130;

/// An exact decimal: `(-1)^negative × digits × 10^exp`, normalized so that `digits` has no
/// leading or trailing zeros (zero is no digits, exponent 0, not negative).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    digits: Vec<u8>,
    exp: i64,
}

impl Number {
    /// Parses DynamoDB's number text (`"-1.5"`, `"+2"`, `"1e3"`, `".5"`), checking precision and range.
    pub fn parse(text: &str) -> Result<Number> {
        let invalid = || {
            DynamoError::validation(format!(
                "The parameter cannot be converted to a numeric value: {text}"
            ))
        };
        let bytes = text.as_bytes();
        let mut pos = 0;
        let mut negative = false;
        if let Some(&sign) = bytes.first() {
            if sign == b'-' || sign == b'+' {
                negative = sign == b'-';
                pos = 1;
            }
        }
        let mut digits = Vec::new();
        let mut exp: i64 = 0;
        let mut seen_digit = false;
        let mut seen_point = false;
        while let Some(&b) = bytes.get(pos) {
            match b {
                b'0'..=b'9' => {
                    seen_digit = true;
                    if digits.is_empty() && b == b'0' {
                        // A leading zero carries no value, but moves the exponent after the point.
                    } else {
                        digits.push(b - b'0');
                    }
                    if seen_point {
                        exp -= 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            pos += 1;
        }
        if !seen_digit {
            return Err(invalid());
        }
        if let Some(&b) = bytes.get(pos) {
            if b != b'e' && b != b'E' {
                return Err(invalid());
            }
            let rest = std::str::from_utf8(bytes.get(pos + 1..).unwrap_or_default())
                .map_err(|_| invalid())?;
            let rest = rest.strip_prefix('+').unwrap_or(rest);
            let (exp_negative, exp_digits) = match rest.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, rest),
            };
            if exp_digits.is_empty() || !exp_digits.bytes().all(|c| c.is_ascii_digit()) {
                return Err(invalid());
            }
            // An exponent of any length is a number; one too long to matter is clamped, and
            // the range check below then reports overflow or underflow.
            const CLAMP: i64 = 1_000_000_000_000;
            let significant = exp_digits.trim_start_matches('0');
            let magnitude = if significant.is_empty() {
                0
            } else {
                significant.parse::<i64>().map_or(CLAMP, |e| e.min(CLAMP))
            };
            exp += if exp_negative { -magnitude } else { magnitude };
        }
        Number::from_parts(negative, digits, exp)
    }

    /// Builds a normalized number, checking DynamoDB's precision and range limits.
    fn from_parts(negative: bool, mut digits: Vec<u8>, mut exp: i64) -> Result<Number> {
        let leading = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..leading);
        while digits.last() == Some(&0) {
            digits.pop();
            exp += 1;
        }
        if digits.is_empty() {
            return Ok(Number::zero());
        }
        if digits.len() > MAX_DIGITS {
            return Err(DynamoError::validation(
                "Attempting to store more than 38 significant digits in a Number",
            ));
        }
        let adjusted = exp + digits.len() as i64 - 1;
        if adjusted > MAX_ADJUSTED_EXP {
            return Err(DynamoError::validation(
                "Number overflow. Attempting to store a number with magnitude larger than supported range",
            ));
        }
        if adjusted < MIN_ADJUSTED_EXP {
            return Err(DynamoError::validation(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range",
            ));
        }
        Ok(Number {
            negative,
            digits,
            exp,
        })
    }

    pub fn zero() -> Number {
        Number {
            negative: false,
            digits: Vec::new(),
            exp: 0,
        }
    }

    /// Builds a number from an integer (used for sizes and counts).
    pub fn from_i64(n: i64) -> Number {
        Number::parse(&n.to_string()).unwrap_or_else(|_| Number::zero())
    }

    /// Number of significant digits (zero has none).
    pub fn significant_digits(&self) -> usize {
        self.digits.len()
    }

    /// Bytes the number takes in an item: one, plus one per two significant digits counted
    /// separately on each side of the decimal point (rounded up), plus one if negative.
    /// (Measured against DynamoDB's 400 KB item limit; the developer guide's "1 byte per two
    /// significant digits plus 1" undercounts digits straddling the point.)
    pub fn byte_size(&self) -> usize {
        let n = self.digits.len() as i64;
        let integer = (n + self.exp).clamp(0, n);
        let fraction = n - integer;
        let half = |d: i64| usize::try_from(d).unwrap_or(0).div_ceil(2);
        1 + half(integer) + half(fraction) + usize::from(self.negative)
    }

    /// The value as an `f64`, for JSON output of the document client only.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(0.0)
    }

    /// The value as an `i64` when it is an integer in range.
    pub fn to_i64(&self) -> Option<i64> {
        if self.exp < 0 {
            return None;
        }
        self.to_string().parse().ok()
    }

    /// Whether the value has no fractional part.
    pub fn is_integer(&self) -> bool {
        self.exp >= 0
    }

    /// `self + other`, exact; an error if the result needs more than 38 digits or is out of range.
    pub fn add(&self, other: &Number) -> Result<Number> {
        let exp = self.exp.min(other.exp);
        let a = self.scaled(exp);
        let b = other.scaled(exp);
        let (negative, digits) = if self.negative == other.negative {
            (self.negative, add_mag(&a, &b))
        } else {
            match cmp_mag(&a, &b) {
                Ordering::Less => (other.negative, sub_mag(&b, &a)),
                _ => (self.negative, sub_mag(&a, &b)),
            }
        };
        // DynamoDB reports a sum it cannot hold in 38 digits as an overflow, whatever its size.
        Number::from_parts(negative, digits, exp).map_err(|e| {
            if e.message.contains("significant digits") {
                DynamoError::validation(
                    "Number overflow. Attempting to store a number with magnitude larger than supported range",
                )
            } else {
                e
            }
        })
    }

    /// `self - other`.
    pub fn sub(&self, other: &Number) -> Result<Number> {
        let mut neg = other.clone();
        if !neg.digits.is_empty() {
            neg.negative = !neg.negative;
        }
        self.add(&neg)
    }

    /// The digits as an integer mantissa at exponent `exp` (`exp <= self.exp`), most significant first.
    fn scaled(&self, exp: i64) -> Vec<u8> {
        let mut v = self.digits.clone();
        let pad = (self.exp - exp).max(0) as usize;
        v.extend(std::iter::repeat_n(0, pad));
        v
    }

    fn adjusted_exp(&self) -> i64 {
        self.exp + self.digits.len() as i64 - 1
    }

    fn cmp_abs(&self, other: &Number) -> Ordering {
        match (self.digits.is_empty(), other.digits.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        self.adjusted_exp()
            .cmp(&other.adjusted_exp())
            .then_with(|| self.digits.cmp(&other.digits))
    }
}

fn cmp_mag(a: &[u8], b: &[u8]) -> Ordering {
    let a = strip_leading(a);
    let b = strip_leading(b);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn strip_leading(a: &[u8]) -> &[u8] {
    let n = a.iter().take_while(|&&d| d == 0).count();
    a.get(n..).unwrap_or_default()
}

fn add_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let (mut i, mut j, mut carry) = (a.len(), b.len(), 0u8);
    while i > 0 || j > 0 || carry > 0 {
        let mut s = carry;
        if i > 0 {
            i -= 1;
            s += a.get(i).copied().unwrap_or(0);
        }
        if j > 0 {
            j -= 1;
            s += b.get(j).copied().unwrap_or(0);
        }
        out.push(s % 10);
        carry = s / 10;
    }
    out.reverse();
    out
}

/// `a - b` for magnitudes with `a >= b`.
fn sub_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len());
    let (mut i, mut j, mut borrow) = (a.len(), b.len(), 0i8);
    while i > 0 {
        i -= 1;
        let mut d = a.get(i).copied().unwrap_or(0) as i8 - borrow;
        if j > 0 {
            j -= 1;
            d -= b.get(j).copied().unwrap_or(0) as i8;
        }
        borrow = 0;
        if d < 0 {
            d += 10;
            borrow = 1;
        }
        out.push(d as u8);
    }
    out.reverse();
    out
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        let sign = |n: &Number| {
            if n.digits.is_empty() {
                0
            } else if n.negative {
                -1
            } else {
                1
            }
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal if self.negative => other.cmp_abs(self),
            Ordering::Equal => self.cmp_abs(other),
            ord => ord,
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    /// The normalized plain form DynamoDB returns: no exponent, no trailing zeros, no plus sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.digits.is_empty() {
            return f.write_str("0");
        }
        let mut s = String::with_capacity(self.digits.len() + 8);
        if self.negative {
            s.push('-');
        }
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        if self.exp >= 0 {
            s.push_str(&digits);
            s.extend(std::iter::repeat_n('0', self.exp as usize));
        } else {
            let frac = (-self.exp) as usize;
            if frac >= digits.len() {
                s.push_str("0.");
                s.extend(std::iter::repeat_n('0', frac - digits.len()));
                s.push_str(&digits);
            } else {
                let (int, rest) = digits.split_at(digits.len() - frac);
                s.push_str(int);
                s.push('.');
                s.push_str(rest);
            }
        }
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(input: &str, expect: Expect) {
        let actual = match Number::parse(input) {
            Ok(n) => n.to_string(),
            Err(e) => e.to_string(),
        };
        expect.assert_eq(&actual);
    }

    fn check_size(input: &str, expect: Expect) {
        let actual = match Number::parse(input) {
            Ok(n) => n.byte_size().to_string(),
            Err(e) => e.to_string(),
        };
        expect.assert_eq(&actual);
    }

    /// Byte costs measured against DynamoDB's item size limit (paritysuite's
    /// `tests/tier3/limits/numberByteSize.test.ts`): `3.14159` costs 5 where the integer
    /// `123456` costs 4, `1E125` costs 2 like `1`, and a minus sign costs 1.
    #[test]
    fn byte_sizes() {
        check_size("3.14159", expect!["5"]);
        check_size("123456", expect!["4"]);
        check_size("1E125", expect!["2"]);
        check_size("1", expect!["2"]);
        check_size("-3.14159", expect!["6"]);
        check_size("0042.1200", expect!["3"]);
        check_size("0.001", expect!["2"]);
    }

    #[test]
    fn normalizes() {
        check(
            "NaN",
            expect![
                "ValidationException: The parameter cannot be converted to a numeric value: NaN"
            ],
        );
        check(
            " 1",
            expect![
                "ValidationException: The parameter cannot be converted to a numeric value:  1"
            ],
        );
        check("0e1000", expect!["0"]);
        check("0001.23", expect!["1.23"]);
        check("1.50", expect!["1.5"]);
        check("+1.5", expect!["1.5"]);
        check("1e3", expect!["1000"]);
        check("-0.00120", expect!["-0.0012"]);
        check("-0", expect!["0"]);
        check(".5", expect!["0.5"]);
        check("1e-130", expect!["0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"]);
        check("1e126", expect!["ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range"]);
        check("1e-131", expect!["ValidationException: Number underflow. Attempting to store a number with magnitude smaller than supported range"]);
        check("123456789012345678901234567890123456789", expect!["ValidationException: Attempting to store more than 38 significant digits in a Number"]);
        check(
            "abc",
            expect![
                "ValidationException: The parameter cannot be converted to a numeric value: abc"
            ],
        );
        check(
            "1e",
            expect![
                "ValidationException: The parameter cannot be converted to a numeric value: 1e"
            ],
        );
        check(
            "",
            expect!["ValidationException: The parameter cannot be converted to a numeric value: "],
        );
    }

    fn check_op(a: &str, b: &str, expect: Expect) {
        let (Ok(x), Ok(y)) = (Number::parse(a), Number::parse(b)) else {
            panic!("bad test input");
        };
        let show = |r: Result<Number>| r.map(|n| n.to_string()).unwrap_or_else(|e| e.to_string());
        expect.assert_eq(&format!(
            "{} {} {:?}",
            show(x.add(&y)),
            show(x.sub(&y)),
            x.cmp(&y)
        ));
    }

    #[test]
    fn arithmetic_and_order() {
        check_op("1e50", "1", expect!["ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range Greater"]);
        check_op("9e125", "9e125", expect!["ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range 0 Equal"]);
        check_op("1", "2", expect!["3 -1 Less"]);
        check_op("0.1", "0.2", expect!["0.3 -0.1 Less"]);
        check_op("-5", "3", expect!["-2 -8 Less"]);
        check_op("10", "9", expect!["19 1 Greater"]);
        check_op(
            "1.00000000000000000000000001",
            "1",
            expect!["2.00000000000000000000000001 0.00000000000000000000000001 Greater"],
        );
        check_op("-1", "-2", expect!["-3 1 Greater"]);
        check_op("0", "-0.5", expect!["-0.5 0.5 Greater"]);
    }
}
