//! The mongoose export's paged lists: each paged `find` list reads its first page, then the
//! next by keyset after that page's last document, on the order its index holds (the sort
//! field, then `_id`), as the pattern's mongosh does ([`mongo::MongoContext::next_page`]).

use crate::model::*;
use crate::mongo::{self, MongoLayout};
use crate::names;

/// The code of every paged list, with the keys of sample record 0 (mongoose casts the
/// filter's strings to the schema's types, as it does an application's); empty when the
/// design has none. A list that reads through an aggregate (an entity embedded in its
/// host), or whose filter reads another collection first (a mongosh-only nested query), has
/// no keyset page here.
pub(super) fn mongoose_pages(design: &Design, layout: &MongoLayout) -> String {
    let ctx = mongo::MongoContext::new(design);
    let mut out = String::new();
    for p in design
        .access_patterns
        .iter()
        .filter(|p| p.kind == PatternKind::List && p.page_size.is_some())
    {
        let name = names::camel(&p.name);
        let last = format!("{name}Last");
        let (Some(first), Some(next)) = (
            ctx.sample_query_at(p, 0),
            ctx.sample_next_page_named(p, 0, &last),
        ) else {
            continue;
        };
        let Some(model) = layout
            .collections
            .iter()
            .find(|c| c.name == first.collection)
            .map(|c| c.entity.as_str())
        else {
            continue;
        };
        let (Some(first_code), Some(next_code), Some(size)) = (
            find_code(&first.shell, &first.collection, model),
            find_code(&next.shell, &first.collection, model),
            first.limit,
        ) else {
            continue;
        };
        out.push_str(&format!(
            "// {}\nconst {name} = await {first_code}\nconst {last} = {name}[{name}.length - 1]\nconst {name}Next = {name}.length < {size} ? [] : await {next_code}\n",
            p.name
        ));
    }
    if out.is_empty() {
        return out;
    }
    format!("\n// Paged lists, once connected (mongoose.connect): a page, then the next after its last document by keyset on the index's order (the sort field, then _id); a page shorter than its size is the last\n{out}")
}

/// A mongosh `db.<collection>.find(…)…` line as the model's mongoose query, read as plain
/// objects (`.lean()`); None for a line that is not one find of that collection, or holds a
/// literal only mongosh has.
fn find_code(shell: &str, collection: &str, model: &str) -> Option<String> {
    let rest = shell.strip_prefix(&format!("db.{collection}.find("))?;
    if rest.contains("db.")
        || ["Decimal128(", "UUID(", "BinData("]
            .iter()
            .any(|c| rest.contains(c))
    {
        return None;
    }
    let rest = super::mongoose_transactions::mongoose_literals(rest);
    Some(format!("{model}.find({rest}.lean()"))
}
