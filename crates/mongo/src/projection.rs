//! Projections: the `projection` of `find` (inclusion, exclusion, dotted paths, `$slice`,
//! `$elemMatch`, positional `$`, `$meta`, computed fields) and the `$project` stage, which reads
//! the same shape but treats operator documents as expressions.

use bson::{Bson, Document};

use crate::error::{MongoError, Result};
use crate::expr::{self, Env, Expr};
use crate::query::{parse_filter, Filter, MatchDetails, ParseCtx};
use crate::value::{as_num, truthy};

/// The field name under which a projection `$elemMatch` tests one array element.
const ELEMENT: &str = "e";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Find,
    Stage,
}

#[derive(Debug, Clone)]
pub enum Item {
    Include,
    Exclude,
    Expr(Expr),
    Sub(Vec<(String, Item)>),
    Slice(i64, Option<i64>),
    ElemMatch(Box<Filter>),
    Positional,
    TextScore,
}

#[derive(Debug, Clone)]
pub struct Projection {
    pub inclusion: bool,
    pub id: Option<Item>,
    pub fields: Vec<(String, Item)>,
    pub uses_positional: bool,
}

fn insert_path(fields: &mut Vec<(String, Item)>, parts: &[&str], item: Item) -> Result<()> {
    let Some((first, rest)) = parts.split_first() else {
        return Ok(());
    };
    let pos = fields.iter().position(|(k, _)| k == first);
    if rest.is_empty() {
        if pos.is_some() {
            return Err(MongoError::location(
                31250,
                format!("Path collision at {first}"),
            ));
        }
        fields.push((first.to_string(), item));
        return Ok(());
    }
    match pos {
        Some(i) => match fields.get_mut(i) {
            Some((_, Item::Sub(children))) => insert_path(children, rest, item),
            _ => Err(MongoError::location(
                31250,
                format!("Path collision at {}", parts.join(".")),
            )),
        },
        None => {
            let mut children = Vec::new();
            insert_path(&mut children, rest, item)?;
            fields.push((first.to_string(), Item::Sub(children)));
            Ok(())
        }
    }
}

impl Projection {
    pub fn parse(spec: &Document, kind: Kind, text: &ParseCtx) -> Result<Self> {
        let mut proj = Projection {
            inclusion: false,
            id: None,
            fields: Vec::new(),
            uses_positional: false,
        };
        let mut saw_include = false;
        let mut saw_exclude = false;
        let mut flat: Vec<(String, Item)> = Vec::new();
        Self::flatten(spec, "", kind, text, &mut flat, 0)?;
        for (path, item) in flat {
            if path == "_id" {
                proj.id = Some(item);
                continue;
            }
            match &item {
                Item::Exclude => {
                    if saw_include {
                        return Err(MongoError::location(
                            31254,
                            format!("Cannot do exclusion on field {path} in inclusion projection"),
                        ));
                    }
                    saw_exclude = true;
                }
                Item::Include | Item::Expr(_) | Item::ElemMatch(_) | Item::Positional => {
                    if saw_exclude {
                        return Err(MongoError::location(
                            31253,
                            format!("Cannot do inclusion on field {path} in exclusion projection"),
                        ));
                    }
                    saw_include = true;
                }
                _ => {}
            }
            let mut parts: Vec<&str> = path.split('.').collect();
            if matches!(item, Item::Positional) {
                proj.uses_positional = true;
                parts.pop();
            }
            insert_path(&mut proj.fields, &parts, item)?;
        }
        proj.inclusion = saw_include
            || (!saw_exclude
                && matches!(proj.id, Some(Item::Include | Item::Expr(_)))
                && proj
                    .fields
                    .iter()
                    .all(|(_, i)| !matches!(i, Item::Slice(..) | Item::TextScore)));
        if kind == Kind::Stage && spec.is_empty() {
            return Err(MongoError::location(
                51272,
                "$project specification must have at least one field",
            ));
        }
        Ok(proj)
    }

