//! The bulk load reads sample records as the JSON path read them: every example's documents
//! as BSON equal their Extended JSON read by the simulator, every item equal its
//! AttributeValue JSON read by DynamoDB's parser. Field types the examples lack (decimals,
//! UUIDs, binaries, big integers, negative and fractional numbers) come from a design made here.

use schemaplay_core::examples;
use schemaplay_core::model::Design;
use schemaplay_core::sample::{attribute_map, Val};
use schemaplay_core::{dynamo, mongo};
use schemaplay_playground::load;
use serde_json::Value;

/// Every type a field can have, with the generators that give edge values.
fn all_types() -> Design {
    let json = r#"{
      "formatVersion": 1, "name": "types",
      "entities": [{
        "name": "Thing", "volume": 100,
        "fields": [
          {"name": "thingId", "type": "uuid", "required": true},
          {"name": "price", "type": "decimal"},
          {"name": "ratio", "type": "double"},
          {"name": "count", "type": "int"},
          {"name": "big", "type": "long"},
          {"name": "blob", "type": "binary"},
          {"name": "at", "type": "date"},
          {"name": "ok", "type": "bool"},
          {"name": "tags", "type": {"array": "string"}},
          {"name": "nested", "type": {"object": [{"name": "x", "type": "double"}, {"name": "when", "type": "date"}]}}
        ]
      }],
      "relationships": [],
      "accessPatterns": [{"name": "Get thing", "kind": "getOne", "entity": "Thing", "equality": ["thingId"], "requestsPerSecond": 1}]
    }"#;
    Design::from_json_unchecked(json).unwrap_or_else(|findings| panic!("{findings:?}"))
}

fn designs() -> Vec<(String, Design)> {
    let mut all: Vec<(String, Design)> = examples::all()
        .into_iter()
        .map(|e| (e.id.to_string(), e.design))
        .collect();
    all.push(("types".to_string(), all_types()));
    all
}

#[test]
fn documents_load_as_their_extended_json_reads() {
    let mut compared = 0;
    for (id, design) in designs() {
        let analysis = schemaplay_core::analyze(&design);
        for collection in &analysis.mongo.collections {
            let records = mongo::sample_document_records(&design, &collection.name, 0..60, 60, 3);
            let json: Vec<Value> = records.iter().map(Val::to_ejson).collect();
            let read = schemaplay_mongo::request::to_documents(
                "insertMany",
                "documents",
                &Value::Array(json),
            )
            .unwrap_or_else(|e| panic!("{id} {}: {e}", collection.name));
            let loaded: Vec<_> = records
                .iter()
                .map(|r| load::document(r.clone()).unwrap_or_else(|e| panic!("{id}: {e}")))
                .collect();
            assert_eq!(loaded, read, "{id} {}", collection.name);
            compared += loaded.len();
        }
    }
    assert!(compared > 500, "{compared} documents");
}

#[test]
fn items_load_as_their_attribute_value_json_reads() {
    let mut compared = 0;
    for (id, design) in designs() {
        for source in dynamo::sample_sources(&design) {
            for record in dynamo::sample_item_records(&design, &source, 0..60, 60, 3) {
                let read = schemaplay_dynamo::value::item_from_json(&attribute_map(&record))
                    .unwrap_or_else(|e| panic!("{id} {source}: {e}"));
                let loaded = load::item(record).unwrap_or_else(|e| panic!("{id}: {e}"));
                assert_eq!(loaded, read, "{id} {source}");
                compared += 1;
            }
        }
    }
    assert!(compared > 500, "{compared} items");
}
