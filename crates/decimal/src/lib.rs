//! Exact decimal arithmetic, the one implementation under MongoDB's `Decimal128`
//! (`schemaplay-mongo`'s `decimal.rs`: 34 digits, ideal exponents, doubles) and DynamoDB's `N`
//! (`schemaplay-dynamo`'s `number.rs`: 38 digits, its range and error messages). This crate
//! knows neither database: it holds a sign, decimal digits and an exponent, reads and writes
//! decimal text, adds, subtracts, multiplies and compares exactly, and divides and rounds to a
//! precision the caller names (half to even). Each simulator puts its own limits and wording on
//! top.
//!
//! Digits are one byte each: numbers here are short (at most a few dozen digits), and the
//! simulators spend their time parsing, comparing and printing, which this keeps simple and
//! allocation-light.

use std::cmp::Ordering;

/// `(-1)^neg × digits × 10^exp`: `digits` most significant first with no leading zeros (zero
/// has none and is never negative). Trailing zeros are kept as given, as decimal arithmetic
/// keeps them (`0.10 + 0.20` is `0.30`); [`Decimal::trimmed`] drops them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    neg: bool,
    digits: Vec<u8>,
    exp: i64,
}

/// Exponents are clamped to this magnitude on reading: far beyond any range a simulator
/// accepts, so a caller's range check still rejects the number, and far from overflowing.
pub const EXPONENT_CLAMP: i64 = 1_000_000_000_000;

impl Decimal {
    /// Builds a decimal, dropping leading zeros.
    pub fn new(neg: bool, mut digits: Vec<u8>, exp: i64) -> Decimal {
        let lead = digits.iter().take_while(|d| **d == 0).count();
        digits.drain(..lead);
        Decimal {
            neg: neg && !digits.is_empty(),
            digits,
            exp,
        }
    }

    /// Zero with exponent 0.
    pub fn zero() -> Decimal {
        Decimal::new(false, Vec::new(), 0)
    }

    pub fn of_int(i: i128) -> Decimal {
        let digits = i
            .unsigned_abs()
            .to_string()
            .bytes()
            .map(|b| b - b'0')
            .collect();
        Decimal::new(i < 0, digits, 0)
    }

