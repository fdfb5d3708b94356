//! The interpreter: runs parsed statements in order, with console semantics (each statement
//! has its own outcome; a later `const` may rebind a name, as in the DevTools console).

use std::rc::Rc;

use crate::ast::*;
use crate::function::{as_closure, caught, thrown, Closure, Promise, Scope};
use crate::host::{Callbacks, Cx, Host, Result, Thrown};
use crate::value::{self, ObjectBuilder, Value, MAX_VALUE_DEPTH};
use crate::{builtins, packages, Outcome, ScriptError};

/// The longest script the console runs (in bytes).
pub const MAX_SOURCE_BYTES: usize = 1 << 20;

/// The most times a `while` loop's body runs: a loop whose condition never turns false (a
/// paging loop that starts every page at the same key) stops with a `RangeError` instead of
/// keeping the console busy for ever.
pub const MAX_LOOP_ITERATIONS: usize = 1_000;

/// The most loop runs and function calls one statement of the console makes (all loops and
/// calls inside it together): a callback that loops or recurses without end stops with a
/// `RangeError` instead of freezing the page.
pub const MAX_STEPS: usize = 100_000;

/// How deeply function calls nest (recursion), as JavaScript's call stack is bounded.
pub const MAX_CALL_DEPTH: usize = 48;

/// How deeply evaluation nests at run time, expressions and statements together: the parser
/// bounds one expression ([`crate::parser::MAX_NESTING`]), and calls nest expressions inside
/// expressions, so the stack (1 MiB in WebAssembly) is bounded here too.
pub const MAX_EVAL_DEPTH: usize = 160;

/// How a statement inside a function or a loop ends.
enum Flow {
    Normal,
    Return(Value),
    Break,
    Continue,
}

