//! Kubelet checks on KubeletConfiguration files (CIS Kubernetes Benchmark section 4.2), with the
//! `kubelet.config.k8s.io/v1beta1` defaults applied to absent fields.

use crate::eval::ctx::{draft, Ctx, Outcome};
use crate::evidence::kinds::config::KubeletFacts;
use crate::evidence::kinds::kubelet_flags::apply_legacy_defaults;
use crate::evidence::{At, Evidence, EvidenceKind, Item, Loc};
use crate::report::Status;

/// The kubelets to judge, each with the item findings go to and, for a command line laid
/// over a configuration file, the flags' item and the locations its flags hold.
struct Judged<'a> {
    item: &'a Item,
    facts: std::borrow::Cow<'a, KubeletFacts>,
    flags: Option<(&'a Item, Vec<Loc>)>,
    /// A command line's `--config` file that the evidence does not hold: only what the flags
    /// set can be judged.
    unread_config: Option<String>,
}

/// Flags take precedence over the configuration file, as the kubelet applies them: command lines
/// (the kubeadm drop-in, `kubeadm-flags.env`, a kubelet container's command) are laid, in
/// evidence order, over each KubeletConfiguration; with no configuration they are judged alone.
fn kubelets<'a>(ctx: &Ctx<'a>) -> Vec<Judged<'a>> {
    let all: Vec<(&Item, &KubeletFacts)> = ctx
        .set
        .of(EvidenceKind::Kubelet)
        .filter_map(|i| match &i.evidence {
            Evidence::Kubelet(k) => Some((i, k.as_ref())),
            _ => None,
        })
        .collect();
    let (lines, configs): (Vec<_>, Vec<_>) = all.into_iter().partition(|(_, k)| k.command_line);
    let Some((first_item, first)) = lines.first().copied() else {
        return configs
            .into_iter()
            .map(|(item, k)| Judged {
                item,
                facts: std::borrow::Cow::Borrowed(k),
                flags: None,
                unread_config: None,
            })
            .collect();
    };
    let mut merged = first.clone();
    for (_, k) in lines.iter().skip(1) {
        merged.overlay(k);
    }
    if configs.is_empty() {
        let unread_config = merged.config_file.as_ref().map(|c| c.value.clone());
        if unread_config.is_none() {
            apply_legacy_defaults(&mut merged);
        }
        let locs = merged.flag_locs();
        return vec![Judged {
            item: first_item,
            facts: std::borrow::Cow::Owned(merged),
            flags: unread_config.as_ref().map(|_| (first_item, locs)),
            unread_config,
        }];
    }
    let locs = merged.flag_locs();
    configs
        .into_iter()
        .map(|(item, k)| {
            let mut facts = k.clone();
            facts.overlay(&merged);
            Judged {
                item,
                facts: std::borrow::Cow::Owned(facts),
                flags: Some((first_item, locs.clone())),
                unread_config: None,
            }
        })
        .collect()
}

fn per_kubelet(
    ctx: &Ctx<'_>,
    pass: &str,
    f: impl Fn(&KubeletFacts) -> Vec<(Loc, String)>,
) -> Outcome {
    let mut out = Vec::new();
    for j in kubelets(ctx) {
        let k = j.facts.as_ref();
        let mut misses = f(k);
        if let (Some(config), Some((_, locs))) = (&j.unread_config, &j.flags) {
            // Only a flag's own value is known; the rest is in the file the evidence lacks.
            misses.retain(|(loc, _)| locs.contains(loc));
            out.push(draft(
                j.item,
                Some(&k.loc),
                Status::NotAssessed,
                format!("the kubelet reads its configuration from `{config}`, which is not in the evidence; only the settings its flags give are judged"),
            ));
            out.extend(
                misses
                    .into_iter()
                    .map(|(loc, m)| draft(j.item, Some(&loc), Status::Fail, m)),
            );
            continue;
        }
        if misses.is_empty() {
            out.push(draft(j.item, Some(&k.loc), Status::Pass, pass));
        } else {
            out.extend(misses.into_iter().map(|(loc, m)| {
                // A setting a flag gave is located at the flag, in its own file.
                let at = match &j.flags {
                    Some((flag_item, locs)) if locs.contains(&loc) => *flag_item,
                    _ => j.item,
                };
                draft(at, Some(&loc), Status::Fail, m)
            }));
        }
    }
    if out.is_empty() {
        Outcome::NotAssessed(
            "no KubeletConfiguration or kubelet command line in the evidence".to_owned(),
        )
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
                    format!("{} is true", k.name("authentication.anonymous.enabled")),
                ));
            }
            if let Some(mode) = k
                .authorization_mode
                .as_ref()
                .filter(|m| m.value != "Webhook")
            {
                m.push((
                    mode.loc.clone(),
                    format!(
                        "{} is `{}`; expected Webhook",
                        k.name("authorization.mode"),
                        mode.value
                    ),
                ));
            }
            if k.client_ca_file.as_ref().is_none_or(|c| c.value.is_empty()) {
                m.push((
                    k.loc.clone(),
                    format!("{} is not set", k.name("authentication.x509.clientCAFile")),
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
                format!("{} is {}; expected 0", k.name("readOnlyPort"), p.value),
            )],
            _ => Vec::new(),
        }
    })
}

