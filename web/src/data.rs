//! What the page knows of the worker's playground: generation progress, the last summary, the
//! console (its forms and scripts, the requests on their way, the answers), a converted
//! import, and the Verify panel (its run on the way and its last report). Plain Rust, reduced
//! from the worker's replies, which are matched to what asked for them by id alone.

use std::rc::Rc;

use schemaplay_core::model::Design;
use schemaplay_core::share;
use schemaplay_playground::{
    DynamoAnswer, DynamoForm, Envelope, Error, InputProblem, MongoAnswer, MongoForm, Progress,
    Reply, RequestId, ScriptAnswer, ScriptProblem, ScriptResult, Summary, VerifyReport,
};
use serde::{Deserialize, Serialize};
use yew::Reducible;

use crate::derived::Shared;

/// The database the console queries (the names a share link writes).
pub use share::ConsoleDatabase as Database;
/// Whether the console shows its forms or its script.
pub use share::ConsoleMode as Mode;

/// A converted import: the design and a note, or why it failed.
pub type Converted = Result<(Design, String), String>;

/// The seed of a generation when nothing names another (a share link names its own).
pub const DEFAULT_SEED: u64 = 1;
/// The steps of a verification until the user types another number (as `schemaplay verify`).
pub const DEFAULT_VERIFY_STEPS: u64 = 1000;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct DataState {
    /// How far the generation on its way has come.
    pub progress: Option<Progress>,
    pub summary: Option<Summary>,
    /// The design revision the data was generated from.
    pub generated_from: Option<u64>,
    /// How the data was generated.
    pub generated: Option<Generation>,
    pub error: Option<String>,
    /// The latest converted import and the id of its request.
    pub imported: Option<(RequestId, Converted)>,
    pub console: Console,
    pub verification: Verification,
    generating: Option<(RequestId, Generation)>,
    importing: Option<RequestId>,
}

/// How many records per entity were generated, from which seed.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Generation {
    pub per_entity: u64,
    pub seed: u64,
}

/// The query console: it lives here, above the views, so it is still there after a visit to
/// another view.
#[derive(Clone, Debug, PartialEq)]
pub struct Console {
    /// The storage id of the design this console belongs to: it is kept under that id.
    pub design_id: String,
    pub database: Database,
    pub mode: Mode,
    /// The forms as the user left them; `None` until the user touches one, when the console
    /// shows a fresh form for the design on screen.
    pub mongo: Option<MongoForm>,
    pub dynamo: Option<DynamoForm>,
    /// The script console of each database.
    pub scripts: Scripts,
    /// The access pattern picked last, which prefilled a form or a script.
    pub pattern: Option<String>,
    /// Items per entity to generate, as typed.
    pub per_entity: String,
    /// The seed of the next generation.
    pub seed: u64,
    pub view_json: bool,
    /// The form request whose answer the console waits for.
    pub pending: Option<RequestId>,
    /// The answer to the last form run, shared between renders.
    pub answer: Option<Shared<Answer>>,
    /// The request for the next batch of that answer, while it is on its way.
    pub more_pending: Option<RequestId>,
    /// Inputs of the last run that were not valid JSON.
    pub problems: Vec<InputProblem>,
    /// The page of a paged list that the MongoDB answer is (or is on its way), when the run was
    /// a pattern's list page.
    pub page: Option<ListPage>,
}

/// A page of a paged list in the MongoDB console: its pattern, its number (1 the first) and
/// whether the playground found it the last (shorter than its limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListPage {
    pub pattern: String,
    pub number: u32,
    pub last: bool,
}

impl Default for Console {
    fn default() -> Self {
        Console {
            design_id: String::new(),
            database: Database::Mongo,
            mode: Mode::Form,
            mongo: None,
            dynamo: None,
            scripts: Scripts::default(),
            pattern: None,
            per_entity: "1000".to_string(),
            seed: DEFAULT_SEED,
            view_json: false,
            pending: None,
            answer: None,
            more_pending: None,
            problems: Vec::new(),
            page: None,
        }
    }
}

/// The Verify panel: its inputs as typed, the run on its way, and the last report. It belongs
/// to the design on screen: opening another starts it afresh.
#[derive(Clone, Debug, PartialEq)]
pub struct Verification {
    /// Steps and seed as typed.
    pub steps: String,
    pub seed: String,
    /// The run on its way.
    pub pending: Option<VerifyPending>,
    /// The last run; it stays while the next one runs.
    pub last: Option<Shared<VerifyRun>>,
}

impl Default for Verification {
    fn default() -> Self {
        Verification {
            steps: DEFAULT_VERIFY_STEPS.to_string(),
            seed: DEFAULT_SEED.to_string(),
            pending: None,
            last: None,
        }
    }
}

