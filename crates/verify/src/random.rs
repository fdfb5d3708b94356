//! Random designs: a seeded generator of valid designs, so the verifier proves the derivations
//! on designs nobody wrote by hand. A design has two to four entities with fields of every type
//! (nested objects, arrays of values and of objects, unique and optional fields, declared ids of
//! every id type or none), relationships of every cardinality (read together or not, with a
//! declared reference field or not, an embedding override now and then), and patterns of every
//! kind (reads by id, by a unique field, case-insensitive, lists by a field or a parent or the
//! other side of a many-to-many relationship, sorted either way, paged, ranges, counts, text
//! searches; inserts; updates that set, increment under a condition or push; deletes), with now
//! and then a key template of the user's own and an index the user declares. Every design reads
//! back through `Design::from_json` without an error. The same seed gives the same design.

use schemaplay_core::model::lower_first;
use schemaplay_core::sample::Rng;
use schemaplay_core::{
    AccessPattern, Cardinality, Condition, ConditionOp, Consistency, Design, Entity, Field,
    FieldType, Generator, IndexChoice, KeyTemplate, PatternKind, Relationship, SortOrder, SortSpec,
    UpdateAction,
};

const ENTITY_NAMES: &[&str] = &[
    "Account", "Order", "Ticket", "Note", "Event", "Shop", "Card", "Book", "Track", "Badge",
];

/// A random valid design for a seed.
pub fn design(seed: u64) -> Design {
    for attempt in 0..16u64 {
        let d = Builder::new(seed.wrapping_mul(31).wrapping_add(attempt)).build(seed);
        let text = d.to_json();
        if let Ok(read) = Design::from_json(&text) {
            return read;
        }
    }
    // Every attempt building an invalid design would be a bug of the generator: a minimal
    // design keeps the caller going.
    minimal(seed)
}

fn minimal(seed: u64) -> Design {
    let mut entity = Entity {
        name: "Note".into(),
        id: Some("noteId".into()),
        fields: vec![
            Field {
                required: true,
                ..Field::new("noteId", FieldType::String)
            },
            Field::new("text", FieldType::String),
        ],
        volume: 100,
        ttl: None,
    };
    entity.fields[1].required = true;
    Design {
        name: format!("random {seed}"),
        entities: vec![entity],
        access_patterns: vec![
            AccessPattern::new("Write note", "Note", PatternKind::Insert),
            AccessPattern {
                equality: vec!["noteId".into()],
                ..AccessPattern::new("Get note", "Note", PatternKind::GetOne)
            },
        ],
        ..Design::default()
    }
}

struct Builder {
    rng: Rng,
}

/// A field a generated entity may have: its name, type and generator hint.
fn field_kinds(entity: &str) -> Vec<Field> {
    let g = |name: &str, ty: FieldType, generator: Option<Generator>| Field {
        generator,
        ..Field::new(name, ty)
    };
    let lower = lower_first(entity);
    vec![
        g("title", FieldType::String, Some(Generator::Title)),
        Field {
            // The values the workload draws from, as an enum says them; edge strings
            // among them, as the workload gives a field without an enum.
            enum_values: ["active", "pending", "", "a#b", "UPPER lower", "🎉 party"]
                .map(serde_json::Value::from)
                .to_vec(),
            ..g("status", FieldType::String, Some(Generator::Status))
        },
        g("city", FieldType::String, Some(Generator::City)),
        g("score", FieldType::Int, None),
        g("amount", FieldType::Decimal, Some(Generator::Price)),
        g("rating", FieldType::Double, None),
        g("views", FieldType::Long, None),
        g("createdAt", FieldType::Date, Some(Generator::Timestamp)),
        g("active", FieldType::Bool, None),
        g(
            "tags",
            FieldType::Array(Box::new(FieldType::String)),
            Some(Generator::Tag),
        ),
        Field {
            unique: true,
            ..g(&format!("{lower}Code"), FieldType::String, None)
        },
        Field {
            unique: true,
            ..g("email", FieldType::String, Some(Generator::Email))
        },
        g(
            "profile",
            FieldType::Object(vec![
                g("age", FieldType::Int, Some(Generator::Age)),
                g("city", FieldType::String, Some(Generator::City)),
            ]),
            None,
        ),
        g(
            "notes",
            FieldType::Array(Box::new(FieldType::Object(vec![
                g("text", FieldType::String, Some(Generator::Sentence)),
                g("at", FieldType::Date, None),
            ]))),
            None,
        ),
        g("body", FieldType::String, Some(Generator::Paragraph)),
    ]
}

