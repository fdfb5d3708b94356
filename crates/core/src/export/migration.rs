//! The migration plan of a design imported from SQL: how the rows of each
//! table get into the derived MongoDB and DynamoDB layouts, and how to switch
//! over safely.
//!
//! Read from the design's [`SqlSource`] (so it works on a saved or shared
//! design) and both derived layouts: per table its targets (collection or
//! item type, key templates); per target a backfill `SELECT` whose columns are
//! aliased to the design's field names, with the `LEFT JOIN` that embeds
//! children, and the mongosh `insertMany` / SDK `BatchWriteItem` code that
//! loads its rows in batches within the databases' limits; the
//! change-data-capture step; verification queries; cutover and rollback.
//! [`records`], [`documents`] and [`items`] turn a backfill's rows into what
//! the loading code writes, as the layouts' own sample data is made.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::dynamo::{self, DynamoContext, DynamoLayout};
use crate::model::relations::{embedded_field, pair_id_fields};
use crate::model::*;
use crate::mongo::{self, MongoContext, MongoLayout};
use crate::names;
use crate::sample::{parse_iso, Args, Val};

/// DynamoDB's BatchWriteItem takes at most 25 put or delete requests.
pub const BATCH_WRITE_ITEMS: u64 = 25;
/// The most documents one insertMany batch holds (MongoDB's maxWriteBatchSize).
pub const INSERT_MANY_DOCUMENTS: u64 = 100_000;
/// The most bytes one insertMany batch holds: a BSON document's limit, 16 MiB.
pub const INSERT_MANY_BYTES: u64 = 16 * 1024 * 1024;
/// How far apart the column of a child row and its field are in a backfill's aliases:
/// `orderItems__lineNo` is the `lineNo` of an element of `orderItems`.
pub const EMBED_SEPARATOR: &str = "__";

/// The whole plan.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MigrationPlan {
    pub design: String,
    pub dialect: String,
    /// Each table and what it becomes.
    pub tables: Vec<TablePlan>,
    /// Each load: a SELECT and the code that writes its rows.
    pub loads: Vec<Load>,
    pub sync: Sync,
    pub verification: Vec<Check>,
    pub cutover: Vec<String>,
    pub rollback: Vec<String>,
    /// What the plan could not cover, and why.
    pub notes: Vec<String>,
    /// The JavaScript every MongoDB load's code uses (grouping rows into records).
    pub mongosh_helpers: String,
    /// The JavaScript every DynamoDB load's code uses (the client, batched writes with retries).
    pub sdk_helpers: String,
}

/// One source table and its targets.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TablePlan {
    pub table: String,
    pub rows: u64,
    /// The entity or many-to-many relationship the rows became.
    pub becomes: String,
    /// The collection, or `orders.orderItems` when embedded.
    pub mongo: String,
    /// The item type's keys: `ORDER#<orderId> / LINE#<lineNo>`, and where they live.
    pub dynamo: String,
    /// Secondary index keys the items carry (`GSI1: USER#<userId> / <createdAt>`).
    pub index_keys: Vec<String>,
}

/// Which database a load writes.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Target {
    Mongodb,
    Dynamodb,
}

/// One backfill: a SELECT and the code that loads its rows.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Load {
    pub target: Target,
    /// The collection or item type written.
    pub name: String,
    /// The entity whose records the rows are; none for a many-to-many link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// The many-to-many relationship (its position in the design) whose link items it writes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship: Option<usize>,
    /// Rows aliased to field names; children embedded by a LEFT JOIN come as
    /// `<path>__<field>` and as many rows as the parent has children.
    pub select: String,
    /// The entity's fields whose values make one record; rows in a run with
    /// the same values are one record (the SELECT orders by them).
    pub group_by: Vec<String>,
    /// Children embedded by the SELECT's joins.
    pub embeds: Vec<Embed>,
    pub rows: u64,
    /// Records per write: 25 for BatchWriteItem, for insertMany as many as
    /// fit in 16 MiB (at most 100,000).
    pub batch_size: u64,
    pub batches: u64,
    /// mongosh or AWS SDK v3 (lib-dynamodb) code that writes the rows.
    pub code: String,
}

/// Children a load embeds: rows of `entity` joined in, stored under `path`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Embed {
    pub path: String,
    pub entity: String,
    /// The child's fields, in the order the SELECT lists them.
    pub fields: Vec<String>,
    /// A child row whose first field is NULL is no child (the LEFT JOIN found none).
    pub key: String,
}

/// How writes made during the backfill reach the new database.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Sync {
    /// `change-data-capture` or `dual-write`.
    pub method: String,
    pub why: String,
    pub steps: Vec<String>,
}

/// A verification: the SQL and the new database's query that must agree.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub what: String,
    pub sql: String,
    pub mongosh: String,
    pub dynamodb: String,
}