    fn flatten(
        spec: &Document,
        prefix: &str,
        kind: Kind,
        text: &ParseCtx,
        out: &mut Vec<(String, Item)>,
        depth: usize,
    ) -> Result<()> {
        if depth > 100 {
            return Err(MongoError::bad_value("projection nests too deeply"));
        }
        for (key, value) in spec {
            if key.starts_with('$') && !key.ends_with(".$") {
                return Err(MongoError::location(
                    16410,
                    format!("FieldPath field names may not start with '$'. Given: {key}"),
                ));
            }
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            if key.ends_with(".$") || key == "$" {
                if kind == Kind::Stage {
                    return Err(MongoError::location(
                        16410,
                        format!("FieldPath field names may not start with '$'. Given: {key}"),
                    ));
                }
                out.push((path, Item::Positional));
                continue;
            }
            let item = match value {
                Bson::Boolean(_)
                | Bson::Int32(_)
                | Bson::Int64(_)
                | Bson::Double(_)
                | Bson::Decimal128(_) => {
                    if truthy(value) {
                        Item::Include
                    } else {
                        Item::Exclude
                    }
                }
                Bson::Document(d) if d.is_empty() => {
                    return Err(MongoError::location(51270, format!("An empty sub-projection is not a valid value. Found empty object at path {path}")));
                }
                Bson::Document(d) if d.keys().next().is_some_and(|k| k.starts_with('$')) => {
                    let op = d.keys().next().map(String::as_str).unwrap_or("");
                    match (kind, op) {
                        (Kind::Find, "$slice") => {
                            parse_slice(d.get("$slice").unwrap_or(&Bson::Null))?
                        }
                        (Kind::Find, "$elemMatch") if path.contains('.') => {
                            return Err(MongoError::location(
                                31275,
                                "Cannot use $elemMatch projection on a nested field.",
                            ));
                        }
                        (Kind::Find, "$elemMatch") => match d.get("$elemMatch") {
                            Some(Bson::Document(f)) => {
                                let mut ctx = text.clone();
                                ctx.allow_text = false;
                                // The query `$elemMatch` on a one-element array, so both of its
                                // forms (`{b: 1}` on documents, `{$gt: 1}` on values) work.
                                let mut wrapped = Document::new();
                                wrapped.insert(ELEMENT, bson::doc! { "$elemMatch": f.clone() });
                                Item::ElemMatch(Box::new(parse_filter(&wrapped, &mut ctx)?))
                            }
                            _ => {
                                return Err(MongoError::bad_value(
                                    "elemMatch: Invalid argument, object required.",
                                ))
                            }
                        },
                        (_, "$meta") => match d.get("$meta") {
                            Some(Bson::String(s)) if s == "textScore" => Item::TextScore,
                            _ => return Err(MongoError::bad_value("unsupported $meta operator")),
                        },
                        _ => Item::Expr(expr::parse(value)?),
                    }
                }
                Bson::Document(d) => {
                    Self::flatten(d, &path, kind, text, out, depth + 1)?;
                    continue;
                }
                other => Item::Expr(expr::parse(other)?),
            };
            out.push((path, item));
        }
        Ok(())
    }

    /// Projects one document; `details` carries the positional match and the text score.
    pub fn apply(&self, doc: &Document, details: &MatchDetails) -> Result<Document> {
        let mut env = Env::new(doc);
        let mut out = if self.inclusion {
            let mut out = Document::new();
            let id_included = !matches!(self.id, Some(Item::Exclude));
            if id_included {
                match &self.id {
                    Some(Item::Expr(e)) => {
                        let v = env.eval(e)?;
                        if !matches!(v, Bson::Undefined) {
                            out.insert("_id", v);
                        }
                    }
                    _ => {
                        if let Some(id) = doc.get("_id") {
                            out.insert("_id", id.clone());
                        }
                    }
                }
            }
            include(doc, &self.fields, &mut env, details, &mut out)?;
            out
        } else {
            let mut out = doc.clone();
            if matches!(self.id, Some(Item::Exclude)) {
                out.remove("_id");
            }
            exclude(&mut out, &self.fields);
            out
        };
        if !self.inclusion {
            for (k, item) in &self.fields {
                if matches!(item, Item::TextScore) {
                    out.insert(k.clone(), details.text_score.unwrap_or(0.0));
                }
            }
        }
        Ok(std::mem::take(&mut out))
    }
}

fn parse_slice(v: &Bson) -> Result<Item> {
    let whole = |b: &Bson| {
        as_num(b)
            .filter(|n| n.as_f64().fract() == 0.0)
            .map(|n| n.as_f64() as i64)
    };
    match v {
        Bson::Array(items) if items.len() == 2 => {
            let (Some(skip), Some(limit)) =
                (items.first().and_then(whole), items.get(1).and_then(whole))
            else {
                return Err(MongoError::location(
                    28724,
                    "First argument to $slice must be an array",
                ));
            };
            if limit <= 0 {
                return Err(MongoError::location(28724, "$slice limit must be positive"));
            }
            Ok(Item::Slice(skip, Some(limit)))
        }
        other => match whole(other) {
            Some(n) => Ok(Item::Slice(n, None)),
            None => Err(MongoError::location(
                28667,
                "$slice only supports numbers and [skip, limit] arrays",
            )),
        },
    }
}

