//! RBAC rights that reach workloads and nodes: creating pods, workload controllers and
//! PersistentVolumes (ORC-027), reaching into running pods (ORC-028), and changing the
//! ConfigMaps of `kube-system` (ORC-029), judged as the RBAC authorizer matches rules.

use super::rbac::{bootstrap, effective_rules, per_role, roles, RBAC};
use crate::eval::ctx::{draft, namespace_of, pass_or, Ctx, Outcome};
use crate::evidence::kinds::rbac::{BindingFacts, RoleFacts, Rule};
use crate::evidence::{Evidence, EvidenceKind, Item};
use crate::report::Status;

/// Workload resources by API group: creating any of them runs a pod.
pub(super) const WORKLOADS: &[(&str, &str)] = &[
    ("", "pods"),
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "replicasets"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
];

/// ORC-027 (CIS 5.1.4, 5.1.9): creating pods, workload controllers and PersistentVolumes is
/// confined to approved roles (`rbac.workload_creator_roles`).
pub fn create_workloads(ctx: &Ctx<'_>) -> Outcome {
    let allowed = ctx.params.list("rbac.workload_creator_roles");
    per_role(
        ctx,
        "grants no create on pods, workload controllers or persistentvolumes",
        |role, r| {
            if allowed.contains(&role.name) {
                return Vec::new();
            }
            let mut out = Vec::new();
            let on: Vec<&str> = WORKLOADS
                .iter()
                .filter(|(g, res)| r.grants(g, res, "create"))
                .map(|(_, res)| *res)
                .collect();
            if !on.is_empty() {
                out.push(format!(
                    "grants create on {} (a pod runs with any service account, volume and image the namespace allows)",
                    on.join(", ")
                ));
            }
            if r.grants("", "persistentvolumes", "create") {
                out.push("grants create on persistentvolumes (a hostPath volume exposes any path of a node)".to_owned());
            }
            out
        },
    )
}

/// The pod subresources that reach into a running container, with the verbs that open them.
const POD_ACCESS: &[(&str, &[&str], &str)] = &[
    ("pods/exec", &["create", "get"], "a shell in the container"),
    ("pods/attach", &["create", "get"], "the container's console"),
    (
        "pods/portforward",
        &["create", "get"],
        "the container's ports, past NetworkPolicies",
    ),
    (
        "pods/ephemeralcontainers",
        &["update", "patch"],
        "a new container in a running pod",
    ),
];

/// ORC-028: exec, attach, port-forward and ephemeral containers are confined to approved roles
/// (`rbac.pod_access_roles`).
pub fn pod_access(ctx: &Ctx<'_>) -> Outcome {
    let allowed = ctx.params.list("rbac.pod_access_roles");
    per_role(
        ctx,
        "grants no exec, attach, port-forward or ephemeral containers",
        |role, r| {
            if allowed.contains(&role.name) {
                return Vec::new();
            }
            POD_ACCESS
                .iter()
                .filter_map(|(res, verbs, what)| {
                    let granted: Vec<&str> = verbs
                        .iter()
                        .copied()
                        .filter(|v| r.grants("", res, v))
                        .collect();
                    (!granted.is_empty())
                        .then(|| format!("grants {} on {res} ({what})", granted.join("/")))
                })
                .collect()
        },
    )
}

fn bindings<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Item, &'a BindingFacts)> {
    ctx.set
        .of(EvidenceKind::Binding)
        .filter_map(|i| match &i.evidence {
            Evidence::Binding(b) => Some((i, b)),
            _ => None,
        })
        .collect()
}

/// How a role reaches `kube-system`: a Role there, or a ClusterRole bound cluster-wide or by a
/// RoleBinding in `kube-system`. `None` when it does not.
fn reaches_kube_system(
    item: &Item,
    role: &RoleFacts,
    all: &[(&Item, &BindingFacts)],
) -> Option<String> {
    if !role.cluster {
        return (namespace_of(item) == "kube-system").then(|| "in kube-system".to_owned());
    }
    all.iter().find_map(|(bi, b)| {
        let named = b.role_kind == "ClusterRole" && b.role_name.value == role.name;
        if named && b.cluster {
            Some(format!(
                "cluster-wide through ClusterRoleBinding `{}`",
                name_of(bi)
            ))
        } else if named && namespace_of(bi) == "kube-system" {
            Some(format!(
                "in kube-system through RoleBinding `{}`",
                name_of(bi)
            ))
        } else {
            None
        }
    })
}

fn name_of(item: &Item) -> &str {
    item.origin.name.as_deref().unwrap_or("")
}

/// ORC-029: no role outside `rbac.kube_system_config_roles` may change ConfigMaps in
/// `kube-system` (kubeadm, CoreDNS and kube-proxy configuration, EKS `aws-auth`).
pub fn kube_system_config_maps(ctx: &Ctx<'_>) -> Outcome {
    let allowed = ctx.params.list("rbac.kube_system_config_roles");
    let list = roles(ctx);
    if list.is_empty() {
        return Outcome::NotAssessed("no Roles or ClusterRoles in the evidence".to_owned());
    }
    let all = bindings(ctx);
    let mut out = Vec::new();
    for (item, role) in &list {
        if role.is_bootstrap() {
            out.push(bootstrap(item));
            continue;
        }
        let mut fails = Vec::new();
        let scope = reaches_kube_system(item, role, &all);
        if let (Some(scope), false) = (&scope, allowed.contains(&role.name)) {
            for j in effective_rules(role, &list) {
                let verbs = change_verbs(j.rule);
                if !verbs.is_empty() {
                    let from = j
                        .from
                        .map(|f| format!(" (aggregated from ClusterRole `{f}`)"))
                        .unwrap_or_default();
                    fails.push(draft(
                        item,
                        Some(&j.rule.loc),
                        Status::Fail,
                        format!("grants {} on configmaps {scope}{from}", verbs.join("/")),
                    ));
                }
            }
        }
        let pass = if scope.is_some() {
            "grants no change to ConfigMaps in kube-system"
        } else {
            "does not reach kube-system (not bound cluster-wide or there in the evidence)"
        };
        out.extend(pass_or(item, None, fails, pass));
    }
    Outcome::Findings(out)
}

fn change_verbs(r: &Rule) -> Vec<&'static str> {
    ["update", "patch", "delete"]
        .into_iter()
        .filter(|v| r.grants("", "configmaps", v))
        .collect()
}

/// The right that makes a set of rules as strong as cluster-admin when granted cluster-wide.
pub(super) fn admin_equivalent(rules: &[&Rule]) -> Option<&'static str> {
    let any = |g: &str, res: &str, v: &str| rules.iter().any(|r| r.grants(g, res, v));
    let full = rules.iter().any(|r| {
        r.api_groups.iter().any(|g| g == "*")
            && r.resources.iter().any(|x| x == "*")
            && r.verbs.iter().any(|v| v == "*")
    });
    if full {
        Some("every verb on every resource")
    } else if any("", "users", "impersonate") || any("", "groups", "impersonate") {
        Some("impersonate on users or groups (acting as `system:masters`)")
    } else if any(RBAC, "clusterrolebindings", "create") && any(RBAC, "clusterroles", "bind") {
        Some("create on clusterrolebindings with bind on clusterroles")
    } else if any(RBAC, "clusterroles", "escalate")
        && (any(RBAC, "clusterroles", "update") || any(RBAC, "clusterroles", "patch"))
    {
        Some("escalate with update on clusterroles")
    } else if any("", "pods", "create") && any("", "secrets", "get") {
        Some("create on pods and get on secrets in every namespace, kube-system included")
    } else {
        None
    }
}
