//! Renames that follow: after renaming a field or an entity, everything that named it names
//! the new name, and the design still validates.

use expect_test::{expect, Expect};
use schemaplay_core::model::{
    field_rename_problem, object_fields, rename_entity, rename_field, validate, Design, Field,
    Projection, RenameError, Severity,
};

/// Users with an embedded profile, their posts (a child referring to its user by the implicit
/// `userId`), comments referring to posts by a declared `postId`, and tags in a many-to-many
/// pair with posts. Every place a design names fields is used once.
const DESIGN: &str = r#"{
  "formatVersion": 2, "name": "rename",
  "entities": [
    {"name": "User", "id": "userId", "volume": 10, "fields": [
      {"name": "userId", "type": "string", "required": true},
      {"name": "email", "type": "string", "unique": true},
      {"name": "profile", "type": {"object": [{"name": "city", "type": "string"}, {"name": "zip", "type": "string"}]}},
      {"name": "balance", "type": "long"}]},
    {"name": "Post", "volume": 100, "fields": [
      {"name": "postId", "type": "string"},
      {"name": "userId", "type": {"ref": "User"}},
      {"name": "title", "type": "string"},
      {"name": "createdAt", "type": "date"}]},
    {"name": "Comment", "volume": 1000, "fields": [
      {"name": "commentId", "type": "string"},
      {"name": "postId", "type": "string"},
      {"name": "email", "type": "string"},
      {"name": "body", "type": "string"}]},
    {"name": "Tag", "volume": 10, "fields": [{"name": "label", "type": "string"}]}
  ],
  "relationships": [
    {"from": "User", "to": "Post", "cardinality": "oneToMany", "expectedCount": 10},
    {"from": "Post", "to": "Comment", "cardinality": "oneToMany", "expectedCount": 10, "field": "postId"},
    {"from": "Post", "to": "Tag", "cardinality": "manyToMany", "expectedCount": 3}
  ],
  "accessPatterns": [
    {"name": "User by email", "entity": "User", "kind": "getOne", "equality": ["email"], "requestsPerSecond": 1},
    {"name": "Users in a city", "entity": "User", "kind": "list", "equality": ["profile.city"], "sort": {"field": "profile.zip", "order": "asc"}, "requestsPerSecond": 1},
    {"name": "Pay", "entity": "User", "kind": "update", "equality": ["userId"], "fields": ["balance"], "update": "increment", "condition": {"field": "balance", "op": "ge", "value": 0}, "requestsPerSecond": 1},
    {"name": "User's posts", "entity": "Post", "kind": "list", "equality": ["userId"], "range": "createdAt", "sort": {"field": "createdAt", "order": "desc"}, "requestsPerSecond": 1},
    {"name": "Search posts", "entity": "Post", "kind": "textSearch", "fields": ["title"], "requestsPerSecond": 1},
    {"name": "Post's comments", "entity": "Comment", "kind": "list", "equality": ["postId"], "requestsPerSecond": 1},
    {"name": "Comments by email", "entity": "Comment", "kind": "list", "equality": ["email"], "requestsPerSecond": 1},
    {"name": "Tags of a post", "entity": "Tag", "kind": "list", "equality": ["postId"], "requestsPerSecond": 1}
  ],
  "mongo": {"collections": {"User": "people"}},
  "dynamo": {"tableName": "app", "partitionKey": "PK", "sortKey": "SK",
    "keyTemplates": {
      "User": {"pk": "USER#<userId>", "sk": "CITY#<profile.city|lower>#<email>"},
      "Post": {"pk": "USER#<userId>", "sk": "POST#<createdAt>"}
    },
    "indexes": [{"name": "EmailIndex", "partitionKey": "email"}, {"name": "CityIndex", "partitionKey": "PK", "sortKey": "balance", "local": true}]},
  "positions": {"User": {"x": 1, "y": 2}}
}"#;

fn design() -> Design {
    match Design::from_json(DESIGN) {
        Ok(design) => design,
        Err(findings) => panic!("the test design does not read: {findings:?}"),
    }
}

