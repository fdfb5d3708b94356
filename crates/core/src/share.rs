//! Share links: a whole design in a URL fragment.
//!
//! A design's JSON text is compressed with raw DEFLATE and written in unpadded base64url, the
//! alphabet that survives a URL fragment untouched. The first character names the format
//! version. Version 1 primes the compressor with [`DICTIONARY`], the design format's vocabulary
//! (keys, type and generator names, common words), so even a small design finds long matches:
//! the user's example design fits in under 1,000 characters. The decoder primes its window the
//! same way, with the dictionary as a stored block in front of the payload, so the link does
//! not depend on the compressor's version.
//!
//! Decoding is the hostile direction: the text comes from whoever wrote the link, so every step
//! has a bound and a clear error, and nothing here panics. In particular the inflated size is
//! capped at [`MAX_INFLATED_BYTES`], so a few kilobytes of fragment that would inflate to a
//! hundred megabytes stop at the cap.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::deflate::core::{
    compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::{self, TINFLStatus};

use crate::model::Design;

/// The version character that starts every fragment [`encode`] writes.
const VERSION: char = '1';

/// What version 1 links are compressed against. Never change it: links already shared depend on
/// it byte for byte; a better dictionary is a new version.
pub const DICTIONARY: &str = concat!(
    " the and with that their of by for in a an to is on from per each one many few every own ",
    "User Post Comment Order Product Customer Message Device Reading Tenant Account Item Category ",
    "user post comment order product customer message device reading tenant account item ",
    "List Get Find Count Search Create Add Update Rename Delete Remove by id by email newest first ",
    r#"Id","userId","postId","authorId","orderId","productId","customerId","createdAt","updatedAt","#,
    r#""status","total","price","profile","tags","balance","title","content","text","author","#,
    r#"{"formatVersion":1,"name":"","description":"","entities":[{"name":"","id":"","fields":[{"name":""#,
    r#""type":"string","required":true,"unique":true,"example":""type":"int","required":true,"unique":true,"example":""#,
    r#""type":"long","required":true,"unique":true,"example":""type":"double","required":true,"unique":true,"example":""#,
    r#""type":"decimal","required":true,"unique":true,"example":""type":"bool","required":true,"unique":true,"example":""#,
    r#""type":"date","required":true,"unique":true,"example":""type":"objectId","required":true,"unique":true,"example":""#,
    r#""type":"uuid","required":true,"unique":true,"example":""type":"binary","required":true,"unique":true,"example":""#,
    r#""generator":"name"},"generator":"firstName"},"generator":"lastName"},"generator":"email"},"generator":"username"},"#,
    r#""generator":"city"},"generator":"country"},"generator":"phone"},"generator":"url"},"generator":"word"},"#,
    r#""generator":"tag"},"generator":"title"},"generator":"sentence"},"generator":"paragraph"},"#,
    r#""generator":"timestamp"},"generator":"age"},"generator":"price"},"generator":"quantity"},"generator":"status"},"#,
    r#""generator":"uuid"},"generator":"objectId"},"generator":"sequence"},"generator":"company"},"generator":"sku"},"#,
    r#""generator":"temperature"},"default":"now"},{"name":"createdAt","type":"date","generator":"timestamp","default":"now"}],"volume":1000}],"#,
    r#"{"array":"string"},{"object":[{"name":"{"ref":""#,
    r#""relationships":[{"from":"","to":"","cardinality":"oneToOne","cardinality":"oneToFew","cardinality":"manyToMany","#,
    r#""cardinality":"oneToMany","expectedCount":10,"readTogether":true,"field":"","embed":false}],"#,
    r#""range":"","sort":{"field":"createdAt","order":"desc"},"pageSize":20,"fields":[""],"caseInsensitive":true,"#,
    r#""update":"increment","update":"push","condition":{"field":"","op":"ge","value":0},"transactional":true,"consistency":"strong"}],"#,
    r#"{"name":"","entity":"","kind":"count","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"textSearch","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"delete","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"update","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"insert","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"list","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"getOne","equality":["id"],"requestsPerSecond":10},"#,
    r#""accessPatterns":[{"name":"Get "mongo":{"collections":{}},"dynamo":{"tableName":"app-data","partitionKey":"PK","sortKey":"SK","#,
    r#""keyTemplates":{"pk":"","sk":""},"indexes":[{"name":"","partitionKey":"","sortKey":"","local":true}],"#,
    r#""billingMode":"provisioned"},"positions":{"x":0,"y":0}}"#,
);

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
    /// The fragment does not start with a format version this build reads.
    UnknownVersion,
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
            ShareError::UnknownVersion => write!(
                f,
                "the share link was made by another version of schemaplay, or is not a schemaplay link"
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
    let flags = create_comp_flags_from_zip_params(10, -15, 0);
    let mut compressor = CompressorOxide::new(flags);
    // Priming: the dictionary goes through the compressor first and its output is dropped; a
    // sync flush ends it on a byte boundary, so the design's blocks stand alone.
    let (status, _) = compress_to_output(
        &mut compressor,
        DICTIONARY.as_bytes(),
        TDEFLFlush::Sync,
        |_| true,
    );
    let mut out = Vec::new();
    let (status, _) = match status {
        TDEFLStatus::Okay => compress_to_output(
            &mut compressor,
            design_json.as_bytes(),
            TDEFLFlush::Finish,
            |bytes| {
                out.extend_from_slice(bytes);
                true
            },
        ),
        other => (other, 0),
    };
    if status != TDEFLStatus::Done {
        // The in-memory compressor has no failure mode for valid input; should one appear,
        // an unprimed stream still decodes (it never refers back into the dictionary).
        out = miniz_oxide::deflate::compress_to_vec(design_json.as_bytes(), 10);
    }
    format!("{VERSION}{}", URL_SAFE_NO_PAD.encode(out))
}

