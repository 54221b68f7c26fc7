//! The terminal summary: counts by status, per layer and per framework, then failing findings.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::model::{Counts, Report, Status};
use crate::waivers::WaiverState;

fn counts_line(c: &Counts) -> String {
    format!(
        "pass {}  fail {}  n/a {}  not assessed {}  waived {}  error {}",
        c.pass, c.fail, c.not_applicable, c.not_assessed, c.waived, c.error
    )
}

/// Renders a report as readable text.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(
        out,
        "hullcheck {} · catalog {} · evaluated at {}",
        report.tool.version, report.catalog.version, report.evaluated_at
    );
    let _ = writeln!(
        out,
        "result:    {} ({})",
        s.result.as_str().to_ascii_uppercase(),
        s.explanation()
    );
    let _ = writeln!(
        out,
        "documents: {} read as evidence, {} skipped as not evidence, {} unreadable",
        s.documents_read, s.documents_skipped, s.document_errors
    );
    let _ = writeln!(
        out,
        "controls:  {} of {} assessed (reached pass, fail or waived)",
        s.controls_assessed,
        report.controls.len()
    );
    if s.controls_assessed == 0 {
        let _ = writeln!(
            out,
            "NOTHING WAS ASSESSED: {}. This is not a pass.",
            if s.documents_read == 0 {
                "no document was read as evidence"
            } else {
                "no control found the evidence it reads"
            }
        );
    }
    if s.document_errors > 0 {
        let _ = writeln!(
            out,
            "UNREADABLE: {} document{} could not be read (listed under \"document errors\").",
            s.document_errors,
            if s.document_errors == 1 { "" } else { "s" }
        );
    }
    let _ = writeln!(out, "\nfindings:  {}", counts_line(&s.findings));
    let _ = writeln!(out, "controls:  {}", counts_line(&s.controls));
    let mut layers: BTreeMap<&str, Counts> = BTreeMap::new();
    for c in &report.controls {
        layers.entry(c.layer.as_str()).or_default().add(c.status);
    }
    let _ = writeln!(out, "\ncontrols by layer:");
    for (layer, c) in &layers {
        let _ = writeln!(out, "  {layer:<14} {}", counts_line(c));
    }
    let _ = writeln!(
        out,
        "\nframeworks (requirements touched by the evaluated controls):"
    );
    for f in &report.frameworks {
        if f.requirements.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "  {:<22} {:<13} {} of {} requirements: {}",
            f.framework_id,
            f.status.as_str(),
            f.requirements.len(),
            f.requirement_count,
            counts_line(&f.counts)
        );
        if let Some(a) = &f.accounting {
            let _ = writeln!(
                out,
                "  {:<22} {:<13} accounted: {} automated, {} not applicable; to collect: {} ({} partial, {} attestation, {} organisational)",
                "", "", a.automated, a.not_applicable, a.to_collect(), a.partial, a.attestation, a.organisational
            );
        }
    }
    let errors: Vec<_> = report
        .documents
        .iter()
        .filter(|d| d.error.is_some())
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(out, "\ndocument errors:");
        for d in errors {
            if let Some(e) = &d.error {
                let _ = writeln!(
                    out,
                    "  {}:{} [{}] {}",
                    d.file,
                    e.line.unwrap_or(d.line),
                    e.code,
                    e.message
                );
            }
        }
    }
    let stale: Vec<_> = report
        .waivers
        .iter()
        .filter(|w| w.state != WaiverState::Applied)
        .collect();
    if !report.waivers.is_empty() {
        let applied = report.waivers.len() - stale.len();
        let _ = writeln!(
            out,
            "\nwaivers: {} given, {applied} applied",
            report.waivers.len()
        );
        for w in stale {
            let state = if w.state == WaiverState::Expired {
                "EXPIRED".to_owned()
            } else {
                w.state.as_str().to_owned()
            };
            let subject = serde_json::to_string(&w.waiver.subject).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {state} {} {subject} ({}){}",
                w.waiver.control_id,
                w.terms(),
                w.problem
                    .as_ref()
                    .map_or_else(String::new, |p| format!(": {p}"))
            );
        }
    }
    let failing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    if failing.is_empty() {
        let _ = writeln!(out, "\nno failing findings");
    } else {
        let _ = writeln!(out, "\nfailing findings ({}):", failing.len());
        for f in failing {
            let who = [
                f.subject.kind.as_deref(),
                f.subject.namespace.as_deref(),
                f.subject.name.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("/");
            let _ = writeln!(
                out,
                "  {}:{} {} [{}] {}: {}",
                f.location.file, f.location.line, f.control_id, f.severity, who, f.message
            );
        }
    }
    // Evidence can carry terminal control sequences (an object named with ESC bytes); none
    // reaches the terminal.
    out.retain(|c| c == '\n' || !c.is_control());
    out
}
