//! Import and export of designs as files: the design JSON, NoSQL Workbench JSON, SQL DDL.

use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use gloo::file::File;
use schemaplay_core::model::Design;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::import_volumes::{ImportVolumes, ToConvert};

#[derive(Properties, PartialEq)]
pub struct TransferProps {
    pub design: Rc<Design>,
    /// The imported design, or why the file could not be imported.
    pub on_import: Callback<Result<(Design, String), String>>,
    /// A file in another format (NoSQL Workbench JSON, SQL DDL) to convert in the worker,
    /// which holds the importers; a SQL file after its import dialog (the tables' rows).
    pub on_convert: Callback<ToConvert>,
}

#[function_component(Transfer)]
pub fn transfer(props: &TransferProps) -> Html {
    let reader = use_mut_ref(|| None::<FileReader>);
    let input = use_node_ref();
    // A SQL file waiting for its import dialog.
    let sql = use_state(|| None::<(String, String)>);
    let onchange = {
        let reader = reader.clone();
        let on_import = props.on_import.clone();
        let on_convert = props.on_convert.clone();
        let sql = sql.clone();
        Callback::from(move |e: Event| {
            let on_import = on_import.clone();
            let on_convert = on_convert.clone();
            let sql = sql.clone();
            let task = read_picked(&e, move |name, text| match text {
                Ok(text) => match crate::import::read_design_file(&name, &text) {
                    Ok(Some(design)) => on_import.emit(Ok((design, String::new()))),
                    // A JSON file that is no design is a NoSQL Workbench model: no volumes.
                    Ok(None) if text.trim_start().starts_with('{') => on_convert.emit(ToConvert {
                        name,
                        text,
                        volumes: None,
                    }),
                    Ok(None) => sql.set(Some((name, text))),
                    Err(message) => on_import.emit(Err(message)),
                },
                Err(message) => on_import.emit(Err(message)),
            });
            *reader.borrow_mut() = task;
        })
    };
    let dialog = (*sql).clone().map(|(name, text)| {
        let on_import = {
            let sql = sql.clone();
            let name = name.clone();
            props.on_convert.reform(move |volumes: Option<String>| {
                sql.set(None);
                ToConvert {
                    name: name.clone(),
                    text: text.clone(),
                    volumes,
                }
            })
        };
        let on_cancel = {
            let sql = sql.clone();
            Callback::from(move |()| sql.set(None))
        };
        html! { <ImportVolumes {name} {on_import} {on_cancel} /> }
    });
    let pick = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                el.click();
            }
        })
    };
    let export = {
        let design = props.design.clone();
        Callback::from(move |_: MouseEvent| download(&file_name(&design.name), &design.to_json()))
    };
    html! {
        <>
            <button onclick={pick} data-testid="import" title="Import a design JSON, NoSQL Workbench JSON or SQL DDL file">{ "Import…" }</button>
            <input ref={input} type="file" class="hidden" accept=".json,.sql,.ddl,.txt"
                aria-label="Import a design JSON, NoSQL Workbench JSON or SQL DDL file"
                data-testid="import-file" {onchange} />
            <button onclick={export} data-testid="export">{ "Export" }</button>
            { for dialog }
        </>
    }
}

/// Reads the file picked in the `<input type="file">` an event came from, then calls `done`
/// with its name and its text (or why it could not be read). The reader must be kept until
/// then.
pub fn read_picked(
    e: &Event,
    done: impl FnOnce(String, Result<String, String>) + 'static,
) -> Option<FileReader> {
    let el = e.target_dyn_into::<HtmlInputElement>()?;
    let file = el.files().and_then(|files| files.get(0))?;
    el.set_value("");
    let file = File::from(file);
    let name = file.name();
    Some(gloo::file::callbacks::read_as_text(&file, move |text| {
        let text = text.map_err(|e| format!("could not read {name}: {e}"));
        done(name, text)
    }))
}

/// A file name for a design: `blog-design.json`.
pub fn file_name(design_name: &str) -> String {
    let slug: String = design_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-');
    format!(
        "{}.schemaplay.json",
        if slug.is_empty() { "design" } else { slug }
    )
}

/// Offers a text as a file download.
pub fn download(file_name: &str, text: &str) {
    let blob = gloo::file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo::file::ObjectUrl::from(blob);
    let document = gloo::utils::document();
    if let Ok(a) = document.create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", file_name);
        if let Some(a) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&a) {
            a.click();
        }
    }
}
