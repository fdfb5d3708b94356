//! Finding the line of a JSON text where a finding's path (`entities[2].fields[0].type`) starts,
//! so the JSON view can show each error at its line.

use std::collections::HashMap;

/// How deep the scan follows nested values; deeper ones keep their parent's line.
const MAX_DEPTH: usize = 64;

/// The 1-based line of every value path in a JSON text, as far as the text is well formed.
pub fn value_lines(text: &str) -> HashMap<String, usize> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        lines: HashMap::new(),
    };
    scanner.value(String::new(), 0);
    scanner.lines
}

/// The line of a path, or of its nearest ancestor that the text has (a missing key is reported
/// where its object starts); line 1 for the whole document.
pub fn line_of(lines: &HashMap<String, usize>, path: &str) -> usize {
    let mut path = path;
    loop {
        if let Some(line) = lines.get(path) {
            return *line;
        }
        match path.rfind(['.', '[']) {
            Some(cut) => path = &path[..cut],
            None => return 1,
        }
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    lines: HashMap<String, usize>,
}

impl Scanner<'_> {
    fn skip_space(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Scans one value; returns false when the text stops making sense.
    fn value(&mut self, path: String, depth: usize) -> bool {
        self.skip_space();
        self.lines.entry(path.clone()).or_insert(self.line);
        if depth > MAX_DEPTH {
            return false;
        }
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                loop {
                    self.skip_space();
                    match self.peek() {
                        Some(b'}') => {
                            self.pos += 1;
                            return true;
                        }
                        Some(b',') => self.pos += 1,
                        Some(b'"') => {
                            let Some(key) = self.string() else {
                                return false;
                            };
                            self.skip_space();
                            if self.peek() != Some(b':') {
                                return false;
                            }
                            self.pos += 1;
                            let child = if path.is_empty() {
                                key
                            } else {
                                format!("{path}.{key}")
                            };
                            if !self.value(child, depth + 1) {
                                return false;
                            }
                        }
                        _ => return false,
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut index = 0;
                loop {
                    self.skip_space();
                    match self.peek() {
                        Some(b']') => {
                            self.pos += 1;
                            return true;
                        }
                        Some(b',') => self.pos += 1,
                        Some(_) => {
                            if !self.value(format!("{path}[{index}]"), depth + 1) {
                                return false;
                            }
                            index += 1;
                        }
                        None => return false,
                    }
                }
            }
            Some(b'"') => self.string().is_some(),
            Some(_) => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace() {
                        break;
                    }
                    self.pos += 1;
                }
                true
            }
            None => false,
        }
    }

    fn string(&mut self) -> Option<String> {
        let start = self.pos + 1;
        self.pos += 1;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => self.pos += 2,
                b'"' => {
                    let raw = self.bytes.get(start..self.pos)?;
                    self.pos += 1;
                    return Some(String::from_utf8_lossy(raw).into_owned());
                }
                b'\n' => return None,
                _ => self.pos += 1,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    fn check(text: &str, paths: &[&str], expect: Expect) {
        let lines = value_lines(text);
        let shown: Vec<String> = paths
            .iter()
            .map(|p| format!("{p} -> {}", line_of(&lines, p)))
            .collect();
        expect.assert_eq(&shown.join("\n"));
    }

    #[test]
    fn finds_lines_of_paths() {
        let text = "{\n  \"name\": \"blog\",\n  \"entities\": [\n    {\n      \"name\": \"User\",\n      \"fields\": [\n        { \"name\": \"email\", \"type\": \"strng\" }\n      ]\n    }\n  ]\n}\n";
        check(
            text,
            &[
                "",
                "name",
                "entities[0]",
                "entities[0].fields[0].type",
                "entities[0].volume",
                "entities[3].name",
                "relationships[0].from",
            ],
            expect![[r#"
                 -> 1
                name -> 2
                entities[0] -> 4
                entities[0].fields[0].type -> 7
                entities[0].volume -> 4
                entities[3].name -> 3
                relationships[0].from -> 1"#]],
        );
    }

    #[test]
    fn survives_broken_text() {
        check(
            "{\n \"a\": [1,\n 2,\n \"unterminated",
            &["a[1]", "a[2]"],
            expect![[r#"
                a[1] -> 3
                a[2] -> 4"#]],
        );
        let deep = "[".repeat(10_000);
        check(&deep, &["[0][0]"], expect!["[0][0] -> 1"]);
    }
}
