//! Numbers as people read them: digits grouped in threes with a comma
//! (`3,000,000`), the one way every view and message writes a count, a size or
//! a price.

/// A whole number with its thousands grouped: `3000000` → `3,000,000`.
pub fn grouped(n: u64) -> String {
    group_digits(&n.to_string())
}

/// A number with `decimals` digits after the point and its thousands grouped:
/// `1234.5` with 2 → `1,234.50`. Not finite: as Rust writes it (`NaN`, `inf`).
pub fn grouped_decimal(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    // `-0.00` reads as zero.
    let negative = value < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group_digits(whole));
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// Commas between groups of three digits, counted from the right.
fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_whole_numbers() {
        let cases = [0, 7, 999, 1000, 12000, 200000, 3000000, u64::MAX];
        let written: Vec<String> = cases.iter().map(|n| grouped(*n)).collect();
        assert_eq!(
            written,
            [
                "0",
                "7",
                "999",
                "1,000",
                "12,000",
                "200,000",
                "3,000,000",
                "18,446,744,073,709,551,615"
            ]
        );
    }

    #[test]
    fn groups_decimals() {
        assert_eq!(grouped_decimal(1234.5, 2), "1,234.50");
        assert_eq!(grouped_decimal(-1234567.891, 1), "-1,234,567.9");
        assert_eq!(grouped_decimal(999.999, 2), "1,000.00");
        assert_eq!(grouped_decimal(-0.001, 2), "0.00");
        assert_eq!(grouped_decimal(12.0, 0), "12");
        assert_eq!(grouped_decimal(f64::NAN, 2), "NaN");
    }
}
