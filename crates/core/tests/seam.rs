//! Requests rendered from an argument record: the seam a verifier drives.
//! Each test renders a pattern of an example with values of its own and reads
//! them back in the request; the derived layouts render sample record 0
//! through the same code (pinned by the snapshots).

use expect_test::{expect, Expect};
use schemaplay_core::mongo::{Args, MongoContext};
use schemaplay_core::sample::Val;
use schemaplay_core::{examples, AccessPattern, Design, PatternKind};

fn design(id: &str) -> Design {
    examples::get(id).map(|e| e.design).unwrap_or_default()
}

fn pattern(design: &Design, name: &str) -> AccessPattern {
    design
        .access_patterns
        .iter()
        .find(|p| p.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("no pattern {name}"))
}

fn record(fields: &[(&str, Val)]) -> Val {
    Val::Object(
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn text(s: &str) -> Val {
    Val::Str(s.to_string())
}

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
            countDocuments users
            filter: {"profile.city":"Lisbon"}
            index: profile.city_1_createdAt_-1
            db.users.countDocuments({ 'profile.city': 'Lisbon' })"#]],
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
            db.members.find({ _id: { $in: db.projects.findOne({ _id: 'project-7' }).memberIds } }).limit(50)"#]],
    );
    check_mongo(
        &d,
        &pattern(&d, "Projects of a member"),
        Args::new(&record(&[("memberId", text("member-4"))])),
        expect![[r#"
            find projects
            filter: {"memberIds":"member-4"}
            index: memberIds_1
            db.projects.find({ memberIds: 'member-4' }).limit(50)"#]],
    );
}
