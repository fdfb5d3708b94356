//! Exact decimal arithmetic for `Decimal128` values. MongoDB compares a decimal with a double by
//! their exact values (manual: "mongosh Data Types", NumberDecimal equality checks: the decimal
//! 9.99 is not equal to the double 9.99), and computes with decimals in decimal, not binary
//! (0.1 + 0.2 is exactly 0.3). A double meeting a decimal in arithmetic is first converted to a
//! decimal of 15 significant digits, as the server does.

use std::cmp::Ordering;

use bson::{Bson, Decimal128};
use schemaplay_decimal::Decimal;

/// The significant digits of a `Decimal128`.
pub const PRECISION: usize = 34;

/// Decimal128 exponents stay within ±6176; text with a far larger one is not a number we hold.
const MAX_EXPONENT: u64 = 100_000;

/// A finite decimal number as Decimal128 arithmetic sees it (on `schemaplay-decimal`'s exact
/// arithmetic). Trailing zeros are kept, as decimal arithmetic keeps them (`0.10 + 0.20` is
/// `0.30`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exact(Decimal);

impl Exact {
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// Parses decimal text: `-12.5`, `1E+3`, `0.000`, `7.25e-2`; `None` for NaN, infinities and
    /// anything else.
    pub fn parse(text: &str) -> Option<Exact> {
        Decimal::parse(text)
            .filter(|d| d.exponent().unsigned_abs() <= MAX_EXPONENT)
            .map(Exact)
    }

    /// The exact value of a finite double (every double is a finite decimal fraction).
    pub fn of_double(f: f64) -> Option<Exact> {
        if !f.is_finite() {
            return None;
        }
        // 800 digits after the point hold the longest exact expansion of a double (767).
        Exact::parse(&format!("{f:.800e}")).map(|e| Exact(e.0.trimmed()))
    }

    /// A double as MongoDB converts it for decimal arithmetic: 15 significant digits.
    pub fn of_double_15(f: f64) -> Option<Exact> {
        if !f.is_finite() {
            return None;
        }
        Exact::parse(&format!("{f:.14e}"))
    }

    pub fn of_int(i: i128) -> Exact {
        Exact(Decimal::of_int(i))
    }

    /// The exact value of a finite number of any width (doubles exactly).
    pub fn of_bson(v: &Bson) -> Option<Exact> {
        match v {
            Bson::Int32(i) => Some(Exact::of_int(i128::from(*i))),
            Bson::Int64(i) => Some(Exact::of_int(i128::from(*i))),
            Bson::Double(f) => Exact::of_double(*f),
            Bson::Decimal128(d) => Exact::parse(&d.to_string()),
            _ => None,
        }
    }

    /// An operand of decimal arithmetic (doubles to 15 significant digits).
    pub fn operand(v: &Bson) -> Option<Exact> {
        match v {
            Bson::Double(f) => Exact::of_double_15(*f),
            other => Exact::of_bson(other),
        }
    }

    /// Orders two values exactly.
    pub fn cmp_value(&self, other: &Exact) -> Ordering {
        self.0.cmp_value(&other.0)
    }

    pub fn negated(self) -> Exact {
        Exact(self.0.negated())
    }

    pub fn add(&self, other: &Exact) -> Exact {
        // A term far below the other's precision cannot change the rounded result (and the
        // exact sum of 1E+6000 and 1E-6000 would take twelve thousand digits).
        let (a, b) = (&self.0, &other.0);
        let len = |e: &Decimal| e.digits().len() as i64;
        let reach = |e: &Decimal| len(e) + e.exponent();
        let gap = (PRECISION as i64) + 4;
        if !a.is_zero() && !b.is_zero() {
            if reach(b) < reach(a) - gap - len(a) {
                return self.clone();
            }
            if reach(a) < reach(b) - gap - len(b) {
                return other.clone();
            }
        }
        Exact(a.add(b))
    }

