//! Exact decimal arithmetic for `Decimal128` values. MongoDB compares a decimal with a double by
//! their exact values (manual: "mongosh Data Types", NumberDecimal equality checks: the decimal
//! 9.99 is not equal to the double 9.99), and computes with decimals in decimal, not binary
//! (0.1 + 0.2 is exactly 0.3). A double meeting a decimal in arithmetic is first converted to a
//! decimal of 15 significant digits, as the server does.

use std::cmp::Ordering;

use bson::{Bson, Decimal128};

/// The significant digits of a `Decimal128`.
pub const PRECISION: usize = 34;

/// A finite decimal number: `digits` (most significant first, no leading zeros; none for zero)
/// times ten to the power `exp`. Trailing zeros are kept, as decimal arithmetic keeps them
/// (`0.10 + 0.20` is `0.30`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exact {
    neg: bool,
    digits: Vec<u8>,
    exp: i64,
}

impl Exact {
    fn new(neg: bool, mut digits: Vec<u8>, exp: i64) -> Self {
        let lead = digits.iter().take_while(|d| **d == 0).count();
        digits.drain(..lead);
        Exact {
            neg: neg && !digits.is_empty(),
            digits,
            exp,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Parses decimal text: `-12.5`, `1E+3`, `0.000`, `7.25e-2`; `None` for NaN, infinities and
    /// anything else.
    pub fn parse(text: &str) -> Option<Exact> {
        let (neg, rest) = match text.as_bytes().first()? {
            b'-' => (true, text.get(1..)?),
            b'+' => (false, text.get(1..)?),
            _ => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(i) => (rest.get(..i)?, rest.get(i + 1..)?.parse::<i64>().ok()?),
            None => (rest, 0),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(i) => (mantissa.get(..i)?, mantissa.get(i + 1..)?),
            None => (mantissa, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let mut digits = Vec::with_capacity(int_part.len() + frac_part.len());
        for c in int_part.bytes().chain(frac_part.bytes()) {
            if !c.is_ascii_digit() {
                return None;
            }
            digits.push(c - b'0');
        }
        // Decimal128 exponents stay within ±6176; far larger ones are not numbers we can hold.
        if exponent.unsigned_abs() > 100_000 {
            return None;
        }
        Some(Exact::new(neg, digits, exponent - frac_part.len() as i64))
    }

    /// The exact value of a finite double (every double is a finite decimal fraction).
    pub fn of_double(f: f64) -> Option<Exact> {
        if !f.is_finite() {
            return None;
        }
        // 800 digits after the point hold the longest exact expansion of a double (767).
        Exact::parse(&format!("{f:.800e}")).map(|e| e.trimmed())
    }

    /// A double as MongoDB converts it for decimal arithmetic: 15 significant digits.
    pub fn of_double_15(f: f64) -> Option<Exact> {
        if !f.is_finite() {
            return None;
        }
        Exact::parse(&format!("{f:.14e}"))
    }

    pub fn of_int(i: i128) -> Exact {
        let neg = i < 0;
        let digits = i
            .unsigned_abs()
            .to_string()
            .bytes()
            .map(|b| b - b'0')
            .collect();
        Exact::new(neg, digits, 0)
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

    /// Without trailing zeros (the same value).
    fn trimmed(mut self) -> Exact {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
            self.exp += 1;
        }
        if self.digits.is_empty() {
            self.exp = 0;
        }
        self
    }

    /// Orders two values exactly.
    pub fn cmp_value(&self, other: &Exact) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => {
                return if other.neg {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (false, true) => {
                return if self.neg {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            _ => {}
        }
        if self.neg != other.neg {
            return if self.neg {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (a, b) = (self.clone().trimmed(), other.clone().trimmed());
        let top = |e: &Exact| e.digits.len() as i64 + e.exp;
        let magnitude = top(&a).cmp(&top(&b)).then_with(|| a.digits.cmp(&b.digits));
        if self.neg {
            magnitude.reverse()
        } else {
            magnitude
        }
    }

    pub fn negated(mut self) -> Exact {
        self.neg = !self.neg && !self.is_zero();
        self
    }

    /// The digits scaled to a smaller exponent (zeros appended).
    fn scaled_to(&self, exp: i64) -> Vec<u8> {
        let mut d = self.digits.clone();
        let extra = usize::try_from(self.exp - exp).unwrap_or(0);
        d.extend(std::iter::repeat_n(0, extra));
        d
    }

    pub fn add(&self, other: &Exact) -> Exact {
        if self.is_zero() && other.is_zero() {
            return Exact::new(false, Vec::new(), self.exp.min(other.exp));
        }
        // A term far below the other's precision cannot change the rounded result.
        let reach = |e: &Exact| e.digits.len() as i64 + e.exp;
        let gap = (PRECISION as i64) + 4;
        if !other.is_zero() && !self.is_zero() {
            if reach(other) < reach(self) - gap - self.digits.len() as i64 {
                return self.clone();
            }
            if reach(self) < reach(other) - gap - other.digits.len() as i64 {
                return other.clone();
            }
        }
        let exp = self.exp.min(other.exp);
        let (a, b) = (self.scaled_to(exp), other.scaled_to(exp));
        if self.neg == other.neg {
            return Exact::new(self.neg, add_mag(&a, &b), exp);
        }
        match cmp_mag(&a, &b) {
            Ordering::Equal => Exact::new(false, Vec::new(), exp),
            Ordering::Greater => Exact::new(self.neg, sub_mag(&a, &b), exp),
            Ordering::Less => Exact::new(other.neg, sub_mag(&b, &a), exp),
        }
    }

    pub fn mul(&self, other: &Exact) -> Exact {
        let mut out = vec![0u32; self.digits.len() + other.digits.len()];
        for (i, x) in self.digits.iter().enumerate().rev() {
            for (j, y) in other.digits.iter().enumerate().rev() {
                if let Some(slot) = out.get_mut(i + j + 1) {
                    *slot += u32::from(*x) * u32::from(*y);
                }
            }
        }
        for k in (1..out.len()).rev() {
            let carry = out.get(k).copied().unwrap_or(0) / 10;
            if let Some(slot) = out.get_mut(k) {
                *slot %= 10;
            }
            if let Some(slot) = out.get_mut(k - 1) {
                *slot += carry;
            }
        }
        Exact::new(
            self.neg != other.neg,
            out.into_iter().map(|d| d as u8).collect(),
            self.exp + other.exp,
        )
    }

    /// The quotient to `PRECISION` significant digits; `None` for a zero divisor.
    pub fn div(&self, other: &Exact) -> Option<Exact> {
        if other.is_zero() {
            return None;
        }
        let ideal = self.exp - other.exp;
        if self.is_zero() {
            return Some(Exact::new(false, Vec::new(), ideal));
        }
        // Scale the dividend so the integer quotient has more digits than the precision.
        let shift = (PRECISION + 2 + other.digits.len()).saturating_sub(self.digits.len());
        let mut dividend = self.digits.clone();
        dividend.extend(std::iter::repeat_n(0, shift));
        let (mut quotient, remainder_zero) = div_mag(&dividend, &other.digits);
        let mut exp = ideal - shift as i64;
        if remainder_zero {
            // An exact quotient takes the ideal exponent where its digits allow.
            while exp < ideal && quotient.last() == Some(&0) {
                quotient.pop();
                exp += 1;
            }
            return Some(Exact::new(self.neg != other.neg, quotient, exp).rounded());
        }
        // A sticky digit keeps half-even rounding honest for an inexact quotient.
        quotient.push(1);
        exp -= 1;
        Some(Exact::new(self.neg != other.neg, quotient, exp).rounded())
    }

    /// Rounded to `PRECISION` significant digits, half to even.
    pub fn rounded(self) -> Exact {
        if self.digits.len() <= PRECISION {
            return self;
        }
        let dropped = self.digits.len() - PRECISION;
        let mut kept: Vec<u8> = self.digits.get(..PRECISION).unwrap_or(&[]).to_vec();
        let rest = self.digits.get(PRECISION..).unwrap_or(&[]);
        let first = rest.first().copied().unwrap_or(0);
        let tail_nonzero = rest.iter().skip(1).any(|d| *d != 0);
        let last_odd = kept.last().is_some_and(|d| d % 2 == 1);
        let up = first > 5 || (first == 5 && (tail_nonzero || last_odd));
        let mut exp = self.exp + dropped as i64;
        if up {
            let mut i = kept.len();
            loop {
                if i == 0 {
                    kept.insert(0, 1);
                    kept.pop();
                    exp += 1;
                    break;
                }
                i -= 1;
                match kept.get_mut(i) {
                    Some(d) if *d == 9 => *d = 0,
                    Some(d) => {
                        *d += 1;
                        break;
                    }
                    None => break,
                }
            }
        }
        Exact::new(self.neg, kept, exp)
    }

    /// As a BSON `Decimal128`, rounded to its precision.
    pub fn to_bson(&self) -> Bson {
        let r = self.clone().rounded();
        let mut text = String::with_capacity(r.digits.len() + 8);
        if r.neg {
            text.push('-');
        }
        if r.digits.is_empty() {
            text.push('0');
        } else {
            text.extend(r.digits.iter().map(|d| char::from(b'0' + d)));
        }
        text.push_str(&format!("E{}", r.exp));
        text.parse::<Decimal128>()
            .map(Bson::Decimal128)
            .unwrap_or(Bson::Null)
    }

    /// The nearest double.
    pub fn to_f64(&self) -> f64 {
        let mut text = String::new();
        if self.neg {
            text.push('-');
        }
        text.push('0');
        text.extend(self.digits.iter().map(|d| char::from(b'0' + d)));
        text.push_str(&format!("e{}", self.exp));
        text.parse().unwrap_or(0.0)
    }

    /// A text that is equal for equal values, whatever their trailing zeros.
    pub fn key(&self) -> String {
        let t = self.clone().trimmed();
        let digits: String = t.digits.iter().map(|d| char::from(b'0' + d)).collect();
        format!("{}{digits}e{}", if t.neg { "-" } else { "" }, t.exp)
    }
}

fn cmp_mag(a: &[u8], b: &[u8]) -> Ordering {
    let strip = |x: &[u8]| -> usize { x.iter().take_while(|d| **d == 0).count() };
    let (a, b) = (&a[strip(a)..], &b[strip(b)..]);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn add_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let n = a.len().max(b.len());
    let mut out = Vec::with_capacity(n + 1);
    let mut carry = 0u8;
    for k in 0..n {
        let x = if k < a.len() { a[a.len() - 1 - k] } else { 0 };
        let y = if k < b.len() { b[b.len() - 1 - k] } else { 0 };
        let s = x + y + carry;
        out.push(s % 10);
        carry = s / 10;
    }
    if carry > 0 {
        out.push(carry);
    }
    out.reverse();
    out
}

/// `a - b` for `a >= b`.
fn sub_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i8;
    for k in 0..a.len() {
        let x = a[a.len() - 1 - k] as i8;
        let y = if k < b.len() {
            b[b.len() - 1 - k] as i8
        } else {
            0
        };
        let mut d = x - y - borrow;
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

/// Long division of magnitudes: the quotient digits and whether the remainder is zero.
fn div_mag(dividend: &[u8], divisor: &[u8]) -> (Vec<u8>, bool) {
    let mut quotient = Vec::with_capacity(dividend.len());
    let mut rem: Vec<u8> = Vec::new();
    for d in dividend {
        rem.push(*d);
        let mut q = 0u8;
        while cmp_mag(&rem, divisor) != Ordering::Less {
            rem = sub_mag(&pad(&rem, divisor.len()), &pad(divisor, rem.len()));
            q += 1;
        }
        let lead = rem.iter().take_while(|x| **x == 0).count();
        rem.drain(..lead);
        quotient.push(q);
    }
    (quotient, rem.is_empty())
}

fn pad(x: &[u8], len: usize) -> Vec<u8> {
    let mut out = vec![0; len.saturating_sub(x.len())];
    out.extend_from_slice(x);
    out
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
