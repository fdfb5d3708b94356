//! The design commands: `check`, `export`, `import`, `analyze`, `example`.
//!
//! Each command is a function from input text to an [`Outcome`] (what goes to
//! stdout, what goes to stderr, and the exit status), so the tests call them
//! directly; `main` only reads files and writes the outcome.

use schemaplay_core::export::{export, ExportFormat};
use schemaplay_core::import::{import, sql_with, ImportFormat, SqlOptions};
use schemaplay_core::{analyze, examples, Design, Finding, Severity};

/// What a command prints and how it exits.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    /// 0 on success, 1 when the input has errors.
    pub status: u8,
}

fn finding_line(f: &Finding) -> String {
    format!("{} [{}] {f}\n", f.severity, f.id)
}

/// Reads a design, printing every reading error when it does not read.
pub fn read(text: &str) -> Result<Design, Outcome> {
    Design::from_json(text).map_err(|findings| Outcome {
        stdout: String::new(),
        stderr: findings.iter().map(finding_line).collect(),
        status: 1,
    })
}

/// `schemaplay check`: validation errors and lint findings; exits 1 on any error.
pub fn check(text: &str) -> Outcome {
    let design = match read(text) {
        Ok(d) => d,
        Err(outcome) => {
            let n = outcome.stderr.lines().count();
            return Outcome {
                stdout: format!("{}{n} error(s)\n", outcome.stderr),
                stderr: String::new(),
                status: 1,
            };
        }
    };
    let findings = analyze(&design).findings;
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let mut stdout: String = findings.iter().map(finding_line).collect();
    stdout.push_str(&format!(
        "{errors} error(s), {warnings} warning(s), {infos} note(s)\n"
    ));
    Outcome {
        stdout,
        stderr: String::new(),
        status: u8::from(errors > 0),
    }
}

/// `schemaplay export --to FORMAT`.
pub fn export_design(text: &str, format: ExportFormat) -> Outcome {
    match read(text) {
        Ok(design) => Outcome {
            stdout: export(&design, format),
            stderr: String::new(),
            status: 0,
        },
        Err(outcome) => outcome,
    }
}

/// `schemaplay import --from FORMAT [--volumes FILE]`: the design JSON on stdout, findings
/// on stderr. Exits 1 when nothing could be imported, or the volumes file cannot be read.
pub fn import_design(text: &str, format: ImportFormat, volumes: Option<&str>) -> Outcome {
    let imported = match (format, volumes) {
        (ImportFormat::Sql, Some(v)) => match schemaplay_core::import::volumes(v) {
            Ok(volumes) => sql_with(text, &SqlOptions { volumes }),
            Err(findings) => {
                return Outcome {
                    stdout: String::new(),
                    stderr: findings
                        .iter()
                        .map(|f| {
                            finding_line(&Finding {
                                path: format!("volumes {}", f.path),
                                ..f.clone()
                            })
                        })
                        .collect(),
                    status: 1,
                }
            }
        },
        (_, Some(_)) => {
            return Outcome {
                stdout: String::new(),
                stderr: "--volumes applies to a SQL import only\n".to_string(),
                status: 2,
            }
        }
        (_, None) => import(text, format),
    };
    let failed = imported.design.entities.is_empty()
        && imported
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error);
    Outcome {
        stdout: if failed {
            String::new()
        } else {
            imported.design.to_json()
        },
        stderr: imported.findings.iter().map(finding_line).collect(),
        status: u8::from(failed),
    }
}

/// `schemaplay analyze`: everything derived from the design, as JSON.
pub fn analyze_design(text: &str) -> Outcome {
    match read(text) {
        Ok(design) => Outcome {
            stdout: format!(
                "{}\n",
                serde_json::to_string_pretty(&analyze(&design)).unwrap_or_default()
            ),
            stderr: String::new(),
            status: 0,
        },
        Err(outcome) => outcome,
    }
}

/// `schemaplay alternatives`: each choice with its alternatives (text or JSON); with
/// `apply` (`CHOICE=ALTERNATIVE`), the design JSON with that alternative recorded.
pub fn alternatives(text: &str, json: bool, apply: Option<&str>) -> Outcome {
    let design = match read(text) {
        Ok(d) => d,
        Err(outcome) => return outcome,
    };
    let failed = |message: String| Outcome {
        stdout: String::new(),
        stderr: format!("error: {message}\n"),
        status: 1,
    };
    if let Some(spec) = apply {
        let Some((choice, alternative)) = spec.rsplit_once('=') else {
            return failed(format!(
                "--apply takes CHOICE=ALTERNATIVE (placement:Post=parentById), found \"{spec}\""
            ));
        };
        return match schemaplay_core::alternatives::apply(&design, choice, alternative) {
            Ok(d) => Outcome {
                stdout: d.to_json(),
                stderr: String::new(),
                status: 0,
            },
            Err(message) => failed(message),
        };
    }
    let choices = schemaplay_core::alternatives::alternatives(&design);
    Outcome {
        stdout: if json {
            format!(
                "{}\n",
                serde_json::to_string_pretty(&choices).unwrap_or_default()
            )
        } else {
            schemaplay_core::alternatives::report(&choices)
        },
        stderr: String::new(),
        status: 0,
    }
}