fn slice(items: &[Bson], skip: i64, limit: Option<i64>) -> Vec<Bson> {
    let len = items.len() as i64;
    let (start, count) = match limit {
        None if skip >= 0 => (0, skip),
        None => (len.saturating_add(skip).max(0), skip.saturating_neg()),
        Some(l) => (
            if skip < 0 {
                len.saturating_add(skip).max(0)
            } else {
                skip.min(len)
            },
            l,
        ),
    };
    items
        .iter()
        .skip(start as usize)
        .take(count as usize)
        .cloned()
        .collect()
}

fn include(
    doc: &Document,
    fields: &[(String, Item)],
    env: &mut Env,
    details: &MatchDetails,
    out: &mut Document,
) -> Result<()> {
    for (k, v) in doc {
        if k == "_id" {
            continue;
        }
        let Some((_, item)) = fields.iter().find(|(name, _)| name == k) else {
            continue;
        };
        match item {
            Item::Include => {
                out.insert(k.clone(), v.clone());
            }
            Item::Sub(children) => match v {
                Bson::Document(d) => {
                    let mut sub = Document::new();
                    include(d, children, env, details, &mut sub)?;
                    if children.iter().any(|(_, i)| matches!(i, Item::Positional)) {
                        // `a.b.$`: the inner array keeps its matched element.
                    }
                    out.insert(k.clone(), sub);
                }
                Bson::Array(items) => {
                    out.insert(k.clone(), include_array(items, children, env, details)?);
                }
                _ => {}
            },
            Item::Slice(skip, limit) => {
                if let Bson::Array(items) = v {
                    out.insert(k.clone(), slice(items, *skip, *limit));
                } else {
                    out.insert(k.clone(), v.clone());
                }
            }
            Item::ElemMatch(filter) => {
                if let Bson::Array(items) = v {
                    let found = items.iter().find(|item| {
                        let mut probe = Document::new();
                        probe.insert(ELEMENT, vec![(*item).clone()]);
                        filter.matches(&probe, &mut MatchDetails::default())
                    });
                    if let Some(found) = found {
                        out.insert(k.clone(), vec![found.clone()]);
                    }
                }
            }
            Item::Positional => {
                if let Bson::Array(items) = v {
                    let element = details.pos.and_then(|p| items.get(p)).ok_or_else(|| {
                        MongoError::location(51246, "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array")
                    })?;
                    out.insert(k.clone(), vec![element.clone()]);
                }
            }
            Item::Exclude | Item::Expr(_) | Item::TextScore => {}
        }
    }
    // Computed fields come after the included ones, in the order the projection names them.
    for (k, item) in fields {
        match item {
            Item::Expr(e) => {
                let v = env.eval(e)?;
                if !matches!(v, Bson::Undefined) {
                    out.insert(k.clone(), v);
                }
            }
            Item::TextScore => {
                out.insert(k.clone(), details.text_score.unwrap_or(0.0));
            }
            Item::Sub(children) if !doc.contains_key(k) && has_computed(children) => {
                let mut sub = Document::new();
                include(&Document::new(), children, env, details, &mut sub)?;
                out.insert(k.clone(), sub);
            }
            _ => {}
        }
    }
    Ok(())
}

fn has_computed(fields: &[(String, Item)]) -> bool {
    fields.iter().any(|(_, i)| match i {
        Item::Expr(_) => true,
        Item::Sub(c) => has_computed(c),
        _ => false,
    })
}

fn include_array(
    items: &[Bson],
    children: &[(String, Item)],
    env: &mut Env,
    details: &MatchDetails,
) -> Result<Bson> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Bson::Document(d) => {
                let mut sub = Document::new();
                include(d, children, env, details, &mut sub)?;
                out.push(Bson::Document(sub));
            }
            Bson::Array(inner) => out.push(include_array(inner, children, env, details)?),
            _ => {}
        }
    }
    Ok(Bson::Array(out))
}

fn exclude(doc: &mut Document, fields: &[(String, Item)]) {
    for (k, item) in fields {
        match item {
            Item::Exclude => {
                doc.remove(k);
            }
            Item::Sub(children) => match doc.get_mut(k) {
                Some(Bson::Document(d)) => exclude(d, children),
                Some(Bson::Array(items)) => {
                    for item in items.iter_mut() {
                        if let Bson::Document(d) = item {
                            exclude(d, children);
                        }
                    }
                }
                _ => {}
            },
            Item::Slice(skip, limit) => {
                if let Some(Bson::Array(items)) = doc.get(k) {
                    let sliced = slice(items, *skip, *limit);
                    doc.insert(k.clone(), sliced);
                }
            }
            _ => {}
        }
    }
}
