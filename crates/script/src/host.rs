//! The host: the databases a script runs against, and the mechanism by which the interpreter
//! reaches them, host objects.
//!
//! A [`HostObject`] is what a script holds when it holds `db`, a collection, a cursor, a
//! mongoose model or an SDK client: the interpreter evaluates the plain JavaScript (literals,
//! names, operators) itself and hands every property read, method call, call and `new` on a
//! host object to the object's trait methods, with a [`Cx`] that gives access to the
//! databases. Each method answers `None` for a name it does not have, which the interpreter
//! reports as JavaScript does (`TypeError: db.users.frob is not a function`).

use std::any::Any;
use std::collections::HashMap;
use std::fmt;

use bson::Bson;

use crate::ast::Pos;
use crate::value::Value;
use crate::{Answer, Database};

/// An exception: JavaScript's error name (`TypeError`, `ValidationError`,
/// `MongoServerError[DuplicateKey]`), its message, and where it was thrown (the interpreter
/// fills in the position of the expression that called the host when the host gives none).
#[derive(Debug, Clone, PartialEq)]
pub struct Thrown {
    pub name: String,
    pub message: String,
    pub pos: Option<Pos>,
    /// The value a script threw (`throw new Error(...)`, `throw 'oops'`), which `catch`
    /// binds; `None` for what an operation threw (`catch` then binds an error object).
    pub value: Option<Value>,
}

impl Thrown {
    pub fn new(name: &str, message: impl Into<String>) -> Thrown {
        Thrown {
            name: name.to_string(),
            message: message.into(),
            pos: None,
            value: None,
        }
    }

    pub fn type_error(message: impl Into<String>) -> Thrown {
        Thrown::new("TypeError", message)
    }

    pub fn range_error(message: impl Into<String>) -> Thrown {
        Thrown::new("RangeError", message)
    }

    pub fn reference_error(message: impl Into<String>) -> Thrown {
        Thrown::new("ReferenceError", message)
    }

    pub fn syntax_error(message: impl Into<String>) -> Thrown {
        Thrown::new("SyntaxError", message)
    }

    /// Something the script may write but the playground does not run, said plainly.
    pub fn unsupported(message: impl Into<String>) -> Thrown {
        Thrown::new("NotSupportedError", message)
    }

    pub fn at(mut self, pos: Pos) -> Thrown {
        if self.pos.is_none() {
            self.pos = Some(pos);
        }
        self
    }
}

impl fmt::Display for Thrown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // An error with no name is printed as its message alone (the AWS CLI's wording).
        if self.name.is_empty() {
            return write!(f, "{}", self.message);
        }
        write!(f, "{}: {}", self.name, self.message)
    }
}

pub type Result<T> = std::result::Result<T, Thrown>;

/// An object implemented by the host. Every method has a default meaning "no such thing", so
/// an object implements only what it has.
pub trait HostObject {
    /// The class name scripts see in messages (`Collection`, `Cursor`, `Model`).
    fn class(&self) -> &str;

    /// For downcasting, when one host object takes another as an argument
    /// (`mongoose.model('User', schema)`).
    fn as_any(&self) -> &dyn Any;

    /// `object.name`: `None` when there is no such property (JavaScript gives `undefined`).
    fn get(&self, _name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        None
    }

    /// `object.name(args)`: `None` when there is no such method.
    fn call_method(&self, _name: &str, _args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        None
    }

    /// `object.name(args)` for a method that calls back into the script (a callback such as
    /// `session.withTransaction(fn)`, a promise's `then`): tried before [`call_method`];
    /// `None` when the object has no such method.
    ///
    /// [`call_method`]: HostObject::call_method
    fn call_with(
        &self,
        _name: &str,
        _args: &[Value],
        _cb: &mut dyn Callbacks,
    ) -> Option<Result<Value>> {
        None
    }

    /// `object(args)`: `None` when the object is not a function.
    fn call(&self, _args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        None
    }

    /// `new object(args)`: `None` when the object is not a constructor.
    fn construct(&self, _args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        None
    }

    /// Whether `typeof` says `function`.
    fn is_callable(&self) -> bool {
        false
    }

    /// For a lazy operation (a cursor, a mongoose query): runs it. `await` settles a value
    /// through this, and so does a console printing it. `None` for everything else.
    fn settle(&self, _cx: &mut Cx) -> Option<Result<Value>> {
        None
    }

    /// The plain data the object stands for (a mongoose document), used when it is printed or
    /// stored; `None` for objects that are not data.
    fn data(&self) -> Option<Value> {
        None
    }
}

/// What a host object that calls back into the script may use: the databases, and the
/// script's functions.
pub trait Callbacks {
    fn host(&mut self) -> &mut Host;

    /// Calls `f` (a function of the script or of the host) with `args`, and awaits what it
    /// returns (an `async` function's promise gives its value or throws).
    fn invoke(&mut self, f: &Value, args: Vec<Value>) -> Result<Value>;
}

