//! Paging a list on generated data, in both simulators: the first page, then
//! each next page core renders from the page before (`MongoContext::next_page`
//! from its last document, `DynamoContext::next_page` from its
//! `LastEvaluatedKey`), concatenated, is the whole list in order, with no
//! document lost or repeated, also where several share a sort value.

use schemaplay_core::dynamo::{unmarshall_map, DynamoContext};
use schemaplay_core::mongo::{sample_document_records, Args, MongoContext};
use schemaplay_core::sample::Val;
use schemaplay_core::{examples, AccessPattern, Design};
use schemaplay_playground::{
    Database, DynamoCall, MongoForm, MongoPageCall, Playground, Reply, Request, ScriptResult,
};
use serde_json::{json, Value};

const PER_ENTITY: u64 = 60;
const SEED: u64 = 1;
const PAGE: u32 = 3;

/// User-app with "List a user's posts" in pages of three.
fn design() -> (Design, AccessPattern) {
    let mut design = examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default();
    let Some(p) = design
        .access_patterns
        .iter_mut()
        .find(|p| p.name == "List a user's posts")
    else {
        panic!("no List a user's posts");
    };
    p.page_size = Some(PAGE);
    let p = p.clone();
    (design, p)
}

/// A playground with the design's data generated, and post record 0 (whose
/// author's posts are listed) as generated.
fn generated(design: &Design) -> (Playground, Val) {
    let mut playground = Playground::new(design.clone());
    playground.generate(PER_ENTITY, SEED, &mut |_| {});
    let record = sample_document_records(design, "posts", 0..1, PER_ENTITY, SEED)
        .into_iter()
        .next()
        .unwrap_or(Val::Object(Vec::new()));
    (playground, record)
}

/// Every page of a MongoDB list, each after the last document of the one before.
fn mongo_pages(playground: &mut Playground, p: &AccessPattern, args: Args<'_>) -> Vec<Vec<Value>> {
    let design = playground.design().clone();
    let ctx = MongoContext::with_seed(&design, SEED);
    let mut query = ctx.query_for(p, args);
    let mut pages = Vec::new();
    while let Some(q) = query.take() {
        let answer = playground.mongo().execute(&q.request());
        let docs = match answer {
            Ok(a) => a.as_array().cloned().unwrap_or_default(),
            Err(e) => panic!("{e}: {}", q.request()),
        };
        if let Some(last) = docs.last() {
            query = ctx.next_page(p, args, last);
        }
        pages.push(docs);
        assert!(pages.len() < 100, "the pages never end");
    }
    pages
}

#[test]
fn mongo_pages_continue_the_order_through_equal_sort_values() {
    let (design, p) = design();
    let (mut playground, record) = generated(&design);
    let author = record
        .get("authorId")
        .cloned()
        .unwrap_or(Val::Str(String::new()));
    // Half the author's posts share one creation date, so pages cut through ties.
    let same = json!({"op": "updateMany", "collection": "posts",
        "filter": {"authorId": author.to_ejson()},
        "update": {"$set": {"createdAt": {"$date": "2026-01-01T00:00:00Z"}}}});
    let whole = json!({"op": "find", "collection": "posts",
        "filter": {"authorId": author.to_ejson()}, "sort": {"createdAt": -1, "_id": -1}});
    let all = playground
        .mongo()
        .execute(&json!({"op": "find", "collection": "posts",
        "filter": {"authorId": author.to_ejson()}, "projection": {"_id": 1}}));
    let ids: Vec<Value> = all
        .ok()
        .and_then(|a| a.as_array().cloned())
        .unwrap_or_default();
    assert!(
        ids.len() > 2 * PAGE as usize,
        "too few posts: {}",
        ids.len()
    );
    let half: Vec<Value> = ids.iter().step_by(2).map(|d| d["_id"].clone()).collect();
    let half_count = half.len();
    let mut same = same;
    same["filter"]["_id"] = json!({ "$in": half });
    let updated = playground.mongo().execute(&same);
    assert_eq!(
        updated.ok().map(|u| u["modifiedCount"].clone()),
        Some(json!(half_count))
    );

    let expected = playground
        .mongo()
        .execute(&whole)
        .ok()
        .and_then(|a| a.as_array().cloned())
        .unwrap_or_default();
    let pages = mongo_pages(&mut playground, &p, Args::new(&record));
    assert!(pages.iter().all(|page| page.len() <= PAGE as usize));
    let got: Vec<Value> = pages.into_iter().flatten().collect();
    let id = |d: &Value| d["_id"].clone();
    assert_eq!(
        got.iter().map(id).collect::<Vec<_>>(),
        expected.iter().map(id).collect::<Vec<_>>()
    );
}

