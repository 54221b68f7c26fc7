//! Cross-evidence behaviour that the per-control fixtures do not show on their own:
//! not-assessed reasons, attestation states, policies carried in evidence, CycloneDX VEX.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use hullcheck::report::{ControlResult, Report};
use hullcheck::{Engine, NamedDocument, Options, Status};

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap())
}

fn run(controls: &[&str], docs: &[(&str, &str)], params: &[(&str, serde_json::Value)]) -> Report {
    let docs: Vec<NamedDocument> = docs
        .iter()
        .map(|(n, t)| NamedDocument {
            name: (*n).into(),
            bytes: t.as_bytes().to_vec(),
        })
        .collect();
    let options = Options {
        controls: controls.iter().map(|c| (*c).to_owned()).collect(),
        params: params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    };
    engine().evaluate_documents(&docs, &options).unwrap()
}

fn control<'a>(r: &'a Report, id: &str) -> &'a ControlResult {
    r.controls.iter().find(|c| c.control_id == id).unwrap()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop}\nspec:\n  containers:\n  - name: api\n    image: registry.example.com/shop/api:1.0\n";

#[test]
fn absent_evidence_is_not_assessed_with_a_reason() {
    let r = run(
        &["IMG-008", "NET-001", "RUN-024", "LOG-008", "REG-001"],
        &[("pod.yaml", POD)],
        &[],
    );
    for (id, needle) in [
        ("IMG-008", "no SBOM"),
        (
            "NET-001",
            "no NetworkPolicy, Cilium or Calico network policy",
        ),
        ("RUN-024", "KubeletConfiguration"),
        ("LOG-008", "no attestation for `LOG-008`"),
        ("REG-001", "registry.approved"),
    ] {
        let c = control(&r, id);
        assert_eq!(c.status, Status::NotAssessed, "{id}");
        assert!(
            c.note.as_deref().unwrap_or("").contains(needle),
            "{id}: {:?}",
            c.note
        );
    }
    assert!(r.findings.iter().all(|f| f.status != Status::Pass));
}

fn attestation(expires: &str, attested_at: &str) -> String {
    format!("apiVersion: hullcheck.dev/v1alpha1\nkind: Attestation\nmetadata: {{name: a}}\nspec:\n  control: LOG-008\n  statement: baselines exist\n  attested_by: ops\n  attested_at: \"{attested_at}\"\n  expires: \"{expires}\"\n")
}

#[test]
fn attestations_pass_while_live_and_fail_when_expired_or_future() {
    let live = run(
        &["LOG-008"],
        &[("a.yaml", &attestation("2026-12-01", "2026-01-01"))],
        &[],
    );
    assert_eq!(control(&live, "LOG-008").status, Status::Pass);
    let expired = run(
        &["LOG-008"],
        &[("a.yaml", &attestation("2026-05-31T23:59:59Z", "2026-01-01"))],
        &[],
    );
    assert_eq!(control(&expired, "LOG-008").status, Status::Fail);
    assert!(expired.findings[0].message.contains("expired"));
    let future = run(
        &["LOG-008"],
        &[("a.yaml", &attestation("2027-01-01", "2026-07-01"))],
        &[],
    );
    assert_eq!(control(&future, "LOG-008").status, Status::Fail);
    let broken = run(&["LOG-008"], &[("a.yaml", "apiVersion: hullcheck.dev/v1alpha1\nkind: Attestation\nmetadata: {name: a}\nspec: {control: LOG-008}\n")], &[]);
    assert_eq!(control(&broken, "LOG-008").status, Status::Error);
    assert_eq!(
        broken.documents[0].error.as_ref().unwrap().code,
        "evidence.kubernetes.missing_field"
    );
}

