//! `hullcheck evaluate`: evaluates evidence and writes the report.

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
    /// A policy file (YAML or JSON) with `params`, `profiles` and `controls`; `--set`,
    /// `--profile` and `--control` add to it and win over it.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Read every input as this evidence kind instead of detecting it (for example
    /// `image.dockerfile`, `sbom`, `scan.vulnerabilities`).
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
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
    let mut policy = hullcheck::policy::PolicyFile::default();
    if let Some(path) = &args.policy {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                output::error(&format!(
                    "cannot read policy file `{}`: {e}",
                    path.display()
                ));
                return output::USAGE;
            }
        };
        match hullcheck::policy::PolicyFile::parse(&path.display().to_string(), &text) {
            Ok(p) => policy = p,
            Err(e) => {
                output::error(&format!("{e} [{}]", e.code()));
                return output::USAGE;
            }
        }
    }
    let mut params = policy.params.clone();
    for set in &args.sets {
        let Some((k, v)) = set.split_once('=') else {
            output::error(&format!("`--set {set}` must be KEY=VALUE"));
            return output::USAGE;
        };
        params.insert(k.trim().to_owned(), serde_json::Value::String(v.to_owned()));
    }
    let or_policy = |cli: &Vec<String>, file: &Vec<String>| {
        if cli.is_empty() {
            file.clone()
        } else {
            cli.clone()
        }
    };
    let options = Options {
        profiles: or_policy(&args.profiles, &policy.profiles),
        controls: or_policy(&args.controls, &policy.controls),
        params,
        now: args.now.clone(),
        kind: args.kind.clone(),
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
