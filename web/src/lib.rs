//! The schemaplay playground: a Yew app rendered on the client, and the Web Worker that runs
//! the simulators on generated data.

mod app;
mod codec;
mod components;
mod data;
mod derived;
mod exports;
#[cfg(test)]
mod form_keys;
mod hooks;
mod import;
mod json_lines;
mod panic;
mod requests;
mod state;
pub mod worker;

/// Renders the app into the page's body.
pub fn run_app() {
    panic::install();
    yew::Renderer::<app::App>::new().render();
}
