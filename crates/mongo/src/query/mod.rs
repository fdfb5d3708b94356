//! Query filters: parsed once into a [`Filter`] (every operator checked, regular expressions
//! compiled), then matched against documents without failing.
//!
//! The operators live in one module per family, as the manual groups them; each module exports a
//! registry of `("$name", parse function)` pairs that [`field_operator`] and [`top_operator`]
//! gather.

pub mod array;
pub mod comparison;
pub mod element;
pub mod evaluation;
pub mod logical;

use std::collections::HashSet;
use std::rc::Rc;

use bson::{Bson, Document};

use crate::collation::{has_strings, Collation};
use crate::error::{MongoError, Result};
use crate::expr::Expr;
use crate::path;
use crate::text::{TextIndexSpec, TextQuery};

/// Parses one field operator from its operand; `$regex` also reads its sibling `$options`.
/// `Ok(None)` means the operator was consumed by a sibling (`$options` next to `$regex`).
pub type FieldOperatorFn = fn(&Bson, &Document, &mut ParseCtx) -> Result<Option<Cond>>;

/// Parses one top-level operator (`$and`, `$expr`, `$text`, ...) from its operand.
pub type TopOperatorFn = fn(&Bson, &mut ParseCtx) -> Result<Filter>;

/// The nesting MongoDB accepts in a filter.
pub const MAX_FILTER_DEPTH: usize = 100;

/// What parsing needs to know about the collection and the operation: the text index, for
/// `$text`, and the collation string comparisons follow.
#[derive(Debug, Clone, Default)]
pub struct ParseCtx {
    pub text_index: Option<TextIndexSpec>,
    /// The operation's collation (or the collection's default); `None` compares bytes.
    pub collation: Option<Rc<Collation>>,
    pub depth: usize,
    /// `$text` is only allowed at the top of a filter, not inside `$elemMatch` or `$pull`.
    pub allow_text: bool,
    /// How many `$text` expressions the filter has so far (at most one is allowed).
    pub text_count: usize,
}

impl ParseCtx {
    pub fn new(text_index: Option<TextIndexSpec>) -> Self {
        ParseCtx {
            text_index,
            collation: None,
            depth: 0,
            allow_text: true,
            text_count: 0,
        }
    }

    /// The same context comparing strings under `collation`.
    pub fn with_collation(mut self, collation: Option<Rc<Collation>>) -> Self {
        self.collation = collation;
        self
    }

    /// A comparison (`$eq`, a range, `$in`) as the operation's collation makes it: over sort
    /// keys when its operand holds strings, unchanged otherwise (numbers, dates and the like
    /// compare the same under every collation).
    pub fn collate(&self, cond: Cond) -> Cond {
        let Some(c) = &self.collation else {
            return cond;
        };
        let mapped = match &cond {
            Cond::Eq(v) if has_strings(v, 0) => Cond::Eq(c.map(v).into_owned()),
            Cond::Cmp(op, v) if has_strings(v, 0) => Cond::Cmp(*op, c.map(v).into_owned()),
            Cond::In(list)
                if list
                    .iter()
                    .any(|i| matches!(i, InItem::Value(v) if has_strings(v, 0))) =>
            {
                Cond::In(InList::new(
                    list.iter()
                        .map(|i| match i {
                            InItem::Value(v) => InItem::Value(c.map(v).into_owned()),
                            regex => regex.clone(),
                        })
                        .collect(),
                ))
            }
            _ => return cond,
        };
        Cond::Collated(Box::new(Collated {
            collation: Rc::clone(c),
            cond: mapped,
            written: cond,
        }))
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_FILTER_DEPTH {
            return Err(MongoError::bad_value(format!(
                "exceeded maximum query tree depth of {MAX_FILTER_DEPTH}"
            )));
        }
        Ok(())
    }
}

/// A parsed filter.
#[derive(Debug, Clone)]
pub enum Filter {
    True,
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Nor(Vec<Filter>),
    Field {
        path: String,
        parts: Vec<String>,
        cond: Cond,
    },
    Expr(Box<Expr>),
    Text(Box<TextQuery>),
    /// `$jsonSchema`.
    Schema(Rc<crate::schema::Schema>),
}

/// A condition on the values at one path.
#[derive(Debug, Clone)]
pub enum Cond {
    Eq(Bson),
    Cmp(CmpOp, Bson),
    In(InList),
    Exists(bool),
    Type(Vec<element::TypeSel>),
    Regex(Box<RegexCond>),
    Mod(i64, i64),
    Size(i64),
    All(Vec<Cond>),
    ElemMatch(Box<ElemMatch>),
    Not(Box<Cond>),
    And(Vec<Cond>),
    /// A comparison under a collation.
    Collated(Box<Collated>),
}

