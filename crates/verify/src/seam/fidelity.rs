//! The seam renders what core renders: given core's own sample record 0 (the record every
//! derived request is rendered for), the items, documents and requests of `seam/` equal the
//! derived ones, for every pattern of every example. A divergence the verifier reports is
//! then core's, not the renderer's.

use schemaplay_core::dynamo::many_to_many_read;
use schemaplay_core::examples;
use schemaplay_core::sample::{parse_iso, SampleContext, Val};
use schemaplay_core::{Design, FieldType, PatternKind, UpdateAction};
use serde_json::Value;

use crate::schema::Schema;
use crate::workload::Args;

/// A stored value back as a sample value of the declared type (the derived requests hold
/// children and id arrays made by core's own random draws).
fn typed(schema: &Schema, value: &Value, ty: &FieldType) -> Option<Val> {
    let inner = |tag: &str| value.get(tag).cloned();
    let text = |v: Option<Value>| v.and_then(|v| v.as_str().map(str::to_string));
    Some(match ty {
        FieldType::Ref(target) => return typed(schema, value, &schema.id_type(target)),
        FieldType::String => {
            Val::Str(text(inner("S")).or_else(|| value.as_str().map(str::to_string))?)
        }
        FieldType::Int | FieldType::Long => Val::Int(
            text(inner("N"))
                .and_then(|n| n.parse().ok())
                .or_else(|| value.as_i64())?,
        ),
        FieldType::Decimal => {
            Val::Decimal(text(inner("N")).or_else(|| text(inner("$numberDecimal")))?)
        }
        FieldType::Double => Val::Double(
            text(inner("N"))
                .and_then(|n| n.parse().ok())
                .or_else(|| value.as_f64())?,
        ),
        FieldType::Date => Val::Date(parse_iso(
            &text(inner("S")).or_else(|| text(inner("$date")))?,
        )?),
        FieldType::ObjectId => Val::ObjectId(text(inner("S")).or_else(|| text(inner("$oid")))?),
        FieldType::Array(item) => {
            let items = match inner("L") {
                Some(Value::Array(items)) => items,
                _ => value.as_array()?.clone(),
            };
            Val::Array(
                items
                    .iter()
                    .map(|v| typed(schema, v, item))
                    .collect::<Option<Vec<_>>>()?,
            )
        }
        FieldType::Object(fields) => {
            let map = match inner("M") {
                Some(Value::Object(m)) => m,
                _ => value.as_object()?.clone(),
            };
            Val::Object(
                map.iter()
                    .map(|(k, v)| {
                        let f = fields.iter().find(|f| f.name == *k)?;
                        Some((k.clone(), typed(schema, v, &f.ty)?))
                    })
                    .collect::<Option<Vec<_>>>()?,
            )
        }
        _ => return None,
    })
}

