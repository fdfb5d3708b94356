//! The migration plan of a design imported from SQL.

use expect_test::{expect, expect_file};
use schemaplay_core::export::{export, migration, ExportFormat};
use schemaplay_core::{examples, import, Design};

fn shop() -> Design {
    import::sql(include_str!("fixtures/sql/shop.pg_dump.sql")).design
}

#[test]
fn the_plan_of_a_pg_dump_in_markdown() {
    expect_file!["fixtures/sql/shop.pg_dump.plan.md"]
        .assert_eq(&export(&shop(), ExportFormat::MigrationPlan));
}

#[test]
fn the_plan_reads_a_saved_design() {
    let saved = Design::from_json(&shop().to_json()).map_err(|f| format!("{f:?}"));
    let plan = saved.map(|d| migration::plan(&d));
    assert_eq!(plan, Ok(migration::plan(&shop())));
}

#[test]
fn a_design_not_imported_from_sql_has_no_plan_and_says_why() {
    let Some(example) = examples::all().into_iter().next() else {
        panic!("no example");
    };
    expect![[r#"
        # Migration plan: Users and posts

        - this design was not imported from SQL: a migration plan needs the tables and columns each entity and field came from (import the schema with `schemaplay import --from sql`)
    "#]]
    .assert_eq(&export(&example.design, ExportFormat::MigrationPlan));
}

#[test]
fn renames_follow_into_where_the_design_came_from() {
    use schemaplay_core::model::{rename_entity, rename_field};
    let renamed = rename_field(&shop(), "OrderItem", "lineNo", "position")
        .and_then(|d| rename_entity(&d, "Order", "Purchase"));
    let Ok(design) = renamed else {
        panic!("{renamed:?}");
    };
    assert_eq!(schemaplay_core::validate(&design), Vec::new());
    let Some(source) = &design.sql_source else {
        panic!("no sqlSource");
    };
    let items = source
        .table_of("OrderItem")
        .and_then(|t| t.column_of("position"));
    assert_eq!(items, Some("line_no"));
    assert_eq!(
        source.table_of("Purchase").map(|t| t.table.as_str()),
        Some("public.orders")
    );
    let plan = export(&design, ExportFormat::MigrationPlan);
    assert!(plan.contains(r#"p."line_no" AS "position""#), "{plan}");
}
