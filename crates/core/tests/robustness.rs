//! Whatever a user types, deriving and exporting never panics: a panic in
//! WebAssembly takes the page down. Every example is damaged in many ways and
//! run through everything (the designs are built directly, skipping validation,
//! as an editor holding a half-typed design does).

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
    out
}

#[test]
fn damaged_designs_never_panic() {
    let mut runs = 0;
    let mut expected = 0;
    for example in examples::all() {
        let damaged = mutations(&example.design);
        expected += damaged.len();
        for (what, design) in damaged {
            let analysis = analyze(&design);
            let _ = serde_json::to_string(&analysis);
            for format in ExportFormat::ALL {
                let _ = export(&design, format);
            }
            let _ = mongo::sample_documents(&design, "users", 3, 9);
            let _ = dynamo::sample_items(&design, 2, 9);
            let _ = Design::from_json(&design.to_json());
            runs += 1;
            let _ = what;
        }
    }
    assert_eq!(runs, expected);
    assert!(expected >= examples::all().len() * 18);
}
