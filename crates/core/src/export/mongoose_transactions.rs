//! The mongoose export's multi-document transactions: a write pattern whose transaction
//! holds other patterns' writes ([`crate::model::transaction`]) becomes an async function
//! named after it, running every write in `mongoose.connection.transaction(async (session)
//! => …)`: mongoose commits when the callback returns and aborts when it throws, so a
//! guarded update or delete that matches nothing throws and undoes the writes before it,
//! as the pattern's mongosh `session.withTransaction` does ([`mongo::MongoContext::transaction`]).

use crate::model::*;
use crate::mongo::{self, MongoLayout, MongoQuery};
use crate::names;
use crate::sample::NEW_RECORD;

/// Each transaction's function with the sample values of its mongosh (an insert writes a
/// record no generation makes; updates and deletes name sample records 0, 1, ...), and
/// the names of the functions, for the export list. A transaction holding a write mongoose
/// cannot express here (not a single-document insert, update or delete) says so instead.
pub(super) fn mongoose_transactions(
    design: &Design,
    layout: &MongoLayout,
) -> (String, Vec<String>) {
    let ctx = mongo::MongoContext::new(design);
    let mut out = String::new();
    let mut functions = Vec::new();
    for p in design
        .access_patterns
        .iter()
        .filter(|p| !design.transaction_parts(p).is_empty())
    {
        let index = if p.kind == PatternKind::Insert {
            NEW_RECORD
        } else {
            0
        };
        let Some(own) = ctx.sample_query_at(p, index) else {
            continue;
        };
        let tx = ctx.sample_transaction(p, own.clone());
        // The transaction's own mongosh is the whole `withTransaction`; each write's is its own.
        let writes: Option<Vec<String>> = std::iter::once(&own)
            .chain(&tx.transaction)
            .map(|q| {
                let model = layout
                    .collections
                    .iter()
                    .find(|c| c.name == q.collection)
                    .map(|c| c.entity.as_str())?;
                Some(format!(
                    "    // {}\n    {}",
                    q.pattern,
                    write_code(q, model)?
                ))
            })
            .collect();
        let Some(writes) = writes else {
            out.push_str(&format!(
                "// {}: its transaction holds a write this export cannot write with mongoose; the mongosh export has it\n",
                p.name
            ));
            continue;
        };
        let name = names::camel(&p.name);
        out.push_str(&format!(
            "// {}\nasync function {name}() {{\n  return mongoose.connection.transaction(async (session) => {{\n{}\n  }})\n}}\n",
            p.name,
            writes.join("\n")
        ));
        functions.push(name);
    }
    if out.is_empty() {
        return (out, functions);
    }
    (
        format!("\n// Multi-document transactions, once connected: every write of one or none (connection.transaction aborts when its callback throws; a guarded write that matches nothing throws)\n{out}"),
        functions,
    )
}

/// A mongosh write (`db.<collection>.<op>(…)`) as the model's mongoose call in the
/// session; an update or delete of one document that matches nothing throws. `None` for
/// another operation, or a literal only mongosh has.
fn write_code(q: &MongoQuery, model: &str) -> Option<String> {
    let rest = q.shell.strip_prefix(&format!("db.{}.", q.collection))?;
    let (op, args) = rest.split_once('(')?;
    let args = args.strip_suffix(')')?;
    if args.contains("db.") || args.contains("BinData(") {
        return None;
    }
    let args = mongoose_literals(args);
    let guard = |count: &str, call: String| {
        format!(
            "if ((await {call}).{count} !== 1) throw new Error('{}: nothing matched')",
            q.pattern.replace('\'', "\\'")
        )
    };
    Some(match op {
        "insertOne" => format!("await {model}.create([{args}], {{ session }})"),
        "updateOne" | "replaceOne" => guard(
            "matchedCount",
            format!("{model}.{op}({args}).session(session)"),
        ),
        "deleteOne" => guard(
            "deletedCount",
            format!("{model}.deleteOne({args}).session(session)"),
        ),
        "updateMany" | "deleteMany" => format!("await {model}.{op}({args}).session(session)"),
        _ => return None,
    })
}

/// mongosh's literals as mongoose writes them: it casts strings to the schema's types
/// (a UUID in its dashed form, a Decimal128 from its text), and dates and ObjectIds are
/// JavaScript's and the driver's own classes.
pub(super) fn mongoose_literals(args: &str) -> String {
    let mut out = String::with_capacity(args.len());
    let mut rest = args;
    loop {
        let uuid = rest.find("UUID('");
        let decimal = rest.find("Decimal128('");
        let next = match (uuid, decimal) {
            (Some(u), Some(d)) => Some(u.min(d)),
            (u, d) => u.or(d),
        };
        let Some(at) = next else {
            out.push_str(rest);
            break;
        };
        let is_uuid = Some(at) == uuid;
        let open = if is_uuid { "UUID('" } else { "Decimal128('" };
        out.push_str(&rest[..at]);
        let after = &rest[at + open.len()..];
        let Some(end) = after.find("')") else {
            out.push_str(&rest[at..]);
            break;
        };
        let text = &after[..end];
        if is_uuid && text.len() == 32 && text.is_ascii() {
            out.push_str(&format!(
                "'{}-{}-{}-{}-{}'",
                &text[..8],
                &text[8..12],
                &text[12..16],
                &text[16..20],
                &text[20..]
            ));
        } else {
            out.push_str(&format!("'{text}'"));
        }
        rest = &after[end + 2..];
    }
    out.replace("ObjectId(", "new mongoose.Types.ObjectId(")
        .replace("ISODate(", "new Date(")
}
