//! Functions and what they need: scopes that closures capture, the function values scripts
//! hold (arrows, `function` expressions and declarations), the promise an `async` function
//! returns, and error objects (`new Error(...)`, and what `catch` binds).
//!
//! A function is a host object ([`Closure`]) the interpreter recognises when it is called; a
//! host object that takes a callback (`session.withTransaction(fn)`, a promise's `then`)
//! calls it through [`Callbacks`], which the interpreter implements.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::ast::{DeclKind, Function};
use crate::host::{Callbacks, Cx, HostObject, Result, Thrown};
use crate::value::Value;

pub(crate) struct Binding {
    pub value: Value,
    pub kind: DeclKind,
}

/// The bindings of one block or function call, and the scope around it. A closure keeps the
/// scope it was created in, so it sees the bindings of its time and their later changes.
#[derive(Default)]
pub(crate) struct Scope {
    vars: RefCell<HashMap<String, Binding>>,
    parent: Option<Rc<Scope>>,
}

impl Scope {
    pub fn child(parent: &Rc<Scope>) -> Rc<Scope> {
        Rc::new(Scope {
            vars: RefCell::new(HashMap::new()),
            parent: Some(parent.clone()),
        })
    }

    pub fn declare(&self, name: &str, value: Value, kind: DeclKind) {
        self.vars
            .borrow_mut()
            .insert(name.to_string(), Binding { value, kind });
    }

    pub fn get(&self, name: &str) -> Option<Value> {
        if let Some(b) = self.vars.borrow().get(name) {
            return Some(b.value.clone());
        }
        let mut scope = self.parent.clone();
        while let Some(s) = scope {
            if let Some(b) = s.vars.borrow().get(name) {
                return Some(b.value.clone());
            }
            scope = s.parent.clone();
        }
        None
    }

    /// `name = value`: the innermost binding of the name changes; `Ok(false)` when there is
    /// none; an error for a `const`.
    pub fn assign(self: &Rc<Self>, name: &str, value: Value) -> Result<bool> {
        let mut scope = Some(self.clone());
        while let Some(s) = scope {
            if let Some(b) = s.vars.borrow_mut().get_mut(name) {
                if b.kind == DeclKind::Const {
                    return Err(Thrown::type_error("Assignment to constant variable."));
                }
                b.value = value;
                return Ok(true);
            }
            scope = s.parent.clone();
        }
        Ok(false)
    }
}

/// A function value: its code and the scope it closes over.
pub(crate) struct Closure {
    pub func: Rc<Function>,
    pub scope: Rc<Scope>,
}

impl HostObject for Closure {
    fn class(&self) -> &str {
        "Function"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        match name {
            "name" => Some(Ok(Value::str(
                self.func.name.clone().unwrap_or_default().as_str(),
            ))),
            "length" => Some(Ok(Value::Number(
                self.func
                    .params
                    .iter()
                    .take_while(|p| p.default.is_none())
                    .count() as f64,
            ))),
            _ => None,
        }
    }
}

/// The function a value is, if it is one the script wrote.
pub(crate) fn as_closure(v: &Value) -> Option<&Closure> {
    match v {
        Value::Host(h) => h.as_any().downcast_ref::<Closure>(),
        _ => None,
    }
}

/// What an `async` function returns: already settled, since the console runs every
/// operation to its end. `await` gives its value or throws its error; `then`, `catch` and
/// `finally` run their callbacks at once.
pub(crate) struct Promise {
    pub outcome: std::result::Result<Value, Thrown>,
}

impl Promise {
    pub fn value(outcome: std::result::Result<Value, Thrown>) -> Value {
        Value::host(Promise { outcome })
    }
}

impl HostObject for Promise {
    fn class(&self) -> &str {
        "Promise"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn settle(&self, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(self.outcome.clone())
    }
    fn call_with(
        &self,
        name: &str,
        args: &[Value],
        cb: &mut dyn Callbacks,
    ) -> Option<Result<Value>> {
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Undefined);
        let callable = |v: &Value| matches!(v, Value::Host(h) if h.is_callable());
        let next = match (name, &self.outcome) {
            ("then", Ok(v)) if callable(&arg(0)) => cb.invoke(&arg(0), vec![v.clone()]),
            ("then", Err(e)) if callable(&arg(1)) => cb.invoke(&arg(1), vec![caught(e)]),
            ("catch", Err(e)) if callable(&arg(0)) => cb.invoke(&arg(0), vec![caught(e)]),
            ("then" | "catch", outcome) => outcome.clone(),
            ("finally", outcome) => {
                if callable(&arg(0)) {
                    if let Err(e) = cb.invoke(&arg(0), Vec::new()) {
                        return Some(Ok(Promise::value(Err(e))));
                    }
                }
                outcome.clone()
            }
            _ => return None,
        };
        Some(Ok(Promise::value(next)))
    }
}

