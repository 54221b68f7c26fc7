//! Cross-evidence checks over namespaces: Pod Security Admission labels, default-deny network
//! policies, metadata-endpoint blocking, quotas, and the cluster-wide agents and policy engines.

use std::collections::{BTreeMap, BTreeSet};

use crate::eval::ctx::{draft, namespace_of, Ctx, Draft, Outcome};
use crate::evidence::kinds::cni::CniPolicyFacts;
use crate::evidence::kinds::network::NetworkPolicyFacts;
use crate::evidence::{Evidence, EvidenceKind, Item};
use crate::report::Status;

/// Namespaces that hold workloads, with the first workload of each, minus exempt namespaces.
pub fn workload_namespaces<'a>(ctx: &'a Ctx<'_>) -> BTreeMap<String, &'a Item> {
    let exempt = ctx.params.list("namespaces.exempt");
    let mut out = BTreeMap::new();
    for (item, _) in ctx.set.workloads() {
        let ns = namespace_of(item);
        if !exempt.iter().any(|e| e == ns) {
            out.entry(ns.to_owned()).or_insert(item);
        }
    }
    out
}

fn policies_by_ns<'a>(
    ctx: &'a Ctx<'_>,
) -> BTreeMap<String, Vec<(&'a Item, &'a NetworkPolicyFacts)>> {
    let mut out: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for item in ctx.set.of(EvidenceKind::NetworkPolicy) {
        if let Evidence::NetworkPolicy(p) = &item.evidence {
            out.entry(namespace_of(item).to_owned())
                .or_default()
                .push((item, p));
        }
    }
    out
}

fn namespace_subject(item: &Item, ns: &str) -> Draft {
    let mut d = draft(item, None, Status::Pass, "");
    d.subject = std::sync::Arc::new(crate::report::Subject {
        kind: Some("Namespace".into()),
        name: Some(ns.into()),
        namespace: Some(ns.into()),
        ..Default::default()
    });
    d
}

/// The hint in a not-assessed note where absence would be evidence in a snapshot.
pub const SNAPSHOT_HINT: &str = "if the evidence is a complete snapshot of the cluster, declare it (`--snapshot`, or the parameter `evidence.snapshot: true`) and absence counts as evidence";

fn per_namespace(ctx: &Ctx<'_>, needs: EvidenceKind, f: impl Fn(&str, &Item) -> Draft) -> Outcome {
    let namespaces = workload_namespaces(ctx);
    if namespaces.is_empty() {
        return Outcome::NotAssessed(
            "no workloads outside exempt namespaces in the evidence".to_owned(),
        );
    }
    // In a declared snapshot, evidence that is not there is not in the cluster either.
    if ctx.set.none(needs) && !ctx.params.bool("evidence.snapshot") {
        return Outcome::NotAssessed(format!(
            "no evidence of kind `{}` was supplied; {SNAPSHOT_HINT}",
            needs.name()
        ));
    }
    Outcome::Findings(namespaces.iter().map(|(ns, item)| f(ns, item)).collect())
}

