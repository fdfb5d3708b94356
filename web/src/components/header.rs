//! The header: the design's name and save status, undo and redo, the share link, import and
//! export, and the theme switch.

use std::rc::Rc;

use schemaplay_core::model::Design;
use schemaplay_core::share;
use yew::prelude::*;

use super::input_value;
use super::transfer::Transfer;
use crate::hooks::fragment;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub design: Rc<Design>,
    /// Whether edits are saved in this browser.
    pub saved: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    pub on_action: Callback<Action>,
    /// What the share link carries besides the design: the view and the console, when they
    /// are not what a fresh page shows.
    pub console: Option<share::Console>,
    /// The share link of the design, once copied.
    pub on_share: Callback<String>,
    pub on_import: Callback<Result<(Design, String), String>>,
    pub on_convert: Callback<super::import_volumes::ToConvert>,
    pub theme: String,
    /// The theme to switch to.
    pub on_theme: Callback<String>,
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let on_name = props
        .on_action
        .reform(|e: Event| Action::SetName(input_value(&e)));
    let undo = props.on_action.reform(|_: MouseEvent| Action::Undo);
    let redo = props.on_action.reform(|_: MouseEvent| Action::Redo);
    let copy_link = {
        let design = props.design.clone();
        let console = props.console.clone();
        props.on_share.reform(move |_: MouseEvent| {
            let link = fragment::link(&design, console.as_ref());
            super::copy_button::copy_text(&link);
            link
        })
    };
    let other = if props.theme == "dark" {
        "light"
    } else {
        "dark"
    };
    let toggle_theme = props
        .on_theme
        .reform(move |_: MouseEvent| other.to_string());
    html! {
        <header class="app-header">
            <h1 class="brand">{ "schemaplay" }</h1>
            <span class="version" data-testid="core-version">{ format!("core {}", schemaplay_core::VERSION) }</span>
            <input class="design-name" value={props.design.name.clone()} aria-label="Design name"
                data-testid="design-name" onchange={on_name} />
            <span class="save-status" data-testid="save-status">
                { if props.saved { "saved in this browser" } else { "not saved yet" } }</span>
            <span class="grow" />
            <button class="icon" onclick={undo} disabled={!props.can_undo} data-testid="undo"
                aria-label="Undo (Ctrl+Z)" title="Undo (Ctrl+Z)">{ "↶" }</button>
            <button class="icon" onclick={redo} disabled={!props.can_redo} data-testid="redo"
                aria-label="Redo (Ctrl+Shift+Z)" title="Redo (Ctrl+Shift+Z)">{ "↷" }</button>
            <button onclick={copy_link} data-testid="copy-link">{ "Copy link" }</button>
            <Transfer design={props.design.clone()} on_import={props.on_import.clone()} on_convert={props.on_convert.clone()} />
            <button class="icon" onclick={toggle_theme} data-testid="theme"
                aria-label={format!("Switch to the {other} theme")}>
                { if props.theme == "dark" { "☀" } else { "☾" } }</button>
        </header>
    }
}
