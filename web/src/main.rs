//! The schemaplay playground: a Yew app rendered on the client.

mod app;
mod components;
mod exports;
mod hooks;
mod json_lines;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
