//! Default deny by namespace (NET-001, NET-002) from Kubernetes, Cilium and Calico policies, and
//! absence as evidence in a declared snapshot.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::collections::BTreeMap;

use hullcheck::report::Report;
use hullcheck::{Engine, NamedDocument, Options};

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap())
}

fn run(text: &str, snapshot: bool) -> Report {
    let docs = [NamedDocument {
        name: "bundle.yaml".into(),
        bytes: text.as_bytes().to_vec(),
    }];
    let mut options = Options {
        controls: vec!["NET-001".into(), "NET-002".into(), "ORC-005".into()],
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    };
    if snapshot {
        options
            .params
            .insert("evidence.snapshot".into(), serde_json::Value::Bool(true));
    }
    engine().evaluate_documents(&docs, &options).unwrap()
}

/// Control → namespace → status.
fn by_ns(r: &Report) -> BTreeMap<(String, String), String> {
    r.findings
        .iter()
        .map(|f| {
            (
                (
                    f.control_id.to_string(),
                    f.subject.namespace.as_deref().unwrap_or("").to_owned(),
                ),
                f.status.as_str().to_owned(),
            )
        })
        .collect()
}

fn pod(ns: &str) -> String {
    format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: {ns}}}\nspec:\n  containers: [{{name: c, image: registry.example.com/a:1}}]\n")
}

fn cnp(ns: &str, spec: &str) -> String {
    format!("---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {{name: deny, namespace: {ns}}}\n{spec}\n")
}

fn calico(kind: &str, ns: Option<&str>, spec: &str) -> String {
    let ns = ns.map_or(String::new(), |n| format!(", namespace: {n}"));
    format!("---\napiVersion: projectcalico.org/v3\nkind: {kind}\nmetadata: {{name: deny{ns}}}\n{spec}\n")
}

fn status(r: &Report, control: &str, ns: &str) -> String {
    by_ns(r)
        .get(&(control.to_owned(), ns.to_owned()))
        .cloned()
        .unwrap_or_else(|| format!("no finding in {:?}", by_ns(r)))
}

#[test]
fn cilium_policies_count_when_they_select_every_endpoint_and_allow_nothing() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (namespace, spec, NET-001, NET-002)
        ("empty-rule", "spec:\n  endpointSelector: {}\n  ingress: [{}]\n  egress: [{}]", "pass", "pass"),
        ("ingress-only", "spec:\n  endpointSelector: {}\n  ingress: [{}]", "pass", "fail"),
        ("deny-section", "spec:\n  endpointSelector: {}\n  ingressDeny: [{fromEntities: [world]}]", "pass", "fail"),
        ("empty-list", "spec:\n  endpointSelector: {}\n  ingress: []\n  egress: []", "fail", "fail"),
        ("switched-off", "spec:\n  endpointSelector: {}\n  enableDefaultDeny: {ingress: false, egress: true}\n  ingress: [{}]\n  egress: [{}]", "fail", "pass"),
        ("allows-ports", "spec:\n  endpointSelector: {}\n  ingress: [{toPorts: [{ports: [{port: '80'}]}]}]", "fail", "fail"),
        ("allows-peers", "spec:\n  endpointSelector: {}\n  egress: [{toEndpoints: [{}]}]", "fail", "fail"),
        ("some-pods", "spec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress: [{}]", "fail", "fail"),
        ("second-rule", "specs:\n- endpointSelector: {matchLabels: {app: web}}\n  ingress: [{fromEndpoints: [{}]}]\n- endpointSelector: {}\n  egress: [{}]", "fail", "pass"),
        ("node-rule", "spec:\n  nodeSelector: {}\n  ingress: [{}]", "fail", "fail"),
    ];
    let mut text = String::new();
    for (ns, spec, _, _) in cases {
        text.push_str(&pod(ns));
        text.push_str(&cnp(ns, spec));
    }
    let r = run(&text, false);
    for (ns, _, ingress, egress) in cases {
        assert_eq!(status(&r, "NET-001", ns), *ingress, "{ns} ingress");
        assert_eq!(status(&r, "NET-002", ns), *egress, "{ns} egress");
    }
}

