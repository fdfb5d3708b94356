//! Aggregation expressions: parsed once into an [`Expr`] tree (operators resolved, argument
//! counts checked), then evaluated per document.
//!
//! A missing value is represented by `Bson::Undefined` during evaluation: a computed field that
//! evaluates to it is left out, as MongoDB leaves out missing fields.

pub mod arithmetic;
pub mod array;
pub mod boolean;
pub mod comparison;
pub mod conditional;
pub mod date;
pub mod object;
pub mod set;
pub mod string;
pub mod types;

use bson::{Bson, Document};

use crate::error::{MongoError, Result};
use crate::path;
use crate::value::shell;

/// The nesting an expression may have.
pub const MAX_EXPR_DEPTH: usize = 100;

/// The missing value.
pub const MISSING: Bson = Bson::Undefined;

/// How an operator takes its arguments.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    /// A list (or one bare argument), with the accepted counts.
    List { min: usize, max: usize },
    /// A document of named arguments (`{input, as, cond}`).
    Named,
}

/// An operator: it receives its parsed arguments and evaluates what it needs.
pub type ExprFn = fn(&Args, &mut Env) -> Result<Bson>;

/// A registry entry: name, argument style, function.
pub type OpEntry = (&'static str, Style, ExprFn);

#[derive(Debug, Clone)]
pub enum Expr {
    Literal(Bson),
    Field(Vec<String>),
    Var(String, Vec<String>),
    Object(Vec<(String, Expr)>),
    Array(Vec<Expr>),
    Op(Box<OpCall>),
}

#[derive(Debug, Clone)]
pub struct OpCall {
    pub name: &'static str,
    pub f: ExprFn,
    pub args: Args,
}

#[derive(Debug, Clone)]
pub enum Args {
    List(Vec<Expr>),
    Named(Vec<(String, Expr)>),
}

impl Args {
    pub fn list(&self) -> &[Expr] {
        match self {
            Args::List(items) => items,
            Args::Named(_) => &[],
        }
    }

    pub fn named(&self, name: &str) -> Option<&Expr> {
        match self {
            Args::Named(fields) => fields.iter().find(|(k, _)| k == name).map(|(_, e)| e),
            Args::List(_) => None,
        }
    }
}

/// The evaluation environment: the document, `$$CURRENT`, and the variables in scope.
pub struct Env<'a> {
    pub root: &'a Document,
    pub vars: Vec<(String, Bson)>,
    pub now_millis: i64,
    /// The document's `$text` score, for `{$meta: "textScore"}`.
    pub text_score: Option<f64>,
    /// The document is `root` with the value at this path (reached through embedded documents)
    /// replaced by this one: what `$unwind` would produce, read without producing it.
    pub overlay: Option<(&'a [String], &'a Bson)>,
    /// Where field paths can be read faster than from `root` with its `overlay` (columns over
    /// the collection), when it knows them.
    pub fields: Option<&'a dyn FieldSource>,
}

/// A faster reader of the current document's field paths: the value, `MISSING`, or `None` when
/// only the document can tell.
pub trait FieldSource {
    fn field(&self, parts: &[String]) -> Option<Bson>;
}

impl<'a> Env<'a> {
    pub fn new(root: &'a Document) -> Self {
        Env {
            root,
            vars: Vec::new(),
            now_millis: 0,
            text_score: None,
            overlay: None,
            fields: None,
        }
    }

    /// The value at a field path of the current document; the document itself when `parts` is
    /// empty.
    pub fn root_field(&self, parts: &[String]) -> Bson {
        // A faster source answers for the document as it stands, overlay included.
        if let (Some(fields), false) = (self.fields, parts.is_empty()) {
            if let Some(v) = fields.field(parts) {
                return v;
            }
        }
        let Some((path, value)) = self.overlay else {
            return field_of_root(self.root, parts);
        };
        let common = parts.iter().zip(path).take_while(|(a, b)| a == b).count();
        if common == path.len() {
            // At or under the replaced value.
            return parts
                .get(common..)
                .and_then(|rest| path::get_expr(value, rest))
                .unwrap_or(MISSING);
        }
        if common == parts.len() {
            // A document holding the replaced value: build it.
            let mut doc = self.root.clone();
            path::set_plain(&mut doc, path, value.clone());
            return field_of_root(&doc, parts);
        }
        field_of(self.root, parts)
    }

