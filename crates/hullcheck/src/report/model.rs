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
    /// Controls left out by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_controls: Vec<String>,
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

/// Why a document was skipped: it is not evidence (no error, and no failure of the gate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentSkip {
    /// Stable dotted code (`skipped.not_evidence`, `skipped.file_type`, …).
    pub code: String,
    /// Lowercase reason.
    pub reason: String,
}

/// Where a document or finding sat in the rendered stream it was read from (`helm template` or
/// `kubectl kustomize` output), when a provenance marker placed it at its source file.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct RenderedAt {
    /// The stream's file (`<stdin>` for standard input).
    pub file: std::sync::Arc<str>,
    /// 0-based document index in the stream.
    pub document: usize,
    /// 1-based line in the stream.
    pub line: u32,
}

/// What became of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    /// Read as evidence.
    Read,
    /// Not evidence: passed over with a reason.
    Skipped,
    /// Evidence that could not be (fully) read.
    Error,
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
    /// `read`, `skipped` (with `skipped`) or `error` (with `error`).
    pub status: DocumentStatus,
    /// Why the document could not be (fully) read.
    pub error: Option<DocumentError>,
    /// Why the document was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<DocumentSkip>,
    /// Where the document sat in its rendered stream, when `file` is its source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered: Option<RenderedAt>,
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
    /// Where the evidence sat in its rendered stream, when `file` is its source (a Helm
    /// template or a Kustomize resource) and `line` counts inside the rendered document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered: Option<Box<RenderedAt>>,
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
    /// The control (shared with every requirement it is behind).
    pub control_id: std::sync::Arc<str>,
    /// Its status in this evaluation (`not_assessed` when it was not selected).
    pub status: Status,
}

/// The result of one framework requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RequirementResult {
    /// The requirement (shared with the engine's index).
    pub requirement_id: std::sync::Arc<str>,
    /// Title.
    pub title: std::sync::Arc<str>,
    /// Fail if any control fails; pass only if every mapped control was assessed and passed.
    pub status: Status,
    /// The controls mapped to it.
    pub controls: Vec<RequirementControl>,
}

/// How the catalog addresses a framework's requirements (`controls/accounting/`): what
/// hullcheck evidences, and what an assessor must still collect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Accounted {
    /// Evidenced in full by controls.
    pub automated: usize,
    /// Evidenced in part by controls; the assessor collects the rest.
    pub partial: usize,
    /// Needs a signed statement or evidence hullcheck does not read.
    pub attestation: usize,
    /// Does not apply to a container platform.
    pub not_applicable: usize,
    /// Policy or process outside the platform.
    pub organisational: usize,
}

impl Accounted {
    /// Requirements an assessor must still collect evidence for (partial, attestation and
    /// organisational).
    pub fn to_collect(&self) -> usize {
        self.partial + self.attestation + self.organisational
    }
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
    /// How every requirement is addressed, when the catalog accounts for the framework.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounting: Option<Accounted>,
}

/// Totals of the evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Document entries: read, skipped and in error.
    pub documents: usize,
    /// Documents read as evidence.
    pub documents_read: usize,
    /// Documents skipped as not evidence.
    pub documents_skipped: usize,
    /// Documents with an error (unreadable, or evidence that could not be fully read).
    pub document_errors: usize,
    /// Controls that reached a verdict: `pass`, `fail` or `waived`.
    pub controls_assessed: usize,
    /// Findings per status.
    pub findings: Counts,
    /// Controls per status.
    pub controls: Counts,
    /// `fail` when an unwaived finding fails; else `error` when a document could not be read
    /// or a check errored; else `not_assessed` when no control reached a verdict; else `pass`.
    pub result: Status,
}

impl Summary {
    /// The result these totals give (see [`Summary::result`]).
    pub fn result_of(findings: &Counts, controls: &Counts, document_errors: usize) -> Status {
        if findings.fail > 0 {
            Status::Fail
        } else if document_errors > 0 || findings.error > 0 || controls.error > 0 {
            Status::Error
        } else if controls.pass + controls.waived + controls.fail == 0 {
            Status::NotAssessed
        } else {
            Status::Pass
        }
    }

    /// A plain sentence on why the result is what it is.
    pub fn explanation(&self) -> String {
        match self.result {
            Status::Fail => format!(
                "{} unwaived failing finding{}",
                self.findings.fail,
                plural(self.findings.fail)
            ),
            Status::Error => {
                let mut parts = Vec::new();
                if self.document_errors > 0 {
                    parts.push(format!(
                        "{} document{} could not be read",
                        self.document_errors,
                        plural(self.document_errors)
                    ));
                }
                if self.findings.error > 0 {
                    parts.push(format!(
                        "{} check{} errored",
                        self.findings.error,
                        plural(self.findings.error)
                    ));
                }
                parts.join(" and ")
            }
            Status::NotAssessed => {
                if self.documents_read == 0 {
                    "nothing was assessed: no document was read as evidence".to_owned()
                } else {
                    "nothing was assessed: no control found the evidence it reads".to_owned()
                }
            }
            _ => format!(
                "{} control{} assessed, none failing",
                self.controls_assessed,
                plural(self.controls_assessed)
            ),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
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
    /// Merges the reports of named clusters into a fleet report, comparing with `reference`
    /// when it is given (`Report.merge` in Python and Node; see [`super::fleet`]).
    pub fn merge<'a, I>(
        reports: I,
        reference: Option<&str>,
    ) -> Result<super::fleet::FleetReport, super::fleet::FleetError>
    where
        I: IntoIterator<Item = (&'a str, &'a Report)>,
    {
        let parts = reports
            .into_iter()
            .map(|(name, r)| super::fleet::FleetReport::from_report(name, r))
            .collect::<Result<Vec<_>, _>>()?;
        super::fleet::FleetReport::merge(parts, reference)
    }

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
        // An I/O failure keeps its kind (a closed pipe stays `BrokenPipe`).
        serde_json::to_writer_pretty(&mut w, self).map_err(|e| match e.io_error_kind() {
            Some(kind) => std::io::Error::new(kind, e),
            None => std::io::Error::other(e),
        })?;
        w.write_all(b"\n")?;
        w.flush()
    }

