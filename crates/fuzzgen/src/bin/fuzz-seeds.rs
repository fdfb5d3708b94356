//! Writes the seed corpus of every fuzz target: `fuzz-seeds OUT_DIR [REPO_ROOT [SHARED_DIR]]`
//! (the repository defaults to this crate's workspace, the shared folder to `../shared` beside it).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: fuzz-seeds OUT_DIR [REPO_ROOT [SHARED_DIR]]");
        return ExitCode::from(2);
    };
    let root = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."));
    let shared = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    let seeds = schemaplay_fuzzgen::seeds::all(&root, &shared);
    if let Err(e) = schemaplay_fuzzgen::seeds::write(&seeds, &out) {
        eprintln!("fuzz-seeds: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    for (target, inputs) in &seeds {
        println!("{target}: {} seeds", inputs.len());
    }
    ExitCode::SUCCESS
}
