//! SQL DDL to a design: a migration from SQL starts from the user's own
//! schema, as `pg_dump --schema-only` or `mysqldump --no-data` writes it.
//!
//! Tables become entities with camelCase fields; a single-column primary key
//! is the id, a composite one the DynamoDB partition and sort key (a key
//! template) and a getOne by all its columns. Indexes and UNIQUE constraints
//! are the best evidence of how the application reads: each becomes an
//! access pattern (a unique one a getOne and, on one column, a unique field;
//! `(user_id, created_at)` a list by `userId` sorted by `createdAt`). Foreign
//! keys, inline, in table constraints or added by `ALTER TABLE`, become
//! relationships, one-to-one when the key column is unique; pure join tables
//! many-to-many relationships. Volumes come from `-- rows: N` comments before
//! or inside a table, or from [`SqlOptions::volumes`]. Every statement that
//! is not used is reported with its line and why. The design remembers where
//! each entity and field came from ([`SqlSource`]), for the migration plan.

use std::collections::BTreeMap;

use sqlparser::ast::{
    AlterTableOperation, ColumnOption, CreateIndex, CreateTable, DataType, Expr, IndexColumn,
    ObjectName, OrderBySort, Statement, TableConstraint,
};
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Whitespace};

use super::Imported;
use crate::model::*;
use crate::names;

/// What the SQL importer is told besides the statements.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SqlOptions {
    /// Rows per table name (without schema), overriding `-- rows:` comments.
    pub volumes: BTreeMap<String, u64>,
}

struct Table {
    /// The name as written, with its schema (`public.orders`).
    qualified: String,
    /// The name without schema (`orders`).
    name: String,
    line: u64,
    columns: Vec<Column>,
    primary_key: Vec<String>,
    foreign_keys: Vec<ForeignKey>,
    indexes: Vec<Index>,
    rows: Option<u64>,
}

struct Column {
    name: String,
    sql_type: String,
    ty: FieldType,
    not_null: bool,
}

struct ForeignKey {
    columns: Vec<String>,
    table: String,
    line: u64,
}

/// An index or a UNIQUE constraint: its columns with their order (`true`: descending).
struct Index {
    columns: Vec<(String, bool)>,
    unique: bool,
}

impl Table {
    /// Adds an index or UNIQUE constraint; one on an expression (`lower(email)`) is reported.
    fn add_index(
        &mut self,
        columns: &[IndexColumn],
        unique: bool,
        what: &str,
        line: u64,
        findings: &mut Vec<Finding>,
    ) {
        match index_columns(columns) {
            Some(columns) => self.indexes.push(Index { columns, unique }),
            None => findings.push(Finding::warning(
                "sql-unsupported",
                format!("line {line}"),
                format!(
                    "{what} of {} on ({}): an expression is not a field; skipped",
                    self.name,
                    names_of(columns).join(", ")
                ),
            )),
        }
    }

    fn column_is_unique(&self, column: &str) -> bool {
        self.primary_key.as_slice() == [column.to_string()]
            || self
                .indexes
                .iter()
                .any(|i| i.unique && matches!(i.columns.as_slice(), [(c, _)] if c == column))
    }
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

/// `created_at` → `createdAt`, `USER_ID` → `userId`; a name that would be
/// empty stays as written.
pub fn field_name(column: &str) -> String {
    let lowered;
    let source = if column.chars().any(char::is_lowercase) {
        column
    } else {
        lowered = column.to_lowercase();
        &lowered
    };
    let camel = names::camel(source);
    if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) {
        column.to_string()
    } else {
        camel
    }
}

fn unquote(part: &str) -> String {
    part.trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']')
        .to_string()
}

/// The last part: `public.users` → `users`.
fn object_name(name: &ObjectName) -> String {
    name.0
        .last()
        .map(|p| unquote(&p.to_string()))
        .unwrap_or_default()
}

