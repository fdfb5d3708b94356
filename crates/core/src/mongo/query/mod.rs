//! The query each access pattern becomes, rendered from the values of an
//! argument record ([`MongoContext::query_for`], the seam a verifier drives)
//! or, for the derived layout, from sample record 0 through the same code.
//!
//! The filter is built first ([`Filter`]: the host document's id, equality,
//! many-to-many reads, the range, a text search); each kind of pattern then
//! renders its operation, one module per kind.

use serde_json::{json, Map, Value};

use super::decide::{lookups, many_read, ManyRead};
use super::document::{document, stored};
use super::place::{host_path, Placement};
use super::shell::shell_literal;
use super::{index, MongoContext, MongoQuery};
use crate::js::js_key;
use crate::model::relations::pair_id_fields;
use crate::model::*;
use crate::sample::{Args, Val, SAMPLE_WORDS};

pub(crate) mod aggregate;
mod count;
pub use aggregate::{group_id_key, group_output_path};
mod delete;
mod embedded;
mod fanout;
mod get;
mod insert;
pub(super) mod list;
mod text;
mod transaction;
mod update;

/// The values a query is rendered with.
struct Inputs<'v> {
    /// The entity's record: field values by field name.
    record: &'v Val,
    /// The host document's entity's record, for an embedded entity.
    parent: Option<&'v Val>,
    /// What an insert writes, in its stored form.
    document: Option<&'v Val>,
    /// The words of a text search.
    words: &'v str,
    /// Whether an increment adds the pattern's sample amount
    /// ([`AccessPattern::increment_sample`]) instead of the record's value.
    sample_amounts: bool,
    /// The values a many-to-many read binds when they are not the record's:
    /// the other side's id, and the id array of the other side's document
    /// when that side holds it (sample record 0 has neither).
    other: Option<(Val, Val)>,
}

impl Inputs<'_> {
    /// The value of one of the entity's fields (`_id` is its id), empty text when absent.
    fn value(&self, entity: &Entity, field: &str) -> Val {
        let key = if field == "_id" {
            entity.id_name()
        } else {
            field.to_string()
        };
        self.record
            .get(&key)
            .cloned()
            .unwrap_or(Val::Str(String::new()))
    }

    /// What an increment of `field` adds: the record's value of the field, or
    /// the pattern's sample amount.
    fn amount(&self, pattern: &AccessPattern, field: &str) -> Val {
        match self.record.get(field) {
            Some(v) if !self.sample_amounts => v.clone(),
            _ => Val::Int(pattern.increment_sample(field)),
        }
    }
}

/// A filter as Extended JSON and as mongosh text, built in step.
#[derive(Default)]
struct Filter {
    map: Map<String, Value>,
    shell: Vec<String>,
}

impl Filter {
    /// `path: value`.
    fn equal(&mut self, path: &str, value: &Val) {
        self.map.insert(path.to_string(), value.to_ejson());
        self.shell
            .push(format!("{}: {}", js_key(path), shell_literal(value)));
    }

    /// The mongosh text of the filter: `{}` or `{ a: 1, b: 'x' }`.
    fn text(&self) -> String {
        if self.shell.is_empty() {
            "{}".to_string()
        } else {
            format!("{{ {} }}", self.shell.join(", "))
        }
    }
}

/// What a pattern's kind renders: the operation, the update or inserted
/// document, the pipeline of an aggregate, the mongosh line.
struct Rendered {
    operation: &'static str,
    document: Option<Value>,
    pipeline: Option<Value>,
    shell: String,
}

impl Rendered {
    fn new(operation: &'static str, shell: String) -> Self {
        Rendered {
            operation,
            document: None,
            pipeline: None,
            shell,
        }
    }
}

/// What every kind's rendering reads.
struct Query<'q> {
    pattern: &'q AccessPattern,
    entity: &'q Entity,
    place: &'q Placement,
    /// The collection's name.
    coll: &'q str,
    /// The mongosh filter text.
    filter_text: String,
    /// `, { collation: … }` for a case-insensitive pattern, else empty.
    collation: &'static str,
    /// The sort's host path and direction.
    sort: Option<(String, i32)>,
    /// Where an insert of an embedded entity writes in its host document, and
    /// how: `$push` into an array, `$set` of one object.
    target: (String, &'static str),
}