/// The plan of a design; a design that was not imported from SQL gets a
/// plan that says so and nothing else.
pub fn plan(design: &Design) -> MigrationPlan {
    let mut plan = MigrationPlan {
        design: design.name.clone(),
        dialect: String::new(),
        tables: Vec::new(),
        loads: Vec::new(),
        sync: Sync {
            method: String::new(),
            why: String::new(),
            steps: Vec::new(),
        },
        verification: Vec::new(),
        cutover: Vec::new(),
        rollback: Vec::new(),
        notes: Vec::new(),
        mongosh_helpers: String::new(),
        sdk_helpers: String::new(),
    };
    let Some(source) = &design.sql_source else {
        plan.notes.push("this design was not imported from SQL: a migration plan needs the tables and columns each entity and field came from (import the schema with `schemaplay import --from sql`)".to_string());
        return plan;
    };
    plan.dialect = source.dialect.clone();
    let mongo_layout = mongo::layout(design);
    let dynamo_layout = dynamo::layout(design);
    let q = Quoter::new(&source.dialect);
    for table in &source.tables {
        plan.tables
            .push(table_plan(design, table, &mongo_layout, &dynamo_layout));
    }
    for collection in &mongo_layout.collections {
        match mongo_load(design, source, collection, &mongo_layout, &q) {
            Ok(load) => plan.loads.push(load),
            Err(note) => plan.notes.push(note),
        }
    }
    for keys in &dynamo_layout.entities {
        if keys.attribute.is_some() {
            continue;
        }
        match dynamo_load(design, source, keys, &dynamo_layout, &q) {
            Ok(Some(load)) => plan.loads.push(load),
            Ok(None) => {}
            Err(note) => plan.notes.push(note),
        }
    }
    plan.sync = sync(source);
    plan.verification = checks(design, source, &mongo_layout, &dynamo_layout, &q);
    plan.cutover = cutover();
    plan.rollback = rollback();
    plan.mongosh_helpers = GROUP_JS.to_string();
    plan.sdk_helpers = format!(
        "{SDK_JS}const TABLE = '{}';\n{GROUP_JS}",
        dynamo_layout.table_name
    );
    plan
}

/// Quotes identifiers as the source dialect does.
struct Quoter {
    open: char,
    close: char,
}

impl Quoter {
    fn new(dialect: &str) -> Self {
        if dialect == "mysql" {
            Quoter {
                open: '`',
                close: '`',
            }
        } else {
            Quoter {
                open: '"',
                close: '"',
            }
        }
    }

    fn id(&self, name: &str) -> String {
        let doubled: String = name
            .chars()
            .flat_map(|c| if c == self.close { vec![c, c] } else { vec![c] })
            .collect();
        format!("{}{doubled}{}", self.open, self.close)
    }

    /// `public.orders` → `"public"."orders"`.
    fn table(&self, name: &str) -> String {
        name.split('.')
            .map(|p| self.id(p))
            .collect::<Vec<_>>()
            .join(".")
    }
}

fn table_plan(
    design: &Design,
    table: &SqlTable,
    mongo_layout: &MongoLayout,
    dynamo_layout: &DynamoLayout,
) -> TablePlan {
    if let Some(link) = &table.link {
        let rel = design.relationships.iter().find(|r| {
            r.cardinality == Cardinality::ManyToMany && r.from == link.from && r.to == link.to
        });
        let name = rel.map(dynamo::link_name).unwrap_or_default();
        let keys = dynamo_layout.entities.iter().find(|k| k.entity == name);
        return TablePlan {
            table: table.table.clone(),
            rows: table.rows,
            becomes: format!("{} ⋈ {} (many-to-many)", link.from, link.to),
            mongo: format!(
                "{} ids in each {} document, and the reverse in {}",
                names::words(&link.to),
                names::words(&link.from),
                names::collection_name(&link.to)
            ),
            dynamo: keys
                .map(|k| format!("{name} link items {} / {}", k.pk, k.sk))
                .unwrap_or_default(),
            index_keys: keys.map(index_key_texts).unwrap_or_default(),
        };
    }
    let entity = table.entity.clone().unwrap_or_default();
    let mongo = mongo_layout
        .collections
        .iter()
        .find(|c| c.entity == entity)
        .map(|c| c.name.clone())
        .or_else(|| {
            mongo_layout
                .decisions
                .iter()
                .find(|d| d.to == entity && d.embed)
                .map(|d| format!("embedded in {}", d.path))
        })
        .unwrap_or_default();
    let keys = dynamo_layout.entities.iter().find(|k| k.entity == entity);
    let dynamo = match keys {
        Some(k) => match (&k.attribute, &k.collection_of) {
            (Some(attr), Some(parent)) => {
                format!("in each {} item's {attr} attribute", names::words(parent))
            }
            (None, Some(parent)) => format!(
                "{} / {} in each {}'s item collection",
                k.pk,
                k.sk,
                names::words(parent)
            ),
            _ => format!("{} / {}", k.pk, k.sk),
        },
        None => String::new(),
    };
    TablePlan {
        table: table.table.clone(),
        rows: table.rows,
        becomes: entity,
        mongo,
        dynamo,
        index_keys: keys.map(index_key_texts).unwrap_or_default(),
    }
}

fn index_key_texts(keys: &dynamo::EntityKeys) -> Vec<String> {
    keys.index_keys
        .iter()
        .map(|i| match &i.sk {
            Some(sk) => format!("{}: {} / {sk}", i.index, i.pk),
            None => format!("{}: {}", i.index, i.pk),
        })
        .collect()
}

/// `"t"."col" AS "field"` for each column with a field, of `alias`.
fn select_list(table: &SqlTable, alias: &str, prefix: &str, q: &Quoter) -> Vec<String> {
    table
        .columns
        .iter()
        .filter_map(|c| {
            let field = c.field.as_ref()?;
            Some(format!(
                "{alias}.{} AS {}",
                q.id(&c.column),
                q.id(&format!("{prefix}{field}"))
            ))
        })
        .collect()
}