/// The share fragment of a design: its JSON without the keys that only repeat a default (the
/// design reads back equal without them), compressed by [`encode`].
pub fn encode_design(design: &Design) -> String {
    let full = serde_json::to_value(design).unwrap_or_default();
    let mut lean = full.clone();
    prune_defaults(&mut lean);
    let lean_text = lean.to_string();
    let text = match Design::from_json_unchecked(&lean_text) {
        Ok(back) if back == *design => lean_text,
        _ => full.to_string(),
    };
    encode(&text)
}

/// Drops keys whose value is what reading an absent key gives anyway.
fn prune_defaults(value: &mut serde_json::Value) {
    let defaults = serde_json::to_value(Design::default()).unwrap_or_default();
    let Some(map) = value.as_object_mut() else {
        return;
    };
    if map.get("mongo") == defaults.get("mongo") {
        map.remove("mongo");
    }
    if let Some(dynamo) = map.get_mut("dynamo").and_then(|d| d.as_object_mut()) {
        if dynamo.get("billingMode") == defaults.pointer("/dynamo/billingMode") {
            dynamo.remove("billingMode");
        }
    }
    if let Some(patterns) = map.get_mut("accessPatterns").and_then(|p| p.as_array_mut()) {
        for pattern in patterns.iter_mut().filter_map(|p| p.as_object_mut()) {
            if pattern.get("consistency").and_then(|c| c.as_str()) == Some("eventual") {
                pattern.remove("consistency");
            }
        }
    }
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
    let mut chars = fragment.chars();
    if chars.next() != Some(VERSION) {
        return Err(ShareError::UnknownVersion);
    }
    let compressed = URL_SAFE_NO_PAD
        .decode(chars.as_str())
        .map_err(|_| ShareError::InvalidLength)?;
    // The dictionary as a stored block (not final), then the payload: the inflater's window
    // holds the dictionary when the payload's matches refer back into it.
    let dictionary = DICTIONARY.as_bytes();
    let len = dictionary.len() as u16;
    let mut stream = Vec::with_capacity(5 + dictionary.len() + compressed.len());
    stream.push(0);
    stream.extend_from_slice(&len.to_le_bytes());
    stream.extend_from_slice(&(!len).to_le_bytes());
    stream.extend_from_slice(dictionary);
    stream.extend_from_slice(&compressed);
    let limit = MAX_INFLATED_BYTES + dictionary.len();
    let mut bytes =
        inflate::decompress_to_vec_with_limit(&stream, limit).map_err(|err| match err.status {
            TINFLStatus::HasMoreOutput => ShareError::TooLarge {
                limit: MAX_INFLATED_BYTES,
            },
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                ShareError::Truncated
            }
            _ => ShareError::Corrupt,
        })?;
    bytes.drain(..dictionary.len().min(bytes.len()));
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
        format!(
            "{VERSION}{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(bytes, 9))
        )
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
            "1A",
            expect![
                "error: the share link has a length no encoder produces: it was probably cut off"
            ],
        );
        check(
            "garbage-fragment",
            expect!["error: the share link was made by another version of schemaplay, or is not a schemaplay link"],
        );
        check(
            "1garbage-fragment",
            expect!["error: the share link is damaged: its data is not a compressed design"],
        );
    }

    #[test]
    fn rejects_truncated_links() {
        let full = encode(
            r#"{"name":"a design long enough to span a few deflate symbols","entities":[]}"#,
        );
        // Cut after whole base64 quads, so the text itself still decodes.
        let cut = &full[..1 + (full.len() / 2) / 4 * 4];
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

    #[test]
    fn examples_round_trip_and_the_users_example_is_short() {
        for example in crate::examples::all() {
            let fragment = encode_design(&example.design);
            let back = decode(&fragment).map(|text| Design::from_json_unchecked(&text));
            assert_eq!(back, Ok(Ok(example.design.clone())), "{}", example.id);
            if example.id == "user-app" {
                assert!(fragment.len() <= 1000, "{} characters", fragment.len());
            }
        }
    }

    #[test]
    fn rejects_other_versions() {
        check(
            &format!("2{}", &encode("{}")[1..]),
            expect!["error: the share link was made by another version of schemaplay, or is not a schemaplay link"],
        );
    }
}
