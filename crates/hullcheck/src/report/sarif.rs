//! SARIF 2.1.0: one rule per control, results for failing, waived and erroring findings with
//! physical locations and stable fingerprints.

use serde_json::{json, Value};

use super::paths::{heading_anchor, source_path, uri, SourcePath};
use super::render::{digest_hex, subject_line, RenderOptions};
use super::{Report, Status};
use crate::catalog::{Catalog, Severity};

fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn security_severity(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// The artifact location of `file`: relative to `SRCROOT` when under the source root.
fn artifact(file: &str, paths: &mut PathCache) -> Value {
    match paths.get(file) {
        SourcePath::Relative(p) => json!({"uri": uri(p), "uriBaseId": SRCROOT}),
        SourcePath::Absolute(p) => json!({"uri": format!("file://{}", uri(p))}),
        SourcePath::Other(p) => json!({"uri": uri(p)}),
    }
}

const SRCROOT: &str = "SRCROOT";

/// Normalised paths, computed once per file.
struct PathCache<'a> {
    root: Option<&'a str>,
    seen: std::collections::HashMap<String, SourcePath>,
}

impl PathCache<'_> {
    fn get(&mut self, file: &str) -> &SourcePath {
        let root = self.root;
        self.seen
            .entry(file.to_owned())
            .or_insert_with(|| source_path(file, root))
    }
}

/// The fingerprint of a finding: its normalised path, control, subject, document, JSON
/// pointer and message (which names the aspect when one object fails a control twice, such as
/// two admission plugins), so that it is the same however the path was typed.
fn stable_fingerprint(f: &super::Finding, path: &str) -> String {
    let s = &f.subject;
    let document = f.location.document.to_string();
    let parts = [
        &*f.control_id,
        s.kind.as_deref().unwrap_or(""),
        s.namespace.as_deref().unwrap_or(""),
        s.name.as_deref().unwrap_or(""),
        s.container.as_deref().unwrap_or(""),
        s.image.as_deref().unwrap_or(""),
        path,
        &document,
        &*f.location.path,
        &*f.message,
    ];
    digest_hex(&parts, 16)
}

