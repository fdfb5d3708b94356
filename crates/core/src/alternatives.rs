//! Layout alternatives side by side: for each relationship and access
//! pattern where experts choose between layouts, every alternative computed
//! by the real derivation with the choice applied, with its cost, the
//! requests each pattern takes, consistency notes and the findings it brings.
//!
//! The choices are the design's own optional attributes: a relationship's
//! `embed` (embed or reference), `dynamo.placements` (a child in its parent's
//! item collection or in a partition of its own), `dynamo.keyTemplates` (the
//! parent's partition keyed by the child's id, `USER#<authorId>` /
//! `POST#<postId>`, as the user's own sketch has it) and `dynamo.sortIndexes`
//! (a local or a global index for a sort on another field). An alternative
//! equal to what the derivation picks by itself clears the attribute when
//! applied, so the design keeps following the derivation.

use serde::{Deserialize, Serialize};

use crate::analysis::{analyze, Analysis};
use crate::dynamo::{embedded_in_item, DynamoRequest};
use crate::model::counters::counter_blocker;
use crate::model::layout_choices::{link_read, parent_relationship, sorts};
use crate::model::relations::reference_field;
use crate::model::*;
use crate::names::{self, key_prefix};

/// One decision with its alternatives.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    /// Stable id naming the decision: `embed:User/Post`, `placement:Post`,
    /// `sortIndex:List a user's posts`.
    pub id: String,
    /// What is decided, in words.
    pub title: String,
    /// Where in the design the choice is recorded (`relationships[0].embed`).
    pub path: String,
    pub alternatives: Vec<Alternative>,
}

/// One way to lay the data out, derived with the choice applied.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Alternative {
    /// Stable within its choice: `embed`, `reference`, `parent`, `parentById`,
    /// `own`, `template`, `local`, `global`.
    pub key: String,
    pub label: String,
    /// What the derivation picks when the design says nothing.
    pub derived: bool,
    /// What the design has now.
    pub selected: bool,
    /// What applying it writes into the design (for the derived alternative, the choice's
    /// attributes cleared, so the design keeps following the derivation).
    pub setting: Setting,
    /// The layout this alternative gives what the choice concerns, one line each.
    pub layout: Vec<String>,
    pub cost: AlternativeCost,
    /// The requests each pattern of the entities concerned takes.
    pub patterns: Vec<PatternRequests>,
    pub consistency: Vec<String>,
    /// Warnings and errors this alternative has that the design now has not.
    pub new_findings: Vec<Finding>,
    /// Warnings and errors the design has now that this alternative has not.
    pub resolved_findings: Vec<Finding>,
}

/// The monthly cost of the whole design with this alternative, from [`crate::cost`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AlternativeCost {
    pub on_demand_monthly: f64,
    pub provisioned_monthly: f64,
    pub storage_monthly: f64,
    pub dynamo_storage_gb: f64,
    /// MongoDB: documents times their average size, over every collection.
    pub mongo_bytes: u64,
}

/// How one pattern is served in each database.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PatternRequests {
    pub pattern: String,
    pub mongo: Requests,
    pub dynamo: Requests,
}

/// The requests a pattern takes in one database.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Requests {
    /// How many requests, one after the other (a second that needs the
    /// first's answer).
    pub count: usize,
    /// `Query on GSI1`, `GetItem, then TransactWriteItems`, `aggregate with $lookup`.
    pub operations: String,
    /// Monthly on-demand cost of the pattern (DynamoDB only; 0 for MongoDB).
    pub on_demand_monthly: f64,
}

/// A setting of the design attributes one choice covers: what applying an alternative writes
/// into the design ([`Setting::apply`]), so a caller holding an [`Alternative`] records it
/// without deriving anything again.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub enum Setting {
    Embed {
        relationship: usize,
        embed: Option<bool>,
    },
    Place {
        entity: String,
        placement: Option<Placement>,
        template: Option<KeyTemplate>,
    },
    SortIndex {
        pattern: String,
        scope: Option<IndexScope>,
    },
    Counter {
        pattern: String,
        choice: Option<CounterChoice>,
    },
}

