//! RBAC checks: who holds cluster-admin, wildcard rules, Secret readers, escalation rights.

use crate::eval::ctx::{draft, pass_or, Ctx, Outcome};
use crate::evidence::kinds::rbac::{RoleFacts, Rule};
use crate::evidence::{Evidence, EvidenceKind, Item};
use crate::report::Status;

pub(super) fn roles<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Item, &'a RoleFacts)> {
    ctx.set
        .of(EvidenceKind::Role)
        .filter_map(|i| match &i.evidence {
            Evidence::Role(r) => Some((i, r)),
            _ => None,
        })
        .collect()
}

/// A rule as judged: the rule, and the ClusterRole it was aggregated from (if it was).
pub(super) struct Judged<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// The ClusterRole it was aggregated from.
    pub from: Option<&'a str>,
}

/// The rules a role holds: its own, and for an aggregated ClusterRole those of every other
/// ClusterRole in the evidence that its `clusterRoleSelectors` select (as the aggregation
/// controller fills them in).
pub(super) fn effective_rules<'a>(
    role: &'a RoleFacts,
    all: &[(&'a Item, &'a RoleFacts)],
) -> Vec<Judged<'a>> {
    let mut out: Vec<Judged<'a>> = role
        .rules
        .iter()
        .map(|rule| Judged { rule, from: None })
        .collect();
    if role.cluster && role.aggregated {
        for (_, other) in all {
            let selected = other.cluster
                && !std::ptr::eq(*other, role)
                && role.aggregation.iter().any(|s| s.matches(&other.labels));
            if selected {
                out.extend(other.rules.iter().map(|rule| Judged {
                    rule,
                    from: Some(other.name.as_str()),
                }));
            }
        }
    }
    out
}

pub(super) fn per_role(
    ctx: &Ctx<'_>,
    pass: &str,
    f: impl Fn(&RoleFacts, &Rule) -> Vec<String>,
) -> Outcome {
    per_role_with(ctx, pass, f, |_, _| None)
}

/// [`per_role`], with `whole` judging a role's rules together (a right that takes two rules);
/// it names the rule to locate the finding at.
fn per_role_with(
    ctx: &Ctx<'_>,
    pass: &str,
    f: impl Fn(&RoleFacts, &Rule) -> Vec<String>,
    whole: impl Fn(&RoleFacts, &[&Rule]) -> Option<(usize, String)>,
) -> Outcome {
    let list = roles(ctx);
    if list.is_empty() {
        return Outcome::NotAssessed("no Roles or ClusterRoles in the evidence".to_owned());
    }
    let mut out = Vec::new();
    for (item, role) in &list {
        // Only the objects Kubernetes itself creates are out of scope, by their label: a
        // name such as `system:anything` or `admin` is the manifest author's choice.
        if role.is_bootstrap() {
            out.push(bootstrap(item));
            continue;
        }
        let mut fails = Vec::new();
        let judged = effective_rules(role, &list);
        let located = |j: &Judged<'_>, m: String| match j.from {
            None => draft(item, Some(&j.rule.loc), Status::Fail, m),
            Some(from) => draft(
                item,
                role.aggregation_loc.as_ref(),
                Status::Fail,
                format!("aggregates from ClusterRole `{from}`: {m}"),
            ),
        };
        for j in &judged {
            for m in f(role, j.rule) {
                fails.push(located(j, m));
            }
        }
        let rules: Vec<&Rule> = judged.iter().map(|j| j.rule).collect();
        if let Some((i, m)) = whole(role, &rules) {
            if let Some(j) = judged.get(i) {
                fails.push(located(j, m));
            }
        }
        if role.aggregated && role.rules.is_empty() && fails.is_empty() && judged.is_empty() {
            out.push(draft(
                item,
                role.aggregation_loc.as_ref(),
                Status::NotAssessed,
                "aggregated ClusterRole whose selected ClusterRoles are not in the evidence",
            ));
            continue;
        }
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
        // `*/scale` matches that subresource of every resource, so it is a wildcard too.
        if r.resources.iter().any(|g| g == "*" || g.starts_with("*/")) {
            parts.push("resources");
        }
        if r.verbs.iter().any(|g| g == "*") {
            parts.push("verbs");
        }
        if r.non_resource_urls
            .iter()
            .any(|u| u == "*" || u.ends_with('*'))
        {
            parts.push("nonResourceURLs");
        }
        if parts.is_empty() {
            Vec::new()
        } else {
            vec![format!("rule uses `*` in {}", parts.join(", "))]
        }
    })
}

/// ORC-009: only approved roles (`rbac.secret_reader_roles`) can read Secrets.
pub fn secret_access(ctx: &Ctx<'_>) -> Outcome {
    let allowed = ctx.params.list("rbac.secret_reader_roles");
    per_role(ctx, "grants no read access to Secrets", |role, r| {
        if allowed.contains(&role.name) {
            return Vec::new();
        }
        let verbs: Vec<&str> = ["get", "list", "watch"]
            .into_iter()
            .filter(|v| r.grants("", "secrets", v))
            .collect();
        if verbs.is_empty() {
            Vec::new()
        } else {
            vec![format!("rule grants {} on secrets", verbs.join("/"))]
        }
    })
}

