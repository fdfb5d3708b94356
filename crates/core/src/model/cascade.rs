//! Cascades: what a delete of a parent does to its children, per
//! relationship (`onDelete`). `cascade`: the children go with the parent, and
//! theirs with them (depth-limited); `keep`: they stay, on purpose (a finding
//! says so). Absent, a child that cannot exist without its parent goes with it
//! (a reference the child must hold, or no reference field at all: children
//! stored inside their parent, one-to-few, one-to-one), and a child whose
//! reference is optional stays. A many-to-many relationship names no
//! children: its pairs (DynamoDB link items, MongoDB id arrays) go with either
//! side, and the records on the other side stay.

use serde::{Deserialize, Serialize};

use super::decode::{join, Obj, Reader};
use super::relations::reference_field;
use super::Finding;
use super::{Cardinality, Design, Relationship};

/// How deep a cascade follows children of children; deeper ones are left
/// (designs nest two or three levels; this bounds a cycle of cascades too).
pub const MAX_CASCADE_DEPTH: usize = 8;

/// What a delete of the parent does to the children of a relationship.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum OnDelete {
    /// The children are deleted with their parent.
    Cascade,
    /// The children stay.
    Keep,
}

impl OnDelete {
    pub const NAMES: [&'static str; 2] = ["cascade", "keep"];

    /// Its name in the design format.
    pub fn name(self) -> &'static str {
        match self {
            OnDelete::Cascade => "cascade",
            OnDelete::Keep => "keep",
        }
    }
}

/// The children one relationship's cascade deletes, and theirs.
#[derive(Clone, Debug, PartialEq)]
pub struct CascadeStep {
    /// The relationship, by its position in the design.
    pub relationship: usize,
    /// The parent entity.
    pub parent: String,
    /// The child entity.
    pub child: String,
    /// The child's field holding the parent's id (`authorId`).
    pub reference: String,
    /// About how many children one parent has (the relationship's `expectedCount`).
    pub expected_count: u64,
    /// The cascades of the children's own children.
    pub then: Vec<CascadeStep>,
}

impl CascadeStep {
    /// Every step of the tree, this one first, depth first.
    pub fn flatten(&self) -> Vec<&CascadeStep> {
        let mut out = vec![self];
        for t in &self.then {
            out.extend(t.flatten());
        }
        out
    }

    /// About how many records the step deletes per deleted top parent, its
    /// children's cascades included: `parents` parents of this step's parent
    /// entity, `expected_count` children each.
    pub fn deleted(&self, parents: u64) -> u64 {
        let own = parents.saturating_mul(self.expected_count.max(1));
        own.saturating_add(self.then.iter().map(|t| t.deleted(own)).sum::<u64>())
    }
}

impl Design {
    /// What a delete of `rel.from` does to `rel.to`: the design's `onDelete`,
    /// else the default (see the module). Many-to-many: keep (the pairs go,
    /// not the records).
    pub fn on_delete(&self, rel: &Relationship) -> OnDelete {
        if rel.cardinality == Cardinality::ManyToMany {
            return OnDelete::Keep;
        }
        if let Some(d) = rel.on_delete {
            return d;
        }
        let field = reference_field(rel);
        match self.entity(&rel.to).and_then(|c| c.field(&field)) {
            Some(f) if !f.required => OnDelete::Keep,
            _ => OnDelete::Cascade,
        }
    }

    /// The cascades of a delete of an `entity` record: one per relationship
    /// whose children go with it, each with its children's (at most
    /// [`MAX_CASCADE_DEPTH`] levels; an entity already on the way down is not
    /// followed again).
    pub fn cascades(&self, entity: &str) -> Vec<CascadeStep> {
        self.cascades_below(entity, &mut vec![entity.to_string()])
    }

    fn cascades_below(&self, entity: &str, path: &mut Vec<String>) -> Vec<CascadeStep> {
        if path.len() > MAX_CASCADE_DEPTH {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, rel) in self.relationships.iter().enumerate() {
            if rel.from != entity
                || self.on_delete(rel) != OnDelete::Cascade
                || path.contains(&rel.to)
                || self.entity(&rel.to).is_none()
            {
                continue;
            }
            path.push(rel.to.clone());
            let then = self.cascades_below(&rel.to, path);
            path.pop();
            out.push(CascadeStep {
                relationship: i,
                parent: rel.from.clone(),
                child: rel.to.clone(),
                reference: reference_field(rel),
                expected_count: rel.expected_count,
                then,
            });
        }
        out
    }

