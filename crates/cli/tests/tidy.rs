//! Conventions that matter, checked by `cargo test` (after rust-analyzer's `tidy.rs`).

use std::process::Command;

/// Crates that only make sense in a browser: the core crates must never depend on them.
const BROWSER_CRATES: [&str; 6] = [
    "wasm-bindgen",
    "web-sys",
    "js-sys",
    "gloo",
    "yew",
    "gloo-worker",
];

const CORE_CRATES: [&str; 7] = [
    "schemaplay-core",
    "schemaplay-mongo",
    "schemaplay-dynamo",
    "schemaplay-decimal",
    "schemaplay-script",
    "schemaplay-verify",
    "schemaplay-playground",
];

fn normal_dependencies(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
            "-p",
            package,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn core_crates_have_no_browser_dependencies() {
    for package in CORE_CRATES {
        let deps = normal_dependencies(package);
        assert!(
            deps.iter().any(|d| d == package),
            "cargo tree did not list {package} itself: {deps:?}"
        );
        let browser: Vec<&String> = deps
            .iter()
            .filter(|d| BROWSER_CRATES.contains(&d.as_str()))
            .collect();
        assert!(
            browser.is_empty(),
            "{package} depends on browser crates {browser:?}"
        );
    }
}

#[test]
fn core_crates_do_not_depend_on_the_facade_or_the_app() {
    for package in CORE_CRATES {
        let deps = normal_dependencies(package);
        for outer in ["schemaplay-wasm", "schemaplay-web", "schemaplay"] {
            assert!(
                !deps.iter().any(|d| d == outer),
                "{package} depends on {outer}"
            );
        }
    }
}
