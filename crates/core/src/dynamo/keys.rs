//! Key templates: where each entity's items live (its own partition, its
//! parent's item collection, or inside its parent's item), how a bound field
//! becomes part of a key, and how templates are filled from a record.

use super::Deriver;
use crate::model::relations::{embedded_field, many_to_many_read, pair_id_fields, writer_made_id};
use crate::model::validate::placeholders;
use crate::model::*;
use crate::names::{self, key_prefix, upper_first};
use crate::sample::{number_key, Val, NUMBER_KEY_DIGITS};

/// Where an entity's items live.
#[derive(Clone, Debug)]
pub(super) struct Home {
    /// The partition key template: `USER#<userId>`.
    pub(super) pk: String,
    /// The sort key template: `PROFILE`, `COMMENT#<createdAt>#<commentId>`.
    pub(super) sk: String,
    /// The entity whose item collection (or item) holds these items, if not their own.
    pub(super) parent: Option<String>,
    /// The list or map attribute of the parent's item holding this entity, when embedded.
    pub(super) embedded: Option<String>,
    pub(super) reason: String,
}

impl Deriver<'_> {
    pub(super) fn home_of(&self, entity: &str) -> Option<&Home> {
        self.homes.iter().find(|(n, _)| n == entity).map(|(_, h)| h)
    }

    /// The attribute of a child holding its parent's id.
    pub(super) fn parent_key(&self, rel: &Relationship, child: &Entity) -> String {
        if let Some(f) = &rel.field {
            if child.field(f).is_some() {
                return f.clone();
            }
        }
        if let Some(f) = child
            .fields
            .iter()
            .find(|f| f.ty == FieldType::Ref(rel.from.clone()))
        {
            return f.name.clone();
        }
        format!("{}Id", lower_first(&rel.from))
    }

    /// Whether some entity lives in this one's item collection (read together).
    pub(super) fn owns_collection(&self, entity: &str) -> bool {
        self.design.relationships.iter().any(|r| {
            r.from == entity
                && r.to != entity
                && r.read_together
                && r.cardinality != Cardinality::ManyToMany
                && !embedded_in_item(self.design, r)
        })
    }

    pub(super) fn own_sk(entity: &Entity) -> String {
        let account = entity.fields.iter().any(|f| {
            f.unique
                && (f.name.to_ascii_lowercase().contains("email")
                    || f.name.eq_ignore_ascii_case("username"))
        });
        if account { "PROFILE" } else { "METADATA" }.to_string()
    }

    pub(super) fn home(&self, entity: &Entity) -> Home {
        if let Some(t) = self.design.dynamo.key_templates.get(&entity.name) {
            return Home {
                pk: t.pk.clone(),
                sk: t.sk.clone(),
                parent: None,
                embedded: None,
                reason: "your key template".to_string(),
            };
        }
        if let Some(home) = self.home_in_parent_item(entity) {
            return home;
        }
        if self.design.dynamo.placements.get(&entity.name) == Some(&Placement::Own) {
            return self.own_home(entity);
        }
        self.design
            .relationships
            .iter()
            .find_map(|rel| self.home_in_parent_collection(entity, rel))
            .unwrap_or_else(|| self.own_home(entity))
    }

    /// Inside the parent's item, as a list or map attribute, when the entity
    /// is few, read with its parent and never on its own.
    fn home_in_parent_item(&self, entity: &Entity) -> Option<Home> {
        let rel = self
            .design
            .relationships
            .iter()
            .find(|r| r.to == entity.name && embedded_in_item(self.design, r))?;
        let parent = self.home(self.design.entity(&rel.from)?);
        let attr = embedded_field(self.design, rel);
        let words = names::plural(&names::words(&entity.name));
        Some(Home {
            pk: parent.pk,
            sk: parent.sk,
            parent: Some(rel.from.clone()),
            embedded: Some(attr.clone()),
            reason: format!(
                "{words} are stored inside each {} item, in its {attr} attribute: {}{}, read with the {} and never on their own, so one item holds both",
                names::words(&rel.from),
                rel.cardinality.phrase(),
                if rel.expected_count > 0 { format!(" (about {})", rel.expected_count) } else { String::new() },
                names::words(&rel.from)
            ),
        })
    }

    /// In the parent's item collection, sorted by the field its list sorts
    /// on, when the entity is read together with its parent or listed by the
    /// parent's id (and not read by its own id more, or strongly).
    fn home_in_parent_collection(&self, entity: &Entity, rel: &Relationship) -> Option<Home> {
        if rel.to != entity.name
            || rel.from == entity.name
            || rel.cardinality == Cardinality::ManyToMany
            || self.design.entity(&rel.from).is_none()
            || self.owns_collection(&entity.name) && !rel.read_together
        {
            return None;
        }
        let fk = self.parent_key(rel, entity);
        let listed = self.design.access_patterns.iter().find(|p| {
            p.entity == entity.name
                && matches!(p.kind, PatternKind::List | PatternKind::Count)
                && p.equality.contains(&fk)
                && p.equality.len() == 1
        });
        // The user's pick of the parent's collection stands unless link items
        // fetch the entity by its id alone (validation reports that).
        let picked = self.design.dynamo.placements.get(&entity.name) == Some(&Placement::Parent)
            && !self.fetched_through_links(entity);
        if !picked && !rel.read_together && (listed.is_none() || self.read_by_own_id(entity, &fk)) {
            return None;
        }
        let id = entity.id_name();
        let prefix = key_prefix(&entity.name);
        let sort_field = listed
            .and_then(|p| p.sort.as_ref().map(|s| s.field.clone()).or(p.range.clone()))
            .or_else(|| {
                // Children read together come back in insertion-time order when they have a date.
                entity
                    .fields
                    .iter()
                    .find(|f| {
                        f.ty == FieldType::Date && f.name.to_ascii_lowercase().contains("creat")
                    })
                    .map(|f| f.name.clone())
            })
            .filter(|f| *f != id);
        let (sk, order) = match &sort_field {
            Some(s) => (format!("{prefix}#<{s}>#<{id}>"), format!(", sorted by {s}")),
            None => (format!("{prefix}#<{id}>"), String::new()),
        };
        let parent_words = names::words(&rel.from);
        let why = if picked {
            "your placement".to_string()
        } else if rel.read_together {
            format!("read together with their {parent_words}")
        } else {
            format!(
                "listed by {parent_words} (\"{}\")",
                listed.map(|p| p.name.as_str()).unwrap_or("")
            )
        };
        let words = names::plural(&names::words(&entity.name));
        Some(Home {
            pk: format!("{}#<{fk}>", key_prefix(&rel.from)),
            sk,
            parent: Some(rel.from.clone()),
            embedded: None,
            reason: format!(
                "{words} live in their {parent_words}'s item collection: {why}, so one Query on the {parent_words}'s partition returns them{order}"
            ),
        })
    }

    /// Whether the entity is read by its own id more than through its parent's
    /// (`fk`), or strongly: it keeps its own partition then, where GetItem is
    /// exact and can be strongly consistent.
    fn read_by_own_id(&self, entity: &Entity, fk: &str) -> bool {
        let id = entity.id_name();
        let patterns = || {
            self.design
                .access_patterns
                .iter()
                .filter(|p| p.entity == entity.name)
        };
        let listing_rate: f64 = patterns()
            .filter(|p| !p.kind.is_write() && p.equality.iter().any(|f| f == fk))
            .map(|p| p.requests_per_second)
            .sum();
        let own_gets: Vec<&AccessPattern> = patterns()
            .filter(|p| p.kind == PatternKind::GetOne && p.equality == [id.clone()])
            .collect();
        let own_rate: f64 = own_gets.iter().map(|p| p.requests_per_second).sum();
        let strong = own_gets
            .iter()
            .any(|p| p.consistency == Consistency::Strong);
        !own_gets.is_empty() && (own_rate >= listing_rate || strong)
            || self.fetched_through_links(entity)
    }

    /// Whether a many-to-many read lists the entity: its link items hold only
    /// ids, so the items are then fetched by id (BatchGetItem), which needs
    /// each in a partition reached by its id alone.
    pub(super) fn fetched_through_links(&self, entity: &Entity) -> bool {
        self.design.access_patterns.iter().any(|p| {
            p.entity == entity.name
                && p.kind == PatternKind::List
                && many_to_many_read(self.design, p).is_some()
        })
    }

    /// A partition of its own, reached by the entity's id.
    fn own_home(&self, entity: &Entity) -> Home {
        let reason = if self.owns_collection(&entity.name) {
            format!(
                "each {} has its own partition, and its own item sorts beside the items read with it",
                names::words(&entity.name)
            )
        } else {
            format!(
                "each {} has its own partition, reached by its id",
                names::words(&entity.name)
            )
        };
        Home {
            pk: format!("{}#<{}>", key_prefix(&entity.name), entity.id_name()),
            sk: Self::own_sk(entity),
            parent: None,
            embedded: None,
            reason,
        }
    }

    /// The id field whose value needs a marker item to stay unique: an id
    /// the client chooses (a slug, a SKU, a sequence number: not
    /// [`writer_made_id`]) when the item's key holds more than the id
    /// (`TASK#<dueDate>#<taskId>`), so the put's `attribute_not_exists` guards
    /// only that exact key. Ids the writer makes new for every insert
    /// (ObjectIds, UUIDs) are never taken and need none.
    pub(super) fn id_marker<'e>(&self, entity: &'e Entity) -> Option<&'e Field> {
        let field = entity.id_field()?;
        if writer_made_id(entity) {
            return None;
        }
        let home = self.home_of(&entity.name)?;
        if home.embedded.is_some() {
            return None;
        }
        let fields: Vec<String> = template_fields(&home.pk)
            .into_iter()
            .chain(template_fields(&home.sk))
            .collect();
        fields.iter().any(|f| *f != field.name).then_some(field)
    }

    /// Every secondary index mapping of an entity: (index, pk template, sk template).
    pub(super) fn index_mappings<'s>(
        &'s self,
        entity: &'s str,
    ) -> impl Iterator<Item = (&'s super::index::IndexDraft, &'s String, &'s Option<String>)> + 's
    {
        self.indexes.iter().flat_map(move |i| {
            i.mappings
                .iter()
                .filter(move |(e, _, _)| e == entity)
                .map(move |(_, pk, sk)| (i, pk, sk))
        })
    }

    /// Whether an item holding `record` is in an index whose partition key
    /// template is `pk`: it holds every field the template names (indexes are
    /// sparse).
    pub(super) fn in_index(&self, pk: &str, record: &Val) -> bool {
        template_fields(pk).iter().all(|f| record.get(f).is_some())
    }

    /// The key template part for an equality field: `USER#<authorId>` for a
    /// reference, `CITY#<profile.city>` for a plain field.
    pub(super) fn key_part(&self, entity: &Entity, field: &str, case_insensitive: bool) -> String {
        let part = self.key_part_exact(entity, field);
        let text = entity
            .field_path(field)
            .is_some_and(|f| f.ty == FieldType::String);
        if case_insensitive && text {
            part.replace(&format!("<{field}>"), &format!("<{field}|lower>"))
        } else {
            part
        }
    }

    pub(super) fn key_part_exact(&self, entity: &Entity, field: &str) -> String {
        if field == entity.id_name() {
            return format!("{}#<{field}>", key_prefix(&entity.name));
        }
        if let Some(FieldType::Ref(target)) = entity.field_path(field).map(|f| &f.ty) {
            return format!("{}#<{field}>", key_prefix(target));
        }
        let last = field.rsplit('.').next().unwrap_or(field);
        format!("{}#<{field}>", key_prefix(&upper_first(last)))
    }

    pub(super) fn key_formats(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut templates: Vec<(String, String)> = Vec::new();
        for (entity, home) in &self.homes {
            templates.push((entity.clone(), home.sk.clone()));
            templates.push((entity.clone(), home.pk.clone()));
        }
        for i in &self.indexes {
            for (e, pk, sk) in &i.mappings {
                templates.push((e.clone(), pk.clone()));
                if let Some(sk) = sk {
                    templates.push((e.clone(), sk.clone()));
                }
            }
        }
        for (entity_name, template) in templates {
            for f in template_fields(&template) {
                if template.contains(&format!("<{f}|lower>")) {
                    let note = format!("<{f}|lower> is the lowercased {f}, so look-ups by it ignore letter case; the application lowercases the value it looks up");
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
            }
            let Some(entity) = self.design.entity(&entity_name) else {
                continue;
            };
            for f in template_fields(&template) {
                let Some(field) = entity.field_path(&f) else {
                    continue;
                };
                let note = match field.ty {
                    FieldType::Date => format!("<{f}> is written as an ISO 8601 UTC timestamp (2024-01-01T00:00:00.000Z), so text order is time order"),
                    FieldType::Int | FieldType::Long | FieldType::Double | FieldType::Decimal => format!("<{f}> is written with its integer part zero-padded to {NUMBER_KEY_DIGITS} digits and its fraction as it is (42.5 is {}), negative numbers with their digits complemented and a closing ~ (-42.5 is {}), so text order is number order", number_key("42.5"), number_key("-42.5")),
                    _ => continue,
                };
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
        notes
    }
}

pub(super) fn template_fields(template: &str) -> Vec<String> {
    placeholders(template)
        .unwrap_or_default()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// The constant text before the first placeholder: `COMMENT#` of `COMMENT#<createdAt>`.
pub(super) fn constant_prefix(template: &str) -> &str {
    template.split('<').next().unwrap_or("")
}

/// Fills a key template from an item's values.
pub fn render(template: &str, item: &Val) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let (field, lower) = match after[..close].split_once('|') {
            Some((field, "lower")) => (field, true),
            Some((field, _)) => (field, false),
            None => (&after[..close], false),
        };
        let text = item.get(field).map(Val::key_text).unwrap_or_default();
        out.push_str(&if lower { text.to_lowercase() } else { text });
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The key of the marker item that keeps a unique attribute unique:
/// `USER_EMAIL#john@example.com`. When a pattern looks the field up ignoring
/// letter case, the value is lowercased, as the lookup's key is, so
/// `John@Example.com` and `john@example.com` claim the same marker.
pub(super) fn marker_key(design: &Design, entity: &Entity, field: &Field, record: &Val) -> String {
    let value = record
        .get(&field.name)
        .map(Val::key_text)
        .unwrap_or_default();
    let value = if unique_ignores_case(design, entity, field) {
        value.to_lowercase()
    } else {
        value
    };
    format!(
        "{}_{}#{value}",
        key_prefix(&entity.name),
        key_prefix(&upper_first(&field.name)),
    )
}

/// Whether a text field is looked up ignoring letter case by some pattern,
/// which makes its uniqueness case-insensitive too.
fn unique_ignores_case(design: &Design, entity: &Entity, field: &Field) -> bool {
    field.ty == FieldType::String
        && design.access_patterns.iter().any(|p| {
            p.entity == entity.name && p.case_insensitive && p.equality.contains(&field.name)
        })
}

/// The name of a many-to-many relationship's link items: `Student/Course`.
pub fn link_name(rel: &Relationship) -> String {
    format!("{}/{}", rel.from, rel.to)
}

/// The keys of a link item, in the `from` side's partition: `STUDENT#<studentId>` / `COURSE#<courseId>`.
pub(super) fn link_keys(rel: &Relationship) -> (String, String) {
    let (a, b) = pair_id_fields(rel);
    (
        format!("{}#<{a}>", key_prefix(&rel.from)),
        format!("{}#<{b}>", key_prefix(&rel.to)),
    )
}

/// Most children embedded in one item as a list attribute.
pub const EMBED_LIMIT: u64 = 20;

/// Whether a relationship's children are stored inside the parent's item: few,
/// read with the parent, never read or updated on their own, with no children
/// of their own.
pub fn embedded_in_item(design: &Design, rel: &Relationship) -> bool {
    matches!(
        rel.cardinality,
        Cardinality::OneToOne | Cardinality::OneToFew
    ) && rel.read_together
        && rel.expected_count <= EMBED_LIMIT
        && rel.from != rel.to
        && rel.embed != Some(false)
        && design.entity(&rel.from).is_some()
        && !design.relationships.iter().any(|r| r.from == rel.to)
        && design
            .access_patterns
            .iter()
            .filter(|p| p.entity == rel.to)
            .all(|p| matches!(p.kind, PatternKind::Insert | PatternKind::Delete))
}
