//! Aggregation stages (manual: "Aggregation Stages").

use std::borrow::Cow;
use std::collections::HashMap;

use bson::{Bson, Document};

use super::accumulators::{self, AccKind};
use super::{AggCtx, Docs, Pipeline, StageFn};
use crate::error::{MongoError, Result};
use crate::expr::{self, Env, Expr};
use crate::path;
use crate::projection::{Kind, Projection};
use crate::query::{field_matches, parse_filter, Cond, Filter, InItem, MatchDetails, ParseCtx};
use crate::sort::SortSpec;
use crate::value::{as_num, compare, shell, shell_doc, type_name};

pub const STAGES: &[(&str, StageFn)] = &[
    ("$match", match_),
    ("$project", project),
    ("$addFields", add_fields),
    ("$set", add_fields),
    ("$unset", unset),
    ("$group", group),
    ("$sort", sort),
    ("$limit", limit),
    ("$skip", skip),
    ("$unwind", unwind),
    ("$lookup", lookup),
    ("$count", count),
    ("$facet", facet),
    ("$bucket", bucket),
    ("$sortByCount", sort_by_count),
    ("$replaceRoot", replace_root),
    ("$replaceWith", replace_with),
    ("$sample", sample),
];

#[derive(Debug, Clone)]
pub enum Stage {
    Match(Filter),
    Project(Box<Projection>),
    AddFields(Vec<(Vec<String>, Expr)>),
    Unset(Vec<Vec<String>>),
    Group(Box<Group>),
    Sort(SortSpec),
    Limit(u64),
    Skip(u64),
    Unwind(Box<Unwind>),
    Lookup(Box<Lookup>),
    Count(String),
    Facet(Vec<(String, Pipeline)>),
    Bucket(Box<Bucket>),
    ReplaceRoot(Expr),
    Sample(u64),
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: Expr,
    pub fields: Vec<(String, AccKind, Expr)>,
    /// Keys that are strings group by this collation's sort keys; each group keeps the first
    /// key it met as its `_id`.
    pub collation: Option<std::rc::Rc<crate::collation::Collation>>,
}

#[derive(Debug, Clone)]
pub struct Unwind {
    pub path: Vec<String>,
    pub include_index: Option<String>,
    pub preserve: bool,
}

#[derive(Debug, Clone)]
pub struct Lookup {
    pub from: String,
    pub local: Option<Vec<String>>,
    pub foreign: Option<Vec<String>>,
    pub lets: Vec<(String, Expr)>,
    pub pipeline: Option<Vec<Document>>,
    pub as_field: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Bucket {
    pub group_by: Expr,
    pub boundaries: Vec<Bson>,
    pub default: Option<Bson>,
    pub output: Vec<(String, AccKind, Expr)>,
}

fn doc_operand<'a>(stage: &str, v: &'a Bson) -> Result<&'a Document> {
    v.as_document().ok_or_else(|| {
        MongoError::location(
            15955,
            format!(
                "the {stage} specification must be an object, found {}",
                type_name(v)
            ),
        )
    })
}

/// `$match`: a query filter.
fn match_(v: &Bson, ctx: &mut ParseCtx) -> Result<Stage> {
    let d = v.as_document().ok_or_else(|| {
        MongoError::location(15959, "the match filter must be an expression in an object")
    })?;
    Ok(Stage::Match(parse_filter(d, ctx)?))
}

/// `$project`.
fn project(v: &Bson, ctx: &mut ParseCtx) -> Result<Stage> {
    let d = doc_operand("$project", v)?;
    Ok(Stage::Project(Box::new(Projection::parse(
        d,
        Kind::Stage,
        ctx,
    )?)))
}

fn flatten_fields(
    d: &Document,
    prefix: &[String],
    out: &mut Vec<(Vec<String>, Expr)>,
) -> Result<()> {
    for (k, v) in d {
        if k.starts_with('$') {
            return Err(MongoError::location(
                16410,
                format!("FieldPath field names may not start with '$'. Given: {k}"),
            ));
        }
        let mut parts = prefix.to_vec();
        parts.extend(path::split(k));
        match v {
            Bson::Document(sub)
                if !sub.is_empty() && !sub.keys().next().is_some_and(|k| k.starts_with('$')) =>
            {
                flatten_fields(sub, &parts, out)?;
            }
            other => out.push((parts, expr::parse(other)?)),
        }
    }
    Ok(())
}

/// `$addFields` and its alias `$set`.
fn add_fields(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    let d = doc_operand("$addFields", v)?;
    if d.is_empty() {
        return Err(MongoError::location(
            40177,
            "Invalid $addFields :: caused by :: specification must have at least one field",
        ));
    }
    let mut fields = Vec::new();
    flatten_fields(d, &[], &mut fields)?;
    Ok(Stage::AddFields(fields))
}