fn default_deny(ctx: &Ctx<'_>, direction: &str) -> Outcome {
    let by_ns = policies_by_ns(ctx);
    let cni: Vec<(&Item, &CniPolicyFacts)> = ctx
        .set
        .of(EvidenceKind::CniPolicy)
        .filter_map(|i| match &i.evidence {
            Evidence::CniPolicy(p) => Some((i, p)),
            _ => None,
        })
        .collect();
    let snapshot = ctx.params.bool("evidence.snapshot");
    let namespaces = workload_namespaces(ctx);
    if namespaces.is_empty() {
        return Outcome::NotAssessed(
            "no workloads outside exempt namespaces in the evidence".to_owned(),
        );
    }
    if by_ns.is_empty() && cni.is_empty() && !snapshot {
        return Outcome::NotAssessed(format!(
            "no NetworkPolicy, Cilium or Calico network policy in the evidence; {SNAPSHOT_HINT}"
        ));
    }
    let dir = direction.to_lowercase();
    let pass = |item: &Item, what: &str, ns: &str| {
        let mut d = draft(
            item,
            None,
            Status::Pass,
            format!(
                "{what} `{}` denies all {dir} by default",
                item.origin.name.clone().unwrap_or_default()
            ),
        );
        d.subject = namespace_subject(item, ns).subject;
        d
    };
    let findings = namespaces
        .iter()
        .map(|(ns, first)| {
            if let Some((item, _)) = by_ns
                .get(ns.as_str())
                .and_then(|ps| ps.iter().find(|(_, p)| p.denies_all(direction)))
            {
                return pass(item, "NetworkPolicy", ns);
            }
            if let Some((item, _)) = cni
                .iter()
                .find(|(i, p)| p.denies_all(namespace_of(i), ns, direction))
            {
                return pass(item, &item.origin.kind, ns);
            }
            let mut d = namespace_subject(first, ns);
            d.status = Status::Fail;
            d.message = format!(
                "namespace `{ns}` has workloads but no default-deny {dir} policy (NetworkPolicy, Cilium or Calico){}",
                if by_ns.is_empty() && cni.is_empty() {
                    ": the declared snapshot holds no network policy at all"
                } else {
                    ""
                }
            )
            .into();
            d
        })
        .collect();
    Outcome::Findings(findings)
}

/// NET-001: every namespace with workloads has a default-deny ingress NetworkPolicy.
pub fn default_deny_ingress(ctx: &Ctx<'_>) -> Outcome {
    default_deny(ctx, "Ingress")
}

/// NET-002: every namespace with workloads has a default-deny egress NetworkPolicy.
pub fn default_deny_egress(ctx: &Ctx<'_>) -> Outcome {
    default_deny(ctx, "Egress")
}

fn parse_v4(cidr: &str) -> Option<(u32, u32)> {
    let (addr, len) = cidr.split_once('/').unwrap_or((cidr, "32"));
    let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
    let mut v = 0u32;
    let parts: Vec<&str> = addr.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    for p in parts {
        v = (v << 8) | p.parse::<u8>().ok().map(u32::from)?;
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Some((v & mask, mask))
}

/// True when `cidr` contains the IPv4 address `ip`.
pub fn cidr_contains(cidr: &str, ip: &str) -> bool {
    match (parse_v4(cidr), parse_v4(ip)) {
        (Some((net, mask)), Some((addr, _))) => addr & mask == net,
        _ => false,
    }
}

/// NET-008: workloads cannot reach the cloud metadata endpoint (169.254.169.254).
pub fn metadata_blocked(ctx: &Ctx<'_>) -> Outcome {
    const METADATA: &str = "169.254.169.254";
    let by_ns = policies_by_ns(ctx);
    per_namespace(ctx, EvidenceKind::NetworkPolicy, |ns, first| {
        let policies = by_ns.get(ns).map(Vec::as_slice).unwrap_or_default();
        let mut d = namespace_subject(first, ns);
        if !policies.iter().any(|(_, p)| p.denies_all("Egress")) {
            d.status = Status::Fail;
            d.message = format!("namespace `{ns}` has no default-deny egress, so the metadata endpoint is reachable").into();
            return d;
        }
        for (item, p) in policies {
            if let Some(loc) = &p.egress_to_anywhere {
                let mut f = draft(
                    item,
                    Some(loc),
                    Status::Fail,
                    format!(
                        "an egress rule in `{}` allows every destination, including {METADATA}",
                        item.origin.name.clone().unwrap_or_default()
                    ),
                );
                f.subject = d.subject.clone();
                return f;
            }
            for b in &p.egress_blocks {
                if cidr_contains(&b.cidr, METADATA)
                    && !b.except.iter().any(|e| cidr_contains(e, METADATA))
                {
                    let mut f = draft(
                        item,
                        Some(&b.loc),
                        Status::Fail,
                        format!(
                            "egress to `{}` includes {METADATA} without an `except`",
                            b.cidr
                        ),
                    );
                    f.subject = d.subject.clone();
                    return f;
                }
            }
        }
        d.message =
            format!("egress from `{ns}` is denied by default and no rule reaches {METADATA}")
                .into();
        d
    })
}

/// ORC-005: every workload namespace enforces the required Pod Security Standards level.
pub fn namespaces_restricted(ctx: &Ctx<'_>) -> Outcome {
    let required = ctx.params.string("pss.required_level");
    let namespaces: BTreeMap<String, &Item> = ctx
        .set
        .of(EvidenceKind::Namespace)
        .filter_map(|i| i.origin.name.as_deref().map(|n| (n.to_owned(), i)))
        .collect();
    per_namespace(ctx, EvidenceKind::Namespace, |ns, first| {
        let Some(item) = namespaces.get(ns) else {
            let mut d = namespace_subject(first, ns);
            if ctx.params.bool("evidence.snapshot") {
                d.status = Status::Fail;
                d.message = format!("namespace `{ns}` has workloads but the declared snapshot holds no Namespace object for it, so no Pod Security level is enforced there").into();
            } else {
                d.status = Status::NotAssessed;
                d.message = format!("namespace `{ns}` has workloads but no Namespace object in the evidence; {SNAPSHOT_HINT}").into();
            }
            return d;
        };
        let Evidence::Namespace(facts) = &item.evidence else {
            return draft(item, None, Status::Error, "namespace could not be read");
        };
        match facts.label("pod-security.kubernetes.io/enforce") {
            Some(l) if l.value == required => draft(
                item,
                Some(&l.loc),
                Status::Pass,
                format!("enforces the `{required}` Pod Security Standard"),
            ),
            Some(l) => draft(
                item,
                Some(&l.loc),
                Status::Fail,
                format!("enforces `{}`, not `{required}`", l.value),
            ),
            None => draft(
                item,
                None,
                Status::Fail,
                "has no `pod-security.kubernetes.io/enforce` label",
            ),
        }
    })
}

fn admission<'a>(
    ctx: &Ctx<'a>,
) -> Vec<(
    &'a Item,
    &'a crate::evidence::kinds::cluster::AdmissionFacts,
)> {
    ctx.set
        .of(EvidenceKind::Admission)
        .filter_map(|i| match &i.evidence {
            Evidence::Admission(a) => Some((i, a)),
            _ => None,
        })
        .collect()
}

