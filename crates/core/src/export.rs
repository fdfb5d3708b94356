//! Exports of the derived layouts: `$jsonSchema` validators, mongoose schemas
//! and a mongosh script for MongoDB; a NoSQL Workbench model, a
//! CloudFormation template and AWS SDK v3 code for DynamoDB.

use std::fmt;
use std::str::FromStr;

use serde_json::{json, Map, Value};

use crate::dynamo::{self, DynamoLayout, Operation};
use crate::model::*;
use crate::mongo::{self, js_key, MongoLayout};
use crate::names;

/// The key under which a Workbench export carries the whole design, so it
/// imports back to an equal design.
pub const WORKBENCH_DESIGN_KEY: &str = "SchemaplayDesign";

/// The formats `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Workbench,
    CloudFormation,
    Mongosh,
    Mongoose,
    JsonSchema,
    Sdk,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Workbench,
        ExportFormat::CloudFormation,
        ExportFormat::Mongosh,
        ExportFormat::Mongoose,
        ExportFormat::JsonSchema,
        ExportFormat::Sdk,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Workbench => "workbench",
            ExportFormat::CloudFormation => "cloudformation",
            ExportFormat::Mongosh => "mongosh",
            ExportFormat::Mongoose => "mongoose",
            ExportFormat::JsonSchema => "jsonschema",
            ExportFormat::Sdk => "sdk",
        }
    }

    /// A file name for the export.
    pub fn file_name(self, design: &Design) -> String {
        let base = names::camel(&design.name);
        let base = if base.is_empty() {
            "design".to_string()
        } else {
            base
        };
        match self {
            ExportFormat::Workbench => format!("{base}.workbench.json"),
            ExportFormat::CloudFormation => format!("{base}.cloudformation.json"),
            ExportFormat::Mongosh => format!("{base}.mongosh.js"),
            ExportFormat::Mongoose => format!("{base}.models.js"),
            ExportFormat::JsonSchema => format!("{base}.jsonschema.json"),
            ExportFormat::Sdk => format!("{base}.dynamodb.js"),
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown export format \"{s}\" (expected one of {})",
                    ExportFormat::ALL.map(|f| f.name()).join(", ")
                )
            })
    }
}

/// The export of a design in the given format, as text.
pub fn export(design: &Design, format: ExportFormat) -> String {
    let pretty = |v: &Value| {
        let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
        s.push('\n');
        s
    };
    match format {
        ExportFormat::Workbench => pretty(&workbench(design, &dynamo::layout(design))),
        ExportFormat::CloudFormation => pretty(&cloudformation(&dynamo::layout(design))),
        ExportFormat::Mongosh => mongosh(design, &mongo::layout(design)),
        ExportFormat::Mongoose => mongoose(design, &mongo::layout(design)),
        ExportFormat::JsonSchema => pretty(&json_schemas(design, &mongo::layout(design))),
        ExportFormat::Sdk => sdk(design, &dynamo::layout(design)),
    }
}

