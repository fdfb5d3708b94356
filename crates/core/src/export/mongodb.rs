//! MongoDB exports: `$jsonSchema` validators, a mongosh script creating the
//! collections and indexes, mongoose schemas.

use serde_json::{json, Map, Value};

use crate::js::{js_key, js_literal};
use crate::model::version::{is_version_field, FIRST_VERSION};
use crate::model::*;
use crate::mongo::{self, MongoLayout};
use crate::sample::NEW_RECORD;

fn bson_type(design: &Design, ty: &FieldType) -> &'static str {
    match ty {
        FieldType::String => "string",
        FieldType::Int => "int",
        FieldType::Long => "long",
        FieldType::Double => "double",
        FieldType::Decimal => "decimal",
        FieldType::Bool => "bool",
        FieldType::Date => "date",
        FieldType::ObjectId => "objectId",
        FieldType::Uuid | FieldType::Binary => "binData",
        FieldType::Array(_) => "array",
        FieldType::Object(_) => "object",
        FieldType::Ref(target) => design
            .entity(target)
            .and_then(|e| e.id_field())
            .map(|f| bson_type(design, &f.ty))
            .unwrap_or("objectId"),
    }
}

fn type_schema(design: &Design, ty: &FieldType, depth: usize) -> Value {
    let mut m = Map::new();
    m.insert("bsonType".into(), json!(bson_type(design, ty)));
    match ty {
        FieldType::Array(item) if depth < MAX_TYPE_DEPTH => {
            m.insert("items".into(), type_schema(design, item, depth + 1));
        }
        FieldType::Object(fields) if depth < MAX_TYPE_DEPTH => {
            let (required, properties) = object_schema(design, fields, depth + 1);
            if !required.is_empty() {
                m.insert("required".into(), json!(required));
            }
            m.insert("properties".into(), Value::Object(properties));
        }
        _ => {}
    }
    Value::Object(m)
}

fn object_schema(
    design: &Design,
    fields: &[Field],
    depth: usize,
) -> (Vec<String>, Map<String, Value>) {
    let mut required = Vec::new();
    let mut properties = Map::new();
    for f in fields {
        if f.required {
            required.push(f.name.clone());
        }
        let mut schema = type_schema(design, &f.ty, depth);
        if !f.enum_values.is_empty() {
            // A string takes one of the values; an array's elements each do.
            let target = match f.ty {
                FieldType::Array(_) => schema.get_mut("items"),
                _ => Some(&mut schema),
            };
            if let Some(Value::Object(m)) = target {
                m.insert("enum".into(), Value::Array(f.enum_values.clone()));
            }
        }
        properties.insert(f.name.clone(), schema);
    }
    (required, properties)
}

/// The `$jsonSchema` validator of one collection.
pub fn json_schema(design: &Design, collection: &mongo::Collection) -> Value {
    let (required, properties) = object_schema(design, &collection.shape, 0);
    json!({
        "$jsonSchema": {
            "bsonType": "object",
            "title": collection.entity,
            "required": required,
            "properties": properties,
        }
    })
}

/// Every collection's validator, by collection name.
pub fn json_schemas(design: &Design, layout: &MongoLayout) -> Value {
    Value::Object(
        layout
            .collections
            .iter()
            .map(|c| (c.name.clone(), json_schema(design, c)))
            .collect(),
    )
}

/// The mongosh of one access pattern as a script of its own: its name as a comment, then its
/// request (a paged list's first page, then, when that page is full, its next page by keyset
/// after the first's last document, `last`) with the sample records of data generated from `seed` (an insert writes a record
/// no generation makes, [`NEW_RECORD`]). None when the design has no such pattern or it has
/// no query.
pub fn mongosh_pattern(design: &Design, pattern: &str, seed: u64) -> Option<String> {
    let p = design.access_patterns.iter().find(|p| p.name == pattern)?;
    let index = if p.kind == PatternKind::Insert {
        NEW_RECORD
    } else {
        0
    };
    let ctx = mongo::MongoContext::with_seed(design, seed);
    // A write with transaction parts is its whole `session.withTransaction`, as the MongoDB
    // view shows it.
    let query = ctx.sample_query_at(p, index)?;
    let query = ctx.sample_transaction(p, query);
    // A paged list reads its first page (the declaration shows it, as it ran a find), then
    // the next by keyset after its last document. A
    // page shorter than the page size is the last (an empty one has no last document to
    // read), so the next page's find runs only after a full one.
    if let (Some(next), Some(size)) = (ctx.sample_next_page_at(p, index), query.limit) {
        return Some(format!(
            "// {name}\nconst page = {first}.toArray()\n// the next page: keyset on the index, after the last document of this one; a page of fewer than {size} is the last\nconst last = page[page.length - 1]\npage.length < {size} ? `no next page: this page holds ${{page.length}} of {size} documents, it is the last` : {next}\n",
            name = p.name,
            first = query.shell,
            next = next.shell,
        ));
    }
    Some(format!("// {}\n{}\n", p.name, query.shell))
}