/// `$unset`: a field name or a list of them.
fn unset(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    let names: Vec<&Bson> = match v {
        Bson::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for n in names {
        match n {
            Bson::String(s) if !s.is_empty() => out.push(path::split(s)),
            _ => return Err(MongoError::location(
                31120,
                "$unset specification must be a string or an array containing only string values",
            )),
        }
    }
    Ok(Stage::Unset(out))
}

fn parse_accumulators(d: &Document, skip_id: bool) -> Result<Vec<(String, AccKind, Expr)>> {
    let mut out = Vec::new();
    for (k, v) in d {
        if skip_id && k == "_id" {
            continue;
        }
        if k.contains('.') {
            return Err(MongoError::location(
                40235,
                format!("The field name '{k}' cannot contain '.'"),
            ));
        }
        let Bson::Document(acc) = v else {
            return Err(MongoError::location(
                40234,
                format!("The field '{k}' must be an accumulator object"),
            ));
        };
        if acc.len() != 1 {
            return Err(MongoError::location(
                40238,
                format!("The field '{k}' must specify one accumulator"),
            ));
        }
        let Some((name, arg)) = acc.iter().next() else {
            return Err(MongoError::location(
                40238,
                format!("The field '{k}' must specify one accumulator"),
            ));
        };
        let f = accumulators::lookup(name).ok_or_else(|| {
            MongoError::location(15952, format!("unknown group operator '{name}'"))
        })?;
        if let Bson::Array(_) = arg {
            return Err(MongoError::location(
                40237,
                format!("The {name} accumulator is a unary operator"),
            ));
        }
        let (kind, e) = f(arg)?;
        out.push((k.clone(), kind, e));
    }
    Ok(out)
}

/// `$group`.
fn group(v: &Bson, ctx: &mut ParseCtx) -> Result<Stage> {
    let d = doc_operand("$group", v)?;
    let id = d
        .get("_id")
        .ok_or_else(|| MongoError::location(15955, "a group specification must include an _id"))?;
    Ok(Stage::Group(Box::new(Group {
        id: expr::parse(id)?,
        fields: parse_accumulators(d, true)?,
        collation: ctx.collation.clone(),
    })))
}

/// `$sort`.
fn sort(v: &Bson, ctx: &mut ParseCtx) -> Result<Stage> {
    let d = doc_operand("$sort", v)?;
    if d.is_empty() {
        return Err(MongoError::location(
            15976,
            "$sort stage must have at least one sort key",
        ));
    }
    Ok(Stage::Sort(
        SortSpec::parse(d)?.with_collation(ctx.collation.clone()),
    ))
}

fn positive(v: &Bson, stage: &str, allow_zero: bool) -> Result<u64> {
    match as_num(v) {
        Some(n)
            if n.as_f64().fract() == 0.0
                && (n.as_f64() > 0.0 || (allow_zero && n.as_f64() == 0.0)) =>
        {
            Ok(n.as_f64() as u64)
        }
        _ => Err(MongoError::location(
            if allow_zero { 15956 } else { 15958 },
            format!(
                "invalid argument to {stage} stage: {}",
                if allow_zero {
                    "must be a non-negative integer"
                } else {
                    "the limit must be positive"
                }
            ),
        )),
    }
}

/// `$limit`.
fn limit(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    Ok(Stage::Limit(positive(v, "$limit", false)?))
}

/// `$skip`.
fn skip(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    Ok(Stage::Skip(positive(v, "$skip", true)?))
}

fn field_path(v: &Bson, what: &str) -> Result<Vec<String>> {
    match v {
        Bson::String(s) if s.starts_with('$') && s.len() > 1 => {
            Ok(path::split(s.get(1..).unwrap_or("")))
        }
        _ => Err(MongoError::location(
            28818,
            format!("{what} must be prefixed with a '$'"),
        )),
    }
}

/// `$unwind`: `"$path"` or `{path, includeArrayIndex, preserveNullAndEmptyArrays}`.
fn unwind(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    let spec = match v {
        Bson::String(_) => Unwind {
            path: field_path(v, "path option to $unwind stage")?,
            include_index: None,
            preserve: false,
        },
        Bson::Document(d) => {
            let path = field_path(
                d.get("path").unwrap_or(&Bson::Null),
                "path option to $unwind stage",
            )?;
            let include_index = match d.get("includeArrayIndex") {
                None => None,
                Some(Bson::String(s)) if !s.starts_with('$') => Some(s.clone()),
                Some(_) => return Err(MongoError::location(
                    28822,
                    "includeArrayIndex option to $unwind stage should not be prefixed with a '$'",
                )),
            };
            let preserve = matches!(
                d.get("preserveNullAndEmptyArrays"),
                Some(Bson::Boolean(true))
            );
            Unwind {
                path,
                include_index,
                preserve,
            }
        }
        other => {
            return Err(MongoError::location(
                15981,
                format!(
                "expected either a string or an object as specification for $unwind stage, got {}",
                type_name(other)
            ),
            ))
        }
    };
    Ok(Stage::Unwind(Box::new(spec)))
}

/// `$lookup`: the equality form (`localField`/`foreignField`) and the pipeline form.
fn lookup(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    let d = doc_operand("$lookup", v)?;
    let string = |k: &str| -> Result<Option<String>> {
        match d.get(k) {
            None => Ok(None),
            Some(Bson::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(MongoError::failed_to_parse(format!(
                "$lookup argument '{k}' must be a string"
            ))),
        }
    };
    let from = string("from")?.ok_or_else(|| {
        MongoError::failed_to_parse("missing 'from' option to $lookup stage specification")
    })?;
    let as_field = string("as")?
        .ok_or_else(|| MongoError::failed_to_parse("must specify 'as' field for a $lookup"))?;
    let local = string("localField")?.map(|s| path::split(&s));
    let foreign = string("foreignField")?.map(|s| path::split(&s));
    if local.is_some() != foreign.is_some() {
        return Err(MongoError::failed_to_parse(
            "$lookup requires both or neither of 'localField' and 'foreignField' to be specified",
        ));
    }
    let pipeline = match d.get("pipeline") {
        None => None,
        Some(Bson::Array(items)) => Some(
            items
                .iter()
                .map(|i| {
                    i.as_document().cloned().ok_or_else(|| {
                        MongoError::failed_to_parse("$lookup pipeline stages must be objects")
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        ),
        Some(_) => {
            return Err(MongoError::failed_to_parse(
                "'pipeline' option must be specified as an array",
            ))
        }
    };
    if local.is_none() && pipeline.is_none() {
        return Err(MongoError::failed_to_parse("$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to be specified"));
    }
    let mut lets = Vec::new();
    if let Some(l) = d.get("let") {
        let ld = doc_operand("$lookup let", l)?;
        for (k, v) in ld {
            lets.push((k.clone(), expr::parse(v)?));
        }
    }
    if let Some(p) = &pipeline {
        // Validate the sub-pipeline once, with placeholders for the variables.
        Pipeline::parse(p, &mut ParseCtx::new(None))?;
    }
    Ok(Stage::Lookup(Box::new(Lookup {
        from,
        local,
        foreign,
        lets,
        pipeline,
        as_field: path::split(&as_field),
    })))
}

/// `$count`: the number of documents under the given field name.
fn count(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    match v {
        Bson::String(s) if !s.is_empty() && !s.starts_with('$') && !s.contains('.') => Ok(Stage::Count(s.clone())),
        Bson::String(_) => Err(MongoError::location(40158, "the count field must be a non-empty string that does not start with '$' or contain '.'")),
        _ => Err(MongoError::location(40156, "the count field must be a non-empty string")),
    }
}

/// `$facet`: several sub-pipelines over the same input.
fn facet(v: &Bson, ctx: &mut ParseCtx) -> Result<Stage> {
    let d = doc_operand("$facet", v)?;
    let mut out = Vec::new();
    for (k, p) in d {
        let Bson::Array(items) = p else {
            return Err(MongoError::location(
                40170,
                format!(
                    "arguments to $facet must be arrays, {k} is type {}",
                    type_name(p)
                ),
            ));
        };
        let docs = items
            .iter()
            .map(|i| {
                i.as_document().cloned().ok_or_else(|| {
                    MongoError::location(40171, "subpipeline stages must be objects")
                })
            })
            .collect::<Result<Vec<_>>>()?;
        for s in &docs {
            if s.keys()
                .any(|k| matches!(k.as_str(), "$facet" | "$out" | "$merge"))
            {
                return Err(MongoError::location(
                    40600,
                    "$facet is not allowed to be used within a $facet stage",
                ));
            }
        }
        out.push((k.clone(), Pipeline::parse(&docs, ctx)?));
    }
    Ok(Stage::Facet(out))
}

/// `$bucket`: `{groupBy, boundaries, default, output}`.
fn bucket(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    let d = doc_operand("$bucket", v)?;
    let group_by = d.get("groupBy").ok_or_else(|| {
        MongoError::location(
            40198,
            "$bucket requires 'groupBy' and 'boundaries' to be specified.",
        )
    })?;
    match group_by {
        Bson::String(s) if s.starts_with('$') => {}
        Bson::Document(_) => {}
        other => {
            return Err(MongoError::location(
                40202,
                format!(
                    "The $bucket 'groupBy' field must be defined as a $-prefixed path or an expression object, but found: {}",
                    crate::value::shell(other)
                ),
            ))
        }
    }
    let group_by = expr::parse(group_by)?;
    let Some(Bson::Array(boundaries)) = d.get("boundaries") else {
        return Err(MongoError::location(
            40198,
            "$bucket requires 'groupBy' and 'boundaries' to be specified.",
        ));
    };
    if boundaries.len() < 2 {
        return Err(MongoError::location(
            40192,
            "The $bucket 'boundaries' field must have at least 2 values",
        ));
    }
    for pair in boundaries.windows(2) {
        if let [a, b] = pair {
            if crate::value::type_rank(a) != crate::value::type_rank(b) {
                return Err(MongoError::location(
                    40193,
                    "All values in the the 'boundaries' option to $bucket must have the same type.",
                ));
            }
            if compare(a, b) != std::cmp::Ordering::Less {
                return Err(MongoError::location(
                    40194,
                    "The 'boundaries' option to $bucket must be sorted in ascending order",
                ));
            }
        }
    }
    // The default bucket must lie outside the boundaries (manual: "$bucket", default).
    if let (Some(default), Some(lo), Some(hi)) =
        (d.get("default"), boundaries.first(), boundaries.last())
    {
        if compare(default, lo).is_ge() && compare(default, hi).is_lt() {
            return Err(MongoError::location(
                40199,
                "The $bucket 'default' field must be less than the lowest boundary or greater than or equal to the highest boundary.",
            ));
        }
    }
    let output = match d.get("output") {
        Some(Bson::Document(o)) => parse_accumulators(o, false)?,
        Some(_) => {
            return Err(MongoError::location(
                40196,
                "The $bucket 'output' field must be an object",
            ))
        }
        None => vec![(
            "count".to_string(),
            AccKind::Sum,
            Expr::Literal(Bson::Int32(1)),
        )],
    };
    Ok(Stage::Bucket(Box::new(Bucket {
        group_by,
        boundaries: boundaries.clone(),
        default: d.get("default").cloned(),
        output,
    })))
}

/// `$sortByCount`: `$group` by the expression with a count, then `$sort` by count descending.
fn sort_by_count(v: &Bson, ctx: &mut ParseCtx) -> Result<Stage> {
    let e = expr::parse(v)?;
    Ok(Stage::Facet(vec![(
        String::new(),
        Pipeline {
            stages: vec![
                Stage::Group(Box::new(Group {
                    id: e,
                    fields: vec![("count".into(), AccKind::Sum, Expr::Literal(Bson::Int32(1)))],
                    collation: ctx.collation.clone(),
                })),
                Stage::Sort(SortSpec::parse(&bson::doc! {"count": -1})?),
            ],
        },
    )]))
}

/// `$replaceRoot`: `{newRoot: expr}`.
fn replace_root(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    let d = doc_operand("$replaceRoot", v)?;
    let root = d.get("newRoot").ok_or_else(|| {
        MongoError::location(40231, "no newRoot specified for the $replaceRoot stage")
    })?;
    Ok(Stage::ReplaceRoot(expr::parse(root)?))
}

/// `$replaceWith`: the expression itself.
fn replace_with(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    Ok(Stage::ReplaceRoot(expr::parse(v)?))
}

/// `$sample`: `{size}`; picks pseudo-randomly with a fixed seed, so runs repeat.
fn sample(v: &Bson, _: &mut ParseCtx) -> Result<Stage> {
    let d = doc_operand("$sample", v)?;
    match d.get("size").and_then(as_num) {
        Some(n) if n.as_f64() >= 0.0 => Ok(Stage::Sample(n.as_f64() as u64)),
        _ => Err(MongoError::location(
            28749,
            "$sample stage must specify a size",
        )),
    }
}

/// A key that is equal for BSON-equal values (numbers across widths), for grouping.
pub fn group_key(v: &Bson, out: &mut String) {
    match v {
        Bson::Decimal128(_) => {
            // A decimal shares its key with the double (or integer) of exactly its value;
            // otherwise it keys by its digits, apart from every double.
            let exact = crate::decimal::Exact::of_bson(v);
            let as_double = exact.as_ref().map(|e| e.to_f64());
            let same = match (&exact, as_double) {
                (Some(e), Some(f)) => crate::decimal::Exact::of_double(f)
                    .is_some_and(|d| d.cmp_value(e) == std::cmp::Ordering::Equal),
                _ => false,
            };
            match (exact, as_double) {
                (_, Some(f)) if same => group_key(&Bson::Double(f), out),
                (Some(e), _) => {
                    out.push('d');
                    out.push_str(&e.key());
                }
                (None, _) => {
                    out.push('n');
                    out.push_str(&v.to_string());
                }
            }
        }
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) => {
            out.push('n');
            match as_num(v) {
                Some(crate::value::Num::Int(i)) => out.push_str(&i.to_string()),
                Some(crate::value::Num::Float(f)) if f.fract() == 0.0 && f.abs() < 9e15 => {
                    out.push_str(&(f as i64).to_string())
                }
                Some(crate::value::Num::Float(f)) => out.push_str(&f.to_string()),
                None => {}
            }
        }
        Bson::Null | Bson::Undefined => out.push('z'),
        Bson::String(s) => {
            out.push('s');
            out.push_str(&s.len().to_string());
            out.push(':');
            out.push_str(s);
        }
        Bson::Document(d) => {
            out.push('{');
            for (k, v) in d {
                out.push_str(&k.len().to_string());
                out.push(':');
                out.push_str(k);
                group_key(v, out);
            }
            out.push('}');
        }
        Bson::Array(items) => {
            out.push('[');
            for i in items {
                group_key(i, out);
                out.push(',');
            }
            out.push(']');
        }
        other => {
            out.push('o');
            out.push_str(&format!("{other:?}"));
        }
    }
}

/// `$group`'s running state: the groups in the order they were first met, each with its
/// accumulators.
struct Grouper<'g> {
    id: &'g Expr,
    fields: &'g [(String, AccKind, Expr)],
    collation: Option<&'g crate::collation::Collation>,
    index: HashMap<String, usize>,
    groups: Vec<(Bson, Vec<accumulators::AccState>)>,
    key: String,
}

impl<'g> Grouper<'g> {
    fn new(
        id: &'g Expr,
        fields: &'g [(String, AccKind, Expr)],
        collation: Option<&'g crate::collation::Collation>,
    ) -> Self {
        Grouper {
            id,
            fields,
            collation,
            index: HashMap::new(),
            groups: Vec::new(),
            key: String::new(),
        }
    }

    /// Adds the document an environment reads.
    fn add(&mut self, env: &mut Env) -> Result<()> {
        let mut k = env.eval(self.id)?;
        if matches!(k, Bson::Undefined) {
            k = Bson::Null;
        }
        self.key.clear();
        group_key(
            &crate::collation::collated(self.collation, &k),
            &mut self.key,
        );
        let slot = match self.index.get(&self.key) {
            Some(i) => *i,
            None => {
                self.index.insert(self.key.clone(), self.groups.len());
                let states = self
                    .fields
                    .iter()
                    .map(|(_, kind, _)| kind.start())
                    .collect();
                self.groups.push((k, states));
                self.groups.len() - 1
            }
        };
        let Some((_, states)) = self.groups.get_mut(slot) else {
            return Ok(());
        };
        for ((_, kind, e), state) in self.fields.iter().zip(states.iter_mut()) {
            let v = if *kind == AccKind::Count {
                Bson::Null
            } else {
                env.eval(e)?
            };
            kind.add(state, v)?;
        }
        Ok(())
    }
}

fn run_group<'d>(
    docs: impl IntoIterator<Item = &'d Document>,
    id: &Expr,
    fields: &[(String, AccKind, Expr)],
    collation: Option<&crate::collation::Collation>,
    ctx: &AggCtx,
) -> Result<Vec<(Bson, Vec<accumulators::AccState>)>> {
    let mut grouper = Grouper::new(id, fields, collation);
    for doc in docs {
        let mut env = Env::new(doc);
        env.now_millis = ctx.now_millis;
        grouper.add(&mut env)?;
    }
    Ok(grouper.groups)
}

/// The output documents of `$group`.
fn group_output<'a>(g: &Group, groups: Vec<(Bson, Vec<accumulators::AccState>)>) -> Docs<'a> {
    groups
        .into_iter()
        .map(|(k, states)| {
            let mut out = Document::new();
            out.insert("_id", k);
            for ((name, kind, _), state) in g.fields.iter().zip(states) {
                out.insert(name.clone(), kind.finish(state));
            }
            Cow::Owned(out)
        })
        .collect()
}

/// `$group` over records of a collection (row `r` is record `r + 1`): field paths are read from
/// the collection's columns where they can be, rather than from documents scattered in memory.
pub fn group_rows<'a>(
    g: &Group,
    coll: &crate::collection::Collection,
    rows: &[usize],
    ctx: &AggCtx,
) -> Result<Docs<'a>> {
    let fields = RowFields {
        coll,
        row: std::cell::Cell::new(0),
        columns: std::cell::RefCell::new(Vec::new()),
    };
    let mut grouper = Grouper::new(&g.id, &g.fields, g.collation.as_deref());
    for &row in rows {
        let Some(doc) = coll.row(row) else { continue };
        fields.row.set(row);
        let mut env = Env::new(doc);
        env.now_millis = ctx.now_millis;
        env.fields = Some(&fields);
        grouper.add(&mut env)?;
    }
    Ok(group_output(g, grouper.groups))
}

/// Field paths of one collection row, read from columns. A path is known by the address of its
/// components in the expression (which outlives the group), so each is joined and looked up once.
struct RowFields<'c> {
    coll: &'c crate::collection::Collection,
    row: std::cell::Cell<usize>,
    columns: std::cell::RefCell<Vec<(usize, std::rc::Rc<crate::column::Column>)>>,
}

