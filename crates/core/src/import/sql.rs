//! SQL `CREATE TABLE` statements to a design: a migration from SQL starts
//! from the user's own schema. Tables become entities, single-column foreign
//! keys references (with a pattern listing children by parent), pure join
//! tables many-to-many relationships.

use sqlparser::ast::{
    AlterTableOperation, ColumnOption, CreateTable, DataType, Expr, ObjectName, Statement,
    TableConstraint,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::Imported;
use crate::model::*;
use crate::names;

struct Table {
    name: String,
    line: u64,
    columns: Vec<Column>,
    primary_key: Vec<String>,
    foreign_keys: Vec<(Vec<String>, String)>,
    unique: Vec<Vec<String>>,
}

struct Column {
    name: String,
    ty: FieldType,
    not_null: bool,
}

/// `users` → `User`, `order_items` → `OrderItem`, `categories` → `Category`.
pub fn entity_name(table: &str) -> String {
    let words: Vec<String> = table
        .split(['_', '-', ' ', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect();
    let mut name = words.concat();
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("ies") && name.len() > 3 {
        name.truncate(name.len() - 3);
        name.push('y');
    } else if lower.ends_with("sses")
        || lower.ends_with("xes")
        || lower.ends_with("ches")
        || lower.ends_with("shes")
    {
        name.truncate(name.len() - 2);
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && name.len() > 1
    {
        name.truncate(name.len() - 1);
    }
    if name.chars().next().is_some_and(|c| c.is_ascii_digit()) || name.is_empty() {
        name.insert(0, 'T');
    }
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

fn object_name(name: &ObjectName) -> String {
    // The last part: `public.users` → `users`.
    name.0
        .last()
        .map(|p| {
            p.to_string()
                .trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']')
                .to_string()
        })
        .unwrap_or_default()
}

fn sql_type(ty: &DataType) -> Option<FieldType> {
    let text = ty.to_string().to_ascii_uppercase();
    if let Some(inner) = text.strip_suffix("[]") {
        let inner_ty = sql_type_name(inner)?;
        return Some(FieldType::Array(Box::new(inner_ty)));
    }
    if let DataType::Array(_) = ty {
        return Some(FieldType::Array(Box::new(FieldType::String)));
    }
    sql_type_name(&text)
}

fn sql_type_name(text: &str) -> Option<FieldType> {
    let base = text.split('(').next().unwrap_or("").trim();
    Some(match base {
        "INT" | "INTEGER" | "SMALLINT" | "TINYINT" | "MEDIUMINT" | "INT2" | "INT4" | "SERIAL"
        | "SMALLSERIAL" | "INT UNSIGNED" => FieldType::Int,
        "BIGINT" | "INT8" | "BIGSERIAL" | "BIGINT UNSIGNED" => FieldType::Long,
        "DECIMAL" | "NUMERIC" | "MONEY" | "DEC" => FieldType::Decimal,
        "FLOAT" | "REAL" | "DOUBLE" | "DOUBLE PRECISION" | "FLOAT4" | "FLOAT8" => FieldType::Double,
        "BOOL" | "BOOLEAN" | "BIT" => FieldType::Bool,
        "DATE"
        | "DATETIME"
        | "TIMESTAMP"
        | "TIMESTAMPTZ"
        | "TIME"
        | "TIMESTAMP WITH TIME ZONE"
        | "TIMESTAMP WITHOUT TIME ZONE" => FieldType::Date,
        "UUID" | "UNIQUEIDENTIFIER" => FieldType::Uuid,
        "BLOB" | "BYTEA" | "BINARY" | "VARBINARY" | "LONGBLOB" | "MEDIUMBLOB" => FieldType::Binary,
        "JSON" | "JSONB" => FieldType::Object(Vec::new()),
        "TEXT" | "VARCHAR" | "CHAR" | "CHARACTER VARYING" | "CHARACTER" | "NVARCHAR" | "NCHAR"
        | "STRING" | "CLOB" | "LONGTEXT" | "MEDIUMTEXT" | "TINYTEXT" | "CITEXT" | "ENUM" => {
            FieldType::String
        }
        _ if base.starts_with("TIMESTAMP") => FieldType::Date,
        _ if base.starts_with("VARCHAR") || base.starts_with("CHAR") => FieldType::String,
        _ if base.starts_with("ENUM") => FieldType::String,
        _ => return None,
    })
}

fn ident_columns(cols: &[sqlparser::ast::IndexColumn]) -> Vec<String> {
    cols.iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(i) => i.value.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn read_create(create: &CreateTable, line: u64, findings: &mut Vec<Finding>) -> Table {
    let mut table = Table {
        name: object_name(&create.name),
        line,
        columns: Vec::new(),
        primary_key: Vec::new(),
        foreign_keys: Vec::new(),
        unique: Vec::new(),
    };
    for col in &create.columns {
        let name = col.name.value.clone();
        let ty = match sql_type(&col.data_type) {
            Some(t) => t,
            None => {
                findings.push(Finding::warning(
                    "sql-type",
                    format!("line {line}"),
                    format!(
                        "{}.{name}: type {} is not known, imported as string",
                        table.name, col.data_type
                    ),
                ));
                FieldType::String
            }
        };
        let mut not_null = false;
        for opt in &col.options {
            match &opt.option {
                ColumnOption::NotNull => not_null = true,
                ColumnOption::PrimaryKey(_) => {
                    table.primary_key = vec![name.clone()];
                    not_null = true;
                }
                ColumnOption::Unique(_) => table.unique.push(vec![name.clone()]),
                ColumnOption::ForeignKey(fk) => {
                    table
                        .foreign_keys
                        .push((vec![name.clone()], object_name(&fk.foreign_table)));
                }
                _ => {}
            }
        }
        table.columns.push(Column { name, ty, not_null });
    }
    for constraint in &create.constraints {
        add_constraint(&mut table, constraint);
    }
    table
}

fn add_constraint(table: &mut Table, constraint: &TableConstraint) {
    match constraint {
        TableConstraint::PrimaryKey(pk) => table.primary_key = ident_columns(&pk.columns),
        TableConstraint::Unique(u) => table.unique.push(ident_columns(&u.columns)),
        TableConstraint::ForeignKey(fk) => table.foreign_keys.push((
            fk.columns.iter().map(|c| c.value.clone()).collect(),
            object_name(&fk.foreign_table),
        )),
        _ => {}
    }
}

/// Splits the token stream into statements at top-level semicolons, keeping
/// each statement's first line.
fn statements(tokens: Vec<TokenWithSpan>) -> Vec<(u64, Vec<TokenWithSpan>)> {
    let mut out = Vec::new();
    let mut current: Vec<TokenWithSpan> = Vec::new();
    let mut line = 0;
    for t in tokens {
        match &t.token {
            Token::SemiColon | Token::EOF => {
                if !current.is_empty() {
                    out.push((line, std::mem::take(&mut current)));
                }
            }
            Token::Whitespace(_) if current.is_empty() => {}
            _ => {
                if current.is_empty() {
                    line = t.span.start.line;
                }
                current.push(t);
            }
        }
    }
    if !current.is_empty() {
        out.push((line, current));
    }
    out
}

/// Reads `CREATE TABLE` (and `ALTER TABLE ... ADD FOREIGN KEY`) statements
/// into entities and relationships. Other statements are reported with their
/// line and skipped; a statement that does not parse is reported and the
/// rest still imported.
pub fn sql(text: &str) -> Imported {
    let dialect = GenericDialect {};
    let mut findings = Vec::new();
    let tokens = match Tokenizer::new(&dialect, text).tokenize_with_location() {
        Ok(t) => t,
        Err(e) => {
            findings.push(Finding::error(
                "sql-syntax",
                format!("line {}", e.location.line),
                e.message.clone(),
            ));
            return Imported {
                design: empty_design(),
                findings,
            };
        }
    };
    let mut tables: Vec<Table> = Vec::new();
    for (line, tokens) in statements(tokens) {
        let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens);
        match parser.parse_statement() {
            Ok(Statement::CreateTable(create)) => {
                tables.push(read_create(&create, line, &mut findings))
            }
            Ok(Statement::AlterTable(alter)) => {
                let name = object_name(&alter.name);
                let mut used = false;
                if let Some(table) = tables.iter_mut().find(|t| t.name == name) {
                    for op in &alter.operations {
                        if let AlterTableOperation::AddConstraint { constraint, .. } = op {
                            add_constraint(table, constraint);
                            used = true;
                        }
                    }
                }
                if !used {
                    findings.push(Finding::warning(
                        "sql-unsupported",
                        format!("line {line}"),
                        format!("ALTER TABLE {name}: only ADD CONSTRAINT on a table created above is imported; skipped"),
                    ));
                }
            }
            Ok(other) => {
                let text = other.to_string();
                let head: String = text
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                findings.push(Finding::warning(
                    "sql-unsupported",
                    format!("line {line}"),
                    format!("{head} ...: only CREATE TABLE statements are imported; skipped"),
                ));
            }
            Err(e) => findings.push(Finding::error(
                "sql-syntax",
                format!("line {line}"),
                format!("{e}; this statement is skipped"),
            )),
        }
    }
    let design = design_from_tables(&tables, &mut findings);
    Imported { design, findings }
}

fn empty_design() -> Design {
    Design {
        name: "Imported from SQL".to_string(),
        ..Design::default()
    }
}

fn design_from_tables(tables: &[Table], findings: &mut Vec<Finding>) -> Design {
    let mut design = empty_design();
    design.description = "Imported from SQL CREATE TABLE statements. Add the access patterns your application uses: the NoSQL layouts are derived from them.".to_string();
    for t in tables {
        // A pure join table (its key is two foreign keys, nothing else) is a many-to-many relationship.
        if let Some(rel) = join_relationship(tables, t) {
            design.relationships.push(rel);
            findings.push(Finding::info(
                "sql-join-table",
                format!("line {}", t.line),
                format!(
                    "{} only links two tables: imported as a many-to-many relationship",
                    t.name
                ),
            ));
            continue;
        }
        let entity = entity_name(&t.name);
        let fields = fields(tables, t, findings);
        let id = primary_key(t, findings);
        design.entities.push(Entity {
            name: entity.clone(),
            id: id.clone(),
            fields,
            volume: 0,
            ttl: None,
        });
        if let Some(id) = id {
            design.access_patterns.push(AccessPattern {
                equality: vec![id.clone()],
                ..AccessPattern::new(
                    &format!("Get {} by {id}", names::words(&entity)),
                    &entity,
                    PatternKind::GetOne,
                )
            });
        }
        references(tables, t, &entity, &mut design);
    }
    design
}

/// The entity a table becomes, if the table is created here.
fn entity_of(tables: &[Table], table: &str) -> Option<String> {
    tables
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(table))
        .map(|t| entity_name(&t.name))
}

/// The many-to-many relationship a pure join table stands for: two foreign
/// keys that are its whole primary key and all its columns.
fn join_relationship(tables: &[Table], t: &Table) -> Option<Relationship> {
    let fk_columns: Vec<&String> = t.foreign_keys.iter().flat_map(|(c, _)| c).collect();
    let join = t.foreign_keys.len() == 2
        && t.primary_key.len() == 2
        && t.primary_key.iter().all(|c| fk_columns.contains(&c))
        && t.columns.len() == 2;
    if !join {
        return None;
    }
    let (Some((_, a)), Some((_, b))) = (t.foreign_keys.first(), t.foreign_keys.get(1)) else {
        return None;
    };
    Some(Relationship {
        from: entity_of(tables, a)?,
        to: entity_of(tables, b)?,
        cardinality: Cardinality::ManyToMany,
        expected_count: 0,
        read_together: false,
        field: None,
        embed: None,
    })
}

/// A table's columns as fields: a single-column foreign key becomes a reference.
fn fields(tables: &[Table], t: &Table, findings: &mut Vec<Finding>) -> Vec<Field> {
    let mut fields = Vec::new();
    for c in &t.columns {
        let mut ty = c.ty.clone();
        if let Some((_, target)) = t
            .foreign_keys
            .iter()
            .find(|(cols, _)| cols.len() == 1 && cols.first() == Some(&c.name))
        {
            match entity_of(tables, target) {
                Some(e) => ty = FieldType::Ref(e),
                None => findings.push(Finding::warning(
                    "sql-unknown-table",
                    format!("line {}", t.line),
                    format!("{}.{} references {target}, which is not created here; kept as a plain field", t.name, c.name),
                )),
            }
        }
        let mut field = Field::new(&c.name, ty);
        field.required = c.not_null;
        field.unique = t
            .unique
            .iter()
            .any(|u| u.len() == 1 && u.first() == Some(&c.name));
        fields.push(field);
    }
    fields
}

/// The id field: a single-column primary key; a table without one, or with a
/// composite one, gets a generated id.
fn primary_key(t: &Table, findings: &mut Vec<Finding>) -> Option<String> {
    match t.primary_key.as_slice() {
        [one] => Some(one.clone()),
        [] => {
            findings.push(Finding::warning(
                "sql-no-primary-key",
                format!("line {}", t.line),
                format!("{} has no primary key: items get a generated id", t.name),
            ));
            None
        }
        many => {
            findings.push(Finding::info(
                "sql-composite-key",
                format!("line {}", t.line),
                format!("{} has a composite primary key ({}): items get a generated id; the key columns stay fields", t.name, many.join(", ")),
            ));
            None
        }
    }
}

/// A relationship from the parent of each single-column foreign key, and a
/// pattern listing the children by their parent (unless the key is unique).
fn references(tables: &[Table], t: &Table, entity: &str, design: &mut Design) {
    for (cols, target) in &t.foreign_keys {
        let ([col], Some(parent)) = (cols.as_slice(), entity_of(tables, target)) else {
            continue;
        };
        let unique = t
            .unique
            .iter()
            .any(|u| u.len() == 1 && u.first() == Some(col))
            || t.primary_key.as_slice() == [col.clone()];
        design.relationships.push(Relationship {
            from: parent.clone(),
            to: entity.to_string(),
            cardinality: if unique {
                Cardinality::OneToOne
            } else {
                Cardinality::OneToMany
            },
            expected_count: 0,
            read_together: false,
            field: Some(col.clone()),
            embed: None,
        });
        if parent != entity && !unique {
            design.access_patterns.push(AccessPattern {
                equality: vec![col.clone()],
                ..AccessPattern::new(
                    &format!(
                        "List {} by {}",
                        names::plural(&names::words(entity)),
                        names::words(&parent)
                    ),
                    entity,
                    PatternKind::List,
                )
            });
        }
    }
}
