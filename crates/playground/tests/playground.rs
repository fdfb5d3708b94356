//! The playground through its public API: generation, each kind of call, errors with their
//! position, and the console's prefill for every access pattern of every example.

mod common;

use expect_test::{expect, Expect};
use schemaplay_core::examples::{self, Example};
use schemaplay_core::model::Design;
use schemaplay_playground::{
    import, mongo_query_command, prefill_dynamo, prefill_mongo, DynamoCall, DynamoForm, Envelope,
    Error, ImportFile, MongoField, MongoForm, MongoOp, Playground, Reply, Request, RequestId,
};

fn user_app() -> Design {
    examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default()
}

/// Shows a reply in brief: rows, counts and the plan of an answer; the error of a failure.
fn brief(reply: &Reply) -> String {
    match reply {
        Reply::Mongo(a) => common::mongo(a),
        Reply::Dynamo(a) => common::dynamo(a),
        Reply::Failed(Error::Inputs(problems)) => problems
            .iter()
            .map(|p| format!("input {}: {}\n{}", p.input, p.message, p.excerpt))
            .collect::<Vec<_>>()
            .join("\n"),
        other => format!("{other:?}"),
    }
}

/// Loads the user example with 50 records per entity and shows the answers to `requests`.
fn check(requests: Vec<Request>, expect: Expect) {
    let mut playground = Playground::default();
    let mut out = Vec::new();
    let mut steps = 0;
    out.push(brief(
        &playground.handle(Request::SetDesign(Box::new(user_app())), &mut |_| {}),
    ));
    let generated = playground.handle(
        Request::Generate {
            per_entity: 50,
            seed: 7,
        },
        &mut |_| steps += 1,
    );
    out.push(brief(&generated));
    out.push(format!("progress reports: {}", steps > 1));
    for request in requests {
        out.push(brief(&playground.handle(request, &mut |_| {})));
    }
    expect.assert_eq(&out.join("\n"));
}

fn mongo(op: MongoOp, inputs: &[(MongoField, &str)]) -> Request {
    let mut form = MongoForm::new("users").with_operation(op);
    for (field, text) in inputs {
        form = form.with_input(*field, text.to_string());
    }
    Request::Mongo(form)
}

fn dynamo(operation: &str, input: &str) -> Request {
    Request::Dynamo(DynamoCall {
        form: DynamoForm {
            operation: operation.to_string(),
            input: input.to_string(),
        },
        start_key: None,
    })
}

