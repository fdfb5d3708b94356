//! The playground console's language: a JavaScript subset, parsed in Rust and interpreted
//! (never `eval`ed, so a shared script is safe to run on open), with the objects of mongosh,
//! mongoose, the MongoDB Node driver and the AWS SDKs for JavaScript (v3 and v2) over the
//! in-memory simulators, and the AWS CLI's `aws dynamodb` commands.
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
//!   an object literal (a pasted document); inside a function or a block it is a block, as
//!   JavaScript reads it. The code tutorials write is in the subset: functions (arrows with
//!   expression or block bodies, `function` expressions and declarations, hoisted; `async`
//!   ones; default parameters; `return`), `if`/`else`, `while`, `for (init; test; update)`,
//!   `for (const x of xs)` and `for await`, `break`, `continue`, `throw` of any value,
//!   `try`/`catch`/`finally`, destructuring of objects and arrays (`const [doc] = ...`),
//!   `x++`, `x += 1` and the other compound assignments of a name. A `while` or `for` loop
//!   stops after [`interp::MAX_LOOP_ITERATIONS`] runs, and a statement after
//!   [`interp::MAX_STEPS`] loop runs and calls together (a callback that loops for ever
//!   inside another loop), each with a `RangeError`; calls nest at most
//!   [`interp::MAX_CALL_DEPTH`] deep. Everything outside the subset (`do`, `switch`,
//!   `for ... in`, classes, `this`, generators, assignments to members, bitwise operators,
//!   ...) is a syntax error naming the construct;
//!   a module's `export { names }`, `export const ...` and `export default ...` read as what
//!   they export (a pasted models file ends with one);
//!   after an error the parser resumes at the next statement, so each statement of a pasted
//!   block has its own outcome. Nesting is bounded ([`parser::MAX_NESTING`]).
//! - [`interp`] evaluates statements in order. Plain JavaScript values ([`Value`]: numbers,
//!   strings, arrays, objects, sets, and BSON values such as ObjectId and Date) are the
//!   interpreter's own; everything else is a host object. A function the script writes is a
//!   host object too (`function.rs`: the closure keeps the scope it was created in, so it
//!   sees its bindings and their later changes); calling an `async` function gives a
//!   promise that is already settled (the console runs each operation to its end), which
//!   `await`, `then`, `catch` and `finally` read; `throw` throws any value and `catch` binds
//!   it, or an error object (`name`, `message`, `codeName`, `stack`) for what an operation
//!   threw. Arrays' `map`, `forEach`, `filter`, `find`, `findIndex`, `some`, `every`,
//!   `reduce`, `flatMap` and `sort(compare)`, and a cursor's or query's `forEach` and `map`,
//!   call the script's functions. A host method that takes a callback
//!   (`session.withTransaction(fn)`) implements [`HostObject::call_with`] and calls it
//!   through [`Callbacks`].
//! - Transactions (`session.rs`): `db.getMongo().startSession()`, the driver's
//!   `client.startSession()`, `mongoose.startSession()` give a session with
//!   `withTransaction(fn)`, `startTransaction`, `commitTransaction`, `abortTransaction`,
//!   `endSession`, `getDatabase`; mongoose's `connection.transaction(fn)` runs `fn(session)`
//!   in one. The simulator has no sessions: a transaction keeps a copy of the database from
//!   its start and an abort (or its callback throwing) puts it back, then the error goes on.
//!   `{ session }` options and a query's `.session(s)` are accepted; every write while a
//!   transaction is open belongs to it.
//! - [`host`] defines [`HostObject`], the one mechanism by which a script reaches a database:
//!   a property read, a method call, a call or a `new` on a host object goes to its trait
//!   methods with a [`Cx`] holding the [`Host`] (the simulators). A host object answers `None`
//!   for names it does not have, which becomes JavaScript's own `TypeError`. A lazy operation
//!   (a find cursor, a mongoose query) implements [`HostObject::settle`], which `await` and the
//!   console's printing call.
//! - [`builtins`] are the globals (`ObjectId`, `ISODate`, `Date`, `NumberInt`, `NumberLong`,
//!   `NumberDecimal`/`Decimal128`, `UUID`, `Set`, `JSON`, `console`, `require`, `db`);
//!   [`mongosh`] the shell's `db`, collections and cursors (also the Node driver's, through the
//!   `mongodb` package); [`mongoose`] schemas, models, queries and documents; [`dynamo_sdk`]
//!   the AWS SDK v3 packages and [`aws_v2`] the v2 one over the DynamoDB simulator;
//!   [`packages`] the table of packages `import` and `require` know.
//! - [`aws_cli`] the AWS CLI: the lexer cuts a line starting with `aws dynamodb` out as one
//!   token (read as the shell reads it), the parser makes it a statement of its own
//!   ([`ast::StmtKind::Cli`]), and [`aws_cli::run`] runs it.
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
//! outcome. An outcome also says which database the statement ran an operation on
//! ([`Outcome::database`]) and, when its result is that operation's own answer (the very value
//! the driver returned, not one computed from it), what kind of answer it is
//! ([`Outcome::answer`]: documents, a plan, a DynamoDB output with plain or AttributeValue
//! items), so a caller shows rows and plans without interpreting JSON.
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
//! # The DynamoDB side
//!
//! The SDKs' objects are host objects like the MongoDB ones. `client.send(command)` runs the
//! request when it is sent and is the SDK's output object (`Item`, `Items`, `Count`,
//! `ScannedCount`, `Attributes`, `LastEvaluatedKey`, `ConsumedCapacity`, ...). The SDK v3 also
//! returns `$metadata` (HTTP status, request id, retries): the console does not show it, as no
//! network exchange happened, but `result.$metadata.httpStatusCode` reads `200`. lib-dynamodb
//! and the v2 DocumentClient marshall through the simulator's document client
//! ([`schemaplay_dynamo::docclient`]), with lib-dynamodb's options and errors (`Error: Pass
//! options.removeUndefinedValues=true ...`) and v2's own rules. Errors are named as the SDKs
//! name them: `ConditionalCheckFailedException: The conditional request failed`; the members
//! Node prints after the message (`CancellationReasons`, a failed condition's `Item`) follow
//! it as JSON.
//!
//! v2 methods return an `AWS.Request`, which is not a promise: `.promise()` sends it (once:
//! calling it again answers the same response). As in Node, `await docClient.get(params)`
//! without `.promise()` is the request object and sends nothing; the console says so in a
//! warning.
//!
//! The AWS CLI is recognised where JavaScript cannot be: a line whose first word is `aws`
//! (optionally after a `$ ` prompt) followed by `dynamodb` on the same line. It runs to the end
//! of the line, or on where the shell goes on (an open quote, a trailing backslash). Its result
//! is the JSON the CLI prints with `--output json` (nothing for an empty response, as the CLI);
//! see [`aws_cli`] for what the shell and the CLI do.
//!
//! Bytes (`Buffer`, `Uint8Array`, the SDK v3's `B` values) are BSON binaries inside the
//! interpreter and print as Extended JSON (`{"$binary": ...}`).
//!
//! # What the console knows
//!
//! Globals: `db` (mongosh), `Promise` (`all`, `allSettled`, `resolve`, `reject`), `Error`,
//! `TypeError`, `RangeError`, `ReferenceError`, `SyntaxError`, `ObjectId`, `ISODate`, `Date` (`Date.now`, `Date.parse`,
//! `Date.UTC`), `NumberInt`, `NumberLong`, `NumberDecimal`/`Decimal128`, `UUID`, `Set`, `Map`,
//! `String`, `Number` (`isInteger`), `Boolean`, `Object` (`keys`, `values`, `entries`),
//! `Array` (`isArray`, `from`), `Buffer` (`from`, `isBuffer`), `Uint8Array` (`new`, `from`),
//! `JSON` (`stringify`, `parse`), `console` (`log`, `info`, `warn`, `error`, `debug`, `dir`,
//! `table`), `require`; the shell commands `show collections`/`tables`, `show dbs`/`databases`,
//! `use <db>`.
//!
//! Packages (`import` and `require`), with every class and method the console runs (any other
//! is JavaScript's `TypeError: ... is not a function`, or a `NotSupportedError` naming it where
//! the real one exists):
//! - `mongoose` ([`mongoose`]): `Schema` (`new`, `add`, `index`, `indexes`, `Types`),
//!   `Schema.Types`/`SchemaTypes`, `Types`, `model`, `modelNames`, `connect`,
//!   `createConnection`, `disconnect`, `set`, `pluralize`, `isValidObjectId`,
//!   `isObjectIdOrHexString`; a model's `create`, `insertMany`, `find`, `findOne`, `findById`,
//!   `findOneAndUpdate`, `findByIdAndUpdate`, `findOneAndReplace`, `findOneAndDelete`,
//!   `findByIdAndDelete`, `updateOne`, `updateMany`, `replaceOne`, `deleteOne`, `deleteMany`,
//!   `countDocuments`, `estimatedDocumentCount`, `distinct`, `exists`, `aggregate`,
//!   `createIndexes`, `ensureIndexes`, `syncIndexes`, `listIndexes`, `createCollection`,
//!   `init`, `modelName`, `schema`, `collection`; a query's `exec`, `lean`, `select`,
//!   `projection`, `sort`, `skip`, `limit`, `countDocuments`, `setOptions`, `collation`,
//!   `explain`; schema options `timestamps`, `versionKey`, `collection`, `_id`; a path's
//!   `expires` (a TTL index); an
//!   aggregate's `match`, `group`, `project`, `sort`, `limit`, `skip`, `unwind`, `lookup`,
//!   `addFields`, `replaceRoot`, `facet`, `count`, `sortByCount`, `sample`, `append`,
//!   `collation`, `explain`, `exec`; a document's `save`, `validate`, `validateSync`, `toObject`, `toJSON`,
//!   `get`, `set`, `markModified`, `updateOne`, `deleteOne`, `id`, `isNew`.
//! - `mongodb` ([`packages`], [`mongosh`]): `MongoClient` (`new`, `connect`, `db`, `close`),
//!   `ObjectId`, `Decimal128`, `Long`, `Int32`, `UUID`; the driver's `db.collection(name)` and
//!   the shell's `db.<name>`/`db.getCollection(name)`: `find`, `findOne`, `insertOne`,
//!   `insertMany`, `updateOne`, `updateMany`, `replaceOne`, `deleteOne`, `deleteMany`,
//!   `findOneAndUpdate`, `findOneAndReplace`, `findOneAndDelete`, `countDocuments`, `count`,
//!   `estimatedDocumentCount`, `distinct`, `aggregate`, `createIndex`, `createIndexes`,
//!   `ensureIndex`, `getIndexes`, `indexes`, `getIndexKeys`, `getIndexSpecs`, `dropIndex`,
//!   `dropIndexes`, `drop`, `explain`, `getName`, `getFullName`, `getDB`; cursors' `sort`,
//!   `limit`, `skip`, `project`/`projection`, `count`, `size`, `itcount`, `toArray`,
//!   `pretty`, `explain`, `collation`; `db.getCollectionNames`,
//!   `getCollectionInfos`/`listCollections`, `createCollection` (with `validator`,
//!   `validationLevel`, `validationAction`, `collation`), `runCommand` (`create`, `collMod`),
//!   `dropDatabase`, `getName`, `getSiblingDB`. Reads, writes, counts, `distinct` and
//!   aggregations take `collation`; writes take `bypassDocumentValidation`; indexes take
//!   `collation` and `expireAfterSeconds` (TTL: the host expires documents,
//!   `Database::expire`).
//! - `@aws-sdk/client-dynamodb` ([`dynamo_sdk`]): `DynamoDBClient` (`new`, `send`, `destroy`);
//!   the commands `GetItemCommand`, `PutItemCommand`, `UpdateItemCommand`,
//!   `DeleteItemCommand`, `QueryCommand`, `ScanCommand`, `BatchGetItemCommand`,
//!   `BatchWriteItemCommand`, `TransactGetItemsCommand`, `TransactWriteItemsCommand`,
//!   `CreateTableCommand`, `DescribeTableCommand`, `DeleteTableCommand`, `ListTablesCommand`
//!   (each with its `input`); `DynamoDB` (the same with `getItem`, `putItem`, `updateItem`,
//!   `deleteItem`, `query`, `scan`, `batchGetItem`, `batchWriteItem`, `transactGetItems`,
//!   `transactWriteItems`, `createTable`, `describeTable`, `deleteTable`, `listTables`); the
//!   enums `ReturnValue`, `ReturnConsumedCapacity`, `ReturnItemCollectionMetrics`,
//!   `ReturnValuesOnConditionCheckFailure`, `Select`, `KeyType`, `ScalarAttributeType`,
//!   `BillingMode`, `ProjectionType`, `TableStatus`; the exception classes (for their `name`).
//!   Other commands of the package (`UpdateTableCommand`, `ExecuteStatementCommand`, ...)
//!   construct, and sending one is a `NotSupportedError`; `paginateQuery`, `paginateScan`
//!   and `paginateListTables` are one too (only `for await`, a loop, reads them).
//! - `@aws-sdk/lib-dynamodb` ([`dynamo_sdk`]): `DynamoDBDocumentClient` (`from(client,
//!   translateConfig)`, `new`, `send`, `destroy`) with `marshallOptions`
//!   (`convertEmptyValues`, `removeUndefinedValues`, `convertClassInstanceToMap`,
//!   `allowImpreciseNumbers`) and `unmarshallOptions` (`wrapNumbers`); the commands
//!   `GetCommand`, `PutCommand`, `UpdateCommand`, `DeleteCommand`, `QueryCommand`,
//!   `ScanCommand`, `BatchGetCommand`, `BatchWriteCommand`, `TransactGetCommand`,
//!   `TransactWriteCommand`; `DynamoDBDocument` (`from`, and `get`, `put`, `update`, `delete`,
//!   `query`, `scan`, `batchGet`, `batchWrite`, `transactGet`, `transactWrite`);
//!   `NumberValue` (`new`, `from`, `value`, `toString`, `valueOf`, `toAttributeValue`);
//!   `paginateQuery`, `paginateScan` as above.
//! - `@aws-sdk/util-dynamodb` ([`dynamo_sdk`]): `marshall`, `unmarshall`, `convertToAttr`,
//!   `convertToNative` (with their options), `NumberValue`.
//! - `aws-sdk` ([`aws_v2`]): `AWS.config.update`; `new AWS.DynamoDB(options)` with `getItem`,
//!   `putItem`, `updateItem`, `deleteItem`, `query`, `scan`, `batchGetItem`,
//!   `batchWriteItem`, `transactGetItems`, `transactWriteItems`, `createTable`,
//!   `describeTable`, `deleteTable`, `listTables`; `new AWS.DynamoDB.DocumentClient(options)`
//!   (`convertEmptyValues`, `wrapNumbers`, `params`) with `get`, `put`, `update`, `delete`,
//!   `query`, `scan`, `batchGet`, `batchWrite`, `transactGet`, `transactWrite`, `createSet`;
//!   each returns an `AWS.Request` with `promise`, `send`, `abort`; `AWS.DynamoDB.Converter`
//!   (`marshall`, `unmarshall`, `input`, `output`).
//!
//! The AWS CLI ([`aws_cli`]): `aws dynamodb` `get-item`, `put-item`, `update-item`,
//! `delete-item`, `query`, `scan`, `batch-get-item`, `batch-write-item`, `transact-get-items`,
//! `transact-write-items`, `create-table`, `describe-table`, `delete-table`, `list-tables`,
//! with their parameters, the pagination options (`--max-items`, `--starting-token`,
//! `--page-size`, `--no-paginate`), `--output json`, `--cli-input-json`,
//! `--cli-binary-format`, and the connection options (`--region`, `--endpoint-url`,
//! `--profile`, ...), which change nothing.

