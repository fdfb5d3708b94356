//! The playground's state: the design being edited, its undo history, and where it is saved.
//!
//! Everything here is plain Rust (no `web_sys`, no `gloo`) so it is unit-tested natively. The
//! side effects (localStorage, the URL) react to this state in `app.rs` and `hooks/`.

use std::rc::Rc;

use schemaplay_core::model::{
    rename_entity, rename_field, AccessPattern, BillingMode, Cardinality, CounterChoice, Design,
    Entity, Field, FieldType, IndexChoice, KeyTemplate, MongoIndex, PatternKind, Position,
    Projection, Relationship, Ttl,
};
use yew::Reducible;

/// How many edits undo remembers.
pub const HISTORY_LIMIT: usize = 100;

/// Where the design on screen came from, which decides where edits are saved.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// One of the user's saved designs, by its storage id; edits autosave there.
    Saved(String),
    /// Opened from a share link or an example: nothing is saved until the first edit, which
    /// makes it `Saved` under this new id of its own, so a link never overwrites a saved design.
    Unsaved(String),
}

/// The design on screen and its undo history. Designs are shared, never copied, between the
/// states of successive actions: an edit makes one new design and moves pointers.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub design: Rc<Design>,
    pub origin: Origin,
    past: Vec<Rc<Design>>,
    future: Vec<Rc<Design>>,
    /// Bumped on every change of `design`, so effects can depend on a number.
    pub revision: u64,
}

