//! Renames that follow: renaming a field or an entity renames everything in the
//! design that names it, so an edit in the editor never leaves a pattern, an
//! index or a key template pointing at a name that is gone.
//!
//! A field is named by its entity's patterns (equality, range, sort, fields,
//! guard, version, an aggregate's group keys and the fields it reads; dotted paths reach into embedded objects, so renaming `profile`
//! renames `profile.city` too), the entity's `id`, its key template's
//! `<field>` placeholders, the relationships whose `field` it is, and the
//! declared DynamoDB indexes keyed on it (unless another entity still has a
//! field of the old name, which the index then goes on serving).
//!
//! An entity is named by relationships, patterns, collection names, key
//! templates, positions and `ref` types. Its id field follows it when the id is
//! named after it (`userId` becomes `customerId` when `User` becomes
//! `Customer`), and so does every field and implicit name that names that id:
//! a child's reference (`userId` of a `Post`), a `ref` field of that name, the
//! implicit ids of a many-to-many pair.
//!
//! Both are pure functions: the design is taken by reference and a renamed
//! copy is returned, or why the rename cannot be done.

use std::fmt;

use super::relations::{pair_id_fields, reference_field};
use super::validate::{is_valid_entity_name, is_valid_field_name, placeholders};
use super::{Cardinality, Design, Entity, Field, FieldType, Projection, MAX_TYPE_DEPTH};
use crate::names::lower_first;

/// Why a rename was refused. The design is left as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameError {
    /// No entity has that name.
    NoEntity(String),
    /// The entity has no field at that path.
    NoField { entity: String, path: String },
    /// The new name is not a valid name.
    InvalidName { name: String, why: &'static str },
    /// The new name is taken by another entity, or by a sibling field.
    Taken { name: String, place: String },
}

impl fmt::Display for RenameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameError::NoEntity(name) => write!(f, "no entity is named \"{name}\""),
            RenameError::NoField { entity, path } => {
                write!(f, "\"{path}\" is not a field of {entity}")
            }
            RenameError::InvalidName { name, why } => {
                write!(f, "\"{name}\" is not a valid name: {why}")
            }
            RenameError::Taken { name, place } => write!(f, "{place} already has \"{name}\""),
        }
    }
}

impl std::error::Error for RenameError {}

/// Renames the field at `path` (`email`, `profile.city`) of `entity` to `name`
/// (a plain name: `profile.city` renamed to `town` becomes `profile.town`),
/// and everything that names it.
pub fn rename_field(
    design: &Design,
    entity: &str,
    path: &str,
    name: &str,
) -> Result<Design, RenameError> {
    let Some(owner) = design.entity(entity) else {
        return Err(RenameError::NoEntity(entity.to_string()));
    };
    let new_path = renamed_path(owner, path, name)?;
    let mut out = design.clone();
    if new_path != path {
        rename_path(
            &mut out,
            entity,
            &PathRename {
                old: path.to_string(),
                new: new_path,
            },
        );
    }
    Ok(out)
}

/// Why renaming the field at `path` of `entity` to `name` would be refused,
/// if it would: an editor asks before it sends the rename, to say why next to
/// the input.
pub fn field_rename_problem(entity: &Entity, path: &str, name: &str) -> Option<RenameError> {
    renamed_path(entity, path, name).err()
}

/// The path the field at `path` has once renamed to `name`, or why it cannot be.
fn renamed_path(entity: &Entity, path: &str, name: &str) -> Result<String, RenameError> {
    if entity.field_path(path).is_none() {
        return Err(RenameError::NoField {
            entity: entity.name.clone(),
            path: path.to_string(),
        });
    }
    check_field_name(name)?;
    let (new_path, place) = match path.rsplit_once('.') {
        Some((parent, _)) => (
            format!("{parent}.{name}"),
            format!("{}.{parent}", entity.name),
        ),
        None => (name.to_string(), entity.name.clone()),
    };
    if new_path != path && entity.field_path(&new_path).is_some() {
        return Err(RenameError::Taken {
            name: name.to_string(),
            place,
        });
    }
    Ok(new_path)
}

