//! Expression attribute names: `#name` for reserved words and names that are
//! not plain identifiers.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::names;

/// Expression attribute names: `#name` for reserved words, the plain name otherwise.
#[derive(Default)]
pub(super) struct Names {
    pub(super) map: Vec<(String, String)>,
}

impl Names {
    pub(super) fn name(&mut self, attr: &str) -> String {
        if is_reserved(attr) || !attr.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            let key = format!("#{}", names::camel(attr));
            if !self.map.iter().any(|(k, _)| *k == key) {
                self.map.push((key.clone(), attr.to_string()));
            }
            key
        } else {
            attr.to_string()
        }
    }

    pub(super) fn path(&mut self, path: &str) -> String {
        path.split('.')
            .map(|p| self.name(p))
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// Whether DynamoDB reserves the word in expressions (letter case aside).
pub fn is_reserved(word: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        include_str!("reserved_words.txt")
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect()
    });
    // Every reserved word is ASCII letters (and `_`): anything else is none of them.
    word.len() <= 32 && words.contains(word.to_ascii_uppercase().as_str())
}