pub(crate) struct Interp<'h> {
    pub cx: Cx<'h>,
    /// The scope statements run in now (a block's, a call's, or the console's own).
    scope: Rc<Scope>,
    /// The console's scope: where an assignment to an undeclared name creates it.
    global: Rc<Scope>,
    /// Loop runs and calls of the current top-level statement ([`MAX_STEPS`]).
    steps: usize,
    /// Calls in progress ([`MAX_CALL_DEPTH`]).
    calls: usize,
    /// Expressions and statements being evaluated, one inside another ([`MAX_EVAL_DEPTH`]).
    depth: usize,
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
    let global = Rc::new(Scope::default());
    let mut it = Interp {
        cx: Cx::new(host),
        scope: global.clone(),
        global,
        steps: 0,
        calls: 0,
        depth: 0,
    };
    // Function declarations are hoisted, as in a script: a call may come before them.
    let top: Vec<Stmt> = statements
        .iter()
        .filter_map(|p| p.stmt.as_ref().ok().cloned())
        .collect();
    it.hoist(&top);
    let mut out = Vec::with_capacity(statements.len());
    for parsed in statements {
        it.steps = 0;
        it.calls = 0;
        it.depth = 0;
        it.scope = it.global.clone();
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
                if !self
                    .scope
                    .assign(name, v.clone())
                    .map_err(|t| t.at(s.pos))?
                {
                    // Sloppy-mode JavaScript creates the global, as the console does.
                    self.global.declare(name, v.clone(), DeclKind::Var);
                }
                Ok((self.cx.ran && shows(&v)).then_some(v))
            }
            StmtKind::Update { name, op, value } => {
                let old = self.lookup(name, s.pos)?;
                let v = match op {
                    BinaryOp::And if !old.truthy() => old,
                    BinaryOp::Or if old.truthy() => old,
                    BinaryOp::Nullish if !matches!(old, Value::Undefined | Value::Null) => old,
                    BinaryOp::And | BinaryOp::Or | BinaryOp::Nullish => self.eval(value)?,
                    op => {
                        let r = self.eval(value)?;
                        builtins::binary(*op, &old, &r)
                    }
                };
                self.scope.assign(name, v).map_err(|t| t.at(s.pos))?;
                Ok(None)
            }
            StmtKind::While { .. }
            | StmtKind::If { .. }
            | StmtKind::ForOf { .. }
            | StmtKind::For { .. }
            | StmtKind::Throw(_)
            | StmtKind::Try { .. }
            | StmtKind::Return(_)
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Function(_)
            | StmtKind::Block(_) => {
                self.exec(s)?;
                Ok(None)
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
        }
    }

    /// Runs a statement inside a function, a loop or a block (or a control statement at the
    /// top): it shows nothing, and may end the function or the loop.
    fn exec(&mut self, s: &Stmt) -> Result<Flow> {
        self.enter(s.pos)?;
        let r = self.exec_inner(s);
        self.depth -= 1;
        r
    }

    /// Counts one more level of evaluation: at most [`MAX_EVAL_DEPTH`].
    fn enter(&mut self, pos: Pos) -> Result<()> {
        if self.depth >= MAX_EVAL_DEPTH {
            return Err(Thrown::range_error("Maximum call stack size exceeded").at(pos));
        }
        self.depth += 1;
        Ok(())
    }

    fn exec_inner(&mut self, s: &Stmt) -> Result<Flow> {
        self.cx.pos = s.pos;
        match &s.kind {
            StmtKind::Expr(e) => {
                self.eval(e)?;
                Ok(Flow::Normal)
            }
            StmtKind::While { test, body } => {
                let mut runs = 0usize;
                while self.eval(test)?.truthy() {
                    self.loop_run(&mut runs, s.pos)?;
                    match self.run_block(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Normal | Flow::Continue => {}
                    }
                }
                Ok(Flow::Normal)
            }
            StmtKind::For {
                init,
                test,
                update,
                body,
            } => {
                let outer = self.scope.clone();
                self.scope = Scope::child(&outer);
                let r = self.for_loop(
                    init.as_deref(),
                    test.as_ref(),
                    update.as_deref(),
                    body,
                    s.pos,
                );
                self.scope = outer;
                r
            }
            StmtKind::ForOf {
                kind,
                pattern,
                iterable,
                body,
            } => {
                let v = self.eval(iterable)?;
                let v = self.settle(v, iterable.pos)?;
                let items = iterate(&v).map_err(|t| t.at(iterable.pos))?;
                for item in items {
                    self.step(s.pos)?;
                    let outer = self.scope.clone();
                    self.scope = Scope::child(&outer);
                    let r = self
                        .bind(pattern, item, *kind, s.pos)
                        .and_then(|()| self.run_statements(body));
                    self.scope = outer;
                    match r? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Normal | Flow::Continue => {}
                    }
                }
                Ok(Flow::Normal)
            }
            StmtKind::If {
                test,
                then,
                otherwise,
            } => {
                if self.eval(test)?.truthy() {
                    self.run_block(then)
                } else if let Some(otherwise) = otherwise {
                    self.run_block(otherwise)
                } else {
                    Ok(Flow::Normal)
                }
            }
            StmtKind::Block(body) => self.run_block(body),
            StmtKind::Throw(e) => {
                let v = self.eval(e)?;
                Err(thrown(v).at(s.pos))
            }
            StmtKind::Try {
                block,
                handler,
                finalizer,
            } => {
                let mut r = self.run_block(block);
                if let (Err(t), Some((param, body))) = (&r, handler) {
                    // Past the step limit, nothing catches: the statement stops.
                    if self.steps <= MAX_STEPS {
                        let error = caught(t);
                        let outer = self.scope.clone();
                        self.scope = Scope::child(&outer);
                        r = match param {
                            Some(p) => self.bind(p, error, DeclKind::Let, s.pos),
                            None => Ok(()),
                        }
                        .and_then(|()| self.run_statements(body));
                        self.scope = outer;
                    }
                }
                if let Some(finalizer) = finalizer {
                    match self.run_block(finalizer)? {
                        Flow::Normal => {}
                        other => return Ok(other),
                    }
                }
                r
            }
            StmtKind::Return(e) => Ok(Flow::Return(match e {
                Some(e) => self.eval(e)?,
                None => Value::Undefined,
            })),
            StmtKind::Break => Ok(Flow::Break),
            StmtKind::Continue => Ok(Flow::Continue),
            StmtKind::Function(f) => {
                self.declare_function(f);
                Ok(Flow::Normal)
            }
            _ => {
                self.statement(s)?;
                Ok(Flow::Normal)
            }
        }
    }

    /// `for (init; test; update) body`, in the loop's own scope.
    fn for_loop(
        &mut self,
        init: Option<&Stmt>,
        test: Option<&Expr>,
        update: Option<&Stmt>,
        body: &[Stmt],
        pos: Pos,
    ) -> Result<Flow> {
        if let Some(init) = init {
            self.exec(init)?;
        }
        let mut runs = 0usize;
        loop {
            if let Some(test) = test {
                if !self.eval(test)?.truthy() {
                    break;
                }
            }
            self.loop_run(&mut runs, pos)?;
            match self.run_block(body)? {
                Flow::Break => break,
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Normal | Flow::Continue => {}
            }
            if let Some(update) = update {
                self.exec(update)?;
            }
        }
        Ok(Flow::Normal)
    }

    /// Counts one more run of a `while` or `for` loop: at most [`MAX_LOOP_ITERATIONS`].
    fn loop_run(&mut self, runs: &mut usize, pos: Pos) -> Result<()> {
        if *runs == MAX_LOOP_ITERATIONS {
            return Err(Thrown::range_error(format!(
                "the loop ran {MAX_LOOP_ITERATIONS} times and its condition still holds: the console stops it there"
            ))
            .at(pos));
        }
        *runs += 1;
        self.step(pos)
    }

    /// Counts a loop run or a call of the statement: at most [`MAX_STEPS`].
    fn step(&mut self, pos: Pos) -> Result<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(Thrown::range_error(format!(
                "the statement ran {MAX_STEPS} loop runs and function calls: the console stops it there"
            ))
            .at(pos));
        }
        Ok(())
    }

    /// Runs statements in a scope of their own (a block).
    fn run_block(&mut self, body: &[Stmt]) -> Result<Flow> {
        let outer = self.scope.clone();
        self.scope = Scope::child(&outer);
        let r = self.run_statements(body);
        self.scope = outer;
        r
    }

    /// Runs statements in the current scope, their function declarations first.
    fn run_statements(&mut self, body: &[Stmt]) -> Result<Flow> {
        self.hoist(body);
        for stmt in body {
            match self.exec(stmt)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    /// Declares the function declarations among `body` in the current scope.
    fn hoist(&mut self, body: &[Stmt]) {
        for stmt in body {
            if let StmtKind::Function(f) = &stmt.kind {
                self.declare_function(f);
            }
        }
    }

    fn declare_function(&mut self, f: &Rc<Function>) {
        if let Some(name) = &f.name {
            let closure = Value::host(Closure {
                func: f.clone(),
                scope: self.scope.clone(),
            });
            self.scope.declare(name, closure, DeclKind::Var);
        }
    }

    /// Calls a function the script wrote: its parameters bound in a scope of its own inside
    /// the one it closes over. An `async` function's result is a promise.
    fn call_closure(&mut self, c: &Closure, args: Vec<Value>, pos: Pos) -> Result<Value> {
        self.step(pos)?;
        if self.calls >= MAX_CALL_DEPTH {
            return Err(Thrown::range_error("Maximum call stack size exceeded").at(pos));
        }
        self.calls += 1;
        let outer = std::mem::replace(&mut self.scope, Scope::child(&c.scope));
        let r = self.run_function(&c.func, args);
        self.scope = outer;
        self.calls -= 1;
        if c.func.is_async {
            Ok(Promise::value(r))
        } else {
            r
        }
    }

    fn run_function(&mut self, f: &Function, args: Vec<Value>) -> Result<Value> {
        let mut args = args.into_iter();
        for p in &f.params {
            let mut v = args.next().unwrap_or(Value::Undefined);
            if let (Value::Undefined, Some(default)) = (&v, &p.default) {
                v = self.eval(default)?;
            }
            self.bind(&p.pattern, v, DeclKind::Let, f.pos)?;
        }
        match &f.body {
            FunctionBody::Expr(e) => self.eval(e),
            FunctionBody::Block(body) => match self.run_statements(body)? {
                Flow::Return(v) => Ok(v),
                Flow::Normal | Flow::Break | Flow::Continue => Ok(Value::Undefined),
            },
        }
    }

    /// Calls a function value (the script's, or a host function such as `console.log`)
    /// as JavaScript does, without awaiting what it returns.
    fn call_value(&mut self, f: &Value, args: Vec<Value>, pos: Pos) -> Result<Value> {
        if let Some(c) = as_closure(f) {
            return self.call_closure(c, args, pos);
        }
        self.cx.pos = pos;
        let r = match f {
            Value::Host(h) => h.call(args, &mut self.cx),
            _ => None,
        };
        r.unwrap_or_else(|| {
            Err(Thrown::type_error(format!(
                "{} is not a function",
                f.to_js_string()
            )))
        })
        .map_err(|t| t.at(pos))
    }

    /// An array method that takes a callback (`map`, `forEach`, `filter`, `find`, ...):
    /// `None` for other methods.
    fn array_method(
        &mut self,
        items: &Rc<Vec<Value>>,
        name: &str,
        args: &[Value],
        pos: Pos,
    ) -> Option<Result<Value>> {
        let f = args.first()?;
        if !matches!(f, Value::Host(h) if h.is_callable()) {
            return None;
        }
        if !matches!(
            name,
            "map"
                | "forEach"
                | "filter"
                | "find"
                | "findIndex"
                | "findLast"
                | "findLastIndex"
                | "some"
                | "every"
                | "flatMap"
                | "reduce"
                | "sort"
        ) {
            return None;
        }
        Some((|| {
            let array = Value::Array(items.clone());
            if name == "sort" {
                return self.sort(items, f, pos);
            }
            if name == "reduce" {
                let mut it = items.iter().enumerate();
                let mut acc = match args.get(1) {
                    Some(init) => init.clone(),
                    None => match it.next() {
                        Some((_, first)) => first.clone(),
                        None => {
                            return Err(Thrown::type_error(
                                "Reduce of empty array with no initial value",
                            ))
                        }
                    },
                };
                for (i, item) in it {
                    acc = self.call_value(
                        f,
                        vec![acc, item.clone(), Value::Number(i as f64), array.clone()],
                        pos,
                    )?;
                }
                return Ok(acc);
            }
            let mut out = Vec::new();
            let order: Vec<usize> = if name.starts_with("findLast") {
                (0..items.len()).rev().collect()
            } else {
                (0..items.len()).collect()
            };
            for i in order {
                let Some(item) = items.get(i) else { break };
                let r = self.call_value(
                    f,
                    vec![item.clone(), Value::Number(i as f64), array.clone()],
                    pos,
                )?;
                match name {
                    "map" => out.push(r),
                    "flatMap" => match r {
                        Value::Array(inner) => out.extend(inner.iter().cloned()),
                        other => out.push(other),
                    },
                    "filter" if r.truthy() => out.push(item.clone()),
                    "find" | "findLast" if r.truthy() => return Ok(item.clone()),
                    "findIndex" | "findLastIndex" if r.truthy() => {
                        return Ok(Value::Number(i as f64))
                    }
                    "some" if r.truthy() => return Ok(Value::Bool(true)),
                    "every" if !r.truthy() => return Ok(Value::Bool(false)),
                    _ => {}
                }
            }
            Ok(match name {
                "map" | "filter" | "flatMap" => Value::Array(Rc::new(out)),
                "findIndex" | "findLastIndex" => Value::Number(-1.0),
                "some" => Value::Bool(false),
                "every" => Value::Bool(true),
                _ => Value::Undefined,
            })
        })())
    }

    /// `array.sort(compare)`: a stable merge of the items by the comparator's sign.
    fn sort(&mut self, items: &Rc<Vec<Value>>, f: &Value, pos: Pos) -> Result<Value> {
        let mut sorted: Vec<Value> = Vec::with_capacity(items.len());
        for item in items.iter() {
            // Binary insertion: the comparator runs O(n log n) times.
            let (mut lo, mut hi) = (0, sorted.len());
            while lo < hi {
                let mid = (lo + hi) / 2;
                let Some(other) = sorted.get(mid) else { break };
                let c = self
                    .call_value(f, vec![item.clone(), other.clone()], pos)?
                    .to_number();
                if c < 0.0 {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            sorted.insert(lo, item.clone());
        }
        Ok(Value::Array(Rc::new(sorted)))
    }

    fn bind(&mut self, pattern: &Pattern, v: Value, kind: DeclKind, pos: Pos) -> Result<()> {
        match pattern {
            Pattern::Name(n) => {
                self.scope.declare(n, v, kind);
            }
            Pattern::Array(names) => {
                let items = iterate(&v).map_err(|t| t.at(pos))?;
                for (i, name) in names.iter().enumerate() {
                    if let Some(name) = name {
                        let item = items.get(i).cloned().unwrap_or(Value::Undefined);
                        self.scope.declare(name, item, kind);
                    }
                }
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
                    self.scope.declare(local, item, kind);
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
        if let Some(v) = self.scope.get(name) {
            return Ok(v);
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
        self.enter(e.pos)?;
        let v = self.eval_inner(e);
        self.depth -= 1;
        let v = v?;
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
            ExprKind::Function(f) => {
                // A named function expression sees its own name (`function fact(n) { ...
                // fact(n - 1) }`), in a scope of its own.
                let Some(name) = &f.name else {
                    return Ok(Value::host(Closure {
                        func: f.clone(),
                        scope: self.scope.clone(),
                    }));
                };
                let scope = Scope::child(&self.scope);
                let closure = Value::host(Closure {
                    func: f.clone(),
                    scope: scope.clone(),
                });
                scope.declare(name, closure.clone(), DeclKind::Const);
                Ok(closure)
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
            if let Value::Array(items) = &o {
                if let Some(r) = self.array_method(items, property, &args, *at) {
                    return r.map_err(|t| t.at(*at));
                }
            }
            if let Value::Host(h) = &o {
                if matches!(property.as_str(), "then" | "catch" | "finally")
                    && !h.as_any().is::<Promise>()
                {
                    // A query or request used as a promise: it runs, then its callbacks.
                    let settled = match h.settle(&mut self.cx) {
                        Some(r) => r,
                        None => Ok(o.clone()),
                    };
                    let promise = Value::host(Promise { outcome: settled });
                    if let Value::Host(p) = &promise {
                        if let Some(r) = p.call_with(property, &args, self) {
                            return r.map_err(|t| t.at(*at));
                        }
                    }
                }
                if let Some(r) = h.call_with(property, &args, self) {
                    return r.map_err(|t| t.at(*at));
                }
                self.cx.pos = *at;
                // A cursor's or a query's `forEach(fn)` and `map(fn)`: its documents.
                if matches!(property.as_str(), "forEach" | "map")
                    && matches!(args.first(), Some(Value::Host(f)) if f.is_callable())
                {
                    if let Some(settled) = h.settle(&mut self.cx) {
                        let docs = settled.map_err(|t| t.at(*at))?;
                        if let Value::Array(items) = &docs {
                            if let Some(r) = self.array_method(items, property, &args, *at) {
                                return r.map_err(|t| t.at(*at));
                            }
                        }
                    }
                }
            }
            // A function kept in an object (`const api = { list: () => ... }`).
            if let Value::Object(_) = &o {
                if let Some(f) = o.get_prop(property).filter(|f| as_closure(f).is_some()) {
                    let f = f.clone();
                    return self.call_value(&f, args, *at);
                }
            }
            let args = crate::session::strip_sessions(args);
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
        if let Some(c) = as_closure(&f) {
            return self.call_closure(c, args, e.pos);
        }
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

impl Callbacks for Interp<'_> {
    fn host(&mut self) -> &mut Host {
        self.cx.host
    }

    fn invoke(&mut self, f: &Value, args: Vec<Value>) -> Result<Value> {
        let pos = self.cx.pos;
        let v = self.call_value(f, args, pos)?;
        self.settle(v, pos)
    }
}
