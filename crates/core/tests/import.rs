//! SQL and NoSQL Workbench imports.

use expect_test::{expect, expect_file, Expect, ExpectFile};
use schemaplay_core::export::{export, ExportFormat};
use schemaplay_core::import::{self, ImportFormat};
use schemaplay_core::{examples, Design};

/// Imports SQL and prints the entities, relationships, patterns and findings.
fn check_sql(sql: &str, expect: Expect) {
    expect.assert_eq(&describe_sql(&import::sql(sql)));
}

/// An imported design in short: entities with volumes and fields, key
/// templates, relationships, patterns, where each entity came from, and the
/// findings of the import and of validation.
fn describe_sql(imported: &import::Imported) -> String {
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
            "{} (id {:?}, {} rows): {}\n",
            e.name,
            e.id,
            e.volume,
            fields.join(", ")
        ));
    }
    for (entity, t) in &d.dynamo.key_templates {
        out.push_str(&format!("key {entity}: {} / {}\n", t.pk, t.sk));
    }
    for r in &d.relationships {
        out.push_str(&format!(
            "{} -> {} {:?} via {:?} about {}\n",
            r.from, r.to, r.cardinality, r.field, r.expected_count
        ));
    }
    for p in &d.access_patterns {
        out.push_str(&format!(
            "pattern {:?} {:?} on {} by {:?}{}\n",
            p.name,
            p.kind,
            p.entity,
            p.equality,
            p.sort
                .as_ref()
                .map(|s| format!(" sort {} {:?}", s.field, s.order))
                .unwrap_or_default()
        ));
    }
    if let Some(source) = &d.sql_source {
        out.push_str(&format!("source {}:\n", source.dialect));
        for t in &source.tables {
            let columns: Vec<String> = t
                .columns
                .iter()
                .map(|c| match &c.field {
                    Some(f) if f != &c.column => format!("{}→{f}", c.column),
                    _ => c.column.clone(),
                })
                .collect();
            let what = match (&t.entity, &t.link) {
                (Some(e), _) => e.clone(),
                (None, Some(l)) => {
                    format!("{}.{} ⋈ {}.{}", l.from, l.from_column, l.to, l.to_column)
                }
                (None, None) => "nothing".to_string(),
            };
            out.push_str(&format!(
                "  {} → {what}, key {:?}, {} rows: {}\n",
                t.table,
                t.primary_key,
                t.rows,
                columns.join(", ")
            ));
        }
    }
    for f in imported
        .findings
        .iter()
        .chain(&schemaplay_core::validate(d))
    {
        out.push_str(&format!("{} [{}] {f}\n", f.severity, f.id));
    }
    out
}

