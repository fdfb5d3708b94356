//! `insertMany` as one batch (indexes built once for all the documents) answers as inserting
//! the documents one at a time would: the same documents in, the same index entries, the same
//! write errors at the same positions, ordered or not.

use schemaplay_mongo::bson::{doc, Bson, Document};
use schemaplay_mongo::{Database, FindOptions, InsertManyOptions};

/// A collection with unique indexes of each kind (compound, multikey, sparse, partial,
/// collated), a plain one, a text index and a validator that warns.
fn database() -> Database {
    let mut db = Database::new();
    let created = db.create_collection(
        "c",
        &doc! {"validator": {"n": {"$type": "number"}}, "validationAction": "warn"},
    );
    assert!(created.is_ok(), "{created:?}");
    for (key, options) in [
        (doc! {"email": 1}, doc! {"unique": true}),
        (doc! {"a": 1, "b": -1}, doc! {"unique": true}),
        (doc! {"tags": 1}, doc! {"unique": true, "sparse": true}),
        (
            doc! {"code": 1},
            doc! {"unique": true, "partialFilterExpression": {"n": {"$gt": 5}}},
        ),
        (
            doc! {"name": 1},
            doc! {"unique": true, "sparse": true, "collation": {"locale": "en", "strength": 2}},
        ),
        (doc! {"n": 1}, doc! {}),
        (doc! {"text": "text"}, doc! {}),
    ] {
        let made = db.create_index("c", &key, &options);
        assert!(made.is_ok(), "{made:?}");
    }
    db
}

/// Documents that collide in every way: with each other, with what is stored, on several
/// indexes at once, through array elements, under the collation, and outside a partial index.
fn batch(round: i32) -> Vec<Document> {
    let mut docs = Vec::new();
    for i in 0..60 {
        let mut d = doc! {"n": i % 9, "email": format!("u{}", (i * 7 + round) % 45)};
        if i % 4 == 0 {
            d.insert("_id", (i + round * 13) % 50);
        }
        if i % 3 == 0 {
            d.insert("a", i % 5);
            d.insert("b", Bson::Double(f64::from(i % 2)));
        }
        if i % 5 == 1 {
            d.insert(
                "tags",
                vec![Bson::from(format!("t{}", i % 11)), Bson::from("x")],
            );
        }
        if i % 6 == 2 {
            d.insert("tags", vec![Bson::from(format!("t{}", i % 7))]);
        }
        if i % 2 == 0 {
            d.insert("code", i % 10);
        }
        if i % 7 == 3 {
            d.insert("name", if i % 2 == 0 { "Élodie" } else { "élodie" });
        }
        if i % 10 == 9 {
            d.insert("n", "not a number");
        }
        if i % 8 == 5 {
            d.insert("text", format!("words {i} and more words"));
        }
        docs.push(d);
    }
    docs
}

/// What a database holds, as comparable text: every document, the documents each index finds
/// in index order, text search answers, and the server log.
fn contents(db: &Database) -> Vec<String> {
    let mut out = Vec::new();
    let all = db.find("c", &FindOptions::default());
    out.push(format!("{all:?}"));
    for sort in [
        doc! {"email": 1},
        doc! {"a": 1, "b": -1},
        doc! {"tags": 1},
        doc! {"n": 1, "_id": 1},
    ] {
        let opts = FindOptions {
            sort: Some(sort),
            projection: Some(doc! {"_id": 1}),
            ..Default::default()
        };
        out.push(format!("{:?}", db.find("c", &opts)));
    }
    let text = FindOptions {
        filter: doc! {"$text": {"$search": "words"}},
        projection: Some(doc! {"_id": 1}),
        ..Default::default()
    };
    out.push(format!("{:?}", db.find("c", &text)));
    for ix in db
        .collection("c")
        .map(|c| c.indexes.clone())
        .unwrap_or_default()
    {
        let keys: Vec<String> = ix.entries.iter().map(|e| format!("{e:?}")).collect();
        out.push(format!("{} {} {:?}", ix.spec.name, ix.multikey, keys));
    }
    out.push(format!("{:?}", db.log()));
    out
}

/// Inserts one document at a time, as a reference: the positions and errors of the failures.
fn one_at_a_time(db: &mut Database, docs: Vec<Document>, ordered: bool) -> Vec<(usize, String)> {
    let mut errors = Vec::new();
    for (i, d) in docs.into_iter().enumerate() {
        if let Err(e) = db.insert_one("c", d) {
            errors.push((i, e.to_string()));
            if ordered {
                break;
            }
        }
    }
    errors
}

#[test]
fn a_batch_answers_as_one_insert_at_a_time() {
    for ordered in [true, false] {
        let mut batched = database();
        let mut single = database();
        for round in 0..4 {
            let docs = batch(round);
            let options = InsertManyOptions {
                ordered,
                bypass_document_validation: false,
            };
            let result = batched.insert_many_opts("c", docs.clone(), options);
            let Ok(result) = result else {
                panic!("{result:?}");
            };
            let errors: Vec<(usize, String)> = result
                .write_errors
                .iter()
                .map(|(i, e)| (*i, e.to_string()))
                .collect();
            let expected = one_at_a_time(&mut single, docs, ordered);
            assert_eq!(errors, expected, "ordered {ordered}, round {round}");
            assert!(!errors.is_empty(), "round {round} refused nothing");
            let inserted: Vec<usize> = result.inserted_ids.iter().map(|(i, _)| *i).collect();
            let refused: Vec<usize> = errors.iter().map(|(i, _)| *i).collect();
            let tried = if ordered {
                refused.first().copied().unwrap_or(usize::MAX)
            } else {
                usize::MAX
            };
            assert!(
                (0..60)
                    .filter(|i| *i < tried && !refused.contains(i))
                    .eq(inserted.iter().copied()),
                "ordered {ordered}, round {round}: {inserted:?}"
            );
            assert_eq!(
                contents(&batched),
                contents(&single),
                "ordered {ordered}, round {round}"
            );
        }
    }
}

/// A unique index built over documents that already collide fails as the one-at-a-time build
/// did, naming the first document (in record order) whose key an earlier one holds.
#[test]
fn a_unique_index_over_colliding_documents_names_the_first_collision() {
    let mut db = Database::new();
    let docs = vec![
        doc! {"_id": 1, "k": [3, 1]},
        doc! {"_id": 2, "k": 2},
        doc! {"_id": 3, "k": [5, 2.0]},
        doc! {"_id": 4, "k": 1},
    ];
    assert!(db.insert_many("c", docs).is_ok());
    let made = db.create_index("c", &doc! {"k": 1}, &doc! {"unique": true});
    assert_eq!(
        made.map_err(|e| e.to_string()),
        Err("E11000 duplicate key error collection: test.c index: k_1 dup key: { k: 2.0 } (DuplicateKey, code 11000)".to_string())
    );
    assert_eq!(
        db.list_indexes("c").map(|ix| ix.len()),
        Ok(1),
        "the failed index is not kept"
    );
}