/// `$eq`, a range or `$in` under a collation: its string operands are sort keys, and so are the
/// values it tests (a regular expression in `$in` still tests the string itself, as the
/// server's regular expressions ignore collation).
#[derive(Debug, Clone)]
pub struct Collated {
    pub collation: Rc<Collation>,
    /// The condition over sort keys.
    pub cond: Cond,
    /// The condition as written, for explain.
    pub written: Cond,
}

impl Collated {
    /// Whether one value (not looked into) meets the condition.
    pub fn matches(&self, value: Option<&Bson>) -> bool {
        match (&self.cond, value) {
            (Cond::In(list), _) => list.matches_collated(value, &self.collation),
            (cond, Some(v)) => scalar_matches(cond, Some(&self.collation.map(v))),
            (cond, None) => scalar_matches(cond, None),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Debug, Clone)]
pub enum InItem {
    Value(Bson),
    Regex(Box<RegexCond>),
}

/// The members of `$in`. A long list also keeps its string members in a hash set, so a string
/// is looked up instead of compared with every member.
#[derive(Debug, Clone)]
pub struct InList {
    items: Vec<InItem>,
    /// With many members: the string members hashed, and every other member.
    hashed: Option<(HashSet<String>, Vec<InItem>)>,
}

/// From this many members on, `$in` hashes its strings.
const IN_HASH_MIN: usize = 8;

impl InList {
    pub fn new(items: Vec<InItem>) -> Self {
        let hashed = (items.len() >= IN_HASH_MIN).then(|| {
            let mut strings = HashSet::new();
            let mut others = Vec::new();
            for item in &items {
                match item {
                    InItem::Value(Bson::String(s)) => {
                        strings.insert(s.clone());
                    }
                    other => others.push(other.clone()),
                }
            }
            (strings, others)
        });
        InList { items, hashed }
    }

    /// Whether one value (not looked into) equals a member or matches a member regex.
    pub fn matches(&self, value: Option<&Bson>) -> bool {
        if let (Some((strings, others)), Some(Bson::String(s))) = (&self.hashed, value) {
            // A string can only equal a string (or a symbol) member, or match a regex.
            return strings.contains(s.as_str()) || comparison::in_matches(others, value);
        }
        comparison::in_matches(&self.items, value)
    }

    /// [`InList::matches`] where the members are sort keys of `collation`: values compare by
    /// their keys, regular expressions test the value itself.
    pub fn matches_collated(&self, value: Option<&Bson>, collation: &Collation) -> bool {
        let mapped = value.map(|v| collation.map(v));
        let mapped = mapped.as_deref();
        if let (Some((strings, others)), Some(Bson::String(s))) = (&self.hashed, mapped) {
            return strings.contains(s.as_str())
                || comparison::in_matches_with(others, value, mapped);
        }
        comparison::in_matches_with(&self.items, value, mapped)
    }
}

impl std::ops::Deref for InList {
    type Target = [InItem];