/// Every part, unquoted: `public.users`.
fn qualified_name(name: &ObjectName) -> String {
    name.0
        .iter()
        .map(|p| unquote(&p.to_string()))
        .collect::<Vec<_>>()
        .join(".")
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
    let base = base.strip_suffix(" UNSIGNED").unwrap_or(base);
    Some(match base {
        "INT" | "INTEGER" | "SMALLINT" | "TINYINT" | "MEDIUMINT" | "INT2" | "INT4" | "SERIAL"
        | "SMALLSERIAL" => FieldType::Int,
        "BIGINT" | "INT8" | "BIGSERIAL" => FieldType::Long,
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

/// An index's columns with their order; `None` when one is an expression
/// (`lower(email)`), which no field stands for.
fn index_columns(cols: &[IndexColumn]) -> Option<Vec<(String, bool)>> {
    cols.iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(i) => Some((
                i.value.clone(),
                matches!(c.column.options.sort, Some(OrderBySort::Desc)),
            )),
            _ => None,
        })
        .collect()
}

fn names_of(cols: &[IndexColumn]) -> Vec<String> {
    cols.iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(i) => i.value.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// The dialect a file is written in, from what only that dialect writes.
fn detect_dialect(text: &str) -> (&'static str, Box<dyn Dialect>) {
    let upper = text.to_ascii_uppercase();
    if text.contains('`')
        || upper.contains("ENGINE=")
        || upper.contains("AUTO_INCREMENT")
        || upper.contains("MYSQL DUMP")
    {
        ("mysql", Box::new(MySqlDialect {}))
    } else if upper.contains("POSTGRESQL")
        || upper.contains("OWNER TO")
        || text.contains("::")
        || upper.contains("ALTER TABLE ONLY")
        || upper.contains("PG_CATALOG")
    {
        ("postgresql", Box::new(PostgreSqlDialect {}))
    } else {
        ("generic", Box::new(GenericDialect {}))
    }
}

/// One statement's tokens, its first line, and the comments before and in it.
struct Piece {
    line: u64,
    tokens: Vec<TokenWithSpan>,
    comments: Vec<String>,
}

/// Splits the token stream into statements at top-level semicolons, keeping
/// each statement's first line and the comments since the previous one.
/// MySQL's conditional comments (`/*!40101 SET NAMES utf8mb4 */`) run as
/// statements there: each is reported as skipped.
fn pieces(tokens: Vec<TokenWithSpan>, findings: &mut Vec<Finding>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut current: Vec<TokenWithSpan> = Vec::new();
    let mut comments = Vec::new();
    let mut line = 0;
    for t in tokens {
        match &t.token {
            Token::SemiColon | Token::EOF => {
                if !current.is_empty() {
                    out.push(Piece {
                        line,
                        tokens: std::mem::take(&mut current),
                        comments: std::mem::take(&mut comments),
                    });
                }
            }
            Token::Whitespace(Whitespace::SingleLineComment { comment, .. }) => {
                comments.push(comment.clone());
            }
            Token::Whitespace(Whitespace::MultiLineComment(comment)) => {
                if let Some(body) = comment.strip_prefix('!') {
                    let body = body.trim_start_matches(|c: char| c.is_ascii_digit()).trim();
                    findings.push(Finding::info(
                        "sql-skipped",
                        format!("line {}", t.span.start.line),
                        format!(
                            "{}: a MySQL session setting of the dump, not part of the schema; skipped",
                            head_of(body)
                        ),
                    ));
                } else {
                    comments.push(comment.clone());
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
        out.push(Piece {
            line,
            tokens: current,
            comments,
        });
    }
    out
}

/// The first words of a statement, for messages: `ALTER SEQUENCE public.customers_id_seq`.
fn head_of(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    let head = words.join(" ");
    if text.split_whitespace().count() > 3 {
        format!("{head} ...")
    } else {
        head
    }
}

/// A `-- rows: 1200000` comment's count (`1_200_000` and `1,200,000` too).
fn rows_comment(comments: &[String]) -> Option<u64> {
    comments.iter().rev().find_map(|c| {
        let rest = c.trim().strip_prefix("rows:")?;
        let digits: String = rest
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '_' || *c == ',')
            .filter(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
}

/// Why a statement a dump writes is not imported, from its first words;
/// `None` for statements the importer reads or does not know.
fn skip_reason(words: &[String]) -> Option<&'static str> {
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    Some(match (w(0), w(1)) {
        ("SET", _) | ("SELECT", "PG_CATALOG") => {
            "a session setting of the dump, not part of the schema"
        }
        ("CREATE" | "ALTER" | "DROP", "SEQUENCE") => {
            "sequences make new ids in SQL; the migrated ids are copied as they are and new ones are made by the writer"
        }
        ("COMMENT", "ON") => "a comment documents the schema; it does not change the layout",
        ("DROP", _) => "a dump drops what it creates next; nothing to import",
        ("LOCK" | "UNLOCK", _) => "table locks of the dump; nothing to import",
        ("GRANT" | "REVOKE", _) => "privileges are not part of the layout",
        ("CREATE", "EXTENSION" | "SCHEMA" | "FUNCTION" | "TRIGGER" | "VIEW" | "TYPE" | "DOMAIN") => {
            "only tables, their keys and their indexes shape the layout"
        }
        ("CREATE", "OR") => "only tables, their keys and their indexes shape the layout",
        ("INSERT" | "COPY" | "UPDATE" | "DELETE", _) => {
            "data is not imported: the migration plan's backfill copies it"
        }
        _ => return None,
    })
}

fn words_of(tokens: &[TokenWithSpan]) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .take(3)
        .map(|t| t.token.to_string().to_ascii_uppercase())
        .collect()
}

/// Reads SQL DDL with no options: see [`sql_with`].
pub fn sql(text: &str) -> Imported {
    sql_with(text, &SqlOptions::default())
}

/// Reads `CREATE TABLE`, `CREATE [UNIQUE] INDEX` and `ALTER TABLE ... ADD
/// CONSTRAINT` statements into entities, relationships and access patterns.
/// Other statements are reported with their line and why they are skipped; a
/// statement that does not parse is reported and the rest still imported.
pub fn sql_with(text: &str, options: &SqlOptions) -> Imported {
    let (dialect_name, dialect) = detect_dialect(text);
    let mut findings = Vec::new();
    let tokens = match Tokenizer::new(dialect.as_ref(), text).tokenize_with_location() {
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
    // Comments before skipped statements (mysqldump's `DROP TABLE`) belong to the next one.
    let mut carried: Vec<String> = Vec::new();
    for mut piece in pieces(tokens, &mut findings) {
        let line = piece.line;
        let words = words_of(&piece.tokens);
        carried.append(&mut piece.comments);
        piece.comments = std::mem::take(&mut carried);
        if let Some(reason) = skip_reason(&words) {
            carried = std::mem::take(&mut piece.comments);
            let text: String = piece.tokens.iter().map(|t| t.token.to_string()).collect();
            findings.push(Finding::info(
                "sql-skipped",
                format!("line {line}"),
                format!("{}: {reason}; skipped", head_of(&text)),
            ));
            continue;
        }
        let mut parser = Parser::new(dialect.as_ref()).with_tokens_with_locations(piece.tokens);
        match parser.parse_statement() {
            Ok(Statement::CreateTable(create)) => {
                let mut table = read_create(&create, line, &mut findings);
                table.rows = rows_comment(&piece.comments);
                tables.push(table);
            }
            Ok(Statement::CreateIndex(index)) => add_index(&mut tables, &index, line, &mut findings),
            Ok(Statement::AlterTable(alter)) => {
                let name = object_name(&alter.name);
                let what = format!("ALTER TABLE {name}");
                let Some(table) = created(&mut tables, &name, &what, line, &mut findings) else {
                    continue;
                };
                for op in &alter.operations {
                    match op {
                        AlterTableOperation::AddConstraint { constraint, .. } => {
                            add_constraint(table, constraint, line, &mut findings)
                        }
                        AlterTableOperation::OwnerTo { .. } => findings.push(Finding::info(
                            "sql-skipped",
                            format!("line {line}"),
                            format!("ALTER TABLE {name} OWNER TO: ownership is not part of the layout; skipped"),
                        )),
                        AlterTableOperation::AlterColumn { column_name, .. } => {
                            findings.push(Finding::info(
                                "sql-skipped",
                                format!("line {line}"),
                                format!("ALTER TABLE {name} ALTER COLUMN {column_name}: a column default (a sequence's next value) is the writer's job in the new database; skipped"),
                            ))
                        }
                        other => findings.push(Finding::warning(
                            "sql-unsupported",
                            format!("line {line}"),
                            format!("ALTER TABLE {name} {}: only ADD CONSTRAINT is imported; skipped", head_of(&other.to_string())),
                        )),
                    }
                }
            }
            Ok(other) => findings.push(Finding::warning(
                "sql-unsupported",
                format!("line {line}"),
                format!(
                    "{}: only CREATE TABLE, CREATE INDEX and ALTER TABLE ... ADD CONSTRAINT are imported; skipped",
                    head_of(&other.to_string())
                ),
            )),
            Err(e) => findings.push(Finding::error(
                "sql-syntax",
                format!("line {line}"),
                format!("{e}; this statement is skipped"),
            )),
        }
    }
    for (table, rows) in &options.volumes {
        match tables
            .iter_mut()
            .find(|t| t.name.eq_ignore_ascii_case(table))
        {
            Some(t) => t.rows = Some(*rows),
            None => findings.push(Finding::warning(
                "sql-unknown-table",
                "volumes",
                format!("volumes name {table}, which is not created here"),
            )),
        }
    }
    let mut design = design_from_tables(&tables, &mut findings);
    design.sql_source = Some(Box::new(source(dialect_name, &tables, &design)));
    Imported { design, findings }
}

/// Reads a volumes file: a JSON object of table names to row counts, or
/// `table=rows` lines (blank lines and `#` comments ignored).
pub fn volumes(text: &str) -> Result<BTreeMap<String, u64>, Vec<Finding>> {
    if text.trim_start().starts_with('{') {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| vec![json_syntax(&e)])?;
        let mut out = BTreeMap::new();
        let mut problems = Vec::new();
        if let Some(map) = value.as_object() {
            for (table, rows) in map {
                match rows.as_u64() {
                    Some(n) => {
                        out.insert(table.clone(), n);
                    }
                    None => problems.push(Finding::error(
                        "volumes",
                        table.clone(),
                        format!("expected a whole number of rows, found {rows}"),
                    )),
                }
            }
        }
        return if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        };
    }
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line.split_once('=').and_then(|(table, rows)| {
            let rows: String = rows
                .trim()
                .chars()
                .filter(|c| *c != '_' && *c != ',')
                .collect();
            Some((table.trim().to_string(), rows.parse::<u64>().ok()?))
        });
        match parsed {
            Some((table, rows)) if !table.is_empty() => {
                out.insert(table, rows);
            }
            _ => problems.push(Finding::error(
                "volumes",
                format!("line {}", i + 1),
                format!("expected table=rows, found \"{line}\""),
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn read_create(create: &CreateTable, line: u64, findings: &mut Vec<Finding>) -> Table {
    let mut table = Table {
        qualified: qualified_name(&create.name),
        name: object_name(&create.name),
        line,
        columns: Vec::new(),
        primary_key: Vec::new(),
        foreign_keys: Vec::new(),
        indexes: Vec::new(),
        rows: None,
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
                ColumnOption::Unique(_) => table.indexes.push(Index {
                    columns: vec![(name.clone(), false)],
                    unique: true,
                }),
                ColumnOption::ForeignKey(fk) => table.foreign_keys.push(ForeignKey {
                    columns: vec![name.clone()],
                    table: object_name(&fk.foreign_table),
                    line,
                }),
                _ => {}
            }
        }
        table.columns.push(Column {
            name,
            sql_type: col.data_type.to_string(),
            ty,
            not_null,
        });
    }
    for constraint in &create.constraints {
        add_constraint(&mut table, constraint, line, findings);
    }
    table
}

/// The table a statement names, created above it; else `sql-unknown-table` for
/// the statement (`what`), which is skipped.
fn created<'t>(
    tables: &'t mut [Table],
    name: &str,
    what: &str,
    line: u64,
    findings: &mut Vec<Finding>,
) -> Option<&'t mut Table> {
    let table = tables.iter_mut().find(|t| t.name == name);
    if table.is_none() {
        findings.push(Finding::warning(
            "sql-unknown-table",
            format!("line {line}"),
            format!("{what}: the table is not created above; skipped"),
        ));
    }
    table
}

fn add_index(tables: &mut [Table], index: &CreateIndex, line: u64, findings: &mut Vec<Finding>) {
    let name = object_name(&index.table_name);
    let what = format!("CREATE INDEX on {name}");
    let Some(table) = created(tables, &name, &what, line, findings) else {
        return;
    };
    let index_name = index.name.as_ref().map(object_name).unwrap_or_default();
    if index.predicate.is_some() {
        findings.push(Finding::info(
            "sql-partial-index",
            format!("line {line}"),
            format!("index {index_name} on {name} is partial (WHERE ...): imported as a pattern over every row"),
        ));
    }
    table.add_index(
        &index.columns,
        index.unique,
        &format!("index {index_name}"),
        line,
        findings,
    );
}

fn add_constraint(
    table: &mut Table,
    constraint: &TableConstraint,
    line: u64,
    findings: &mut Vec<Finding>,
) {
    match constraint {
        TableConstraint::PrimaryKey(pk) => table.primary_key = names_of(&pk.columns),
        TableConstraint::Unique(u) => {
            table.add_index(&u.columns, true, "a UNIQUE constraint", line, findings)
        }
        TableConstraint::Index(i) => table.add_index(&i.columns, false, "an index", line, findings),
        TableConstraint::ForeignKey(fk) => table.foreign_keys.push(ForeignKey {
            columns: fk.columns.iter().map(|c| c.value.clone()).collect(),
            table: object_name(&fk.foreign_table),
            line,
        }),
        TableConstraint::Check(_) => findings.push(Finding::info(
            "sql-skipped",
            format!("line {line}"),
            format!("a CHECK constraint of {}: the application checks values in the new database; skipped", table.name),
        )),
        other => findings.push(Finding::warning(
            "sql-unsupported",
            format!("line {line}"),
            format!("{} of {}: not imported; skipped", head_of(&other.to_string()), table.name),
        )),
    }
}

fn empty_design() -> Design {
    Design {
        name: "Imported from SQL".to_string(),
        ..Design::default()
    }
}

/// The field each column of a table becomes; two columns that would share a
/// name keep their own.
fn field_names(t: &Table) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut taken: Vec<String> = Vec::new();
    for c in &t.columns {
        let mut name = field_name(&c.name);
        if taken.contains(&name) {
            name = c.name.clone();
        }
        taken.push(name.clone());
        out.insert(c.name.clone(), name);
    }
    out
}

fn design_from_tables(tables: &[Table], findings: &mut Vec<Finding>) -> Design {
    let mut design = empty_design();
    design.description = "Imported from SQL DDL: tables, keys, indexes and foreign keys. Add the access patterns your indexes do not show: the NoSQL layouts are derived from them.".to_string();
    let mut patterns: Vec<AccessPattern> = Vec::new();
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
        let fields_of = field_names(t);
        let field = |c: &str| fields_of.get(c).cloned().unwrap_or_else(|| field_name(c));
        let id = primary_key(t, &entity, tables, &field, &mut design, findings);
        let fields = fields(tables, t, id.as_deref(), &field, findings);
        design.entities.push(Entity {
            name: entity.clone(),
            id: id.clone(),
            fields,
            volume: t.rows.unwrap_or(0),
            ttl: None,
        });
        if !t.primary_key.is_empty() {
            let columns: Vec<(String, bool)> =
                t.primary_key.iter().map(|c| (c.clone(), false)).collect();
            index_patterns(tables, t, &entity, &columns, true, &field, &mut patterns);
        }
        for index in &t.indexes {
            index_patterns(
                tables,
                t,
                &entity,
                &index.columns,
                index.unique,
                &field,
                &mut patterns,
            );
        }
        references(
            tables,
            t,
            &entity,
            &field,
            &mut design,
            &mut patterns,
            findings,
        );
    }
    expected_counts(tables, &mut design);
    design.access_patterns = patterns;
    design
}

/// The entity a table becomes, if the table is created here.
fn entity_of(tables: &[Table], table: &str) -> Option<String> {
    tables
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(table))
        .map(|t| entity_name(&t.name))
}

fn is_join_table(t: &Table) -> bool {
    let fk_columns: Vec<&String> = t.foreign_keys.iter().flat_map(|fk| &fk.columns).collect();
    t.foreign_keys.len() == 2
        && t.primary_key.len() == 2
        && t.primary_key.iter().all(|c| fk_columns.contains(&c))
        && t.columns.len() == 2
}

/// The many-to-many relationship a pure join table stands for: two foreign
/// keys that are its whole primary key and all its columns.
fn join_relationship(tables: &[Table], t: &Table) -> Option<Relationship> {
    if !is_join_table(t) {
        return None;
    }
    let (Some(a), Some(b)) = (t.foreign_keys.first(), t.foreign_keys.get(1)) else {
        return None;
    };
    Some(Relationship {
        from: entity_of(tables, &a.table)?,
        to: entity_of(tables, &b.table)?,
        cardinality: Cardinality::ManyToMany,
        expected_count: 0,
        read_together: false,
        field: None,
        embed: None,
        on_delete: None,
    })
}

/// A table's columns as fields: a single-column foreign key becomes a reference.
fn fields(
    tables: &[Table],
    t: &Table,
    id: Option<&str>,
    field: &dyn Fn(&str) -> String,
    findings: &mut Vec<Finding>,
) -> Vec<Field> {
    let mut fields = Vec::new();
    for c in &t.columns {
        let mut ty = c.ty.clone();
        if let Some(fk) = t
            .foreign_keys
            .iter()
            .find(|fk| fk.columns.len() == 1 && fk.columns.first() == Some(&c.name))
        {
            match entity_of(tables, &fk.table) {
                Some(e) => ty = FieldType::Ref(e),
                None => findings.push(Finding::warning(
                    "sql-unknown-table",
                    format!("line {}", fk.line),
                    format!(
                        "{}.{} references {}, which is not created here; kept as a plain field",
                        t.name, c.name, fk.table
                    ),
                )),
            }
        }
        let mut f = Field::new(&field(&c.name), ty);
        f.required = c.not_null || t.primary_key.contains(&c.name);
        // The id is unique by being the id; other unique columns say so.
        f.unique = t.column_is_unique(&c.name) && id != Some(field(&c.name).as_str());
        fields.push(f);
    }
    fields
}

/// The key prefix a key column stands for: the entity a foreign key points
/// to (`order_id` → `ORDER`), else the column without a trailing id or
/// number (`line_no` → `LINE`).
fn column_prefix(tables: &[Table], t: &Table, column: &str) -> String {
    let parent = t
        .foreign_keys
        .iter()
        .find(|fk| fk.columns.as_slice() == [column.to_string()])
        .and_then(|fk| entity_of(tables, &fk.table));
    if let Some(parent) = parent {
        return names::key_prefix(&parent);
    }
    let mut words: Vec<&str> = column.split(['_', '-']).filter(|w| !w.is_empty()).collect();
    if words.len() > 1
        && words.last().is_some_and(|w| {
            ["id", "no", "num", "number", "nr"].contains(&w.to_ascii_lowercase().as_str())
        })
    {
        words.pop();
    }
    let prefix = words.join("_").to_ascii_uppercase();
    if prefix.is_empty() {
        column.to_ascii_uppercase()
    } else {
        prefix
    }
}

/// The id field: a single-column primary key. A composite key becomes the
/// DynamoDB partition key (its first column) and sort key (the others), and
/// its items get no generated key; a table without a key gets a generated id.
fn primary_key(
    t: &Table,
    entity: &str,
    tables: &[Table],
    field: &dyn Fn(&str) -> String,
    design: &mut Design,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    match t.primary_key.as_slice() {
        [one] => Some(field(one)),
        [] => {
            // A unique column that is never null identifies a row as well as a key does.
            let candidate = t.indexes.iter().find_map(|i| match i.columns.as_slice() {
                [(c, _)]
                    if i.unique && t.columns.iter().any(|col| &col.name == c && col.not_null) =>
                {
                    Some(c)
                }
                _ => None,
            });
            if let Some(column) = candidate {
                findings.push(Finding::info(
                    "sql-no-primary-key",
                    format!("line {}", t.line),
                    format!(
                        "{} has no primary key: its unique, non-null column {column} is the id",
                        t.name
                    ),
                ));
                return Some(field(column));
            }
            findings.push(Finding::warning(
                "sql-no-primary-key",
                format!("line {}", t.line),
                format!("{} has no primary key: items get a generated id", t.name),
            ));
            None
        }
        [first, rest @ ..] => {
            let part = |c: &str| format!("{}#<{}>", column_prefix(tables, t, c), field(c));
            let template = KeyTemplate {
                pk: part(first),
                sk: rest.iter().map(|c| part(c)).collect::<Vec<_>>().join("#"),
            };
            findings.push(Finding::info(
                "sql-composite-key",
                format!("line {}", t.line),
                format!(
                    "{} has a composite primary key ({}): DynamoDB items are keyed {} / {}, and MongoDB gets a compound unique index",
                    t.name,
                    t.primary_key.join(", "),
                    template.pk,
                    template.sk
                ),
            ));
            design
                .dynamo
                .key_templates
                .insert(entity.to_string(), template);
            None
        }
    }
}

/// The patterns an index (or a key) serves: a unique one a getOne by all
/// its columns; a composite one also a list by all but its last column,
/// sorted by the last; a non-unique one on one column a list by it.
fn index_patterns(
    tables: &[Table],
    t: &Table,
    entity: &str,
    columns: &[(String, bool)],
    unique: bool,
    field: &dyn Fn(&str) -> String,
    patterns: &mut Vec<AccessPattern>,
) {
    let plural = names::plural(&names::words(entity));
    let by = |cols: &[(String, bool)]| -> String {
        match cols {
            [(c, _)] => match t
                .foreign_keys
                .iter()
                .find(|fk| fk.columns.as_slice() == [c.clone()])
                .and_then(|fk| entity_of(tables, &fk.table))
            {
                Some(parent) => names::words(&parent),
                None => field(c),
            },
            _ => cols
                .iter()
                .map(|(c, _)| field(c))
                .collect::<Vec<_>>()
                .join(" and "),
        }
    };
    if unique {
        add_pattern(
            patterns,
            AccessPattern {
                equality: columns.iter().map(|(c, _)| field(c)).collect(),
                ..AccessPattern::new(
                    &format!(
                        "Get {} by {}",
                        names::words(entity),
                        columns
                            .iter()
                            .map(|(c, _)| field(c))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                    entity,
                    PatternKind::GetOne,
                )
            },
        );
    }
    match columns {
        [] => {}
        [(only, _)] => {
            if !unique {
                add_pattern(
                    patterns,
                    AccessPattern {
                        equality: vec![field(only)],
                        ..AccessPattern::new(
                            &format!("List {plural} by {}", by(columns)),
                            entity,
                            PatternKind::List,
                        )
                    },
                );
            }
        }
        [prefix @ .., (last, desc)] => {
            let order = if *desc {
                SortOrder::Desc
            } else {
                SortOrder::Asc
            };
            add_pattern(
                patterns,
                AccessPattern {
                    equality: prefix.iter().map(|(c, _)| field(c)).collect(),
                    sort: Some(SortSpec {
                        field: field(last),
                        order,
                    }),
                    ..AccessPattern::new(
                        &format!(
                            "List {plural} by {}{}",
                            by(prefix),
                            if *desc {
                                format!(", newest {} first", field(last))
                            } else {
                                format!(" sorted by {}", field(last))
                            }
                        ),
                        entity,
                        PatternKind::List,
                    )
                },
            );
        }
    }
}

/// Adds a pattern unless one reads the same way already: the same kind on
/// the same fields (a sorted list replaces an unsorted one).
fn add_pattern(patterns: &mut Vec<AccessPattern>, pattern: AccessPattern) {
    let same = patterns.iter_mut().find(|p| {
        p.entity == pattern.entity && p.kind == pattern.kind && p.equality == pattern.equality
    });
    match same {
        Some(p) if p.sort.is_none() && pattern.sort.is_some() => *p = pattern,
        Some(_) => {}
        None => patterns.push(pattern),
    }
}

/// A relationship from the parent of each single-column foreign key, and a
/// pattern listing the children by their parent (unless the key is unique).
fn references(
    tables: &[Table],
    t: &Table,
    entity: &str,
    field: &dyn Fn(&str) -> String,
    design: &mut Design,
    patterns: &mut Vec<AccessPattern>,
    findings: &mut Vec<Finding>,
) {
    for fk in &t.foreign_keys {
        let [col] = fk.columns.as_slice() else {
            findings.push(Finding::warning(
                "sql-composite-foreign-key",
                format!("line {}", fk.line),
                format!(
                    "{} ({}) references {} by a composite key: kept as plain fields, not a relationship",
                    t.name,
                    fk.columns.join(", "),
                    fk.table
                ),
            ));
            continue;
        };
        let Some(parent) = entity_of(tables, &fk.table) else {
            continue;
        };
        let unique = t.column_is_unique(col);
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
            field: Some(field(col)),
            embed: None,
            on_delete: None,
        });
        if parent != entity && !unique {
            index_patterns(
                tables,
                t,
                entity,
                &[(col.clone(), false)],
                false,
                field,
                patterns,
            );
        }
    }
}