/// Children of a derived item or document, stored under `attribute`, as sample values.
fn children(schema: &Schema, stored: &Value, attribute: &str, child: usize) -> Vec<Val> {
    let ty = FieldType::Object(
        schema
            .entity(child)
            .map(|e| e.fields.clone())
            .unwrap_or_default(),
    );
    let list = match stored.get(attribute) {
        Some(v) => match v.get("L").or(Some(v)) {
            Some(Value::Array(items)) => items.clone(),
            Some(one) => vec![one.clone()],
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    list.iter().filter_map(|v| typed(schema, v, &ty)).collect()
}

/// The arguments core rendered each pattern's request for: sample record 0's values.
fn args_of_record_0(schema: &Schema, pattern: usize, stored: Option<&Value>) -> Option<Args> {
    let design = schema.design;
    let (p, entity) = schema.pattern(pattern)?;
    let ctx = SampleContext {
        design,
        seed: 1,
        max_per_entity: 1000,
    };
    let info = schema.info(entity)?;
    let record = |e: usize| Val::Object(ctx.record(schema.entity(e)?, 0)).into();
    let mut record0: Val = record(entity)?;
    let mut args = Args::default();
    if let Some(owner) = &info.owner {
        args.parent = record(owner.parent);
        let parent_id = args
            .parent
            .as_ref()
            .and_then(|r| r.get(&schema.info(owner.parent)?.id).cloned());
        if let (Val::Object(fields), Some(id)) = (&mut record0, parent_id) {
            if !fields.iter().any(|(k, _)| *k == owner.link) {
                fields.push((owner.link.clone(), id));
            }
        }
    }
    for path in &p.equality {
        let own = if path == "_id" {
            info.id.as_str()
        } else {
            path.as_str()
        };
        let value = match many_to_many_read(design, p) {
            Some((rel, forward)) => {
                let r = design.relationships.get(rel)?;
                ctx.id(if forward { &r.from } else { &r.to }, 0)
            }
            None => record0.get(own)?.clone(),
        };
        args.equal.push((path.clone(), value));
    }
    if let Some(range) = &p.range {
        args.from = record0.get(range).cloned();
    }
    for field in &p.fields {
        let v = match (p.kind, p.update.unwrap_or_default()) {
            (PatternKind::Update, UpdateAction::Set) => record0.get(field)?.clone(),
            (PatternKind::Update, UpdateAction::Increment) => Val::Int(p.increment_sample(field)),
            (PatternKind::Update, UpdateAction::Push) => match record0.get(field)? {
                Val::Array(items) => items.first()?.clone(),
                one => one.clone(),
            },
            _ => continue,
        };
        args.change.push((field.clone(), v));
    }
    if p.kind == PatternKind::Insert {
        if let (Some(stored), Val::Object(fields)) = (stored, &mut record0) {
            for (_, field, other) in &info.holds {
                let ty = FieldType::Array(Box::new(schema.info(*other)?.id_type.clone()));
                fields.push((field.clone(), typed(schema, stored.get(field)?, &ty)?));
            }
            for rel in &info.composite {
                let r = design.relationships.get(*rel)?;
                let child = schema.index(&r.to)?;
                let attribute = schemaplay_core::mongo::relationship_field(r, true);
                args.children
                    .push((*rel, children(schema, stored, &attribute, child)));
            }
        }
        args.record = Some(record0);
    }
    Some(args)
}

fn examples_designs() -> Vec<(&'static str, Design)> {
    examples::all()
        .into_iter()
        .map(|e| (e.id, e.design))
        .collect()
}

#[test]
fn dynamodb_requests_are_the_derived_ones_for_record_0() {
    let mut checked = 0;
    for (id, design) in examples_designs() {
        let schema = Schema::new(&design);
        let render = super::dynamo::Render {
            schema: &schema,
            layout: schemaplay_core::dynamo::layout(&design),
        };
        for (i, p) in design.access_patterns.iter().enumerate() {
            let Some(derived) = render.layout.requests.iter().find(|r| r.pattern == p.name) else {
                continue;
            };
            if derived.operation == "Scan" {
                continue;
            }
            let input = &derived.input["input"];
            let item = input
                .get("Item")
                .or_else(|| input.pointer("/TransactItems/0/Put/Item"))
                .cloned();
            let args = args_of_record_0(&schema, i, item.as_ref());
            let Some(args) = args else {
                panic!("{id} / {}: no arguments", p.name);
            };
            let mine = render.request(p, &args, None);
            let expected = Some((derived.operation.clone(), input.clone()));
            // A unique marker's delete takes its value from the item read first.
            if derived.operation == "TransactWriteItems" && p.kind == PatternKind::Delete {
                continue;
            }
            assert_eq!(mine, expected, "{id} / {}", p.name);
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked}");
}

#[test]
fn mongodb_documents_and_filters_are_the_derived_ones_for_record_0() {
    let mut checked = 0;
    for (id, design) in examples_designs() {
        let schema = Schema::new(&design);
        let layout = schemaplay_core::mongo::layout(&design);
        let render = super::mongo::Render {
            schema: &schema,
            placements: super::mongo::placements(&design, &layout),
            layout,
        };
        for (i, p) in design.access_patterns.iter().enumerate() {
            let Some(q) = render.derived(p).cloned() else {
                continue;
            };
            let entity = schema.index(&p.entity).unwrap_or(usize::MAX);
            let args = args_of_record_0(&schema, i, q.document.as_ref());
            let Some(args) = args else {
                panic!("{id} / {}: no arguments", p.name);
            };
            let mut args = args;
            if p.kind == PatternKind::TextSearch {
                args.search = Some("developer nodejs".into());
            }
            if many_to_many_read(&design, p).is_none() {
                let filter = Value::Object(render.filter(entity, p, &q, &args));
                assert_eq!(filter, q.filter, "{id} / {} filter", p.name);
            }
            let record = args.record.as_ref();
            match (p.kind, q.operation.as_str(), record) {
                (PatternKind::Insert, "insertOne", Some(r)) => {
                    let doc = render.document(entity, r, &args.children, 0);
                    assert_eq!(Some(doc), q.document, "{id} / {} document", p.name);
                }
                (PatternKind::Insert, _, Some(r)) => {
                    let update = render.embedded_insert(entity, r);
                    assert_eq!(Some(update), q.document, "{id} / {} update", p.name);
                }
                (PatternKind::Update, _, _) => {
                    let update = render.update_document(entity, p, &q, &args);
                    assert_eq!(Some(update), q.document, "{id} / {} update", p.name);
                }
                _ => {}
            }
            checked += 1;
        }
    }
    assert!(checked >= 45, "{checked}");
}