impl expr::FieldSource for RowFields<'_> {
    fn field(&self, parts: &[String]) -> Option<Bson> {
        let key = parts.as_ptr() as usize;
        let column = {
            let mut columns = self.columns.borrow_mut();
            match columns.iter().find(|(k, _)| *k == key) {
                Some((_, c)) => std::rc::Rc::clone(c),
                None => {
                    let c = self.coll.column(&parts.join("."));
                    columns.push((key, std::rc::Rc::clone(&c)));
                    c
                }
            }
        };
        match column.slot(self.row.get()) {
            crate::column::Slot::Value(v) => Some(v.clone()),
            crate::column::Slot::Missing => Some(expr::MISSING),
            crate::column::Slot::Complex => None,
        }
    }
}

/// `$unwind` straight into `$group`: each array element is grouped as the document `$unwind`
/// would produce, read through an overlay instead of built (the documents `$unwind` passes on
/// unchanged, or where an array lies on the way to the path, go the usual way).
pub fn unwind_group<'a>(u: &Unwind, g: &Group, docs: Docs<'a>, ctx: &AggCtx) -> Result<Docs<'a>> {
    let mut grouper = Grouper::new(&g.id, &g.fields, g.collation.as_deref());
    for doc in docs {
        let items = match path::get_plain(&doc, &u.path) {
            Some(Bson::Array(items)) if !items.is_empty() && through_documents(&doc, &u.path) => {
                items
            }
            _ => {
                let mut out = Vec::new();
                unwind_one(u, doc, &mut out);
                for d in &out {
                    let mut env = Env::new(d);
                    env.now_millis = ctx.now_millis;
                    grouper.add(&mut env)?;
                }
                continue;
            }
        };
        for item in items {
            let mut env = Env::new(&doc);
            env.now_millis = ctx.now_millis;
            env.overlay = Some((&u.path, item));
            grouper.add(&mut env)?;
        }
    }
    Ok(group_output(g, grouper.groups))
}