/// A mongosh script creating the collections with their validators and indexes.
pub fn mongosh(design: &Design, layout: &MongoLayout) -> String {
    let mut out = String::from("// Creates the collections, their validators and the suggested indexes.\n// Run with: mongosh <connection string> this-file.js\n");
    for c in &layout.collections {
        out.push_str(&format!("\n// {} ({})\n", c.name, c.entity));
        out.push_str(&format!(
            "db.createCollection('{}', {{\n  validator: {},\n  validationLevel: 'moderate'\n}})\n",
            c.name,
            indent(
                &serde_json::to_string_pretty(&json_schema(design, c)).unwrap_or_default(),
                2
            )
        ));
        for i in &c.indexes {
            out.push_str(&format!(
                "db.{}.createIndex({}, {{ {} }})\n",
                c.name,
                keys_js(&i.keys),
                i.options_js(true).join(", ")
            ));
        }
    }
    out
}

fn indent(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_string()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn keys_js(keys: &Value) -> String {
    let parts: Vec<String> = keys
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{}: '{s}'", js_key(k)),
                    other => format!("{}: {other}", js_key(k)),
                })
                .collect()
        })
        .unwrap_or_default();
    format!("{{ {} }}", parts.join(", "))
}

fn mongoose_type(design: &Design, ty: &FieldType) -> String {
    match ty {
        FieldType::String => "String".into(),
        FieldType::Int | FieldType::Long | FieldType::Double => "Number".into(),
        FieldType::Decimal => "mongoose.Schema.Types.Decimal128".into(),
        FieldType::Bool => "Boolean".into(),
        FieldType::Date => "Date".into(),
        FieldType::ObjectId => "mongoose.Schema.Types.ObjectId".into(),
        FieldType::Uuid => "mongoose.Schema.Types.UUID".into(),
        FieldType::Binary => "Buffer".into(),
        FieldType::Ref(target) => {
            let id = design
                .entity(target)
                .and_then(|e| e.id_field())
                .map(|f| f.ty.clone());
            match id {
                Some(t) if !matches!(t, FieldType::ObjectId | FieldType::Ref(_)) => {
                    mongoose_type(design, &t)
                }
                _ => "mongoose.Schema.Types.ObjectId".into(),
            }
        }
        FieldType::Array(_) | FieldType::Object(_) => "Object".into(),
    }
}

fn mongoose_default(field: &Field) -> Option<String> {
    let d = field.default.as_ref()?;
    Some(match (&field.ty, d) {
        (FieldType::Date, Value::String(s)) if s == "now" => "Date.now".into(),
        (_, Value::String(s)) => format!("'{}'", s.replace('\'', "\\'")),
        (_, other) => other.to_string(),
    })
}