#[test]
fn dynamo_pages_follow_the_last_evaluated_key() {
    let (design, p) = design();
    let (mut playground, record) = generated(&design);
    let ctx = DynamoContext::with_seed(&design, SEED);
    let Some(first) = ctx.request_for(&p, Args::new(&record)) else {
        panic!("no request");
    };
    let mut whole = first.input["input"].clone();
    if let Some(input) = whole.as_object_mut() {
        input.remove("Limit");
    }
    let expected = playground
        .dynamo()
        .execute("Query", &whole)
        .map(|a| a["Items"].clone());
    let mut request = Some(first);
    let mut got = Vec::new();
    let mut pages = 0;
    while let Some(r) = request.take() {
        let answer = match playground.dynamo().execute(&r.operation, &r.input["input"]) {
            Ok(a) => a,
            Err(e) => panic!("{e:?}: {}", r.input),
        };
        got.extend(answer["Items"].as_array().cloned().unwrap_or_default());
        request = ctx.next_page(&p, Args::new(&record), &answer);
        pages += 1;
        assert!(pages < 100, "the pages never end");
    }
    assert!(pages > 2, "{pages} pages");
    assert_eq!(Ok(Value::Array(got)), expected);
}

/// The shown outcomes of a script run: each result's value as text, or its error.
fn shown(playground: &mut Playground, script: &str) -> Vec<String> {
    let answer = playground.run_script(script);
    answer
        .outcomes
        .iter()
        .filter_map(|o| match (&o.result, &o.error) {
            (_, Some(e)) => Some(format!("line {}: {}", o.line, e.message)),
            (Some(ScriptResult::Value(v)), None) => Some(format!("value {v}")),
            (Some(_), None) => Some("answer".to_string()),
            (None, None) => None,
        })
        .collect()
}

