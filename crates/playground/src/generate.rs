//! Sample data into both simulators, a chunk at a time so progress moves: the records as the
//! simulators' own values ([`load`]), a bulk load per chunk, and the indexes after the data;
//! the memory grows ahead of each chunk in big steps ([`memory`]).

use schemaplay_core::model::Design;
use schemaplay_core::sample::Val;
use schemaplay_core::{dynamo, mongo, names, Analysis};
use schemaplay_mongo::bson::Document;
use schemaplay_mongo::request::to_document;
use schemaplay_mongo::{Command, InsertManyOptions};

use crate::api::{PartProgress, Progress, Summary};
use crate::{load, memory};

/// Documents inserted (or items written) per step; progress is reported after each.
const CHUNK: u64 = 2000;
/// The most problems a summary lists.
const MAX_PROBLEMS: usize = 5;

/// Fresh simulators holding `per_entity` sample records of each entity, and what was loaded.
pub(crate) fn generate(
    design: &Design,
    analysis: &Analysis,
    per_entity: u64,
    seed: u64,
    progress: &mut dyn FnMut(Progress),
) -> (
    schemaplay_mongo::Database,
    schemaplay_dynamo::Database,
    Summary,
) {
    let mut mongo_db = schemaplay_mongo::Database::new();
    let mut dynamo_db = schemaplay_dynamo::Database::new();
    let mut summary = Summary::default();
    let sources = dynamo::sample_sources(design);
    let total = per_entity * (analysis.mongo.collections.len() + sources.len()) as u64;
    let mut done = 0;
    let mut report = |done: u64, stage: &str, part: Option<(&str, u64)>| {
        progress(Progress {
            done,
            total,
            stage: stage.to_string(),
            part: part.map(|(name, done)| PartProgress {
                name: name.to_string(),
                done,
                total: per_entity,
            }),
        })
    };
    report(done, "generating documents", None);

    let documents_of = mongo::SampleDocuments::new(design, per_entity, seed);
    for collection in &analysis.mongo.collections {
        // Every collection of the layout exists, also with no documents and no index.
        if let Err(e) = mongo_db.create_collection(&collection.name, &Document::new()) {
            note(&mut summary.problems, format!("{}: {e}", collection.name));
        }
        let mut inserted = 0;
        // Documents are made a chunk at a time, so progress moves within a collection.
        for start in (0..per_entity).step_by(CHUNK as usize) {
            memory::reserve_headroom();
            let range = start..range_end(start, per_entity);
            let records = documents_of.records(&collection.name, range);
            let count = records.len() as u64;
            let mut documents = Vec::with_capacity(records.len());
            for record in records {
                match load::document(record) {
                    Ok(document) => documents.push(document),
                    Err(e) => note(&mut summary.problems, format!("{}: {e}", collection.name)),
                }
            }
            // One batch per chunk, every document that can go in (unordered).
            let options = InsertManyOptions {
                ordered: false,
                ..InsertManyOptions::default()
            };
            match mongo_db.insert_many_opts(&collection.name, documents, options) {
                Ok(result) => {
                    inserted += result.inserted_ids.len() as u64;
                    if let Some((_, e)) = result.write_errors.first() {
                        note(&mut summary.problems, format!("{}: {e}", collection.name));
                    }
                }
                Err(e) => note(&mut summary.problems, format!("{}: {e}", collection.name)),
            }
            done += count;
            report(
                done,
                &format!("inserting into {}", collection.name),
                Some((&collection.name, range_end(start, per_entity))),
            );
        }
        memory::reserve_headroom();
        for index in &collection.indexes {
            // As the mongosh export builds it: its name, unique, sparse, partial,
            // TTL, weights and collation (a case-insensitive query names the same).
            let create = to_document("createIndex", "key", &index.keys).and_then(|key| {
                let options = to_document("createIndex", "options", &index.options())?;
                Ok(Command::CreateIndex {
                    collection: collection.name.clone(),
                    key,
                    options,
                })
            });
            if let Err(e) = create.and_then(|command| mongo_db.run(command)) {
                note(&mut summary.problems, format!("index {}: {e}", index.name));
            }
        }
        summary
            .collections
            .push((collection.name.clone(), inserted));
        summary.documents += inserted;
    }

    let layout = &analysis.dynamo;
    summary.table = layout.table_name.clone();
    if let Err(e) = dynamo_db.execute("CreateTable", &layout.create_table) {
        note(&mut summary.problems, format!("CreateTable: {e}"));
        return (mongo_db, dynamo_db, summary);
    }
    // The counter items count the generated items, as their inserts would have.
    let mut tally = dynamo::CounterTally::new(design);
    let counted = tally.has_counters();
    let items_of = dynamo::SampleItems::new(design, per_entity, seed);
    for source in &sources {
        for start in (0..per_entity).step_by(CHUNK as usize) {
            memory::reserve_headroom();
            let range = start..range_end(start, per_entity);
            let records = items_of.records(source, range);
            if counted {
                for record in &records {
                    tally.add(source, &Val::Object(record.clone()));
                }
            }
            done += records.len() as u64;
            summary.items += put_items(
                &mut dynamo_db,
                &layout.table_name,
                records,
                &mut summary.problems,
            );
            report(
                done,
                &format!("writing {source} items"),
                Some((source, range_end(start, per_entity))),
            );
        }
    }
    let counters = tally.items();
    if !counters.is_empty() {
        summary.items += put_items(
            &mut dynamo_db,
            &layout.table_name,
            counters,
            &mut summary.problems,
        );
    }
    report(total, "done", None);
    (mongo_db, dynamo_db, summary)
}

/// Where the chunk starting at `start` ends: how many records of the part are done with it.
fn range_end(start: u64, per_entity: u64) -> u64 {
    (start + CHUNK).min(per_entity)
}

/// The names scripts see for the data: `<entity>Id` (camel case) for each collection that
/// holds an entity of the design, naming the `_id` of its first document (in the collection's
/// natural order: the first record generated, or the first a script inserted) when a script
/// reads it.
pub(crate) fn id_names(analysis: &Analysis) -> Vec<(String, String)> {
    analysis
        .mongo
        .collections
        .iter()
        .map(|collection| {
            (
                format!("{}Id", names::camel(&collection.entity)),
                collection.name.clone(),
            )
        })
        .collect()
}

/// Writes a chunk of sample records as one bulk load of items: every item DynamoDB takes is
/// written, and each refusal is noted as `PutItem` reports it. How many items were written.
fn put_items(
    db: &mut schemaplay_dynamo::Database,
    table: &str,
    records: Vec<Vec<(String, Val)>>,
    problems: &mut Vec<String>,
) -> u64 {
    let mut items = Vec::with_capacity(records.len());
    for record in records {
        match load::item(record) {
            Ok(item) => items.push(item),
            Err(e) => note(problems, e),
        }
    }
    match db.put_valid_items(table, items) {
        Ok((written, refused)) => {
            for (_, e) in refused {
                note(problems, format!("PutItem: {e}"));
            }
            written as u64
        }
        Err(e) => {
            note(problems, format!("PutItem: {e}"));
            0
        }
    }
}

/// Keeps the first few distinct problems.
fn note(problems: &mut Vec<String>, problem: String) {
    if problems.len() < MAX_PROBLEMS && !problems.contains(&problem) {
        problems.push(problem);
    }
}
