//! Bringing the element a finding's path names into view.

/// The element id of the editor part a path names: `entities[2].fields[0]` → `entity-2`.
pub fn element_id(path: &str) -> Option<String> {
    let head = path.split('.').next()?;
    let (kind, rest) = head.split_once('[')?;
    let index: usize = rest.strip_suffix(']')?.parse().ok()?;
    let prefix = match kind {
        "entities" => "entity",
        "relationships" => "rel",
        "accessPatterns" => "pattern",
        _ => return None,
    };
    Some(format!("{prefix}-{index}"))
}

/// Scrolls to and highlights the element of a path once the next render has shown it.
pub fn reveal(path: &str) {
    let Some(id) = element_id(path) else {
        return;
    };
    gloo::timers::callback::Timeout::new(50, move || {
        if let Some(el) = gloo::utils::document().get_element_by_id(&id) {
            el.scroll_into_view();
            let _ = el.class_list().add_1("flash");
            gloo::timers::callback::Timeout::new(1500, move || {
                let _ = el.class_list().remove_1("flash");
            })
            .forget();
        }
    })
    .forget();
}
