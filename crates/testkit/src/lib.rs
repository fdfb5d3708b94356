//! The conformance harness both simulators share (the case format is
//! `shared/conformance/README.md`): it reads case files, runs each case through a simulator's
//! `run_case`, counts, reports and holds the thresholds. What a case *means* (how it loads data,
//! runs a request and compares the outcome) stays in each simulator's `conformance` module.
//!
//! Used by the simulators' `tests/conformance.rs` and by the CLI's `conformance DIR` command.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Runs one case: `Err` carries the reason it failed.
pub type RunCase = fn(&Value) -> Result<(), String>;

/// The share of the shared cases (in percent) a simulator must pass.
pub const SHARED_PASS_PERCENT: usize = 95;

/// One case and the file it came from.
#[derive(Debug, Clone)]
pub struct Case {
    pub file: PathBuf,
    pub value: Value,
}

impl Case {
    /// The case's `id`, or `<no id>`.
    pub fn id(&self) -> &str {
        self.value
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("<no id>")
    }
}

/// The cases read from a file or a folder.
#[derive(Debug, Clone, Default)]
pub struct Cases {
    pub cases: Vec<Case>,
    /// JSON files that are not arrays of cases (an oracle's `package.json`).
    pub skipped: Vec<PathBuf>,
}

/// Reads every case of `path`: a `.json` file, or a folder walked in name order (subfolders
/// too, `node_modules` left out). Each file holds an array of cases; a JSON file that is not an
/// array is listed in `skipped`. A folder without any `.json` file, an unreadable file or
/// invalid JSON is an error naming the file.
pub fn load(path: &Path) -> Result<Cases, String> {
    let mut files = Vec::new();
    collect_json_files(path, &mut files)?;
    if files.is_empty() {
        return Err(format!("{}: no .json files found", path.display()));
    }
    let mut out = Cases::default();
    for file in files {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        match parsed {
            Value::Array(values) => out.cases.extend(values.into_iter().map(|value| Case {
                file: file.clone(),
                value,
            })),
            _ => out.skipped.push(file),
        }
    }
    Ok(out)
}

fn collect_json_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "node_modules") {
                continue;
            }
            collect_json_files(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
    Ok(())
}

/// What a run of cases gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub passed: usize,
    /// `id: reason`, in the order the cases ran.
    pub failures: Vec<String>,
}

impl Cases {
    /// Runs every case through `run_case`.
    pub fn run(&self, run_case: RunCase) -> Report {
        let mut report = Report::default();
        for case in &self.cases {
            match run_case(&case.value) {
                Ok(()) => report.passed += 1,
                Err(reason) => report.failures.push(format!("{}: {reason}", case.id())),
            }
        }
        report
    }

