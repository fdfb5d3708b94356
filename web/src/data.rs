//! What the page knows of the worker's playground: generation progress, the last summary, the
//! console (its forms, the request on its way, the answer), and a converted import. Plain Rust,
//! reduced from the worker's replies, which are matched to what asked for them by id alone.

use std::rc::Rc;

use schemaplay_core::model::Design;
use schemaplay_playground::{
    DynamoAnswer, DynamoForm, Envelope, Error, InputProblem, MongoAnswer, MongoForm, Progress,
    Reply, RequestId, Summary,
};
use yew::Reducible;

use crate::derived::Shared;

/// A converted import: the design and a note, or why it failed.
pub type Converted = Result<(Design, String), String>;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct DataState {
    /// How far the generation on its way has come.
    pub progress: Option<Progress>,
    pub summary: Option<Summary>,
    /// The design revision the data was generated from.
    pub generated_from: Option<u64>,
    pub error: Option<String>,
    /// The latest converted import and the id of its request.
    pub imported: Option<(RequestId, Converted)>,
    pub console: Console,
    generating: Option<RequestId>,
    importing: Option<RequestId>,
}

/// The query console: it lives here, above the views, so it is still there after a visit to
/// another view.
#[derive(Clone, Debug, PartialEq)]
pub struct Console {
    pub database: Database,
    /// The forms as the user left them; `None` until the user touches one, when the console
    /// shows a fresh form for the design on screen.
    pub mongo: Option<MongoForm>,
    pub dynamo: Option<DynamoForm>,
    /// Items per entity to generate, as typed.
    pub per_entity: String,
    pub view_json: bool,
    /// The request whose answer the console waits for.
    pub pending: Option<RequestId>,
    /// The answer to the last request run, shared between renders.
    pub answer: Option<Shared<Answer>>,
    /// Inputs of the last run that were not valid JSON.
    pub problems: Vec<InputProblem>,
}

impl Default for Console {
    fn default() -> Self {
        Console {
            database: Database::Mongo,
            mongo: None,
            dynamo: None,
            per_entity: "1000".to_string(),
            view_json: false,
            pending: None,
            answer: None,
            problems: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Database {
    Mongo,
    Dynamo,
}

/// What the console shows under its form.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Mongo(MongoAnswer),
    Dynamo(DynamoAnswer),
    /// The database's (or the worker's) error.
    Failed(String),
}

/// What a request sent to the worker was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A generation, from the design at this revision.
    Generate {
        revision: u64,
    },
    Import,
    /// A run of the console's form.
    Query,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DataAction {
    /// A request went to the worker with this id.
    Sent {
        id: RequestId,
        purpose: Purpose,
    },
    /// A reply came back (boxed: a reply can hold a whole design).
    Reply(Box<Envelope<Reply>>),
    /// The console's edits.
    SetDatabase(Database),
    SetMongo(MongoForm),
    SetDynamo(DynamoForm),
    SetPerEntity(String),
    ToggleView,
    /// Another design was opened: its console starts afresh (the data stays until the next
    /// generation).
    ResetConsole,
}

impl Reducible for DataState {
    type Action = DataAction;

    fn reduce(self: Rc<Self>, action: DataAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            DataAction::Sent { id, purpose } => next.sent(id, purpose),
            DataAction::Reply(reply) => next.replied(reply.id, reply.body),
            DataAction::SetDatabase(database) => {
                if database != next.console.database {
                    // The answer belongs to the other database's input.
                    next.console.database = database;
                    next.console.answer = None;
                    next.console.problems.clear();
                    next.console.pending = None;
                }
            }
            DataAction::SetMongo(form) => next.console.mongo = Some(form),
            DataAction::SetDynamo(form) => next.console.dynamo = Some(form),
            DataAction::SetPerEntity(text) => next.console.per_entity = text,
            DataAction::ToggleView => next.console.view_json = !next.console.view_json,
            DataAction::ResetConsole => {
                next.console = Console {
                    per_entity: next.console.per_entity.clone(),
                    view_json: next.console.view_json,
                    ..Console::default()
                }
            }
        }
        Rc::new(next)
    }
}

impl DataState {
    /// Whether a generation is on its way.
    pub fn generating(&self) -> bool {
        self.generating.is_some()
    }

    fn sent(&mut self, id: RequestId, purpose: Purpose) {
        match purpose {
            Purpose::Generate { revision } => {
                self.generating = Some(id);
                self.progress = Some(Progress {
                    done: 0,
                    total: 1,
                    stage: "starting the worker".to_string(),
                });
                self.generated_from = Some(revision);
                self.error = None;
            }
            Purpose::Import => self.importing = Some(id),
            Purpose::Query => {
                self.console.pending = Some(id);
                self.console.answer = None;
                self.console.problems.clear();
            }
        }
    }

