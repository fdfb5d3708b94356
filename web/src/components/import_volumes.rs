//! The import dialog of a SQL file: the tables' row counts (the entities' volumes), typed as
//! `table=rows` lines or a JSON object, or read from a volumes file, before the file goes to
//! the importer. `-- rows: N` comments in the SQL count too; what is given here wins.

use gloo::file::callbacks::FileReader;
use yew::prelude::*;

use super::transfer::read_picked;

/// A file to convert in the importer worker, with the row counts of its tables (SQL only).
#[derive(Clone, Debug, PartialEq)]
pub struct ToConvert {
    pub name: String,
    pub text: String,
    /// `table=rows` lines or a JSON object; None or blank: the SQL's own `-- rows:` comments.
    pub volumes: Option<String>,
}

#[derive(Properties, PartialEq)]
pub struct ImportVolumesProps {
    /// The SQL file picked.
    pub name: String,
    /// The volumes as typed (None when left blank).
    pub on_import: Callback<Option<String>>,
    pub on_cancel: Callback<()>,
}

#[function_component(ImportVolumes)]
pub fn import_volumes(props: &ImportVolumesProps) -> Html {
    let volumes = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let reader = use_mut_ref(|| None::<FileReader>);
    let on_text = {
        let volumes = volumes.clone();
        Callback::from(move |e: InputEvent| volumes.set(super::input_value_of_textarea(&e)))
    };
    let on_file = {
        let volumes = volumes.clone();
        let problem = problem.clone();
        Callback::from(move |e: Event| {
            let volumes = volumes.clone();
            let problem = problem.clone();
            *reader.borrow_mut() = read_picked(&e, move |_, text| match text {
                Ok(text) => {
                    problem.set(None);
                    volumes.set(text);
                }
                Err(message) => problem.set(Some(message)),
            });
        })
    };
    let import = {
        let volumes = volumes.clone();
        props
            .on_import
            .reform(move |_: MouseEvent| Some((*volumes).clone()).filter(|v| !v.trim().is_empty()))
    };
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="import-dialog" role="dialog" aria-modal="true" aria-labelledby="import-volumes-title"
            data-testid="import-dialog">
            <section class="card">
                <h3 id="import-volumes-title">{ format!("Import {}", props.name) }</h3>
                <p class="hint">
                    { "How many rows each table holds becomes each entity's volume, which the cost, the sample data and the scaling advice use. One " }
                    <code>{ "table=rows" }</code>{ " a line, or a JSON object (" }
                    <code>{ "{\"orders\": 1200000}" }</code>
                    { "); optional: " }<code>{ "-- rows: N" }</code>{ " comments in the SQL count too, and what you give here wins." }
                </p>
                <label class="import-volumes-label" for="import-volumes">{ "Rows per table" }</label>
                <textarea id="import-volumes" rows="5" value={(*volumes).clone()} oninput={on_text}
                    placeholder={"customers=120000\norders=1200000"} spellcheck="false"
                    data-testid="import-volumes" />
                <div class="import-actions">
                    <label class="file-pick">
                        <span>{ "Read a volumes file…" }</span>
                        <input type="file" accept=".json,.txt,.csv,.properties" onchange={on_file}
                            data-testid="import-volumes-file" />
                    </label>
                    <span class="grow" />
                    <button onclick={cancel} data-testid="import-cancel">{ "Cancel" }</button>
                    <button class="primary" onclick={import} data-testid="import-go">{ "Import" }</button>
                </div>
                if let Some(p) = (*problem).clone() {
                    <p class="hint error" role="alert">{ p }</p>
                }
            </section>
        </div>
    }
}
