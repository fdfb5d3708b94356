//! What the page says about saving when it is not simply done: the design is not saved
//! (storage full or unavailable), or another tab saved it while this one had changes.

use yew::prelude::*;

use crate::hooks::saving::Saving;

#[derive(Properties, PartialEq)]
pub struct StorageNoticeProps {
    pub saving: Saving,
}

#[function_component(StorageNotice)]
pub fn storage_notice(props: &StorageNoticeProps) -> Html {
    let saving = &props.saving;
    let conflict = saving.conflict.as_ref().map(|_| {
        html! {
            <div class="notice error conflict" role="alert" data-testid="notice-conflict">
                <span>{ "Another tab saved this design while you changed it here. Both versions are kept until you choose: load theirs (your changes here are dropped), or keep yours as a new saved design." }</span>
                <button class="small" onclick={saving.on_theirs.reform(|_: MouseEvent| ())} data-testid="load-theirs">{ "Load theirs" }</button>
                <button class="small primary" onclick={saving.on_mine.reform(|_: MouseEvent| ())} data-testid="keep-mine">{ "Keep mine (save as copy)" }</button>
            </div>
        }
    });
    let failure = saving.failure.as_ref().map(|why| {
        html! {
            <div class="notice error" role="alert" data-testid="notice-unsaved">
                <span>{ format!("This design is NOT saved: {why}. It stays open in this tab: use Export or Copy link to keep it. Saving resumes by itself when storage works again.") }</span>
                <button class="small" onclick={saving.on_retry.reform(|_: MouseEvent| ())} data-testid="retry-save">{ "Try again" }</button>
            </div>
        }
    });
    html! { <>{ conflict }{ failure }</> }
}
