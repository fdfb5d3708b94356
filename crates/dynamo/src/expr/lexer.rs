//! The one lexer of all five expression kinds.

/// A token and the byte range it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: Tok,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A bare word: attribute name, keyword or function name.
    Ident(String),
    /// `#name`, with the `#`.
    NameRef(String),
    /// `:value`, with the `:`.
    ValueRef(String),
    /// An unsigned integer (only meaningful as a list index).
    Int(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
}

/// Splits `src` into tokens; `Err` carries the offending character's byte offset.
pub fn lex(src: &str) -> Result<Vec<Token>, usize> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let start = i;
        let word_end = |from: usize| {
            let mut j = from;
            while bytes
                .get(j)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                j += 1;
            }
            j
        };
        let kind = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => single(&mut i, Tok::LParen),
            b')' => single(&mut i, Tok::RParen),
            b'[' => single(&mut i, Tok::LBracket),
            b']' => single(&mut i, Tok::RBracket),
            b',' => single(&mut i, Tok::Comma),
            b'.' => single(&mut i, Tok::Dot),
            b'+' => single(&mut i, Tok::Plus),
            b'-' => single(&mut i, Tok::Minus),
            b'=' => single(&mut i, Tok::Eq),
            b'<' => match bytes.get(i + 1) {
                Some(b'=') => double(&mut i, Tok::Le),
                Some(b'>') => double(&mut i, Tok::Ne),
                _ => single(&mut i, Tok::Lt),
            },
            b'>' => match bytes.get(i + 1) {
                Some(b'=') => double(&mut i, Tok::Ge),
                _ => single(&mut i, Tok::Gt),
            },
            b'#' | b':' => {
                let j = word_end(i + 1);
                if j == i + 1 {
                    return Err(i);
                }
                let text = src.get(i..j).unwrap_or_default().to_string();
                i = j;
                if c == b'#' {
                    Tok::NameRef(text)
                } else {
                    Tok::ValueRef(text)
                }
            }
            b'0'..=b'9' => {
                let mut j = i;
                while bytes.get(j).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                }
                let text = src.get(i..j).unwrap_or_default().to_string();
                i = j;
                Tok::Int(text)
            }
            c if c.is_ascii_alphabetic() => {
                let j = word_end(i);
                let text = src.get(i..j).unwrap_or_default().to_string();
                i = j;
                Tok::Ident(text)
            }
            _ => return Err(i),
        };
        out.push(Token {
            kind,
            start,
            end: i,
        });
    }
    Ok(out)
}

fn single(i: &mut usize, t: Tok) -> Tok {
    *i += 1;
    t
}

fn double(i: &mut usize, t: Tok) -> Tok {
    *i += 2;
    t
}
