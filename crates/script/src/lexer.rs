//! The lexer: source text to tokens, each with its line and column and whether a line break
//! came before it (what automatic semicolon insertion needs).
//!
//! A slash starts a regular expression where JavaScript lexes one: where an expression may
//! begin (after an operator, `(`, `,`, `:`, `[`, `{`, a keyword such as `return` or `await`, or
//! at the start), and is division elsewhere (after a name, a literal, `)`, `]` or `}`).
//! A template literal's `${...}` parts are lexed into their own token lists, which the parser
//! parses as expressions. An unreadable character or an unterminated literal becomes an
//! [`Tok::Error`] token, so the parser reports it at its position and goes on with the next
//! statement.

use crate::ast::Pos;

/// How deeply template literals may nest inside each other's `${...}`.
const MAX_TEMPLATE_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name or a keyword (the parser tells them apart).
    Ident(String),
    Num(f64),
    Str(String),
    /// The cooked text parts and, between them, the tokens of each `${...}`.
    Template {
        quasis: Vec<String>,
        exprs: Vec<Vec<Token>>,
    },
    Regex {
        pattern: String,
        flags: String,
    },
    /// An operator or punctuation mark, longest match first.
    Punct(&'static str),
    /// Text the lexer could not read, with the reason.
    Error(String),
    /// An AWS CLI command: a line starting with `aws dynamodb`, read as the shell reads it
    /// (see [`crate::aws_cli`]).
    Cli(crate::aws_cli::Command),
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
    /// A line break (or a comment containing one) separates this token from the previous one.
    pub newline_before: bool,
    /// The line of the token's last character (a template literal or a continued AWS CLI
    /// command ends on a later line than it starts).
    pub end_line: u32,
}

const PUNCTS: &[&str] = &[
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "=>", "==", "!=", "<=", ">=", "&&",
    "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>",
    "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "!",
    "~", "?", ":", "=", ".", "@", "#",
];

/// Keywords after which a `/` starts a regular expression rather than a division.
const REGEX_AFTER_KEYWORD: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "await",
    "yield",
];

pub fn lex(source: &str) -> Vec<Token> {
    let mut lx = Lexer {
        chars: source.chars().collect(),
        at: 0,
        line: 1,
        col: 1,
    };
    let mut out = lx.tokens(0, false);
    let pos = lx.pos();
    out.push(Token {
        tok: Tok::Eof,
        pos,
        newline_before: true,
        end_line: pos.line,
    });
    out
}

struct Lexer {
    chars: Vec<char>,
    at: usize,
    line: u32,
    col: u32,
}

