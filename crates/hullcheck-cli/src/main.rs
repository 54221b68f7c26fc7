//! The `hullcheck` command: parses arguments and dispatches to one module per subcommand.

#![forbid(unsafe_code)]

mod catalog;
mod completions;
mod diff;
mod evaluate;
mod output;
mod progress;
mod render;
mod schema;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc: evidence trees are many small, short-lived allocations, which it serves faster
/// than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Container-security compliance: evaluate evidence against the hullcheck catalog.
#[derive(Debug, Parser)]
#[command(name = "hullcheck", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate evidence files and directories.
    Evaluate(Box<evaluate::Args>),
    /// List the catalog (controls, frameworks, practices, layers, profiles, the graph) or show
    /// one control.
    Catalog(catalog::Args),
    /// Print a JSON Schema: `report` or `catalog`.
    Schema(schema::Args),
    /// Compare two JSON reports: new failures, fixed findings, requirement changes.
    Diff(diff::Args),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    Completions(completions::Args),
    /// Print the man page (roff).
    Man,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Evaluate(args) => evaluate::run(*args),
        Command::Catalog(args) => catalog::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Completions(args) => completions::run::<Cli>(args),
        Command::Man => completions::man::<Cli>(),
    };
    ExitCode::from(code)
}
