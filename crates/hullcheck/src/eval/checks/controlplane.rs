//! Control-plane checks on static-pod flags (CIS Kubernetes Benchmark sections 1–3) and on the
//! EncryptionConfiguration.

use crate::eval::ctx::{draft, Ctx, Draft, Outcome};
use crate::evidence::kinds::config::ControlPlaneFacts;
use crate::evidence::{Evidence, EvidenceKind, Item, Loc};
use crate::report::Status;

fn components<'a>(ctx: &'a Ctx<'_>, name: &str) -> Vec<(&'a Item, &'a ControlPlaneFacts)> {
    ctx.set
        .of(EvidenceKind::ControlPlane)
        .filter_map(|i| match &i.evidence {
            Evidence::ControlPlane(c) if c.component == name => Some((i, c)),
            _ => None,
        })
        .collect()
}

/// A failed expectation: where (the flag, or the container when absent) and why.
type Miss = (Loc, String);

fn judge(item: &Item, cp: &ControlPlaneFacts, misses: Vec<Miss>, pass: &str) -> Vec<Draft> {
    if misses.is_empty() {
        vec![draft(
            item,
            Some(&cp.loc),
            Status::Pass,
            format!("{}: {pass}", cp.component),
        )]
    } else {
        misses
            .into_iter()
            .map(|(loc, m)| {
                draft(
                    item,
                    Some(&loc),
                    Status::Fail,
                    format!("{}: {m}", cp.component),
                )
            })
            .collect()
    }
}

/// Evaluates `f` on every manifest of the listed components.
fn per_component(
    ctx: &Ctx<'_>,
    names: &[&str],
    pass: &str,
    f: impl Fn(&ControlPlaneFacts) -> Vec<Miss>,
) -> Outcome {
    let mut out = Vec::new();
    for name in names {
        for (item, cp) in components(ctx, name) {
            out.extend(judge(item, cp, f(cp), pass));
        }
    }
    if out.is_empty() {
        Outcome::NotAssessed(format!(
            "no {} static pod manifest in the evidence",
            names.join(" or ")
        ))
    } else {
        Outcome::Findings(out)
    }
}

/// Expects `--name` to be set (to anything non-empty).
fn require(cp: &ControlPlaneFacts, names: &[&str], out: &mut Vec<Miss>) {
    for n in names {
        if cp.flag(n).is_none_or(|v| v.value.is_empty()) {
            out.push((cp.loc.clone(), format!("`--{n}` is not set")));
        }
    }
}

/// Expects `--name` to equal `want`; `default` is its value when absent.
fn expect(cp: &ControlPlaneFacts, name: &str, want: &str, default: &str, out: &mut Vec<Miss>) {
    match cp.flag(name) {
        Some(v) if v.value != want => out.push((
            v.loc.clone(),
            format!("`--{name}={}`; expected `{want}`", v.value),
        )),
        None if default != want => out.push((
            cp.loc.clone(),
            format!("`--{name}` is not set (defaults to `{default}`); expected `{want}`"),
        )),
        _ => {}
    }
}

/// ORC-001: anonymous requests and static token files are not accepted.
pub fn anonymous_auth(ctx: &Ctx<'_>) -> Outcome {
    per_component(
        ctx,
        &["kube-apiserver"],
        "anonymous and static-token authentication are off",
        |cp| {
            let mut m = Vec::new();
            if cp.flag("authentication-config").is_none() {
                expect(cp, "anonymous-auth", "false", "true", &mut m);
            }
            if let Some(t) = cp.flag("token-auth-file") {
                m.push((
                    t.loc.clone(),
                    "`--token-auth-file` enables static bearer tokens".to_owned(),
                ));
            }
            m
        },
    )
}