pub mod ast;
pub mod aws_cli;
pub mod aws_v2;
pub mod builtins;
pub mod date;
pub mod dynamo_sdk;
pub(crate) mod function;
pub mod host;
pub mod interp;
pub mod lexer;
pub mod mongoose;
pub mod mongosh;
pub mod packages;
pub mod parser;
pub(crate) mod session;
pub mod value;

pub use host::{Callbacks, Cx, Host, HostObject, Predefined, Thrown};
pub use interp::run;
pub use value::Value;

/// What one statement did.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The line the statement starts on (1-based).
    pub line: u32,
    /// The line it ends on.
    pub end_line: u32,
    /// The statement's result as relaxed Extended JSON (`None` when it shows nothing), or its
    /// error.
    pub result: Result<Option<serde_json::Value>, ScriptError>,
    /// What the drivers would print without throwing (mongoose's duplicate index warning, a
    /// placeholder ObjectId).
    pub warnings: Vec<String>,
    /// The database the statement ran an operation on (the last one, if it ran several).
    pub database: Option<Database>,
    /// What kind of answer the result is, when it is an operation's own answer (`await
    /// User.find()`, `const r = await client.send(...)`); `None` for anything else, such as
    /// a value computed from an answer (`(await User.find()).length`) or a pasted document.
    pub answer: Option<Answer>,
}

/// An error with where it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptError {
    /// The error as the console shows it: `ReferenceError: userId is not defined`.
    pub message: String,
    pub line: u32,
    pub column: u32,
}

/// The databases a script reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Database {
    Mongo,
    Dynamo,
}

/// What an operation answers, so a caller can show it as it is (rows, a plan, items) without
/// guessing from the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// What mongosh, the driver or mongoose return: documents, a document (or `null`), a
    /// count, an acknowledgement, index names.
    Mongo,
    /// A MongoDB query plan (`explain()`).
    MongoPlan,
    /// A DynamoDB output object (`Item`, `Items`, `Count`, `LastEvaluatedKey`, ...): its items
    /// are plain values (`plain`: lib-dynamodb, the v2 DocumentClient) or AttributeValue JSON
    /// (the low-level clients, the AWS CLI).
    Dynamo { plain: bool },
}

impl Answer {
    /// The database that gives such answers.
    pub fn database(self) -> Database {
        match self {
            Answer::Mongo | Answer::MongoPlan => Database::Mongo,
            Answer::Dynamo { .. } => Database::Dynamo,
        }
    }
}