    pub fn eval(&mut self, e: &Expr) -> Result<Bson> {
        eval(e, self)
    }

    /// Evaluates the `i`-th positional argument (missing when absent).
    pub fn arg(&mut self, args: &Args, i: usize) -> Result<Bson> {
        match args.list().get(i) {
            Some(e) => eval(e, self),
            None => Ok(MISSING),
        }
    }

    /// Evaluates every positional argument.
    pub fn all_args(&mut self, args: &Args) -> Result<Vec<Bson>> {
        args.list().iter().map(|e| eval(e, self)).collect()
    }

    /// Evaluates a named argument (missing when absent).
    pub fn named(&mut self, args: &Args, name: &str) -> Result<Bson> {
        match args.named(name) {
            Some(e) => eval(e, self),
            None => Ok(MISSING),
        }
    }

    pub fn with_var<T>(&mut self, name: &str, value: Bson, f: impl FnOnce(&mut Self) -> T) -> T {
        self.vars.push((name.to_string(), value));
        let out = f(self);
        self.vars.pop();
        out
    }
}

fn registry() -> impl Iterator<Item = &'static OpEntry> {
    [
        arithmetic::OPERATORS,
        array::OPERATORS,
        boolean::OPERATORS,
        comparison::OPERATORS,
        conditional::OPERATORS,
        date::OPERATORS,
        object::OPERATORS,
        set::OPERATORS,
        string::OPERATORS,
        types::OPERATORS,
    ]
    .into_iter()
    .flat_map(|family| family.iter())
}

pub fn lookup(name: &str) -> Option<&'static OpEntry> {
    registry().find(|(n, _, _)| *n == name)
}

/// Parses an expression.
pub fn parse(value: &Bson) -> Result<Expr> {
    parse_at(value, 0)
}

fn parse_at(value: &Bson, depth: usize) -> Result<Expr> {
    if depth > MAX_EXPR_DEPTH {
        return Err(MongoError::bad_value(format!(
            "expression nesting exceeds the limit of {MAX_EXPR_DEPTH}"
        )));
    }
    match value {
        Bson::String(s) => parse_path(s),
        Bson::Array(items) => Ok(Expr::Array(
            items
                .iter()
                .map(|i| parse_at(i, depth + 1))
                .collect::<Result<_>>()?,
        )),
        Bson::Document(d) => {
            let Some(first) = d.keys().next() else {
                return Ok(Expr::Object(Vec::new()));
            };
            if first.starts_with('$') {
                if d.len() != 1 {
                    return Err(MongoError::location(
                        15983,
                        format!(
                            "an expression specification must contain exactly one field, the name of the expression. Found {} fields in {}, while parsing object {}",
                            d.len(),
                            crate::value::shell_doc(d),
                            crate::value::shell_doc(d)
                        ),
                    ));
                }
                let operand = d.get(first).unwrap_or(&Bson::Null);
                parse_op(first, operand, depth)
            } else {
                let mut fields = Vec::with_capacity(d.len());
                for (k, v) in d {
                    if k.starts_with('$') {
                        return Err(MongoError::location(
                            16410,
                            format!("FieldPath field names may not start with '$'. Given: {k}"),
                        ));
                    }
                    fields.push((k.clone(), parse_at(v, depth + 1)?));
                }
                Ok(Expr::Object(fields))
            }
        }
        other => Ok(Expr::Literal(other.clone())),
    }
}

fn parse_path(s: &str) -> Result<Expr> {
    if let Some(var) = s.strip_prefix("$$") {
        let mut parts = path::split(var);
        let name = parts.remove(0);
        if name.is_empty() {
            return Err(MongoError::location(16869, "empty variable name"));
        }
        return Ok(Expr::Var(name, parts));
    }
    if let Some(field) = s.strip_prefix('$') {
        if field.is_empty() {
            return Err(MongoError::location(
                16872,
                "'$' by itself is not a valid FieldPath",
            ));
        }
        if field.split('.').any(str::is_empty) {
            return Err(MongoError::location(
                15998,
                "FieldPath field names may not be empty strings.",
            ));
        }
        return Ok(Expr::Field(path::split(field)));
    }
    Ok(Expr::Literal(Bson::String(s.to_string())))
}

