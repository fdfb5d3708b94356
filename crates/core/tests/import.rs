//! SQL and NoSQL Workbench imports.

use expect_test::{expect, Expect};
use schemaplay_core::export::{export, ExportFormat};
use schemaplay_core::import::{self, ImportFormat};
use schemaplay_core::{examples, Design};

/// Imports SQL and prints the entities, relationships, patterns and findings.
fn check_sql(sql: &str, expect: Expect) {
    let imported = import::sql(sql);
    let d = &imported.design;
    let mut out = String::new();
    for e in &d.entities {
        let fields: Vec<String> = e
            .fields
            .iter()
            .map(|f| {
                format!(
                    "{}: {}{}{}",
                    f.name,
                    f.ty,
                    if f.required { " required" } else { "" },
                    if f.unique { " unique" } else { "" }
                )
            })
            .collect();
        out.push_str(&format!(
            "{} (id {:?}): {}\n",
            e.name,
            e.id,
            fields.join(", ")
        ));
    }
    for r in &d.relationships {
        out.push_str(&format!(
            "{} -> {} {:?} via {:?}\n",
            r.from, r.to, r.cardinality, r.field
        ));
    }
    for p in &d.access_patterns {
        out.push_str(&format!(
            "pattern {:?} {:?} on {} by {:?}\n",
            p.name, p.kind, p.entity, p.equality
        ));
    }
    for f in imported
        .findings
        .iter()
        .chain(&schemaplay_core::validate(d))
    {
        out.push_str(&format!("{} [{}] {f}\n", f.severity, f.id));
    }
    expect.assert_eq(&out);
}

