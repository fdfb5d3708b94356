//! Skew: the share of a pattern's traffic that goes to its hottest key (a
//! celebrity's profile, the busiest room, the `pending` status). Absent, the
//! traffic is spread evenly over the key's values.

use super::decode::{describe, join, Obj, Reader};
use super::AccessPattern;

impl AccessPattern {
    /// The share of the pattern's requests on its hottest key, when the
    /// design says (`hotKeyShare`), in (0, 1].
    pub fn hot_share(&self) -> Option<f64> {
        self.hot_key_share.filter(|s| *s > 0.0 && *s <= 1.0)
    }

    /// The share of the requests on the hottest of `values` key values: the
    /// design's share, or an even spread (never less than an even spread).
    pub fn hottest_share(&self, values: u64) -> f64 {
        let even = 1.0 / values.max(1) as f64;
        self.hot_share().map_or(even, |s| s.max(even))
    }
}

impl Reader {
    /// `hotKeyShare`: a number above 0 and at most 1.
    pub(super) fn hot_key_share(&mut self, map: &Obj, path: &str) -> Option<f64> {
        let value = map.get("hotKeyShare")?;
        match value.as_f64() {
            Some(s) if s > 0.0 && s <= 1.0 => Some(s),
            _ if value.is_null() => None,
            _ => {
                self.error(
                    join(path, "hotKeyShare"),
                    format!(
                        "expected the share of the requests on the hottest key, a number above 0 and at most 1 (0.2 for a fifth), found {}",
                        describe(Some(value))
                    ),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn read(value: Value) -> (Option<f64>, usize) {
        let mut reader = Reader::default();
        let mut map = Obj::new();
        map.insert("hotKeyShare".into(), value);
        let share = reader.hot_key_share(&map, "accessPatterns[0]");
        (share, reader.findings.len())
    }

    #[test]
    fn a_share_is_above_zero_and_at_most_one() {
        assert_eq!(read(serde_json::json!(0.2)), (Some(0.2), 0));
        assert_eq!(read(serde_json::json!(1)), (Some(1.0), 0));
        assert_eq!(read(Value::Null), (None, 0));
        assert_eq!(read(serde_json::json!(0)), (None, 1));
        assert_eq!(read(serde_json::json!(1.5)), (None, 1));
        assert_eq!(read(serde_json::json!("20%")), (None, 1));
    }
}
