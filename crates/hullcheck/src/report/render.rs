//! Report renderers by format: the JSON report, text, SARIF, OSCAL, JUnit, Markdown and HTML.

use std::str::FromStr;

use super::{html, junit, markdown, oscal, sarif, stig, text, Report};
use crate::catalog::Catalog;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The JSON report.
    Json,
    /// A terminal summary.
    Text,
    /// SARIF 2.1.0.
    Sarif,
    /// OSCAL Assessment Results 1.1.2 (JSON).
    Oscal,
    /// JUnit XML.
    Junit,
    /// Markdown for a pull-request comment.
    Markdown,
    /// A self-contained HTML page.
    Html,
    /// STIG Viewer 2 checklist of the DISA Kubernetes STIG (XML).
    Ckl,
    /// STIG Viewer 3 checklist of the DISA Kubernetes STIG (CKLB 1.0 JSON).
    Cklb,
}

/// Every format name.
pub const FORMATS: &[&str] = &[
    "json", "text", "sarif", "oscal", "junit", "markdown", "html", "ckl", "cklb",
];

/// An unknown format name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}` (known: json, text, sarif, oscal, junit, markdown, html, ckl, cklb)")]
pub struct UnknownFormat(pub String);

impl UnknownFormat {
    /// The stable dotted code.
    pub fn code(&self) -> &'static str {
        "options.unknown_format"
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "json" => Self::Json,
            "text" => Self::Text,
            "sarif" => Self::Sarif,
            "oscal" => Self::Oscal,
            "junit" => Self::Junit,
            "markdown" | "md" => Self::Markdown,
            "html" => Self::Html,
            "ckl" => Self::Ckl,
            "cklb" => Self::Cklb,
            other => return Err(UnknownFormat(other.to_owned())),
        })
    }
}

/// What a renderer takes beyond the report: the checklists' target data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// The target of a STIG checklist (host name, IP, FQDN, role, marking, comment).
    pub target: stig::Target,
    /// Markdown: finding links under this URL (`https://github.com/OWNER/REPO/blob/SHA`), the
    /// path percent-encoded, so they resolve in a pull-request comment.
    pub link_base: Option<String>,
    /// OSCAL: the assessor named in the metadata's parties (default `hullcheck`).
    pub assessor: Option<String>,
    /// OSCAL: the framework whose requirements are the findings and the reviewed controls
    /// (default `nist-800-53r5`).
    pub oscal_framework: Option<String>,
    /// SARIF: the directory artifact URIs are relative to (`uriBaseId` `SRCROOT`), absolute;
    /// the CLI passes its working directory or `--source-root`. Without it, relative paths are
    /// kept relative (normalised) and absolute ones absolute.
    pub source_root: Option<String>,
    /// SARIF: each rule's `helpUri` is this URL of `docs/controls.md` with the control's
    /// section as the fragment (for example
    /// `https://github.com/OWNER/REPO/blob/main/docs/controls.md`); no `helpUri` without it.
    pub help_base: Option<String>,
    /// Text: colour severities and the result with ANSI codes (the CLI sets it on a terminal
    /// unless `NO_COLOR` is set).
    pub color: bool,
}

impl RenderOptions {
    /// Refuses options no renderer can honour: an OSCAL framework the catalog lacks, or a
    /// checklist role STIG Viewer does not accept (empty means `None`).
    pub fn check(&self, catalog: &Catalog) -> Result<(), crate::eval::OptionsError> {
        if let Some(fw) = &self.oscal_framework {
            if catalog.framework(fw).is_none() {
                return Err(crate::eval::OptionsError::UnknownOscalFramework(fw.clone()));
            }
        }
        let role = self.target.role.as_str();
        if !role.is_empty() && !stig::ROLES.contains(&role) {
            return Err(crate::eval::OptionsError::BadTargetRole(role.to_owned()));
        }
        Ok(())
    }
}

/// Renders a report. The catalog supplies rule texts and mappings.
pub fn render(report: &Report, catalog: &Catalog, format: Format) -> String {
    render_with(report, catalog, format, &RenderOptions::default())
}

/// [`render`] with options.
pub fn render_with(
    report: &Report,
    catalog: &Catalog,
    format: Format,
    options: &RenderOptions,
) -> String {
    match format {
        Format::Ckl => stig::ckl(report, catalog, &options.target),
        Format::Cklb => stig::cklb(report, catalog, &options.target),
        Format::Json => report.to_json(),
        Format::Text => text::render(report, options),
        Format::Sarif => sarif::render(report, catalog, options),
        Format::Oscal => oscal::render_with(report, catalog, options),
        Format::Junit => junit::render(report),
        Format::Markdown => markdown::render_with(report, options.link_base.as_deref()),
        Format::Html => html::render_with(report, catalog, options),
    }
}

/// Hex of the first bytes of a SHA-256, for stable identifiers.
pub(crate) fn digest_hex(parts: &[&str], bytes: usize) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    h.finalize()
        .iter()
        .take(bytes)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A name-based UUID (version 5 layout over SHA-256), deterministic for the same parts.
pub(crate) fn uuid(parts: &[&str]) -> String {
    let hex = digest_hex(parts, 16);
    let mut b: Vec<char> = hex.chars().collect();
    if let Some(c) = b.get_mut(12) {
        *c = '5';
    }
    if let Some(c) = b.get_mut(16) {
        let v = c.to_digit(16).unwrap_or(0);
        *c = std::char::from_digit((v & 0x3) | 0x8, 16).unwrap_or('8');
    }
    let s: String = b.into_iter().collect();
    format!(
        "{}-{}-{}-{}-{}",
        s.get(0..8).unwrap_or(""),
        s.get(8..12).unwrap_or(""),
        s.get(12..16).unwrap_or(""),
        s.get(16..20).unwrap_or(""),
        s.get(20..32).unwrap_or("")
    )
}

/// A one-line description of a finding's subject (`Kind/namespace/name (container c)`).
pub(crate) fn subject_line(s: &super::Subject) -> String {
    let mut out = [s.kind.as_deref(), s.namespace.as_deref(), s.name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("/");
    if let Some(c) = &s.container {
        out.push_str(&format!(" (container {c})"));
    }
    if out.is_empty() {
        out.push_str("(no subject)");
    }
    out
}

/// The stable identity of a finding across runs: control, subject, file and pointer (not the line).
pub(crate) fn fingerprint(f: &super::Finding) -> String {
    let s = &f.subject;
    let parts = [
        &*f.control_id,
        s.kind.as_deref().unwrap_or(""),
        s.namespace.as_deref().unwrap_or(""),
        s.name.as_deref().unwrap_or(""),
        s.container.as_deref().unwrap_or(""),
        &*f.location.file,
        &*f.location.path,
    ];
    digest_hex(&parts, 16)
}
