//! `hullcheck render REPORT.json`: renders a saved JSON report in another format, with the
//! catalog that made it (its digest must match, so rule texts and mappings are the report's).

use std::path::PathBuf;

use crate::evaluate::Format;
use crate::output;

/// Arguments of `render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The JSON report (`hullcheck evaluate --format json`); `-` reads stdin.
    #[arg(value_name = "REPORT")]
    report: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The catalog the report was made with, when it is not the built-in one.
    #[arg(long, value_name = "DIR")]
    catalog: Option<PathBuf>,
    /// SARIF: artifact URIs relative to this directory [default: the working directory].
    #[arg(long, value_name = "DIR")]
    source_root: Option<PathBuf>,
    /// SARIF: `helpUri` base (the URL of docs/controls.md).
    #[arg(long, value_name = "URL")]
    help_base: Option<String>,
    /// Markdown: link findings under this URL.
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,
    /// OSCAL: the assessor.
    #[arg(long, value_name = "NAME")]
    assessor: Option<String>,
    /// OSCAL: the framework of the findings.
    #[arg(long, value_name = "ID")]
    oscal_framework: Option<String>,
    /// Colour the text report: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: crate::evaluate::Colour,
    /// Checklists: the target's host name.
    #[arg(long, value_name = "NAME", default_value = "")]
    target_host: String,
}

fn read(path: &PathBuf) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read report `{}`: {e}", path.display()))
}

/// Runs the subcommand.
pub fn run(args: Args) -> u8 {
    let engine = match output::engine(args.catalog.as_deref()) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let text = match read(&args.report) {
        Ok(t) => t,
        Err(e) => {
            output::error(&e);
            return output::USAGE;
        }
    };
    let mut de = serde_json::Deserializer::from_str(&text);
    let report: hullcheck::Report = match serde_path_to_error::deserialize(&mut de) {
        Ok(r) => r,
        Err(e) => {
            output::error(&format!(
                "`{}` is not a hullcheck JSON report: at `{}`: {} [render.bad_report]",
                args.report.display(),
                e.path(),
                e.inner()
            ));
            return output::USAGE;
        }
    };
    if report.catalog.digest != engine.catalog().digest {
        output::error(&format!(
            "the report was made with catalog `{}` ({}), not this one ({}): give its catalog with `--catalog DIR` [render.catalog_mismatch]",
            report.catalog.version,
            report.catalog.digest,
            engine.catalog().digest
        ));
        return output::USAGE;
    }
    let options = hullcheck::report::RenderOptions {
        target: hullcheck::report::stig::Target {
            host_name: args.target_host.clone(),
            ..Default::default()
        },
        link_base: args.link_base.clone(),
        assessor: args.assessor.clone(),
        oscal_framework: args.oscal_framework.clone(),
        source_root: crate::evaluate::source_root(args.source_root.as_deref()),
        help_base: args.help_base.clone(),
        color: args.color.wanted(args.output.is_none()),
    };
    if let Err(e) = options.check(engine.catalog()) {
        output::error(&format!("{e} [{}]", e.code()));
        return output::USAGE;
    }
    let written = match args.format {
        Format::Json => output::emit_report(&report, args.output.as_deref()),
        other => output::emit(
            &hullcheck::report::render_with(&report, engine.catalog(), other.core(), &options),
            args.output.as_deref(),
        ),
    };
    if written {
        output::OK
    } else {
        output::USAGE
    }
}