impl Setting {
    /// Writes the setting into `design`.
    pub fn apply(&self, design: &mut Design) {
        match self {
            Setting::Embed {
                relationship,
                embed,
            } => {
                if let Some(r) = design.relationships.get_mut(*relationship) {
                    r.embed = *embed;
                }
            }
            Setting::Place {
                entity,
                placement,
                template,
            } => {
                let dynamo = &mut design.dynamo;
                match placement {
                    Some(p) => dynamo.placements.insert(entity.clone(), *p),
                    None => dynamo.placements.remove(entity),
                };
                match template {
                    Some(t) => dynamo.key_templates.insert(entity.clone(), t.clone()),
                    None => dynamo.key_templates.remove(entity),
                };
            }
            Setting::SortIndex { pattern, scope } => {
                match scope {
                    Some(s) => design.dynamo.sort_indexes.insert(pattern.clone(), *s),
                    None => design.dynamo.sort_indexes.remove(pattern),
                };
            }
            Setting::Counter { pattern, choice } => {
                match choice {
                    Some(c) => design.dynamo.counters.insert(pattern.clone(), *c),
                    None => design.dynamo.counters.remove(pattern),
                };
            }
        }
    }

    /// The same attributes, cleared: what the derivation decides alone.
    fn cleared(&self) -> Setting {
        match self {
            Setting::Embed { relationship, .. } => Setting::Embed {
                relationship: *relationship,
                embed: None,
            },
            Setting::Place { entity, .. } => Setting::Place {
                entity: entity.clone(),
                placement: None,
                template: None,
            },
            Setting::SortIndex { pattern, .. } => Setting::SortIndex {
                pattern: pattern.clone(),
                scope: None,
            },
            Setting::Counter { pattern, .. } => Setting::Counter {
                pattern: pattern.clone(),
                choice: None,
            },
        }
    }

    /// This setting as the design has it now.
    fn current(&self, design: &Design) -> Setting {
        match self {
            Setting::Embed { relationship, .. } => Setting::Embed {
                relationship: *relationship,
                embed: design
                    .relationships
                    .get(*relationship)
                    .and_then(|r| r.embed),
            },
            Setting::Place { entity, .. } => Setting::Place {
                entity: entity.clone(),
                placement: design.dynamo.placements.get(entity).copied(),
                template: design.dynamo.key_templates.get(entity).cloned(),
            },
            Setting::SortIndex { pattern, .. } => Setting::SortIndex {
                pattern: pattern.clone(),
                scope: design.dynamo.sort_indexes.get(pattern).copied(),
            },
            Setting::Counter { pattern, .. } => Setting::Counter {
                pattern: pattern.clone(),
                choice: design.dynamo.counters.get(pattern).copied(),
            },
        }
    }
}

/// A candidate before it is compared with the others.
struct Candidate {
    key: &'static str,
    label: String,
    setting: Setting,
}

/// A decision before derivation: its candidates and what it concerns.
struct Decision {
    id: String,
    title: String,
    path: String,
    candidates: Vec<Candidate>,
    /// The entities whose patterns are compared.
    entities: Vec<String>,
    /// The patterns compared, when not every pattern of `entities`.
    pattern: Option<String>,
}

/// Every choice of the design with its alternatives, each derived with the
/// choice applied. A choice whose alternatives all give the same layout is
/// left out (there is nothing to choose). Works on invalid designs too, but
/// offers no alternative that does not validate.
pub fn alternatives(design: &Design) -> Vec<Choice> {
    let now = analyze(design);
    decisions(design)
        .into_iter()
        .filter_map(|d| choice(design, &now, d))
        .collect()
}

/// The design with one alternative applied: `choice` is a [`Choice::id`],
/// `alternative` one of its [`Alternative::key`]s.
pub fn apply(design: &Design, choice: &str, alternative: &str) -> Result<Design, String> {
    if !decisions(design).iter().any(|d| d.id == choice) {
        let ids: Vec<String> = alternatives(design)
            .into_iter()
            .map(|c| format!("\"{}\"", c.id))
            .collect();
        return Err(format!(
            "no choice is named \"{choice}\" (this design has {})",
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        ));
    }
    let offered = alternatives(design);
    let Some(found) = offered.iter().find(|c| c.id == choice) else {
        return Err(format!(
            "\"{choice}\" has only one layout in this design: there is nothing to choose"
        ));
    };
    let Some(alt) = found.alternatives.iter().find(|a| a.key == alternative) else {
        let keys: Vec<String> = found
            .alternatives
            .iter()
            .map(|a| format!("\"{}\"", a.key))
            .collect();
        return Err(format!(
            "\"{choice}\" has no alternative \"{alternative}\" (it has {})",
            keys.join(", ")
        ));
    };
    let mut out = design.clone();
    alt.setting.apply(&mut out);
    Ok(out)
}