/// Imports a fixture of `tests/fixtures/sql/` and compares its description with the snapshot.
fn check_fixture(name: &str, options: &import::SqlOptions, expect: ExpectFile) {
    let path = format!("{}/tests/fixtures/sql/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    expect.assert_eq(&describe_sql(&import::sql_with(&text, options)));
}

#[test]
fn a_pg_dump_keeps_keys_indexes_foreign_keys_and_volumes() {
    check_fixture(
        "shop.pg_dump.sql",
        &import::SqlOptions::default(),
        expect_file!["fixtures/sql/shop.pg_dump.txt"],
    );
}

#[test]
fn a_mysqldump_keeps_keys_indexes_foreign_keys_and_volumes() {
    check_fixture(
        "shop.mysqldump.sql",
        &import::SqlOptions::default(),
        expect_file!["fixtures/sql/shop.mysqldump.txt"],
    );
}

#[test]
fn both_dumps_of_one_schema_import_to_the_same_entities_and_patterns() {
    let read = |name: &str| {
        let path = format!("{}/tests/fixtures/sql/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        import::sql(&text).design
    };
    let (pg, my) = (read("shop.pg_dump.sql"), read("shop.mysqldump.sql"));
    let names = |d: &Design| -> Vec<String> {
        d.entities
            .iter()
            .map(|e| format!("{} {:?} {}", e.name, e.id, e.volume))
            .chain(
                d.access_patterns
                    .iter()
                    .map(|p| format!("{:?}", (&p.entity, p.kind, &p.equality, &p.sort))),
            )
            .chain(d.relationships.iter().map(|r| format!("{r:?}")))
            .collect()
    };
    assert!(!pg.access_patterns.is_empty());
    let mut a = names(&pg);
    let mut b = names(&my);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(pg.dynamo.key_templates, my.dynamo.key_templates);
}

#[test]
fn volumes_from_a_file_override_the_comments() {
    let options = import::SqlOptions {
        volumes: import::volumes("# counted today\norders = 5_000\ncustomers=100\n")
            .unwrap_or_default(),
    };
    let imported = import::sql_with(
        "-- rows: 7\nCREATE TABLE customers (id INT PRIMARY KEY);\nCREATE TABLE orders (id INT PRIMARY KEY, customer_id INT REFERENCES customers(id));\nCREATE TABLE ghosts (id INT PRIMARY KEY);",
        &options,
    );
    let volumes: Vec<(String, u64)> = imported
        .design
        .entities
        .iter()
        .map(|e| (e.name.clone(), e.volume))
        .collect();
    assert_eq!(
        volumes,
        [
            ("Customer".to_string(), 100),
            ("Order".to_string(), 5000),
            ("Ghost".to_string(), 0)
        ]
    );
    assert_eq!(imported.design.relationships[0].expected_count, 50);
    let json = import::volumes("{\"orders\": 12, \"customers\": \"many\"}");
    expect![[r#"
        Err(
            [
                Finding {
                    id: "volumes",
                    severity: Error,
                    path: "customers",
                    message: "expected a whole number of rows, found \"many\"",
                },
            ],
        )
    "#]]
    .assert_debug_eq(&json);
    expect![[r#"
        Err(
            [
                Finding {
                    id: "volumes",
                    severity: Error,
                    path: "line 2",
                    message: "expected table=rows, found \"orders: 12\"",
                },
            ],
        )
    "#]]
    .assert_debug_eq(&import::volumes("customers=1\norders: 12"));
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
            User (id Some("id"), 0 rows): id: int required, email: string required unique, name: string required, balance: decimal, createdAt: date required
            Post (id Some("id"), 0 rows): id: long required, authorId: ref<User> required, title: string required, tags: array<string>
            Profile (id Some("userId"), 0 rows): userId: ref<User> required, bio: string
            User -> Post OneToMany via Some("authorId") about 0
            User -> Profile OneToOne via Some("userId") about 0
            pattern "Get user by id" GetOne on User by ["id"]
            pattern "Get user by email" GetOne on User by ["email"]
            pattern "Get post by id" GetOne on Post by ["id"]
            pattern "List posts by user" List on Post by ["authorId"]
            pattern "Get profile by userId" GetOne on Profile by ["userId"]
            source generic:
              users → User, key ["id"], 0 rows: id, email, name, balance, created_at→createdAt
              posts → Post, key ["id"], 0 rows: id, author_id→authorId, title, tags
              profiles → Profile, key ["user_id"], 0 rows: user_id→userId, bio
        "#]],
    );
}

#[test]
fn sql_errors_name_their_line_and_the_rest_is_imported() {
    check_sql(
        "CREATE TABLE a (id INT PRIMARY KEY);\nCREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a(id), x GEOMETRY);\nSELEC * FROM a;\nINSERT INTO a VALUES (1);\nCREATE TABLE tags_posts (tag_id INT REFERENCES a(id), post_id INT REFERENCES b(id), PRIMARY KEY (tag_id, post_id));\nCREATE TABLE c (x INT);",
        expect![[r#"
            A (id Some("id"), 0 rows): id: int required
            B (id Some("id"), 0 rows): id: int required, aId: ref<A>, x: string
            C (id None, 0 rows): x: int
            A -> B OneToMany via Some("aId") about 0
            A -> B ManyToMany via None about 0
            pattern "Get a by id" GetOne on A by ["id"]
            pattern "Get b by id" GetOne on B by ["id"]
            pattern "List bs by a" List on B by ["aId"]
            source generic:
              a → A, key ["id"], 0 rows: id
              b → B, key ["id"], 0 rows: id, a_id→aId, x
              tags_posts → A.tag_id ⋈ B.post_id, key ["tag_id", "post_id"], 0 rows: tag_id, post_id
              c → C, key [], 0 rows: x
            warning [sql-type] line 2: b.x: type GEOMETRY is not known, imported as string
            error [sql-syntax] line 3: sql parser error: Expected: an SQL statement, found: SELEC at Line: 3, Column: 1; this statement is skipped
            info [sql-skipped] line 4: INSERT INTO a ...: data is not imported: the migration plan's backfill copies it; skipped
            info [sql-join-table] line 5: tags_posts only links two tables: imported as a many-to-many relationship
            warning [sql-no-primary-key] line 6: c has no primary key: items get a generated id
        "#]],
    );
}

#[test]
fn sql_indexes_and_unique_keys_become_patterns_and_cardinalities() {
    check_sql(
        r#"CREATE TABLE accounts (id UUID PRIMARY KEY, handle TEXT NOT NULL, CHECK (length(handle) > 2));
CREATE TABLE settings (account_id UUID NOT NULL UNIQUE REFERENCES accounts(id), theme TEXT);
CREATE TABLE events (id BIGINT PRIMARY KEY, account_id UUID NOT NULL, kind TEXT, at TIMESTAMP, region TEXT, shard INT,
  FOREIGN KEY (region, shard) REFERENCES shards (region, shard));
ALTER TABLE events ADD CONSTRAINT events_account FOREIGN KEY (account_id) REFERENCES accounts (id);
CREATE UNIQUE INDEX accounts_handle ON accounts (handle);
CREATE INDEX events_by_kind ON events (account_id, kind, at DESC) WHERE kind IS NOT NULL;
CREATE INDEX events_lower ON events (lower(kind));
CREATE INDEX ghosts_x ON ghosts (x);
"#,
        expect![[r#"
            Account (id Some("id"), 0 rows): id: uuid required, handle: string required unique
            Setting (id Some("accountId"), 0 rows): accountId: ref<Account> required, theme: string
            Event (id Some("id"), 0 rows): id: long required, accountId: ref<Account> required, kind: string, at: date, region: string, shard: int
            Account -> Setting OneToOne via Some("accountId") about 0
            Account -> Event OneToMany via Some("accountId") about 0
            pattern "Get account by id" GetOne on Account by ["id"]
            pattern "Get account by handle" GetOne on Account by ["handle"]
            pattern "Get setting by accountId" GetOne on Setting by ["accountId"]
            pattern "Get event by id" GetOne on Event by ["id"]
            pattern "List events by accountId and kind, newest at first" List on Event by ["accountId", "kind"] sort at Desc
            pattern "List events by account" List on Event by ["accountId"]
            source generic:
              accounts → Account, key ["id"], 0 rows: id, handle
              settings → Setting, key [], 0 rows: account_id→accountId, theme
              events → Event, key ["id"], 0 rows: id, account_id→accountId, kind, at, region, shard
            info [sql-skipped] line 1: a CHECK constraint of accounts: the application checks values in the new database; skipped
            info [sql-partial-index] line 7: index events_by_kind on events is partial (WHERE ...): imported as a pattern over every row
            warning [sql-unsupported] line 8: index events_lower of events on (lower(kind)): an expression is not a field; skipped
            warning [sql-unknown-table] line 9: CREATE INDEX on ghosts: the table is not created above; skipped
            info [sql-no-primary-key] line 2: settings has no primary key: its unique, non-null column account_id is the id
            warning [sql-composite-foreign-key] line 3: events (region, shard) references shards by a composite key: kept as plain fields, not a relationship
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
