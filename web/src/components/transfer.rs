//! Import and export of designs as files: the design JSON, NoSQL Workbench JSON, SQL DDL.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use gloo::file::File;
use schemaplay_core::model::Design;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TransferProps {
    pub design: Rc<Design>,
    /// The imported design, or why the file could not be imported.
    pub on_import: Callback<Result<(Design, String), String>>,
    /// A file in another format (NoSQL Workbench JSON, SQL DDL), as (name, text), to convert in
    /// the worker, which holds the importers.
    pub on_convert: Callback<(String, String)>,
}

#[function_component(Transfer)]
pub fn transfer(props: &TransferProps) -> Html {
    let reader = use_mut_ref(|| None::<FileReader>);
    let input = use_node_ref();
    let onchange = {
        let reader = reader.clone();
        let on_import = props.on_import.clone();
        let on_convert = props.on_convert.clone();
        Callback::from(move |e: Event| {
            let Some(el) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = el.files().and_then(|files| files.get(0)) else {
                return;
            };
            el.set_value("");
            let file = File::from(file);
            let name = file.name();
            let on_import = on_import.clone();
            let on_convert = on_convert.clone();
            let slot: Rc<RefCell<Option<FileReader>>> = reader.clone();
            let task = gloo::file::callbacks::read_as_text(&file, move |text| match text {
                Ok(text) => match crate::import::read_design_file(&name, &text) {
                    Ok(Some(design)) => on_import.emit(Ok((design, String::new()))),
                    Ok(None) => on_convert.emit((name.clone(), text)),
                    Err(message) => on_import.emit(Err(message)),
                },
                Err(e) => on_import.emit(Err(format!("could not read {name}: {e}"))),
            });
            *slot.borrow_mut() = Some(task);
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
        </>
    }
}

/// A file name for a design: `blog-design.json`.
fn file_name(design_name: &str) -> String {
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