/// ORC-010: no escalation-capable permissions outside approved roles (`rbac.escalation_roles`),
/// each right its own finding, matched as the RBAC authorizer matches rules.
pub fn escalation(ctx: &Ctx<'_>) -> Outcome {
    let allowed = ctx.params.list("rbac.escalation_roles");
    let approved = |role: &RoleFacts| allowed.contains(&role.name);
    per_role_with(
        ctx,
        "grants no privilege-escalation permission",
        |role, r| {
            if approved(role) {
                return Vec::new();
            }
            escalation_rights(r)
        },
        |role, rules| {
            // Approving a CSR takes update on its approval subresource and approve on the
            // signer, which may come from two rules.
            if approved(role) {
                return None;
            }
            let approval = rules
                .iter()
                .position(|r| r.grants(CERTS, "certificatesigningrequests/approval", "update"))?;
            rules.iter().any(|r| r.grants(CERTS, "signers", "approve")).then(|| {
                (approval, "grants update on certificatesigningrequests/approval and approve on signers (issuing client certificates)".to_owned())
            })
        },
    )
}

pub(super) const RBAC: &str = "rbac.authorization.k8s.io";
const ADMISSION: &str = "admissionregistration.k8s.io";
const CERTS: &str = "certificates.k8s.io";
const AUTHN: &str = "authentication.k8s.io";

/// The escalation rights one rule grants, one message each.
fn escalation_rights(r: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    for (verb, what) in [("bind", "bind"), ("escalate", "escalate")] {
        let on: Vec<&str> = ["roles", "clusterroles"]
            .into_iter()
            .filter(|res| r.grants(RBAC, res, verb))
            .collect();
        if !on.is_empty() {
            out.push(format!(
                "grants `{what}` on {} (a subject can grant itself rights it does not hold)",
                on.join(" and ")
            ));
        }
    }
    let mut impersonate: Vec<&str> = ["users", "groups", "serviceaccounts"]
        .into_iter()
        .filter(|res| r.grants("", res, "impersonate"))
        .collect();
    if r.grants(AUTHN, "uids", "impersonate") {
        impersonate.push("uids");
    }
    if r.grants_prefix(AUTHN, "userextras/", "impersonate") {
        impersonate.push("userextras");
    }
    if !impersonate.is_empty() {
        out.push(format!(
            "grants `impersonate` on {} (acting as another identity)",
            impersonate.join(", ")
        ));
    }
    for res in [
        "validatingwebhookconfigurations",
        "mutatingwebhookconfigurations",
    ] {
        let verbs: Vec<&str> = ["create", "update", "patch"]
            .into_iter()
            .filter(|v| r.grants(ADMISSION, res, v))
            .collect();
        if !verbs.is_empty() {
            out.push(format!(
                "grants {} on {res} (an admission webhook sees or rewrites every request it matches)",
                verbs.join("/")
            ));
        }
    }
    let proxy: Vec<&str> = ["get", "create", "update", "patch", "delete"]
        .into_iter()
        .filter(|v| r.grants("", "nodes/proxy", v))
        .collect();
    if !proxy.is_empty() {
        out.push(format!(
            "grants {} on nodes/proxy (the kubelet API, including exec into any pod on the node)",
            proxy.join("/")
        ));
    }
    if r.grants("", "serviceaccounts/token", "create") {
        out.push(
            "grants create on serviceaccounts/token (minting tokens for any service account in scope)"
                .to_owned(),
        );
    }
    out
}

/// ORC-025: no binding grants a role to everyone (`system:anonymous`, `system:unauthenticated`,
/// `system:authenticated`) or to a namespace's `default` service account (CIS 5.1.5). Only
/// Kubernetes' own bootstrap bindings are out of scope, by their label.
pub fn open_bindings(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for item in ctx.set.of(EvidenceKind::Binding) {
        let Evidence::Binding(b) = &item.evidence else {
            continue;
        };
        if b.bootstrap {
            out.push(draft(
                item,
                None,
                Status::NotApplicable,
                "Kubernetes bootstrap binding (label `kubernetes.io/bootstrapping: rbac-defaults`)",
            ));
            continue;
        }
        let role = format!("{} `{}`", b.role_kind, b.role_name.value);
        let loc = b.subjects_loc.as_ref();
        let mut fails = Vec::new();
        for s in &b.subjects {
            let everyone = match (s.kind.as_str(), s.name.as_str()) {
                ("User" | "Group", "system:anonymous") => Some("anonymous requests"),
                ("Group", "system:unauthenticated") => Some("every unauthenticated request"),
                ("Group", "system:authenticated") => Some("every authenticated identity"),
                _ => None,
            };
            if let Some(who) = everyone {
                fails.push(draft(
                    item,
                    loc,
                    Status::Fail,
                    format!("binds {role} to {} `{}`: {who}", s.kind, s.name),
                ));
            } else if s.kind == "ServiceAccount" && s.name == "default" {
                fails.push(draft(
                    item,
                    loc,
                    Status::Fail,
                    format!(
                        "binds {role} to the `default` service account of `{}`, which every pod without its own service account runs as",
                        s.namespace.as_deref().unwrap_or("default")
                    ),
                ));
            }
        }
        out.extend(pass_or(
            item,
            None,
            fails,
            "binds no role to everyone or to a default service account",
        ));
    }
    if out.is_empty() {
        Outcome::NotAssessed("no RoleBindings or ClusterRoleBindings in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

/// Kubernetes' own bootstrap objects are out of scope, by their label (never by a name).
pub(super) fn bootstrap(item: &Item) -> crate::eval::ctx::Draft {
    draft(
        item,
        None,
        Status::NotApplicable,
        "Kubernetes bootstrap role (label `kubernetes.io/bootstrapping: rbac-defaults`)",
    )
}