impl<'a> MongoContext<'a> {
    /// The query a pattern becomes, with its values taken from `args`: the
    /// pattern's equality and range fields, the values an update sets (an
    /// increment adds the record's value of the field), the record an insert writes (into its host document where the layout
    /// embeds the entity; `args.parent` is then the host's record), the words
    /// of a text search. `pattern` may be one of the design's or any other
    /// (`AccessPattern::new("load", "User", PatternKind::Insert)` writes a
    /// user). None when the pattern's entity is unknown, or when an embedded
    /// entity's write or unfiltered read is asked without `args.parent`.
    ///
    /// A many-to-many list read through the other side's id array (the other
    /// side holds the ids: MongoDB reads that document first) takes the array
    /// from the record, under the array field's name (`studentIds`).
    pub fn query_for(&self, pattern: &AccessPattern, args: Args<'_>) -> Option<MongoQuery> {
        let entity = self.design.entity(&pattern.entity)?;
        let place = self.placement(&entity.name)?;
        let document = (pattern.kind == PatternKind::Insert).then(|| {
            let fields = match args.record {
                Val::Object(fields) => fields.clone(),
                _ => Vec::new(),
            };
            Val::Object(stored(
                self.design,
                entity,
                fields,
                usize::from(!place.prefix.is_empty()),
            ))
        });
        let inputs = Inputs {
            record: args.record,
            parent: args.parent,
            document: document.as_ref(),
            words: args.words.unwrap_or(SAMPLE_WORDS),
            sample_amounts: false,
            other: None,
        };
        self.render(pattern, entity, place, &inputs)
    }

    /// The query of the derived layout: the values of sample record 0.
    pub(super) fn sample_query(&self, pattern: &AccessPattern) -> Option<MongoQuery> {
        self.sample_query_at(pattern, 0)
    }

    /// A pattern's query with the values of sample record `index` of its entity (the layout
    /// renders record 0; an insert that runs on generated data writes
    /// [`crate::sample::NEW_RECORD`]). Its parent and the records it references stay record
    /// 0, which every generation holds.
    pub fn sample_query_at(&self, pattern: &AccessPattern, index: u64) -> Option<MongoQuery> {
        let entity = self.design.entity(&pattern.entity)?;
        let place = self.placement(&entity.name)?;
        let record = Val::Object(self.samples.record(entity, index));
        let parent = place
            .parent
            .as_ref()
            .and_then(|p| self.design.entity(p))
            .map(|p| Val::Object(self.samples.record(p, 0)));
        let document = (pattern.kind == PatternKind::Insert).then(|| {
            let depth = usize::from(!place.prefix.is_empty());
            Val::Object(document(
                &self.samples,
                &self.decisions,
                entity,
                index,
                depth,
            ))
        });
        let inputs = Inputs {
            record: &record,
            parent: parent.as_ref(),
            document: document.as_ref(),
            words: SAMPLE_WORDS,
            sample_amounts: true,
            other: self.sample_other_side(pattern),
        };
        self.render(pattern, entity, place, &inputs)
    }

    /// What a many-to-many read binds in the samples: record 0 of the other
    /// side, and its id array when it holds one.
    fn sample_other_side(&self, pattern: &AccessPattern) -> Option<(Val, Val)> {
        let bound = pattern.equality.first().map(String::as_str).unwrap_or("");
        match many_read(self.design, pattern)? {
            ManyRead::Multikey(_) => {
                let other = self
                    .design
                    .relationships
                    .iter()
                    .find_map(|r| {
                        let (from_id, to_id) = pair_id_fields(r);
                        if from_id == bound {
                            Some(r.from.clone())
                        } else if to_id == bound {
                            Some(r.to.clone())
                        } else {
                            None
                        }
                    })
                    .unwrap_or_default();
                Some((self.samples.id(&other, 0), Val::Array(Vec::new())))
            }
            ManyRead::ViaOther { field, other, .. } => {
                let ids = self
                    .design
                    .entity(&other)
                    .map(|o| document(&self.samples, &self.decisions, o, 0, 0))
                    .and_then(|d| d.into_iter().find(|(k, _)| *k == field).map(|(_, v)| v))
                    .unwrap_or(Val::Array(Vec::new()));
                Some((self.samples.id(&other, 0), ids))
            }
        }
    }