fn fields_of(table: &SqlTable) -> Vec<String> {
    table
        .columns
        .iter()
        .filter_map(|c| c.field.clone())
        .collect()
}

/// The columns that identify a row: the primary key's, else every column.
fn key_fields(table: &SqlTable) -> Vec<String> {
    let key: Vec<String> = table
        .primary_key
        .iter()
        .filter_map(|c| {
            table
                .columns
                .iter()
                .find(|col| &col.column == c)?
                .field
                .clone()
        })
        .collect();
    if key.is_empty() {
        fields_of(table)
    } else {
        key
    }
}

/// The join of a child embedded in `parent`: the child's table, its
/// reference column and the parent's id column.
struct Join<'a> {
    child: &'a SqlTable,
    child_column: String,
    parent_column: String,
    path: String,
    entity: String,
}

fn embed_join<'a>(
    design: &Design,
    source: &'a SqlSource,
    parent_table: &SqlTable,
    rel: &Relationship,
) -> Result<Join<'a>, String> {
    let child = source.table_of(&rel.to).ok_or_else(|| {
        format!(
            "{} is embedded in {} but was not imported from a table: load it by hand",
            rel.to, rel.from
        )
    })?;
    let reference = rel.field.clone().unwrap_or_default();
    let child_column = child.column_of(&reference).ok_or_else(|| {
        format!(
            "{} is embedded in {}, but no column of {} holds its {}: load it by hand",
            rel.to, rel.from, child.table, reference
        )
    })?;
    let parent_id = design
        .entity(&rel.from)
        .map(Entity::id_name)
        .unwrap_or_default();
    let parent_column = parent_table.column_of(&parent_id).ok_or_else(|| {
        format!(
            "{} is embedded in {}, whose id {parent_id} is no column of {}: load it by hand",
            rel.to, rel.from, parent_table.table
        )
    })?;
    Ok(Join {
        child,
        child_column: child_column.to_string(),
        parent_column: parent_column.to_string(),
        path: embedded_field(design, rel),
        entity: rel.to.clone(),
    })
}

/// The SELECT of an entity's rows with the children embedded in its records.
fn select_with_joins(
    table: &SqlTable,
    joins: &[Join],
    group_by: &[String],
    q: &Quoter,
) -> (String, Vec<Embed>) {
    let mut columns = select_list(table, "p", "", q);
    let mut from = format!("FROM {} p", q.table(&table.table));
    let mut embeds = Vec::new();
    let mut order: Vec<String> = group_by
        .iter()
        .filter_map(|f| table.column_of(f))
        .map(|c| format!("p.{}", q.id(c)))
        .collect();
    for (i, j) in joins.iter().enumerate() {
        let alias = format!("c{}", i + 1);
        let prefix = format!("{}{EMBED_SEPARATOR}", j.path);
        columns.extend(select_list(j.child, &alias, &prefix, q));
        from.push_str(&format!(
            "\n  LEFT JOIN {} {alias} ON {alias}.{} = p.{}",
            q.table(&j.child.table),
            q.id(&j.child_column),
            q.id(&j.parent_column)
        ));
        let child_key = key_fields(j.child);
        order.extend(
            child_key
                .iter()
                .filter_map(|f| j.child.column_of(f))
                .map(|c| format!("{alias}.{}", q.id(c))),
        );
        embeds.push(Embed {
            path: j.path.clone(),
            entity: j.entity.clone(),
            fields: fields_of(j.child),
            key: child_key.first().cloned().unwrap_or_default(),
        });
    }
    let select = format!(
        "SELECT {}\n{from}\nORDER BY {};",
        columns.join(",\n       "),
        order.join(", ")
    );
    (select, embeds)
}

fn mongo_load(
    design: &Design,
    source: &SqlSource,
    collection: &mongo::Collection,
    layout: &MongoLayout,
    q: &Quoter,
) -> Result<Load, String> {
    let table = source.table_of(&collection.entity).ok_or_else(|| {
        format!(
            "{} ({}) was not imported from a table: load it by hand",
            collection.name, collection.entity
        )
    })?;
    let mut joins = Vec::new();
    for d in layout
        .decisions
        .iter()
        .filter(|d| d.embed && d.from == collection.entity)
    {
        let Some(rel) = design.relationships.get(d.relationship) else {
            continue;
        };
        if rel.cardinality == Cardinality::ManyToMany {
            return Err(format!(
                "{}: embedding both sides of a many-to-many relationship is not planned; load it by hand",
                collection.name
            ));
        }
        joins.push(embed_join(design, source, table, rel)?);
    }
    let group_by = key_fields(table);
    let (select, embeds) = select_with_joins(table, &joins, &group_by, q);
    let per_document = collection.average_document_bytes.max(1);
    let batch_size = (INSERT_MANY_BYTES / per_document).clamp(1, INSERT_MANY_DOCUMENTS);
    let rows = table.rows;
    let code = mongosh_code(design, collection, &embeds, batch_size);
    Ok(Load {
        target: Target::Mongodb,
        name: collection.name.clone(),
        entity: Some(collection.entity.clone()),
        relationship: None,
        select,
        group_by,
        embeds,
        rows,
        batch_size,
        batches: rows.div_ceil(batch_size),
        code,
    })
}

