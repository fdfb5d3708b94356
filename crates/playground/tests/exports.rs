//! Exports and prefills in the console's language run in the console: the mongosh, mongoose
//! and SDK exports of every example run unchanged, and every access pattern's prefilled
//! script runs on generated data and finds what it reads.

use schemaplay_core::examples::{self, Example};
use schemaplay_core::export::{export, ExportFormat};
use schemaplay_core::model::PatternKind;
use schemaplay_core::mongo::MongoContext;
use schemaplay_core::names;
use schemaplay_mongo::bson::Document;
use schemaplay_playground::{Database, Playground, ScriptAnswer, ScriptResult};

/// The examples, and the designs imported from the SQL fixtures (a composite primary key:
/// the compound unique index `{ orderId: 1, lineNo: 1 }`).
fn designs() -> Vec<Example> {
    let imported = [
        (
            "shop.pg_dump",
            include_str!("../../core/tests/fixtures/sql/shop.pg_dump.sql"),
        ),
        (
            "shop.mysqldump",
            include_str!("../../core/tests/fixtures/sql/shop.mysqldump.sql"),
        ),
    ]
    .map(|(id, sql)| Example {
        id,
        title: id,
        teaches: "a SQL import",
        design: schemaplay_core::import::sql(sql).design,
    });
    examples::all().into_iter().chain(imported).collect()
}

/// Every failing statement of a run, with its line of the script.
fn failures(what: &str, script: &str, answer: &ScriptAnswer) -> Vec<String> {
    answer
        .outcomes
        .iter()
        .filter_map(|o| {
            let e = o.error.as_ref()?;
            let line = script.lines().nth(o.line as usize - 1).unwrap_or("");
            Some(format!("{what} line {}: {} | {line}", o.line, e.message))
        })
        .collect()
}

/// Whether a result holds rows (or counts some).
fn found(result: Option<&ScriptResult>) -> bool {
    match result {
        Some(ScriptResult::Mongo(a)) => {
            !a.rows().is_empty() || a.result.as_u64().is_some_and(|n| n > 0)
        }
        Some(ScriptResult::Dynamo(a)) => !a.rows.is_empty() || a.count.is_some_and(|n| n > 0),
        // Documents a script kept (`const page = ….toArray()`) and showed.
        Some(ScriptResult::Value(v)) => v.as_array().is_some_and(|docs| !docs.is_empty()),
        _ => false,
    }
}

/// The indexes of every collection, as `listIndexes` describes them.
type Indexes = Vec<(String, Vec<Document>)>;

fn indexes(playground: &mut Playground) -> Indexes {
    let db = playground.mongo();
    db.list_collections()
        .into_iter()
        .map(|c| {
            let list = db.list_indexes(&c).unwrap_or_default();
            (c, list)
        })
        .collect()
}

/// Runs an export on a fresh playground of the example (nothing generated): the indexes it
/// built, and those a generation builds from the layout.
fn run_on_fresh(
    example: &Example,
    format: ExportFormat,
    problems: &mut Vec<String>,
) -> (Playground, Indexes, Indexes) {
    let script = export(&example.design, format);
    let mut playground = Playground::new(example.design.clone());
    let answer = playground.run_script(&script);
    problems.extend(failures(
        &format!("{} {format}", example.id),
        &script,
        &answer,
    ));
    let mut generated = Playground::new(example.design.clone());
    generated.generate(0, 1, &mut |_| {});
    let (built, expected) = (indexes(&mut playground), indexes(&mut generated));
    (playground, built, expected)
}

/// The mongosh export, run on a fresh playground (nothing generated, so no collection
/// exists), creates every collection of the layout with its validator and exactly the
/// indexes a generation builds.
#[test]
fn the_mongosh_exports_run_and_build_the_layouts() {
    let mut problems = Vec::new();
    for example in designs() {
        let (mut playground, built, expected) =
            run_on_fresh(&example, ExportFormat::Mongosh, &mut problems);
        assert_eq!(built, expected, "{}", example.id);
        let layout = playground.analysis().mongo.collections.clone();
        let infos = playground.mongo().collection_infos();
        assert_eq!(infos.len(), layout.len(), "{}", example.id);
        for info in infos {
            let options = info.get_document("options").cloned().unwrap_or_default();
            assert!(
                options.get_document("validator").is_ok()
                    && options.get_str("validationLevel").ok() == Some("moderate"),
                "{}: {info}",
                example.id
            );
        }
    }
    assert_eq!(problems, Vec::<String>::new());
}

