//! The values a string field may take (its `enum`), typed as a comma-separated list. Shown for
//! a string field or an array of strings, and for any field that has an enum already, so one
//! the core refuses (a number field's) can be seen next to its finding and emptied.

use schemaplay_core::model::{Field, FieldType};
use serde_json::Value;
use yew::prelude::*;

use super::field_list::value_text;
use super::input_value;

#[derive(Properties, PartialEq)]
pub struct EnumFormProps {
    pub field: Field,
    /// The field row's test id (`entity-0-field-2`); the input is `<testid>-enum`.
    pub testid: String,
    /// The enum's new values; empty: any value.
    pub on_change: Callback<Vec<Value>>,
}

#[function_component(EnumForm)]
pub fn enum_form(props: &EnumFormProps) -> Html {
    let field = &props.field;
    if !shows_enum(field) {
        return Html::default();
    }
    let text = enum_text(&field.enum_values);
    let onchange = props
        .on_change
        .reform(|e: Event| enum_values(&input_value(&e)));
    html! {
        <label>{ "one of " }
            <input class="enum-values" value={text} placeholder="any value (a, b, c)"
                aria-label={format!("Values field {} may take", field.name)}
                data-testid={format!("{}-enum", props.testid)} {onchange} />
        </label>
    }
}

/// Whether the field's row offers an enum: a string field, an array of strings, or a field
/// that has one.
pub fn shows_enum(field: &Field) -> bool {
    let strings = match &field.ty {
        FieldType::String => true,
        FieldType::Array(item) => **item == FieldType::String,
        _ => false,
    };
    strings || !field.enum_values.is_empty()
}

/// The values as the user types them: `active, suspended`.
pub fn enum_text(values: &[Value]) -> String {
    values.iter().map(value_text).collect::<Vec<_>>().join(", ")
}

/// The values of a comma-separated list, each trimmed, blanks left out. Repeats stay, so the
/// core's check can say which value is there twice.
fn enum_values(text: &str) -> Vec<Value> {
    text.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| Value::String(v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_list_is_read_and_written_back() {
        assert_eq!(
            enum_values(" active, suspended ,,closed "),
            vec![json!("active"), json!("suspended"), json!("closed")]
        );
        assert_eq!(enum_values("  "), Vec::<Value>::new());
        assert_eq!(enum_values("a, a"), vec![json!("a"), json!("a")]);
        assert_eq!(enum_text(&[json!("active"), json!(3)]), "active, 3");
    }
}
