//! Waivers files: glob subjects, audit fields, unknown controls refused, and errors that name
//! the field's path.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use hullcheck::report::Status;
use hullcheck::waivers::{WaiverState, WaiversFile};
use hullcheck::{Engine, NamedDocument, Options};

fn pod(ns: &str, name: &str, image: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  containers:\n  - name: app\n    image: {image}\n    securityContext: {{privileged: true}}\n")
}

fn evaluate(waivers: &str) -> hullcheck::Report {
    let docs = vec![
        NamedDocument {
            name: "a.yaml".into(),
            bytes: pod("team-a", "web-1", "registry.example.com/a/web:1").into_bytes(),
        },
        NamedDocument {
            name: "b.yaml".into(),
            bytes: pod("team-a", "worker", "registry.example.com/a/worker:1").into_bytes(),
        },
        NamedDocument {
            name: "c.yaml".into(),
            bytes: pod("team-b", "web-2", "docker.io/library/nginx:1").into_bytes(),
        },
    ];
    let options = Options {
        controls: vec!["RUN-003".into()],
        now: Some("2026-06-01T00:00:00Z".into()),
        waivers: WaiversFile::parse("w.yaml", waivers).unwrap().waivers,
        ..Options::default()
    };
    Engine::builtin()
        .unwrap()
        .evaluate_documents(&docs, &options)
        .unwrap()
}

fn waived(r: &hullcheck::Report) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.status == Status::Waived)
        .map(|f| f.subject.name.as_deref().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn subject_fields_are_globs() {
    let r = evaluate("waivers:\n- {control_id: RUN-003, subject: {namespace: team-*, name: 'web-?'}, justification: j, owner: o, expires: 2027-01-01}\n");
    assert_eq!(waived(&r), ["web-1", "web-2"]);
    let r = evaluate("waivers:\n- {control_id: RUN-003, subject: {image: 'registry.example.com/*'}, justification: j, owner: o, expires: 2027-01-01}\n");
    assert_eq!(waived(&r), ["web-1", "worker"]);
    let r = evaluate("waivers:\n- {control_id: RUN-003, subject: {name: '{web-2,worker}'}, justification: j, owner: o, expires: 2027-01-01}\n");
    assert_eq!(waived(&r), ["worker", "web-2"]);
    // A plain value matches itself only.
    let r = evaluate("waivers:\n- {control_id: RUN-003, subject: {name: web}, justification: j, owner: o, expires: 2027-01-01}\n");
    assert!(waived(&r).is_empty());
    assert_eq!(r.waivers[0].state, WaiverState::Unused);
}

#[test]
fn audit_fields_are_kept_in_the_report() {
    let r = evaluate("waivers:\n- {control_id: RUN-003, subject: {name: worker}, justification: j, owner: o, expires: 2027-01-01, ticket: RISK-7, approved_by: ciso@example.com}\n");
    let json = serde_json::to_value(&r.waivers[0]).unwrap();
    assert_eq!(json["ticket"], "RISK-7");
    assert_eq!(json["approved_by"], "ciso@example.com");
}

#[test]
fn errors_name_the_field_path() {
    let err = WaiversFile::parse("w.yaml", "waivers:\n- {control_id: RUN-003, subject: {nmae: x}, justification: j, owner: o, expires: 2027-01-01}\n").unwrap_err();
    assert!(
        err.to_string().contains("at `waivers[0].subject.nmae`"),
        "{err}"
    );
    let err = WaiversFile::parse("w.yaml", "waivers:\n- {control_id: RUN-003, justification: j, owner: o, expires: 2027-01-01, ticket: [1]}\n").unwrap_err();
    assert!(err.to_string().contains("at `waivers[0].ticket`"), "{err}");
    let err = WaiversFile::parse("w.yaml", "waivers:\n- {control_id: RUN-003, subject: {name: 'a{b'}, justification: j, owner: o, expires: 2027-01-01}\n").unwrap_err();
    assert!(
        err.to_string()
            .contains("`subject.name` value `a{b` is not a glob"),
        "{err}"
    );
}

#[test]
fn a_waiver_for_an_unknown_control_is_refused() {
    let waivers = WaiversFile::parse(
        "w.yaml",
        "waivers:\n- {control_id: RUN-0003, justification: j, owner: o, expires: 2027-01-01}\n",
    )
    .unwrap()
    .waivers;
    let options = Options {
        waivers,
        ..Options::default()
    };
    let err = Engine::builtin()
        .unwrap()
        .evaluate_documents(&[], &options)
        .unwrap_err();
    assert_eq!(err.code(), "options.unknown_waiver_control");
    assert!(
        err.to_string().contains("`RUN-0003`") && err.to_string().contains("RUN-003"),
        "{err}"
    );
}