fn parse_op(name: &str, operand: &Bson, depth: usize) -> Result<Expr> {
    if name == "$literal" {
        return Ok(Expr::Literal(operand.clone()));
    }
    let (op_name, style, f) = lookup(name).ok_or_else(|| {
        MongoError::invalid_pipeline_operator(format!("Unrecognized expression '{name}'"))
    })?;
    let args = match style {
        Style::Named => {
            let Bson::Document(d) = operand else {
                return Err(MongoError::location(
                    40000,
                    format!(
                        "{name} expects an object as its argument, found: {}",
                        shell(operand)
                    ),
                ));
            };
            let mut fields = Vec::with_capacity(d.len());
            for (k, v) in d {
                fields.push((k.clone(), parse_at(v, depth + 1)?));
            }
            Args::Named(fields)
        }
        Style::List { min, max } => {
            let items = match operand {
                Bson::Array(items) => items
                    .iter()
                    .map(|i| parse_at(i, depth + 1))
                    .collect::<Result<Vec<_>>>()?,
                other => vec![parse_at(other, depth + 1)?],
            };
            if items.len() < *min || items.len() > *max {
                let expected = if min == max {
                    format!("exactly {min}")
                } else if *max == usize::MAX {
                    format!("at least {min}")
                } else {
                    format!("between {min} and {max}")
                };
                return Err(MongoError::location(
                    16020,
                    format!(
                        "Expression {name} takes {expected} arguments. {} were passed in.",
                        items.len()
                    ),
                ));
            }
            Args::List(items)
        }
    };
    Ok(Expr::Op(Box::new(OpCall {
        name: op_name,
        f: *f,
        args,
    })))
}

/// Evaluates an expression.
pub fn eval(e: &Expr, env: &mut Env) -> Result<Bson> {
    match e {
        Expr::Literal(v) => Ok(v.clone()),
        Expr::Field(parts) => Ok(env.root_field(parts)),
        Expr::Var(name, parts) => {
            let base = match name.as_str() {
                "ROOT" | "CURRENT" => {
                    return Ok(env.root_field(parts));
                }
                "REMOVE" => return Ok(MISSING),
                "NOW" => Bson::DateTime(bson::DateTime::from_millis(env.now_millis)),
                _ => env
                    .vars
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| {
                        MongoError::location(17276, format!("Use of undefined variable: {name}"))
                    })?,
            };
            if parts.is_empty() {
                Ok(base)
            } else {
                Ok(path::get_expr(&base, parts).unwrap_or(MISSING))
            }
        }
        Expr::Object(fields) => {
            let mut doc = Document::new();
            for (k, fe) in fields {
                let v = eval(fe, env)?;
                if !matches!(v, Bson::Undefined) {
                    doc.insert(k.clone(), v);
                }
            }
            Ok(Bson::Document(doc))
        }
        Expr::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for ie in items {
                let v = eval(ie, env)?;
                out.push(if matches!(v, Bson::Undefined) {
                    Bson::Null
                } else {
                    v
                });
            }
            Ok(Bson::Array(out))
        }
        Expr::Op(call) => (call.f)(&call.args, env),
    }
}

fn field_of(doc: &Document, parts: &[String]) -> Bson {
    let Some((first, rest)) = parts.split_first() else {
        return MISSING;
    };
    match path::field(doc, first) {
        Some(v) => path::get_expr(v, rest).unwrap_or(MISSING),
        None => MISSING,
    }
}

fn field_of_root(doc: &Document, parts: &[String]) -> Bson {
    if parts.is_empty() {
        Bson::Document(doc.clone())
    } else {
        field_of(doc, parts)
    }
}

/// Evaluates an expression against a document.
pub fn eval_root(e: &Expr, doc: &Document) -> Result<Bson> {
    let mut env = Env::new(doc);
    eval(e, &mut env)
}

/// Null or missing: most operators return null for these.
pub fn nullish(v: &Bson) -> bool {
    matches!(v, Bson::Null | Bson::Undefined)
}
