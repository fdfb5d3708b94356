//! The exports a view offers, each with a copy and a download button.

use yew::prelude::*;

use super::copy_button::CopyButton;
use crate::exports::Export;

/// Renders `items` as one card; `id` names the card's heading for screen readers.
pub fn export_list(id: &str, items: Vec<Export>) -> Html {
    html! {
        <section class="card" aria-labelledby={id.to_string()}>
            <h3 id={id.to_string()}>{ "Exports" }</h3>
            { for items.into_iter().map(|e| {
                let download = {
                    let (name, text) = (e.file_name.clone(), e.text.clone());
                    Callback::from(move |_: MouseEvent| super::transfer::download(&name, &text))
                };
                html! {
                    <details class="export" data-testid="export">
                        <summary>{ e.title.clone() }<span class="meta">{ format!(" · {}", e.file_name) }</span></summary>
                        <div class="card-head"><span class="grow" />
                            <CopyButton text={e.text.clone()} label={format!("Copy the {}", e.title)} />
                            <button class="small" onclick={download} aria-label={format!("Download the {}", e.title)}>{ "Download" }</button></div>
                        { e.view.unwrap_or_else(|| html! { <pre class="code">{ e.text }</pre> }) }
                    </details>
                }
            }) }
        </section>
    }
}
