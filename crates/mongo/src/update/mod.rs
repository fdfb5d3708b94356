//! Updates: operator documents (`{$set: ...}`), replacement documents and pipelines, parsed and
//! checked (unknown operators, conflicting paths, array filters) before any document changes.
//!
//! Operators live in [`fields`] and [`mod@array`], each with a registry of `("$name", parse fn)`.

pub mod array;
pub mod fields;

use bson::{Bson, Document};

use crate::aggregate::Pipeline;
use crate::error::{MongoError, Result};
use crate::path::array_index;
use crate::query::{parse_filter, Cond, Filter, MatchDetails, ParseCtx};
use crate::sort::SortSpec;
use crate::value::{shell, shell_doc};

/// Parses one operator's operand for one path.
pub type UpdateOperatorFn = fn(&str, &Bson) -> Result<Action>;

/// What an operator does at its path.
#[derive(Debug, Clone)]
pub enum Action {
    Set(Bson),
    Unset,
    Inc(Bson),
    Mul(Bson),
    Min(Bson),
    Max(Bson),
    Rename(String),
    SetOnInsert(Bson),
    CurrentDate(bool),
    Push(Box<PushSpec>),
    AddToSet(Vec<Bson>),
    Pop(bool),
    Pull(Box<PullCond>),
    PullAll(Vec<Bson>),
}

impl Action {
    /// Whether the operator creates its path when it is missing.
    fn creates(&self) -> bool {
        !matches!(
            self,
            Action::Unset
                | Action::Pop(_)
                | Action::Pull(_)
                | Action::PullAll(_)
                | Action::Rename(_)
        )
    }
}

#[derive(Debug, Clone)]
pub struct PushSpec {
    pub values: Vec<Bson>,
    pub slice: Option<i64>,
    pub position: Option<i64>,
    pub sort: Option<PushSort>,
}