#[test]
fn clusterwide_cilium_policies_cover_the_namespaces_they_select() {
    let ccnp = "---\napiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: deny-all}\nspec:\n  endpointSelector:\n    matchExpressions:\n    - {key: k8s:io.kubernetes.pod.namespace, operator: NotIn, values: [legacy]}\n  ingress: [{}]\n---\napiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: shop-egress}\nspec:\n  endpointSelector: {matchLabels: {k8s:io.kubernetes.pod.namespace: shop}}\n  egress: [{}]\n";
    let text = format!("{}{}{}{ccnp}", pod("shop"), pod("team"), pod("legacy"));
    let r = run(&text, false);
    assert_eq!(status(&r, "NET-001", "shop"), "pass");
    assert_eq!(status(&r, "NET-001", "team"), "pass");
    assert_eq!(status(&r, "NET-001", "legacy"), "fail");
    assert_eq!(status(&r, "NET-002", "shop"), "pass");
    assert_eq!(status(&r, "NET-002", "team"), "fail");
    // A namespaced policy naming another namespace is still scoped to its own.
    let text = format!(
        "{}{}{}",
        pod("a"),
        pod("b"),
        cnp("a", "spec:\n  endpointSelector: {matchLabels: {k8s:io.kubernetes.pod.namespace: b}}\n  ingress: [{}]")
    );
    let r = run(&text, false);
    assert_eq!(status(&r, "NET-001", "a"), "pass");
    assert_eq!(status(&r, "NET-001", "b"), "fail");
}

#[test]
fn calico_policies_count_when_they_select_all_and_only_deny() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("both", "spec:\n  selector: all()\n  types: [Ingress, Egress]", "pass", "pass"),
        ("defaulted-types", "spec:\n  selector: all()", "pass", "fail"),
        ("egress-rules-only", "spec:\n  selector: all()\n  egress: [{action: Deny}]", "fail", "pass"),
        ("deny-rules", "spec:\n  selector: all()\n  types: [Ingress]\n  ingress: [{action: Deny}, {action: Log}]", "pass", "fail"),
        ("allow-rule", "spec:\n  selector: all()\n  types: [Ingress]\n  ingress: [{action: Allow, source: {selector: all()}}]", "fail", "fail"),
        ("pass-rule", "spec:\n  selector: all()\n  types: [Ingress]\n  ingress: [{action: Pass}]", "fail", "fail"),
        ("other-tier", "spec:\n  tier: security\n  selector: all()\n  types: [Ingress, Egress]", "fail", "fail"),
        ("some-pods", "spec:\n  selector: app == 'web'\n  types: [Ingress, Egress]", "fail", "fail"),
        ("service-accounts", "spec:\n  selector: all()\n  serviceAccountSelector: role == 'x'\n  types: [Ingress]", "fail", "fail"),
    ];
    let mut text = String::new();
    for (ns, spec, _, _) in cases {
        text.push_str(&pod(ns));
        text.push_str(&calico("NetworkPolicy", Some(ns), spec));
    }
    let r = run(&text, false);
    for (ns, _, ingress, egress) in cases {
        assert_eq!(status(&r, "NET-001", ns), *ingress, "{ns} ingress");
        assert_eq!(status(&r, "NET-002", ns), *egress, "{ns} egress");
    }
    // GlobalNetworkPolicy: every namespace, or the one its namespaceSelector names; the
    // crd.projectcalico.org/v1 form reads the same.
    let global = calico(
        "GlobalNetworkPolicy",
        None,
        "spec:\n  namespaceSelector: projectcalico.org/name == \"shop\"\n  types: [Ingress, Egress]",
    )
    .replace("projectcalico.org/v3", "crd.projectcalico.org/v1");
    let text = format!("{}{}{global}", pod("shop"), pod("team"));
    let r = run(&text, false);
    assert_eq!(status(&r, "NET-001", "shop"), "pass");
    assert_eq!(status(&r, "NET-001", "team"), "fail");
}

#[test]
fn in_a_declared_snapshot_absence_is_evidence() {
    let text = pod("shop");
    // Outside a snapshot: not assessed, and the note says how to declare one.
    let r = run(&text, false);
    for id in ["NET-001", "NET-002", "ORC-005"] {
        let c = r.controls.iter().find(|c| c.control_id == id).unwrap();
        assert_eq!(c.status.as_str(), "not_assessed");
        assert!(
            c.note.as_deref().unwrap().contains("--snapshot"),
            "{:?}",
            c.note
        );
    }
    // In a snapshot: no policy and no Namespace object are failures.
    let r = run(&text, true);
    assert_eq!(status(&r, "NET-001", "shop"), "fail");
    assert_eq!(status(&r, "NET-002", "shop"), "fail");
    assert_eq!(status(&r, "ORC-005", "shop"), "fail");
    let f = r
        .findings
        .iter()
        .find(|f| &*f.control_id == "NET-001")
        .unwrap();
    assert!(f.message.contains("snapshot"), "{}", f.message);
}
