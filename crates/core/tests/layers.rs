//! The layers of `schemaplay-core`, checked (after rust-analyzer's `tidy.rs`).
//!
//! Every file under `src/` belongs to a top-level module (`src/mongo/query/get.rs`
//! to `mongo`), and every module to a layer. This test reads each `use crate::…`,
//! `crate::…` and `super::…` path outside comments, strings and `#[cfg(test)]`
//! items (tests may use anything as a fixture) and fails, naming the file, the
//! line and the edge, when an edge goes up a layer, when two modules that must
//! stay independent (`mongo` and `dynamo`) use each other, or when edges across
//! one layer close a cycle. `lib.rs`, the crate root, only declares and
//! re-exports, and is not checked; a path must name the module it reaches
//! (`crate::model::Design`, not `crate::Design`), so that every edge is seen.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The layers, lowest first. A module may use modules of its own layer or of a
/// lower one, never a higher one.
const LAYERS: [(&str, &[&str]); 4] = [
    (
        "the model: design types, names, sample values",
        &["names", "numbers", "js", "model", "sample"],
    ),
    ("the derivations", &["mongo", "dynamo"]),
    ("above both derivations", &["cost", "scaling", "lint"]),
    (
        "on top: analysis, exports, imports",
        &[
            "alternatives",
            "analysis",
            "backup",
            "export",
            "import",
            "examples",
            "share",
        ],
    ),
];

/// Pairs of modules that must not use each other at all.
const INDEPENDENT: [(&str, &str); 1] = [("mongo", "dynamo")];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// One use of a module by another, where it is written.
#[derive(Clone, Debug)]
struct Edge {
    from: String,
    to: String,
    file: String,
    line: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
}

