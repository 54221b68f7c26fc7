//! The ID crosswalk from other tools' checks to hullcheck controls (`crosswalk.yaml`), which
//! decides whether their suppression annotations waive a control.

use std::sync::OnceLock;

use serde::Deserialize;

/// How closely another tool's check corresponds to a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Match {
    /// The check and the control fail the same objects: its suppression waives the control.
    Exact,
    /// The check covers one aspect of the control: its suppression is reported, not applied.
    Partial,
}

/// One row.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// `checkov`, `kube-linter` or `polaris`.
    pub tool: String,
    /// The tool's check ID.
    pub check: String,
    /// The hullcheck control.
    pub control: String,
    /// How closely they correspond.
    #[serde(rename = "match")]
    pub matches: Match,
    /// What the other check tests, in brief.
    pub about: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    checks: Vec<Row>,
}

/// The crosswalk's text, as shipped.
pub const TEXT: &str = include_str!("crosswalk.yaml");

/// Parses a crosswalk text.
pub fn parse(text: &str) -> Result<Vec<Row>, String> {
    let json = crate::evidence::yaml::first_document_json(text)?;
    let file: File = serde_path_to_error::deserialize(json).map_err(|e| {
        let at = e.path().to_string();
        format!("at `{at}`: {}", e.into_inner())
    })?;
    Ok(file.checks)
}

/// Every row of the shipped crosswalk (empty if it failed to parse, which a test rules out).
pub fn rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| parse(TEXT).unwrap_or_default())
}

/// The rows for one tool's check.
pub fn lookup<'a>(tool: &'a str, check: &'a str) -> impl Iterator<Item = &'static Row> + 'a {
    rows()
        .iter()
        .filter(move |r| r.tool == tool && r.check.eq_ignore_ascii_case(check))
}
