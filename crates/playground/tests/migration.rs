//! A migration plan run for real: a schema imported from SQL, rows in SQLite, the plan's
//! backfill SELECTs run there, their rows loaded into both simulators as the plan's code
//! loads them (insertMany batches within MongoDB's limits, BatchWriteItem calls of 25 items
//! with UnprocessedItems sent again), then every read pattern of the design asked of both
//! layouts and of SQLite: they must return the same records in the same order.

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use schemaplay_core::dynamo::{self, DynamoContext};
use schemaplay_core::export::migration::{self, Load, Target};
use schemaplay_core::mongo::{self, MongoContext};
use schemaplay_core::sample::{Args, Val};
use schemaplay_core::{import, AccessPattern, Design, PatternKind, SortOrder};
use serde_json::{json, Map, Value};

const SCHEMA: &str = "
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
  status TEXT NOT NULL, total NUMERIC(10,2) NOT NULL, placed_at TIMESTAMP NOT NULL);
CREATE INDEX orders_by_customer ON orders (customer_id, placed_at DESC);
CREATE INDEX orders_by_status ON orders (status);
CREATE TABLE order_items (order_id INTEGER NOT NULL REFERENCES orders(id), line_no INTEGER NOT NULL,
  sku TEXT NOT NULL, quantity INTEGER NOT NULL, PRIMARY KEY (order_id, line_no));
";

/// Five customers, 14 orders (distinct times), one to four lines an order.
fn rows(db: &Connection) {
    let mut sql = String::new();
    for c in 1..=5 {
        sql.push_str(&format!(
            "INSERT INTO customers VALUES ({c}, 'c{c}@example.com', 'Customer {c}');\n"
        ));
    }
    for o in 1..=14 {
        let customer = [1, 1, 1, 2, 2, 3, 1, 4, 4, 4, 4, 2, 1, 3][o - 1];
        let status = ["new", "paid", "shipped"][o % 3];
        sql.push_str(&format!(
            "INSERT INTO orders VALUES ({o}, {customer}, '{status}', {}.50, '2026-0{}-{:02}T10:{:02}:00Z');\n",
            o * 7,
            1 + o % 9,
            1 + (o * 5) % 28,
            o
        ));
        for line in 1..=(1 + o % 4) {
            sql.push_str(&format!(
                "INSERT INTO order_items VALUES ({o}, {line}, 'SKU-{o}-{line}', {});\n",
                line * 2
            ));
        }
    }
    db.execute_batch(&sql)
        .unwrap_or_else(|e| panic!("rows: {e}"));
}

/// A SELECT's rows as JSON objects by column name, as a SQL driver returns them.
fn select(db: &Connection, sql: &str) -> Vec<Map<String, Value>> {
    let mut stmt = db.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    let mut rows = stmt.query([]).unwrap_or_else(|e| panic!("{sql}: {e}"));
    while let Ok(Some(row)) = rows.next() {
        let mut map = Map::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i) {
                Ok(ValueRef::Integer(n)) => json!(n),
                Ok(ValueRef::Real(f)) => json!(f),
                Ok(ValueRef::Text(t)) => json!(String::from_utf8_lossy(t)),
                _ => Value::Null,
            };
            map.insert(name.clone(), value);
        }
        out.push(map);
    }
    out
}

/// The design a user gets from the import, with the one choice an expert makes: an order's
/// lines are read with the order, and MongoDB embeds them in it.
fn design() -> Design {
    let mut design = import::sql(SCHEMA).design;
    for rel in &mut design.relationships {
        if rel.from == "Order" && rel.to == "OrderItem" {
            rel.read_together = true;
            rel.embed = Some(true);
        }
    }
    design
}