    fn render(
        &self,
        pattern: &AccessPattern,
        entity: &Entity,
        place: &Placement,
        inputs: &Inputs<'_>,
    ) -> Option<MongoQuery> {
        let mut filter = self.filter(pattern, entity, place, inputs)?;
        let coll = &place.collection;
        let index = index::index_for(&self.suggestions, coll, &pattern.name).or_else(|| {
            let by_id = filter.map.len() == 1 && filter.map.contains_key("_id");
            (by_id || pattern.kind == PatternKind::Insert).then(|| "_id_".to_string())
        });
        let query = Query {
            pattern,
            entity,
            place,
            coll,
            filter_text: filter.text(),
            collation: if pattern.case_insensitive {
                ", { collation: { locale: 'en', strength: 2 } }"
            } else {
                ""
            },
            // An aggregate sorts its groups in the pipeline.
            sort: pattern.item_sort().map(|s| {
                let dir = if s.order == SortOrder::Desc { -1 } else { 1 };
                (host_path(entity, place, &s.field), dir)
            }),
            target: self.insert_target(entity, place),
        };
        let embedded_read = !place.prefix.is_empty()
            && matches!(
                pattern.kind,
                PatternKind::GetOne | PatternKind::List | PatternKind::Count
            );
        let rendered = match pattern.kind {
            _ if embedded_read => embedded::render(&query, &filter, &joins(self, entity)),
            PatternKind::GetOne => get::render(self, &query, &filter),
            PatternKind::List => list::render(&query),
            PatternKind::TextSearch => text::render(&query),
            PatternKind::Count => count::render(&query),
            PatternKind::Insert => insert::render(&query, inputs),
            PatternKind::Update => update::render(&query, inputs, &mut filter),
            PatternKind::Delete => delete::render(&query, inputs),
            PatternKind::Aggregate => aggregate::render(&query, &filter, pattern.aggregation()?),
        };
        Some(MongoQuery {
            pattern: pattern.name.clone(),
            collection: coll.clone(),
            operation: rendered.operation.to_string(),
            filter: Value::Object(filter.map),
            sort: if pattern.kind == PatternKind::List && !embedded_read {
                let keys = list::page_sort(pattern, query.sort.as_ref());
                (!keys.is_empty())
                    .then(|| Value::Object(keys.into_iter().map(|(p, d)| (p, json!(d))).collect()))
            } else {
                query.sort.map(|(path, dir)| json!({ path: dir }))
            },
            limit: match pattern.kind {
                PatternKind::List | PatternKind::TextSearch => pattern.page_size,
                _ => None,
            },
            document: rendered.document,
            index,
            pipeline: rendered.pipeline,
            collation: pattern
                .case_insensitive
                .then(super::case_insensitive_collation),
            shell: rendered.shell,
            transaction: Vec::new(),
            cleanup: Vec::new(),
            fanout: Vec::new(),
            array_filters: None,
        })
        .map(|mut q| {
            if pattern.kind == PatternKind::Delete && place.prefix.is_empty() {
                let id = inputs.value(entity, "_id");
                let (cleanup, lines) = self.sample_cleanup(&entity.name, &id);
                if !lines.is_empty() {
                    q.shell = format!("{}\n{}", q.shell, lines.join("\n"));
                }
                q.cleanup = cleanup;
            }
            q.with_fanout(self.fanout(pattern, entity, inputs))
        })
    }