/// The tokens of Rust source with their line numbers: identifiers, `::` and
/// single punctuation, with comments, strings, characters and numbers left out.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = at(i);
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && at(i) != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if at(i) == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && at(i) != '"' {
                if at(i) == '\\' {
                    i += 1;
                }
                if at(i) == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && at(i) != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1; // A lifetime: its name follows as an identifier.
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let raw = (word == "r" || word == "br") && (at(i) == '#' || at(i) == '"');
            if raw {
                let mut hashes = 0;
                while at(i) == '#' {
                    hashes += 1;
                    i += 1;
                }
                i += 1; // The opening quote.
                loop {
                    if i >= chars.len() {
                        break;
                    }
                    if at(i) == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                        i += 1 + hashes;
                        break;
                    }
                    if at(i) == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            } else {
                out.push((Token::Ident(word), line));
            }
        } else if c.is_ascii_digit() {
            while at(i).is_alphanumeric()
                || at(i) == '_'
                || at(i) == '.' && at(i + 1).is_ascii_digit()
            {
                i += 1;
            }
        } else if c == ':' && at(i + 1) == ':' {
            out.push((Token::PathSep, line));
            i += 2;
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// Drops every item marked `#[cfg(test)]`: the attribute, then the item up to
/// its `;` or through its `{ … }` block.
fn without_tests(tokens: Vec<(Token, usize)>) -> Vec<(Token, usize)> {
    let cfg_test = [
        Token::Punct('#'),
        Token::Punct('['),
        Token::Ident("cfg".into()),
        Token::Punct('('),
        Token::Ident("test".into()),
        Token::Punct(')'),
        Token::Punct(']'),
    ];
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let marked = tokens
            .get(i..i + cfg_test.len())
            .is_some_and(|w| w.iter().map(|(t, _)| t).eq(cfg_test.iter()));
        if !marked {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        i += cfg_test.len();
        while i < tokens.len() && !matches!(tokens[i].0, Token::Punct('{' | ';')) {
            i += 1;
        }
        if matches!(tokens.get(i), Some((Token::Punct('{'), _))) {
            let mut depth = 0;
            while i < tokens.len() {
                match tokens[i].0 {
                    Token::Punct('{') => depth += 1,
                    Token::Punct('}') => depth -= 1,
                    _ => {}
                }
                i += 1;
                if depth == 0 {
                    break;
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The module path of a file under `src/`: `mongo/query/get.rs` → `[mongo, query, get]`.
fn module_path(file: &str) -> Vec<String> {
    let trimmed = file.trim_end_matches(".rs");
    let mut parts: Vec<String> = trimmed.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The crate modules one file uses, each with its line. `problems` gets the
/// paths that reach the crate root without naming a module.
fn uses(
    file: &str,
    text: &str,
    modules: &[String],
    problems: &mut Vec<String>,
) -> Vec<(String, usize)> {
    let toks = without_tests(tokens(text));
    let file_module = module_path(file);
    let mut out = Vec::new();
    // Inline `mod name { … }` blocks nest the module path; `super` counts from there.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let ident = |i: usize| match toks.get(i) {
        Some((Token::Ident(s), _)) => Some(s.as_str()),
        _ => None,
    };
    let is = |i: usize, t: &Token| toks.get(i).is_some_and(|(x, _)| x == t);
    let mut i = 0;
    while i < toks.len() {
        let line = toks[i].1;
        match &toks[i].0 {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            Token::Ident(word) if word == "mod" => {
                if let (Some(name), true) = (ident(i + 1), is(i + 2, &Token::Punct('{'))) {
                    inline.push((name.to_string(), depth));
                }
            }
            _ => {}
        }
        let root_path_at = if ident(i) == Some("crate") && is(i + 1, &Token::PathSep) {
            Some(i + 2)
        } else if ident(i) == Some("super") && is(i + 1, &Token::PathSep) {
            let mut here: Vec<String> = file_module.clone();
            here.extend(inline.iter().map(|(n, _)| n.clone()));
            let mut j = i;
            while ident(j) == Some("super") && is(j + 1, &Token::PathSep) {
                here.pop();
                j += 2;
            }
            match here.first() {
                Some(top) => {
                    out.push((top.clone(), line));
                    i = j;
                    continue;
                }
                None => Some(j),
            }
        } else {
            None
        };
        let Some(j) = root_path_at else {
            i += 1;
            continue;
        };
        let mut names = Vec::new();
        if is(j, &Token::Punct('{')) {
            // `crate::{a, b::{c, d}}`: the first name of each element of the group.
            let mut k = j + 1;
            let mut nested = 0;
            let mut expect_name = true;
            while k < toks.len() {
                match &toks[k].0 {
                    Token::Punct('{') => nested += 1,
                    Token::Punct('}') if nested == 0 => break,
                    Token::Punct('}') => nested -= 1,
                    Token::Punct(',') if nested == 0 => expect_name = true,
                    Token::Ident(name) if expect_name && nested == 0 => {
                        names.push(name.clone());
                        expect_name = false;
                    }
                    _ => {}
                }
                k += 1;
            }
        } else if let Some(name) = ident(j) {
            names.push(name.to_string());
        }
        for name in names {
            if modules.contains(&name) {
                out.push((name, line));
            } else if name != "self" {
                problems.push(format!(
                    "src/{file}:{line}: crate::{name} names no module; write the module's path (crate::model::{name}), so the layer check sees the edge"
                ));
            }
        }
        i = j;
    }
    out
}

/// Every problem of the crate whose source files are given (paths relative to `src/`).
fn check(files: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let modules: Vec<String> = {
        let mut m: Vec<String> = files
            .iter()
            .filter(|(f, _)| f != "lib.rs")
            .filter_map(|(f, _)| module_path(f).first().cloned())
            .collect();
        m.sort();
        m.dedup();
        m
    };
    for m in &modules {
        if layer_of(m).is_none() {
            problems.push(format!(
                "module `{m}` is in no layer: add it to LAYERS in tests/layers.rs (and to ARCHITECTURE.md)"
            ));
        }
    }
    let mut edges: Vec<Edge> = Vec::new();
    for (file, text) in files.iter().filter(|(f, _)| f != "lib.rs") {
        let Some(from) = module_path(file).first().cloned() else {
            continue;
        };
        for (to, line) in uses(file, text, &modules, &mut problems) {
            if to != from {
                edges.push(Edge {
                    from: from.clone(),
                    to,
                    file: file.clone(),
                    line,
                });
            }
        }
    }
    for e in &edges {
        let (Some(a), Some(b)) = (layer_of(&e.from), layer_of(&e.to)) else {
            continue;
        };
        if b > a {
            problems.push(format!(
                "src/{}:{}: `{}` (layer {a}, {}) uses `{}` (layer {b}, {}): a module may only use its own layer or lower ones",
                e.file, e.line, e.from, LAYERS[a].0, e.to, LAYERS[b].0
            ));
        }
        if INDEPENDENT
            .iter()
            .any(|(x, y)| (*x == e.from && *y == e.to) || (*y == e.from && *x == e.to))
        {
            problems.push(format!(
                "src/{}:{}: `{}` uses `{}`, and the two must not depend on each other: move what both need down a layer",
                e.file, e.line, e.from, e.to
            ));
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        let mut text = String::from("modules form a cycle: ");
        for e in &cycle {
            let _ = write!(text, "{} -> {} (src/{}:{}); ", e.from, e.to, e.file, e.line);
        }
        text.push_str("break one of these edges");
        problems.push(text);
    }
    problems
}

/// A cycle of module edges, if there is one, as the edges around it.
fn find_cycle(edges: &[Edge]) -> Option<Vec<Edge>> {
    let mut graph: BTreeMap<&str, Vec<&Edge>> = BTreeMap::new();
    for e in edges {
        graph.entry(e.from.as_str()).or_default().push(e);
    }
    // Depth-first search; a module met again while on the stack closes a cycle.
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, Vec<&'a Edge>>,
        done: &mut Vec<&'a str>,
        stack: &mut Vec<&'a Edge>,
    ) -> Option<Vec<Edge>> {
        for e in graph.get(node).into_iter().flatten() {
            if let Some(start) = stack.iter().position(|s| s.from == e.to) {
                let mut cycle: Vec<Edge> = stack[start..].iter().map(|e| (*e).clone()).collect();
                cycle.push((*e).clone());
                return Some(cycle);
            }
            if e.to == node {
                continue;
            }
            if done.contains(&e.to.as_str()) {
                continue;
            }
            stack.push(e);
            if let Some(c) = visit(&e.to, graph, done, stack) {
                return Some(c);
            }
            stack.pop();
        }
        done.push(node);
        None
    }
    let mut done = Vec::new();
    for node in graph.keys() {
        if done.contains(node) {
            continue;
        }
        let mut stack = Vec::new();
        if let Some(c) = visit(node, &graph, &mut done, &mut stack) {
            return Some(c);
        }
    }
    None
}

/// Every `.rs` file under `dir`, with its path relative to `root`.
fn read_dir(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            read_dir(root, &path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let relative = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            out.push((relative, text));
        }
    }
}

#[test]
fn core_is_layered() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_dir(&root, &root, &mut files);
    files.sort();
    for expected in ["lib.rs", "model/mod.rs", "mongo/mod.rs", "dynamo/mod.rs"] {
        assert!(
            files.iter().any(|(f, _)| f == expected),
            "src/{expected} was not read"
        );
    }
    let problems = check(&files);
    assert!(
        problems.is_empty(),
        "the layers of schemaplay-core are broken:\n{}",
        problems.join("\n")
    );
}

// The checker itself, on small made-up crates: each way it must fail, fails.

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect()
}

#[test]
fn an_upward_edge_is_named() {
    let problems = check(&files(&[
        ("model/mod.rs", "pub struct Design;"),
        (
            "cost.rs",
            "use crate::model::Design;\nuse crate::analysis::Analysis;",
        ),
        ("analysis.rs", "pub struct Analysis;"),
    ]));
    assert_eq!(
        problems,
        ["src/cost.rs:2: `cost` (layer 2, above both derivations) uses `analysis` (layer 3, on top: analysis, exports, imports): a module may only use its own layer or lower ones"]
    );
}

#[test]
fn mongo_and_dynamo_stay_independent() {
    let problems = check(&files(&[
        ("mongo/mod.rs", "mod query;"),
        (
            "mongo/query/get.rs",
            "fn f() { let _ = crate::dynamo::layout; }",
        ),
        ("dynamo/mod.rs", "pub fn layout() {}"),
    ]));
    assert_eq!(
        problems,
        ["src/mongo/query/get.rs:1: `mongo` uses `dynamo`, and the two must not depend on each other: move what both need down a layer"]
    );
}

#[test]
fn a_cycle_across_one_layer_is_named() {
    let problems = check(&files(&[
        ("scaling.rs", "use crate::{cost, lint::Lint};"),
        ("lint.rs", "\n\nuse crate::scaling::Scaling;"),
        ("cost.rs", ""),
    ]));
    assert_eq!(
        problems,
        ["modules form a cycle: lint -> scaling (src/lint.rs:3); scaling -> lint (src/scaling.rs:1); break one of these edges"]
    );
}

#[test]
fn comments_strings_and_tests_are_no_edges_but_super_is() {
    let problems = check(&files(&[
        (
            "model/mod.rs",
            r##"
            //! See [`crate::analysis`].
            /* crate::analysis */
            const A: &str = "crate::analysis::x";
            const B: &str = r#"crate::analysis"#;
            const C: char = '"'; fn f<'a>(x: &'a str) {}
            #[cfg(test)]
            mod tests { use crate::analysis::Analysis; }
            "##,
        ),
        ("model/validate.rs", "use super::super::analysis::Analysis;"),
        ("analysis.rs", ""),
    ]));
    assert_eq!(
        problems,
        ["src/model/validate.rs:1: `model` (layer 0, the model: design types, names, sample values) uses `analysis` (layer 3, on top: analysis, exports, imports): a module may only use its own layer or lower ones"]
    );
}

#[test]
fn paths_must_name_a_module_and_modules_a_layer() {
    let problems = check(&files(&[
        ("model/mod.rs", "fn f() -> crate::Design { todo() }"),
        ("extra.rs", ""),
    ]));
    assert_eq!(
        problems,
        [
            "module `extra` is in no layer: add it to LAYERS in tests/layers.rs (and to ARCHITECTURE.md)",
            "src/model/mod.rs:1: crate::Design names no module; write the module's path (crate::model::Design), so the layer check sees the edge",
        ]
    );
}
