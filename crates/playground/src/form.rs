//! The console's forms: what the user edits, as text, before the playground reads it. A form
//! starts from an access pattern's own request as the core derives it ([`prefill_mongo`],
//! [`prefill_dynamo`]), so what the user runs is what the design asks of the database.

use schemaplay_core::dynamo::{DynamoLayout, DynamoRequest};
use schemaplay_core::mongo::MongoQuery;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The MongoDB operations the console offers.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum MongoOp {
    Find,
    Aggregate,
    CountDocuments,
    UpdateOne,
    UpdateMany,
    DeleteOne,
    InsertOne,
}

impl MongoOp {
    pub const ALL: [MongoOp; 7] = [
        MongoOp::Find,
        MongoOp::Aggregate,
        MongoOp::CountDocuments,
        MongoOp::UpdateOne,
        MongoOp::UpdateMany,
        MongoOp::DeleteOne,
        MongoOp::InsertOne,
    ];

    /// The name as the shell spells it.
    pub fn name(self) -> &'static str {
        match self {
            MongoOp::Find => "find",
            MongoOp::Aggregate => "aggregate",
            MongoOp::CountDocuments => "countDocuments",
            MongoOp::UpdateOne => "updateOne",
            MongoOp::UpdateMany => "updateMany",
            MongoOp::DeleteOne => "deleteOne",
            MongoOp::InsertOne => "insertOne",
        }
    }

    pub fn from_name(name: &str) -> Option<MongoOp> {
        MongoOp::ALL.into_iter().find(|op| op.name() == name)
    }

    /// The inputs of the operation, each with the text a fresh form shows.
    fn inputs(self) -> &'static [(MongoField, &'static str)] {
        match self {
            MongoOp::Find => &[
                (MongoField::Filter, "{}"),
                (MongoField::Projection, ""),
                (MongoField::Sort, ""),
            ],
            MongoOp::Aggregate => &[(MongoField::Pipeline, "[\n  {\"$match\": {}}\n]")],
            MongoOp::UpdateOne | MongoOp::UpdateMany => &[
                (MongoField::Filter, "{}"),
                (MongoField::Update, "{\"$set\": {}}"),
            ],
            MongoOp::InsertOne => &[(MongoField::Document, "{}")],
            MongoOp::CountDocuments | MongoOp::DeleteOne => &[(MongoField::Filter, "{}")],
        }
    }

    /// Whether the operation has a plan to explain.
    pub fn explains(self) -> bool {
        matches!(
            self,
            MongoOp::Find | MongoOp::Aggregate | MongoOp::CountDocuments
        )
    }
}

/// A JSON input of the MongoDB form.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum MongoField {
    Filter,
    Projection,
    Sort,
    Update,
    Document,
    Pipeline,
    /// The operation's `collation` option: not among a fresh form's inputs; a prefilled form
    /// has it when its query names one (a case-insensitive pattern).
    Collation,
}

impl MongoField {
    /// The request field it fills, also the input's key in the page.
    pub fn key(self) -> &'static str {
        match self {
            MongoField::Filter => "filter",
            MongoField::Projection => "projection",
            MongoField::Sort => "sort",
            MongoField::Update => "update",
            MongoField::Document => "document",
            MongoField::Pipeline => "pipeline",
            MongoField::Collation => "collation",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MongoField::Filter => "Filter",
            MongoField::Projection => "Projection",
            MongoField::Sort => "Sort",
            MongoField::Update => "Update",
            MongoField::Document => "Document",
            MongoField::Pipeline => "Pipeline",
            MongoField::Collation => "Collation",
        }
    }
}

/// One JSON input of the MongoDB form and its text.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MongoInput {
    pub field: MongoField,
    pub text: String,
}

/// The MongoDB console's form: `db.<collection>.<operation>(<inputs>)`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MongoForm {
    pub collection: String,
    pub operation: MongoOp,
    /// The operation's inputs, in the order the form shows them.
    pub inputs: Vec<MongoInput>,
    /// The find's limit as typed; anything but a whole number means no limit.
    pub limit: String,
    /// Show the plan (find, aggregate, countDocuments).
    pub explain: bool,
}