/// `schemaplay sample`: documents of one collection, or items of every entity, one JSON value a line.
pub fn sample(text: &str, collection: Option<&str>, count: u64, seed: u64) -> Outcome {
    let design = match read(text) {
        Ok(d) => d,
        Err(outcome) => return outcome,
    };
    let values = match collection {
        Some(c) => schemaplay_core::mongo::sample_documents(&design, c, count, seed),
        None => schemaplay_core::dynamo::sample_items(&design, count, seed),
    };
    if values.is_empty() {
        if let Some(c) = collection {
            let names: Vec<String> = schemaplay_core::mongo::layout(&design)
                .collections
                .into_iter()
                .map(|c| c.name)
                .collect();
            return Outcome {
                stdout: String::new(),
                stderr: format!(
                    "no collection is named \"{c}\" (there are: {})\n",
                    names.join(", ")
                ),
                status: 1,
            };
        }
    }
    Outcome {
        stdout: values.iter().map(|v| format!("{v}\n")).collect(),
        stderr: String::new(),
        status: 0,
    }
}

/// `schemaplay example [ID]`: the list of examples, or one example's design.
pub fn example(id: Option<&str>) -> Outcome {
    match id {
        None => Outcome {
            stdout: examples::all()
                .iter()
                .map(|e| format!("{}\t{}: {}\n", e.id, e.title, e.teaches))
                .collect(),
            stderr: String::new(),
            status: 0,
        },
        Some(id) => match examples::get(id) {
            Some(e) => Outcome {
                stdout: e.design.to_json(),
                stderr: String::new(),
                status: 0,
            },
            None => Outcome {
                stdout: String::new(),
                stderr: format!(
                    "no example is named \"{id}\" (there are: {})\n",
                    examples::all()
                        .iter()
                        .map(|e| e.id)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                status: 1,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(outcome: Outcome) -> String {
        format!(
            "status {}\n--- stdout\n{}--- stderr\n{}",
            outcome.status, outcome.stdout, outcome.stderr
        )
    }

    /// Compares an outcome with its expected text (the CLI has no expect-test dependency).
    fn check_cmd(outcome: Outcome, expected: &str) {
        let actual = show(outcome);
        assert!(actual == expected, "actual:\n{actual}");
    }

    fn user_app() -> String {
        examples::get("user-app")
            .map(|e| e.design.to_json())
            .unwrap_or_default()
    }

    #[test]
    fn check_reports_findings_and_exits_by_errors() {
        let ok = check(&user_app());
        assert_eq!(ok.status, 0);
        // One line per finding of the analysis, then the counts.
        let findings = Design::from_json(&user_app())
            .map(|d| analyze(&d).findings)
            .unwrap_or_default();
        let lines: Vec<&str> = ok.stdout.lines().collect();
        assert_eq!(lines.len(), findings.len() + 1);
        for (line, f) in lines.iter().zip(&findings) {
            assert_eq!(*line, format!("{} [{}] {f}", f.severity, f.id));
        }
        let warnings = findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count();
        let notes = findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .count();
        assert_eq!(
            lines.last().copied(),
            Some(format!("0 error(s), {warnings} warning(s), {notes} note(s)").as_str())
        );
        assert!(
            ok.stdout
                .starts_with("warning [dynamo-scan] accessPatterns[4]: "),
            "{}",
            ok.stdout
        );
        check_cmd(
            check(r#"{"formatVersion": 1, "name": "x", "entities": [{"name": "A", "fields": [{"name": "a", "type": "strng"}, {"name": "b"}]}]}"#),
            "status 1\n--- stdout\nerror [schema] entities[0].fields[0].type: unknown type \"strng\"\nerror [schema] entities[0].fields[1].type: missing\n2 error(s)\n--- stderr\n",
        );
        check_cmd(
            check("{"),
            "status 1\n--- stdout\nerror [json-syntax] invalid JSON at line 1, column 1: EOF while parsing an object\n1 error(s)\n--- stderr\n",
        );
    }

    #[test]
    fn export_writes_each_format() {
        let design = user_app();
        for format in ExportFormat::ALL {
            let out = export_design(&design, format);
            assert_eq!(out.status, 0, "{format}");
            assert!(!out.stdout.is_empty(), "{format}");
        }
        let cfn = export_design(&design, ExportFormat::CloudFormation);
        let value: serde_json::Value = serde_json::from_str(&cfn.stdout).unwrap_or_default();
        assert_eq!(
            value["Resources"]["AppDataTable"]["Type"],
            serde_json::json!("AWS::DynamoDB::Table")
        );
        check_cmd(
            export_design("[]", ExportFormat::Sdk),
            "status 1\n--- stdout\n--- stderr\nerror [format-version] formatVersion: missing; this build writes formatVersion 2\n",
        );
    }

    #[test]
    fn import_round_trips_workbench_and_reads_sql() {
        let design = user_app();
        let model = export_design(&design, ExportFormat::Workbench).stdout;
        let back = import_design(&model, ImportFormat::Workbench, None);
        assert_eq!(back.status, 0);
        assert_eq!(back.stdout, design);
        let sql = import_design(
            "CREATE TABLE users (id INT PRIMARY KEY, email TEXT UNIQUE);\nDROP TABLE x;",
            ImportFormat::Sql,
            None,
        );
        assert_eq!(sql.status, 0);
        assert_eq!(
            sql.stderr,
            "info [sql-skipped] line 2: DROP TABLE x: a dump drops what it creates next; nothing to import; skipped\n"
        );
        let imported = Design::from_json(&sql.stdout).map(|d| d.entities.len());
        assert_eq!(imported, Ok(1));
        check_cmd(
            import_design("CREATE TABLE (", ImportFormat::Sql, None),
            "status 1\n--- stdout\n--- stderr\nerror [sql-syntax] line 1: sql parser error: Expected: identifier, found: ( at Line: 1, Column: 14; this statement is skipped\n",
        );
    }

    #[test]
    fn a_sql_import_takes_volumes_and_its_design_exports_a_migration_plan() {
        let ddl = "CREATE TABLE users (id INT PRIMARY KEY);\nCREATE TABLE posts (id INT PRIMARY KEY, user_id INT REFERENCES users(id));";
        let sql = import_design(ddl, ImportFormat::Sql, Some("users=10\nposts = 200\n"));
        assert_eq!(sql.status, 0, "{}", sql.stderr);
        let volumes = Design::from_json(&sql.stdout)
            .map(|d| d.entities.iter().map(|e| e.volume).collect::<Vec<_>>());
        assert_eq!(volumes, Ok(vec![10, 200]));
        let plan = export_design(&sql.stdout, ExportFormat::MigrationPlan);
        assert_eq!(plan.status, 0);
        assert!(plan.stdout.contains("FROM \"posts\" p"), "{}", plan.stdout);
        let json = export_design(&sql.stdout, ExportFormat::MigrationPlanJson);
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(&json.stdout);
        assert_eq!(
            parsed.ok().map(|v| v["loads"].as_array().map(Vec::len)),
            Some(Some(4))
        );
        check_cmd(
            import_design(ddl, ImportFormat::Sql, Some("users: 10")),
            "status 1\n--- stdout\n--- stderr\nerror [volumes] volumes line 1: expected table=rows, found \"users: 10\"\n",
        );
        check_cmd(
            import_design("{}", ImportFormat::Workbench, Some("users=1")),
            "status 2\n--- stdout\n--- stderr\n--volumes applies to a SQL import only\n",
        );
    }

    #[test]
    fn samples_are_deterministic_per_seed() {
        let design = user_app();
        let a = sample(&design, Some("users"), 3, 7);
        assert_eq!(a.status, 0);
        assert_eq!(a.stdout.lines().count(), 3);
        assert_eq!(a, sample(&design, Some("users"), 3, 7));
        assert_ne!(a.stdout, sample(&design, Some("users"), 3, 8).stdout);
        let items = sample(&design, None, 2, 1);
        assert_eq!(
            items.stdout.lines().count(),
            4,
            "two users and two posts; comments live inside posts"
        );
        let missing = sample(&design, Some("people"), 1, 1);
        assert_eq!(
            missing.stderr,
            "no collection is named \"people\" (there are: users, posts)\n"
        );
    }

    #[test]
    fn examples_are_listed_and_printed() {
        let list = example(None);
        assert!(list.stdout.starts_with("user-app\t"), "{}", list.stdout);
        assert_eq!(example(Some("user-app")).stdout, user_app());
        let missing = example(Some("nope"));
        assert_eq!(missing.status, 1);
        assert!(missing
            .stderr
            .starts_with("no example is named \"nope\" (there are: user-app"));
    }
}