/// Renames the entity `old` to `new` and everything that names it, its id
/// field with it when the id is named after it (see the module's comment).
pub fn rename_entity(design: &Design, old: &str, new: &str) -> Result<Design, RenameError> {
    if design.entity(old).is_none() {
        return Err(RenameError::NoEntity(old.to_string()));
    }
    check_entity_name(new)?;
    if new == old {
        return Ok(design.clone());
    }
    if design.entity(new).is_some() {
        return Err(RenameError::Taken {
            name: new.to_string(),
            place: "the design".to_string(),
        });
    }
    // What each entity names after the old entity, worked out on the design as it is.
    let follows = id_names_that_follow(design, old, new);
    let mut out = design.clone();
    for entity in &mut out.entities {
        if entity.name == old {
            entity.name = new.to_string();
        }
        rename_refs(&mut entity.fields, old, new, 0);
    }
    for r in &mut out.relationships {
        if r.from == old {
            r.from = new.to_string();
        }
        if r.to == old {
            r.to = new.to_string();
        }
    }
    for p in &mut out.access_patterns {
        if p.entity == old {
            p.entity = new.to_string();
        }
    }
    if let Some(position) = out.positions.remove(old) {
        out.positions.insert(new.to_string(), position);
    }
    for index in out.mongo.indexes.iter_mut().filter(|i| i.entity == old) {
        index.entity = new.to_string();
    }
    if let Some(collection) = out.mongo.collections.remove(old) {
        out.mongo.collections.insert(new.to_string(), collection);
    }
    if let Some(template) = out.dynamo.key_templates.remove(old) {
        out.dynamo.key_templates.insert(new.to_string(), template);
    }
    if let Some(source) = out.sql_source.as_deref_mut() {
        source.rename_entity(old, new);
    }
    if let Some(placement) = out.dynamo.placements.remove(old) {
        out.dynamo.placements.insert(new.to_string(), placement);
    }
    for (entity, rename) in follows {
        let entity = if entity == old { new } else { &entity };
        rename_path(&mut out, entity, &rename);
    }
    Ok(out)
}

/// One field path renamed within an entity; both paths have the same parent.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PathRename {
    old: String,
    new: String,
}

impl PathRename {
    /// The renamed form of a path that names the field or a field inside it.
    fn apply(&self, path: &str) -> Option<String> {
        if path == self.old {
            return Some(self.new.clone());
        }
        let rest = path.strip_prefix(self.old.as_str())?.strip_prefix('.')?;
        Some(format!("{}.{rest}", self.new))
    }

    fn is_top_level(&self) -> bool {
        !self.old.contains('.')
    }
}

/// The names of the old entity's id that follow it to its new name, by the
/// entity (its old name) that names them: its own id field when named after
/// it, children's references to it, `ref` fields of that name and the
/// implicit ids of many-to-many pairs. A name is left as it is where the new
/// one is taken in that entity.
fn id_names_that_follow(design: &Design, old: &str, new: &str) -> Vec<(String, PathRename)> {
    let old_id = format!("{}Id", lower_first(old));
    let new_id = format!("{}Id", lower_first(new));
    let mut out: Vec<(String, PathRename)> = Vec::new();
    let follow = |out: &mut Vec<(String, PathRename)>, entity: &Entity, from: &str, to: &str| {
        let free = entity.field(to).is_none();
        let seen = out.iter().any(|(e, r)| *e == entity.name && r.old == from);
        if free && !seen && from != to {
            out.push((
                entity.name.clone(),
                PathRename {
                    old: from.to_string(),
                    new: to.to_string(),
                },
            ));
        }
    };
    if let Some(entity) = design.entity(old) {
        // The id named after the entity: declared, found by its name, or the implicit one.
        if entity.id_name() == old_id {
            follow(&mut out, entity, &old_id, &new_id);
        }
    }
    for entity in &design.entities {
        // A field of that name that refers to the entity names its id.
        let refers = entity.field(&old_id).is_some_and(|f| refers_to(&f.ty, old));
        if refers {
            follow(&mut out, entity, &old_id, &new_id);
        }
    }
    let renamed = |name: &str| if name == old { new } else { name }.to_string();
    for r in &design.relationships {
        if r.from != old && r.to != old {
            continue;
        }
        let mut after = r.clone();
        after.from = renamed(&r.from);
        after.to = renamed(&r.to);
        // The child's reference: an implicit one is named after the parent, and
        // a declared one that is the parent's id by name follows it too.
        let (before_ref, after_ref) = (reference_field(r), reference_field(&after));
        let declared_id = r.field.as_deref() == Some(old_id.as_str()) && r.from == old;
        if let Some(child) = design.entity(&r.to) {
            if r.field.is_none() && before_ref != after_ref {
                follow(&mut out, child, &before_ref, &after_ref);
            } else if declared_id && r.cardinality != Cardinality::ManyToMany {
                follow(&mut out, child, &old_id, &new_id);
            }
        }
        if r.cardinality == Cardinality::ManyToMany {
            let (from_before, to_before) = pair_id_fields(r);
            let (from_after, to_after) = pair_id_fields(&after);
            if let Some(to) = design.entity(&r.to) {
                follow(&mut out, to, &from_before, &from_after);
            }
            if let Some(from) = design.entity(&r.from) {
                follow(&mut out, from, &to_before, &to_after);
            }
        }
    }
    out
}