    /// The filter: the host document's id (an embedded entity's insert or
    /// unfiltered read), the equality fields or a many-to-many read, the
    /// range from its value on, a text search. None when the host's id is
    /// needed and there is no parent record.
    fn filter(
        &self,
        pattern: &AccessPattern,
        entity: &Entity,
        place: &Placement,
        inputs: &Inputs<'_>,
    ) -> Option<Filter> {
        let mut filter = Filter::default();
        // An embedded entity is reached through its host document's id, or
        // through its parent's id where the parent is embedded itself.
        if let Some(parent) = place.parent.as_ref().and_then(|p| self.design.entity(p)) {
            if pattern.kind == PatternKind::Insert || pattern.equality.is_empty() {
                let pid = inputs
                    .parent?
                    .get(&parent.id_name())
                    .cloned()
                    .unwrap_or(Val::Str(String::new()));
                let path = match self.placement(&parent.name) {
                    Some(pp) if !pp.prefix.is_empty() => {
                        format!("{}.{}", pp.prefix, parent.id_name())
                    }
                    _ => "_id".to_string(),
                };
                filter.equal(&path, &pid);
            }
        }
        let bound = pattern.equality.first().map(String::as_str).unwrap_or("");
        let (other_id, other_ids) = match &inputs.other {
            Some((id, ids)) => (id.clone(), Some(ids)),
            None => (inputs.value(entity, bound), None),
        };
        match many_read(self.design, pattern) {
            Some(ManyRead::Multikey(path)) => filter.equal(&path, &other_id),
            Some(ManyRead::ViaOther {
                collection, field, ..
            }) => {
                let ids = other_ids
                    .or(inputs.record.get(&field))
                    .cloned()
                    .unwrap_or(Val::Array(Vec::new()));
                filter
                    .map
                    .insert("_id".to_string(), json!({ "$in": ids.to_ejson() }));
                filter.shell.push(format!(
                    "_id: {{ $in: db.{collection}.findOne({{ _id: {} }}).{field} }}",
                    shell_literal(&other_id)
                ));
            }
            None => {
                let link = self.host_link(entity, place);
                for field in &pattern.equality {
                    // An embedded child's reference to its host is the host's own id.
                    let path = match &link {
                        Some(l) if l == field => "_id".to_string(),
                        _ => host_path(entity, place, field),
                    };
                    filter.equal(&path, &inputs.value(entity, field));
                }
            }
        }
        if let Some(range) = &pattern.range {
            let path = host_path(entity, place, range);
            let v = inputs.value(entity, range);
            // A field bound by equality too keeps its equality.
            let condition = match filter.map.remove(&path) {
                Some(equal) => json!({ "$eq": equal, "$gte": v.to_ejson() }),
                None => json!({ "$gte": v.to_ejson() }),
            };
            filter.map.insert(path.clone(), condition);
            filter.shell.push(format!(
                "{}: {{ $gte: {} }}",
                js_key(&path),
                shell_literal(&v)
            ));
        }
        if pattern.kind == PatternKind::TextSearch {
            text::filter(&mut filter, inputs.words);
        }
        Some(filter)
    }
}

impl MongoContext<'_> {
    /// Where an insert of an embedded entity writes in its host document: its
    /// path (through the positional `$` of its parent's element, when the
    /// parent is an element of an array itself), and `$push` when the entity
    /// is one of many in its parent, `$set` when it is the one.
    fn insert_target(&self, entity: &Entity, place: &Placement) -> (String, &'static str) {
        let parent = place.parent.as_deref().unwrap_or_default();
        let many = self
            .design
            .relationships
            .iter()
            .find(|r| r.from == parent && r.to == entity.name)
            .map_or(place.array, |r| r.cardinality != Cardinality::OneToOne);
        let op = if many { "$push" } else { "$set" };
        let outer = self.placement(parent).filter(|pp| !pp.prefix.is_empty());
        match (outer, place.prefix.rsplit_once('.')) {
            (Some(pp), Some((head, last))) if pp.array && head == pp.prefix => {
                (format!("{head}.$.{last}"), op)
            }
            _ => (place.prefix.clone(), op),
        }
    }

    /// The field by which an entity embedded directly in its host's documents
    /// refers to the host (`postId` of a comment): the relationship's reference
    /// field, or the entity's reference to the host entity. None for an entity
    /// with a collection of its own, or embedded deeper than one level.
    fn host_link(&self, entity: &Entity, place: &Placement) -> Option<String> {
        let host = place
            .parent
            .as_ref()
            .filter(|_| !place.prefix.contains('.'))?;
        let rel = self
            .design
            .relationships
            .iter()
            .find(|r| r.from == *host && r.to == entity.name)?;
        let declared = entity
            .fields
            .iter()
            .find(|f| f.ty == FieldType::Ref(host.clone()))
            .map(|f| f.name.clone());
        Some(declared.unwrap_or_else(|| crate::model::relations::reference_field(rel)))
    }
}

/// The referenced children a read of the entity joins with `$lookup`:
/// (their collection, their reference field, the name they join as).
fn joins(ctx: &MongoContext<'_>, entity: &Entity) -> Vec<(String, String, String)> {
    lookups(ctx.design, &ctx.decisions, &entity.name)
}
