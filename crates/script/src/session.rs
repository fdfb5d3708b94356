//! Sessions and multi-document transactions: mongosh's `db.getMongo().startSession()`, the
//! driver's `client.startSession()`, mongoose's `mongoose.startSession()` and
//! `connection.transaction(fn)`.
//!
//! The simulator has no sessions of its own: a transaction keeps a copy of the MongoDB
//! database taken when it starts, and an abort (`abortTransaction()`, or the callback of
//! `withTransaction` / `transaction` throwing) puts that copy back, so every write made
//! since is undone and the error goes on to the caller, as the driver rethrows it. A commit
//! keeps the writes. Every write while the transaction is open belongs to it, whether or not
//! it passed `{ session }` (a real server would keep a write made outside the session).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use crate::host::{Callbacks, Cx, HostObject, Result, Thrown};
use crate::value::Value;

/// A client session; `started` holds the database as it was when its transaction started.
pub(crate) struct Session {
    started: RefCell<Option<schemaplay_mongo::Database>>,
    ended: RefCell<bool>,
    /// The flavor of `getDatabase(name)`'s answer: the shell's `db` or the driver's.
    shell: bool,
}

impl Session {
    pub fn new(shell: bool) -> Session {
        Session {
            started: RefCell::new(None),
            ended: RefCell::new(false),
            shell,
        }
    }

    pub fn value(shell: bool) -> Value {
        Value::host(Session::new(shell))
    }

    fn start(&self, host: &mut crate::Host) -> Result<()> {
        if *self.ended.borrow() {
            return Err(Thrown::new(
                "MongoExpiredSessionError",
                "Cannot use a session that has ended",
            ));
        }
        if self.started.borrow().is_some() {
            return Err(Thrown::new(
                "MongoTransactionError",
                "Transaction already in progress",
            ));
        }
        *self.started.borrow_mut() = Some(host.mongo.clone());
        Ok(())
    }

    fn commit(&self) -> Result<()> {
        match self.started.borrow_mut().take() {
            Some(_) => Ok(()),
            None => Err(Thrown::new(
                "MongoTransactionError",
                "No transaction started",
            )),
        }
    }

    fn abort(&self, host: &mut crate::Host) -> Result<()> {
        match self.started.borrow_mut().take() {
            Some(before) => {
                host.mongo = before;
                Ok(())
            }
            None => Err(Thrown::new(
                "MongoTransactionError",
                "No transaction started",
            )),
        }
    }

    /// `withTransaction(fn)` and mongoose's `transaction(fn)`: starts a transaction, calls
    /// `fn(session)`, commits when it returns and aborts when it throws (rethrowing). Its
    /// value is what `fn` returned.
    pub fn run(&self, f: &Value, cb: &mut dyn Callbacks) -> Result<Value> {
        if !matches!(f, Value::Host(h) if h.is_callable()) {
            return Err(Thrown::type_error(format!(
                "the transaction's callback must be a function, got {}",
                f.type_of()
            )));
        }
        self.start(cb.host())?;
        // The callback's session stands for this one (for its `{ session }` options).
        let this = Value::host(SessionRef { shell: self.shell });
        match cb.invoke(f, vec![this]) {
            Ok(v) => {
                self.commit()?;
                Ok(v)
            }
            Err(e) => {
                self.abort(cb.host())?;
                Err(e)
            }
        }
    }
}

impl HostObject for Session {
    fn class(&self) -> &str {
        "ClientSession"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn call_with(
        &self,
        name: &str,
        args: &[Value],
        cb: &mut dyn Callbacks,
    ) -> Option<Result<Value>> {
        Some(match name {
            "withTransaction" => {
                let f = args.first().cloned().unwrap_or(Value::Undefined);
                self.run(&f, cb)
            }
            "startTransaction" => self.start(cb.host()).map(|()| Value::Undefined),
            "commitTransaction" => self.commit().map(|()| Value::Undefined),
            "abortTransaction" => self.abort(cb.host()).map(|()| Value::Undefined),
            "endSession" => {
                // Ending a session aborts its open transaction, as the driver does.
                if self.started.borrow().is_some() {
                    let _ = self.abort(cb.host());
                }
                *self.ended.borrow_mut() = true;
                Ok(Value::Undefined)
            }
            "inTransaction" => Ok(Value::Bool(self.started.borrow().is_some())),
            "getDatabase" => Ok(if self.shell {
                crate::mongosh::shell_db()
            } else {
                crate::mongosh::driver_db()
            }),
            _ => return None,
        })
    }
}

/// What a transaction's callback receives as its session: it stands for the session that
/// runs the callback, for `{ session }` options.
struct SessionRef {
    shell: bool,
}

impl HostObject for SessionRef {
    fn class(&self) -> &str {
        "ClientSession"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn call_method(&self, name: &str, _args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(match name {
            "inTransaction" => Ok(Value::Bool(true)),
            "getDatabase" => Ok(if self.shell {
                crate::mongosh::shell_db()
            } else {
                crate::mongosh::driver_db()
            }),
            "withTransaction" | "startTransaction" => Err(Thrown::new(
                "MongoTransactionError",
                "Transaction already in progress",
            )),
            _ => return None,
        })
    }
}

/// Whether a value is a session.
fn is_session(v: &Value) -> bool {
    matches!(v, Value::Host(h) if h.as_any().is::<Session>() || h.as_any().is::<SessionRef>())
}

/// The arguments of a database call without their `session` options (`{ session }`), which
/// the transaction already covers: the simulator's own options are left.
pub(crate) fn strip_sessions(args: Vec<Value>) -> Vec<Value> {
    if !args
        .iter()
        .any(|a| matches!(a, Value::Object(props) if props.iter().any(|(_, v)| is_session(v))))
    {
        return args;
    }
    args.into_iter()
        .map(|a| match a {
            Value::Object(props) if props.iter().any(|(_, v)| is_session(v)) => {
                Value::Object(Rc::new(
                    props
                        .iter()
                        .filter(|(_, v)| !is_session(v))
                        .cloned()
                        .collect(),
                ))
            }
            other => other,
        })
        .collect()
}

/// `db.getMongo()`: the connection, whose `startSession()` gives a session.
pub(crate) struct Mongo;

impl HostObject for Mongo {
    fn class(&self) -> &str {
        "Mongo"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn call_method(&self, name: &str, _args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(match name {
            "startSession" => Ok(Session::value(true)),
            "getDB" => Ok(crate::mongosh::shell_db()),
            _ => return None,
        })
    }
}