/// Whether a type refers to the entity: `ref<User>`, or an array of them.
fn refers_to(ty: &FieldType, entity: &str) -> bool {
    match ty {
        FieldType::Ref(target) => target == entity,
        FieldType::Array(item) => matches!(item.as_ref(), FieldType::Ref(t) if t == entity),
        _ => false,
    }
}

/// Renames a path of `entity` everywhere the design names it. A path the
/// entity does not declare (an implicit id or reference) is renamed where it
/// is named.
fn rename_path(design: &mut Design, entity: &str, rename: &PathRename) {
    let mut holds_old_elsewhere = false;
    for e in &mut design.entities {
        if e.name == entity {
            rename_in_fields(&mut e.fields, &rename.old, &rename.new, 0);
            if rename.is_top_level() && e.id.as_deref() == Some(rename.old.as_str()) {
                e.id = Some(rename.new.clone());
            }
            if let Some(ttl) = e.ttl.as_mut().filter(|t| t.field == rename.old) {
                if rename.is_top_level() {
                    ttl.field = rename.new.clone();
                }
            }
        } else if e.field(&rename.old).is_some() {
            holds_old_elsewhere = true;
        }
    }
    for p in design
        .access_patterns
        .iter_mut()
        .filter(|p| p.entity == entity)
    {
        for f in p.equality.iter_mut().chain(p.fields.iter_mut()) {
            if let Some(n) = rename.apply(f) {
                *f = n;
            }
        }
        let single = [
            p.range.as_mut(),
            p.sort.as_mut().map(|s| &mut s.field),
            p.condition.as_mut().map(|c| &mut c.field),
            p.version.as_mut(),
        ];
        for f in single.into_iter().flatten() {
            if let Some(n) = rename.apply(f) {
                *f = n;
            }
        }
        // An aggregate's group keys and the fields its outputs read.
        if let Some(spec) = p.aggregate.as_mut() {
            let read = spec.aggregates.iter_mut().filter_map(|a| a.field.as_mut());
            for f in spec.group_by.iter_mut().chain(read) {
                if let Some(n) = rename.apply(f) {
                    *f = n;
                }
            }
        }
    }
    for index in design
        .mongo
        .indexes
        .iter_mut()
        .filter(|i| i.entity == entity)
    {
        for key in &mut index.keys {
            if let Some(n) = rename.apply(&key.field) {
                key.field = n;
            }
        }
    }
    if let Some(t) = design.dynamo.key_templates.get_mut(entity) {
        t.pk = rename_placeholders(&t.pk, rename);
        t.sk = rename_placeholders(&t.sk, rename);
    }
    if rename.is_top_level() {
        if let Some(source) = design.sql_source.as_deref_mut() {
            source.rename_field(entity, &rename.old, &rename.new);
        }
        for r in &mut design.relationships {
            if r.field.as_deref() != Some(rename.old.as_str()) {
                continue;
            }
            // The child's reference field, or the parent's field holding its children
            // (when the child has no field of that name, which it would refer to).
            let child_has = |d: &[Entity]| {
                d.iter()
                    .any(|e| e.name == r.to && e.field(&rename.old).is_some())
            };
            if r.to == entity || (r.from == entity && !child_has(&design.entities)) {
                r.field = Some(rename.new.clone());
            }
        }
        if !holds_old_elsewhere {
            // The attributes an index projection includes are top-level attribute names.
            for projection in design.dynamo.projections.values_mut() {
                if let Projection::Include(names) = projection {
                    for name in names.iter_mut().filter(|n| **n == rename.old) {
                        *name = rename.new.clone();
                    }
                }
            }
            for index in &mut design.dynamo.indexes {
                if index.partition_key == rename.old {
                    index.partition_key = rename.new.clone();
                }
                if index.sort_key.as_deref() == Some(rename.old.as_str()) {
                    index.sort_key = Some(rename.new.clone());
                }
            }
        }
    }
}

