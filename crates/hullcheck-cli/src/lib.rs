//! The `hullcheck` command line as a library: argument parsing and dispatch to one module per
//! subcommand. The binary, the Python package's `hullcheck` command and the Node package's `bin`
//! all call [`run`], so the three are the same CLI, flag for flag and exit code for exit code.
//!
//! Unlike the `hullcheck` crate, this CLI may start a process: only `evaluate --render`, which
//! runs `helm template` or `kubectl kustomize` when the user asks for it.

#![forbid(unsafe_code)]

mod catalog;
mod completions;
mod diff;
mod evaluate;
mod merge;
mod output;
mod progress;
mod render;
mod render_report;
mod schema;

use std::ffi::OsString;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

pub use output::{FAILURES, OK, USAGE};

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
    /// Render a saved JSON report in another format (text, SARIF, JUnit, Markdown, HTML, OSCAL,
    /// checklists).
    Render(render_report::Args),
    /// Print a JSON Schema: `report`, `fleet` or `catalog`.
    Schema(schema::Args),
    /// Print the settings `evaluate` would use (flags, `HULLCHECK_*` environment,
    /// `.hullcheck.yaml`), each with its origin.
    Config(Box<evaluate::Args>),
    /// Compare two JSON reports: new failures, fixed findings, requirement changes.
    Diff(diff::Args),
    /// Merge the JSON reports of named clusters (`NAME=REPORT.json`) into a fleet report: the
    /// control × cluster matrix and the divergence from a reference cluster.
    Merge(merge::Args),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    Completions(completions::Args),
    /// Print the man page (roff).
    Man,
}

/// Runs the CLI on `args` (the first item is the program name, as in `std::env::args_os`) and
/// returns the process exit code: [`OK`], [`FAILURES`] (the gate failed) or [`USAGE`] (bad
/// arguments or unreadable input). Help and version requests print and return [`OK`].
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    // The matches are kept: they tell a flag from an environment variable and a default,
    // which is how `.hullcheck.yaml` knows what it may fill in.
    let parsed = Cli::command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (cli, matches) = match parsed {
        Ok(p) => p,
        Err(e) => {
            // clap prints help and version to stdout and errors to stderr; a closed pipe is
            // not worth a second error.
            let _ = e.print();
            return if e.use_stderr() { USAGE } else { OK };
        }
    };
    let sub = matches.subcommand().map(|(_, m)| m);
    match cli.command {
        Command::Evaluate(args) => evaluate::run(*args, sub),
        Command::Config(args) => evaluate::show::print(*args, sub),
        Command::Catalog(args) => catalog::run(args),
        Command::Render(args) => render_report::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Completions(args) => completions::run::<Cli>(args),
        Command::Man => completions::man::<Cli>(),
    }
}
