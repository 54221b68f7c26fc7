//! Evidence reading: broken and hostile documents become located errors, the rest is evaluated.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use hullcheck::{Engine, NamedDocument, Options, Report, Status};
use proptest::prelude::*;

const GOOD_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\n  namespace: ns\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n";

fn doc(name: &str, bytes: &[u8]) -> NamedDocument {
    NamedDocument {
        name: name.to_owned(),
        bytes: bytes.to_vec(),
    }
}

fn evaluate(docs: &[NamedDocument]) -> Report {
    let options = Options {
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    };
    engine().evaluate_documents(docs, &options).unwrap()
}

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap())
}

fn error_of<'a>(report: &'a Report, file: &str) -> &'a hullcheck::report::DocumentError {
    report
        .documents
        .iter()
        .find(|d| d.file == file && d.error.is_some())
        .and_then(|d| d.error.as_ref())
        .unwrap_or_else(|| panic!("no error for {file}: {:#?}", report.documents))
}

#[test]
fn broken_documents_are_located_and_the_valid_pod_is_still_evaluated() {
    let wrong_types = "apiVersion: v1\nkind: Pod\nmetadata: {name: typed}\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      privileged: \"yes\"\n";
    let report = evaluate(&[
        doc(
            "malformed.yaml",
            b"apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n",
        ),
        doc("binary.yaml", b"apiVersion: v1\n\xff\xfe\x00garbage"),
        doc("notes.yaml", b"title: meeting notes\nattendees: [a, b]\n"),
        doc("wrong-types.yaml", wrong_types.as_bytes()),
        doc("good.yaml", GOOD_POD.as_bytes()),
    ]);
    let e = error_of(&report, "malformed.yaml");
    assert_eq!(e.code, "evidence.syntax");
    assert!(e.line.is_some());
    let e = error_of(&report, "binary.yaml");
    assert_eq!(e.code, "evidence.encoding.utf8");
    assert_eq!(e.line, Some(2));
    // A mapping that is no evidence is skipped with a reason, not an error.
    let notes = report
        .documents
        .iter()
        .find(|d| d.file == "notes.yaml")
        .unwrap();
    assert!(notes.error.is_none());
    assert_eq!(
        notes.skipped.as_ref().map(|s| s.code.as_str()),
        Some("skipped.not_evidence")
    );
    let e = error_of(&report, "wrong-types.yaml");
    assert_eq!(e.code, "evidence.kubernetes.wrong_type");
    assert_eq!(e.line, Some(9));
    assert_eq!(
        e.path.as_deref(),
        Some("/spec/containers/0/securityContext/privileged")
    );
    assert!(
        e.message.contains("must be a boolean, found string"),
        "{}",
        e.message
    );
    // The wrongly typed pod is reported as an error finding, never as a pass.
    assert!(report
        .findings
        .iter()
        .filter(|f| &*f.location.file == "wrong-types.yaml")
        .all(|f| f.status == Status::Error));
    let good: Vec<_> = report
        .findings
        .iter()
        .filter(|f| &*f.location.file == "good.yaml")
        .collect();
    assert!(good
        .iter()
        .any(|f| &*f.control_id == "RUN-003" && f.status == Status::Fail && f.location.line == 11));
}

#[test]
fn yaml_11_values_are_read_as_kubectl_reads_them() {
    let pod = GOOD_POD.replace("privileged: true", "privileged: on");
    let report = evaluate(&[doc("p.yaml", pod.as_bytes())]);
    assert!(report
        .findings
        .iter()
        .any(|f| &*f.control_id == "RUN-003" && f.status == Status::Fail));
}

#[test]
fn lists_are_expanded_with_item_pointers() {
    let list = format!(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: cm}}\n- {}",
        serde_json::to_string(&serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "x", "securityContext": {"privileged": true}}]}}))
        .unwrap()
    );
    let report = evaluate(&[doc("list.yaml", list.as_bytes())]);
    let kinds: Vec<_> = report
        .documents
        .iter()
        .map(|d| (&*d.path, d.kind.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [("/items/0", Some("ConfigMap")), ("/items/1", Some("Pod"))]
    );
    let f = report
        .findings
        .iter()
        .find(|f| &*f.control_id == "RUN-003")
        .unwrap();
    assert_eq!(
        &*f.location.path,
        "/items/1/spec/containers/0/securityContext/privileged"
    );
    assert_eq!(f.subject.container.as_deref(), Some("c"));
    assert_eq!(f.subject.image.as_deref(), Some("x"));
}