/// A design with nothing in it yet, named so the saved list can show it.
pub fn blank_design() -> Design {
    Design {
        name: "Untitled design".to_string(),
        ..Design::default()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Show another design (an example, a saved one, a share link, an import) and forget the
    /// history of the previous one.
    Open {
        design: Design,
        origin: Origin,
    },
    /// Replace the whole design as one undoable edit (the JSON view).
    Replace(Design),
    /// The collection an entity's documents go to; empty for the derived name.
    SetCollection {
        entity: String,
        name: String,
    },
    SetTableName(String),
    SetPartitionKey(String),
    SetSortKey(String),
    SetBillingMode(BillingMode),
    /// Declare a global secondary index (named `Index1`, `Index2`, ...).
    AddIndex,
    SetIndex {
        index: usize,
        choice: IndexChoice,
    },
    DeleteIndex(usize),
    /// What a secondary index (derived or declared) projects; None for the derived choice.
    SetProjection {
        index: String,
        projection: Option<Projection>,
    },
    /// A count or aggregate pattern kept in a counter item or read from the items
    /// (`dynamo.counters`); None for the derived choice.
    SetCounter {
        pattern: String,
        choice: Option<CounterChoice>,
    },
    /// Record one layout alternative: the setting the worker's derivation gave it
    /// (`schemaplay_core::alternatives::Alternative::setting`), written into the design.
    ApplyAlternative {
        setting: schemaplay_core::alternatives::Setting,
    },
    /// Forget the diagram's positions, so every box goes back to its automatic place.
    ClearPositions,
    /// When entity `index`'s items expire (`ttl`); `None`: they never do.
    SetTtl {
        index: usize,
        ttl: Option<Ttl>,
    },
    /// The MongoDB indexes the design declares (`mongo.indexes`), the whole list at once.
    SetMongoIndexes(Vec<MongoIndex>),
    SetName(String),
    SetDescription(String),
    /// The field that identifies an entity's items; `None` lets schemaplay find or make it.
    SetEntityId {
        index: usize,
        id: Option<String>,
    },
    /// An entity's key template override; `None` goes back to the derived one.
    SetKeyTemplate {
        entity: String,
        template: Option<KeyTemplate>,
    },
    AddEntity,
    /// Rename an entity and everything that names it, its id with it when the id is named
    /// after it (`schemaplay_core::model::rename_entity`). A name that is taken or not valid
    /// changes nothing.
    RenameEntity {
        index: usize,
        name: String,
    },
    /// Rename the field at `path` (`profile.city`) of entity `entity` to `name`, and everything
    /// that names it (`schemaplay_core::model::rename_field`).
    RenameField {
        entity: usize,
        path: String,
        name: String,
    },
    DeleteEntity(usize),
    /// Move an entity one place up (`-1`) or down (`1`).
    MoveEntity {
        index: usize,
        by: isize,
    },
    SetVolume {
        index: usize,
        volume: u64,
    },
    SetFields {
        index: usize,
        fields: Vec<Field>,
    },
    AddRelationship,
    /// Add a relationship the editor inferred (the one a `ref` field implies).
    AddInferredRelationship(Relationship),
    SetRelationship {
        index: usize,
        relationship: Relationship,
    },
    DeleteRelationship(usize),
    AddPattern,
    SetPattern {
        index: usize,
        pattern: AccessPattern,
    },
    DeletePattern(usize),
    SetPosition {
        entity: String,
        position: Position,
    },
    Undo,
    Redo,
    /// The user works on the design outside it (the console's script): an unsaved design gets
    /// its own slot now, as on a first edit, so that work outlasts a reload. The design, its
    /// history and its revision stay as they are.
    Keep,
}

impl State {
    pub fn new(design: Design, origin: Origin) -> Self {
        State {
            design: Rc::new(design),
            origin,
            past: Vec::new(),
            future: Vec::new(),
            revision: 0,
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }

    /// Applies an action, returning the next state (the reducer's pure core). The history's
    /// designs are shared with this state, not copied.
    pub fn apply(&self, action: Action) -> State {
        match action {
            Action::Open { design, origin } => State {
                revision: self.revision + 1,
                ..State::new(design, origin)
            },
            Action::Undo => self.step(|s| &mut s.past, |s| &mut s.future),
            Action::Redo => self.step(|s| &mut s.future, |s| &mut s.past),
            Action::Keep => {
                let mut next = self.clone();
                if let Origin::Unsaved(id) = &next.origin {
                    next.origin = Origin::Saved(id.clone());
                }
                next
            }
            edit => {
                let mut design = (*self.design).clone();
                edit_design(&mut design, edit);
                if design == *self.design {
                    return self.clone();
                }
                let mut next = self.clone();
                next.past
                    .push(std::mem::replace(&mut next.design, Rc::new(design)));
                if next.past.len() > HISTORY_LIMIT {
                    next.past.remove(0);
                }
                next.future.clear();
                next.revision += 1;
                // The first edit of an unsaved design gives it its own slot.
                if let Origin::Unsaved(id) = &next.origin {
                    next.origin = Origin::Saved(id.clone());
                }
                next
            }
        }
    }

    /// Undo or redo: the top of `from` becomes the design, which goes on top of `to`.
    fn step(
        &self,
        from: fn(&mut State) -> &mut Vec<Rc<Design>>,
        to: fn(&mut State) -> &mut Vec<Rc<Design>>,
    ) -> State {
        let mut next = self.clone();
        let Some(design) = from(&mut next).pop() else {
            return next;
        };
        let current = std::mem::replace(&mut next.design, design);
        to(&mut next).push(current);
        next.revision += 1;
        next
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

/// Applies one edit to a design. Indexes out of range leave the design as it is: they can only
/// come from a stale event, and doing nothing is the safe answer.
fn edit_design(design: &mut Design, edit: Action) {
    match edit {
        Action::Replace(replacement) => *design = replacement,
        Action::SetName(name) => design.name = name,
        Action::SetDescription(text) => design.description = text.trim().to_string(),
        Action::SetEntityId { index, id } => {
            if let Some(entity) = design.entities.get_mut(index) {
                entity.id = id;
            }
        }
        Action::AddEntity => {
            let name = fresh_name(design, "Entity");
            design.entities.push(Entity {
                fields: vec![Field {
                    required: true,
                    unique: true,
                    ..Field::new(&format!("{}Id", lower_first(&name)), FieldType::String)
                }],
                volume: 1000,
                ..Entity {
                    name,
                    ..Entity::default()
                }
            });
        }
        Action::RenameEntity { index, name } => {
            if let Some(old) = design.entities.get(index) {
                if let Ok(renamed) = rename_entity(design, &old.name, name.trim()) {
                    *design = renamed;
                }
            }
        }
        Action::RenameField { entity, path, name } => {
            if let Some(owner) = design.entities.get(entity) {
                if let Ok(renamed) = rename_field(design, &owner.name, &path, name.trim()) {
                    *design = renamed;
                }
            }
        }
        Action::DeleteEntity(index) => {
            if index < design.entities.len() {
                let removed = design.entities.remove(index);
                design
                    .relationships
                    .retain(|r| r.from != removed.name && r.to != removed.name);
                design.access_patterns.retain(|p| p.entity != removed.name);
                design.positions.remove(&removed.name);
            }
        }
        Action::MoveEntity { index, by } => {
            let Some(target) = index.checked_add_signed(by) else {
                return;
            };
            if index < design.entities.len() && target < design.entities.len() {
                design.entities.swap(index, target);
            }
        }
        Action::SetVolume { index, volume } => {
            if let Some(entity) = design.entities.get_mut(index) {
                entity.volume = volume;
            }
        }
        Action::SetFields { index, fields } => {
            if let Some(entity) = design.entities.get_mut(index) {
                entity.fields = fields;
            }
        }
        Action::AddRelationship => {
            let from = design.entities.first().map(|e| e.name.clone());
            let to = design.entities.get(1).or(design.entities.first());
            if let (Some(from), Some(to)) = (from, to.map(|e| e.name.clone())) {
                design.relationships.push(Relationship {
                    from,
                    to,
                    cardinality: Cardinality::OneToMany,
                    expected_count: 10,
                    read_together: false,
                    field: None,
                    embed: None,
                    on_delete: None,
                });
            }
        }
        Action::AddInferredRelationship(relationship) => {
            if !design.relationships.contains(&relationship) {
                design.relationships.push(relationship);
            }
        }
        Action::SetRelationship {
            index,
            relationship,
        } => {
            if let Some(slot) = design.relationships.get_mut(index) {
                *slot = relationship;
            }
        }
        Action::DeleteRelationship(index) => {
            if index < design.relationships.len() {
                design.relationships.remove(index);
            }
        }
        Action::AddPattern => {
            if let Some(entity) = design.entities.first() {
                let name = format!("pattern {}", design.access_patterns.len() + 1);
                let mut pattern = AccessPattern::new(&name, &entity.name, PatternKind::GetOne);
                pattern.equality = vec![entity.id_name()];
                pattern.requests_per_second = 10.0;
                design.access_patterns.push(pattern);
            }
        }
        Action::SetPattern { index, pattern } => {
            let (new, renamed) = (
                pattern.name.clone(),
                design.access_patterns.get(index).map(|p| p.name.clone()),
            );
            if let Some(slot) = design.access_patterns.get_mut(index) {
                *slot = pattern;
            }
            // The transactions naming the pattern follow its rename.
            if let Some(old) = renamed.filter(|old| *old != new) {
                design.rename_transaction_parts(&old, &new);
            }
        }
        Action::DeletePattern(index) => {
            if index < design.access_patterns.len() {
                let gone = design.access_patterns.remove(index);
                design.forget_transaction_parts(&gone.name);
            }
        }
        Action::SetPosition { entity, position } => {
            design.positions.insert(entity, position);
        }
        Action::ClearPositions => design.positions.clear(),
        choice => edit_choices(design, choice),
    }
}

/// Applies an edit of the database choices (collection names, the table, its indexes).
fn edit_choices(design: &mut Design, edit: Action) {
    match edit {
        Action::SetCollection { entity, name } => {
            let name = name.trim();
            if name.is_empty() {
                design.mongo.collections.remove(&entity);
            } else {
                design.mongo.collections.insert(entity, name.to_string());
            }
        }
        Action::SetTableName(name) => set_non_empty(&mut design.dynamo.table_name, name),
        Action::SetPartitionKey(name) => set_non_empty(&mut design.dynamo.partition_key, name),
        Action::SetSortKey(name) => set_non_empty(&mut design.dynamo.sort_key, name),
        Action::SetBillingMode(mode) => design.dynamo.billing_mode = mode,
        Action::SetMongoIndexes(indexes) => design.mongo.indexes = indexes,
        Action::SetTtl { index, ttl } => {
            if let Some(entity) = design.entities.get_mut(index) {
                entity.ttl = ttl;
            }
        }
        Action::SetKeyTemplate { entity, template } => match template {
            Some(t) => {
                design.dynamo.key_templates.insert(entity, t);
            }
            None => {
                design.dynamo.key_templates.remove(&entity);
            }
        },
        Action::ApplyAlternative { setting } => setting.apply(design),
        Action::AddIndex => {
            let indexes = &design.dynamo.indexes;
            let name = (1..)
                .map(|n| format!("Index{n}"))
                .find(|name| indexes.iter().all(|ix| &ix.name != name))
                .unwrap_or_default();
            design.dynamo.indexes.push(IndexChoice {
                name,
                partition_key: "email".to_string(),
                sort_key: None,
                local: false,
            });
        }
        Action::SetIndex { index, choice } => {
            if let Some(slot) = design.dynamo.indexes.get_mut(index) {
                *slot = choice;
            }
        }
        Action::DeleteIndex(index) if index < design.dynamo.indexes.len() => {
            design.dynamo.indexes.remove(index);
        }
        Action::SetProjection { index, projection } => match projection {
            Some(p) => {
                design.dynamo.projections.insert(index, p);
            }
            None => {
                design.dynamo.projections.remove(&index);
            }
        },
        Action::SetCounter { pattern, choice } => match choice {
            Some(c) => {
                design.dynamo.counters.insert(pattern, c);
            }
            None => {
                design.dynamo.counters.remove(&pattern);
            }
        },
        // Opening, undo, redo and keeping are not edits of a design, the other edits are above, and an
        // index out of range can only come from a stale event.
        _ => {}
    }
}

/// Sets a name that must not be empty; an empty (or blank) one leaves it as it is.
fn set_non_empty(slot: &mut String, name: String) {
    let name = name.trim();
    if !name.is_empty() {
        *slot = name.to_string();
    }
}

/// `Entity`, then `Entity2`, `Entity3`, ... whichever is free.
fn fresh_name(design: &Design, base: &str) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}{n}")
            }
        })
        .find(|name| design.entity(name).is_none())
        .unwrap_or_else(|| base.to_string())
}

