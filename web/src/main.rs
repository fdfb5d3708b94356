//! The schemaplay playground: a Yew app rendered on the client.

mod app;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
