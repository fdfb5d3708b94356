//! MongoDB index suggestions from the access patterns.
//!
//! Each read, update or delete pattern needs an index whose keys are its
//! equality fields first, then its sort, then its range (the ESR rule): the
//! query then walks the index in order, needs no in-memory sort and stops
//! after a page. Unique fields get a unique index; text search gets the one
//! text index a collection may have. A need that an existing index already
//! serves (its prefix) is merged into it instead of adding an index.

use serde_json::{Map, Value};

use super::{
    collection_of, host_path, lookups, many_read, placement, EmbedDecision, IndexSuggestion,
    ManyRead, Placement,
};
use crate::model::*;

mod declared;
pub(crate) use declared::{apply as apply_declared, ttl_indexes};

/// One key of an index: a field and 1, -1 or "text".
#[derive(Clone, Debug, PartialEq)]
enum Dir {
    Asc,
    Desc,
    Text,
}

#[derive(Clone, Debug)]
struct Need {
    collection: String,
    pattern: String,
    equality: Vec<String>,
    sort: Option<(String, Dir)>,
    range: Option<String>,
    case_insensitive: bool,
    /// The `_id` a paged list sorts on after its sort, in the sort's
    /// direction (ascending without a sort): see `query/list.rs`.
    tie: Option<Dir>,
}

impl Need {
    fn keys(&self) -> Vec<(String, Dir)> {
        let mut keys: Vec<(String, Dir)> = Vec::new();
        for f in &self.equality {
            if !keys.iter().any(|(k, _)| k == f) {
                keys.push((f.clone(), Dir::Asc));
            }
        }
        if let Some((f, d)) = &self.sort {
            if !keys.iter().any(|(k, _)| k == f) {
                keys.push((f.clone(), d.clone()));
            }
        }
        // A paged list's tie-breaker follows its sort, so that the index gives
        // the whole order: MongoDB keeps equal keys of an index in record
        // order, not `_id` order, and would sort the page in memory.
        if let Some(d) = &self.tie {
            if !keys.iter().any(|(k, _)| k == "_id") {
                keys.push(("_id".to_string(), d.clone()));
            }
        }
        if let Some(f) = &self.range {
            if !keys.iter().any(|(k, _)| k == f) {
                keys.push((f.clone(), Dir::Asc));
            }
        }
        keys
    }
}

#[derive(Clone, Debug)]
struct Draft {
    collection: String,
    keys: Vec<(String, Dir)>,
    unique: bool,
    case_insensitive: bool,
    serves: Vec<String>,
    reasons: Vec<String>,
}

/// Whether an index with these keys serves the need: its first keys are the
/// need's equality fields (in any order), followed by its sort and range.
fn serves(keys: &[(String, Dir)], ci: bool, need: &Need) -> bool {
    if ci != need.case_insensitive {
        return false;
    }
    let mut eq: Vec<&String> = need.equality.iter().collect();
    eq.sort();
    eq.dedup();
    if keys.len() < eq.len() {
        return false;
    }
    let Some(prefix) = keys.get(..eq.len()) else {
        return false;
    };
    let mut prefix_names: Vec<&String> = prefix.iter().map(|(k, _)| k).collect();
    prefix_names.sort();
    if prefix_names != eq || prefix.iter().any(|(_, d)| *d == Dir::Text) {
        return false;
    }
    let mut rest = keys.get(eq.len()..).unwrap_or(&[]).iter();
    // Whether the index is walked backwards for the sort.
    let mut backwards = false;
    if let Some((f, want)) = &need.sort {
        if eq.contains(&f) {
            // Sorting on a field bound by equality is free.
        } else {
            match rest.next() {
                // One sort key can be walked in either direction.
                Some((k, d)) if k == f && *d != Dir::Text => backwards = d != want,
                _ => return false,
            }
        }
    }
    if let Some(want) = &need.tie {
        let id_bound = eq.iter().any(|f| *f == "_id");
        if !id_bound {
            match rest.next() {
                // `_id` walked the same way as the sort key before it.
                Some((k, d)) if k == "_id" && *d != Dir::Text && (d != want) == backwards => {}
                _ => return false,
            }
        }
    }
    if let Some(r) = &need.range {
        let sorted_on_it = need.sort.as_ref().is_some_and(|(f, _)| f == r);
        if !eq.contains(&r) && !sorted_on_it {
            match rest.next() {
                Some((k, d)) if k == r && *d != Dir::Text => {}
                _ => return false,
            }
        }
    }
    true
}

