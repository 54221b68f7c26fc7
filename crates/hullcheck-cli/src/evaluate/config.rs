//! `.hullcheck.yaml`, the project's settings for `hullcheck evaluate`, and their merge with
//! the environment and the flags. Precedence: a flag wins over its `HULLCHECK_*` environment
//! variable, which wins over the file, which wins over the built-in default. The file is
//! `--config FILE` (or `HULLCHECK_CONFIG`), or the first `.hullcheck.yaml` (or `.yml`) found
//! from the working directory upwards, stopping at the repository root (the directory holding
//! `.git`). Paths in the file are relative to the file's directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::ArgMatches;
use serde::{Deserialize, Serialize};

use super::{Args, FailOn, Format};

/// The names the file is found under, in order.
pub const FILE_NAMES: &[&str] = &[".hullcheck.yaml", ".hullcheck.yml"];

/// One extra report written by the same run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    /// The format, as `--format` takes it.
    pub format: String,
    /// The file (stdout when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
}

/// The file's keys: what the flags take, by the flags' names in snake case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Paths evaluated when none are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paths: Option<Vec<PathBuf>>,
    /// `--profile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiles: Option<Vec<String>>,
    /// `--control`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controls: Option<Vec<String>>,
    /// `--skip-control`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_controls: Option<Vec<String>>,
    /// `--set KEY=VALUE`, as a mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<BTreeMap<String, serde_json::Value>>,
    /// `--catalog`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<PathBuf>,
    /// `--controls`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controls_dirs: Option<Vec<PathBuf>>,
    /// `--policy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PathBuf>,
    /// `--waivers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waivers: Option<PathBuf>,
    /// `--fail-on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<String>,
    /// `--fail-on-framework`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on_frameworks: Option<Vec<String>>,
    /// `--accept-unreadable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_unreadable: Option<bool>,
    /// `--accept-empty`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_empty: Option<bool>,
    /// `--exclude`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude: Option<Vec<String>>,
    /// `--no-ignore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_ignore: Option<bool>,
    /// `--no-annotation-waivers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_annotation_waivers: Option<bool>,
    /// `--no-default-excludes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_default_excludes: Option<bool>,
    /// `--snapshot`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<bool>,
    /// `--render`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render: Option<bool>,
    /// `--format`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// `--output`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<PathBuf>,
    /// `--write FORMAT=FILE`, as a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<Vec<OutputSpec>>,
    /// `--source-root`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_root: Option<PathBuf>,
    /// `--help-base`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_base: Option<String>,
    /// `--link-base`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_base: Option<String>,
    /// `--kind`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `--assessor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessor: Option<String>,
    /// `--oscal-framework`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oscal_framework: Option<String>,
    /// `--quiet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet: Option<bool>,
    /// `--render-timeout`, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render_timeout: Option<u64>,
    /// `--max-file-size`, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_file_size: Option<u64>,
    /// `--max-total-size`, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_total_size: Option<u64>,
    /// `--max-documents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_documents: Option<usize>,
    /// `--max-depth`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_depth: Option<usize>,
    /// `--max-alias-nodes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_alias_nodes: Option<usize>,
    /// `--target-host`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_host: Option<String>,
    /// `--target-ip`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_ip: Option<String>,
    /// `--target-fqdn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_fqdn: Option<String>,
    /// `--target-role`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_role: Option<String>,
}

/// A configuration file as read.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file.
    pub path: PathBuf,
    /// Its directory, against which its paths are resolved.
    pub dir: PathBuf,
    /// Its settings.
    pub file: ConfigFile,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A flag.
    Flag,
    /// An environment variable.
    Env(String),
    /// The configuration file.
    File,
    /// The built-in default.
    Default,
}

impl Origin {
    /// How `hullcheck config` names it.
    pub fn describe(&self, file: Option<&Loaded>) -> String {
        match self {
            Self::Flag => "flag".to_owned(),
            Self::Env(var) => format!("environment {var}"),
            Self::File => format!(
                "file {}",
                file.map_or_else(String::new, |l| l.path.display().to_string())
            ),
            Self::Default => "default".to_owned(),
        }
    }
}

