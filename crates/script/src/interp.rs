//! The interpreter: runs parsed statements in order, with console semantics (each statement
//! has its own outcome; a later `const` may rebind a name, as in the DevTools console).

use std::collections::HashMap;
use std::rc::Rc;

use crate::ast::*;
use crate::host::{Cx, Host, Result, Thrown};
use crate::value::{self, ObjectBuilder, Value, MAX_VALUE_DEPTH};
use crate::{builtins, packages, Outcome, ScriptError};

/// The longest script the console runs (in bytes).
pub const MAX_SOURCE_BYTES: usize = 1 << 20;

/// The most times a `while` loop's body runs: a loop whose condition never turns false (a
/// paging loop that starts every page at the same key) stops with a `RangeError` instead of
/// keeping the console busy for ever.
pub const MAX_LOOP_ITERATIONS: usize = 1_000;

struct Binding {
    value: Value,
    kind: DeclKind,
}

pub(crate) struct Interp<'h> {
    pub cx: Cx<'h>,
    env: HashMap<String, Binding>,
}

/// Runs a script against the host: one outcome per statement, in order.
pub fn run(source: &str, host: &mut Host) -> Vec<Outcome> {
    if source.len() > MAX_SOURCE_BYTES {
        return vec![Outcome {
            line: 1,
            end_line: 1,
            database: None,
            answer: None,
            result: Err(ScriptError {
                message: format!(
                    "RangeError: the script is {} bytes long; the console runs scripts of up to {MAX_SOURCE_BYTES} bytes",
                    source.len()
                ),
                line: 1,
                column: 1,
            }),
            warnings: Vec::new(),
        }];
    }
    let statements = crate::parser::parse(source);
    let mut it = Interp {
        cx: Cx::new(host),
        env: HashMap::new(),
    };
    let mut out = Vec::with_capacity(statements.len());
    for parsed in statements {
        it.cx.warnings.clear();
        it.cx.printed.clear();
        it.cx.ran = false;
        it.cx.database = None;
        it.cx.pending = None;
        it.cx.answer = None;
        let (line, result, answer) = match parsed.stmt {
            Err(e) => (
                parsed.start.line,
                Err(ScriptError {
                    message: format!("SyntaxError: {}", e.message),
                    line: e.pos.line,
                    column: e.pos.column,
                }),
                None,
            ),
            Ok(s) => {
                let (result, answer) = it.run_statement(&s);
                (s.pos.line, result, answer)
            }
        };
        out.push(Outcome {
            line,
            end_line: parsed.end_line.max(line),
            result,
            warnings: std::mem::take(&mut it.cx.warnings),
            database: it.cx.database,
            answer,
        });
    }
    out
}

/// Whether a value is data worth showing (not `undefined`, not a host object standing for no
/// data such as a client or a schema).
fn shows(v: &Value) -> bool {
    match v {
        Value::Undefined => false,
        Value::Host(h) => h.data().is_some(),
        _ => true,
    }
}