/// Whether every step of a path but the last is a field holding an embedded document.
fn through_documents(doc: &Document, parts: &[String]) -> bool {
    let Some((last, inner)) = parts.split_last() else {
        return false;
    };
    let mut current = doc;
    for part in inner {
        match path::field(current, part) {
            Some(Bson::Document(d)) => current = d,
            _ => return false,
        }
    }
    path::field(current, last).is_some()
}

/// What `$unwind` makes of one document.
fn unwind_one<'a>(u: &Unwind, doc: Cow<'a, Document>, out: &mut Docs<'a>) {
    let value = path::get_plain(&doc, &u.path).cloned();
    match value {
        Some(Bson::Array(items)) if !items.is_empty() => {
            for (i, item) in items.into_iter().enumerate() {
                let mut d = doc.as_ref().clone();
                path::set_plain(&mut d, &u.path, item);
                if let Some(f) = &u.include_index {
                    d.insert(f.clone(), Bson::Int64(i as i64));
                }
                out.push(Cow::Owned(d));
            }
        }
        Some(Bson::Array(_)) | Some(Bson::Null) | None => {
            if u.preserve {
                let mut d = doc.into_owned();
                if matches!(value, Some(Bson::Array(_))) {
                    path::remove_plain(&mut d, &u.path);
                }
                if let Some(f) = &u.include_index {
                    d.insert(f.clone(), Bson::Null);
                }
                out.push(Cow::Owned(d));
            }
        }
        Some(_) => match &u.include_index {
            Some(f) => {
                let mut d = doc.into_owned();
                d.insert(f.clone(), Bson::Null);
                out.push(Cow::Owned(d));
            }
            None => out.push(doc),
        },
    }
}

