//! `hullcheck evaluate`: evaluates evidence and writes the report.

use std::path::PathBuf;

use clap::ValueEnum;
use hullcheck::Options;

use crate::output;

pub mod config;
pub mod show;

/// Report formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// The JSON report.
    Json,
    /// A readable summary.
    Text,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// OSCAL Assessment Results 1.1.2 (JSON) for GRC tools.
    Oscal,
    /// JUnit XML for CI test views.
    Junit,
    /// Markdown for a pull-request comment.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// STIG Viewer 2 checklist (XML) of the DISA Kubernetes STIG.
    Ckl,
    /// STIG Viewer 3 checklist (CKLB JSON) of the DISA Kubernetes STIG.
    Cklb,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Text => "text",
            Self::Sarif => "sarif",
            Self::Oscal => "oscal",
            Self::Junit => "junit",
            Self::Markdown => "markdown",
            Self::Html => "html",
            Self::Ckl => "ckl",
            Self::Cklb => "cklb",
        }
    }

    /// The library's format.
    pub fn core(self) -> hullcheck::report::Format {
        use hullcheck::report::Format as F;
        match self {
            Self::Json => F::Json,
            Self::Text => F::Text,
            Self::Sarif => F::Sarif,
            Self::Oscal => F::Oscal,
            Self::Junit => F::Junit,
            Self::Markdown => F::Markdown,
            Self::Html => F::Html,
            Self::Ckl => F::Ckl,
            Self::Cklb => F::Cklb,
        }
    }
}

/// When the text report is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Colour {
    /// On a terminal, unless `NO_COLOR` is set (to anything but the empty string).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl Colour {
    /// Whether to colour a report going to stdout (`to_stdout`) or to a file.
    pub fn wanted(self, to_stdout: bool) -> bool {
        use std::io::IsTerminal as _;
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => {
                to_stdout
                    && std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Severity thresholds of the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only critical failures fail the run.
    Critical,
    /// High or critical.
    High,
    /// Medium and above.
    Medium,
    /// Any failure (the default).
    Low,
    /// Never fail on severity (frameworks may still fail the run).
    Never,
}

impl FailOn {
    /// The name `--fail-on` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
            Self::Never => "never",
        }
    }
}