    /// Reads decimal text: an optional sign, digits with at most one point (`12`, `1.5`, `.5`,
    /// `5.`), then optionally `e` or `E`, an optional sign and digits. `None` for anything else
    /// (NaN, infinities, spaces, `_`). An exponent too long to matter is clamped to
    /// [`EXPONENT_CLAMP`].
    pub fn parse(text: &str) -> Option<Decimal> {
        let bytes = text.as_bytes();
        let (neg, mut pos) = match bytes.first() {
            Some(b'-') => (true, 1),
            Some(b'+') => (false, 1),
            _ => (false, 0),
        };
        let mut digits = Vec::with_capacity(bytes.len());
        let (mut exp, mut seen_digit, mut seen_point) = (0i64, false, false);
        while let Some(&b) = bytes.get(pos) {
            match b {
                b'0'..=b'9' => {
                    seen_digit = true;
                    // A leading zero carries no value, but moves the exponent after the point.
                    if !(digits.is_empty() && b == b'0') {
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
            return None;
        }
        if let Some(&b) = bytes.get(pos) {
            if b != b'e' && b != b'E' {
                return None;
            }
            let rest = bytes.get(pos + 1..)?;
            let (exp_neg, exp_digits) = match rest.first() {
                Some(b'-') => (true, rest.get(1..)?),
                Some(b'+') => (false, rest.get(1..)?),
                _ => (false, rest),
            };
            if exp_digits.is_empty() || !exp_digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let magnitude = exp_digits.iter().try_fold(0i64, |acc, d| {
                let next = acc * 10 + i64::from(d - b'0');
                (next <= EXPONENT_CLAMP).then_some(next)
            });
            let magnitude = magnitude.unwrap_or(EXPONENT_CLAMP);
            exp += if exp_neg { -magnitude } else { magnitude };
        }
        Some(Decimal::new(neg, digits, exp))
    }

    #[inline]
    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    #[inline]
    pub fn is_negative(&self) -> bool {
        self.neg
    }

    /// The digits, most significant first (none for zero).
    #[inline]
    pub fn digits(&self) -> &[u8] {
        &self.digits
    }

    /// The power of ten of the last digit.
    #[inline]
    pub fn exponent(&self) -> i64 {
        self.exp
    }

    /// The power of ten of the first digit (`exponent` for zero).
    #[inline]
    pub fn adjusted_exponent(&self) -> i64 {
        self.exp + (self.digits.len() as i64 - 1).max(0)
    }

    /// The same value without trailing zeros (zero gets exponent 0).
    pub fn trimmed(mut self) -> Decimal {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
            self.exp += 1;
        }
        if self.digits.is_empty() {
            self.exp = 0;
        }
        self
    }

    pub fn negated(mut self) -> Decimal {
        self.neg = !self.neg && !self.is_zero();
        self
    }

    /// Orders two values exactly, whatever their trailing zeros.
    #[inline]
    pub fn cmp_value(&self, other: &Decimal) -> Ordering {
        let by_sign = |neg: bool| {
            if neg {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        };
        match (self.is_zero(), other.is_zero()) {
            (true, true) => Ordering::Equal,
            (true, false) => by_sign(other.neg).reverse(),
            (false, true) => by_sign(self.neg),
            _ if self.neg != other.neg => by_sign(self.neg),
            _ if self.neg => other.cmp_magnitude(self),
            _ => self.cmp_magnitude(other),
        }
    }

    /// Compares absolute values of two non-zero decimals.
    #[inline]
    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        let top = |d: &Decimal| d.exp + d.digits.len() as i64;
        top(self).cmp(&top(other)).then_with(|| {
            // Same leading position: the common digits, then whichever has a non-zero digit
            // beyond them (trailing zeros add nothing).
            let n = self.digits.len().min(other.digits.len());
            let (a, a_rest) = self.digits.split_at(n);
            let (b, b_rest) = other.digits.split_at(n);
            let beyond = |rest: &[u8]| rest.iter().any(|d| *d != 0);
            a.cmp(b).then_with(|| beyond(a_rest).cmp(&beyond(b_rest)))
        })
    }

    /// The digits scaled to a smaller exponent (zeros appended).
    fn scaled_to(&self, exp: i64) -> Vec<u8> {
        let mut d = self.digits.clone();
        let extra = usize::try_from(self.exp - exp).unwrap_or(0);
        d.extend(std::iter::repeat_n(0, extra));
        d
    }

    /// The exact sum, at the smaller of the two exponents.
    pub fn add(&self, other: &Decimal) -> Decimal {
        let exp = self.exp.min(other.exp);
        let (a, b) = (self.scaled_to(exp), other.scaled_to(exp));
        if self.neg == other.neg {
            return Decimal::new(self.neg, add_mag(&a, &b), exp);
        }
        match cmp_mag(&a, &b) {
            Ordering::Equal => Decimal::new(false, Vec::new(), exp),
            Ordering::Greater => Decimal::new(self.neg, sub_mag(&a, &b), exp),
            Ordering::Less => Decimal::new(other.neg, sub_mag(&b, &a), exp),
        }
    }

    /// The exact difference.
    pub fn sub(&self, other: &Decimal) -> Decimal {
        self.add(&other.clone().negated())
    }

    /// The exact product.
    pub fn mul(&self, other: &Decimal) -> Decimal {
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
        Decimal::new(
            self.neg != other.neg,
            out.into_iter().map(|d| d as u8).collect(),
            self.exp + other.exp,
        )
    }

    /// The quotient to `precision` significant digits, half to even; `None` for a zero
    /// divisor. An exact quotient takes the ideal exponent (the dividend's less the
    /// divisor's) where its digits allow, as decimal arithmetic does (`10 / 4` is `2.5`,
    /// `1.00 / 1` is `1.00`).
    pub fn div(&self, other: &Decimal, precision: usize) -> Option<Decimal> {
        if other.is_zero() {
            return None;
        }
        let ideal = self.exp - other.exp;
        if self.is_zero() {
            return Some(Decimal::new(false, Vec::new(), ideal));
        }
        // Scale the dividend so the integer quotient has more digits than the precision.
        let shift = (precision + 2 + other.digits.len()).saturating_sub(self.digits.len());
        let mut dividend = self.digits.clone();
        dividend.extend(std::iter::repeat_n(0, shift));
        let (mut quotient, remainder_zero) = div_mag(&dividend, &other.digits);
        let mut exp = ideal - shift as i64;
        let neg = self.neg != other.neg;
        if remainder_zero {
            while exp < ideal && quotient.last() == Some(&0) {
                quotient.pop();
                exp += 1;
            }
            return Some(Decimal::new(neg, quotient, exp).rounded(precision));
        }
        // A sticky digit keeps half-even rounding honest for an inexact quotient.
        quotient.push(1);
        exp -= 1;
        Some(Decimal::new(neg, quotient, exp).rounded(precision))
    }

    /// Rounded to `precision` significant digits, half to even.
    pub fn rounded(self, precision: usize) -> Decimal {
        if self.digits.len() <= precision {
            return self;
        }
        let dropped = self.digits.len() - precision;
        let mut kept: Vec<u8> = self.digits.get(..precision).unwrap_or(&[]).to_vec();
        let rest = self.digits.get(precision..).unwrap_or(&[]);
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
        Decimal::new(self.neg, kept, exp)
    }

    /// The digits as text (`0` for zero).
    fn digit_text(&self) -> String {
        if self.digits.is_empty() {
            return "0".to_string();
        }
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// `-123E-2`: the sign, the digits and the exponent, trailing zeros kept.
    pub fn to_exponent_string(&self) -> String {
        let sign = if self.neg { "-" } else { "" };
        format!("{sign}{}E{}", self.digit_text(), self.exp)
    }

    /// `-1.23`: the plain form, without an exponent, trailing zeros kept. Its length grows with
    /// the exponent: callers bound it first (DynamoDB's range does).
    pub fn to_plain_string(&self) -> String {
        if self.digits.is_empty() {
            return "0".to_string();
        }
        let mut s = String::with_capacity(self.digits.len() + 8);
        if self.neg {
            s.push('-');
        }
        let digits = self.digit_text();
        if self.exp >= 0 {
            s.push_str(&digits);
            s.extend(std::iter::repeat_n('0', self.exp as usize));
        } else {
            let frac = self.exp.unsigned_abs() as usize;
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
        s
    }

    /// The nearest double.
    pub fn to_f64(&self) -> f64 {
        let sign = if self.neg { "-" } else { "" };
        format!("{sign}0{}e{}", self.digit_text(), self.exp)
            .parse()
            .unwrap_or(0.0)
    }
}

fn cmp_mag(a: &[u8], b: &[u8]) -> Ordering {
    let (a, b) = (strip_leading(a), strip_leading(b));
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

/// Long division of magnitudes: the quotient digits and whether the remainder is zero.
fn div_mag(dividend: &[u8], divisor: &[u8]) -> (Vec<u8>, bool) {
    let divisor = strip_leading(divisor);
    let mut quotient = Vec::with_capacity(dividend.len());
    let mut rem: Vec<u8> = Vec::new();
    for d in dividend {
        rem.push(*d);
        let mut q = 0u8;
        while cmp_mag(&rem, divisor) != Ordering::Less {
            rem = sub_mag(&rem, divisor);
            let lead = rem.iter().take_while(|x| **x == 0).count();
            rem.drain(..lead);
            q += 1;
        }
        let lead = rem.iter().take_while(|x| **x == 0).count();
        rem.drain(..lead);
        quotient.push(q);
    }
    (quotient, rem.is_empty())
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::parse(s).unwrap_or_else(|| panic!("{s} is a decimal"))
    }

    /// Each text read and written back in both forms, or `-` where it is not a decimal.
    fn check_parse(texts: &[&str], expect: Expect) {
        let actual: Vec<String> = texts
            .iter()
            .map(|t| match Decimal::parse(t) {
                Some(d) if d.exponent().abs() > 100 => format!("{t:?} {}", d.to_exponent_string()),
                Some(d) => format!("{t:?} {} {}", d.to_exponent_string(), d.to_plain_string()),
                None => format!("{t:?} -"),
            })
            .collect();
        expect.assert_eq(&actual.join("\n"));
    }

    #[test]
    fn reads_and_writes() {
        check_parse(
            &[
                "0",
                "-0",
                "007",
                "1.50",
                "+1.5",
                ".5",
                "5.",
                "-0.0012",
                "1e3",
                "1E+3",
                "2.5e-3",
                "0.000",
                "1e1000000000000000",
                "",
                ".",
                "-",
                "1e",
                "1e+-3",
                " 1",
                "1_000",
                "NaN",
                "1.2.3",
                "0x10",
            ],
            expect![[r#"
                "0" 0E0 0
                "-0" 0E0 0
                "007" 7E0 7
                "1.50" 150E-2 1.50
                "+1.5" 15E-1 1.5
                ".5" 5E-1 0.5
                "5." 5E0 5
                "-0.0012" -12E-4 -0.0012
                "1e3" 1E3 1000
                "1E+3" 1E3 1000
                "2.5e-3" 25E-4 0.0025
                "0.000" 0E-3 0
                "1e1000000000000000" 1E1000000000000
                "" -
                "." -
                "-" -
                "1e" -
                "1e+-3" -
                " 1" -
                "1_000" -
                "NaN" -
                "1.2.3" -
                "0x10" -"#]],
        );
    }

    fn check_ops(a: &str, b: &str, expect: Expect) {
        let (x, y) = (dec(a), dec(b));
        let quotient = x
            .div(&y, 34)
            .map_or("none".to_string(), |q| q.to_exponent_string());
        expect.assert_eq(&format!(
            "{} {} {} {} {:?}",
            x.add(&y).to_plain_string(),
            x.sub(&y).to_plain_string(),
            x.mul(&y).to_plain_string(),
            quotient,
            x.cmp_value(&y)
        ));
    }

    #[test]
    fn arithmetic_is_exact() {
        check_ops("0.1", "0.2", expect!["0.3 -0.1 0.02 5E-1 Less"]);
        check_ops("0.10", "0.20", expect!["0.30 -0.10 0.0200 5E-1 Less"]);
        check_ops("1.5", "-2", expect!["-0.5 3.5 -3.0 -75E-2 Greater"]);
        check_ops(
            "1",
            "3",
            expect!["4 -2 3 3333333333333333333333333333333333E-34 Less"],
        );
        check_ops(
            "2",
            "3",
            expect!["5 -1 6 6666666666666666666666666666666667E-34 Less"],
        );
        check_ops("10", "4", expect!["14 6 40 25E-1 Greater"]);
        check_ops("1.00", "1", expect!["2.00 0 1.00 100E-2 Equal"]);
        check_ops("100", "10", expect!["110 90 1000 10E0 Greater"]);
        check_ops("5", "-5", expect!["0 10 -25 -1E0 Greater"]);
        check_ops("1", "0", expect!["1 1 0 none Greater"]);
        check_ops("-1", "-2", expect!["-3 1 2 5E-1 Greater"]);
        check_ops("1.20", "1.2", expect!["2.40 0 1.440 10E-1 Equal"]);
        check_ops(
            "99999999999999999999999999999999995",
            "1",
            expect!["99999999999999999999999999999999996 99999999999999999999999999999999994 99999999999999999999999999999999995 1000000000000000000000000000000000E2 Greater"],
        );
    }

    #[test]
    fn rounding_is_half_even() {
        let round = |s: &str, p: usize| dec(s).rounded(p).to_exponent_string();
        expect!["12E0"].assert_eq(&round("12.5", 2));
        expect!["14E0"].assert_eq(&round("13.5", 2));
        expect!["13E0"].assert_eq(&round("12.51", 2));
        expect!["-10E0"].assert_eq(&round("-9.96", 2));
        expect!["123E0"].assert_eq(&round("123", 5));
    }

    #[test]
    fn order_ignores_trailing_zeros() {
        let order = |a: &str, b: &str| format!("{:?}", dec(a).cmp_value(&dec(b)));
        expect!["Equal"].assert_eq(&order("1.50", "1.5"));
        expect!["Less"].assert_eq(&order("1.2", "1.25"));
        expect!["Greater"].assert_eq(&order("-1.2", "-1.25"));
        expect!["Less"].assert_eq(&order("-0.001", "0"));
        expect!["Greater"].assert_eq(&order("10", "9.99"));
        expect!["Equal"].assert_eq(&order("0.00", "-0"));
    }

    #[test]
    fn nearest_double() {
        assert_eq!(dec("0.1").to_f64(), 0.1);
        assert_eq!(dec("-25E-1").to_f64(), -2.5);
        assert_eq!(dec("0.000").to_f64(), 0.0);
    }
}
