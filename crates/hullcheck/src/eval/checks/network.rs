//! Network checks on individual objects: mesh mTLS and authorization, external exposure,
//! TLS on ingress, and ingress snippet annotations.

use crate::eval::ctx::{draft, namespace_of, pass_or, Ctx, Outcome};
use crate::evidence::{Evidence, EvidenceKind};
use crate::report::Status;

/// NET-004: Istio mutual TLS is STRICT mesh-wide and never relaxed.
pub fn mesh_mtls(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    let mut mesh_strict = false;
    for item in ctx.set.of(EvidenceKind::PeerAuthentication) {
        let Evidence::PeerAuthentication(p) = &item.evidence else {
            continue;
        };
        let mode = p.mode.as_ref().map(|m| m.value.as_str());
        let weak: Vec<&str> = mode
            .into_iter()
            .chain(p.port_modes.iter().map(|m| m.value.as_str()))
            .filter(|m| matches!(*m, "PERMISSIVE" | "DISABLE"))
            .collect();
        if !weak.is_empty() {
            let loc = p.mode.as_ref().map(|m| &m.loc);
            out.push(draft(
                item,
                loc,
                Status::Fail,
                format!("PeerAuthentication sets mTLS mode {}", weak.join(", ")),
            ));
        } else if mode == Some("STRICT") {
            mesh_strict |= !p.has_selector
                && namespace_of(item) == ctx.params.string("network.mesh_root_namespace");
            out.push(draft(
                item,
                p.mode.as_ref().map(|m| &m.loc),
                Status::Pass,
                "PeerAuthentication requires STRICT mTLS",
            ));
        }
    }
    if out.is_empty() && ctx.set.none(EvidenceKind::PeerAuthentication) {
        return Outcome::NotAssessed("no Istio PeerAuthentication in the evidence".to_owned());
    }
    if !mesh_strict {
        if let Some(item) = ctx.set.of(EvidenceKind::PeerAuthentication).next() {
            out.push(draft(
                item,
                None,
                Status::Fail,
                format!(
                    "no mesh-wide STRICT PeerAuthentication (no selector) in `{}`",
                    ctx.params.string("network.mesh_root_namespace")
                ),
            ));
        }
    }
    Outcome::Findings(out)
}

/// NET-005: every workload namespace has an Istio allow-nothing default, and no ALLOW policy
/// allows everything.
pub fn mesh_authorization(ctx: &Ctx<'_>) -> Outcome {
    if ctx.set.none(EvidenceKind::AuthorizationPolicy) {
        return Outcome::NotAssessed("no Istio AuthorizationPolicy in the evidence".to_owned());
    }
    let mut out = Vec::new();
    let root = ctx.params.string("network.mesh_root_namespace");
    let policies: Vec<_> = ctx
        .set
        .of(EvidenceKind::AuthorizationPolicy)
        .filter_map(|i| match &i.evidence {
            Evidence::AuthorizationPolicy(p) => Some((i, p)),
            _ => None,
        })
        .collect();
    for (item, p) in &policies {
        if p.allows_everything() {
            out.push(draft(
                item,
                None,
                Status::Fail,
                "ALLOW policy with an empty rule allows every request",
            ));
        }
    }
    // The first namespace-wide allow-nothing policy of each namespace, looked up once per
    // workload namespace (a scan of every policy per namespace was quadratic).
    let mut allow_nothing: std::collections::HashMap<&str, &crate::evidence::Item> =
        std::collections::HashMap::new();
    for (i, p) in &policies {
        if p.allows_nothing() && !p.has_selector {
            allow_nothing.entry(namespace_of(i)).or_insert(*i);
        }
    }
    let mesh_default = allow_nothing.contains_key(root.as_str());
    for (ns, first) in super::cluster::workload_namespaces(ctx) {
        let mut d = match allow_nothing.get(ns.as_str()) {
            Some(i) => draft(
                i,
                None,
                Status::Pass,
                format!("namespace `{ns}` has an allow-nothing AuthorizationPolicy"),
            ),
            None if mesh_default => draft(
                first,
                None,
                Status::Pass,
                format!("namespace `{ns}` is covered by the mesh-wide allow-nothing policy"),
            ),
            None => draft(
                first,
                None,
                Status::Fail,
                format!("namespace `{ns}` has no allow-nothing AuthorizationPolicy"),
            ),
        };
        d.subject = std::sync::Arc::new(crate::report::Subject {
            kind: Some("Namespace".into()),
            name: Some(ns.as_str().into()),
            namespace: Some(ns.into()),
            ..Default::default()
        });
        out.push(d);
    }
    Outcome::Findings(out)
}

