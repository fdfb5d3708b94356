//! The next page of a list: the same Query (or Scan) starting after the key
//! the page before stopped at ([`DynamoContext::next_page`]).

use serde_json::Value;

use super::sdk::{sdk_code, Operation};
use super::{DynamoContext, DynamoRequest};
use crate::model::*;
use crate::sample::Args;

impl DynamoContext<'_> {
    /// The request reading the page after one whose answer is `answer` (its
    /// DynamoDB JSON response): the pattern's first request for `args`
    /// ([`Self::request_for`]) with `ExclusiveStartKey` set to the answer's
    /// `LastEvaluatedKey`. None when the answer has no `LastEvaluatedKey`
    /// (the page was the last), or the pattern is not a list read by a Query
    /// or a Scan. A list that reads its items in a second request (through
    /// link items, or an index lacking attributes) pages its first request;
    /// [`Self::next_requests`] renders the second from each page's answer.
    pub fn next_page(
        &self,
        pattern: &AccessPattern,
        args: Args<'_>,
        answer: &Value,
    ) -> Option<DynamoRequest> {
        if pattern.kind != PatternKind::List {
            return None;
        }
        let start = answer
            .get("LastEvaluatedKey")
            .filter(|k| k.as_object().is_some_and(|m| !m.is_empty()))?;
        let mut request = self.request_for(pattern, args)?;
        let operation = Operation::from_name(&request.operation)
            .filter(|o| matches!(o, Operation::Query | Operation::Scan))?;
        let input = request.input.get_mut("input")?.as_object_mut()?;
        input.insert("ExclusiveStartKey".into(), start.clone());
        let table = input
            .get("TableName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut sdk = sdk_code(pattern, &table, operation, input);
        if let Some(then) = &request.then {
            sdk = format!("{sdk}\n{}", then.sdk);
        }
        request.sdk = sdk;
        Some(request)
    }
}
