//! Errors as MongoDB reports them: a numeric code, its code name and the server's message.

use std::fmt;

use bson::Document;

/// An error the real server would return, with its code, code name and wording.
#[derive(Debug, Clone, PartialEq)]
pub struct MongoError {
    pub code: i32,
    pub code_name: String,
    pub message: String,
    /// The server's `errInfo`, where it gives one (document validation failures: the failing
    /// document's `_id` and why it failed).
    pub err_info: Option<Box<Document>>,
}

impl MongoError {
    pub fn new(code: i32, code_name: &str, message: impl Into<String>) -> Self {
        MongoError {
            code,
            code_name: code_name.to_string(),
            message: message.into(),
            err_info: None,
        }
    }

    /// Code 121: a write the collection's validator refuses, with `errInfo` explaining why.
    pub fn document_validation(err_info: Document) -> Self {
        MongoError {
            err_info: Some(Box::new(err_info)),
            ..Self::new(
                121,
                "DocumentValidationFailure",
                "Document failed validation",
            )
        }
    }

    /// Code 2: a value of the right type but not acceptable.
    pub fn bad_value(message: impl Into<String>) -> Self {
        Self::new(2, "BadValue", message)
    }

    /// Code 9: the request could not be parsed.
    pub fn failed_to_parse(message: impl Into<String>) -> Self {
        Self::new(9, "FailedToParse", message)
    }

    /// Code 14: a value of the wrong type.
    pub fn type_mismatch(message: impl Into<String>) -> Self {
        Self::new(14, "TypeMismatch", message)
    }

    /// Code 28: an update path runs through a value that cannot hold fields.
    pub fn path_not_viable(message: impl Into<String>) -> Self {
        Self::new(28, "PathNotViable", message)
    }

    /// Code 40: two update operators touch the same path.
    pub fn conflicting_update(message: impl Into<String>) -> Self {
        Self::new(40, "ConflictingUpdateOperators", message)
    }

    /// Code 66: an update changes `_id`.
    pub fn immutable_field(message: impl Into<String>) -> Self {
        Self::new(66, "ImmutableField", message)
    }

    /// Code 11000: a unique index refuses a key it already holds.
    pub fn duplicate_key(message: impl Into<String>) -> Self {
        Self::new(11000, "DuplicateKey", message)
    }

    /// Code 27: no index with that name or key pattern.
    pub fn index_not_found(message: impl Into<String>) -> Self {
        Self::new(27, "IndexNotFound", message)
    }

    /// Code 26: the collection does not exist.
    pub fn namespace_not_found(message: impl Into<String>) -> Self {
        Self::new(26, "NamespaceNotFound", message)
    }

    /// Code 168: an expression operator the server does not know.
    pub fn invalid_pipeline_operator(message: impl Into<String>) -> Self {
        Self::new(168, "InvalidPipelineOperator", message)
    }

    /// Code 40324 and friends: errors the server reports by location number only.
    pub fn location(code: i32, message: impl Into<String>) -> Self {
        Self::new(code, &format!("Location{code}"), message)
    }
}

impl fmt::Display for MongoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}, code {})",
            self.message, self.code_name, self.code
        )
    }
}

impl std::error::Error for MongoError {}

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, MongoError>;
