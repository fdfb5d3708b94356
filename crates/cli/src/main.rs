//! The `schemaplay` command line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use schemaplay_core::export::ExportFormat;
use schemaplay_core::import::ImportFormat;

mod conformance;
mod design;
mod run;
mod verify;

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
    /// Validates a design and prints its errors and warnings; exits 1 on errors.
    Check {
        /// The design JSON file.
        design: PathBuf,
    },
    /// Writes an export of a design.
    Export {
        /// workbench, cloudformation, mongosh, mongoose, jsonschema, sdk, migration-plan
        /// (markdown) or migration-plan-json.
        #[arg(long = "to", value_parser = parse_export)]
        to: ExportFormat,
        /// The design JSON file.
        design: PathBuf,
        /// Where to write (stdout when absent).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Imports a NoSQL Workbench model or SQL CREATE TABLE statements as a design.
    Import {
        /// workbench or sql.
        #[arg(long = "from", value_parser = parse_import)]
        from: ImportFormat,
        /// The file to import.
        file: PathBuf,
        /// Row counts per table for a SQL import: a JSON object (`{"orders": 1200000}`) or
        /// `table=rows` lines; they override `-- rows: N` comments.
        #[arg(long = "volumes")]
        volumes: Option<PathBuf>,
        /// Where to write the design JSON (stdout when absent).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Prints everything derived from a design (layouts, indexes, findings, cost, scaling) as JSON.
    Analyze {
        /// The design JSON file.
        design: PathBuf,
    },
    /// Prints deterministic sample data: MongoDB documents (Extended JSON) or DynamoDB items.
    Sample {
        /// The design JSON file.
        design: PathBuf,
        /// The collection whose documents to print (DynamoDB items of every entity when absent).
        #[arg(long)]
        collection: Option<String>,
        /// How many documents (or items per entity).
        #[arg(short = 'n', long, default_value_t = 10)]
        count: u64,
        /// The seed; the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Writes the IANA time zone database as one TZif file per zone name (DIR/America/New_York.tzif),
    /// the files the browser's simulators fetch when a query names a zone.
    Tzdb {
        /// The folder to write into (made if missing).
        dir: PathBuf,
    },
    /// Runs a design's layouts in the simulators against its reference model; exits 1 on a divergence.
    Verify {
        /// The design JSON file (or --example).
        #[arg(required_unless_present = "example")]
        design: Option<PathBuf>,
        /// A built-in example instead of a file (`schemaplay example` lists them).
        #[arg(long, conflicts_with = "design")]
        example: Option<String>,
        /// The workload's seed; the same seed gives the same report.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many steps the workload has.
        #[arg(long, default_value_t = 1000)]
        steps: usize,
    },
    /// Runs a script (mongosh, mongoose, the MongoDB driver, the AWS SDKs, the AWS CLI) on a
    /// design's layouts: one JSON line per statement that shows something, `{"line": L,
    /// "result": ...}` or `{"line": L, "error": {"message", "line", "column"}}`, then `N
    /// statements, M failed`; warnings on stderr; exits 1 when a statement failed.
    Run {
        /// The script file, or `-` for stdin.
        script: PathBuf,
        /// The design JSON file whose layouts the script runs on (empty databases without one).
        #[arg(long, conflicts_with = "example")]
        design: Option<PathBuf>,
        /// A built-in example instead of a design file.
        #[arg(long)]
        example: Option<String>,
        /// Sample records generated per entity (0: the layouts with no data).
        #[arg(long, default_value_t = 0)]
        data: u64,
        /// The sample data's seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Prints each layout choice of a design (embed or reference, a child in its parent's
    /// partition or its own, a local or a global index) with every alternative derived: cost,
    /// requests per pattern, consistency, findings. With --apply, prints the design with one
    /// alternative recorded instead.
    Alternatives {
        /// The design JSON file (or --example).
        #[arg(required_unless_present = "example")]
        design: Option<PathBuf>,
        /// A built-in example instead of a file (`schemaplay example` lists them).
        #[arg(long, conflicts_with = "design")]
        example: Option<String>,
        /// The choices as JSON instead of text.
        #[arg(long)]
        json: bool,
        /// CHOICE=ALTERNATIVE (`placement:Post=parentById`): prints the design JSON with it applied.
        #[arg(long)]
        apply: Option<String>,
    },
    /// Lists the example designs, or prints one.
    Example {
        /// The example's id.
        id: Option<String>,
    },
}

fn parse_export(s: &str) -> Result<ExportFormat, String> {
    s.parse()
}

fn parse_import(s: &str) -> Result<ImportFormat, String> {
    s.parse()
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The text of the design a command names: a file, or a built-in example.
fn design_text(design: Option<PathBuf>, example: Option<String>) -> Result<String, String> {
    match (design, example) {
        (Some(path), _) => read(&path),
        (None, Some(id)) => verify::example(&id),
        (None, None) => Err("name a design file or --example".into()),
    }
}

/// Prints an outcome (stdout to the file when given) and turns its status into an exit code.
fn emit(outcome: design::Outcome, output: Option<&Path>) -> Result<ExitCode, String> {
    match output {
        Some(path) if !outcome.stdout.is_empty() => std::fs::write(path, &outcome.stdout)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        _ => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(outcome.stdout.as_bytes())
                .map_err(|e| format!("cannot write to stdout: {e}"))?;
        }
    }
    eprint!("{}", outcome.stderr);
    Ok(ExitCode::from(outcome.status))
}

/// `schemaplay tzdb DIR`: every zone the simulators know natively, as the files
/// `schemaplay_mongo::time_zones` reads in the browser.
fn write_tzdb(dir: &Path) -> Result<ExitCode, String> {
    let mut count = 0;
    for (name, bytes) in schemaplay_mongo::time_zones::bundled_tzif() {
        if !schemaplay_mongo::time_zones::plausible_name(name) {
            return Err(format!("the time zone name {name:?} cannot be a file name"));
        }
        let path = dir.join(schemaplay_mongo::time_zones::file_name(name));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot make {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        count += 1;
    }
    eprintln!("{count} time zones written to {}", dir.display());
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Conformance { dir } => conformance::run(&dir),
        Command::Check { design } => read(&design).and_then(|t| emit(design::check(&t), None)),
        Command::Export { to, design, output } => {
            read(&design).and_then(|t| emit(design::export_design(&t, to), output.as_deref()))
        }
        Command::Import {
            from,
            file,
            volumes,
            output,
        } => {
            let volumes = match volumes {
                Some(path) => read(&path).map(Some),
                None => Ok(None),
            };
            volumes.and_then(|v| {
                read(&file).and_then(|t| {
                    emit(
                        design::import_design(&t, from, v.as_deref()),
                        output.as_deref(),
                    )
                })
            })
        }
        Command::Analyze { design } => {
            read(&design).and_then(|t| emit(design::analyze_design(&t), None))
        }
        Command::Sample {
            design,
            collection,
            count,
            seed,
        } => read(&design)
            .and_then(|t| emit(design::sample(&t, collection.as_deref(), count, seed), None)),
        Command::Verify {
            design,
            example,
            seed,
            steps,
        } => design_text(design, example).and_then(|t| emit(verify::run(&t, seed, steps), None)),
        Command::Run {
            script,
            design,
            example,
            data,
            seed,
        } => run::source(&script).and_then(|source| {
            let design = match (design, example) {
                (Some(path), _) => read(&path).map(Some),
                (None, Some(id)) => verify::example(&id).map(Some),
                (None, None) => Ok(None),
            }?;
            emit(run::run(&source, design.as_deref(), data, seed), None)
        }),
        Command::Alternatives {
            design,
            example,
            json,
            apply,
        } => design_text(design, example)
            .and_then(|t| emit(design::alternatives(&t, json, apply.as_deref()), None)),
        Command::Example { id } => emit(design::example(id.as_deref()), None),
        Command::Tzdb { dir } => write_tzdb(&dir),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