    pub fn mul(&self, other: &Exact) -> Exact {
        Exact(self.0.mul(&other.0))
    }

    /// The quotient to `PRECISION` significant digits; `None` for a zero divisor.
    pub fn div(&self, other: &Exact) -> Option<Exact> {
        self.0.div(&other.0, PRECISION).map(Exact)
    }

    /// Rounded to `PRECISION` significant digits, half to even.
    pub fn rounded(self) -> Exact {
        Exact(self.0.rounded(PRECISION))
    }

    /// As a BSON `Decimal128`, rounded to its precision.
    pub fn to_bson(&self) -> Bson {
        self.0
            .clone()
            .rounded(PRECISION)
            .to_exponent_string()
            .parse::<Decimal128>()
            .map(Bson::Decimal128)
            .unwrap_or(Bson::Null)
    }

    /// The nearest double.
    pub fn to_f64(&self) -> f64 {
        self.0.to_f64()
    }

    /// A text that is equal for equal values, whatever their trailing zeros.
    pub fn key(&self) -> String {
        self.0.clone().trimmed().to_exponent_string()
    }
}

/// Compares two numbers exactly when either is a decimal; `None` when one is not a finite
/// number (NaN and infinities compare by the double rules).
pub fn compare_exact(a: &Bson, b: &Bson) -> Option<Ordering> {
    Some(Exact::of_bson(a)?.cmp_value(&Exact::of_bson(b)?))
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    fn check(actual: String, expect: Expect) {
        expect.assert_eq(&actual);
    }

    fn dec(s: &str) -> Exact {
        Exact::parse(s).unwrap_or_else(|| Exact::of_int(0))
    }

    #[test]
    fn arithmetic_is_decimal() {
        let show = |b: Bson| b.into_relaxed_extjson().to_string();
        check(
            show(dec("0.1").add(&dec("0.2")).to_bson()),
            expect![[r#"{"$numberDecimal":"0.3"}"#]],
        );
        check(
            show(dec("0.10").add(&dec("0.20")).to_bson()),
            expect![[r#"{"$numberDecimal":"0.30"}"#]],
        );
        check(
            show(dec("1.5").mul(&dec("-2")).to_bson()),
            expect![[r#"{"$numberDecimal":"-3.0"}"#]],
        );
        check(
            show(dec("1").div(&dec("3")).map_or(Bson::Null, |q| q.to_bson())),
            expect![[r#"{"$numberDecimal":"0.3333333333333333333333333333333333"}"#]],
        );
        check(
            show(dec("10").div(&dec("4")).map_or(Bson::Null, |q| q.to_bson())),
            expect![[r#"{"$numberDecimal":"2.5"}"#]],
        );
        check(
            show(dec("5").add(&dec("-5")).to_bson()),
            expect![[r#"{"$numberDecimal":"0"}"#]],
        );
        check(
            show(
                Exact::of_double_15(0.1)
                    .unwrap_or_else(|| Exact::of_int(0))
                    .to_bson(),
            ),
            expect![[r#"{"$numberDecimal":"0.100000000000000"}"#]],
        );
    }

    #[test]
    fn comparison_is_exact() {
        let cmp = |a: Bson, b: Bson| format!("{:?}", compare_exact(&a, &b));
        let d = |s: &str| {
            Bson::Decimal128(
                s.parse()
                    .unwrap_or_else(|_| Decimal128::from_bytes([0; 16])),
            )
        };
        check(cmp(d("9.99"), Bson::Double(9.99)), expect!["Some(Less)"]);
        check(cmp(d("10.0"), Bson::Int32(10)), expect!["Some(Equal)"]);
        check(cmp(d("0.5"), Bson::Double(0.5)), expect!["Some(Equal)"]);
        check(cmp(d("-1E+2"), Bson::Int64(-100)), expect!["Some(Equal)"]);
        check(cmp(d("-0.001"), Bson::Int32(0)), expect!["Some(Less)"]);
    }
}