impl Lexer {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.col,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// The line of the last character read (the line before, when that character is a line
    /// break).
    fn last_line(&self) -> u32 {
        match self.at.checked_sub(1).and_then(|i| self.chars.get(i)) {
            Some('\n') => self.line.saturating_sub(1).max(1),
            _ => self.line,
        }
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.at + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.at).copied()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    /// Skips white space and comments; returns whether a line break was among them, or the
    /// error of an unterminated block comment.
    fn skip_trivia(&mut self) -> Result<bool, (Pos, String)> {
        let mut newline = false;
        loop {
            match self.peek() {
                Some('\n' | '\u{2028}' | '\u{2029}') => {
                    newline = true;
                    self.bump();
                }
                Some(c) if c.is_whitespace() || c == '\u{feff}' => {
                    self.bump();
                }
                Some('/') if self.peek_at(1) == Some('/') => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.bump();
                    }
                }
                Some('/') if self.peek_at(1) == Some('*') => {
                    let start = self.pos();
                    self.bump();
                    self.bump();
                    loop {
                        match self.peek() {
                            None => return Err((start, "unterminated comment".into())),
                            Some('*') if self.peek_at(1) == Some('/') => {
                                self.bump();
                                self.bump();
                                break;
                            }
                            Some(c) => {
                                if c == '\n' {
                                    newline = true;
                                }
                                self.bump();
                            }
                        }
                    }
                }
                // A `#!` line at the very start (a script run as a program).
                Some('#') if self.at == 0 && self.peek_at(1) == Some('!') => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.bump();
                    }
                }
                _ => return Ok(newline),
            }
        }
    }

    /// Lexes tokens until the end, or (inside a template's `${`) until its closing `}`.
    fn tokens(&mut self, depth: usize, in_template: bool) -> Vec<Token> {
        let mut out: Vec<Token> = Vec::new();
        let mut braces = 0usize;
        loop {
            let newline_before = match self.skip_trivia() {
                Ok(n) => n,
                Err((pos, message)) => {
                    out.push(Token {
                        tok: Tok::Error(message),
                        pos,
                        newline_before: true,
                        end_line: self.line,
                    });
                    return out;
                }
            };
            let pos = self.pos();
            let Some(c) = self.peek() else {
                if in_template {
                    out.push(Token {
                        tok: Tok::Error("unterminated template literal".into()),
                        pos,
                        newline_before,
                        end_line: self.line,
                    });
                }
                return out;
            };
            if in_template && c == '}' && braces == 0 {
                self.bump();
                return out;
            }
            let regex_ok = regex_allowed(out.last());
            let tok = if c.is_ascii_digit()
                || (c == '.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit()))
            {
                self.number()
            } else if c == '"' || c == '\'' {
                self.string(c)
            } else if c == '`' {
                self.template(depth)
            } else if c == '/' && regex_ok {
                self.regex()
            } else if !in_template
                && (newline_before || out.is_empty())
                && crate::aws_cli::starts_command(self.chars.get(self.at..).unwrap_or_default())
            {
                let rest = self.chars.get(self.at..).unwrap_or_default();
                let (command, len) = crate::aws_cli::split(rest, pos);
                for _ in 0..len {
                    self.bump();
                }
                Tok::Cli(command)
            } else if is_ident_start(c) || c == '\\' {
                self.ident()
            } else if let Some(p) = self.punct() {
                if in_template {
                    match p {
                        "{" => braces += 1,
                        "}" => braces = braces.saturating_sub(1),
                        _ => {}
                    }
                }
                Tok::Punct(p)
            } else {
                self.bump();
                Tok::Error(format!("Invalid or unexpected token '{c}'"))
            };
            out.push(Token {
                tok,
                pos,
                newline_before,
                end_line: self.last_line(),
            });
        }
    }

    fn punct(&mut self) -> Option<&'static str> {
        for p in PUNCTS {
            if p.chars()
                .enumerate()
                .all(|(i, c)| self.peek_at(i) == Some(c))
            {
                // `?.` followed by a digit is `?` then a number (`a ?.5 : 1`).
                if *p == "?." && self.peek_at(2).is_some_and(|d| d.is_ascii_digit()) {
                    continue;
                }
                for _ in 0..p.chars().count() {
                    self.bump();
                }
                return Some(p);
            }
        }
        None
    }

    fn ident(&mut self) -> Tok {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if is_ident_part(c) {
                name.push(c);
                self.bump();
            } else if c == '\\' {
                return self.error_to_boundary("unicode escapes in names are outside the subset");
            } else {
                break;
            }
        }
        Tok::Ident(name)
    }

    /// Skips to the end of the current word and reports `message`.
    fn error_to_boundary(&mut self, message: &str) -> Tok {
        while let Some(c) = self.peek() {
            if c.is_whitespace() || "(){}[];,".contains(c) {
                break;
            }
            self.bump();
        }
        Tok::Error(message.into())
    }

    fn number(&mut self) -> Tok {
        let radix = match (self.peek(), self.peek_at(1)) {
            (Some('0'), Some('x' | 'X')) => 16,
            (Some('0'), Some('o' | 'O')) => 8,
            (Some('0'), Some('b' | 'B')) => 2,
            _ => 10,
        };
        let mut text = String::new();
        if radix != 10 {
            self.bump();
            self.bump();
            while let Some(c) = self.peek() {
                if c.is_digit(radix) {
                    text.push(c);
                } else if c != '_' {
                    break;
                }
                self.bump();
            }
            if text.is_empty() {
                return self.error_to_boundary("Invalid or unexpected token");
            }
            if self.peek() == Some('n') {
                self.bump();
                return Tok::Error("BigInt literals (123n) are outside the subset".into());
            }
            if self.peek().is_some_and(is_ident_part) {
                return self.error_to_boundary("Invalid or unexpected token");
            }
            let value = text.chars().fold(0f64, |acc, c| {
                acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
            });
            return Tok::Num(value);
        }
        let digits = |lx: &mut Lexer, text: &mut String| {
            while let Some(c) = lx.peek() {
                if c.is_ascii_digit() {
                    text.push(c);
                } else if c != '_' || !lx.peek_at(1).is_some_and(|d| d.is_ascii_digit()) {
                    break;
                }
                lx.bump();
            }
        };
        digits(self, &mut text);
        if self.peek() == Some('.') {
            text.push('.');
            self.bump();
            digits(self, &mut text);
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let sign = self.peek_at(1);
            let after = if matches!(sign, Some('+' | '-')) {
                self.peek_at(2)
            } else {
                sign
            };
            if after.is_some_and(|d| d.is_ascii_digit()) {
                text.push('e');
                self.bump();
                if let Some(s @ ('+' | '-')) = self.peek() {
                    text.push(s);
                    self.bump();
                }
                digits(self, &mut text);
            }
        }
        if self.peek() == Some('n') {
            self.bump();
            return Tok::Error("BigInt literals (123n) are outside the subset".into());
        }
        if self.peek().is_some_and(is_ident_part) {
            return self.error_to_boundary("Invalid or unexpected token");
        }
        match text.parse::<f64>() {
            Ok(v) => Tok::Num(v),
            Err(_) => Tok::Error(format!("Invalid number '{text}'")),
        }
    }

    /// Reads an escape after the backslash; `None` for a line continuation.
    fn escape(&mut self) -> Result<Option<char>, String> {
        let Some(c) = self.bump() else {
            return Err("Invalid or unexpected token".into());
        };
        Ok(Some(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            '0' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => '\0',
            '\n' | '\u{2028}' | '\u{2029}' => return Ok(None),
            '\r' => {
                if self.peek() == Some('\n') {
                    self.bump();
                }
                return Ok(None);
            }
            'x' => {
                let mut v = 0u32;
                for _ in 0..2 {
                    let d = self.bump().and_then(|d| d.to_digit(16));
                    v = v * 16 + d.ok_or("Invalid hexadecimal escape sequence")?;
                }
                char::from_u32(v).unwrap_or('\u{fffd}')
            }
            'u' => {
                let mut v = 0u32;
                if self.peek() == Some('{') {
                    self.bump();
                    let mut n = 0;
                    loop {
                        match self.bump() {
                            Some('}') if n > 0 => break,
                            Some(d) if d.is_ascii_hexdigit() && n < 6 => {
                                v = v * 16 + d.to_digit(16).unwrap_or(0);
                                n += 1;
                            }
                            _ => return Err("Invalid Unicode escape sequence".into()),
                        }
                    }
                } else {
                    for _ in 0..4 {
                        let d = self.bump().and_then(|d| d.to_digit(16));
                        v = v * 16 + d.ok_or("Invalid Unicode escape sequence")?;
                    }
                    // A surrogate pair written as two escapes.
                    if (0xD800..0xDC00).contains(&v)
                        && self.peek() == Some('\\')
                        && self.peek_at(1) == Some('u')
                    {
                        let low: Option<u32> = (2..6)
                            .map(|i| self.peek_at(i).and_then(|d| d.to_digit(16)))
                            .try_fold(0u32, |acc, d| d.map(|d| acc * 16 + d));
                        if let Some(low @ 0xDC00..=0xDFFF) = low {
                            for _ in 0..6 {
                                self.bump();
                            }
                            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00);
                        }
                    }
                }
                char::from_u32(v).unwrap_or('\u{fffd}')
            }
            other => other,
        }))
    }

    fn string(&mut self, quote: char) -> Tok {
        self.bump();
        let mut s = String::new();
        loop {
            match self.peek() {
                None | Some('\n') => {
                    return Tok::Error("Invalid or unexpected token: unterminated string".into())
                }
                Some(c) if c == quote => {
                    self.bump();
                    return Tok::Str(s);
                }
                Some('\\') => {
                    self.bump();
                    match self.escape() {
                        Ok(Some(c)) => s.push(c),
                        Ok(None) => {}
                        Err(e) => return Tok::Error(e),
                    }
                }
                Some(c) => {
                    s.push(c);
                    self.bump();
                }
            }
        }
    }

    fn template(&mut self, depth: usize) -> Tok {
        self.bump();
        let mut quasis = Vec::new();
        let mut exprs = Vec::new();
        let mut s = String::new();
        loop {
            match self.peek() {
                None => return Tok::Error("unterminated template literal".into()),
                Some('`') => {
                    self.bump();
                    quasis.push(s);
                    return Tok::Template { quasis, exprs };
                }
                Some('\\') => {
                    self.bump();
                    match self.escape() {
                        Ok(Some(c)) => s.push(c),
                        Ok(None) => {}
                        Err(e) => return Tok::Error(e),
                    }
                }
                Some('$') if self.peek_at(1) == Some('{') => {
                    if depth >= MAX_TEMPLATE_DEPTH {
                        return Tok::Error("template literals nest too deeply".into());
                    }
                    self.bump();
                    self.bump();
                    quasis.push(std::mem::take(&mut s));
                    let inner = self.tokens(depth + 1, true);
                    if let Some(Token {
                        tok: Tok::Error(e), ..
                    }) = inner.iter().find(|t| matches!(t.tok, Tok::Error(_)))
                    {
                        let e = e.clone();
                        // Skip the rest of the template so lexing resumes after it.
                        while let Some(c) = self.peek() {
                            self.bump();
                            if c == '`' {
                                break;
                            }
                        }
                        return Tok::Error(e);
                    }
                    exprs.push(inner);
                }
                Some('\r') => {
                    // Template literals normalise line endings to `\n`.
                    self.bump();
                    if self.peek() != Some('\n') {
                        s.push('\n');
                    }
                }
                Some(c) => {
                    s.push(c);
                    self.bump();
                }
            }
        }
    }

    fn regex(&mut self) -> Tok {
        self.bump();
        let mut pattern = String::new();
        let mut in_class = false;
        loop {
            match self.peek() {
                None | Some('\n') => {
                    return Tok::Error("Invalid regular expression: missing /".into())
                }
                Some('\\') => {
                    pattern.push('\\');
                    self.bump();
                    match self.peek() {
                        None | Some('\n') => {
                            return Tok::Error("Invalid regular expression: missing /".into())
                        }
                        Some(c) => {
                            pattern.push(c);
                            self.bump();
                        }
                    }
                }
                Some('/') if !in_class => {
                    self.bump();
                    break;
                }
                Some(c) => {
                    if c == '[' {
                        in_class = true;
                    } else if c == ']' {
                        in_class = false;
                    }
                    pattern.push(c);
                    self.bump();
                }
            }
        }
        let mut flags = String::new();
        while let Some(c) = self.peek() {
            if !is_ident_part(c) {
                break;
            }
            if !"dgimsuyv".contains(c) || flags.contains(c) {
                self.bump();
                return Tok::Error(format!("Invalid regular expression flags: '{flags}{c}'"));
            }
            flags.push(c);
            self.bump();
        }
        Tok::Regex { pattern, flags }
    }
}