fn index_name(keys: &[(String, Dir)]) -> String {
    keys.iter()
        .map(|(k, d)| match d {
            Dir::Asc => format!("{k}_1"),
            Dir::Desc => format!("{k}_-1"),
            Dir::Text => format!("{k}_text"),
        })
        .collect::<Vec<_>>()
        .join("_")
}

fn key_document(keys: &[(String, Dir)]) -> Value {
    let mut map = Map::new();
    for (k, d) in keys {
        let v = match d {
            Dir::Asc => Value::from(1),
            Dir::Desc => Value::from(-1),
            Dir::Text => Value::from("text"),
        };
        map.insert(k.clone(), v);
    }
    Value::Object(map)
}

fn describe_keys(keys: &[(String, Dir)]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|(k, d)| match d {
            Dir::Asc => format!("{k}: 1"),
            Dir::Desc => format!("{k}: -1"),
            Dir::Text => format!("{k}: 'text'"),
        })
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

fn esr_reason(need: &Need) -> String {
    let mut parts = Vec::new();
    if !need.equality.is_empty() {
        parts.push(format!("equality on {}", need.equality.join(", ")));
    }
    if let Some((f, d)) = &need.sort {
        let order = if *d == Dir::Desc {
            "descending"
        } else {
            "ascending"
        };
        parts.push(format!("then the sort on {f} ({order})"));
    }
    if need.tie.is_some() && !need.equality.iter().any(|f| f == "_id") {
        parts.push("then _id, the tie-breaker its pages are read by".to_string());
    }
    if let Some(r) = &need.range {
        if need.sort.as_ref().is_none_or(|(f, _)| f != r) {
            parts.push(format!("then the range on {r}"));
        } else {
            parts.push(format!("the range on {r} uses the same key"));
        }
    }
    let mut reason = format!("\"{}\": {}", need.pattern, parts.join(", "));
    if need.sort.is_some() || need.range.is_some() || need.tie.is_some() {
        reason.push_str(
            " (equality, sort, range: the query walks the index in order, with no in-memory sort)",
        );
    }
    if need.case_insensitive {
        reason.push_str("; built with a case-insensitive collation (strength 2), which the query must name too, instead of a /^...$/i regex that cannot use an index well");
    }
    reason
}

/// Every index suggestion of the design, grouped by collection.
pub(crate) fn suggest(
    design: &Design,
    decisions: &[EmbedDecision],
    placements: &[(String, Placement)],
) -> Vec<IndexSuggestion> {
    // Unique fields first: they are needed whatever the patterns say.
    let mut drafts = unique_indexes(design, placements);
    let mut needs = needs(design, decisions, placements);
    order_equality_by_sharing(&mut needs);
    // Longest needs first, so a shorter need that is a prefix merges into a longer index.
    needs.sort_by_key(|n| std::cmp::Reverse(n.keys().len()));
    for need in &needs {
        serve(&mut drafts, need);
    }
    drafts.extend(text_indexes(design, placements));
    // Keep the design's collection order, then uniques, compound, text.
    let order: Vec<String> = design
        .entities
        .iter()
        .map(|e| collection_of(design, &e.name))
        .collect();
    drafts.sort_by_key(|d| {
        order
            .iter()
            .position(|c| *c == d.collection)
            .unwrap_or(usize::MAX)
    });
    let named: Vec<String> = drafts
        .iter()
        .map(|d| {
            // An index on the same keys with a collation needs a name of its own
            // (MongoDB's default name is made of the keys alone).
            let twin = d.case_insensitive
                && drafts.iter().any(|o| {
                    !o.case_insensitive && o.collection == d.collection && o.keys == d.keys
                });
            let name = index_name(&d.keys);
            if twin {
                format!("{name}_ci")
            } else {
                name
            }
        })
        .collect();
    drafts
        .into_iter()
        .zip(named)
        .map(|(d, name)| IndexSuggestion {
            name,
            keys: key_document(&d.keys),
            collection: d.collection,
            unique: d.unique,
            case_insensitive: d.case_insensitive,
            serves: d.serves,
            reason: d.reasons.join("; "),
            declared: None,
        })
        .collect()
}

