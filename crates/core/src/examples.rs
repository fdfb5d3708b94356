//! Complete example designs, each teaching something. They double as tests:
//! every derived layout, suggestion, warning and cost of each is snapshotted.

use crate::model::Design;

/// One example design and what it teaches.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Example {
    /// A stable identifier, usable in URLs (`user-app`).
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence on what the example shows a learner.
    pub teaches: &'static str,
    pub design: Design,
}

struct Source {
    id: &'static str,
    title: &'static str,
    teaches: &'static str,
    json: &'static str,
}

const SOURCES: &[Source] = &[Source {
    id: "user-app",
    title: "Users and posts",
    teaches: "Embed what is read together and bounded (comments in a post), reference what grows without bound (a user's posts), and give each access pattern its own key or index (the EmailIndex).",
    json: include_str!("../designs/user-app.json"),
}, Source {
    id: "ecommerce",
    title: "E-commerce orders",
    teaches: "Embed order lines in their order, reference the customer, and see how a low-cardinality key (order status) makes a hot index partition.",
    json: include_str!("../designs/ecommerce.json"),
}, Source {
    id: "chat",
    title: "Chat rooms",
    teaches: "Keep a room's messages in one item collection sorted by time, so the latest page is one Query; text search needs a search service, not a Scan.",
    json: include_str!("../designs/chat.json"),
}, Source {
    id: "iot",
    title: "IoT sensor readings",
    teaches: "Time series: readings keyed by device and time serve every range query, and a compound shard key (deviceId, ts) spreads the write firehose.",
    json: include_str!("../designs/iot.json"),
}, Source {
    id: "saas",
    title: "Multi-tenant task tracker",
    teaches: "Scope every key by its owner (tenant, project), use composite index keys for multi-field filters, and look users up by email through an index.",
    json: include_str!("../designs/saas.json"),
}];

/// Every example, in the order the app lists them.
pub fn all() -> Vec<Example> {
    SOURCES
        .iter()
        .filter_map(|s| {
            // The sources are checked by the tests below; a broken one is left out
            // rather than taking the page down.
            let design = Design::from_json(s.json).ok()?;
            Some(Example {
                id: s.id,
                title: s.title,
                teaches: s.teaches,
                design,
            })
        })
        .collect()
}

/// The example with the given id.
pub fn get(id: &str) -> Option<Example> {
    all().into_iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_reads_without_findings_and_round_trips() {
        for source in SOURCES {
            let design = match Design::from_json(source.json) {
                Ok(d) => d,
                Err(findings) => {
                    let text: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
                    panic!("example {} does not read: {}", source.id, text.join("; "));
                }
            };
            let again = Design::from_json(&design.to_json());
            assert_eq!(again.as_ref(), Ok(&design), "example {}", source.id);
            assert_eq!(again.map(|d| d.to_json()), Ok(design.to_json()));
        }
        assert_eq!(all().len(), SOURCES.len());
    }
}