    /// The relationships whose children a delete of an `entity` record
    /// leaves behind on purpose (`keep`, said or by default), many-to-many aside.
    pub fn kept_children(&self, entity: &str) -> Vec<usize> {
        self.relationships
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.from == entity
                    && r.cardinality != Cardinality::ManyToMany
                    && self.on_delete(r) == OnDelete::Keep
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// One side of a many-to-many relationship whose pairs a delete removes: the
/// pairs naming the deleted record go with it (DynamoDB link items, MongoDB
/// ids in the other side's id arrays); the records on the other side stay.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LinkSide {
    /// The relationship, by its position in the design.
    pub relationship: usize,
    /// Whether the deleted entity is the relationship's `from` side.
    pub from: bool,
}

impl Design {
    /// The many-to-many relationships one side of which is `entity`, whose
    /// pairs with a deleted `entity` record go with it (a relationship of an
    /// entity with itself or with an entity the design lacks has none).
    pub fn link_sides(&self, entity: &str) -> Vec<LinkSide> {
        self.relationships
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.cardinality == Cardinality::ManyToMany
                    && r.from != r.to
                    && (r.from == entity || r.to == entity)
                    && self.entity(&r.from).is_some()
                    && self.entity(&r.to).is_some()
            })
            .map(|(i, r)| LinkSide {
                relationship: i,
                from: r.from == entity,
            })
            .collect()
    }

    /// About how many pairs of a many-to-many relationship one record of a
    /// side takes part in: the relationship's `expectedCount` for a `from`
    /// record; for a `to` record, the pairs spread over the `to` records
    /// (`from` volume × `expectedCount` / `to` volume), at least one.
    pub fn pairs_per_record(&self, side: LinkSide) -> u64 {
        let Some(rel) = self.relationships.get(side.relationship) else {
            return 1;
        };
        let per_from = rel.expected_count.max(1);
        if side.from {
            return per_from;
        }
        let volume = |e: &str| self.entity(e).map_or(1, |e| e.volume.max(1));
        (volume(&rel.from).saturating_mul(per_from) / volume(&rel.to)).max(1)
    }
}

impl Reader {
    /// `onDelete`: `"cascade"` or `"keep"`.
    pub(super) fn on_delete(&mut self, map: &Obj, path: &str) -> Option<OnDelete> {
        self.name(map, "onDelete", path, "onDelete", &OnDelete::NAMES)
    }
}

/// The checks of a relationship's `onDelete`: a many-to-many relationship
/// names no children to delete or keep.
pub(super) fn check(rel: &Relationship, path: &str, out: &mut Vec<Finding>) {
    if rel.on_delete.is_some() && rel.cardinality == Cardinality::ManyToMany {
        out.push(Finding::error(
            "on-delete-many-to-many",
            join(path, "onDelete"),
            "a many-to-many relationship has no children to delete or keep: its pairs (link items, id arrays) go with either side, and the records on the other side stay; remove onDelete",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_app() -> Design {
        Design::from_json(include_str!("../../designs/user-app.json"))
            .expect("the user-app example")
    }

    #[test]
    fn a_required_reference_cascades_by_default_and_an_optional_one_keeps() {
        let mut d = user_app();
        let steps = d.cascades("User");
        assert_eq!(steps.len(), 1);
        assert_eq!(
            (steps[0].child.as_str(), steps[0].reference.as_str()),
            ("Post", "authorId")
        );
        // Posts take their comments (no reference field: they live in the post).
        assert_eq!(steps[0].then.len(), 1);
        assert_eq!(steps[0].then[0].child, "Comment");
        assert!(d.kept_children("User").is_empty());
        if let Some(f) = d.entities[1]
            .fields
            .iter_mut()
            .find(|f| f.name == "authorId")
        {
            f.required = false;
        }
        assert!(d.cascades("User").is_empty());
        assert_eq!(d.kept_children("User"), vec![0]);
        d.relationships[0].on_delete = Some(OnDelete::Cascade);
        assert_eq!(d.cascades("User").len(), 1);
        d.relationships[0].on_delete = Some(OnDelete::Keep);
        assert!(d.cascades("User").is_empty());
    }

    #[test]
    fn a_cycle_of_cascades_stops() {
        let mut d = user_app();
        d.relationships.push(Relationship {
            from: "Comment".into(),
            to: "User".into(),
            cardinality: Cardinality::OneToMany,
            expected_count: 1,
            read_together: false,
            field: None,
            embed: None,
            on_delete: Some(OnDelete::Cascade),
        });
        let steps = d.cascades("User");
        let all: Vec<&str> = steps[0]
            .flatten()
            .iter()
            .map(|s| s.child.as_str())
            .collect();
        assert_eq!(all, ["Post", "Comment"]);
    }

    #[test]
    fn deleted_counts_children_of_children() {
        let d = user_app();
        // 20 posts, each with 5 comments: 20 + 100.
        assert_eq!(d.cascades("User")[0].deleted(1), 120);
    }

    #[test]
    fn on_delete_is_read_and_checked_with_its_path() {
        let mut json: serde_json::Value =
            serde_json::from_str(include_str!("../../designs/user-app.json")).expect("json");
        json["relationships"][0]["onDelete"] = "keep".into();
        let d = Design::from_json(&json.to_string()).expect("reads");
        assert_eq!(d.relationships[0].on_delete, Some(OnDelete::Keep));
        json["relationships"][0]["onDelete"] = "drop".into();
        let findings = Design::from_json(&json.to_string()).expect_err("refused");
        assert!(
            findings
                .iter()
                .any(|f| f.path == "relationships[0].onDelete" && f.message.contains("\"drop\"")),
            "{findings:?}"
        );
        let mut d = user_app();
        d.relationships[1].cardinality = Cardinality::ManyToMany;
        d.relationships[1].on_delete = Some(OnDelete::Cascade);
        let mut out = Vec::new();
        check(&d.relationships[1], "relationships[1]", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].path, "relationships[1].onDelete");
    }
}