/// The first configuration file from `start` upwards, stopping at the repository root.
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        for name in FILE_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// Reads and checks a configuration file; errors name the file and the key's path.
pub fn load(path: &Path) -> Result<Loaded, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read configuration file `{shown}`: {e} [config.read]"))?;
    let json = hullcheck::evidence::yaml::first_document_json(&text)
        .map_err(|e| format!("invalid configuration file `{shown}`: {e} [config.invalid]"))?;
    let json = if json.is_null() {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        json
    };
    let file: ConfigFile = serde_path_to_error::deserialize(json).map_err(|e| {
        let at = e.path().to_string();
        format!(
            "invalid configuration file `{shown}`: at `{at}`: {} [config.invalid]",
            e.into_inner()
        )
    })?;
    if let Some(f) = &file.format {
        parse_format(f).map_err(|e| {
            format!("invalid configuration file `{shown}`: at `format`: {e} [config.invalid]")
        })?;
    }
    if let Some(outputs) = &file.outputs {
        for (i, o) in outputs.iter().enumerate() {
            parse_format(&o.format).map_err(|e| {
                format!("invalid configuration file `{shown}`: at `outputs[{i}].format`: {e} [config.invalid]")
            })?;
        }
    }
    if let Some(f) = &file.fail_on {
        parse_fail_on(f).map_err(|e| {
            format!("invalid configuration file `{shown}`: at `fail_on`: {e} [config.invalid]")
        })?;
    }
    if let Some(role) = &file.target_role {
        if !["None", "Workstation", "Member Server", "Domain Controller"].contains(&role.as_str()) {
            return Err(format!("invalid configuration file `{shown}`: at `target_role`: must be None, Workstation, Member Server or Domain Controller, not `{role}` [config.invalid]"));
        }
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = abs
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    Ok(Loaded {
        path: path.to_path_buf(),
        dir,
        file,
    })
}

/// A report format by its `--format` name.
pub fn parse_format(name: &str) -> Result<Format, String> {
    <Format as clap::ValueEnum>::from_str(name, false)
        .map_err(|_| format!("unknown format `{name}`"))
}

fn parse_fail_on(name: &str) -> Result<FailOn, String> {
    <FailOn as clap::ValueEnum>::from_str(name, false).map_err(|_| {
        format!("`fail_on` must be critical, high, medium, low or never, not `{name}`")
    })
}

/// The configuration in effect: `--config`/`HULLCHECK_CONFIG`, else the file found upwards
/// from the working directory, unless `--no-config`.
pub fn locate(args: &Args) -> Result<Option<Loaded>, String> {
    if args.no_config {
        return Ok(None);
    }
    if let Some(p) = &args.config {
        return load(p).map(Some);
    }
    let cwd = std::env::current_dir().map_err(|e| format!("no working directory: {e}"))?;
    find(&cwd).map(|p| load(&p)).transpose()
}

