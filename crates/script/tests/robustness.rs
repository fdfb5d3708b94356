//! Garbage in, no panic out: random bytes, random tokens, truncations and deep nesting, every
//! outcome an error or a result. The runs get a 4 MiB stack: unoptimised test builds use about
//! four times the stack of a release build, which handles the deepest input the limits allow
//! in under 512 KiB (measured natively), half of WebAssembly's 1 MiB.

mod common;

use schemaplay_script::{run, Host};

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "db",
    ".",
    "users",
    "find",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    ";",
    "\n",
    " ",
    "'a'",
    "\"b\"",
    "`t${",
    "}`",
    "`",
    "/re/i",
    "/",
    "1",
    "-2.5e3",
    "0x",
    "await",
    "const",
    "let",
    "x",
    "=",
    "=>",
    "new",
    "Date",
    "ObjectId",
    "ISODate(",
    "...",
    "?.",
    "??",
    "!",
    "+",
    "-",
    "*",
    "import",
    "from",
    "'mongoose'",
    "mongoose",
    "Schema",
    "model",
    "$set",
    "$gt",
    "User",
    "create",
    "null",
    "true",
    "undefined",
    "Set",
    "typeof",
    "show",
    "collections",
    "require(",
    "//",
    "/*",
    "*/",
    "\\u{",
    "\\",
    "insertOne",
    "aggregate",
    "$group",
    "$match",
    "sort",
    "limit",
    "explain",
    "index",
    "userSchema",
    "if",
    "else",
    "for",
    "of",
    "while",
    "try",
    "catch",
    "finally",
    "throw",
    "return",
    "break",
    "continue",
    "function",
    "async",
    "f",
    "++",
    "+=",
    "Error",
    "=> {",
    "(s) =>",
];

/// The language tutorials write, whose truncations make broken functions and blocks.
const FUNCTIONS: &str = r#"
async function run() {
  try {
    const docs = await db.users.find({ n: { $gt: 1 } }).toArray()
    for (const { n } of docs) { if (n > 2) break; else continue }
    let i = 0
    while (i < 3) { i++; i += 1 }
    return docs.map(d => d.n).filter((n) => n % 2 === 0)
  } catch (e) {
    throw new Error(`failed: ${e.message}`)
  } finally {
    console.log('done')
  }
}
run().then(r => r.length).catch(e => e)
const session = db.getMongo().startSession()
session.withTransaction(() => { const tx = session.getDatabase('test'); if (tx.users.updateOne({}, { $set: { a: 1 } }).matchedCount !== 1) throw 'none' })
const [first, , third] = [1, 2, 3]
const f = function fact(n = 3) { return n <= 1 ? 1 : n * fact(n - 1) }
"#;

/// A corpus of valid statements whose truncations make realistic broken input.
const SCRIPT: &str = r#"
import mongoose from 'mongoose'
const userSchema = new mongoose.Schema({ email: { type: String, required: true, unique: true }, tags: [String], createdAt: { type: Date, default: Date.now } })
const User = mongoose.model('User', userSchema)
await User.create({ email: 'a@b.c', tags: ['x'] })
db.users.find({ email: /^a/i, n: { $gt: -1 } }, { _id: 0 }).sort({ email: 1 }).limit(5).explain("executionStats")
db.users.aggregate([{ $match: { tags: 'x' } }, { $group: { _id: '$email', n: { $sum: 1 } } }])
const id = `USER#${1 + 2}`
db.users.updateOne({ _id: ObjectId("507f1f77bcf86cd799439011") }, { $set: { at: new Date(Date.now() - 86400000) } }, { upsert: true })
{ _id: 1, tags: new Set([1, 2]), d: ISODate("2024-01-01T00:00:00Z"), n: NumberDecimal("1.5") }
"#;

fn no_panic(source: &str) {
    let mut host = Host::default();
    let out = run(source, &mut host);
    for o in out {
        if let Err(e) = o.result {
            assert!(!e.message.is_empty());
            assert!(e.line >= 1 && e.column >= 1, "{e:?} in {source:?}");
        }
    }
}

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    let handle = std::thread::Builder::new()
        .stack_size(4 << 20)
        .spawn(f)
        .expect("a thread");
    assert!(
        handle.join().is_ok(),
        "the run panicked or overflowed its stack"
    );
}

#[test]
fn random_tokens_do_not_panic() {
    on_small_stack(|| {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let n = 1 + rng.below(40);
            let src: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            no_panic(&src);
        }
    });
}