/// Arguments of `evaluate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Evaluate only controls in this profile (repeatable).
    #[arg(
        long = "profile",
        value_name = "NAME",
        env = "HULLCHECK_PROFILES",
        value_delimiter = ','
    )]
    profiles: Vec<String>,
    /// Evaluate only this control (repeatable).
    #[arg(
        long = "control",
        value_name = "ID",
        env = "HULLCHECK_CONTROLS",
        value_delimiter = ','
    )]
    controls: Vec<String>,
    /// Leave this control out (repeatable).
    #[arg(
        long = "skip-control",
        value_name = "ID",
        env = "HULLCHECK_SKIP_CONTROLS",
        value_delimiter = ','
    )]
    skip_controls: Vec<String>,
    /// Set a control parameter (repeatable), for example `pss.version=v1.30`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// Evaluation time (RFC 3339); the clock when absent.
    #[arg(long, value_name = "RFC3339", env = "HULLCHECK_NOW")]
    now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, env = "HULLCHECK_FORMAT")]
    format: Option<Format>,
    /// The checklist target's host name (`--format ckl|cklb`).
    #[arg(long, value_name = "NAME", default_value = "")]
    target_host: String,
    /// The checklist target's IP address.
    #[arg(long, value_name = "IP", default_value = "")]
    target_ip: String,
    /// The checklist target's fully qualified domain name.
    #[arg(long, value_name = "FQDN", default_value = "")]
    target_fqdn: String,
    /// The checklist target's role: None, Workstation, Member Server or Domain Controller.
    #[arg(long, value_name = "ROLE", default_value = "None", value_parser = ["None", "Workstation", "Member Server", "Domain Controller"])]
    target_role: String,
    /// OSCAL: the assessor named in the metadata (default `hullcheck`).
    #[arg(long, value_name = "NAME")]
    assessor: Option<String>,
    /// OSCAL: the framework whose requirements are the findings (default `nist-800-53r5`).
    #[arg(long, value_name = "ID")]
    oscal_framework: Option<String>,
    /// Markdown: link findings under this URL (for example
    /// `https://github.com/OWNER/REPO/blob/SHA`), paths percent-encoded.
    #[arg(long, value_name = "URL", env = "HULLCHECK_LINK_BASE")]
    link_base: Option<String>,
    /// SARIF: artifact URIs are relative to this directory (`uriBaseId` `SRCROOT`) [default:
    /// the working directory].
    #[arg(long, value_name = "DIR", env = "HULLCHECK_SOURCE_ROOT")]
    source_root: Option<PathBuf>,
    /// SARIF: each rule's `helpUri` is this URL of docs/controls.md with the control's section
    /// as the fragment (for example `https://github.com/OWNER/REPO/blob/main/docs/controls.md`).
    #[arg(long, value_name = "URL", env = "HULLCHECK_HELP_BASE")]
    help_base: Option<String>,
    /// Colour the text report: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: Colour,
    /// Also write the report in this format, to FILE or stdout (repeatable), for example
    /// `--write sarif=hullcheck.sarif --write text`.
    #[arg(long = "write", value_name = "FORMAT[=FILE]")]
    writes: Vec<String>,
    /// Read settings from this file instead of the `.hullcheck.yaml` found from the working
    /// directory upwards.
    #[arg(long, value_name = "FILE", env = "HULLCHECK_CONFIG")]
    config: Option<PathBuf>,
    /// Read no configuration file.
    #[arg(long, env = "HULLCHECK_NO_CONFIG", conflicts_with = "config")]
    no_config: bool,
    /// Write the report to this file instead of stdout.
    #[arg(long, value_name = "FILE", env = "HULLCHECK_OUTPUT")]
    output: Option<PathBuf>,
    /// Load the catalog from this directory instead of the built-in one.
    #[arg(long, value_name = "DIR", env = "HULLCHECK_CATALOG")]
    catalog: Option<PathBuf>,
    /// Add the controls (and frameworks) of this directory to the catalog; repeatable. An
    /// identifier already in the catalog is an error.
    #[arg(
        long = "controls",
        value_name = "DIR",
        env = "HULLCHECK_CONTROLS",
        value_delimiter = ','
    )]
    controls_dirs: Vec<PathBuf>,
    /// A policy file (YAML or JSON) with `params`, `profiles` and `controls`; `--set`,
    /// `--profile` and `--control` add to it and win over it.
    #[arg(long, value_name = "FILE", env = "HULLCHECK_POLICY")]
    policy: Option<PathBuf>,
    /// Waivers file (YAML or JSON): `{waivers: [{control_id, subject, justification, owner, expires}]}`.
    #[arg(long, value_name = "FILE", env = "HULLCHECK_WAIVERS")]
    waivers: Option<PathBuf>,
    /// Exit 1 when an unwaived failure is at or above this severity [default: low, or the
    /// policy file's `fail_on`].
    #[arg(long, value_enum, value_name = "SEVERITY", env = "HULLCHECK_FAIL_ON")]
    fail_on: Option<FailOn>,
    /// Exit 1 when any requirement of this framework fails (repeatable).
    #[arg(
        long = "fail-on-framework",
        value_name = "ID",
        env = "HULLCHECK_FAIL_ON_FRAMEWORKS",
        value_delimiter = ','
    )]
    fail_on_frameworks: Vec<String>,
    /// Let the gate pass although documents could not be read or checks errored (by default
    /// they fail it; the report still shows them).
    #[arg(long, env = "HULLCHECK_ACCEPT_UNREADABLE")]
    accept_unreadable: bool,
    /// Let the gate pass although no control reached a verdict (by default an evaluation that
    /// assessed nothing fails it).
    #[arg(long, env = "HULLCHECK_ACCEPT_EMPTY")]
    accept_empty: bool,
    /// Largest file read, in bytes [default: 67108864].
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Largest total of all files read, in bytes [default: 4294967296].
    #[arg(long, value_name = "BYTES")]
    max_total_size: Option<u64>,
    /// Most documents read from one file [default: 100000].
    #[arg(long, value_name = "N")]
    max_documents: Option<usize>,
    /// Deepest nesting of lists and mappings in a document [default: 256].
    #[arg(long, value_name = "N")]
    max_depth: Option<usize>,
    /// Most nodes aliases may copy into one document [default: 100000].
    #[arg(long, value_name = "N")]
    max_alias_nodes: Option<usize>,
    /// Draw no progress bar (it is only drawn when stderr is a terminal).
    #[arg(long, short, env = "HULLCHECK_QUIET")]
    quiet: bool,
    /// The evidence is a complete snapshot of the cluster (sets `evidence.snapshot=true`): what
    /// it does not hold is not in the cluster, so absent default-deny policies and Namespace
    /// objects fail instead of being not assessed.
    #[arg(long, env = "HULLCHECK_SNAPSHOT")]
    snapshot: bool,
    /// Render Helm chart directories (`helm template DIR`) and Kustomize directories
    /// (`kubectl kustomize DIR`, or `kustomize build DIR`) named as PATH before reading them;
    /// the renderers are found on PATH and run offline, without plugins.
    #[arg(long)]
    render: bool,
    /// Longest a renderer may run, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "120")]
    render_timeout: u64,
    /// Leave out files and directories matching this glob (gitignore syntax, relative to the
    /// working directory; repeatable), named or walked.
    #[arg(long = "exclude", value_name = "GLOB", env = "HULLCHECK_EXCLUDE")]
    excludes: Vec<String>,
    /// Apply no waiver from annotations on the objects (hullcheck's `hullcheck.dev/waive.*` and
    /// other tools' suppressions): only the waivers file waives.
    #[arg(long, env = "HULLCHECK_NO_ANNOTATION_WAIVERS")]
    no_annotation_waivers: bool,
    /// Do not read `.gitignore` and `.hullcheckignore` files while walking directories.
    #[arg(long, env = "HULLCHECK_NO_IGNORE")]
    no_ignore: bool,
    /// Walk into `node_modules` and `vendor` directories too (skipped by default).
    #[arg(long)]
    no_default_excludes: bool,
    /// Read every input as this evidence kind instead of detecting it (for example
    /// `image.dockerfile`, `sbom`, `scan.vulnerabilities`).
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// Files and directories to evaluate; `-` reads standard input (once, as `<stdin>`), and
    /// pipes such as `/dev/stdin` or `<(…)` are read when named.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// Runs the subcommand; `matches` tell which values came from flags and the environment.
