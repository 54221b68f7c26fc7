//! `hullcheck catalog …`: lists controls, frameworks, practices, layers, profiles or the graph,
//! and shows one control whole.

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
    /// Profiles and their controls.
    Profiles,
    /// One control whole: what it checks, why, how to fix it, sources and mappings.
    Show,
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
    /// The control to show (`catalog show ID`).
    #[arg(value_name = "ID")]
    id: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Load the catalog from this directory instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    catalog: Option<PathBuf>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> u8 {
    let engine = match output::engine(args.catalog.as_deref()) {
        Ok(e) => e,
        Err(code) => return code,
    };
    if let What::Show = args.what {
        return show(&engine, args.id.as_deref(), args.format);
    }
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

/// `catalog show ID`.
fn show(engine: &Engine, id: Option<&str>, format: Format) -> u8 {
    let catalog = engine.catalog();
    let Some(id) = id else {
        output::error(
            "`catalog show` needs a control ID, for example `hullcheck catalog show RUN-003`",
        );
        return output::USAGE;
    };
    let views = catalog.control_views(engine.graph());
    let Some(c) = views.iter().find(|v| v.control_id == id) else {
        let hint = hullcheck::eval::error::did_you_mean(
            id,
            catalog.controls.iter().map(|c| c.id.as_str()),
        );
        output::error(&format!(
            "unknown control `{id}`{hint} [options.unknown_control]"
        ));
        return output::USAGE;
    };
    let text = match format {
        Format::Json => output::json(&json!({ "control": c })),
        Format::Dot => {
            output::error("`--format dot` is only available for `catalog graph`");
            return output::USAGE;
        }
        Format::Text => {
            let mut o = String::new();
            let _ = writeln!(
                o,
                "{} · {} · {} severity\n{}\n",
                c.control_id, c.layer, c.severity, c.title
            );
            let _ = writeln!(o, "What it checks:\n  {}\n", c.description.trim());
            let _ = writeln!(o, "Why:\n  {}\n", c.rationale.trim());
            let _ = writeln!(o, "How to fix it:\n  {}\n", c.remediation.trim());
            let _ = writeln!(o, "Evidence: {}", c.evidence.join(", "));
            let _ = writeln!(
                o,
                "Profiles: {}",
                if c.profiles.is_empty() {
                    "none".to_owned()
                } else {
                    c.profiles.join(", ")
                }
            );
            let _ = writeln!(o, "Check: {}", c.check);
            let sources: Vec<String> = c.sources.iter().map(ToString::to_string).collect();
            let _ = writeln!(o, "Sources: {}", sources.join("; "));
            let mut by_fw: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
            for m in c.mappings.iter().chain(&c.inherited_mappings) {
                let list = by_fw.entry(&m.framework_id).or_default();
                if !list.contains(&m.requirement_id.as_str()) {
                    list.push(&m.requirement_id);
                }
            }
            let _ = writeln!(o, "Mappings:");
            for (fw, reqs) in by_fw {
                let _ = writeln!(o, "  {fw}: {}", reqs.join(", "));
            }
            if !c.params.is_empty() {
                let _ = writeln!(o, "Parameters:");
                for p in &c.params {
                    let _ = writeln!(o, "  {} = {} ({})", p.name, p.default, p.description);
                }
            }
            o
        }
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
        (What::Profiles, Format::Json) => {
            let profiles: Vec<_> = catalog
                .profiles
                .iter()
                .map(|p| {
                    let controls: Vec<&str> = catalog
                        .controls
                        .iter()
                        .filter(|c| c.profiles.contains(&p.id))
                        .map(|c| c.id.as_str())
                        .collect();
                    json!({"profile_id": p.id, "title": p.title, "description": p.description, "controls": controls})
                })
                .collect();
            return Some(output::json(&json!({ "profiles": profiles })));
        }
        (What::Profiles, Format::Text) => {
            for p in &catalog.profiles {
                let n = catalog
                    .controls
                    .iter()
                    .filter(|c| c.profiles.contains(&p.id))
                    .count();
                let _ = writeln!(out, "{:<16} {n:>3} controls  {}", p.id, p.title);
            }
        }
        (What::Show, _) => return None,
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