/// The databases and predefined names a script runs against. Its state outlives a run: run
/// a script, then another, and the second sees what the first wrote.
#[derive(Debug, Clone)]
pub struct Host {
    pub mongo: schemaplay_mongo::Database,
    pub dynamo: schemaplay_dynamo::Database,
    predefined: Vec<(String, Predefined)>,
    now_millis: i64,
}

/// What a name the host predefines stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Predefined {
    /// A fixed value.
    Value(Bson),
    /// The `_id` of the first document of a MongoDB collection (in natural order), read when
    /// the script reads the name: a script that inserts a first document can then use it.
    FirstId { collection: String },
}

impl Default for Host {
    fn default() -> Self {
        Host {
            mongo: schemaplay_mongo::Database::new(),
            dynamo: schemaplay_dynamo::Database::new(),
            predefined: Vec::new(),
            // The simulators' own default clock: 2024-01-01T00:00:00Z.
            now_millis: 1_704_067_200_000,
        }
    }
}

impl Host {
    /// A host over the given databases.
    pub fn new(mongo: schemaplay_mongo::Database, dynamo: schemaplay_dynamo::Database) -> Self {
        Host {
            mongo,
            dynamo,
            ..Host::default()
        }
    }

    /// Predefines a name every script sees; a later definition of the same name replaces it.
    pub fn define(&mut self, name: &str, value: Bson) {
        self.define_as(name, Predefined::Value(value));
    }

    /// Predefines `name` as the `_id` of the first document of `collection` at the time a
    /// script reads it (the playground binds `userId` to the first user this way).
    pub fn define_first_id(&mut self, name: &str, collection: &str) {
        self.define_as(
            name,
            Predefined::FirstId {
                collection: collection.to_string(),
            },
        );
    }

    fn define_as(&mut self, name: &str, value: Predefined) {
        self.predefined.retain(|(n, _)| n != name);
        self.predefined.push((name.to_string(), value));
    }

    pub fn predefined(&self) -> &[(String, Predefined)] {
        &self.predefined
    }

    /// The value of the predefined `name` now: `None` when the host does not define it,
    /// `Some(Err(why))` when it names a document that does not exist yet.
    pub fn resolve(&self, name: &str) -> Option<std::result::Result<Bson, String>> {
        let (_, predefined) = self.predefined.iter().find(|(n, _)| n == name)?;
        Some(match predefined {
            Predefined::Value(value) => Ok(value.clone()),
            Predefined::FirstId { collection } => self
                .mongo
                .collection(collection)
                .and_then(|c| c.iter().next().and_then(|(_, doc)| doc.get("_id").cloned()))
                .ok_or_else(|| {
                    format!("it names the _id of the first document in {collection}, which has none yet")
                }),
        })
    }

    /// Sets the clock `Date.now()`, `new Date()` and new ObjectIds read (milliseconds since the
    /// epoch), the MongoDB simulator's included. Nothing reads the system clock.
    pub fn set_clock(&mut self, now_millis: i64) {
        self.now_millis = now_millis;
        self.mongo.set_clock(now_millis);
    }

    pub fn now_millis(&self) -> i64 {
        self.now_millis
    }
}

/// What a host object sees while it runs: the host, the position of the expression being
/// evaluated, and the statement's warnings and output.
pub struct Cx<'h> {
    pub host: &'h mut Host,
    /// Where the call being evaluated starts.
    pub pos: Pos,
    /// Module instances of this run, so two imports of a package share its state.
    pub(crate) modules: HashMap<String, Value>,
    pub(crate) warnings: Vec<String>,
    pub(crate) printed: Vec<Value>,
    pub(crate) ran: bool,
    /// The database the statement ran its last operation on.
    pub(crate) database: Option<Database>,
    /// The kind of answer of an operation that ran since the interpreter last looked, which
    /// the interpreter pairs with the value the host call returns.
    pub(crate) pending: Option<Answer>,
    /// The last operation's answer and its kind.
    pub(crate) answer: Option<(Value, Answer)>,
}

impl<'h> Cx<'h> {
    pub(crate) fn new(host: &'h mut Host) -> Self {
        Cx {
            host,
            pos: Pos::default(),
            modules: HashMap::new(),
            warnings: Vec::new(),
            printed: Vec::new(),
            ran: false,
            database: None,
            pending: None,
            answer: None,
        }
    }

    /// Adds a warning to the current statement's outcome (what a driver prints but does not
    /// throw, such as mongoose's duplicate index warning).
    pub fn warn(&mut self, message: impl Into<String>) {
        self.warnings.push(message.into());
    }

    /// Notes that the statement ran a database operation whose answer is of the given kind,
    /// so a declaration shows the value it binds (`const users = await User.find()`) and the
    /// outcome says what the value is.
    pub fn ran_operation(&mut self, answer: Answer) {
        self.ran = true;
        self.database = Some(answer.database());
        self.pending = Some(answer);
    }

    /// Output of `console.log`.
    pub(crate) fn print(&mut self, values: Vec<Value>) {
        self.printed.extend(values);
        self.ran = true;
    }

    pub fn now_millis(&self) -> i64 {
        self.host.now_millis
    }
}
