//! Share links: a whole design in a URL fragment.
//!
//! A design's JSON text is compressed with raw DEFLATE and written in unpadded base64url, the
//! alphabet that survives a URL fragment untouched. Decoding is the hostile direction: the text
//! comes from whoever wrote the link, so every step has a bound and a clear error, and nothing
//! here panics. In particular the inflated size is capped at [`MAX_INFLATED_BYTES`], so a few
//! kilobytes of fragment that would inflate to a hundred megabytes stop at the cap.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::inflate::{self, TINFLStatus};

/// The largest design text a share link may inflate to: one megabyte, far above any design a
/// person sketches and far below what would hurt a browser tab.
pub const MAX_INFLATED_BYTES: usize = 1024 * 1024;

/// The longest fragment [`decode`] looks at. Deflate cannot compress better than about 1:1032,
/// so a longer payload could only be a bomb or garbage.
pub const MAX_FRAGMENT_CHARS: usize = 2 * MAX_INFLATED_BYTES;

/// Why a share fragment could not be turned back into a design text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment is empty.
    Empty,
    /// The fragment is longer than [`MAX_FRAGMENT_CHARS`].
    TooLong { chars: usize },
    /// A character outside the base64url alphabet, at this character position.
    InvalidCharacter { position: usize, character: char },
    /// The base64url text has a length no encoder produces (cut off mid-character).
    InvalidLength,
    /// The compressed data ends before the end of its last block: the link was cut off.
    Truncated,
    /// The compressed data is not valid DEFLATE.
    Corrupt,
    /// The data would inflate past [`MAX_INFLATED_BYTES`].
    TooLarge { limit: usize },
    /// The inflated bytes are not UTF-8 text, at this byte offset.
    NotText { offset: usize },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => write!(f, "the share link holds no design"),
            ShareError::TooLong { chars } => write!(
                f,
                "the share link is {chars} characters long, more than the {MAX_FRAGMENT_CHARS} a design can take"
            ),
            ShareError::InvalidCharacter {
                position,
                character,
            } => write!(
                f,
                "the share link has {character:?} at position {position}, which is not a base64url character"
            ),
            ShareError::InvalidLength => write!(
                f,
                "the share link has a length no encoder produces: it was probably cut off"
            ),
            ShareError::Truncated => write!(
                f,
                "the share link ends in the middle of the design: it was probably cut off"
            ),
            ShareError::Corrupt => write!(f, "the share link is damaged: its data is not a compressed design"),
            ShareError::TooLarge { limit } => write!(
                f,
                "the share link would unpack to more than {limit} bytes, more than any design needs; it was not opened"
            ),
            ShareError::NotText { offset } => write!(
                f,
                "the share link unpacks to bytes that are not text (at byte {offset})"
            ),
        }
    }
}

impl std::error::Error for ShareError {}

/// Compresses a design's JSON text into a fragment (without the leading `#`).
pub fn encode(design_json: &str) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec(design_json.as_bytes(), 9);
    URL_SAFE_NO_PAD.encode(compressed)
}

/// Turns a fragment made by [`encode`] back into the design's JSON text.
///
/// The text is not parsed here: the caller parses it as a design and reports its own findings.
pub fn decode(fragment: &str) -> Result<String, ShareError> {
    let fragment = fragment.trim();
    if fragment.is_empty() {
        return Err(ShareError::Empty);
    }
    let chars = fragment.chars().count();
    if chars > MAX_FRAGMENT_CHARS {
        return Err(ShareError::TooLong { chars });
    }
    if let Some((position, character)) = fragment
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(ShareError::InvalidCharacter {
            position,
            character,
        });
    }
    let compressed = URL_SAFE_NO_PAD
        .decode(fragment)
        .map_err(|_| ShareError::InvalidLength)?;
    let bytes =
        inflate::decompress_to_vec_with_limit(&compressed, MAX_INFLATED_BYTES).map_err(|err| {
            match err.status {
                TINFLStatus::HasMoreOutput => ShareError::TooLarge {
                    limit: MAX_INFLATED_BYTES,
                },
                TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                    ShareError::Truncated
                }
                _ => ShareError::Corrupt,
            }
        })?;
    String::from_utf8(bytes).map_err(|err| ShareError::NotText {
        offset: err.utf8_error().valid_up_to(),
    })
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// Decodes a fragment and shows either the text or the error message.
    fn check(fragment: &str, expect: Expect) {
        let shown = match decode(fragment) {
            Ok(text) => format!("ok: {text}"),
            Err(err) => format!("error: {err}"),
        };
        expect.assert_eq(&shown);
    }

    fn deflate(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(bytes, 9))
    }

    #[test]
    fn round_trips() {
        let design = r#"{"name":"blog","entities":[{"name":"<img src=x onerror=alert(1)>"}]}"#;
        check(
            &encode(design),
            expect![[
                r#"ok: {"name":"blog","entities":[{"name":"<img src=x onerror=alert(1)>"}]}"#
            ]],
        );
        check(&encode("é ✓ 🦀"), expect!["ok: é ✓ 🦀"]);
    }

    #[test]
    fn rejects_bad_text() {
        check("", expect!["error: the share link holds no design"]);
        check("   ", expect!["error: the share link holds no design"]);
        check(
            "abc$def",
            expect![[
                r#"error: the share link has '$' at position 3, which is not a base64url character"#
            ]],
        );
        check(
            "q+8=",
            expect![[
                r#"error: the share link has '+' at position 1, which is not a base64url character"#
            ]],
        );
        check(
            "A",
            expect![
                "error: the share link has a length no encoder produces: it was probably cut off"
            ],
        );
        check(
            "garbage-fragment",
            expect!["error: the share link is damaged: its data is not a compressed design"],
        );
    }

    #[test]
    fn rejects_truncated_links() {
        let full = encode(
            r#"{"name":"a design long enough to span a few deflate symbols","entities":[]}"#,
        );
        let cut = &full[..full.len() / 2];
        check(
            cut,
            expect![
                "error: the share link ends in the middle of the design: it was probably cut off"
            ],
        );
    }

    #[test]
    fn stops_inflate_bombs_at_the_limit() {
        // 100 MB of zeros deflates to about 100 KB; decoding must stop at the 1 MB cap.
        let bomb = deflate(&vec![b'0'; 100 * 1024 * 1024]);
        check(
            &bomb,
            expect!["error: the share link would unpack to more than 1048576 bytes, more than any design needs; it was not opened"],
        );
        // Exactly at the limit is still fine.
        assert_eq!(
            decode(&deflate(&vec![b' '; MAX_INFLATED_BYTES])).map(|t| t.len()),
            Ok(MAX_INFLATED_BYTES)
        );
        check(
            &"A".repeat(MAX_FRAGMENT_CHARS + 1),
            expect!["error: the share link is 2097153 characters long, more than the 2097152 a design can take"],
        );
    }

    #[test]
    fn rejects_non_text() {
        check(
            &deflate(&[b'{', 0xff, 0xfe]),
            expect!["error: the share link unpacks to bytes that are not text (at byte 1)"],
        );
    }
}
