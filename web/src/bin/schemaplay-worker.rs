//! The Web Worker's entry point: the simulators and the sample data live here.

fn main() {
    schemaplay_web::worker::register();
}