/// A verification on its way: its request, the revision it verifies, how far it has come.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifyPending {
    pub id: RequestId,
    pub revision: u64,
    pub progress: Progress,
}

/// A verification and what it found, or why it did not run.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifyRun {
    /// The design revision it verified: a report of another one is out of date.
    pub revision: u64,
    pub report: Result<VerifyReport, String>,
}

/// The script console of each database.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Scripts {
    pub mongo: ScriptPane,
    pub dynamo: ScriptPane,
}

impl Scripts {
    pub fn get(&self, database: Database) -> &ScriptPane {
        match database {
            Database::Mongo => &self.mongo,
            Database::Dynamo => &self.dynamo,
        }
    }

    fn get_mut(&mut self, database: Database) -> &mut ScriptPane {
        match database {
            Database::Mongo => &mut self.mongo,
            Database::Dynamo => &mut self.dynamo,
        }
    }

    fn panes_mut(&mut self) -> [(Database, &mut ScriptPane); 2] {
        [
            (Database::Mongo, &mut self.mongo),
            (Database::Dynamo, &mut self.dynamo),
        ]
    }
}

/// One database's script: its text, the run on its way and the last run's outcomes.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ScriptPane {
    pub text: String,
    /// The run whose outcomes the pane waits for, and the text it runs.
    pub pending: Option<(RequestId, String)>,
    /// The last run: the text it ran (its lines are what the outcomes name) and its outcomes.
    pub run: Option<Shared<ScriptRun>>,
    /// What a pattern's prefill replaced, until the text is edited: the fill can be undone.
    pub replaced: Option<String>,
}

/// A script run: the text sent, and each statement's outcome or why there are none.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptRun {
    /// The id of the run's request.
    pub id: RequestId,
    pub source: String,
    pub statements: Result<Vec<Statement>, String>,
    /// How many statements failed.
    pub failed: usize,
}

/// One statement's outcome, ready to show: its answer is shared the way a form's is.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub line: usize,
    pub end_line: usize,
    pub shown: Option<Shown>,
    pub error: Option<ScriptProblem>,
    pub warnings: Vec<String>,
}

/// What a statement shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    /// A database's answer, shown as a form's answer is.
    Answer(Shared<Answer>),
    /// Any other value, as a JSON tree.
    Value(Shared<serde_json::Value>),
}

impl ScriptRun {
    fn new(id: RequestId, source: String, reply: Reply) -> ScriptRun {
        let ScriptAnswer { outcomes, failed } = match reply {
            Reply::Script(answer) => answer,
            other => {
                return ScriptRun {
                    id,
                    source,
                    statements: Err(failure(other)),
                    failed: 0,
                }
            }
        };
        let statements = outcomes
            .into_iter()
            .map(|o| Statement {
                line: o.line as usize,
                end_line: o.end_line as usize,
                shown: o.result.map(|result| match result {
                    ScriptResult::Mongo(answer) => {
                        Shown::Answer(Shared::new(Answer::Mongo(answer)))
                    }
                    ScriptResult::Dynamo(answer) => {
                        Shown::Answer(Shared::new(Answer::Dynamo(answer)))
                    }
                    ScriptResult::Value(value) => Shown::Value(Shared::new(value)),
                }),
                error: o.error,
                warnings: o.warnings,
            })
            .collect();
        ScriptRun {
            id,
            source,
            statements: Ok(statements),
            failed,
        }
    }
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A generation, from the design at this revision.
    Generate {
        revision: u64,
        generation: Generation,
    },
    Import,
    /// A run of the console's form.
    Query,
    /// A page of a paged list, run as the console's MongoDB form (`Request::MongoPage`).
    Page(ListPage),
    /// The next batch of the MongoDB answer on screen.
    More,
    /// A run of this database's script, with its text.
    Script {
        database: Database,
        source: String,
    },
    /// A verification of the design at this revision, of `steps` steps.
    Verify {
        revision: u64,
        steps: u64,
    },
}

/// The console as it is kept: with its design in this browser's storage, and (one script of
/// it) in a share link. Restoring it regenerates the data and runs again what had run.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Kept {
    pub database: Database,
    pub mode: Mode,
    pub pattern: Option<String>,
    pub mongo_script: String,
    pub dynamo_script: String,
    /// Items per entity to generate, as typed.
    pub per_entity: Option<String>,
    /// The data that was generated; restoring generates it again.
    pub data: Option<Generation>,
    /// Whether the console showed the answer of the database's script (or form): restoring
    /// runs it again.
    pub ran: bool,
}

impl Kept {
    /// The console a share link carries: the database's script, and the data it runs on.
    pub fn to_link(&self, view: &str) -> share::Console {
        share::Console {
            view: Some(view.to_string()),
            database: Some(self.database),
            mode: Some(self.mode),
            pattern: self.pattern.clone(),
            per_entity: self.data.map(|d| d.per_entity),
            seed: self.data.map(|d| d.seed),
            script: self.script().to_string(),
        }
    }