/// ORC-004: an enforcing admission policy engine is in place (or PSA enforces everywhere).
pub fn enforcing_admission(ctx: &Ctx<'_>) -> Outcome {
    let policies = admission(ctx);
    if policies.is_empty() {
        return Outcome::NotAssessed(
            "no Kyverno, Gatekeeper or ValidatingAdmissionPolicy objects in the evidence"
                .to_owned(),
        );
    }
    let out = policies
        .iter()
        .map(|(item, a)| {
            if a.enforcing {
                draft(
                    item,
                    None,
                    Status::Pass,
                    format!("{:?} policy denies violating requests", a.engine),
                )
            } else {
                draft(
                    item,
                    None,
                    Status::Fail,
                    format!(
                        "{:?} policy only audits or warns; it does not deny",
                        a.engine
                    ),
                )
            }
        })
        .collect();
    Outcome::Findings(out)
}

/// ORC-020: admission verifies image signatures or attestations.
pub fn image_verification(ctx: &Ctx<'_>) -> Outcome {
    let policies = admission(ctx);
    let Some((first, _)) = policies.first() else {
        return Outcome::NotAssessed("no admission policies in the evidence".to_owned());
    };
    let verifying: Vec<Draft> = policies
        .iter()
        .filter(|(_, a)| a.verifies_images && a.enforcing)
        .map(|(item, _)| {
            draft(
                item,
                None,
                Status::Pass,
                "verifies image signatures at admission and blocks failures",
            )
        })
        .collect();
    if verifying.is_empty() {
        Outcome::Findings(vec![draft(
            first,
            None,
            Status::Fail,
            "no enforcing admission policy verifies image signatures or attestations",
        )])
    } else {
        Outcome::Findings(verifying)
    }
}

