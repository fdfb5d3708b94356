//! What the verifier reads from a design, computed once: each entity's id, the relationship
//! that makes it a child, the children that come with it, its unique fields. Everything here
//! is a property of the design, not of either layout.

use schemaplay_core::model::lower_first;
use schemaplay_core::model::relations::{key_identity, KeyPart};
use schemaplay_core::{
    AccessPattern, Cardinality, Design, Entity, FieldType, PatternKind, Relationship,
};

/// The facts about one entity.
#[derive(Clone, Debug)]
pub struct EntityInfo {
    pub name: String,
    /// The identifying attribute: the declared id field, or `<entity>Id`.
    pub id: String,
    pub id_type: FieldType,
    /// Whether the design declares the id field (otherwise it exists only for the verifier
    /// and the layouts that need it).
    pub declared_id: bool,
    /// Whether the writer makes each id new (see [`EntityInfo::chosen_id`]).
    pub writer_made_id: bool,
    /// Whether the entity keeps its id when stored inside its parent (core's
    /// `embedded_keeps_id`).
    pub embedded_keeps_id: bool,
    /// The relationship whose child this entity is, if any.
    pub owner: Option<Owner>,
    /// Relationships whose children come with an insert of this entity: read together and
    /// one-to-one or one-to-few, the children live and die with the parent (order lines).
    pub composite: Vec<usize>,
    /// Relationships whose children a `getOne` of this entity returns with it.
    pub read_with: Vec<usize>,
    /// Unique fields other than the id.
    pub uniques: Vec<String>,
    /// Unique fields whose uniqueness ignores letter case: some pattern looks them up that way.
    pub unique_ignoring_case: Vec<String>,
    /// Fields unique together, when the entity's key template identifies its records by them
    /// rather than by the id (core's `key_identity`: a SQL composite primary key).
    pub identity: Vec<KeyPart>,
    /// Many-to-many relationships whose id arrays this entity's records hold: the relationship,
    /// the field, the other entity.
    pub holds: Vec<(usize, String, usize)>,
}

/// How a child points at its parent.
#[derive(Clone, Debug)]
pub struct Owner {
    pub relationship: usize,
    pub parent: usize,
    /// The attribute holding the parent's id: a declared reference field, or (not declared)
    /// `<parent>Id`, which the records carry for the layouts' keys.
    pub link: String,
    pub declared: bool,
    /// Whether a layout stores the children inside their parent (an embedded MongoDB
    /// document, a DynamoDB item attribute): such a child exists only in an existing parent.
    pub embedded: bool,
}

/// A design and the facts about its entities.
pub struct Schema<'a> {
    pub design: &'a Design,
    pub entities: Vec<EntityInfo>,
    /// The paged lists both layouts read page after page (see [`crate::paging`]).
    pub paged: Vec<String>,
}

impl<'a> Schema<'a> {
    pub fn new(design: &'a Design) -> Schema<'a> {
        let mongo = schemaplay_core::mongo::layout(design);
        let paged =
            crate::paging::pageable(design, &mongo, &schemaplay_core::dynamo::layout(design));
        let mongo_embeds: Vec<usize> = mongo
            .decisions
            .iter()
            .filter(|d| d.embed)
            .map(|d| d.relationship)
            .collect();
        let entities = design
            .entities
            .iter()
            .map(|e| {
                let mut info = EntityInfo::new(design, e);
                if let Some(owner) = info.owner.as_mut() {
                    let rel = design.relationships.get(owner.relationship);
                    owner.embedded = mongo_embeds.contains(&owner.relationship)
                        || rel
                            .is_some_and(|r| schemaplay_core::dynamo::embedded_in_item(design, r));
                }
                info
            })
            .collect();
        Schema {
            design,
            entities,
            paged,
        }
    }

    pub fn index(&self, entity: &str) -> Option<usize> {
        self.entities.iter().position(|e| e.name == entity)
    }

    pub fn entity(&self, i: usize) -> Option<&Entity> {
        self.design.entities.get(i)
    }

    pub fn info(&self, i: usize) -> Option<&EntityInfo> {
        self.entities.get(i)
    }

    /// The id type of an entity by name (`String` for an unknown one).
    pub fn id_type(&self, entity: &str) -> FieldType {
        self.index(entity)
            .and_then(|i| self.info(i))
            .map_or(FieldType::String, |e| e.id_type.clone())
    }

    /// The declared type of a dotted path of an entity, counting the id, the link to its parent
    /// and the id arrays it holds.
    pub fn field_type(&self, entity: usize, path: &str) -> Option<FieldType> {
        let (e, info) = (self.entity(entity)?, self.info(entity)?);
        if path == info.id {
            return Some(info.id_type.clone());
        }
        if let Some(f) = e.field_path(path) {
            return Some(f.ty.clone());
        }
        if let Some(owner) = info.owner.as_ref().filter(|o| o.link == path) {
            return Some(self.info(owner.parent)?.id_type.clone());
        }
        let (_, _, other) = info.holds.iter().find(|(_, f, _)| f == path)?;
        Some(FieldType::Array(Box::new(
            self.info(*other)?.id_type.clone(),
        )))
    }

    /// A pattern of the design with the position of its entity.
    pub fn pattern(&self, i: usize) -> Option<(&'a AccessPattern, usize)> {
        let p = self.design.access_patterns.get(i)?;
        Some((p, self.index(&p.entity)?))
    }

    /// The relationships whose children a `getOne` of the entity returns with it, each with its
    /// position and the child entity's.
    pub fn read_with(&self, entity: usize) -> Vec<(usize, &'a Relationship, usize)> {
        let Some(info) = self.info(entity) else {
            return Vec::new();
        };
        info.read_with
            .iter()
            .filter_map(|i| {
                let r = self.design.relationships.get(*i)?;
                Some((*i, r, self.index(&r.to)?))
            })
            .collect()
    }

    /// The child entity of a relationship (its position in the design).
    pub fn child_of(&self, relationship: usize) -> Option<usize> {
        let r = self.design.relationships.get(relationship)?;
        self.index(&r.to)
    }

    /// The patterns of the design that read (not write).
    pub fn reads(&self) -> impl Iterator<Item = usize> + '_ {
        self.design
            .access_patterns
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.kind.is_write())
            .map(|(i, _)| i)
    }

    /// The insert pattern of an entity, when the design has one.
    pub fn insert_pattern(&self, entity: usize) -> Option<usize> {
        let name = &self.info(entity)?.name;
        self.design
            .access_patterns
            .iter()
            .position(|p| p.kind == PatternKind::Insert && p.entity == *name)
    }
}

