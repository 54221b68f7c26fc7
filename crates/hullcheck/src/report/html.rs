//! A self-contained HTML page: inline styles, inline script and the report data embedded as
//! JSON; nothing is fetched from anywhere.

use std::collections::BTreeMap;

use serde_json::json;

use super::junit::xml;
use super::{Report, Status};
use crate::catalog::Catalog;

const TEMPLATE: &str = include_str!("assets/report.html");
const CSS: &str = include_str!("assets/report.css");
const JS: &str = include_str!("assets/report.js");

/// Renders the HTML page.
pub fn render(report: &Report, catalog: &Catalog) -> String {
    // The frameworks each control reaches (directly or through a baseline), for the filter.
    let mut control_frameworks: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for fw in &report.frameworks {
        for r in &fw.requirements {
            for c in &r.controls {
                let list = control_frameworks.entry(&*c.control_id).or_default();
                if !list.contains(&fw.framework_id.as_str()) {
                    list.push(fw.framework_id.as_str());
                }
            }
        }
    }
    let waivers: Vec<_> = report
        .waivers
        .iter()
        .map(|w| json!({"control_id": w.waiver.control_id, "subject": w.waiver.subject, "owner": w.waiver.owner, "expires": w.waiver.expires, "state": w.state, "findings": w.findings}))
        .collect();
    let data = json!({
        "summary": report.summary,
        "frameworks": report.frameworks,
        "controls": report.controls,
        "findings": report.findings.iter().filter(|f| f.status != Status::NotApplicable).collect::<Vec<_>>(),
        "documents": report.documents.iter().filter(|d| d.error.is_some()).collect::<Vec<_>>(),
        "waivers": waivers,
        "control_frameworks": control_frameworks,
        "catalog_controls": catalog.controls.len(),
    });
    // Inside a script element only `</` could end it early; JSON allows `<` to be escaped.
    let data = serde_json::to_string(&data)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let verdict = report.summary.result;
    TEMPLATE
        .replace("__CSS__", CSS)
        .replace("__JS__", JS)
        .replace("__TITLE__", &xml(&report.evaluated_at))
        .replace("__CATALOG__", &xml(&report.catalog.version))
        .replace("__VERSION__", &xml(&report.tool.version))
        .replace("__VERDICT_CLASS__", verdict.as_str())
        .replace("__VERDICT__", &verdict.as_str().replace('_', " "))
        .replace("__REASON__", &xml(&report.summary.explanation()))
        .replace("__DATA__", &data)
}