/// The decisions experts weigh in this design, with their candidates.
fn decisions(design: &Design) -> Vec<Decision> {
    let mut out = Vec::new();
    for (i, rel) in design.relationships.iter().enumerate() {
        if rel.cardinality == Cardinality::ManyToMany
            || rel.from == rel.to
            || design.entity(&rel.from).is_none()
            || design.entity(&rel.to).is_none()
        {
            continue;
        }
        // A side of a many-to-many relationship is looked up by id from the
        // other side: it keeps a collection of its own. (Forcing `embed` there
        // makes the MongoDB many-to-many reads find nothing: the verifier shows it.)
        let in_many_to_many = |e: &str| {
            design
                .relationships
                .iter()
                .any(|r| r.cardinality == Cardinality::ManyToMany && (r.from == e || r.to == e))
        };
        if in_many_to_many(&rel.to) {
            continue;
        }
        let children = names::plural(&names::words(&rel.to));
        let parent = names::words(&rel.from);
        let setting = |embed| Setting::Embed {
            relationship: i,
            embed: Some(embed),
        };
        out.push(Decision {
            id: format!("embed:{}/{}", rel.from, rel.to),
            title: format!("{children} of each {parent}: embedded or referenced"),
            path: format!("relationships[{i}].embed"),
            candidates: vec![
                Candidate {
                    key: "embed",
                    label: format!("embed the {children} in the {parent}"),
                    setting: setting(true),
                },
                Candidate {
                    key: "reference",
                    label: format!("{children} apart, referencing their {parent}"),
                    setting: setting(false),
                },
            ],
            entities: vec![rel.from.clone(), rel.to.clone()],
            pattern: None,
        });
    }
    for entity in &design.entities {
        let Some(rel) = parent_relationship(design, &entity.name) else {
            continue;
        };
        // Children stored inside their parent's item are the embed choice's.
        if link_read(design, &entity.name).is_some() || embedded_in_item(design, rel) {
            continue;
        }
        let children = names::plural(&names::words(&entity.name));
        let parent = names::words(&rel.from);
        let place = |placement, template| Setting::Place {
            entity: entity.name.clone(),
            placement,
            template,
        };
        let sketch = parent_by_id(rel, entity);
        let mut candidates = vec![Candidate {
            key: "parent",
            label: format!(
                "{children} in their {parent}'s item collection: one Query reads the {parent} with its {children}"
            ),
            setting: place(Some(Placement::Parent), None),
        }];
        if let Some(t) = &sketch {
            candidates.push(Candidate {
                key: "parentById",
                label: format!(
                    "{children} in their {parent}'s partition, keyed by id ({} / {})",
                    t.pk, t.sk
                ),
                setting: place(None, Some(t.clone())),
            });
        }
        candidates.push(Candidate {
            key: "own",
            label: format!(
                "each {} in its own partition; the {parent}'s {children} through an index",
                names::words(&entity.name)
            ),
            setting: place(Some(Placement::Own), None),
        });
        if let Some(t) = design.dynamo.key_templates.get(&entity.name) {
            if Some(t) != sketch.as_ref() {
                candidates.push(Candidate {
                    key: "template",
                    label: format!("your key template ({} / {})", t.pk, t.sk),
                    setting: place(None, Some(t.clone())),
                });
            }
        }
        out.push(Decision {
            id: format!("placement:{}", entity.name),
            title: format!("{children} in DynamoDB: in their {parent}'s partition or their own"),
            path: format!("dynamo.placements.{}", entity.name),
            candidates,
            entities: vec![rel.from.clone(), entity.name.clone()],
            pattern: None,
        });
    }
    for p in &design.access_patterns {
        if !sorts(p) {
            continue;
        }
        let setting = |scope| Setting::SortIndex {
            pattern: p.name.clone(),
            scope: Some(scope),
        };
        out.push(Decision {
            id: format!("sortIndex:{}", p.name),
            title: format!("\"{}\": a local or a global index", p.name),
            path: format!("dynamo.sortIndexes.{}", p.name),
            candidates: vec![
                Candidate {
                    key: "local",
                    label: "a local index: the same partition re-sorted, strongly consistent reads possible, 10 GB per item collection".to_string(),
                    setting: setting(IndexScope::Local),
                },
                Candidate {
                    key: "global",
                    label: "a global index: partitions of its own, eventually consistent, no size limit per key".to_string(),
                    setting: setting(IndexScope::Global),
                },
            ],
            entities: vec![p.entity.clone()],
            pattern: Some(p.name.clone()),
        });
    }
    out.extend(counter_decisions(design));
    out
}

