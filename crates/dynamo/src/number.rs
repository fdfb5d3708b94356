//! DynamoDB's `N` type: a decimal with up to 38 significant digits and a magnitude between
//! 1e-130 and 9.99…e125, kept exactly (never as an `f64`).

use std::cmp::Ordering;
use std::fmt;

use schemaplay_decimal::Decimal;

use crate::error::{DynamoError, Result};

/// Significant digits DynamoDB keeps.
const MAX_DIGITS: usize = 38;
/// Largest allowed position of the most significant digit (9.99…e125).
const MAX_ADJUSTED_EXP: i64 = 125;
/// Smallest allowed position of the most significant digit (1e-130).
const MIN_ADJUSTED_EXP: i64 = -130;

const OVERFLOW: &str =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";

/// An exact decimal (on `schemaplay-decimal`'s arithmetic), kept without trailing zeros so
/// that equal numbers are equal values (`1.50` and `1.5`, as DynamoDB compares and returns them).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Number(Decimal);

impl Number {
    /// Parses DynamoDB's number text (`"-1.5"`, `"+2"`, `"1e3"`, `".5"`), checking precision and range.
    pub fn parse(text: &str) -> Result<Number> {
        let decimal = Decimal::parse(text).ok_or_else(|| {
            DynamoError::validation(format!(
                "The parameter cannot be converted to a numeric value: {text}"
            ))
        })?;
        Number::checked(decimal)
    }

    /// A number without trailing zeros, checking DynamoDB's precision and range limits.
    fn checked(decimal: Decimal) -> Result<Number> {
        let decimal = decimal.trimmed();
        if decimal.is_zero() {
            return Ok(Number::zero());
        }
        if decimal.digits().len() > MAX_DIGITS {
            return Err(DynamoError::validation(
                "Attempting to store more than 38 significant digits in a Number",
            ));
        }
        let adjusted = decimal.adjusted_exponent();
        if adjusted > MAX_ADJUSTED_EXP {
            return Err(DynamoError::validation(OVERFLOW));
        }
        if adjusted < MIN_ADJUSTED_EXP {
            return Err(DynamoError::validation(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range",
            ));
        }
        Ok(Number(decimal))
    }

    pub fn zero() -> Number {
        Number(Decimal::zero())
    }

    /// Builds a number from an integer (used for sizes and counts).
    pub fn from_i64(n: i64) -> Number {
        Number::checked(Decimal::of_int(i128::from(n))).unwrap_or_else(|_| Number::zero())
    }

    /// Number of significant digits (zero has none).
    pub fn significant_digits(&self) -> usize {
        self.0.digits().len()
    }

    /// Bytes the number takes in an item: one, plus one per two significant digits counted
    /// separately on each side of the decimal point (rounded up), plus one if negative.
    /// (Measured against DynamoDB's 400 KB item limit; the developer guide's "1 byte per two
    /// significant digits plus 1" undercounts digits straddling the point.)
    pub fn byte_size(&self) -> usize {
        let n = self.0.digits().len() as i64;
        let integer = (n + self.0.exponent()).clamp(0, n);
        let fraction = n - integer;
        let half = |d: i64| usize::try_from(d).unwrap_or(0).div_ceil(2);
        1 + half(integer) + half(fraction) + usize::from(self.0.is_negative())
    }

    /// The value as an `f64`, for JSON output of the document client only.
    pub fn to_f64(&self) -> f64 {
        self.0.to_f64()
    }

    /// The value as an `i64` when it is an integer in range.
    pub fn to_i64(&self) -> Option<i64> {
        if !self.is_integer() {
            return None;
        }
        self.to_string().parse().ok()
    }

    /// Whether the value has no fractional part.
    pub fn is_integer(&self) -> bool {
        self.0.exponent() >= 0
    }

    /// `self + other`, exact; an error if the result needs more than 38 digits or is out of range.
    pub fn add(&self, other: &Number) -> Result<Number> {
        // DynamoDB reports a sum it cannot hold in 38 digits as an overflow, whatever its size.
        Number::checked(self.0.add(&other.0)).map_err(|e| {
            if e.message.contains("significant digits") {
                DynamoError::validation(OVERFLOW)
            } else {
                e
            }
        })
    }

    /// `self - other`.
    pub fn sub(&self, other: &Number) -> Result<Number> {
        self.add(&Number(other.0.clone().negated()))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        self.0.cmp_value(&other.0)
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
        f.write_str(&self.0.to_plain_string())
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
