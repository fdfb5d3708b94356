//! A plain-text code editor: a monospace textarea with a line-number gutter whose lines can be
//! marked (a problem, a statement that ran, one that failed), and a way to put the caret at a
//! line and column. No JavaScript editor: the textarea is the browser's own, so undo, paste,
//! selection and screen readers work as everywhere else.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::textarea_value;

/// Spaces a Tab inserts when the editor indents.
const INDENT: &str = "  ";

/// How a gutter line is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A line of a statement that ran.
    Ran,
    /// A line of a statement that failed.
    Failed,
    /// The line a problem is on.
    Problem,
}

impl Mark {
    fn class(self) -> &'static str {
        match self {
            Mark::Ran => "ran",
            Mark::Failed => "failed",
            Mark::Problem => "bad",
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct CodeEditorProps {
    pub text: AttrValue,
    pub label: AttrValue,
    pub testid: AttrValue,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// The textarea, for [`place_caret`].
    pub area: NodeRef,
    /// Marked lines, 1-based; a later mark of a line wins.
    #[prop_or_default]
    pub marks: Vec<(usize, Mark)>,
    /// The fewest rows shown.
    #[prop_or(1)]
    pub min_rows: usize,
    /// Tab inserts spaces instead of leaving the editor (Escape, then Tab, still leaves it).
    #[prop_or(false)]
    pub indent_with_tab: bool,
    /// Ctrl+Enter (Cmd+Enter) runs.
    #[prop_or_default]
    pub on_run: Option<Callback<()>>,
    pub on_input: Callback<String>,
    #[prop_or_default]
    pub class: Classes,
}

#[function_component(CodeEditor)]
pub fn code_editor(props: &CodeEditorProps) -> Html {
    // After Escape, the next Tab moves the focus on, as keyboard users expect of a page.
    let escaped = use_mut_ref(|| false);
    let onkeydown = {
        let on_run = props.on_run.clone();
        let on_input = props.on_input.clone();
        let indent = props.indent_with_tab;
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let was_escaped = std::mem::replace(&mut *escaped.borrow_mut(), key == "Escape");
            if key == "Enter" && (e.ctrl_key() || e.meta_key()) {
                if let Some(run) = &on_run {
                    e.prevent_default();
                    run.emit(());
                }
            } else if key == "Tab"
                && indent
                && !was_escaped
                && !e.shift_key()
                && !e.ctrl_key()
                && !e.alt_key()
                && !e.meta_key()
            {
                if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                    e.prevent_default();
                    if area.set_range_text(INDENT).is_ok() {
                        let end = area.selection_end().ok().flatten().unwrap_or(0);
                        let _ = area.set_selection_range(end, end);
                        on_input.emit(area.value());
                    }
                }
            }
        })
    };
    let oninput = props.on_input.reform(|e: InputEvent| textarea_value(&e));
    let lines = props.text.lines().count().max(1) + usize::from(props.text.ends_with('\n'));
    // The textarea is as wide and as tall as its text, so it never scrolls inside: the editor
    // scrolls it and the gutter together. Monospace: a character is about `1ch`, a tab 8.
    let columns = props
        .text
        .lines()
        .map(|l| {
            l.chars()
                .map(|c| if c == '\t' { 8 } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0);
    let width = format!("width: calc({}ch + 2rem)", columns + 2);
    let mut marks: Vec<Option<Mark>> = vec![None; lines + 1];
    for &(line, mark) in &props.marks {
        if let Some(slot) = marks.get_mut(line) {
            *slot = Some(mark);
        }
    }
    let gutter = (1..=lines).map(|n| {
        let class = marks.get(n).copied().flatten().map(Mark::class);
        html! { <div class={classes!(class)} data-line={n.to_string()}>{ n }</div> }
    });
    html! {
        <div class={classes!("code-edit", props.class.clone())}>
            <div class="code-lines">
            <div class="gutter" aria-hidden="true" data-testid={format!("{}-gutter", props.testid)}>{ for gutter }</div>
            <textarea ref={props.area.clone()} spellcheck="false" autocomplete="off" autocapitalize="off"
                aria-label={props.label.clone()} data-testid={props.testid.clone()} wrap="off"
                placeholder={props.placeholder.clone()}
                value={props.text.clone()} {oninput} {onkeydown} style={width}
                rows={lines.max(props.min_rows).to_string()} />
            </div>
        </div>
    }
}

/// Puts the caret of the editor at a 1-based line and column (in characters) of `text`, or
/// selects the whole line when there is no column, and brings it into view.
pub fn place_caret(area: &NodeRef, text: &str, line: usize, column: Option<usize>) {
    let Some(el) = area.cast::<HtmlTextAreaElement>() else {
        return;
    };
    let (start, end) = caret_range(text, line, column);
    let _ = el.focus();
    let _ = el.set_selection_range(start, end);
    // The textarea grows with its text, so the editor around it is what has to scroll.
    if let Some(parent) = el.parent_element().and_then(|lines| lines.parent_element()) {
        let rows = text.lines().count().max(1) as f64;
        let height = f64::from(el.scroll_height());
        let top = height * (line.saturating_sub(1)) as f64 / rows;
        let visible = f64::from(parent.client_height());
        parent.set_scroll_top((top - visible / 3.0).max(0.0) as i32);
    }
}

/// The UTF-16 range (what a textarea counts in) of a line and column: the caret at the column,
/// or the whole line when there is no column. Past the end is the end.
fn caret_range(text: &str, line: usize, column: Option<usize>) -> (u32, u32) {
    let utf16 = |s: &str| s.encode_utf16().count() as u32;
    let before: u32 = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(utf16)
        .sum();
    let this = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    match column {
        Some(column) => {
            let into: String = this.chars().take(column.saturating_sub(1)).collect();
            let at = before + utf16(&into);
            (at, at)
        }
        None => (before, before + utf16(this)),
    }
}

#[cfg(test)]
mod tests {
    use super::caret_range;

    #[test]
    fn caret_ranges_count_utf16_like_a_textarea() {
        let text = "db.a.find()\nconst é = '🦀x'\n\nlast";
        assert_eq!(caret_range(text, 1, Some(1)), (0, 0));
        assert_eq!(caret_range(text, 1, None), (0, 11));
        // Line 2 starts after 12 characters; the crab is two UTF-16 units.
        assert_eq!(caret_range(text, 2, Some(7)), (18, 18));
        assert_eq!(caret_range(text, 2, Some(14)), (26, 26));
        assert_eq!(caret_range(text, 2, None), (12, 27));
        assert_eq!(caret_range(text, 3, None), (28, 28));
        assert_eq!(caret_range(text, 4, Some(99)), (33, 33));
        assert_eq!(caret_range(text, 4, None), (29, 33));
        assert_eq!(caret_range(text, 9, Some(1)), (33, 33));
    }
}
