//! Sample records made into the simulators' own values, with no JSON on the way: BSON
//! documents for MongoDB, items for DynamoDB. Each value is what its Extended JSON (MongoDB)
//! or AttributeValue JSON (DynamoDB) form reads as; `tests/load.rs` checks both ways agree on
//! every example.

use schemaplay_core::sample::{format_number, hex_bytes, iso_date, uuid_text, Val};
use schemaplay_dynamo::{AttributeValue, Item, Number};
use schemaplay_mongo::bson::spec::BinarySubtype;
use schemaplay_mongo::bson::{oid::ObjectId, Binary, Bson, DateTime, Document};

/// A sample document (a `Val::Object`) as BSON. The record is consumed: its strings move into
/// the document rather than being copied (a generation makes each record for one load).
pub fn document(record: Val) -> Result<Document, String> {
    match bson(record)? {
        Bson::Document(document) => Ok(document),
        other => Err(format!("a sample document is not an object: {other}")),
    }
}

/// A sample value as BSON, as its relaxed Extended JSON reads: integers as Int32 when they
/// fit, else Int64.
pub fn bson(value: Val) -> Result<Bson, String> {
    Ok(match value {
        Val::Str(s) => Bson::String(s),
        Val::Int(n) | Val::Long(n) => match i32::try_from(n) {
            Ok(small) => Bson::Int32(small),
            Err(_) => Bson::Int64(n),
        },
        Val::Double(d) => Bson::Double(d),
        Val::Decimal(text) => {
            Bson::Decimal128(text.parse().map_err(|e| format!("decimal {text:?}: {e}"))?)
        }
        Val::Bool(b) => Bson::Boolean(b),
        Val::Date(ms) => Bson::DateTime(DateTime::from_millis(ms)),
        Val::ObjectId(hex) => {
            Bson::ObjectId(ObjectId::parse_str(&hex).map_err(|e| format!("ObjectId {hex:?}: {e}"))?)
        }
        Val::Uuid(hex) => Bson::Binary(Binary {
            subtype: BinarySubtype::Uuid,
            bytes: hex_bytes(&hex),
        }),
        Val::Binary(bytes) => Bson::Binary(Binary {
            subtype: BinarySubtype::Generic,
            bytes,
        }),
        Val::Array(items) => Bson::Array(items.into_iter().map(bson).collect::<Result<_, _>>()?),
        Val::Object(fields) => {
            let mut document = Document::new();
            for (name, value) in fields {
                document.insert(name, bson(value)?);
            }
            Bson::Document(document)
        }
    })
}

/// A sample item's fields as a DynamoDB item, consumed as [`document`] consumes a record.
pub fn item(fields: Vec<(String, Val)>) -> Result<Item, String> {
    fields
        .into_iter()
        .map(|(name, value)| Ok((name, attribute(value)?)))
        .collect()
}

/// A sample value as DynamoDB stores it: strings, ids, UUIDs and dates as `S`, numbers as `N`
/// in DynamoDB's number text, binaries as `B`, arrays as `L`, objects as `M`.
pub fn attribute(value: Val) -> Result<AttributeValue, String> {
    let number = |text: &str| {
        Number::parse(text)
            .map(AttributeValue::N)
            .map_err(|e| format!("number {text:?}: {e}"))
    };
    Ok(match value {
        Val::Str(s) | Val::ObjectId(s) => AttributeValue::S(s),
        Val::Uuid(hex) => AttributeValue::S(uuid_text(&hex)),
        Val::Date(ms) => AttributeValue::S(iso_date(ms)),
        // Every i64 is within DynamoDB's 38 digits, so no check can refuse it.
        Val::Int(n) | Val::Long(n) => AttributeValue::N(Number::from_i64(n)),
        Val::Double(d) => number(&format_number(d))?,
        Val::Decimal(text) => number(&text)?,
        Val::Bool(b) => AttributeValue::Bool(b),
        Val::Binary(bytes) => AttributeValue::B(bytes),
        Val::Array(items) => {
            AttributeValue::L(items.into_iter().map(attribute).collect::<Result<_, _>>()?)
        }
        Val::Object(fields) => AttributeValue::M(item(fields)?),
    })
}