    fn replied(&mut self, id: RequestId, reply: Reply) {
        if Some(id) == self.generating {
            match reply {
                Reply::Progress(progress) => self.progress = Some(progress),
                Reply::Generated(summary) => {
                    self.generating = None;
                    self.progress = None;
                    self.summary = Some(summary);
                }
                other => {
                    self.generating = None;
                    self.progress = None;
                    self.error = Some(failure(other));
                }
            }
        } else if Some(id) == self.importing {
            self.importing = None;
            self.imported = Some((
                id,
                match reply {
                    Reply::Imported { design, note } => Ok((design, note)),
                    other => Err(failure(other)),
                },
            ));
        } else if Some(id) == self.console.pending {
            self.console.pending = None;
            let answer = match reply {
                Reply::Mongo(answer) => Answer::Mongo(answer),
                Reply::Dynamo(answer) => Answer::Dynamo(answer),
                Reply::Failed(Error::Inputs(problems)) => {
                    self.console.problems = problems;
                    return;
                }
                other => Answer::Failed(failure(other)),
            };
            self.console.answer = Some(Shared::new(answer));
        }
        // Anything else answers a request nobody waits for any more.
    }
}

/// The message of a reply that is not the one asked for.
fn failure(reply: Reply) -> String {
    match reply {
        Reply::Failed(error) => error.to_string(),
        other => format!("the worker answered unexpectedly: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use schemaplay_playground::{DynamoAnswer, Rows};
    use serde_json::json;

    use super::*;

    fn reply(id: u64, body: Reply) -> DataAction {
        DataAction::Reply(Box::new(Envelope {
            id: RequestId(id),
            body,
        }))
    }

    fn mongo_rows(n: usize) -> Reply {
        Reply::Mongo(MongoAnswer {
            result: json!(vec![json!({}); n]),
            rows: Rows::All,
            stats: Vec::new(),
            explain: None,
        })
    }

    fn run(actions: Vec<DataAction>) -> Rc<DataState> {
        actions
            .into_iter()
            .fold(Rc::new(DataState::default()), |state, action| {
                state.reduce(action)
            })
    }

    fn rows(state: &DataState) -> Option<usize> {
        match state.console.answer.as_deref() {
            Some(Answer::Mongo(answer)) => Some(answer.rows().len()),
            Some(Answer::Dynamo(answer)) => Some(answer.rows.len()),
            _ => None,
        }
    }

    /// Answers are matched by id alone: an answer to an earlier run, or to nothing, is not shown.
    #[test]
    fn answers_match_their_request_by_id() {
        let query = |id| DataAction::Sent {
            id: RequestId(id),
            purpose: Purpose::Query,
        };
        let state = run(vec![query(1), query(2), reply(1, mongo_rows(1))]);
        assert_eq!(rows(&state), None);
        assert_eq!(state.console.pending, Some(RequestId(2)));
        let state = run(vec![
            query(1),
            query(2),
            reply(1, mongo_rows(1)),
            reply(2, mongo_rows(2)),
        ]);
        assert_eq!(rows(&state), Some(2));
        assert_eq!(state.console.pending, None);
        let state = run(vec![reply(7, mongo_rows(1))]);
        assert_eq!(rows(&state), None);
    }

    /// A failed run, and a switch of database, clear the answer that no longer belongs to the
    /// input; a JSON mistake is shown at its input instead of an answer.
    #[test]
    fn stale_answers_are_cleared() {
        let query = |id| DataAction::Sent {
            id: RequestId(id),
            purpose: Purpose::Query,
        };
        let answered = vec![query(1), reply(1, mongo_rows(3))];
        assert_eq!(rows(&run(answered.clone())), Some(3));
        let failed = run([
            answered.clone(),
            vec![
                query(2),
                reply(2, Reply::Failed(Error::Message("boom".into()))),
            ],
        ]
        .concat());
        assert_eq!(
            failed.console.answer.as_deref(),
            Some(&Answer::Failed("boom".into()))
        );
        let problem = InputProblem {
            input: "filter".into(),
            message: "line 1, column 2: x".into(),
            excerpt: String::new(),
        };
        let broken = run([
            answered.clone(),
            vec![
                query(2),
                reply(2, Reply::Failed(Error::Inputs(vec![problem.clone()]))),
            ],
        ]
        .concat());
        assert_eq!(broken.console.answer, None);
        assert_eq!(broken.console.problems, vec![problem]);
        let switched = run([
            answered.clone(),
            vec![DataAction::SetDatabase(Database::Dynamo)],
        ]
        .concat());
        assert_eq!(switched.console.answer, None);
        let same = run([answered, vec![DataAction::SetDatabase(Database::Mongo)]].concat());
        assert_eq!(rows(&same), Some(3));
        let dynamo = run(vec![
            query(4),
            reply(
                4,
                Reply::Dynamo(DynamoAnswer {
                    response: json!({}),
                    rows: vec![json!({})],
                    count: Some(1),
                    scanned_count: Some(1),
                    consumed_capacity: None,
                    last_evaluated_key: None,
                }),
            ),
        ]);
        assert_eq!(rows(&dynamo), Some(1));
    }

    #[test]
    fn generation_and_import_follow_their_own_ids() {
        let state = run(vec![
            DataAction::Sent {
                id: RequestId(1),
                purpose: Purpose::Generate { revision: 4 },
            },
            DataAction::Sent {
                id: RequestId(2),
                purpose: Purpose::Import,
            },
            reply(
                1,
                Reply::Progress(Progress {
                    done: 5,
                    total: 10,
                    stage: "x".into(),
                }),
            ),
            reply(2, Reply::Failed(Error::Message("bad file".into()))),
        ]);
        assert!(state.generating());
        assert_eq!(state.progress.as_ref().map(|p| p.done), Some(5));
        assert_eq!(state.imported, Some((RequestId(2), Err("bad file".into()))));
        let state = state.reduce(reply(1, Reply::Generated(Summary::default())));
        assert!(!state.generating());
        assert_eq!(state.summary, Some(Summary::default()));
        assert_eq!(state.generated_from, Some(4));
    }
}