    fn deref(&self) -> &[InItem] {
        &self.items
    }
}

impl<'a> IntoIterator for &'a InList {
    type Item = &'a InItem;
    type IntoIter = std::slice::Iter<'a, InItem>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

#[derive(Debug, Clone)]
pub struct RegexCond {
    pub regex: regex::Regex,
    pub pattern: String,
    pub options: String,
    /// A literal the pattern reduces to, checked without running the regex.
    pub literal: Literal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    None,
    /// `^abc...`: strings must start with the prefix; `whole` when nothing follows it.
    Prefix {
        prefix: String,
        whole: bool,
    },
    /// `abc`: strings must contain it.
    Contains(String),
}

#[derive(Debug, Clone)]
pub enum ElemMatch {
    /// `{$elemMatch: {field: ...}}`: each element is a document matched by a filter.
    Doc(Filter),
    /// `{$elemMatch: {$gt: 1}}`: each element is a value matched by operators.
    Value(Cond),
}

/// What a successful match leaves behind: the array position for the positional `$`, the text
/// score, and an error raised by `$expr` while matching.
#[derive(Debug, Clone, Default)]
pub struct MatchDetails {
    pub pos: Option<usize>,
    pub text_score: Option<f64>,
    pub error: Option<MongoError>,
}

/// The field operators of every family.
pub fn field_operator(name: &str) -> Option<FieldOperatorFn> {
    [
        comparison::OPERATORS,
        logical::FIELD_OPERATORS,
        element::OPERATORS,
        evaluation::FIELD_OPERATORS,
        array::OPERATORS,
    ]
    .iter()
    .flat_map(|family| family.iter())
    .find(|(n, _)| *n == name)
    .map(|(_, f)| *f)
}

/// The top-level operators of every family.
pub fn top_operator(name: &str) -> Option<TopOperatorFn> {
    [logical::TOP_OPERATORS, evaluation::TOP_OPERATORS]
        .iter()
        .flat_map(|family| family.iter())
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
}

/// Parses a filter document.
pub fn parse_filter(filter: &Document, ctx: &mut ParseCtx) -> Result<Filter> {
    ctx.enter()?;
    let mut parts = Vec::with_capacity(filter.len());
    for (key, value) in filter {
        if let Some(op) = key.strip_prefix('$') {
            if op == "comment" {
                continue;
            }
            let f = top_operator(key).ok_or_else(|| {
                MongoError::bad_value(format!("unknown top level operator: {key}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField."))
            })?;
            parts.push(f(value, ctx)?);
        } else {
            let cond = parse_field_value(value, ctx)?;
            parts.push(Filter::Field {
                path: key.clone(),
                parts: path::split(key),
                cond,
            });
        }
    }
    ctx.depth -= 1;
    Ok(match parts.len() {
        0 => Filter::True,
        1 => parts.pop().unwrap_or(Filter::True),
        _ => Filter::And(parts),
    })
}

/// Parses the value given for a field: an operator document, a regular expression, or a value to
/// compare for equality.
pub fn parse_field_value(value: &Bson, ctx: &mut ParseCtx) -> Result<Cond> {
    match value {
        Bson::Document(d) if d.keys().next().is_some_and(|k| k.starts_with('$')) => {
            parse_operator_doc(d, ctx)
        }
        Bson::RegularExpression(r) => Ok(Cond::Regex(Box::new(evaluation::compile_regex(
            r.pattern.as_str(),
            r.options.as_str(),
        )?))),
        other => Ok(ctx.collate(Cond::Eq(other.clone()))),
    }
}

/// Parses `{$gt: 1, $lt: 5}`: every key must be a known field operator.
pub fn parse_operator_doc(doc: &Document, ctx: &mut ParseCtx) -> Result<Cond> {
    ctx.enter()?;
    let mut conds = Vec::with_capacity(doc.len());
    for (key, operand) in doc {
        let f = field_operator(key)
            .ok_or_else(|| MongoError::bad_value(format!("unknown operator: {key}")))?;
        if let Some(cond) = f(operand, doc, ctx)? {
            conds.push(cond);
        }
    }
    ctx.depth -= 1;
    Ok(if conds.len() == 1 {
        conds.pop().unwrap_or(Cond::And(Vec::new()))
    } else {
        Cond::And(conds)
    })
}

impl Filter {
    /// Whether `doc` matches; `details` collects the positional index and the text score.
    pub fn matches(&self, doc: &Document, details: &mut MatchDetails) -> bool {
        match self {
            Filter::True => true,
            Filter::And(parts) => parts.iter().all(|p| p.matches(doc, details)),
            Filter::Or(parts) => parts.iter().any(|p| p.matches(doc, details)),
            Filter::Nor(parts) => !parts
                .iter()
                .any(|p| p.matches(doc, &mut MatchDetails::default())),
            Filter::Field { parts, cond, .. } => field_matches(doc, parts, cond, details),
            Filter::Expr(expr) => evaluation::expr_matches(expr, doc, details),
            Filter::Schema(schema) => schema.matches(doc),
            Filter::Text(query) => match query.score(doc) {
                Some(score) => {
                    details.text_score = Some(score);
                    true
                }
                None => false,
            },
        }
    }

    /// Whether the filter uses `$text` anywhere.
    pub fn has_text(&self) -> bool {
        match self {
            Filter::Text(_) => true,
            Filter::And(p) | Filter::Or(p) | Filter::Nor(p) => p.iter().any(Filter::has_text),
            _ => false,
        }
    }

