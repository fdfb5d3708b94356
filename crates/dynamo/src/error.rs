//! The one error type of the simulator: DynamoDB's exception name plus its message.

use std::fmt;

/// The exception types DynamoDB returns, by their wire name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    ValidationException,
    ConditionalCheckFailedException,
    TransactionCanceledException,
    ResourceNotFoundException,
    ResourceInUseException,
    ItemCollectionSizeLimitExceededException,
    UnknownOperationException,
    SerializationException,
    IdempotentParameterMismatchException,
}

impl ErrorKind {
    /// The exception name as DynamoDB spells it (`__type` without the namespace).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::ValidationException => "ValidationException",
            ErrorKind::ConditionalCheckFailedException => "ConditionalCheckFailedException",
            ErrorKind::TransactionCanceledException => "TransactionCanceledException",
            ErrorKind::ResourceNotFoundException => "ResourceNotFoundException",
            ErrorKind::ResourceInUseException => "ResourceInUseException",
            ErrorKind::ItemCollectionSizeLimitExceededException => {
                "ItemCollectionSizeLimitExceededException"
            }
            ErrorKind::UnknownOperationException => "UnknownOperationException",
            ErrorKind::SerializationException => "SerializationException",
            ErrorKind::IdempotentParameterMismatchException => {
                "IdempotentParameterMismatchException"
            }
        }
    }
}

/// A request DynamoDB would reject: the exception type and DynamoDB's message.
#[derive(Clone, Debug, PartialEq)]
pub struct DynamoError {
    pub kind: ErrorKind,
    pub message: String,
    /// For `TransactionCanceledException`: one `{"Code": ..., "Message": ...}` per action.
    pub cancellation_reasons: Vec<serde_json::Value>,
    /// For `ConditionalCheckFailedException` with `ReturnValuesOnConditionCheckFailure`: the item.
    pub item: Option<Box<serde_json::Value>>,
    /// Whether the error is about an item's content (key types, sizes) rather than the request's
    /// form; in a transaction such errors cancel it with a `ValidationError` reason.
    pub item_level: bool,
}

impl DynamoError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        DynamoError {
            kind,
            message: message.into(),
            cancellation_reasons: Vec::new(),
            item: None,
            item_level: false,
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        DynamoError::new(ErrorKind::ValidationException, message)
    }

    /// A ValidationException about an item's content (see [`DynamoError::item_level`]).
    pub fn item_validation(message: impl Into<String>) -> Self {
        DynamoError {
            item_level: true,
            ..DynamoError::validation(message)
        }
    }

    pub fn conditional_failed() -> Self {
        DynamoError::new(
            ErrorKind::ConditionalCheckFailedException,
            "The conditional request failed",
        )
    }

    pub fn table_not_found() -> Self {
        DynamoError::new(
            ErrorKind::ResourceNotFoundException,
            "Requested resource not found",
        )
    }

    /// The exception name, e.g. `ValidationException`.
    pub fn type_name(&self) -> &'static str {
        self.kind.name()
    }

    /// The error as DynamoDB's JSON error body: `{"__type": ..., "message": ...}`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut body = serde_json::json!({
            "__type": format!("com.amazonaws.dynamodb.v20120810#{}", self.kind.name()),
            "message": self.message,
        });
        if !self.cancellation_reasons.is_empty() {
            body["CancellationReasons"] =
                serde_json::Value::Array(self.cancellation_reasons.clone());
        }
        if let Some(item) = &self.item {
            body["Item"] = item.as_ref().clone();
        }
        body
    }
}

impl fmt::Display for DynamoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for DynamoError {}

/// Shorthand for results of the simulator.
pub type Result<T> = std::result::Result<T, DynamoError>;
