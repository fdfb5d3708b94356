//! The app shell: header, navigation between the views, and the main panel.

use yew::prelude::*;

/// The views of the playground, in the order the navigation lists them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    Design,
    Mongo,
    Dynamo,
    Query,
}

impl View {
    pub const ALL: [View; 4] = [View::Design, View::Mongo, View::Dynamo, View::Query];

    pub fn label(self) -> &'static str {
        match self {
            View::Design => "Design",
            View::Mongo => "MongoDB",
            View::Dynamo => "DynamoDB",
            View::Query => "Query console",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            View::Design => "design",
            View::Mongo => "mongo",
            View::Dynamo => "dynamo",
            View::Query => "query",
        }
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let view = use_state(|| View::Design);
    let nav = View::ALL.iter().map(|&v| {
        let onclick = {
            let view = view.clone();
            Callback::from(move |_| view.set(v))
        };
        let current = *view == v;
        html! {
            <button class={classes!("nav-item", current.then_some("active"))}
                data-testid={format!("nav-{}", v.id())}
                aria-current={current.then_some("page")}
                {onclick}>{ v.label() }</button>
        }
    });
    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand">{ "schemaplay" }</h1>
                <span class="version" data-testid="core-version">{ format!("core {}", schemaplay_core::VERSION) }</span>
            </header>
            <nav class="app-nav" aria-label="Views">{ for nav }</nav>
            <main class="app-main" data-testid={format!("view-{}", view.id())}>
                <h2>{ view.label() }</h2>
            </main>
        </div>
    }
}