impl Interp<'_> {
    /// Runs a statement: what it shows as relaxed Extended JSON (the output of `console.log`
    /// when it printed), or its error; and what kind of answer that is, when it is an
    /// operation's own answer.
    fn run_statement(
        &mut self,
        s: &Stmt,
    ) -> (
        std::result::Result<Option<serde_json::Value>, ScriptError>,
        Option<crate::Answer>,
    ) {
        let shown = match self.statement(s) {
            Ok(shown) => shown,
            Err(t) => {
                let at = t.pos.unwrap_or(s.pos);
                let error = ScriptError {
                    message: t.to_string(),
                    line: at.line,
                    column: at.column,
                };
                return (Err(error), None);
            }
        };
        if let (Some(kind), Some(v)) = (self.cx.pending.take(), &shown) {
            // An operation the statement itself ran (an AWS CLI line, a printed cursor).
            self.cx.answer = Some((v.clone(), kind));
        }
        let mut printed = std::mem::take(&mut self.cx.printed);
        let shown = match printed.len() {
            0 => shown,
            1 => printed.pop(),
            _ => Some(Value::Array(Rc::new(printed))),
        };
        let answer = match (&self.cx.answer, &shown) {
            (Some((answered, kind)), Some(v)) if answered.same(v) => Some(*kind),
            _ => None,
        };
        (Ok(shown.and_then(|v| v.to_json())), answer)
    }

    /// Runs a statement; its result is what the console shows, if anything.
    fn statement(&mut self, s: &Stmt) -> Result<Option<Value>> {
        self.cx.pos = s.pos;
        match &s.kind {
            StmtKind::Empty => Ok(None),
            StmtKind::Expr(e) => {
                let v = self.eval(e)?;
                let v = self.settle(v, e.pos)?;
                Ok(shows(&v).then_some(v))
            }
            StmtKind::Decl { kind, decls } => {
                let mut last = None;
                for (pattern, init) in decls {
                    let v = match init {
                        Some(e) => self.eval(e)?,
                        None => Value::Undefined,
                    };
                    self.bind(pattern, v.clone(), *kind, s.pos)?;
                    last = Some(v);
                }
                // A declaration shows what it binds only when it ran an operation.
                Ok(last.filter(|v| self.cx.ran && shows(v)))
            }
            StmtKind::Assign { name, value } => {
                let v = self.eval(value)?;
                match self.env.get_mut(name) {
                    Some(b) if b.kind == DeclKind::Const => {
                        return Err(Thrown::type_error("Assignment to constant variable.").at(s.pos))
                    }
                    Some(b) => b.value = v.clone(),
                    None => {
                        // Sloppy-mode JavaScript creates the global, as the console does.
                        self.env.insert(
                            name.clone(),
                            Binding {
                                value: v.clone(),
                                kind: DeclKind::Var,
                            },
                        );
                    }
                }
                Ok((self.cx.ran && shows(&v)).then_some(v))
            }
            StmtKind::Import {
                default,
                namespace,
                named,
                source,
            } => {
                let module = packages::import(source, &mut self.cx).map_err(|t| t.at(s.pos))?;
                if let Some(name) = default.as_ref().or(namespace.as_ref()) {
                    self.bind(
                        &Pattern::Name(name.clone()),
                        module.clone(),
                        DeclKind::Const,
                        s.pos,
                    )?;
                }
                for (export, local) in named {
                    let v = packages::export(&module, export, &mut self.cx).ok_or_else(|| {
                        Thrown::syntax_error(format!(
                            "The requested module '{source}' does not provide an export named '{export}'"
                        ))
                        .at(s.pos)
                    })?;
                    self.bind(&Pattern::Name(local.clone()), v, DeclKind::Const, s.pos)?;
                }
                Ok(None)
            }
            StmtKind::Export(names) => {
                for (name, pos) in names {
                    self.lookup(name, *pos)?;
                }
                Ok(None)
            }
            StmtKind::ExportDefault(value) => {
                self.eval(value)?;
                Ok(None)
            }
            StmtKind::Shell { command, arg } => {
                crate::mongosh::shell(command, arg.as_deref(), &mut self.cx).map(Some)
            }
            StmtKind::Cli(command) => crate::aws_cli::run(command, &mut self.cx),
            StmtKind::While { test, body } => {
                let mut runs = 0usize;
                while self.eval(test)?.truthy() {
                    if runs == MAX_LOOP_ITERATIONS {
                        return Err(Thrown::range_error(format!(
                            "the loop ran {MAX_LOOP_ITERATIONS} times and its condition still holds: the console stops it there"
                        ))
                        .at(s.pos));
                    }
                    runs += 1;
                    for stmt in body {
                        self.statement(stmt)?;
                    }
                }
                Ok(None)
            }
        }
    }

    fn bind(&mut self, pattern: &Pattern, v: Value, kind: DeclKind, pos: Pos) -> Result<()> {
        match pattern {
            Pattern::Name(n) => {
                self.env.insert(n.clone(), Binding { value: v, kind });
            }
            Pattern::Object(pairs) => {
                if matches!(v, Value::Undefined | Value::Null) {
                    return Err(Thrown::type_error(format!(
                        "Cannot destructure '{}' as it is {}.",
                        v.to_js_string(),
                        v.to_js_string()
                    ))
                    .at(pos));
                }
                for (key, local) in pairs {
                    let item = self.property(&v, key, pos)?;
                    self.env
                        .insert(local.clone(), Binding { value: item, kind });
                }
            }
        }
        Ok(())
    }

    /// Runs a lazy operation (cursor, query) the value stands for; other values are unchanged.
    fn settle(&mut self, v: Value, pos: Pos) -> Result<Value> {
        if let Value::Host(h) = &v {
            self.cx.pos = pos;
            if let Some(r) = h.settle(&mut self.cx) {
                return r.map_err(|t| t.at(pos));
            }
        }
        Ok(v)
    }

    fn lookup(&mut self, name: &str, pos: Pos) -> Result<Value> {
        if let Some(b) = self.env.get(name) {
            return Ok(b.value.clone());
        }
        if let Some(v) = builtins::global(name, &mut self.cx) {
            return Ok(v);
        }
        match self.cx.host.resolve(name) {
            Some(Ok(b)) => return Ok(value::from_bson(&b)),
            Some(Err(why)) => {
                return Err(
                    Thrown::reference_error(format!("{name} is not defined: {why}")).at(pos),
                )
            }
            None => {}
        }
        Err(Thrown::reference_error(format!("{name} is not defined")).at(pos))
    }

    /// Evaluates an expression; when it ran an operation, its value is that operation's answer
    /// (the innermost expression around a host call is the call itself).
    pub(crate) fn eval(&mut self, e: &Expr) -> Result<Value> {
        let v = self.eval_inner(e)?;
        if let Some(kind) = self.cx.pending.take() {
            self.cx.answer = Some((v.clone(), kind));
        }
        Ok(v)
    }

    fn eval_inner(&mut self, e: &Expr) -> Result<Value> {
        match &e.kind {
            ExprKind::Num(n) => Ok(Value::Number(*n)),
            ExprKind::Str(s) => Ok(Value::str(s.as_str())),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Null => Ok(Value::Null),
            ExprKind::Ident(name) => self.lookup(name, e.pos),
            ExprKind::Template { quasis, exprs } => {
                let mut s = String::new();
                for (i, q) in quasis.iter().enumerate() {
                    s.push_str(q);
                    if let Some(x) = exprs.get(i) {
                        let v = self.eval(x)?;
                        s.push_str(&v.to_js_string());
                    }
                }
                Ok(Value::str(s))
            }
            ExprKind::Regex { pattern, flags } => {
                builtins::regex(pattern, flags).map_err(|t| t.at(e.pos))
            }
            ExprKind::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Elem::Expr(x) => out.push(self.eval(x)?),
                        Elem::Hole => out.push(Value::Undefined),
                        Elem::Spread(x) => {
                            let v = self.eval(x)?;
                            out.extend(iterate(&v).map_err(|t| t.at(x.pos))?);
                        }
                    }
                }
                checked_depth(Value::Array(Rc::new(out)), e.pos)
            }
            ExprKind::Object(props) => {
                let mut b = ObjectBuilder::default();
                for p in props {
                    match p {
                        Prop::KeyValue(key, x) => {
                            let key = match key {
                                PropKey::Name(n) => n.clone(),
                                PropKey::Computed(k) => self.eval(k)?.to_js_string(),
                            };
                            let v = self.eval(x)?;
                            b.insert(key, v);
                        }
                        Prop::Spread(x) => {
                            let v = self.eval(x)?;
                            for (k, v) in spread_props(&v) {
                                b.insert(k, v);
                            }
                        }
                    }
                }
                checked_depth(b.build(), e.pos)
            }
            ExprKind::Member {
                object,
                property,
                optional,
                at,
            } => {
                let o = self.eval(object)?;
                if *optional && matches!(o, Value::Undefined | Value::Null) {
                    return Ok(Value::Undefined);
                }
                self.property(&o, property, *at)
            }
            ExprKind::Index {
                object,
                index,
                optional,
            } => {
                let o = self.eval(object)?;
                if *optional && matches!(o, Value::Undefined | Value::Null) {
                    return Ok(Value::Undefined);
                }
                let k = self.eval(index)?;
                if let (Value::Array(items), Some(n)) = (&o, k.as_number()) {
                    return Ok(if n >= 0.0 && n.fract() == 0.0 {
                        items.get(n as usize).cloned().unwrap_or(Value::Undefined)
                    } else {
                        Value::Undefined
                    });
                }
                self.property(&o, &k.to_js_string(), index.pos)
            }
            ExprKind::Call {
                callee,
                args,
                optional,
            } => self.call(e, callee, args, *optional),
            ExprKind::New { callee, args } => {
                let f = self.eval(callee)?;
                let args = self.args(args)?;
                self.cx.pos = e.pos;
                let r = match &f {
                    Value::Host(h) => h.construct(args, &mut self.cx),
                    _ => None,
                };
                r.unwrap_or_else(|| {
                    Err(Thrown::type_error(format!(
                        "{} is not a constructor",
                        callee.describe()
                    )))
                })
                .map_err(|t| t.at(e.pos))
            }
            ExprKind::Unary { op, expr } => {
                if *op == UnaryOp::Typeof {
                    if let ExprKind::Ident(name) = &expr.kind {
                        // `typeof x` of an undeclared name is "undefined", not an error.
                        return Ok(Value::str(match self.lookup(name, expr.pos) {
                            Ok(v) => v.type_of(),
                            Err(_) => "undefined",
                        }));
                    }
                }
                let v = self.eval(expr)?;
                Ok(match op {
                    UnaryOp::Neg => Value::Number(-v.to_number()),
                    UnaryOp::Plus => Value::Number(v.to_number()),
                    UnaryOp::Not => Value::Bool(!v.truthy()),
                    UnaryOp::Typeof => Value::str(v.type_of()),
                })
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.eval(left)?;
                match op {
                    BinaryOp::And => return if l.truthy() { self.eval(right) } else { Ok(l) },
                    BinaryOp::Or => return if l.truthy() { Ok(l) } else { self.eval(right) },
                    BinaryOp::Nullish => {
                        return if matches!(l, Value::Undefined | Value::Null) {
                            self.eval(right)
                        } else {
                            Ok(l)
                        }
                    }
                    _ => {}
                }
                let r = self.eval(right)?;
                Ok(builtins::binary(*op, &l, &r))
            }
            ExprKind::Conditional {
                test,
                then,
                otherwise,
            } => {
                if self.eval(test)?.truthy() {
                    self.eval(then)
                } else {
                    self.eval(otherwise)
                }
            }
            ExprKind::Await(inner) => {
                let v = self.eval(inner)?;
                self.settle(v, inner.pos)
            }
        }
    }

    fn args(&mut self, args: &[Elem]) -> Result<Vec<Value>> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            match a {
                Elem::Expr(x) => out.push(self.eval(x)?),
                Elem::Hole => out.push(Value::Undefined),
                Elem::Spread(x) => {
                    let v = self.eval(x)?;
                    out.extend(iterate(&v).map_err(|t| t.at(x.pos))?);
                }
            }
        }
        Ok(out)
    }

    /// `o.name`.
    fn property(&mut self, o: &Value, name: &str, pos: Pos) -> Result<Value> {
        self.cx.pos = pos;
        match o {
            Value::Undefined | Value::Null => Err(Thrown::type_error(format!(
                "Cannot read properties of {} (reading '{name}')",
                o.to_js_string()
            ))
            .at(pos)),
            Value::Host(h) => match h.get(name, &mut self.cx) {
                Some(r) => r.map_err(|t| t.at(pos)),
                None => Ok(h
                    .data()
                    .and_then(|d| d.get_prop(name).cloned())
                    .unwrap_or(Value::Undefined)),
            },
            other => Ok(builtins::property(other, name)),
        }
    }

    fn call(&mut self, e: &Expr, callee: &Expr, args: &[Elem], optional: bool) -> Result<Value> {
        if let ExprKind::Member {
            object,
            property,
            optional: optional_member,
            at,
        } = &callee.kind
        {
            let o = self.eval(object)?;
            if *optional_member && matches!(o, Value::Undefined | Value::Null) {
                return Ok(Value::Undefined);
            }
            if matches!(o, Value::Undefined | Value::Null) {
                return Err(Thrown::type_error(format!(
                    "Cannot read properties of {} (reading '{property}')",
                    o.to_js_string()
                ))
                .at(*at));
            }
            let args = self.args(args)?;
            self.cx.pos = *at;
            let r = match &o {
                Value::Host(h) => match h.call_method(property, args.clone(), &mut self.cx) {
                    Some(r) => Some(r),
                    // A property holding a function (`Date.now` read, then called).
                    None => match h.get(property, &mut self.cx) {
                        Some(Ok(Value::Host(f))) => f.call(args, &mut self.cx),
                        _ => h
                            .data()
                            .and_then(|d| builtins::method(&d, property, &args, &mut self.cx)),
                    },
                },
                other => builtins::method(other, property, &args, &mut self.cx),
            };
            return match r {
                Some(r) => r.map_err(|t| t.at(*at)),
                None if optional => Ok(Value::Undefined),
                None => Err(
                    Thrown::type_error(format!("{} is not a function", callee.describe())).at(*at),
                ),
            };
        }
        let f = self.eval(callee)?;
        if optional && matches!(f, Value::Undefined | Value::Null) {
            return Ok(Value::Undefined);
        }
        let args = self.args(args)?;
        self.cx.pos = e.pos;
        let r = match &f {
            Value::Host(h) => h.call(args, &mut self.cx),
            _ => None,
        };
        r.unwrap_or_else(|| {
            Err(Thrown::type_error(format!(
                "{} is not a function",
                callee.describe()
            )))
        })
        .map_err(|t| t.at(e.pos))
    }
}