/// A counter item or a read of the items, per count or aggregate pattern a
/// counter item can serve.
fn counter_decisions(design: &Design) -> Vec<Decision> {
    let mut out = Vec::new();
    for p in &design.access_patterns {
        if !matches!(p.kind, PatternKind::Count | PatternKind::Aggregate)
            || counter_blocker(p).is_some()
        {
            continue;
        }
        let setting = |choice| Setting::Counter {
            pattern: p.name.clone(),
            choice: Some(choice),
        };
        let items = names::plural(&names::words(&p.entity));
        let read = if p.kind == PatternKind::Count && !p.equality.is_empty() {
            "a Query with Select COUNT, which reads (and bills) every item it counts"
        } else {
            "a Scan of the table the client groups and computes"
        };
        out.push(Decision {
            id: format!("counter:{}", p.name),
            title: format!("\"{}\": a counter item or a read of the {items}", p.name),
            path: format!("dynamo.counters.{}", p.name),
            candidates: vec![
                Candidate {
                    key: "counter",
                    label: format!("a counter item per group, one GetItem or Query to read; each insert, delete and counted update of the {items} adds to it in its TransactWriteItems (twice the write units, a read before a delete)"),
                    setting: setting(CounterChoice::Counter),
                },
                Candidate {
                    key: "read",
                    label: format!("read the {items} each time: {read}; the writes stay single"),
                    setting: setting(CounterChoice::Read),
                },
            ],
            entities: vec![p.entity.clone()],
            pattern: Some(p.name.clone()),
        });
    }
    out
}

/// The user's own sketch of a child in its parent's partition: `USER#<authorId>` /
/// `POST#<postId>`, when the child has a field holding its parent's id and an id field.
fn parent_by_id(rel: &Relationship, child: &Entity) -> Option<KeyTemplate> {
    let declared = reference_field(rel);
    let fk = match child.field(&declared) {
        Some(f) => f.name.clone(),
        None => child
            .fields
            .iter()
            .find(|f| f.ty == FieldType::Ref(rel.from.clone()))?
            .name
            .clone(),
    };
    let id = child.id_field()?;
    Some(KeyTemplate {
        pk: format!("{}#<{fk}>", key_prefix(&rel.from)),
        sk: format!("{}#<{}>", key_prefix(&child.name), id.name),
    })
}

/// A decision's alternatives, derived; `None` when they do not differ.
fn choice(design: &Design, now: &Analysis, decision: Decision) -> Option<Choice> {
    let cleared = decision.candidates.first()?.setting.cleared();
    let mut base = design.clone();
    cleared.apply(&mut base);
    let derived_view = signature(&decision, &analyze(&base));
    let current = decision.candidates.first()?.setting.current(design);
    let mut seen: Vec<String> = Vec::new();
    let mut alternatives = Vec::new();
    for candidate in &decision.candidates {
        let mut d = design.clone();
        candidate.setting.apply(&mut d);
        if validate(&d).iter().any(|f| f.severity == Severity::Error) {
            continue;
        }
        let analysis = analyze(&d);
        let view = signature(&decision, &analysis);
        if seen.contains(&view) {
            continue;
        }
        seen.push(view.clone());
        let derived = view == derived_view;
        let selected = current == candidate.setting || derived && current == cleared;
        alternatives.push(alternative(
            &decision, candidate, &d, &analysis, now, derived, selected,
        ));
    }
    if alternatives.len() < 2 {
        return None;
    }
    keep_differences(&mut alternatives);
    Some(Choice {
        id: decision.id,
        title: decision.title,
        path: decision.path,
        alternatives,
    })
}

