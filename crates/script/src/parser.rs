//! The parser: tokens to statements, by recursive descent with precedence climbing for binary
//! operators.
//!
//! Statements end at `;`, or where JavaScript's automatic semicolon insertion ends them: before
//! a token that cannot continue the statement when a line break precedes it, before `}` and at
//! the end. A line starting with `(`, `[`, a template, `+`, `-` or `/` continues the previous
//! statement, as in JavaScript. A statement starting with `{` is an object literal (as the
//! DevTools console and mongosh read a pasted document), not a block.
//!
//! Anything outside the subset is an error naming the construct. After an error the parser
//! skips to the next statement (a `;` or a line break outside brackets, or a line starting with
//! `const`, `let`, `var` or `import`) and goes on, so each statement has its own outcome.

use crate::ast::*;
use crate::lexer::{Tok, Token};

/// How deeply brackets, parentheses, calls and unary operators may nest.
pub const MAX_NESTING: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub pos: Pos,
}

type PResult<T> = Result<T, SyntaxError>;

/// One statement of a script as parsed: where it starts, the line it ends on, and the
/// statement or the error that stopped it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub start: Pos,
    /// The line of the statement's last token (for a statement that failed to parse, the last
    /// token skipped with it).
    pub end_line: u32,
    pub stmt: PResult<Stmt>,
}

/// Parses a whole script: one entry per statement.
pub fn parse(source: &str) -> Vec<Parsed> {
    let tokens = crate::lexer::lex(source);
    let mut p = Parser {
        tokens,
        at: 0,
        depth: 0,
        functions: 0,
        loops: 0,
        blocks: 0,
    };
    let mut out = Vec::new();
    while !p.at_eof() {
        let start = p.at;
        let pos = p.peek().pos;
        let stmt = p.statement();
        if stmt.is_err() {
            p.recover(start);
        }
        p.depth = 0;
        p.functions = 0;
        p.loops = 0;
        p.blocks = 0;
        if p.at == start {
            // Never loop on a token no rule consumed.
            p.at += 1;
        }
        let end_line =
            p.at.checked_sub(1)
                .and_then(|last| p.tokens.get(last))
                .map_or(pos.line, |t| t.end_line)
                .max(pos.line);
        out.push(Parsed {
            start: pos,
            end_line,
            stmt,
        });
    }
    out
}

/// Parses the tokens of a template's `${...}` as one expression.
fn parse_embedded(tokens: Vec<Token>, depth: usize, at: Pos) -> PResult<Expr> {
    let mut tokens = tokens;
    let end = tokens.last().map_or(at, |t| t.pos);
    tokens.push(Token {
        tok: Tok::Eof,
        pos: end,
        newline_before: false,
        end_line: end.line,
    });
    let mut p = Parser {
        tokens,
        at: 0,
        depth,
        functions: 0,
        loops: 0,
        blocks: 0,
    };
    if p.at_eof() {
        return Err(SyntaxError {
            message: "Unexpected token '}' in template literal".into(),
            pos: at,
        });
    }
    let e = p.expression()?;
    if !p.at_eof() {
        return Err(p.unexpected());
    }
    Ok(e)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
    /// How many function bodies enclose the cursor (`return` needs one).
    functions: usize,
    /// How many loops enclose the cursor in the innermost function (`break` needs one).
    loops: usize,
    /// How many blocks enclose the cursor: a statement starting with `{` is a block inside
    /// one, and a pasted document at the top.
    blocks: usize,
}

/// What an error about a line that reads like prose adds.
const PROSE: &str = "; if this line is prose, comment it out with //";

/// Statements that exist in JavaScript but not in the subset, with how the error names them.
const UNSUPPORTED_STATEMENTS: &[(&str, &str)] = &[
    ("do", "`do ... while` loops"),
    ("switch", "`switch` statements"),
    ("class", "classes"),
    ("with", "`with` statements"),
    ("debugger", "`debugger`"),
    ("label", "labels"),
];

fn binary_op(tok: &Tok) -> Option<(BinaryOp, u8)> {
    let Tok::Punct(p) = tok else { return None };
    Some(match *p {
        "??" => (BinaryOp::Nullish, 1),
        "||" => (BinaryOp::Or, 2),
        "&&" => (BinaryOp::And, 3),
        "==" => (BinaryOp::Eq, 4),
        "!=" => (BinaryOp::Ne, 4),
        "===" => (BinaryOp::StrictEq, 4),
        "!==" => (BinaryOp::StrictNe, 4),
        "<" => (BinaryOp::Lt, 5),
        ">" => (BinaryOp::Gt, 5),
        "<=" => (BinaryOp::Le, 5),
        ">=" => (BinaryOp::Ge, 5),
        "+" => (BinaryOp::Add, 6),
        "-" => (BinaryOp::Sub, 6),
        "*" => (BinaryOp::Mul, 7),
        "/" => (BinaryOp::Div, 7),
        "%" => (BinaryOp::Rem, 7),
        _ => return None,
    })
}

/// Operators JavaScript has and the subset does not, with how the error names them.
fn unsupported_operator(tok: &Tok) -> Option<&'static str> {
    match tok {
        Tok::Punct(p) => Some(match *p {
            "&" | "|" | "^" | "<<" | ">>" | ">>>" => "bitwise operators",
            "+=" | "-=" | "*=" | "/=" | "%=" | "**=" | "&=" | "|=" | "^=" | "<<=" | ">>="
            | ">>>=" => "compound assignments (`+=`, `-=`, ...)",
            "++" | "--" => "increment and decrement operators (`++`, `--`)",
            _ => return None,
        }),
        Tok::Ident(k) if k == "instanceof" => Some("`instanceof`"),
        Tok::Ident(k) if k == "in" => Some("the `in` operator"),
        _ => None,
    }
}