/// The prefilled mongosh of a paged list runs when its first page is empty (no author has
/// posts): it says there is no next page instead of reading the last document of no page.
#[test]
fn the_prefilled_mongosh_of_an_empty_first_page_says_it_is_the_last() {
    let (design, _) = design();
    let (mut playground, _) = generated(&design);
    let emptied = playground
        .mongo()
        .execute(&json!({"op": "deleteMany", "collection": "posts", "filter": {}}));
    assert!(emptied.is_ok(), "{emptied:?}");
    let script = playground
        .script_for("List a user's posts", Database::Mongo)
        .unwrap_or_default();
    expect_test::expect![[r#"
        answer
        value "no next page: this page holds 0 of 3 documents, it is the last""#]]
    .assert_eq(&shown(&mut playground, &script).join("\n"));
}

/// A full first page is followed by the next page's find, by keyset after its last document.
#[test]
fn the_prefilled_mongosh_of_a_full_first_page_reads_the_next() {
    let (design, _) = design();
    let (mut playground, _) = generated(&design);
    let script = playground
        .script_for("List a user's posts", Database::Mongo)
        .unwrap_or_default();
    let out = shown(&mut playground, &script);
    // The first page once (its find's answer), then the next page's find's answer.
    assert_eq!(out, ["answer", "answer"], "{script}");
}

/// The prefilled SDK code of a paged list pages through the whole list in the console: its
/// loop starts each page at the `LastEvaluatedKey` of the one before, and the items of every
/// page, concatenated, are the list's whole Query (no `Limit`), in its order.
#[test]
fn the_prefilled_sdk_loop_reads_every_page() {
    let (design, p) = design();
    let (mut playground, record) = generated(&design);
    let Some(first) = DynamoContext::with_seed(&design, SEED).request_for(&p, Args::new(&record))
    else {
        panic!("no request");
    };
    let mut whole = first.input["input"].clone();
    if let Some(input) = whole.as_object_mut() {
        input.remove("Limit");
    }
    // The whole list as the document client gives it: plain values.
    let expected: Vec<Value> = playground
        .dynamo()
        .execute("Query", &whole)
        .ok()
        .and_then(|a| a["Items"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(unmarshall_map)
        .collect();
    assert!(expected.len() > 2 * PAGE as usize, "{}", expected.len());
    let script = playground
        .script_for(&p.name, Database::Dynamo)
        .unwrap_or_default();
    assert!(script.contains("ExclusiveStartKey"), "{script}");
    let out = shown(&mut playground, &format!("{script}\nlistAUserSPostsAll"));
    assert_eq!(
        out.last().cloned(),
        Some(format!("value {}", Value::Array(expected))),
        "{out:?}\n{script}"
    );
}

/// The console's MongoDB next page of a pattern: from the last row its form answered, the
/// same find with the keyset condition (shown in the form's filter); page after page, the
/// rows continue the order through equal sort values, and the last page is shorter than the
/// limit.
#[test]
fn the_console_pages_a_mongodb_list_from_its_form() {
    let (design, p) = design();
    let (mut playground, _) = generated(&design);
    let Some(mut form) = playground.mongo_form(&p.name) else {
        panic!("no form");
    };
    let filter = MongoContext::new(&design)
        .sample_query_at(&p, 0)
        .map(|q| q.filter)
        .unwrap_or_default();
    let same = json!({"op": "updateMany", "collection": "posts", "filter": filter,
        "update": {"$set": {"createdAt": {"$date": "2026-01-01T00:00:00Z"}}}});
    assert!(playground.mongo().execute(&same).is_ok());
    let whole = playground
        .mongo()
        .execute(
            &json!({"op": "find", "collection": "posts", "filter": filter,
            "sort": {"createdAt": -1, "_id": -1}, "projection": {"_id": 1}}),
        )
        .ok()
        .and_then(|a| a.as_array().cloned())
        .unwrap_or_default();
    assert!(whole.len() > 2 * PAGE as usize, "{}", whole.len());
    let mut got = Vec::new();
    let mut pages = 0;
    loop {
        let answer = match playground.run_mongo(&form) {
            Ok(a) => a,
            Err(e) => panic!("{e:?}"),
        };
        let rows = answer.rows().to_vec();
        pages += 1;
        got.extend(rows.iter().map(|r| r["_id"].clone()));
        if rows.len() < PAGE as usize || pages > 100 {
            break;
        }
        let Some(next) = rows
            .last()
            .and_then(|l| playground.mongo_next_page(&p.name, l))
        else {
            panic!("no next page");
        };
        assert!(
            next.inputs.iter().any(|i| i.text.contains("$or")),
            "{next:?}"
        );
        form = next;
    }
    assert!(pages > 2, "{pages} pages");
    let ids: Vec<Value> = whole.iter().map(|d| d["_id"].clone()).collect();
    assert_eq!(got, ids);
}

/// The console's pages through its request: `Request::MongoPage` answers the pattern's form
/// first, then each page after the last row of the one before, its form showing the keyset
/// condition; only the page shorter than the limit says it is the last, and the pages are the
/// whole list in order. A pattern that is no paged list is refused by name.
#[test]
fn the_console_requests_mongodb_pages_until_the_last() {
    let (design, p) = design();
    let (mut playground, _) = generated(&design);
    assert!(schemaplay_playground::is_paged_list(&design, &p.name));
    let Some(form) = playground.mongo_form(&p.name) else {
        panic!("no form");
    };
    let whole = match playground.run_mongo(&MongoForm {
        limit: String::new(),
        ..form
    }) {
        Ok(a) => a
            .rows()
            .iter()
            .map(|r| r["_id"].clone())
            .collect::<Vec<_>>(),
        Err(e) => panic!("{e:?}"),
    };
    assert!(whole.len() > 2 * PAGE as usize, "{}", whole.len());
    let mut after = None;
    let mut got = Vec::new();
    let mut pages = 0;
    loop {
        let call = MongoPageCall {
            pattern: p.name.clone(),
            after: after.take(),
        };
        let page = match playground.handle(Request::MongoPage(call), &mut |_| {}) {
            Reply::MongoPage(page) => page,
            other => panic!("{other:?}"),
        };
        pages += 1;
        let rows = page.answer.rows();
        got.extend(rows.iter().map(|r| r["_id"].clone()));
        let filter = &page.form.inputs[0].text;
        assert_eq!(pages > 1, filter.contains("$or"), "page {pages}: {filter}");
        assert_eq!(page.last, rows.len() < PAGE as usize, "page {pages}");
        if page.last || pages > 100 {
            break;
        }
        after = rows.last().cloned();
    }
    assert_eq!(got, whole);
    let get = Request::MongoPage(MongoPageCall {
        pattern: "Get user by id".into(),
        after: None,
    });
    match playground.handle(get, &mut |_| {}) {
        Reply::Failed(e) => assert!(
            e.to_string()
                .contains("\"Get user by id\" has no next page"),
            "{e}"
        ),
        other => panic!("{other:?}"),
    }
}

/// The DynamoDB console's pages: every page of the pattern's form with a `LastEvaluatedKey`
/// is not the last; the one without it is, and says so.
#[test]
fn the_console_says_which_dynamodb_page_is_the_last() {
    let (design, p) = design();
    let (mut playground, _) = generated(&design);
    let Some(form) = playground.dynamo_form(&p.name) else {
        panic!("no form");
    };
    let mut start_key = None;
    let mut pages = 0;
    loop {
        let call = DynamoCall {
            form: form.clone(),
            start_key: start_key.take(),
        };
        let answer = match playground.run_dynamo(&call) {
            Ok(a) => a,
            Err(e) => panic!("{e:?}"),
        };
        pages += 1;
        assert_eq!(answer.exclusive_start_key, call.start_key);
        assert_eq!(answer.last_page, answer.last_evaluated_key.is_none());
        match answer.last_evaluated_key {
            Some(key) if pages < 100 => start_key = Some(key),
            _ => break,
        }
    }
    assert!(pages > 2, "{pages} pages");
}
