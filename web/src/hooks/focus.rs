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

/// How often and how many times [`reveal`] looks for its element: the editor appears a part
/// per frame (`hooks/progressive.rs`), so a pattern of a large design is there after a few.
const REVEAL_EVERY_MS: u32 = 50;
const REVEAL_TRIES: u32 = 40;

/// Scrolls to and highlights the element of a path once a render has shown it.
pub fn reveal(path: &str) {
    if let Some(id) = element_id(path) {
        reveal_id(id, REVEAL_TRIES);
    }
}

fn reveal_id(id: String, tries: u32) {
    gloo::timers::callback::Timeout::new(REVEAL_EVERY_MS, move || {
        match gloo::utils::document().get_element_by_id(&id) {
            Some(el) => {
                el.scroll_into_view();
                let _ = el.class_list().add_1("flash");
                gloo::timers::callback::Timeout::new(1500, move || {
                    let _ = el.class_list().remove_1("flash");
                })
                .forget();
            }
            None if tries > 1 => reveal_id(id, tries - 1),
            None => {}
        }
    })
    .forget();
}
