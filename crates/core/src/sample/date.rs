//! ISO 8601 dates to and from milliseconds since the epoch (UTC, proleptic
//! Gregorian calendar).

/// `2024-01-01T00:00:00.000Z` for milliseconds since the epoch.
pub fn iso_date(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.mmm]Z` into epoch milliseconds.
pub fn parse_iso(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let num = |a: usize, b: usize| -> Option<i64> { text.get(a..b)?.parse().ok() };
    let (y, m, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    if bytes.get(4) != Some(&b'-')
        || bytes.get(7) != Some(&b'-')
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
    {
        return None;
    }
    let (hh, mm, ss, ms) = if text.len() > 10 {
        let ms = if bytes.get(19) == Some(&b'.') {
            num(20, 23).unwrap_or(0)
        } else {
            0
        };
        (num(11, 13)?, num(14, 16)?, num(17, 19)?, ms)
    } else {
        (0, 0, 0, 0)
    };
    // Days from civil (Howard Hinnant).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000) + ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for text in [
            "2024-01-01T00:00:00.000Z",
            "1999-12-31T23:59:59.999Z",
            "2024-02-29T12:30:00.000Z",
        ] {
            assert_eq!(parse_iso(text).map(iso_date).as_deref(), Some(text));
        }
        assert_eq!(parse_iso("2024-13-01"), None);
        assert_eq!(parse_iso("nope"), None);
    }
}
