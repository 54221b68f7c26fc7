//! RBAC checks: who holds cluster-admin, wildcard rules, Secret readers, escalation rights.

use crate::eval::ctx::{draft, pass_or, Ctx, Outcome};
use crate::evidence::kinds::rbac::{RoleFacts, Rule};
use crate::evidence::{Evidence, EvidenceKind, Item};
use crate::report::Status;

fn roles<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Item, &'a RoleFacts)> {
    ctx.set
        .of(EvidenceKind::Role)
        .filter_map(|i| match &i.evidence {
            Evidence::Role(r) => Some((i, r)),
            _ => None,
        })
        .collect()
}

/// Bootstrap roles maintained by Kubernetes itself are out of scope.
fn is_system(role: &RoleFacts) -> bool {
    role.name.starts_with("system:")
        || matches!(
            role.name.as_str(),
            "cluster-admin" | "admin" | "edit" | "view"
        )
}

fn per_role(ctx: &Ctx<'_>, pass: &str, f: impl Fn(&RoleFacts, &Rule) -> Option<String>) -> Outcome {
    let list = roles(ctx);
    if list.is_empty() {
        return Outcome::NotAssessed("no Roles or ClusterRoles in the evidence".to_owned());
    }
    let mut out = Vec::new();
    for (item, role) in list {
        if is_system(role) || role.aggregated {
            out.push(draft(
                item,
                None,
                Status::NotApplicable,
                "bootstrap or aggregated role maintained by Kubernetes",
            ));
            continue;
        }
        let fails = role
            .rules
            .iter()
            .filter_map(|r| f(role, r).map(|m| draft(item, Some(&r.loc), Status::Fail, m)))
            .collect();
        out.extend(pass_or(item, None, fails, pass));
    }
    Outcome::Findings(out)
}

/// ORC-007: cluster-admin is bound only to approved subjects (`rbac.cluster_admin_subjects`).
pub fn cluster_admin(ctx: &Ctx<'_>) -> Outcome {
    let approved = ctx.params.list("rbac.cluster_admin_subjects");
    let mut out = Vec::new();
    let mut any = false;
    for item in ctx.set.of(EvidenceKind::Binding) {
        let Evidence::Binding(b) = &item.evidence else {
            continue;
        };
        any = true;
        if b.role_name.value != "cluster-admin" || b.role_kind != "ClusterRole" {
            continue;
        }
        let unapproved: Vec<String> = b
            .subjects
            .iter()
            .map(|s| {
                format!(
                    "{}:{}",
                    s.kind,
                    match &s.namespace {
                        Some(ns) if s.kind == "ServiceAccount" => format!("{ns}/{}", s.name),
                        _ => s.name.clone(),
                    }
                )
            })
            .filter(|s| !approved.contains(s))
            .collect();
        out.push(if unapproved.is_empty() {
            draft(
                item,
                Some(&b.role_name.loc),
                Status::Pass,
                "binds cluster-admin only to approved subjects",
            )
        } else {
            draft(
                item,
                Some(&b.role_name.loc),
                Status::Fail,
                format!(
                    "binds cluster-admin to unapproved subjects: {}",
                    unapproved.join(", ")
                ),
            )
        });
    }
    if !any {
        return Outcome::NotAssessed(
            "no RoleBindings or ClusterRoleBindings in the evidence".to_owned(),
        );
    }
    if out.is_empty() {
        // Bindings were supplied and none grants cluster-admin.
        if let Some(item) = ctx.set.of(EvidenceKind::Binding).next() {
            out.push(draft(
                item,
                None,
                Status::Pass,
                "no binding in the evidence grants cluster-admin",
            ));
        }
    }
    Outcome::Findings(out)
}

/// ORC-008: no `*` in apiGroups, resources or verbs of non-system roles.
pub fn no_wildcards(ctx: &Ctx<'_>) -> Outcome {
    per_role(ctx, "no wildcard in any rule", |_, r| {
        let mut parts = Vec::new();
        if r.api_groups.iter().any(|g| g == "*") {
            parts.push("apiGroups");
        }
        if r.resources.iter().any(|g| g == "*" || g.ends_with("/*")) {
            parts.push("resources");
        }
        if r.verbs.iter().any(|g| g == "*") {
            parts.push("verbs");
        }
        (!parts.is_empty()).then(|| format!("rule uses `*` in {}", parts.join(", ")))
    })
}

/// ORC-009: only approved roles (`rbac.secret_reader_roles`) can read Secrets.
pub fn secret_access(ctx: &Ctx<'_>) -> Outcome {
    let allowed = ctx.params.list("rbac.secret_reader_roles");
    per_role(ctx, "grants no read access to Secrets", |role, r| {
        if allowed.contains(&role.name) {
            return None;
        }
        let verbs: Vec<&str> = ["get", "list", "watch"]
            .into_iter()
            .filter(|v| r.grants("", "secrets", v))
            .collect();
        (!verbs.is_empty()).then(|| format!("rule grants {} on secrets", verbs.join("/")))
    })
}

/// ORC-010: no escalation-capable permissions outside approved roles (`rbac.escalation_roles`).
pub fn escalation(ctx: &Ctx<'_>) -> Outcome {
    let allowed = ctx.params.list("rbac.escalation_roles");
    per_role(
        ctx,
        "grants no privilege-escalation permission",
        |role, r| {
            if allowed.contains(&role.name) {
                return None;
            }
            let checks: &[(&str, &str, &str, &str)] = &[
                (
                    "rbac.authorization.k8s.io",
                    "clusterroles",
                    "bind",
                    "bind on roles",
                ),
                (
                    "rbac.authorization.k8s.io",
                    "clusterroles",
                    "escalate",
                    "escalate on roles",
                ),
                ("", "users", "impersonate", "impersonate"),
                (
                    "",
                    "serviceaccounts",
                    "impersonate",
                    "impersonate service accounts",
                ),
                ("", "nodes/proxy", "get", "nodes/proxy"),
                (
                    "",
                    "serviceaccounts/token",
                    "create",
                    "create service account tokens",
                ),
                (
                    "certificates.k8s.io",
                    "certificatesigningrequests/approval",
                    "update",
                    "approve CSRs",
                ),
                (
                    "admissionregistration.k8s.io",
                    "validatingwebhookconfigurations",
                    "create",
                    "create admission webhooks",
                ),
                (
                    "admissionregistration.k8s.io",
                    "mutatingwebhookconfigurations",
                    "create",
                    "create admission webhooks",
                ),
            ];
            let hits: Vec<&str> = checks
                .iter()
                .filter(|(g, res, v, _)| r.grants(g, res, v))
                .map(|(_, _, _, what)| *what)
                .collect();
            let mut hits: Vec<&str> = hits;
            hits.dedup();
            (!hits.is_empty()).then(|| format!("rule grants {}", hits.join(", ")))
        },
    )
}
