//! ORC-030: no workload runs as a service account that holds cluster-admin-equivalent rights,
//! found by following binding → role → rules from the pod's service account.

use super::rbac::{effective_rules, roles};
use super::rbac_rights::admin_equivalent;
use crate::eval::ctx::{draft, namespace_of, Ctx, Outcome};
use crate::evidence::kinds::rbac::{BindingFacts, RoleFacts};
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
    // What each ClusterRoleBinding grants, judged once: the binding's name, its role, and the
    // cluster-admin-equivalent right (`Ok(None)`: none; `Err(())`: the role is not supplied).
    type Grant<'a> = (&'a str, &'a str, Result<Option<&'static str>, ()>);
    let grants: Vec<(&BindingFacts, Grant<'_>)> = binds
        .iter()
        .filter(|(_, b)| b.cluster)
        .map(|(bi, b)| {
            let role = b.role_name.value.as_str();
            let binding = bi.origin.name.as_deref().unwrap_or("");
            let held: Option<&RoleFacts> = all
                .iter()
                .find(|(_, r)| r.cluster && r.name == role)
                .map(|(_, r)| *r);
            let right = match held {
                Some(r) => {
                    let rules: Vec<_> = effective_rules(r, &all).iter().map(|j| j.rule).collect();
                    Ok(admin_equivalent(&rules))
                }
                None => builtin(role).ok_or(()),
            };
            (*b, (binding, role, right))
        })
        .collect();
    // Which bindings name a service account, indexed once (service account, namespace group,
    // every service account), so each workload looks up its own instead of scanning them all.
    let mut by_account: std::collections::HashMap<(&str, &str), Vec<usize>> = Default::default();
    let mut by_namespace: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    let mut everyone: Vec<usize> = Vec::new();
    for (i, (b, _)) in grants.iter().enumerate() {
        for s in &b.subjects {
            match s.kind.as_str() {
                "ServiceAccount" => by_account
                    .entry((s.namespace.as_deref().unwrap_or("default"), s.name.as_str()))
                    .or_default()
                    .push(i),
                "Group" if s.name == "system:serviceaccounts" => everyone.push(i),
                "Group" => {
                    if let Some(ns) = s.name.strip_prefix("system:serviceaccounts:") {
                        by_namespace.entry(ns).or_default().push(i);
                    }
                }
                "User" => {
                    if let Some((ns, sa)) = s
                        .name
                        .strip_prefix("system:serviceaccount:")
                        .and_then(|rest| rest.split_once(':'))
                    {
                        by_account.entry((ns, sa)).or_default().push(i);
                    }
                }
                _ => {}
            }
        }
    }
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
        let mut hits: Vec<usize> = by_account
            .get(&(ns, sa))
            .into_iter()
            .flatten()
            .chain(by_namespace.get(ns).into_iter().flatten())
            .chain(&everyone)
            .copied()
            .collect();
        hits.sort_unstable();
        hits.dedup();
        for (_, (binding, role, right)) in hits.iter().filter_map(|i| grants.get(*i)) {
            match right {
                Ok(Some(right)) => found.push(format!(
                    "ClusterRoleBinding `{binding}` binds it to ClusterRole `{role}`, which grants {right}"
                )),
                Ok(None) => {}
                Err(()) => unknown.push(format!("ClusterRole `{role}` (bound by `{binding}`)")),
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