#[test]
fn every_workload_kind_yields_its_pod_spec() {
    let c = "containers: [{name: c, image: x, securityContext: {privileged: true}}]";
    let cases = [
        ("v1", "Pod", format!("spec: {{{c}}}"), "/spec/containers/0"),
        (
            "v1",
            "PodTemplate",
            format!("template: {{spec: {{{c}}}}}"),
            "/template/spec/containers/0",
        ),
        (
            "v1",
            "ReplicationController",
            format!("spec: {{template: {{spec: {{{c}}}}}}}"),
            "/spec/template/spec/containers/0",
        ),
        (
            "apps/v1",
            "Deployment",
            format!("spec: {{template: {{spec: {{{c}}}}}}}"),
            "/spec/template/spec/containers/0",
        ),
        (
            "apps/v1",
            "StatefulSet",
            format!("spec: {{template: {{spec: {{{c}}}}}}}"),
            "/spec/template/spec/containers/0",
        ),
        (
            "apps/v1",
            "DaemonSet",
            format!("spec: {{template: {{spec: {{{c}}}}}}}"),
            "/spec/template/spec/containers/0",
        ),
        (
            "apps/v1",
            "ReplicaSet",
            format!("spec: {{template: {{spec: {{{c}}}}}}}"),
            "/spec/template/spec/containers/0",
        ),
        (
            "batch/v1",
            "Job",
            format!("spec: {{template: {{spec: {{{c}}}}}}}"),
            "/spec/template/spec/containers/0",
        ),
        (
            "batch/v1",
            "CronJob",
            format!("spec: {{jobTemplate: {{spec: {{template: {{spec: {{{c}}}}}}}}}}}"),
            "/spec/jobTemplate/spec/template/spec/containers/0",
        ),
    ];
    for (api, kind, body, prefix) in cases {
        let text = format!("apiVersion: {api}\nkind: {kind}\nmetadata: {{name: w}}\n{body}\n");
        let report = evaluate(&[doc("w.yaml", text.as_bytes())]);
        let f = report
            .findings
            .iter()
            .find(|f| &*f.control_id == "RUN-003" && f.status == Status::Fail)
            .unwrap_or_else(|| panic!("{kind}: no failing RUN-003: {:#?}", report.documents));
        assert_eq!(
            *f.location.path,
            format!("{prefix}/securityContext/privileged"),
            "{kind}"
        );
        assert_eq!(f.subject.kind.as_deref(), Some(kind));
    }
}

#[test]
fn init_and_ephemeral_containers_are_checked() {
    for group in ["initContainers", "ephemeralContainers"] {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: ok, image: x}}]\n  {group}: [{{name: bad, image: busybox, securityContext: {{privileged: true}}}}]\n"
        );
        let report = evaluate(&[doc("p.yaml", text.as_bytes())]);
        let f = report
            .findings
            .iter()
            .find(|f| &*f.control_id == "RUN-003" && f.status == Status::Fail)
            .unwrap();
        assert_eq!(f.subject.container.as_deref(), Some("bad"), "{group}");
    }
}

#[test]
fn hostile_yaml_is_bounded() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let deep_json = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let deep_block: String = (0..3_000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let report = evaluate(&[
        doc("bomb.yaml", bomb.as_bytes()),
        doc("deep.json", deep_json.as_bytes()),
        doc("deep.yaml", deep_block.as_bytes()),
        doc("good.yaml", GOOD_POD.as_bytes()),
    ]);
    assert_eq!(
        error_of(&report, "bomb.yaml").code,
        "evidence.limit.alias_expansion"
    );
    assert_eq!(error_of(&report, "deep.json").code, "evidence.limit.depth");
    assert_eq!(error_of(&report, "deep.yaml").code, "evidence.limit.depth");
    assert!(report
        .findings
        .iter()
        .any(|f| &*f.location.file == "good.yaml" && f.status == Status::Fail));
}

#[test]
fn limits_are_enforced_per_file_and_document_count() {
    let engine = engine();
    let many: String = (0..50)
        .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n"))
        .collect();
    let options = Options {
        limits: hullcheck::Limits {
            max_documents_per_file: 10,
            max_file_bytes: 1_000_000,
            ..hullcheck::Limits::default()
        },
        ..Options::default()
    };
    let big = vec![b'#'; 1_000_001];
    let report = engine
        .evaluate_documents(
            &[doc("many.yaml", many.as_bytes()), doc("big.yaml", &big)],
            &options,
        )
        .unwrap();
    assert_eq!(
        error_of(&report, "many.yaml").code,
        "evidence.limit.documents"
    );
    assert_eq!(
        report
            .documents
            .iter()
            .filter(|d| d.file == "many.yaml" && d.error.is_none())
            .count(),
        10
    );
    assert_eq!(
        error_of(&report, "big.yaml").code,
        "evidence.limit.file_size"
    );
}

#[test]
fn missing_evidence_is_not_assessed_never_pass() {
    let report = evaluate(&[doc(
        "pvc.yaml",
        b"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: x}\n",
    )]);
    assert!(report.findings.is_empty());
    assert!(report
        .controls
        .iter()
        .all(|c| c.status == Status::NotAssessed));
    assert!(report
        .frameworks
        .iter()
        .all(|f| f.status == Status::NotAssessed));
}

