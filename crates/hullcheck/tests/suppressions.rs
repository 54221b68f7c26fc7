//! Inline suppressions: hullcheck's `hullcheck.dev/waive.<ID>` annotations with a waiver's
//! lifecycle, and checkov, kube-linter and Polaris annotations through the ID crosswalk.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::collections::BTreeSet;

use hullcheck::report::Status;
use hullcheck::suppressions::crosswalk::{self, Match};
use hullcheck::waivers::WaiverState;
use hullcheck::{Engine, NamedDocument, Options, Report};

fn pod(name: &str, annotations: &str) -> NamedDocument {
    NamedDocument {
        name: format!("{name}.yaml"),
        bytes: format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: shop\n  annotations:\n{annotations}spec:\n  containers:\n  - name: app\n    image: registry.example.com/app:latest\n    securityContext: {{privileged: true}}\n  - name: side\n    image: registry.example.com/side:latest\n    securityContext: {{privileged: true}}\n").into_bytes(),
    }
}

fn evaluate(docs: &[NamedDocument], strict: bool) -> Report {
    let options = Options {
        controls: vec!["RUN-003".into(), "REG-004".into(), "RUN-004".into()],
        now: Some("2026-06-01T00:00:00Z".into()),
        no_annotation_waivers: strict,
        ..Options::default()
    };
    Engine::builtin()
        .unwrap()
        .evaluate_documents(docs, &options)
        .unwrap()
}

fn statuses(r: &Report, pod: &str, control: &str) -> Vec<(String, Status)> {
    r.findings
        .iter()
        .filter(|f| f.subject.name.as_deref() == Some(pod) && &*f.control_id == control)
        .map(|f| {
            (
                f.subject.container.as_deref().unwrap_or("").to_owned(),
                f.status,
            )
        })
        .collect()
}