#[test]
fn random_bytes_do_not_panic() {
    on_small_stack(|| {
        let mut rng = Rng(42);
        for _ in 0..2000 {
            let n = rng.below(80);
            let bytes: Vec<u8> = (0..n).map(|_| (rng.next() & 0xff) as u8).collect();
            no_panic(&String::from_utf8_lossy(&bytes));
        }
    });
}

/// Runs `f` on every truncation of `script` and on every deletion of one character (every
/// `step`th).
fn truncations(script: &str, step: usize, mut f: impl FnMut(&str)) {
    let chars: Vec<char> = script.chars().collect();
    for end in 0..chars.len() {
        let src: String = chars.iter().take(end).collect();
        f(&src);
    }
    for at in (0..chars.len()).step_by(step) {
        let src: String = chars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, c)| *c)
            .collect();
        f(&src);
    }
}

#[test]
fn every_truncation_of_a_real_script_runs() {
    on_small_stack(|| truncations(SCRIPT, 3, no_panic));
}

#[test]
fn every_truncation_of_functions_and_blocks_runs() {
    on_small_stack(|| truncations(FUNCTIONS, 2, no_panic));
}

/// Recursion inside deeply nested expressions is bounded with the expressions: a
/// `RangeError`, not a stack overflow.
#[test]
fn recursion_inside_deep_expressions_is_an_error() {
    on_small_stack(|| {
        for depth in [1, 40, 95] {
            let src = format!(
                "function f(n) {{ return {}f(n + 1){} }}\nf(0)\nconst g = () => {{ if (true) {{ {}g(){} }} }}\ng()",
                "[".repeat(depth),
                "]".repeat(depth),
                "(".repeat(depth),
                ")".repeat(depth)
            );
            let mut host = Host::default();
            let out = run(&src, &mut host);
            let errors: Vec<String> = out
                .iter()
                .filter_map(|o| o.result.as_ref().err().map(|e| e.message.clone()))
                .collect();
            assert_eq!(
                errors,
                vec!["RangeError: Maximum call stack size exceeded"; 2],
                "depth {depth}"
            );
        }
    });
}

#[test]
fn deep_nesting_is_an_error() {
    on_small_stack(|| {
        for (open, close) in [
            ("[", "]"),
            ("{a:", "}"),
            ("(", ")"),
            ("f(", ")"),
            ("-", ""),
            ("!", ""),
            ("`${", "}`"),
            ("await ", ""),
        ] {
            let src = format!("{}1{}", open.repeat(5000), close.repeat(5000));
            let mut host = Host::default();
            let out = run(&src, &mut host);
            assert!(out.iter().any(|o| o.result.is_err()), "{open}: {out:?}");
        }
        // Values nested through names, one level per statement.
        let mut src = String::from("const v0 = 1\n");
        for i in 1..300 {
            src.push_str(&format!("const v{i} = [v{}]\n", i - 1));
        }
        src.push_str("db.deep.insertOne({ v: v299 })\n");
        let mut host = Host::default();
        let out = run(&src, &mut host);
        let last = out.last().map(|o| o.result.clone());
        assert!(matches!(last, Some(Err(_))), "{last:?}");
    });
}

#[test]
fn an_oversized_script_is_one_error() {
    let src = "1\n".repeat(600_000);
    let out = run(&src, &mut Host::default());
    assert_eq!(out.len(), 1);
    assert!(out.first().is_some_and(|o| o.result.is_err()));
}

#[test]
fn seeded_host_survives_garbage_too() {
    on_small_stack(|| {
        let mut host = common::seeded();
        let mut rng = Rng(7);
        for _ in 0..500 {
            let n = 1 + rng.below(30);
            let src: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            let _ = common::render(&src, &mut host);
        }
    });
}

