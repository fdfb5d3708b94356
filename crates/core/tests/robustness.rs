//! Whatever a user types, deriving and exporting never panics: a panic in
//! WebAssembly takes the page down. Every example is damaged in many ways and
//! run through everything (the designs are built directly, skipping validation,
//! as an editor holding a half-typed design does).

use std::collections::BTreeMap;

use schemaplay_core::export::{export, ExportFormat};
use schemaplay_core::{analyze, examples, *};

fn mutations(d: &Design) -> Vec<(String, Design)> {
    let mut out = Vec::new();
    let mut push = |what: &str, f: &dyn Fn(&mut Design)| {
        let mut copy = d.clone();
        f(&mut copy);
        out.push((what.to_string(), copy));
    };
    push("no entities", &|d| d.entities.clear());
    push("first entity removed", &|d| {
        if !d.entities.is_empty() {
            d.entities.remove(0);
        }
    });
    push("fields cleared", &|d| {
        d.entities.iter_mut().for_each(|e| e.fields.clear())
    });
    push("duplicate entities", &|d| {
        let copy = d.entities.clone();
        d.entities.extend(copy);
    });
    push("zero volumes", &|d| {
        d.entities.iter_mut().for_each(|e| e.volume = 0)
    });
    push("huge volumes", &|d| {
        d.entities.iter_mut().for_each(|e| e.volume = u64::MAX)
    });
    push("huge rates", &|d| {
        d.access_patterns
            .iter_mut()
            .for_each(|p| p.requests_per_second = 1e300)
    });
    push("huge counts", &|d| {
        d.relationships
            .iter_mut()
            .for_each(|r| r.expected_count = u64::MAX)
    });
    push("everything embedded", &|d| {
        d.relationships
            .iter_mut()
            .for_each(|r| r.embed = Some(true))
    });
    push("cycle", &|d| {
        let rels: Vec<Relationship> = d
            .relationships
            .iter()
            .map(|r| Relationship {
                from: r.to.clone(),
                to: r.from.clone(),
                ..r.clone()
            })
            .collect();
        d.relationships.extend(rels);
        d.relationships.iter_mut().for_each(|r| {
            r.read_together = true;
            r.cardinality = Cardinality::OneToFew;
        });
    });
    push("self relationships", &|d| {
        let names: Vec<String> = d.entities.iter().map(|e| e.name.clone()).collect();
        for n in names {
            d.relationships.push(Relationship {
                from: n.clone(),
                to: n,
                cardinality: Cardinality::OneToMany,
                expected_count: 3,
                read_together: true,
                field: None,
                embed: None,
                on_delete: None,
            });
        }
    });
    push("dangling references", &|d| {
        d.relationships
            .iter_mut()
            .for_each(|r| r.to = "Ghost".into());
        d.access_patterns.iter_mut().for_each(|p| {
            p.equality.push("nope.deeper".into());
            p.sort = Some(SortSpec {
                field: "missing".into(),
                order: SortOrder::Desc,
            });
            p.range = Some("alsoMissing".into());
        });
    });
    push("patterns without fields", &|d| {
        d.access_patterns.iter_mut().for_each(|p| {
            p.equality.clear();
            p.fields.clear();
            p.page_size = Some(0);
        })
    });
    push("key templates broken", &|d| {
        let names: Vec<String> = d.entities.iter().map(|e| e.name.clone()).collect();
        for n in names {
            d.dynamo.key_templates.insert(
                n,
                KeyTemplate {
                    pk: "<".into(),
                    sk: "<a><>".into(),
                },
            );
        }
        d.dynamo.partition_key = String::new();
        d.dynamo.sort_key = String::new();
    });
    push("declared indexes odd", &|d| {
        d.dynamo.indexes.push(IndexChoice {
            name: String::new(),
            partition_key: "PK".into(),
            sort_key: None,
            local: true,
        });
        d.dynamo.indexes.push(IndexChoice {
            name: "X".into(),
            partition_key: "nothing".into(),
            sort_key: Some("nada".into()),
            local: false,
        });
    });
    push("deep types", &|d| {
        let mut ty = FieldType::Int;
        for _ in 0..40 {
            ty = FieldType::Array(Box::new(FieldType::Object(vec![Field::new("x", ty)])));
        }
        if let Some(e) = d.entities.first_mut() {
            e.fields.push(Field::new("deep", ty));
        }
    });
    push("conditions on anything", &|d| {
        d.access_patterns.iter_mut().for_each(|p| {
            p.kind = PatternKind::Update;
            p.update = Some(UpdateAction::Push);
            p.condition = Some(Condition {
                field: "ghost".into(),
                op: ConditionOp::Lt,
                value: Some(serde_json::json!({"a": [1]})),
            });
            p.transactional = true;
            p.case_insensitive = true;
        })
    });
    push("odd examples", &|d| {
        d.entities.iter_mut().for_each(|e| {
            e.fields.iter_mut().for_each(|f| {
                f.example = Some(serde_json::json!([{"nested": null}, 1e308, "2024-99-99"]));
                f.unique = true;
            })
        })
    });
    push("every layout pick, some naming nothing", &|d| {
        let names: Vec<String> = d.entities.iter().map(|e| e.name.clone()).collect();
        for (i, name) in names.iter().chain(["Ghost".to_string()].iter()).enumerate() {
            let pick = if i % 2 == 0 {
                Placement::Parent
            } else {
                Placement::Own
            };
            d.dynamo.placements.insert(name.clone(), pick);
        }
        let patterns: Vec<String> = d.access_patterns.iter().map(|p| p.name.clone()).collect();
        for (i, name) in patterns
            .iter()
            .chain(["ghost".to_string()].iter())
            .enumerate()
        {
            let scope = if i % 2 == 0 {
                IndexScope::Local
            } else {
                IndexScope::Global
            };
            d.dynamo.sort_indexes.insert(name.clone(), scope);
        }
    });
    out
}

