//! OSCAL Assessment Results 1.1.2 (JSON) that a GRC pipeline imports: metadata with parties and
//! roles, the assessment plan as a back-matter resource, `reviewed-controls` listing exactly the
//! requirements assessed for the selected framework, one finding per requirement, one risk per
//! failing control with its subjects' observations, and custom properties in the project's
//! namespace under the names compliance-to-policy reads (`assessment-rule-id`, `result`).
//!
//! 1.1.2 rather than 1.2: compliance-trestle, the consumer the tests parse with, models 1.1.2,
//! and the assessment-results model this renderer uses did not change in shape in 1.1.3.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::render::{subject_line, uuid, RenderOptions};
use super::{Report, Status};
use crate::catalog::Catalog;

/// The namespace of the project's custom properties (a URN: it names, it does not resolve).
pub const NS: &str = "urn:hullcheck:oscal";
/// The framework whose requirements are the findings when none is chosen.
pub const DEFAULT_FRAMEWORK: &str = "nist-800-53r5";

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

fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "ns": NS, "value": value})
}

/// Renders OSCAL Assessment Results.
pub fn render(report: &Report, catalog: &Catalog) -> String {
    render_with(report, catalog, &RenderOptions::default())
}

/// [`render`] with the assessor and the framework of the findings from `options`.
pub fn render_with(report: &Report, catalog: &Catalog, options: &RenderOptions) -> String {
    let run = [report.evaluated_at.as_str(), report.catalog.digest.as_str()];
    let framework_id = options
        .oscal_framework
        .as_deref()
        .unwrap_or(DEFAULT_FRAMEWORK);
    let mut observations = Vec::new();
    // Per control: its observations, and those of its failing subjects.
    let mut obs_for_control: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut failing_obs: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (i, f) in report.findings.iter().enumerate() {
        if matches!(f.status, Status::NotApplicable | Status::NotAssessed) {
            continue;
        }
        let idx = i.to_string();
        let obs = uuid(&["observation", run[0], run[1], &idx]);
        let who = subject_line(&f.subject);
        let subject = uuid(&["subject", &who, &f.location.file]);
        observations.push(json!({
            "uuid": obs,
            "title": format!("{} on {who}", f.control_id),
            "description": format!("{} ({})", f.message, f.status.as_str()),
            "props": [prop("assessment-rule-id", &f.control_id), prop("severity", &f.severity)],
            "methods": ["TEST"],
            "types": ["finding"],
            "subjects": [{
                "subject-uuid": subject,
                "type": "resource",
                "title": who,
                "props": [prop("result", f.status.as_str()), prop("reason", &f.message)],
            }],
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
            failing_obs.entry(&*f.control_id).or_default().push(obs);
        }
    }
    // One risk per failing control, its failing subjects as related observations.
    let mut risks = Vec::new();
    let mut risk_of: BTreeMap<&str, String> = BTreeMap::new();
    for (control_id, obs) in &failing_obs {
        let risk = uuid(&["risk", run[0], run[1], control_id]);
        let control = catalog.control(control_id);
        let severity = control.map_or("", |c| c.severity.as_str());
        risks.push(json!({
            "uuid": risk,
            "title": format!("{control_id}: {}", control.map_or("", |c| c.title.as_str())),
            "description": control.map_or_else(|| (*control_id).to_owned(), |c| c.rationale.clone()),
            "statement": format!("{} failing subject(s); remediation: {}", obs.len(), control.map_or("", |c| c.remediation.as_str())),
            "props": [prop("assessment-rule-id", control_id), prop("severity", severity)],
            "status": "open",
            "related-observations": obs.iter().map(|o| json!({"observation-uuid": o})).collect::<Vec<_>>(),
        }));
        risk_of.insert(control_id, risk);
    }
    // Evidence that could not be read is observed too: an assessor must see what was not judged.
    for (i, d) in report.documents.iter().enumerate() {
        let Some(e) = &d.error else { continue };
        let line = e.line.unwrap_or(d.line);
        observations.push(json!({
            "uuid": uuid(&["document-error", run[0], run[1], &i.to_string()]),
            "title": format!("unreadable evidence: {} document {}", d.file, d.index),
            "description": format!("{} [{}]. Nothing in this document was assessed.", e.message, e.code),
            "props": [prop("result", "error"), prop("error-code", &e.code)],
            "methods": ["TEST"],
            "types": ["finding"],
            "relevant-evidence": [{
                "href": format!("{}#L{line}", d.file),
                "description": format!("{} document {}", d.file, d.index),
            }],
            "collected": report.evaluated_at,
        }));
    }
    // One finding per requirement of the framework that was assessed (passed or failed).
    let mut findings = Vec::new();
    let mut reviewed = Vec::new();
    let fw = report
        .frameworks
        .iter()
        .find(|f| f.framework_id == framework_id);
    for r in fw.map(|f| f.requirements.as_slice()).unwrap_or_default() {
        let state = match r.status {
            Status::Pass => "satisfied",
            Status::Fail => "not-satisfied",
            _ => continue,
        };
        let target = token(framework_id, &r.requirement_id);
        reviewed.push(json!({"control-id": target}));
        let related_obs: Vec<Value> = r
            .controls
            .iter()
            .flat_map(|c| obs_for_control.get(&*c.control_id).into_iter().flatten())
            .map(|o| json!({"observation-uuid": o}))
            .collect();
        let related_risks: Vec<Value> = r
            .controls
            .iter()
            .filter_map(|c| risk_of.get(&*c.control_id))
            .map(|o| json!({"risk-uuid": o}))
            .collect();
        let controls: Vec<String> = r
            .controls
            .iter()
            .map(|c| format!("{} {}", c.control_id, c.status.as_str()))
            .collect();
        let mut finding = json!({
            "uuid": uuid(&["finding", run[0], run[1], framework_id, &r.requirement_id]),
            "title": format!("{} {}", r.requirement_id, r.title),
            "description": format!("Requirement {} is {} by the evaluated controls: {}.", r.requirement_id, state.replace('-', " "), controls.join(", ")),
            "props": [prop("framework", framework_id), prop("requirement", &r.requirement_id)],
            "target": {
                "type": "objective-id",
                "target-id": target,
                "status": {"state": state},
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
    let assessor = options.assessor.as_deref().unwrap_or("hullcheck");
    let assessor_uuid = uuid(&["party", assessor]);
    let plan = uuid(&["assessment-plan", run[0], run[1], framework_id]);
    let reviewed_controls = if reviewed.is_empty() {
        json!({"control-selections": [{"description": format!("No requirement of {framework_id} was assessed.")}]})
    } else {
        json!({"control-selections": [{"include-controls": reviewed}]})
    };
    let mut result = json!({
        "uuid": uuid(&["result", run[0], run[1]]),
        "title": "hullcheck automated assessment",
        "description": format!("Automated evaluation of {} evidence documents against catalog {}, reported against {framework_id}.", report.summary.documents, report.catalog.version),
        "start": report.evaluated_at,
        "end": report.evaluated_at,
        "props": result_props(report, framework_id),
        "reviewed-controls": reviewed_controls,
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
                "props": [prop("catalog-digest", report.catalog.digest.trim_start_matches("sha256:"))],
                "roles": [{"id": "assessor", "title": "Assessor"}],
                "parties": [{"uuid": assessor_uuid, "type": "organization", "name": assessor}],
                "responsible-parties": [{"role-id": "assessor", "party-uuids": [assessor_uuid]}],
            },
            "import-ap": {"href": format!("#{plan}")},
            "results": [result],
            "back-matter": {"resources": [{
                "uuid": plan,
                "title": "hullcheck assessment plan",
                "description": format!("The automated assessment hullcheck {} performed: every selected control of catalog {} ({}) evaluated against the evidence documents, with results reported against {framework_id}.", report.tool.version, report.catalog.version, report.catalog.digest),
                "props": [prop("framework", framework_id)],
            }]},
        }
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The result's properties: the overall result, the framework, and its accounting (what an
/// assessor must still collect).
fn result_props(report: &Report, framework_id: &str) -> Vec<Value> {
    let mut props = vec![
        prop("result", report.summary.result.as_str()),
        prop("framework", framework_id),
    ];
    if let Some(a) = report
        .frameworks
        .iter()
        .find(|f| f.framework_id == framework_id)
        .and_then(|f| f.accounting.as_ref())
    {
        for (name, n) in [
            ("requirements-automated", a.automated),
            ("requirements-partial", a.partial),
            ("requirements-attestation", a.attestation),
            ("requirements-not-applicable", a.not_applicable),
            ("requirements-organisational", a.organisational),
            ("requirements-to-collect", a.to_collect()),
        ] {
            props.push(prop(name, &n.to_string()));
        }
    }
    props
}

/// Sets `key` on a JSON object (no-op on other values).
fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_owned(), value);
    }
}
