//! `hullcheck config`: the settings `evaluate` would use, each with its origin.

use std::path::PathBuf;

use clap::ArgMatches;

use super::config::{apply, locate};
use super::{Args, FailOn, Format};

/// `hullcheck config`: the settings in effect, as a `.hullcheck.yaml` with each value's origin
/// as a comment.
pub fn print(mut args: Args, matches: Option<&ArgMatches>) -> u8 {
    let loaded = match locate(&args) {
        Ok(l) => l,
        Err(e) => {
            crate::output::error(&e);
            return crate::output::USAGE;
        }
    };
    let origins = apply(&mut args, matches, loaded.as_ref());
    let path = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    let values: Vec<(&str, &str, serde_json::Value)> = vec![
        ("quiet", "quiet", serde_json::json!(args.quiet)),
        (
            "render_timeout",
            "render_timeout",
            serde_json::json!(args.render_timeout),
        ),
        (
            "max_file_size",
            "max_file_size",
            serde_json::json!(args.max_file_size),
        ),
        (
            "max_total_size",
            "max_total_size",
            serde_json::json!(args.max_total_size),
        ),
        (
            "max_documents",
            "max_documents",
            serde_json::json!(args.max_documents),
        ),
        ("max_depth", "max_depth", serde_json::json!(args.max_depth)),
        (
            "max_alias_nodes",
            "max_alias_nodes",
            serde_json::json!(args.max_alias_nodes),
        ),
        (
            "target_host",
            "target_host",
            serde_json::json!(args.target_host),
        ),
        ("target_ip", "target_ip", serde_json::json!(args.target_ip)),
        (
            "target_fqdn",
            "target_fqdn",
            serde_json::json!(args.target_fqdn),
        ),
        (
            "target_role",
            "target_role",
            serde_json::json!(args.target_role),
        ),
        (
            "paths",
            "paths",
            serde_json::json!(args
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()),
        ),
        ("profiles", "profiles", serde_json::json!(args.profiles)),
        ("controls", "controls", serde_json::json!(args.controls)),
        (
            "skip_controls",
            "skip_controls",
            serde_json::json!(args.skip_controls),
        ),
        (
            "params",
            "sets",
            serde_json::json!(args
                .sets
                .iter()
                .filter_map(|s| s.split_once('='))
                .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.to_owned())))
                .collect::<serde_json::Map<_, _>>()),
        ),
        ("catalog", "catalog", serde_json::json!(path(&args.catalog))),
        (
            "controls_dirs",
            "controls_dirs",
            serde_json::json!(args
                .controls_dirs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()),
        ),
        ("policy", "policy", serde_json::json!(path(&args.policy))),
        ("waivers", "waivers", serde_json::json!(path(&args.waivers))),
        (
            "fail_on",
            "fail_on",
            serde_json::json!(args.fail_on.map_or("low", FailOn::as_str)),
        ),
        (
            "fail_on_frameworks",
            "fail_on_frameworks",
            serde_json::json!(args.fail_on_frameworks),
        ),
        (
            "accept_unreadable",
            "accept_unreadable",
            serde_json::json!(args.accept_unreadable),
        ),
        (
            "accept_empty",
            "accept_empty",
            serde_json::json!(args.accept_empty),
        ),
        ("exclude", "excludes", serde_json::json!(args.excludes)),
        ("no_ignore", "no_ignore", serde_json::json!(args.no_ignore)),
        (
            "no_annotation_waivers",
            "no_annotation_waivers",
            serde_json::json!(args.no_annotation_waivers),
        ),
        (
            "no_default_excludes",
            "no_default_excludes",
            serde_json::json!(args.no_default_excludes),
        ),
        ("snapshot", "snapshot", serde_json::json!(args.snapshot)),
        ("render", "render", serde_json::json!(args.render)),
        (
            "format",
            "format",
            serde_json::json!(args.format.map_or("json", Format::name)),
        ),
        ("output", "output", serde_json::json!(path(&args.output))),
        ("outputs", "writes", serde_json::json!(args.writes)),
        (
            "source_root",
            "source_root",
            serde_json::json!(path(&args.source_root)),
        ),
        ("help_base", "help_base", serde_json::json!(args.help_base)),
        ("link_base", "link_base", serde_json::json!(args.link_base)),
        ("kind", "kind", serde_json::json!(args.kind)),
        ("assessor", "assessor", serde_json::json!(args.assessor)),
        (
            "oscal_framework",
            "oscal_framework",
            serde_json::json!(args.oscal_framework),
        ),
    ];
    let mut text = format!(
        "# hullcheck configuration in effect (precedence: flag, then environment, then file, then default)\n# file: {}\n",
        loaded.as_ref().map_or_else(|| "none".to_owned(), |l| l.path.display().to_string())
    );
    for (key, id, value) in values {
        let origin = origins
            .get(id)
            .map_or_else(|| "default".to_owned(), |o| o.describe(loaded.as_ref()));
        text.push_str(&format!("{key}: {value}  # {origin}\n"));
    }
    if crate::output::emit(&text, None) {
        crate::output::OK
    } else {
        crate::output::USAGE
    }
}
