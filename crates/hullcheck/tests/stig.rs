//! The DISA Kubernetes STIG: its 92 rules as a framework with every rule accounted for, and
//! the STIG Viewer checklists (CKL and CKLB) whose statuses never claim more than was assessed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::path::Path;

use hullcheck::catalog::model::Coverage;
use hullcheck::report::{render_with, Format, RenderOptions};
use hullcheck::{Engine, NamedDocument, Options};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn options() -> Options {
    Options {
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    }
}

#[test]
fn every_rule_is_accounted_for_once_and_agrees_with_the_mappings() {
    let engine = Engine::builtin().unwrap();
    let c = engine.catalog();
    let fw = c.framework("disa-k8s-stig-v2r6").unwrap();
    assert_eq!(fw.requirements.len(), 92);
    assert!(fw.requirements.iter().all(|r| r.stig.is_some()));
    let a = c.accounting_of("disa-k8s-stig-v2r6").unwrap();
    assert_eq!(a.requirements.len(), 92);
    for r in &fw.requirements {
        let (status, _) = c.coverage(&fw.id, &r.id).unwrap();
        let mapped = c.controls.iter().any(|ctl| {
            ctl.mappings
                .get(&fw.id)
                .is_some_and(|ids| ids.contains(&r.id))
        });
        assert_eq!(
            mapped,
            matches!(status, Coverage::Automated | Coverage::Partial),
            "{}",
            r.id
        );
    }
    // A second status for a rule, or a status that disagrees with the mappings, is refused.
    let files: Vec<(String, String)> = hullcheck::catalog::builtin_files()
        .iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect();
    let with = |from: &str, to: &str| {
        files
            .iter()
            .map(|(p, t)| {
                let t = if p.starts_with("accounting/") {
                    t.replacen(from, to, 1)
                } else {
                    t.clone()
                };
                (p.clone(), t)
            })
            .collect::<Vec<_>>()
    };
    let e = hullcheck::Catalog::from_files(with("status: automated", "status: organisational"))
        .unwrap_err();
    assert_eq!(e.code(), "catalog.invalid");
    assert!(e.to_string().contains("a control maps to it"), "{e}");
    let e = hullcheck::Catalog::from_files(with("  - id: \"V-242377\"", "  - id: \"V-242376\""))
        .unwrap_err();
    assert!(e.to_string().contains("twice"), "{e}");
}

#[test]
fn checklists_take_their_statuses_from_the_controls_and_never_overclaim() {
    let engine = Engine::builtin().unwrap();
    let report = engine
        .evaluate_paths(&[root().join("examples/cluster")], &options())
        .unwrap();
    let target = RenderOptions {
        target: hullcheck::report::stig::Target {
            host_name: "prod-<cluster>&1".into(),
            role: "Member Server".into(),
            ..Default::default()
        },
        ..RenderOptions::default()
    };
    let cklb: serde_json::Value = serde_json::from_str(&render_with(
        &report,
        engine.catalog(),
        Format::Cklb,
        &target,
    ))
    .unwrap();
    assert_eq!(cklb["target_data"]["host_name"], "prod-<cluster>&1");
    let rules = cklb["stigs"][0]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 92);
    let status = |id: &str| -> String {
        rules.iter().find(|r| r["group_id"] == id).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let c = engine.catalog();
    for r in rules {
        let id = r["group_id"].as_str().unwrap();
        let (coverage, _) = c.coverage("disa-k8s-stig-v2r6", id).unwrap();
        let s = r["status"].as_str().unwrap();
        // Only rules controls cover in full can be not_a_finding.
        if s == "not_a_finding" {
            assert_eq!(coverage, Coverage::Automated, "{id}");
        }
        if matches!(coverage, Coverage::Attestation | Coverage::Organisational) {
            assert_eq!(s, "not_reviewed", "{id}");
        }
        if s == "open" {
            assert!(!r["finding_details"].as_str().unwrap().is_empty(), "{id}");
        }
    }
    // V-242437 (PodSecurityPolicy, removed from Kubernetes) does not apply.
    assert_eq!(status("V-242437"), "not_applicable");
    let ckl = render_with(&report, engine.catalog(), Format::Ckl, &target);
    assert_eq!(ckl.matches("<VULN>").count(), 92);
    assert!(ckl.contains("<ROLE>Member Server</ROLE>"));
    assert!(ckl.contains("<HOST_NAME>prod-&lt;cluster&gt;&amp;1</HOST_NAME>"));
    for r in rules {
        let id = r["group_id"].as_str().unwrap();
        let want = match r["status"].as_str().unwrap() {
            "not_a_finding" => "NotAFinding",
            "open" => "Open",
            "not_applicable" => "Not_Applicable",
            _ => "Not_Reviewed",
        };
        let at = ckl
            .find(&format!("<ATTRIBUTE_DATA>{id}</ATTRIBUTE_DATA>"))
            .unwrap();
        let status_at = at + ckl[at..].find("<STATUS>").unwrap();
        assert!(
            ckl[status_at..].starts_with(&format!("<STATUS>{want}</STATUS>")),
            "{id}"
        );
    }
}

#[test]
fn with_no_evidence_nothing_is_a_finding_or_compliant() {
    let engine = Engine::builtin().unwrap();
    let docs = [NamedDocument {
        name: "empty.yaml".into(),
        bytes: b"apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n".to_vec(),
    }];
    let report = engine.evaluate_documents(&docs, &options()).unwrap();
    let cklb: serde_json::Value = serde_json::from_str(&render_with(
        &report,
        engine.catalog(),
        Format::Cklb,
        &RenderOptions::default(),
    ))
    .unwrap();
    for r in cklb["stigs"][0]["rules"].as_array().unwrap() {
        let s = r["status"].as_str().unwrap();
        assert!(
            matches!(s, "not_reviewed" | "not_applicable"),
            "{}: {s}",
            r["group_id"]
        );
    }
}
