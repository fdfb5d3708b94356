//! The database: named tables, the operation dispatcher, and the table-level operations.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::error::{DynamoError, ErrorKind, Result};
use crate::request::{opt_int, opt_str, table_name};
use crate::table::{Index, KeyAttr, KeySchema, Projection, ScalarType, Table, MAX_KEY_NAME_BYTES};

/// An in-memory DynamoDB: every table of one session.
#[derive(Clone, Debug, Default)]
pub struct Database {
    pub(crate) tables: BTreeMap<String, Table>,
    next_created: u64,
    /// ClientRequestTokens of committed transactions and their TransactItems. DynamoDB
    /// forgets them after ten minutes; a session has no clock, so they last the session.
    pub(crate) transaction_tokens: BTreeMap<String, Value>,
}

/// The operations [`Database::execute`] understands, by their API name.
pub const OPERATIONS: [&str; 16] = [
    "CreateTable",
    "DescribeTable",
    "DeleteTable",
    "ListTables",
    "PutItem",
    "GetItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
    "UpdateTimeToLive",
    "DescribeTimeToLive",
];

impl Database {
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs one DynamoDB API operation (`"PutItem"`, `"Query"`, ...) on a request in the
    /// low-level JSON shape, returning the response in the same shape.
    pub fn execute(&mut self, operation: &str, input: &Value) -> Result<Value> {
        if !input.is_object() {
            return Err(DynamoError::new(
                ErrorKind::SerializationException,
                "The request body must be a JSON object",
            ));
        }
        match operation {
            "CreateTable" => self.create_table(input),
            "DescribeTable" => self.describe_table(input),
            "DeleteTable" => self.delete_table(input),
            "ListTables" => self.list_tables(input),
            "PutItem" => crate::items::put_item(self, input),
            "GetItem" => crate::items::get_item(self, input),
            "UpdateItem" => crate::items::update_item(self, input),
            "DeleteItem" => crate::items::delete_item(self, input),
            "Query" => crate::read::query(self, input),
            "Scan" => crate::read::scan(self, input),
            "BatchGetItem" => crate::batch::batch_get_item(self, input),
            "BatchWriteItem" => crate::batch::batch_write_item(self, input),
            "TransactGetItems" => crate::batch::transact_get_items(self, input),
            "TransactWriteItems" => crate::batch::transact_write_items(self, input),
            "UpdateTimeToLive" => crate::ttl::update_time_to_live(self, input),
            "DescribeTimeToLive" => crate::ttl::describe_time_to_live(self, input),
            other => Err(DynamoError::new(
                ErrorKind::UnknownOperationException,
                format!("Unknown operation: {other}"),
            )),
        }
    }