/// ORC-002: authorization uses Node and RBAC and never AlwaysAllow.
pub fn authorization_mode(ctx: &Ctx<'_>) -> Outcome {
    per_component(
        ctx,
        &["kube-apiserver"],
        "authorization uses Node and RBAC",
        |cp| {
            if cp.flag("authorization-config").is_some() {
                return Vec::new();
            }
            let modes = cp.list("authorization-mode");
            let loc = cp
                .flag("authorization-mode")
                .map_or(&cp.loc, |f| &f.loc)
                .clone();
            let mut m = Vec::new();
            if modes.is_empty() || modes.iter().any(|x| x == "AlwaysAllow") {
                m.push((
                    loc.clone(),
                    "`--authorization-mode` includes (or defaults to) AlwaysAllow".to_owned(),
                ));
            }
            for need in ["Node", "RBAC"] {
                if !modes.iter().any(|x| x == need) {
                    m.push((
                        loc.clone(),
                        format!("`--authorization-mode` does not include {need}"),
                    ));
                }
            }
            m
        },
    )
}

/// ORC-003: the admission-plugin baseline of the CIS benchmark.
pub fn admission_plugins(ctx: &Ctx<'_>) -> Outcome {
    per_component(
        ctx,
        &["kube-apiserver"],
        "the admission-plugin baseline holds",
        |cp| {
            let enabled = cp.list("enable-admission-plugins");
            let disabled = cp.list("disable-admission-plugins");
            let eloc = cp
                .flag("enable-admission-plugins")
                .map_or(&cp.loc, |f| &f.loc)
                .clone();
            let mut m = Vec::new();
            if !enabled.iter().any(|p| p == "NodeRestriction") {
                m.push((eloc.clone(), "NodeRestriction is not enabled".to_owned()));
            }
            if enabled.iter().any(|p| p == "AlwaysAdmit") {
                m.push((eloc.clone(), "AlwaysAdmit is enabled".to_owned()));
            }
            // CIS 1.2.11, 1.2.9 and 1.2.3 (v1.10 numbering), off by default in Kubernetes.
            for (plugin, why) in [
                (
                    "AlwaysPullImages",
                    "cached private images are served to pods without pull credentials",
                ),
                ("EventRateLimit", "event floods can exhaust the API server"),
                (
                    "DenyServiceExternalIPs",
                    "Services can claim external IPs and intercept traffic (CVE-2020-8554)",
                ),
            ] {
                if !enabled.iter().any(|p| p == plugin) {
                    m.push((eloc.clone(), format!("{plugin} is not enabled: {why}")));
                }
            }
            for p in ["ServiceAccount", "NamespaceLifecycle", "PodSecurity"] {
                if disabled.iter().any(|d| d == p) {
                    let loc = cp
                        .flag("disable-admission-plugins")
                        .map_or(&cp.loc, |f| &f.loc)
                        .clone();
                    m.push((loc, format!("{p} is disabled")));
                }
            }
            m
        },
    )
}

/// ORC-006: Secrets are encrypted at rest with a real provider first.
pub fn encryption_at_rest(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for (item, cp) in components(ctx, "kube-apiserver") {
        out.push(match cp.flag("encryption-provider-config") {
            None => draft(item, Some(&cp.loc), Status::Fail, "kube-apiserver: `--encryption-provider-config` is not set, so Secrets are stored unencrypted"),
            Some(f) if ctx.set.none(EvidenceKind::Encryption) => draft(item, Some(&f.loc), Status::NotAssessed, format!("kube-apiserver reads `{}`, which is not in the evidence", f.value)),
            Some(f) => draft(item, Some(&f.loc), Status::Pass, "kube-apiserver: an encryption provider configuration is set"),
        });
    }
    for item in ctx.set.of(EvidenceKind::Encryption) {
        let Evidence::Encryption(e) = &item.evidence else {
            continue;
        };
        let entry = e.entries.iter().find(|en| {
            en.resources
                .iter()
                .any(|r| r == "secrets" || r == "*.*" || r == "*.")
        });
        out.push(match entry.and_then(|en| en.providers.first()) {
            None => draft(
                item,
                Some(&e.loc),
                Status::Fail,
                "no provider covers `secrets`",
            ),
            Some(p) if p.value == "identity" => draft(
                item,
                Some(&p.loc),
                Status::Fail,
                "the first provider for secrets is `identity`, which writes them in plain text",
            ),
            Some(p) if p.value == "kms:v1" => draft(
                item,
                Some(&p.loc),
                Status::Fail,
                "KMS v1 is deprecated and disabled by default from Kubernetes v1.29; use KMS v2",
            ),
            Some(p) => draft(
                item,
                Some(&p.loc),
                Status::Pass,
                format!("secrets are encrypted with `{}`", p.value),
            ),
        });
    }
    if out.is_empty() {
        Outcome::NotAssessed(
            "no kube-apiserver manifest or EncryptionConfiguration in the evidence".to_owned(),
        )
    } else {
        Outcome::Findings(out)
    }
}

