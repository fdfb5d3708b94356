//! Aggregation stages (manual: "Aggregation Stages").

use std::borrow::Cow;
use std::collections::HashMap;

use bson::{Bson, Document};

use super::accumulators::{self, AccKind};
use super::rows::{Pick, Row, Stream, Value};
use super::{AggCtx, Docs, Pipeline, StageFn};
use crate::error::{MongoError, Result};
use crate::expr::{self, Env, Expr};
use crate::path;
use crate::projection::{Kind, Projection};
use crate::query::{parse_filter, Filter, MatchDetails, ParseCtx};
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
    /// The pipeline parsed (with its `$$` variables unresolved): what runs when there is no
    /// `let`.
    pub parsed: Option<Pipeline>,
    pub as_field: Vec<String>,
}

impl Lookup {
    /// A sub-pipeline without `let` or equality reads nothing of the document it joins.
    pub fn uncorrelated(&self) -> bool {
        self.lets.is_empty() && self.local.is_none() && self.parsed.is_some()
    }
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
    // Validate the sub-pipeline once, with placeholders for the variables.
    let parsed = match &pipeline {
        Some(p) => Some(Pipeline::parse(p, &mut ParseCtx::new(None))?),
        None => None,
    };
    Ok(Stage::Lookup(Box::new(Lookup {
        from,
        local,
        foreign,
        lets,
        pipeline,
        parsed,
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
    index: HashMap<String, usize, foldhash::fast::RandomState>,
    groups: Vec<(Bson, Vec<accumulators::AccState>)>,
    key: String,
    budget: &'g crate::budget::Budget,
    /// The bytes the groups hold, as the server counts them (keys and kept values), when the
    /// budget counts memory.
    bytes: usize,
    /// The group of each code of the column `_id` is read from, once met (see
    /// [`Grouper::add_coded`]).
    by_code: Vec<Option<usize>>,
}

impl<'g> Grouper<'g> {
    fn new(
        id: &'g Expr,
        fields: &'g [(String, AccKind, Expr)],
        collation: Option<&'g crate::collation::Collation>,
        budget: &'g crate::budget::Budget,
    ) -> Self {
        Grouper {
            id,
            fields,
            collation,
            index: HashMap::default(),
            groups: Vec::new(),
            key: String::new(),
            budget,
            bytes: 0,
            by_code: Vec::new(),
        }
    }

    /// Adds the document an environment reads.
    fn add(&mut self, env: &mut Env) -> Result<()> {
        self.budget.step()?;
        let k = env.eval(self.id)?;
        let slot = self.group_of(k)?;
        self.accumulate(slot, env)
    }

    /// Adds the document an environment reads, whose `_id` (one field path) a column gives as
    /// `code` of `column`: each distinct value's group is looked up once, not per document
    /// (a path with an array on the way is evaluated on the document).
    fn add_coded(
        &mut self,
        column: &crate::column::Column,
        code: u32,
        env: &mut Env,
    ) -> Result<()> {
        self.budget.step()?;
        let known = self.by_code.get(code as usize).copied().flatten();
        let slot = match (known, column.slots().get(code as usize)) {
            (Some(slot), _) => slot,
            (None, Some(crate::column::Slot::Complex) | None) => {
                let k = env.eval(self.id)?;
                self.group_of(k)?
            }
            (None, Some(found)) => {
                let k = match found {
                    crate::column::Slot::Value(v) => v.clone(),
                    _ => Bson::Null,
                };
                let slot = self.group_of(k)?;
                if self.by_code.len() <= code as usize {
                    self.by_code
                        .resize(column.slots().len().max(code as usize + 1), None);
                }
                if let Some(known) = self.by_code.get_mut(code as usize) {
                    *known = Some(slot);
                }
                slot
            }
        };
        self.accumulate(slot, env)
    }

    /// The group of a key (a missing key is null), made when first met.
    fn group_of(&mut self, mut k: Bson) -> Result<usize> {
        if matches!(k, Bson::Undefined) {
            k = Bson::Null;
        }
        self.key.clear();
        group_key(
            &crate::collation::collated(self.collation, &k),
            &mut self.key,
        );
        if let Some(i) = self.index.get(&self.key) {
            return Ok(*i);
        }
        self.index.insert(self.key.clone(), self.groups.len());
        let states = self
            .fields
            .iter()
            .map(|(_, kind, _)| kind.start())
            .collect();
        if self.budget.counts_memory() {
            self.bytes += crate::value::value_size(&k) + self.key.len();
            self.budget.group_memory(self.bytes)?;
        }
        self.groups.push((k, states));
        Ok(self.groups.len() - 1)
    }

    /// Adds the document an environment reads to the accumulators of a group.
    fn accumulate(&mut self, slot: usize, env: &mut Env) -> Result<()> {
        let Some((_, states)) = self.groups.get_mut(slot) else {
            return Ok(());
        };
        for ((_, kind, e), state) in self.fields.iter().zip(states.iter_mut()) {
            let v = if *kind == AccKind::Count {
                Bson::Null
            } else {
                env.eval(e)?
            };
            if self.budget.counts_memory() && kind.keeps_values() {
                self.bytes += crate::value::value_size(&v);
                self.budget.group_memory(self.bytes)?;
            }
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
    let mut grouper = Grouper::new(id, fields, collation, ctx.budget);
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

/// The field path a `$group` `_id` is, when it is one.
fn id_path(id: &Expr) -> Option<String> {
    match id {
        Expr::Field(parts) if !parts.is_empty() => Some(parts.join(".")),
        _ => None,
    }
}

/// `$group` over records of a collection (row `r` is record `r + 1`): field paths are read from
/// the collection's columns where they can be, rather than from documents scattered in memory,
/// and an `_id` that is a field path groups by its column's codes.
pub fn group_rows<'a>(
    g: &Group,
    coll: &crate::collection::Collection,
    rows: &[usize],
    ctx: &AggCtx,
) -> Result<Docs<'a>> {
    let fields = ColumnFields::new(coll, None);
    let key_column = id_path(&g.id).map(|p| coll.column(&p));
    let mut grouper = Grouper::new(&g.id, &g.fields, g.collation.as_deref(), ctx.budget);
    for &row in rows {
        let Some(doc) = coll.row(row) else { continue };
        fields.row.set(row);
        let mut env = Env::new(doc);
        env.now_millis = ctx.now_millis;
        env.fields = Some(&fields);
        match &key_column {
            Some(column) => grouper.add_coded(column, column.code(row), &mut env)?,
            None => grouper.add(&mut env)?,
        }
    }
    Ok(group_output(g, grouper.groups))
}

/// `$unwind` then `$group` over records of a collection: each element of the arrays is grouped
/// from columns over the elements (the unwound path and the paths inside it) and over the
/// records (every other path), as [`unwind_group`] would group it from the documents. A record
/// whose value at the path is not a non-empty array reached through embedded documents goes
/// the way of [`unwind_group`].
pub fn unwind_group_rows<'a>(
    u: &Unwind,
    g: &Group,
    coll: &crate::collection::Collection,
    rows: &[usize],
    ctx: &AggCtx,
) -> Result<Docs<'a>> {
    let dotted = u.path.join(".");
    let parent = coll.column(&dotted);
    let elements = coll.elements(&dotted);
    let fields = ColumnFields::new(coll, Some((&u.path, &dotted, &elements)));
    let key_column = id_path(&g.id).and_then(|p| fields.column_of(&path::split(&p)));
    let mut grouper = Grouper::new(&g.id, &g.fields, g.collation.as_deref(), ctx.budget);
    for &row in rows {
        let Some(doc) = coll.row(row) else { continue };
        let items = match parent.slot(row) {
            crate::column::Slot::Value(Bson::Array(items)) if !items.is_empty() => items,
            _ => {
                let mut out = Vec::new();
                unwind_one(u, Cow::Borrowed(doc), &mut out, ctx.budget)?;
                for d in out.into_iter().map(Row::into_doc) {
                    let mut env = Env::new(&d);
                    env.now_millis = ctx.now_millis;
                    grouper.add(&mut env)?;
                }
                continue;
            }
        };
        fields.row.set(row);
        for (element, item) in elements.range(row).zip(items) {
            fields.element.set(element);
            let mut env = Env::new(doc);
            env.now_millis = ctx.now_millis;
            env.overlay = Some((&u.path, item));
            env.fields = Some(&fields);
            match &key_column {
                Some((column, Over::Records)) => {
                    grouper.add_coded(column, column.code(row), &mut env)?
                }
                // A path inside an element that is not a document is read from the element.
                Some((_, Over::Inside)) if !elements.is_doc(element) => grouper.add(&mut env)?,
                Some((column, _)) => grouper.add_coded(column, column.code(element), &mut env)?,
                None => grouper.add(&mut env)?,
            }
        }
    }
    Ok(group_output(g, grouper.groups))
}

/// Field paths read from columns: of the collection's records (`row`), or, under an unwound
/// path, of the elements of the arrays there (`element`). A path is known by the address of its
/// components in the expression (which outlives the group), so each is joined and looked up
/// once. A path the columns cannot answer (an array on the way, the unwound path's prefix) is
/// left to the document.
struct ColumnFields<'c> {
    coll: &'c crate::collection::Collection,
    /// The unwound path, split and dotted, and its elements.
    unwound: Option<(&'c [String], &'c str, &'c crate::column::Elements)>,
    row: std::cell::Cell<usize>,
    element: std::cell::Cell<usize>,
    columns: std::cell::RefCell<Vec<(usize, ColumnOf)>>,
}

/// Which column a path is read from, and what its rows are; or none.
type ColumnOf = Option<(std::rc::Rc<crate::column::Column>, Over)>;

/// What the rows of a column are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Over {
    /// The records.
    Records,
    /// The unwound elements themselves.
    Elements,
    /// A path inside the unwound elements (read where the element is a document).
    Inside,
}

impl<'c> ColumnFields<'c> {
    fn new(
        coll: &'c crate::collection::Collection,
        unwound: Option<(&'c [String], &'c str, &'c crate::column::Elements)>,
    ) -> Self {
        ColumnFields {
            coll,
            unwound,
            row: std::cell::Cell::new(0),
            element: std::cell::Cell::new(0),
            columns: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The column of a path, and whether its rows are the unwound elements.
    fn column_of(&self, parts: &[String]) -> ColumnOf {
        match self.unwound {
            None => Some((self.coll.column(&parts.join(".")), Over::Records)),
            Some((path, dotted, _)) => {
                if let Some(rest) = parts.strip_prefix(path) {
                    if rest.is_empty() {
                        Some((self.coll.element_values(dotted), Over::Elements))
                    } else {
                        let column = self.coll.element_column(dotted, &rest.join("."));
                        Some((column, Over::Inside))
                    }
                } else if path.starts_with(parts) {
                    // A document holding the unwound value: only the document can say.
                    None
                } else {
                    Some((self.coll.column(&parts.join(".")), Over::Records))
                }
            }
        }
    }
}

impl expr::FieldSource for ColumnFields<'_> {
    fn field(&self, parts: &[String]) -> Option<Bson> {
        let key = parts.as_ptr() as usize;
        let column = {
            let mut columns = self.columns.borrow_mut();
            match columns.iter().find(|(k, _)| *k == key) {
                Some((_, c)) => c.clone(),
                None => {
                    let c = self.column_of(parts);
                    columns.push((key, c.clone()));
                    c
                }
            }
        };
        let (column, over) = column?;
        let at = match over {
            Over::Records => self.row.get(),
            Over::Elements => self.element.get(),
            Over::Inside => {
                // Inside an element that is not a document (an array maps the path over its
                // elements), only the element itself can say.
                let element = self.element.get();
                let is_doc = self.unwound.is_some_and(|(_, _, e)| e.is_doc(element));
                if !is_doc {
                    return None;
                }
                element
            }
        };
        match column.slot(at) {
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
    let mut grouper = Grouper::new(&g.id, &g.fields, g.collation.as_deref(), ctx.budget);
    for doc in docs {
        let items = match path::get_plain(&doc, &u.path) {
            Some(Bson::Array(items)) if !items.is_empty() && through_documents(&doc, &u.path) => {
                items
            }
            _ => {
                let mut out = Vec::new();
                unwind_one(u, doc, &mut out, ctx.budget)?;
                for d in out.into_iter().map(Row::into_doc) {
                    let mut env = Env::new(&d);
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

/// What `$unwind` makes of one document. Each output shares the document without its array
/// and holds one element for the array's place (see [`super::rows`]), so the array is never
/// copied per element: O(output), where copying the document per element would be quadratic
/// in the array's length.
fn unwind_one<'a>(
    u: &Unwind,
    doc: Cow<'a, Document>,
    out: &mut Vec<Row<'a>>,
    budget: &crate::budget::Budget,
) -> Result<()> {
    budget.step()?;
    match path::get_plain(&doc, &u.path) {
        Some(Bson::Array(items)) if !items.is_empty() => {
            if !through_documents(&doc, &u.path) || u.include_index.is_some() {
                // An array index on the way, or the index to add: each output is written out.
                let items = items.clone();
                for (i, item) in items.into_iter().enumerate() {
                    let mut d = doc.as_ref().clone();
                    path::set_plain(&mut d, &u.path, item);
                    if let Some(f) = &u.include_index {
                        d.insert(f.clone(), Bson::Int64(i as i64));
                    }
                    out.push(Row::doc(Cow::Owned(d)));
                    budget.step()?;
                }
                return Ok(());
            }
            let (skeleton, items) = match doc {
                Cow::Owned(mut d) => {
                    let items = match take_plain(&mut d, &u.path) {
                        Some(Bson::Array(items)) => items,
                        _ => Vec::new(),
                    };
                    (d, items)
                }
                Cow::Borrowed(d) => (clone_without(d, &u.path), items.clone()),
            };
            let skeleton = std::rc::Rc::new(skeleton);
            let at: std::rc::Rc<[String]> = u.path.clone().into();
            for item in items {
                out.push(Row::shared_with(
                    std::rc::Rc::clone(&skeleton),
                    std::rc::Rc::clone(&at),
                    Value::Own(item),
                ));
                budget.step()?;
            }
        }
        value @ (Some(Bson::Array(_)) | Some(Bson::Null) | None) => {
            if u.preserve {
                let was_array = matches!(value, Some(Bson::Array(_)));
                let mut d = doc.into_owned();
                if was_array {
                    path::remove_plain(&mut d, &u.path);
                }
                if let Some(f) = &u.include_index {
                    d.insert(f.clone(), Bson::Null);
                }
                out.push(Row::doc(Cow::Owned(d)));
            }
        }
        Some(_) => match &u.include_index {
            Some(f) => {
                let mut d = doc.into_owned();
                d.insert(f.clone(), Bson::Null);
                out.push(Row::doc(Cow::Owned(d)));
            }
            None => out.push(Row::doc(doc)),
        },
    }
    Ok(())
}

/// A copy of a document with null in place of the value at a path through embedded documents
/// (the value is not copied).
fn clone_without(doc: &Document, parts: &[String]) -> Document {
    let Some((first, rest)) = parts.split_first() else {
        return doc.clone();
    };
    doc.iter()
        .map(|(k, v)| {
            let v = if k == first {
                match v {
                    Bson::Document(inner) if !rest.is_empty() => {
                        Bson::Document(clone_without(inner, rest))
                    }
                    _ => Bson::Null,
                }
            } else {
                v.clone()
            };
            (k.clone(), v)
        })
        .collect()
}

/// Takes the value at a path through embedded documents, leaving null in its place.
fn take_plain(doc: &mut Document, parts: &[String]) -> Option<Bson> {
    let (first, rest) = parts.split_first()?;
    let v = doc.get_mut(first)?;
    if rest.is_empty() {
        return Some(std::mem::replace(v, Bson::Null));
    }
    match v {
        Bson::Document(inner) => take_plain(inner, rest),
        _ => None,
    }
}

/// `$lookup`: each document gets the foreign documents that match it (by equality, through a
/// hash join; all of them without `localField`), run through the sub-pipeline if there is one.
fn run_lookup<'a>(l: &Lookup, docs: Docs<'a>, ctx: &AggCtx) -> Result<Docs<'a>> {
    let foreign = foreign_docs(l, ctx);
    let mut keys = match (&l.local, &l.foreign) {
        (Some(_), Some(fpath)) => Some(super::join::ForeignKeys::build(foreign.clone(), fpath)),
        _ => None,
    };

    let mut out = Vec::with_capacity(docs.len());
    for doc in docs {
        ctx.budget.step()?;
        let matched = lookup_matches(l, &doc, &mut keys, &foreign, ctx.budget)?;
        let joined = match (&l.parsed, &l.pipeline) {
            (Some(parsed), Some(_)) if l.lets.is_empty() => run_sub(parsed, matched, ctx)?,
            (Some(_), Some(stages)) => {
                let mut vars = Vec::new();
                {
                    let mut env = Env::new(&doc);
                    for (name, e) in &l.lets {
                        vars.push((name.clone(), env.eval(e)?));
                    }
                }
                let stages: Vec<Document> =
                    stages.iter().map(|s| substitute_stage(s, &vars)).collect();
                let sub = Pipeline::parse(&stages, &mut ParseCtx::new(None))?;
                run_sub(&sub, matched, ctx)?
            }
            _ => matched
                .into_iter()
                .map(|d| Bson::Document(d.clone()))
                .collect(),
        };
        let mut doc = doc.into_owned();
        path::set_plain(&mut doc, &l.as_field, Bson::Array(joined));
        out.push(Cow::Owned(doc));
    }
    Ok(out)
}

/// An uncorrelated `$lookup` (see [`Lookup::uncorrelated`]): its sub-pipeline answers the same
/// for every document, so it runs once (as the server caches it) and every document shares
/// the answer until a stage reads it.
fn lookup_uncorrelated<'a>(l: &Lookup, input: Stream<'a>, ctx: &AggCtx) -> Result<Stream<'a>> {
    let mut rows = input.into_rows();
    let Some(parsed) = &l.parsed else {
        return Ok(Stream::Rows(rows));
    };
    if rows.is_empty() {
        return Ok(Stream::Rows(rows));
    }
    let answer = std::rc::Rc::new(Bson::Array(run_sub(parsed, foreign_docs(l, ctx), ctx)?));
    let at: std::rc::Rc<[String]> = l.as_field.clone().into();
    for row in &mut rows {
        row.set(
            std::rc::Rc::clone(&at),
            Value::Shared(std::rc::Rc::clone(&answer)),
        );
    }
    Ok(Stream::Rows(rows))
}

/// The documents of the collection a `$lookup` reads, in scan order.
fn foreign_docs<'c>(l: &Lookup, ctx: &AggCtx<'c>) -> Vec<&'c Document> {
    match (ctx.collection)(&l.from) {
        Some(c) => c.iter().map(|(_, d)| d).collect(),
        None => Vec::new(),
    }
}

/// The foreign documents one local document joins: those its `localField` values equal, or
/// all of them without `localField`.
fn lookup_matches<'f>(
    l: &Lookup,
    doc: &Document,
    keys: &mut Option<super::join::ForeignKeys<'f, '_>>,
    foreign: &[&'f Document],
    budget: &crate::budget::Budget,
) -> Result<Vec<&'f Document>> {
    let (Some(local), Some(keys)) = (&l.local, keys) else {
        return Ok(foreign.to_vec());
    };
    let mut values = Vec::new();
    path::any_leaf(doc, local, &mut |leaf, _| {
        match leaf {
            Some(Bson::Array(items)) => values.extend(items.iter().cloned()),
            Some(v) => values.push(v.clone()),
            None => values.push(Bson::Null),
        }
        false
    });
    keys.matches(values, budget)
}

/// A `$lookup` sub-pipeline over the foreign documents it reads; its answer as array values.
fn run_sub(p: &Pipeline, docs: Vec<&Document>, ctx: &AggCtx) -> Result<Vec<Bson>> {
    Ok(p.run(docs.into_iter().map(Cow::Borrowed).collect(), ctx)?
        .into_iter()
        .map(|d| Bson::Document(d.into_owned()))
        .collect())
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

    /// Runs the stage over documents.
    pub fn run<'a>(&self, docs: Docs<'a>, ctx: &AggCtx) -> Result<Docs<'a>> {
        Ok(self.run_stream(Stream::Docs(docs), ctx)?.into_docs())
    }

    /// Runs the stage over the stream between stages: the stages that do not read documents
    /// keep their shared parts shared (see [`super::rows`]); the others read documents.
    pub fn run_stream<'a>(&self, input: Stream<'a>, ctx: &AggCtx) -> Result<Stream<'a>> {
        match self {
            Stage::Limit(n) => Ok(input.pick(Pick::Limit(*n))),
            Stage::Skip(n) => Ok(input.pick(Pick::Skip(*n))),
            Stage::Sample(n) => Ok(input.pick(Pick::Sample(*n))),
            Stage::Count(name) => {
                if input.is_empty() {
                    return Ok(Stream::Docs(Vec::new()));
                }
                let mut d = Document::new();
                d.insert(
                    name.clone(),
                    crate::expr::arithmetic::from_int(
                        input.len() as i128,
                        crate::expr::arithmetic::Width::Int,
                    ),
                );
                Ok(Stream::Docs(vec![Cow::Owned(d)]))
            }
            Stage::Unwind(u) => {
                let mut out = Vec::new();
                for doc in input.into_docs() {
                    unwind_one(u, doc, &mut out, ctx.budget)?;
                }
                Ok(Stream::Rows(out))
            }
            Stage::Lookup(l) if l.uncorrelated() => lookup_uncorrelated(l, input, ctx),
            Stage::Facet(facets) => {
                // `$sortByCount` is an unnamed facet whose output replaces the stream.
                if let [(name, p)] = facets.as_slice() {
                    if name.is_empty() {
                        return Pipeline::run_stream(&p.stages, input, ctx);
                    }
                }
                let rows = input.into_shareable_rows();
                let mut out = Document::new();
                for (name, p) in facets {
                    let res = Pipeline::run_stream(&p.stages, Stream::Rows(rows.clone()), ctx)?;
                    out.insert(
                        name.clone(),
                        Bson::Array(
                            res.into_docs()
                                .into_iter()
                                .map(|d| Bson::Document(d.into_owned()))
                                .collect(),
                        ),
                    );
                }
                Ok(Stream::Docs(vec![Cow::Owned(out)]))
            }
            _ => Ok(Stream::Docs(self.run_docs(input.into_docs(), ctx)?)),
        }
    }

    /// The stages that read their documents.
    fn run_docs<'a>(&self, docs: Docs<'a>, ctx: &AggCtx) -> Result<Docs<'a>> {
        match self {
            Stage::Match(filter) => {
                let mut out = Vec::new();
                for doc in docs {
                    ctx.budget.step()?;
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
                    ctx.budget.step()?;
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
                    ctx.budget.step()?;
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
            Stage::Sort(spec) => {
                // A `$sort` holds every document it sorts.
                if ctx.budget.counts_memory() {
                    let mut bytes = 0;
                    for d in &docs {
                        bytes += crate::value::doc_size(d);
                        ctx.budget.sort_memory(bytes)?;
                    }
                }
                let sorted = spec.sort_unless(
                    docs,
                    |d| spec.key(d, ctx.text_score(d)),
                    || ctx.budget.step_is_over(),
                );
                ctx.budget.check()?;
                Ok(sorted)
            }
            Stage::Lookup(l) => run_lookup(l, docs, ctx),
            Stage::Bucket(b) => {
                let mut keyed: Vec<Cow<Document>> = Vec::with_capacity(docs.len());
                let mut ids: Vec<Bson> = Vec::with_capacity(docs.len());
                for doc in docs {
                    ctx.budget.step()?;
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
                    ctx.budget.step()?;
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
            Stage::Limit(_)
            | Stage::Skip(_)
            | Stage::Sample(_)
            | Stage::Count(_)
            | Stage::Unwind(_)
            | Stage::Facet(_) => Ok(self.run_stream(Stream::Docs(docs), ctx)?.into_docs()),
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