/// The DynamoDB side's pieces: the SDKs' names and the CLI's words, quotes and escapes.
const DYNAMO_PIECES: &[&str] = &[
    "aws dynamodb ",
    "$ aws dynamodb ",
    "aws",
    "dynamodb",
    "get-item",
    "query",
    "scan",
    "put-item",
    "create-table",
    " --table-name app-data",
    " --key ",
    " --item ",
    " --max-items 1",
    " --starting-token x",
    " --limit",
    " --no-paginate",
    " --key-schema AttributeName=PK,KeyType=HASH",
    "=",
    ",",
    "{S=a}",
    "'",
    "\"",
    "\\",
    "\\\n",
    "\n",
    " ",
    "#",
    "$X",
    "|",
    "{\"PK\": {\"S\": \"USER#123\"}, \"SK\": {\"S\": \"PROFILE\"}}",
    "{\"S\":",
    "{\"N\": \"1e400\"}",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    ":",
    "await ",
    "client",
    "ddb",
    ".send(",
    "new ",
    "GetCommand",
    "PutItemCommand",
    "QueryCommand",
    "{ TableName: 'app-data', ",
    "Key: { PK: 'USER#123', SK: 'PROFILE' }",
    "Item: { PK: 'a', SK: 'b', s: new Set([1, 'x']), u: undefined, b: Buffer.from('x') }",
    "ExpressionAttributeValues: { ':v': ",
    "new Set()",
    "NaN",
    "1e400",
    "docClient",
    ".get(",
    ".promise()",
    ".createSet(",
    "AWS.DynamoDB.Converter.marshall(",
    "marshall(",
    "unmarshall(",
    "NumberValue.from('1')",
];

/// Valid DynamoDB statements of every syntax, whose truncations make realistic broken input.
const DYNAMO_SCRIPT: &str = r#"
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
const ddb = new DynamoDBClient({})
const client = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } })
await client.send(new PutCommand({ TableName: 'app-data', Item: { PK: 'USER#1', SK: 'P', tags: new Set(['a']), n: 1.5, u: undefined } }))
await client.send(new QueryCommand({ TableName: 'app-data', KeyConditionExpression: 'PK = :pk AND begins_with(SK, :s)', ExpressionAttributeValues: { ':pk': 'USER#1', ':s': 'P' } }))
await ddb.send(new GetItemCommand({ TableName: 'app-data', Key: { PK: { S: 'USER#1' }, SK: { S: 'P' } } }))
unmarshall(marshall({ a: [1, { b: new Set([1, 2]) }] }))
const AWS = require('aws-sdk')
const docClient = new AWS.DynamoDB.DocumentClient({ convertEmptyValues: true })
await docClient.update({ TableName: 'app-data', Key: { PK: 'USER#1', SK: 'P' }, UpdateExpression: 'ADD c :one', ExpressionAttributeValues: { ':one': 1 } }).promise()
aws dynamodb put-item --table-name app-data --item '{
  "PK": {"S": "USER#2"}, "SK": {"S": "P"}, "b": {"B": "aGk="}
}' --return-consumed-capacity TOTAL
aws dynamodb query --table-name app-data --key-condition-expression "PK = :pk" \
  --expression-attribute-values '{":pk": {"S": "USER#2"}}' --max-items 1 # a comment
aws dynamodb create-table --table-name T --attribute-definitions AttributeName=PK,AttributeType=S --key-schema AttributeName=PK,KeyType=HASH --provisioned-throughput ReadCapacityUnits=1,WriteCapacityUnits=1
"#;

#[test]
fn random_dynamodb_tokens_do_not_panic() {
    on_small_stack(|| {
        let mut host = common::app_data();
        let mut rng = Rng(0xd1ce_5eed);
        for _ in 0..3000 {
            let n = 1 + rng.below(30);
            let src: String = (0..n)
                .map(|_| DYNAMO_PIECES[rng.below(DYNAMO_PIECES.len())])
                .collect();
            let _ = common::render(&src, &mut host);
            no_panic(&src);
        }
    });
}

#[test]
fn every_truncation_of_a_dynamodb_script_runs() {
    on_small_stack(|| {
        // One host for all, so the requests meet tables and items left by earlier ones.
        let mut host = common::app_data();
        truncations(DYNAMO_SCRIPT, 2, |src| {
            let _ = common::render(src, &mut host);
            no_panic(src);
        });
    });
}

#[test]
fn deep_cli_arguments_are_errors() {
    on_small_stack(|| {
        for arg in [
            format!("'{}1{}'", "{\"a\":{\"M\":".repeat(5000), "}}".repeat(5000)),
            format!("'{}'", "[".repeat(5000)),
            format!("a={}", "{b=".repeat(5000)),
            format!("a={}", "[".repeat(5000)),
        ] {
            let src = format!("aws dynamodb put-item --table-name app-data --item {arg}");
            let mut host = common::app_data();
            let out = run(&src, &mut host);
            assert!(
                out.iter().all(|o| o.result.is_err()),
                "{}: {out:?}",
                arg.get(..20).unwrap_or("")
            );
        }
    });
}
