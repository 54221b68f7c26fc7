//! Kubelet checks on KubeletConfiguration files (CIS Kubernetes Benchmark section 4.2), with the
//! `kubelet.config.k8s.io/v1beta1` defaults applied to absent fields.

use crate::eval::ctx::{draft, Ctx, Outcome};
use crate::evidence::kinds::config::KubeletFacts;
use crate::evidence::{At, Evidence, EvidenceKind, Loc};
use crate::report::Status;

fn per_kubelet(
    ctx: &Ctx<'_>,
    pass: &str,
    f: impl Fn(&KubeletFacts) -> Vec<(Loc, String)>,
) -> Outcome {
    let mut out = Vec::new();
    for item in ctx.set.of(EvidenceKind::Kubelet) {
        let Evidence::Kubelet(k) = &item.evidence else {
            continue;
        };
        let misses = f(k);
        if misses.is_empty() {
            out.push(draft(item, Some(&k.loc), Status::Pass, pass));
        } else {
            out.extend(
                misses
                    .into_iter()
                    .map(|(loc, m)| draft(item, Some(&loc), Status::Fail, m)),
            );
        }
    }
    if out.is_empty() {
        Outcome::NotAssessed("no KubeletConfiguration in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

fn loc_of<T>(field: &Option<At<T>>, k: &KubeletFacts) -> Loc {
    field
        .as_ref()
        .map_or_else(|| k.loc.clone(), |a| a.loc.clone())
}

/// RUN-024: anonymous access off, Webhook authorization, client CA set.
pub fn authn_authz(ctx: &Ctx<'_>) -> Outcome {
    per_kubelet(
        ctx,
        "anonymous access is off, authorization is Webhook, and a client CA is set",
        |k| {
            let mut m = Vec::new();
            if k.anonymous_enabled.as_ref().is_some_and(|a| a.value) {
                m.push((
                    loc_of(&k.anonymous_enabled, k),
                    "authentication.anonymous.enabled is true".to_owned(),
                ));
            }
            if let Some(mode) = k
                .authorization_mode
                .as_ref()
                .filter(|m| m.value != "Webhook")
            {
                m.push((
                    mode.loc.clone(),
                    format!("authorization.mode is `{}`; expected Webhook", mode.value),
                ));
            }
            if k.client_ca_file.as_ref().is_none_or(|c| c.value.is_empty()) {
                m.push((
                    k.loc.clone(),
                    "authentication.x509.clientCAFile is not set".to_owned(),
                ));
            }
            m
        },
    )
}

/// RUN-025: the unauthenticated read-only port is disabled.
pub fn read_only_port(ctx: &Ctx<'_>) -> Outcome {
    per_kubelet(ctx, "the read-only port is disabled", |k| {
        match &k.read_only_port {
            Some(p) if p.value != 0 => vec![(
                p.loc.clone(),
                format!("readOnlyPort is {}; expected 0", p.value),
            )],
            _ => Vec::new(),
        }
    })
}

/// RUN-026: serving certificates are set or bootstrapped, and certificates rotate.
pub fn tls(ctx: &Ctx<'_>) -> Outcome {
    per_kubelet(
        ctx,
        "serving TLS is configured and certificates rotate",
        |k| {
            let mut m = Vec::new();
            let files = k.tls_cert_file.is_some() && k.tls_private_key_file.is_some();
            let bootstrap = k.server_tls_bootstrap.as_ref().is_some_and(|b| b.value);
            if !files && !bootstrap {
                m.push((
                    k.loc.clone(),
                    "neither tlsCertFile/tlsPrivateKeyFile nor serverTLSBootstrap is set"
                        .to_owned(),
                ));
            }
            if !k.rotate_certificates.as_ref().is_some_and(|r| r.value) {
                m.push((
                    loc_of(&k.rotate_certificates, k),
                    "rotateCertificates is not true".to_owned(),
                ));
            }
            if let Some(g) = k
                .rotate_server_certificate_gate
                .as_ref()
                .filter(|g| !g.value)
            {
                m.push((
                    g.loc.clone(),
                    "feature gate RotateKubeletServerCertificate is disabled".to_owned(),
                ));
            }
            m
        },
    )
}

/// RUN-027: operational hardening of the kubelet.
pub fn hardening(ctx: &Ctx<'_>) -> Outcome {
    per_kubelet(ctx, "kubelet hardening settings hold", |k| {
        let mut m = Vec::new();
        if let Some(t) = k
            .streaming_idle_timeout
            .as_ref()
            .filter(|t| matches!(t.value.as_str(), "0" | "0s" | "0m" | "0h"))
        {
            m.push((
                t.loc.clone(),
                "streamingConnectionIdleTimeout is 0, so idle streams never close".to_owned(),
            ));
        }
        if let Some(c) = k.make_iptables_util_chains.as_ref().filter(|c| !c.value) {
            m.push((c.loc.clone(), "makeIPTablesUtilChains is false".to_owned()));
        }
        if !k.protect_kernel_defaults.as_ref().is_some_and(|p| p.value) {
            m.push((
                loc_of(&k.protect_kernel_defaults, k),
                "protectKernelDefaults is not true".to_owned(),
            ));
        }
        if !k.seccomp_default.as_ref().is_some_and(|p| p.value) {
            m.push((
                loc_of(&k.seccomp_default, k),
                "seccompDefault is not true, so pods without a profile run unconfined".to_owned(),
            ));
        }
        if k.pod_pids_limit.as_ref().is_none_or(|p| p.value <= 0) {
            m.push((
                loc_of(&k.pod_pids_limit, k),
                "podPidsLimit is not set to a positive limit".to_owned(),
            ));
        }
        m
    })
}