/// A value's text whatever its encoding: Extended JSON, an AttributeValue, a number.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Object(m) if m.len() == 1 => m.values().next().map(text).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// The key of each record an answer holds, as `field=value` texts.
fn keys_of(records: &[Value], fields: &[String], id_as: &str) -> Vec<String> {
    records
        .iter()
        .map(|r| {
            fields
                .iter()
                .map(|f| {
                    let v = r
                        .get(f)
                        .or_else(|| r.get(id_as))
                        .map(text)
                        .unwrap_or_default();
                    format!("{f}={v}")
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

struct Loaded {
    mongo: schemaplay_mongo::Database,
    dynamo: schemaplay_dynamo::Database,
    batches: (usize, usize),
}

/// Runs every load of the plan as its code does.
fn load(design: &Design, sqlite: &Connection, loads: &[Load]) -> Loaded {
    let mut mongo = schemaplay_mongo::Database::new();
    let mut dynamo = schemaplay_dynamo::Database::new();
    let layout = dynamo::layout(design);
    if let Err(e) = dynamo.execute("CreateTable", &layout.create_table) {
        panic!("CreateTable: {e:?}");
    }
    let mut batches = (0, 0);
    for l in loads {
        let rows = select(sqlite, &l.select);
        assert!(!rows.is_empty(), "{} read no rows:\n{}", l.name, l.select);
        match l.target {
            Target::Mongodb => {
                assert!(l.batch_size <= migration::INSERT_MANY_DOCUMENTS);
                let docs = migration::documents(design, l, &rows);
                for chunk in docs.chunks(usize::try_from(l.batch_size).unwrap_or(1)) {
                    let bytes: usize = chunk.iter().map(|d| d.to_string().len()).sum();
                    assert!(bytes as u64 <= migration::INSERT_MANY_BYTES);
                    let request =
                        json!({"op": "insertMany", "collection": l.name, "documents": chunk});
                    if let Err(e) = mongo.execute(&request) {
                        panic!("{}: {e:?}", l.name);
                    }
                    batches.0 += 1;
                }
            }
            Target::Dynamodb => {
                let items = migration::items(design, l, &rows);
                assert!(!items.is_empty(), "{} made no items", l.name);
                for chunk in items.chunks(migration::BATCH_WRITE_ITEMS as usize) {
                    let puts: Vec<Value> = chunk
                        .iter()
                        .map(|i| json!({"PutRequest": {"Item": i}}))
                        .collect();
                    let mut request = json!({ layout.table_name.clone(): puts });
                    // As the plan's writeAll: what comes back unprocessed is sent again.
                    for _ in 0..10 {
                        let out = dynamo
                            .execute("BatchWriteItem", &json!({"RequestItems": request}))
                            .unwrap_or_else(|e| panic!("{}: {e:?}", l.name));
                        batches.1 += 1;
                        request = out.get("UnprocessedItems").cloned().unwrap_or(json!({}));
                        if request.as_object().is_none_or(Map::is_empty) {
                            break;
                        }
                    }
                }
            }
        }
    }
    Loaded {
        mongo,
        dynamo,
        batches,
    }
}

/// The SQL a read pattern stands for, its key columns aliased to the entity's key fields.
fn sql_of(
    design: &Design,
    p: &AccessPattern,
    key: &[String],
    record: &Val,
    limit: Option<u64>,
) -> String {
    let source = design
        .sql_source
        .as_ref()
        .and_then(|s| s.table_of(&p.entity));
    let Some(table) = source else {
        panic!("{} has no table", p.entity);
    };
    let column = |f: &str| table.column_of(f).unwrap_or(f).to_string();
    let columns: Vec<String> = key
        .iter()
        .map(|f| format!("\"{}\" AS \"{f}\"", column(f)))
        .collect();
    let conditions: Vec<String> = p
        .equality
        .iter()
        .map(|f| {
            let v = record.get(f).map(|v| v.to_plain()).unwrap_or(Value::Null);
            let literal = match v {
                Value::String(s) => format!("'{s}'"),
                other => other.to_string(),
            };
            format!("\"{}\" = {literal}", column(f))
        })
        .collect();
    let mut order: Vec<String> = Vec::new();
    if let Some(s) = &p.sort {
        let dir = if s.order == SortOrder::Desc {
            "DESC"
        } else {
            "ASC"
        };
        order.push(format!("\"{}\" {dir}", column(&s.field)));
    }
    order.extend(key.iter().map(|f| format!("\"{}\"", column(f))));
    format!(
        "SELECT {} FROM \"{}\" WHERE {} ORDER BY {}{}",
        columns.join(", "),
        table.table,
        conditions.join(" AND "),
        order.join(", "),
        limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default()
    )
}

#[test]
fn the_backfill_loads_both_layouts_and_every_read_returns_what_sql_returns() {
    let design = design();
    let sqlite = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    sqlite
        .execute_batch(SCHEMA)
        .unwrap_or_else(|e| panic!("schema: {e}"));
    rows(&sqlite);
    let plan = migration::plan(&design);
    assert_eq!(plan.notes, Vec::<String>::new());
    let embedded = plan
        .loads
        .iter()
        .any(|l| l.target == Target::Mongodb && !l.embeds.is_empty());
    assert!(
        embedded,
        "the orders' load embeds their lines: {:#?}",
        plan.loads
    );
    let mut loaded = load(&design, &sqlite, &plan.loads);
    // 14 orders with their lines embedded, 5 customers: one batch each.
    assert_eq!(loaded.batches.0, 2);

    let mongo_ctx = MongoContext::new(&design);
    let dynamo_ctx = DynamoContext::new(&design);
    let mongo_layout = mongo::layout(&design);
    let mut compared = 0;
    for p in design
        .access_patterns
        .iter()
        .filter(|p| matches!(p.kind, PatternKind::GetOne | PatternKind::List))
    {
        let entity = design
            .entity(&p.entity)
            .unwrap_or_else(|| panic!("{}", p.entity));
        let key: Vec<String> = match entity.id_field() {
            Some(f) => vec![f.name.clone()],
            None => vec!["orderId".to_string(), "lineNo".to_string()],
        };
        let id_as = mongo_layout
            .collections
            .iter()
            .find(|c| c.entity == p.entity && c.id_field.is_some())
            .map_or("", |_| "_id");
        // Every row of the pattern's table is an argument record.
        let table = design
            .sql_source
            .as_ref()
            .and_then(|s| s.table_of(&p.entity));
        let all = select(
            &sqlite,
            &format!(
                "SELECT * FROM \"{}\"",
                table.map_or("", |t| t.table.as_str())
            ),
        );
        let source_load = Load {
            target: Target::Mongodb,
            name: String::new(),
            entity: Some(p.entity.clone()),
            relationship: None,
            select: String::new(),
            group_by: Vec::new(),
            embeds: Vec::new(),
            rows: 0,
            batch_size: 1,
            batches: 0,
            code: String::new(),
        };
        let renamed: Vec<Map<String, Value>> = all
            .iter()
            .map(|row| {
                row.iter()
                    .map(|(c, v)| {
                        let field = table
                            .and_then(|t| t.columns.iter().find(|x| &x.column == c))
                            .and_then(|x| x.field.clone());
                        (field.unwrap_or_else(|| c.clone()), v.clone())
                    })
                    .collect()
            })
            .collect();
        let mut records = Vec::new();
        for row in &renamed {
            let load = Load {
                group_by: key.clone(),
                ..source_load.clone()
            };
            records.extend(migration::records(
                &design,
                &load,
                std::slice::from_ref(row),
            ));
        }
        for record in &records {
            let q = mongo_ctx
                .query_for(p, Args::new(record))
                .unwrap_or_else(|| panic!("{}: no MongoDB query", p.name));
            let expected_sql = sql_of(&design, p, &key, record, q.limit.map(u64::from));
            let expected: Vec<String> = keys_of(
                &select(&sqlite, &expected_sql)
                    .into_iter()
                    .map(Value::Object)
                    .collect::<Vec<_>>(),
                &key,
                "",
            );
            let answer = loaded
                .mongo
                .execute(&q.request())
                .unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
            let docs: Vec<Value> = match answer {
                Value::Array(docs) => docs,
                Value::Null => Vec::new(),
                one => vec![one],
            };
            // An embedded entity comes in its host document, unwound: the element is the
            // record, and the host's _id its reference to the host.
            let docs: Vec<Value> = match mongo_ctx.placement(&p.entity) {
                Some(place) if !place.prefix.is_empty() => {
                    let reference = design
                        .relationships
                        .iter()
                        .find(|r| Some(&r.from) == place.parent.as_ref() && r.to == p.entity)
                        .and_then(|r| r.field.clone())
                        .unwrap_or_default();
                    docs.iter()
                        .map(|d| {
                            let mut child = d.get(&place.prefix).cloned().unwrap_or(Value::Null);
                            if let (Some(map), Some(host)) = (child.as_object_mut(), d.get("_id")) {
                                map.insert(reference.clone(), host.clone());
                            }
                            child
                        })
                        .collect()
                }
                _ => docs,
            };
            assert_eq!(
                keys_of(&docs, &key, id_as),
                expected,
                "MongoDB: {} for {record:?}\n{}\n{expected_sql}",
                p.name,
                q.shell
            );
            let r = dynamo_ctx
                .request_for(p, Args::new(record))
                .unwrap_or_else(|| panic!("{}: no DynamoDB request", p.name));
            let answer = loaded
                .dynamo
                .execute(&r.operation, r.input.get("input").unwrap_or(&r.input))
                .unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
            let items: Vec<Value> = match (answer.get("Item"), answer.get("Items")) {
                (Some(item), _) => vec![item.clone()],
                (None, Some(Value::Array(items))) => items.clone(),
                _ => Vec::new(),
            };
            // A getOne may read the entity's item with its children's (one Query of the
            // partition): the entity's own are the answer.
            let own = json!({ "S": p.entity });
            let items: Vec<Value> = items
                .into_iter()
                .filter(|i| i.get("entityType") == Some(&own))
                .collect();
            assert_eq!(
                keys_of(&items, &key, ""),
                expected,
                "DynamoDB: {} for {record:?}\n{}\n{expected_sql}",
                p.name,
                r.input
            );
            compared += 1;
        }
    }
    // Every customer, order and line, by each of its patterns.
    assert!(compared > 100, "only {compared} reads compared");
}
