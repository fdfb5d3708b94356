//! Validation findings shown next to the input they concern: each form asks for those whose
//! path is within its own (`accessPatterns[2]`, `entities[0].fields[1]`).

use schemaplay_core::model::Finding;
use yew::prelude::*;

/// The findings at `path` or inside it, as a list under the input; nothing when there are none.
pub fn findings_at(findings: &[Finding], path: &str) -> Html {
    let within = |f: &&Finding| {
        f.path == path
            || f.path
                .strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    let shown: Vec<&Finding> = findings.iter().filter(within).collect();
    if shown.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="findings-here" role="list" data-path={path.to_string()}>
            { for shown.iter().map(|f| html! {
                <li class={format!("finding {}", f.severity)} data-testid="finding-here">
                    { f.message.clone() }
                </li>
            }) }
        </ul>
    }
}