fn is_ident_start(c: char) -> bool {
    c == '$' || c == '_' || c.is_alphabetic()
}

fn is_ident_part(c: char) -> bool {
    c == '$' || c == '_' || c.is_alphanumeric() || c == '\u{200c}' || c == '\u{200d}'
}

/// Whether a `/` after `prev` starts a regular expression.
fn regex_allowed(prev: Option<&Token>) -> bool {
    match prev.map(|t| &t.tok) {
        None => true,
        Some(Tok::Ident(name)) => REGEX_AFTER_KEYWORD.contains(&name.as_str()),
        Some(Tok::Num(_) | Tok::Str(_) | Tok::Template { .. } | Tok::Regex { .. }) => false,
        Some(Tok::Punct(p)) => !matches!(*p, ")" | "]" | "}" | "++" | "--"),
        Some(Tok::Error(_) | Tok::Eof | Tok::Cli(_)) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        lex(src).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn regex_where_an_expression_starts_division_after_a_value() {
        assert_eq!(
            kinds("x = a / b / c"),
            vec![
                Tok::Ident("x".into()),
                Tok::Punct("="),
                Tok::Ident("a".into()),
                Tok::Punct("/"),
                Tok::Ident("b".into()),
                Tok::Punct("/"),
                Tok::Ident("c".into()),
                Tok::Eof
            ]
        );
        assert_eq!(
            kinds("({ name: /^a[/]b/i })").get(4),
            Some(&Tok::Regex {
                pattern: "^a[/]b".into(),
                flags: "i".into()
            })
        );
    }

    #[test]
    fn numbers_in_every_notation() {
        assert_eq!(
            kinds("0x1F 1_000 1.5e3 .5 0b101 0o17"),
            vec![
                Tok::Num(31.0),
                Tok::Num(1000.0),
                Tok::Num(1500.0),
                Tok::Num(0.5),
                Tok::Num(5.0),
                Tok::Num(15.0),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn positions_and_line_breaks() {
        let toks = lex("a\n  /* x\n */ b");
        assert_eq!(
            toks.get(1)
                .map(|t| (t.pos.line, t.pos.column, t.newline_before)),
            Some((3, 5, true))
        );
    }

    #[test]
    fn template_parts_are_lexed_as_tokens() {
        let toks = kinds("`USER#${id}-${ {a:1}.a }`");
        let Some(Tok::Template { quasis, exprs }) = toks.first() else {
            panic!("not a template: {toks:?}");
        };
        assert_eq!(quasis, &vec!["USER#".to_string(), "-".into(), "".into()]);
        assert_eq!(exprs.len(), 2);
        assert_eq!(exprs.get(1).map(Vec::len), Some(7));
    }
}