/// ORC-021: every workload namespace has a ResourceQuota and a LimitRange.
pub fn quota_and_limits(ctx: &Ctx<'_>) -> Outcome {
    if ctx.set.none(EvidenceKind::ResourceQuota) && ctx.set.none(EvidenceKind::LimitRange) {
        return Outcome::NotAssessed(
            "no ResourceQuota or LimitRange objects in the evidence".to_owned(),
        );
    }
    let has =
        |kind: EvidenceKind| -> BTreeSet<&str> { ctx.set.of(kind).map(namespace_of).collect() };
    let (quotas, limits) = (
        has(EvidenceKind::ResourceQuota),
        has(EvidenceKind::LimitRange),
    );
    per_namespace(ctx, EvidenceKind::Workload, |ns, first| {
        let mut d = namespace_subject(first, ns);
        let missing: Vec<&str> = [("ResourceQuota", &quotas), ("LimitRange", &limits)]
            .iter()
            .filter(|(_, set)| !set.contains(ns))
            .map(|(k, _)| *k)
            .collect();
        if missing.is_empty() {
            d.message = format!("namespace `{ns}` has a ResourceQuota and a LimitRange").into();
        } else {
            d.status = Status::Fail;
            d.message = format!("namespace `{ns}` has no {}", missing.join(" and no ")).into();
        }
        d
    })
}

/// DaemonSets whose images match one of `patterns`.
fn daemonsets_matching<'a>(ctx: &'a Ctx<'_>, patterns: &[String]) -> Vec<(&'a Item, String)> {
    let mut out = Vec::new();
    for (item, pod) in ctx.set.workloads() {
        if &*item.origin.kind != "DaemonSet" {
            continue;
        }
        for c in &pod.containers {
            let image = c.image.clone().unwrap_or_default().to_ascii_lowercase();
            if let Some(p) = patterns
                .iter()
                .find(|p| image.contains(&p.to_ascii_lowercase()))
            {
                out.push((item, p.clone()));
                break;
            }
        }
    }
    out
}

fn agent(ctx: &Ctx<'_>, param: &str, what: &str) -> Outcome {
    let Some((first, _)) = ctx.set.workloads().next() else {
        return Outcome::NotAssessed("no workloads in the evidence".to_owned());
    };
    let found = daemonsets_matching(ctx, &ctx.params.list(param));
    if found.is_empty() {
        return Outcome::Findings(vec![draft(
            first,
            None,
            Status::Fail,
            format!("no {what} DaemonSet (images named in `{param}`) is deployed"),
        )]);
    }
    Outcome::Findings(
        found
            .into_iter()
            .map(|(item, p)| {
                draft(
                    item,
                    None,
                    Status::Pass,
                    format!("{what} agent `{p}` runs on every node"),
                )
            })
            .collect(),
    )
}

/// RUN-029: a runtime threat-detection agent runs as a DaemonSet.
pub fn runtime_detection(ctx: &Ctx<'_>) -> Outcome {
    agent(ctx, "runtime.detection_agents", "runtime threat-detection")
}

/// LOG-004: a log-shipping agent runs as a DaemonSet.
pub fn log_shipper(ctx: &Ctx<'_>) -> Outcome {
    agent(ctx, "logging.shipper_agents", "log-shipping")
}

/// NET-003: the CNI enforces NetworkPolicy.
pub fn cni_enforces(ctx: &Ctx<'_>) -> Outcome {
    let enforcing = ctx.params.list("network.enforcing_cnis");
    let known: Vec<String> = enforcing
        .iter()
        .cloned()
        .chain([
            "flannel".to_owned(),
            "kindnet".to_owned(),
            "aws-node".to_owned(),
        ])
        .collect();
    let found = daemonsets_matching(ctx, &known);
    if found.is_empty() {
        return Outcome::NotAssessed("no CNI DaemonSet recognised in the evidence".to_owned());
    }
    let ok: Vec<Draft> = found
        .iter()
        .filter(|(_, p)| enforcing.contains(p))
        .map(|(item, p)| {
            draft(
                item,
                None,
                Status::Pass,
                format!("CNI `{p}` enforces NetworkPolicy"),
            )
        })
        .collect();
    if ok.is_empty() {
        Outcome::Findings(
            found
                .iter()
                .map(|(item, p)| {
                    draft(
                        item,
                        None,
                        Status::Fail,
                        format!(
                            "CNI `{p}` does not enforce NetworkPolicy, so policies are not applied"
                        ),
                    )
                })
                .collect(),
        )
    } else {
        Outcome::Findings(ok)
    }
}
