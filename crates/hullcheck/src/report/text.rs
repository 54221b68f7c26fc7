//! The terminal summary: the result, then the failing controls ranked by severity (each with
//! its count of subjects and first locations), the controls not assessed with their reasons,
//! and the counts per layer and framework. Paths are relative to the source root; colour, when
//! asked for, marks severities and the result.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::model::{Counts, Finding, Report, Status};
use super::paths::source_path;
use super::render::RenderOptions;
use crate::waivers::WaiverState;

fn counts_line(c: &Counts) -> String {
    format!(
        "pass {}  fail {}  n/a {}  not assessed {}  waived {}  error {}",
        c.pass, c.fail, c.not_applicable, c.not_assessed, c.waived, c.error
    )
}

/// Colour markers: private-use characters while the text is built (so that the control
/// characters evidence may carry are stripped without touching them), ANSI codes at the end.
const RED: char = '\u{E000}';
const BOLD_RED: char = '\u{E001}';
const YELLOW: char = '\u{E002}';
const CYAN: char = '\u{E003}';
const GREEN: char = '\u{E004}';
const RESET: char = '\u{E005}';
const MARKERS: [(char, &str); 6] = [
    (RED, "\x1b[31m"),
    (BOLD_RED, "\x1b[1;31m"),
    (YELLOW, "\x1b[33m"),
    (CYAN, "\x1b[36m"),
    (GREEN, "\x1b[32m"),
    (RESET, "\x1b[0m"),
];

fn severity_colour(sev: &str) -> char {
    match sev {
        "critical" => BOLD_RED,
        "high" => RED,
        "medium" => YELLOW,
        _ => CYAN,
    }
}

fn severity_rank(sev: &str) -> u8 {
    match sev {
        "critical" => 0,
        "high" => 1,
        "medium" => 2,
        "low" => 3,
        _ => 4,
    }
}

/// Locations listed per failing control before the rest is counted.
const FIRST_LOCATIONS: usize = 5;

fn who(f: &Finding) -> String {
    let mut s = [
        f.subject.kind.as_deref(),
        f.subject.namespace.as_deref(),
        f.subject.name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("/");
    if let Some(c) = f.subject.container.as_deref() {
        let _ = write!(s, " container {c}");
    }
    s
}

/// The failing controls, most severe first, then by the number of findings.
fn ranked(out: &mut String, report: &Report, root: Option<&str>) {
    let mut by_control: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in report.findings.iter().filter(|f| f.status == Status::Fail) {
        by_control.entry(&f.control_id).or_default().push(f);
    }
    if by_control.is_empty() {
        let _ = writeln!(out, "\n{GREEN}no failing findings{RESET}");
        return;
    }
    let total: usize = by_control.values().map(Vec::len).sum();
    let _ = writeln!(
        out,
        "\nfailing controls, most severe first ({total} findings in {} controls):",
        by_control.len()
    );
    let mut groups: Vec<(&str, Vec<&Finding>)> = by_control.into_iter().collect();
    groups.sort_by(|a, b| {
        let sev = |g: &(&str, Vec<&Finding>)| g.1.first().map_or(9, |f| severity_rank(&f.severity));
        sev(a)
            .cmp(&sev(b))
            .then(b.1.len().cmp(&a.1.len()))
            .then(a.0.cmp(b.0))
    });
    for (id, findings) in groups {
        let sev = findings.first().map_or("", |f| &*f.severity);
        let title = report
            .controls
            .iter()
            .find(|c| c.control_id == id)
            .map_or("", |c| c.title.as_str());
        let subjects: std::collections::BTreeSet<String> =
            findings.iter().map(|f| who(f)).collect();
        let _ = writeln!(
            out,
            "\n{}{:<8}{RESET} {id}  {title} ({} subject{}, {} finding{})",
            severity_colour(sev),
            sev.to_ascii_uppercase(),
            subjects.len(),
            if subjects.len() == 1 { "" } else { "s" },
            findings.len(),
            if findings.len() == 1 { "" } else { "s" }
        );
        for f in findings.iter().take(FIRST_LOCATIONS) {
            let path = source_path(&f.location.file, root);
            let _ = writeln!(
                out,
                "    {}:{}  {}: {}",
                path.as_str(),
                f.location.line,
                who(f),
                f.message
            );
        }
        if findings.len() > FIRST_LOCATIONS {
            let _ = writeln!(
                out,
                "    … and {} more (all of them: --control {id} --format json)",
                findings.len() - FIRST_LOCATIONS
            );
        }
    }
}

/// Controls that reached no verdict, with why.
fn not_assessed(out: &mut String, report: &Report) {
    let list: Vec<_> = report
        .controls
        .iter()
        .filter(|c| c.status == Status::NotAssessed)
        .collect();
    if list.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nnot assessed ({} controls, no verdict either way):",
        list.len()
    );
    for c in list {
        let _ = writeln!(
            out,
            "  {:<8} {}: {}",
            c.control_id,
            c.title,
            c.note
                .as_deref()
                .unwrap_or("no evidence of the kind it reads")
        );
    }
}

/// Renders a report as readable text.
pub fn render(report: &Report, options: &RenderOptions) -> String {
    let root = options.source_root.as_deref();
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(
        out,
        "hullcheck {} · catalog {} · evaluated at {}",
        report.tool.version, report.catalog.version, report.evaluated_at
    );
    let result_colour = match s.result {
        Status::Pass => GREEN,
        Status::Fail | Status::Error => BOLD_RED,
        _ => YELLOW,
    };
    let _ = writeln!(
        out,
        "result:    {result_colour}{}{RESET} ({})",
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
    ranked(&mut out, report, root);
    not_assessed(&mut out, report);
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
                    source_path(&d.file, root).as_str(),
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
    // Evidence can carry terminal control sequences (an object named with ESC bytes); none
    // reaches the terminal.
    out.retain(|c| c == '\n' || !c.is_control());
    let mut coloured = String::with_capacity(out.len());
    for c in out.chars() {
        match MARKERS.iter().find(|(m, _)| *m == c) {
            Some((_, ansi)) if options.color => coloured.push_str(ansi),
            Some(_) => {}
            None => coloured.push(c),
        }
    }
    coloured
}