/// True for a suite with forward secrecy and an AEAD cipher (and every TLS 1.3 suite).
pub(super) fn strong_suite(s: &str) -> bool {
    s.starts_with("TLS_AES_")
        || s.starts_with("TLS_CHACHA20_")
        || (s.contains("ECDHE") && (s.contains("GCM") || s.contains("CHACHA20")))
}

/// ORC-015: API-server serving TLS and mutual TLS to kubelets.
pub fn apiserver_tls(ctx: &Ctx<'_>) -> Outcome {
    let cis_version = ctx.params.cis_version();
    let outcome = apiserver_tls_flags(ctx, &cis_version);
    // A suite name Go's crypto/tls does not know makes kube-apiserver refuse to start: the
    // configuration cannot be judged as it would run.
    let Outcome::Findings(mut out) = outcome else {
        return outcome;
    };
    let table = super::tls::ciphers();
    for (item, cp) in components(ctx, "kube-apiserver") {
        let Some(v) = cp.flag("tls-cipher-suites") else {
            continue;
        };
        let unknown: Vec<String> = cp
            .list("tls-cipher-suites")
            .into_iter()
            .filter(|n| !table.known(n))
            .collect();
        if !unknown.is_empty() {
            // No pass for a component that would not start.
            let here = draft(item, None, Status::Pass, "");
            out.retain(|d| {
                !(d.status == Status::Pass
                    && d.location.file == here.location.file
                    && d.location.document == here.location.document)
            });
        }
        for name in unknown {
            out.push(draft(
                item,
                Some(&v.loc),
                Status::Error,
                format!("kube-apiserver: `--tls-cipher-suites` names `{name}`, which Go's crypto/tls does not know, so the API server refuses to start"),
            ));
        }
    }
    Outcome::Findings(out)
}

fn apiserver_tls_flags(ctx: &Ctx<'_>, cis_version: &str) -> Outcome {
    let cis_version = cis_version.to_owned();
    per_component(
        ctx,
        &["kube-apiserver"],
        "serving TLS and kubelet client TLS are configured",
        |cp| {
            let mut m = Vec::new();
            require(
                cp,
                &[
                    "tls-cert-file",
                    "tls-private-key-file",
                    "client-ca-file",
                    "kubelet-client-certificate",
                    "kubelet-client-key",
                    "kubelet-certificate-authority",
                ],
                &mut m,
            );
            if let Some(v) = cp.flag("secure-port").filter(|v| v.value.trim() == "0") {
                m.push((
                    v.loc.clone(),
                    "`--secure-port=0` turns the API server's HTTPS endpoint off".to_owned(),
                ));
            }
            if let Some(v) = cp.flag("tls-min-version") {
                if !matches!(v.value.as_str(), "VersionTLS12" | "VersionTLS13") {
                    m.push((
                        v.loc.clone(),
                        format!("`--tls-min-version={}` allows TLS below 1.2", v.value),
                    ));
                }
            }
            if let Some(v) = cp.flag("tls-cipher-suites") {
                let table = super::tls::ciphers();
                let configured = cp.list("tls-cipher-suites");
                let version = cis_version.as_str();
                let within_cis = table
                    .recommended(version)
                    .is_some_and(|r| configured.iter().all(|s| r.contains(s)));
                // The CIS list of the benchmark version, or any part of it, passes as CIS says;
                // otherwise suites without forward secrecy and AEAD fail.
                let weak: Vec<String> = configured
                    .iter()
                    .filter(|s| table.known(s) && !within_cis && !strong_suite(s))
                    .cloned()
                    .collect();
                if !weak.is_empty() {
                    m.push((
                        v.loc.clone(),
                        format!(
                            "weak cipher suites allowed: {} (outside CIS {version}'s recommended list)",
                            weak.join(", ")
                        ),
                    ));
                }
            }
            m
        },
    )
}