    /// The bulk load, for a host that builds items itself (generated data): `items` go into
    /// `table` as PutItems without conditions would put them one after another, without JSON
    /// text or requests. Every item is checked first, as PutItem checks one (key attributes,
    /// index key types, attribute names, nesting, empty sets, the 400 KB item size); the first
    /// that fails comes back as DynamoDB's error for it, its message prefixed with the item's
    /// position (`items[3]: ...`), and nothing is written. An item with the key of an earlier
    /// one replaces it, as a later PutItem would. Secondary indexes are kept as each item goes
    /// in (ordered maps: O(log n) an item). Returns how many items were put.
    pub fn put_items(&mut self, table: &str, items: Vec<crate::value::Item>) -> Result<usize> {
        let t = self.table_mut(table)?;
        let mut keys = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match check_put(t, item) {
                Ok(key) => keys.push(key),
                Err(mut e) => {
                    e.message = format!("items[{i}]: {}", e.message);
                    return Err(e);
                }
            }
        }
        let n = items.len();
        for (key, item) in keys.into_iter().zip(items) {
            t.put(key, item);
        }
        Ok(n)
    }

    /// The bulk load that keeps going: each of `items` is checked as [`Database::put_items`]
    /// checks it and put when PutItem would put it; each refused item is left out and comes
    /// back with its position in `items` and PutItem's error. Only a missing table fails the
    /// whole call. Returns how many items were put, and the refusals in order.
    pub fn put_valid_items(
        &mut self,
        table: &str,
        items: Vec<crate::value::Item>,
    ) -> Result<(usize, Vec<(usize, DynamoError)>)> {
        let t = self.table_mut(table)?;
        let mut put = 0;
        let mut refused = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            match check_put(t, &item) {
                Ok(key) => {
                    t.put(key, item);
                    put += 1;
                }
                Err(e) => refused.push((i, e)),
            }
        }
        Ok((put, refused))
    }

    /// The table named `name`, or DynamoDB's ResourceNotFoundException.
    pub fn table(&self, name: &str) -> Result<&Table> {
        self.tables
            .get(name)
            .ok_or_else(DynamoError::table_not_found)
    }

    pub(crate) fn table_mut(&mut self, name: &str) -> Result<&mut Table> {
        self.tables
            .get_mut(name)
            .ok_or_else(DynamoError::table_not_found)
    }

    /// Names of all tables, sorted.
    pub fn table_names(&self) -> Vec<&str> {
        self.tables.keys().map(String::as_str).collect()
    }

    fn create_table(&mut self, input: &Value) -> Result<Value> {
        let name = table_name(input)?;
        let defs = parse_attribute_definitions(input.get("AttributeDefinitions"))?;
        let schema = parse_key_schema(input.get("KeySchema"), &defs, "")?;
        let billing_mode = opt_str(input, "BillingMode")?
            .unwrap_or("PROVISIONED")
            .to_string();
        let provisioned = match billing_mode.as_str() {
            "PAY_PER_REQUEST" => None,
            "PROVISIONED" => Some(parse_throughput(input.get("ProvisionedThroughput"))?),
            other => {
                return Err(DynamoError::validation(format!(
                    "1 validation error detected: Value '{other}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"
                )))
            }
        };
        let mut indexes = Vec::new();
        for (field, global) in [
            ("GlobalSecondaryIndexes", true),
            ("LocalSecondaryIndexes", false),
        ] {
            let Some(list) = input.get(field).filter(|v| !v.is_null()) else {
                continue;
            };
            let list = list.as_array().filter(|l| !l.is_empty()).ok_or_else(|| {
                DynamoError::validation(format!(
                    "One or more parameter values were invalid: List of {field} is empty"
                ))
            })?;
            for spec in list {
                let index = parse_index(spec, &defs, global, &schema)?;
                if indexes.iter().any(|i: &Index| i.name == index.name) {
                    return Err(DynamoError::validation(format!(
                        "One or more parameter values were invalid: Duplicate index name: {}",
                        index.name
                    )));
                }
                indexes.push(index);
            }
        }
        let used = |n: &str| {
            schema.names().any(|k| k == n)
                || indexes.iter().any(|i| i.schema.names().any(|k| k == n))
        };
        if let Some(unused) = defs.iter().find(|d| !used(&d.name)) {
            let _ = unused;
            return Err(DynamoError::validation(
                "One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [".to_string()
                    + &defs.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(", ")
                    + "], keys used: ["
                    + &schema.names().collect::<Vec<_>>().join(", ")
                    + "]",
            ));
        }
        if self.tables.contains_key(name) {
            return Err(DynamoError::new(
                ErrorKind::ResourceInUseException,
                format!("Table already exists: {name}"),
            ));
        }
        self.next_created += 1;
        let table = Table {
            name: name.to_string(),
            schema,
            attribute_definitions: defs,
            billing_mode,
            provisioned,
            indexes,
            created: self.next_created,
            items: BTreeMap::new(),
            item_count: 0,
            size_bytes: 0,
            time_to_live: None,
        };
        let description = describe(&table, "ACTIVE");
        self.tables.insert(name.to_string(), table);
        Ok(json!({ "TableDescription": description }))
    }

    fn describe_table(&mut self, input: &Value) -> Result<Value> {
        let name = table_name(input)?;
        let table = self.tables.get(name).ok_or_else(|| {
            DynamoError::new(
                ErrorKind::ResourceNotFoundException,
                format!("Requested resource not found: Table: {name} not found"),
            )
        })?;
        Ok(json!({ "Table": describe(table, "ACTIVE") }))
    }

    fn delete_table(&mut self, input: &Value) -> Result<Value> {
        let name = table_name(input)?;
        let table = self.tables.remove(name).ok_or_else(|| {
            DynamoError::new(
                ErrorKind::ResourceNotFoundException,
                format!("Requested resource not found: Table: {name} not found"),
            )
        })?;
        Ok(json!({ "TableDescription": describe(&table, "DELETING") }))
    }

    fn list_tables(&mut self, input: &Value) -> Result<Value> {
        let limit = opt_int(input, "Limit")?.unwrap_or(100);
        if !(1..=100).contains(&limit) {
            return Err(DynamoError::validation(format!(
                "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"
            )));
        }
        let start = opt_str(input, "ExclusiveStartTableName")?;
        let names: Vec<&String> = self
            .tables
            .keys()
            .filter(|n| start.is_none_or(|s| n.as_str() > s))
            .collect();
        let page: Vec<&String> = names.iter().take(limit as usize).copied().collect();
        let mut out = json!({ "TableNames": page });
        if names.len() > page.len() {
            if let Some(last) = page.last() {
                out["LastEvaluatedTableName"] = json!(last);
            }
        }
        Ok(out)
    }
}

