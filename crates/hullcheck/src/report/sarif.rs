//! SARIF 2.1.0: one rule per control, results for failing, waived and erroring findings with
//! physical locations and stable fingerprints.

use serde_json::{json, Value};

use super::render::{fingerprint, subject_line};
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

/// Percent-encodes what may not appear in a URI reference.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b':'
            | b'@'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'=' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Renders SARIF 2.1.0.
pub fn render(report: &Report, catalog: &Catalog) -> String {
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
            json!({
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
            })
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
            let mut physical = json!({"artifactLocation": {"uri": uri(&f.location.file)}});
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
                "partialFingerprints": {"hullcheckFinding/v1": fingerprint(f)},
                "properties": {"status": f.status.as_str(), "layer": f.layer, "path": f.location.path, "document": f.location.document},
            });
            if f.status == Status::Waived {
                let w = report.waivers.iter().find(|w| w.findings.iter().any(|c| *c.control_id == *f.control_id && c.subject == *f.subject && *c.file == *f.location.file));
                set(&mut r, "suppressions", json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": w.map_or_else(|| "waived".to_owned(), |w| format!("{} (owner {}, until {})", w.waiver.justification, w.waiver.owner, w.waiver.expires)),
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
            let mut physical = json!({"artifactLocation": {"uri": uri(&d.file)}});
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
