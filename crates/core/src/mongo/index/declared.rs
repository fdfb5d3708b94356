//! The indexes a design declares (`mongo.indexes`). A collection with any
//! declared index has exactly those (and `_id`): the suggestions for it are
//! dropped, and the advice says which patterns each declared index serves
//! (the same ESR test the suggestions pass), which serve none, which are a
//! prefix of another, and which patterns no declared index serves (with the
//! index that would, as a finding).

use serde_json::{Map, Value};

use super::{describe_keys, esr_reason, key_document, needs, serves, Dir, Need};
use crate::model::*;
use crate::mongo::{
    collection_of, host_path, placement, DeclaredOptions, EmbedDecision, IndexSuggestion, Placement,
};

/// One declared index with what the advice needs of it.
struct Declared<'d> {
    position: usize,
    index: &'d MongoIndex,
    collection: String,
    keys: Vec<(String, Dir)>,
    serves: Vec<String>,
    reasons: Vec<String>,
}

impl Declared<'_> {
    /// Whether the query of a need can walk this index: the same ESR test as a
    /// suggestion, under the same collation as the query (MongoDB bounds
    /// strings on an index only when the collations are equal), not a partial
    /// index (used only when the query's filter implies the partial filter,
    /// which a pattern's query does not state), and, for a sparse index, a
    /// condition on one of its keys (else documents without them would be missed).
    /// A paged list's `_id` tie-breaker is not asked of a declared index: one
    /// ending in the sort field still bounds the query and orders its pages
    /// (the suggestion adds `_id`, which also spares the sort of equal values).
    fn serves(&self, need: &Need) -> bool {
        let need = &Need {
            tie: None,
            ..need.clone()
        };
        if self.collection != need.collection
            || self.index.partial_filter_expression.is_some()
            || self.index.is_text()
        {
            return false;
        }
        let collation_matches = match &self.index.collation {
            None => !need.case_insensitive,
            Some(c) if c.locale == "simple" => !need.case_insensitive,
            Some(c) => need.case_insensitive && c.locale == "en" && c.strength == Some(2),
        };
        let bound = |k: &String| need.equality.contains(k) || need.range.as_ref() == Some(k);
        let sparse_ok = !self.index.sparse || self.keys.iter().any(|(k, _)| bound(k));
        collation_matches && sparse_ok && serves(&self.keys, need.case_insensitive, need)
    }

    fn path(&self) -> String {
        format!("mongo.indexes[{}]", self.position)
    }
}

/// The layout's indexes with the declared ones in place of the suggestions of
/// their collections, and the findings about them (empty without declarations).
pub(crate) fn apply(
    design: &Design,
    decisions: &[EmbedDecision],
    placements: &[(String, Placement)],
    suggestions: Vec<IndexSuggestion>,
) -> (Vec<IndexSuggestion>, Vec<Finding>) {
    if design.mongo.indexes.is_empty() {
        return (suggestions, Vec::new());
    }
    let mut declared: Vec<Declared> = design
        .mongo
        .indexes
        .iter()
        .enumerate()
        .filter_map(|(position, index)| {
            let entity = design.entity(&index.entity)?;
            let place = placement(placements, &entity.name)?;
            let keys = index
                .keys
                .iter()
                .map(|k| {
                    let dir = match k.order {
                        KeyOrder::Asc => Dir::Asc,
                        KeyOrder::Desc => Dir::Desc,
                        KeyOrder::Text => Dir::Text,
                    };
                    (host_path(entity, place, &k.field), dir)
                })
                .collect();
            Some(Declared {
                position,
                index,
                collection: place.collection.clone(),
                keys,
                serves: Vec::new(),
                reasons: Vec::new(),
            })
        })
        .collect();
    let mut findings = Vec::new();
    let collections: Vec<String> = declared.iter().map(|d| d.collection.clone()).collect();
    let is_declared = |c: &str| collections.iter().any(|d| d == c);
    let mut missing: Vec<(String, String)> = Vec::new();
    for need in needs(design, decisions, placements) {
        if !is_declared(&need.collection) {
            continue;
        }
        match declared.iter_mut().find(|d| d.serves(&need)) {
            Some(d) => {
                if !d.serves.contains(&need.pattern) {
                    d.serves.push(need.pattern.clone());
                    d.reasons.push(format!("serves {}", esr_reason(&need)));
                }
            }
            None => missing.push((need.pattern.clone(), need.collection.clone())),
        }
    }
    for (pattern, fields, collection) in text_needs(design, placements) {
        if !is_declared(&collection) {
            continue;
        }
        let text = declared.iter_mut().find(|d| {
            d.collection == collection
                && d.index.is_text()
                && fields
                    .iter()
                    .all(|f| d.keys.iter().any(|(k, dir)| k == f && *dir == Dir::Text))
        });
        match text {
            Some(d) => {
                d.serves.push(pattern.clone());
                d.reasons.push(format!(
                    "serves \"{pattern}\": its text search on {}",
                    fields.join(", ")
                ));
            }
            None => missing.push((pattern, collection)),
        }
    }
    missing.dedup();
    for (pattern, collection) in &missing {
        findings.push(missing_finding(design, &suggestions, pattern, collection));
    }
    let mut redundant_ones = Vec::new();
    for (i, a) in declared.iter().enumerate() {
        let wider = declared
            .iter()
            .enumerate()
            .find(|(j, b)| *j != i && redundant(a, b, i > *j));
        if let Some((_, b)) = wider {
            redundant_ones.push(i);
            findings.push(Finding::warning(
                "mongo-index-redundant",
                a.path(),
                format!(
                    "\"{}\" {} is a prefix of \"{}\" {} with the same options: that index serves every query this one does, and each write maintains both",
                    a.index.index_name(),
                    describe_keys(&a.keys),
                    b.index.index_name(),
                    describe_keys(&b.keys)
                ),
            ));
        }
    }
    // A redundant index serves nothing either; its redundancy is the finding.
    for (i, d) in declared.iter().enumerate() {
        if let Some(f) = unused(d).filter(|_| !redundant_ones.contains(&i)) {
            findings.push(f);
        }
    }
    for d in &mut declared {
        d.reasons.insert(0, declared_reason(d));
    }
    let order: Vec<String> = design
        .entities
        .iter()
        .map(|e| collection_of(design, &e.name))
        .collect();
    let mut indexes: Vec<IndexSuggestion> = suggestions
        .into_iter()
        .filter(|s| !declared.iter().any(|d| d.collection == s.collection))
        .collect();
    indexes.extend(declared.into_iter().map(suggestion));
    indexes.sort_by_key(|s| {
        order
            .iter()
            .position(|c| *c == s.collection)
            .unwrap_or(usize::MAX)
    });
    (indexes, findings)
}

