//! Recursive-descent parser for all five expression kinds, resolving names and values as it goes,
//! followed by the static checks DynamoDB makes before touching any item.

use super::lexer::{lex, Tok, Token};
use super::{
    is_reserved, CmpOp, Cond, ExprKind, Operand, Path, PathElem, Resolver, SetValue, Update,
    UpdateOperand,
};
use crate::error::{DynamoError, Result};
use crate::value::AttributeValue;

/// Maximum expression length DynamoDB accepts, in bytes.
const MAX_EXPRESSION_BYTES: usize = 4096;
/// Parenthesis and function nesting limit; deeper input is rejected instead of overflowing the stack.
/// It leaves room for the 149 nested groups of 299 operators DynamoDB accepts (Alternator's
/// `test_deeply_nested_expression_2`); NOT chains are read in a loop and do not count.
const MAX_NESTING: usize = 190;
/// Most operators (comparisons, AND, OR, NOT, BETWEEN, IN) one condition may hold.
const MAX_OPERATORS: usize = 300;

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    kind: ExprKind,
    resolver: &'a mut Resolver,
    depth: usize,
}

fn start<'a>(src: &'a str, kind: ExprKind, resolver: &'a mut Resolver) -> Result<Parser<'a>> {
    if src.len() > MAX_EXPRESSION_BYTES {
        return Err(DynamoError::validation(format!(
            "Invalid {}: Expression size has exceeded the maximum allowed size; expression size: {}",
            kind.param(),
            src.len()
        )));
    }
    if src.trim().is_empty() {
        return Err(DynamoError::validation(format!(
            "Invalid {}: The expression can not be empty;",
            kind.param()
        )));
    }
    let tokens = lex(src).map_err(|at| {
        let ch = src.get(at..).and_then(|s| s.chars().next()).unwrap_or(' ');
        // DynamoDB shows the previous word and the one the bad character starts.
        let bytes = src.as_bytes();
        let mut from = at;
        while from > 0 && bytes.get(from - 1) == Some(&b' ') {
            from -= 1;
        }
        while from > 0 && bytes.get(from - 1).is_some_and(|b| *b != b' ') {
            from -= 1;
        }
        let mut to = at + ch.len_utf8();
        while bytes
            .get(to)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            to += 1;
        }
        DynamoError::validation(format!(
            "Invalid {}: Syntax error; token: \"{ch}\", near: \"{}\"",
            kind.param(),
            near_text(src, from, to)
        ))
    })?;
    Ok(Parser {
        src,
        tokens,
        pos: 0,
        kind,
        resolver,
        depth: 0,
    })
}

fn near_text(src: &str, from: usize, to: usize) -> &str {
    let mut from = from.min(src.len());
    while !src.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = to.min(src.len());
    while !src.is_char_boundary(to) {
        to += 1;
    }
    src.get(from..to).unwrap_or(src).trim()
}

/// Parses a condition, filter or key condition expression.
pub fn parse_condition(src: &str, kind: ExprKind, resolver: &mut Resolver) -> Result<Cond> {
    let mut p = start(src, kind, resolver)?;
    p.check_redundant_parens()?;
    p.check_operator_count()?;
    let cond = p.condition()?;
    p.expect_end()?;
    Ok(cond)
}

/// Parses a projection expression into its paths, rejecting overlapping ones.
pub fn parse_projection(src: &str, resolver: &mut Resolver) -> Result<Vec<Path>> {
    let mut p = start(src, ExprKind::Projection, resolver)?;
    let mut paths = vec![p.path()?];
    while p.eat(&Tok::Comma) {
        paths.push(p.path()?);
    }
    p.expect_end()?;
    check_overlaps(ExprKind::Projection, &paths.iter().collect::<Vec<_>>())?;
    Ok(paths)
}

