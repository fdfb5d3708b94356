//! Whatever design it is given, the verifier never panics (in WebAssembly a panic takes the
//! page down): each example, damaged in ways that stress what the verifier itself reads (paths,
//! templates, conditions, deep types, dangling names), is verified end to end.

use schemaplay_core::{examples, *};
use schemaplay_verify::{verify, Options};

type Damage = (&'static str, fn(&mut Design));

const DAMAGE: &[Damage] = &[
    ("nothing at all", |d| *d = Design::default()),
    ("patterns on unknown entities", |d| {
        d.access_patterns
            .iter_mut()
            .for_each(|p| p.entity = "Ghost".into())
    }),
    ("dotted paths that go nowhere", |d| {
        d.access_patterns.iter_mut().for_each(|p| {
            p.equality.push("a.b.c.d".into());
            p.range = Some("_id".into());
            p.fields.push("nope.deeper".into());
        })
    }),
    ("broken key templates", |d| {
        for e in &d.entities {
            let broken = KeyTemplate {
                pk: "<".into(),
                sk: "#<a|upper>".into(),
            };
            d.dynamo.key_templates.insert(e.name.clone(), broken);
        }
    }),
    (
        "every relationship embedded, read together and one-to-one",
        |d| {
            for r in &mut d.relationships {
                r.embed = Some(true);
                r.read_together = true;
                r.cardinality = Cardinality::OneToOne;
                r.field = Some("shared".into());
            }
        },
    ),
    ("an entity that is its own child", |d| {
        if let Some(name) = d.entities.first().map(|e| e.name.clone()) {
            d.relationships.push(Relationship {
                from: name.clone(),
                to: name,
                cardinality: Cardinality::OneToFew,
                expected_count: 2,
                read_together: true,
                field: None,
                embed: Some(true),
                on_delete: None,
            });
        }
    }),
    ("conditions with values of any type", |d| {
        d.access_patterns.iter_mut().for_each(|p| {
            p.kind = PatternKind::Update;
            p.update = Some(UpdateAction::Increment);
            p.fields = vec!["name".into(), "missing".into()];
            p.condition = Some(Condition {
                field: "name".into(),
                op: ConditionOp::Gt,
                value: Some(serde_json::json!("1e9223372036854775807")),
            });
        })
    }),
    ("deep types", |d| {
        let mut ty = FieldType::Decimal;
        for _ in 0..40 {
            ty = FieldType::Array(Box::new(FieldType::Object(vec![Field::new("x", ty)])));
        }
        if let Some(e) = d.entities.first_mut() {
            e.fields.push(Field::new("deep", ty));
        }
    }),
    ("everything unique and looked up ignoring case", |d| {
        d.entities
            .iter_mut()
            .for_each(|e| e.fields.iter_mut().for_each(|f| f.unique = true));
        d.access_patterns.iter_mut().for_each(|p| {
            p.case_insensitive = true;
            p.kind = PatternKind::Delete;
        })
    }),
    ("lists with empty pages", |d| {
        d.access_patterns.iter_mut().for_each(|p| {
            p.kind = PatternKind::List;
            p.page_size = Some(0);
            p.sort = Some(SortSpec {
                field: "ghost".into(),
                order: SortOrder::Desc,
            });
        })
    }),
    ("text searches everywhere", |d| {
        d.access_patterns.iter_mut().for_each(|p| {
            p.kind = PatternKind::TextSearch;
            p.fields = vec!["_id".into(), "tags".into()];
        })
    }),
];

#[test]
fn damaged_designs_verify_without_panicking() {
    let options = Options {
        steps: 60,
        shrink_budget: 2_000,
        ..Options::default()
    };
    let mut runs = 0;
    for example in examples::all() {
        for (what, damage) in DAMAGE {
            let mut design = example.design.clone();
            damage(&mut design);
            let report = verify(&design, &options);
            assert!(report.steps <= 60, "{} / {what}", example.id);
            let _ = report.to_string();
            runs += 1;
        }
    }
    assert_eq!(runs, examples::all().len() * DAMAGE.len());
}