impl Builder {
    fn new(seed: u64) -> Builder {
        Builder {
            rng: Rng::new(seed ^ 0x7261_6e64_6f6d),
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.rng.chance(percent)
    }

    fn below(&mut self, n: usize) -> usize {
        self.rng.below(n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let i = self.below(items.len());
        items.get(i)
    }

    fn build(mut self, seed: u64) -> Design {
        let n = 2 + self.below(3);
        let mut names: Vec<&str> = Vec::new();
        while names.len() < n {
            if let Some(name) = self.pick(ENTITY_NAMES).copied() {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let mut entities: Vec<Entity> = names.iter().map(|n| self.entity(n)).collect();
        let relationships = self.relationships(&mut entities);
        let mut design = Design {
            name: format!("random {seed}"),
            entities,
            relationships,
            ..Design::default()
        };
        design.access_patterns = self.patterns(&design);
        self.overrides(&mut design);
        design
    }

    fn entity(&mut self, name: &str) -> Entity {
        let lower = lower_first(name);
        let mut fields = Vec::new();
        let id = if self.chance(75) {
            let ty = match self.below(6) {
                0 | 1 => FieldType::String,
                2 => FieldType::ObjectId,
                3 => FieldType::Uuid,
                4 => FieldType::Int,
                _ => FieldType::Long,
            };
            let id = format!("{lower}Id");
            fields.push(Field {
                required: true,
                ..Field::new(&id, ty)
            });
            Some(id)
        } else {
            None
        };
        let mut kinds = field_kinds(name);
        let n = 2 + self.below(4);
        for _ in 0..n {
            if kinds.is_empty() {
                break;
            }
            let i = self.below(kinds.len());
            let mut f = kinds.remove(i);
            f.required = self.chance(60);
            fields.push(f);
        }
        let volume = *self.pick(&[0u64, 100, 10_000, 1_000_000]).unwrap_or(&100);
        Entity {
            name: name.to_string(),
            id,
            fields,
            volume,
            ttl: None,
        }
    }

    /// Relationships between pairs of entities: each entity has at most one parent (one-to-*),
    /// and any two may be many-to-many.
    fn relationships(&mut self, entities: &mut [Entity]) -> Vec<Relationship> {
        let mut out = Vec::new();
        let mut parented = vec![false; entities.len()];
        for i in 0..entities.len() {
            for j in 0..entities.len() {
                if i == j || !self.chance(30) {
                    continue;
                }
                let cardinality = match self.below(4) {
                    0 => Cardinality::OneToOne,
                    1 => Cardinality::OneToFew,
                    2 => Cardinality::OneToMany,
                    _ => Cardinality::ManyToMany,
                };
                let (from, to) = (entities[i].name.clone(), entities[j].name.clone());
                let m2m = cardinality == Cardinality::ManyToMany;
                if !m2m && parented[j] {
                    continue;
                }
                // Two entities relate one way only: a many-to-many pair and a parent's link
                // would both call the other side's id `<entity>Id`.
                if out.iter().any(|r: &Relationship| {
                    r.from == to && r.to == from || r.from == from && r.to == to
                }) {
                    continue;
                }
                let expected_count = match cardinality {
                    Cardinality::OneToOne => 1,
                    Cardinality::OneToFew => *self.pick(&[2u64, 3, 5, 10]).unwrap_or(&3),
                    _ => *self.pick(&[0u64, 5, 20, 200]).unwrap_or(&20),
                };
                let mut field = None;
                if !m2m {
                    parented[j] = true;
                    if self.chance(50) {
                        // A reference to the parent the child declares.
                        let name = format!("{}Id", lower_first(&from));
                        entities[j].fields.push(Field {
                            required: self.chance(70),
                            ..Field::new(&name, FieldType::Ref(from.clone()))
                        });
                        field = Some(name);
                    }
                }
                out.push(Relationship {
                    from,
                    to,
                    cardinality,
                    expected_count,
                    read_together: self.chance(40),
                    field,
                    embed: if self.chance(15) {
                        Some(self.chance(50))
                    } else {
                        None
                    },
                    on_delete: None,
                });
            }
        }
        out
    }

    fn patterns(&mut self, design: &Design) -> Vec<AccessPattern> {
        let mut out = Vec::new();
        for e in &design.entities {
            self.entity_patterns(design, e, &mut out);
        }
        // Names are unique: a second pattern of the same name gets a number.
        let mut seen: Vec<String> = Vec::new();
        for p in &mut out {
            let mut name = p.name.clone();
            let mut k = 2;
            while seen.contains(&name) {
                name = format!("{} {k}", p.name);
                k += 1;
            }
            p.name = name.clone();
            seen.push(name);
            p.requests_per_second = *self.pick(&[0.0, 1.0, 10.0, 100.0]).unwrap_or(&1.0);
        }
        out
    }

    fn entity_patterns(&mut self, design: &Design, e: &Entity, out: &mut Vec<AccessPattern>) {
        let name = &e.name;
        let id = e.id_name();
        let new = |label: &str, kind: PatternKind| {
            AccessPattern::new(&format!("{label} {name}"), name, kind)
        };
        let scalar = |f: &&Field| {
            !matches!(
                f.ty,
                FieldType::Array(_) | FieldType::Object(_) | FieldType::Binary
            )
        };
        let scalars: Vec<String> = e
            .fields
            .iter()
            .filter(scalar)
            .filter(|f| f.name != id)
            .map(|f| f.name.clone())
            .collect();
        let sortable: Vec<String> = e
            .fields
            .iter()
            .filter(|f| f.ty.is_numeric() || matches!(f.ty, FieldType::Date | FieldType::String))
            .filter(|f| f.name != id)
            .map(|f| f.name.clone())
            .collect();
        let numbers: Vec<String> = e
            .fields
            .iter()
            .filter(|f| f.ty.is_numeric() && f.name != id)
            .map(|f| f.name.clone())
            .collect();
        let texts: Vec<String> = e
            .fields
            .iter()
            .filter(|f| f.ty == FieldType::String)
            .map(|f| f.name.clone())
            .collect();
        let arrays: Vec<String> = e
            .fields
            .iter()
            .filter(|f| matches!(&f.ty, FieldType::Array(item) if **item == FieldType::String))
            .map(|f| f.name.clone())
            .collect();
        let uniques: Vec<String> = e
            .fields
            .iter()
            .filter(|f| f.unique && f.name != id)
            .map(|f| f.name.clone())
            .collect();
        if self.chance(90) {
            out.push(new("Add", PatternKind::Insert));
        }
        if self.chance(80) {
            out.push(AccessPattern {
                equality: vec![id.clone()],
                consistency: if self.chance(20) {
                    Consistency::Strong
                } else {
                    Consistency::Eventual
                },
                ..new("Get", PatternKind::GetOne)
            });
        }
        if let Some(u) = self.pick(&uniques).cloned() {
            let text = texts.contains(&u);
            out.push(AccessPattern {
                equality: vec![u],
                case_insensitive: text && self.chance(30),
                ..new("Find", PatternKind::GetOne)
            });
        }
        // Lists: by a field, by the parent, or by the other side of a many-to-many relationship.
        let mut bys: Vec<String> = scalars.clone();
        bys.extend(
            design
                .relationships
                .iter()
                .filter(|r| r.to == *name && r.cardinality != Cardinality::ManyToMany)
                .map(schemaplay_core::model::relations::reference_field),
        );
        for r in &design.relationships {
            if r.cardinality != Cardinality::ManyToMany {
                continue;
            }
            let (from_id, to_id) = schemaplay_core::model::relations::pair_id_fields(r);
            if r.to == *name {
                bys.push(from_id);
            } else if r.from == *name {
                bys.push(to_id);
            }
        }
        for _ in 0..1 + self.below(2) {
            let Some(by) = self.pick(&bys).cloned() else {
                break;
            };
            let sort = if self.chance(70) {
                self.pick(&sortable).cloned().map(|field| SortSpec {
                    field,
                    order: if self.chance(50) {
                        SortOrder::Asc
                    } else {
                        SortOrder::Desc
                    },
                })
            } else {
                None
            };
            // A range on the field the list binds by equality would say nothing more.
            let range = match &sort {
                Some(s) if s.field != by && self.chance(25) => Some(s.field.clone()),
                _ => None,
            };
            out.push(AccessPattern {
                equality: vec![by.clone()],
                sort,
                range,
                page_size: self.pick(&[None, Some(5), Some(20)]).cloned().flatten(),
                ..new(&format!("List by {by}"), PatternKind::List)
            });
            if self.chance(40) {
                out.push(AccessPattern {
                    equality: vec![by],
                    ..new("Count", PatternKind::Count)
                });
            }
        }
        if !texts.is_empty() && self.chance(20) {
            out.push(AccessPattern {
                fields: texts.iter().take(2).cloned().collect(),
                page_size: Some(10),
                ..new("Search", PatternKind::TextSearch)
            });
        }
        // Updates by id: set, increment (under a condition now and then), push.
        if let Some(f) = self.pick(&scalars).cloned() {
            if self.chance(70) {
                out.push(AccessPattern {
                    equality: vec![id.clone()],
                    fields: vec![f],
                    ..new("Change", PatternKind::Update)
                });
            }
        }
        if let Some(f) = self.pick(&numbers).cloned() {
            if self.chance(50) {
                let condition = if self.chance(50) {
                    Some(Condition {
                        field: f.clone(),
                        op: if self.chance(50) {
                            ConditionOp::Ge
                        } else {
                            ConditionOp::Lt
                        },
                        value: Some(serde_json::json!(if self.chance(50) { 0 } else { 10 })),
                    })
                } else {
                    None
                };
                out.push(AccessPattern {
                    equality: vec![id.clone()],
                    fields: vec![f],
                    update: Some(UpdateAction::Increment),
                    condition,
                    ..new("Bump", PatternKind::Update)
                });
            }
        }
        if let Some(f) = self.pick(&arrays).cloned() {
            if self.chance(40) {
                out.push(AccessPattern {
                    equality: vec![id.clone()],
                    fields: vec![f],
                    update: Some(UpdateAction::Push),
                    ..new("Append", PatternKind::Update)
                });
            }
        }
        if self.chance(50) {
            out.push(AccessPattern {
                equality: vec![id.clone()],
                ..new("Remove", PatternKind::Delete)
            });
        }
        // Now and then a write by a field that is not unique: which record it takes is each
        // database's own order.
        if self.chance(10) {
            let by = self.pick(&scalars).cloned();
            let set = self.pick(&scalars).cloned();
            let set = set.filter(|s| Some(s) != by.as_ref());
            if let (Some(by), Some(set)) = (by, set) {
                out.push(AccessPattern {
                    equality: vec![by],
                    fields: vec![set],
                    ..new("Retouch", PatternKind::Update)
                });
            }
        }
    }

    /// Now and then a key template of the user's own, and an index the user declares.
    fn overrides(&mut self, design: &mut Design) {
        for e in &design.entities {
            if !self.chance(12) {
                continue;
            }
            let prefix = schemaplay_core::names::key_prefix(&e.name);
            let id = e.id_name();
            let other = e
                .fields
                .iter()
                .find(|f| f.required && f.name != id && f.ty == FieldType::String)
                .map(|f| f.name.clone());
            let template = match (other, self.chance(50)) {
                (Some(f), true) => KeyTemplate {
                    pk: format!("{prefix}#<{f}>"),
                    sk: format!("{prefix}#<{id}>"),
                },
                _ => KeyTemplate {
                    pk: format!("{prefix}#<{id}>"),
                    sk: "INFO".to_string(),
                },
            };
            design.dynamo.key_templates.insert(e.name.clone(), template);
        }
        for e in &design.entities {
            let text = e
                .fields
                .iter()
                .find(|f| f.ty == FieldType::String && f.name != e.id_name());
            if let (Some(f), true) = (text, self.chance(12)) {
                let name = format!("{}Index", schemaplay_core::names::upper_first(&f.name));
                if design.dynamo.indexes.iter().any(|i| i.name == name) {
                    continue;
                }
                design.dynamo.indexes.push(IndexChoice {
                    name,
                    partition_key: f.name.clone(),
                    sort_key: None,
                    local: false,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn designs_are_valid_varied_and_the_same_for_a_seed() {
        let mut kinds = std::collections::BTreeSet::new();
        let mut cardinalities = std::collections::BTreeSet::new();
        let (mut templates, mut indexes) = (0, 0);
        for seed in 0..60 {
            let d = design(seed);
            assert_eq!(d, design(seed));
            assert!(
                schemaplay_core::validate(&d)
                    .iter()
                    .all(|f| f.severity != schemaplay_core::Severity::Error),
                "{seed}: {}",
                d.to_json()
            );
            kinds.extend(d.access_patterns.iter().map(|p| format!("{:?}", p.kind)));
            cardinalities.extend(d.relationships.iter().map(|r| r.cardinality.phrase()));
            templates += d.dynamo.key_templates.len();
            indexes += d.dynamo.indexes.len();
        }
        assert_eq!(kinds.len(), 7, "{kinds:?}");
        assert_eq!(cardinalities.len(), 4, "{cardinalities:?}");
        assert!(templates > 0 && indexes > 0);
    }
}