/// ORC-016: etcd serves and peers over TLS with client-certificate authentication.
pub fn etcd_tls(ctx: &Ctx<'_>) -> Outcome {
    per_component(
        ctx,
        &["etcd"],
        "client and peer TLS with certificate authentication",
        |cp| {
            let mut m = Vec::new();
            require(
                cp,
                &["cert-file", "key-file", "peer-cert-file", "peer-key-file"],
                &mut m,
            );
            expect(cp, "client-cert-auth", "true", "false", &mut m);
            expect(cp, "peer-client-cert-auth", "true", "false", &mut m);
            for f in ["auto-tls", "peer-auto-tls"] {
                if let Some(v) = cp.flag(f).filter(|v| v.value == "true") {
                    m.push((
                        v.loc.clone(),
                        format!("`--{f}=true` uses self-signed certificates"),
                    ));
                }
            }
            m
        },
    )
}

/// ORC-019: the API server authenticates to etcd with a client certificate and verifies it.
pub fn etcd_client_certs(ctx: &Ctx<'_>) -> Outcome {
    per_component(
        ctx,
        &["kube-apiserver"],
        "etcd client certificates are configured",
        |cp| {
            let mut m = Vec::new();
            require(
                cp,
                &["etcd-certfile", "etcd-keyfile", "etcd-cafile"],
                &mut m,
            );
            m
        },
    )
}

/// ORC-017: profiling is off and controller-manager and scheduler bind to localhost.
pub fn profiling_bind(ctx: &Ctx<'_>) -> Outcome {
    per_component(
        ctx,
        &[
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
        ],
        "profiling is off and endpoints are local",
        |cp| {
            let mut m = Vec::new();
            expect(cp, "profiling", "false", "true", &mut m);
            if cp.component != "kube-apiserver" {
                expect(cp, "bind-address", "127.0.0.1", "0.0.0.0", &mut m);
            }
            m
        },
    )
}

/// Go's `time.ParseDuration`, in seconds: `300ms`, `1m0s`, `1.5h`; `None` when malformed.
pub(super) fn go_duration_secs(text: &str) -> Option<f64> {
    let t = text.trim();
    if t == "0" {
        return Some(0.0);
    }
    let mut rest = t.strip_prefix('+').unwrap_or(t);
    let mut total = 0.0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest.get(..n)?.parse().ok()?;
        rest = rest.get(n..)?;
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match rest.get(..u)? {
            "ns" => 1e-9,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += number * scale;
        rest = rest.get(u..)?;
    }
    Some(total)
}

/// ORC-031 (CIS 1.2.20): the API server's `--request-timeout` is a valid duration within
/// `apiserver.max_request_timeout_seconds` (the default is one minute).
pub fn request_timeout(ctx: &Ctx<'_>) -> Outcome {
    let max = ctx.params.int("apiserver.max_request_timeout_seconds");
    per_component(
        ctx,
        &["kube-apiserver"],
        "the request timeout is bounded",
        |cp| {
            let Some(v) = cp.flag("request-timeout") else {
                return Vec::new();
            };
            let secs = go_duration_secs(&v.value);
            let msg = match secs {
                None => format!("`--request-timeout={}` is not a duration, so the API server refuses to start", v.value),
                Some(s) if s <= 0.0 => format!("`--request-timeout={}` sets no positive limit", v.value),
                // The parameter is whole seconds; precision is not an issue at this scale.
                #[allow(clippy::cast_precision_loss)]
                Some(s) if s > max as f64 => format!(
                    "`--request-timeout={}` exceeds the {max}s the parameter allows, so slow requests hold connections that long",
                    v.value
                ),
                Some(_) => return Vec::new(),
            };
            vec![(v.loc.clone(), msg)]
        },
    )
}