/// Puts `let` values into one sub-pipeline stage: everywhere in expression stages, but in a
/// `$match` only inside `$expr` (manual: "$lookup", variables are reachable through `$expr`
/// only; elsewhere `"$$name"` is a plain string).
fn substitute_stage(stage: &Document, vars: &[(String, Bson)]) -> Document {
    fn in_match(filter: &Document, vars: &[(String, Bson)]) -> Document {
        filter
            .iter()
            .map(|(k, v)| {
                let v = match (k.as_str(), v) {
                    ("$expr", e) => substitute(e, vars),
                    ("$and" | "$or" | "$nor", Bson::Array(clauses)) => Bson::Array(
                        clauses
                            .iter()
                            .map(|c| match c {
                                Bson::Document(d) => Bson::Document(in_match(d, vars)),
                                other => other.clone(),
                            })
                            .collect(),
                    ),
                    (_, other) => other.clone(),
                };
                (k.clone(), v)
            })
            .collect()
    }
    stage
        .iter()
        .map(|(name, operand)| {
            let operand = match (name.as_str(), operand) {
                ("$match", Bson::Document(filter)) => Bson::Document(in_match(filter, vars)),
                (_, other) => substitute(other, vars),
            };
            (name.clone(), operand)
        })
        .collect()
}

