//! The typed syntax tree of the subset. Every statement and expression carries the position
//! (1-based line and column) where it starts, which is where its errors are reported.

use std::fmt;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub pos: Pos,
    pub kind: StmtKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclKind {
    Const,
    Let,
    Var,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `const a = 1, { b, c: d } = e`.
    Decl {
        kind: DeclKind,
        decls: Vec<(Pattern, Option<Expr>)>,
    },
    /// `import x, { a, b as c } from 'pkg'`, `import * as x from 'pkg'`, `import 'pkg'`.
    Import {
        default: Option<String>,
        namespace: Option<String>,
        named: Vec<(String, String)>,
        source: String,
    },
    /// `export { a, b as c }`: a module's exports, each a name that must be defined (each with
    /// its position); the console runs nothing for it.
    Export(Vec<(String, Pos)>),
    /// `export default value`: the value is evaluated and shows nothing.
    ExportDefault(Expr),
    /// `x = value` for a `let` or `var` binding.
    Assign {
        name: String,
        value: Expr,
    },
    Expr(Expr),
    /// A mongosh shell command: `show collections`, `use test`, `it`.
    Shell {
        command: String,
        arg: Option<String>,
    },
    /// An AWS CLI command (`aws dynamodb get-item --table-name ...`): its words as the shell
    /// split them, or why it could not.
    Cli(crate::aws_cli::Command),
    /// `while (test) { body }`: the body's statements run while the test is truthy, at most
    /// [`crate::interp::MAX_LOOP_ITERATIONS`] times; they show nothing of their own.
    While {
        test: Expr,
        body: Vec<Stmt>,
    },
    /// A lone `;`.
    Empty,
    /// `x += value`, `x++` and the like on a binding: the new value is `x op value`.
    Update {
        name: String,
        op: BinaryOp,
        value: Expr,
    },
    /// `if (test) then else otherwise`; a body without braces is one statement.
    If {
        test: Expr,
        then: Vec<Stmt>,
        otherwise: Option<Vec<Stmt>>,
    },
    /// `for (const x of xs) body` (`for await` too: each item is awaited).
    ForOf {
        kind: DeclKind,
        pattern: Pattern,
        iterable: Expr,
        body: Vec<Stmt>,
    },
    /// `for (init; test; update) body`.
    For {
        init: Option<Box<Stmt>>,
        test: Option<Expr>,
        update: Option<Box<Stmt>>,
        body: Vec<Stmt>,
    },
    /// `throw value`.
    Throw(Expr),
    /// `try { block } catch (param) { handler } finally { finalizer }`.
    Try {
        block: Vec<Stmt>,
        handler: Option<(Option<Pattern>, Vec<Stmt>)>,
        finalizer: Option<Vec<Stmt>>,
    },
    /// `return value` inside a function.
    Return(Option<Expr>),
    Break,
    Continue,
    /// `function name(params) { body }` (or `async function`): binds `name`.
    Function(Rc<Function>),
    /// `{ statements }` where a block is a statement (inside a function or another block).
    Block(Vec<Stmt>),
}

/// A function: an arrow, a `function` expression or a declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub name: Option<String>,
    pub params: Vec<Param>,
    pub body: FunctionBody,
    pub is_async: bool,
    pub pos: Pos,
}

/// A parameter: a name or an object pattern, with its default value.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub pattern: Pattern,
    pub default: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FunctionBody {
    /// An arrow's expression body: `d => d.name`.
    Expr(Box<Expr>),
    Block(Vec<Stmt>),
}

/// What a declaration binds: a name, or names taken from an object (`{ a, b: c }`).
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    Name(String),
    /// `(property, local name)` pairs.
    Object(Vec<(String, String)>),
    /// Names taken from an array by position (`[first, , third]`); `None` skips one.
    Array(Vec<Option<String>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub pos: Pos,
    pub kind: ExprKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Plus,
    Not,
    Typeof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Pow,
    Eq,
    StrictEq,
    Ne,
    StrictNe,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Nullish,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PropKey {
    Name(String),
    Computed(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Prop {
    KeyValue(PropKey, Expr),
    Spread(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Elem {
    Expr(Expr),
    Spread(Expr),
    /// An elision: `[1, , 3]`.
    Hole,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Num(f64),
    Str(String),
    Template {
        quasis: Vec<String>,
        exprs: Vec<Expr>,
    },
    Regex {
        pattern: String,
        flags: String,
    },
    Bool(bool),
    Null,
    Ident(String),
    Array(Vec<Elem>),
    Object(Vec<Prop>),
    Member {
        object: Box<Expr>,
        property: String,
        optional: bool,
        /// Where the property name starts (where a call of it reports its errors).
        at: Pos,
    },
    Index {
        object: Box<Expr>,
        index: Box<Expr>,
        optional: bool,
    },
    Call {
        callee: Box<Expr>,
        args: Vec<Elem>,
        optional: bool,
    },
    New {
        callee: Box<Expr>,
        args: Vec<Elem>,
    },
    Unary {
        op: UnaryOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Conditional {
        test: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Await(Box<Expr>),
    /// An arrow function or a `function` expression.
    Function(Rc<Function>),
}

impl Expr {
    /// The dotted source form of a member chain (`db.users.find`), for error messages.
    pub fn describe(&self) -> String {
        match &self.kind {
            ExprKind::Ident(n) => n.clone(),
            ExprKind::Member {
                object, property, ..
            } => format!("{}.{property}", object.describe()),
            ExprKind::Index { object, .. } => format!("{}[...]", object.describe()),
            ExprKind::Call { callee, .. } => format!("{}(...)", callee.describe()),
            ExprKind::New { callee, .. } => format!("new {}(...)", callee.describe()),
            ExprKind::Await(e) => format!("(await {})", e.describe()),
            ExprKind::Str(s) => format!("\"{s}\""),
            _ => "(intermediate value)".into(),
        }
    }
}