fn dynamo_load(
    design: &Design,
    source: &SqlSource,
    keys: &dynamo::EntityKeys,
    layout: &DynamoLayout,
    q: &Quoter,
) -> Result<Option<Load>, String> {
    if let Some((index, rel)) = design.relationships.iter().enumerate().find(|(_, r)| {
        r.cardinality == Cardinality::ManyToMany && dynamo::link_name(r) == keys.entity
    }) {
        let Some(table) = source.tables.iter().find(|t| {
            t.link
                .as_ref()
                .is_some_and(|l| l.from == rel.from && l.to == rel.to)
        }) else {
            return Err(format!(
                "the {} link items have no join table to read: load them by hand",
                keys.entity
            ));
        };
        let Some(link) = &table.link else {
            return Ok(None);
        };
        let (from_id, to_id) = pair_id_fields(rel);
        let select = format!(
            "SELECT l.{} AS {}, l.{} AS {}\nFROM {} l\nORDER BY l.{}, l.{};",
            q.id(&link.from_column),
            q.id(&from_id),
            q.id(&link.to_column),
            q.id(&to_id),
            q.table(&table.table),
            q.id(&link.from_column),
            q.id(&link.to_column)
        );
        let pair = [from_id.clone(), to_id.clone()];
        let code = sdk_code(design, keys, layout, &pair, &pair, &[]);
        return Ok(Some(Load {
            target: Target::Dynamodb,
            name: keys.entity.clone(),
            entity: None,
            relationship: Some(index),
            select,
            group_by: vec![from_id, to_id],
            embeds: Vec::new(),
            rows: table.rows,
            batch_size: BATCH_WRITE_ITEMS,
            batches: table.rows.div_ceil(BATCH_WRITE_ITEMS),
            code,
        }));
    }
    let Some(table) = source.table_of(&keys.entity) else {
        return Err(format!(
            "{} was not imported from a table: load its items by hand",
            keys.entity
        ));
    };
    let mut joins = Vec::new();
    for other in layout.entities.iter().filter(|k| {
        k.attribute.is_some() && k.collection_of.as_deref() == Some(keys.entity.as_str())
    }) {
        let Some(rel) = design
            .relationships
            .iter()
            .find(|r| r.from == keys.entity && r.to == other.entity)
        else {
            continue;
        };
        joins.push(embed_join(design, source, table, rel)?);
    }
    let group_by = key_fields(table);
    let (select, embeds) = select_with_joins(table, &joins, &group_by, q);
    let code = sdk_code(design, keys, layout, &fields_of(table), &group_by, &embeds);
    Ok(Some(Load {
        target: Target::Dynamodb,
        name: keys.entity.clone(),
        entity: Some(keys.entity.clone()),
        relationship: None,
        select,
        group_by,
        embeds,
        rows: table.rows,
        batch_size: BATCH_WRITE_ITEMS,
        batches: table.rows.div_ceil(BATCH_WRITE_ITEMS),
        code,
    }))
}

/// A JavaScript expression converting a row's value to the field's type.
fn js_value(ty: &FieldType, expr: &str) -> String {
    match ty {
        FieldType::Date => format!("{expr} == null ? undefined : new Date({expr})"),
        FieldType::Decimal => {
            format!("{expr} == null ? undefined : Decimal128.fromString(String({expr}))")
        }
        FieldType::Bool => format!("{expr} == null ? undefined : Boolean({expr})"),
        _ => format!("{expr} ?? undefined"),
    }
}

/// The JavaScript that groups the rows of a SELECT with joins into records.
const GROUP_JS: &str = "// Rows come ordered by the record's key: a run of rows with the same key is one record,
// each row adding one child of every LEFT JOIN (the same child repeats when there are several joins).
function* records(rows, key, embeds) {
  let current = null;
  let currentKey;
  for (const row of rows) {
    const k = JSON.stringify(key.map((f) => row[f]));
    if (current === null || k !== currentKey) {
      if (current !== null) yield current;
      current = { row, children: Object.fromEntries(embeds.map((e) => [e.path, new Map()])) };
      currentKey = k;
    }
    for (const e of embeds) {
      if (row[`${e.path}__${e.key}`] == null) continue;
      const child = Object.fromEntries(e.fields.map((f) => [f, row[`${e.path}__${f}`]]));
      current.children[e.path].set(JSON.stringify(child), child);
    }
  }
  if (current !== null) yield current;
}
";