#[test]
fn hullcheck_annotations_waive_one_control_with_a_lifecycle() {
    let docs = [
        pod("live", "    hullcheck.dev/waive.RUN-003: \"{justification: break-glass debugging, owner: sre@example.com, expires: 2026-12-31, ticket: INC-9}\"\n"),
        pod("narrow", "    hullcheck.dev/waive.RUN-003: \"{justification: j, owner: o, expires: 2026-12-31, container: side}\"\n"),
        pod("expired", "    hullcheck.dev/waive.RUN-003: \"{justification: j, owner: o, expires: 2026-01-01}\"\n"),
        pod("invalid", "    hullcheck.dev/waive.RUN-003: \"{justification: j, expires: 2026-12-31}\"\n    hullcheck.dev/waive.RUN-0003: \"{justification: j, owner: o, expires: 2026-12-31}\"\n"),
    ];
    let r = evaluate(&docs, false);
    assert_eq!(
        statuses(&r, "live", "RUN-003"),
        [
            ("app".into(), Status::Waived),
            ("side".into(), Status::Waived)
        ]
    );
    assert_eq!(
        statuses(&r, "live", "REG-004")
            .iter()
            .filter(|(_, s)| *s == Status::Fail)
            .count(),
        2,
        "only the named control"
    );
    assert_eq!(
        statuses(&r, "narrow", "RUN-003"),
        [
            ("app".into(), Status::Fail),
            ("side".into(), Status::Waived)
        ]
    );
    assert!(statuses(&r, "expired", "RUN-003")
        .iter()
        .all(|(_, s)| *s == Status::Fail));
    assert!(statuses(&r, "invalid", "RUN-003")
        .iter()
        .all(|(_, s)| *s == Status::Fail));
    let state = |key_part: &str| {
        r.waivers
            .iter()
            .filter(|w| {
                w.waiver
                    .source
                    .as_ref()
                    .is_some_and(|s| s.file.contains(key_part))
            })
            .map(|w| (w.state, w.problem.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    assert_eq!(state("live")[0].0, WaiverState::Applied);
    assert_eq!(state("expired")[0].0, WaiverState::Expired);
    let invalid = state("invalid");
    assert!(
        invalid
            .iter()
            .any(|(s, p)| *s == WaiverState::Invalid && p == "no `owner`"),
        "{invalid:?}"
    );
    assert!(
        invalid.iter().any(|(s, p)| *s == WaiverState::Invalid
            && p.contains("unknown control `RUN-0003`")
            && p.contains("RUN-003")),
        "{invalid:?}"
    );
    let live = r
        .waivers
        .iter()
        .find(|w| {
            w.waiver
                .source
                .as_ref()
                .is_some_and(|s| s.file == "live.yaml")
        })
        .unwrap();
    assert_eq!(live.waiver.ticket.as_deref(), Some("INC-9"));
    assert_eq!(live.waiver.source.as_ref().unwrap().line, 7);
    // Strict audits apply none of them.
    let strict = evaluate(&docs, true);
    assert!(strict.findings.iter().all(|f| f.status != Status::Waived));
    assert!(strict.waivers.is_empty());
}

#[test]
fn foreign_annotations_apply_only_through_an_exact_crosswalk_row() {
    let docs = [
        pod("checkov", "    checkov.io/skip1: CKV_K8S_16=debug pod, privileged on purpose\n    checkov.io/skip2: CKV_K8S_39\n    checkov.io/skip3: CKV_K8S_9999=nothing\n"),
        pod("kubelinter", "    ignore-check.kube-linter.io/latest-tag: \"pinned by the release job\"\n"),
        pod("polaris", "    polaris.fairwinds.com/runAsPrivileged-exempt: \"true\"\n    polaris.fairwinds.com/tagNotSpecified-exempt: \"false\"\n"),
    ];
    let r = evaluate(&docs, false);
    assert!(statuses(&r, "checkov", "RUN-003")
        .iter()
        .all(|(_, s)| *s == Status::Waived));
    assert!(statuses(&r, "kubelinter", "REG-004")
        .iter()
        .all(|(_, s)| *s == Status::Waived));
    assert!(statuses(&r, "kubelinter", "RUN-003")
        .iter()
        .all(|(_, s)| *s == Status::Fail));
    assert!(statuses(&r, "polaris", "RUN-003")
        .iter()
        .all(|(_, s)| *s == Status::Waived));
    assert!(
        statuses(&r, "polaris", "REG-004")
            .iter()
            .all(|(_, s)| *s == Status::Fail),
        "`false` exempts nothing"
    );
    let by_check = |check: &str| {
        r.waivers
            .iter()
            .find(|w| w.waiver.source.as_ref().and_then(|s| s.check.as_deref()) == Some(check))
            .unwrap()
    };
    let applied = by_check("CKV_K8S_16");
    assert_eq!(applied.state, WaiverState::Applied);
    assert_eq!(
        applied.waiver.justification,
        "debug pod, privileged on purpose"
    );
    assert_eq!(applied.waiver.expires, "", "no expiry of its own");
    assert_eq!(
        applied.waiver.source.as_ref().unwrap().kind,
        "foreign-annotation"
    );
    let partial = by_check("CKV_K8S_39");
    assert_eq!(partial.state, WaiverState::NotApplied);
    assert!(partial
        .problem
        .as_deref()
        .unwrap()
        .contains("covers only part of RUN-004"));
    let unknown = by_check("CKV_K8S_9999");
    assert_eq!(unknown.state, WaiverState::NotApplied);
    assert!(unknown
        .problem
        .as_deref()
        .unwrap()
        .contains("no hullcheck control corresponds"));
}

#[test]
fn a_waivers_file_cannot_claim_to_be_an_annotation() {
    let text = "waivers:\n- {control_id: RUN-003, justification: j, owner: o, expires: 2027-01-01, source: {kind: foreign-annotation, annotation: x, file: f, line: 1}}\n";
    let err = hullcheck::waivers::WaiversFile::parse("w.yaml", text).unwrap_err();
    assert!(
        err.to_string().contains("`source` is set by hullcheck"),
        "{err}"
    );
}

#[test]
fn the_crosswalk_names_real_controls_once_each() {
    let rows = crosswalk::parse(crosswalk::TEXT).unwrap();
    assert_eq!(rows.len(), crosswalk::rows().len());
    let engine = Engine::builtin().unwrap();
    let mut seen = BTreeSet::new();
    for r in &rows {
        assert!(engine.catalog().control(&r.control).is_some(), "{r:?}");
        assert!(
            ["checkov", "kube-linter", "polaris"].contains(&r.tool.as_str()),
            "{r:?}"
        );
        assert!(
            seen.insert((r.tool.clone(), r.check.clone(), r.control.clone())),
            "duplicate {r:?}"
        );
        match r.tool.as_str() {
            "checkov" => assert!(r.check.starts_with("CKV_K8S_"), "{r:?}"),
            "kube-linter" => assert!(
                r.check
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{r:?}"
            ),
            _ => assert!(r.check.chars().all(|c| c.is_ascii_alphanumeric()), "{r:?}"),
        }
    }
    let exact = rows.iter().filter(|r| r.matches == Match::Exact).count();
    assert!(exact >= 40, "{exact} exact rows");
}

#[test]
fn docs_suppressions_md_lists_the_crosswalk() {
    const MARKER: &str = "<!-- crosswalk table: generated";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/suppressions.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let head = &doc[..doc.find(MARKER).unwrap()];
    let marker_line = doc[head.len()..].lines().next().unwrap();
    let mut table = String::from(
        "\n| tool | check | control | match | the other check tests |\n|---|---|---|---|---|\n",
    );
    for r in crosswalk::rows() {
        let m = if r.matches == Match::Exact {
            "exact"
        } else {
            "partial"
        };
        table.push_str(&format!(
            "| {} | `{}` | {} | {m} | {} |\n",
            r.tool,
            r.check,
            r.control,
            r.about.replace('|', "\\|")
        ));
    }
    let fresh = format!("{head}{marker_line}\n{table}");
    if std::env::var_os("HULLCHECK_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    assert_eq!(
        doc, fresh,
        "docs/suppressions.md is stale: run with HULLCHECK_BLESS=1"
    );
}
