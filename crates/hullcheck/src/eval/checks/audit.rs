//! Audit Policy checks: sensitive resources logged at the right level, and a catch-all rule.

use crate::eval::ctx::{draft, Ctx, Outcome};
use crate::evidence::kinds::config::AuditPolicyFacts;
use crate::evidence::{Evidence, EvidenceKind, Item};
use crate::report::Status;

fn per_policy(
    ctx: &Ctx<'_>,
    f: impl Fn(&Item, &AuditPolicyFacts) -> Vec<crate::eval::Draft>,
) -> Outcome {
    let mut out = Vec::new();
    for item in ctx.set.of(EvidenceKind::AuditPolicy) {
        if let Evidence::AuditPolicy(p) = &item.evidence {
            out.extend(f(item, p));
        }
    }
    if out.is_empty() {
        Outcome::NotAssessed("no audit Policy (audit.k8s.io) in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

fn rank(level: &str) -> u8 {
    match level {
        "Metadata" => 1,
        "Request" => 2,
        "RequestResponse" => 3,
        _ => 0,
    }
}

/// LOG-003: Secrets-like resources at exactly Metadata, RBAC writes at RequestResponse,
/// exec/attach/port-forward at Metadata or above.
pub fn sensitive_levels(ctx: &Ctx<'_>) -> Outcome {
    per_policy(ctx, |item, p| {
        let mut fails = Vec::new();
        let mut check =
            |group: &str, resource: &str, verb: &str, ok: &dyn Fn(&str) -> bool, want: &str| {
                let (level, loc) = p.level_for(group, resource, verb);
                if !ok(level) {
                    let g = if group.is_empty() {
                        "core".to_owned()
                    } else {
                        group.to_owned()
                    };
                    fails.push(draft(
                        item,
                        loc.or(Some(&p.loc)),
                        Status::Fail,
                        format!("`{verb}` on {g}/{resource} is logged at {level}; expected {want}"),
                    ));
                }
            };
        for res in ["secrets", "configmaps"] {
            check(
                "",
                res,
                "get",
                &|l| l == "Metadata",
                "exactly Metadata (bodies would copy secret values into the log)",
            );
        }
        check(
            "authentication.k8s.io",
            "tokenreviews",
            "create",
            &|l| l == "Metadata",
            "exactly Metadata",
        );
        for res in [
            "roles",
            "clusterroles",
            "rolebindings",
            "clusterrolebindings",
        ] {
            check(
                "rbac.authorization.k8s.io",
                res,
                "create",
                &|l| l == "RequestResponse",
                "RequestResponse",
            );
        }
        for res in ["pods/exec", "pods/attach", "pods/portforward"] {
            check("", res, "create", &|l| rank(l) >= 1, "Metadata or above");
        }
        if fails.is_empty() {
            vec![draft(
                item,
                Some(&p.loc),
                Status::Pass,
                "sensitive resources are logged at the expected levels",
            )]
        } else {
            fails
        }
    })
}

/// LOG-010: the policy ends with a catch-all rule that logs everything else at Metadata or above.
pub fn catch_all(ctx: &Ctx<'_>) -> Outcome {
    per_policy(ctx, |item, p| {
        let last = p.rules.last();
        match last {
            Some(r) if r.resources.is_empty() && r.verbs.is_empty() && !r.narrowed && rank(&r.level) >= 1 => {
                vec![draft(item, Some(&r.loc), Status::Pass, format!("the last rule logs every other request at {}", r.level))]
            }
            Some(r) => vec![draft(item, Some(&r.loc), Status::Fail, "the last rule is not a catch-all at Metadata or above, so unmatched requests are not logged")],
            None => vec![draft(item, Some(&p.loc), Status::Fail, "the policy has no rules, so nothing is logged")],
        }
    })
}
