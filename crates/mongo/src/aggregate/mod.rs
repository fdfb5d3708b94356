//! Aggregation pipelines: each stage parsed by the function its name maps to in [`STAGES`],
//! then run in order over the documents.

pub mod accumulators;
pub mod join;
pub mod rows;
pub mod stages;

use std::borrow::Cow;

use bson::{Bson, Document};

use crate::error::{MongoError, Result};
use crate::query::ParseCtx;
pub use rows::Stream;
pub use stages::Stage;

/// Parses one stage from its operand.
pub type StageFn = fn(&Bson, &mut ParseCtx) -> Result<Stage>;

/// The stages, by name.
pub const STAGES: &[(&str, StageFn)] = stages::STAGES;

/// What running a pipeline needs from the database: other collections (`$lookup`) and the clock.
pub struct AggCtx<'a> {
    pub now_millis: i64,
    /// A collection of the database by name (`None` when it does not exist).
    pub collection: &'a dyn Fn(&str) -> Option<&'a crate::collection::Collection>,
    pub text_index: Option<crate::text::TextIndexSpec>,
    /// The `$text` query of a leading `$match`: `{$meta: "textScore"}` scores the documents
    /// that reach a later stage with it.
    pub text_query: Option<crate::text::TextQuery>,
    /// What the request may spend: each stage's work per document is a step of it.
    pub budget: &'a crate::budget::Budget,
}

impl AggCtx<'_> {
    /// The text score of a document, when the pipeline searched text.
    pub fn text_score(&self, doc: &Document) -> Option<f64> {
        self.text_query.as_ref().and_then(|q| q.score(doc))
    }
}

/// The documents flowing between stages: the collection's own documents, borrowed, until a
/// stage changes them (so `$match`, `$group`, `$sort`, `$limit` and `$facet` copy nothing).
pub type Docs<'a> = Vec<Cow<'a, Document>>;

#[derive(Debug, Clone)]
pub struct Pipeline {
    pub stages: Vec<Stage>,
}

/// Stages an update pipeline may hold.
const UPDATE_STAGES: &[&str] = &[
    "$addFields",
    "$set",
    "$project",
    "$unset",
    "$replaceRoot",
    "$replaceWith",
];

fn stage_name(doc: &Document) -> Result<(&str, &Bson)> {
    if doc.len() != 1 {
        return Err(MongoError::location(
            40323,
            "A pipeline stage specification object must contain exactly one field.",
        ));
    }
    doc.iter()
        .next()
        .map(|(k, v)| (k.as_str(), v))
        .ok_or_else(|| {
            MongoError::location(
                40323,
                "A pipeline stage specification object must contain exactly one field.",
            )
        })
}

impl Pipeline {
    pub fn parse(stages: &[Document], ctx: &mut ParseCtx) -> Result<Self> {
        let mut out = Vec::with_capacity(stages.len());
        for (i, s) in stages.iter().enumerate() {
            let (name, operand) = stage_name(s)?;
            let f = STAGES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, f)| *f)
                .ok_or_else(|| {
                    MongoError::location(
                        40324,
                        format!("Unrecognized pipeline stage name: '{name}'"),
                    )
                })?;
            // `$text` is only allowed in a first `$match`.
            ctx.allow_text = i == 0 && name == "$match";
            out.push(f(operand, ctx)?);
        }
        ctx.allow_text = true;
        Ok(Pipeline { stages: out })
    }

    /// Parses the pipeline form of an update.
    pub fn parse_update(stages: &[Document]) -> Result<Self> {
        for s in stages {
            let (name, _) = stage_name(s)?;
            if !UPDATE_STAGES.contains(&name) {
                return Err(MongoError::new(
                    72,
                    "InvalidOptions",
                    format!("{name} is not allowed to be used within an update"),
                ));
            }
        }
        Self::parse(stages, &mut ParseCtx::new(None))
    }

    pub fn run<'a>(&self, docs: Docs<'a>, ctx: &AggCtx) -> Result<Docs<'a>> {
        Self::run_stages(&self.stages, docs, ctx)
    }

    /// Runs stages in order over the documents.
    pub fn run_stages<'a>(stages: &[Stage], docs: Docs<'a>, ctx: &AggCtx) -> Result<Docs<'a>> {
        Ok(Self::run_stream(stages, Stream::Docs(docs), ctx)?.into_docs())
    }

    /// Runs stages in order over the stream between stages (see [`rows`]).
    pub fn run_stream<'a>(
        stages: &[Stage],
        mut stream: Stream<'a>,
        ctx: &AggCtx,
    ) -> Result<Stream<'a>> {
        let mut i = 0;
        while let Some(stage) = stages.get(i) {
            // `$unwind` then `$group` (or `$sortByCount`): the group reads each element in
            // place rather than a copy of its document per element.
            if let (Stage::Unwind(u), Some((group, rest))) =
                (stage, stages.get(i + 1).and_then(Stage::leading_group))
            {
                if u.include_index.is_none() && ctx.text_query.is_none() {
                    let mut docs = stages::unwind_group(u, group, stream.into_docs(), ctx)?;
                    for s in rest {
                        docs = s.run(docs, ctx)?;
                    }
                    stream = Stream::Docs(docs);
                    i += 2;
                    continue;
                }
            }
            stream = stage.run_stream(stream, ctx)?;
            i += 1;
        }
        Ok(stream)
    }

    /// Runs an update pipeline on one document.
    pub fn run_on_document(&self, doc: Document, now_millis: i64) -> Result<Document> {
        let none = |_: &str| None;
        // The update that runs it steps its budget once per document.
        let budget = crate::budget::Budget::unlimited();
        let ctx = AggCtx {
            now_millis,
            collection: &none,
            text_index: None,
            text_query: None,
            budget: &budget,
        };
        let mut out = self.run(vec![Cow::Owned(doc)], &ctx)?;
        out.pop()
            .map(Cow::into_owned)
            .ok_or_else(|| MongoError::bad_value("the update pipeline removed the document"))
    }
}