/// A unique index on every unique field of an entity with a collection of its own.
fn unique_indexes(design: &Design, placements: &[(String, Placement)]) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for entity in &design.entities {
        let Some(place) = placement(placements, &entity.name) else {
            continue;
        };
        if !place.prefix.is_empty() {
            continue;
        }
        for field in &entity.fields {
            if field.unique && Some(field) != entity.id_field() {
                drafts.push(Draft {
                    collection: place.collection.clone(),
                    keys: vec![(field.name.clone(), Dir::Asc)],
                    unique: true,
                    case_insensitive: false,
                    serves: Vec::new(),
                    reasons: vec![format!(
                        "{} is unique: the unique index enforces it",
                        field.name
                    )],
                });
            }
        }
        drafts.extend(identity_index(design, entity, &place.collection));
    }
    drafts
}

/// The compound unique index on the fields that identify an entity's records
/// together (`key_identity`: a key template without the id, a SQL composite
/// primary key): `{ orderId: 1, lineNo: 1 }`, case-insensitive where the key
/// lowercases a value (`<email|lower>`).
fn identity_index(design: &Design, entity: &Entity, collection: &str) -> Option<Draft> {
    let parts = crate::model::relations::key_identity(design, entity);
    if parts.is_empty() {
        return None;
    }
    let names = match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            let rest: Vec<&str> = rest.iter().map(|p| p.field.as_str()).collect();
            format!("{} and {}", rest.join(", "), last.field)
        }
        _ => parts.iter().map(|p| p.field.as_str()).collect(),
    };
    let template = design.dynamo.key_templates.get(&entity.name)?;
    Some(Draft {
        collection: collection.to_string(),
        keys: parts.iter().map(|p| (p.field.clone(), Dir::Asc)).collect(),
        unique: true,
        case_insensitive: parts.iter().any(|p| p.lowered),
        serves: Vec::new(),
        reasons: vec![format!(
            "{} together identify each {} (its key {} / {}, a composite primary key): the compound unique index keeps them unique together, as the key does in DynamoDB",
            names,
            crate::names::words(&entity.name),
            template.pk,
            template.sk
        )],
    })
}

/// The patterns to serve, as entities of their host document, with what each
/// needs of an index; text searches and inserts need none here.
fn needs(
    design: &Design,
    decisions: &[EmbedDecision],
    placements: &[(String, Placement)],
) -> Vec<Need> {
    let mut needs = Vec::new();
    for pattern in &design.access_patterns {
        let Some(entity) = design.entity(&pattern.entity) else {
            continue;
        };
        let Some(place) = placement(placements, &entity.name) else {
            continue;
        };
        if matches!(pattern.kind, PatternKind::Insert | PatternKind::TextSearch) {
            continue;
        }
        // A read that joins referenced children needs their reference field indexed.
        if place.prefix.is_empty() && pattern.kind == PatternKind::GetOne {
            for (collection, field, _) in lookups(design, decisions, &entity.name) {
                needs.push(Need {
                    collection,
                    pattern: pattern.name.clone(),
                    equality: vec![field],
                    sort: None,
                    range: None,
                    case_insensitive: false,
                    tie: None,
                });
            }
        }
        let equality: Vec<String> = match many_read(design, pattern) {
            // Read through the other side's id array: the _id index serves it.
            Some(ManyRead::ViaOther { .. }) => continue,
            Some(ManyRead::Multikey(path)) => vec![path],
            None => pattern
                .equality
                .iter()
                .map(|f| host_path(entity, place, f))
                .collect(),
        };
        let need = Need {
            collection: place.collection.clone(),
            pattern: pattern.name.clone(),
            equality,
            // An aggregate's sort orders its groups, after the index's work.
            sort: pattern.item_sort().map(|s| {
                (
                    host_path(entity, place, &s.field),
                    if s.order == SortOrder::Desc {
                        Dir::Desc
                    } else {
                        Dir::Asc
                    },
                )
            }),
            range: pattern.range.as_ref().map(|r| host_path(entity, place, r)),
            case_insensitive: pattern.case_insensitive,
            tie: paged_find(pattern, place).then(|| match &pattern.sort {
                Some(s) if s.order == SortOrder::Desc => Dir::Desc,
                _ => Dir::Asc,
            }),
        };
        let keys = need.keys();
        // The _id index serves look-ups by id alone; nothing to suggest.
        if keys.is_empty() || (keys.len() == 1 && keys.iter().all(|(k, _)| k == "_id")) {
            continue;
        }
        needs.push(need);
    }
    needs
}

/// Whether a pattern is a paged list read by `find` (its collection's own
/// documents, not an embedded entity's aggregate), which sorts on `_id` too.
fn paged_find(pattern: &AccessPattern, place: &Placement) -> bool {
    pattern.kind == PatternKind::List && pattern.page_size.is_some() && place.prefix.is_empty()
}