/// The mongoose export, run on a fresh playground, compiles its models: each one's collection
/// with the layout's indexes (the same keys, uniqueness and collation).
#[test]
fn the_mongoose_exports_run_and_build_the_indexes() {
    let mut problems = Vec::new();
    let shape = |d: &Document| {
        let mut d = d.clone();
        d.remove("v");
        d.remove("name");
        d.remove("background");
        d.to_string()
    };
    for example in designs() {
        let (_, built, expected) = run_on_fresh(&example, ExportFormat::Mongoose, &mut problems);
        assert_eq!(built.len(), expected.len(), "{}", example.id);
        for ((coll, have), (_, want)) in built.iter().zip(&expected) {
            let mut have: Vec<String> = have.iter().map(shape).collect();
            let mut want: Vec<String> = want.iter().map(shape).collect();
            have.sort();
            want.sort();
            assert_eq!(have, want, "{} {coll}", example.id);
        }
    }
    assert_eq!(problems, Vec::<String>::new());
}

/// The SDK export runs top to bottom on generated data (seed 1, the layout's): every
/// statement succeeds, and every read (a `const x = await client.send(...)`) finds items.
#[test]
fn the_sdk_exports_run_on_generated_data_and_their_reads_find_items() {
    let mut problems = Vec::new();
    let mut reads = 0;
    for example in designs() {
        let script = export(&example.design, ExportFormat::Sdk);
        let searches: Vec<String> = example
            .design
            .access_patterns
            .iter()
            .filter(|p| p.kind == PatternKind::TextSearch)
            .map(|p| format!("const {} =", names::camel(&p.name)))
            .collect();
        let mut playground = Playground::new(example.design.clone());
        playground.generate(10, 1, &mut |_| {});
        let answer = playground.run_script(&script);
        problems.extend(failures(&format!("{} sdk", example.id), &script, &answer));
        for o in &answer.outcomes {
            let line = script.lines().nth(o.line as usize - 1).unwrap_or("");
            let search = searches.iter().any(|s| line.starts_with(s.as_str()));
            if line.starts_with("const ") && line.contains("client.send(") && !search {
                reads += 1;
                if !found(o.result.as_ref()) {
                    problems.push(format!(
                        "{} sdk line {}: found nothing | {line}",
                        example.id, o.line
                    ));
                }
            }
        }
    }
    assert_eq!(problems, Vec::<String>::new());
    assert!(reads >= 25, "{reads} reads");
}

/// Whether a pattern reads by keys (a text search looks for words, which the generated text
/// need not hold).
fn reads_keys(kind: PatternKind) -> bool {
    !kind.is_write() && kind != PatternKind::TextSearch
}