/// Everything the app and the CLI run on a design.
fn exercise(design: &Design) {
    let analysis = analyze(design);
    let _ = serde_json::to_string(&analysis);
    for format in ExportFormat::ALL {
        let _ = export(design, format);
    }
    for collection in &analysis.mongo.collections {
        let _ = mongo::sample_documents(design, &collection.name, 3, 9);
    }
    let _ = mongo::sample_documents(design, "users", 3, 9);
    let _ = dynamo::sample_items(design, 2, 9);
    for source in dynamo::sample_sources(design) {
        let _ = dynamo::sample_items_range(design, &source, 1..3, 4, 9);
    }
    let _ = Design::from_json(&design.to_json());
    let choices = alternatives::alternatives(design);
    if let Some(c) = choices.first() {
        let last = c.alternatives.last().map(|a| a.key.as_str()).unwrap_or("");
        let _ = alternatives::apply(design, &c.id, last);
    }
    // What the editor runs: renames (to good and bad names) and the relationships it offers.
    let _ = schemaplay_core::model::implied_relationships(design);
    for entity in &design.entities {
        for name in [format!("{}X", entity.name), String::new(), "a.b".into()] {
            let _ = schemaplay_core::model::rename_entity(design, &entity.name, &name);
        }
        for field in &entity.fields {
            for name in [format!("{}X", field.name), String::new(), "$x".into()] {
                let _ = schemaplay_core::model::field_rename_problem(entity, &field.name, &name);
                let _ =
                    schemaplay_core::model::rename_field(design, &entity.name, &field.name, &name);
            }
        }
    }
    // The seam a verifier drives, with records that fit nothing.
    let odd = sample::Val::Object(vec![
        (
            "a.b".into(),
            sample::Val::Array(vec![sample::Val::Double(f64::NAN)]),
        ),
        ("".into(), sample::Val::Str("<>#".into())),
    ]);
    let empty = sample::Val::Object(Vec::new());
    let not_an_object = sample::Val::Int(-1);
    let mongo = mongo::MongoContext::new(design);
    let dynamo = dynamo::DynamoContext::new(design);
    for record in [&odd, &empty, &not_an_object] {
        let args = sample::Args {
            record,
            parent: Some(record),
            words: Some(""),
        };
        for pattern in &design.access_patterns {
            let _ = mongo.query_for(pattern, args);
            let _ = dynamo.request_for(pattern, args);
            let _ = dynamo.request_for(pattern, sample::Args::new(record));
        }
        for entity in &design.entities {
            let insert = AccessPattern::new("load", &entity.name, PatternKind::Insert);
            let _ = mongo.query_for(&insert, args);
            let _ = dynamo.request_for(&insert, args);
            let _ = dynamo.items_for(&entity.name, record);
        }
        for i in 0..=design.relationships.len() {
            let _ = dynamo.link_item_for(i, record);
        }
    }
}

/// The text of a caught panic.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

#[test]
fn damaged_designs_never_panic() {
    let examples = examples::all();
    let mut failures = Vec::new();
    // How many examples each mutation really changed: one that changes none tests nothing.
    let mut changed: BTreeMap<String, usize> = BTreeMap::new();
    for example in &examples {
        for (what, design) in mutations(&example.design) {
            let count = changed.entry(what.clone()).or_default();
            if design == example.design {
                continue;
            }
            *count += 1;
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| exercise(&design)));
            if let Err(panic) = run {
                failures.push(format!(
                    "{} with {what}: {}",
                    example.id,
                    panic_message(&*panic)
                ));
            }
        }
    }
    let idle: Vec<&String> = changed
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(w, _)| w)
        .collect();
    assert!(
        idle.is_empty(),
        "these mutations change no example, so they test nothing: {idle:?}"
    );
    assert!(
        changed.len() >= 18,
        "only {} mutations are defined",
        changed.len()
    );
    assert!(
        failures.is_empty(),
        "damaged designs panicked ({} of them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