    /// Every case has an `id` no other case has and names its `source`; `Err` lists the ones
    /// that do not.
    pub fn check_ids_and_sources(&self) -> Result<(), String> {
        let mut ids = HashSet::new();
        let mut problems = Vec::new();
        for case in &self.cases {
            let id = case.id();
            if !ids.insert(id) {
                problems.push(format!("duplicate case id {id}"));
            }
            if case.value.get("source").and_then(Value::as_str).is_none() {
                problems.push(format!("{id}: every case names its source"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }
}

impl Report {
    pub fn total(&self) -> usize {
        self.passed + self.failures.len()
    }

    /// The report as the CLI and the tests print it: a `FAIL id: reason` line per failure (the
    /// reason on one line, cut at 300 characters), then `N passed, N failed`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for f in &self.failures {
            out.push_str("FAIL ");
            out.push_str(&one_line(f));
            out.push('\n');
        }
        out.push_str(&format!(
            "{} passed, {} failed",
            self.passed,
            self.failures.len()
        ));
        out
    }

    /// `Err` (naming every failure) unless at least `percent` of the cases passed.
    pub fn require_percent(&self, percent: usize) -> Result<(), String> {
        if self.passed * 100 >= self.total() * percent {
            return Ok(());
        }
        Err(format!(
            "only {} of {} conformance cases pass ({percent}% needed); failing:\n{}",
            self.passed,
            self.total(),
            self.failures.join("\n")
        ))
    }

    /// `Err` (naming every failure) unless every case passed.
    pub fn require_all(&self) -> Result<(), String> {
        if self.failures.is_empty() {
            return Ok(());
        }
        Err(format!(
            "{} of {} cases fail:\n{}",
            self.failures.len(),
            self.total(),
            self.failures.join("\n")
        ))
    }
}

/// The test of a simulator's share of the shared cases (`shared/conformance/<folder>`, beside
/// the repository): at least [`SHARED_PASS_PERCENT`] must pass. Panics otherwise, or when the
/// cases cannot be read.
pub fn assert_shared_cases(dir: &Path, run_case: RunCase) {
    let cases = load_for_test(dir);
    let report = cases.run(run_case);
    println!("{}", report.render());
    if let Err(e) = report.require_percent(SHARED_PASS_PERCENT) {
        panic!("{e}");
    }
}

/// The test of a simulator's own cases (`tests/cases/`): every one passes, has a unique id and
/// names its source. Panics otherwise, or when the cases cannot be read.
pub fn assert_own_cases(dir: &Path, run_case: RunCase) {
    let cases = load_for_test(dir);
    let report = cases.run(run_case);
    println!("{}", report.render());
    if let Err(e) = report.require_all().and(cases.check_ids_and_sources()) {
        panic!("{e}");
    }
}

/// Cases for a test: every `.json` file must be an array of cases.
fn load_for_test(dir: &Path) -> Cases {
    let cases = load(dir).unwrap_or_else(|e| {
        panic!(
            "the conformance cases are missing or unreadable: {e}; the shared cases belong in a `shared` folder beside the repository"
        )
    });
    assert!(
        cases.skipped.is_empty(),
        "not arrays of cases: {:?}",
        cases.skipped
    );
    cases
}

/// A reason on one line, at most 300 characters.
fn one_line(s: &str) -> String {
    let line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 300 {
        format!("{}…", line.chars().take(300).collect::<String>())
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of case files under the system's temporary folder, removed when dropped.
    struct Folder(PathBuf);

    impl Folder {
        fn new(name: &str, files: &[(&str, &str)]) -> Folder {
            let dir = std::env::temp_dir().join(format!("testkit-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for (path, text) in files {
                let file = dir.join(path);
                if let Some(parent) = file.parent() {
                    std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
                }
                std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
            }
            Folder(dir)
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Passes the cases whose `ok` is true.
    fn by_ok(case: &Value) -> Result<(), String> {
        match case.get("ok").and_then(Value::as_bool) {
            Some(true) => Ok(()),
            _ => Err("not ok\n  at all".to_string()),
        }
    }

    #[test]
    fn loads_in_name_order_and_skips_what_is_not_cases() {
        let folder = Folder::new(
            "load",
            &[
                ("b.json", r#"[{"id": "b1", "ok": true}]"#),
                (
                    "a.json",
                    r#"[{"id": "a1", "ok": false}, {"id": "a2", "ok": true}]"#,
                ),
                ("sub/c.json", r#"[{"id": "c1", "ok": true}]"#),
                ("sub/package.json", r#"{"name": "oracle"}"#),
                ("node_modules/x.json", r#"[{"id": "x1"}]"#),
                ("notes.txt", "not json"),
            ],
        );
        let cases = load(&folder.0).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = cases.cases.iter().map(Case::id).collect();
        assert_eq!(ids, ["a1", "a2", "b1", "c1"]);
        assert_eq!(cases.skipped, [folder.0.join("sub/package.json")]);
        let report = cases.run(by_ok);
        assert_eq!(report.passed, 3);
        assert_eq!(report.failures, ["a1: not ok\n  at all"]);
        assert_eq!(
            report.render(),
            "FAIL a1: not ok at all\n3 passed, 1 failed"
        );
    }

    #[test]
    fn unreadable_cases_are_errors_naming_the_file() {
        let folder = Folder::new("bad", &[("bad.json", "[{")]);
        let err = load(&folder.0).err().unwrap_or_default();
        assert!(err.contains("bad.json: EOF while parsing"), "{err}");
        let empty = Folder::new("empty", &[("readme.md", "#")]);
        let err = load(&empty.0).err().unwrap_or_default();
        assert!(err.ends_with(": no .json files found"), "{err}");
    }

    #[test]
    fn thresholds() {
        let report = |passed: usize, failed: usize| Report {
            passed,
            failures: (0..failed).map(|i| format!("f{i}: why")).collect(),
        };
        assert_eq!(report(95, 5).require_percent(95), Ok(()));
        assert_eq!(
            report(94, 5).require_percent(95),
            Err("only 94 of 99 conformance cases pass (95% needed); failing:\nf0: why\nf1: why\nf2: why\nf3: why\nf4: why".to_string())
        );
        assert_eq!(report(3, 0).require_all(), Ok(()));
        assert_eq!(
            report(3, 1).require_all(),
            Err("1 of 4 cases fail:\nf0: why".to_string())
        );
    }

    #[test]
    fn ids_are_unique_and_cases_name_their_source() {
        let case = |v: Value| Case {
            file: PathBuf::from("x.json"),
            value: v,
        };
        let cases = Cases {
            cases: vec![
                case(serde_json::json!({"id": "a", "source": "manual"})),
                case(serde_json::json!({"id": "a", "source": "manual"})),
                case(serde_json::json!({"id": "b"})),
            ],
            skipped: Vec::new(),
        };
        assert_eq!(
            cases.check_ids_and_sources(),
            Err("duplicate case id a\nb: every case names its source".to_string())
        );
    }
}
