//! A read before a write: when a write must read its item first, why; the
//! read itself (a strongly consistent GetItem by the key, or the Query that
//! finds the key); and the item it found, back as a record.

use serde_json::{json, Map, Value};

use super::super::keys::template_fields;
use super::super::plan::Path;
use super::super::TYPE_ATTRIBUTE;
use super::{Deriver, Draft, Operation, Request, Stored};
use crate::model::*;
use crate::sample::Val;

/// What a flag says of every read before a write, which the lint rule
/// `dynamo-read-before-write` looks for.
pub(super) const READ_BEFORE_WRITE: &str = "(a read before the write)";

impl Deriver<'_> {
    /// Why a write reads its item first, if it must: it goes by fields that
    /// are not the item's key (a Query finds the item); it changes a field of
    /// the item's key (the item moves), of an index key whose template holds
    /// values the arguments lack, or a unique value (its marker moves); its
    /// increment changes a key (the new key is the sum); a delete takes marker
    /// items named by the item's values; a child stored in its parent's list
    /// is removed by its position.
    pub(super) fn read_first(&self, r: &Request<'_>, path: &Path) -> Option<String> {
        let kind = r.pattern.kind;
        if !matches!(kind, PatternKind::Update | PatternKind::Delete) {
            return None;
        }
        let verb = if kind == PatternKind::Update {
            "UpdateItem"
        } else {
            "DeleteItem"
        };
        let reasons: Vec<String> = match path {
            Path::TablePartition { .. } => vec![format!(
                "DynamoDB writes one item by its full key: this Query finds the item first, then an {verb} writes it"
            )],
            Path::Index { name, .. } => vec![format!(
                "DynamoDB writes by the table's key only: this Query on {name} finds the key, then an {verb} writes the item"
            )],
            Path::Embedded { attribute } if kind == PatternKind::Delete => vec![format!(
                "removing one element of the {attribute} list takes its position: the parent's item is read first, then the element is removed on the condition that it is still there"
            )],
            Path::Key if kind == PatternKind::Update => self.update_reasons(r),
            Path::Key => {
                let uniques = self.unique_names(r.entity);
                if uniques.is_empty() {
                    Vec::new()
                } else {
                    vec![format!(
                        "the {uniques} marker item(s) are deleted with the item in one transaction; their values come from the item, read first"
                    )]
                }
            }
            _ => Vec::new(),
        };
        let mut reasons = reasons;
        if matches!(path, Path::Key) && self.changes_counters(r.pattern) {
            reasons.push(self.counter_read_reason(r));
        }
        if reasons.is_empty() {
            return None;
        }
        Some(format!("{} {READ_BEFORE_WRITE}", reasons.join("; ")))
    }

    /// Why an update by the item's key must read the item first.
    fn update_reasons(&self, r: &Request<'_>) -> Vec<String> {
        let p = r.pattern;
        let mut out = Vec::new();
        let changed = |template: &str| -> Vec<String> {
            template_fields(template)
                .into_iter()
                .filter(|f| p.fields.iter().any(|u| overlaps(u, f)))
                .collect()
        };
        let moved: Vec<String> = changed(&r.home.pk)
            .into_iter()
            .chain(changed(&r.home.sk))
            .collect();
        if !moved.is_empty() {
            out.push(format!(
                "the update changes {}, part of the item's key: it reads the item, then deletes it and puts it under its new key in one transaction",
                moved.join(", ")
            ));
        }
        let known = |f: &String| p.fields.contains(f) || p.equality.contains(f);
        for (i, pk, sk) in self.index_mappings(&r.entity.name) {
            if i.declared {
                continue; // The index key is the field itself, which the update sets.
            }
            let templates: Vec<&str> = std::iter::once(pk.as_str()).chain(sk.as_deref()).collect();
            // An optional field of the partition key set by the update may put
            // the item into the index: then every key attribute is written.
            let enters = may_enter(r.entity, p, pk);
            let rewritten: Vec<&str> = templates
                .iter()
                .copied()
                .filter(|t| enters || !changed(t).is_empty())
                .collect();
            let lacking: Vec<String> = rewritten
                .iter()
                .flat_map(|t| template_fields(t))
                .filter(|f| !known(f))
                .collect();
            if !lacking.is_empty() {
                out.push(format!(
                    "the update rewrites the {} key ({}), which also holds {}: it reads the item first for them",
                    i.name,
                    templates.join(" / "),
                    lacking.join(", ")
                ));
            }
        }
        for f in &p.fields {
            let unique = r
                .entity
                .field(f)
                .is_some_and(|x| x.unique && *f != r.entity.id_name());
            if unique && p.update.unwrap_or_default() == UpdateAction::Set {
                out.push(format!(
                    "{f} must stay unique: the update reads the old value and moves its marker item in one transaction"
                ));
            }
        }
        if p.update == Some(UpdateAction::Increment) {
            let keys = self.key_fields(&r.entity.name, &r.home.pk, &r.home.sk);
            for f in p
                .fields
                .iter()
                .filter(|f| keys.iter().any(|k| overlaps(f, k)))
            {
                out.push(format!(
                    "{f} is part of a key: the update reads the item to write the key of the sum, on the condition that {f} is unchanged"
                ));
            }
        }
        out
    }

    /// Every field the item's keys (table and indexes) name.
    pub(super) fn key_fields(&self, entity: &str, pk: &str, sk: &str) -> Vec<String> {
        let mut out: Vec<String> = template_fields(pk)
            .into_iter()
            .chain(template_fields(sk))
            .collect();
        for (i, ipk, isk) in self.index_mappings(entity) {
            if i.declared {
                continue;
            }
            out.extend(template_fields(ipk));
            out.extend(isk.iter().flat_map(|t| template_fields(t)));
        }
        out
    }

    /// A strongly consistent GetItem of the item by its key, read before the write.
    pub(super) fn read_item(&self, r: &Request<'_>) -> Draft {
        let mut d = self.by_key(r, Operation::GetItem);
        d.input.insert("ConsistentRead".into(), json!(true));
        d
    }

    /// A strongly consistent GetItem of the parent's item holding the
    /// entity; None without the parent's record.
    pub(super) fn read_parent(&self, r: &Request<'_>) -> Option<Draft> {
        let parent = r.home.parent.as_ref().and_then(|p| self.design.entity(p))?;
        let key = self.key_of(parent, r.inputs.parent?);
        let mut d = Draft::new(Operation::GetItem, r.table);
        d.input.insert("Key".into(), super::key_value(&key));
        d.input.insert("ConsistentRead".into(), json!(true));
        d.partition = Some(r.home.pk.clone());
        d.partition_values = parent.volume.max(1);
        d.items = 1;
        d.bytes = self.average_item_bytes(parent);
        Some(d)
    }

    /// The item a read before the write found in its answer (a GetItem's
    /// `Item`, the first of a Query's `Items` that is the entity's), as a
    /// record with its key; None when it found none.
    pub(super) fn found(&self, r: &Request<'_>, path: &Path, answer: &Value) -> Option<Stored> {
        let (entity, item) = match path {
            Path::Embedded { .. } => {
                let parent = r.home.parent.as_ref().and_then(|p| self.design.entity(p))?;
                (parent, answer.get("Item")?.as_object()?)
            }
            _ => {
                let item = match answer.get("Item") {
                    Some(item) => item.as_object(),
                    None => answer.get("Items")?.as_array()?.iter().find_map(|i| {
                        let i = i.as_object()?;
                        let t = i.get(TYPE_ATTRIBUTE).and_then(|t| t.get("S"));
                        (t.and_then(Value::as_str).is_none_or(|t| t == r.entity.name)).then_some(i)
                    }),
                };
                (r.entity, item?)
            }
        };
        let dynamo = &self.design.dynamo;
        let mut key = Map::new();
        for name in [&dynamo.partition_key, &dynamo.sort_key] {
            key.insert(name.clone(), item.get(name)?.clone());
        }
        Some(Stored {
            record: self.record_of_item(entity, item),
            key: Value::Object(key),
        })
    }

    /// An entity's item back as a record: every attribute but the table's
    /// keys, the derived index keys and the type, each read with its declared
    /// type (others as they are stored).
    pub(super) fn record_of_item(&self, entity: &Entity, item: &Map<String, Value>) -> Val {
        let dynamo = &self.design.dynamo;
        let derived: Vec<&String> = self
            .indexes
            .iter()
            .filter(|i| !i.declared)
            .flat_map(|i| {
                std::iter::once(&i.pk_attr)
                    .filter(move |_| !i.local)
                    .chain(i.sk_attr.as_ref())
            })
            .collect();
        let fields = item
            .iter()
            .filter(|(k, _)| {
                **k != dynamo.partition_key
                    && **k != dynamo.sort_key
                    && *k != TYPE_ATTRIBUTE
                    && !derived.contains(k)
            })
            .filter_map(|(k, v)| {
                let ty = entity.field(k).map(|f| &f.ty);
                Some((k.clone(), Val::from_attribute(v, ty)?))
            })
            .collect();
        Val::Object(fields)
    }
}

/// Whether an update may put the item into an index whose partition key
/// template is `pk`: it sets an optional field of it (a required one is
/// always there). Then every key attribute of the index is written.
pub(super) fn may_enter(entity: &Entity, pattern: &AccessPattern, pk: &str) -> bool {
    template_fields(pk).iter().any(|f| {
        pattern.fields.iter().any(|u| overlaps(u, f))
            && entity.field_path(f).is_none_or(|field| !field.required)
    })
}

/// Whether two field paths touch the same data: equal, or one inside the
/// other (`profile` and `profile.city`).
pub(in crate::dynamo) fn overlaps(a: &str, b: &str) -> bool {
    a == b
        || b.strip_prefix(a).is_some_and(|rest| rest.starts_with('.'))
        || a.strip_prefix(b).is_some_and(|rest| rest.starts_with('.'))
}