impl PushSpec {
    fn single(value: Bson) -> Self {
        PushSpec {
            values: vec![value],
            slice: None,
            position: None,
            sort: None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum PushSort {
    Whole { descending: bool },
    Fields(SortSpec),
}

#[derive(Debug, Clone)]
pub enum PullCond {
    Equal(Bson),
    Value(Cond),
    Doc(Filter),
}

/// The outcome of an operator at one path.
#[derive(Debug, Clone, PartialEq)]
pub enum Leaf {
    Keep,
    Set(Bson),
    Remove,
}

/// What operators need to know besides the value: the document's `_id` and field name for
/// messages, whether an upsert is inserting, and the clock.
#[derive(Debug, Clone)]
pub struct LeafCtx {
    pub id: Bson,
    pub field: String,
    pub inserting: bool,
    pub now_millis: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Comp {
    Field(String),
    Positional,
    All,
    Filtered(String),
}

#[derive(Debug, Clone)]
pub struct FieldUpdate {
    pub op: &'static str,
    pub path: String,
    pub comps: Vec<Comp>,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub enum UpdateKind {
    Operators(Vec<FieldUpdate>),
    Replacement(Document),
    Pipeline(Box<Pipeline>),
}

#[derive(Debug, Clone)]
pub struct ArrayFilter {
    pub id: String,
    pub filter: Filter,
}

/// A parsed, validated update.
#[derive(Debug, Clone)]
pub struct Update {
    pub kind: UpdateKind,
    pub array_filters: Vec<ArrayFilter>,
}

/// The identifiers an array filter names: the first component of each top-level field, looking
/// through `$and`, `$or` and `$nor` (manual: "$[<identifier>]", compound conditions on the same
/// identifier in a single filter document).
fn filter_identifiers(filter: &Document, out: &mut Vec<String>, depth: usize) {
    if depth > crate::expr::MAX_EXPR_DEPTH {
        return;
    }
    for (k, v) in filter {
        match (k.as_str(), v) {
            ("$and" | "$or" | "$nor", Bson::Array(clauses)) => {
                for clause in clauses {
                    if let Bson::Document(d) = clause {
                        filter_identifiers(d, out, depth + 1);
                    }
                }
            }
            (k, _) if k.starts_with('$') => {}
            (k, _) => out.push(k.split('.').next().unwrap_or("").to_string()),
        }
    }
}

fn operator(name: &str) -> Option<(&'static str, UpdateOperatorFn)> {
    fields::OPERATORS
        .iter()
        .chain(array::OPERATORS.iter())
        .find(|(n, _)| *n == name)
        .copied()
}

fn parse_comps(path: &str) -> Result<Vec<Comp>> {
    if path.is_empty() {
        return Err(MongoError::new(
            56,
            "EmptyFieldName",
            "An empty update path is not valid.",
        ));
    }
    if path.split('.').filter(|p| *p == "$").count() > 1 {
        return Err(MongoError::bad_value(format!(
            "Too many positional (i.e. '$') elements found in path '{path}'"
        )));
    }
    path.split('.')
        .map(|part| {
            let positional = part == "$" || (part.starts_with("$[") && part.ends_with(']'));
            if part.starts_with('$') && !positional {
                return Err(MongoError::new(
                    52,
                    "DollarPrefixedFieldName",
                    format!("The dollar ($) prefixed field '{part}' in '{path}' is not valid for storage."),
                ));
            }
            if part.is_empty() {
                return Err(MongoError::new(
                    56,
                    "EmptyFieldName",
                    format!("The update path '{path}' contains an empty field name, which is not allowed."),
                ));
            }
            Ok(match part {
                "$" => Comp::Positional,
                "$[]" => Comp::All,
                p if p.starts_with("$[") && p.ends_with(']') => {
                    Comp::Filtered(p.get(2..p.len() - 1).unwrap_or("").to_string())
                }
                p => Comp::Field(p.to_string()),
            })
        })
        .collect()
}

fn comp_text(c: &Comp) -> String {
    match c {
        Comp::Field(f) => f.clone(),
        Comp::Positional => "$".into(),
        Comp::All => "$[]".into(),
        Comp::Filtered(id) => format!("$[{id}]"),
    }
}

impl Update {
    /// Parses an update: an operator document, a replacement, or a pipeline (array).
    /// `replacement_allowed` is false for `updateOne`/`updateMany`, true for `replaceOne`.
    pub fn parse(
        update: &Bson,
        array_filters: &[Document],
        replacement_allowed: bool,
    ) -> Result<Self> {
        let kind = match update {
            Bson::Array(stages) => {
                let docs = stages
                    .iter()
                    .map(|s| match s {
                        Bson::Document(d) => Ok(d.clone()),
                        _ => Err(MongoError::failed_to_parse(
                            "Each element of the 'pipeline' array must be an object",
                        )),
                    })
                    .collect::<Result<Vec<_>>>()?;
                UpdateKind::Pipeline(Box::new(Pipeline::parse_update(&docs)?))
            }
            Bson::Document(d) => {
                let has_ops = d.keys().next().is_some_and(|k| k.starts_with('$'));
                if replacement_allowed {
                    if has_ops {
                        return Err(MongoError::failed_to_parse(
                            "Replacement document must not contain atomic operators",
                        ));
                    }
                    UpdateKind::Replacement(d.clone())
                } else {
                    if !has_ops {
                        return Err(MongoError::failed_to_parse(
                            "Update document requires atomic operators",
                        ));
                    }
                    UpdateKind::Operators(Self::parse_operators(d)?)
                }
            }
            other => {
                return Err(MongoError::failed_to_parse(format!(
                    "Update argument must be either an object or an array, found {}",
                    shell(other)
                )))
            }
        };
        let mut filters = Vec::new();
        for f in array_filters {
            let mut ids = Vec::new();
            filter_identifiers(f, &mut ids, 0);
            let Some(id) = ids.first().cloned() else {
                return Err(MongoError::failed_to_parse(
                    "Cannot use an expression without a top-level field name in arrayFilters",
                ));
            };
            let mut chars = id.chars();
            let well_formed = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_alphanumeric());
            if !well_formed {
                return Err(MongoError::bad_value(format!(
                    "Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '{id}'"
                )));
            }
            if let Some(other) = ids.iter().find(|i| **i != id) {
                return Err(MongoError::failed_to_parse(format!(
                    "Error parsing array filter :: caused by :: Expected a single top-level field name, found '{id}' and '{other}'"
                )));
            }
            if filters.iter().any(|a: &ArrayFilter| a.id == id) {
                return Err(MongoError::failed_to_parse(format!(
                    "Found multiple array filters with the same top-level field name {id}"
                )));
            }
            let mut ctx = ParseCtx::new(None);
            ctx.allow_text = false;
            filters.push(ArrayFilter {
                id,
                filter: parse_filter(f, &mut ctx)?,
            });
        }
        let parsed = Update {
            kind,
            array_filters: filters,
        };
        parsed.check_array_filters(update)?;
        Ok(parsed)
    }

    fn parse_operators(d: &Document) -> Result<Vec<FieldUpdate>> {
        let mut out = Vec::new();
        for (op, operand) in d {
            let (name, f) = operator(op).ok_or_else(|| {
                MongoError::failed_to_parse(format!(
                    "Unknown modifier: {op}. Expected a valid update modifier or pipeline-style update specified as an array"
                ))
            })?;
            let Bson::Document(fields) = operand else {
                return Err(MongoError::failed_to_parse(format!(
                    "Modifiers operate on fields but we found type {} instead. For example: {{$mod: {{<field>: ...}}}} not {{{op}: {}}}",
                    crate::value::type_name(operand),
                    shell(operand)
                )));
            };
            for (path, arg) in fields {
                let comps = parse_comps(path)?;
                let action = f(path, arg)?;
                if let Action::Rename(target) = &action {
                    parse_comps(target)?;
                }
                out.push(FieldUpdate {
                    op: name,
                    path: path.clone(),
                    comps,
                    action,
                });
            }
        }
        // Two operators on one path, or on a path and its prefix, conflict.
        let mut paths: Vec<(Vec<String>, String)> = Vec::new();
        for fu in &out {
            let mut targets = vec![fu.path.clone()];
            if let Action::Rename(t) = &fu.action {
                targets.push(t.clone());
            }
            for t in targets {
                let parts: Vec<String> = t.split('.').map(str::to_string).collect();
                for (other, _) in &paths {
                    let n = parts.len().min(other.len());
                    if parts.get(..n) == other.get(..n) {
                        let (shorter, longer) = if parts.len() <= other.len() {
                            (&parts, other)
                        } else {
                            (other, &parts)
                        };
                        return Err(MongoError::conflicting_update(format!(
                            "Updating the path '{}' would create a conflict at '{}'",
                            longer.join("."),
                            shorter.join(".")
                        )));
                    }
                }
                paths.push((parts, t));
            }
        }
        Ok(out)
    }

    fn check_array_filters(&self, update: &Bson) -> Result<()> {
        let UpdateKind::Operators(fus) = &self.kind else {
            if let Some(f) = self.array_filters.first() {
                return Err(MongoError::failed_to_parse(format!(
                    "The array filter for identifier '{}' was not used in the update {}",
                    f.id,
                    shell(update)
                )));
            }
            return Ok(());
        };
        for fu in fus {
            for c in &fu.comps {
                if let Comp::Filtered(id) = c {
                    if !self.array_filters.iter().any(|f| &f.id == id) {
                        return Err(MongoError::bad_value(format!(
                            "No array filter found for identifier '{id}' in path '{}'",
                            fu.path
                        )));
                    }
                }
            }
        }
        for f in &self.array_filters {
            let used = fus.iter().any(|fu| {
                fu.comps
                    .iter()
                    .any(|c| matches!(c, Comp::Filtered(id) if id == &f.id))
            });
            if !used {
                return Err(MongoError::failed_to_parse(format!(
                    "The array filter for identifier '{}' was not used in the update {}",
                    f.id,
                    shell(update)
                )));
            }
        }
        Ok(())
    }

    /// Whether the update uses `$setOnInsert` only (so an update of an existing document may
    /// change nothing).
    pub fn is_replacement(&self) -> bool {
        matches!(self.kind, UpdateKind::Replacement(_))
    }

    /// Applies the update to a copy of `doc`. `details.pos` feeds the positional `$`.
    pub fn apply(
        &self,
        doc: &Document,
        details: &MatchDetails,
        inserting: bool,
        now_millis: i64,
    ) -> Result<Document> {
        let id = doc.get("_id").cloned().unwrap_or(Bson::Null);
        let out = match &self.kind {
            UpdateKind::Replacement(r) => {
                let mut out = Document::new();
                if let Some(id) = doc.get("_id") {
                    out.insert("_id", id.clone());
                }
                for (k, v) in r {
                    out.insert(k.clone(), v.clone());
                }
                if let (Some(old), Some(new)) = (doc.get("_id"), out.get("_id")) {
                    if old != new {
                        return Err(MongoError::immutable_field(format!(
                            "After applying the update, the (immutable) field '_id' was found to have been altered to _id: {}",
                            shell(new)
                        )));
                    }
                }
                out
            }
            UpdateKind::Pipeline(p) => {
                let mut out = p.run_on_document(doc.clone(), now_millis)?;
                if let Some(old) = doc.get("_id") {
                    match out.get("_id") {
                        None => {
                            let mut with_id = Document::new();
                            with_id.insert("_id", old.clone());
                            for (k, v) in out {
                                with_id.insert(k, v);
                            }
                            out = with_id;
                        }
                        Some(new) if new != old => {
                            return Err(MongoError::immutable_field(format!(
                                "After applying the update, the (immutable) field '_id' was found to have been altered to _id: {}",
                                shell(new)
                            )));
                        }
                        Some(_) => {}
                    }
                }
                out
            }
            UpdateKind::Operators(fus) => {
                let mut out = doc.clone();
                for fu in fus {
                    let ctx = LeafCtx {
                        id: id.clone(),
                        field: fu
                            .comps
                            .iter()
                            .rev()
                            .find_map(|c| match c {
                                Comp::Field(f) => Some(f.clone()),
                                _ => None,
                            })
                            .unwrap_or_default(),
                        inserting,
                        now_millis,
                    };
                    let comps = self.resolve_positional(fu, details)?;
                    if let Action::Rename(target) = &fu.action {
                        rename(&mut out, &fu.path, target, &ctx)?;
                        continue;
                    }
                    let nav = Nav {
                        action: &fu.action,
                        creates: fu.action.creates(),
                        filters: &self.array_filters,
                        ctx,
                        path: &fu.path,
                    };
                    nav.in_doc(&mut out, &comps)?;
                }
                if !inserting {
                    if let Some(old) = doc.get("_id") {
                        if out.get("_id") != Some(old) {
                            return Err(MongoError::immutable_field(
                                "Performing an update on the path '_id' would modify the immutable field '_id'",
                            ));
                        }
                    }
                }
                out
            }
        };
        if crate::value::doc_depth(&out, crate::value::MAX_DOCUMENT_DEPTH)
            > crate::value::MAX_DOCUMENT_DEPTH
        {
            return Err(MongoError::bad_value(
                "Document exceeds maximum nesting depth",
            ));
        }
        Ok(out)
    }

    fn resolve_positional(&self, fu: &FieldUpdate, details: &MatchDetails) -> Result<Vec<Comp>> {
        fu.comps
            .iter()
            .map(|c| match c {
                Comp::Positional => match details.pos {
                    Some(p) => Ok(Comp::Field(p.to_string())),
                    None => Err(MongoError::bad_value(
                        "The positional operator did not find the match needed from the query.",
                    )),
                },
                other => Ok(other.clone()),
            })
            .collect()
    }

    /// The fields an upsert starts from: the filter's equality conditions (`_id` included).
    pub fn upsert_seed(filter: &Filter) -> Result<Document> {
        // Equality conditions, through `$and` and one-clause `$or` (jstests upsert4.js).
        fn walk(f: &Filter, out: &mut Vec<(String, Vec<String>, Bson)>) {
            match f {
                Filter::And(parts) => parts.iter().for_each(|p| walk(p, out)),
                Filter::Or(clauses) if clauses.len() == 1 => {
                    clauses.iter().for_each(|p| walk(p, out))
                }
                Filter::Field { path, parts, cond } => {
                    // The value as written: a collated condition holds sort keys.
                    fn equal_to(c: &Cond) -> Option<Bson> {
                        match c {
                            Cond::Eq(v) => Some(v.clone()),
                            Cond::In(items) if items.len() == 1 => match items.first() {
                                Some(crate::query::InItem::Value(v)) => Some(v.clone()),
                                _ => None,
                            },
                            Cond::Collated(c) => equal_to(&c.written),
                            _ => None,
                        }
                    }
                    let value = match cond {
                        Cond::And(cs) => cs.iter().find_map(|c| match c {
                            Cond::Eq(_) | Cond::Collated(_) => equal_to(c),
                            _ => None,
                        }),
                        c => equal_to(c),
                    };
                    if let Some(v) = value {
                        out.push((path.clone(), parts.clone(), v));
                    }
                }
                _ => {}
            }
        }
        let mut fields = Vec::new();
        walk(filter, &mut fields);
        // A path may be seeded once, and not together with a path inside it (upsert3.js).
        for (i, (path, parts, _)) in fields.iter().enumerate() {
            for (other, other_parts, _) in fields.iter().take(i) {
                let shared = parts.len().min(other_parts.len());
                if parts.get(..shared) == other_parts.get(..shared) {
                    let message = if parts.len() == other_parts.len() {
                        format!("cannot infer query fields to set, path '{path}' is matched twice")
                    } else {
                        format!(
                            "cannot infer query fields to set, both paths '{other}' and '{path}' are matched"
                        )
                    };
                    return Err(MongoError::new(54, "NotSingleValueField", message));
                }
            }
        }
        let mut seed = Document::new();
        for (_, parts, v) in fields {
            crate::path::set_plain(&mut seed, &parts, v);
        }
        Ok(seed)
    }
}

/// `$rename`: moves the value at `from` (not through arrays) to `to`.
fn rename(doc: &mut Document, from: &str, to: &str, ctx: &LeafCtx) -> Result<()> {
    let parts: Vec<String> = from.split('.').map(str::to_string).collect();
    // The source may not run through an array.
    let mut cur: Option<&Bson> = None;
    for (i, part) in parts.iter().enumerate() {
        let next = if i == 0 {
            doc.get(part)
        } else {
            match cur {
                Some(Bson::Document(d)) => d.get(part),
                Some(Bson::Array(_)) => {
                    return Err(MongoError::bad_value(format!(
                        "The source field cannot be an array element, '{from}' in doc with _id: {} has an array field called '{}'",
                        shell(&ctx.id),
                        parts.get(i - 1).map(String::as_str).unwrap_or("")
                    )))
                }
                _ => None,
            }
        };
        match next {
            Some(v) => cur = Some(v),
            None => return Ok(()),
        }
    }
    let Some(value) = cur.cloned() else {
        return Ok(());
    };
    // Nor may the destination (rename_node: "The destination field cannot be an array element").
    let to_parts: Vec<&str> = to.split('.').collect();
    let mut at: Option<&Bson> = None;
    for (i, part) in to_parts
        .iter()
        .enumerate()
        .take(to_parts.len().saturating_sub(1))
    {
        let next = match (i, at) {
            (0, _) => doc.get(*part),
            (_, Some(Bson::Document(d))) => d.get(*part),
            _ => None,
        };
        if let Some(Bson::Array(_)) = next {
            return Err(MongoError::bad_value(format!(
                "The destination field cannot be an array element, '{to}' in doc with _id: {} has an array field called '{part}'",
                shell(&ctx.id)
            )));
        }
        match next {
            Some(v) => at = Some(v),
            None => break,
        }
    }
    let unset = Nav {
        action: &Action::Unset,
        creates: false,
        filters: &[],
        ctx: ctx.clone(),
        path: from,
    };
    unset.in_doc(doc, &parse_comps(from)?)?;
    let set = Nav {
        action: &Action::Set(value),
        creates: true,
        filters: &[],
        ctx: ctx.clone(),
        path: to,
    };
    set.in_doc(doc, &parse_comps(to)?)
}

/// Walks an update path, creating what the operator needs, and applies the operator at its end.
struct Nav<'a> {
    action: &'a Action,
    creates: bool,
    filters: &'a [ArrayFilter],
    ctx: LeafCtx,
    path: &'a str,
}

impl Nav<'_> {
    fn leaf(&self, current: Option<&Bson>) -> Result<Leaf> {
        fields::apply(self.action, current, &self.ctx)
    }

    fn in_doc(&self, doc: &mut Document, comps: &[Comp]) -> Result<()> {
        let Some((first, rest)) = comps.split_first() else {
            return Ok(());
        };
        let Comp::Field(name) = first else {
            return Err(MongoError::bad_value(format!(
                "Cannot apply array updates to non-array element {}",
                shell_doc(doc)
            )));
        };
        if rest.is_empty() {
            match self.leaf(doc.get(name))? {
                Leaf::Keep => {}
                Leaf::Set(v) => {
                    doc.insert(name.clone(), v);
                }
                Leaf::Remove => {
                    doc.remove(name);
                }
            }
            return Ok(());
        }
        if !doc.contains_key(name) {
            if !self.creates {
                return Ok(());
            }
            if rest
                .iter()
                .any(|c| matches!(c, Comp::All | Comp::Filtered(_)))
            {
                return Err(MongoError::bad_value(format!(
                    "The path '{}' must exist in the document in order to apply array updates.",
                    comps_prefix(self.path, rest.len())
                )));
            }
            doc.insert(name.clone(), Document::new());
        }
        let element_text = |v: &Bson| format!("{{{name}: {}}}", shell(v));
        match doc.get_mut(name) {
            Some(Bson::Document(child)) => self.in_doc(child, rest),
            Some(Bson::Array(items)) => self.in_array(items, rest, name),
            Some(other) => {
                if self.creates {
                    let text = element_text(other);
                    Err(MongoError::path_not_viable(format!(
                        "Cannot create field '{}' in element {text}",
                        rest.first().map(comp_text).unwrap_or_default()
                    )))
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        }
    }

    fn in_array(&self, items: &mut Vec<Bson>, comps: &[Comp], name: &str) -> Result<()> {
        let Some((first, rest)) = comps.split_first() else {
            return Ok(());
        };
        match first {
            Comp::Field(f) => {
                let Some(i) = array_index(f) else {
                    if self.creates {
                        return Err(MongoError::path_not_viable(format!(
                            "Cannot create field '{f}' in element {{{name}: {}}}",
                            shell(&Bson::Array(items.clone()))
                        )));
                    }
                    return Ok(());
                };
                self.at_index(items, i, rest, f)
            }
            Comp::All => {
                for i in 0..items.len() {
                    self.at_index(items, i, rest, name)?;
                }
                Ok(())
            }
            Comp::Filtered(id) => {
                let Some(af) = self.filters.iter().find(|f| &f.id == id) else {
                    return Err(MongoError::bad_value(format!(
                        "No array filter found for identifier '{id}' in path '{}'",
                        self.path
                    )));
                };
                for i in 0..items.len() {
                    let matches = items.get(i).is_some_and(|item| {
                        let mut probe = Document::new();
                        probe.insert(id.clone(), item.clone());
                        af.filter.matches(&probe, &mut MatchDetails::default())
                    });
                    if matches {
                        self.at_index(items, i, rest, name)?;
                    }
                }
                Ok(())
            }
            Comp::Positional => Err(MongoError::bad_value(
                "The positional operator did not find the match needed from the query.",
            )),
        }
    }

    fn at_index(&self, items: &mut Vec<Bson>, i: usize, rest: &[Comp], name: &str) -> Result<()> {
        if rest.is_empty() {
            match self.leaf(items.get(i))? {
                Leaf::Keep => {}
                Leaf::Set(v) => {
                    if i >= items.len() {
                        if i > items.len() + 1_000_000 {
                            return Err(MongoError::bad_value(
                                "can't backfill more than 1500000 elements",
                            ));
                        }
                        items.resize(i, Bson::Null);
                        items.push(v);
                    } else if let Some(slot) = items.get_mut(i) {
                        *slot = v;
                    }
                }
                Leaf::Remove => {
                    if let Some(slot) = items.get_mut(i) {
                        *slot = Bson::Null;
                    }
                }
            }
            return Ok(());
        }
        if i >= items.len() {
            if !self.creates {
                return Ok(());
            }
            if i > items.len() + 1_000_000 {
                return Err(MongoError::bad_value(
                    "can't backfill more than 1500000 elements",
                ));
            }
            items.resize(i, Bson::Null);
            items.push(Bson::Document(Document::new()));
        }
        match items.get_mut(i) {
            Some(Bson::Document(child)) => self.in_doc(child, rest),
            Some(Bson::Array(inner)) => self.in_array(inner, rest, name),
            Some(other) => {
                if self.creates {
                    Err(MongoError::path_not_viable(format!(
                        "Cannot create field '{}' in element {{{i}: {}}}",
                        rest.first().map(comp_text).unwrap_or_default(),
                        shell(other)
                    )))
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        }
    }
}

fn comps_prefix(path: &str, drop: usize) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    parts
        .get(..parts.len().saturating_sub(drop))
        .map(|p| p.join("."))
        .unwrap_or_default()
}