    /// The console of a share link. Its script runs on open, as the sender saw it run.
    pub fn from_link(link: &share::Console) -> Kept {
        let database = link.database.unwrap_or_default();
        let mode = link.mode.unwrap_or_default();
        let mut kept = Kept {
            database,
            mode,
            pattern: link.pattern.clone(),
            per_entity: link.per_entity.map(|n| n.to_string()),
            data: link.per_entity.map(|per_entity| Generation {
                per_entity,
                seed: link.seed.unwrap_or(DEFAULT_SEED),
            }),
            ..Kept::default()
        };
        *kept.script_mut() = link.script.clone();
        kept.ran = match mode {
            Mode::Script => !link.script.trim().is_empty(),
            Mode::Form => kept.pattern.is_some() && kept.data.is_some(),
        };
        kept
    }

    /// Whether there is nothing to keep beyond what a fresh console shows (the typed number of
    /// items aside).
    pub fn is_fresh(&self) -> bool {
        *self
            == Kept {
                per_entity: self.per_entity.clone(),
                ..Kept::default()
            }
    }

    /// The script of the kept database.
    pub fn script(&self) -> &str {
        match self.database {
            Database::Mongo => &self.mongo_script,
            Database::Dynamo => &self.dynamo_script,
        }
    }

    fn script_mut(&mut self) -> &mut String {
        match self.database {
            Database::Mongo => &mut self.mongo_script,
            Database::Dynamo => &mut self.dynamo_script,
        }
    }
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
    SetMode(Mode),
    SetMongo(MongoForm),
    SetDynamo(DynamoForm),
    /// The text of the shown database's script.
    SetScript(String),
    /// The pattern picked to prefill a form.
    SetPattern(String),
    /// A pattern picked in the script console, and the script it fills the shown database's
    /// editor with.
    FillScript {
        pattern: String,
        script: String,
    },
    /// Puts back the script a fill replaced.
    UndoFill,
    SetPerEntity(String),
    /// The Verify panel's steps and seed, as typed.
    SetVerifySteps(String),
    SetVerifySeed(String),
    ToggleView,
    /// Another design was opened, under this storage id: its console starts afresh, or as it
    /// was kept (with a saved design, in a share link). The data stays until the next
    /// generation.
    Open {
        design_id: String,
        kept: Option<Kept>,
    },
    /// The design on screen has a new storage id; its console goes with it.
    Adopt(String),
    /// The worker stopped before answering: what waited for it shows why.
    Stopped(Stop),
}

/// Why the worker stopped before answering what it was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum Stop {
    /// The user cancelled what it was doing.
    Cancelled,
    /// It panicked or could not go on, with why.
    Crashed(String),
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
                    // The form's answer belongs to the other database's input; each script
                    // keeps its own.
                    next.console.database = database;
                    next.console.answer = None;
                    next.console.problems.clear();
                    next.console.pending = None;
                    next.console.more_pending = None;
                    next.console.page = None;
                }
            }
            DataAction::SetMode(mode) => next.console.mode = mode,
            DataAction::SetMongo(form) => next.console.mongo = Some(form),
            DataAction::SetDynamo(form) => next.console.dynamo = Some(form),
            DataAction::SetScript(text) => {
                let pane = next.console.scripts.get_mut(next.console.database);
                pane.text = text;
                pane.replaced = None;
            }
            DataAction::FillScript { pattern, script } => {
                next.console.pattern = Some(pattern);
                let pane = next.console.scripts.get_mut(next.console.database);
                let before = std::mem::replace(&mut pane.text, script);
                if !before.trim().is_empty() && before != pane.text {
                    pane.replaced = Some(before);
                }
            }
            DataAction::UndoFill => {
                let pane = next.console.scripts.get_mut(next.console.database);
                if let Some(before) = pane.replaced.take() {
                    pane.text = before;
                }
            }
            DataAction::SetPattern(pattern) => next.console.pattern = Some(pattern),
            DataAction::SetPerEntity(text) => next.console.per_entity = text,
            DataAction::SetVerifySteps(text) => next.verification.steps = text,
            DataAction::SetVerifySeed(text) => next.verification.seed = text,
            DataAction::ToggleView => next.console.view_json = !next.console.view_json,
            DataAction::Open { design_id, kept } => {
                let kept = kept.unwrap_or_else(|| Kept {
                    per_entity: Some(next.console.per_entity.clone()),
                    ..Kept::default()
                });
                next.console = Console {
                    design_id,
                    database: kept.database,
                    mode: kept.mode,
                    pattern: kept.pattern,
                    per_entity: kept
                        .per_entity
                        .unwrap_or_else(|| next.console.per_entity.clone()),
                    seed: kept.data.map_or(DEFAULT_SEED, |d| d.seed),
                    view_json: next.console.view_json,
                    scripts: Scripts {
                        mongo: ScriptPane {
                            text: kept.mongo_script,
                            ..ScriptPane::default()
                        },
                        dynamo: ScriptPane {
                            text: kept.dynamo_script,
                            ..ScriptPane::default()
                        },
                    },
                    ..Console::default()
                };
                // A report, or a run on its way, is the previous design's.
                next.verification = Verification {
                    steps: next.verification.steps.clone(),
                    seed: next.verification.seed.clone(),
                    ..Verification::default()
                };
            }
            DataAction::Adopt(design_id) => next.console.design_id = design_id,
            DataAction::Stopped(stop) => next.stopped(&stop),
        }
        Rc::new(next)
    }
}