/// Every access pattern's prefilled script, in both languages, runs on freshly generated
/// data of two seeds without error, and a read finds rows: its keys are the data's.
#[test]
fn every_prefilled_script_runs_and_reads_existing_keys() {
    let mut problems = Vec::new();
    let mut checked = 0;
    let all: Vec<Example> = examples::all();
    for example in &all {
        for seed in [1, 7] {
            for pattern in &example.design.access_patterns {
                for database in [Database::Mongo, Database::Dynamo] {
                    let mut playground = Playground::new(example.design.clone());
                    playground.generate(20, seed, &mut |_| {});
                    let what = format!(
                        "{} / {} / {database:?} / seed {seed}",
                        example.id, pattern.name
                    );
                    let Some(script) = playground.script_for(&pattern.name, database) else {
                        problems.push(format!("{what}: no script"));
                        continue;
                    };
                    let answer = playground.run_script(&script);
                    problems.extend(failures(&what, &script, &answer));
                    let mut shown = answer
                        .outcomes
                        .iter()
                        .filter(|o| o.result.is_some() || o.error.is_some());
                    // A paged list's mongosh shows its first page, then the next one, which
                    // may rightly be empty: the first page must find the keys.
                    let paged = database == Database::Mongo
                        && pattern.kind == PatternKind::List
                        && pattern.page_size.is_some();
                    let last = if paged {
                        shown.next()
                    } else {
                        shown.next_back()
                    };
                    if reads_keys(pattern.kind) && !found(last.and_then(|o| o.result.as_ref())) {
                        problems.push(format!("{what}: found nothing\n{script}"));
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(problems, Vec::<String>::new());
    assert!(checked >= 100, "{checked}");
}

/// A versioned update's prefilled script (saas's "Move task") writes once, and run again with
/// the version it read then, it is a conflict: mongosh's matched-count check says so, and
/// DynamoDB refuses the update's condition.
#[test]
fn a_versioned_update_run_twice_is_a_conflict() {
    let Some(example) = examples::all().into_iter().find(|e| e.id == "saas") else {
        panic!("no saas example");
    };
    let last = |answer: &ScriptAnswer| {
        answer
            .outcomes
            .iter()
            .rev()
            .find(|o| o.result.is_some() || o.error.is_some())
            .map(|o| match (&o.result, &o.error) {
                (Some(ScriptResult::Value(v)), _) => format!("value {v}"),
                (Some(_), _) => "answer".to_string(),
                (None, Some(e)) => format!("error {}", e.message),
                (None, None) => String::new(),
            })
            .unwrap_or_default()
    };
    let mut outcomes = Vec::new();
    for database in [Database::Mongo, Database::Dynamo] {
        let mut playground = Playground::new(example.design.clone());
        playground.generate(20, 1, &mut |_| {});
        let script = playground
            .script_for("Move task", database)
            .unwrap_or_default();
        for _ in 0..2 {
            let answer = playground.run_script(&script);
            outcomes.push(format!("{database:?}: {}", last(&answer)));
        }
    }
    expect_test::expect![[r#"
        Mongo: value true
        Mongo: value "version conflict: read the task again and retry"
        Dynamo: answer
        Dynamo: error ConditionalCheckFailedException: The conditional request failed"#]]
    .assert_eq(&outcomes.join("\n"));
}

/// The mongoose export's paged list reads its first page, then the next by keyset after the
/// first's last document: on generated data in pages of three, the two pages are the list's
/// first six documents in its order, also where they share one sort value.
#[test]
fn the_mongoose_export_pages_a_list_by_keyset() {
    let Some(mut example) = examples::all().into_iter().find(|e| e.id == "user-app") else {
        panic!("no user-app example");
    };
    let list = "List a user's posts";
    for p in example
        .design
        .access_patterns
        .iter_mut()
        .filter(|p| p.name == list)
    {
        p.page_size = Some(3);
    }
    let mut playground = Playground::new(example.design.clone());
    playground.generate(60, 1, &mut |_| {});
    let script = export(&example.design, ExportFormat::Mongoose);
    assert!(script.contains("const listAUserSPostsNext = "), "{script}");
    // The export lists the posts of the sample's author; all of them get one creation date,
    // so the keyset's _id tie-breaker alone orders them.
    let Some(pattern) = example
        .design
        .access_patterns
        .iter()
        .find(|p| p.name == list)
    else {
        panic!("no {list}");
    };
    let filter = MongoContext::new(&example.design)
        .sample_query_at(pattern, 0)
        .map(|q| q.filter)
        .unwrap_or_default();
    let same = serde_json::json!({"op": "updateMany", "collection": "posts", "filter": filter,
        "update": {"$set": {"createdAt": {"$date": "2026-01-01T00:00:00Z"}}}});
    assert!(playground.mongo().execute(&same).is_ok());
    let whole = playground
        .mongo()
        .execute(
            &serde_json::json!({"op": "find", "collection": "posts", "filter": filter,
            "sort": {"createdAt": -1, "_id": -1}, "limit": 6, "projection": {"_id": 1}}),
        )
        .ok()
        .and_then(|a| a.as_array().cloned())
        .unwrap_or_default();
    assert_eq!(whole.len(), 6, "{whole:?}");
    let answer = playground.run_script(&format!(
        "{script}\n[...listAUserSPosts, ...listAUserSPostsNext]"
    ));
    assert_eq!(
        failures("user-app mongoose", &script, &answer),
        Vec::<String>::new()
    );
    let pages = match answer.outcomes.last().and_then(|o| o.result.as_ref()) {
        Some(ScriptResult::Value(v)) => v.as_array().cloned().unwrap_or_default(),
        other => panic!("{other:?}"),
    };
    let ids = |docs: &[serde_json::Value]| -> Vec<String> {
        docs.iter().map(|d| d["_id"].to_string()).collect()
    };
    assert_eq!(ids(&pages), ids(&whole));
}

/// The mongoose export's multi-document transaction (ecommerce's Place order: the order and
/// the stock of three products) runs in the console: with a product out of stock, its
/// guarded update throws, the transaction aborts and nothing is written (neither the order
/// nor the other products' stock), and the error is the outcome; with stock, every write is
/// applied.
#[test]
fn the_mongoose_export_runs_a_transaction_all_or_nothing() {
    let Some(example) = examples::all().into_iter().find(|e| e.id == "ecommerce") else {
        panic!("no ecommerce example");
    };
    let script = export(&example.design, ExportFormat::Mongoose);
    assert!(
        script.contains("mongoose.connection.transaction(async (session) => {"),
        "{script}"
    );
    let mut playground = Playground::new(example.design.clone());
    playground.generate(10, 1, &mut |_| {});
    // The console's prefill is the same transaction in mongosh (which
    // every_prefilled_script_runs_and_reads_existing_keys runs).
    let prefill = playground
        .script_for("Place order", Database::Mongo)
        .unwrap_or_default();
    assert!(
        prefill.contains("session.withTransaction(() => {"),
        "{prefill}"
    );
    let set_stock = |playground: &mut Playground, id: &str, stock: i32| {
        let r = playground.mongo().execute(&serde_json::json!({"op": "updateOne",
            "collection": "products", "filter": {"_id": id}, "update": {"$set": {"stock": stock}}}));
        assert!(r.is_ok(), "{r:?}");
    };
    let state = |playground: &mut Playground| {
        let orders = playground
            .mongo()
            .execute(&serde_json::json!({"op": "find", "collection": "orders", "filter": {}}))
            .ok()
            .and_then(|a| a.as_array().map(Vec::len))
            .unwrap_or_default();
        let stock = playground
            .mongo()
            .execute(&serde_json::json!({"op": "find", "collection": "products",
                "filter": {"_id": {"$in": ["product-1", "product-2", "product-3"]}},
                "sort": {"_id": 1}, "projection": {"_id": 0, "stock": 1}}))
            .ok()
            .map(|a| a.to_string())
            .unwrap_or_default();
        format!("{orders} orders, stock {stock}")
    };
    for (id, stock) in [("product-1", 5), ("product-2", 0), ("product-3", 5)] {
        set_stock(&mut playground, id, stock);
    }
    let before = state(&mut playground);
    let run = format!("{script}\nawait placeOrder()");
    let answer = playground.run_script(&run);
    let last_error = answer
        .outcomes
        .last()
        .and_then(|o| o.error.as_ref())
        .map(|e| e.message.clone());
    assert_eq!(
        last_error.as_deref(),
        Some("Error: Reserve stock: nothing matched")
    );
    assert_eq!(state(&mut playground), before);
    set_stock(&mut playground, "product-2", 5);
    let answer = playground.run_script(&run);
    assert_eq!(
        failures("ecommerce mongoose", &run, &answer),
        Vec::<String>::new()
    );
    expect_test::expect![[r#"
        10 orders, stock [{"stock":5},{"stock":0},{"stock":5}]
        11 orders, stock [{"stock":4},{"stock":4},{"stock":4}]"#]]
    .assert_eq(&format!("{before}\n{}", state(&mut playground)));
}
