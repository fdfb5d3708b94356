//! Requests rendered from an argument record: the seam a verifier drives.
//! Each test renders a pattern of an example with values of its own and reads
//! them back in the request; the derived layouts render sample record 0
//! through the same code (pinned by the snapshots).

mod common;

use common::{example as design, pattern, record, text};
use expect_test::{expect, Expect};
use schemaplay_core::dynamo::DynamoContext;
use schemaplay_core::mongo::{Args, MongoContext};
use schemaplay_core::sample::Val;
use schemaplay_core::{AccessPattern, Design, PatternKind};

fn check_mongo(design: &Design, pattern: &AccessPattern, args: Args<'_>, expect: Expect) {
    let ctx = MongoContext::new(design);
    let out = match ctx.query_for(pattern, args) {
        Some(q) => {
            let mut out = format!("{} {}\nfilter: {}\n", q.operation, q.collection, q.filter);
            if let Some(d) = &q.document {
                out.push_str(&format!("document: {d}\n"));
            }
            if let Some(i) = &q.index {
                out.push_str(&format!("index: {i}\n"));
            }
            out.push_str(&q.shell);
            out
        }
        None => "none".to_string(),
    };
    expect.assert_eq(&out);
}

#[test]
fn mongo_reads_take_the_records_values() {
    let d = design("user-app");
    let r = record(&[
        ("email", text("ana@example.com")),
        ("profile", record(&[("city", text("Lisbon"))])),
    ]);
    check_mongo(
        &d,
        &pattern(&d, "Find user by email"),
        Args::new(&r),
        expect![[r#"
            findOne users
            filter: {"email":"ana@example.com"}
            index: email_1
            db.users.findOne({ email: 'ana@example.com' })"#]],
    );
    check_mongo(
        &d,
        &pattern(&d, "Count users per city"),
        Args::new(&r),
        expect![[r#"
            aggregate users
            filter: {"profile.city":"Lisbon"}
            index: profile.city_1_createdAt_-1__id_-1
            db.users.aggregate([{ $match: { 'profile.city': 'Lisbon' } }, { $group: { _id: '$profile.city', count: { $sum: 1 } } }])"#]],
    );
    check_mongo(
        &d,
        &pattern(&d, "Search users by name or bio"),
        Args {
            words: Some("rust l'été"),
            ..Args::new(&r)
        },
        expect![[r#"
            find users
            filter: {"$text":{"$search":"rust l'été"}}
            index: name_text_profile.bio_text
            db.users.find({ $text: { $search: 'rust l\'été' } }, { score: { $meta: 'textScore' } }).sort({ score: { $meta: 'textScore' } }).limit(20)"#]],
    );
}

#[test]
fn mongo_writes_write_the_record() {
    let d = design("user-app");
    let user = record(&[
        ("userId", Val::ObjectId("65a000000000000000000001".into())),
        ("email", text("ana@example.com")),
        ("balance", Val::Double(-2.5)),
    ]);
    check_mongo(
        &d,
        &pattern(&d, "Create user"),
        Args::new(&user),
        expect![[r#"
            insertOne users
            filter: {}
            document: {"_id":{"$oid":"65a000000000000000000001"},"email":"ana@example.com","balance":-2.5}
            index: _id_
            db.users.insertOne({ _id: ObjectId('65a000000000000000000001'), email: 'ana@example.com', balance: -2.5 })"#]],
    );
    // An increment adds the record's value of the field.
    check_mongo(
        &d,
        &pattern(&d, "Add to balance"),
        Args::new(&user),
        expect![[r#"
            updateOne users
            filter: {"_id":{"$oid":"65a000000000000000000001"},"balance":{"$gte":0}}
            document: {"$inc":{"balance":-2.5}}
            index: _id_
            db.users.updateOne({ _id: ObjectId('65a000000000000000000001'), balance: { $gte: 0 } }, { $inc: { balance: -2.5 } })"#]],
    );
    // Any entity can be loaded through an insert pattern of its own.
    check_mongo(
        &d,
        &AccessPattern::new("load", "Post", PatternKind::Insert),
        Args::new(&record(&[("postId", text("p-9")), ("title", text(""))])),
        expect![[r#"
            insertOne posts
            filter: {}
            document: {"_id":"p-9","title":""}
            index: _id_
            db.posts.insertOne({ _id: 'p-9', title: '' })"#]],
    );
}

#[test]
fn mongo_embedded_writes_go_into_the_parents_document() {
    let d = design("user-app");
    let comment = record(&[("author", text("Ana")), ("text", text("Olá"))]);
    let post = record(&[("postId", text("p-9"))]);
    let add = pattern(&d, "Add comment");
    check_mongo(&d, &add, Args::new(&comment), expect!["none"]);
    check_mongo(
        &d,
        &add,
        Args {
            parent: Some(&post),
            ..Args::new(&comment)
        },
        expect![[r#"
            updateOne posts
            filter: {"_id":"p-9"}
            document: {"$push":{"comments":{"author":"Ana","text":"Olá"}}}
            index: _id_
            db.posts.updateOne({ _id: 'p-9' }, { $push: { comments: { author: 'Ana', text: 'Olá' } } })"#]],
    );
    // Deleting a comment pulls the comments holding the values the pattern binds: an empty
    // `$pull: { comments: {} }` matched every element and emptied the array.
    let mut d = d;
    d.access_patterns.push(AccessPattern {
        equality: vec!["author".into()],
        ..AccessPattern::new("Delete a comment", "Comment", PatternKind::Delete)
    });
    let delete = pattern(&d, "Delete a comment");
    check_mongo(
        &d,
        &delete,
        Args {
            parent: Some(&post),
            ..Args::new(&comment)
        },
        expect![[r#"
            updateOne posts
            filter: {"comments.author":"Ana"}
            document: {"$pull":{"comments":{"author":"Ana"}}}
            index: comments.author_1
            db.posts.updateOne({ 'comments.author': 'Ana' }, { $pull: { comments: { author: 'Ana' } } })"#]],
    );
}

#[test]
fn mongo_many_to_many_reads_take_the_other_sides_id() {
    let d = design("saas");
    // The project holds its members' ids: the read takes them from the record.
    check_mongo(
        &d,
        &pattern(&d, "Members of a project"),
        Args::new(&record(&[
            ("projectId", text("project-7")),
            (
                "memberIds",
                Val::Array(vec![text("member-1"), text("member-4")]),
            ),
        ])),
        expect![[r#"
            find members
            filter: {"_id":{"$in":["member-1","member-4"]}}
            index: _id_
            db.members.find({ _id: { $in: db.projects.findOne({ _id: 'project-7' }).memberIds } }).sort({ _id: 1 }).limit(50)"#]],
    );
    check_mongo(
        &d,
        &pattern(&d, "Projects of a member"),
        Args::new(&record(&[("memberId", text("member-4"))])),
        expect![[r#"
            find projects
            filter: {"memberIds":"member-4"}
            index: memberIds_1__id_1
            db.projects.find({ memberIds: 'member-4' }).sort({ _id: 1 }).limit(50)"#]],
    );
}

fn check_dynamo(design: &Design, pattern: &AccessPattern, args: Args<'_>, expect: Expect) {
    let ctx = DynamoContext::new(design);
    let out = match ctx.request_for(pattern, args) {
        Some(r) => format!(
            "{}{}\n{}",
            r.operation,
            r.index.map(|i| format!(" on {i}")).unwrap_or_default(),
            serde_json::to_string_pretty(&r.input["input"]).unwrap_or_default()
        ),
        None => "none".to_string(),
    };
    expect.assert_eq(&out);
}

#[test]
fn dynamo_reads_take_the_records_values() {
    let d = design("ecommerce");
    check_dynamo(
        &d,
        &pattern(&d, "Sign in by email"),
        Args::new(&record(&[("email", text("Ana@Example.com"))])),
        expect![[r#"
            Query on GSI1
            {
              "TableName": "shop",
              "IndexName": "GSI1",
              "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
              "ExpressionAttributeValues": {
                ":pk": {
                  "S": "EMAIL#ana@example.com"
                },
                ":sk": {
                  "S": "CUSTOMER"
                }
              },
              "Limit": 1
            }"#]],
    );
    let d = design("iot");
    check_dynamo(
        &d,
        &pattern(&d, "Readings of a device in a time range"),
        Args::new(&record(&[
            ("deviceId", text("d-1")),
            ("ts", Val::Date(1_000_000_000_000)),
        ])),
        expect![[r#"
            Query
            {
              "TableName": "telemetry",
              "KeyConditionExpression": "PK = :pk AND SK BETWEEN :from AND :to",
              "ExpressionAttributeValues": {
                ":pk": {
                  "S": "DEVICE#d-1"
                },
                ":from": {
                  "S": "READING#2001-09-09T01:46:40.000Z"
                },
                ":to": {
                  "S": "READING$"
                }
              },
              "Limit": 500
            }"#]],
    );
    let d = design("chat");
    check_dynamo(
        &d,
        &pattern(&d, "Search messages"),
        Args {
            words: Some("café rust"),
            ..Args::new(&record(&[]))
        },
        expect![[r##"
            Scan
            {
              "TableName": "chat",
              "FilterExpression": "entityType = :type AND (contains(#text, :q))",
              "ExpressionAttributeNames": {
                "#text": "text"
              },
              "ExpressionAttributeValues": {
                ":type": {
                  "S": "Message"
                },
                ":q": {
                  "S": "café"
                }
              }
            }"##]],
    );
    // A pattern the layout was not derived for has no request.
    check_dynamo(
        &d,
        &AccessPattern::new("new", "User", PatternKind::List),
        Args::new(&record(&[])),
        expect!["none"],
    );
}

/// Keys hold numbers so that their text order is the numbers' order (as plain text `1000.00`
/// sorted before `99.99`, and `-5` after `-1`: "Products in a category by price" came back in
/// the wrong order), equal values as equal keys; and a range runs from its start to the end of
/// the sort key's prefix, whatever the start (an invented bound 30 days on made a start in year
/// 9999 end in year 10000, before the start as text, which DynamoDB refuses).
#[test]
fn dynamo_keys_keep_number_order_and_ranges_end_with_their_prefix() {
    let d = design("ecommerce");
    let ctx = DynamoContext::new(&d);
    let sort_key = |price: Val| {
        let product = record(&[
            ("productId", text("p-1")),
            ("sku", text("SKU-1")),
            ("category", text("books")),
            ("price", price),
        ]);
        let items = ctx.items_for("Product", &product);
        items[0]["GSI2SK"]["S"].as_str().unwrap_or("").to_string()
    };
    let prices = [
        Val::Long(-12_345_678_901),
        Val::Int(-5),
        Val::Int(-1),
        Val::Decimal("-0.5".into()),
        Val::Int(0),
        Val::Double(0.25),
        Val::Decimal("99.99".into()),
        Val::Decimal("352.95".into()),
        Val::Decimal("1000.00".into()),
        Val::Decimal("12345.678".into()),
    ];
    let keys: Vec<String> = prices.iter().cloned().map(sort_key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(
        sort_key(Val::Int(1000)),
        sort_key(Val::Decimal("1000.00".into()))
    );
    expect![[r#"
        PRODUCT#-9999999987654321098~
        PRODUCT#-9999999999999999994~
        PRODUCT#-9999999999999999998~
        PRODUCT#-9999999999999999999.4~
        PRODUCT#0000000000000000000
        PRODUCT#0000000000000000000.25
        PRODUCT#0000000000000000099.99
        PRODUCT#0000000000000000352.95
        PRODUCT#0000000000000001000
        PRODUCT#0000000000000012345.678
    "#]]
    .assert_eq(&keys.iter().map(|k| format!("{k}\n")).collect::<String>());
    let d = design("iot");
    let ctx = DynamoContext::new(&d);
    let range = |ts: &str| {
        let args = record(&[
            ("deviceId", text("d-1")),
            (
                "ts",
                Val::Date(schemaplay_core::sample::parse_iso(ts).unwrap_or(0)),
            ),
        ]);
        let p = pattern(&d, "Readings of a device in a time range");
        let r = ctx.request_for(&p, Args::new(&args));
        let values = r.map(|r| r.input["input"]["ExpressionAttributeValues"].clone());
        let bound = |k: &str| {
            values
                .as_ref()
                .and_then(|v| v[k]["S"].as_str())
                .unwrap_or("")
                .to_string()
        };
        (bound(":from"), bound(":to"))
    };
    for ts in [
        "1969-12-31T23:59:59.999Z",
        "2024-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.999Z",
    ] {
        let (from, to) = range(ts);
        assert!(from < to, "{from} {to}");
        assert_eq!(to, "READING$");
    }
}

#[test]
fn dynamo_writes_write_the_record() {
    let d = design("ecommerce");
    let customer = record(&[
        ("customerId", text("c-1")),
        ("email", text("Ana@Example.com")),
        ("name", text("")),
    ]);
    check_dynamo(
        &d,
        &pattern(&d, "Register customer"),
        Args::new(&customer),
        expect![[r#"
            TransactWriteItems
            {
              "TransactItems": [
                {
                  "Put": {
                    "TableName": "shop",
                    "Item": {
                      "PK": {
                        "S": "CUSTOMER#c-1"
                      },
                      "SK": {
                        "S": "PROFILE"
                      },
                      "GSI1PK": {
                        "S": "EMAIL#ana@example.com"
                      },
                      "GSI1SK": {
                        "S": "CUSTOMER"
                      },
                      "entityType": {
                        "S": "Customer"
                      },
                      "customerId": {
                        "S": "c-1"
                      },
                      "email": {
                        "S": "Ana@Example.com"
                      },
                      "name": {
                        "S": ""
                      }
                    },
                    "ConditionExpression": "attribute_not_exists(PK)"
                  }
                },
                {
                  "Put": {
                    "TableName": "shop",
                    "Item": {
                      "PK": {
                        "S": "CUSTOMER_EMAIL#ana@example.com"
                      },
                      "SK": {
                        "S": "CUSTOMER_EMAIL#ana@example.com"
                      }
                    },
                    "ConditionExpression": "attribute_not_exists(PK)"
                  }
                }
              ]
            }"#]],
    );
    // The items a put writes are the items a record becomes.
    let ctx = DynamoContext::new(&d);
    let put = ctx
        .request_for(&pattern(&d, "Register customer"), Args::new(&customer))
        .map(|r| r.input["input"]["TransactItems"].clone())
        .unwrap_or_default();
    let written: Vec<serde_json::Value> = put
        .as_array()
        .into_iter()
        .flatten()
        .map(|action| action["Put"]["Item"].clone())
        .collect();
    assert_eq!(ctx.items_for("Customer", &customer), written);
    assert_eq!(written.len(), 2, "the item and the email's marker");
    // An increment adds the record's value of the field.
    check_dynamo(
        &d,
        &pattern(&d, "Reserve stock"),
        Args::new(&record(&[
            ("productId", text("p-1")),
            ("stock", Val::Int(-3)),
        ])),
        expect![[r#"
            UpdateItem
            {
              "TableName": "shop",
              "Key": {
                "PK": {
                  "S": "PRODUCT#p-1"
                },
                "SK": {
                  "S": "METADATA"
                }
              },
              "UpdateExpression": "SET stock = if_not_exists(stock, :zero) + :amount",
              "ConditionExpression": "attribute_exists(PK) AND stock >= :min",
              "ExpressionAttributeValues": {
                ":zero": {
                  "N": "0"
                },
                ":amount": {
                  "N": "-3"
                },
                ":min": {
                  "N": "1"
                }
              }
            }"#]],
    );
}

#[test]
fn dynamo_children_stored_in_the_parents_item_need_the_parent() {
    let d = design("ecommerce");
    let load = AccessPattern::new("load", "OrderLine", PatternKind::Insert);
    let line = record(&[("productId", text("p-1")), ("quantity", Val::Int(2))]);
    check_dynamo(&d, &load, Args::new(&line), expect!["none"]);
    let order = record(&[
        ("orderId", text("o-1")),
        ("customerId", text("c-1")),
        ("createdAt", Val::Date(0)),
    ]);
    check_dynamo(
        &d,
        &load,
        Args {
            parent: Some(&order),
            ..Args::new(&line)
        },
        expect![[r##"
            UpdateItem
            {
              "TableName": "shop",
              "Key": {
                "PK": {
                  "S": "ORDER#o-1"
                },
                "SK": {
                  "S": "METADATA"
                }
              },
              "UpdateExpression": "SET #lines = list_append(if_not_exists(#lines, :empty), :new)",
              "ConditionExpression": "attribute_exists(PK)",
              "ExpressionAttributeNames": {
                "#lines": "lines"
              },
              "ExpressionAttributeValues": {
                ":empty": {
                  "L": []
                },
                ":new": {
                  "L": [
                    {
                      "M": {
                        "productId": {
                          "S": "p-1"
                        },
                        "quantity": {
                          "N": "2"
                        }
                      }
                    }
                  ]
                }
              }
            }"##]],
    );
    let ctx = DynamoContext::new(&d);
    assert!(ctx.items_for("OrderLine", &line).is_empty());
}

#[test]
fn dynamo_many_to_many_reads_and_link_items() {
    let d = design("saas");
    check_dynamo(
        &d,
        &pattern(&d, "Members of a project"),
        Args::new(&record(&[("projectId", text("project-7"))])),
        expect![[r#"
            Query
            {
              "TableName": "tasks",
              "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
              "ExpressionAttributeValues": {
                ":pk": {
                  "S": "PROJECT#project-7"
                },
                ":sk": {
                  "S": "MEMBER#"
                }
              },
              "Limit": 50
            }"#]],
    );
    check_dynamo(
        &d,
        &pattern(&d, "Projects of a member"),
        Args::new(&record(&[("memberId", text("member-4"))])),
        expect![[r#"
            Query on GSI1
            {
              "TableName": "tasks",
              "IndexName": "GSI1",
              "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
              "ExpressionAttributeValues": {
                ":pk": {
                  "S": "MEMBER#member-4"
                },
                ":sk": {
                  "S": "PROJECT#"
                }
              },
              "Limit": 50
            }"#]],
    );
    let rel = d
        .relationships
        .iter()
        .position(|r| r.from == "Project" && r.to == "Member")
        .unwrap_or(usize::MAX);
    let ctx = DynamoContext::new(&d);
    let pair = record(&[
        ("projectId", text("project-7")),
        ("memberId", text("member-4")),
    ]);
    expect![[r#"
        {
          "PK": {
            "S": "PROJECT#project-7"
          },
          "SK": {
            "S": "MEMBER#member-4"
          },
          "GSI1PK": {
            "S": "MEMBER#member-4"
          },
          "GSI1SK": {
            "S": "PROJECT#project-7"
          },
          "entityType": {
            "S": "Project/Member"
          },
          "projectId": {
            "S": "project-7"
          },
          "memberId": {
            "S": "member-4"
          }
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&ctx.link_item_for(rel, &pair)).unwrap_or_default());
    assert_eq!(
        ctx.link_item_for(0, &pair),
        None,
        "Tenant -> Member is no link"
    );
}

/// Tracks hold a few events (read together), each event one card (read together, also
/// read and added on its own): MongoDB embeds both levels, DynamoDB keeps events in their
/// track's item collection and cards in their event's.
fn nested() -> Design {
    common::design(
        r#"{"name": "Track", "id": "trackId", "fields": [{"name": "trackId", "type": "string", "required": true}], "volume": 100},
           {"name": "Event", "id": "eventId", "fields": [{"name": "eventId", "type": "string", "required": true}, {"name": "title", "type": "string", "required": true}], "volume": 300},
           {"name": "Card", "id": "cardId", "fields": [{"name": "cardId", "type": "string", "required": true}, {"name": "city", "type": "string"}], "volume": 300}"#,
        r#"{"from": "Track", "to": "Event", "cardinality": "oneToFew", "expectedCount": 3, "readTogether": true},
           {"from": "Event", "to": "Card", "cardinality": "oneToOne", "expectedCount": 1, "readTogether": true}"#,
        r#"{"name": "Get event", "entity": "Event", "kind": "getOne", "equality": ["eventId"], "requestsPerSecond": 10},
           {"name": "Get card", "entity": "Card", "kind": "getOne", "equality": ["cardId"], "requestsPerSecond": 1},
           {"name": "Add card", "entity": "Card", "kind": "insert", "requestsPerSecond": 1}"#,
    )
}

#[test]
fn mongo_a_child_of_an_embedded_parent_goes_into_the_parents_element() {
    let d = nested();
    let event = record(&[("eventId", text("e-1")), ("title", text("launch"))]);
    let card = record(&[("cardId", text("c-1")), ("eventId", text("e-1"))]);
    check_mongo(
        &d,
        &pattern(&d, "Add card"),
        Args {
            parent: Some(&event),
            ..Args::new(&card)
        },
        expect![[r#"
            updateOne tracks
            filter: {"events.eventId":"e-1"}
            document: {"$set":{"events.$.card":{"cardId":"c-1","eventId":"e-1"}}}
            index: _id_
            db.tracks.updateOne({ 'events.eventId': 'e-1' }, { $set: { 'events.$.card': { cardId: 'c-1', eventId: 'e-1' } } })"#]],
    );
}

#[test]
fn dynamo_an_item_found_through_an_index_then_its_childrens_partition() {
    let d = nested();
    let ctx = DynamoContext::new(&d);
    let get = pattern(&d, "Get event");
    let event = record(&[("eventId", text("e-1")), ("trackId", text("t-1"))]);
    let first = ctx.request_for(&get, Args::new(&event));
    assert_eq!(
        first
            .as_ref()
            .map(|r| (r.operation.as_str(), r.index.clone())),
        Some(("Query", Some("GSI1".to_string())))
    );
    // The event lives in its track's partition; its card in the event's own.
    let answer = serde_json::json!({"Items": [{
        "PK": {"S": "TRACK#t-1"}, "SK": {"S": "EVENT#e-1"}, "entityType": {"S": "Event"},
        "eventId": {"S": "e-1"}, "trackId": {"S": "t-1"}, "title": {"S": "launch"}
    }]});
    let next = ctx.next_requests(&get, Args::new(&event), &answer);
    let keys: Vec<String> = next
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.operation, r.input["input"]["ExpressionAttributeValues"]
            )
        })
        .collect();
    expect![[r#"Query {":pk":{"S":"EVENT#e-1"}}"#]].assert_eq(&keys.join("\n"));
}

/// User-app with a `rev` version on users and on their posts' comments: adding to the
/// balance keeps its guard and checks the version; editing a comment checks the version of
/// that comment.
fn versioned() -> Design {
    let mut d = design("user-app");
    for name in ["User", "Comment"] {
        if let Some(e) = d.entities.iter_mut().find(|e| e.name == name) {
            e.fields.push(schemaplay_core::Field::new(
                "rev",
                schemaplay_core::FieldType::Int,
            ));
        }
    }
    if let Some(p) = d
        .access_patterns
        .iter_mut()
        .find(|p| p.name == "Add to balance")
    {
        p.version = Some("rev".into());
    }
    d.access_patterns.push(AccessPattern {
        equality: vec!["author".into()],
        fields: vec!["text".into()],
        version: Some("rev".into()),
        ..AccessPattern::new("Edit comment", "Comment", PatternKind::Update)
    });
    d
}

#[test]
fn a_versioned_update_expects_the_version_it_read_and_adds_one() {
    let d = versioned();
    let user = record(&[
        ("userId", Val::ObjectId("65a000000000000000000001".into())),
        ("balance", Val::Int(5)),
        ("rev", Val::Int(4)),
    ]);
    let add = pattern(&d, "Add to balance");
    check_mongo(
        &d,
        &add,
        Args::new(&user),
        expect![[r#"
            updateOne users
            filter: {"_id":{"$oid":"65a000000000000000000001"},"balance":{"$gte":0},"rev":4}
            document: {"$inc":{"balance":5,"rev":1}}
            index: _id_
            const updated = db.users.updateOne({ _id: ObjectId('65a000000000000000000001'), balance: { $gte: 0 }, rev: 4 }, { $inc: { balance: 5, rev: 1 } })
            // Optimistic locking: a matchedCount of 0 is a conflict: the user changed since its rev was read (or is gone); read it again and retry.
            updated.matchedCount === 1 || 'version conflict: read the user again and retry'"#]],
    );
    check_dynamo(
        &d,
        &add,
        Args::new(&user),
        expect![[r#"
        UpdateItem
        {
          "TableName": "app-data",
          "Key": {
            "PK": {
              "S": "USER#65a000000000000000000001"
            },
            "SK": {
              "S": "PROFILE"
            }
          },
          "UpdateExpression": "SET balance = if_not_exists(balance, :zero) + :amount, rev = rev + :one",
          "ConditionExpression": "attribute_exists(PK) AND balance >= :min AND rev = :expected",
          "ExpressionAttributeValues": {
            ":zero": {
              "N": "0"
            },
            ":amount": {
              "N": "5"
            },
            ":one": {
              "N": "1"
            },
            ":min": {
              "N": "0"
            },
            ":expected": {
              "N": "4"
            }
          }
        }"#]],
    );
    // A comment is versioned on its own: the element matched is the one whose version is
    // checked and increased.
    let comment = record(&[
        ("author", text("Ana")),
        ("text", text("Olá!")),
        ("rev", Val::Int(2)),
    ]);
    let post = record(&[("postId", text("p-9"))]);
    let edit = pattern(&d, "Edit comment");
    let args = Args {
        parent: Some(&post),
        ..Args::new(&comment)
    };
    check_mongo(
        &d,
        &edit,
        args,
        expect![[r#"
        updateOne posts
        filter: {"comments":{"$elemMatch":{"author":"Ana","rev":2}}}
        document: {"$set":{"comments.$.text":"Olá!"},"$inc":{"comments.$.rev":1}}
        index: comments.author_1
        const updated = db.posts.updateOne({ comments: { $elemMatch: { author: 'Ana', rev: 2 } } }, { $set: { 'comments.$.text': 'Olá!' }, $inc: { 'comments.$.rev': 1 } })
        // Optimistic locking: a matchedCount of 0 is a conflict: the comment changed since its rev was read (or is gone); read it again and retry.
        updated.matchedCount === 1 || 'version conflict: read the comment again and retry'"#]],
    );
}