impl DataState {
    /// Whether a generation is on its way.
    pub fn generating(&self) -> bool {
        self.generating.is_some()
    }

    /// The console as it is kept with its design and in share links.
    pub fn kept(&self) -> Kept {
        let console = &self.console;
        let pane = console.scripts.get(console.database);
        Kept {
            database: console.database,
            mode: console.mode,
            pattern: console.pattern.clone(),
            mongo_script: console.scripts.mongo.text.clone(),
            dynamo_script: console.scripts.dynamo.text.clone(),
            per_entity: Some(console.per_entity.clone()),
            data: self.generated,
            ran: match console.mode {
                Mode::Script => pane.run.is_some() || pane.pending.is_some(),
                Mode::Form => console.answer.is_some() || console.pending.is_some(),
            },
        }
    }

    fn sent(&mut self, id: RequestId, purpose: Purpose) {
        match purpose {
            Purpose::Generate {
                revision,
                generation,
            } => {
                self.generating = Some((id, generation));
                self.progress = Some(Progress {
                    done: 0,
                    total: 1,
                    stage: "starting the worker".to_string(),
                    part: None,
                });
                self.generated_from = Some(revision);
                self.error = None;
            }
            Purpose::Import => self.importing = Some(id),
            Purpose::Query | Purpose::Page(_) => {
                self.console.pending = Some(id);
                self.console.answer = None;
                self.console.more_pending = None;
                self.console.problems.clear();
                self.console.page = match purpose {
                    Purpose::Page(page) => Some(page),
                    _ => None,
                };
            }
            Purpose::More => self.console.more_pending = Some(id),
            Purpose::Script { database, source } => {
                // The outcomes of the previous run stay until the new ones come, which belong
                // to the text sent.
                self.console.scripts.get_mut(database).pending = Some((id, source));
            }
            Purpose::Verify { revision, steps } => {
                let progress = Progress {
                    done: 0,
                    total: steps,
                    stage: "starting the worker".to_string(),
                    part: None,
                };
                self.verification.pending = Some(VerifyPending {
                    id,
                    revision,
                    progress,
                });
            }
        }
    }

