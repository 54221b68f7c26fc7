//! The report: the one JSON shape every renderer, binding and check reads.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The status of a finding, control, requirement or framework.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The evidence satisfies the control.
    Pass,
    /// The evidence violates the control.
    Fail,
    /// The control does not apply to the subject.
    NotApplicable,
    /// There was no evidence to judge.
    NotAssessed,
    /// A failure accepted by a live waiver.
    Waived,
    /// The evidence could not be evaluated.
    Error,
}

impl Status {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotApplicable => "not_applicable",
            Self::NotAssessed => "not_assessed",
            Self::Waived => "waived",
            Self::Error => "error",
        }
    }
}

/// Counts per status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Counts {
    /// Passing.
    pub pass: usize,
    /// Failing.
    pub fail: usize,
    /// Not applicable.
    pub not_applicable: usize,
    /// Not assessed.
    pub not_assessed: usize,
    /// Waived.
    pub waived: usize,
    /// In error.
    pub error: usize,
}

impl Counts {
    /// Adds one of `status`.
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::NotApplicable => self.not_applicable += 1,
            Status::NotAssessed => self.not_assessed += 1,
            Status::Waived => self.waived += 1,
            Status::Error => self.error += 1,
        }
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Counts) {
        self.pass += other.pass;
        self.fail += other.fail;
        self.not_applicable += other.not_applicable;
        self.not_assessed += other.not_assessed;
        self.waived += other.waived;
        self.error += other.error;
    }

    /// The total.
    pub fn total(&self) -> usize {
        self.pass + self.fail + self.not_applicable + self.not_assessed + self.waived + self.error
    }
}

/// The tool that wrote the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ToolInfo {
    /// Always `hullcheck`.
    pub name: String,
    /// The library version.
    pub version: String,
}

/// The catalog the report was evaluated against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CatalogInfo {
    /// Catalog version.
    pub version: String,
    /// `sha256:` digest of the catalog files.
    pub digest: String,
}

/// The options that shaped the evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OptionsInfo {
    /// Profiles selected (empty: none named).
    pub profiles: Vec<String>,
    /// Controls named (empty: none named).
    pub controls: Vec<String>,
    /// Every parameter with its effective value.
    pub params: BTreeMap<String, serde_json::Value>,
}

/// A located error of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentError {
    /// Stable dotted code.
    pub code: String,
    /// Lowercase message.
    pub message: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// JSON pointer, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// One document (or `List` item) read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentReport {
    /// The file.
    pub file: String,
    /// 0-based index of the document in the file.
    pub index: usize,
    /// JSON pointer of the object inside the document (empty for the root).
    pub path: std::sync::Arc<str>,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// The Kubernetes kind or tool format, when recognised.
    pub kind: Option<std::sync::Arc<str>>,
    /// The evidence kind it was read as (`kubernetes.workload`, `sbom`, …).
    pub evidence: Option<String>,
    /// The apiVersion, when recognised.
    pub api_version: Option<String>,
    /// The object's name, when it has one.
    pub name: Option<std::sync::Arc<str>>,
    /// The object's namespace, when it has one.
    pub namespace: Option<std::sync::Arc<str>>,
    /// Why the document could not be (fully) read.
    pub error: Option<DocumentError>,
}

pub use crate::evidence::Subject;

/// Where a finding's evidence is.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Location {
    /// The file.
    pub file: std::sync::Arc<str>,
    /// 0-based document index in the file.
    pub document: usize,
    /// 1-based line.
    pub line: u32,
    /// JSON pointer from the document root.
    // Shared with the fact it was read from.
    pub path: std::sync::Arc<str>,
}

/// One result of one control on one subject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// The control (shared between the control's findings).
    pub control_id: std::sync::Arc<str>,
    /// The result.
    pub status: Status,
    /// The control's severity.
    pub severity: std::sync::Arc<str>,
    /// The control's layer.
    pub layer: std::sync::Arc<str>,
    /// What was found.
    // Constant messages, such as a control's pass message, are shared between its findings.
    pub message: std::sync::Arc<str>,
    /// What it is about.
    // Shared by every finding on the same object or container.
    pub subject: std::sync::Arc<Subject>,
    /// Where.
    pub location: Location,
}

