//! `hullcheck merge [--reference NAME] NAME=REPORT.json… [FLEET.json…]`: the reports of named
//! clusters (and fleet reports already merged) combined into one fleet report.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use hullcheck::report::fleet::{render::FleetFormat, FleetReport};

use crate::output;

/// Fleet report formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON (`hullcheck schema fleet`).
    Json,
    /// Readable text.
    Text,
    /// Markdown.
    Markdown,
    /// A self-contained HTML page.
    Html,
}

/// Arguments of `merge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `NAME=REPORT.json` for a cluster's JSON report, or the path of a fleet report to merge
    /// in. Names are unique; the order of the arguments does not change the output.
    #[arg(required = true, value_name = "NAME=REPORT.json|FLEET.json")]
    parts: Vec<String>,
    /// The cluster the others are compared with: the fleet report lists the controls that pass
    /// there and not elsewhere.
    #[arg(long, value_name = "NAME")]
    reference: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write the fleet report to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))
}

/// One argument as a fleet part: `NAME=PATH` is a cluster's report; a path alone is a fleet
/// report (an existing file whose name holds `=` is read as a fleet report too).
fn part(arg: &str) -> Result<FleetReport, String> {
    let named = arg.split_once('=').filter(|_| !Path::new(arg).is_file());
    match named {
        Some((name, path)) => {
            hullcheck::report::fleet::check_name(name).map_err(|e| e.to_string())?;
            let text = read(Path::new(path))?;
            let report: hullcheck::Report = serde_json::from_str(&text)
                .map_err(|e| format!("`{path}` is not a hullcheck JSON report: {e}"))?;
            FleetReport::from_report(name, &report).map_err(|e| e.to_string())
        }
        None => {
            let text = read(Path::new(arg))?;
            FleetReport::from_json(&text).map_err(|e| format!("`{arg}`: {e}"))
        }
    }
}

/// Runs the subcommand: exit 0 when every cluster passed, 1 when any did not (fail, error or
/// not assessed), 2 on bad arguments or unreadable reports.
pub fn run(args: Args) -> u8 {
    let mut parts = Vec::with_capacity(args.parts.len());
    for arg in &args.parts {
        match part(arg) {
            Ok(p) => parts.push(p),
            Err(e) => {
                output::error(&e);
                return output::USAGE;
            }
        }
    }
    let fleet = match FleetReport::merge(parts, args.reference.as_deref())
        .and_then(|f| f.check_reference().map(|()| f))
    {
        Ok(f) => f,
        Err(e) => {
            output::error(&e.to_string());
            return output::USAGE;
        }
    };
    let format = match args.format {
        Format::Json => FleetFormat::Json,
        Format::Text => FleetFormat::Text,
        Format::Markdown => FleetFormat::Markdown,
        Format::Html => FleetFormat::Html,
    };
    let text = hullcheck::report::fleet::render::render(&fleet, format);
    if !output::emit(&text, args.output.as_deref()) {
        return output::USAGE;
    }
    if fleet.has_failures() {
        output::FAILURES
    } else {
        output::OK
    }
}
