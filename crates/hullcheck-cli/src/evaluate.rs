//! `hullcheck evaluate`: evaluates evidence and writes the report.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::ValueEnum;
use hullcheck::{Engine, Options};

use crate::output;

/// Report formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// The JSON report.
    Json,
    /// A readable summary.
    Text,
}

/// Arguments of `evaluate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Evaluate only controls in this profile (repeatable).
    #[arg(long = "profile", value_name = "NAME")]
    profiles: Vec<String>,
    /// Evaluate only this control (repeatable).
    #[arg(long = "control", value_name = "ID")]
    controls: Vec<String>,
    /// Set a control parameter (repeatable), for example `pss.version=v1.30`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// Evaluation time (RFC 3339); the clock when absent.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write the report to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Load the catalog from this directory instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    catalog: Option<PathBuf>,
    /// Files and directories to evaluate.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> u8 {
    let engine = match &args.catalog {
        Some(dir) => Engine::from_dir(dir),
        None => Engine::builtin(),
    };
    let engine = match engine {
        Ok(e) => e,
        Err(e) => {
            output::error(&format!("{e} [{}]", e.code()));
            return output::USAGE;
        }
    };
    let mut params = BTreeMap::new();
    for set in &args.sets {
        let Some((k, v)) = set.split_once('=') else {
            output::error(&format!("`--set {set}` must be KEY=VALUE"));
            return output::USAGE;
        };
        params.insert(k.trim().to_owned(), serde_json::Value::String(v.to_owned()));
    }
    let options = Options {
        profiles: args.profiles.clone(),
        controls: args.controls.clone(),
        params,
        now: args.now.clone(),
        ..Options::default()
    };
    let report = match engine.evaluate_paths(&args.paths, &options) {
        Ok(r) => r,
        Err(e) => {
            output::error(&format!("{e} [{}]", e.code()));
            return output::USAGE;
        }
    };
    let text = match args.format {
        Format::Json => report.to_json(),
        Format::Text => hullcheck::report::text::render(&report),
    };
    if !output::emit(&text, args.output.as_deref()) {
        return output::USAGE;
    }
    let unreadable: Vec<&PathBuf> = args.paths.iter().filter(|p| !p.exists()).collect();
    for p in &unreadable {
        output::error(&format!("path `{}` does not exist", p.display()));
    }
    if !unreadable.is_empty() {
        output::USAGE
    } else if report.has_failures() {
        output::FAILURES
    } else {
        output::OK
    }
}
