//! OSCAL Assessment Results 1.1.2 (JSON): observations carry the evidence, findings target each
//! framework requirement as satisfied or not, and every failure is a risk.

use serde_json::{json, Value};

use super::render::{subject_line, uuid};
use super::{Report, Status};
use crate::catalog::Catalog;

/// OSCAL identifiers are tokens: a letter first, then letters, digits, `.`, `-` and `_`.
fn token(framework: &str, requirement: &str) -> String {
    let req: String = requirement
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect();
    let req = req.trim_matches('.').replace("..", ".");
    match framework {
        // 800-53 and the FedRAMP baselines use the catalog's own control ids (`ac-6.10`).
        "nist-800-53r5" | "fedramp-r5-low" | "fedramp-r5-moderate" | "fedramp-r5-high" => req,
        fw => format!("{fw}_{req}"),
    }
}

/// Renders OSCAL Assessment Results.
pub fn render(report: &Report, catalog: &Catalog) -> String {
    let run = [report.evaluated_at.as_str(), report.catalog.digest.as_str()];
    let mut observations = Vec::new();
    let mut risks = Vec::new();
    let mut obs_for_control: std::collections::BTreeMap<&str, Vec<String>> =
        std::collections::BTreeMap::new();
    let mut risk_for_control: std::collections::BTreeMap<&str, Vec<String>> =
        std::collections::BTreeMap::new();
    for (i, f) in report.findings.iter().enumerate() {
        if matches!(f.status, Status::NotApplicable | Status::NotAssessed) {
            continue;
        }
        let idx = i.to_string();
        let obs = uuid(&["observation", run[0], run[1], &idx]);
        let subject = uuid(&["subject", &subject_line(&f.subject), &f.location.file]);
        observations.push(json!({
            "uuid": obs,
            "title": format!("{} on {}", f.control_id, subject_line(&f.subject)),
            "description": format!("{} ({})", f.message, f.status.as_str()),
            "methods": ["TEST"],
            "types": ["finding"],
            "subjects": [{"subject-uuid": subject, "type": "resource", "title": subject_line(&f.subject)}],
            "relevant-evidence": [{
                "href": format!("{}#L{}", f.location.file, f.location.line),
                "description": format!("{} document {}, {}", f.location.file, f.location.document, if f.location.path.is_empty() { "/" } else { &f.location.path }),
            }],
            "collected": report.evaluated_at,
        }));
        obs_for_control
            .entry(&*f.control_id)
            .or_default()
            .push(obs.clone());
        if f.status == Status::Fail {
            let risk = uuid(&["risk", run[0], run[1], &idx]);
            let control = catalog.control(&f.control_id);
            risks.push(json!({
                "uuid": risk,
                "title": format!("{}: {}", f.control_id, control.map_or("", |c| c.title.as_str())),
                "description": control.map_or_else(|| f.message.to_string(), |c| c.rationale.clone()),
                "statement": format!("{} {}", subject_line(&f.subject), f.message),
                "status": "open",
                "props": [{"name": "severity", "value": f.severity}],
                "related-observations": [{"observation-uuid": obs}],
            }));
            risk_for_control
                .entry(&*f.control_id)
                .or_default()
                .push(risk);
        }
    }
    // Evidence that could not be read is observed too: an assessor must see what was not judged.
    for (i, d) in report.documents.iter().enumerate() {
        let Some(e) = &d.error else { continue };
        let line = e.line.unwrap_or(d.line);
        observations.push(json!({
            "uuid": uuid(&["document-error", run[0], run[1], &i.to_string()]),
            "title": format!("unreadable evidence: {} document {}", d.file, d.index),
            "description": format!("{} [{}]. Nothing in this document was assessed.", e.message, e.code),
            "methods": ["TEST"],
            "types": ["finding"],
            "relevant-evidence": [{
                "href": format!("{}#L{line}", d.file),
                "description": format!("{} document {}", d.file, d.index),
            }],
            "collected": report.evaluated_at,
        }));
    }
    let mut findings = Vec::new();
    for fw in &report.frameworks {
        for r in &fw.requirements {
            let state = match r.status {
                Status::Pass => "satisfied",
                Status::Fail => "not-satisfied",
                _ => continue,
            };
            let related_obs: Vec<Value> = r
                .controls
                .iter()
                .flat_map(|c| obs_for_control.get(&*c.control_id).into_iter().flatten())
                .map(|o| json!({"observation-uuid": o}))
                .collect();
            let related_risks: Vec<Value> = r
                .controls
                .iter()
                .flat_map(|c| risk_for_control.get(&*c.control_id).into_iter().flatten())
                .map(|o| json!({"risk-uuid": o}))
                .collect();
            let controls: Vec<String> = r
                .controls
                .iter()
                .map(|c| format!("{} {}", c.control_id, c.status.as_str()))
                .collect();
            let mut finding = json!({
                "uuid": uuid(&["finding", run[0], run[1], &fw.framework_id, &r.requirement_id]),
                "title": format!("{} {} {}", fw.framework_id, r.requirement_id, r.title),
                "description": format!("Requirement {} of {} is {} by the evaluated controls: {}.", r.requirement_id, fw.title, state.replace('-', " "), controls.join(", ")),
                "target": {
                    "type": "objective-id",
                    "target-id": token(&fw.framework_id, &r.requirement_id),
                    "status": {"state": state},
                    "props": [{"name": "framework", "value": fw.framework_id}, {"name": "requirement", "value": r.requirement_id}],
                },
            });
            if !related_obs.is_empty() {
                set(
                    &mut finding,
                    "related-observations",
                    Value::Array(related_obs),
                );
            }
            if !related_risks.is_empty() {
                set(&mut finding, "related-risks", Value::Array(related_risks));
            }
            findings.push(finding);
        }
    }
    let mut result = json!({
        "uuid": uuid(&["result", run[0], run[1]]),
        "title": "hullcheck automated assessment",
        "description": format!("Automated evaluation of {} evidence documents against catalog {}.", report.summary.documents, report.catalog.version),
        "start": report.evaluated_at,
        "end": report.evaluated_at,
        "reviewed-controls": {"control-selections": [{"include-all": {}}]},
        "remarks": format!("Result: {} ({}). {} documents read as evidence, {} skipped as not evidence, {} unreadable; {} of {} controls assessed.",
            report.summary.result.as_str(), report.summary.explanation(), report.summary.documents_read, report.summary.documents_skipped,
            report.summary.document_errors, report.summary.controls_assessed, report.controls.len()),
    });
    if !observations.is_empty() {
        set(&mut result, "observations", Value::Array(observations));
    }
    if !findings.is_empty() {
        set(&mut result, "findings", Value::Array(findings));
    }
    if !risks.is_empty() {
        set(&mut result, "risks", Value::Array(risks));
    }
    let doc = json!({
        "assessment-results": {
            "uuid": uuid(&["assessment-results", run[0], run[1]]),
            "metadata": {
                "title": "hullcheck assessment results",
                "last-modified": report.evaluated_at,
                "version": report.catalog.version,
                "oscal-version": "1.1.2",
                "props": [{"name": "catalog-digest", "value": report.catalog.digest.trim_start_matches("sha256:")}],
            },
            "import-ap": {"href": "#hullcheck-assessment-plan"},
            "results": [result],
        }
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