/// Fills what neither a flag nor the environment set from the file, and returns each
/// setting's origin.
pub fn apply(
    args: &mut Args,
    matches: Option<&ArgMatches>,
    loaded: Option<&Loaded>,
) -> BTreeMap<&'static str, Origin> {
    let cwd = std::env::current_dir().ok();
    let mut origins = BTreeMap::new();
    let source = |id: &str| matches.and_then(|m| m.value_source(id));
    let empty = ConfigFile::default();
    let file = loaded.map_or(&empty, |l| &l.file);
    // A relative path in the file is relative to the file: kept as written when the file is in
    // the working directory, joined to the file's directory otherwise.
    let resolve = |p: &PathBuf| -> PathBuf {
        match loaded {
            Some(l) if p.is_relative() && cwd.as_deref() != Some(l.dir.as_path()) => l.dir.join(p),
            _ => p.clone(),
        }
    };
    macro_rules! setting {
        ($id:literal, $env:expr, $given:expr, $from_file:expr) => {{
            let origin = match source($id) {
                Some(ValueSource::CommandLine) => Origin::Flag,
                Some(ValueSource::EnvVariable) => Origin::Env($env.to_owned()),
                _ => match $from_file {
                    Some(v) => {
                        $given = v;
                        Origin::File
                    }
                    None => Origin::Default,
                },
            };
            origins.insert($id, origin);
        }};
    }
    setting!(
        "paths",
        "",
        args.paths,
        file.paths.as_ref().map(|v| v.iter().map(resolve).collect())
    );
    setting!(
        "profiles",
        "HULLCHECK_PROFILES",
        args.profiles,
        file.profiles.clone()
    );
    setting!(
        "controls",
        "HULLCHECK_CONTROLS",
        args.controls,
        file.controls.clone()
    );
    setting!(
        "skip_controls",
        "HULLCHECK_SKIP_CONTROLS",
        args.skip_controls,
        file.skip_controls.clone()
    );
    setting!(
        "sets",
        "",
        args.sets,
        file.params.as_ref().map(|m| {
            m.iter()
                .map(|(k, v)| match v {
                    serde_json::Value::String(s) => format!("{k}={s}"),
                    other => format!("{k}={other}"),
                })
                .collect()
        })
    );
    setting!(
        "catalog",
        "HULLCHECK_CATALOG",
        args.catalog,
        file.catalog.as_ref().map(|p| Some(resolve(p)))
    );
    setting!(
        "controls_dirs",
        "HULLCHECK_CONTROLS",
        args.controls_dirs,
        file.controls_dirs
            .as_ref()
            .map(|v| v.iter().map(&resolve).collect())
    );
    setting!(
        "policy",
        "HULLCHECK_POLICY",
        args.policy,
        file.policy.as_ref().map(|p| Some(resolve(p)))
    );
    setting!(
        "waivers",
        "HULLCHECK_WAIVERS",
        args.waivers,
        file.waivers.as_ref().map(|p| Some(resolve(p)))
    );
    setting!(
        "fail_on",
        "HULLCHECK_FAIL_ON",
        args.fail_on,
        file.fail_on
            .as_deref()
            .and_then(|f| parse_fail_on(f).ok())
            .map(Some)
    );
    setting!(
        "fail_on_frameworks",
        "HULLCHECK_FAIL_ON_FRAMEWORKS",
        args.fail_on_frameworks,
        file.fail_on_frameworks.clone()
    );
    setting!(
        "accept_unreadable",
        "HULLCHECK_ACCEPT_UNREADABLE",
        args.accept_unreadable,
        file.accept_unreadable
    );
    setting!(
        "accept_empty",
        "HULLCHECK_ACCEPT_EMPTY",
        args.accept_empty,
        file.accept_empty
    );
    setting!(
        "excludes",
        "HULLCHECK_EXCLUDE",
        args.excludes,
        file.exclude.clone()
    );
    setting!(
        "no_ignore",
        "HULLCHECK_NO_IGNORE",
        args.no_ignore,
        file.no_ignore
    );
    setting!(
        "no_annotation_waivers",
        "HULLCHECK_NO_ANNOTATION_WAIVERS",
        args.no_annotation_waivers,
        file.no_annotation_waivers
    );
    setting!(
        "no_default_excludes",
        "",
        args.no_default_excludes,
        file.no_default_excludes
    );
    setting!(
        "snapshot",
        "HULLCHECK_SNAPSHOT",
        args.snapshot,
        file.snapshot
    );
    setting!("render", "", args.render, file.render);
    setting!(
        "format",
        "HULLCHECK_FORMAT",
        args.format,
        file.format
            .as_deref()
            .and_then(|f| parse_format(f).ok())
            .map(Some)
    );
    setting!(
        "output",
        "HULLCHECK_OUTPUT",
        args.output,
        file.output.as_ref().map(|p| Some(resolve(p)))
    );
    setting!(
        "writes",
        "",
        args.writes,
        file.outputs.as_ref().map(|list| {
            list.iter()
                .map(|o| match &o.path {
                    Some(p) => format!("{}={}", o.format, resolve(p).display()),
                    None => o.format.clone(),
                })
                .collect()
        })
    );
    setting!(
        "source_root",
        "HULLCHECK_SOURCE_ROOT",
        args.source_root,
        file.source_root.as_ref().map(|p| Some(resolve(p)))
    );
    setting!(
        "help_base",
        "HULLCHECK_HELP_BASE",
        args.help_base,
        file.help_base.clone().map(Some)
    );
    setting!(
        "link_base",
        "HULLCHECK_LINK_BASE",
        args.link_base,
        file.link_base.clone().map(Some)
    );
    setting!("kind", "", args.kind, file.kind.clone().map(Some));
    setting!(
        "assessor",
        "",
        args.assessor,
        file.assessor.clone().map(Some)
    );
    setting!(
        "oscal_framework",
        "",
        args.oscal_framework,
        file.oscal_framework.clone().map(Some)
    );
    setting!("quiet", "HULLCHECK_QUIET", args.quiet, file.quiet);
    setting!(
        "render_timeout",
        "",
        args.render_timeout,
        file.render_timeout
    );
    setting!(
        "max_file_size",
        "",
        args.max_file_size,
        file.max_file_size.map(Some)
    );
    setting!(
        "max_total_size",
        "",
        args.max_total_size,
        file.max_total_size.map(Some)
    );
    setting!(
        "max_documents",
        "",
        args.max_documents,
        file.max_documents.map(Some)
    );
    setting!("max_depth", "", args.max_depth, file.max_depth.map(Some));
    setting!(
        "max_alias_nodes",
        "",
        args.max_alias_nodes,
        file.max_alias_nodes.map(Some)
    );
    setting!(
        "target_host",
        "",
        args.target_host,
        file.target_host.clone()
    );
    setting!("target_ip", "", args.target_ip, file.target_ip.clone());
    setting!(
        "target_fqdn",
        "",
        args.target_fqdn,
        file.target_fqdn.clone()
    );
    setting!(
        "target_role",
        "",
        args.target_role,
        file.target_role.clone()
    );
    origins
}