/// Each text search pattern with its host fields and collection.
fn text_needs(
    design: &Design,
    placements: &[(String, Placement)],
) -> Vec<(String, Vec<String>, String)> {
    design
        .access_patterns
        .iter()
        .filter(|p| p.kind == PatternKind::TextSearch)
        .filter_map(|p| {
            let entity = design.entity(&p.entity)?;
            let place = placement(placements, &entity.name)?;
            let fields = p
                .fields
                .iter()
                .map(|f| host_path(entity, place, f))
                .collect();
            Some((p.name.clone(), fields, place.collection.clone()))
        })
        .collect()
}

/// The finding of a pattern no declared index serves, with the index that would.
fn missing_finding(
    design: &Design,
    suggestions: &[IndexSuggestion],
    pattern: &str,
    collection: &str,
) -> Finding {
    let path = design
        .access_patterns
        .iter()
        .position(|p| p.name == pattern)
        .map(|i| format!("accessPatterns[{i}]"))
        .unwrap_or_default();
    let suggestion = suggestions
        .iter()
        .find(|s| s.collection == collection && s.serves.iter().any(|p| p == pattern));
    let advice = match suggestion {
        Some(s) => format!(
            "; declare db.{collection}.createIndex({}, {{ {} }}) ({})",
            crate::js::js_literal(&s.keys, 0).replace('\n', " "),
            s.options_js(true).join(", "),
            s.reason
        ),
        None => String::new(),
    };
    Finding::warning(
        "mongo-index-missing",
        path,
        format!(
            "no declared index on {collection} serves \"{pattern}\": every run examines the whole collection{advice}"
        ),
    )
}

/// A declared index that serves no pattern and enforces nothing (not unique, not TTL).
fn unused(d: &Declared) -> Option<Finding> {
    if !d.serves.is_empty() || d.index.unique || d.index.expire_after_seconds.is_some() {
        return None;
    }
    let why = match &d.index.partial_filter_expression {
        Some(filter) => format!(
            ": it is partial, and the planner uses it only for a query whose filter implies {filter}, which no pattern's query states"
        ),
        None => String::new(),
    };
    Some(Finding::warning(
        "mongo-index-unused",
        d.path(),
        format!(
            "\"{}\" on {} serves no access pattern{why}; every write maintains it for nothing",
            d.index.index_name(),
            d.collection
        ),
    ))
}