/// About how many children a parent has, from both tables' row counts.
fn expected_counts(tables: &[Table], design: &mut Design) {
    let rows = |entity: &str| {
        tables
            .iter()
            .find(|t| !is_join_table(t) && entity_name(&t.name) == entity)
            .and_then(|t| t.rows)
    };
    let link_rows = |from: &str, to: &str| {
        tables.iter().find_map(|t| {
            let rel = join_relationship(tables, t)?;
            (rel.from == from && rel.to == to)
                .then_some(t.rows)
                .flatten()
        })
    };
    for rel in &mut design.relationships {
        let children = if rel.cardinality == Cardinality::ManyToMany {
            link_rows(&rel.from, &rel.to)
        } else {
            rows(&rel.to)
        };
        if let (Some(children), Some(parents)) = (children, rows(&rel.from)) {
            if parents > 0 && rel.cardinality != Cardinality::OneToOne {
                rel.expected_count = (children + parents / 2) / parents;
            } else if rel.cardinality == Cardinality::OneToOne {
                rel.expected_count = 1;
            }
        }
    }
}

/// Where each entity and field came from, for the migration plan.
fn source(dialect: &str, tables: &[Table], design: &Design) -> SqlSource {
    let tables = tables
        .iter()
        .map(|t| {
            let fields_of = field_names(t);
            let link = join_relationship(tables, t).and_then(|rel| {
                let (a, b) = (t.foreign_keys.first()?, t.foreign_keys.get(1)?);
                Some(SqlLink {
                    from: rel.from,
                    from_column: a.columns.first()?.clone(),
                    to: rel.to,
                    to_column: b.columns.first()?.clone(),
                })
            });
            let entity = entity_name(&t.name);
            let is_entity = link.is_none() && design.entity(&entity).is_some();
            SqlTable {
                table: t.qualified.clone(),
                entity: is_entity.then_some(entity),
                columns: t
                    .columns
                    .iter()
                    .map(|c| SqlColumn {
                        column: c.name.clone(),
                        field: if is_entity {
                            fields_of.get(&c.name).cloned()
                        } else {
                            None
                        },
                        sql_type: c.sql_type.clone(),
                    })
                    .collect(),
                link,
                primary_key: t.primary_key.clone(),
                rows: t.rows.unwrap_or(0),
            }
        })
        .collect();
    SqlSource {
        dialect: dialect.to_string(),
        tables,
    }
}