#[test]
fn policies_in_the_evidence_set_parameters_and_options_win() {
    let policy = "apiVersion: hullcheck.dev/v1alpha1\nkind: Policy\nmetadata: {name: p}\nparams:\n  registry.approved: [registry.example.com]\n";
    let r = run(
        &["REG-001"],
        &[("pod.yaml", POD), ("policy.yaml", policy)],
        &[],
    );
    assert_eq!(control(&r, "REG-001").status, Status::Pass);
    assert_eq!(
        r.options.params["registry.approved"],
        serde_json::json!(["registry.example.com"])
    );
    let r = run(
        &["REG-001"],
        &[("pod.yaml", POD), ("policy.yaml", policy)],
        &[("registry.approved", serde_json::json!("ghcr.io"))],
    );
    assert_eq!(control(&r, "REG-001").status, Status::Fail);
    let bad = "apiVersion: hullcheck.dev/v1alpha1\nkind: Policy\nmetadata: {name: p}\nparams:\n  scan.max_age_hours: soon\n";
    let r = run(&["REG-012"], &[("policy.yaml", bad)], &[]);
    let err = r.documents[0].error.as_ref().unwrap();
    assert!(err.message.contains("scan.max_age_hours"), "{err:?}");
}

#[test]
fn cyclonedx_vulnerabilities_are_a_scan_and_vex_exclusions_hold() {
    let bom = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"timestamp": "2026-05-31T00:00:00Z",
      "component": {"type": "container", "name": "registry.example.com/shop/api", "version": "1.0"}},
      "components": [{"bom-ref": "pkg-a", "name": "openssl", "version": "3.0.0", "purl": "pkg:generic/openssl@3.0.0"}],
      "vulnerabilities": [
        {"id": "CVE-2099-0001", "ratings": [{"severity": "low"}, {"severity": "critical"}], "affects": [{"ref": "pkg-a"}]},
        {"id": "CVE-2099-0002", "ratings": [{"severity": "critical"}], "analysis": {"state": "not_affected"}}]}"#;
    let r = run(
        &["IMG-011", "IMG-010"],
        &[("pod.yaml", POD), ("bom.json", bom)],
        &[],
    );
    let fails: Vec<_> = r
        .findings
        .iter()
        .filter(|f| &*f.control_id == "IMG-011" && f.status == Status::Fail)
        .collect();
    assert_eq!(fails.len(), 1);
    assert!(
        fails[0]
            .message
            .contains("critical CVE-2099-0001 in `openssl`"),
        "{}",
        fails[0].message
    );
    assert_eq!(control(&r, "IMG-010").status, Status::Pass);
}

#[test]
fn images_link_across_evidence_by_digest_or_tag() {
    let digest = format!("sha256:{}", "ab".repeat(32));
    let pod = POD.replace(
        "registry.example.com/shop/api:1.0",
        &format!("registry.example.com/shop/api@{digest}"),
    );
    let cosign = format!(
        r#"[{{"critical": {{"identity": {{"docker-reference": "registry.example.com/shop/api"}}, "image": {{"docker-manifest-digest": "{digest}"}}, "type": "cosign container image signature"}}, "optional": null}}]"#
    );
    let r = run(
        &["REG-003"],
        &[("pod.yaml", &pod), ("cosign.json", &cosign)],
        &[],
    );
    assert_eq!(control(&r, "REG-003").status, Status::Pass);
    let other = cosign.replace(&digest, &format!("sha256:{}", "cd".repeat(32)));
    let r = run(
        &["REG-003"],
        &[("pod.yaml", &pod), ("cosign.json", &other)],
        &[],
    );
    assert_eq!(control(&r, "REG-003").status, Status::Fail);
}

#[test]
fn per_namespace_pss_versions_apply() {
    // hostProbesAndHostLifecycle exists from v1.34: pinned at v1.30 the namespace is not judged.
    let pod = format!("{POD}    livenessProbe: {{tcpSocket: {{host: 10.0.0.1, port: 80}}}}\n");
    let r = run(&["RUN-015"], &[("pod.yaml", &pod)], &[]);
    assert_eq!(control(&r, "RUN-015").status, Status::Fail);
    let r = run(
        &["RUN-015"],
        &[("pod.yaml", &pod)],
        &[("pss.namespace_versions", serde_json::json!(["shop=v1.30"]))],
    );
    assert_eq!(control(&r, "RUN-015").status, Status::NotApplicable);
}

#[test]
fn static_pods_are_read_as_control_plane_flags() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver-cp1, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.31.0\n    command:\n    - kube-apiserver\n    - --anonymous-auth=true\n    - --authorization-mode=Node,RBAC\n";
    let r = run(
        &["ORC-001", "ORC-002", "RUN-003"],
        &[("apiserver.yaml", pod)],
        &[],
    );
    assert_eq!(
        r.documents[0].evidence.as_deref(),
        Some("controlplane.flags")
    );
    let f = r
        .findings
        .iter()
        .find(|f| &*f.control_id == "ORC-001")
        .unwrap();
    assert_eq!((f.status, f.location.line), (Status::Fail, 10));
    assert_eq!(control(&r, "ORC-002").status, Status::Pass);
    assert_eq!(control(&r, "RUN-003").status, Status::NotAssessed);
}

