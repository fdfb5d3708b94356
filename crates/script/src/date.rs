//! Dates as JavaScript reads and writes them, in UTC: the playground has no time zone, so a
//! date-time written without an offset (`new Date("2024-01-01T10:00")`) is read as UTC too.

const MS_PER_DAY: i64 = 86_400_000;
/// The range of a JavaScript Date: ±100,000,000 days from the epoch.
pub const MAX_MILLIS: i64 = 8_640_000_000_000_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month 1-12, day) of a day number.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Milliseconds since the epoch of the given UTC fields, as `Date.UTC` computes them
/// (months 0-based and allowed to overflow into years).
pub fn from_fields(
    year: f64,
    month: f64,
    day: f64,
    h: f64,
    m: f64,
    s: f64,
    ms: f64,
) -> Option<i64> {
    let all = [year, month, day, h, m, s, ms];
    if all.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let (year, month) = (year.trunc() as i64, month.trunc() as i64);
    let y = year.checked_add(month.div_euclid(12))?;
    let mo = month.rem_euclid(12) + 1;
    if y.abs() > 400_000 {
        return None;
    }
    let days = days_from_civil(y, mo, 1) as f64 + day.trunc() - 1.0;
    let t = days * MS_PER_DAY as f64
        + h.trunc() * 3_600_000.0
        + m.trunc() * 60_000.0
        + s.trunc() * 1000.0
        + ms.trunc();
    (t.abs() <= MAX_MILLIS as f64).then_some(t as i64)
}

/// Reads the date strings JavaScript's `Date` reads reliably: ISO 8601 (`2024-01-01`,
/// `2024-01-01T10:00:00.123Z`, with an offset `+02:00`, or a space instead of `T`).
pub fn parse(text: &str) -> Option<i64> {
    let s = text.trim();
    let b = s.as_bytes();
    let mut i = 0;
    let num = |i: &mut usize, len: usize| -> Option<i64> {
        let part = b.get(*i..*i + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *i += len;
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let sign = match b.first() {
        Some(b'+') => {
            i += 1;
            1
        }
        Some(b'-') => {
            i += 1;
            -1
        }
        _ => 0,
    };
    let year = if sign != 0 {
        num(&mut i, 6)? * sign
    } else {
        num(&mut i, 4)?
    };
    let (mut month, mut day) = (1, 1);
    if b.get(i) == Some(&b'-') {
        i += 1;
        month = num(&mut i, 2)?;
        if b.get(i) == Some(&b'-') {
            i += 1;
            day = num(&mut i, 2)?;
        }
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (mut h, mut m, mut sec, mut ms) = (0, 0, 0, 0);
    let mut offset_min = 0;
    if matches!(b.get(i), Some(b'T' | b't' | b' ')) {
        i += 1;
        h = num(&mut i, 2)?;
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        m = num(&mut i, 2)?;
        if b.get(i) == Some(&b':') {
            i += 1;
            sec = num(&mut i, 2)?;
            if b.get(i) == Some(&b'.') {
                i += 1;
                let start = i;
                let mut frac = 0i64;
                let mut digits = 0;
                while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
                    if digits < 3 {
                        frac = frac * 10 + i64::from(d - b'0');
                        digits += 1;
                    }
                    i += 1;
                }
                if i == start {
                    return None;
                }
                while digits < 3 {
                    frac *= 10;
                    digits += 1;
                }
                ms = frac;
            }
        }
        if h > 24 || m > 59 || sec > 59 || (h == 24 && (m, sec, ms) != (0, 0, 0)) {
            return None;
        }
        match b.get(i) {
            Some(b'Z' | b'z') => i += 1,
            Some(c @ (b'+' | b'-')) => {
                let sign = if *c == b'-' { -1 } else { 1 };
                i += 1;
                let oh = num(&mut i, 2)?;
                if b.get(i) == Some(&b':') {
                    i += 1;
                }
                let om = num(&mut i, 2)?;
                offset_min = sign * (oh * 60 + om);
            }
            _ => {}
        }
    }
    if i != b.len() {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let t = days * MS_PER_DAY + h * 3_600_000 + m * 60_000 + sec * 1000 + ms - offset_min * 60_000;
    (t.abs() <= MAX_MILLIS).then_some(t)
}

/// `Date.prototype.toISOString`: `2024-01-01T00:00:00.000Z`.
pub fn to_iso(millis: i64) -> String {
    let days = millis.div_euclid(MS_PER_DAY);
    let rest = millis.rem_euclid(MS_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    let year = if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else if y < 0 {
        format!("-{:06}", -y)
    } else {
        format!("+{y:06}")
    };
    format!(
        "{year}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

/// `Date.prototype.toString` in UTC: `Mon Jan 01 2024 00:00:00 GMT+0000 (Coordinated Universal Time)`.
pub fn to_display(millis: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = millis.div_euclid(MS_PER_DAY);
    let rest = millis.rem_euclid(MS_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    let weekday = DAYS.get(days.rem_euclid(7) as usize).copied().unwrap_or("");
    let month = MONTHS.get((mo - 1) as usize).copied().unwrap_or("");
    format!(
        "{weekday} {month} {d:02} {y:04} {:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_forms() {
        assert_eq!(parse("2024-01-01T00:00:00Z"), Some(1_704_067_200_000));
        assert_eq!(parse("2024-01-01"), Some(1_704_067_200_000));
        assert_eq!(parse("2024-01-01T02:00:00+02:00"), Some(1_704_067_200_000));
        assert_eq!(parse("2024-01-01 00:00:00.5"), Some(1_704_067_200_500));
        assert_eq!(parse("2024-13-01"), None);
        assert_eq!(parse("yesterday"), None);
        assert_eq!(to_iso(1_704_067_200_500), "2024-01-01T00:00:00.500Z");
        assert_eq!(to_iso(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(
            to_display(1_704_067_200_000),
            "Mon Jan 01 2024 00:00:00 GMT+0000 (Coordinated Universal Time)"
        );
        assert_eq!(
            from_fields(2024.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0),
            Some(1_704_067_200_000)
        );
        assert_eq!(
            from_fields(2023.0, 12.0, 1.0, 0.0, 0.0, 0.0, 0.0),
            Some(1_704_067_200_000)
        );
    }
}