/// Keeps, of each alternative, the patterns and the consistency notes that
/// differ between the alternatives: what is the same in all is no reason to
/// choose. A finding whose message changed but not its rule and place (a
/// Scan reading more items) is left out of what is new and what is gone.
fn keep_differences(alternatives: &mut [Alternative]) {
    let first = alternatives[0].clone();
    let same_pattern = |p: &PatternRequests| {
        alternatives
            .iter()
            .all(|a| a.patterns.iter().any(|q| q == p))
    };
    let shared_patterns: Vec<String> = first
        .patterns
        .iter()
        .filter(|p| same_pattern(p))
        .map(|p| p.pattern.clone())
        .collect();
    let shared_notes: Vec<String> = first
        .consistency
        .iter()
        .filter(|n| alternatives.iter().all(|a| a.consistency.contains(n)))
        .cloned()
        .collect();
    for a in alternatives.iter_mut() {
        a.patterns.retain(|p| !shared_patterns.contains(&p.pattern));
        a.consistency.retain(|n| !shared_notes.contains(n));
        let (new, gone) = (a.new_findings.clone(), a.resolved_findings.clone());
        let moved =
            |f: &Finding, other: &[Finding]| other.iter().any(|g| g.id == f.id && g.path == f.path);
        a.new_findings.retain(|f| !moved(f, &gone));
        a.resolved_findings.retain(|f| !moved(f, &new));
    }
}

/// What tells one alternative's layout from another's, for what the decision concerns.
fn signature(decision: &Decision, analysis: &Analysis) -> String {
    layout_lines(decision, analysis).join("\n")
}

fn layout_lines(decision: &Decision, analysis: &Analysis) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(pattern) = &decision.pattern {
        if let Some(r) = analysis
            .dynamo
            .requests
            .iter()
            .find(|r| r.pattern == *pattern)
        {
            let index = r
                .index
                .as_ref()
                .and_then(|i| analysis.dynamo.indexes.iter().find(|x| x.name == *i));
            lines.push(match index {
                Some(i) => {
                    let keys = analysis
                        .dynamo
                        .entities
                        .iter()
                        .flat_map(|e| e.index_keys.iter())
                        .find(|k| k.index == i.name)
                        .map(|k| format!("{} / {}", k.pk, k.sk.as_deref().unwrap_or("-")))
                        .unwrap_or_default();
                    format!(
                        "DynamoDB: {} on {} ({} index), keys {keys}",
                        r.operation, i.name, i.kind
                    )
                }
                None => format!("DynamoDB: {} on the table", r.operation),
            });
        }
        for c in analysis
            .dynamo
            .counters
            .iter()
            .filter(|c| c.pattern == *pattern)
        {
            lines.push(format!(
                "DynamoDB: counter items {} / {} ({}), kept by {}",
                c.pk,
                c.sk,
                c.attributes.join(", "),
                c.kept_by.join(", ")
            ));
        }
        return lines;
    }
    for d in &analysis.mongo.decisions {
        if decision.entities.contains(&d.to) && decision.entities.contains(&d.from) {
            lines.push(format!(
                "MongoDB: {} ({})",
                d.path,
                if d.embed { "embedded" } else { "reference" }
            ));
        }
    }
    for e in &analysis.dynamo.entities {
        if !decision.entities.contains(&e.entity) {
            continue;
        }
        let mut line = format!("DynamoDB: {}: {} / {}", e.entity, e.pk, e.sk);
        if let Some(attr) = &e.attribute {
            line.push_str(&format!(" (inside the item, in {attr})"));
        }
        for k in &e.index_keys {
            line.push_str(&format!(
                "; {}: {} / {}",
                k.index,
                k.pk,
                k.sk.as_deref().unwrap_or("-")
            ));
        }
        lines.push(line);
    }
    lines
}