/// Renders SARIF 2.1.0.
pub fn render(report: &Report, catalog: &Catalog, options: &RenderOptions) -> String {
    let mut paths = PathCache {
        root: options.source_root.as_deref(),
        seen: std::collections::HashMap::new(),
    };
    let mut used: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let selected: Vec<&str> = report
        .controls
        .iter()
        .map(|c| c.control_id.as_str())
        .collect();
    let controls: Vec<_> = catalog
        .controls
        .iter()
        .filter(|c| selected.contains(&c.id.as_str()))
        .collect();
    let rules: Vec<Value> = controls
        .iter()
        .map(|c| {
            let mut tags = vec!["security".to_owned(), format!("layer:{}", c.layer)];
            tags.extend(c.mappings.keys().cloned());
            let refs: Vec<String> = c.mappings.iter().flat_map(|(fw, ids)| ids.iter().map(move |i| format!("{fw} {i}"))).collect();
            let mut rule = json!({
                "id": c.id,
                "name": c.id.replace('-', ""),
                "shortDescription": {"text": c.title},
                "fullDescription": {"text": c.description},
                "help": {
                    "text": format!("{}\n\nWhy: {}\n\nFix: {}", c.description, c.rationale, c.remediation),
                    "markdown": format!("**{}**\n\n{}\n\n**Why.** {}\n\n**Fix.** {}\n\n*Maps to:* {}", c.title, c.description, c.rationale, c.remediation, refs.join(", ")),
                },
                "defaultConfiguration": {"level": level(c.severity)},
                "properties": {"security-severity": security_severity(c.severity), "tags": tags, "precision": "high"},
            });
            if let Some(base) = &options.help_base {
                let anchor = heading_anchor(&format!("{} — {}", c.id, c.title));
                set(&mut rule, "helpUri", json!(format!("{base}#{anchor}")));
            }
            rule
        })
        .collect();
    let index = |id: &str| controls.iter().position(|c| c.id == id);
    let results: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Waived | Status::Error))
        .filter_map(|f| {
            let i = index(&f.control_id)?;
            let sev = controls.get(i).map_or(Severity::Medium, |c| c.severity);
            let mut physical = json!({"artifactLocation": artifact(&f.location.file, &mut paths)});
            // Identical findings (same everything) are told apart by their order.
            let mut print = stable_fingerprint(f, paths.get(&f.location.file).as_str());
            let n = used.entry(print.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                print = digest_hex(&[&print, &n.to_string()], 16);
            }
            if f.location.line > 0 {
                set(&mut physical, "region", json!({"startLine": f.location.line}));
            }
            let mut r = json!({
                "ruleId": f.control_id,
                "ruleIndex": i,
                "level": if f.status == Status::Error { "warning" } else { level(sev) },
                "kind": "fail",
                "message": {"text": format!("{}: {}", subject_line(&f.subject), f.message)},
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{"fullyQualifiedName": subject_line(&f.subject), "kind": "resource"}],
                }],
                "partialFingerprints": {"hullcheckFinding/v2": print},
                "properties": {"status": f.status.as_str(), "layer": f.layer, "path": f.location.path, "document": f.location.document},
            });
            if f.status == Status::Waived {
                let w = report.waivers.iter().find(|w| w.findings.iter().any(|c| *c.control_id == *f.control_id && c.subject == *f.subject && *c.file == *f.location.file));
                // An annotation on the object is a suppression in the source; a waivers file is
                // external to it.
                let kind = if w.is_some_and(|w| w.waiver.source.is_some()) { "inSource" } else { "external" };
                set(&mut r, "suppressions", json!([{
                    "kind": kind,
                    "status": "accepted",
                    "justification": w.map_or_else(|| "waived".to_owned(), |w| format!("{} ({})", w.waiver.justification, w.terms())),
                }]));
            }
            Some(r)
        })
        .collect();
    // Each document that could not be read is a notification at its location; so is an
    // evaluation that assessed nothing. Unread evidence means the run did not succeed.
    let mut notifications: Vec<Value> = report
        .documents
        .iter()
        .filter_map(|d| {
            let e = d.error.as_ref()?;
            let mut physical = json!({"artifactLocation": artifact(&d.file, &mut paths)});
            let line = e.line.unwrap_or(d.line);
            if line > 0 {
                set(&mut physical, "region", json!({"startLine": line}));
            }
            Some(json!({
                "level": "error",
                "message": {"text": format!("document {}: {}", d.index, e.message)},
                "descriptor": {"id": e.code},
                "locations": [{"physicalLocation": physical}],
                "properties": {"document": d.index, "path": d.path},
            }))
        })
        .collect();
    if report.summary.controls_assessed == 0 {
        notifications.push(json!({
            "level": "error",
            "message": {"text": report.summary.explanation()},
            "descriptor": {"id": "gate.not_assessed"},
        }));
    }
    let successful = report.summary.document_errors == 0 && report.summary.findings.error == 0;
    let mut invocation =
        json!({"executionSuccessful": successful, "endTimeUtc": report.evaluated_at});
    if !notifications.is_empty() {
        set(
            &mut invocation,
            "toolExecutionNotifications",
            Value::Array(notifications),
        );
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hullcheck",
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": rules,
            }},
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: match options.source_root.as_deref() {
                Some(root) => json!({"uri": format!("file://{}/", uri(root.trim_end_matches('/')))}),
                None => json!({"description": {"text": "The directory the evaluation ran in."}}),
            }},
            "automationDetails": {"id": format!("hullcheck/{}", report.catalog.version)},
            "results": results,
            "properties": {
                "catalog": report.catalog.digest,
                "result": report.summary.result.as_str(),
                "resultReason": report.summary.explanation(),
                "frameworks": report.frameworks.iter().map(|f| json!({
                    "id": f.framework_id,
                    "status": f.status.as_str(),
                    "requirements": f.requirement_count,
                    "pass": f.counts.pass,
                    "fail": f.counts.fail,
                    "notAssessed": f.counts.not_assessed,
                    "accounting": f.accounting,
                })).collect::<Vec<_>>(),
            },
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Sets `key` on a JSON object (no-op on other values).
fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_owned(), value);
    }
}
