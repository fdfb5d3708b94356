//! The schemaplay playground: a Yew app rendered on the client, and the Web Worker that runs
//! the simulators on generated data.

mod app;
mod components;
mod data;
mod derived;
pub mod engine;
mod exports;
mod hooks;
mod import;
mod json_lines;
mod state;
pub mod worker;

/// Renders the app into the page's body.
pub fn run_app() {
    yew::Renderer::<app::App>::new().render();
}
