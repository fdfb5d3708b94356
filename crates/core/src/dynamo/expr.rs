//! Expression attribute names: `#name` for reserved words and names that are
//! not plain identifiers.

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

/// Whether DynamoDB reserves the word in expressions.
pub fn is_reserved(word: &str) -> bool {
    const WORDS: &str = include_str!("reserved_words.txt");
    let upper = word.to_ascii_uppercase();
    WORDS.lines().any(|w| w.trim() == upper)
}
