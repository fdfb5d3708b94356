//! What the user typed, read once: JSON text into a value, or where it goes wrong.

use serde_json::Value;

use crate::api::InputProblem;

/// Reads the text of input `input`: `None` when it is blank, else its value or the problem at
/// its line and column, with that line and a caret under the column.
pub(crate) fn parse_input(input: &str, text: &str) -> Result<Option<Value>, InputProblem> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(text).map(Some).map_err(|e| {
        let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
        let caret = " ".repeat(e.column().saturating_sub(1).min(line.chars().count()));
        let message = e.to_string();
        InputProblem {
            input: input.to_string(),
            message: format!(
                "line {}, column {}: {}",
                e.line(),
                e.column(),
                strip_position(&message)
            ),
            excerpt: format!("{line}\n{caret}^"),
        }
    })
}

/// serde_json's message without its trailing ` at line L column C`, which the caller words.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    }
}