pub fn run(mut args: Args, matches: Option<&clap::ArgMatches>) -> u8 {
    let loaded = match config::locate(&args) {
        Ok(l) => l,
        Err(e) => {
            output::error(&e);
            return output::USAGE;
        }
    };
    config::apply(&mut args, matches, loaded.as_ref());
    if args.paths.is_empty() {
        output::error("no paths to evaluate: name files or directories (`-` for stdin), or set `paths` in .hullcheck.yaml [options.no_paths]");
        return output::USAGE;
    }
    let outputs = match outputs(&args) {
        Ok(o) => o,
        Err(e) => {
            output::error(&e);
            return output::USAGE;
        }
    };
    let engine = match output::engine_with(args.catalog.as_deref(), &args.controls_dirs) {
        Ok(e) => e,
        Err(code) => return code,
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
    let mut params = std::collections::BTreeMap::new();
    for set in &args.sets {
        let Some((k, v)) = set.split_once('=') else {
            output::error(&format!("`--set {set}` must be KEY=VALUE"));
            return output::USAGE;
        };
        params.insert(k.trim().to_owned(), serde_json::Value::String(v.to_owned()));
    }
    if args.snapshot {
        params.insert(
            "evidence.snapshot".to_owned(),
            serde_json::Value::Bool(true),
        );
    }
    let mut waivers = Vec::new();
    if let Some(path) = &args.waivers {
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read waivers file `{}`: {e}", path.display()))
            .and_then(|text| {
                hullcheck::waivers::WaiversFile::parse(&path.display().to_string(), &text)
                    .map_err(|e| format!("{e} [{}]", e.code()))
            });
        match parsed {
            Ok(w) => waivers = w.waivers,
            Err(msg) => {
                output::error(&msg);
                return output::USAGE;
            }
        }
    }
    let fail_on = match (args.fail_on, policy.fail_on.as_deref()) {
        (Some(f), _) => f.as_str().to_owned(),
        (None, Some(p)) if ["critical", "high", "medium", "low", "never"].contains(&p) => {
            p.to_owned()
        }
        (None, Some(p)) => {
            output::error(&format!("policy `fail_on` must be critical, high, medium, low or never, not `{p}` [options.policy_file]"));
            return output::USAGE;
        }
        (None, None) => "low".to_owned(),
    };
    let mut options = Options {
        profiles: args.profiles.clone(),
        controls: args.controls.clone(),
        skip_controls: args.skip_controls.clone(),
        params,
        now: args.now.clone(),
        kind: args.kind.clone(),
        waivers,
        no_annotation_waivers: args.no_annotation_waivers,
        walk: hullcheck::evidence::exclude::WalkOptions {
            exclude: args.excludes.clone(),
            no_ignore_files: args.no_ignore,
            include_default_skipped: args.no_default_excludes,
        },
        limits: {
            let d = hullcheck::Limits::default();
            hullcheck::Limits {
                max_file_bytes: args.max_file_size.unwrap_or(d.max_file_bytes),
                max_total_bytes: args.max_total_size.unwrap_or(d.max_total_bytes),
                max_documents_per_file: args.max_documents.unwrap_or(d.max_documents_per_file),
                max_depth: args.max_depth.unwrap_or(d.max_depth),
                max_alias_nodes: args.max_alias_nodes.unwrap_or(d.max_alias_nodes),
            }
        },
    };
    // What the flags leave out, the policy file fills in (as the bindings' `policy=`).
    policy.apply_under(&mut options);
    for fw in &args.fail_on_frameworks {
        if engine.catalog().framework(fw).is_none() {
            let hint = hullcheck::eval::error::did_you_mean(
                fw,
                engine.catalog().frameworks.iter().map(|f| f.id.as_str()),
            );
            output::error(&format!(
                "unknown framework `{fw}` in `--fail-on-framework`{hint} [options.unknown_framework]"
            ));
            return output::USAGE;
        }
    }
    let timeout = std::time::Duration::from_secs(args.render_timeout);
    let targets: Vec<hullcheck::evidence::Target> = args
        .paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                return hullcheck::evidence::Target::Stdin;
            }
            match crate::render::renderer_for(p).filter(|_| args.render) {
                Some(r) => crate::render::render(p, r, timeout, options.limits.max_file_bytes),
                None => hullcheck::evidence::Target::Path(p.clone()),
            }
        })
        .collect();
    let gate = hullcheck::report::Gate {
        fail_on,
        frameworks: args.fail_on_frameworks.clone(),
        accept_unreadable: args.accept_unreadable || policy.accept_unreadable.unwrap_or(false),
        accept_empty: args.accept_empty || policy.accept_empty.unwrap_or(false),
    };
    let bar = crate::progress::Bar::new(args.quiet);
    let evaluated = engine.evaluate_targets_with_progress(&targets, &options, &bar);
    bar.finish();
    let report = match evaluated {
        Ok(r) => r,
        Err(e) => {
            output::error(&format!("{e} [{}]", e.code()));
            return output::USAGE;
        }
    };
    let render_options = hullcheck::report::RenderOptions {
        target: hullcheck::report::stig::Target {
            host_name: args.target_host.clone(),
            host_ip: args.target_ip.clone(),
            host_fqdn: args.target_fqdn.clone(),
            role: args.target_role.clone(),
            ..Default::default()
        },
        link_base: args.link_base.clone(),
        assessor: args.assessor.clone(),
        oscal_framework: args.oscal_framework.clone(),
        source_root: source_root(args.source_root.as_deref()),
        help_base: args.help_base.clone(),
        color: false,
    };
    if let Err(e) = render_options.check(engine.catalog()) {
        output::error(&format!("{e} [{}]", e.code()));
        return output::USAGE;
    }
    for (format, path) in &outputs {
        let render_options = hullcheck::report::RenderOptions {
            color: args.color.wanted(path.is_none()),
            ..render_options.clone()
        };
        let written = match format {
            Format::Json => output::emit_report(&report, path.as_deref()),
            other => output::emit(
                &hullcheck::report::render_with(
                    &report,
                    engine.catalog(),
                    other.core(),
                    &render_options,
                ),
                path.as_deref(),
            ),
        };
        if !written {
            return output::USAGE;
        }
    }
    let unreadable: Vec<&PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-" && !p.exists())
        .collect();
    for p in &unreadable {
        output::error(&format!("path `{}` does not exist", p.display()));
    }
    let outcome = match report.gate(&gate) {
        Ok(o) => o,
        Err(e) => {
            output::error(&format!("{e} [{}]", e.code()));
            return output::USAGE;
        }
    };
    let code = if !unreadable.is_empty() {
        output::USAGE
    } else if !outcome.passed {
        if !args.quiet {
            for r in &outcome.reasons {
                output::note(&format!("gate failed: {} [{}]", r.message, r.code));
            }
        }
        output::FAILURES
    } else {
        output::OK
    };
    // The process ends next: freeing millions of findings one by one would only delay the exit.
    std::mem::forget(report);
    code
}

