//! Naming conventions shared by the layouts: collection names, key prefixes.
//! A leaf of the crate: it depends on nothing else in it.

/// `User` → `users`, `Category` → `categories`, `OrderItem` → `orderItems`.
pub fn collection_name(entity: &str) -> String {
    plural(&lower_first(entity))
}

/// `User` → `user`, `OrderItem` → `orderItem`.
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `user` → `User`, `profile` → `Profile`.
pub fn upper_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A simple English plural, good for entity names.
pub fn plural(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if lower.ends_with('s')
        || lower.ends_with('x')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
        || lower.ends_with('z')
    {
        format!("{word}es")
    } else if lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
        && !lower.ends_with("uy")
    {
        format!("{}ies", &word[..word.len() - 1])
    } else {
        format!("{word}s")
    }
}

/// The key prefix of an entity: `User` → `USER`, `OrderItem` → `ORDER_ITEM`.
pub fn key_prefix(entity: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in entity.chars() {
        if c.is_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        out.extend(c.to_uppercase());
    }
    out
}

/// A readable name of an entity in sentences: `OrderItem` → `order item`.
pub fn words(entity: &str) -> String {
    key_prefix(entity).replace('_', " ").to_lowercase()
}

/// A variable name for generated code: `OrderItem` → `orderItem`, `app-data` → `appData`.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.extend(c.to_uppercase());
            } else if out.is_empty() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = !out.is_empty();
        }
    }
    out
}

/// An expression value placeholder's name for an attribute: `GSI1PK` →
/// `gsi1pk` (an all-capital name lowercased), `assignee-id` → `assigneeId`.
pub fn placeholder(attribute: &str) -> String {
    let letters = attribute.chars().filter(|c| c.is_alphabetic());
    if letters.clone().next().is_some() && letters.clone().all(char::is_uppercase) {
        camel(&attribute.to_lowercase())
    } else {
        camel(attribute)
    }
}

/// `app-data` → `AppData`, for CloudFormation logical ids.
pub fn pascal(name: &str) -> String {
    let camel = camel(name);
    let mut chars = camel.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let cases = [
            ("User", "users", "USER"),
            ("Category", "categories", "CATEGORY"),
            ("OrderItem", "orderItems", "ORDER_ITEM"),
            ("Address", "addresses", "ADDRESS"),
            ("Day", "days", "DAY"),
            ("IoTReading", "ioTReadings", "IO_TREADING"),
        ];
        for (entity, collection, prefix) in cases {
            assert_eq!(collection_name(entity), collection);
            assert_eq!(key_prefix(entity), prefix);
        }
        assert_eq!(camel("app-data"), "appData");
        assert_eq!(pascal("app-data"), "AppData");
        assert_eq!(words("OrderItem"), "order item");
    }
}