    /// The `$text` query, if the filter has one at the top.
    pub fn text_query(&self) -> Option<&TextQuery> {
        match self {
            Filter::Text(q) => Some(q),
            Filter::And(p) => p.iter().find_map(Filter::text_query),
            _ => None,
        }
    }
}

/// Matches a condition against everything a path reaches in `doc`.
pub fn field_matches(doc: &Document, parts: &[String], cond: &Cond, d: &mut MatchDetails) -> bool {
    match cond {
        Cond::Not(inner) => !field_matches(doc, parts, inner, &mut MatchDetails::default()),
        Cond::And(conds) => conds.iter().all(|c| field_matches(doc, parts, c, d)),
        Cond::All(items) => {
            !items.is_empty() && items.iter().all(|c| field_matches(doc, parts, c, d))
        }
        _ => match plain_leaf(doc, parts) {
            // No array on the way: one value (or none) to test, borrowed, without a visitor.
            Some(leaf) => match cond {
                Cond::Exists(want) => leaf.is_some() == *want,
                _ => leaf_matches(cond, leaf, None, d),
            },
            None => match cond {
                Cond::Exists(want) => {
                    path::any_leaf(doc, parts, &mut |leaf, _| leaf.is_some()) == *want
                }
                _ => path::any_leaf(doc, parts, &mut |leaf, pos| {
                    leaf_matches(cond, leaf, pos, d)
                }),
            },
        },
    }
}

/// The single value a path reaches through embedded documents alone (`Some(None)` when a field
/// is missing or a scalar is in the way, as [`path::any_leaf`] would report it), or `None` when
/// an array lies on the way and every branch must be visited.
#[inline]
fn plain_leaf<'a>(doc: &'a Document, parts: &[String]) -> Option<Option<&'a Bson>> {
    let (last, inner) = parts.split_last()?;
    let mut current = doc;
    for part in inner {
        match path::field(current, part) {
            None => return Some(None),
            Some(Bson::Document(d)) => current = d,
            Some(Bson::Array(_)) => return None,
            Some(_) => return Some(None),
        }
    }
    Some(path::field(current, last))
}

/// Matches a condition against the single value a path reaches (no array on the way).
pub fn field_matches_leaf(leaf: Option<&Bson>, cond: &Cond, d: &mut MatchDetails) -> bool {
    match cond {
        Cond::Not(inner) => !field_matches_leaf(leaf, inner, &mut MatchDetails::default()),
        Cond::And(conds) => conds.iter().all(|c| field_matches_leaf(leaf, c, d)),
        Cond::All(items) => {
            !items.is_empty() && items.iter().all(|c| field_matches_leaf(leaf, c, d))
        }
        Cond::Exists(want) => leaf.is_some() == *want,
        _ => leaf_matches(cond, leaf, None, d),
    }
}

/// Matches a condition against one value a path reached (`None`: the field is missing there).
/// Arrays match when they do as a whole or when one of their elements does.
pub fn leaf_matches(
    cond: &Cond,
    leaf: Option<&Bson>,
    pos: Option<usize>,
    d: &mut MatchDetails,
) -> bool {
    match cond {
        Cond::Not(inner) => !leaf_matches(inner, leaf, pos, &mut MatchDetails::default()),
        Cond::And(conds) => conds.iter().all(|c| leaf_matches(c, leaf, pos, d)),
        Cond::All(items) => {
            !items.is_empty() && items.iter().all(|c| leaf_matches(c, leaf, pos, d))
        }
        Cond::Exists(want) => leaf.is_some() == *want,
        Cond::Size(n) => array::size_matches(*n, leaf),
        Cond::ElemMatch(em) => array::elem_match(em, leaf, pos, d),
        _ => {
            let Some(value) = leaf else {
                return scalar_matches(cond, None);
            };
            if scalar_matches(cond, Some(value)) {
                record(d, pos);
                return true;
            }
            if let Bson::Array(items) = value {
                for (i, item) in items.iter().enumerate() {
                    if scalar_matches(cond, Some(item)) {
                        record(d, pos.or(Some(i)));
                        return true;
                    }
                }
            }
            false
        }
    }
}

fn record(d: &mut MatchDetails, pos: Option<usize>) {
    if d.pos.is_none() {
        d.pos = pos;
    }
}

/// Matches the conditions that test one value without looking inside arrays.
pub(crate) fn scalar_matches(cond: &Cond, value: Option<&Bson>) -> bool {
    match cond {
        Cond::Eq(v) => comparison::eq_matches(v, value),
        Cond::Cmp(op, v) => comparison::cmp_matches(*op, v, value),
        Cond::In(items) => items.matches(value),
        Cond::Type(sels) => value.is_some_and(|v| element::type_matches(sels, v)),
        Cond::Regex(re) => value.is_some_and(|v| evaluation::regex_matches(re, v)),
        Cond::Mod(div, rem) => value.is_some_and(|v| evaluation::mod_matches(*div, *rem, v)),
        Cond::Size(n) => array::size_matches(*n, value),
        Cond::Exists(want) => value.is_some() == *want,
        Cond::Collated(c) => c.matches(value),
        Cond::Not(_) | Cond::And(_) | Cond::All(_) | Cond::ElemMatch(_) => {
            leaf_matches(cond, value, None, &mut MatchDetails::default())
        }
    }
}

/// Reads a filter given as Extended JSON-derived BSON: it must be a document.
pub fn expect_document<'a>(value: &'a Bson, what: &str) -> Result<&'a Document> {
    value
        .as_document()
        .ok_or_else(|| MongoError::type_mismatch(format!("{what} must be an object")))
}
