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
