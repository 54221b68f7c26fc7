//! The fleet report as JSON, text, Markdown and a self-contained HTML page. Every renderer shows
//! the same three parts: the clusters with their results, the divergence from the reference
//! cluster, and the control × cluster matrix (a cluster whose report lacks a control shows `-`).

use std::fmt::Write as _;
use std::str::FromStr;

use super::{FleetReport, Status};
use crate::report::junit::xml;

/// A fleet report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FleetFormat {
    /// JSON, the shape of `docs/schema/fleet.schema.json`.
    Json,
    /// Readable text.
    Text,
    /// Markdown.
    Markdown,
    /// A self-contained HTML page.
    Html,
}

/// A format name that is not one of the fleet formats.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fleet report format `{0}`: use json, text, markdown or html")]
pub struct UnknownFleetFormat(pub String);

impl UnknownFleetFormat {
    /// The stable dotted code.
    pub fn code(&self) -> &'static str {
        "options.unknown_format"
    }
}

impl FromStr for FleetFormat {
    type Err = UnknownFleetFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "json" => Self::Json,
            "text" => Self::Text,
            "markdown" | "md" => Self::Markdown,
            "html" => Self::Html,
            other => return Err(UnknownFleetFormat(other.to_owned())),
        })
    }
}

/// Renders `fleet` in `format`.
pub fn render(fleet: &FleetReport, format: FleetFormat) -> String {
    match format {
        FleetFormat::Json => fleet.to_json(),
        FleetFormat::Text => text(fleet),
        FleetFormat::Markdown => markdown(fleet),
        FleetFormat::Html => html(fleet),
    }
}

fn mark(s: Option<Status>) -> &'static str {
    match s {
        Some(Status::Pass) => "P",
        Some(Status::Fail) => "F",
        Some(Status::Error) => "E",
        Some(Status::Waived) => "W",
        Some(Status::NotApplicable) => "n/a",
        Some(Status::NotAssessed) => "?",
        None => "-",
    }
}

const LEGEND: &str =
    "P pass, F fail, E error, W waived, n/a not applicable, ? not assessed, - not in the report";

fn headline(f: &FleetReport) -> String {
    let r = &f.summary.results;
    let mut parts = Vec::new();
    for (n, label) in [
        (r.pass, "pass"),
        (r.fail, "fail"),
        (r.error, "error"),
        (r.not_assessed, "not assessed"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    format!(
        "{} cluster{}, result {} ({})",
        f.summary.clusters,
        if f.summary.clusters == 1 { "" } else { "s" },
        f.summary.result.as_str(),
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(", ")
        }
    )
}

fn divergence_title(f: &FleetReport) -> Option<String> {
    let r = f.reference.as_deref()?;
    Some(if f.clusters.iter().any(|c| c.name == r) {
        format!(
            "Divergence from `{r}`: {} control{} pass there and not elsewhere",
            f.divergence.len(),
            if f.divergence.len() == 1 { "" } else { "s" }
        )
    } else {
        format!("Divergence: the reference cluster `{r}` is not in the fleet")
    })
}

fn text(f: &FleetReport) -> String {
    let mut out = format!("hullcheck fleet: {}\n", headline(f));
    if f.summary.catalogs.len() > 1 {
        let _ = writeln!(
            out,
            "note: the clusters were evaluated against {} different catalogs",
            f.summary.catalogs.len()
        );
    }
    out.push_str("\nClusters\n");
    let width = f
        .clusters
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "  {:width$}  RESULT        FAILING  ERRORS  DOCUMENTS",
        "NAME"
    );
    for c in &f.clusters {
        let s = &c.summary;
        let _ = writeln!(
            out,
            "  {:width$}  {:12}  {:7}  {:6}  {}",
            c.name,
            s.result.as_str(),
            s.findings.fail,
            s.findings.error + s.document_errors,
            s.documents
        );
    }
    if let Some(title) = divergence_title(f) {
        let _ = writeln!(out, "\n{}", title.replace('`', ""));
        for d in &f.divergence {
            let _ = writeln!(out, "  {} ({}) {}", d.control_id, d.severity, d.title);
            for status in [Status::Fail, Status::Error, Status::NotAssessed] {
                let names: Vec<&str> = d
                    .clusters
                    .iter()
                    .filter(|x| x.status == status)
                    .map(|x| x.cluster.as_str())
                    .collect();
                if !names.is_empty() {
                    let _ = writeln!(out, "    {}: {}", status.as_str(), names.join(", "));
                }
            }
        }
    }
    let _ = writeln!(out, "\nControls x clusters ({LEGEND})");
    for (i, c) in f.clusters.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {}", i + 1, c.name);
    }
    let id_width = f
        .controls
        .iter()
        .map(|r| r.control_id.len())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut header = format!("  {:id_width$}  {:8}", "CONTROL", "SEVERITY");
    for i in 0..f.clusters.len() {
        let _ = write!(header, " {:>4}", format!("[{}]", i + 1));
    }
    out.push_str(header.trim_end());
    out.push('\n');
    for row in &f.controls {
        let mut line = format!("  {:id_width$}  {:8}", row.control_id, row.severity);
        for c in &f.clusters {
            let _ = write!(
                line,
                " {:>4}",
                mark(row.clusters.get(&c.name).map(|x| x.status))
            );
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Markdown table cell text: pipes and line breaks would end the cell.
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn markdown(f: &FleetReport) -> String {
    let mut out = format!("# hullcheck fleet\n\n{}\n", md(&headline(f)));
    if f.summary.catalogs.len() > 1 {
        let _ = writeln!(
            out,
            "\n> The clusters were evaluated against {} different catalogs.",
            f.summary.catalogs.len()
        );
    }
    out.push_str("\n## Clusters\n\n| Cluster | Result | Failing | Errors | Documents |\n|---|---|---:|---:|---:|\n");
    for c in &f.clusters {
        let s = &c.summary;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            md(&c.name),
            s.result.as_str(),
            s.findings.fail,
            s.findings.error + s.document_errors,
            s.documents
        );
    }
    if let Some(title) = divergence_title(f) {
        let _ = writeln!(out, "\n## {}\n", md(&title));
        if !f.divergence.is_empty() {
            out.push_str("| Control | Severity | Title | Clusters |\n|---|---|---|---|\n");
            for d in &f.divergence {
                let where_: Vec<String> = d
                    .clusters
                    .iter()
                    .map(|x| format!("{} ({})", md(&x.cluster), x.status.as_str()))
                    .collect();
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    md(&d.control_id),
                    md(&d.severity),
                    md(&d.title),
                    where_.join(", ")
                );
            }
        }
    }
    let _ = write!(
        out,
        "\n## Controls × clusters\n\n{LEGEND}.\n\n| Control | Severity |"
    );
    for c in &f.clusters {
        let _ = write!(out, " {} |", md(&c.name));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(f.clusters.len()));
    out.push('\n');
    for row in &f.controls {
        let _ = write!(out, "| {} | {} |", md(&row.control_id), md(&row.severity));
        for c in &f.clusters {
            let _ = write!(
                out,
                " {} |",
                mark(row.clusters.get(&c.name).map(|x| x.status))
            );
        }
        out.push('\n');
    }
    out
}

