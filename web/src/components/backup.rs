//! The backup buttons of the saved designs: download every saved design (with its console) as
//! one file, and restore such a file beside the designs saved here.

use gloo::file::callbacks::FileReader;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::transfer::read_picked;

#[derive(Properties, PartialEq)]
pub struct BackupProps {
    pub on_backup: Callback<()>,
    /// A backup file picked, as (name, text), or why it could not be read.
    pub on_restore: Callback<Result<(String, String), String>>,
}

#[function_component(BackupButtons)]
pub fn backup_buttons(props: &BackupProps) -> Html {
    let reader = use_mut_ref(|| None::<FileReader>);
    let input = use_node_ref();
    let onchange = {
        let on_restore = props.on_restore.clone();
        Callback::from(move |e: Event| {
            let on_restore = on_restore.clone();
            let task = read_picked(&e, move |name, text| {
                on_restore.emit(text.map(|text| (name, text)))
            });
            *reader.borrow_mut() = task;
        })
    };
    let pick = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                el.click();
            }
        })
    };
    html! {
        <div class="field-line backup">
            <button onclick={props.on_backup.reform(|_: MouseEvent| ())} data-testid="backup-export"
                title="Download every saved design, with its query console, as one file">{ "Download a backup" }</button>
            <button onclick={pick} data-testid="backup-import"
                title="Add the designs of a backup file to the ones saved here; nothing saved here is replaced">{ "Restore a backup…" }</button>
            <input ref={input} type="file" class="hidden" accept=".json"
                aria-label="Restore a backup file" data-testid="backup-file" {onchange} />
        </div>
    }
}