#[test]
fn generates_and_answers_each_kind_of_call() {
    check(
        vec![
            mongo(
                MongoOp::Find,
                &[(MongoField::Filter, r#"{"email": "john@example.com"}"#)],
            ),
            mongo(MongoOp::CountDocuments, &[(MongoField::Filter, "{}")]),
            mongo(
                MongoOp::Aggregate,
                &[(
                    MongoField::Pipeline,
                    r#"[{"$match": {"email": "john@example.com"}}, {"$project": {"email": 1}}]"#,
                )],
            ),
            mongo(
                MongoOp::UpdateMany,
                &[(MongoField::Update, r#"{"$set": {"seen": true}}"#)],
            ),
            mongo(MongoOp::InsertOne, &[(MongoField::Document, r#"{"a": 1}"#)]),
            mongo(MongoOp::DeleteOne, &[(MongoField::Filter, r#"{"a": 1}"#)]),
            dynamo(
                "Query",
                r#"{"TableName":"app-data","KeyConditionExpression":"PK = :pk","ExpressionAttributeValues":{":pk":{"S":"nope"}}}"#,
            ),
            dynamo("Scan", r#"{"TableName":"app-data","Limit":5}"#),
            dynamo("DescribeTable", r#"{"TableName":"app-data"}"#),
        ],
        expect![[r#"
            DesignSet
            Generated(Summary { collections: [("users", 50), ("posts", 50)], documents: 100, table: "app-data", items: 122, problems: [] })
            progress reports: true
            mongo: 1 rows [], plan LIMIT <- FETCH <- IXSCAN email_1 keys Some(1) docs Some(1) returned Some(1)
            mongo: 0 rows ["count 50"], plan COUNT <- COLLSCAN keys Some(0) docs Some(50) returned Some(0)
            mongo: 1 rows [], plan FETCH <- IXSCAN email_1 keys Some(1) docs Some(1) returned Some(1)
            mongo: 0 rows ["matchedCount 50", "modifiedCount 50", "upsertedCount 0"]
            mongo: 0 rows ["insertedId {\"$oid\":\"659200805c68656d61000001\"}"]
            mongo: 0 rows ["deletedCount 1"]
            dynamo: 0 rows, count Some(0), scanned Some(0), capacity Some(0.5), next page false
            dynamo: 5 rows, count Some(5), scanned Some(5), capacity Some(1.0), next page true
            dynamo: 0 rows, count None, scanned None, capacity None, next page false"#]],
    );
}

#[test]
fn errors_name_the_input_and_the_position() {
    check(
        vec![
            // Every broken input is reported, each at its line and column.
            mongo(
                MongoOp::Find,
                &[
                    (
                        MongoField::Filter,
                        "{\"email\": \"john@example.com\",\n  \"profile.city\" \"NYC\"}",
                    ),
                    (MongoField::Sort, "{\"email\": 1,}"),
                ],
            ),
            mongo(
                MongoOp::Find,
                &[(MongoField::Filter, r#"{"email": {"$eqq": 1}}"#)],
            ),
            mongo(MongoOp::Find, &[(MongoField::Filter, "[1]")]),
            mongo(MongoOp::Aggregate, &[(MongoField::Pipeline, " ")]),
            dynamo(
                "Query",
                r#"{"TableName":"app-data", "KeyConditionExpression": }"#,
            ),
            dynamo("Query", "[]"),
            dynamo(
                "Query",
                r#"{"TableName":"app-data","KeyConditionExpression":"PK = :pk AND"}"#,
            ),
        ],
        expect![[r#"
            DesignSet
            Generated(Summary { collections: [("users", 50), ("posts", 50)], documents: 100, table: "app-data", items: 122, problems: [] })
            progress reports: true
            input filter: line 2, column 18: expected `:`
              "profile.city" "NYC"}
                             ^
            input sort: line 1, column 13: trailing comma
            {"email": 1,}
                        ^
            Failed(Message("unknown operator: $eqq (BadValue, code 2)"))
            Failed(Message("BSON field 'find.filter' is the wrong type 'array', expected type 'object' (TypeMismatch, code 14)"))
            Failed(Message("BSON field 'aggregate.pipeline' is missing but a required field (Location40414, code 40414)"))
            input request: line 1, column 52: expected value
            {"TableName":"app-data", "KeyConditionExpression": }
                                                               ^
            input request: the request must be a JSON object: { "TableName": ... }

            Failed(Message("ValidationException: Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :pk"))"#]],
    );
}

/// The examples and a design whose read joins referenced children (an aggregation).
fn designs() -> Vec<Example> {
    let joined = Design::from_json(
        r#"{"formatVersion": 1, "name": "joined", "entities": [
            {"name": "Invoice", "fields": [{"name": "invoiceId", "type": "string"}], "volume": 10},
            {"name": "Line", "fields": [{"name": "amount", "type": "decimal"}], "volume": 50}],
          "relationships": [{"from": "Invoice", "to": "Line", "cardinality": "oneToMany", "expectedCount": 5, "readTogether": true}],
          "accessPatterns": [{"name": "Invoice with lines", "entity": "Invoice", "kind": "getOne", "equality": ["invoiceId"], "requestsPerSecond": 1}]}"#,
    )
    .map(|design| Example {
        id: "joined",
        title: "joined",
        teaches: "",
        design,
    });
    examples::all().into_iter().chain(joined).collect()
}

/// Every access pattern's prefilled MongoDB form runs on generated data: reads of the sample
/// keys find rows, inserts fail only on the showcase record's existing `_id`, and each read
/// that names an index is planned on it (not a collection scan).
#[test]
fn every_prefilled_mongodb_form_runs_and_uses_its_index() {
    let mut problems = Vec::new();
    let (mut reads, mut planned, mut aggregates) = (0, 0, 0);
    let all = designs();
    assert!(all.iter().any(|e| e.id == "joined"));
    for example in all {
        let mut playground = Playground::new(example.design);
        playground.generate(20, 1, &mut |_| {});
        let analysis = playground.analysis().clone();
        for query in &analysis.mongo.queries {
            let form = prefill_mongo(query);
            let what = format!("{} / {} ({})", example.id, query.pattern, query.operation);
            if let Some(pipeline) = &query.pipeline {
                aggregates += 1;
                let shown: serde_json::Value =
                    serde_json::from_str(form.input(MongoField::Pipeline)).unwrap_or_default();
                assert_eq!(&shown, pipeline, "{what}");
            }
            let answer = match playground.run_mongo(&form) {
                Ok(answer) => answer,
                Err(Error::Message(m))
                    if form.operation == MongoOp::InsertOne && m.contains("DuplicateKey") =>
                {
                    continue
                }
                Err(e) => {
                    problems.push(format!("{what}: {e}"));
                    continue;
                }
            };
            let text_search = query.filter.get("$text").is_some();
            if matches!(form.operation, MongoOp::Find | MongoOp::Aggregate) && !text_search {
                reads += 1;
                if answer.rows().is_empty() {
                    problems.push(format!("{what}: no rows"));
                }
            }
            let Some(index) = query.index.as_deref().filter(|i| *i != "_id_") else {
                continue;
            };
            if !matches!(form.operation, MongoOp::Find | MongoOp::CountDocuments) {
                continue;
            }
            let stages = match answer.explain.map(|e| e.summary) {
                Some(Ok(summary)) => summary.stages.join(" <- "),
                other => format!("{other:?}"),
            };
            if !(stages.contains(index) || text_search && stages.contains("TEXT"))
                || stages.contains("COLLSCAN")
            {
                problems.push(format!("{what}: planned without {index}: {stages}"));
            }
            planned += 1;
        }
    }
    assert_eq!(problems, Vec::<String>::new());
    assert!(reads >= 30, "{reads}");
    assert!(planned >= 15, "{planned}");
    assert!(aggregates >= 1, "{aggregates}");
}

/// Every example's CreateTable input, sample items and prefilled DynamoDB forms run on the
/// simulator: reads by key find the items the layout wrote, and writes fail only on a
/// condition the sample data does not meet (DynamoDB doing its job).
#[test]
fn every_prefilled_dynamodb_form_runs() {
    let mut problems = Vec::new();
    let mut reads = 0;
    for example in designs() {
        let mut playground = Playground::new(example.design);
        let summary = playground.generate(5, 1, &mut |_| {}).clone();
        if !summary.problems.is_empty() {
            problems.push(format!("{}: {:?}", example.id, summary.problems));
        }
        let analysis = playground.analysis().clone();
        for request in &analysis.dynamo.requests {
            let form = prefill_dynamo(request);
            let what = format!("{} / {} ({})", example.id, request.pattern, form.operation);
            let call = DynamoCall {
                form: form.clone(),
                start_key: None,
            };
            match playground.run_dynamo(&call) {
                Ok(answer) => {
                    if matches!(form.operation.as_str(), "GetItem" | "Query") {
                        reads += 1;
                        if answer.rows.is_empty() && answer.count.unwrap_or(0) == 0 {
                            problems.push(format!("{what}: no rows"));
                        }
                    }
                }
                Err(Error::Message(m))
                    if m.starts_with("ConditionalCheckFailedException")
                        || m.starts_with("TransactionCanceledException") => {}
                Err(e) => problems.push(format!("{what}: {e}")),
            }
        }
    }
    assert_eq!(problems, Vec::<String>::new());
    assert!(reads >= 30, "{reads}");
}

/// The DynamoDB form starts from the design's first read, with its real key names.
#[test]
fn the_dynamodb_form_starts_from_the_first_read() {
    let analysis = schemaplay_core::analyze(&user_app());
    let form = DynamoForm::initial(&analysis.dynamo);
    expect![[r#"
        GetItem {
          "TableName": "app-data",
          "Key": {
            "PK": {
              "S": "USER#507f1f77bcf86cd799439011"
            },
            "SK": {
              "S": "PROFILE"
            }
          }
        }"#]]
    .assert_eq(&format!("{} {}", form.operation, form.input));
    let empty = schemaplay_core::analyze(&Design::default());
    let scan = DynamoForm::initial(&empty.dynamo);
    assert_eq!(scan.operation, "Scan");
}

/// Requests and replies cross the worker as serde values: they read back as they were written,
/// designs included.
#[test]
fn messages_read_back_as_written() {
    let mut playground = Playground::new(user_app());
    playground.generate(5, 1, &mut |_| {});
    let analysis = playground.analysis().clone();
    let mut replies = Vec::new();
    for query in &analysis.mongo.queries {
        replies.push(playground.handle(Request::Mongo(prefill_mongo(query)), &mut |_| {}));
    }
    for example in examples::all() {
        replies.push(Reply::Imported {
            design: example.design.clone(),
            note: String::new(),
        });
    }
    for (n, body) in replies.into_iter().enumerate() {
        let envelope = Envelope {
            id: RequestId(n as u64),
            body,
        };
        let back = serde_json::to_value(&envelope)
            .and_then(serde_json::from_value::<Envelope<Reply>>)
            .ok();
        assert_eq!(back.as_ref(), Some(&envelope));
    }
}

#[test]
fn imports_convert_other_formats() {
    let reply = import::answer(&ImportFile {
        name: "shop.sql".into(),
        text: "CREATE TABLE customers (id INT PRIMARY KEY, email TEXT NOT NULL);".into(),
        volumes: None,
    });
    let names = match &reply {
        Reply::Imported { design, note } => format!(
            "{:?}{note}",
            design.entities.iter().map(|e| &e.name).collect::<Vec<_>>()
        ),
        other => format!("{other:?}"),
    };
    assert_eq!(names, r#"["Customer"]"#);
    let empty = import::answer(&ImportFile {
        name: "empty.sql".into(),
        text: "-- nothing".into(),
        volumes: None,
    });
    assert_eq!(
        empty,
        Reply::Failed(Error::Message("empty.sql has no tables to import".into()))
    );
    let counted = import::answer(&ImportFile {
        name: "shop.sql".into(),
        text: "SET x = 1;\nCREATE TABLE customers (id INT PRIMARY KEY, kind GEOMETRY);".into(),
        volumes: Some("{\"customers\": 1200}".into()),
    });
    let shown = match &counted {
        Reply::Imported { design, note } => format!(
            "{:?}{note}",
            design.entities.iter().map(|e| e.volume).collect::<Vec<_>>()
        ),
        other => format!("{other:?}"),
    };
    assert_eq!(shown, "[1200] 2 notes: line 2: customers.kind: type GEOMETRY is not known, imported as string; line 1: SET x = ...: a session setting of the dump, not part of the schema; skipped");
    let bad = import::answer(&ImportFile {
        name: "shop.sql".into(),
        text: "CREATE TABLE customers (id INT PRIMARY KEY);".into(),
        volumes: Some("customers 12".into()),
    });
    assert_eq!(
        bad,
        Reply::Failed(Error::Message(
            "the volumes could not be read: line 1: expected table=rows, found \"customers 12\""
                .into()
        ))
    );
}

/// A derived query's command (its request read by the simulator, `mongo_query_command`)
/// reads what its prefilled form reads, collation included.
#[test]
fn a_derived_query_runs_as_a_command_as_its_form_does() {
    let mut compared = 0;
    for example in designs() {
        let mut playground = Playground::new(example.design);
        playground.generate(20, 1, &mut |_| {});
        let analysis = playground.analysis().clone();
        for query in &analysis.mongo.queries {
            if !matches!(
                query.operation.as_str(),
                "find" | "findOne" | "countDocuments" | "aggregate"
            ) {
                continue;
            }
            let what = format!("{} / {}", example.id, query.pattern);
            let by_form = playground.run_mongo(&prefill_mongo(query));
            let command = mongo_query_command(query);
            if let Ok(c) = &command {
                let named = serde_json::to_value(c)
                    .ok()
                    .and_then(|c| c.get("collation").cloned());
                assert_eq!(named, query.collation, "{what}");
            }
            let by_command = command
                .map_err(Error::from)
                .and_then(|command| playground.run_mongo_command(command, true));
            let stages = |a: &schemaplay_playground::MongoAnswer| {
                a.explain
                    .as_ref()
                    .and_then(|e| e.summary.as_ref().ok())
                    .map(|s| s.stages.clone())
            };
            match (by_form, by_command) {
                (Ok(f), Ok(c)) => {
                    assert_eq!(f.rows(), c.rows(), "{what}");
                    assert_eq!(f.stats, c.stats, "{what}");
                    // The same plan (a findOne is a find of one: its LIMIT aside).
                    let plan = |a| {
                        stages(a)
                            .map(|s| s.into_iter().filter(|s| s != "LIMIT").collect::<Vec<_>>())
                    };
                    if stages(&c).is_some() {
                        assert_eq!(plan(&f), plan(&c), "{what}");
                    }
                }
                other => panic!("{what}: {other:?}"),
            }
            compared += 1;
        }
    }
    assert!(compared >= 30, "{compared}");
}

/// With a timer, a MongoDB request past the default budget fails with MongoDB's own error and
/// writes nothing; the same requests answer under a clock that does not move.
#[test]
fn a_request_past_its_time_budget_fails_and_writes_nothing() {
    use std::cell::Cell;
    use std::rc::Rc;

    let mut playground = Playground::new(user_app());
    playground.generate(3000, 1, &mut |_| {});
    // Every read of the clock finds it a default budget later.
    let now = Rc::new(Cell::new(0.0));
    let clock = now.clone();
    playground.set_timer(Rc::new(move || {
        clock.set(clock.get() + schemaplay_playground::DEFAULT_MAX_TIME_MS as f64 + 1.0);
        clock.get()
    }));
    let run = |playground: &mut Playground, request: Request| {
        brief(&playground.handle(request, &mut |_| {}))
    };
    let slow = run(
        &mut playground,
        mongo(
            MongoOp::UpdateMany,
            &[(MongoField::Update, r#"{"$set": {"seen": true}}"#)],
        ),
    );
    assert!(
        slow.contains("MaxTimeMSExpired") && slow.contains("operation exceeded time limit"),
        "{slow}"
    );
    playground.set_timer(Rc::new(|| 0.0));
    let seen = run(
        &mut playground,
        mongo(
            MongoOp::CountDocuments,
            &[(MongoField::Filter, r#"{"seen": true}"#)],
        ),
    );
    assert!(seen.contains("\"count 0\""), "{seen}");
    let all = run(
        &mut playground,
        mongo(
            MongoOp::UpdateMany,
            &[(MongoField::Update, r#"{"$set": {"seen": true}}"#)],
        ),
    );
    assert!(all.contains("\"matchedCount 3000\""), "{all}");
}

/// A find answers MongoDB's first batch and a cursor; `MongoMore` pages through exactly the
/// rest; a new run closes the cursor of the one before.
#[test]
fn the_console_pages_through_a_cursor() {
    let mut playground = Playground::new(user_app());
    playground.generate(250, 3, &mut |_| {});
    let ask = |playground: &mut Playground, request: Request| match playground
        .handle(request, &mut |_| {})
    {
        Reply::Mongo(answer) => answer,
        other => panic!("{other:?}"),
    };
    let mut form = MongoForm::new("users")
        .with_operation(MongoOp::Find)
        .with_input(MongoField::Sort, r#"{"_id": 1}"#.to_string());
    form.limit = String::new();
    let find = Request::Mongo(form);
    let first = ask(&mut playground, find.clone());
    let mut batches = vec![first.rows().len()];
    let mut ids: Vec<String> = first.rows().iter().map(|d| d["_id"].to_string()).collect();
    let mut more = first.more.clone();
    while let Some(cursor) = more {
        let next = ask(&mut playground, Request::MongoMore(cursor));
        batches.push(next.rows().len());
        ids.extend(next.rows().iter().map(|d| d["_id"].to_string()));
        more = next.more.clone();
    }
    assert_eq!(batches, vec![101, 101, 48]);
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, ids, "every document once, in the sort's order");
    // A new run closes the previous cursor.
    let first = ask(&mut playground, find.clone());
    let stale = first.more.clone().expect("a cursor");
    ask(&mut playground, find);
    let reply = playground.handle(Request::MongoMore(stale), &mut |_| {});
    assert!(format!("{reply:?}").contains("cursor id"), "{reply:?}");
}

/// A script's `cursor.maxTimeMS(n)` and find option `maxTimeMS` bound the find with MongoDB's
/// own error; a negative one is MongoDB's BadValue; `allowDiskUse()` is accepted.
#[test]
fn a_script_find_runs_under_its_max_time_ms() {
    use std::cell::Cell;
    use std::rc::Rc;

    let mut playground = Playground::new(user_app());
    playground.generate(3000, 1, &mut |_| {});
    // Each read of the clock finds it 5 ms later: 1,024 documents take longer than 1 ms.
    let clock = Rc::new(Cell::new(0.0));
    let tick = clock.clone();
    playground.set_timer(Rc::new(move || {
        tick.set(tick.get() + 5.0);
        tick.get()
    }));
    let answer = playground.run_script(
        "db.users.find({}).maxTimeMS(1).toArray()\n\
         db.users.find({}, {}, { maxTimeMS: 1 }).toArray()\n\
         db.users.find({}).maxTimeMS(60000).allowDiskUse().limit(2)\n\
         db.users.find({}).maxTimeMS(-1)",
    );
    let shown: Vec<String> = answer
        .outcomes
        .iter()
        .map(|o| match (&o.error, &o.result) {
            (Some(e), _) => format!("line {}: {}", o.line, e.message),
            (None, Some(_)) => format!("line {}: ran", o.line),
            (None, None) => format!("line {}: nothing", o.line),
        })
        .collect();
    expect![[r#"
        [
            "line 1: MongoServerError[MaxTimeMSExpired]: operation exceeded time limit",
            "line 2: MongoServerError[MaxTimeMSExpired]: operation exceeded time limit",
            "line 3: ran",
            "line 4: MongoServerError[BadValue]: maxTimeMS is out of range",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

/// A generation counts each part (a collection's documents, an entity's items) on its own,
/// up to the records per entity, a chunk at a time.
#[test]
fn generation_progress_counts_each_part_up_to_the_capped_size() {
    let mut playground = Playground::default();
    playground.handle(Request::SetDesign(Box::new(user_app())), &mut |_| {});
    let mut last: Vec<(String, u64, u64)> = Vec::new();
    playground.handle(
        Request::Generate {
            per_entity: 2500,
            seed: 1,
        },
        &mut |progress| {
            if let Some(part) = progress.part {
                assert!(part.done <= part.total, "{part:?}");
                match last.last_mut() {
                    Some(seen) if seen.0 == part.name => {
                        assert!(part.done > seen.1, "{part:?} after {seen:?}");
                        seen.1 = part.done;
                    }
                    _ => last.push((part.name, part.done, part.total)),
                }
            }
        },
    );
    let shown: Vec<String> = last
        .iter()
        .map(|(name, done, total)| format!("{name}: {done} / {total}"))
        .collect();
    expect![[r#"
        users: 2500 / 2500
        posts: 2500 / 2500
        User: 2500 / 2500
        Post: 2500 / 2500"#]]
    .assert_eq(&shown.join("\n"));
}
