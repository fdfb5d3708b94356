//! The DynamoDB session handle.