/// NET-006: LoadBalancer and NodePort services and external IPs are approved
/// (`network.approved_exposures`, entries `namespace/name`).
pub fn exposure_approved(ctx: &Ctx<'_>) -> Outcome {
    let approved = ctx.params.list("network.approved_exposures");
    let mut out = Vec::new();
    for item in ctx.set.of(EvidenceKind::Service) {
        let Evidence::Service(s) = &item.evidence else {
            continue;
        };
        let id = format!(
            "{}/{}",
            namespace_of(item),
            item.origin.name.clone().unwrap_or_default()
        );
        let exposed = matches!(s.service_type.value.as_str(), "LoadBalancer" | "NodePort")
            || !s.external_ips.is_empty();
        out.push(if !exposed {
            draft(item, Some(&s.service_type.loc), Status::Pass, format!("`{id}` is internal ({})", s.service_type.value))
        } else if approved.contains(&id) {
            draft(item, Some(&s.service_type.loc), Status::Pass, format!("exposure of `{id}` is approved"))
        } else {
            let how = if s.external_ips.is_empty() { s.service_type.value.clone() } else { "externalIPs".to_owned() };
            draft(item, Some(&s.service_type.loc), Status::Fail, format!("`{id}` is exposed outside the cluster ({how}) without approval in `network.approved_exposures`"))
        });
    }
    if out.is_empty() {
        Outcome::NotAssessed("no Services in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

/// NET-007: every Ingress host is covered by TLS.
pub fn ingress_tls(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for item in ctx.set.of(EvidenceKind::Ingress) {
        let Evidence::Ingress(i) = &item.evidence else {
            continue;
        };
        let fails = i
            .rule_hosts
            .iter()
            .filter(|h| {
                let covered = i.tls_hosts.iter().any(|t| {
                    *t == h.value
                        || t.strip_prefix("*.")
                            .is_some_and(|d| h.value.ends_with(&format!(".{d}")))
                });
                !(covered || (h.value.is_empty() && i.tls_entries > 0))
            })
            .map(|h| {
                let what = if h.value.is_empty() {
                    "the catch-all rule".to_owned()
                } else {
                    format!("host `{}`", h.value)
                };
                draft(
                    item,
                    Some(&h.loc),
                    Status::Fail,
                    format!("{what} is served without TLS"),
                )
            })
            .collect();
        let fails = if i.rule_hosts.is_empty() && i.tls_entries == 0 {
            vec![draft(
                item,
                None,
                Status::Fail,
                "Ingress has no TLS section",
            )]
        } else {
            fails
        };
        out.extend(pass_or(item, None, fails, "every host is served over TLS"));
    }
    if out.is_empty() {
        Outcome::NotAssessed("no Ingress objects in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

/// NET-009: Ingresses do not inject raw controller configuration through snippet annotations.
pub fn ingress_snippets(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for item in ctx.set.of(EvidenceKind::Ingress) {
        let Evidence::Ingress(i) = &item.evidence else {
            continue;
        };
        let fails = i
            .annotations
            .iter()
            .filter(|(k, _)| {
                k.ends_with("-snippet")
                    || k.ends_with("/auth-snippet")
                    || k.ends_with("/modsecurity-snippet")
            })
            .map(|(k, v)| {
                draft(
                    item,
                    Some(&v.loc),
                    Status::Fail,
                    format!("annotation `{k}` injects raw controller configuration"),
                )
            })
            .collect();
        out.extend(pass_or(item, None, fails, "no snippet annotations"));
    }
    if out.is_empty() {
        Outcome::NotAssessed("no Ingress objects in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}