#[test]
fn sql_tables_keys_and_foreign_keys() {
    check_sql(
        r#"
CREATE TABLE users (
  id SERIAL PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  name TEXT NOT NULL,
  balance NUMERIC(10,2) DEFAULT 0,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE posts (
  id BIGINT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  title VARCHAR(200) NOT NULL,
  tags TEXT[],
  PRIMARY KEY (id)
);
CREATE INDEX posts_author ON posts (author_id);
CREATE TABLE profiles (user_id INT PRIMARY KEY, bio TEXT, FOREIGN KEY (user_id) REFERENCES users (id));
"#,
        expect![[r#"
            User (id Some("id")): id: int required, email: string required unique, name: string required, balance: decimal, created_at: date required
            Post (id Some("id")): id: long required, author_id: ref<User> required, title: string required, tags: array<string>
            Profile (id Some("user_id")): user_id: ref<User> required, bio: string
            User -> Post OneToMany via Some("author_id")
            User -> Profile OneToOne via Some("user_id")
            pattern "Get user by id" GetOne on User by ["id"]
            pattern "Get post by id" GetOne on Post by ["id"]
            pattern "List posts by user" List on Post by ["author_id"]
            pattern "Get profile by user_id" GetOne on Profile by ["user_id"]
            warning [sql-unsupported] line 16: CREATE INDEX posts_author ...: only CREATE TABLE statements are imported; skipped
        "#]],
    );
}

#[test]
fn sql_errors_name_their_line_and_the_rest_is_imported() {
    check_sql(
        "CREATE TABLE a (id INT PRIMARY KEY);\nCREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a(id), x GEOMETRY);\nSELEC * FROM a;\nINSERT INTO a VALUES (1);\nCREATE TABLE tags_posts (tag_id INT REFERENCES a(id), post_id INT REFERENCES b(id), PRIMARY KEY (tag_id, post_id));\nCREATE TABLE c (x INT);",
        expect![[r#"
            A (id Some("id")): id: int required
            B (id Some("id")): id: int required, a_id: ref<A>, x: string
            C (id None): x: int
            A -> B OneToMany via Some("a_id")
            A -> B ManyToMany via None
            pattern "Get a by id" GetOne on A by ["id"]
            pattern "Get b by id" GetOne on B by ["id"]
            pattern "List bs by a" List on B by ["a_id"]
            warning [sql-type] line 2: b.x: type GEOMETRY is not known, imported as string
            error [sql-syntax] line 3: sql parser error: Expected: an SQL statement, found: SELEC at Line: 3, Column: 1; this statement is skipped
            warning [sql-unsupported] line 4: INSERT INTO a ...: only CREATE TABLE statements are imported; skipped
            info [sql-join-table] line 5: tags_posts only links two tables: imported as a many-to-many relationship
            warning [sql-no-primary-key] line 6: c has no primary key: items get a generated id
        "#]],
    );
}

#[test]
fn sql_unterminated_string_is_reported() {
    check_sql(
        "CREATE TABLE a (id INT);\nCREATE TABLE b (name TEXT DEFAULT 'oops);",
        expect![[r#"
            error [sql-syntax] line 2: Unterminated string literal
        "#]],
    );
}

#[test]
fn workbench_export_imports_back_to_an_equal_design() {
    for example in examples::all() {
        let text = export(&example.design, ExportFormat::Workbench);
        let imported = import::import(&text, ImportFormat::Workbench);
        assert_eq!(imported.findings, vec![], "{}", example.id);
        assert_eq!(imported.design, example.design, "{}", example.id);
    }
}

#[test]
fn a_plain_workbench_model_becomes_entities_templates_and_indexes() {
    let model = r#"{
      "ModelName": "Music",
      "DataModel": [{
        "TableName": "music",
        "KeyAttributes": {"PartitionKey": {"AttributeName": "pk", "AttributeType": "S"}, "SortKey": {"AttributeName": "sk", "AttributeType": "S"}},
        "NonKeyAttributes": [{"AttributeName": "title", "AttributeType": "S"}, {"AttributeName": "plays", "AttributeType": "N"}, {"AttributeName": "GSI1PK", "AttributeType": "S"}],
        "TableFacets": [
          {"FacetName": "Songs", "KeyAttributeAlias": {"PartitionKeyAlias": "SONG#<songId>", "SortKeyAlias": "METADATA"}, "NonKeyAttributes": ["title", "plays", "GSI1PK"], "TableData": [{}, {}]},
          {"KeyAttributeAlias": {}}
        ],
        "GlobalSecondaryIndexes": [{"IndexName": "GSI1", "KeyAttributes": {"PartitionKey": {"AttributeName": "GSI1PK", "AttributeType": "S"}}, "Projection": {"ProjectionType": "ALL"}}],
        "BillingMode": "PROVISIONED"
      }]
    }"#;
    let imported = import::workbench(model);
    let mut out = Design::to_json(&imported.design);
    for f in imported
        .findings
        .iter()
        .chain(&schemaplay_core::validate(&imported.design))
    {
        out.push_str(&format!("{} [{}] {f}\n", f.severity, f.id));
    }
    expect![[r#"
        {
          "formatVersion": 2,
          "name": "Music",
          "entities": [
            {
              "name": "Song",
              "fields": [
                {
                  "name": "title",
                  "type": "string"
                },
                {
                  "name": "plays",
                  "type": "double"
                },
                {
                  "name": "songId",
                  "type": "string",
                  "required": true
                }
              ],
              "volume": 2
            }
          ],
          "relationships": [],
          "accessPatterns": [],
          "mongo": {},
          "dynamo": {
            "tableName": "music",
            "partitionKey": "pk",
            "sortKey": "sk",
            "keyTemplates": {
              "Song": {
                "pk": "SONG#<songId>",
                "sk": "METADATA"
              }
            },
            "indexes": [
              {
                "name": "GSI1",
                "partitionKey": "GSI1PK"
              }
            ],
            "billingMode": "provisioned"
          }
        }
        warning [workbench-model] DataModel[0].TableFacets[1]: a facet without a name is skipped
        info [workbench-model] a Workbench model has no relationships or access patterns: add them to see the derived layouts
    "#]].assert_eq(&out);
}

#[test]
fn a_workbench_model_that_is_not_json_names_the_place_once() {
    let imported = import::workbench("{\"ModelName\": ");
    let findings: Vec<String> = imported.findings.iter().map(|f| f.to_string()).collect();
    expect![[r#"["invalid JSON at line 1, column 14: EOF while parsing a value"]"#]]
        .assert_eq(&format!("{findings:?}"));
}