const CSS: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1f23}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #d0d7de;padding:3px 7px;text-align:left}\
th{background:#f6f8fa;position:sticky;top:0}td.c{text-align:center}\
.s-pass{background:#dafbe1}.s-fail{background:#ffd8d3}.s-error{background:#fff1c2}\
.s-waived{background:#ddf4ff}.s-not_assessed{background:#eaeef2}.s-not_applicable{color:#57606a}\
.s-none{color:#8c959f}";

fn cell_class(s: Option<Status>) -> &'static str {
    match s {
        Some(Status::Pass) => "s-pass",
        Some(Status::Fail) => "s-fail",
        Some(Status::Error) => "s-error",
        Some(Status::Waived) => "s-waived",
        Some(Status::NotApplicable) => "s-not_applicable",
        Some(Status::NotAssessed) => "s-not_assessed",
        None => "s-none",
    }
}

fn html(f: &FleetReport) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>hullcheck fleet</title>\
         <style>{CSS}</style></head><body>\n<h1>hullcheck fleet</h1>\n<p id=\"headline\">{}</p>\n",
        xml(&headline(f))
    );
    out.push_str("<h2>Clusters</h2>\n<table id=\"clusters\"><tr><th>Cluster</th><th>Result</th><th>Failing</th><th>Errors</th><th>Documents</th><th>Catalog</th></tr>\n");
    for c in &f.clusters {
        let s = &c.summary;
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            xml(&c.name),
            cell_class(Some(s.result)),
            s.result.as_str(),
            s.findings.fail,
            s.findings.error + s.document_errors,
            s.documents,
            xml(&c.catalog.version)
        );
    }
    out.push_str("</table>\n");
    if let Some(title) = divergence_title(f) {
        let _ = writeln!(out, "<h2>{}</h2>", xml(&title.replace('`', "")));
        if !f.divergence.is_empty() {
            out.push_str("<table id=\"divergence\"><tr><th>Control</th><th>Severity</th><th>Title</th><th>Clusters</th></tr>\n");
            for d in &f.divergence {
                let where_: Vec<String> = d
                    .clusters
                    .iter()
                    .map(|x| {
                        format!(
                            "<span class=\"{}\">{}</span>",
                            cell_class(Some(x.status)),
                            xml(&format!("{} ({})", x.cluster, x.status.as_str()))
                        )
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    xml(&d.control_id),
                    xml(&d.severity),
                    xml(&d.title),
                    where_.join(" ")
                );
            }
            out.push_str("</table>\n");
        }
    }
    let _ = write!(
        out,
        "<h2>Controls × clusters</h2>\n<p>{}</p>\n<table id=\"matrix\"><tr><th>Control</th><th>Severity</th>",
        xml(LEGEND)
    );
    for c in &f.clusters {
        let _ = write!(out, "<th>{}</th>", xml(&c.name));
    }
    out.push_str("</tr>\n");
    for row in &f.controls {
        let _ = write!(
            out,
            "<tr><td title=\"{}\">{}</td><td>{}</td>",
            xml(&row.title),
            xml(&row.control_id),
            xml(&row.severity)
        );
        for c in &f.clusters {
            let cell = row.clusters.get(&c.name);
            let status = cell.map(|x| x.status);
            let tip = match cell {
                Some(x) => format!("{}: {} ({} failing)", c.name, x.status.as_str(), x.failing),
                None => format!("{}: not in the report", c.name),
            };
            let _ = write!(
                out,
                "<td class=\"c {}\" title=\"{}\">{}</td>",
                cell_class(status),
                xml(&tip),
                xml(mark(status))
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</body></html>\n");
    out
}
