//! Lint rules: design advice with a stable id, a severity, the place it
//! concerns and the reason, drawn from MongoDB's schema design anti-patterns
//! and the DynamoDB best-practice guides.
//!
//! | id | what |
//! |----|------|
//! | `dynamo-scan` | a pattern needs a Scan |
//! | `dynamo-hot-partition` | one key value takes more than a partition serves |
//! | `dynamo-low-cardinality-key` | an index partition key with few distinct values |
//! | `dynamo-item-size` | items near the 400 KB limit |
//! | `dynamo-too-many-indexes` | more than 20 global or 5 local indexes |
//! | `dynamo-lsi-collection-limit` | a local index caps item collections at 10 GB |
//! | `dynamo-read-before-write` | a write that must find its key first |
//! | `dynamo-projection-unknown-index` | a projection set for an index the layout does not have |
//! | `dynamo-mutable-key` | an update writes a field of the table's key: a delete and a put |
//! | `dynamo-strong-read-on-gsi` | a strongly consistent read on a global index |
//! | `dynamo-unique-attribute` | a unique attribute needs a transaction with marker items |
//! | `dynamo-empty-key-value` | a text field that is itself a key value can never be empty |
//! | `dynamo-many-to-many-order` | a many-to-many read sorted by a field the link items do not hold |
//! | `dynamo-text-sort-key` | a list sorted by text that a DynamoDB sort key orders as key text |
//! | `dynamo-read-together-apart` | children read with their parent that live in other partitions |
//! | `delete-leaves-children` | a delete that takes embedded children in one layout and keeps them (`onDelete: keep`) in the other |
//! | `delete-keeps-children` | a delete that leaves its children behind on purpose (`onDelete: keep`) |
//! | `embedded-unique-value` | a unique value of children stored inside their parent |
//! | `mongo-embedded-reparent` | an update that moves an embedded child to another parent |
//! | `dynamo-count-reads-items` | a count that reads every matching item |
//! | `mongo-unindexed-query` | a query no index serves (a collection scan) |
//! | `mongo-text-search-scope` | a `$text` query that matches more than the pattern searches |
//! | `mongo-unbounded-array` | an embedded array that grows without bound |
//! | `mongo-document-size` | documents near the 16 MB limit, or bloated |
//! | `mongo-too-many-indexes` | more indexes than writes should pay for (64 at most) |
//! | `case-insensitive-match` | a case-insensitive match needs a collation index or a lowercase copy |
//! | `relationship-not-few` | a one-to-few relationship with many children |
//! | `entity-unread` | an entity no access pattern reads |
//! | `entity-no-volume` | an entity without an expected count |
//! | `entity-unbounded-growth` | inserts with no deletes outgrow the stated volume within a month |
//! | `pattern-no-rate` | an access pattern without a request rate |
//! | `write-ambiguous` | an update or delete by fields that several records may share |
//! | `version-unkept` | an update that leaves alone the version other updates of its entity check |
//! | `single-item-transaction` | a transaction asked for a write of one item (see `lint/transactions.rs`) |
//! | `dynamo-transaction-limit` | a transaction over 100 actions or 4 MB |
//! | `transaction-not-derived` | a transaction part that reads its item before writing it |
//! | `copy-fanout`, `copy-fanout-large`, `copy-insert`, `mongo-copy-unindexed`, `dynamo-copy-scan` | denormalised copies (`lint/copies.rs`) |

use crate::cost::CostReport;
use crate::dynamo::{
    key_values, DynamoLayout, DynamoRequest, EntityKeys, MAX_GSIS, MAX_ITEM_BYTES, MAX_LSIS,
    WRITE_UNIT_BYTES,
};
use crate::model::version::{pattern_version, version_fields};
use crate::model::*;
use crate::mongo::{MongoLayout, FEW_LIMIT, MAX_DOCUMENT_BYTES, MAX_INDEXES};
use crate::names;
use crate::numbers::grouped;
use crate::scaling::Scaling;

mod copies;
mod transactions;

/// Above this rate a Scan or an unindexed query is "frequent".
pub const FREQUENT_PER_SECOND: f64 = 1.0;
/// An index partition key with fewer values than this concentrates its items.
pub const FEW_KEY_VALUES: u64 = 100;
/// More indexes than this on a collection is worth a second look.
pub const MANY_INDEXES: usize = 10;

fn pattern_path(design: &Design, name: &str) -> String {
    design
        .access_patterns
        .iter()
        .position(|p| p.name == name)
        .map(|i| format!("accessPatterns[{i}]"))
        .unwrap_or_default()
}

fn entity_path(design: &Design, name: &str) -> String {
    design
        .entities
        .iter()
        .position(|e| e.name == name)
        .map(|i| format!("entities[{i}]"))
        .unwrap_or_default()
}

