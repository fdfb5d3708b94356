//! The CreateTable input of the layout: key schema, attribute definitions,
//! billing mode, global and local indexes.

use serde_json::{json, Map, Value};

use super::index::IndexDraft;
use super::Deriver;
use crate::model::*;

impl Deriver<'_> {
    pub(super) fn create_table(&self) -> Value {
        let dynamo = &self.design.dynamo;
        let mut attrs: Vec<(String, &str)> = vec![
            (dynamo.partition_key.clone(), "S"),
            (dynamo.sort_key.clone(), "S"),
        ];
        let mut add = |name: &str, ty: &'static str| {
            if !attrs.iter().any(|(n, _)| n == name) {
                attrs.push((name.to_string(), ty));
            }
        };
        let attr_type = |name: &str| -> &'static str {
            let ty = self
                .design
                .entities
                .iter()
                .find_map(|e| e.field_path(name).map(|f| f.ty.clone()));
            match ty {
                Some(t) if t.is_numeric() => "N",
                Some(FieldType::Binary) => "B",
                _ => "S",
            }
        };
        let used: Vec<&IndexDraft> = self
            .indexes
            .iter()
            .filter(|i| i.declared || !i.mappings.is_empty())
            .collect();
        for i in &used {
            add(&i.pk_attr, attr_type(&i.pk_attr));
            if let Some(s) = &i.sk_attr {
                add(s, attr_type(s));
            }
        }
        let key_schema = |pk: &str, sk: Option<&str>| -> Value {
            let mut v = vec![json!({ "AttributeName": pk, "KeyType": "HASH" })];
            if let Some(sk) = sk {
                v.push(json!({ "AttributeName": sk, "KeyType": "RANGE" }));
            }
            Value::Array(v)
        };
        let mut out = Map::new();
        out.insert("TableName".into(), json!(dynamo.table_name));
        out.insert(
            "AttributeDefinitions".into(),
            Value::Array(
                attrs
                    .iter()
                    .map(|(n, t)| json!({ "AttributeName": n, "AttributeType": t }))
                    .collect(),
            ),
        );
        out.insert(
            "KeySchema".into(),
            key_schema(&dynamo.partition_key, Some(&dynamo.sort_key)),
        );
        let provisioned = dynamo.billing_mode == BillingMode::Provisioned;
        let throughput = json!({ "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 });
        out.insert(
            "BillingMode".into(),
            json!(if provisioned {
                "PROVISIONED"
            } else {
                "PAY_PER_REQUEST"
            }),
        );
        if provisioned {
            out.insert("ProvisionedThroughput".into(), throughput.clone());
        }
        let globals: Vec<Value> = used
            .iter()
            .filter(|i| !i.local)
            .map(|i| {
                let mut g = Map::new();
                g.insert("IndexName".into(), json!(i.name));
                g.insert(
                    "KeySchema".into(),
                    key_schema(&i.pk_attr, i.sk_attr.as_deref()),
                );
                g.insert("Projection".into(), i.projection.to_create_table());
                if provisioned {
                    g.insert("ProvisionedThroughput".into(), throughput.clone());
                }
                Value::Object(g)
            })
            .collect();
        let locals: Vec<Value> = used
            .iter()
            .filter(|i| i.local)
            .map(|i| {
                json!({
                    "IndexName": i.name,
                    "KeySchema": key_schema(&dynamo.partition_key, i.sk_attr.as_deref()),
                    "Projection": i.projection.to_create_table(),
                })
            })
            .collect();
        if !globals.is_empty() {
            out.insert("GlobalSecondaryIndexes".into(), Value::Array(globals));
        }
        if !locals.is_empty() {
            out.insert("LocalSecondaryIndexes".into(), Value::Array(locals));
        }
        Value::Object(out)
    }
}