/// Parses an update expression and makes DynamoDB's static checks (operand types, overlaps).
pub fn parse_update(src: &str, resolver: &mut Resolver) -> Result<Update> {
    let mut p = start(src, ExprKind::Update, resolver)?;
    let mut update = Update::default();
    let mut seen: Vec<&'static str> = Vec::new();
    loop {
        let Some(Tok::Ident(word)) = p.peek().cloned() else {
            if p.peek().is_none() && !seen.is_empty() {
                break;
            }
            return Err(p.syntax_error());
        };
        let clause = match word.to_ascii_uppercase().as_str() {
            "SET" => "SET",
            "REMOVE" => "REMOVE",
            "ADD" => "ADD",
            "DELETE" => "DELETE",
            _ => return Err(p.syntax_error()),
        };
        if seen.contains(&clause) {
            return Err(DynamoError::validation(format!(
                "Invalid UpdateExpression: The \"{clause}\" section can only be used once in an update expression;"
            )));
        }
        seen.push(clause);
        p.pos += 1;
        loop {
            match clause {
                "SET" => {
                    let path = p.path()?;
                    p.expect(&Tok::Eq)?;
                    let value = p.set_value()?;
                    update.set.push((path, value));
                }
                "REMOVE" => update.remove.push(p.path()?),
                _ => {
                    let path = p.path()?;
                    let value = match p.next() {
                        Some(Tok::ValueRef(v)) => p.resolver.value(ExprKind::Update, &v)?,
                        _ => return Err(p.syntax_error_prev()),
                    };
                    let ok = if clause == "ADD" {
                        matches!(value, AttributeValue::N(_)) || value.is_set()
                    } else {
                        value.is_set()
                    };
                    if !ok {
                        return Err(DynamoError::validation(format!(
                            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: {clause}, operand type: {}",
                            value.long_type_name()
                        )));
                    }
                    if clause == "ADD" {
                        update.add.push((path, value));
                    } else {
                        update.delete.push((path, value));
                    }
                }
            }
            if !p.eat(&Tok::Comma) {
                break;
            }
        }
    }
    for (_, value) in &update.set {
        check_set_value(value)?;
    }
    check_overlaps(ExprKind::Update, &update.paths())?;
    Ok(update)
}

fn check_set_value(value: &SetValue) -> Result<()> {
    let operand_error = |op: &str, v: &AttributeValue| {
        DynamoError::validation(format!(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: {op}, operand type: {}",
            v.type_name()
        ))
    };
    fn walk(o: &UpdateOperand, f: &dyn Fn(&str, &AttributeValue) -> DynamoError) -> Result<()> {
        match o {
            UpdateOperand::ListAppend(a, b) => {
                for x in [a, b] {
                    if let UpdateOperand::Value(v) = x.as_ref() {
                        if !matches!(v, AttributeValue::L(_)) {
                            return Err(f("list_append", v));
                        }
                    }
                    walk(x, f)?;
                }
                Ok(())
            }
            UpdateOperand::IfNotExists(_, d) => walk(d, f),
            _ => Ok(()),
        }
    }
    match value {
        SetValue::Operand(o) => walk(o, &operand_error),
        SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
            let op = if matches!(value, SetValue::Plus(..)) {
                "+"
            } else {
                "-"
            };
            for x in [a, b] {
                if let UpdateOperand::Value(v) = x {
                    if !matches!(v, AttributeValue::N(_)) {
                        return Err(operand_error(op, v));
                    }
                }
                walk(x, &operand_error)?;
            }
            Ok(())
        }
    }
}

fn check_overlaps(kind: ExprKind, paths: &[&Path]) -> Result<()> {
    for (i, a) in paths.iter().enumerate() {
        for b in paths.iter().skip(i + 1) {
            if a.conflicts(b) {
                return Err(DynamoError::validation(format!(
                    "Invalid {}: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {a}, path two: {b}",
                    kind.param()
                )));
            }
            if a.overlaps(b) {
                return Err(DynamoError::validation(format!(
                    "Invalid {}: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {a}, path two: {b}",
                    kind.param()
                )));
            }
        }
    }
    Ok(())
}

