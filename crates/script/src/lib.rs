//! The playground console's language: a JavaScript subset, parsed in Rust and interpreted
//! (never `eval`ed, so a shared script is safe to run on open), with the objects of mongosh,
//! mongoose and the MongoDB Node driver over the in-memory simulators.
//!
//! ```
//! use schemaplay_script::{run, Host};
//!
//! let mut host = Host::default();
//! let out = run("db.users.insertOne({ name: 'Ann' })\ndb.users.countDocuments()", &mut host);
//! assert_eq!(out[1].result, Ok(Some(serde_json::json!(1))));
//! ```
//!
//! # Architecture: lexer → parser → AST → interpreter with host objects
//!
//! - [`lexer`] turns the text into tokens with their line and column, telling regular
//!   expressions from division as JavaScript does and lexing each template's `${...}` into its
//!   own token list.
//! - [`parser`] builds the typed tree of [`ast`] by recursive descent, one statement at a time,
//!   with automatic semicolon insertion as JavaScript does it. A statement starting with `{` is
//!   an object literal (a pasted document). Everything outside the subset (loops, functions,
//!   arrows, classes, `if`, assignments to members, ...) is a syntax error naming the construct;
//!   after an error the parser resumes at the next statement, so each statement of a pasted
//!   block has its own outcome. Nesting is bounded ([`parser::MAX_NESTING`]).
//! - [`interp`] evaluates statements in order. Plain JavaScript values ([`Value`]: numbers,
//!   strings, arrays, objects, sets, and BSON values such as ObjectId and Date) are the
//!   interpreter's own; everything else is a host object.
//! - [`host`] defines [`HostObject`], the one mechanism by which a script reaches a database:
//!   a property read, a method call, a call or a `new` on a host object goes to its trait
//!   methods with a [`Cx`] holding the [`Host`] (the simulators). A host object answers `None`
//!   for names it does not have, which becomes JavaScript's own `TypeError`. A lazy operation
//!   (a find cursor, a mongoose query) implements [`HostObject::settle`], which `await` and the
//!   console's printing call.
//! - [`builtins`] are the globals (`ObjectId`, `ISODate`, `Date`, `NumberInt`, `NumberLong`,
//!   `NumberDecimal`/`Decimal128`, `UUID`, `Set`, `JSON`, `console`, `require`, `db`);
//!   [`mongosh`] the shell's `db`, collections and cursors (also the Node driver's, through the
//!   `mongodb` package); [`mongoose`] schemas, models, queries and documents; [`packages`] the
//!   table of packages `import` and `require` know.
//!
//! # Outcomes
//!
//! [`run`] returns one [`Outcome`] per statement: the line it starts on, and its result as
//! relaxed Extended JSON (what mongosh or the driver returns), nothing, or an error with its
//! message, line and column. A statement that runs an operation shows its result, also when
//! it assigns it (`const users = await User.find()`); a statement that runs nothing (`const
//! TABLE = 'app-data'`, an `import`, a schema) shows nothing; a bare expression (a pasted
//! document) shows its value; a cursor or query printed by the console runs. Warnings (what a
//! driver prints without throwing, such as mongoose's duplicate index warning) come with the
//! outcome.
//!
//! Console semantics follow the DevTools console: a later `const` may declare a name again
//! (the user's example declares `const user` twice). Names the host predefines
//! ([`Host::define`], e.g. `userId`) are visible to every script; an unknown name is
//! `ReferenceError: userId is not defined` at its position.
//!
//! `ObjectId("...")`: a real shell throws on the documentation placeholder. The console reads
//! `ObjectId` of a string of dots (or `…`) as a placeholder: it generates a new ObjectId and
//! warns, saying what mongosh would do. A learner pasting an example from a tutorial (the
//! user's own "Reference" document) sees the document; nothing is guessed for any other
//! invalid string, which is mongosh's `BSONError`.
//!
//! Dates are UTC: the playground has no time zone, so `new Date('2024-01-01T10:00')` is read
//! as UTC, and `new Date()`, `Date.now()` and new ObjectIds read the host's clock
//! ([`Host::set_clock`]), never the system's, so runs are deterministic.
//!
//! # Adding the DynamoDB side (part 2)
//!
//! The DynamoDB objects are host objects like the MongoDB ones; nothing in the lexer, parser
//! or interpreter changes:
//! 1. Write a module (say `dynamo_sdk.rs`) with the host objects: the SDK v3 clients
//!    (`DynamoDBClient`, `DynamoDBDocumentClient.from(...)`), the command classes (`new
//!    QueryCommand(params)` is a host object holding `params`), and `client.send(command)`
//!    calling `cx.host.dynamo.execute(operation, &input)`; lib-dynamodb marshalling of plain
//!    values (a [`Value::Set`] becomes `SS`/`NS`/`BS`) lives beside it. SDK v2's
//!    `DocumentClient` returns a request whose `.promise()` is the result (or make it lazy
//!    with [`HostObject::settle`]).
//! 2. Add the packages to [`packages::PACKAGES`] (`@aws-sdk/client-dynamodb`,
//!    `@aws-sdk/lib-dynamodb`, `aws-sdk`); named imports resolve through the module's
//!    [`HostObject::get`].
//! 3. Errors are [`Thrown`] values named as the SDK names them (`ConditionalCheckFailedException`).
//!    Call [`Cx::ran_operation`] when a request ran, so `const r = await client.send(...)`
//!    shows `r`.
//! 4. The AWS CLI is not JavaScript: a line starting with `aws dynamodb` can be recognised by
//!    the parser as a shell command (as `show collections` is, [`ast::StmtKind::Shell`]) and
//!    run by a function beside [`mongosh::shell`].

pub mod ast;
pub mod aws_cli;
pub mod aws_v2;
pub mod builtins;
pub mod date;
pub mod dynamo_sdk;
pub mod host;
pub mod interp;
pub mod lexer;
pub mod mongoose;
pub mod mongosh;
pub mod packages;
pub mod parser;
pub mod value;

pub use host::{Cx, Host, HostObject, Thrown};
pub use interp::run;
pub use value::Value;

/// What one statement did.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The line the statement starts on (1-based).
    pub line: u32,
    /// The statement's result as relaxed Extended JSON (`None` when it shows nothing), or its
    /// error.
    pub result: Result<Option<serde_json::Value>, ScriptError>,
    /// What the drivers would print without throwing (mongoose's duplicate index warning, a
    /// placeholder ObjectId).
    pub warnings: Vec<String>,
}

/// An error with where it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptError {
    /// The error as the console shows it: `ReferenceError: userId is not defined`.
    pub message: String,
    pub line: u32,
    pub column: u32,
}