/// Every name a design holds, one place a line, so a rename's whole effect shows.
fn names(d: &Design) -> String {
    fn paths(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
        for f in fields {
            let path = format!("{prefix}{}", f.name);
            out.push(format!("{path}:{}", f.ty));
            if let Some(inner) = object_fields(&f.ty) {
                paths(inner, &format!("{path}."), out);
            }
        }
    }
    let mut out = String::new();
    for e in &d.entities {
        let mut fields = Vec::new();
        paths(&e.fields, "", &mut fields);
        out += &format!(
            "entity {} id={} [{}]\n",
            e.name,
            e.id.as_deref().unwrap_or("-"),
            fields.join(", ")
        );
    }
    for r in &d.relationships {
        out += &format!(
            "rel {} -> {} field={}\n",
            r.from,
            r.to,
            r.field.as_deref().unwrap_or("-")
        );
    }
    for p in &d.access_patterns {
        out += &format!(
            "pattern {:?} on {}: eq={:?} range={:?} sort={:?} fields={:?} cond={:?}\n",
            p.name,
            p.entity,
            p.equality,
            p.range,
            p.sort.as_ref().map(|s| &s.field),
            p.fields,
            p.condition.as_ref().map(|c| &c.field)
        );
    }
    out += &format!("collections {:?}\n", d.mongo.collections);
    for (entity, t) in &d.dynamo.key_templates {
        out += &format!("template {entity}: {} / {}\n", t.pk, t.sk);
    }
    for i in &d.dynamo.indexes {
        out += &format!(
            "index {} on {} / {:?}\n",
            i.name, i.partition_key, i.sort_key
        );
    }
    out += &format!("positions {:?}\n", d.positions.keys().collect::<Vec<_>>());
    out
}

/// The errors validation finds in a design, one a line; empty when it validates.
fn errors(d: &Design) -> String {
    validate(d)
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{f}\n"))
        .collect()
}

/// Prints only the lines a rename changed (`-` before, `+` after), then the validation errors.
fn check(renamed: Result<Design, schemaplay_core::model::RenameError>, expect: Expect) {
    let before = names(&design());
    let actual = match renamed {
        Ok(after) => {
            let after_names = names(&after);
            let old: Vec<&str> = before.lines().collect();
            let new: Vec<&str> = after_names.lines().collect();
            let mut out = String::new();
            for line in old.iter().filter(|l| !new.contains(l)) {
                out += &format!("- {line}\n");
            }
            for line in new.iter().filter(|l| !old.contains(l)) {
                out += &format!("+ {line}\n");
            }
            out + &errors(&after)
        }
        Err(e) => format!("refused: {e}\n"),
    };
    expect.assert_eq(&actual);
}

#[test]
fn the_test_design_validates() {
    assert_eq!(errors(&design()), "");
}

