//! What the page knows about the worker's data: generation progress, the last summary, and the
//! latest answer to a query. Plain Rust, reduced from the worker's responses.

use std::rc::Rc;

use yew::Reducible;

use crate::engine::{Response, Summary};

/// The id of generation requests; queries use ids from 1 up.
pub const GENERATE_ID: u32 = 0;
/// Imports use ids from here up.
pub const IMPORT_IDS: u32 = 1 << 30;

/// A converted import: (design JSON, note), or why it failed.
pub type Converted = Result<(String, String), String>;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct DataState {
    /// (done, total, stage) while generating.
    pub progress: Option<(u64, u64, String)>,
    pub summary: Option<Summary>,
    /// The design revision the data was generated from.
    pub generated_from: Option<u64>,
    pub error: Option<String>,
    /// The latest converted import: its id and the (design JSON, note), or the error.
    pub imported: Option<(u32, Converted)>,
    /// The latest answer to a query: its id and the result JSON or the error message.
    pub answer: Option<(u32, Result<String, String>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DataAction {
    Started { revision: u64 },
    Response(Response),
}

impl Reducible for DataState {
    type Action = DataAction;

    fn reduce(self: Rc<Self>, action: DataAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            DataAction::Started { revision } => {
                next.progress = Some((0, 1, "starting the worker".to_string()));
                next.generated_from = Some(revision);
                next.error = None;
            }
            DataAction::Response(Response::Progress {
                done, total, stage, ..
            }) => next.progress = Some((done, total, stage)),
            DataAction::Response(Response::Generated { summary, .. }) => {
                next.progress = None;
                next.summary = Some(summary);
            }
            DataAction::Response(Response::Result { id, json }) => {
                next.answer = Some((id, Ok(json)))
            }
            DataAction::Response(Response::Imported {
                id,
                design_json,
                note,
            }) => next.imported = Some((id, Ok((design_json, note)))),
            DataAction::Response(Response::Error { id, message }) => {
                if id >= IMPORT_IDS {
                    next.imported = Some((id, Err(message)));
                } else if id == GENERATE_ID {
                    next.progress = None;
                    next.error = Some(message);
                } else {
                    next.answer = Some((id, Err(message)));
                }
            }
        }
        Rc::new(next)
    }
}