fn lower_first(name: &str) -> String {
    schemaplay_core::model::lower_first(name)
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// A blank design that is not saved yet; its first edit saves it as `slot`.
    fn blank() -> State {
        State::new(blank_design(), Origin::Unsaved("slot".into()))
    }

    /// Applies the actions to a blank design and shows the resulting design in brief, with
    /// whether undo and redo are possible.
    fn check(actions: Vec<Action>, expect: Expect) {
        let mut state = blank();
        for action in actions {
            state = state.apply(action);
        }
        let d = &state.design;
        let mut out = format!("name: {}\n", d.name);
        for e in &d.entities {
            let fields: Vec<String> = e
                .fields
                .iter()
                .map(|f| format!("{}:{}", f.name, f.ty))
                .collect();
            out += &format!("entity {} ({}) [{}]\n", e.name, e.volume, fields.join(", "));
        }
        for r in &d.relationships {
            out += &format!("rel {} -> {} {}\n", r.from, r.to, r.cardinality.phrase());
        }
        for p in &d.access_patterns {
            out += &format!("pattern {} on {} by {:?}\n", p.name, p.entity, p.equality);
        }
        for (name, pos) in &d.positions {
            out += &format!("at {name} {} {}\n", pos.x, pos.y);
        }
        for (entity, name) in &d.mongo.collections {
            out += &format!("collection of {entity}: {name}\n");
        }
        let t = &d.dynamo;
        if *t != blank_design().dynamo {
            out += &format!(
                "table {} ({}, {}) {:?}\n",
                t.table_name, t.partition_key, t.sort_key, t.billing_mode
            );
        }
        for ix in &t.indexes {
            out += &format!(
                "index {} on {} {:?}\n",
                ix.name, ix.partition_key, ix.sort_key
            );
        }
        for (index, projection) in &t.projections {
            out += &format!("projection of {index}: {projection:?}\n");
        }
        out += &format!("undo: {}, redo: {}", state.can_undo(), state.can_redo());
        expect.assert_eq(&out);
    }

    #[test]
    fn sets_and_clears_index_projections() {
        let set = |index: &str, projection: Option<Projection>| Action::SetProjection {
            index: index.into(),
            projection,
        };
        check(
            vec![
                set("GSI1", Some(Projection::KeysOnly)),
                set("GSI2", Some(Projection::Include(vec!["name".into()]))),
                set("GSI1", None),
            ],
            expect![[r#"
                name: Untitled design
                table app-data (PK, SK) OnDemand
                projection of GSI2: Include(["name"])
                undo: true, redo: false"#]],
        );
    }

    #[test]
    fn adds_entities_with_fresh_names() {
        check(
            vec![
                Action::AddEntity,
                Action::AddEntity,
                Action::SetName("blog".into()),
            ],
            expect![[r#"
                name: blog
                entity Entity (1000) [entityId:string]
                entity Entity2 (1000) [entity2Id:string]
                undo: true, redo: false"#]],
        );
    }

    #[test]
    fn renames_every_reference() {
        check(
            vec![
                Action::AddEntity,
                Action::AddEntity,
                Action::SetFields {
                    index: 1,
                    fields: vec![Field::new("author", FieldType::Ref("Entity".into()))],
                },
                Action::AddRelationship,
                Action::AddPattern,
                Action::SetPosition {
                    entity: "Entity".into(),
                    position: Position { x: 1.0, y: 2.0 },
                },
                Action::RenameEntity {
                    index: 0,
                    name: " User ".into(),
                },
                // A name already taken is refused.
                Action::RenameEntity {
                    index: 1,
                    name: "User".into(),
                },
            ],
            expect![[r#"
                name: Untitled design
                entity User (1000) [userId:string]
                entity Entity2 (1000) [author:ref<User>]
                rel User -> Entity2 one-to-many
                pattern pattern 1 on User by ["userId"]
                at User 1 2
                undo: true, redo: false"#]],
        );
    }

    #[test]
    fn renaming_a_field_renames_the_patterns_using_it_in_one_step() {
        let fields = vec![
            Field::new("entityId", FieldType::String),
            Field::new(
                "profile",
                FieldType::Object(vec![Field::new("city", FieldType::String)]),
            ),
        ];
        let mut state = blank()
            .apply(Action::AddEntity)
            .apply(Action::SetFields { index: 0, fields })
            .apply(Action::AddPattern);
        let mut pattern = state.design.access_patterns[0].clone();
        pattern.equality = vec!["profile.city".into()];
        state = state.apply(Action::SetPattern { index: 0, pattern });
        let before = state.clone();
        state = state.apply(Action::RenameField {
            entity: 0,
            path: "profile.city".into(),
            name: " town ".into(),
        });
        let renamed = &state.design.access_patterns[0].equality;
        assert_eq!(renamed, &vec!["profile.town".to_string()]);
        // One undo step brings back the field and the pattern together.
        assert_eq!(state.apply(Action::Undo).design, before.design);
        // A name that is taken changes nothing and records nothing.
        let refused = state.apply(Action::RenameField {
            entity: 0,
            path: "profile".into(),
            name: "entityId".into(),
        });
        assert_eq!(refused, state);
    }

    #[test]
    fn deleting_an_entity_removes_what_hangs_on_it() {
        check(
            vec![
                Action::AddEntity,
                Action::AddEntity,
                Action::AddRelationship,
                Action::AddPattern,
                Action::DeleteEntity(0),
                Action::DeleteEntity(7),
                Action::MoveEntity { index: 0, by: -1 },
            ],
            expect![[r#"
                name: Untitled design
                entity Entity2 (1000) [entity2Id:string]
                undo: true, redo: false"#]],
        );
    }

    #[test]
    fn undo_and_redo() {
        check(
            vec![
                Action::AddEntity,
                Action::AddEntity,
                Action::Undo,
                Action::Undo,
                Action::Redo,
            ],
            expect![[r#"
                name: Untitled design
                entity Entity (1000) [entityId:string]
                undo: true, redo: true"#]],
        );
        // A new edit drops the redo history; an edit that changes nothing is not recorded.
        check(
            vec![
                Action::AddEntity,
                Action::Undo,
                Action::SetName("x".into()),
                Action::SetName("x".into()),
                Action::Redo,
                Action::Undo,
            ],
            expect![[r#"
                name: Untitled design
                undo: false, redo: true"#]],
        );
    }

    #[test]
    fn history_is_bounded() {
        let mut state = blank();
        for n in 0..(HISTORY_LIMIT + 20) {
            state = state.apply(Action::SetVolume {
                index: 0,
                volume: n as u64,
            });
            state = state.apply(Action::SetName(n.to_string()));
        }
        assert_eq!(state.past.len(), HISTORY_LIMIT);
    }

    #[test]
    fn opening_forgets_history() {
        check(
            vec![
                Action::AddEntity,
                Action::Open {
                    design: Design {
                        name: "opened".into(),
                        ..Design::default()
                    },
                    origin: Origin::Unsaved("other".into()),
                },
            ],
            expect![[r#"
                name: opened
                undo: false, redo: false"#]],
        );
    }

    #[test]
    fn the_forms_edit_what_only_the_json_view_could() {
        let mut state = blank()
            .apply(Action::AddEntity)
            .apply(Action::SetDescription("  notes  ".into()))
            .apply(Action::SetEntityId {
                index: 0,
                id: Some("entityId".into()),
            })
            .apply(Action::SetKeyTemplate {
                entity: "Entity".into(),
                template: Some(KeyTemplate {
                    pk: "E#<entityId>".into(),
                    sk: "E".into(),
                }),
            });
        let offered = Relationship {
            from: "Entity".into(),
            to: "Entity".into(),
            cardinality: Cardinality::OneToMany,
            expected_count: 3,
            read_together: false,
            field: Some("parentId".into()),
            embed: None,
            on_delete: None,
        };
        state = state.apply(Action::AddInferredRelationship(offered.clone()));
        // The same offer taken twice adds it once.
        state = state.apply(Action::AddInferredRelationship(offered.clone()));
        let d = &state.design;
        assert_eq!(d.description, "notes");
        assert_eq!(d.entities[0].id.as_deref(), Some("entityId"));
        let template = d.dynamo.key_templates.get("Entity").map(|t| t.pk.as_str());
        assert_eq!(template, Some("E#<entityId>"));
        assert_eq!(d.relationships, vec![offered]);
        state = state
            .apply(Action::SetKeyTemplate {
                entity: "Entity".into(),
                template: None,
            })
            .apply(Action::SetEntityId { index: 0, id: None });
        assert!(state.design.dynamo.key_templates.is_empty());
        assert_eq!(state.design.entities[0].id, None);
    }

    #[test]
    fn database_choices_are_edits_of_their_own() {
        check(
            vec![
                Action::AddEntity,
                Action::SetCollection {
                    entity: "Entity".into(),
                    name: " people ".into(),
                },
                Action::SetTableName("main".into()),
                Action::SetPartitionKey("pk".into()),
                // An empty key name is refused: a table needs one.
                Action::SetSortKey(" ".into()),
                Action::SetBillingMode(BillingMode::Provisioned),
                Action::AddIndex,
                Action::AddIndex,
                Action::SetIndex {
                    index: 1,
                    choice: IndexChoice {
                        name: "ByCity".into(),
                        partition_key: "city".into(),
                        sort_key: Some("createdAt".into()),
                        local: false,
                    },
                },
                Action::DeleteIndex(0),
                Action::DeleteIndex(9),
                Action::SetPosition {
                    entity: "Entity".into(),
                    position: Position { x: 1.0, y: 2.0 },
                },
                Action::ClearPositions,
            ],
            expect![[r#"
                name: Untitled design
                entity Entity (1000) [entityId:string]
                collection of Entity: people
                table main (pk, SK) Provisioned
                index ByCity on city Some("createdAt")
                undo: true, redo: false"#]],
        );
        // Clearing the collection name goes back to the derived one.
        check(
            vec![
                Action::AddEntity,
                Action::SetCollection {
                    entity: "Entity".into(),
                    name: "people".into(),
                },
                Action::SetCollection {
                    entity: "Entity".into(),
                    name: String::new(),
                },
            ],
            expect![[r#"
                name: Untitled design
                entity Entity (1000) [entityId:string]
                undo: true, redo: false"#]],
        );
    }

    /// An unsaved design becomes saved under its reserved id by its first edit, in the same
    /// step (nothing else has to be dispatched to save it); opening, undoing and a change that
    /// changes nothing do not save it.
    #[test]
    fn the_first_edit_saves_an_unsaved_design() {
        let state = blank();
        assert_eq!(
            state.apply(Action::Undo).origin,
            Origin::Unsaved("slot".into())
        );
        assert_eq!(
            state
                .apply(Action::SetName(state.design.name.clone()))
                .origin,
            Origin::Unsaved("slot".into())
        );
        let edited = state.apply(Action::AddEntity);
        assert_eq!(edited.origin, Origin::Saved("slot".into()));
        assert_eq!(edited.revision, state.revision + 1);
        assert_eq!(
            edited.apply(Action::AddEntity).origin,
            Origin::Saved("slot".into())
        );
    }

    /// Keeping a design saves an unsaved one without changing it: the data generated from this
    /// revision is still the design's.
    #[test]
    fn keeping_saves_without_an_edit() {
        let state = blank();
        let kept = state.apply(Action::Keep);
        assert_eq!(kept.origin, Origin::Saved("slot".into()));
        assert_eq!(kept.revision, state.revision);
        assert!(Rc::ptr_eq(&kept.design, &state.design));
        assert!(!kept.can_undo());
        assert_eq!(kept.apply(Action::Keep), kept);
    }

    /// Edits, undo and redo share the designs they do not change: the history holds the same
    /// designs, not copies of them.
    #[test]
    fn history_shares_designs() {
        let first = blank().apply(Action::AddEntity);
        let second = first.apply(Action::SetName("b".into()));
        assert!(Rc::ptr_eq(&second.past[1], &first.design));
        assert!(Rc::ptr_eq(&second.past[0], &first.past[0]));
        let undone = second.apply(Action::Undo);
        assert!(Rc::ptr_eq(&undone.design, &first.design));
        assert!(Rc::ptr_eq(&undone.future[0], &second.design));
        let redone = undone.apply(Action::Redo);
        assert!(Rc::ptr_eq(&redone.design, &second.design));
    }

    #[test]
    fn transactions_follow_a_renamed_or_deleted_pattern() {
        let shop = schemaplay_core::examples::get("ecommerce")
            .map(|e| e.design)
            .unwrap_or_default();
        let reserve = shop
            .access_patterns
            .iter()
            .position(|p| p.name == "Reserve stock");
        let Some(index) = reserve else {
            panic!("ecommerce has no Reserve stock");
        };
        let state = State::new(shop.clone(), Origin::Unsaved("slot".into()));
        let mut pattern = shop.access_patterns[index].clone();
        pattern.name = "Take stock".into();
        let renamed = state.apply(Action::SetPattern { index, pattern });
        let parts = |state: &State| -> Vec<String> {
            state
                .design
                .access_patterns
                .iter()
                .flat_map(|p| {
                    p.transaction
                        .iter()
                        .map(|t| format!("{}: {} x{}", p.name, t.pattern, t.count))
                })
                .collect()
        };
        assert_eq!(parts(&renamed), vec!["Place order: Take stock x3"]);
        let deleted = renamed.apply(Action::DeletePattern(index));
        assert_eq!(parts(&deleted), Vec::<String>::new());
        assert!(schemaplay_core::validate(&deleted.design)
            .iter()
            .all(|f| f.severity != schemaplay_core::Severity::Error));
    }

    #[test]
    fn applying_an_alternative_records_it_as_one_undoable_edit() {
        let user_app = schemaplay_core::examples::get("user-app")
            .map(|e| e.design)
            .unwrap_or_default();
        let state = State::new(user_app.clone(), Origin::Unsaved("slot".into()));
        // The setting each alternative carries, as the worker's derivation answers it.
        let pick = |state: &State, choice: &str, alternative: &str| {
            let choices = schemaplay_core::alternatives::alternatives(&state.design);
            let setting = choices
                .iter()
                .filter(|c| c.id == choice)
                .flat_map(|c| &c.alternatives)
                .find(|a| a.key == alternative)
                .map(|a| a.setting.clone());
            match setting {
                Some(setting) => state.apply(Action::ApplyAlternative { setting }),
                None => state.clone(),
            }
        };
        let sketched = pick(&state, "placement:Post", "parentById");
        let post = sketched.design.dynamo.key_templates.get("Post");
        assert_eq!(
            post.map(|t| format!("{} / {}", t.pk, t.sk)).as_deref(),
            Some("USER#<authorId> / POST#<postId>")
        );
        assert!(sketched.can_undo());
        assert_eq!(*sketched.apply(Action::Undo).design, user_app);
        // The alternative the design has now changes nothing and adds no history.
        let same = pick(&sketched, "placement:Post", "parentById");
        assert_eq!(same.revision, sketched.revision);
    }

    #[test]
    fn sets_and_clears_a_counter_choice() {
        let user_app = schemaplay_core::examples::get("user-app")
            .map(|e| e.design)
            .unwrap_or_default();
        let state = State::new(user_app.clone(), Origin::Unsaved("slot".into()));
        let set = |state: &State, choice| {
            state.apply(Action::SetCounter {
                pattern: "Count users per city".into(),
                choice,
            })
        };
        let read = set(&state, Some(CounterChoice::Read));
        assert_eq!(
            read.design.dynamo.counters.get("Count users per city"),
            Some(&CounterChoice::Read)
        );
        let cleared = set(&read, None);
        assert_eq!(cleared.design.dynamo.counters.len(), 0);
        assert_eq!(*cleared.design, user_app);
    }
}