    /// True when any finding fails.
    pub fn has_failures(&self) -> bool {
        self.summary.findings.fail > 0
    }

    /// The CI gate (see [`Gate`]): fails closed, so evidence that could not be read and an
    /// evaluation that assessed nothing fail it unless accepted. An unknown severity or
    /// framework is an error, never a gate that silently holds.
    pub fn gate(&self, gate: &Gate) -> Result<GateOutcome, crate::eval::OptionsError> {
        let mut reasons = Vec::new();
        let rank = |s: &str| {
            ["info", "low", "medium", "high", "critical"]
                .iter()
                .position(|x| *x == s)
        };
        if gate.fail_on != "never" && !matches!(rank(&gate.fail_on), Some(1..)) {
            return Err(crate::eval::OptionsError::BadFailOn(gate.fail_on.clone()));
        }
        if let Some(unknown) = gate
            .frameworks
            .iter()
            .find(|id| !self.frameworks.iter().any(|f| &f.framework_id == *id))
        {
            return Err(crate::eval::OptionsError::UnknownFramework {
                name: unknown.clone(),
                hint: crate::eval::error::did_you_mean(
                    unknown,
                    self.frameworks.iter().map(|f| f.framework_id.as_str()),
                ),
            });
        }
        if let Some(min) = rank(&gate.fail_on) {
            let n = self
                .findings
                .iter()
                .filter(|f| f.status == Status::Fail && rank(&f.severity).is_some_and(|r| r >= min))
                .count();
            if n > 0 {
                reasons.push(GateReason {
                    code: "gate.failures".to_owned(),
                    message: format!(
                        "{n} unwaived failing finding{} at or above `{}`",
                        plural(n),
                        gate.fail_on
                    ),
                });
            }
        }
        for f in self
            .frameworks
            .iter()
            .filter(|f| gate.frameworks.contains(&f.framework_id))
        {
            let n = f
                .requirements
                .iter()
                .filter(|r| r.status == Status::Fail)
                .count();
            if n > 0 {
                reasons.push(GateReason {
                    code: "gate.framework".to_owned(),
                    message: format!(
                        "framework `{}` has {n} failing requirement{}",
                        f.framework_id,
                        plural(n)
                    ),
                });
            }
        }
        let s = &self.summary;
        let unreadable = s.document_errors > 0 || s.findings.error > 0 || s.controls.error > 0;
        if unreadable && !gate.accept_unreadable {
            let mut what = Vec::new();
            if s.document_errors > 0 {
                what.push(format!(
                    "{} document{} could not be read",
                    s.document_errors,
                    plural(s.document_errors)
                ));
            }
            let checks = s.findings.error.max(s.controls.error);
            if checks > 0 {
                what.push(format!("{checks} check{} errored", plural(checks)));
            }
            reasons.push(GateReason {
                code: "gate.unreadable".to_owned(),
                message: format!("{} (accept with `--accept-unreadable`)", what.join(" and ")),
            });
        }
        if s.controls_assessed == 0 && !gate.accept_empty {
            reasons.push(GateReason {
                code: "gate.not_assessed".to_owned(),
                message: format!(
                    "{} (accept with `--accept-empty`)",
                    if s.documents_read == 0 {
                        "nothing was assessed: no document was read as evidence"
                    } else {
                        "nothing was assessed: no control found the evidence it reads"
                    }
                ),
            });
        }
        Ok(GateOutcome {
            passed: reasons.is_empty(),
            result: s.result,
            reasons,
        })
    }
}

/// The CI gate's settings: the CLI's `--fail-on`, `--fail-on-framework`, `--accept-unreadable`
/// and `--accept-empty`, a policy file's `fail_on`, `accept_unreadable` and `accept_empty`, and
/// the bindings' `gate()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Gate {
    /// Fail on an unwaived failure at or above this severity: `critical`, `high`, `medium`,
    /// `low` (the default: any failure) or `never`.
    pub fail_on: String,
    /// Fail when any requirement of these frameworks fails.
    pub frameworks: Vec<String>,
    /// Pass although documents could not be read or checks errored (the default fails).
    pub accept_unreadable: bool,
    /// Pass although no control reached a verdict (the default fails).
    pub accept_empty: bool,
}

impl Default for Gate {
    fn default() -> Self {
        Self {
            fail_on: "low".to_owned(),
            frameworks: Vec::new(),
            accept_unreadable: false,
            accept_empty: false,
        }
    }
}

/// One reason the gate failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GateReason {
    /// Stable dotted code: `gate.failures`, `gate.framework`, `gate.unreadable`,
    /// `gate.not_assessed`.
    pub code: String,
    /// Lowercase message.
    pub message: String,
}

/// What the gate decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GateOutcome {
    /// True when the gate holds (exit code 0).
    pub passed: bool,
    /// The report's result.
    pub result: Status,
    /// Why it failed (empty when it passed).
    pub reasons: Vec<GateReason>,
}
