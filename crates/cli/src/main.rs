//! The `schemaplay` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod conformance;

#[derive(Parser)]
#[command(
    name = "schemaplay",
    version,
    about = "A NoSQL schema playground for MongoDB and DynamoDB"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs every conformance case of every JSON file under DIR and prints `N passed, M failed`.
    Conformance {
        /// A folder (or a single file) of cases in the shared conformance format.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Conformance { dir } => conformance::run(&dir),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
