//! Replays fuzz inputs natively (no nightly needed): `fuzz-replay TARGET FILE...` runs each
//! file through the target's function, as the fuzz target does, and panics where it does.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((target, files)) = args.split_first() else {
        eprintln!("usage: fuzz-replay TARGET FILE...");
        return ExitCode::from(2);
    };
    let Some((_, run)) = schemaplay_fuzzgen::targets::ALL
        .iter()
        .find(|(n, _)| n == target)
    else {
        let names: Vec<&str> = schemaplay_fuzzgen::targets::ALL
            .iter()
            .map(|(n, _)| *n)
            .collect();
        eprintln!(
            "unknown target {target}; the targets are {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    for file in files {
        match std::fs::read(file) {
            Ok(data) => {
                run(&data);
                println!("{file}: ok");
            }
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