const BOOL_FUNCTIONS: [&str; 5] = [
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
];
const VALID_TYPES: [&str; 10] = ["B", "BOOL", "BS", "L", "M", "N", "NS", "NULL", "S", "SS"];

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.kind)
    }

    fn peek_at(&self, offset: usize) -> Option<&Tok> {
        self.tokens.get(self.pos + offset).map(|t| &t.kind)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.tokens.get(self.pos).map(|t| t.kind.clone());
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: &Tok) -> Result<()> {
        if self.eat(tok) {
            Ok(())
        } else {
            Err(self.syntax_error())
        }
    }

    fn expect_end(&self) -> Result<()> {
        if self.pos < self.tokens.len() {
            Err(self.syntax_error())
        } else {
            Ok(())
        }
    }

    fn is_keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case(word))
    }

    /// DynamoDB's syntax error at the current token: `token: "x", near: "a x b"`.
    fn syntax_error(&self) -> DynamoError {
        self.syntax_error_at(self.pos)
    }

    fn syntax_error_prev(&self) -> DynamoError {
        self.syntax_error_at(self.pos.saturating_sub(1))
    }

    fn syntax_error_at(&self, at: usize) -> DynamoError {
        let (token, near) = match self.tokens.get(at) {
            Some(t) => {
                let from = at
                    .checked_sub(1)
                    .and_then(|i| self.tokens.get(i))
                    .map_or(t.start, |p| p.start);
                let to = self.tokens.get(at + 1).map_or(t.end, |n| n.end);
                (
                    self.src.get(t.start..t.end).unwrap_or(""),
                    self.src.get(from..to).unwrap_or(""),
                )
            }
            None => {
                let from = self.tokens.last().map_or(0, |t| t.start);
                let from = at
                    .checked_sub(1)
                    .and_then(|i| self.tokens.get(i))
                    .map_or(from, |t| t.start);
                ("<EOF>", self.src.get(from..).unwrap_or("").trim())
            }
        };
        DynamoError::validation(format!(
            "Invalid {}: Syntax error; token: \"{token}\", near: \"{near}\"",
            self.kind.param()
        ))
    }

    /// DynamoDB rejects a pair of parentheses directly around another pair, as in `((a = :v))`:
    /// "The expression has redundant parentheses;".
    fn check_redundant_parens(&self) -> Result<()> {
        let kinds: Vec<&Tok> = self.tokens.iter().map(|t| &t.kind).collect();
        // The index of the parenthesis closing the one opened at `open`.
        let closing = |open: usize| {
            let mut depth = 0usize;
            for (i, tok) in kinds.iter().enumerate().skip(open) {
                match tok {
                    Tok::LParen => depth += 1,
                    Tok::RParen => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(i);
                        }
                    }
                    _ => {}
                }
            }
            None
        };
        for (i, pair) in kinds.windows(2).enumerate() {
            if !matches!(pair, [Tok::LParen, Tok::LParen]) {
                continue;
            }
            let inner = closing(i + 1);
            if inner.is_some() && inner.map(|j| j + 1) == closing(i) {
                return Err(DynamoError::validation(format!(
                    "Invalid {}: The expression has redundant parentheses;",
                    self.kind.param()
                )));
            }
        }
        Ok(())
    }

    /// DynamoDB counts comparisons and the keywords AND, OR, NOT, BETWEEN and IN (not function
    /// calls or parentheses) and rejects the 301st.
    fn check_operator_count(&self) -> Result<()> {
        let mut count = 0usize;
        for token in &self.tokens {
            let operator = match &token.kind {
                Tok::Eq | Tok::Ne | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge => true,
                Tok::Ident(w) => ["AND", "OR", "NOT", "BETWEEN", "IN"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k)),
                _ => false,
            };
            if operator {
                count += 1;
                if count > MAX_OPERATORS {
                    return Err(DynamoError::validation(format!(
                        "Invalid {}: The expression contains too many operators; operator count: {count}",
                        self.kind.param()
                    )));
                }
            }
        }
        Ok(())
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(DynamoError::validation(format!(
                "Invalid {}: The expression has too many levels of nesting",
                self.kind.param()
            )));
        }
        Ok(())
    }

    fn path(&mut self) -> Result<Path> {
        let mut elems = vec![PathElem::Attr(self.path_name()?)];
        loop {
            if self.eat(&Tok::Dot) {
                elems.push(PathElem::Attr(self.path_name()?));
            } else if self.eat(&Tok::LBracket) {
                let n = match self.next() {
                    Some(Tok::Int(n)) => n,
                    _ => return Err(self.syntax_error_prev()),
                };
                let index: usize = n.parse().map_err(|_| {
                    DynamoError::validation(format!(
                        "Invalid {}: List index is too large; index: {n}",
                        self.kind.param()
                    ))
                })?;
                self.expect(&Tok::RBracket)?;
                elems.push(PathElem::Index(index));
            } else {
                return Ok(Path(elems));
            }
        }
    }

    fn path_name(&mut self) -> Result<String> {
        match self.next() {
            Some(Tok::Ident(word)) => {
                if is_reserved(&word) {
                    return Err(DynamoError::validation(format!(
                        "Invalid {}: Attribute name is a reserved keyword; reserved keyword: {word}",
                        self.kind.param()
                    )));
                }
                Ok(word)
            }
            Some(Tok::NameRef(r)) => self.resolver.name(self.kind, &r),
            _ => Err(self.syntax_error_prev()),
        }
    }

    fn condition(&mut self) -> Result<Cond> {
        self.enter()?;
        let mut left = self.and_condition()?;
        while self.is_keyword("OR") {
            self.pos += 1;
            let right = self.and_condition()?;
            left = Cond::Or(Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and_condition(&mut self) -> Result<Cond> {
        let mut left = self.not_condition()?;
        while self.is_keyword("AND") {
            self.pos += 1;
            let right = self.not_condition()?;
            left = Cond::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not_condition(&mut self) -> Result<Cond> {
        let mut nots = 0usize;
        while self.is_keyword("NOT") {
            self.pos += 1;
            nots += 1;
        }
        let mut cond = self.primary_condition()?;
        for _ in 0..nots {
            cond = Cond::Not(Box::new(cond));
        }
        Ok(cond)
    }

    fn primary_condition(&mut self) -> Result<Cond> {
        if self.eat(&Tok::LParen) {
            let c = self.condition()?;
            self.expect(&Tok::RParen)?;
            return Ok(c);
        }
        if let (Some(Tok::Ident(name)), Some(Tok::LParen)) = (self.peek(), self.peek_at(1)) {
            let name = name.clone();
            if BOOL_FUNCTIONS.contains(&name.as_str()) {
                return self.bool_function(&name);
            }
        }
        let left = self.operand()?;
        if self.is_keyword("BETWEEN") {
            self.pos += 1;
            let low = self.operand()?;
            if !self.is_keyword("AND") {
                return Err(self.syntax_error());
            }
            self.pos += 1;
            let high = self.operand()?;
            return self.checked(Cond::Between(left, low, high));
        }
        if self.is_keyword("IN") {
            self.pos += 1;
            self.expect(&Tok::LParen)?;
            let mut list = vec![self.operand()?];
            while self.eat(&Tok::Comma) {
                list.push(self.operand()?);
            }
            self.expect(&Tok::RParen)?;
            return self.checked(Cond::In(left, list));
        }
        let op = match self.peek() {
            Some(Tok::Eq) => CmpOp::Eq,
            Some(Tok::Ne) => CmpOp::Ne,
            Some(Tok::Lt) => CmpOp::Lt,
            Some(Tok::Le) => CmpOp::Le,
            Some(Tok::Gt) => CmpOp::Gt,
            Some(Tok::Ge) => CmpOp::Ge,
            _ => {
                if let Operand::Size(_) = left {
                    return Err(DynamoError::validation(format!(
                        "Invalid {}: The function is not allowed to be used this way in an expression; function: size",
                        self.kind.param()
                    )));
                }
                return Err(self.syntax_error());
            }
        };
        self.pos += 1;
        let right = self.operand()?;
        self.checked(Cond::Cmp(left, op, right))
    }

    /// Makes DynamoDB's static checks on a condition as soon as it is read, so that errors are
    /// reported in the order the expression is written.
    fn checked(&self, cond: Cond) -> Result<Cond> {
        self.check_condition(&cond)?;
        Ok(cond)
    }

    fn bool_function(&mut self, name: &str) -> Result<Cond> {
        let mut args = self.function_args(name)?.into_iter();
        let cond = match (name, args.next(), args.next()) {
            ("attribute_exists", Some(a), None) => Cond::Exists(self.path_operand(name, a)?),
            ("attribute_not_exists", Some(a), None) => Cond::NotExists(self.path_operand(name, a)?),
            ("attribute_type", Some(a), Some(b)) => Cond::Type(a, b),
            ("begins_with", Some(a), Some(b)) => Cond::BeginsWith(a, b),
            ("contains", Some(a), Some(b)) => Cond::Contains(a, b),
            _ => return Err(self.arity_error(name)),
        };
        self.checked(cond)
    }

    /// The parenthesized, comma-separated operands of a function call at the current token.
    fn function_args(&mut self, name: &str) -> Result<Vec<Operand>> {
        self.pos += 2;
        self.enter()?;
        let mut args = vec![self.operand()?];
        while self.eat(&Tok::Comma) {
            args.push(self.operand()?);
        }
        self.expect(&Tok::RParen)?;
        self.depth -= 1;
        let arity = match name {
            "attribute_exists" | "attribute_not_exists" | "size" => 1,
            _ => 2,
        };
        if args.len() != arity {
            return Err(DynamoError::validation(format!(
                "Invalid {}: Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
                self.kind.param(),
                args.len()
            )));
        }
        Ok(args)
    }

    fn arity_error(&self, name: &str) -> DynamoError {
        DynamoError::validation(format!(
            "Invalid {}: Incorrect number of operands for operator or function; operator or function: {name}",
            self.kind.param()
        ))
    }

    /// The document path a function requires as its argument.
    fn path_operand(&self, function: &str, operand: Operand) -> Result<Path> {
        match operand {
            Operand::Path(p) => Ok(p),
            _ => Err(DynamoError::validation(format!(
                "Invalid {}: Operator or function requires a document path; operator or function: {function}",
                self.kind.param()
            ))),
        }
    }

    fn operand(&mut self) -> Result<Operand> {
        match self.peek().cloned() {
            Some(Tok::ValueRef(v)) => {
                self.pos += 1;
                Ok(Operand::Value(self.resolver.value(self.kind, &v)?))
            }
            Some(Tok::Ident(name)) if self.peek_at(1) == Some(&Tok::LParen) => {
                if name == "size" {
                    let arg = self.function_args("size")?.into_iter().next();
                    let arg = arg.ok_or_else(|| self.arity_error("size"))?;
                    return Ok(Operand::Size(self.path_operand("size", arg)?));
                }
                let message = if BOOL_FUNCTIONS.contains(&name.as_str()) {
                    format!("The function is not allowed to be used this way in an expression; function: {name}")
                } else if name == "if_not_exists" || name == "list_append" {
                    format!(
                        "The function is not allowed in a {} expression; function: {name}",
                        self.kind_word()
                    )
                } else {
                    format!("Invalid function name; function: {name}")
                };
                Err(DynamoError::validation(format!(
                    "Invalid {}: {message}",
                    self.kind.param()
                )))
            }
            Some(Tok::Ident(_)) | Some(Tok::NameRef(_)) => Ok(Operand::Path(self.path()?)),
            _ => Err(self.syntax_error()),
        }
    }

    fn kind_word(&self) -> &'static str {
        match self.kind {
            ExprKind::KeyCondition => "key condition",
            ExprKind::Filter => "filter",
            ExprKind::Projection => "projection",
            ExprKind::Update => "update",
            ExprKind::Condition => "condition",
        }
    }

    /// The right-hand side of a SET action. DynamoDB allows one pair of parentheses around the
    /// whole value (`(c - :v)`) and one around each operand (`(c) - (:v)`).
    fn set_value(&mut self) -> Result<SetValue> {
        if self.eat(&Tok::LParen) {
            let inner = self.arithmetic()?;
            self.expect(&Tok::RParen)?;
            return match inner {
                // `(c) - :v`: the parentheses held just the first operand.
                SetValue::Operand(left) if matches!(self.peek(), Some(Tok::Plus | Tok::Minus)) => {
                    self.arithmetic_rest(left)
                }
                other => Ok(other),
            };
        }
        self.arithmetic()
    }

    /// `operand`, `operand + operand` or `operand - operand`.
    fn arithmetic(&mut self) -> Result<SetValue> {
        let left = self.grouped_operand()?;
        self.arithmetic_rest(left)
    }

    fn arithmetic_rest(&mut self, left: UpdateOperand) -> Result<SetValue> {
        if self.eat(&Tok::Plus) {
            return Ok(SetValue::Plus(left, self.grouped_operand()?));
        }
        if self.eat(&Tok::Minus) {
            return Ok(SetValue::Minus(left, self.grouped_operand()?));
        }
        Ok(SetValue::Operand(left))
    }

    /// An update operand, optionally in one pair of parentheses.
    fn grouped_operand(&mut self) -> Result<UpdateOperand> {
        if self.eat(&Tok::LParen) {
            let operand = self.update_operand()?;
            self.expect(&Tok::RParen)?;
            return Ok(operand);
        }
        self.update_operand()
    }

    fn update_operand(&mut self) -> Result<UpdateOperand> {
        match self.peek().cloned() {
            Some(Tok::ValueRef(v)) => {
                self.pos += 1;
                Ok(UpdateOperand::Value(self.resolver.value(self.kind, &v)?))
            }
            Some(Tok::Ident(name)) if self.peek_at(1) == Some(&Tok::LParen) => {
                self.pos += 2;
                self.enter()?;
                let mut args = vec![self.grouped_operand()?];
                while self.eat(&Tok::Comma) {
                    args.push(self.grouped_operand()?);
                }
                self.expect(&Tok::RParen)?;
                self.depth -= 1;
                let invalid = |message: String| {
                    Err(DynamoError::validation(format!(
                        "Invalid UpdateExpression: {message}"
                    )))
                };
                if name != "if_not_exists" && name != "list_append" {
                    return invalid(
                        if name == "size" || BOOL_FUNCTIONS.contains(&name.as_str()) {
                            format!("The function is not allowed in an update expression; function: {name}")
                        } else {
                            format!("Invalid function name; function: {name}")
                        },
                    );
                }
                if args.len() != 2 {
                    return invalid(format!(
                        "Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
                        args.len()
                    ));
                }
                let mut args = args.into_iter();
                let (Some(a), Some(b)) = (args.next(), args.next()) else {
                    return Err(self.syntax_error());
                };
                if name == "if_not_exists" {
                    let UpdateOperand::Path(path) = a else {
                        return invalid(
                            "Operator or function requires a document path; operator or function: if_not_exists".to_string(),
                        );
                    };
                    return Ok(UpdateOperand::IfNotExists(path, Box::new(b)));
                }
                // DynamoDB rejects list_append directly inside list_append.
                if matches!(a, UpdateOperand::ListAppend(..))
                    || matches!(b, UpdateOperand::ListAppend(..))
                {
                    return invalid(
                        "The function is not allowed to be used this way in an expression; function: list_append".to_string(),
                    );
                }
                Ok(UpdateOperand::ListAppend(Box::new(a), Box::new(b)))
            }
            Some(Tok::Ident(_)) | Some(Tok::NameRef(_)) => Ok(UpdateOperand::Path(self.path()?)),
            _ => Err(self.syntax_error()),
        }
    }

    /// Static checks of a condition: operand types of functions, BETWEEN bounds, IN list size.
    fn check_condition(&self, cond: &Cond) -> Result<()> {
        let param = self.kind.param();
        let operand_type = |f: &str, v: &AttributeValue| {
            DynamoError::validation(format!(
                "Invalid {param}: Incorrect operand type for operator or function; operator or function: {f}, operand type: {}",
                v.type_name()
            ))
        };
        // DynamoDB rejects a two-operand comparison or function whose operands are one path.
        let same_path = match cond {
            Cond::Cmp(Operand::Path(a), op, Operand::Path(b)) if a == b => Some((op.symbol(), a)),
            Cond::BeginsWith(Operand::Path(a), Operand::Path(b)) if a == b => {
                Some(("begins_with", a))
            }
            Cond::Contains(Operand::Path(a), Operand::Path(b)) if a == b => Some(("contains", a)),
            Cond::Type(Operand::Path(a), Operand::Path(b)) if a == b => Some(("attribute_type", a)),
            _ => None,
        };
        if let Some((operator, path)) = same_path {
            return Err(DynamoError::validation(format!(
                "Invalid {param}: The first operand must be distinct from the remaining operands for this operator or function; operator: {operator}, first operand: {path}"
            )));
        }
        match cond {
            Cond::And(a, b) | Cond::Or(a, b) => {
                self.check_condition(a)?;
                self.check_condition(b)
            }
            Cond::Not(a) => self.check_condition(a),
            Cond::Type(_, t) => {
                let Operand::Value(v) = t else {
                    return Err(DynamoError::validation(format!(
                        "Invalid {param}: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: PATH"
                    )));
                };
                match v {
                    AttributeValue::S(s) if VALID_TYPES.contains(&s.as_str()) => Ok(()),
                    AttributeValue::S(s) => Err(DynamoError::validation(format!(
                        "Invalid {param}: Invalid attribute type name found; type: {s}, valid types: {{ B,BOOL,BS,L,M,N,NS,NULL,S,SS }}"
                    ))),
                    other => Err(operand_type("attribute_type", other)),
                }
            }
            Cond::BeginsWith(a, b) => {
                for x in [a, b] {
                    if let Operand::Value(v) = x {
                        if !matches!(v, AttributeValue::S(_) | AttributeValue::B(_)) {
                            return Err(operand_type("begins_with", v));
                        }
                    }
                }
                Ok(())
            }
            Cond::Cmp(a, op, b) if *op != CmpOp::Eq && *op != CmpOp::Ne => {
                for x in [a, b] {
                    if let Operand::Value(v) = x {
                        if !matches!(v, AttributeValue::S(_) | AttributeValue::N(_) | AttributeValue::B(_)) {
                            return Err(operand_type(op.symbol(), v));
                        }
                    }
                }
                Ok(())
            }
            Cond::Between(a, b, c)
                if [a, b, c].iter().any(|x| {
                    matches!(x, Operand::Value(v) if !matches!(v, AttributeValue::S(_) | AttributeValue::N(_) | AttributeValue::B(_)))
                }) =>
            {
                let bad = [a, b, c].into_iter().find_map(|x| match x {
                    Operand::Value(v)
                        if !matches!(
                            v,
                            AttributeValue::S(_) | AttributeValue::N(_) | AttributeValue::B(_)
                        ) =>
                    {
                        Some(v)
                    }
                    _ => None,
                });
                match bad {
                    Some(v) => Err(operand_type("BETWEEN", v)),
                    None => Ok(()),
                }
            }
            Cond::Between(_, Operand::Value(low), Operand::Value(high)) => {
                let requirement = if low.type_name() != high.type_name() {
                    "requires same data type for lower and upper bounds"
                } else if super::eval::compare(low, high) == Some(std::cmp::Ordering::Greater) {
                    "requires upper bound to be greater than or equal to lower bound"
                } else {
                    return Ok(());
                };
                Err(DynamoError::validation(format!(
                    "Invalid {param}: The BETWEEN operator {requirement}; lower bound operand: AttributeValue: {{{}:{}}}, upper bound operand: AttributeValue: {{{}:{}}}",
                    low.type_name(),
                    super::eval::plain(low),
                    high.type_name(),
                    super::eval::plain(high)
                )))
            }
            // "The maximum number of operands for the IN comparator is 100" (the
            // values in the list; the tested operand is not counted).
            Cond::In(_, list) if list.len() > 100 => Err(DynamoError::validation(format!(
                "Invalid {param}: The IN operator is provided with too many operands; number of operands: {}",
                list.len()
            ))),
            _ => Ok(()),
        }
    }
}