    fn replied(&mut self, id: RequestId, reply: Reply) {
        if self.generating.as_ref().map(|(g, _)| *g) == Some(id) {
            match reply {
                Reply::Progress(progress) => self.progress = Some(progress),
                Reply::Generated(summary) => {
                    self.generated = self.generating.take().map(|(_, g)| g);
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
        } else if let Some(pending) = self.verification.pending.as_mut().filter(|p| p.id == id) {
            let report = match reply {
                Reply::Progress(progress) => {
                    pending.progress = progress;
                    return;
                }
                Reply::Verified(report) => Ok(report),
                other => Err(failure(other)),
            };
            let revision = pending.revision;
            self.verification.pending = None;
            self.verification.last = Some(Shared::new(VerifyRun { revision, report }));
        } else if Some(id) == self.console.pending {
            self.console.pending = None;
            let answer = match reply {
                Reply::Mongo(answer) => Answer::Mongo(answer),
                Reply::MongoPage(page) => {
                    // The form shows the request of the page on screen (a next page's
                    // keyset condition in its filter).
                    self.console.mongo = Some(page.form);
                    if let Some(shown) = self.console.page.as_mut() {
                        shown.last = page.last;
                    }
                    Answer::Mongo(page.answer)
                }
                Reply::Dynamo(answer) => Answer::Dynamo(answer),
                Reply::Failed(Error::Inputs(problems)) => {
                    self.console.problems = problems;
                    return;
                }
                other => Answer::Failed(failure(other)),
            };
            if !matches!(answer, Answer::Mongo(_)) {
                self.console.page = None;
            }
            self.console.answer = Some(Shared::new(answer));
        } else if Some(id) == self.console.more_pending {
            self.console.more_pending = None;
            // The next batch goes after the rows on screen.
            let answer = match (reply, self.console.answer.as_deref()) {
                (Reply::Mongo(next), Some(Answer::Mongo(shown))) => {
                    Answer::Mongo(shown.followed_by(next))
                }
                (other, _) => Answer::Failed(failure(other)),
            };
            self.console.answer = Some(Shared::new(answer));
        } else {
            self.script_replied(id, reply);
        }
        // Anything else answers a request nobody waits for any more.
    }

    /// The worker stopped: every request on its way is answered with why, where its answer
    /// would be. A generation it was making is gone with it, and so is its data.
    fn stopped(&mut self, stop: &Stop) {
        let why = match stop {
            Stop::Cancelled => "Cancelled.".to_string(),
            Stop::Crashed(why) => {
                format!("Not answered: {why}. A new worker has the design; run it again.")
            }
        };
        if self.generating.take().is_some() {
            self.progress = None;
            self.summary = None;
            self.generated = None;
            self.generated_from = None;
            self.error = Some(match stop {
                Stop::Cancelled => {
                    "Generation cancelled: there is no sample data. Generate again (fewer items are quicker).".to_string()
                }
                Stop::Crashed(why) => format!(
                    "The generation did not finish: {why}. A new worker has the design; generate again."
                ),
            });
        }
        // An import runs in the importer, a worker of its own, which answers regardless.
        if self.console.pending.take().is_some() || self.console.more_pending.take().is_some() {
            self.console.answer = Some(Shared::new(Answer::Failed(why.clone())));
            self.console.page = None;
        }
        if let Some(pending) = self.verification.pending.take() {
            self.verification.last = Some(Shared::new(VerifyRun {
                revision: pending.revision,
                report: Err(why.clone()),
            }));
        }
        for (_, pane) in self.console.scripts.panes_mut() {
            if let Some((id, source)) = pane.pending.take() {
                pane.run = Some(Shared::new(ScriptRun {
                    id,
                    source,
                    statements: Err(why.clone()),
                    failed: 0,
                }));
            }
        }
    }

    fn script_replied(&mut self, id: RequestId, reply: Reply) {
        for (_, pane) in self.console.scripts.panes_mut() {
            if pane.pending.as_ref().map(|(p, _)| *p) == Some(id) {
                let source = pane.pending.take().map(|(_, s)| s).unwrap_or_default();
                pane.run = Some(Shared::new(ScriptRun::new(id, source, reply)));
                return;
            }
        }
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
    use schemaplay_playground::{
        DynamoAnswer, MongoField, MongoPage, More, Rows, StatementOutcome,
    };
    use serde_json::json;

    use super::*;

    fn reply(id: u64, body: Reply) -> DataAction {
        DataAction::Reply(Box::new(Envelope {
            id: RequestId(id),
            body,
        }))
    }

    fn mongo_rows(n: usize) -> Reply {
        mongo_batch(0, n, None)
    }

    /// Rows `{"n": from}`, `{"n": from + 1}`, ..., and the cursor `more` for the rest.
    fn mongo_batch(from: usize, n: usize, more: Option<i64>) -> Reply {
        Reply::Mongo(MongoAnswer {
            result: json!((from..from + n)
                .map(|i| json!({ "n": i }))
                .collect::<Vec<_>>()),
            rows: Rows::All,
            stats: Vec::new(),
            explain: None,
            more: more.map(|cursor_id| More {
                collection: "users".into(),
                cursor_id,
            }),
        })
    }

    /// The next batch goes after the rows on screen; an answer to a batch nobody waits for
    /// (a new run was sent) is not shown.
    #[test]
    fn a_next_batch_follows_the_rows_on_screen() {
        let sent = |id, purpose| DataAction::Sent {
            id: RequestId(id),
            purpose,
        };
        let numbers = |state: &DataState| match state.console.answer.as_deref() {
            Some(Answer::Mongo(answer)) => (
                answer
                    .rows()
                    .iter()
                    .map(|r| r["n"].as_u64().unwrap_or(999))
                    .collect::<Vec<_>>(),
                answer.more.as_ref().map(|m| m.cursor_id),
            ),
            other => panic!("{other:?}"),
        };
        let first = vec![
            sent(1, Purpose::Query),
            reply(1, mongo_batch(0, 2, Some(7))),
            sent(2, Purpose::More),
        ];
        let state = run([first.clone(), vec![reply(2, mongo_batch(2, 1, None))]].concat());
        assert_eq!(numbers(&state), (vec![0, 1, 2], None));
        let state = run([
            first,
            vec![sent(3, Purpose::Query), reply(2, mongo_batch(2, 1, None))],
        ]
        .concat());
        assert!(state.console.answer.is_none(), "{:?}", state.console.answer);
    }

    /// A list page's answer brings the form that ran, which the console shows, and whether
    /// it is the last page; a plain run or a failed page is no list page.
    #[test]
    fn a_list_page_shows_its_form_and_whether_it_is_the_last() {
        let sent = |id, purpose| DataAction::Sent {
            id: RequestId(id),
            purpose,
        };
        let page = |number| {
            Purpose::Page(ListPage {
                pattern: "List posts".into(),
                number,
                last: false,
            })
        };
        let form = MongoForm::new("posts").with_input(MongoField::Filter, "{\"$or\": []}".into());
        let answer = |last| match mongo_rows(2) {
            Reply::Mongo(answer) => Reply::MongoPage(MongoPage {
                form: form.clone(),
                answer,
                last,
            }),
            other => other,
        };
        let state = run(vec![sent(1, page(1)), reply(1, answer(false))]);
        assert_eq!(state.console.mongo.as_ref(), Some(&form));
        assert_eq!(rows(&state), Some(2));
        let shown = |number, last| {
            Some(ListPage {
                pattern: "List posts".into(),
                number,
                last,
            })
        };
        assert_eq!(state.console.page, shown(1, false));
        let second = run(vec![
            sent(1, page(1)),
            reply(1, answer(false)),
            sent(2, page(2)),
            reply(2, answer(true)),
        ]);
        assert_eq!(second.console.page, shown(2, true));
        let failed = Reply::Failed(Error::Message("no next page".into()));
        let state = run(vec![sent(1, page(1)), reply(1, failed)]);
        assert_eq!(state.console.page, None);
        let state = run(vec![
            sent(1, page(1)),
            reply(1, answer(false)),
            sent(2, Purpose::Query),
        ]);
        assert_eq!(state.console.page, None);
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
                    exclusive_start_key: None,
                    last_page: false,
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
                purpose: Purpose::Generate {
                    revision: 4,
                    generation: Generation {
                        per_entity: 10,
                        seed: 1,
                    },
                },
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
                    part: None,
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

    fn script_reply(id: u64, outcomes: Vec<StatementOutcome>) -> DataAction {
        let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
        reply(id, Reply::Script(ScriptAnswer { outcomes, failed }))
    }

    fn statement(line: u32, result: Option<ScriptResult>) -> StatementOutcome {
        StatementOutcome {
            line,
            end_line: line + 1,
            result,
            error: None,
            warnings: Vec::new(),
        }
    }

    fn script(database: Database, id: u64, source: &str) -> DataAction {
        DataAction::Sent {
            id: RequestId(id),
            purpose: Purpose::Script {
                database,
                source: source.into(),
            },
        }
    }

    /// Each database's script gets the outcomes of its own run, matched by id; a later run
    /// replaces them only when its answer comes.
    #[test]
    fn script_runs_answer_their_own_pane() {
        let mongo = script_reply(
            1,
            vec![
                statement(1, None),
                statement(3, Some(ScriptResult::Value(json!({"a": 1})))),
            ],
        );
        // The DynamoDB run answers first, though the MongoDB one waits too.
        let early = run(vec![
            script(Database::Mongo, 1, "db.x.find()"),
            script(Database::Dynamo, 2, "aws dynamodb scan"),
            script_reply(2, vec![statement(1, None)]),
        ]);
        assert_eq!(early.console.scripts.mongo.run, None);
        assert!(early.console.scripts.dynamo.run.is_some());
        let state = run(vec![
            script(Database::Mongo, 1, "db.x.find()"),
            script(Database::Dynamo, 2, "aws dynamodb scan"),
            mongo,
        ]);
        let pane = &state.console.scripts.mongo;
        assert_eq!(pane.pending, None);
        let Some(run) = &pane.run else {
            panic!("no run in {state:?}");
        };
        assert_eq!(run.source, "db.x.find()");
        let Ok(statements) = &run.statements else {
            panic!("{run:?}");
        };
        assert_eq!(statements.len(), 2);
        assert_eq!((statements[1].line, statements[1].end_line), (3, 4));
        assert!(matches!(&statements[1].shown, Some(Shown::Value(v)) if **v == json!({"a": 1})));
        // The DynamoDB pane still waits, and has no run.
        assert_eq!(
            state.console.scripts.dynamo.pending.as_ref().map(|p| p.0),
            Some(RequestId(2))
        );
        assert_eq!(state.console.scripts.dynamo.run, None);
        // A worker failure is the run's, not an outcome.
        let state = state.reduce(reply(2, Reply::Failed(Error::Message("gone".into()))));
        let failed = state
            .console
            .scripts
            .dynamo
            .run
            .as_ref()
            .map(|r| r.statements.clone());
        assert_eq!(failed, Some(Err("gone".into())));
        // An answer to a run nobody waits for changes nothing.
        let again = state
            .clone()
            .reduce(script_reply(9, vec![statement(1, None)]));
        assert_eq!(again, state);
    }

    /// A stopped worker answers everything that waited for it where its answer would be; a
    /// generation it was making takes the data with it, and later answers of the old worker
    /// match nothing.
    #[test]
    fn a_stopped_worker_answers_what_waited() {
        let generation = Generation {
            per_entity: 100,
            seed: 1,
        };
        let generate = |id| DataAction::Sent {
            id: RequestId(id),
            purpose: Purpose::Generate {
                revision: 1,
                generation,
            },
        };
        let query = DataAction::Sent {
            id: RequestId(2),
            purpose: Purpose::Query,
        };
        let state = run(vec![
            generate(1),
            reply(1, Reply::Generated(Summary::default())),
            query,
            script(Database::Dynamo, 3, "aws dynamodb scan"),
            DataAction::Stopped(Stop::Cancelled),
        ]);
        assert_eq!(
            state.console.answer.as_deref(),
            Some(&Answer::Failed("Cancelled.".into()))
        );
        let run_of = |state: &DataState| {
            state
                .console
                .scripts
                .dynamo
                .run
                .as_ref()
                .map(|r| r.statements.clone())
        };
        assert_eq!(run_of(&state), Some(Err("Cancelled.".into())));
        // The data generated before stays: the next worker makes it again.
        assert_eq!(state.summary, Some(Summary::default()));
        assert_eq!(state.error, None);
        let late = state.clone().reduce(reply(2, mongo_rows(3)));
        assert_eq!(late, state);

        let crashed = run(vec![
            generate(1),
            reply(1, Reply::Generated(Summary::default())),
            generate(4),
            DataAction::Stopped(Stop::Crashed("the worker failed: boom".into())),
        ]);
        assert!(!crashed.generating());
        assert_eq!((crashed.summary.clone(), crashed.generated), (None, None));
        assert_eq!(
            crashed.error.as_deref(),
            Some("The generation did not finish: the worker failed: boom. A new worker has the design; generate again.")
        );
        let late = crashed
            .clone()
            .reduce(reply(4, Reply::Generated(Summary::default())));
        assert_eq!(late, crashed);
    }

    /// What a link carries: the shown database's script, the data it runs on, and that it ran.
    #[test]
    fn a_kept_console_travels_in_a_link() {
        let state = run(vec![
            DataAction::SetDatabase(Database::Dynamo),
            DataAction::SetMode(Mode::Script),
            DataAction::SetScript("aws dynamodb scan --table-name t".into()),
            DataAction::SetPattern("Get user".into()),
            DataAction::Sent {
                id: RequestId(1),
                purpose: Purpose::Generate {
                    revision: 1,
                    generation: Generation {
                        per_entity: 30,
                        seed: 5,
                    },
                },
            },
            reply(1, Reply::Generated(Summary::default())),
            script(Database::Dynamo, 2, "aws dynamodb scan --table-name t"),
        ]);
        let kept = state.kept();
        assert!(kept.ran);
        assert!(!kept.is_fresh());
        let link = kept.to_link("query");
        assert_eq!(
            link,
            share::Console {
                view: Some("query".into()),
                database: Some(Database::Dynamo),
                mode: Some(Mode::Script),
                pattern: Some("Get user".into()),
                per_entity: Some(30),
                seed: Some(5),
                script: "aws dynamodb scan --table-name t".into(),
            }
        );
        let back = Kept::from_link(&link);
        assert_eq!(back.dynamo_script, kept.dynamo_script);
        assert_eq!(back.mongo_script, "");
        assert_eq!((back.data, back.ran), (kept.data, true));
        // Opened, it is the console on screen, under the new design's id.
        let opened = run(vec![DataAction::Open {
            design_id: "new".into(),
            kept: Some(back),
        }]);
        assert_eq!(opened.console.design_id, "new");
        assert_eq!(opened.console.database, Database::Dynamo);
        assert_eq!(opened.console.mode, Mode::Script);
        assert_eq!(
            opened.console.scripts.dynamo.text,
            "aws dynamodb scan --table-name t"
        );
        assert_eq!(
            (opened.console.per_entity.as_str(), opened.console.seed),
            ("30", 5)
        );
        // A link without a script to run, or a fresh console, runs nothing.
        let bare = Kept::from_link(&share::Console::default());
        assert!(!bare.ran && bare.is_fresh());
        assert!(DataState::default().kept().is_fresh());
    }

    /// A fill replaces the script and can be undone until the text is edited.
    #[test]
    fn a_fill_can_be_undone_until_an_edit() {
        let fill = |script: &str| DataAction::FillScript {
            pattern: "Get user".into(),
            script: script.into(),
        };
        let state = run(vec![
            DataAction::SetScript("mine".into()),
            fill("db.users.findOne()"),
        ]);
        let pane = &state.console.scripts.mongo;
        assert_eq!(pane.text, "db.users.findOne()");
        assert_eq!(pane.replaced.as_deref(), Some("mine"));
        assert_eq!(state.console.pattern.as_deref(), Some("Get user"));
        let undone = state.clone().reduce(DataAction::UndoFill);
        assert_eq!(undone.console.scripts.mongo.text, "mine");
        assert_eq!(undone.console.scripts.mongo.replaced, None);
        let edited = state.reduce(DataAction::SetScript("db.users.findOne({})".into()));
        let edited = edited.reduce(DataAction::UndoFill);
        assert_eq!(edited.console.scripts.mongo.text, "db.users.findOne({})");
        // Filling an empty editor replaces nothing worth undoing.
        let fresh = run(vec![fill("x")]);
        assert_eq!(fresh.console.scripts.mongo.replaced, None);
    }

    fn verify_sent(id: u64, revision: u64) -> DataAction {
        DataAction::Sent {
            id: RequestId(id),
            purpose: Purpose::Verify {
                revision,
                steps: 1000,
            },
        }
    }

    fn report(steps: u64) -> VerifyReport {
        VerifyReport {
            seed: 1,
            patterns: 2,
            steps,
            summary: format!("verify: 2 patterns, {steps} steps, 0 divergences"),
            clean: true,
            divergences: Vec::new(),
            gaps: Vec::new(),
            setup_errors: Vec::new(),
            compared_mongo: 1,
            compared_dynamo: 1,
        }
    }

    /// A verification hears its own progress and report, matched by id, and remembers the
    /// revision it verified; the previous report stays until the next one comes; opening
    /// another design forgets both.
    /// A stopped worker ends a verification and a next batch on their way with why.
    #[test]
    fn a_stop_ends_a_verification_and_a_next_batch() {
        let state = run(vec![
            verify_sent(1, 4),
            DataAction::Sent {
                id: RequestId(2),
                purpose: Purpose::Query,
            },
            reply(2, mongo_batch(0, 2, Some(7))),
            DataAction::Sent {
                id: RequestId(3),
                purpose: Purpose::More,
            },
            DataAction::Stopped(Stop::Cancelled),
        ]);
        assert!(state.verification.pending.is_none());
        let last = state
            .verification
            .last
            .as_deref()
            .map(|run| (run.revision, run.report.clone()));
        assert_eq!(last, Some((4, Err("Cancelled.".to_string()))));
        assert_eq!(state.console.more_pending, None);
        assert_eq!(
            state.console.answer.as_deref(),
            Some(&Answer::Failed("Cancelled.".into()))
        );
    }

    #[test]
    fn a_verification_follows_its_own_id_and_revision() {
        let progress = |id, done| {
            reply(
                id,
                Reply::Progress(Progress {
                    done,
                    total: 1000,
                    stage: "verifying".into(),
                    part: None,
                }),
            )
        };
        let state = run(vec![
            verify_sent(1, 3),
            progress(1, 640),
            // A generation's progress under another id is not the verification's.
            progress(2, 10),
        ]);
        let pending = state.verification.pending.as_ref();
        assert_eq!(
            pending.map(|p| (p.id, p.revision, p.progress.done)),
            Some((RequestId(1), 3, 640))
        );
        let state = state.reduce(reply(1, Reply::Verified(report(1000))));
        assert_eq!(state.verification.pending, None);
        let last = state.verification.last.clone();
        let Some(verified) = &last else {
            panic!("no report in {state:?}");
        };
        assert_eq!(verified.revision, 3);
        assert_eq!(verified.report, Ok(report(1000)));
        // The next run keeps the last report until its own comes; a failure is its answer.
        let state = state.reduce(verify_sent(4, 5));
        assert_eq!(state.verification.last, last);
        let state = state.reduce(reply(4, Reply::Failed(Error::Message("has errors".into()))));
        let failed = state
            .verification
            .last
            .as_ref()
            .map(|r| (r.revision, r.report.clone()));
        assert_eq!(failed, Some((5, Err("has errors".into()))));
        // Another design: no report, nothing on its way, the typed steps kept.
        let state = run_from(
            state,
            vec![
                DataAction::SetVerifySteps("250".into()),
                verify_sent(6, 5),
                DataAction::Open {
                    design_id: "other".into(),
                    kept: None,
                },
                reply(6, Reply::Verified(report(250))),
            ],
        );
        assert_eq!(state.verification.last, None);
        assert_eq!(state.verification.pending, None);
        assert_eq!(state.verification.steps, "250");
    }

    fn run_from(state: Rc<DataState>, actions: Vec<DataAction>) -> Rc<DataState> {
        actions
            .into_iter()
            .fold(state, |state, action| state.reduce(action))
    }
}
