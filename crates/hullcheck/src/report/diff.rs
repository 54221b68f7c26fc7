//! Comparing two reports: new failures, fixed findings, and requirement status changes, so a
//! CI job can gate on regressions (`hullcheck diff OLD.json NEW.json`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::render::{fingerprint, subject_line};
use super::{Finding, Report, Status};

/// A requirement whose status changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementChange {
    /// Framework.
    pub framework_id: String,
    /// Requirement.
    pub requirement_id: String,
    /// Status in the old report (`absent` when it was not listed).
    pub before: String,
    /// Status in the new report (`absent` when it is not listed).
    pub after: String,
}

/// The differences between two reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDiff {
    /// Failing in the new report but not in the old.
    pub new_failures: Vec<Finding>,
    /// Failing in the old report but not in the new.
    pub fixed: Vec<Finding>,
    /// Requirement status changes.
    pub requirement_changes: Vec<RequirementChange>,
}

impl ReportDiff {
    /// True when the new report introduces failures.
    pub fn has_new_failures(&self) -> bool {
        !self.new_failures.is_empty()
    }
}

fn failing(r: &Report) -> BTreeMap<String, &Finding> {
    r.findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| (fingerprint(f), f))
        .collect()
}

fn requirements(r: &Report) -> BTreeMap<(String, String), String> {
    r.frameworks
        .iter()
        .flat_map(|fw| {
            fw.requirements.iter().map(move |q| {
                (
                    (fw.framework_id.clone(), q.requirement_id.to_string()),
                    q.status.as_str().to_owned(),
                )
            })
        })
        .collect()
}

/// Compares two reports. Findings are matched by control, subject, file and JSON pointer, so
/// moving lines within a file does not read as a change.
pub fn diff(old: &Report, new: &Report) -> ReportDiff {
    let (a, b) = (failing(old), failing(new));
    let new_failures = b
        .iter()
        .filter(|(k, _)| !a.contains_key(*k))
        .map(|(_, f)| (*f).clone())
        .collect();
    let fixed = a
        .iter()
        .filter(|(k, _)| !b.contains_key(*k))
        .map(|(_, f)| (*f).clone())
        .collect();
    let (ra, rb) = (requirements(old), requirements(new));
    let keys: BTreeSet<&(String, String)> = ra.keys().chain(rb.keys()).collect();
    let requirement_changes = keys
        .into_iter()
        .filter_map(|k| {
            let before = ra.get(k).cloned().unwrap_or_else(|| "absent".to_owned());
            let after = rb.get(k).cloned().unwrap_or_else(|| "absent".to_owned());
            (before != after).then(|| RequirementChange {
                framework_id: k.0.clone(),
                requirement_id: k.1.clone(),
                before,
                after,
            })
        })
        .collect();
    ReportDiff {
        new_failures,
        fixed,
        requirement_changes,
    }
}

fn line(f: &Finding) -> String {
    format!(
        "{} [{}] {}:{} {}: {}",
        f.control_id,
        f.severity,
        f.location.file,
        f.location.line,
        subject_line(&f.subject),
        f.message
    )
}

/// Renders a diff as `text`, `json` or `markdown`.
pub fn render(d: &ReportDiff, format: &str) -> String {
    let mut out = String::new();
    match format {
        "json" => {
            out = serde_json::to_string_pretty(d).unwrap_or_default();
            out.push('\n');
        }
        "markdown" => {
            let _ = writeln!(
                out,
                "## hullcheck diff: {} new failures, {} fixed, {} requirement changes\n",
                d.new_failures.len(),
                d.fixed.len(),
                d.requirement_changes.len()
            );
            for (title, list) in [("New failures", &d.new_failures), ("Fixed", &d.fixed)] {
                if !list.is_empty() {
                    let _ = writeln!(out, "### {title}\n");
                    for f in list {
                        let _ = writeln!(
                            out,
                            "- **{}** {} — {} ([{}:{}]({}#L{}))",
                            f.control_id,
                            subject_line(&f.subject),
                            f.message,
                            f.location.file,
                            f.location.line,
                            f.location.file,
                            f.location.line
                        );
                    }
                    out.push('\n');
                }
            }
            if !d.requirement_changes.is_empty() {
                let _ = writeln!(out, "### Requirement changes\n\n| Framework | Requirement | Before | After |\n|---|---|---|---|");
                for c in &d.requirement_changes {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} |",
                        c.framework_id, c.requirement_id, c.before, c.after
                    );
                }
            }
        }
        _ => {
            let _ = writeln!(out, "new failures: {}", d.new_failures.len());
            for f in &d.new_failures {
                let _ = writeln!(out, "  + {}", line(f));
            }
            let _ = writeln!(out, "fixed: {}", d.fixed.len());
            for f in &d.fixed {
                let _ = writeln!(out, "  - {}", line(f));
            }
            let _ = writeln!(out, "requirement changes: {}", d.requirement_changes.len());
            for c in &d.requirement_changes {
                let _ = writeln!(
                    out,
                    "  {} {}: {} -> {}",
                    c.framework_id, c.requirement_id, c.before, c.after
                );
            }
        }
    }
    out
}