/// A field of a mongoose schema. `inline_unique` says whether a unique top-level field
/// declares its index inline (`unique: true`); one whose unique index has a collation is
/// declared by `schema.index` instead, which can name it.
fn mongoose_field(design: &Design, field: &Field, depth: usize, inline_unique: bool) -> String {
    let pad = "  ".repeat(depth + 1);
    // The fields of an embedded object, one line each.
    let inner = |fields: &[Field]| {
        fields
            .iter()
            .map(|f| mongoose_field(design, f, depth + 1, true))
            .collect::<Vec<_>>()
            .join(",\n")
    };
    match &field.ty {
        FieldType::Object(fields) if depth < MAX_TYPE_DEPTH => format!(
            "{pad}{}: {{\n{}\n{pad}}}",
            js_key(&field.name),
            inner(fields)
        ),
        FieldType::Array(item) if depth < MAX_TYPE_DEPTH => match item.as_ref() {
            FieldType::Object(fields) => format!(
                "{pad}{}: [{{\n{}\n{pad}}}]",
                js_key(&field.name),
                inner(fields)
            ),
            FieldType::Ref(target) => format!(
                "{pad}{}: [{{ type: {}, ref: '{target}' }}]",
                js_key(&field.name),
                mongoose_type(design, item)
            ),
            other if !field.enum_values.is_empty() => format!(
                "{pad}{}: [{{ type: {}, enum: {} }}]",
                js_key(&field.name),
                mongoose_type(design, other),
                js_literal(&Value::Array(field.enum_values.clone()), 0)
            ),
            other => format!(
                "{pad}{}: [{}]",
                js_key(&field.name),
                mongoose_type(design, other)
            ),
        },
        ty => {
            let mut options = Vec::new();
            let base = mongoose_type(design, ty);
            if let FieldType::Ref(target) = ty {
                options.push(format!("ref: '{target}'"));
            }
            if field.required {
                options.push("required: true".into());
            }
            if field.unique && inline_unique {
                options.push("unique: true".into());
            }
            if !field.enum_values.is_empty() {
                options.push(format!(
                    "enum: {}",
                    js_literal(&Value::Array(field.enum_values.clone()), 0)
                ));
            }
            if let Some(d) = mongoose_default(field) {
                options.push(format!("default: {d}"));
            }
            if options.is_empty() {
                format!("{pad}{}: {base}", js_key(&field.name))
            } else {
                format!(
                    "{pad}{}: {{ type: {base}, {} }}",
                    js_key(&field.name),
                    options.join(", ")
                )
            }
        }
    }
}

/// Mongoose schemas and models in the style of the user's example.
pub fn mongoose(design: &Design, layout: &MongoLayout) -> String {
    let mut out = String::from("import mongoose from 'mongoose'\n");
    for c in &layout.collections {
        let var = format!("{}Schema", lower_first(&c.entity));
        // A single field's unique index with a collation, or declared with its own
        // options: `schema.index` declares it.
        let collated_unique = |i: &mongo::IndexSuggestion| {
            i.unique
                && (i.case_insensitive || i.declared.is_some())
                && i.keys.as_object().is_some_and(|k| k.len() == 1)
        };
        let fields: Vec<String> = c
            .shape
            .iter()
            .filter(|f| !(f.name == "_id" && f.ty == FieldType::ObjectId))
            .map(|f| {
                let inline = !c
                    .indexes
                    .iter()
                    .any(|i| collated_unique(i) && i.keys.get(&f.name).is_some());
                // An insert starts the version at one, as the schema's default says.
                let mut f = f.clone();
                if f.default.is_none() && is_version_field(design, &c.entity, &f.name) {
                    f.default = Some(FIRST_VERSION.into());
                }
                mongoose_field(design, &f, 0, inline)
            })
            .collect();
        let id_option = c
            .shape
            .iter()
            .find(|f| f.name == "_id")
            .filter(|f| f.ty != FieldType::ObjectId);
        out.push_str(&format!(
            "\nconst {var} = new mongoose.Schema({{\n{}\n}}",
            fields.join(",\n")
        ));
        if id_option.is_some() {
            out.push_str(", { _id: false }");
        }
        out.push_str(")\n");
        for i in &c.indexes {
            // A unique field is declared unique inline; its index needs no second line.
            let single_unique = i.unique && i.keys.as_object().is_some_and(|k| k.len() == 1);
            if single_unique && !collated_unique(i) {
                continue;
            }
            // A declared index keeps its name; a suggestion takes MongoDB's default.
            let options = i.options_js(i.declared.is_some());
            let opts = if options.is_empty() {
                String::new()
            } else {
                format!(", {{ {} }}", options.join(", "))
            };
            out.push_str(&format!("{var}.index({}{opts})\n", keys_js(&i.keys)));
        }
        out.push_str(&format!(
            "const {} = mongoose.model('{}', {var}, '{}')\n",
            c.entity, c.entity, c.name
        ));
    }
    let models: Vec<&str> = layout
        .collections
        .iter()
        .map(|c| c.entity.as_str())
        .collect();
    out.push_str(&super::mongoose_pages::mongoose_pages(design, layout));
    let (transactions, functions) =
        super::mongoose_transactions::mongoose_transactions(design, layout);
    out.push_str(&transactions);
    let exported: Vec<&str> = models
        .iter()
        .copied()
        .chain(functions.iter().map(String::as_str))
        .collect();
    out.push_str(&format!("\nexport {{ {} }}\n", exported.join(", ")));
    out
}