#[test]
fn mesh_authorization_is_judged_per_namespace() {
    let pod = |ns: &str| POD.replace("namespace: shop", &format!("namespace: {ns}"));
    let policy = |name: &str, ns: &str, spec: &str| {
        format!("apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: {name}, namespace: {ns}}}\nspec: {spec}\n")
    };
    let (shop, bank, edge) = (pod("shop"), pod("bank"), pod("edge"));
    let docs = [
        ("shop.yaml", shop.as_str()),
        ("bank.yaml", bank.as_str()),
        ("edge.yaml", edge.as_str()),
        // A selector makes a policy workload-scoped, so it is no namespace default.
        (
            "p1.yaml",
            &*policy("scoped", "bank", "{selector: {matchLabels: {app: api}}}"),
        ),
        ("p2.yaml", &*policy("deny-all", "shop", "{}")),
        ("p3.yaml", &*policy("deny-all-again", "shop", "{}")),
    ];
    let r = run(&["NET-005"], &docs, &[]);
    let status_of = |ns: &str| {
        let f: Vec<_> = r
            .findings
            .iter()
            .filter(|f| {
                f.subject.kind.as_deref() == Some("Namespace")
                    && f.subject.name.as_deref() == Some(ns)
            })
            .collect();
        assert_eq!(f.len(), 1, "{ns}");
        (f[0].status, f[0].location.file.to_string())
    };
    // The first allow-nothing policy of the namespace is cited.
    assert_eq!(status_of("shop"), (Status::Pass, "p2.yaml".to_owned()));
    assert_eq!(status_of("bank").0, Status::Fail);
    assert_eq!(status_of("edge").0, Status::Fail);
    // A mesh-wide default in the root namespace covers every namespace without its own.
    let mut with_root = docs.to_vec();
    let root = policy("mesh-default", "istio-system", "{}");
    with_root.push(("root.yaml", &root));
    let r = run(&["NET-005"], &with_root, &[]);
    assert!(r
        .findings
        .iter()
        .filter(|f| f.subject.kind.as_deref() == Some("Namespace"))
        .all(|f| f.status == Status::Pass));
}

fn apiserver(ciphers: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: kube-apiserver-n1, namespace: kube-system}}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.31.2\n    command:\n    - kube-apiserver\n    - --tls-cert-file=/pki/a.crt\n    - --tls-private-key-file=/pki/a.key\n    - --client-ca-file=/pki/ca.crt\n    - --kubelet-client-certificate=/pki/k.crt\n    - --kubelet-client-key=/pki/k.key\n    - --kubelet-certificate-authority=/pki/ca.crt\n    - --tls-cipher-suites={ciphers}\n")
}

#[test]
fn api_server_ciphers_follow_the_cis_list_of_the_benchmark_version() {
    assert!(hullcheck::eval::checks::tls::ciphers().is_loaded());
    let status = |ciphers: &str, version: &str| {
        let r = run(
            &["ORC-015"],
            &[("apiserver.yaml", &apiserver(ciphers))],
            &[("cis.version", serde_json::json!(version))],
        );
        let mut s: Vec<&str> = r.findings.iter().map(|f| f.status.as_str()).collect();
        s.sort_unstable();
        s.dedup();
        s.join(",")
    };
    // CIS 1.10 recommends ECDHE CBC-SHA suites; CIS 1.12 no longer does.
    let cbc = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
    assert_eq!(status(cbc, "1.10"), "pass");
    assert_eq!(status(cbc, "1.12"), "fail");
    // Weak suites outside the list fail; every AEAD ECDHE suite passes under any version.
    assert_eq!(status("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "1.10"), "fail");
    assert_eq!(
        status(
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256",
            "2.0"
        ),
        "pass"
    );
    // A name Go's crypto/tls does not know is an error: the API server would not start.
    assert_eq!(
        status("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_MADE_UP", "1.10"),
        "error"
    );
}
