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

#[test]
fn workload_creation_pod_access_and_storage_are_each_their_own_right() {
    let text = [
        role(
            "Role",
            "pods-any-group",
            "",
            "- apiGroups: [\"*\"]\n  resources: [pods]\n  verbs: [create]",
        ),
        role(
            "Role",
            "cronjobs",
            "",
            "- apiGroups: [batch]\n  resources: [cronjobs, jobs]\n  verbs: [\"*\"]",
        ),
        role(
            "Role",
            "wrong-group",
            "",
            "- apiGroups: [apps]\n  resources: [jobs, pods]\n  verbs: [create]",
        ),
        role(
            "Role",
            "named",
            "",
            "- apiGroups: [\"\"]\n  resources: [pods]\n  resourceNames: [a]\n  verbs: [create]",
        ),
        role(
            "ClusterRole",
            "pv",
            "",
            "- apiGroups: [\"\"]\n  resources: [persistentvolumes, pods]\n  verbs: [create]",
        ),
    ]
    .concat();
    let v = verdicts(&run("ORC-027", &text));
    assert!(
        messages_of(&v, "pods-any-group")[0].contains("create on pods"),
        "{v:?}"
    );
    assert!(
        messages_of(&v, "cronjobs")[0].contains("jobs, cronjobs"),
        "{v:?}"
    );
    assert!(messages_of(&v, "wrong-group").is_empty(), "{v:?}");
    assert!(messages_of(&v, "named").is_empty(), "{v:?}");
    assert_eq!(messages_of(&v, "pv").len(), 2, "{v:?}");

    let text = [
        role("Role", "exec-get", "", "- apiGroups: [\"\"]\n  resources: [pods/exec, pods/attach]\n  verbs: [get]"),
        role("Role", "star-sub", "", "- apiGroups: [\"\"]\n  resources: [\"*/portforward\", \"*/ephemeralcontainers\"]\n  verbs: [create, update]"),
        role("Role", "pods-only", "", "- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [\"*\"]"),
        role("Role", "everything", "", "- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]"),
    ]
    .concat();
    let v = verdicts(&run("ORC-028", &text));
    assert_eq!(messages_of(&v, "exec-get").len(), 2, "{v:?}");
    let star = messages_of(&v, "star-sub");
    assert_eq!(star.len(), 2, "{v:?}");
    assert!(
        star[0].contains("create on pods/portforward")
            && star[1].contains("update on pods/ephemeralcontainers"),
        "{star:?}"
    );
    assert!(messages_of(&v, "pods-only").is_empty(), "{v:?}");
    assert_eq!(messages_of(&v, "everything").len(), 4, "{v:?}");
}

#[test]
fn kube_system_config_maps_are_reached_through_the_binding_or_the_namespace() {
    let cm = "- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [patch]";
    let crb = "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: wide\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: bound-wide}\nsubjects:\n- {kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}\n";
    let text = [
        role("ClusterRole", "bound-wide", "", cm),
        role("ClusterRole", "unbound", "", cm),
        role("Role", "in-team", "", cm),
        role("Role", "in-kube-system", "", cm).replace("namespace: team", "namespace: kube-system"),
        crb.to_owned(),
    ]
    .concat();
    let v = verdicts(&run("ORC-029", &text));
    assert!(
        messages_of(&v, "bound-wide")[0].contains("cluster-wide through ClusterRoleBinding `wide`"),
        "{v:?}"
    );
    assert!(
        messages_of(&v, "in-kube-system")[0].contains("patch on configmaps in kube-system"),
        "{v:?}"
    );
    assert!(messages_of(&v, "unbound").is_empty(), "{v:?}");
    assert!(messages_of(&v, "in-team").is_empty(), "{v:?}");
}

#[test]
fn a_workload_is_followed_to_its_rights_through_aggregation_and_groups() {
    let pod = |ns: &str, sa: &str| {
        format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p-{ns}, namespace: {ns}}}\nspec:\n  serviceAccountName: {sa}\n  containers:\n  - {{name: c, image: i}}\n")
    };
    let crb = |name: &str, role: &str, subject: &str| {
        format!("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {{name: {name}}}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {role}}}\nsubjects:\n- {subject}\n")
    };
    let text = [
        pod("a", "agg"),
        pod("b", "bind"),
        pod("c", "custom"),
        pod("d", "user"),
        // `aggregate` holds nothing itself; it aggregates a full wildcard.
        role("ClusterRole", "aggregate", "", "[]").replace("rules:\n[]", "aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {agg: \"yes\"}\nrules: []"),
        role("ClusterRole", "part", "  labels: {agg: \"yes\"}\n", "- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]"),
        role("ClusterRole", "binder", "", "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterrolebindings, clusterroles]\n  verbs: [create, bind]"),
        crb("x1", "aggregate", "{kind: ServiceAccount, name: agg, namespace: a}"),
        crb("x2", "binder", "{kind: Group, name: system:serviceaccounts, apiGroup: rbac.authorization.k8s.io}"),
        crb("x3", "not-supplied", "{kind: ServiceAccount, name: custom, namespace: c}"),
        crb("x4", "cluster-admin", "{kind: User, name: \"system:serviceaccount:d:user\", apiGroup: rbac.authorization.k8s.io}"),
    ]
    .concat();
    let r = run("ORC-030", &text);
    let by_pod = |name: &str| -> Vec<(String, String)> {
        r.findings
            .iter()
            .filter(|f| f.subject.name.as_deref() == Some(name))
            .map(|f| (f.status.as_str().to_owned(), f.message.to_string()))
            .collect()
    };
    let a = by_pod("p-a");
    assert!(
        a.iter()
            .any(|(s, m)| s == "fail" && m.contains("`aggregate`, which grants every verb")),
        "{a:?}"
    );
    let b = by_pod("p-b");
    assert!(
        b.iter()
            .any(|(s, m)| s == "fail" && m.contains("create on clusterrolebindings with bind")),
        "{b:?}"
    );
    // Every pod is in `system:serviceaccounts`, so x2 reaches all four.
    assert!(by_pod("p-c").iter().any(|(s, _)| s == "fail"));
    let d = by_pod("p-d");
    assert!(
        d.iter().any(|(s, m)| s == "fail" && m.contains("`x4`")),
        "{d:?}"
    );
    // Without x2, the unsupplied role is not assessed, never a pass.
    let without: String = text.replace("system:serviceaccounts,", "someone-else,");
    let r = run("ORC-030", &without);
    let c: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.subject.name.as_deref() == Some("p-c"))
        .map(|f| f.status.as_str())
        .collect();
    assert_eq!(c, ["not_assessed"]);
}