impl MongoForm {
    /// A `find` on `collection` with an empty filter and the first 20 documents.
    pub fn new(collection: &str) -> MongoForm {
        MongoForm {
            collection: collection.to_string(),
            operation: MongoOp::Find,
            inputs: fresh_inputs(MongoOp::Find),
            limit: "20".to_string(),
            explain: true,
        }
    }

    /// The form with another operation, its inputs fresh.
    pub fn with_operation(&self, operation: MongoOp) -> MongoForm {
        MongoForm {
            operation,
            inputs: fresh_inputs(operation),
            ..self.clone()
        }
    }

    /// The form with the text of one input replaced.
    pub fn with_input(&self, field: MongoField, text: String) -> MongoForm {
        let mut next = self.clone();
        if let Some(input) = next.inputs.iter_mut().find(|i| i.field == field) {
            input.text = text;
        }
        next
    }

    /// The text of an input, empty when the operation has no such input.
    pub fn input(&self, field: MongoField) -> &str {
        self.inputs
            .iter()
            .find(|i| i.field == field)
            .map_or("", |i| i.text.as_str())
    }
}

fn fresh_inputs(op: MongoOp) -> Vec<MongoInput> {
    op.inputs()
        .iter()
        .map(|(field, text)| MongoInput {
            field: *field,
            text: text.to_string(),
        })
        .collect()
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The form that runs an access pattern's MongoDB query as the core derives it: its collection,
/// operation, filter, sort, limit, update, inserted document or aggregation pipeline.
pub fn prefill_mongo(query: &MongoQuery) -> MongoForm {
    let (operation, limit) = match query.operation.as_str() {
        "findOne" => (MongoOp::Find, Some(1)),
        other => (
            MongoOp::from_name(other).unwrap_or(MongoOp::Find),
            query.limit,
        ),
    };
    let mut form = MongoForm {
        limit: limit.map(|l| l.to_string()).unwrap_or_default(),
        ..MongoForm::new(&query.collection).with_operation(operation)
    };
    for input in &mut form.inputs {
        let value = match input.field {
            MongoField::Filter => Some(&query.filter),
            MongoField::Sort => query.sort.as_ref(),
            MongoField::Update | MongoField::Document => query.document.as_ref(),
            MongoField::Pipeline => query.pipeline.as_ref(),
            MongoField::Projection | MongoField::Collation => None,
        };
        input.text = value.map(pretty).unwrap_or_default();
    }
    if let Some(collation) = &query.collation {
        form.inputs.push(MongoInput {
            field: MongoField::Collation,
            text: pretty(collation),
        });
    }
    form
}

/// The DynamoDB operations the console offers.
pub const DYNAMO_OPS: [&str; 10] = [
    "Query",
    "Scan",
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactWriteItems",
    "DescribeTable",
];

/// The DynamoDB console's form: an operation and its input in the low-level JSON shape.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DynamoForm {
    pub operation: String,
    pub input: String,
}

impl DynamoForm {
    /// The form a console starts with: the design's first read (its real key names and sample
    /// values), else a Scan of its table.
    pub fn initial(layout: &DynamoLayout) -> DynamoForm {
        let read = layout.requests.iter().find(|r| {
            matches!(
                r.operation.as_str(),
                "Query" | "GetItem" | "Scan" | "BatchGetItem"
            )
        });
        match read {
            Some(request) => prefill_dynamo(request),
            None => DynamoForm {
                operation: "Scan".to_string(),
                input: pretty(&json!({ "TableName": layout.table_name, "Limit": 20 })),
            },
        }
    }
}

/// The form that runs an access pattern's DynamoDB request as the core derives it. A pattern
/// that reads before it writes has several requests; the form runs the first.
pub fn prefill_dynamo(request: &DynamoRequest) -> DynamoForm {
    let first = match &request.input {
        Value::Array(steps) => steps.first().unwrap_or(&Value::Null),
        one => one,
    };
    let operation = first
        .get("operation")
        .and_then(Value::as_str)
        .unwrap_or(&request.operation)
        .to_string();
    let input = first.get("input").unwrap_or(first);
    DynamoForm {
        operation,
        input: pretty(input),
    }
}