/// Puts the equality fields shared by more needs of a collection first, so
/// shorter needs can use a longer index's prefix.
fn order_equality_by_sharing(needs: &mut [Need]) {
    let mut shared: Vec<(String, String, usize)> = Vec::new();
    for n in needs.iter() {
        for f in &n.equality {
            match shared
                .iter_mut()
                .find(|(c, k, _)| *c == n.collection && k == f)
            {
                Some(entry) => entry.2 += 1,
                None => shared.push((n.collection.clone(), f.clone(), 1)),
            }
        }
    }
    for n in needs.iter_mut() {
        let count = |f: &String| {
            shared
                .iter()
                .find(|(c, k, _)| *c == n.collection && k == f)
                .map(|(_, _, c)| *c)
                .unwrap_or(0)
        };
        let mut ordered = n.equality.clone();
        ordered.sort_by_key(|f| std::cmp::Reverse(count(f)));
        n.equality = ordered;
    }
}

/// Serves a need with an index: the unique index of its field made
/// case-insensitive, an existing index whose prefix serves it, or a new one.
fn serve(drafts: &mut Vec<Draft>, need: &Need) {
    // A case-insensitive look-up of a unique field: make the unique index
    // case-insensitive, so uniqueness ignores letter case too.
    if need.case_insensitive {
        let keys = need.keys();
        if let Some(unique) = drafts.iter_mut().find(|d| {
            d.unique && !d.case_insensitive && d.collection == need.collection && d.keys == keys
        }) {
            unique.case_insensitive = true;
            unique.serves.push(need.pattern.clone());
            unique.reasons.push(format!(
                "built with a case-insensitive collation (strength 2) for \"{}\", so uniqueness ignores letter case too; the query must name the same collation",
                need.pattern
            ));
            return;
        }
    }
    let existing = drafts
        .iter_mut()
        .filter(|d| d.collection == need.collection)
        .find(|d| serves(&d.keys, d.case_insensitive, need));
    let Some(draft) = existing else {
        drafts.push(Draft {
            collection: need.collection.clone(),
            keys: need.keys(),
            unique: false,
            case_insensitive: need.case_insensitive,
            serves: vec![need.pattern.clone()],
            reasons: vec![esr_reason(need)],
        });
        return;
    };
    draft.serves.push(need.pattern.clone());
    let keys = need.keys();
    if keys.len() < draft.keys.len() {
        draft.reasons.push(format!(
            "also serves \"{}\" through its prefix {}",
            need.pattern,
            describe_keys(&keys)
        ));
    } else if draft.unique && draft.serves.len() == 1 {
        draft
            .reasons
            .push(format!("and serves \"{}\"", need.pattern));
    } else {
        draft
            .reasons
            .push(format!("also serves \"{}\"", need.pattern));
    }
}

/// Text search: one text index per collection, with every searched field.
fn text_indexes(design: &Design, placements: &[(String, Placement)]) -> Vec<Draft> {
    let mut text: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for pattern in &design.access_patterns {
        if pattern.kind != PatternKind::TextSearch {
            continue;
        }
        let Some(entity) = design.entity(&pattern.entity) else {
            continue;
        };
        let Some(place) = placement(placements, &entity.name) else {
            continue;
        };
        let fields: Vec<String> = pattern
            .fields
            .iter()
            .map(|f| host_path(entity, place, f))
            .collect();
        match text.iter_mut().find(|(c, _, _)| *c == place.collection) {
            Some((_, existing, patterns)) => {
                for f in fields {
                    if !existing.contains(&f) {
                        existing.push(f);
                    }
                }
                patterns.push(pattern.name.clone());
            }
            None => text.push((place.collection.clone(), fields, vec![pattern.name.clone()])),
        }
    }
    text.into_iter()
        .map(|(collection, fields, patterns)| {
            let names = fields.join(", ");
            Draft {
                collection,
                keys: fields.into_iter().map(|f| (f, Dir::Text)).collect(),
                unique: false,
                case_insensitive: false,
                reasons: vec![format!(
                    "text search on {names} needs a text index; a collection has at most one, so every text search pattern on it shares this one"
                )],
                serves: patterns,
            }
        })
        .collect()
}

/// The name of the suggested index that serves a pattern.
pub(crate) fn index_for(
    suggestions: &[IndexSuggestion],
    collection: &str,
    pattern: &str,
) -> Option<String> {
    suggestions
        .iter()
        .find(|s| s.collection == collection && s.serves.iter().any(|p| p == pattern))
        .map(|s| s.name.clone())
}
