//! The page's entry point.

fn main() {
    schemaplay_web::run_app();
}
