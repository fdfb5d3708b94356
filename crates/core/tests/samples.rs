//! Sample data agrees with what the layouts declare: every sample document
//! passes its collection's `$jsonSchema`, and sample generation is
//! deterministic per seed.

use serde_json::Value;

use schemaplay_core::export::json_schema;
use schemaplay_core::{examples, mongo};

/// Checks an Extended JSON value against a `$jsonSchema` node; returns the problems.
fn check(value: &Value, schema: &Value, path: &str, out: &mut Vec<String>) {
    let ty = schema["bsonType"].as_str().unwrap_or("");
    let ok = match ty {
        "string" => value.is_string(),
        "int" | "long" => value.is_i64() || value.is_u64(),
        "double" => value.is_number(),
        "decimal" => value.get("$numberDecimal").is_some(),
        "bool" => value.is_boolean(),
        "date" => value.get("$date").is_some(),
        "objectId" => value.get("$oid").is_some(),
        "binData" => value.get("$binary").is_some(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    };
    if !ok {
        out.push(format!("{path}: {value} is not a {ty}"));
        return;
    }
    if let (Some(items), Some(schema)) = (value.as_array(), schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            check(v, schema, &format!("{path}[{i}]"), out);
        }
    }
    if ty == "object" {
        for r in schema["required"].as_array().into_iter().flatten() {
            let name = r.as_str().unwrap_or("");
            if value.get(name).is_none() {
                out.push(format!("{path}.{name}: required but missing"));
            }
        }
        if let (Some(fields), Some(props)) = (value.as_object(), schema["properties"].as_object()) {
            for (k, v) in fields {
                match props.get(k) {
                    Some(s) => check(v, s, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: not in the schema")),
                }
            }
        }
    }
}

#[test]
fn sample_documents_pass_their_collection_schema() {
    let mut problems = Vec::new();
    let mut documents = 0;
    for example in examples::all() {
        let layout = mongo::layout(&example.design);
        for c in &layout.collections {
            let schema = json_schema(&example.design, c);
            for (i, doc) in mongo::sample_documents(&example.design, &c.name, 50, 3)
                .iter()
                .enumerate()
            {
                check(
                    doc,
                    &schema["$jsonSchema"],
                    &format!("{}.{}[{i}]", example.id, c.name),
                    &mut problems,
                );
                documents += 1;
            }
        }
    }
    assert_eq!(problems, Vec::<String>::new());
    assert!(documents >= 500, "{documents}");
}

#[test]
fn samples_are_deterministic_per_seed() {
    for example in examples::all() {
        let d = &example.design;
        let layout = mongo::layout(d);
        for c in &layout.collections {
            let a = mongo::sample_documents(d, &c.name, 5, 42);
            assert_eq!(a, mongo::sample_documents(d, &c.name, 5, 42));
            assert_ne!(a, mongo::sample_documents(d, &c.name, 5, 43), "{}", c.name);
        }
        let items = schemaplay_core::dynamo::sample_items(d, 3, 42);
        assert_eq!(items, schemaplay_core::dynamo::sample_items(d, 3, 42));
    }
}

/// Chunks of uneven sizes, some empty, one running past the total.
fn chunked(total: u64, mut part: impl FnMut(std::ops::Range<u64>) -> Vec<Value>) -> Vec<Value> {
    let bounds = [0, 0, 1, 7, 7, 20, total - 3, total + 5];
    bounds.windows(2).flat_map(|w| part(w[0]..w[1])).collect()
}

#[test]
fn ranges_concatenate_to_the_full_samples() {
    use schemaplay_core::dynamo;
    let total = 40;
    for example in examples::all() {
        let d = &example.design;
        for c in &mongo::layout(d).collections {
            let full = mongo::sample_documents(d, &c.name, total, 7);
            assert_eq!(full.len() as u64, total, "{}", c.name);
            let parts = chunked(total, |r| {
                mongo::sample_documents_range(d, &c.name, r, total, 7)
            });
            assert!(parts == full, "{}/{}", example.id, c.name);
        }
        let sources = dynamo::sample_sources(d);
        let full = dynamo::sample_items(d, total, 7);
        assert_eq!(
            full.len() as u64,
            total * sources.len() as u64,
            "{}",
            example.id
        );
        let mut parts = Vec::new();
        for s in &sources {
            parts.extend(chunked(total, |r| {
                dynamo::sample_items_range(d, s, r, total, 7)
            }));
        }
        assert!(parts == full, "{}", example.id);
    }
    let d = &examples::all()[0].design;
    assert!(dynamo::sample_items_range(d, "NoSuchEntity", 0..5, 5, 1).is_empty());
    assert!(mongo::sample_documents_range(d, "nosuch", 0..5, 5, 1).is_empty());
}

/// The children of the sample go to about `children / expectedCount` parents, spread with a
/// long tail: a user has about 20 posts on average, some many more (hot keys), and both
/// layouts' samples give each post the same author.
#[test]
fn sample_children_follow_the_designs_counts() {
    use std::collections::BTreeMap;
    let design = examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default();
    let posts = schemaplay_core::dynamo::sample_items_range(&design, "Post", 0..1000, 1000, 3);
    let mut per_author: BTreeMap<String, u64> = BTreeMap::new();
    for item in &posts {
        let author = item["authorId"]["S"].as_str().unwrap_or("").to_string();
        *per_author.entry(author).or_default() += 1;
    }
    let authors = per_author.len() as u64;
    let most = per_author.values().max().copied().unwrap_or(0);
    // 1,000 posts at about 20 per user: about 50 authors, the busiest with several times 20.
    assert!((40..=50).contains(&authors), "{authors} authors");
    assert!(1000 / authors >= 20, "{authors} authors");
    assert!(most >= 80, "the busiest author has {most} posts");
    // MongoDB's documents give each post the same author.
    let docs = mongo::sample_documents_range(&design, "posts", 0..1000, 1000, 3);
    for (doc, item) in docs.iter().zip(&posts) {
        assert_eq!(
            doc["authorId"]["$oid"], item["authorId"]["S"],
            "{doc} {item}"
        );
    }
    // Ranges concatenate to the whole.
    let first = schemaplay_core::dynamo::sample_items_range(&design, "Post", 0..500, 1000, 3);
    let rest = schemaplay_core::dynamo::sample_items_range(&design, "Post", 500..1000, 1000, 3);
    assert_eq!([first, rest].concat(), posts);
}
