//! Expressions: one lexer, one typed AST for the five kinds (key condition, condition, filter,
//! projection, update), name/value resolution with validation, then evaluation.
//!
//! Parsing resolves every `#name` and `:value` through a [`Resolver`], which records what was
//! used so the request can reject unused ones afterwards. Once an expression has parsed and
//! passed the parser's static checks, evaluating it cannot fail except for the type errors
//! DynamoDB itself reports at run time (arithmetic on a non-number, and so on).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::error::{DynamoError, Result};
use crate::value::AttributeValue;

pub mod eval;
mod lexer;
mod parser;

pub use parser::{parse_condition, parse_projection, parse_update};

/// Which expression parameter an expression came from; names the parameter in error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExprKind {
    KeyCondition,
    Condition,
    Filter,
    Projection,
    Update,
}

impl ExprKind {
    pub fn param(self) -> &'static str {
        match self {
            ExprKind::KeyCondition => "KeyConditionExpression",
            ExprKind::Condition => "ConditionExpression",
            ExprKind::Filter => "FilterExpression",
            ExprKind::Projection => "ProjectionExpression",
            ExprKind::Update => "UpdateExpression",
        }
    }
}

/// One step of a document path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathElem {
    Attr(String),
    Index(usize),
}

/// A document path such as `a.b[1].c`, with names already resolved.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Path(pub Vec<PathElem>);

impl Path {
    /// The top-level attribute the path starts with.
    pub fn root(&self) -> &str {
        match self.0.first() {
            Some(PathElem::Attr(a)) => a,
            _ => "",
        }
    }

    /// Whether one of the two paths is a prefix of the other (DynamoDB's "overlap").
    pub fn overlaps(&self, other: &Path) -> bool {
        let n = self.0.len().min(other.0.len());
        self.0.get(..n) == other.0.get(..n)
    }

    /// Whether the paths agree up to a step where one reads a map member and the other a list
    /// element (DynamoDB's "conflict": the same value cannot be both).
    pub fn conflicts(&self, other: &Path) -> bool {
        for (a, b) in self.0.iter().zip(&other.0) {
            match (a, b) {
                (PathElem::Attr(x), PathElem::Attr(y)) if x == y => continue,
                (PathElem::Index(x), PathElem::Index(y)) if x == y => continue,
                (PathElem::Attr(_), PathElem::Index(_))
                | (PathElem::Index(_), PathElem::Attr(_)) => return true,
                _ => return false,
            }
        }
        false
    }
}

impl fmt::Display for Path {
    /// DynamoDB's form in overlap messages: `[a, b, [1]]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match e {
                PathElem::Attr(a) => f.write_str(a)?,
                PathElem::Index(n) => write!(f, "[{n}]")?,
            }
        }
        f.write_str("]")
    }
}

/// An operand of a condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Path(Path),
    Value(AttributeValue),
    Size(Path),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// The operator with its operands swapped (`:v > k` is `k < :v`).
    pub fn flipped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        }
    }
}

/// A condition, filter or key condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Cmp(Operand, CmpOp, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
    Exists(Path),
    NotExists(Path),
    Type(Operand, Operand),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
}

/// An operand on the right of `SET path = ...`.
#[derive(Clone, Debug, PartialEq)]
pub enum UpdateOperand {
    Path(Path),
    Value(AttributeValue),
    IfNotExists(Path, Box<UpdateOperand>),
    ListAppend(Box<UpdateOperand>, Box<UpdateOperand>),
}

/// The value of one SET action.
#[derive(Clone, Debug, PartialEq)]
pub enum SetValue {
    Operand(UpdateOperand),
    Plus(UpdateOperand, UpdateOperand),
    Minus(UpdateOperand, UpdateOperand),
}

/// A whole update expression, its actions grouped by clause.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Update {
    pub set: Vec<(Path, SetValue)>,
    pub remove: Vec<Path>,
    pub add: Vec<(Path, AttributeValue)>,
    pub delete: Vec<(Path, AttributeValue)>,
}

impl Update {
    /// Every path the update writes, in clause order.
    pub fn paths(&self) -> Vec<&Path> {
        let mut out: Vec<&Path> = self.set.iter().map(|(p, _)| p).collect();
        out.extend(self.remove.iter());
        out.extend(self.add.iter().map(|(p, _)| p));
        out.extend(self.delete.iter().map(|(p, _)| p));
        out
    }
}

/// Resolves `#name` and `:value` references of one request and records which were used.
pub struct Resolver {
    names: BTreeMap<String, String>,
    values: BTreeMap<String, AttributeValue>,
    used_names: BTreeSet<String>,
    used_values: BTreeSet<String>,
}

impl Resolver {
    pub fn new(names: BTreeMap<String, String>, values: BTreeMap<String, AttributeValue>) -> Self {
        Resolver {
            names,
            values,
            used_names: BTreeSet::new(),
            used_values: BTreeSet::new(),
        }
    }

    fn name(&mut self, kind: ExprKind, reference: &str) -> Result<String> {
        match self.names.get(reference) {
            Some(n) => {
                self.used_names.insert(reference.to_string());
                Ok(n.clone())
            }
            None => Err(DynamoError::validation(format!(
                "Invalid {}: An expression attribute name used in the document path is not defined; attribute name: {reference}",
                kind.param()
            ))),
        }
    }

    fn value(&mut self, kind: ExprKind, reference: &str) -> Result<AttributeValue> {
        match self.values.get(reference) {
            Some(v) => {
                self.used_values.insert(reference.to_string());
                Ok(v.clone())
            }
            None => Err(DynamoError::validation(format!(
                "Invalid {}: An expression attribute value used in expression is not defined; attribute value: {reference}",
                kind.param()
            ))),
        }
    }

    /// Rejects names and values given in the request but used by none of its expressions.
    pub fn check_unused(&self) -> Result<()> {
        let unused_values: Vec<&str> = self
            .values
            .keys()
            .filter(|k| !self.used_values.contains(*k))
            .map(String::as_str)
            .collect();
        if !unused_values.is_empty() {
            return Err(DynamoError::validation(format!(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                unused_values.join(", ")
            )));
        }
        let unused_names: Vec<&str> = self
            .names
            .keys()
            .filter(|k| !self.used_names.contains(*k))
            .map(String::as_str)
            .collect();
        if !unused_names.is_empty() {
            return Err(DynamoError::validation(format!(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                unused_names.join(", ")
            )));
        }
        Ok(())
    }
}

/// DynamoDB's reserved words, upper case, sorted.
const RESERVED_WORDS: &str = include_str!("reserved_words.txt");

/// Whether `word` is one of DynamoDB's reserved words (case-insensitive).
pub fn is_reserved(word: &str) -> bool {
    static WORDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| RESERVED_WORDS.lines().collect());
    let upper = word.to_ascii_uppercase();
    words.binary_search(&upper.as_str()).is_ok()
}
