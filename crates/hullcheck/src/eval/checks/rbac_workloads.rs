//! ORC-030: no workload runs as a service account that holds cluster-admin-equivalent rights,
//! found by following binding → role → rules from the pod's service account.

use super::rbac::{effective_rules, roles};
use super::rbac_rights::admin_equivalent;
use crate::eval::ctx::{draft, namespace_of, Ctx, Outcome};
use crate::evidence::kinds::rbac::{BindingFacts, BindingSubject, RoleFacts};
use crate::evidence::{Evidence, EvidenceKind, Item};
use crate::report::Status;

/// What a default ClusterRole of Kubernetes grants when its object is not in the evidence: the
/// user-facing roles are documented, so they need not be supplied.
fn builtin(name: &str) -> Option<Option<&'static str>> {
    match name {
        "cluster-admin" => Some(Some("every verb on every resource")),
        "admin" | "edit" => Some(Some(
            "create on pods and get on secrets in every namespace, kube-system included",
        )),
        "view" => Some(None),
        _ => None,
    }
}

/// True when the binding's subject includes service account `ns/sa`, directly or through the
/// groups every service account belongs to.
fn names(s: &BindingSubject, ns: &str, sa: &str) -> bool {
    match s.kind.as_str() {
        "ServiceAccount" => s.name == sa && s.namespace.as_deref().unwrap_or("default") == ns,
        "Group" => {
            s.name == "system:serviceaccounts"
                || s.name.strip_prefix("system:serviceaccounts:") == Some(ns)
        }
        "User" => s.name == format!("system:serviceaccount:{ns}:{sa}"),
        _ => false,
    }
}

/// ORC-030: each workload's service account holds no cluster-admin-equivalent right.
pub fn workload_admin(ctx: &Ctx<'_>) -> Outcome {
    let binds: Vec<(&Item, &BindingFacts)> = ctx
        .set
        .of(EvidenceKind::Binding)
        .filter_map(|i| match &i.evidence {
            Evidence::Binding(b) => Some((i, b)),
            _ => None,
        })
        .collect();
    if binds.is_empty() {
        return Outcome::NotAssessed(
            "no RoleBindings or ClusterRoleBindings in the evidence to follow".to_owned(),
        );
    }
    let all = roles(ctx);
    let mut out = Vec::new();
    let mut any = false;
    for (item, pod) in ctx.set.workloads() {
        any = true;
        let ns = namespace_of(item);
        let sa = pod
            .service_account
            .as_ref()
            .map_or("default", |s| s.value.as_str());
        let loc = pod.service_account.as_ref().map_or(&pod.loc, |s| &s.loc);
        let mut found = Vec::new();
        let mut unknown = Vec::new();
        // Only ClusterRoleBindings grant rights in every namespace.
        for (bi, b) in binds.iter().filter(|(_, b)| b.cluster) {
            if !b.subjects.iter().any(|s| names(s, ns, sa)) {
                continue;
            }
            let role = &b.role_name.value;
            let binding = bi.origin.name.as_deref().unwrap_or("");
            let held: Option<&RoleFacts> = all
                .iter()
                .find(|(_, r)| r.cluster && &r.name == role)
                .map(|(_, r)| *r);
            let right = match held {
                Some(r) => {
                    let rules: Vec<_> = effective_rules(r, &all).iter().map(|j| j.rule).collect();
                    admin_equivalent(&rules)
                }
                None => match builtin(role) {
                    Some(right) => right,
                    None => {
                        unknown.push(format!("ClusterRole `{role}` (bound by `{binding}`)"));
                        continue;
                    }
                },
            };
            if let Some(right) = right {
                found.push(format!(
                    "ClusterRoleBinding `{binding}` binds it to ClusterRole `{role}`, which grants {right}"
                ));
            }
        }
        let who = format!("runs as service account `{ns}/{sa}`");
        if !found.is_empty() {
            for f in found {
                out.push(draft(item, Some(loc), Status::Fail, format!("{who}: {f}")));
            }
        } else if !unknown.is_empty() {
            out.push(draft(
                item,
                Some(loc),
                Status::NotAssessed,
                format!(
                    "{who}, bound to {}, which the evidence does not contain",
                    unknown.join(", ")
                ),
            ));
        } else {
            out.push(draft(
                item,
                Some(loc),
                Status::Pass,
                format!("{who}, which no ClusterRoleBinding in the evidence gives cluster-admin-equivalent rights"),
            ));
        }
    }
    if any {
        Outcome::Findings(out)
    } else {
        Outcome::NotAssessed("no Kubernetes workloads in the evidence".to_owned())
    }
}
