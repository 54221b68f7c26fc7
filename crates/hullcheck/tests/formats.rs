//! Renderers, waivers, gating and diff on the example cluster.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::path::{Path, PathBuf};

use hullcheck::report::{diff, render, Format};
use hullcheck::waivers::{Waiver, WaiverState, WaiverSubject, WaiversFile};
use hullcheck::{Engine, Options, Report, Status};

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap())
}

fn cluster() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/cluster")
}

fn evaluate(waivers: Vec<Waiver>) -> Report {
    let options = Options {
        now: Some("2026-06-01T00:00:00Z".into()),
        waivers,
        ..Options::default()
    };
    engine().evaluate_paths(&[cluster()], &options).unwrap()
}

fn privileged_waiver(expires: &str) -> Waiver {
    Waiver {
        control_id: "RUN-003".into(),
        subject: WaiverSubject {
            kind: Some("Pod".into()),
            namespace: Some("platform".into()),
            name: Some("netshoot-debug".into()),
            ..Default::default()
        },
        justification: "break-glass debugging pod, removed by the next release".into(),
        owner: "platform@example.com".into(),
        expires: expires.into(),
        ticket: Some("CHG-1042".into()),
        approved_by: None,
        source: None,
    }
}

#[test]
fn sarif_has_a_rule_per_control_and_located_fingerprinted_results() {
    let report = evaluate(vec![privileged_waiver("2026-12-31")]);
    let sarif: serde_json::Value =
        serde_json::from_str(&render(&report, engine().catalog(), Format::Sarif)).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), report.controls.len());
    let rule = rules.iter().find(|r| r["id"] == "RUN-003").unwrap();
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    assert_eq!(rule["properties"]["security-severity"], "9.5");
    assert!(rule["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "layer:runtime"));
    assert!(rule["help"]["text"].as_str().unwrap().contains("Fix:"));
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        report
            .findings
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Waived | Status::Error))
            .count()
    );
    for r in results {
        let phys = &r["locations"][0]["physicalLocation"];
        assert!(phys["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .contains("examples/cluster"));
        assert!(phys["region"]["startLine"].as_u64().unwrap() >= 1, "{r}");
        assert_eq!(
            r["partialFingerprints"]["hullcheckFinding/v2"]
                .as_str()
                .unwrap()
                .len(),
            32
        );
    }
    let waived = results
        .iter()
        .find(|r| r["ruleId"] == "RUN-003" && r["suppressions"].is_array())
        .unwrap();
    assert!(waived["suppressions"][0]["justification"]
        .as_str()
        .unwrap()
        .contains("break-glass"));
    // Fingerprints do not depend on the line, so they survive edits above a finding.
    let again: serde_json::Value = serde_json::from_str(&render(
        &evaluate(vec![]),
        engine().catalog(),
        Format::Sarif,
    ))
    .unwrap();
    let fps = |v: &serde_json::Value| {
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["hullcheckFinding/v2"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(fps(&sarif), fps(&again));
}

#[test]
fn oscal_junit_markdown_and_html_carry_the_results() {
    let report = evaluate(vec![privileged_waiver("2026-01-01")]);
    let cat = engine().catalog();
    let oscal: serde_json::Value =
        serde_json::from_str(&render(&report, cat, Format::Oscal)).unwrap();
    let ar = &oscal["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], "1.1.2");
    let result = &ar["results"][0];
    assert!(result["observations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["collected"] == "2026-06-01T00:00:00Z"));
    let findings = result["findings"].as_array().unwrap();
    assert!(findings
        .iter()
        .any(|f| f["target"]["target-id"] == "ac-6.10"
            && f["target"]["status"]["state"] == "not-satisfied"));
    // One finding per assessed requirement of the selected framework (800-53 by default), and
    // reviewed-controls lists exactly those requirements.
    let fw = report
        .frameworks
        .iter()
        .find(|f| f.framework_id == "nist-800-53r5")
        .unwrap();
    let assessed = fw
        .requirements
        .iter()
        .filter(|r| matches!(r.status.as_str(), "pass" | "fail"))
        .count();
    assert_eq!(findings.len(), assessed);
    let reviewed = result["reviewed-controls"]["control-selections"][0]["include-controls"]
        .as_array()
        .unwrap();
    assert_eq!(reviewed.len(), assessed);
    // One risk per failing control, its failing subjects as related observations.
    let failing_controls: std::collections::BTreeSet<&str> = report
        .findings
        .iter()
        .filter(|f| f.status.as_str() == "fail")
        .map(|f| &*f.control_id)
        .collect();
    let risks = result["risks"].as_array().unwrap();
    assert_eq!(risks.len(), failing_controls.len());
    let related: usize = risks
        .iter()
        .map(|r| r["related-observations"].as_array().unwrap().len())
        .sum();
    assert_eq!(related, report.summary.findings.fail);
    // The plan reference resolves to a back-matter resource; parties and roles are there; every
    // custom property is in the project's namespace.
    let href = ar["import-ap"]["href"].as_str().unwrap();
    assert_eq!(
        format!(
            "#{}",
            ar["back-matter"]["resources"][0]["uuid"].as_str().unwrap()
        ),
        href
    );
    assert_eq!(ar["metadata"]["roles"][0]["id"], "assessor");
    assert_eq!(ar["metadata"]["parties"][0]["name"], "hullcheck");
    let text = serde_json::to_string(&oscal).unwrap();
    assert_eq!(
        text.matches("\"ns\":\"urn:hullcheck:oscal\"").count(),
        text.matches("\"name\":").count() - 1,
        "every prop has the namespace (the party name aside)"
    );
    let rule_ids = result["observations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["props"][0]["name"] == "assessment-rule-id")
        .count();
    assert!(rule_ids > 0);
    // Another framework and assessor on request; an unknown framework is refused.
    let opts = hullcheck::report::RenderOptions {
        oscal_framework: Some("hipaa-security-rule".into()),
        assessor: Some("Example 3PAO".into()),
        ..Default::default()
    };
    let hipaa: serde_json::Value = serde_json::from_str(&hullcheck::report::render_with(
        &report,
        cat,
        Format::Oscal,
        &opts,
    ))
    .unwrap();
    let r0 = &hipaa["assessment-results"]["results"][0];
    assert!(r0["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["target"]["target-id"]
            .as_str()
            .unwrap()
            .starts_with("hipaa-security-rule_")));
    assert_eq!(
        hipaa["assessment-results"]["metadata"]["parties"][0]["name"],
        "Example 3PAO"
    );
    let bad = hullcheck::report::RenderOptions {
        oscal_framework: Some("soc-2".into()),
        ..Default::default()
    };
    assert_eq!(
        bad.check(cat).unwrap_err().code(),
        "options.unknown_framework"
    );
    let junit = render(&report, cat, Format::Junit);
    assert!(junit.starts_with("<?xml"));
    assert_eq!(junit.matches("<testsuite ").count(), 6);
    assert_eq!(
        junit.matches("<failure ").count(),
        report.summary.findings.fail
    );
    assert!(junit.contains("classname=\"runtime.RUN-003\""));
    let md = render(&report, cat, Format::Markdown);
    assert!(md.contains("| Framework | Status |") && md.contains("### Critical"));
    assert!(md.contains("(examples/") || md.contains("/examples/cluster/"));
    assert!(md.contains("#L15"));
    assert!(md.contains("Waivers needing attention") && md.contains("expired"));
    let html = render(&report, cat, Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for remote in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "@import",
        "url(http",
    ] {
        assert!(!html.contains(remote), "remote resource: {remote}");
    }
    assert!(!html.contains("__DATA__") && !html.contains("__JS__"));
    // Complete without the script: the failing findings and the framework rows are in the page.
    assert_eq!(
        html.matches("<tr class=\"finding\"").count(),
        report.summary.findings.fail
    );
    assert_eq!(
        html.matches("data-framework=\"").count(),
        report.frameworks.len()
    );
    assert!(html.contains("id=\"scope-section\""));
}

#[test]
fn waivers_apply_expire_and_go_unused() {
    let live = evaluate(vec![privileged_waiver("2026-12-31T00:00:00Z")]);
    let f = live
        .findings
        .iter()
        .find(|f| {
            &*f.control_id == "RUN-003" && f.subject.name.as_deref() == Some("netshoot-debug")
        })
        .unwrap();
    assert_eq!(f.status, Status::Waived);
    assert!(
        f.message.contains("privileged=true"),
        "the original message is kept"
    );
    assert_eq!(live.waivers[0].state, WaiverState::Applied);
    assert_eq!(live.waivers[0].findings.len(), 1);
    assert_eq!(
        live.controls
            .iter()
            .find(|c| c.control_id == "RUN-003")
            .unwrap()
            .status,
        Status::Waived
    );
    let expired = evaluate(vec![privileged_waiver("2026-05-31")]);
    assert!(expired
        .findings
        .iter()
        .any(|f| &*f.control_id == "RUN-003" && f.status == Status::Fail));
    assert_eq!(expired.waivers[0].state, WaiverState::Expired);
    assert_eq!(expired.waivers[0].findings.len(), 1);
    let mut other = privileged_waiver("2026-12-31");
    other.subject.name = Some("no-such-pod".into());
    assert_eq!(evaluate(vec![other]).waivers[0].state, WaiverState::Unused);
    assert!(render(&expired, engine().catalog(), Format::Text).contains("EXPIRED RUN-003"));
}

#[test]
fn waiver_files_name_missing_fields() {
    let err = WaiversFile::parse(
        "w.yaml",
        "waivers:\n  - control_id: RUN-003\n    owner: me\n    expires: 2026-12-31\n",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("waiver 0 has no `justification`"),
        "{err}"
    );
    let err = WaiversFile::parse("w.yaml", "waivers:\n  - control_id: RUN-003\n    justification: j\n    owner: me\n    expires: soon\n").unwrap_err();
    assert!(err.to_string().contains("`expires`"), "{err}");
    let err = WaiversFile::parse("w.yaml", "waivers:\n  - control_id: RUN-003\n    justification: j\n    owner: me\n    expires: 2026-12-31\n    why: x\n").unwrap_err();
    assert!(err.to_string().contains("unknown field"), "{err}");
    assert_eq!(err.code(), "options.waivers");
    assert!(WaiversFile::parse("w.json", r#"{"waivers": [{"control_id": "RUN-003", "justification": "j", "owner": "o", "expires": "2026-12-31T12:00:00Z"}]}"#).is_ok());
}

fn gate_fails(r: &hullcheck::Report, fail_on: &str, frameworks: &[String]) -> bool {
    !r.gate(&hullcheck::report::Gate {
        fail_on: fail_on.to_owned(),
        frameworks: frameworks.to_vec(),
        ..Default::default()
    })
    .unwrap()
    .passed
}

#[test]
fn gating_follows_severity_thresholds_and_frameworks() {
    let report = evaluate(vec![]);
    assert!(gate_fails(&report, "low", &[]));
    assert!(gate_fails(&report, "critical", &[]));
    assert!(!gate_fails(&report, "never", &[]));
    assert!(gate_fails(&report, "never", &["pci-dss-4.0.1".into()]));
    // Only a medium failure left: critical and high gates pass, medium fails.
    let docs = [hullcheck::NamedDocument { name: "p.yaml".into(), bytes: b"apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: [{name: c, image: x, ports: [{containerPort: 80, hostPort: 80}]}]\n".to_vec() }];
    let r = engine()
        .evaluate_documents(
            &docs,
            &Options {
                controls: vec!["RUN-007".into()],
                ..Options::default()
            },
        )
        .unwrap();
    assert!(!gate_fails(&r, "critical", &[]) && !gate_fails(&r, "high", &[]));
    assert!(gate_fails(&r, "medium", &[]) && gate_fails(&r, "low", &[]));
}

#[test]
fn diff_reports_introduced_and_fixed_failures() {
    let before = evaluate(vec![]);
    let mut after = before.clone();
    let fixed = after
        .findings
        .iter()
        .position(|f| f.status == Status::Fail)
        .unwrap();
    after.findings[fixed].status = Status::Pass;
    let introduced = after
        .findings
        .iter()
        .position(|f| f.status == Status::Pass && &*f.control_id == "RUN-003")
        .unwrap();
    after.findings[introduced].status = Status::Fail;
    after.frameworks[0].requirements[0].status = Status::NotAssessed;
    let d = diff::diff(&before, &after);
    assert_eq!(d.new_failures.len(), 1);
    assert_eq!(d.fixed.len(), 1);
    assert!(d.has_new_failures());
    assert!(!d.requirement_changes.is_empty());
    assert!(diff::render(&d, "text").contains("new failures: 1"));
    assert!(diff::render(&d, "markdown").contains("### New failures"));
    let v: serde_json::Value = serde_json::from_str(&diff::render(&d, "json")).unwrap();
    assert_eq!(v["new_failures"].as_array().unwrap().len(), 1);
    assert!(!diff::diff(&before, &before).has_new_failures());
}

#[test]
fn junit_case_names_are_unique_carry_the_file_and_times() {
    let report = evaluate(vec![]);
    let xml = render(&report, engine().catalog(), Format::Junit);
    let names: Vec<&str> = xml
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("<testcase name=\""))
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert!(names.len() > 100);
    let unique: std::collections::BTreeSet<&&str> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "every test-case name is unique");
    assert!(names
        .iter()
        .all(|n| n.contains(" @ ") || n.ends_with("(no evidence)")));
    assert!(names.iter().any(|n| n.contains("examples/cluster/")));
    assert!(xml
        .lines()
        .filter(|l| l.trim_start().starts_with("<testcase "))
        .all(|l| l.contains("time=\"0.000\"")));
}