/// ORC-018: service-account credentials are validated, signed with dedicated keys, and used
/// per controller.
pub fn service_account_credentials(ctx: &Ctx<'_>) -> Outcome {
    per_component(
        ctx,
        &["kube-apiserver", "kube-controller-manager"],
        "service-account credential settings hold",
        |cp| {
            let mut m = Vec::new();
            if cp.component == "kube-apiserver" {
                expect(cp, "service-account-lookup", "true", "true", &mut m);
                require(cp, &["service-account-key-file"], &mut m);
            } else {
                expect(
                    cp,
                    "use-service-account-credentials",
                    "true",
                    "false",
                    &mut m,
                );
                require(
                    cp,
                    &["service-account-private-key-file", "root-ca-file"],
                    &mut m,
                );
                // CIS 1.3.6: the gate defaults to true; only turning it off fails.
                let off = cp.list("feature-gates").iter().any(|g| {
                    g.split_once('=').is_some_and(|(k, v)| {
                        k.trim() == "RotateKubeletServerCertificate"
                            && v.trim().eq_ignore_ascii_case("false")
                    })
                });
                if off {
                    let loc = cp.flag("feature-gates").map_or(&cp.loc, |f| &f.loc).clone();
                    m.push((loc, "`--feature-gates` turns RotateKubeletServerCertificate off, so kubelet serving certificates are not rotated".to_owned()));
                }
            }
            m
        },
    )
}

/// LOG-001: API-server audit logging is enabled with a policy and a backend.
pub fn audit_enabled(ctx: &Ctx<'_>) -> Outcome {
    per_component(
        ctx,
        &["kube-apiserver"],
        "audit logging has a policy and a backend",
        |cp| {
            let mut m = Vec::new();
            require(cp, &["audit-policy-file"], &mut m);
            if cp.flag("audit-log-path").is_none() && cp.flag("audit-webhook-config-file").is_none()
            {
                m.push((
                    cp.loc.clone(),
                    "neither `--audit-log-path` nor `--audit-webhook-config-file` is set"
                        .to_owned(),
                ));
            }
            m
        },
    )
}

/// LOG-002: the local audit log is kept long enough (`logging.audit_max_age_days`) and rotated.
pub fn audit_rotation(ctx: &Ctx<'_>) -> Outcome {
    let min_age = ctx.params.int("logging.audit_max_age_days");
    per_component(
        ctx,
        &["kube-apiserver"],
        "audit log retention and rotation meet the minimums",
        |cp| {
            let mut m = Vec::new();
            if cp.flag("audit-log-path").is_none() {
                if cp.flag("audit-webhook-config-file").is_none() {
                    m.push((
                        cp.loc.clone(),
                        "no audit log backend is configured".to_owned(),
                    ));
                }
                return m;
            }
            for (flag, min) in [
                ("audit-log-maxage", min_age),
                ("audit-log-maxbackup", 10),
                ("audit-log-maxsize", 100),
            ] {
                match cp.flag(flag) {
                    None => m.push((
                        cp.loc.clone(),
                        format!("`--{flag}` is not set; expected at least {min}"),
                    )),
                    Some(v) => {
                        if v.value.parse::<i64>().map_or(true, |n| n < min) {
                            m.push((
                                v.loc.clone(),
                                format!("`--{flag}={}`; expected at least {min}", v.value),
                            ));
                        }
                    }
                }
            }
            m
        },
    )
}

#[cfg(test)]
mod tests {
    use super::go_duration_secs;

    #[test]
    fn durations_parse_as_go_parses_them() {
        assert_eq!(go_duration_secs("60s"), Some(60.0));
        assert_eq!(go_duration_secs("1m0s"), Some(60.0));
        assert_eq!(go_duration_secs("1.5h"), Some(5400.0));
        assert_eq!(go_duration_secs("300ms"), Some(0.3));
        assert_eq!(go_duration_secs("0"), Some(0.0));
        for bad in ["", "60", "1d", "m", "1..5s"] {
            assert_eq!(go_duration_secs(bad), None, "{bad}");
        }
    }
}
