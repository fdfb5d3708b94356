//! NoSQL Workbench data models to a design. A model exported by schemaplay
//! carries its design and imports back unchanged; any other model becomes
//! entities (one per facet), key templates (the facets' key aliases) and
//! indexes.

use serde_json::Value;

use super::{entity_name, Imported};
use crate::export::WORKBENCH_DESIGN_KEY;
use crate::model::validate::placeholders;
use crate::model::*;

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

/// Reads a NoSQL Workbench data model. A model exported by schemaplay carries
/// its design and imports back unchanged; any other model becomes entities
/// (one per facet), key templates (the facets' key aliases) and indexes.
pub fn workbench(text: &str) -> Imported {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Imported {
                design: Design::default(),
                findings: vec![json_syntax(&e)],
            }
        }
    };
    let mut findings = Vec::new();
    if let Some(embedded) = value.get(WORKBENCH_DESIGN_KEY) {
        let text = embedded.to_string();
        match Design::from_json_unchecked(&text) {
            Ok(design) => return Imported { design, findings },
            Err(errors) => findings.extend(errors.into_iter().map(|mut f| {
                f.path = format!("{WORKBENCH_DESIGN_KEY}.{}", f.path);
                f
            })),
        }
    }
    let mut design = Design {
        name: str_at(&value, &["ModelName"])
            .unwrap_or("Imported from NoSQL Workbench")
            .to_string(),
        description: str_at(&value, &["ModelMetadata", "Description"])
            .unwrap_or("")
            .to_string(),
        ..Design::default()
    };
    let tables = value.get("DataModel").and_then(Value::as_array);
    let Some(table) = tables.and_then(|t| t.first()) else {
        findings.push(Finding::error(
            "workbench-model",
            "DataModel",
            "the model has no table",
        ));
        return Imported { design, findings };
    };
    if tables.is_some_and(|t| t.len() > 1) {
        findings.push(Finding::warning(
            "workbench-model",
            "DataModel",
            "the model has several tables; only the first is imported (a single-table design)",
        ));
    }
    read_table(table, &mut design);
    read_facets(table, &mut design, &mut findings);
    read_indexes(table, &mut design, &mut findings);
    findings.push(Finding::info(
        "workbench-model",
        "",
        "a Workbench model has no relationships or access patterns: add them to see the derived layouts",
    ));
    Imported { design, findings }
}

/// The table's name, key attributes and billing mode.
fn read_table(table: &Value, design: &mut Design) {
    if let Some(name) = str_at(table, &["TableName"]) {
        design.dynamo.table_name = name.to_string();
    }
    if let Some(pk) = str_at(table, &["KeyAttributes", "PartitionKey", "AttributeName"]) {
        design.dynamo.partition_key = pk.to_string();
    }
    if let Some(sk) = str_at(table, &["KeyAttributes", "SortKey", "AttributeName"]) {
        design.dynamo.sort_key = sk.to_string();
    }
    if str_at(table, &["BillingMode"]) == Some("PROVISIONED") {
        design.dynamo.billing_mode = BillingMode::Provisioned;
    }
}

/// The global indexes of the table, as an array (empty when there are none).
fn global_indexes(table: &Value) -> impl Iterator<Item = &Value> {
    table
        .get("GlobalSecondaryIndexes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// One entity per facet: its non-key attributes typed as the table declares
/// them (index key attributes left out), its key aliases as key templates.
fn read_facets(table: &Value, design: &mut Design, findings: &mut Vec<Finding>) {
    let types: Vec<(String, String)> = table
        .get("NonKeyAttributes")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    Some((
                        str_at(x, &["AttributeName"])?.to_string(),
                        str_at(x, &["AttributeType"])?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let ty_of = |name: &str| -> FieldType {
        match types
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
        {
            Some("N") => FieldType::Double,
            Some("BOOL") => FieldType::Bool,
            Some("B") => FieldType::Binary,
            Some("M") => FieldType::Object(Vec::new()),
            Some("L") | Some("SS") => FieldType::Array(Box::new(FieldType::String)),
            Some("NS") => FieldType::Array(Box::new(FieldType::Double)),
            _ => FieldType::String,
        }
    };
    let index_attrs: Vec<&str> = global_indexes(table)
        .flat_map(|i| {
            [
                str_at(i, &["KeyAttributes", "PartitionKey", "AttributeName"]),
                str_at(i, &["KeyAttributes", "SortKey", "AttributeName"]),
            ]
        })
        .flatten()
        .collect();
    let facets = table.get("TableFacets").and_then(Value::as_array);
    for (i, facet) in facets.into_iter().flatten().enumerate() {
        let Some(name) = str_at(facet, &["FacetName"]) else {
            findings.push(Finding::warning(
                "workbench-model",
                format!("DataModel[0].TableFacets[{i}]"),
                "a facet without a name is skipped",
            ));
            continue;
        };
        let entity = entity_name(name);
        let attrs: Vec<&str> = facet
            .get("NonKeyAttributes")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut fields: Vec<Field> = attrs
            .iter()
            .filter(|a| {
                **a != crate::dynamo::TYPE_ATTRIBUTE
                    && !index_attrs.iter().any(|x| x == *a && x.starts_with("GSI"))
            })
            .map(|a| Field::new(a, ty_of(a)))
            .collect();
        let volume = facet
            .get("TableData")
            .and_then(Value::as_array)
            .map(|d| d.len() as u64)
            .unwrap_or(0);
        if let Some(template) = key_template(facet) {
            // Every <field> of a key template becomes a field, so the template stays valid.
            for name in [&template.pk, &template.sk]
                .into_iter()
                .flat_map(|t| placeholders(t).unwrap_or_default())
            {
                if !fields.iter().any(|f| f.name == name) {
                    let mut f = Field::new(name, FieldType::String);
                    f.required = true;
                    fields.push(f);
                }
            }
            design.dynamo.key_templates.insert(entity.clone(), template);
        }
        design.entities.push(Entity {
            name: entity,
            id: None,
            fields,
            volume,
            ttl: None,
        });
    }
}

/// A facet's key aliases as a key template, when both are there and well formed.
fn key_template(facet: &Value) -> Option<KeyTemplate> {
    let pk = str_at(facet, &["KeyAttributeAlias", "PartitionKeyAlias"]).unwrap_or("");
    let sk = str_at(facet, &["KeyAttributeAlias", "SortKeyAlias"]).unwrap_or("");
    let templated = placeholders(pk).is_ok() && placeholders(sk).is_ok();
    (!pk.is_empty() && !sk.is_empty() && templated).then(|| KeyTemplate {
        pk: pk.to_string(),
        sk: sk.to_string(),
    })
}

/// The table's global indexes as declared indexes.
fn read_indexes(table: &Value, design: &mut Design, findings: &mut Vec<Finding>) {
    for (i, index) in global_indexes(table).enumerate() {
        let (Some(name), Some(pk)) = (
            str_at(index, &["IndexName"]),
            str_at(index, &["KeyAttributes", "PartitionKey", "AttributeName"]),
        ) else {
            findings.push(Finding::warning(
                "workbench-model",
                format!("DataModel[0].GlobalSecondaryIndexes[{i}]"),
                "an index without a name or partition key is skipped",
            ));
            continue;
        };
        design.dynamo.indexes.push(IndexChoice {
            name: name.to_string(),
            partition_key: pk.to_string(),
            sort_key: str_at(index, &["KeyAttributes", "SortKey", "AttributeName"])
                .map(str::to_string),
            local: false,
        });
    }
}