impl Parser {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof, and `at` never passes it.
        let last = self.tokens.len().saturating_sub(1);
        &self.tokens[self.at.min(last)]
    }

    fn peek_at(&self, n: usize) -> Option<&Token> {
        self.tokens.get(self.at + n)
    }

    fn at_eof(&self) -> bool {
        matches!(self.peek().tok, Tok::Eof)
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if !self.at_eof() {
            self.at += 1;
        }
        t
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(&self.peek().tok, Tok::Punct(q) if *q == p)
    }

    fn is_ident(&self, name: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(n) if n == name)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_punct(&mut self, p: &str) -> PResult<Token> {
        if self.is_punct(p) {
            Ok(self.bump())
        } else {
            Err(self.unexpected())
        }
    }

    fn error(&self, message: impl Into<String>, pos: Pos) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            pos,
        }
    }

    fn outside(&self, what: &str, pos: Pos) -> SyntaxError {
        self.error(
            format!("{what} are outside the supported subset of JavaScript"),
            pos,
        )
        .singular(what)
    }

    /// The error for the current token, naming it as JavaScript does.
    fn unexpected(&self) -> SyntaxError {
        let t = self.peek();
        if let Some(what) = unsupported_operator(&t.tok) {
            return self.outside(what, t.pos);
        }
        let message = match &t.tok {
            Tok::Eof => "Unexpected end of input".to_string(),
            Tok::Error(e) => e.clone(),
            Tok::Ident(n) => format!("Unexpected identifier '{n}'"),
            Tok::Num(_) => "Unexpected number".into(),
            Tok::Str(_) => "Unexpected string".into(),
            Tok::Template { .. } => "Unexpected template string".into(),
            Tok::Regex { .. } => "Unexpected regular expression".into(),
            Tok::Punct(p) => format!("Unexpected token '{p}'"),
            Tok::Cli(_) => "Unexpected AWS CLI command: a line starting with `aws dynamodb` is a statement of its own".into(),
        };
        self.error(message, t.pos)
    }

    fn enter(&mut self, pos: Pos) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error(
                format!("the expression nests more than {MAX_NESTING} levels deep"),
                pos,
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Skips what is left of a failed statement (see the module documentation).
    fn recover(&mut self, start: usize) {
        let failed_at = self.at.max(start + 1);
        let mut depth: i64 = 0;
        let mut i = start;
        while let Some(t) = self.tokens.get(i) {
            if matches!(t.tok, Tok::Eof) {
                self.at = i;
                return;
            }
            if i >= failed_at && t.newline_before {
                let starts_statement = matches!(&t.tok, Tok::Ident(k) if matches!(k.as_str(), "const" | "let" | "var" | "import"))
                    || matches!(t.tok, Tok::Cli(_));
                if depth <= 0 || starts_statement {
                    self.at = i;
                    return;
                }
            }
            match &t.tok {
                Tok::Punct("(" | "[" | "{") => depth += 1,
                Tok::Punct(")" | "]" | "}") => depth -= 1,
                Tok::Punct(";") if depth <= 0 && i >= failed_at.saturating_sub(1) => {
                    self.at = i + 1;
                    return;
                }
                _ => {}
            }
            i += 1;
        }
        self.at = self.tokens.len().saturating_sub(1);
    }

    /// Ends a statement at `;`, or where automatic semicolon insertion ends it.
    fn end_statement(&mut self) -> PResult<()> {
        if self.eat_punct(";") {
            return Ok(());
        }
        let t = self.peek();
        if matches!(t.tok, Tok::Eof) || t.newline_before || matches!(t.tok, Tok::Punct("}")) {
            return Ok(());
        }
        Err(self.unexpected())
    }

    fn statement(&mut self) -> PResult<Stmt> {
        let t = self.peek().clone();
        let pos = t.pos;
        if let Tok::Error(_) = t.tok {
            return Err(self.unexpected());
        }
        if self.eat_punct(";") {
            return Ok(Stmt {
                pos,
                kind: StmtKind::Empty,
            });
        }
        if let Tok::Cli(command) = t.tok {
            self.bump();
            self.end_statement()?;
            return Ok(Stmt {
                pos,
                kind: StmtKind::Cli(command),
            });
        }
        if let Tok::Ident(word) = &t.tok {
            match word.as_str() {
                "const" | "let" | "var" => return self.declaration(),
                "while" => return self.while_loop(pos),
                "if" => return self.if_statement(pos),
                "for" => return self.for_loop(pos),
                "try" => return self.try_statement(pos),
                "throw" => return self.throw_statement(pos),
                "return" => return self.return_statement(pos),
                "break" | "continue" => return self.jump(word == "break", pos),
                "function" => return self.function_declaration(pos, false),
                "async"
                    if self.peek_at(1).is_some_and(|n| {
                        !n.newline_before && matches!(&n.tok, Tok::Ident(f) if f == "function")
                    }) =>
                {
                    self.bump();
                    return self.function_declaration(pos, true);
                }
                "export" => return self.export(),
                "import" => {
                    if matches!(self.peek_at(1).map(|t| &t.tok), Some(Tok::Punct("(" | "."))) {
                        return Err(self.outside("dynamic `import()`", pos));
                    }
                    return self.import();
                }
                "show" | "use" => {
                    if let Some(s) = self.shell_command(word)? {
                        return Ok(s);
                    }
                }
                _ => {
                    if let Some((_, what)) = UNSUPPORTED_STATEMENTS.iter().find(|(k, _)| k == word)
                    {
                        return Err(self.outside(what, pos));
                    }
                    // `name:` at the start of a statement is a label; pasted prose
                    // (`GSI: EmailIndex`) reads as one.
                    if matches!(self.peek_at(1).map(|t| &t.tok), Some(Tok::Punct(":"))) {
                        return Err(self.error(
                            format!("`{word}:` starts a label, and labels are outside the supported subset of JavaScript{PROSE}"),
                            pos,
                        ));
                    }
                    // Two names in a row start no statement (`Partition Key: email`).
                    if let Some(next) = self.peek_at(1) {
                        if let Tok::Ident(second) = &next.tok {
                            let joins = matches!(
                                word.as_str(),
                                "await" | "typeof" | "new" | "delete" | "void" | "yield" | "async"
                            ) || matches!(second.as_str(), "in" | "instanceof" | "of");
                            if !next.newline_before && !joins {
                                return Err(self.error(
                                    format!("Unexpected identifier '{second}': a statement cannot start with two names (`{word} {second}`){PROSE}"),
                                    next.pos,
                                ));
                            }
                        }
                    }
                }
            }
        }
        if self.blocks > 0 && self.is_punct("{") {
            let body = self.block()?;
            return Ok(Stmt {
                pos,
                kind: StmtKind::Block(body),
            });
        }
        if let Some(update) = self.update_statement(pos)? {
            return Ok(update);
        }
        let expr = self.expression()?;
        if self.is_punct("=") {
            let eq = self.peek().pos;
            return match expr.kind {
                ExprKind::Ident(name) => {
                    self.bump();
                    let value = self.assignment()?;
                    self.end_statement()?;
                    Ok(Stmt {
                        pos,
                        kind: StmtKind::Assign { name, value },
                    })
                }
                ExprKind::Member { .. } | ExprKind::Index { .. } => Err(self.outside(
                    &format!("assignments to members (`{} = ...`)", expr.describe()),
                    eq,
                )),
                _ => Err(self.error("Invalid left-hand side in assignment", eq)),
            };
        }
        self.end_statement()?;
        Ok(Stmt {
            pos,
            kind: StmtKind::Expr(expr),
        })
    }

    /// `show <what>` and `use <db>` of the mongo shell, when written as such: the word, then a
    /// name on the same line, then the end of the statement.
    fn shell_command(&mut self, word: &str) -> PResult<Option<Stmt>> {
        let (Some(arg), after) = (self.peek_at(1), self.peek_at(2)) else {
            return Ok(None);
        };
        let Tok::Ident(name) = &arg.tok else {
            return Ok(None);
        };
        if arg.newline_before {
            return Ok(None);
        }
        let ends = match after.map(|t| (&t.tok, t.newline_before)) {
            None | Some((Tok::Eof, _)) | Some((_, true)) | Some((Tok::Punct(";"), _)) => true,
            Some((Tok::Ident(_), false)) if word == "show" => {
                // `show profile` takes no argument; `show log <name>` does.
                false
            }
            _ => false,
        };
        if !ends {
            return Ok(None);
        }
        let pos = self.peek().pos;
        let command = word.to_string();
        let arg = name.clone();
        self.bump();
        self.bump();
        self.end_statement()?;
        Ok(Some(Stmt {
            pos,
            kind: StmtKind::Shell {
                command,
                arg: Some(arg),
            },
        }))
    }

    fn ident_name(&mut self) -> PResult<String> {
        match &self.peek().tok {
            Tok::Ident(n) => {
                let n = n.clone();
                self.bump();
                Ok(n)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn binding_name(&mut self) -> PResult<String> {
        let pos = self.peek().pos;
        let name = self.ident_name()?;
        if is_reserved(&name) {
            return Err(self.error(format!("Unexpected token '{name}'"), pos));
        }
        Ok(name)
    }

    /// `while (test) { statements }`: the braces are required (a body of one statement
    /// without them is outside the subset), and each statement of the body ends as a
    /// statement does.
    fn while_loop(&mut self, pos: Pos) -> PResult<Stmt> {
        self.bump();
        self.enter(pos)?;
        self.expect_punct("(")?;
        let test = self.expression()?;
        self.expect_punct(")")?;
        let body = self.loop_body()?;
        self.leave();
        Ok(Stmt {
            pos,
            kind: StmtKind::While { test, body },
        })
    }

    /// `{ statements }`: a block's statements, through its `}`.
    fn block(&mut self) -> PResult<Vec<Stmt>> {
        let open = self.expect_punct("{")?;
        self.enter(open.pos)?;
        self.blocks += 1;
        let mut body = Vec::new();
        while !self.eat_punct("}") {
            if self.at_eof() {
                return Err(self.unexpected());
            }
            body.push(self.statement()?);
        }
        self.blocks -= 1;
        self.leave();
        Ok(body)
    }

    /// The body of an `if`, `else` or loop: a block, or one statement.
    fn body(&mut self) -> PResult<Vec<Stmt>> {
        if self.is_punct("{") {
            return self.block();
        }
        let pos = self.peek().pos;
        self.enter(pos)?;
        self.blocks += 1;
        let stmt = self.statement()?;
        self.blocks -= 1;
        self.leave();
        Ok(vec![stmt])
    }

    /// A loop's body, inside which `break` and `continue` are allowed.
    fn loop_body(&mut self) -> PResult<Vec<Stmt>> {
        self.loops += 1;
        let body = self.body();
        self.loops -= 1;
        body
    }

    fn parenthesized(&mut self) -> PResult<Expr> {
        self.expect_punct("(")?;
        let e = self.expression()?;
        self.expect_punct(")")?;
        Ok(e)
    }

    fn if_statement(&mut self, pos: Pos) -> PResult<Stmt> {
        self.bump();
        let test = self.parenthesized()?;
        let then = self.body()?;
        let otherwise = if self.is_ident("else") {
            self.bump();
            Some(self.body()?)
        } else {
            None
        };
        Ok(Stmt {
            pos,
            kind: StmtKind::If {
                test,
                then,
                otherwise,
            },
        })
    }

    /// `for (const x of xs)`, `for await (const x of xs)` and `for (init; test; update)`.
    fn for_loop(&mut self, pos: Pos) -> PResult<Stmt> {
        self.bump();
        if self.is_ident("await") {
            self.bump();
        }
        self.expect_punct("(")?;
        let decl = match &self.peek().tok {
            Tok::Ident(k) if k == "const" => Some(DeclKind::Const),
            Tok::Ident(k) if k == "let" => Some(DeclKind::Let),
            Tok::Ident(k) if k == "var" => Some(DeclKind::Var),
            _ => None,
        };
        // `for (const x of xs)` and `for (const { a, b } of xs)`.
        let of = matches!(
            (self.peek_at(1).map(|t| &t.tok), self.peek_at(2).map(|t| &t.tok)),
            (Some(Tok::Ident(_)), Some(Tok::Ident(o))) if o == "of" || o == "in"
        ) || self
            .peek_at(1)
            .is_some_and(|t| matches!(t.tok, Tok::Punct("{" | "[")));
        if let (Some(kind), true) = (decl, of) {
            self.bump();
            let pattern = self.pattern()?;
            if self.is_ident("in") {
                return Err(self.outside("`for ... in` loops", self.peek().pos));
            }
            if !self.is_ident("of") {
                return Err(self.unexpected());
            }
            self.bump();
            let iterable = self.assignment()?;
            self.expect_punct(")")?;
            let body = self.loop_body()?;
            return Ok(Stmt {
                pos,
                kind: StmtKind::ForOf {
                    kind,
                    pattern,
                    iterable,
                    body,
                },
            });
        }
        // The three-part form; each part is optional.
        let init = if self.eat_punct(";") {
            None
        } else {
            let s = self.statement()?;
            Some(Box::new(s))
        };
        let test = if self.is_punct(";") {
            None
        } else {
            Some(self.expression()?)
        };
        self.expect_punct(";")?;
        let update = if self.is_punct(")") {
            None
        } else {
            let upos = self.peek().pos;
            match self.update_statement(upos)? {
                Some(u) => Some(Box::new(u)),
                None => {
                    let e = self.expression()?;
                    Some(Box::new(Stmt {
                        pos: upos,
                        kind: StmtKind::Expr(e),
                    }))
                }
            }
        };
        self.expect_punct(")")?;
        let body = self.loop_body()?;
        Ok(Stmt {
            pos,
            kind: StmtKind::For {
                init,
                test,
                update,
                body,
            },
        })
    }

    fn try_statement(&mut self, pos: Pos) -> PResult<Stmt> {
        self.bump();
        let block = self.block()?;
        let handler = if self.is_ident("catch") {
            self.bump();
            let param = if self.eat_punct("(") {
                let p = self.pattern()?;
                self.expect_punct(")")?;
                Some(p)
            } else {
                None
            };
            Some((param, self.block()?))
        } else {
            None
        };
        let finalizer = if self.is_ident("finally") {
            self.bump();
            Some(self.block()?)
        } else {
            None
        };
        if handler.is_none() && finalizer.is_none() {
            return Err(self.error("Missing catch or finally after try", self.peek().pos));
        }
        Ok(Stmt {
            pos,
            kind: StmtKind::Try {
                block,
                handler,
                finalizer,
            },
        })
    }

    fn throw_statement(&mut self, pos: Pos) -> PResult<Stmt> {
        self.bump();
        if self.peek().newline_before || self.at_eof() {
            return Err(self.error("Illegal newline after throw", self.peek().pos));
        }
        let value = self.expression()?;
        self.end_statement()?;
        Ok(Stmt {
            pos,
            kind: StmtKind::Throw(value),
        })
    }

    fn return_statement(&mut self, pos: Pos) -> PResult<Stmt> {
        if self.functions == 0 {
            return Err(self.error("Illegal return statement", pos));
        }
        self.bump();
        let t = self.peek();
        let value = if t.newline_before || matches!(t.tok, Tok::Eof | Tok::Punct(";" | "}")) {
            None
        } else {
            Some(self.expression()?)
        };
        self.end_statement()?;
        Ok(Stmt {
            pos,
            kind: StmtKind::Return(value),
        })
    }

    fn jump(&mut self, is_break: bool, pos: Pos) -> PResult<Stmt> {
        if self.loops == 0 {
            let word = if is_break { "break" } else { "continue" };
            return Err(self.error(
                format!("Illegal {word} statement: no loop encloses it"),
                pos,
            ));
        }
        self.bump();
        if let Tok::Ident(label) = &self.peek().tok {
            if !self.peek().newline_before {
                let label = label.clone();
                return Err(self.outside(&format!("labels (`{label}`)"), self.peek().pos));
            }
        }
        self.end_statement()?;
        Ok(Stmt {
            pos,
            kind: if is_break {
                StmtKind::Break
            } else {
                StmtKind::Continue
            },
        })
    }

    /// `function name(params) { body }`, after `async` when there is one.
    fn function_declaration(&mut self, pos: Pos, is_async: bool) -> PResult<Stmt> {
        self.bump();
        if self.is_punct("*") {
            return Err(self.outside("generator functions", self.peek().pos));
        }
        let name = self.binding_name()?;
        let params = self.params()?;
        let body = self.function_block()?;
        Ok(Stmt {
            pos,
            kind: StmtKind::Function(std::rc::Rc::new(Function {
                name: Some(name),
                params,
                body: FunctionBody::Block(body),
                is_async,
                pos,
            })),
        })
    }

    /// A function's `{ body }`: `return` is allowed in it, and the loops outside it do not
    /// enclose it.
    fn function_block(&mut self) -> PResult<Vec<Stmt>> {
        let loops = std::mem::replace(&mut self.loops, 0);
        self.functions += 1;
        let body = self.block();
        self.functions -= 1;
        self.loops = loops;
        body
    }

    /// `(a, { b, c }, d = 1)`.
    fn params(&mut self) -> PResult<Vec<Param>> {
        self.expect_punct("(")?;
        let mut params = Vec::new();
        while !self.is_punct(")") {
            if self.is_punct("...") {
                return Err(self.outside("rest parameters (`...args`)", self.peek().pos));
            }
            let pattern = self.pattern()?;
            let default = if self.eat_punct("=") {
                Some(self.assignment()?)
            } else {
                None
            };
            params.push(Param { pattern, default });
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")")?;
        Ok(params)
    }

    /// A binding: a name, `{ a, b: c }` or `[a, , b]`.
    fn pattern(&mut self) -> PResult<Pattern> {
        if self.is_punct("{") {
            return self.object_pattern();
        }
        if self.is_punct("[") {
            return self.array_pattern();
        }
        Ok(Pattern::Name(self.binding_name()?))
    }

    /// `[a, , b]` on the left of a declaration.
    fn array_pattern(&mut self) -> PResult<Pattern> {
        self.expect_punct("[")?;
        let mut names = Vec::new();
        while !self.is_punct("]") {
            if self.eat_punct(",") {
                names.push(None);
                continue;
            }
            let pos = self.peek().pos;
            if self.is_punct("...") {
                return Err(self.outside("rest elements in destructuring", pos));
            }
            if self.is_punct("{") || self.is_punct("[") {
                return Err(self.outside("nested destructuring", pos));
            }
            names.push(Some(self.binding_name()?));
            if self.is_punct("=") {
                return Err(self.outside("default values in destructuring", self.peek().pos));
            }
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct("]")?;
        Ok(Pattern::Array(names))
    }

    /// The arrow function at the cursor, after `async` when there is one: `x => ...`,
    /// `(a, b) => ...`, with an expression or a block body.
    fn arrow(&mut self, pos: Pos, is_async: bool) -> PResult<Expr> {
        let params = if self.is_punct("(") {
            self.params()?
        } else {
            vec![Param {
                pattern: Pattern::Name(self.binding_name()?),
                default: None,
            }]
        };
        if self.peek().newline_before {
            return Err(self.error("Unexpected line break before `=>`", self.peek().pos));
        }
        self.expect_punct("=>")?;
        self.enter(pos)?;
        let body = if self.is_punct("{") {
            FunctionBody::Block(self.function_block()?)
        } else {
            let loops = std::mem::replace(&mut self.loops, 0);
            let e = self.assignment();
            self.loops = loops;
            FunctionBody::Expr(Box::new(e?))
        };
        self.leave();
        Ok(Expr {
            pos,
            kind: ExprKind::Function(std::rc::Rc::new(Function {
                name: None,
                params,
                body,
                is_async,
                pos,
            })),
        })
    }

    /// `function name?(params) { body }` as an expression, after `async` when there is one.
    fn function_expression(&mut self, pos: Pos, is_async: bool) -> PResult<Expr> {
        self.bump();
        if self.is_punct("*") {
            return Err(self.outside("generator functions", self.peek().pos));
        }
        let name = match &self.peek().tok {
            Tok::Ident(_) => Some(self.binding_name()?),
            _ => None,
        };
        let params = self.params()?;
        self.enter(pos)?;
        let body = self.function_block()?;
        self.leave();
        Ok(Expr {
            pos,
            kind: ExprKind::Function(std::rc::Rc::new(Function {
                name,
                params,
                body: FunctionBody::Block(body),
                is_async,
                pos,
            })),
        })
    }

    /// `x++`, `x--`, `++x`, `--x`, `x += v` (and the other arithmetic compound assignments)
    /// on a binding, as statements: `None` when the cursor is not at one.
    fn update_statement(&mut self, pos: Pos) -> PResult<Option<Stmt>> {
        let first = self.peek().tok.clone();
        let second = self.peek_at(1).map(|t| (t.tok.clone(), t.newline_before));
        let (name, op, value) = match (first, second) {
            (Tok::Punct(p @ ("++" | "--")), Some((Tok::Ident(name), _))) => {
                self.bump();
                self.bump();
                (name, p, None)
            }
            (Tok::Ident(name), Some((Tok::Punct(p @ ("++" | "--")), false))) => {
                self.bump();
                self.bump();
                (name, p, None)
            }
            (
                Tok::Ident(name),
                Some((
                    Tok::Punct(p @ ("+=" | "-=" | "*=" | "/=" | "%=" | "??=" | "||=" | "&&=")),
                    _,
                )),
            ) => {
                self.bump();
                self.bump();
                let value = self.assignment()?;
                (name, p, Some(value))
            }
            _ => return Ok(None),
        };
        if is_reserved(&name) {
            return Err(self.error(format!("Unexpected token '{name}'"), pos));
        }
        let op = match op {
            "++" | "+=" => BinaryOp::Add,
            "--" | "-=" => BinaryOp::Sub,
            "*=" => BinaryOp::Mul,
            "/=" => BinaryOp::Div,
            "%=" => BinaryOp::Rem,
            "??=" => BinaryOp::Nullish,
            "||=" => BinaryOp::Or,
            _ => BinaryOp::And,
        };
        let value = value.unwrap_or(Expr {
            pos,
            kind: ExprKind::Num(1.0),
        });
        if !self.is_punct(")") {
            self.end_statement()?;
        }
        Ok(Some(Stmt {
            pos,
            kind: StmtKind::Update { name, op, value },
        }))
    }

    fn declaration(&mut self) -> PResult<Stmt> {
        let t = self.bump();
        let kind = match &t.tok {
            Tok::Ident(k) if k == "const" => DeclKind::Const,
            Tok::Ident(k) if k == "let" => DeclKind::Let,
            _ => DeclKind::Var,
        };
        let mut decls = Vec::new();
        loop {
            let pattern = self.pattern()?;
            let init = if self.eat_punct("=") {
                Some(self.assignment()?)
            } else {
                if kind == DeclKind::Const || !matches!(pattern, Pattern::Name(_)) {
                    let p = self.peek().pos;
                    return Err(self.error("Missing initializer in const declaration", p));
                }
                None
            };
            decls.push((pattern, init));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.end_statement()?;
        Ok(Stmt {
            pos: t.pos,
            kind: StmtKind::Decl { kind, decls },
        })
    }

    /// `{ a, b: c }` on the left of a declaration.
    fn object_pattern(&mut self) -> PResult<Pattern> {
        self.expect_punct("{")?;
        let mut pairs = Vec::new();
        while !self.is_punct("}") {
            let pos = self.peek().pos;
            if self.is_punct("...") {
                return Err(self.outside("rest properties in destructuring", pos));
            }
            let key = match &self.peek().tok {
                Tok::Str(s) => {
                    let s = s.clone();
                    self.bump();
                    s
                }
                _ => self.ident_name()?,
            };
            let local = if self.eat_punct(":") {
                if self.is_punct("{") || self.is_punct("[") {
                    return Err(self.outside("nested destructuring", self.peek().pos));
                }
                self.binding_name()?
            } else {
                if is_reserved(&key) {
                    return Err(self.error(format!("Unexpected token '{key}'"), pos));
                }
                key.clone()
            };
            if self.is_punct("=") {
                return Err(self.outside("default values in destructuring", self.peek().pos));
            }
            pairs.push((key, local));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct("}")?;
        Ok(Pattern::Object(pairs))
    }

    fn import(&mut self) -> PResult<Stmt> {
        let t = self.bump();
        let mut default = None;
        let mut namespace = None;
        let mut named = Vec::new();
        if let Tok::Str(source) = &self.peek().tok {
            let source = source.clone();
            self.bump();
            self.end_statement()?;
            return Ok(Stmt {
                pos: t.pos,
                kind: StmtKind::Import {
                    default,
                    namespace,
                    named,
                    source,
                },
            });
        }
        if matches!(self.peek().tok, Tok::Ident(_)) {
            default = Some(self.binding_name()?);
            if !self.eat_punct(",") {
                return self.import_from(t.pos, default, namespace, named);
            }
        }
        if self.eat_punct("*") {
            if !self.is_ident("as") {
                return Err(self.unexpected());
            }
            self.bump();
            namespace = Some(self.binding_name()?);
        } else if self.eat_punct("{") {
            while !self.is_punct("}") {
                let name = match &self.peek().tok {
                    Tok::Str(s) => {
                        let s = s.clone();
                        self.bump();
                        s
                    }
                    _ => self.ident_name()?,
                };
                let local = if self.is_ident("as") {
                    self.bump();
                    self.binding_name()?
                } else {
                    name.clone()
                };
                named.push((name, local));
                if !self.eat_punct(",") {
                    break;
                }
            }
            self.expect_punct("}")?;
        } else {
            return Err(self.unexpected());
        }
        self.import_from(t.pos, default, namespace, named)
    }

    /// `export { a, b as c }`, `export const ...`, `export default value`: a module file pasted
    /// whole (the exports schemaplay writes end with one).
    fn export(&mut self) -> PResult<Stmt> {
        let t = self.bump();
        if matches!(&self.peek().tok, Tok::Ident(k) if matches!(k.as_str(), "const" | "let" | "var"))
        {
            let mut decl = self.declaration()?;
            decl.pos = t.pos;
            return Ok(decl);
        }
        if self.is_ident("default") {
            self.bump();
            let value = self.assignment()?;
            self.end_statement()?;
            return Ok(Stmt {
                pos: t.pos,
                kind: StmtKind::ExportDefault(value),
            });
        }
        if !self.eat_punct("{") {
            return Err(self.error(
                "this form of `export` is outside the supported subset of JavaScript (the console reads `export { names }`, `export const ...` and `export default ...`)".to_string(),
                t.pos,
            ));
        }
        let mut names = Vec::new();
        while !self.is_punct("}") {
            let pos = self.peek().pos;
            let local = self.ident_name()?;
            if self.is_ident("as") {
                self.bump();
                self.ident_name()?;
            }
            names.push((local, pos));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct("}")?;
        if self.is_ident("from") {
            return Err(self.outside("re-exports (`export ... from`)", t.pos));
        }
        self.end_statement()?;
        Ok(Stmt {
            pos: t.pos,
            kind: StmtKind::Export(names),
        })
    }

    fn import_from(
        &mut self,
        pos: Pos,
        default: Option<String>,
        namespace: Option<String>,
        named: Vec<(String, String)>,
    ) -> PResult<Stmt> {
        if !self.is_ident("from") {
            return Err(self.unexpected());
        }
        self.bump();
        let Tok::Str(source) = &self.peek().tok else {
            return Err(self.unexpected());
        };
        let source = source.clone();
        self.bump();
        self.end_statement()?;
        Ok(Stmt {
            pos,
            kind: StmtKind::Import {
                default,
                namespace,
                named,
                source,
            },
        })
    }

    /// An expression where JavaScript allows a comma operator; the subset does not.
    fn expression(&mut self) -> PResult<Expr> {
        let e = self.assignment()?;
        if self.is_punct(",") {
            return Err(self.outside("the comma operator", self.peek().pos));
        }
        Ok(e)
    }

    /// An assignment-level expression (an argument, an element, a property value).
    fn assignment(&mut self) -> PResult<Expr> {
        let t = self.peek().clone();
        // `x => ...` and `async x => ...`.
        if let Tok::Ident(name) = &t.tok {
            let next = self.peek_at(1).map(|n| &n.tok);
            if matches!(next, Some(Tok::Punct("=>"))) {
                return self.arrow(t.pos, false);
            }
            if name == "async" {
                let next = self.peek_at(1).filter(|n| !n.newline_before);
                match next.map(|n| &n.tok) {
                    Some(Tok::Ident(f)) if f == "function" => {
                        self.bump();
                        return self.function_expression(t.pos, true);
                    }
                    Some(Tok::Ident(_))
                        if matches!(self.peek_at(2).map(|n| &n.tok), Some(Tok::Punct("=>"))) =>
                    {
                        self.bump();
                        return self.arrow(t.pos, true);
                    }
                    Some(Tok::Punct("(")) => {
                        self.bump();
                        if self.arrow_after_parens() {
                            return self.arrow(t.pos, true);
                        }
                        // `async(...)`: a call of a function named async.
                        self.at -= 1;
                    }
                    _ => {}
                }
            }
        }
        if matches!(t.tok, Tok::Punct("(")) && self.arrow_after_parens() {
            return self.arrow(t.pos, false);
        }
        let e = self.conditional()?;
        if let Some(what) = unsupported_operator(&self.peek().tok) {
            // A postfix `++` after a line break belongs to the next statement.
            if !(self.peek().newline_before && matches!(self.peek().tok, Tok::Punct("++" | "--"))) {
                return Err(self.outside(what, self.peek().pos));
            }
        }
        Ok(e)
    }

    fn conditional(&mut self) -> PResult<Expr> {
        let test = self.binary(0)?;
        if !self.is_punct("?") {
            return Ok(test);
        }
        self.bump();
        self.enter(test.pos)?;
        let then = self.assignment()?;
        self.expect_punct(":")?;
        let otherwise = self.assignment()?;
        self.leave();
        Ok(Expr {
            pos: test.pos,
            kind: ExprKind::Conditional {
                test: Box::new(test),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
        })
    }

    /// Precedence climbing over the binary operators (all left-associative).
    fn binary(&mut self, min: u8) -> PResult<Expr> {
        let mut left = self.exponent()?;
        while let Some((op, prec)) = binary_op(&self.peek().tok) {
            if prec <= min {
                break;
            }
            self.bump();
            self.enter(left.pos)?;
            let right = self.binary(prec)?;
            self.leave();
            left = Expr {
                pos: left.pos,
                kind: ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
            };
        }
        Ok(left)
    }

    /// `a ** b`, right-associative, above the multiplicative operators.
    fn exponent(&mut self) -> PResult<Expr> {
        let base = self.unary()?;
        if !self.is_punct("**") {
            return Ok(base);
        }
        if matches!(base.kind, ExprKind::Unary { .. }) {
            return Err(self.error(
                "Unary operator used immediately before exponentiation expression. Parenthesis must be used to disambiguate operator precedence",
                self.peek().pos,
            ));
        }
        self.bump();
        self.enter(base.pos)?;
        let exp = self.exponent()?;
        self.leave();
        Ok(Expr {
            pos: base.pos,
            kind: ExprKind::Binary {
                op: BinaryOp::Pow,
                left: Box::new(base),
                right: Box::new(exp),
            },
        })
    }

    fn unary(&mut self) -> PResult<Expr> {
        let t = self.peek().clone();
        let op = match &t.tok {
            Tok::Punct("!") => Some(UnaryOp::Not),
            Tok::Punct("-") => Some(UnaryOp::Neg),
            Tok::Punct("+") => Some(UnaryOp::Plus),
            Tok::Ident(k) if k == "typeof" => Some(UnaryOp::Typeof),
            Tok::Punct("~") => return Err(self.outside("bitwise operators", t.pos)),
            Tok::Punct("++" | "--") => {
                return Err(self.outside("increment and decrement operators (`++`, `--`)", t.pos))
            }
            Tok::Ident(k) if k == "delete" => return Err(self.outside("`delete`", t.pos)),
            Tok::Ident(k) if k == "void" => return Err(self.outside("`void`", t.pos)),
            Tok::Ident(k) if k == "yield" => {
                return Err(self.outside("generators (`yield`)", t.pos))
            }
            _ => None,
        };
        let is_await = matches!(&t.tok, Tok::Ident(k) if k == "await")
            && !matches!(
                self.peek_at(1).map(|n| &n.tok),
                Some(Tok::Punct(")" | "]" | "}" | "," | ";" | "=" | ".")) | Some(Tok::Eof)
            );
        if op.is_none() && !is_await {
            return self.postfix();
        }
        self.bump();
        self.enter(t.pos)?;
        let inner = self.unary()?;
        self.leave();
        Ok(Expr {
            pos: t.pos,
            kind: match op {
                Some(op) => ExprKind::Unary {
                    op,
                    expr: Box::new(inner),
                },
                None => ExprKind::Await(Box::new(inner)),
            },
        })
    }

    fn arguments(&mut self) -> PResult<Vec<Elem>> {
        let open = self.expect_punct("(")?;
        self.enter(open.pos)?;
        let mut args = Vec::new();
        while !self.is_punct(")") {
            if self.eat_punct("...") {
                args.push(Elem::Spread(self.assignment()?));
            } else {
                args.push(Elem::Expr(self.assignment()?));
            }
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")")?;
        self.leave();
        Ok(args)
    }

    /// A primary expression followed by member accesses and calls.
    fn postfix(&mut self) -> PResult<Expr> {
        let mut e = if self.is_ident("new") {
            self.new_expression()?
        } else {
            self.primary()?
        };
        let mut links = 0usize;
        loop {
            let t = self.peek().clone();
            match &t.tok {
                Tok::Punct(".") => {
                    self.bump();
                    let at = self.peek().pos;
                    let name = self.member_name()?;
                    e = Expr {
                        pos: e.pos,
                        kind: ExprKind::Member {
                            object: Box::new(e),
                            property: name,
                            optional: false,
                            at,
                        },
                    };
                }
                Tok::Punct("?.") => {
                    self.bump();
                    if self.is_punct("(") {
                        let args = self.arguments()?;
                        e = Expr {
                            pos: e.pos,
                            kind: ExprKind::Call {
                                callee: Box::new(e),
                                args,
                                optional: true,
                            },
                        };
                    } else if self.eat_punct("[") {
                        let index = self.expression()?;
                        self.expect_punct("]")?;
                        e = Expr {
                            pos: e.pos,
                            kind: ExprKind::Index {
                                object: Box::new(e),
                                index: Box::new(index),
                                optional: true,
                            },
                        };
                    } else {
                        let at = self.peek().pos;
                        let name = self.member_name()?;
                        e = Expr {
                            pos: e.pos,
                            kind: ExprKind::Member {
                                object: Box::new(e),
                                property: name,
                                optional: true,
                                at,
                            },
                        };
                    }
                }
                Tok::Punct("[") => {
                    self.bump();
                    self.enter(t.pos)?;
                    let index = self.expression()?;
                    self.expect_punct("]")?;
                    self.leave();
                    e = Expr {
                        pos: e.pos,
                        kind: ExprKind::Index {
                            object: Box::new(e),
                            index: Box::new(index),
                            optional: false,
                        },
                    };
                }
                Tok::Punct("(") => {
                    let args = self.arguments()?;
                    e = Expr {
                        pos: e.pos,
                        kind: ExprKind::Call {
                            callee: Box::new(e),
                            args,
                            optional: false,
                        },
                    };
                }
                Tok::Template { .. } => {
                    return Err(self.outside("tagged templates", t.pos));
                }
                _ => return Ok(e),
            }
            // Chains nest in the tree; bound them as brackets are bounded.
            links += 1;
            if links > MAX_NESTING * 4 {
                return Err(self.error("the member chain is too long", t.pos));
            }
        }
    }

    fn member_name(&mut self) -> PResult<String> {
        match &self.peek().tok {
            Tok::Ident(n) => {
                let n = n.clone();
                self.bump();
                Ok(n)
            }
            Tok::Punct("#") => Err(self.outside("private fields", self.peek().pos)),
            _ => Err(self.unexpected()),
        }
    }

    /// `new X(...)`, `new a.b.C(...)`, `new X` (no arguments).
    fn new_expression(&mut self) -> PResult<Expr> {
        let t = self.bump();
        if self.is_punct(".") {
            return Err(self.outside("`new.target`", t.pos));
        }
        self.enter(t.pos)?;
        let mut callee = if self.is_ident("new") {
            self.new_expression()?
        } else {
            self.primary()?
        };
        loop {
            if self.eat_punct(".") {
                let at = self.peek().pos;
                let name = self.member_name()?;
                callee = Expr {
                    pos: callee.pos,
                    kind: ExprKind::Member {
                        object: Box::new(callee),
                        property: name,
                        optional: false,
                        at,
                    },
                };
            } else if self.is_punct("[") {
                self.bump();
                let index = self.expression()?;
                self.expect_punct("]")?;
                callee = Expr {
                    pos: callee.pos,
                    kind: ExprKind::Index {
                        object: Box::new(callee),
                        index: Box::new(index),
                        optional: false,
                    },
                };
            } else {
                break;
            }
        }
        let args = if self.is_punct("(") {
            self.arguments()?
        } else {
            Vec::new()
        };
        self.leave();
        Ok(Expr {
            pos: t.pos,
            kind: ExprKind::New {
                callee: Box::new(callee),
                args,
            },
        })
    }

    fn primary(&mut self) -> PResult<Expr> {
        let t = self.peek().clone();
        let pos = t.pos;
        let kind = match t.tok {
            Tok::Num(n) => {
                self.bump();
                ExprKind::Num(n)
            }
            Tok::Str(s) => {
                self.bump();
                ExprKind::Str(s)
            }
            Tok::Regex { pattern, flags } => {
                self.bump();
                ExprKind::Regex { pattern, flags }
            }
            Tok::Template { quasis, exprs } => {
                self.bump();
                self.enter(pos)?;
                let mut parsed = Vec::with_capacity(exprs.len());
                for tokens in exprs {
                    parsed.push(parse_embedded(tokens, self.depth, pos)?);
                }
                self.leave();
                ExprKind::Template {
                    quasis,
                    exprs: parsed,
                }
            }
            Tok::Ident(name) => {
                match name.as_str() {
                    "true" | "false" => {
                        self.bump();
                        return Ok(Expr {
                            pos,
                            kind: ExprKind::Bool(name == "true"),
                        });
                    }
                    "null" => {
                        self.bump();
                        return Ok(Expr {
                            pos,
                            kind: ExprKind::Null,
                        });
                    }
                    "function" => return self.function_expression(pos, false),
                    "class" => return Err(self.outside("classes", pos)),
                    "this" => return Err(self.outside("`this`", pos)),
                    "super" => return Err(self.outside("`super`", pos)),
                    "import" => return Err(self.outside("dynamic `import()`", pos)),
                    _ if is_reserved(&name) => {
                        return Err(self.error(format!("Unexpected token '{name}'"), pos))
                    }
                    _ => {}
                }
                self.bump();
                ExprKind::Ident(name)
            }
            Tok::Punct("(") => {
                if self.arrow_after_parens() {
                    return self.arrow(pos, false);
                }
                self.bump();
                self.enter(pos)?;
                let inner = self.expression()?;
                self.expect_punct(")")?;
                self.leave();
                return Ok(inner);
            }
            Tok::Punct("[") => {
                self.bump();
                self.enter(pos)?;
                let mut items = Vec::new();
                loop {
                    if self.is_punct("]") {
                        break;
                    }
                    if self.is_punct(",") {
                        self.bump();
                        items.push(Elem::Hole);
                        continue;
                    }
                    if self.eat_punct("...") {
                        items.push(Elem::Spread(self.assignment()?));
                    } else {
                        items.push(Elem::Expr(self.assignment()?));
                    }
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                self.expect_punct("]")?;
                self.leave();
                ExprKind::Array(items)
            }
            Tok::Punct("{") => {
                self.bump();
                self.enter(pos)?;
                let props = self.object_body()?;
                self.leave();
                ExprKind::Object(props)
            }
            _ => return Err(self.unexpected()),
        };
        Ok(Expr { pos, kind })
    }

    /// Whether the `(` at the cursor opens an arrow function's parameters.
    fn arrow_after_parens(&self) -> bool {
        let mut depth = 0usize;
        let mut i = self.at;
        while let Some(t) = self.tokens.get(i) {
            match t.tok {
                Tok::Punct("(" | "[" | "{") => depth += 1,
                Tok::Punct(")" | "]" | "}") => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return matches!(
                            self.tokens.get(i + 1).map(|t| &t.tok),
                            Some(Tok::Punct("=>"))
                        );
                    }
                }
                Tok::Eof => return false,
                _ => {}
            }
            i += 1;
        }
        false
    }

    /// The properties of an object literal, after its `{`, through its `}`.
    fn object_body(&mut self) -> PResult<Vec<Prop>> {
        let mut props = Vec::new();
        while !self.is_punct("}") {
            let t = self.peek().clone();
            if self.eat_punct("...") {
                props.push(Prop::Spread(self.assignment()?));
            } else {
                let key = match &t.tok {
                    Tok::Ident(n) => {
                        self.bump();
                        // `get x() {}` / `set x(v) {}` / `async x() {}`.
                        if matches!(n.as_str(), "get" | "set" | "async")
                            && matches!(self.peek().tok, Tok::Ident(_) | Tok::Str(_) | Tok::Num(_))
                        {
                            return Err(self.outside(
                                "getters, setters and methods in object literals",
                                t.pos,
                            ));
                        }
                        if matches!(self.peek().tok, Tok::Punct("," | "}")) {
                            // Shorthand `{ a }`.
                            if is_reserved(n) {
                                return Err(self.error(format!("Unexpected token '{n}'"), t.pos));
                            }
                            props.push(Prop::KeyValue(
                                PropKey::Name(n.clone()),
                                Expr {
                                    pos: t.pos,
                                    kind: ExprKind::Ident(n.clone()),
                                },
                            ));
                            if !self.eat_punct(",") {
                                break;
                            }
                            continue;
                        }
                        PropKey::Name(n.clone())
                    }
                    Tok::Str(s) => {
                        self.bump();
                        PropKey::Name(s.clone())
                    }
                    Tok::Num(n) => {
                        self.bump();
                        PropKey::Name(crate::value::number_to_string(*n))
                    }
                    Tok::Punct("[") => {
                        self.bump();
                        let k = self.assignment()?;
                        self.expect_punct("]")?;
                        PropKey::Computed(k)
                    }
                    Tok::Punct("*") => {
                        return Err(self.outside("generator methods", t.pos));
                    }
                    _ => return Err(self.unexpected()),
                };
                if self.is_punct("(") {
                    return Err(self.outside("methods in object literals", t.pos));
                }
                if self.is_punct("=") {
                    return Err(
                        self.error("Invalid shorthand property initializer", self.peek().pos)
                    );
                }
                self.expect_punct(":")?;
                let value = self.assignment()?;
                props.push(Prop::KeyValue(key, value));
            }
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct("}")?;
        Ok(props)
    }
}

/// Words that cannot name a binding.
fn is_reserved(name: &str) -> bool {
    matches!(
        name,
        "break"
            | "case"
            | "catch"
            | "class"
            | "const"
            | "continue"
            | "debugger"
            | "default"
            | "delete"
            | "do"
            | "else"
            | "export"
            | "extends"
            | "finally"
            | "for"
            | "function"
            | "if"
            | "import"
            | "in"
            | "instanceof"
            | "new"
            | "return"
            | "super"
            | "switch"
            | "this"
            | "throw"
            | "try"
            | "typeof"
            | "var"
            | "void"
            | "while"
            | "with"
            | "true"
            | "false"
            | "null"
            | "let"
            | "yield"
            | "enum"
    )
}

trait Singular {
    fn singular(self, what: &str) -> Self;
}

impl Singular for SyntaxError {
    /// "`if` statements are outside ..." reads well; "`return` are outside" does not.
    fn singular(mut self, what: &str) -> Self {
        let plural = what.ends_with('s') || what.ends_with(')') && what.contains("s (");
        if !plural {
            self.message = self.message.replacen(" are outside", " is outside", 1);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(src: &str) -> Vec<String> {
        parse(src)
            .into_iter()
            .map(|p| match p.stmt {
                Ok(s) => format!("{}:{} ok", s.pos.line, s.pos.column),
                Err(e) => format!("{}:{} {}", e.pos.line, e.pos.column, e.message),
            })
            .collect()
    }

    #[test]
    fn semicolons_are_inserted_at_line_breaks() {
        assert_eq!(
            shapes("const a = 1\nconst b = 2; a\n{ x: 1 }\n{ y: [1, 2] }"),
            vec!["1:1 ok", "2:1 ok", "2:14 ok", "3:1 ok", "4:1 ok"]
        );
    }

    #[test]
    fn a_line_starting_with_a_parenthesis_continues_the_statement() {
        // As in JavaScript: `a\n(b)` is the call `a(b)`.
        let stmts = parse("f\n(1)");
        assert_eq!(stmts.len(), 1);
        assert!(matches!(
            stmts.first().map(|p| &p.stmt),
            Some(Ok(Stmt {
                kind: StmtKind::Expr(Expr {
                    kind: ExprKind::Call { .. },
                    ..
                }),
                ..
            }))
        ));
    }

    #[test]
    fn errors_name_the_construct_and_parsing_resumes() {
        assert_eq!(
            shapes(
                "do { x } while (y)\nconst a = 1\nfor (const k in o) {}\nitems.map(x => x)\nconst b = ("
            ),
            vec![
                "1:1 `do ... while` loops are outside the supported subset of JavaScript",
                "2:1 ok",
                "3:14 `for ... in` loops are outside the supported subset of JavaScript",
                "4:1 ok",
                "5:12 Unexpected end of input",
            ]
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!("{}1{}", "[".repeat(500), "]".repeat(500));
        let out = shapes(&src);
        assert_eq!(out.len(), 1);
        assert!(
            out.first().is_some_and(|s| s.contains("nests more than")),
            "{out:?}"
        );
    }
}