/// Renames the field at `old` (a dotted path) to the last part of `new`.
fn rename_in_fields(fields: &mut [Field], old: &str, new: &str, depth: usize) {
    if depth > MAX_TYPE_DEPTH {
        return;
    }
    let (head, rest) = match old.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (old, None),
    };
    let Some(field) = fields.iter_mut().find(|f| f.name == head) else {
        return;
    };
    match (rest, new.split_once('.')) {
        (None, _) => field.name = new.rsplit('.').next().unwrap_or(new).to_string(),
        (Some(rest), Some((_, new_rest))) => {
            if let Some(inner) = object_fields_mut(&mut field.ty, depth) {
                rename_in_fields(inner, rest, new_rest, depth + 1);
            }
        }
        (Some(_), None) => {}
    }
}

/// The fields of an object type, or of the objects in an array type.
fn object_fields_mut(ty: &mut FieldType, depth: usize) -> Option<&mut Vec<Field>> {
    if depth > MAX_TYPE_DEPTH {
        return None;
    }
    match ty {
        FieldType::Object(fields) => Some(fields),
        FieldType::Array(item) => object_fields_mut(item, depth + 1),
        _ => None,
    }
}

/// A key template with its `<old>` and `<old|lower>` placeholders (and those of
/// fields inside `old`) renamed. A malformed template is left as it is: the
/// validation names what is wrong with it.
fn rename_placeholders(template: &str, rename: &PathRename) -> String {
    if placeholders(template).is_err() {
        return template.to_string();
    }
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            out.push_str(after);
            return out;
        };
        let inside = &after[..close];
        let (name, modifier) = match inside.split_once('|') {
            Some((name, modifier)) => (name, Some(modifier)),
            None => (inside, None),
        };
        match rename.apply(name) {
            Some(renamed) => out.push_str(&renamed),
            None => out.push_str(name),
        }
        if let Some(modifier) = modifier {
            out.push('|');
            out.push_str(modifier);
        }
        out.push('>');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Renames `ref` types of `old` to `new`, through arrays and embedded objects.
fn rename_refs(fields: &mut [Field], old: &str, new: &str, depth: usize) {
    if depth > MAX_TYPE_DEPTH {
        return;
    }
    for field in fields {
        rename_ref_type(&mut field.ty, old, new, depth);
    }
}

fn rename_ref_type(ty: &mut FieldType, old: &str, new: &str, depth: usize) {
    if depth > MAX_TYPE_DEPTH {
        return;
    }
    match ty {
        FieldType::Ref(target) if target == old => *target = new.to_string(),
        FieldType::Array(item) => rename_ref_type(item, old, new, depth + 1),
        FieldType::Object(fields) => rename_refs(fields, old, new, depth + 1),
        _ => {}
    }
}

/// A field name as validation accepts it.
fn check_field_name(name: &str) -> Result<(), RenameError> {
    if is_valid_field_name(name) {
        return Ok(());
    }
    Err(RenameError::InvalidName {
        name: name.to_string(),
        why: "a field name is not empty, holds no dots and does not start with $",
    })
}

/// An entity name as validation accepts it.
fn check_entity_name(name: &str) -> Result<(), RenameError> {
    if is_valid_entity_name(name) {
        return Ok(());
    }
    Err(RenameError::InvalidName {
        name: name.to_string(),
        why: "an entity name starts with a letter and holds only letters, digits and _",
    })
}