fn parse_attribute_definitions(v: Option<&Value>) -> Result<Vec<KeyAttr>> {
    let list = v.and_then(Value::as_array).ok_or_else(|| {
        DynamoError::validation("1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null")
    })?;
    let mut out: Vec<KeyAttr> = Vec::new();
    for d in list {
        let name = d
            .get("AttributeName")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let ty = d
            .get("AttributeType")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let ty = ScalarType::parse(ty).ok_or_else(|| {
            DynamoError::validation(format!(
                "1 validation error detected: Value '{ty}' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"
            ))
        })?;
        if name.is_empty() {
            return Err(DynamoError::validation(
                "One or more parameter values were invalid: Empty attribute name",
            ));
        }
        if name.len() > MAX_KEY_NAME_BYTES {
            return Err(DynamoError::validation(format!(
                "1 validation error detected: Value '{name}' at 'attributeDefinitions.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to {MAX_KEY_NAME_BYTES}"
            )));
        }
        if out.iter().any(|a| a.name == name) {
            return Err(DynamoError::validation(format!(
                "Cannot have two attributes with the same name. Attribute name: {name}"
            )));
        }
        out.push(KeyAttr {
            name: name.to_string(),
            ty,
        });
    }
    Ok(out)
}

fn parse_key_schema(v: Option<&Value>, defs: &[KeyAttr], index: &str) -> Result<KeySchema> {
    let list = v.and_then(Value::as_array).ok_or_else(|| {
        DynamoError::validation("1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null")
    })?;
    let at = if index.is_empty() {
        String::new()
    } else {
        format!(" for index {index}")
    };
    let element = |e: &Value, kind: &str| -> Result<KeyAttr> {
        let name = e
            .get("AttributeName")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if name.len() > MAX_KEY_NAME_BYTES {
            return Err(DynamoError::validation(format!(
                "1 validation error detected: Value '{name}' at 'keySchema.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to {MAX_KEY_NAME_BYTES}"
            )));
        }
        if e.get("KeyType").and_then(Value::as_str) != Some(kind) {
            return Err(DynamoError::validation(format!(
                "Invalid KeySchema{at}: The first KeySchemaElement is not a HASH key type"
            )));
        }
        let def = defs.iter().find(|d| d.name == name).ok_or_else(|| {
            DynamoError::validation(format!(
                "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [{name}], AttributeDefinitions: [{}]",
                defs.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?;
        Ok(def.clone())
    };
    match list.as_slice() {
        [h] => Ok(KeySchema { hash: element(h, "HASH")?, range: None }),
        [h, r] => {
            let hash = element(h, "HASH")?;
            let range = element(r, "RANGE").map_err(|_| {
                DynamoError::validation(format!("Invalid KeySchema{at}: The second KeySchemaElement is not a RANGE key type"))
            })?;
            if hash.name == range.name {
                return Err(DynamoError::validation(
                    "Both the Hash Key and the Range Key element in the KeySchema have the same name",
                ));
            }
            Ok(KeySchema { hash, range: Some(range) })
        }
        _ => Err(DynamoError::validation(format!(
            "1 validation error detected: Value '{}' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
            Value::Array(list.clone())
        ))),
    }
}

fn parse_throughput(v: Option<&Value>) -> Result<(i64, i64)> {
    let v = v.filter(|v| !v.is_null()).ok_or_else(|| {
        DynamoError::validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
    })?;
    let r = v
        .get("ReadCapacityUnits")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let w = v
        .get("WriteCapacityUnits")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if r < 1 || w < 1 {
        return Err(DynamoError::validation(
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
        ));
    }
    Ok((r, w))
}

fn parse_index(spec: &Value, defs: &[KeyAttr], global: bool, table: &KeySchema) -> Result<Index> {
    let name = spec
        .get("IndexName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if name.len() < 3 || name.len() > 255 {
        return Err(DynamoError::validation(format!(
            "1 validation error detected: Value '{name}' at 'indexName' failed to satisfy constraint: Member must have length greater than or equal to 3"
        )));
    }
    let schema = parse_key_schema(spec.get("KeySchema"), defs, name)?;
    if !global {
        if table.range.is_none() {
            return Err(DynamoError::validation(
                "One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            ));
        }
        if schema.hash.name != table.hash.name || schema.range.is_none() {
            return Err(DynamoError::validation(format!(
                "One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: {name}. index hash key: {}, table hash key: {}",
                schema.hash.name, table.hash.name
            )));
        }
    }
    let projection = spec.get("Projection").unwrap_or(&Value::Null);
    let projection = match projection.get("ProjectionType").and_then(Value::as_str) {
        Some("ALL") => Projection::All,
        Some("KEYS_ONLY") => Projection::KeysOnly,
        Some("INCLUDE") => {
            let attrs = projection
                .get("NonKeyAttributes")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
                .ok_or_else(|| DynamoError::validation(
                    "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
                ))?;
            Projection::Include(
                attrs
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            )
        }
        _ => {
            return Err(DynamoError::validation(format!(
            "One or more parameter values were invalid: Unknown ProjectionType for index: {name}"
        )))
        }
    };
    Ok(Index {
        name: name.to_string(),
        global,
        schema,
        projection,
        entries: BTreeMap::new(),
        item_count: 0,
        size_bytes: 0,
    })
}

fn key_schema_json(schema: &KeySchema) -> Value {
    let mut list = vec![json!({ "AttributeName": schema.hash.name, "KeyType": "HASH" })];
    if let Some(r) = &schema.range {
        list.push(json!({ "AttributeName": r.name, "KeyType": "RANGE" }));
    }
    Value::Array(list)
}

/// The `TableDescription` DynamoDB returns for `table`.
pub fn describe(table: &Table, status: &str) -> Value {
    let arn = format!(
        "arn:aws:dynamodb:us-east-1:000000000000:table/{}",
        table.name
    );
    let mut d = Map::new();
    d.insert("TableName".into(), json!(table.name));
    d.insert("TableArn".into(), json!(arn));
    d.insert("TableStatus".into(), json!(status));
    d.insert(
        "CreationDateTime".into(),
        json!(1_700_000_000 + table.created),
    );
    d.insert("KeySchema".into(), key_schema_json(&table.schema));
    d.insert(
        "AttributeDefinitions".into(),
        table
            .attribute_definitions
            .iter()
            .map(|a| json!({ "AttributeName": a.name, "AttributeType": a.ty.name() }))
            .collect(),
    );
    d.insert("ItemCount".into(), json!(table.item_count));
    d.insert("TableSizeBytes".into(), json!(table.size_bytes));
    let (r, w) = table.provisioned.unwrap_or((0, 0));
    d.insert(
        "ProvisionedThroughput".into(),
        json!({ "NumberOfDecreasesToday": 0, "ReadCapacityUnits": r, "WriteCapacityUnits": w }),
    );
    d.insert(
        "BillingModeSummary".into(),
        json!({ "BillingMode": table.billing_mode }),
    );
    for (field, global) in [
        ("GlobalSecondaryIndexes", true),
        ("LocalSecondaryIndexes", false),
    ] {
        let list: Vec<Value> = table
            .indexes
            .iter()
            .filter(|i| i.global == global)
            .map(|i| {
                let mut projection = json!({ "ProjectionType": i.projection.type_name() });
                if let Projection::Include(attrs) = &i.projection {
                    projection["NonKeyAttributes"] = json!(attrs);
                }
                let mut v = json!({
                    "IndexName": i.name,
                    "KeySchema": key_schema_json(&i.schema),
                    "Projection": projection,
                    "ItemCount": i.item_count,
                    "IndexSizeBytes": i.size_bytes,
                    "IndexArn": format!("{arn}/index/{}", i.name),
                });
                if global {
                    v["IndexStatus"] = json!("ACTIVE");
                    v["ProvisionedThroughput"] =
                        json!({ "ReadCapacityUnits": r, "WriteCapacityUnits": w });
                }
                v
            })
            .collect();
        if !list.is_empty() {
            d.insert(field.into(), Value::Array(list));
        }
    }
    Value::Object(d)
}

/// What PutItem checks of an item before writing it (nesting first: the size check walks the
/// whole value), and the item's primary key.
fn check_put(table: &Table, item: &crate::value::Item) -> Result<crate::table::PrimaryKey> {
    crate::value::check_item_values(item).and_then(|()| table.validate_item(item))
}
