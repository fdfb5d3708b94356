//! DynamoDB exports: a NoSQL Workbench model (carrying the design), a
//! CloudFormation template, AWS SDK v3 code.

use serde_json::{json, Map, Value};

use super::WORKBENCH_DESIGN_KEY;
use crate::dynamo::{self, DynamoContext, DynamoLayout, DynamoRequest, Operation};
use crate::model::validate::placeholders;
use crate::model::*;
use crate::names;
use crate::sample::NEW_RECORD;

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
    let facets: Vec<Value> = layout
        .entities
        .iter()
        .filter(|k| k.attribute.is_none())
        .map(|k| facet(design, layout, k, &items))
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
                "Projection": i.projection.to_create_table(),
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
            non_key_attributes(design, layout)
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

/// Every attribute besides the table's keys, with its type: the entity type,
/// the derived index keys, the ids of link items, every field, the lists of
/// children stored inside items.
fn non_key_attributes(design: &Design, layout: &DynamoLayout) -> Vec<(String, &'static str)> {
    let mut non_key: Vec<(String, &'static str)> = vec![(dynamo::TYPE_ATTRIBUTE.to_string(), "S")];
    let mut add = |name: &str, ty: &'static str| {
        if !non_key.iter().any(|(n, _)| n == name) {
            non_key.push((name.to_string(), ty));
        }
    };
    for i in &layout.indexes {
        for attr in std::iter::once(&i.partition_key).chain(&i.sort_key) {
            if !design.entities.iter().any(|e| e.field(attr).is_some()) {
                add(attr, "S");
            }
        }
    }
    for k in layout
        .entities
        .iter()
        .filter(|k| design.entity(&k.entity).is_none())
    {
        for id in placeholders(&format!("{}{}", k.pk, k.sk)).unwrap_or_default() {
            add(id, "S");
        }
    }
    for e in &design.entities {
        for f in &e.fields {
            add(&f.name, attribute_type(&f.ty));
        }
        if e.id_field().is_none() {
            add(&e.id_name(), "S");
        }
    }
    // Children stored inside items appear as an attribute of their parent's facet.
    for attr in layout.entities.iter().filter_map(|k| k.attribute.as_ref()) {
        add(attr, "L");
    }
    non_key
}

/// The facet of one entity (or many-to-many link): its key aliases, its
/// attributes, and its items among the sample data.
fn facet(design: &Design, layout: &DynamoLayout, k: &dynamo::EntityKeys, items: &[Value]) -> Value {
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
            placeholders(&format!("{}{}", k.pk, k.sk))
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
}

/// A CloudFormation template with the table, its global and local indexes.
pub fn cloudformation(layout: &DynamoLayout) -> Value {
    let mut props = layout.create_table.as_object().cloned().unwrap_or_default();
    props.insert(
        "PointInTimeRecoverySpecification".into(),
        json!({ "PointInTimeRecoveryEnabled": true }),
    );
    if let Some(attribute) = &layout.ttl_attribute {
        props.insert(
            "TimeToLiveSpecification".into(),
            json!({ "AttributeName": attribute, "Enabled": true }),
        );
    }
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

/// AWS SDK v3 (lib-dynamodb) code for every access pattern, in the user's style. It runs as
/// a script on data generated with seed 1: reads, updates and deletes use sample record 0,
/// which every generation holds; inserts write a record none makes ([`NEW_RECORD`]).
pub fn sdk(design: &Design, layout: &DynamoLayout) -> String {
    let ctx = DynamoContext::new(design);
    let requests: Vec<DynamoRequest> = layout
        .requests
        .iter()
        .map(|r| {
            design
                .access_patterns
                .iter()
                .find(|p| p.name == r.pattern && p.kind == PatternKind::Insert)
                .and_then(|p| {
                    let own = ctx.sample_request_at(p, NEW_RECORD)?;
                    Some(ctx.sample_transaction(p, own))
                })
                .unwrap_or_else(|| r.clone())
        })
        .collect();
    // A delete that takes children with it comes last: run top to bottom, the examples above
    // it still find the sample's children.
    let mut requests = requests;
    requests.sort_by_key(|r| !r.cleanup.is_empty());
    let mut out = sdk_script(design, &requests);
    if let Some(attribute) = &layout.ttl_attribute {
        // A control-plane call: the plain client's command, sent through the document client.
        out = out.replacen(
            "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'",
            "import { DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb'",
            1,
        );
        out.push_str(&format!(
            "\n// Items expire by their {attribute} attribute (epoch seconds): turn TTL on once, after CreateTable\n\
             // (enabling it twice is a ValidationException). DynamoDB deletes an expired item within days,\n\
             // at no write cost; reads still see it until then.\n\
             await client.send(new UpdateTimeToLiveCommand({{ TableName: TABLE, TimeToLiveSpecification: {{ AttributeName: '{attribute}', Enabled: true }} }}))\n"
        ));
    }
    out
}

/// The SDK code of one access pattern as a script of its own, written as [`sdk`] writes it
/// (the imports it needs, the client, `TABLE`, the request), with the sample records of data
/// generated from `seed`. None when the design has no such pattern or it has no request.
pub fn sdk_pattern(design: &Design, pattern: &str, seed: u64) -> Option<String> {
    let p = design.access_patterns.iter().find(|p| p.name == pattern)?;
    let index = if p.kind == PatternKind::Insert {
        NEW_RECORD
    } else {
        0
    };
    let ctx = DynamoContext::with_seed(design, seed);
    let own = ctx.sample_request_at(p, index)?;
    let request = ctx.sample_transaction(p, own);
    Some(sdk_script(design, &[ctx.sample_fanout(p, request)]))
}

/// The imports of the commands the requests use, the client, `TABLE`, then each request.
fn sdk_script(design: &Design, requests: &[DynamoRequest]) -> String {
    let mut commands: Vec<&str> = Vec::new();
    let sent = requests.iter().flat_map(|r| {
        std::iter::once(r)
            .chain(r.then.as_deref())
            .chain(&r.cleanup)
    });
    for r in sent {
        // Every derived request names an operation; one that is not an item
        // operation has no document-client command to import.
        let Some(c) = Operation::from_name(&r.operation).map(Operation::sdk_command) else {
            continue;
        };
        if !commands.contains(&c) {
            commands.push(c);
        }
    }
    // A fan-out's find and the UpdateItem of each copy it finds.
    let fanout = requests.iter().flat_map(|r| &r.fanout).flat_map(|f| {
        let find = f.find.get("operation").and_then(|o| o.as_str());
        [find, Some(Operation::UpdateItem.name())]
    });
    for c in fanout
        .flatten()
        .filter_map(Operation::from_name)
        .map(Operation::sdk_command)
    {
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
    for r in requests {
        out.push('\n');
        if let Some(flag) = &r.flag {
            out.push_str(&format!("// Note: {flag}\n"));
        }
        out.push_str(&r.sdk);
        out.push('\n');
    }
    out
}