fn alternative(
    decision: &Decision,
    candidate: &Candidate,
    design: &Design,
    analysis: &Analysis,
    now: &Analysis,
    derived: bool,
    selected: bool,
) -> Alternative {
    // A sort's index is paid for by every write of its entity too.
    let concerned = |p: &AccessPattern| match &decision.pattern {
        Some(name) => p.name == *name || p.kind.is_write() && decision.entities.contains(&p.entity),
        None => decision.entities.contains(&p.entity),
    };
    let patterns: Vec<PatternRequests> = design
        .access_patterns
        .iter()
        .filter(|p| concerned(p))
        .map(|p| PatternRequests {
            pattern: p.name.clone(),
            mongo: mongo_requests(analysis, &p.name),
            dynamo: dynamo_requests(analysis, &p.name),
        })
        .collect();
    let consistency = consistency_notes(decision, design, analysis);
    let serious = |f: &&Finding| f.severity != Severity::Info;
    let has = |a: &Analysis, f: &Finding| a.findings.iter().any(|g| g == f);
    Alternative {
        key: candidate.key.to_string(),
        label: candidate.label.clone(),
        derived,
        selected,
        setting: if derived {
            candidate.setting.cleared()
        } else {
            candidate.setting.clone()
        },
        layout: layout_lines(decision, analysis),
        cost: AlternativeCost {
            on_demand_monthly: analysis.cost.on_demand_monthly,
            provisioned_monthly: analysis.cost.provisioned_monthly,
            storage_monthly: analysis.cost.storage_monthly,
            dynamo_storage_gb: analysis.cost.storage_gb,
            mongo_bytes: analysis
                .mongo
                .collections
                .iter()
                .map(|c| c.documents.saturating_mul(c.average_document_bytes))
                .fold(0u64, u64::saturating_add),
        },
        patterns,
        consistency,
        new_findings: analysis
            .findings
            .iter()
            .filter(serious)
            .filter(|f| !has(now, f))
            .cloned()
            .collect(),
        resolved_findings: now
            .findings
            .iter()
            .filter(serious)
            .filter(|f| !has(analysis, f))
            .cloned()
            .collect(),
    }
}

fn mongo_requests(analysis: &Analysis, pattern: &str) -> Requests {
    let Some(q) = analysis.mongo.queries.iter().find(|q| q.pattern == pattern) else {
        return Requests {
            count: 0,
            operations: String::new(),
            on_demand_monthly: 0.0,
        };
    };
    let lookup = q
        .pipeline
        .as_ref()
        .is_some_and(|p| p.to_string().contains("\"$lookup\""));
    let mut operations = format!("{} on {}", q.operation, q.collection);
    if lookup {
        operations.push_str(" with $lookup");
    }
    if let Some(i) = &q.index {
        operations.push_str(&format!(" (index {i})"));
    }
    Requests {
        count: 1,
        operations,
        on_demand_monthly: 0.0,
    }
}

fn dynamo_requests(analysis: &Analysis, pattern: &str) -> Requests {
    let Some(r) = analysis
        .dynamo
        .requests
        .iter()
        .find(|r| r.pattern == pattern)
    else {
        return Requests {
            count: 0,
            operations: String::new(),
            on_demand_monthly: 0.0,
        };
    };
    let mut steps = Vec::new();
    let mut next: Option<&DynamoRequest> = Some(r);
    while let Some(step) = next {
        steps.push(match &step.index {
            Some(i) => format!("{} on {i}", step.operation),
            None => step.operation.clone(),
        });
        next = step.then.as_deref();
    }
    Requests {
        count: steps.len(),
        operations: steps.join(", then "),
        on_demand_monthly: analysis
            .cost
            .patterns
            .iter()
            .find(|c| c.pattern == pattern)
            .map_or(0.0, |c| c.on_demand_monthly),
    }
}

