//! A button that copies a text to the clipboard and says so.

use yew::prelude::*;

/// Copies a text to the clipboard; browsers that refuse leave the text where it is shown.
pub fn copy_text(text: &str) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let _ = clipboard.write_text(text);
}

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: AttrValue,
    /// What is copied, for screen readers: "Copy the mongoose schema".
    pub label: AttrValue,
    #[prop_or_default]
    pub testid: AttrValue,
}

#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let copied = use_state(|| false);
    let onclick = {
        let copied = copied.clone();
        let text = props.text.clone();
        Callback::from(move |_| {
            copy_text(&text);
            copied.set(true);
        })
    };
    html! {
        <button class="small" aria-label={props.label.clone()} data-testid={props.testid.clone()} {onclick}>
            { if *copied { "Copied ✓" } else { "Copy" } }
        </button>
    }
}