/// How `entity` points at the parent of relationship `i`, when it is that relationship's child
/// (not many-to-many, not itself): a declared field named by the relationship, else a
/// reference to the parent, else `<parent>Id` (the layouts' own rule for the child's parent key).
pub fn parent_link(design: &Design, entity: &Entity, i: usize, r: &Relationship) -> Option<Owner> {
    if r.to != entity.name || r.from == r.to || r.cardinality == Cardinality::ManyToMany {
        return None;
    }
    let parent = design.entities.iter().position(|e| e.name == r.from)?;
    let declared = r
        .field
        .as_ref()
        .filter(|f| entity.field(f).is_some())
        .cloned()
        .or_else(|| {
            entity
                .fields
                .iter()
                .find(|f| f.ty == FieldType::Ref(r.from.clone()))
                .map(|f| f.name.clone())
        });
    Some(Owner {
        relationship: i,
        parent,
        embedded: false,
        declared: declared.is_some(),
        link: declared.unwrap_or_else(|| format!("{}Id", lower_first(&r.from))),
    })
}

impl EntityInfo {
    /// Whether the application chooses the entity's ids, so an insert may carry one already taken
    /// (a slug, a SKU, a sequence number). An ObjectId or a UUID is made new by the writer for
    /// every insert, as drivers and SDKs make them, so it is never taken; the layouts rely on that
    /// (the DynamoDB layout keeps no marker item for such ids): core's `writer_made_id`.
    pub fn chosen_id(&self) -> bool {
        !self.writer_made_id
    }

    fn new(design: &Design, entity: &Entity) -> EntityInfo {
        let id_field = entity.id_field();
        let owner = design
            .relationships
            .iter()
            .enumerate()
            .find_map(|(i, r)| parent_link(design, entity, i, r));
        let from_here = |pick: &dyn Fn(&schemaplay_core::Relationship) -> bool| -> Vec<usize> {
            design
                .relationships
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.from == entity.name
                        && r.to != entity.name
                        && r.cardinality != Cardinality::ManyToMany
                        && design.entity(&r.to).is_some()
                        && pick(r)
                })
                .map(|(i, _)| i)
                .collect()
        };
        let composite = from_here(&|r| {
            r.read_together
                && matches!(r.cardinality, Cardinality::OneToOne | Cardinality::OneToFew)
        });
        let read_with = from_here(&|r| r.read_together);
        let uniques: Vec<String> = entity
            .fields
            .iter()
            .filter(|f| f.unique && Some(f.name.as_str()) != id_field.map(|i| i.name.as_str()))
            .map(|f| f.name.clone())
            .collect();
        let unique_ignoring_case = uniques
            .iter()
            .filter(|u| {
                entity.field(u).is_some_and(|f| f.ty == FieldType::String)
                    && design.access_patterns.iter().any(|p| {
                        p.entity == entity.name && p.case_insensitive && p.equality.contains(u)
                    })
            })
            .cloned()
            .collect();
        let holds = design
            .relationships
            .iter()
            .enumerate()
            .filter(|(_, r)| r.cardinality == Cardinality::ManyToMany && r.from != r.to)
            .filter_map(|(i, r)| {
                let (holder, field, target, _) = schemaplay_core::mongo::reference(r);
                if holder != entity.name {
                    return None;
                }
                let other = design.entities.iter().position(|e| e.name == target)?;
                Some((i, field, other))
            })
            .collect();
        EntityInfo {
            name: entity.name.clone(),
            id: entity.id_name(),
            id_type: id_field.map_or(FieldType::ObjectId, |f| f.ty.clone()),
            declared_id: id_field.is_some(),
            writer_made_id: schemaplay_core::model::relations::writer_made_id(entity),
            embedded_keeps_id: schemaplay_core::model::relations::embedded_keeps_id(design, entity),
            owner,
            composite,
            read_with,
            uniques,
            unique_ignoring_case,
            identity: key_identity(design, entity),
            holds,
        }
    }
}
