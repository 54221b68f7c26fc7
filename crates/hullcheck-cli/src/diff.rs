//! `hullcheck diff OLD.json NEW.json`: new failures, fixed findings and requirement changes.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::output;

/// Diff formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// Readable text.
    Text,
    /// JSON.
    Json,
    /// Markdown for a pull-request comment.
    Markdown,
}

/// Arguments of `diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier JSON report.
    old: PathBuf,
    /// The later JSON report.
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

fn load(path: &PathBuf) -> Result<hullcheck::Report, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("`{}` is not a hullcheck JSON report: {e}", path.display()))
}

/// Runs the subcommand: exit 1 when NEW introduces failures.
pub fn run(args: Args) -> u8 {
    let (old, new) = match (load(&args.old), load(&args.new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            output::error(&e);
            return output::USAGE;
        }
    };
    let d = hullcheck::report::diff::diff(&old, &new);
    let format = match args.format {
        Format::Text => "text",
        Format::Json => "json",
        Format::Markdown => "markdown",
    };
    if !output::emit(&hullcheck::report::diff::render(&d, format), None) {
        return output::USAGE;
    }
    if d.has_new_failures() {
        output::FAILURES
    } else {
        output::OK
    }
}