#[test]
fn report_round_trips_through_json() {
    let report = evaluate(&[doc("good.yaml", GOOD_POD.as_bytes())]);
    let back: Report = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(back, report);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parsing_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let parsed = hullcheck::evidence::parse_bytes("fuzz", &bytes, &hullcheck::Limits::default());
        for d in &parsed.documents {
            if let Some(e) = &d.error { prop_assert!(!e.code().is_empty()); }
        }
    }

    #[test]
    fn parsing_never_panics_on_yamlish_text(text in "[a-z:\\-\\[\\]{}&*!|>'\" \n#,0-9]{0,300}") {
        let _ = hullcheck::evidence::parse_bytes("fuzz.yaml", text.as_bytes(), &hullcheck::Limits::default());
    }

    #[test]
    fn evaluation_never_panics_on_mutated_pods(
        privileged in prop_oneof![Just("true"), Just("false"), Just("\"x\""), Just("[]"), Just("{}"), Just("null"), Just("7")],
        user in prop_oneof![Just("0"), Just("1000"), Just("-1"), Just("\"0\""), Just("1.5"), Just("99999999999999999999")],
        caps in prop_oneof![Just("[ALL]"), Just("[]"), Just("ALL"), Just("[1, 2]"), Just("null")],
    ) {
        let text = format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  securityContext: {{runAsUser: {user}}}\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      privileged: {privileged}\n      capabilities: {{drop: {caps}}}\n");
        let report = evaluate(&[doc("p.yaml", text.as_bytes())]);
        let back: Report = serde_json::from_str(&report.to_json()).unwrap();
        prop_assert_eq!(back, report);
    }
}

#[test]
fn built_in_kinds_under_versions_that_never_served_them_are_located_errors() {
    assert!(hullcheck::evidence::apis::apis().is_loaded());
    let report = evaluate(&[doc(
        "versions.yaml",
        b"apiVersion: v1\nkind: Deployment\nmetadata: {name: a}\n---\napiVersion: apps/v9\nkind: Deployment\nmetadata: {name: b}\n---\napiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: c}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: x}]\n---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: d}\n",
    )]);
    let codes: Vec<Option<&str>> = report
        .documents
        .iter()
        .map(|d| d.error.as_ref().map(|e| e.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            Some("evidence.kubernetes.unserved_api_version"),
            Some("evidence.kubernetes.unserved_api_version"),
            None,
            None
        ]
    );
    let e = report.documents[0].error.as_ref().unwrap();
    assert!(e.message.contains("served by `apps/v1`"), "{}", e.message);
    assert_eq!(e.line, Some(1));
    // The removed version is still read as the object it was, for the deprecated-API control.
    assert_eq!(
        report.documents[2].evidence.as_deref(),
        Some("kubernetes.workload")
    );
}

#[test]
fn go_templates_carried_on_purpose_are_not_unrendered_helm() {
    let alertmanager = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: alertmanager-templates}\ndata:\n  slack.tmpl: |\n    {{ define \"slack.title\" }}{{ .Labels.alertname }}{{ end }}\n    {{ template \"slack.title\" . }}\n";
    let quoted_helm = "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"{{ .Release.Name }}-web\"\nspec: {ports: [{port: 80}]}\n";
    let unquoted =
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include \"web.name\" . }}\n";
    let report = evaluate(&[
        doc("alertmanager.yaml", alertmanager.as_bytes()),
        doc("quoted.yaml", quoted_helm.as_bytes()),
        doc("unquoted.yaml", unquoted.as_bytes()),
    ]);
    let am = report
        .documents
        .iter()
        .find(|d| d.file == "alertmanager.yaml")
        .unwrap();
    assert!(am.error.is_none(), "{:?}", am.error);
    for file in ["quoted.yaml", "unquoted.yaml"] {
        let e = error_of(&report, file);
        assert_eq!(e.code, "evidence.helm.unrendered", "{file}");
        assert_eq!(e.line, Some(4), "{file}");
    }
}

#[test]
fn quoted_scalars_continued_shallower_than_their_key_read_as_kubectl_reads_them() {
    // go-yaml accepts continuation lines at any indentation; every document of the file is
    // read, each keeping its lines.
    let pod = |name: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  annotations:\n    note: '[\n  x\n    ]'\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      privileged: true\n")
    };
    let text = format!("{}---\n{}", pod("a"), pod("b"));
    let report = evaluate(&[doc("quoted.yaml", text.as_bytes())]);
    assert!(
        report.documents.iter().all(|d| d.error.is_none()),
        "{:#?}",
        report.documents
    );
    let lines: Vec<u32> = report
        .findings
        .iter()
        .filter(|f| &*f.control_id == "RUN-003" && f.status == Status::Fail)
        .map(|f| f.location.line)
        .collect();
    assert_eq!(lines, [14, 29]);
}