/// The result of one control over all evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ControlResult {
    /// The control.
    pub control_id: String,
    /// Title.
    pub title: String,
    /// Layer.
    pub layer: String,
    /// Severity.
    pub severity: String,
    /// Rolled-up status.
    pub status: Status,
    /// Findings per status.
    pub counts: Counts,
    /// Why the control was not assessed, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A control behind a requirement, with its status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RequirementControl {
    /// The control.
    pub control_id: String,
    /// Its status in this evaluation (`not_assessed` when it was not selected).
    pub status: Status,
}

/// The result of one framework requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RequirementResult {
    /// The requirement.
    pub requirement_id: String,
    /// Title.
    pub title: String,
    /// Fail if any control fails; pass only if every mapped control was assessed and passed.
    pub status: Status,
    /// The controls mapped to it.
    pub controls: Vec<RequirementControl>,
}

/// The result of one framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FrameworkResult {
    /// The framework.
    pub framework_id: String,
    /// Title.
    pub title: String,
    /// Fail if any listed requirement fails, pass if all pass, otherwise not assessed.
    pub status: Status,
    /// Requirements in the framework.
    pub requirement_count: usize,
    /// Listed requirements per status.
    pub counts: Counts,
    /// The requirements the evaluated controls map to.
    pub requirements: Vec<RequirementResult>,
}

/// Totals of the evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Documents read.
    pub documents: usize,
    /// Documents with an error.
    pub document_errors: usize,
    /// Findings per status.
    pub findings: Counts,
    /// Controls per status.
    pub controls: Counts,
    /// `fail` when any finding fails, otherwise `pass`.
    pub result: Status,
}

/// A whole evaluation report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// The tool.
    pub tool: ToolInfo,
    /// Evaluation time, RFC 3339 UTC.
    pub evaluated_at: String,
    /// The catalog.
    pub catalog: CatalogInfo,
    /// The options.
    pub options: OptionsInfo,
    /// Totals.
    pub summary: Summary,
    /// Documents read.
    pub documents: Vec<DocumentReport>,
    /// Findings, sorted by file, document, line, control.
    pub findings: Vec<Finding>,
    /// Per-control results, sorted by control.
    pub controls: Vec<ControlResult>,
    /// Per-framework results, sorted by framework.
    pub frameworks: Vec<FrameworkResult>,
    /// Every waiver given, with its state and the findings it covered.
    #[serde(default)]
    pub waivers: Vec<crate::waivers::WaiverResult>,
}

impl Report {
    /// The report as pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }

    /// Writes the report as pretty JSON with a trailing newline, streaming (no intermediate
    /// string), byte-identical to [`Report::to_json`].
    pub fn write_json<W: std::io::Write>(&self, mut w: W) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut w, self).map_err(std::io::Error::other)?;
        w.write_all(b"\n")?;
        w.flush()
    }

    /// True when any finding fails.
    pub fn has_failures(&self) -> bool {
        self.summary.findings.fail > 0
    }

    /// The CI gate: true when an unwaived failure is at or above `fail_on` (`critical`, `high`,
    /// `medium`, `low`; `never` disables it), or when any requirement of a framework in
    /// `frameworks` fails.
    pub fn gate_failed(&self, fail_on: &str, frameworks: &[String]) -> bool {
        let rank = |s: &str| {
            ["info", "low", "medium", "high", "critical"]
                .iter()
                .position(|x| *x == s)
        };
        let by_severity = match rank(fail_on) {
            Some(min) => self
                .findings
                .iter()
                .any(|f| f.status == Status::Fail && rank(&f.severity).is_some_and(|r| r >= min)),
            None => false,
        };
        let by_framework = self
            .frameworks
            .iter()
            .filter(|f| frameworks.contains(&f.framework_id))
            .any(|f| f.requirements.iter().any(|r| r.status == Status::Fail));
        by_severity || by_framework
    }
}