fn checked_depth(v: Value, pos: Pos) -> Result<Value> {
    if v.depth(MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH {
        return Err(Thrown::range_error(format!(
            "the value nests more than {MAX_VALUE_DEPTH} levels deep"
        ))
        .at(pos));
    }
    Ok(v)
}

/// The items `...v` spreads into an array or argument list.
pub(crate) fn iterate(v: &Value) -> Result<Vec<Value>> {
    match v {
        Value::Array(items) | Value::Set(items) => Ok(items.as_ref().clone()),
        Value::String(s) => Ok(s.chars().map(|c| Value::str(c.to_string())).collect()),
        Value::Host(h) => match h.data() {
            Some(d) => iterate(&d),
            None => Err(Thrown::type_error(format!("{} is not iterable", h.class()))),
        },
        other => Err(Thrown::type_error(format!(
            "{} is not iterable",
            if matches!(other, Value::Object(_)) {
                "object".to_string()
            } else {
                other.to_js_string()
            }
        ))),
    }
}

/// The properties `{ ...v }` copies (and `Object.entries` lists).
pub(crate) fn spread_props(v: &Value) -> Vec<(String, Value)> {
    match v {
        Value::Object(props) => props.as_ref().clone(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        Value::String(s) => s
            .chars()
            .enumerate()
            .map(|(i, c)| (i.to_string(), Value::str(c.to_string())))
            .collect(),
        Value::Host(h) => h.data().map(|d| spread_props(&d)).unwrap_or_default(),
        _ => Vec::new(),
    }
}