/// Seconds in the average month (730 hours).
const SECONDS_PER_MONTH: f64 = 730.0 * 3600.0;

/// `13 billion`, `52 million`, `4,300`.
fn human_count(n: f64) -> String {
    if n >= 1e9 {
        format!("{:.0} billion", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.0} million", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.0} thousand", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}

/// Every lint finding of the design, given its derived layouts.
pub fn lint(
    design: &Design,
    mongo: &MongoLayout,
    dynamo: &DynamoLayout,
    cost: &CostReport,
    scaling: &Scaling,
) -> Vec<Finding> {
    let mut out = Vec::new();
    design_rules(design, &mut out);
    mongo_rules(design, mongo, &mut out);
    dynamo_rules(design, dynamo, cost, scaling, &mut out);
    both_rules(design, mongo, dynamo, &mut out);
    copies::rules(design, mongo, dynamo, &mut out);
    out
}

/// What the two layouts do differently: `delete-leaves-children`, a delete
/// of a parent that takes with it the children one layout stores inside it,
/// while the other keeps them as items or documents of their own, where the
/// design reads them on their own.
fn both_rules(design: &Design, mongo: &MongoLayout, dynamo: &DynamoLayout, out: &mut Vec<Finding>) {
    // `embedded-unique-value`: children stored inside their parent whose values must be
    // unique (a unique field, an id the client chooses): a unique index keeps values unique
    // across documents, not within one document's array, and DynamoDB puts no marker item
    // for a child written into its parent's item.
    for (i, e) in design.entities.iter().enumerate() {
        let inside: Vec<&str> = mongo
            .decisions
            .iter()
            .filter(|d| d.embed && d.to == e.name)
            .map(|_| "MongoDB")
            .chain(
                dynamo
                    .entities
                    .iter()
                    .filter(|k| k.entity == e.name && k.attribute.is_some())
                    .map(|_| "DynamoDB"),
            )
            .collect();
        if inside.is_empty() {
            continue;
        }
        let id = e.id_name();
        let mut values: Vec<&str> = e
            .fields
            .iter()
            .filter(|f| f.unique && f.name != id)
            .map(|f| f.name.as_str())
            .collect();
        if e.id_field().is_some() && !crate::model::relations::writer_made_id(e) {
            values.push(&id);
        }
        if values.is_empty() {
            continue;
        }
        out.push(Finding::warning(
            "embedded-unique-value",
            format!("entities[{i}]"),
            format!(
                "{} of {} must be unique, but {} {} them inside their parent: a unique index keeps a value unique across documents, not within one document's array, and a write into the parent's item takes no marker item; keep them in a collection (items) of their own, or let the writer make the values (ObjectIds, UUIDs)",
                values.join(", "),
                names::plural(&names::words(&e.name)),
                inside.join(" and "),
                if inside.len() > 1 { "store" } else { "stores" }
            ),
        ));
    }
    for (i, p) in design.access_patterns.iter().enumerate() {
        if p.kind != PatternKind::Delete {
            continue;
        }
        for r in design.kept_children(&p.entity) {
            let Some(rel) = design.relationships.get(r) else {
                continue;
            };
            out.push(Finding::info(
                "delete-keeps-children",
                format!("accessPatterns[{i}]"),
                format!(
                    "deleting a {} leaves its {} behind on purpose (relationships[{r}] keeps them{}): they still name the deleted {}; say onDelete \"cascade\" to delete them with it",
                    names::words(&p.entity),
                    names::plural(&names::words(&rel.to)),
                    if rel.on_delete.is_some() { "" } else { ": their reference is optional" },
                    names::words(&p.entity),
                ),
            ));
        }
        // The entities the delete removes: its own, and those its cascades reach.
        let mut deleted = vec![p.entity.clone()];
        for step in design.cascades(&p.entity) {
            deleted.extend(step.flatten().into_iter().map(|s| s.child.clone()));
        }
        for d in mongo.decisions.iter().filter(|d| deleted.contains(&d.from)) {
            // Children that go with their parent go in both layouts.
            let cascades = design
                .relationships
                .get(d.relationship)
                .is_some_and(|r| design.on_delete(r) == OnDelete::Cascade);
            if cascades {
                continue;
            }
            let in_dynamo = dynamo
                .entities
                .iter()
                .find(|e| e.entity == d.to)
                .is_some_and(|e| e.attribute.is_some());
            let read_alone = design
                .access_patterns
                .iter()
                .any(|q| q.entity == d.to && !q.kind.is_write());
            if d.embed == in_dynamo || !read_alone {
                continue;
            }
            let (inside, apart) = if d.embed {
                ("MongoDB", "DynamoDB")
            } else {
                ("DynamoDB", "MongoDB")
            };
            out.push(Finding::warning(
                "delete-leaves-children",
                format!("accessPatterns[{i}]"),
                format!(
                    "deleting a {} takes the {} {inside} stores inside {} with it, while {apart} keeps them on their own (the relationship keeps them): the layouts disagree on what the delete leaves; delete the {} with their {} in both (onDelete \"cascade\"), or store them the same way",
                    names::words(&p.entity),
                    names::plural(&names::words(&d.to)),
                    if d.from == p.entity { "it".to_string() } else { format!("each {} it deletes", names::words(&d.from)) },
                    names::plural(&names::words(&d.to)),
                    names::words(&d.from)
                ),
            ));
        }
    }
}

fn design_rules(design: &Design, out: &mut Vec<Finding>) {
    for (i, entity) in design.entities.iter().enumerate() {
        let read = design
            .access_patterns
            .iter()
            .any(|p| p.entity == entity.name && !p.kind.is_write())
            || design.relationships.iter().any(|r| {
                r.to == entity.name
                    && r.read_together
                    && design
                        .access_patterns
                        .iter()
                        .any(|p| p.entity == r.from && !p.kind.is_write())
            });
        if !read {
            out.push(Finding::warning(
                "entity-unread",
                format!("entities[{i}]"),
                format!(
                    "no access pattern reads {}: NoSQL layouts are derived from the reads, so add the ways the application reads them (or drop the entity)",
                    names::plural(&names::words(&entity.name))
                ),
            ));
        }
        out.extend(unbounded_growth(design, i, entity));
        if entity.volume == 0 {
            out.push(Finding::info(
                "entity-no-volume",
                format!("entities[{i}].volume"),
                "no expected count: sizes, partitions and costs assume a handful of items",
            ));
        }
    }
    for (i, rel) in design.relationships.iter().enumerate() {
        if rel.cardinality == Cardinality::OneToFew && rel.expected_count > FEW_LIMIT {
            out.push(Finding::warning(
                "relationship-not-few",
                format!("relationships[{i}].expectedCount"),
                format!(
                    "{} {} per {} is not \"few\" (a few is up to about {FEW_LIMIT}): call it one-to-many so it is referenced, not embedded",
                    rel.expected_count,
                    names::plural(&names::words(&rel.to)),
                    names::words(&rel.from)
                ),
            ));
        }
    }
    for (i, p) in design.access_patterns.iter().enumerate() {
        if p.requests_per_second == 0.0 {
            out.push(Finding::info(
                "pattern-no-rate",
                format!("accessPatterns[{i}].requestsPerSecond"),
                "no request rate: cost and hot-partition checks count it as never run",
            ));
        }
        if let Some(f) = ambiguous_write(design, p) {
            out.push(Finding::warning(
                "write-ambiguous",
                format!("accessPatterns[{i}].equality"),
                f,
            ));
        }
        if let Some(f) = version_unkept(design, p) {
            out.push(Finding::warning(
                "version-unkept",
                format!("accessPatterns[{i}].version"),
                f,
            ));
        }
        if p.case_insensitive {
            out.push(Finding::warning(
                "case-insensitive-match",
                format!("accessPatterns[{i}].caseInsensitive"),
                "a case-insensitive match as a regex (/^value$/i) cannot use an index efficiently: in MongoDB the query names the collation of the suggested index (strength 2); in DynamoDB the index key holds the lowercased value (<field|lower>), so the application lowercases what it looks up",
            ));
        }
    }
}

/// `version-unkept`: an update of an entity whose other updates keep a version, made without
/// it, changes the item without adding one to the version, so a versioned update that read the
/// item before goes through and overwrites the change (a lost update).
fn version_unkept(design: &Design, p: &AccessPattern) -> Option<String> {
    if p.kind != PatternKind::Update || p.version.is_some() {
        return None;
    }
    let kept = version_fields(design, &p.entity);
    let field = kept.first()?;
    let checks: Vec<String> = design
        .access_patterns
        .iter()
        .filter(|o| o.entity == p.entity && pattern_version(o) == Some(*field))
        .map(|o| format!("\"{}\"", o.name))
        .collect();
    Some(format!(
        "{} checks the {field} of a {} and this update does not add one to it: a change made here goes unnoticed, and a versioned update that read the {} before overwrites it (a lost update); keep the version here too (\"version\": \"{field}\")",
        checks.join(" and "),
        names::words(&p.entity),
        names::words(&p.entity),
    ))
}

/// `write-ambiguous`: an update or delete that binds neither the id nor a
/// unique field may match several records, and which one it writes is each
/// database's own choice (MongoDB's natural order, DynamoDB's key order after
/// the Query that finds it), so the layouts do not agree with each other.
fn ambiguous_write(design: &Design, p: &AccessPattern) -> Option<String> {
    if !matches!(p.kind, PatternKind::Update | PatternKind::Delete) {
        return None;
    }
    let entity = design.entity(&p.entity)?;
    let id = entity.id_name();
    let identifies = p
        .equality
        .iter()
        .any(|f| *f == id || f == "_id" || entity.field_path(f).is_some_and(|x| x.unique));
    if identifies {
        return None;
    }
    let what = if p.equality.is_empty() {
        "binds no field".to_string()
    } else {
        format!("goes by {}", p.equality.join(" and "))
    };
    Some(format!(
        "the {} {what}, which several {} may share: which one it {} is each database's own choice (MongoDB's natural order, DynamoDB's key order), so the layouts can disagree; bind the id or a unique field",
        if p.kind == PatternKind::Update { "update" } else { "delete" },
        names::plural(&names::words(&entity.name)),
        if p.kind == PatternKind::Update { "changes" } else { "removes" }
    ))
}

/// `entity-unbounded-growth`: inserts with no deletes outgrow the stated volume within a month.
fn unbounded_growth(design: &Design, i: usize, entity: &Entity) -> Option<Finding> {
    let inserts: f64 = design.rate_of(&entity.name, PatternKind::Insert);
    let deletes = design
        .access_patterns
        .iter()
        .any(|p| p.entity == entity.name && p.kind == PatternKind::Delete);
    let monthly = inserts * SECONDS_PER_MONTH;
    if deletes || inserts <= 0.0 || monthly < entity.volume as f64 {
        return None;
    }
    let series_note = match time_series(design, entity) {
        Some((time, meta)) => format!(
            "; it is a time series (append-only, read by {meta} over {time}): a MongoDB time-series collection (timeField {time}, metaField {meta}) stores it compactly"
        ),
        None => String::new(),
    };
    let days = if monthly > 0.0 {
        entity.volume as f64 / (monthly / 30.0)
    } else {
        0.0
    };
    Some(Finding::info(
        "entity-unbounded-growth",
        format!("entities[{i}]"),
        format!(
            "at {inserts} inserts per second and no deletes, {} grow by about {} a month, past the stated volume of {} within {:.0} day(s): plan expiry (a DynamoDB TTL attribute, a MongoDB TTL index) or archiving for data that ages, or raise the volume so sizes and costs are right{series_note}",
            names::plural(&names::words(&entity.name)),
            human_count(monthly),
            entity.volume,
            days.max(1.0)
        ),
    ))
}

/// A time series: append-only, and every read lists it by one key, ordered
/// by a date; its (time field, meta field).
fn time_series(design: &Design, entity: &Entity) -> Option<(String, String)> {
    let reads: Vec<&AccessPattern> = design
        .access_patterns
        .iter()
        .filter(|p| p.entity == entity.name && !p.kind.is_write())
        .collect();
    let append_only = !design
        .access_patterns
        .iter()
        .any(|p| p.entity == entity.name && p.kind == PatternKind::Update);
    reads
        .iter()
        .map(|p| {
            let time = p
                .sort
                .as_ref()
                .map(|s| s.field.clone())
                .or(p.range.clone())?;
            let meta = p.equality.first()?;
            let dated = entity
                .field_path(&time)
                .is_some_and(|f| f.ty == FieldType::Date);
            (p.kind == PatternKind::List && dated).then(|| (time, meta.clone()))
        })
        .collect::<Option<Vec<_>>>()
        .and_then(|all| all.into_iter().next())
        .filter(|_| append_only && !reads.is_empty())
}

fn mongo_rules(design: &Design, mongo: &MongoLayout, out: &mut Vec<Finding>) {
    // The advice on declared indexes; a pattern they leave unserved is said there, with the index to declare.
    out.extend(mongo.index_findings.iter().cloned());
    for q in &mongo.queries {
        let Some(p) = design.access_patterns.iter().find(|p| p.name == q.pattern) else {
            continue;
        };
        let path = pattern_path(design, &p.name);
        if mongo
            .index_findings
            .iter()
            .any(|f| f.id == "mongo-index-missing" && f.path == path)
        {
            continue;
        }
        let filtered = q.filter.as_object().is_some_and(|f| !f.is_empty()) || q.sort.is_some();
        if q.index.is_none() && filtered && p.kind != PatternKind::Insert {
            let documents = mongo
                .collections
                .iter()
                .find(|c| c.name == q.collection)
                .map(|c| c.documents)
                .unwrap_or(0);
            let frequent = p.requests_per_second >= FREQUENT_PER_SECOND;
            let severity = if frequent {
                Severity::Warning
            } else {
                Severity::Info
            };
            out.push(Finding::new(
                "mongo-unindexed-query",
                severity,
                pattern_path(design, &p.name),
                format!(
                    "no index serves this query on {} ({documents} documents): every run examines the whole collection{}",
                    q.collection,
                    if frequent { format!(" at {} requests per second", p.requests_per_second) } else { String::new() }
                ),
            ));
        }
    }
    for (i, p) in design.access_patterns.iter().enumerate() {
        if p.kind != PatternKind::Update {
            continue;
        }
        // `mongo-embedded-reparent`: the update sets the reference to the parent of a
        // child embedded in that parent's documents.
        let Some(entity) = design.entity(&p.entity) else {
            continue;
        };
        for d in mongo
            .decisions
            .iter()
            .filter(|d| d.embed && d.to == p.entity)
        {
            let Some(rel) = design.relationships.get(d.relationship) else {
                continue;
            };
            let declared = entity
                .fields
                .iter()
                .find(|f| f.ty == FieldType::Ref(rel.from.clone()))
                .map(|f| f.name.clone());
            let link = declared.unwrap_or_else(|| crate::model::relations::reference_field(rel));
            if p.fields.contains(&link) {
                out.push(Finding::warning(
                    "mongo-embedded-reparent",
                    format!("accessPatterns[{i}].fields"),
                    format!(
                        "the update sets {link}, which moves a {} to another {}, but MongoDB stores it inside its {}'s document: the update changes the field, not where the {} is; pull it from one document and push it into the other (or reference {})",
                        names::words(&p.entity),
                        names::words(&rel.from),
                        names::words(&rel.from),
                        names::words(&p.entity),
                        names::plural(&names::words(&p.entity))
                    ),
                ));
            }
        }
    }
    for (i, p) in design.access_patterns.iter().enumerate() {
        if let Some(why) = crate::mongo::text_search_scope(design, mongo, p) {
            out.push(Finding::warning(
                "mongo-text-search-scope",
                format!("accessPatterns[{i}]"),
                format!("{why}; a search service (Atlas Search) searches exactly what the pattern names"),
            ));
        }
    }
    for d in &mongo.decisions {
        let Some(rel) = design.relationships.get(d.relationship) else {
            continue;
        };
        let unbounded = matches!(
            rel.cardinality,
            Cardinality::OneToMany | Cardinality::ManyToMany
        ) || rel.expected_count > FEW_LIMIT;
        if d.embed && unbounded {
            out.push(Finding::warning(
                "mongo-unbounded-array",
                format!("relationships[{}]", d.relationship),
                format!(
                    "{} embedded in {} form an array that grows without bound ({}): documents grow, indexes on the array grow with them, and the 16 MB limit ends it; reference them instead, or embed only a bounded subset",
                    names::plural(&names::words(&rel.to)),
                    d.path,
                    rel.cardinality.phrase()
                ),
            ));
        }
    }
    let placements = crate::mongo::placements(design, &mongo.decisions);
    let suggested = crate::mongo::index::suggest(design, &mongo.decisions, &placements);
    for c in &mongo.collections {
        let path = entity_path(design, &c.entity);
        let max_bytes = c.average_document_bytes;
        if max_bytes > MAX_DOCUMENT_BYTES / 2 {
            let relation = if max_bytes > MAX_DOCUMENT_BYTES {
                "over MongoDB's 16 MB limit: such documents cannot be written"
            } else {
                "near MongoDB's 16 MB limit"
            };
            out.push(Finding::error(
                "mongo-document-size",
                path.clone(),
                format!(
                    "documents of {} come to about {} KB at the expected counts, {relation}; reference the largest embedded data instead",
                    c.name,
                    max_bytes / 1024
                ),
            ));
        } else if max_bytes > 1024 * 1024 {
            out.push(Finding::warning(
                "mongo-document-size",
                path.clone(),
                format!(
                    "documents of {} come to about {} KB: bloated documents crowd the working set out of memory; move rarely read parts to another collection",
                    c.name,
                    max_bytes / 1024
                ),
            ));
        }
        let wanted = suggested.iter().filter(|s| s.collection == c.name).count();
        let n = wanted + 1;
        if n > MAX_INDEXES {
            out.push(Finding::error(
                "mongo-too-many-indexes",
                path.clone(),
                format!(
                    "{} would need {n} indexes; MongoDB allows {MAX_INDEXES} per collection, so the patterns beyond them go unindexed",
                    c.name
                ),
            ));
        } else if n > MANY_INDEXES {
            out.push(Finding::warning(
                "mongo-too-many-indexes",
                path,
                format!(
                    "{} would have {n} indexes: every insert and update maintains each one; merge patterns onto shared compound indexes",
                    c.name
                ),
            ));
        }
    }
}

fn dynamo_rules(
    design: &Design,
    dynamo: &DynamoLayout,
    cost: &CostReport,
    scaling: &Scaling,
    out: &mut Vec<Finding>,
) {
    for r in &dynamo.requests {
        let Some(p) = design.access_patterns.iter().find(|p| p.name == r.pattern) else {
            continue;
        };
        request_rules(design, p, r, cost, out);
    }
    for w in &scaling.dynamo.write_sharding {
        out.push(Finding::warning(
            "dynamo-hot-partition",
            pattern_path(design, &w.pattern),
            w.advice.clone(),
        ));
    }
    for e in &dynamo.entities {
        let Some(entity) = design.entity(&e.entity) else {
            continue;
        };
        item_rules(design, entity, e, out);
    }
    for (i, p) in design.access_patterns.iter().enumerate() {
        let path = format!("accessPatterns[{i}]");
        if let Some(f) = text_sort_key(design, dynamo, p) {
            out.push(Finding::warning(
                "dynamo-text-sort-key",
                format!("{path}.sort"),
                f,
            ));
        }
        if let Some(f) = read_together_apart(design, dynamo, p) {
            out.push(Finding::warning(
                "dynamo-read-together-apart",
                path.clone(),
                f,
            ));
        }
    }
    for (i, entity) in design.entities.iter().enumerate() {
        for (field, place) in crate::model::relations::raw_key_fields(design, entity) {
            let j = entity.fields.iter().position(|f| f.name == field);
            out.push(Finding::warning(
                "dynamo-empty-key-value",
                match j {
                    Some(j) => format!("entities[{i}].fields[{j}]"),
                    None => format!("entities[{i}]"),
                },
                format!(
                    "{field} is {place} as it is: DynamoDB refuses an empty value as a key, so an item whose {field} is empty cannot be written and an empty {field} cannot be looked up; the application must reject an empty {field}, or make the key a prefixed value ({}#<{field}>), which is never empty",
                    names::key_prefix(&names::upper_first(&field))
                ),
            ));
        }
    }
    index_rules(dynamo, out);
    mutable_key_rules(design, dynamo, out);
    projection_rules(design, dynamo, out);
}

/// What one pattern's request says: a Scan, a count that reads every item,
/// a read before a write, a strong read on a global index, unique markers.
fn request_rules(
    design: &Design,
    p: &AccessPattern,
    r: &DynamoRequest,
    cost: &CostReport,
    out: &mut Vec<Finding>,
) {
    let path = pattern_path(design, &p.name);
    out.extend(transactions::single_item(p, r, &path));
    out.extend(transactions::multi_item(p, r, &path));
    out.extend(transactions::cleanup(p, r, &path));
    if r.operation == "Scan" {
        let frequent = p.requests_per_second >= FREQUENT_PER_SECOND;
        let rcu = cost
            .patterns
            .iter()
            .find(|c| c.pattern == p.name)
            .map(|c| c.read_units_per_request)
            .unwrap_or(0.0);
        let message = format!(
            "{}; each run reads about {} items ({} read units){}",
            r.flag.as_deref().unwrap_or("a Scan reads the whole table"),
            grouped(r.items),
            crate::numbers::grouped_decimal(rcu, 0),
            if frequent {
                format!(" at {} requests per second", p.requests_per_second)
            } else {
                String::new()
            }
        );
        out.push(if p.kind == PatternKind::Aggregate {
            Finding::warning("dynamo-aggregate-scan", path.clone(), message)
        } else if frequent {
            Finding::warning("dynamo-scan", path.clone(), message)
        } else {
            Finding::info("dynamo-scan", path.clone(), message)
        });
    }
    if p.kind == PatternKind::Count && r.operation == "Query" && r.items > 100 {
        out.push(Finding::info(
            "dynamo-count-reads-items",
            path.clone(),
            format!(
                "Select COUNT still reads, and bills, every matching item (about {} here): keep a counter item per key, updated with ADD in the same transaction as each insert and delete",
                grouped(r.items)
            ),
        ));
    }
    if let (Some(sort), Some(_)) = (
        &p.sort,
        crate::model::relations::many_to_many_read(design, p),
    ) {
        out.push(Finding::warning(
            "dynamo-many-to-many-order",
            format!("{path}.sort"),
            format!(
                "the link items are sorted by the other side's id, not by {}: the Query pages them in that order and the page comes back unsorted; copy {} into the link items' sort key to read them in order",
                sort.field, sort.field
            ),
        ));
    }
    if let Some(flag) = &r.flag {
        if flag.contains("read before the write") {
            out.push(Finding::info(
                "dynamo-read-before-write",
                path.clone(),
                flag.clone(),
            ));
        } else if flag.contains("eventually consistent only") {
            out.push(Finding::warning(
                "dynamo-strong-read-on-gsi",
                path.clone(),
                flag.clone(),
            ));
        } else if r.operation == "TransactWriteItems" {
            out.push(Finding::info(
                "dynamo-unique-attribute",
                path.clone(),
                flag.clone(),
            ));
        }
    }
}

/// `dynamo-text-sort-key`: a list sorted by a text field that a DynamoDB sort
/// key holds: the key orders its text, not the field's. A value continuing
/// with a character before `#` (a space) sorts after a longer value it begins
/// when more of the key follows (`Ann Smith#…` before `Ann#…`), and an empty
/// value sorts with a missing one, where MongoDB puts missing first.
fn text_sort_key(design: &Design, dynamo: &DynamoLayout, p: &AccessPattern) -> Option<String> {
    if p.kind != PatternKind::List {
        return None;
    }
    let sort = &p.sort.as_ref()?.field;
    let entity = design.entity(&p.entity)?;
    let field = entity
        .field_path(sort)
        .filter(|f| f.ty == FieldType::String)?;
    let keys = dynamo.entities.iter().find(|e| e.entity == p.entity)?;
    let placeholder = format!("<{sort}>");
    let template = std::iter::once(&keys.sk)
        .chain(keys.index_keys.iter().filter_map(|k| k.sk.as_ref()))
        .find(|t| t.contains(&placeholder))?;
    let followed = !template.ends_with(&placeholder);
    if !followed && field.required {
        return None;
    }
    let mut why = Vec::new();
    if followed {
        why.push(format!(
            "a {sort} continuing with a space (or another character before #) sorts after a longer one it begins ('Ann Smith' before 'Ann')"
        ));
    }
    if !field.required {
        why.push(format!(
            "an empty {sort} sorts with a missing one, which MongoDB puts first"
        ));
    }
    Some(format!(
        "the sort key {template} orders {sort} as the key's text, not as {sort} itself: {}; sort by a date or a number, or keep {sort} required and free of such characters",
        why.join(", and ")
    ))
}

/// `dynamo-read-together-apart`: a read of one item whose design reads
/// children together with it, where those children do not live in the
/// item's collection (their own partitions, or a key template of the user's
/// own): one Query cannot return both.
fn read_together_apart(
    design: &Design,
    dynamo: &DynamoLayout,
    p: &AccessPattern,
) -> Option<String> {
    if p.kind != PatternKind::GetOne {
        return None;
    }
    let templates = &design.dynamo.key_templates;
    let apart: Vec<String> = design
        .relationships
        .iter()
        .filter(|r| {
            r.from == p.entity
                && r.to != r.from
                && r.read_together
                && r.cardinality != Cardinality::ManyToMany
        })
        .filter_map(|r| {
            let child = dynamo.entities.iter().find(|e| e.entity == r.to)?;
            let beside = child.attribute.is_some()
                || child.collection_of.as_deref() == Some(p.entity.as_str())
                    && !templates.contains_key(&r.to)
                    && !templates.contains_key(&p.entity);
            (!beside).then(|| names::plural(&names::words(&r.to)))
        })
        .collect();
    if apart.is_empty() {
        return None;
    }
    Some(format!(
        "{} are read together with the {} but live in other partitions (their own, or a key template of yours): the read returns the {} alone; keep them in its item collection (no key template, read through their parent)",
        apart.join(" and "),
        names::words(&p.entity),
        names::words(&p.entity)
    ))
}

/// An entity's items: their size, and index partition keys with few values.
fn item_rules(design: &Design, entity: &Entity, e: &EntityKeys, out: &mut Vec<Finding>) {
    let path = entity_path(design, &e.entity);
    if e.attribute.is_some() {
        return; // Stored inside the parent's item, which is checked instead.
    }
    if e.average_item_bytes > MAX_ITEM_BYTES / 2 {
        out.push(Finding::error(
            "dynamo-item-size",
            path.clone(),
            format!(
                "{} items average about {} KB, near DynamoDB's 400 KB item limit: split large attributes into their own items or store them in S3",
                e.entity,
                e.average_item_bytes / 1024
            ),
        ));
    } else if e.average_item_bytes > 100 * 1024 {
        out.push(Finding::warning(
            "dynamo-item-size",
            path.clone(),
            format!(
                "{} items average about {} KB: every read pays for the whole item in 4 KB units; move rarely read attributes to a separate item",
                e.entity,
                e.average_item_bytes / 1024
            ),
        ));
    }
    for k in &e.index_keys {
        let Some(values) = key_values(design, entity, &k.pk) else {
            continue;
        };
        if values < FEW_KEY_VALUES && entity.volume > values.saturating_mul(1000) {
            out.push(Finding::warning(
                "dynamo-low-cardinality-key",
                path.clone(),
                format!(
                    "{} uses {} as its partition key, which has only about {values} values for {} items: each value's items crowd one partition; add a higher-cardinality part or shard the key",
                    k.index, k.pk, entity.volume
                ),
            ));
        }
    }
}

/// The number of indexes, and the 10 GB limit a local index sets.
fn index_rules(dynamo: &DynamoLayout, out: &mut Vec<Finding>) {
    let globals = dynamo.indexes.iter().filter(|i| i.kind == "global").count();
    let locals = dynamo.indexes.iter().filter(|i| i.kind == "local").count();
    if globals > MAX_GSIS {
        out.push(Finding::error(
            "dynamo-too-many-indexes",
            "dynamo.indexes",
            format!("the layout needs {globals} global indexes; DynamoDB allows {MAX_GSIS} per table: overload them with generic GSInPK/GSInSK keys"),
        ));
    }
    if locals > MAX_LSIS {
        out.push(Finding::error(
            "dynamo-too-many-indexes",
            "dynamo.indexes",
            format!(
                "the layout needs {locals} local indexes; DynamoDB allows {MAX_LSIS} per table"
            ),
        ));
    }
    for i in dynamo.indexes.iter().filter(|i| i.kind == "local") {
        out.push(Finding::warning(
            "dynamo-lsi-collection-limit",
            "dynamo.indexes",
            format!(
                "{} is a local index: every item collection (all items with one partition key value) is limited to 10 GB, and the index can only be created with the table",
                i.name
            ),
        ));
    }
}

/// `dynamo-mutable-key`: a field an update pattern writes that is part of
/// its entity's key in the table (`TASK#<dueDate>#<taskId>`). DynamoDB cannot
/// change a key: each such update deletes the item and puts it under the new
/// key, in one transaction. An index key is different: DynamoDB moves the
/// index entry itself when the attribute changes.
fn mutable_key_rules(design: &Design, dynamo: &DynamoLayout, out: &mut Vec<Finding>) {
    for (i, p) in design.access_patterns.iter().enumerate() {
        if p.kind != PatternKind::Update {
            continue;
        }
        let Some(keys) = dynamo
            .entities
            .iter()
            .find(|e| e.entity == p.entity && e.attribute.is_none())
        else {
            continue;
        };
        let in_key = |template: &str, field: &str| {
            crate::model::validate::placeholders(template)
                .unwrap_or_default()
                .contains(&field)
        };
        for field in &p.fields {
            let template = if in_key(&keys.sk, field) {
                &keys.sk
            } else if in_key(&keys.pk, field) {
                &keys.pk
            } else {
                continue;
            };
            // A delete and a put of the item, each with its index entries,
            // twice over in a transaction; in place, the item once.
            let item = keys.average_item_bytes.max(1).div_ceil(WRITE_UNIT_BYTES);
            let moved = 4 * item * (1 + keys.index_keys.len() as u64);
            out.push(Finding::warning(
                "dynamo-mutable-key",
                format!("accessPatterns[{i}].fields"),
                format!(
                    "\"{}\" writes {field}, which is part of the table's key of {} ({template}): DynamoDB cannot change a key, so each update deletes the item and puts it under the new key in one transaction (TransactWriteItems: a delete and a put, each at twice the units of a plain write: about {moved} write units a request, where an update in place writes {item} and its index entries); keep the table's key to fields that never change and sort by {field} through an index, whose entry DynamoDB moves on an ordinary update",
                    p.name,
                    names::plural(&names::words(&p.entity)),
                ),
            ));
        }
    }
}

/// `dynamo-projection-unknown-index`: a projection the design sets for an
/// index the layout does not have (a derived index is named by the order
/// planning registers it, so a change of patterns may rename it).
fn projection_rules(design: &Design, dynamo: &DynamoLayout, out: &mut Vec<Finding>) {
    for name in design.dynamo.projections.keys() {
        if dynamo.indexes.iter().any(|i| i.name == *name) {
            continue;
        }
        let names: Vec<&str> = dynamo.indexes.iter().map(|i| i.name.as_str()).collect();
        out.push(Finding::warning(
            "dynamo-projection-unknown-index",
            format!("dynamo.projections.{name}"),
            format!(
                "the layout has no index {name}, so this projection applies to nothing; its indexes are: {}",
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ),
        ));
    }
}
