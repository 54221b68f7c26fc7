//! `hullcheck schema report|fleet|catalog`: prints a committed JSON Schema.

use clap::ValueEnum;

use crate::output;

/// Which schema.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Which {
    /// The evaluation report.
    Report,
    /// The fleet report of `merge`.
    Fleet,
    /// A catalog file under `controls/`.
    Catalog,
}

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema to print.
    which: Which,
}

/// Runs the subcommand.
pub fn run(args: Args) -> u8 {
    let schema = match args.which {
        Which::Report => hullcheck::report::schema(),
        Which::Fleet => hullcheck::report::fleet::schema(),
        Which::Catalog => hullcheck::catalog_schema(),
    };
    if output::emit(&output::json(&schema), None) {
        output::OK
    } else {
        output::USAGE
    }
}