/// The absolute source root: `--source-root` (made absolute against the working directory) or
/// the working directory itself.
pub fn source_root(given: Option<&std::path::Path>) -> Option<String> {
    let cwd = std::env::current_dir().ok();
    let root = match (given, cwd) {
        (Some(p), _) if p.is_absolute() => p.to_path_buf(),
        (Some(p), Some(cwd)) => cwd.join(p),
        (None, Some(cwd)) => cwd,
        (Some(_) | None, None) => return None,
    };
    Some(root.to_string_lossy().into_owned())
}

/// Every report the run writes: `--format`/`--output` first, then each `--write`. At most one
/// goes to stdout.
fn outputs(args: &Args) -> Result<Vec<(Format, Option<PathBuf>)>, String> {
    let mut out = vec![(args.format.unwrap_or(Format::Json), args.output.clone())];
    for w in &args.writes {
        let (name, path) = match w.split_once('=') {
            Some((n, p)) => (n, Some(PathBuf::from(p))),
            None => (w.as_str(), None),
        };
        let format = config::parse_format(name)
            .map_err(|e| format!("`--write {w}`: {e} [options.bad_output]"))?;
        out.push((format, path));
    }
    if out.iter().filter(|(_, p)| p.is_none()).count() > 1 {
        return Err("two reports would go to stdout: give `--output FILE` or `--write FORMAT=FILE` [options.bad_output]".to_owned());
    }
    Ok(out)
}