/// RUN-026: serving certificates are set or bootstrapped, and certificates rotate.
pub fn tls(ctx: &Ctx<'_>) -> Outcome {
    let version = ctx.params.cis_version();
    let outcome = per_kubelet(
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
                    format!("{} is not true", k.name("rotateCertificates")),
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
            if let Some(v) = &k.tls_cipher_suites {
                let table = super::tls::ciphers();
                let configured: Vec<&str> = v
                    .value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                let within_cis = table
                    .kubelet_recommended(&version)
                    .is_some_and(|r| configured.iter().all(|s| r.iter().any(|x| x == s)));
                let weak: Vec<&str> = configured
                    .iter()
                    .copied()
                    .filter(|s| {
                        table.known(s) && !within_cis && !super::controlplane::strong_suite(s)
                    })
                    .collect();
                if !weak.is_empty() {
                    m.push((
                        v.loc.clone(),
                        format!(
                            "{} allows weak cipher suites: {} (outside CIS {version}'s kubelet list)",
                            k.name("tlsCipherSuites"),
                            weak.join(", ")
                        ),
                    ));
                }
            }
            m
        },
    );
    unknown_suites(ctx, outcome)
}

/// A suite name Go's crypto/tls does not know stops the kubelet from starting: an error, and
/// no pass for that kubelet.
fn unknown_suites(ctx: &Ctx<'_>, outcome: Outcome) -> Outcome {
    let Outcome::Findings(mut out) = outcome else {
        return outcome;
    };
    let table = super::tls::ciphers();
    for j in kubelets(ctx) {
        let k = j.facts.as_ref();
        let Some(v) = &k.tls_cipher_suites else {
            continue;
        };
        let unknown: Vec<&str> = v
            .value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty() && !table.known(s))
            .collect();
        if unknown.is_empty() {
            continue;
        }
        let at = match &j.flags {
            Some((flag_item, locs)) if locs.contains(&v.loc) => *flag_item,
            _ => j.item,
        };
        let here = draft(j.item, Some(&k.loc), Status::Pass, "");
        out.retain(|d| !(d.status == Status::Pass && d.location == here.location));
        for name in unknown {
            out.push(draft(
                at,
                Some(&v.loc),
                Status::Error,
                format!("{} names `{name}`, which Go's crypto/tls does not know, so the kubelet refuses to start", k.name("tlsCipherSuites")),
            ));
        }
    }
    Outcome::Findings(out)
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
                format!(
                    "{} is 0, so idle streams never close",
                    k.name("streamingConnectionIdleTimeout")
                ),
            ));
        }
        if let Some(c) = k.make_iptables_util_chains.as_ref().filter(|c| !c.value) {
            m.push((
                c.loc.clone(),
                format!("{} is false", k.name("makeIPTablesUtilChains")),
            ));
        }
        if !k.protect_kernel_defaults.as_ref().is_some_and(|p| p.value) {
            m.push((
                loc_of(&k.protect_kernel_defaults, k),
                format!("{} is not true", k.name("protectKernelDefaults")),
            ));
        }
        if !k.seccomp_default.as_ref().is_some_and(|p| p.value) {
            m.push((
                loc_of(&k.seccomp_default, k),
                format!(
                    "{} is not true, so pods without a profile run unconfined",
                    k.name("seccompDefault")
                ),
            ));
        }
        if k.pod_pids_limit.as_ref().is_none_or(|p| p.value <= 0) {
            m.push((
                loc_of(&k.pod_pids_limit, k),
                format!("{} is not set to a positive limit", k.name("podPidsLimit")),
            ));
        }
        m
    })
}