/// `Promise`: `all`, `allSettled`, `resolve` and `reject` over values that are already
/// settled.
pub(crate) struct PromiseCtor;

impl HostObject for PromiseCtor {
    fn class(&self) -> &str {
        "Function"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        let first = args.first().cloned().unwrap_or(Value::Undefined);
        Some(match name {
            "resolve" => settle(first, cx).map(|v| Promise::value(Ok(v))),
            "reject" => Ok(Promise::value(Err(thrown(first)))),
            "all" | "allSettled" => (|| {
                let items = crate::interp::iterate(&first)?;
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let settled = settle(item, cx);
                    out.push(match (name, settled) {
                        ("all", r) => r?,
                        (_, Ok(v)) => Value::object(vec![
                            ("status".into(), Value::str("fulfilled")),
                            ("value".into(), v),
                        ]),
                        (_, Err(e)) => Value::object(vec![
                            ("status".into(), Value::str("rejected")),
                            ("reason".into(), caught(&e)),
                        ]),
                    });
                }
                Ok(Promise::value(Ok(Value::Array(Rc::new(out)))))
            })(),
            _ => return None,
        })
    }
    fn construct(&self, _args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(Err(Thrown::unsupported(
            "new Promise(...) is not supported by the console: write an async function and await it",
        )))
    }
}

/// A value as `await` leaves it.
fn settle(v: Value, cx: &mut Cx) -> Result<Value> {
    if let Value::Host(h) = &v {
        if let Some(r) = h.settle(cx) {
            return r;
        }
    }
    Ok(v)
}

/// An error object: `new Error('...')`, or what a failed operation threw, as `catch` sees
/// it. `name` is the class (`MongoServerError`); `full` the name as the console prints the
/// error (`MongoServerError[DuplicateKey]`), kept so rethrowing it reads the same.
pub(crate) struct ErrorValue {
    pub name: String,
    pub full: String,
    pub message: String,
}

impl HostObject for ErrorValue {
    fn class(&self) -> &str {
        "Error"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(Ok(match name {
            "name" => Value::str(self.name.as_str()),
            "message" => Value::str(self.message.as_str()),
            "stack" => Value::str(format!("{}\n    at <console>", self.shown())),
            "codeName" => match self.full.split_once('[') {
                Some((_, code)) => Value::str(code.trim_end_matches(']')),
                None => Value::Undefined,
            },
            _ => return None,
        }))
    }
    fn data(&self) -> Option<Value> {
        Some(Value::str(self.shown()))
    }
}

impl ErrorValue {
    fn shown(&self) -> String {
        if self.message.is_empty() {
            self.full.clone()
        } else {
            format!("{}: {}", self.full, self.message)
        }
    }
}

/// The error classes scripts construct: `Error`, `TypeError`, `RangeError`, ...
pub(crate) struct ErrorCtor(pub &'static str);

impl HostObject for ErrorCtor {
    fn class(&self) -> &str {
        "Function"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(Ok(self.make(&args)))
    }
    fn construct(&self, args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(Ok(self.make(&args)))
    }
}

impl ErrorCtor {
    fn make(&self, args: &[Value]) -> Value {
        let message = match args.first() {
            None | Some(Value::Undefined) => String::new(),
            Some(v) => v.to_js_string(),
        };
        Value::host(ErrorValue {
            name: self.0.to_string(),
            full: self.0.to_string(),
            message,
        })
    }
}

/// The error classes a script can name.
pub(crate) const ERROR_CLASSES: &[&str] = &[
    "Error",
    "TypeError",
    "RangeError",
    "ReferenceError",
    "SyntaxError",
];

/// What `catch (e)` binds for an exception: the value a script threw, or an error object
/// for one an operation threw.
pub(crate) fn caught(t: &Thrown) -> Value {
    if let Some(v) = &t.value {
        return v.clone();
    }
    let name = t.name.split('[').next().unwrap_or_default().to_string();
    Value::host(ErrorValue {
        name: if name.is_empty() {
            "Error".into()
        } else {
            name
        },
        full: t.name.clone(),
        message: t.message.clone(),
    })
}

/// The exception `throw value` raises: an error object keeps its name and message (so the
/// console prints `Error: ...`); any other value prints as Node prints it, `Uncaught ...`.
pub(crate) fn thrown(v: Value) -> Thrown {
    if let Value::Host(h) = &v {
        if let Some(e) = h.as_any().downcast_ref::<ErrorValue>() {
            let mut t = Thrown::new(&e.full, e.message.clone());
            t.value = Some(v.clone());
            return t;
        }
    }
    let shown = match &v {
        Value::String(s) => format!("'{s}'"),
        other => other
            .to_json()
            .map(|j| j.to_string())
            .unwrap_or_else(|| other.to_js_string()),
    };
    let mut t = Thrown::new("", format!("Uncaught {shown}"));
    t.value = Some(v);
    t
}