// ---------------------------------------------------------------- MongoDB

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
        properties.insert(f.name.clone(), type_schema(design, &f.ty, depth));
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
            let mut options = vec![format!("name: '{}'", i.name)];
            if i.unique {
                options.push("unique: true".into());
            }
            if i.case_insensitive {
                options.push("collation: { locale: 'en', strength: 2 }".into());
            }
            out.push_str(&format!(
                "db.{}.createIndex({}, {{ {} }})\n",
                c.name,
                keys_js(&i.keys),
                options.join(", ")
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

fn mongoose_field(design: &Design, field: &Field, depth: usize) -> String {
    let pad = "  ".repeat(depth + 1);
    match &field.ty {
        FieldType::Object(fields) if depth < MAX_TYPE_DEPTH => {
            let inner: Vec<String> = fields
                .iter()
                .map(|f| mongoose_field(design, f, depth + 1))
                .collect();
            format!(
                "{pad}{}: {{\n{}\n{pad}}}",
                js_key(&field.name),
                inner.join(",\n")
            )
        }
        FieldType::Array(item) if depth < MAX_TYPE_DEPTH => match item.as_ref() {
            FieldType::Object(fields) => {
                let inner: Vec<String> = fields
                    .iter()
                    .map(|f| mongoose_field(design, f, depth + 1))
                    .collect();
                format!(
                    "{pad}{}: [{{\n{}\n{pad}}}]",
                    js_key(&field.name),
                    inner.join(",\n")
                )
            }
            FieldType::Ref(target) => format!(
                "{pad}{}: [{{ type: {}, ref: '{target}' }}]",
                js_key(&field.name),
                mongoose_type(design, item)
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
            if field.unique {
                options.push("unique: true".into());
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
        let fields: Vec<String> = c
            .shape
            .iter()
            .filter(|f| !(f.name == "_id" && f.ty == FieldType::ObjectId))
            .map(|f| mongoose_field(design, f, 0))
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
            if single_unique {
                continue;
            }
            let mut options = Vec::new();
            if i.case_insensitive {
                options.push("collation: { locale: 'en', strength: 2 }".to_string());
            }
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
    out.push_str(&format!("\nexport {{ {} }}\n", models.join(", ")));
    out
}

// ---------------------------------------------------------------- DynamoDB

fn key_attributes(pk: &str, pk_type: &str, sk: Option<(&str, &str)>) -> Value {
    let mut m = Map::new();
    m.insert(
        "PartitionKey".into(),
        json!({ "AttributeName": pk, "AttributeType": pk_type }),
    );
    if let Some((sk, t)) = sk {
        m.insert(
            "SortKey".into(),
            json!({ "AttributeName": sk, "AttributeType": t }),
        );
    }
    Value::Object(m)
}

fn attribute_type(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Int | FieldType::Long | FieldType::Double | FieldType::Decimal => "N",
        FieldType::Bool => "BOOL",
        FieldType::Binary => "B",
        FieldType::Array(_) => "L",
        FieldType::Object(_) => "M",
        _ => "S",
    }
}

fn definition_type(create_table: &Value, name: &str) -> String {
    create_table
        .get("AttributeDefinitions")
        .and_then(Value::as_array)
        .and_then(|defs| {
            defs.iter()
                .find(|d| d.get("AttributeName").and_then(Value::as_str) == Some(name))
                .and_then(|d| d.get("AttributeType").and_then(Value::as_str))
        })
        .unwrap_or("S")
        .to_string()
}

/// A NoSQL Workbench data model (format 3.0) with one facet per entity and
/// sample data, carrying the whole design so it imports back unchanged.
pub fn workbench(design: &Design, layout: &DynamoLayout) -> Value {
    let items = dynamo::sample_items(design, 3, 1);
    let mut non_key: Vec<(String, &'static str)> = vec![(dynamo::TYPE_ATTRIBUTE.to_string(), "S")];
    let index_attrs: Vec<String> = layout
        .indexes
        .iter()
        .flat_map(|i| std::iter::once(i.partition_key.clone()).chain(i.sort_key.clone()))
        .collect();
    for attr in &index_attrs {
        if !non_key.iter().any(|(n, _)| n == attr)
            && !design.entities.iter().any(|e| e.field(attr).is_some())
        {
            non_key.push((attr.clone(), "S"));
        }
    }
    for k in layout
        .entities
        .iter()
        .filter(|k| design.entity(&k.entity).is_none())
    {
        for id in
            crate::model::validate::placeholders(&format!("{}{}", k.pk, k.sk)).unwrap_or_default()
        {
            if !non_key.iter().any(|(n, _)| n == id) {
                non_key.push((id.to_string(), "S"));
            }
        }
    }
    for e in &design.entities {
        for f in &e.fields {
            if !non_key.iter().any(|(n, _)| *n == f.name) {
                non_key.push((f.name.clone(), attribute_type(&f.ty)));
            }
        }
        let id = e.id_name();
        if e.id_field().is_none() && !non_key.iter().any(|(n, _)| *n == id) {
            non_key.push((id, "S"));
        }
    }
    // Children stored inside items appear as an attribute of their parent's facet.
    for k in layout.entities.iter().filter(|k| k.attribute.is_some()) {
        if let Some(attr) = &k.attribute {
            if !non_key.iter().any(|(n, _)| n == attr) {
                non_key.push((attr.clone(), "L"));
            }
        }
    }
    let facets: Vec<Value> = layout
        .entities
        .iter()
        .filter(|k| k.attribute.is_none())
        .map(|k| {
            let mut attrs: Vec<String> = vec![dynamo::TYPE_ATTRIBUTE.to_string()];
            for ik in &k.index_keys {
                if let Some(i) = layout.indexes.iter().find(|i| i.name == ik.index) {
                    if !i.declared {
                        if i.kind == "global" {
                            attrs.push(i.partition_key.clone());
                        }
                        attrs.extend(i.sort_key.clone());
                    }
                }
            }
            match design.entity(&k.entity) {
                Some(e) => {
                    if e.id_field().is_none() {
                        attrs.push(e.id_name());
                    }
                    attrs.extend(e.fields.iter().map(|f| f.name.clone()));
                }
                // A many-to-many link item holds both ids.
                None => attrs.extend(
                    crate::model::validate::placeholders(&format!("{}{}", k.pk, k.sk))
                        .unwrap_or_default()
                        .into_iter()
                        .map(str::to_string),
                ),
            }
            for child in layout
                .entities
                .iter()
                .filter(|c| c.collection_of.as_deref() == Some(k.entity.as_str()))
            {
                if let Some(attr) = &child.attribute {
                    attrs.push(attr.clone());
                }
            }
            let data: Vec<Value> = items
                .iter()
                .filter(|i| {
                    i.get(dynamo::TYPE_ATTRIBUTE)
                        .and_then(|t| t.get("S"))
                        .and_then(Value::as_str)
                        == Some(k.entity.as_str())
                })
                .cloned()
                .collect();
            json!({
                "FacetName": k.entity,
                "KeyAttributeAlias": { "PartitionKeyAlias": k.pk, "SortKeyAlias": k.sk },
                "TableData": data,
                "NonKeyAttributes": attrs,
                "DataAccess": { "MySql": {} },
            })
        })
        .collect();
    let gsis: Vec<Value> = layout
        .indexes
        .iter()
        .filter(|i| i.kind == "global")
        .map(|i| {
            json!({
                "IndexName": i.name,
                "KeyAttributes": key_attributes(
                    &i.partition_key,
                    &definition_type(&layout.create_table, &i.partition_key),
                    i.sort_key.as_deref().map(|s| (s, "S")),
                ),
                "Projection": { "ProjectionType": "ALL" },
            })
        })
        .collect();
    let mut table = Map::new();
    table.insert("TableName".into(), json!(layout.table_name));
    table.insert(
        "KeyAttributes".into(),
        key_attributes(&layout.partition_key, "S", Some((&layout.sort_key, "S"))),
    );
    table.insert(
        "NonKeyAttributes".into(),
        Value::Array(
            non_key
                .iter()
                .map(|(n, t)| json!({ "AttributeName": n, "AttributeType": t }))
                .collect(),
        ),
    );
    table.insert("TableFacets".into(), Value::Array(facets));
    if !gsis.is_empty() {
        table.insert("GlobalSecondaryIndexes".into(), Value::Array(gsis));
    }
    table.insert("TableData".into(), Value::Array(items));
    table.insert("DataAccess".into(), json!({ "MySql": {} }));
    table.insert(
        "BillingMode".into(),
        json!(if design.dynamo.billing_mode == BillingMode::Provisioned {
            "PROVISIONED"
        } else {
            "PAY_PER_REQUEST"
        }),
    );
    json!({
        "ModelName": design.name,
        "ModelMetadata": {
            "Author": "schemaplay",
            "Description": design.description,
            "AWSService": "Amazon DynamoDB",
            "Version": "3.0",
        },
        "DataModel": [Value::Object(table)],
        WORKBENCH_DESIGN_KEY: serde_json::to_value(design).unwrap_or(Value::Null),
    })
}

/// A CloudFormation template with the table, its global and local indexes.
pub fn cloudformation(layout: &DynamoLayout) -> Value {
    let mut props = layout.create_table.as_object().cloned().unwrap_or_default();
    props.insert(
        "PointInTimeRecoverySpecification".into(),
        json!({ "PointInTimeRecoveryEnabled": true }),
    );
    let logical = format!("{}Table", names::pascal(&layout.table_name));
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("The {} single table, as derived by schemaplay", layout.table_name),
        "Resources": { logical.clone(): { "Type": "AWS::DynamoDB::Table", "Properties": Value::Object(props) } },
        "Outputs": {
            "TableName": { "Value": { "Ref": logical.clone() } },
            "TableArn": { "Value": { "Fn::GetAtt": [logical, "Arn"] } },
        },
    })
}

/// AWS SDK v3 (lib-dynamodb) code for every access pattern, in the user's style.
pub fn sdk(design: &Design, layout: &DynamoLayout) -> String {
    let mut commands: Vec<&str> = Vec::new();
    for r in &layout.requests {
        // Every derived request names an operation; one that is not an item
        // operation has no document-client command to import.
        let Some(c) = Operation::from_name(&r.operation).map(Operation::sdk_command) else {
            continue;
        };
        if !commands.contains(&c) {
            commands.push(c);
        }
    }
    commands.sort();
    let mut out = String::from("import { DynamoDBClient } from '@aws-sdk/client-dynamodb'\nimport {\n  DynamoDBDocumentClient");
    for c in &commands {
        out.push_str(&format!(",\n  {c}"));
    }
    out.push_str("\n} from '@aws-sdk/lib-dynamodb'\n\nconst client = DynamoDBDocumentClient.from(new DynamoDBClient({}))\n");
    out.push_str(&format!(
        "const TABLE = '{}'\n",
        design.dynamo.table_name.replace('\'', "\\'")
    ));
    for r in &layout.requests {
        out.push('\n');
        if let Some(flag) = &r.flag {
            out.push_str(&format!("// Note: {flag}\n"));
        }
        out.push_str(&r.sdk);
        out.push('\n');
    }
    out
}
