//! Long views built a part at a time, so that no single main-thread task builds (and lays out)
//! a whole view: the editor of a large design is thousands of elements, which took one task of
//! 130-290 ms while the worker generated data (issue 16: no task over 50 ms).

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Everything is shown: later renders (an edit, a part added) show every part at once.
const ALL: usize = usize::MAX;

/// How many of a view's `total` parts to render now: `first` when the view appears, then
/// `step` more at each animation frame until every part is shown, so each frame builds and
/// lays out only its own parts. Once all were shown, it stays `total` whatever `total` becomes.
#[hook]
pub fn use_progressive(total: usize, first: usize, step: usize) -> usize {
    let shown = use_state_eq(|| if first >= total { ALL } else { first });
    {
        let shown = shown.clone();
        use_effect_with((*shown, total), move |&(now, total)| {
            // Leaving the view (or a new total) makes the frame not yet run do nothing. The
            // frame's closure frees itself when it runs: dropping it from the render its own
            // `set` starts would drop a closure while it runs.
            let cancelled = Rc::new(Cell::new(false));
            if now < total {
                let cancelled = cancelled.clone();
                let next = Closure::once_into_js(move || {
                    if !cancelled.get() {
                        let next = now.saturating_add(step.max(1));
                        shown.set(if next >= total { ALL } else { next });
                    }
                });
                let _ = gloo::utils::window().request_animation_frame(next.unchecked_ref());
            }
            move || cancelled.set(true)
        });
    }
    (*shown).min(total)
}
