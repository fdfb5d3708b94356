//! `schemaplay run` on the user's own examples (shared/examples/user-examples.md), pasted
//! verbatim, on the user-app example's layouts with 10 generated records per entity: the
//! three documents, the mongoose block and the lib-dynamodb block. Also stdin, a design
//! file, no design, and the exit status.

use std::io::Write;
use std::process::{Command, Stdio};

use expect_test::{expect, Expect};

const EXAMPLES: &str = include_str!("../../../../shared/examples/user-examples.md");

/// The examples' code, from the start of `from` up to `to` (the end of the code when absent).
fn block(from: &str, to: Option<&str>) -> String {
    let code = EXAMPLES
        .split_once("```js\n")
        .and_then(|(_, rest)| rest.rsplit_once("```"))
        .map_or("", |(code, _)| code);
    let start = code.find(from).unwrap_or(code.len());
    let rest = code.get(start..).unwrap_or("");
    let end = to.and_then(|t| rest.find(t)).unwrap_or(rest.len());
    rest.get(..end).unwrap_or("").to_string()
}

/// Runs `schemaplay run - ARGS` with `script` on stdin: stdout, stderr and the exit status,
/// each result cut to 160 characters so the expectations stay readable.
fn run(script: &str, args: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_schemaplay"))
        .arg("run")
        .arg("-")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("schemaplay runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(script.as_bytes())
        .expect("the script is written");
    let out = child.wait_with_output().expect("schemaplay finishes");
    let cut = |text: &[u8]| {
        String::from_utf8_lossy(text)
            .lines()
            .map(|l| match l.char_indices().nth(160) {
                Some((i, _)) => format!("{}...", &l[..i]),
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "{}\n-- stderr\n{}\n-- exit {}",
        cut(&out.stdout),
        cut(&out.stderr),
        out.status.code().unwrap_or(-1)
    )
}

fn check(script: &str, expect: Expect) {
    expect.assert_eq(&run(script, &["--example", "user-app", "--data", "10"]));
}

#[test]
fn the_three_documents() {
    check(
        &block("// User document", Some("import mongoose")),
        expect![[r#"
            {"line":2,"result":{"_id":{"$oid":"507f1f77bcf86cd799439011"},"email":"john@example.com","name":"John Doe","profile":{"age":30,"city":"NYC"},"tags":["developer"...
            {"line":15,"result":{"_id":1,"title":"Post","comments":[{"author":"Alice","text":"Great!"},{"author":"Bob","text":"Thanks!"}]}}
            {"line":24,"result":{"_id":1,"title":"Post","authorId":{"$oid":"659200805c68656d61000001"}}}
            3 statements, 0 failed
            -- stderr
            line 24: warning: ObjectId("...") is a documentation placeholder: the console generated ObjectId("659200805c68656d61000001") in its place (mongosh would throw B...
            -- exit 0"#]],
    );
}

/// The user's `User.create` of john@example.com meets the generated data's showcase user, who
/// has that email (the example design takes the user's own values): the unique index refuses
/// it, as MongoDB does. Everything else runs; `userId` is the generated showcase user.
#[test]
fn the_mongoose_block() {
    check(
        &block("import mongoose", Some("// Single table design")),
        expect![[r#"
            {"line":14,"error":{"message":"MongoServerError: E11000 duplicate key error collection: test.users index: email_1 dup key: { email: \"john@example.com\" }","lin...
            {"line":20,"result":[{"_id":{"$oid":"507f1f77bcf86cd799439011"},"email":"john@example.com","name":"John Doe","profile":{"age":30,"city":"NYC","bio":"Every today...
            {"line":21,"result":{"_id":{"$oid":"507f1f77bcf86cd799439011"},"email":"john@example.com","name":"John Doe","profile":{"age":30,"city":"NYC","bio":"Every today ...
            {"line":23,"result":{"acknowledged":true,"modifiedCount":1,"upsertedId":null,"upsertedCount":0,"matchedCount":1}}
            {"line":28,"result":{"acknowledged":true,"deletedCount":1}}
            {"line":30,"result":[]}
            {"line":40,"result":[]}
            14 statements, 1 failed
            -- stderr
            line 35: warning: [MONGOOSE] Warning: Duplicate schema index on {"email":1} found. This is often due to declaring an index using both "index: true" and "schema....
            line 42: warning: [MONGOOSE] Warning: Duplicate schema index on {"email":1} found. This is often due to declaring an index using both "index: true" and "schema....
            -- exit 1"#]],
    );
}

/// Pasted on the example's empty collections, the mongoose block runs whole: the create makes
/// the first user, so `userId` names it, and the update and delete find it.
#[test]
fn the_mongoose_block_on_empty_collections() {
    let out = run(
        &block("import mongoose", Some("// Single table design")),
        &["--example", "user-app"],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.contains(&"14 statements, 0 failed"),
        "every statement runs:\n{out}"
    );
    for line in [23, 28] {
        let prefix = format!("{{\"line\":{line},\"result\":");
        let found = lines.iter().find(|l| l.starts_with(&prefix));
        assert!(
            found.is_some_and(|l| l.contains("Count\":1")),
            "line {line} finds the created user:\n{out}"
        );
    }
}

/// The three prose lines about the GSI are syntax errors that say so; the conditional update
/// fails its condition (the user's item has no balance), as DynamoDB does; the rest runs.
#[test]
fn the_sdk_block() {
    check(
        &block("import { DynamoDBClient }", None),
        expect![[r#"
        {"line":12,"result":{}}
        {"line":22,"result":{"Item":{"PK":"USER#123","SK":"PROFILE","email":"john@example.com","name":"John Doe"}}}
        {"line":27,"result":{"Items":[],"Count":0,"ScannedCount":0}}
        {"line":36,"result":{}}
        {"line":44,"error":{"message":"ConditionalCheckFailedException: The conditional request failed","line":44,"column":14}}
        {"line":55,"error":{"message":"SyntaxError: `GSI:` starts a label, and labels are outside the supported subset of JavaScript; if this line is prose, comment it ...
        {"line":56,"error":{"message":"SyntaxError: Unexpected identifier 'Key': a statement cannot start with two names (`Partition Key`); if this line is prose, comme...
        {"line":57,"error":{"message":"SyntaxError: Unexpected identifier 'Key': a statement cannot start with two names (`Sort Key`); if this line is prose, comment it...
        {"line":58,"result":{"Items":[{"PK":"USER#123","SK":"PROFILE","email":"john@example.com","name":"Jane Doe"},{"GSI1PK":"CITY#NYC","GSI1SK":"USER#2024-01-01T00:00...
        13 statements, 4 failed
        -- stderr

        -- exit 1"#]],
    );
}

#[test]
fn a_design_file_no_design_and_the_exit_status() {
    let design = std::env::temp_dir().join(format!("schemaplay-run-{}.json", std::process::id()));
    let text = schemaplay_core::examples::get("chat").map_or(String::new(), |e| e.design.to_json());
    std::fs::write(&design, text).expect("the design is written");
    let path = design.to_string_lossy().to_string();
    expect![[r#"
        {"line":1,"result":["messages","rooms","users"]}
        {"line":2,"result":{"Count":0,"ScannedCount":0}}
        2 statements, 0 failed
        -- stderr

        -- exit 0"#]]
    .assert_eq(&run(
        "db.getCollectionNames()\naws dynamodb scan --table-name chat --select COUNT",
        &["--design", &path],
    ));
    let _ = std::fs::remove_file(&design);
    expect![[r#"
        {"line":1,"result":[]}
        {"line":3,"result":"x"}
        3 statements, 0 failed
        -- stderr

        -- exit 0"#]]
    .assert_eq(&run("show collections\nconst TABLE = 'x'\nTABLE", &[]));
    expect![[r#"

        -- stderr
        error: no example is named "nope" (there are: user-app, ecommerce, chat, iot, saas)
        -- exit 2"#]]
    .assert_eq(&run("db.users.find()", &["--example", "nope"]));
}
