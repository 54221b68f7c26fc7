//! RBAC controls as the RBAC authorizer sees rules: no exemption by name, aggregated
//! ClusterRoles judged on what they aggregate, `*` and `resource/subresource` resolved, and each
//! escalation right reported on its own.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use hullcheck::report::Report;
use hullcheck::{Engine, NamedDocument, Options};

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap())
}

fn run(control: &str, text: &str) -> Report {
    let docs = [NamedDocument {
        name: "rbac.yaml".into(),
        bytes: text.as_bytes().to_vec(),
    }];
    let options = Options {
        controls: vec![control.into()],
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    };
    engine().evaluate_documents(&docs, &options).unwrap()
}

/// (role name, status, message) of every finding.
fn verdicts(r: &Report) -> Vec<(String, String, String)> {
    r.findings
        .iter()
        .map(|f| {
            (
                f.subject.name.as_deref().unwrap_or("").to_owned(),
                f.status.as_str().to_owned(),
                f.message.to_string(),
            )
        })
        .collect()
}

fn role(kind: &str, name: &str, extra_meta: &str, rules: &str) -> String {
    format!("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: \"{name}\"\n  namespace: team\n{extra_meta}rules:\n{rules}\n")
}

fn messages_of<'a>(v: &'a [(String, String, String)], name: &str) -> Vec<&'a str> {
    v.iter()
        .filter(|(n, s, _)| n == name && s == "fail")
        .map(|(_, _, m)| m.as_str())
        .collect()
}

#[test]
fn a_role_is_not_exempt_by_its_name_only_by_the_bootstrap_label() {
    let wild = "- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]";
    let text = [
        role("ClusterRole", "system:anything", "", wild),
        role("ClusterRole", "admin", "", wild),
        role(
            "ClusterRole",
            "cluster-admin",
            "  labels: {kubernetes.io/bootstrapping: rbac-defaults}\n",
            wild,
        ),
    ]
    .concat();
    let v = verdicts(&run("ORC-008", &text));
    assert_eq!(messages_of(&v, "system:anything").len(), 1, "{v:?}");
    assert_eq!(messages_of(&v, "admin").len(), 1, "{v:?}");
    let boot = v.iter().find(|(n, _, _)| n == "cluster-admin").unwrap();
    assert_eq!(boot.1, "not_applicable");
    assert!(boot.2.contains("kubernetes.io/bootstrapping"), "{}", boot.2);
}

#[test]
fn aggregated_cluster_roles_are_judged_on_the_rules_they_aggregate() {
    let agg = "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: monitoring}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {rbac.example.com/aggregate-to-monitoring: \"true\"}\nrules: []\n".to_owned();
    let part = role(
        "ClusterRole",
        "monitoring-secrets",
        "  labels: {rbac.example.com/aggregate-to-monitoring: \"true\"}\n",
        "- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get, list]",
    );
    let other = role(
        "ClusterRole",
        "unrelated",
        "",
        "- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get]",
    );
    let v = verdicts(&run("ORC-009", &[agg.clone(), part, other].concat()));
    let m = messages_of(&v, "monitoring");
    assert_eq!(m.len(), 1, "{v:?}");
    assert!(
        m[0].contains("aggregates from ClusterRole `monitoring-secrets`"),
        "{}",
        m[0]
    );
    // With nothing it selects in the evidence, the aggregated role is not assessed, never a pass.
    let v = verdicts(&run("ORC-009", &agg));
    assert_eq!(
        v,
        vec![(
            "monitoring".to_owned(),
            "not_assessed".to_owned(),
            "aggregated ClusterRole whose selected ClusterRoles are not in the evidence".to_owned()
        )]
    );
}

#[test]
fn each_escalation_right_is_its_own_finding_for_roles_and_cluster_roles() {
    let cases: &[(&str, &str, &str)] = &[
        ("bind-roles", "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [roles]\n  verbs: [bind]", "`bind` on roles"),
        ("escalate-all", "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [\"*\"]\n  verbs: [escalate]", "`escalate` on roles and clusterroles"),
        ("impersonate-groups", "- apiGroups: [\"\"]\n  resources: [groups]\n  verbs: [impersonate]", "`impersonate` on groups"),
        ("impersonate-uids", "- apiGroups: [authentication.k8s.io]\n  resources: [uids, userextras/scopes]\n  verbs: [impersonate]", "`impersonate` on uids, userextras"),
        ("patch-webhooks", "- apiGroups: [admissionregistration.k8s.io]\n  resources: [mutatingwebhookconfigurations]\n  verbs: [patch]", "patch on mutatingwebhookconfigurations"),
        ("node-proxy", "- apiGroups: [\"\"]\n  resources: [\"*/proxy\"]\n  verbs: [get]", "get on nodes/proxy"),
        ("tokens", "- apiGroups: [\"\"]\n  resources: [serviceaccounts/token]\n  verbs: [create]", "create on serviceaccounts/token"),
        ("csr-two-rules", "- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests/approval]\n  verbs: [update]\n- apiGroups: [certificates.k8s.io]\n  resources: [signers]\n  verbs: [approve]", "approve on signers"),
    ];
    for kind in ["Role", "ClusterRole"] {
        let text: String = cases
            .iter()
            .map(|(name, rules, _)| role(kind, name, "", rules))
            .collect();
        let v = verdicts(&run("ORC-010", &text));
        for (name, _, needle) in cases {
            let m = messages_of(&v, name);
            assert_eq!(m.len(), 1, "{kind} {name}: {v:?}");
            assert!(m[0].contains(needle), "{kind} {name}: {}", m[0]);
        }
    }
    // A rule with several rights reports each; `pods` does not reach `pods/exec`-style
    // subresources, and approval without the signer is no CSR finding.
    let many = role(
        "ClusterRole",
        "many",
        "",
        "- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]",
    );
    let v = verdicts(&run("ORC-010", &many));
    assert_eq!(messages_of(&v, "many").len(), 8, "{v:?}");
    let safe = role(
        "ClusterRole",
        "safe",
        "",
        "- apiGroups: [\"\"]\n  resources: [nodes, serviceaccounts]\n  verbs: [get, create]\n- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests/approval]\n  verbs: [update]",
    );
    let v = verdicts(&run("ORC-010", &safe));
    assert_eq!(v[0].1, "pass", "{v:?}");
}