/// What each read of the entities concerned can promise, from the indexes
/// that serve it, and what a write keeps together.
fn consistency_notes(decision: &Decision, design: &Design, analysis: &Analysis) -> Vec<String> {
    let mut notes = Vec::new();
    for d in &analysis.mongo.decisions {
        if decision.pattern.is_some()
            || !(decision.entities.contains(&d.to) && decision.entities.contains(&d.from))
        {
            continue;
        }
        let children = names::plural(&names::words(&d.to));
        let parent = names::words(&d.from);
        notes.push(if d.embed {
            format!("MongoDB: a {parent} and its {children} are one document: read in one request, written atomically")
        } else {
            format!("MongoDB: {children} and their {parent} are separate documents: reading both takes a $lookup or a second query; writing both atomically takes a transaction")
        });
    }
    for p in &design.access_patterns {
        let wanted = match &decision.pattern {
            Some(name) => p.name == *name,
            None => decision.entities.contains(&p.entity),
        };
        if !wanted || p.kind.is_write() {
            continue;
        }
        let Some(r) = analysis
            .dynamo
            .requests
            .iter()
            .find(|r| r.pattern == p.name)
        else {
            continue;
        };
        let kind = r
            .index
            .as_ref()
            .and_then(|i| analysis.dynamo.indexes.iter().find(|x| x.name == *i))
            .map(|i| i.kind.as_str());
        let strong = p.consistency == Consistency::Strong;
        if analysis.dynamo.counters.iter().any(|c| c.pattern == p.name) {
            notes.push(format!(
                "DynamoDB: \"{}\" reads counter items by the table's key ({}): one item per group, exact as of the last committed write (each write changes it in its own transaction), strongly consistent if asked",
                p.name, r.operation
            ));
            continue;
        }
        notes.push(match (kind, r.operation.as_str()) {
            (_, "Scan") => format!("DynamoDB: \"{}\" is a Scan", p.name),
            (Some("global"), _) if strong => format!(
                "DynamoDB: \"{}\" asks for strong reads, but it reads {}, a global index, which is only eventually consistent",
                p.name,
                r.index.as_deref().unwrap_or_default()
            ),
            (Some("global"), _) => format!(
                "DynamoDB: \"{}\" reads {}, a global index: eventually consistent, a write shows there a moment later",
                p.name,
                r.index.as_deref().unwrap_or_default()
            ),
            (Some(_), _) => format!(
                "DynamoDB: \"{}\" reads {}, a local index: can be strongly consistent",
                p.name,
                r.index.as_deref().unwrap_or_default()
            ),
            (None, _) => format!(
                "DynamoDB: \"{}\" reads the table's key: can be strongly consistent",
                p.name
            ),
        });
    }
    notes
}

/// The choices as text, one block per choice: what the CLI prints and the
/// snapshots pin.
pub fn report(choices: &[Choice]) -> String {
    let mut out = String::new();
    for c in choices {
        out.push_str(&format!("{} — {} [{}]\n", c.id, c.title, c.path));
        for a in &c.alternatives {
            let marks: Vec<&str> = [(a.selected, "selected"), (a.derived, "derived")]
                .into_iter()
                .filter_map(|(on, word)| on.then_some(word))
                .collect();
            out.push_str(&format!(
                "  {} {}: {}{}\n",
                if a.selected { "*" } else { "-" },
                a.key,
                a.label,
                if marks.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", marks.join(", "))
                }
            ));
            out.push_str(&format!(
                "      cost: ${:.2}/month on demand, ${:.2} provisioned, storage ${:.2} ({:.1} GB); MongoDB data {} MB\n",
                a.cost.on_demand_monthly,
                a.cost.provisioned_monthly,
                a.cost.storage_monthly,
                a.cost.dynamo_storage_gb,
                a.cost.mongo_bytes / 1_000_000
            ));
            for line in &a.layout {
                out.push_str(&format!("      {line}\n"));
            }
            for p in &a.patterns {
                out.push_str(&format!(
                    "      \"{}\": MongoDB {} ({}); DynamoDB {} ({}, ${:.2}/month)\n",
                    p.pattern,
                    requests_phrase(p.mongo.count),
                    p.mongo.operations,
                    requests_phrase(p.dynamo.count),
                    p.dynamo.operations,
                    p.dynamo.on_demand_monthly
                ));
            }
            for note in &a.consistency {
                out.push_str(&format!("      consistency: {note}\n"));
            }
            for f in &a.new_findings {
                out.push_str(&format!("      new {} [{}] {f}\n", f.severity, f.id));
            }
            for f in &a.resolved_findings {
                out.push_str(&format!("      gone {} [{}] {f}\n", f.severity, f.id));
            }
        }
    }
    out
}

fn requests_phrase(n: usize) -> String {
    match n {
        1 => "1 request".to_string(),
        n => format!("{n} requests"),
    }
}