fn embeds_js(embeds: &[Embed]) -> String {
    let items: Vec<String> = embeds
        .iter()
        .map(|e| {
            format!(
                "{{ path: '{}', key: '{}', fields: [{}] }}",
                e.path,
                e.key,
                e.fields
                    .iter()
                    .map(|f| format!("'{f}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn mongosh_code(
    design: &Design,
    collection: &mongo::Collection,
    embeds: &[Embed],
    batch_size: u64,
) -> String {
    let Some(entity) = design.entity(&collection.entity) else {
        return String::new();
    };
    let id_field = collection.id_field.clone();
    let mut fields = Vec::new();
    for f in &entity.fields {
        let name = if Some(&f.name) == id_field.as_ref() {
            "_id".to_string()
        } else {
            crate::js::js_key(&f.name)
        };
        fields.push(format!(
            "    {name}: {},",
            js_value(&f.ty, &format!("r.row.{}", f.name))
        ));
    }
    for e in embeds {
        let child = design.entity(&e.entity);
        let conv: Vec<String> = e
            .fields
            .iter()
            .map(|f| {
                let ty = child
                    .and_then(|c| c.field(f))
                    .map(|x| x.ty.clone())
                    .unwrap_or(FieldType::String);
                format!(
                    "{}: {}",
                    crate::js::js_key(f),
                    js_value(&ty, &format!("c.{f}"))
                )
            })
            .collect();
        fields.push(format!(
            "    {}: [...r.children['{}'].values()].map((c) => ({{ {} }})),",
            crate::js::js_key(&e.path),
            e.path,
            conv.join(", ")
        ));
    }
    let key: Vec<String> = key_fields_of(design, entity)
        .iter()
        .map(|f| format!("'{f}'"))
        .collect();
    let identity = crate::model::relations::key_identity(design, entity);
    let unique = match identity.as_slice() {
        [] => String::new(),
        parts => {
            let parts: Vec<String> = parts.iter().map(|p| format!("{}: 1", p.field)).collect();
            format!(
                "// The composite primary key stays unique:\ndb.{}.createIndex({{ {} }}, {{ unique: true }});\n",
                collection.name,
                parts.join(", ")
            )
        }
    };
    format!(
        "// `rows`: the SELECT's result, read through a cursor of your SQL driver.
const BATCH = {batch_size}; // insertMany: at most 100,000 documents and 16 MiB a batch; these average {} bytes
let batch = [];
for (const r of records(rows, [{}], {})) {{
  batch.push({{
{}
  }});
  if (batch.length === BATCH) {{
    db.{}.insertMany(batch, {{ ordered: false }});
    batch = [];
  }}
}}
if (batch.length > 0) db.{}.insertMany(batch, {{ ordered: false }});
{unique}",
        collection.average_document_bytes,
        key.join(", "),
        embeds_js(embeds),
        fields.join("\n"),
        collection.name,
        collection.name
    )
}

/// The fields of an entity's key template, in order.
fn template_fields(design: &Design, entity: &str) -> Vec<String> {
    let Some(t) = design.dynamo.key_templates.get(entity) else {
        return Vec::new();
    };
    [&t.pk, &t.sk]
        .iter()
        .flat_map(|text| {
            text.split('<')
                .skip(1)
                .filter_map(|p| p.split('>').next())
                .map(|p| p.split('|').next().unwrap_or(p).to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn key_fields_of(design: &Design, entity: &Entity) -> Vec<String> {
    match entity.id_field() {
        Some(f) => vec![f.name.clone()],
        None => {
            let t = template_fields(design, &entity.name);
            if t.is_empty() {
                entity.fields.iter().map(|f| f.name.clone()).collect()
            } else {
                t
            }
        }
    }
}

/// A key template as a JavaScript template literal over `r.row`: numbers go
/// through `key()`, which writes them as the layout does (zero-padded, so
/// text order is number order).
fn js_template(design: &Design, entity: &str, template: &str) -> String {
    let ty = |f: &str| {
        let ty = design.entity(entity)?.field_path(f)?.ty.clone();
        Some(match ty {
            FieldType::Ref(target) => design
                .entity(&target)
                .and_then(Entity::id_field)
                .map_or(FieldType::String, |id| id.ty.clone()),
            other => other,
        })
    };
    let mut out = String::from("`");
    let mut rest = template;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start].replace('`', "\\`").replace("${", "\\${"));
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &after[..end];
        let (field, lower) = match inner.split_once('|') {
            Some((f, m)) => (f, m == "lower"),
            None => (inner, false),
        };
        let value = format!("r.row.{field}");
        let expr = match ty(field) {
            Some(FieldType::Date) => format!("new Date({value}).toISOString()"),
            Some(t) if t.is_numeric() => format!("key({value})"),
            _ => format!("String({value})"),
        };
        out.push_str(&format!(
            "${{{expr}{}}}",
            if lower { ".toLowerCase()" } else { "" }
        ));
        rest = &after[end + 1..];
    }
    out.push_str(&rest.replace('`', "\\`"));
    out.push('`');
    out
}

const SDK_JS: &str = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
// A number inside a key: the integer part zero-padded to 19 digits, so text order is number order.
const key = (n) => (Number(n) < 0 ? String(n) : String(n).replace(/^(\\d+)/, (d) => d.padStart(19, '0')));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// BatchWriteItem takes 25 puts at most; what it leaves unprocessed is sent again, with backoff.
async function writeAll(items) {
  for (let i = 0; i < items.length; i += 25) {
    let request = { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
    for (let attempt = 0; Object.keys(request).length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(20_000, 50 * 2 ** attempt));
      const out = await client.send(new BatchWriteCommand({ RequestItems: request }));
      request = out.UnprocessedItems ?? {};
    }
  }
}
";

fn sdk_code(
    design: &Design,
    keys: &dynamo::EntityKeys,
    layout: &DynamoLayout,
    fields: &[String],
    group_by: &[String],
    embeds: &[Embed],
) -> String {
    let entity = keys.entity.as_str();
    let mut attrs = vec![
        format!(
            "    {}: {},",
            crate::js::js_key(&layout.partition_key),
            js_template(design, entity, &keys.pk)
        ),
        format!(
            "    {}: {},",
            crate::js::js_key(&layout.sort_key),
            js_template(design, entity, &keys.sk)
        ),
    ];
    for i in &keys.index_keys {
        if let Some(index) = layout.indexes.iter().find(|x| x.name == i.index) {
            if !index.declared && index.partition_key != i.pk {
                attrs.push(format!(
                    "    {}: {},",
                    crate::js::js_key(&index.partition_key),
                    js_template(design, entity, &i.pk)
                ));
            }
            if let (Some(sk_attr), Some(sk)) = (&index.sort_key, &i.sk) {
                if !index.declared && sk_attr != sk {
                    attrs.push(format!(
                        "    {}: {},",
                        crate::js::js_key(sk_attr),
                        js_template(design, entity, sk)
                    ));
                }
            }
        }
    }
    attrs.push(format!("    entityType: '{entity}',"));
    let typed = |f: &str| {
        design
            .entity(entity)
            .and_then(|e| e.field(f))
            .map(|x| x.ty.clone())
    };
    for f in fields {
        let expr = match typed(f) {
            Some(FieldType::Date) => {
                format!("r.row.{f} == null ? undefined : new Date(r.row.{f}).toISOString()")
            }
            _ => format!("r.row.{f} ?? undefined"),
        };
        attrs.push(format!("    {}: {expr},", crate::js::js_key(f)));
    }
    for e in embeds {
        attrs.push(format!(
            "    {}: [...r.children['{}'].values()],",
            crate::js::js_key(&e.path),
            e.path
        ));
    }
    let key: Vec<String> = group_by.iter().map(|f| format!("'{f}'")).collect();
    format!(
        "// `rows`: the SELECT's result, read through a cursor of your SQL driver, a page at a time.
const items = [];
for (const r of records(rows, [{}], {})) {{
  items.push({{
{}
  }});
}}
await writeAll(items);
",
        key.join(", "),
        embeds_js(embeds),
        attrs.join("\n")
    )
}

fn sync(source: &SqlSource) -> Sync {
    let (tool, source_name) = match source.dialect.as_str() {
        "mysql" => ("the binary log (binlog_format=ROW), read by Debezium's MySQL connector or AWS DMS", "MySQL"),
        "postgresql" => ("logical replication (wal_level=logical, a publication of the tables), read by Debezium's PostgreSQL connector or AWS DMS", "PostgreSQL"),
        _ => ("the database's change log, read by Debezium or AWS DMS", "the SQL database"),
    };
    Sync {
        method: "change-data-capture".to_string(),
        why: format!("The application keeps writing to {source_name} alone while the backfill runs: capturing its changes from {tool} needs no change to the application, misses no write (dual writes from the application lose what fails on one side and race with the backfill), and can be replayed from a recorded position"),
        steps: vec![
            format!("Before the backfill, start capturing changes from {source_name} and note the log position."),
            "Run every backfill below; each SELECT reads one consistent snapshot (REPEATABLE READ, or the snapshot the capture tool exports).".to_string(),
            "Replay the captured changes from the noted position: an insert or update of a row rewrites its document or item as the backfill writes it (the same SELECT restricted to that row's key); a delete deletes it, and a child's change rewrites the parent document it is embedded in.".to_string(),
            "Keep replaying until the lag is seconds; the new database then follows the old one.".to_string(),
        ],
    }
}

fn checks(
    design: &Design,
    source: &SqlSource,
    mongo_layout: &MongoLayout,
    dynamo_layout: &DynamoLayout,
    q: &Quoter,
) -> Vec<Check> {
    let mut out = Vec::new();
    for table in &source.tables {
        let Some(entity) = &table.entity else {
            continue;
        };
        let mongo = match mongo_layout
            .collections
            .iter()
            .find(|c| &c.entity == entity)
        {
            Some(c) => format!("db.{}.countDocuments()", c.name),
            None => match mongo_layout
                .decisions
                .iter()
                .find(|d| d.embed && &d.to == entity)
            {
                Some(d) => {
                    let (coll, path) = d.path.split_once('.').unwrap_or((&d.path, ""));
                    format!(
                        "db.{coll}.aggregate([{{ $project: {{ n: {{ $size: {{ $ifNull: ['${path}', []] }} }} }} }}, {{ $group: {{ _id: null, n: {{ $sum: '$n' }} }} }}])"
                    )
                }
                None => String::new(),
            },
        };
        let dynamo = match dynamo_layout.entities.iter().find(|k| &k.entity == entity) {
            Some(k) if k.attribute.is_none() => format!(
                "Scan {{ TableName: '{}', Select: 'COUNT', FilterExpression: 'entityType = :t', ExpressionAttributeValues: {{ ':t': '{entity}' }} }} (sum Count over every page)",
                dynamo_layout.table_name
            ),
            Some(k) => format!(
                "Scan the {} items and sum the length of their {} attribute",
                k.collection_of.as_deref().map(names::words).unwrap_or_default(),
                k.attribute.as_deref().unwrap_or_default()
            ),
            None => String::new(),
        };
        out.push(Check {
            what: format!("{entity}: the same number of records"),
            sql: format!("SELECT COUNT(*) FROM {};", q.table(&table.table)),
            mongosh: mongo,
            dynamodb: dynamo,
        });
        let columns: Vec<String> = select_list(table, "t", "", q);
        let random = if source.dialect == "mysql" {
            "RAND()"
        } else {
            "RANDOM()"
        };
        let pattern = design
            .access_patterns
            .iter()
            .find(|p| &p.entity == entity && p.kind == PatternKind::GetOne);
        out.push(Check {
            what: format!(
                "{entity}: 100 random rows read back field by field{}",
                pattern
                    .map(|p| format!(" through \"{}\"", p.name))
                    .unwrap_or_default()
            ),
            sql: format!(
                "SELECT {} FROM {} t ORDER BY {random} LIMIT 100;",
                columns.join(", "),
                q.table(&table.table)
            ),
            mongosh: pattern
                .and_then(|p| mongo_layout.queries.iter().find(|x| x.pattern == p.name))
                .map(|x| format!("for each row: {}", x.shell))
                .unwrap_or_default(),
            dynamodb: pattern
                .and_then(|p| dynamo_layout.requests.iter().find(|x| x.pattern == p.name))
                .map(|x| format!("for each row: {} {}", x.operation, x.input))
                .unwrap_or_default(),
        });
    }
    out
}

fn cutover() -> Vec<String> {
    vec![
        "Wait until the change capture's lag is under a second and every verification above agrees.".to_string(),
        "Stop the application's writes (maintenance mode or a write freeze), let the capture drain to zero lag, and run the counts once more.".to_string(),
        "Switch the application's reads and writes to the new database (a configuration flag), and watch its errors and latency.".to_string(),
        "Keep the capture running in reverse, from the new database back to SQL (MongoDB change streams or DynamoDB Streams), until the rollback window closes.".to_string(),
    ]
}

fn rollback() -> Vec<String> {
    vec![
        "Before cutover: stop the capture and drop the new collections or table; SQL was never changed.".to_string(),
        "After cutover: stop writes, let the reverse capture drain into SQL, switch the flag back, and run the verification counts against SQL.".to_string(),
        "Keep the SQL database, unchanged apart from the reverse capture, until the rollback window (a week of normal traffic) closes.".to_string(),
    ]
}

/// A row's value as a value of the field's type; None for NULL or what does not convert.
fn value_of(design: &Design, ty: &FieldType, value: &Value) -> Option<Val> {
    Some(match (ty, value) {
        (_, Value::Null) => return None,
        (FieldType::Ref(entity), v) => {
            let id_ty = design
                .entity(entity)
                .and_then(Entity::id_field)
                .map(|f| f.ty.clone())
                .unwrap_or(FieldType::String);
            return value_of(design, &id_ty, v);
        }
        (FieldType::String, Value::String(s)) => Val::Str(s.clone()),
        (FieldType::String, v) => Val::Str(v.to_string()),
        (FieldType::Int, v) => Val::Int(integer(v)?),
        (FieldType::Long, v) => Val::Long(integer(v)?),
        (FieldType::Double, v) => Val::Double(number(v)?),
        (FieldType::Decimal, v) => Val::Decimal(format!("{:.2}", number(v)?)),
        (FieldType::Bool, Value::Bool(b)) => Val::Bool(*b),
        (FieldType::Bool, v) => Val::Bool(integer(v)? != 0),
        (FieldType::Date, Value::String(s)) => Val::Date(parse_iso(&s.replacen(' ', "T", 1))?),
        (FieldType::Date, v) => Val::Date(integer(v)?),
        (FieldType::Uuid, Value::String(s)) => Val::Uuid(s.replace('-', "").to_ascii_lowercase()),
        (FieldType::ObjectId, Value::String(s)) => Val::ObjectId(s.clone()),
        (_, Value::String(s)) => Val::Str(s.clone()),
        _ => return None,
    })
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn object_of(
    design: &Design,
    entity: &str,
    fields: &[String],
    get: &dyn Fn(&str) -> Option<Value>,
) -> Vec<(String, Val)> {
    let Some(e) = design.entity(entity) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter_map(|f| {
            let ty = &e.field(f)?.ty;
            Some((f.clone(), value_of(design, ty, &get(f)?)?))
        })
        .collect()
}

/// The records a load's rows hold: rows with the same `group_by` values in a
/// run are one record, each adding its joined children (once each).
pub fn records(design: &Design, load: &Load, rows: &[Map<String, Value>]) -> Vec<Val> {
    /// One record being gathered: its key's text, its fields, and each embed's children.
    struct Group {
        key: String,
        fields: Vec<(String, Val)>,
        children: Vec<Vec<Val>>,
    }
    let mut out: Vec<Group> = Vec::new();
    for row in rows {
        let key = serde_json::to_string(
            &load
                .group_by
                .iter()
                .map(|f| row.get(f).cloned().unwrap_or(Value::Null))
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default();
        if out.last().is_none_or(|g| g.key != key) {
            let fields: Vec<(String, Val)> = match &load.entity {
                Some(entity) => {
                    let names: Vec<String> = design
                        .entity(entity)
                        .map(|e| e.fields.iter().map(|f| f.name.clone()).collect())
                        .unwrap_or_default();
                    object_of(design, entity, &names, &|f| row.get(f).cloned())
                }
                // A link's pair of ids, typed as each side's id.
                None => load
                    .relationship
                    .and_then(|i| design.relationships.get(i))
                    .map(|rel| {
                        let (a, b) = pair_id_fields(rel);
                        [(a, &rel.from), (b, &rel.to)]
                            .into_iter()
                            .filter_map(|(f, side)| {
                                let v =
                                    value_of(design, &FieldType::Ref(side.clone()), row.get(&f)?)?;
                                Some((f, v))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            out.push(Group {
                key,
                fields,
                children: vec![Vec::new(); load.embeds.len()],
            });
        }
        let Some(group) = out.last_mut() else {
            continue;
        };
        for (e, kids) in load.embeds.iter().zip(group.children.iter_mut()) {
            let get = |f: &str| row.get(&format!("{}{EMBED_SEPARATOR}{f}", e.path)).cloned();
            if get(&e.key).is_none_or(|v| v.is_null()) {
                continue;
            }
            let child = Val::Object(object_of(design, &e.entity, &e.fields, &get));
            if !kids.contains(&child) {
                kids.push(child);
            }
        }
    }
    out.into_iter()
        .map(|mut g| {
            for (e, kids) in load.embeds.iter().zip(g.children) {
                g.fields.push((e.path.clone(), Val::Array(kids)));
            }
            Val::Object(g.fields)
        })
        .collect()
}

/// The MongoDB documents (Extended JSON) a MongoDB load writes for its rows.
pub fn documents(design: &Design, load: &Load, rows: &[Map<String, Value>]) -> Vec<Value> {
    let Some(entity) = &load.entity else {
        return Vec::new();
    };
    let ctx = MongoContext::new(design);
    let insert = AccessPattern::new("load", entity, PatternKind::Insert);
    records(design, load, rows)
        .iter()
        .filter_map(|r| ctx.query_for(&insert, Args::new(r))?.document)
        .collect()
}

/// The DynamoDB items (AttributeValue maps) a DynamoDB load writes for its
/// rows: each record's item and its unique values' markers, or a link item.
pub fn items(design: &Design, load: &Load, rows: &[Map<String, Value>]) -> Vec<Value> {
    let ctx = DynamoContext::new(design);
    let records = records(design, load, rows);
    match (&load.entity, load.relationship) {
        (Some(entity), _) => records
            .iter()
            .flat_map(|r| ctx.items_for(entity, r))
            .collect(),
        (None, Some(rel)) => records
            .iter()
            .filter_map(|r| ctx.link_item_for(rel, r))
            .collect(),
        (None, None) => Vec::new(),
    }
}

/// The plan as markdown, for people.
pub fn markdown(plan: &MigrationPlan) -> String {
    let mut out = format!("# Migration plan: {}\n\n", plan.design);
    if plan.tables.is_empty() {
        for n in &plan.notes {
            out.push_str(&format!("- {n}\n"));
        }
        return out;
    }
    out.push_str(&format!(
        "From {} to MongoDB and DynamoDB, in five steps: targets, backfill, change capture, verification, cutover (and rollback).\n\n## 1. Tables and their targets\n\n| table | rows | becomes | MongoDB | DynamoDB | index keys |\n|---|---|---|---|---|---|\n",
        match plan.dialect.as_str() {
            "postgresql" => "PostgreSQL",
            "mysql" => "MySQL",
            _ => "SQL",
        }
    ));
    for t in &plan.tables {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            t.table,
            t.rows,
            t.becomes,
            t.mongo,
            t.dynamo.replace('|', "\\|"),
            t.index_keys.join("; ").replace('|', "\\|")
        ));
    }
    out.push_str(&format!(
        "\n## 2. Backfill\n\nEach SELECT reads one consistent snapshot and names its columns by the design's fields; rows that share the key are one record, and the LEFT JOINs bring the children embedded in it. The MongoDB loads run in mongosh with this helper:\n\n```js\n{}```\n\nThe DynamoDB loads run in Node.js (AWS SDK v3) with these:\n\n```js\n{}```\n",
        plan.mongosh_helpers, plan.sdk_helpers
    ));
    for l in &plan.loads {
        let (db, lang) = match l.target {
            Target::Mongodb => ("MongoDB", "js"),
            Target::Dynamodb => ("DynamoDB", "js"),
        };
        out.push_str(&format!(
            "\n### {db}: {}\n\n{} rows, {} per batch, {} batches.\n\n```sql\n{}\n```\n\n```{lang}\n{}```\n",
            l.name, l.rows, l.batch_size, l.batches, l.select, l.code
        ));
    }
    out.push_str(&format!(
        "\n## 3. Writes during the backfill: {}\n\n{}.\n\n",
        plan.sync.method, plan.sync.why
    ));
    for (i, s) in plan.sync.steps.iter().enumerate() {
        out.push_str(&format!("{}. {s}\n", i + 1));
    }
    out.push_str("\n## 4. Verification\n\n");
    for c in &plan.verification {
        out.push_str(&format!(
            "- **{}**\n  - SQL: `{}`\n  - MongoDB: `{}`\n  - DynamoDB: `{}`\n",
            c.what, c.sql, c.mongosh, c.dynamodb
        ));
    }
    out.push_str("\n## 5. Cutover\n\n");
    for (i, s) in plan.cutover.iter().enumerate() {
        out.push_str(&format!("{}. {s}\n", i + 1));
    }
    out.push_str("\n### Rollback\n\n");
    for (i, s) in plan.rollback.iter().enumerate() {
        out.push_str(&format!("{}. {s}\n", i + 1));
    }
    if !plan.notes.is_empty() {
        out.push_str("\n## Not covered\n\n");
        for n in &plan.notes {
            out.push_str(&format!("- {n}\n"));
        }
    }
    out
}