#[test]
fn renaming_a_field_renames_patterns_templates_and_the_index() {
    check(
        rename_field(&design(), "User", "email", "mail"),
        expect![[r#"
            - entity User id=userId [userId:string, email:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            - pattern "User by email" on User: eq=["email"] range=None sort=None fields=[] cond=None
            - template User: USER#<userId> / CITY#<profile.city|lower>#<email>
            + entity User id=userId [userId:string, mail:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            + pattern "User by email" on User: eq=["mail"] range=None sort=None fields=[] cond=None
            + template User: USER#<userId> / CITY#<profile.city|lower>#<mail>
        "#]],
    );
}

#[test]
fn an_index_another_entity_still_uses_keeps_its_attribute() {
    // Comment has an `email` too, which `EmailIndex` goes on serving; User's own email
    // field is not the only one of that name, so the index stays. With Comment's renamed
    // as well, nothing holds `email` any more and the index follows.
    let once = rename_field(&design(), "User", "email", "mail");
    assert!(names(once.as_ref().unwrap_or(&design())).contains("index EmailIndex on email"));
    check(
        once.and_then(|d| rename_field(&d, "Comment", "email", "mail")),
        expect![[r#"
            - entity User id=userId [userId:string, email:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            - entity Comment id=- [commentId:string, postId:string, email:string, body:string]
            - pattern "User by email" on User: eq=["email"] range=None sort=None fields=[] cond=None
            - pattern "Comments by email" on Comment: eq=["email"] range=None sort=None fields=[] cond=None
            - template User: USER#<userId> / CITY#<profile.city|lower>#<email>
            - index EmailIndex on email / None
            + entity User id=userId [userId:string, mail:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            + entity Comment id=- [commentId:string, postId:string, mail:string, body:string]
            + pattern "User by email" on User: eq=["mail"] range=None sort=None fields=[] cond=None
            + pattern "Comments by email" on Comment: eq=["mail"] range=None sort=None fields=[] cond=None
            + template User: USER#<userId> / CITY#<profile.city|lower>#<mail>
            + index EmailIndex on mail / None
        "#]],
    );
}

#[test]
fn renaming_a_nested_field_renames_dotted_paths_and_placeholders() {
    check(
        rename_field(&design(), "User", "profile.city", "town"),
        expect![[r#"
            - entity User id=userId [userId:string, email:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            - pattern "Users in a city" on User: eq=["profile.city"] range=None sort=Some("profile.zip") fields=[] cond=None
            - template User: USER#<userId> / CITY#<profile.city|lower>#<email>
            + entity User id=userId [userId:string, email:string, profile:object, profile.town:string, profile.zip:string, balance:long]
            + pattern "Users in a city" on User: eq=["profile.town"] range=None sort=Some("profile.zip") fields=[] cond=None
            + template User: USER#<userId> / CITY#<profile.town|lower>#<email>
        "#]],
    );
}

#[test]
fn renaming_an_object_renames_the_paths_inside_it() {
    check(
        rename_field(&design(), "User", "profile", "address"),
        expect![[r#"
            - entity User id=userId [userId:string, email:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            - pattern "Users in a city" on User: eq=["profile.city"] range=None sort=Some("profile.zip") fields=[] cond=None
            - template User: USER#<userId> / CITY#<profile.city|lower>#<email>
            + entity User id=userId [userId:string, email:string, address:object, address.city:string, address.zip:string, balance:long]
            + pattern "Users in a city" on User: eq=["address.city"] range=None sort=Some("address.zip") fields=[] cond=None
            + template User: USER#<userId> / CITY#<address.city|lower>#<email>
        "#]],
    );
}

#[test]
fn renaming_a_written_field_renames_fields_condition_and_index_sort_key() {
    check(
        rename_field(&design(), "User", "balance", "credit"),
        expect![[r#"
            - entity User id=userId [userId:string, email:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            - pattern "Pay" on User: eq=["userId"] range=None sort=None fields=["balance"] cond=Some("balance")
            - index CityIndex on PK / Some("balance")
            + entity User id=userId [userId:string, email:string, profile:object, profile.city:string, profile.zip:string, credit:long]
            + pattern "Pay" on User: eq=["userId"] range=None sort=None fields=["credit"] cond=Some("credit")
            + index CityIndex on PK / Some("credit")
        "#]],
    );
}

#[test]
fn renaming_the_id_renames_the_declared_id() {
    check(
        rename_field(&design(), "User", "userId", "uid"),
        expect![[r#"
            - entity User id=userId [userId:string, email:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            - pattern "Pay" on User: eq=["userId"] range=None sort=None fields=["balance"] cond=Some("balance")
            - template User: USER#<userId> / CITY#<profile.city|lower>#<email>
            + entity User id=uid [uid:string, email:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            + pattern "Pay" on User: eq=["uid"] range=None sort=None fields=["balance"] cond=Some("balance")
            + template User: USER#<uid> / CITY#<profile.city|lower>#<email>
        "#]],
    );
}

#[test]
fn renaming_a_reference_renames_the_relationship_field() {
    check(
        rename_field(&design(), "Comment", "postId", "parentPost"),
        expect![[r#"
            - entity Comment id=- [commentId:string, postId:string, email:string, body:string]
            - rel Post -> Comment field=postId
            - pattern "Post's comments" on Comment: eq=["postId"] range=None sort=None fields=[] cond=None
            + entity Comment id=- [commentId:string, parentPost:string, email:string, body:string]
            + rel Post -> Comment field=parentPost
            + pattern "Post's comments" on Comment: eq=["parentPost"] range=None sort=None fields=[] cond=None
        "#]],
    );
}

#[test]
fn renaming_an_entity_renames_its_id_and_everything_naming_either() {
    check(
        rename_entity(&design(), "User", "Customer"),
        expect![[r#"
            - entity User id=userId [userId:string, email:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            - entity Post id=- [postId:string, userId:ref<User>, title:string, createdAt:date]
            - rel User -> Post field=-
            - pattern "User by email" on User: eq=["email"] range=None sort=None fields=[] cond=None
            - pattern "Users in a city" on User: eq=["profile.city"] range=None sort=Some("profile.zip") fields=[] cond=None
            - pattern "Pay" on User: eq=["userId"] range=None sort=None fields=["balance"] cond=Some("balance")
            - pattern "User's posts" on Post: eq=["userId"] range=Some("createdAt") sort=Some("createdAt") fields=[] cond=None
            - collections {"User": "people"}
            - template Post: USER#<userId> / POST#<createdAt>
            - template User: USER#<userId> / CITY#<profile.city|lower>#<email>
            - positions ["User"]
            + entity Customer id=customerId [customerId:string, email:string, profile:object, profile.city:string, profile.zip:string, balance:long]
            + entity Post id=- [postId:string, customerId:ref<Customer>, title:string, createdAt:date]
            + rel Customer -> Post field=-
            + pattern "User by email" on Customer: eq=["email"] range=None sort=None fields=[] cond=None
            + pattern "Users in a city" on Customer: eq=["profile.city"] range=None sort=Some("profile.zip") fields=[] cond=None
            + pattern "Pay" on Customer: eq=["customerId"] range=None sort=None fields=["balance"] cond=Some("balance")
            + pattern "User's posts" on Post: eq=["customerId"] range=Some("createdAt") sort=Some("createdAt") fields=[] cond=None
            + collections {"Customer": "people"}
            + template Customer: USER#<customerId> / CITY#<profile.city|lower>#<email>
            + template Post: USER#<customerId> / POST#<createdAt>
            + positions ["Customer"]
        "#]],
    );
}

#[test]
fn renaming_one_side_of_a_many_to_many_pair_renames_its_implicit_id() {
    check(
        rename_entity(&design(), "Post", "Article"),
        expect![[r#"
            - entity Post id=- [postId:string, userId:ref<User>, title:string, createdAt:date]
            - entity Comment id=- [commentId:string, postId:string, email:string, body:string]
            - rel User -> Post field=-
            - rel Post -> Comment field=postId
            - rel Post -> Tag field=-
            - pattern "User's posts" on Post: eq=["userId"] range=Some("createdAt") sort=Some("createdAt") fields=[] cond=None
            - pattern "Search posts" on Post: eq=[] range=None sort=None fields=["title"] cond=None
            - pattern "Post's comments" on Comment: eq=["postId"] range=None sort=None fields=[] cond=None
            - pattern "Tags of a post" on Tag: eq=["postId"] range=None sort=None fields=[] cond=None
            - template Post: USER#<userId> / POST#<createdAt>
            + entity Article id=- [articleId:string, userId:ref<User>, title:string, createdAt:date]
            + entity Comment id=- [commentId:string, articleId:string, email:string, body:string]
            + rel User -> Article field=-
            + rel Article -> Comment field=articleId
            + rel Article -> Tag field=-
            + pattern "User's posts" on Article: eq=["userId"] range=Some("createdAt") sort=Some("createdAt") fields=[] cond=None
            + pattern "Search posts" on Article: eq=[] range=None sort=None fields=["title"] cond=None
            + pattern "Post's comments" on Comment: eq=["articleId"] range=None sort=None fields=[] cond=None
            + pattern "Tags of a post" on Tag: eq=["articleId"] range=None sort=None fields=[] cond=None
            + template Article: USER#<userId> / POST#<createdAt>
        "#]],
    );
}

#[test]
fn an_id_not_named_after_the_entity_stays() {
    let renamed = rename_field(&design(), "User", "userId", "uid")
        .and_then(|d| rename_entity(&d, "User", "Customer"));
    let text = renamed.as_ref().map(names).unwrap_or_default();
    assert!(
        text.contains("entity Customer id=uid [uid:string"),
        "{text}"
    );
    // Post's `userId` is a ref to the entity named after it: it still follows.
    assert!(text.contains("customerId:ref<Customer>"), "{text}");
    assert_eq!(renamed.as_ref().map(errors).as_deref(), Ok(""));
}

#[test]
fn refused_renames_say_why_and_change_nothing() {
    check(
        rename_field(&design(), "User", "email", "balance"),
        expect![[r#"
            refused: User already has "balance"
        "#]],
    );
    check(
        rename_field(&design(), "User", "profile.city", "zip"),
        expect![[r#"
            refused: User.profile already has "zip"
        "#]],
    );
    check(
        rename_field(&design(), "User", "profile.country", "land"),
        expect![[r#"
            refused: "profile.country" is not a field of User
        "#]],
    );
    check(
        rename_field(&design(), "User", "email", "e.mail"),
        expect![[r#"
            refused: "e.mail" is not a valid name: a field name is not empty, holds no dots and does not start with $
        "#]],
    );
    check(
        rename_entity(&design(), "User", "Post"),
        expect![[r#"
            refused: the design already has "Post"
        "#]],
    );
    check(
        rename_entity(&design(), "Ghost", "Spirit"),
        expect![[r#"
            refused: no entity is named "Ghost"
        "#]],
    );
    check(
        rename_entity(&design(), "User", "2User"),
        expect![[r#"
            refused: "2User" is not a valid name: an entity name starts with a letter and holds only letters, digits and _
        "#]],
    );
}

#[test]
fn an_editor_can_ask_before_renaming_a_field() {
    let design = design();
    let Some(user) = design.entity("User") else {
        panic!("no User");
    };
    assert_eq!(
        field_rename_problem(user, "profile.city", "zip"),
        Some(RenameError::Taken {
            name: "zip".into(),
            place: "User.profile".into()
        })
    );
    assert_eq!(field_rename_problem(user, "profile.city", "town"), None);
    // Renaming to its own name is no problem, and changes nothing.
    assert_eq!(field_rename_problem(user, "email", "email"), None);
    assert_eq!(
        rename_field(&design, "User", "email", "email"),
        Ok(design.clone())
    );
}

/// Every field of every example renamed, and every example entity: the design still
/// validates, so nothing was left naming the old name.
#[test]
fn every_rename_of_every_example_still_validates() {
    for example in schemaplay_core::examples::all() {
        let design = &example.design;
        for entity in &design.entities {
            let renamed = rename_entity(design, &entity.name, &format!("{}X", entity.name));
            let problems = renamed.as_ref().map(errors);
            assert_eq!(
                problems.as_deref(),
                Ok(""),
                "{}: renaming {}",
                example.id,
                entity.name
            );
            let mut paths = Vec::new();
            collect_paths(&entity.fields, "", &mut paths);
            for path in paths {
                let leaf = path.rsplit('.').next().unwrap_or(&path);
                let renamed = rename_field(design, &entity.name, &path, &format!("{leaf}X"));
                let problems = renamed.as_ref().map(errors);
                assert_eq!(
                    problems.as_deref(),
                    Ok(""),
                    "{}: renaming {}.{path}",
                    example.id,
                    entity.name
                );
            }
        }
    }
}

fn collect_paths(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
    for f in fields {
        let path = format!("{prefix}{}", f.name);
        out.push(path.clone());
        if let Some(inner) = object_fields(&f.ty) {
            collect_paths(inner, &format!("{path}."), out);
        }
    }
}

#[test]
fn renaming_a_version_field_renames_the_patterns_version() {
    let mut d = design();
    if let Some(user) = d.entities.iter_mut().find(|e| e.name == "User") {
        user.fields
            .push(Field::new("rev", schemaplay_core::FieldType::Int));
    }
    if let Some(pay) = d.access_patterns.iter_mut().find(|p| p.name == "Pay") {
        pay.version = Some("rev".into());
    }
    assert_eq!(errors(&d), "");
    let renamed = match rename_field(&d, "User", "rev", "revision") {
        Ok(renamed) => renamed,
        Err(e) => panic!("refused: {e}"),
    };
    let versions: Vec<(&str, Option<&str>)> = renamed
        .access_patterns
        .iter()
        .filter(|p| p.version.is_some())
        .map(|p| (p.name.as_str(), p.version.as_deref()))
        .collect();
    assert_eq!(versions, vec![("Pay", Some("revision"))]);
    assert_eq!(errors(&renamed), "");
}

#[test]
fn renaming_an_entity_renames_its_placement() {
    let mut d = schemaplay_core::examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default();
    d.dynamo
        .placements
        .insert("Post".into(), schemaplay_core::Placement::Parent);
    let renamed = rename_entity(&d, "Post", "Article").map(|d| d.dynamo.placements);
    assert_eq!(
        renamed.map(|p| p.into_iter().collect::<Vec<_>>()),
        Ok(vec![(
            "Article".to_string(),
            schemaplay_core::Placement::Parent
        )])
    );
}

#[test]
fn renames_follow_into_declared_mongo_indexes_ttl_and_projections() {
    let text = r#"{
      "formatVersion": 2, "name": "sessions",
      "entities": [
        {"name": "Session", "id": "sessionId", "ttl": { "field": "expiresAt" }, "fields": [
          {"name": "sessionId", "type": "string", "required": true},
          {"name": "email", "type": "string"},
          {"name": "expiresAt", "type": "date"}]}],
      "accessPatterns": [
        {"name": "By email", "entity": "Session", "kind": "getOne", "equality": ["email"]}],
      "mongo": {"indexes": [
        {"entity": "Session", "keys": [{"field": "email", "order": 1}]},
        {"entity": "Session", "keys": [{"field": "expiresAt", "order": 1}], "expireAfterSeconds": 0}]},
      "dynamo": {"tableName": "sessions", "partitionKey": "PK", "sortKey": "SK",
        "projections": {"GSI1": {"include": ["email"]}}}
    }"#;
    let d = match Design::from_json(text) {
        Ok(d) => d,
        Err(f) => panic!("{f:?}"),
    };
    let renamed = rename_field(&d, "Session", "email", "mail")
        .and_then(|d| rename_field(&d, "Session", "expiresAt", "expiry"))
        .and_then(|d| rename_entity(&d, "Session", "Login"));
    let renamed = match renamed {
        Ok(r) => r,
        Err(e) => panic!("refused: {e}"),
    };
    let keys: Vec<(String, String)> = renamed
        .mongo
        .indexes
        .iter()
        .flat_map(|i| i.keys.iter().map(|k| (i.entity.clone(), k.field.clone())))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("Login".to_string(), "mail".to_string()),
            ("Login".to_string(), "expiry".to_string())
        ]
    );
    assert_eq!(
        renamed.entities[0].ttl.as_ref().map(|t| t.field.as_str()),
        Some("expiry")
    );
    assert_eq!(
        renamed.dynamo.projections.get("GSI1"),
        Some(&schemaplay_core::model::Projection::Include(vec![
            "mail".into()
        ]))
    );
    assert_eq!(errors(&renamed), "");
}

#[test]
fn renaming_a_field_renames_it_in_the_projections_that_include_it() {
    let mut d = design();
    d.dynamo.projections.insert(
        "GSI1".into(),
        Projection::Include(vec!["balance".into(), "email".into()]),
    );
    let renamed = rename_field(&d, "User", "balance", "credit").map(|d| d.dynamo.projections);
    expect![[r#"
        Ok(
            {
                "GSI1": Include(
                    [
                        "credit",
                        "email",
                    ],
                ),
            },
        )
    "#]]
    .assert_debug_eq(&renamed);
    assert_eq!(
        errors(&rename_field(&d, "User", "balance", "credit").unwrap_or_default()),
        ""
    );
}