/// Whether `a` is redundant beside `b`: its keys are a prefix of b's (same
/// directions, or all reversed), under the same collation, and a neither
/// enforces anything (unique, TTL) nor indexes fewer documents (partial,
/// sparse) while b indexes every document. Equal keys make the later one
/// redundant (`later`: a comes after b).
fn redundant(a: &Declared, b: &Declared, later: bool) -> bool {
    if a.collection != b.collection
        || a.index.is_text()
        || b.index.is_text()
        || a.index.unique
        || a.index.expire_after_seconds.is_some()
        || a.index.partial_filter_expression.is_some()
        || a.index.sparse
        || b.index.partial_filter_expression.is_some()
        || b.index.sparse
        || a.index.collation != b.index.collation
        || a.keys.len() > b.keys.len()
        || (a.keys.len() == b.keys.len() && !later)
    {
        return false;
    }
    let same = a.keys.iter().zip(&b.keys).all(|(x, y)| x == y);
    let reversed = a.keys.iter().zip(&b.keys).all(|(x, y)| {
        x.0 == y.0 && matches!((&x.1, &y.1), (Dir::Asc, Dir::Desc) | (Dir::Desc, Dir::Asc))
    });
    same || reversed
}

fn declared_reason(d: &Declared) -> String {
    let mut what = vec!["declared".to_string()];
    if d.index.unique {
        what.push("unique".into());
    }
    if d.index.sparse {
        what.push("sparse".into());
    }
    if let Some(filter) = &d.index.partial_filter_expression {
        what.push(format!("partial on {filter}"));
    }
    if let Some(seconds) = d.index.expire_after_seconds {
        let field = d.keys.first().map(|(k, _)| k.as_str()).unwrap_or_default();
        what.push(format!(
            "TTL: a document expires {seconds} s after its {field}"
        ));
    }
    if let Some(c) = &d.index.collation {
        what.push(format!("collation {}", c.to_json()));
    }
    let mut reason = what.join(", ");
    if d.serves.is_empty() {
        reason.push_str("; serves no access pattern");
    }
    reason
}

fn suggestion(d: Declared) -> IndexSuggestion {
    let weights: Map<String, Value> = d
        .index
        .keys
        .iter()
        .zip(&d.keys)
        .filter_map(|(k, (path, _))| Some((path.clone(), Value::from(k.weight?))))
        .collect();
    IndexSuggestion {
        collection: d.collection,
        name: d.index.index_name(),
        keys: key_document(&d.keys),
        unique: d.index.unique,
        case_insensitive: d
            .index
            .collation
            .as_ref()
            .is_some_and(IndexCollation::ignores_case),
        serves: d.serves,
        reason: d.reasons.join("; "),
        declared: Some(DeclaredOptions {
            position: Some(d.position),
            sparse: d.index.sparse,
            partial_filter_expression: d.index.partial_filter_expression.clone(),
            expire_after_seconds: d.index.expire_after_seconds,
            collation: d.index.collation.as_ref().map(IndexCollation::to_json),
            weights: (!weights.is_empty()).then_some(Value::Object(weights)),
        }),
    }
}

/// The TTL index of each entity with a `ttl` and a collection of its own: an
/// index on the date field with `expireAfterSeconds`. An index already on that
/// field alone (declared or suggested) becomes the TTL index, as MongoDB builds
/// one index per key pattern; a declared TTL index is left as declared. An
/// embedded entity gets none: a TTL index deletes whole documents, its host's.
pub(crate) fn ttl_indexes(
    design: &Design,
    placements: &[(String, Placement)],
    indexes: &mut Vec<IndexSuggestion>,
) {
    for entity in &design.entities {
        let Some(ttl) = &entity.ttl else {
            continue;
        };
        let Some(place) = placement(placements, &entity.name).filter(|p| p.prefix.is_empty())
        else {
            continue;
        };
        let keys = key_document(&[(ttl.field.clone(), Dir::Asc)]);
        let reason = format!(
            "TTL: the entity's ttl; MongoDB deletes a document {} s after its {}",
            ttl.after_seconds, ttl.field
        );
        let same = indexes
            .iter_mut()
            .find(|i| i.collection == place.collection && i.keys == keys && !i.case_insensitive);
        match same {
            Some(i) => {
                let options = i.declared.get_or_insert_with(DeclaredOptions::default);
                if options.expire_after_seconds.is_none() {
                    options.expire_after_seconds = Some(ttl.after_seconds);
                    i.reason = format!("{}; {reason}", i.reason);
                }
            }
            None => indexes.push(IndexSuggestion {
                collection: place.collection.clone(),
                name: format!("{}_1", ttl.field),
                keys,
                unique: false,
                case_insensitive: false,
                serves: Vec::new(),
                reason,
                declared: Some(DeclaredOptions {
                    expire_after_seconds: Some(ttl.after_seconds),
                    ..DeclaredOptions::default()
                }),
            }),
        }
    }
}
