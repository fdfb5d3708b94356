//! The importer Web Worker's entry point: NoSQL Workbench and SQL DDL files become designs here,
//! so the SQL parser is fetched only when a user imports a file.

fn main() {
    schemaplay_web::worker::register_importer();
}