/// Replaces `$$name` strings with literal values, for `$lookup` sub-pipelines with `let`.
fn substitute(v: &Bson, vars: &[(String, Bson)]) -> Bson {
    match v {
        Bson::String(s) if s.starts_with("$$") => {
            let body = s.get(2..).unwrap_or("");
            let mut parts = body.splitn(2, '.');
            let name = parts.next().unwrap_or("");
            match vars.iter().find(|(n, _)| n == name) {
                Some((_, value)) => {
                    let value = match parts.next() {
                        Some(rest) => {
                            path::get_expr(value, &path::split(rest)).unwrap_or(Bson::Null)
                        }
                        None => value.clone(),
                    };
                    Bson::Document(bson::doc! {"$literal": value})
                }
                None => v.clone(),
            }
        }
        Bson::Document(d) => Bson::Document(
            d.iter()
                .map(|(k, v)| (k.clone(), substitute(v, vars)))
                .collect(),
        ),
        Bson::Array(items) => Bson::Array(items.iter().map(|i| substitute(i, vars)).collect()),
        other => other.clone(),
    }
}

impl Stage {
    /// The `$group` this stage starts with, and the stages after it: a `$group` itself, or
    /// `$sortByCount` (a `$group` then a `$sort`).
    pub fn leading_group(&self) -> Option<(&Group, &[Stage])> {
        match self {
            Stage::Group(g) => Some((g, &[])),
            Stage::Facet(facets) => match facets.as_slice() {
                [(name, p)] if name.is_empty() => match p.stages.split_first() {
                    Some((Stage::Group(g), rest)) => Some((g, rest)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    pub fn run<'a>(&self, docs: Docs<'a>, ctx: &AggCtx) -> Result<Docs<'a>> {
        match self {
            Stage::Match(filter) => {
                let mut out = Vec::new();
                for doc in docs {
                    let mut d = MatchDetails::default();
                    let ok = filter.matches(&doc, &mut d);
                    if let Some(err) = d.error {
                        return Err(err);
                    }
                    if ok {
                        out.push(doc);
                    }
                }
                Ok(out)
            }
            Stage::Project(p) => docs
                .iter()
                .map(|d| {
                    let details = MatchDetails {
                        text_score: ctx.text_score(d),
                        ..MatchDetails::default()
                    };
                    p.apply(d, &details).map(Cow::Owned)
                })
                .collect(),
            Stage::AddFields(fields) => {
                let mut out = Vec::with_capacity(docs.len());
                for doc in docs {
                    let mut values = Vec::with_capacity(fields.len());
                    {
                        let mut env = Env::new(&doc);
                        env.now_millis = ctx.now_millis;
                        env.text_score = ctx.text_score(&doc);
                        for (_, e) in fields {
                            values.push(env.eval(e)?);
                        }
                    }
                    let mut doc = doc.into_owned();
                    for ((parts, _), v) in fields.iter().zip(values) {
                        if matches!(v, Bson::Undefined) {
                            path::remove_plain(&mut doc, parts);
                        } else {
                            set_field(&mut doc, parts, v);
                        }
                    }
                    out.push(Cow::Owned(doc));
                }
                Ok(out)
            }
            Stage::Unset(paths) => Ok(docs
                .into_iter()
                .map(|d| {
                    let mut d = d.into_owned();
                    for p in paths {
                        path::remove_plain(&mut d, p);
                    }
                    Cow::Owned(d)
                })
                .collect()),
            Stage::Group(g) => {
                let groups = run_group(
                    docs.iter().map(|d| &**d),
                    &g.id,
                    &g.fields,
                    g.collation.as_deref(),
                    ctx,
                )?;
                Ok(group_output(g, groups))
            }
            Stage::Sort(spec) => Ok(spec.sort(docs, |d| spec.key(d, ctx.text_score(d)))),
            Stage::Limit(n) => Ok(docs.into_iter().take(*n as usize).collect()),
            Stage::Skip(n) => Ok(docs.into_iter().skip(*n as usize).collect()),
            Stage::Unwind(u) => {
                let mut out = Vec::new();
                for doc in docs {
                    unwind_one(u, doc, &mut out);
                }
                Ok(out)
            }
            Stage::Lookup(l) => {
                let foreign = (ctx.collection)(&l.from);
                let mut out = Vec::with_capacity(docs.len());
                for doc in docs {
                    let mut doc = doc.into_owned();
                    let mut matched: Vec<Document> = match (&l.local, &l.foreign) {
                        (Some(local), Some(fpath)) => {
                            let mut values = Vec::new();
                            path::any_leaf(&doc, local, &mut |leaf, _| {
                                match leaf {
                                    Some(Bson::Array(items)) => values.extend(items.iter().cloned()),
                                    Some(v) => values.push(v.clone()),
                                    None => values.push(Bson::Null),
                                }
                                false
                            });
                            let cond = Cond::In(crate::query::InList::new(
                                values.into_iter().map(InItem::Value).collect(),
                            ));
                            foreign
                                .iter()
                                .filter(|f| field_matches(f, fpath, &cond, &mut MatchDetails::default()))
                                .cloned()
                                .collect()
                        }
                        _ => foreign.clone(),
                    };
                    if let Some(p) = &l.pipeline {
                        let mut vars = Vec::new();
                        {
                            let mut env = Env::new(&doc);
                            for (name, e) in &l.lets {
                                vars.push((name.clone(), env.eval(e)?));
                            }
                        }
                        let stages: Vec<Document> = p
                            .iter()
                            .map(|s| substitute_stage(s, &vars))
                            .collect();
                        let sub = Pipeline::parse(&stages, &mut ParseCtx::new(None))?;
                        matched = sub
                            .run(matched.into_iter().map(Cow::Owned).collect(), ctx)?
                            .into_iter()
                            .map(Cow::into_owned)
                            .collect();
                    }
                    path::set_plain(&mut doc, &l.as_field, Bson::Array(matched.into_iter().map(Bson::Document).collect()));
                    out.push(Cow::Owned(doc));
                }
                Ok(out)
            }
            Stage::Count(name) => {
                if docs.is_empty() {
                    return Ok(Vec::new());
                }
                let mut d = Document::new();
                d.insert(name.clone(), crate::expr::arithmetic::from_int(docs.len() as i128, crate::expr::arithmetic::Width::Int));
                Ok(vec![Cow::Owned(d)])
            }
            Stage::Facet(facets) => {
                // `$sortByCount` is an unnamed facet whose output replaces the stream.
                if let [(name, p)] = facets.as_slice() {
                    if name.is_empty() {
                        return p.run(docs, ctx);
                    }
                }
                let mut out = Document::new();
                for (name, p) in facets {
                    let res = p.run(docs.clone(), ctx)?;
                    out.insert(name.clone(), Bson::Array(res.into_iter().map(|d| Bson::Document(d.into_owned())).collect()));
                }
                Ok(vec![Cow::Owned(out)])
            }
            Stage::Bucket(b) => {
                let mut keyed: Vec<Cow<Document>> = Vec::with_capacity(docs.len());
                let mut ids: Vec<Bson> = Vec::with_capacity(docs.len());
                for doc in docs {
                    let v = {
                        let mut env = Env::new(&doc);
                        env.eval(&b.group_by)?
                    };
                    let mut id = None;
                    for pair in b.boundaries.windows(2) {
                        if let [lo, hi] = pair {
                            if crate::value::type_rank(&v) == crate::value::type_rank(lo)
                                && compare(&v, lo) != std::cmp::Ordering::Less
                                && compare(&v, hi) == std::cmp::Ordering::Less
                            {
                                id = Some(lo.clone());
                                break;
                            }
                        }
                    }
                    let id = match (id, &b.default) {
                        (Some(id), _) => id,
                        (None, Some(d)) => d.clone(),
                        (None, None) => {
                            return Err(MongoError::location(
                                40066,
                                format!("$switch could not find a matching branch for an input, and no default was specified. (the $bucket groupBy value {} falls outside the boundaries)", shell(&v)),
                            ))
                        }
                    };
                    ids.push(id);
                    keyed.push(doc);
                }
                let mut tagged = Vec::with_capacity(keyed.len());
                for (d, id) in keyed.into_iter().zip(ids) {
                    let mut d = d.into_owned();
                    d.insert("\u{0}bucket", id);
                    tagged.push(d);
                }
                let groups = run_group(&tagged, &Expr::Field(vec!["\u{0}bucket".into()]), &b.output, None, ctx)?;
                let mut out: Vec<(usize, Document)> = groups
                    .into_iter()
                    .map(|(k, states)| {
                        let rank = b.boundaries.iter().position(|x| crate::value::values_equal(x, &k)).unwrap_or(usize::MAX);
                        let mut d = Document::new();
                        d.insert("_id", k);
                        for ((name, kind, _), state) in b.output.iter().zip(states) {
                            d.insert(name.clone(), kind.finish(state));
                        }
                        (rank, d)
                    })
                    .collect();
                out.sort_by_key(|(rank, _)| *rank);
                Ok(out.into_iter().map(|(_, d)| Cow::Owned(d)).collect())
            }
            Stage::ReplaceRoot(e) => docs
                .iter()
                .map(|doc| {
                    let mut env = Env::new(doc);
                    env.now_millis = ctx.now_millis;
                    match env.eval(e)? {
                        Bson::Document(d) => Ok(Cow::Owned(d)),
                        other => Err(MongoError::location(
                            40228,
                            format!(
                                "'newRoot' expression must evaluate to an object, but resulting value was: {}. Type of resulting value: '{}'. Input document: {}",
                                if matches!(other, Bson::Undefined) { "MISSING".to_string() } else { shell(&other) },
                                type_name(&other),
                                shell_doc(doc)
                            ),
                        )),
                    }
                })
                .collect(),
            Stage::Sample(n) => {
                let mut docs = docs;
                let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
                let mut out = Vec::new();
                while !docs.is_empty() && (out.len() as u64) < *n {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    let i = (state % docs.len() as u64) as usize;
                    out.push(docs.swap_remove(i));
                }
                Ok(out)
            }
        }
    }
}

/// Sets a computed field of `$addFields`/`$set` (jstests add_fields_dotted_paths.js): the path
/// goes into embedded documents, into every element of arrays (nested arrays too), and a
/// missing or scalar value on the way is replaced by a new embedded document.
fn set_field(doc: &mut Document, parts: &[String], value: Bson) {
    let Some((first, rest)) = parts.split_first() else {
        return;
    };
    if rest.is_empty() {
        doc.insert(first.clone(), value);
        return;
    }
    match doc.get_mut(first) {
        Some(existing) => set_in_value(existing, rest, &value, 0),
        None => {
            let mut child = Document::new();
            set_field(&mut child, rest, value);
            doc.insert(first.clone(), child);
        }
    }
}

fn set_in_value(target: &mut Bson, rest: &[String], value: &Bson, depth: usize) {
    match target {
        Bson::Document(child) => set_field(child, rest, value.clone()),
        Bson::Array(items) if depth < crate::value::MAX_DOCUMENT_DEPTH => {
            for item in items.iter_mut() {
                set_in_value(item, rest, value, depth + 1);
            }
        }
        other => {
            let mut child = Document::new();
            set_field(&mut child, rest, value.clone());
            *other = Bson::Document(child);
        }
    }
}
