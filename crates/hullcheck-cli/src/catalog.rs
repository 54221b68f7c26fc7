//! `hullcheck catalog …`: lists controls, frameworks, practices, layers, or the graph.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::ValueEnum;
use hullcheck::Engine;
use serde_json::json;

use crate::output;

/// What to list.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum What {
    /// Controls.
    Controls,
    /// Frameworks and their requirements.
    Frameworks,
    /// Lifecycle practices.
    Practices,
    /// Layers.
    Layers,
    /// The whole graph.
    Graph,
}

/// Listing formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON.
    Json,
    /// Readable text.
    Text,
    /// Graphviz DOT (graph only).
    Dot,
}

/// Arguments of `catalog`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to list.
    what: What,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Load the catalog from this directory instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    catalog: Option<PathBuf>,
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
    let Some(text) = render(&engine, args.what, args.format) else {
        output::error("`--format dot` is only available for `catalog graph`");
        return output::USAGE;
    };
    if output::emit(&text, None) {
        output::OK
    } else {
        output::USAGE
    }
}

fn render(engine: &Engine, what: What, format: Format) -> Option<String> {
    let catalog = engine.catalog();
    let graph = engine.graph();
    let mut out = String::new();
    match (what, format) {
        (What::Graph, Format::Dot) => return Some(graph.to_dot()),
        (_, Format::Dot) => return None,
        (What::Controls, Format::Json) => {
            return Some(output::json(
                &json!({ "controls": catalog.control_views(graph) }),
            ))
        }
        (What::Frameworks, Format::Json) => {
            return Some(output::json(
                &json!({ "frameworks": catalog.framework_views(graph) }),
            ))
        }
        (What::Practices, Format::Json) => {
            return Some(output::json(
                &json!({ "practices": catalog.practice_views(graph) }),
            ))
        }
        (What::Layers, Format::Json) => {
            return Some(output::json(
                &json!({ "layers": catalog.layer_views(graph) }),
            ))
        }
        (What::Graph, Format::Json) => return Some(output::json(&graph.export())),
        (What::Controls, Format::Text) => {
            for c in catalog.control_views(graph) {
                let _ = writeln!(
                    out,
                    "{:<10} {:<14} {:<9} {}",
                    c.control_id, c.layer, c.severity, c.title
                );
            }
        }
        (What::Frameworks, Format::Text) => {
            for f in catalog.framework_views(graph) {
                let _ = writeln!(
                    out,
                    "{:<22} {:>5} requirements, {:>4} covered  {}",
                    f.framework_id, f.requirement_count, f.covered, f.title
                );
                if let Some(a) = &f.accounting {
                    let _ = writeln!(
                        out,
                        "{:<22} accounted: {} automated, {} partial, {} attestation, {} not applicable, {} organisational",
                        "", a.automated, a.partial, a.attestation, a.not_applicable, a.organisational
                    );
                }
            }
        }
        (What::Practices, Format::Text) => {
            for p in catalog.practice_views(graph) {
                let _ = writeln!(
                    out,
                    "{} {:<34} {:>2} controls  {}",
                    p.phase_number,
                    p.practice_id,
                    p.controls.len(),
                    p.title
                );
            }
        }
        (What::Layers, Format::Text) => {
            for l in catalog.layer_views(graph) {
                let _ = writeln!(
                    out,
                    "{:<14} {:>3} controls  {} ({})",
                    l.layer_id,
                    l.controls.len(),
                    l.title,
                    l.primary_standards.join(", ")
                );
            }
        }
        (What::Graph, Format::Text) => {
            let _ = writeln!(
                out,
                "{} nodes, {} edges",
                graph.node_count(),
                graph.edge_count()
            );
        }
    }
    Some(out)
}
