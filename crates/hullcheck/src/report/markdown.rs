//! Markdown for a pull-request comment: the per-framework table, failing findings grouped by
//! severity with `file#Lline` links, waivers that expired or went unused, and document errors.

use std::fmt::Write as _;

use super::render::subject_line;
use super::{Report, Status};
use crate::waivers::WaiverState;

const PER_SEVERITY: usize = 50;

/// Text taken from evidence, made inert in GitHub- and GitLab-flavoured Markdown: HTML tags and
/// entities, links and images, emphasis, code spans, table pipes, headings and lists at the
/// start, and `@` mentions (a zero-width space follows each `@`) all print as text.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("@\u{200B}"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '|' | '~' | '#' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The link of a finding: `BASE/` and the percent-encoded path when a link base is set (links
/// that resolve in a pull-request comment), else the relative path; then `#Lline`.
fn link(base: Option<&str>, file: &str, line: u32) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    // A path segment keeps unreserved characters and sub-delimiters; everything else is encoded.
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'[')
        .add(b']')
        .add(b'\\')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}')
        .add(b'(')
        .add(b')');
    let path: Vec<String> = file
        .trim_start_matches("./")
        .split('/')
        .map(|seg| utf8_percent_encode(seg, SEGMENT).to_string())
        .collect();
    match base {
        Some(b) => format!("{}/{}#L{line}", b.trim_end_matches('/'), path.join("/")),
        None => format!("{}#L{line}", path.join("/")),
    }
}

/// Renders Markdown.
pub fn render(report: &Report) -> String {
    render_with(report, None)
}

/// [`render`], with finding links under `link_base` (for example
/// `https://github.com/OWNER/REPO/blob/SHA`).
pub fn render_with(report: &Report, link_base: Option<&str>) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let verdict = match s.result {
        Status::Fail => "❌ fail",
        Status::Error => "⛔ error",
        Status::NotAssessed => "⚠️ not assessed",
        _ => "✅ pass",
    };
    let _ = writeln!(out, "## hullcheck: {verdict}\n");
    let _ = writeln!(out, "**{}.**\n", cell(&s.explanation()));
    let _ = writeln!(out, "{} documents read as evidence, {} skipped, {} unreadable · {} of {} controls assessed · {} failing, {} waived, {} passing findings · evaluated at {} · catalog {}\n",
        s.documents_read, s.documents_skipped, s.document_errors, s.controls_assessed, report.controls.len(), s.findings.fail, s.findings.waived, s.findings.pass, report.evaluated_at, report.catalog.version);
    let _ = writeln!(out, "| Framework | Status | Pass | Fail | Not assessed | Requirements touched | Evidence to collect |\n|---|---|---:|---:|---:|---:|---:|");
    for f in report
        .frameworks
        .iter()
        .filter(|f| !f.requirements.is_empty())
    {
        let collect = f.accounting.as_ref().map_or_else(
            || "not accounted".to_owned(),
            |a| a.to_collect().to_string(),
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} of {} | {collect} |",
            cell(&f.title),
            f.status.as_str(),
            f.counts.pass,
            f.counts.fail,
            f.counts.not_assessed,
            f.requirements.len(),
            f.requirement_count
        );
    }
    let failing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    if failing.is_empty() {
        out.push_str("\nNo failing findings.\n");
    }
    for sev in ["critical", "high", "medium", "low", "info"] {
        let group: Vec<_> = failing.iter().filter(|f| &*f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n### {} ({})\n",
            sev[..1].to_ascii_uppercase() + &sev[1..],
            group.len()
        );
        for f in group.iter().take(PER_SEVERITY) {
            let _ = writeln!(
                out,
                "- **{}** {} — {} ([{}](<{}>))",
                cell(&f.control_id),
                cell(&subject_line(&f.subject)),
                cell(&f.message),
                cell(&format!("{}:{}", f.location.file, f.location.line)),
                link(link_base, &f.location.file, f.location.line)
            );
        }
        if group.len() > PER_SEVERITY {
            let _ = writeln!(out, "- … and {} more", group.len() - PER_SEVERITY);
        }
    }
    let stale: Vec<_> = report
        .waivers
        .iter()
        .filter(|w| w.state != WaiverState::Applied)
        .collect();
    if !stale.is_empty() {
        let _ = writeln!(out, "\n### Waivers needing attention\n\n| Control | Subject | Owner | Expires | State |\n|---|---|---|---|---|");
        for w in stale {
            let subject = serde_json::to_string(&w.waiver.subject).unwrap_or_default();
            let state = match &w.problem {
                Some(p) => format!("{}: {p}", w.state.as_str()),
                None => w.state.as_str().to_owned(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&w.waiver.control_id),
                cell(&subject),
                cell(&w.waiver.owner),
                cell(if w.waiver.expires.is_empty() {
                    "none"
                } else {
                    &w.waiver.expires
                }),
                cell(&state)
            );
        }
    }
    let errors: Vec<_> = report
        .documents
        .iter()
        .filter(|d| d.error.is_some())
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(out, "\n### Documents that could not be read\n");
        for d in errors.iter().take(PER_SEVERITY) {
            if let Some(e) = &d.error {
                let _ = writeln!(
                    out,
                    "- {}:{} `{}` {}",
                    cell(&d.file),
                    e.line.unwrap_or(d.line),
                    e.code,
                    cell(&e.message)
                );
            }
        }
    }
    out
}
