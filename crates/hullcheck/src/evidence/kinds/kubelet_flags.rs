//! Kubelet command lines as kubelet evidence: the kubeadm systemd drop-in (`10-kubeadm.conf`,
//! `Environment=` and `ExecStart=` lines), `kubeadm-flags.env` (`KUBELET_KUBEADM_ARGS=…`), the
//! distribution files that set `KUBELET_EXTRA_ARGS`, and a kubelet started as a container
//! command. Flags map onto the KubeletConfiguration fields they override.

use super::config::KubeletFacts;
use crate::evidence::error::EvidenceError;
use crate::evidence::read::{At, Loc};

/// True for the files that carry kubelet flags, by name: `10-kubeadm.conf` and any `.conf` of a
/// `kubelet.service.d` directory, `kubeadm-flags.env`, `kubelet.service`, and `kubelet` in
/// `/etc/default` or `/etc/sysconfig`.
pub fn is_kubelet_flags_name(name: &str) -> bool {
    let mut parts = name.rsplit(['/', '\\']);
    let base = parts.next().unwrap_or(name);
    let parent = parts.next().unwrap_or("");
    base == "10-kubeadm.conf"
        || base == "kubeadm-flags.env"
        || base == "kubelet.service"
        || (parent == "kubelet.service.d" && base.ends_with(".conf"))
        || (base == "kubelet" && matches!(parent, "default" | "sysconfig"))
}

/// The `--flags` of a unit or environment file, each at its line, in file order: the values of
/// `Environment=` assignments and `VAR=` lines, and the words of `ExecStart=`.
pub fn flags_of_file(text: &str) -> Vec<(String, At<String>)> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        let value = if let Some(rest) = line.strip_prefix("Environment=") {
            rest
        } else if let Some(rest) = line.strip_prefix("ExecStart=") {
            rest
        } else if line.starts_with('[') || line.starts_with("EnvironmentFile=") {
            continue;
        } else {
            // `KUBELET_KUBEADM_ARGS="…"` in an environment file.
            line.split_once('=').map_or("", |(_, v)| v)
        };
        let at = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let words = words(value);
        push_flags(&words, at, &mut out);
    }
    out
}

/// Splits on spaces outside double quotes, dropping the quotes and a leading `VAR=`.
fn words(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in value.chars() {
        match ch {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    // `Environment="KUBELET_CONFIG_ARGS=--config=…"`: the assignment's value is the flag.
    // A quoted value holds several flags (`KUBELET_KUBEADM_ARGS="--a=1 --b=2"`).
    out.into_iter()
        .flat_map(|w| {
            let flags = match w.split_once('=') {
                Some((k, v)) if !k.starts_with('-') && v.starts_with('-') => v.to_owned(),
                _ => w,
            };
            flags
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn push_flags(words: &[String], line: u32, out: &mut Vec<(String, At<String>)>) {
    let mut iter = words.iter().peekable();
    while let Some(w) = iter.next() {
        let Some(rest) = w.strip_prefix("--").or_else(|| w.strip_prefix('-')) else {
            continue;
        };
        let (name, value) = match rest.split_once('=') {
            Some((n, v)) => (n.to_owned(), v.to_owned()),
            // A flag that takes a value may give it as the next word; a bare bool is true.
            None if !BOOL_FLAGS.contains(&rest) => match iter.peek() {
                Some(next) if !next.starts_with('-') => (rest.to_owned(), (*next).clone()),
                _ => (rest.to_owned(), "true".to_owned()),
            },
            None => (rest.to_owned(), "true".to_owned()),
        };
        out.push((
            name,
            At {
                value,
                loc: Loc {
                    line,
                    path: format!("--{rest}").split('=').next().unwrap_or("").into(),
                },
            },
        ));
    }
}

const BOOL_FLAGS: &[&str] = &[
    "anonymous-auth",
    "authentication-token-webhook",
    "rotate-certificates",
    "rotate-server-certificates",
    "make-iptables-util-chains",
    "protect-kernel-defaults",
    "seccomp-default",
];

/// Go's `strconv.ParseBool`, which the kubelet's flag parser uses.
fn parse_bool(flag: &str, v: &At<String>) -> Result<At<bool>, EvidenceError> {
    let value = match v.value.as_str() {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => true,
        "0" | "f" | "F" | "FALSE" | "false" | "False" => false,
        _ => return Err(bad(flag, v, "a boolean")),
    };
    Ok(At {
        value,
        loc: v.loc.clone(),
    })
}

fn parse_int(flag: &str, v: &At<String>) -> Result<At<i64>, EvidenceError> {
    let value = v
        .value
        .parse::<i64>()
        .map_err(|_| bad(flag, v, "an integer"))?;
    Ok(At {
        value,
        loc: v.loc.clone(),
    })
}

fn bad(flag: &str, v: &At<String>, expected: &'static str) -> EvidenceError {
    EvidenceError::BadFlag {
        line: v.loc.line,
        flag: flag.to_owned(),
        value: v.value.clone(),
        expected,
    }
}

/// Kubelet facts from flags (later flags win, as in the kubelet); every field a flag set is
/// recorded in `from_flags`, so messages name the flag.
pub fn facts_from_flags(
    flags: &[(String, At<String>)],
    loc: Loc,
) -> Result<KubeletFacts, EvidenceError> {
    let mut k = KubeletFacts {
        loc,
        command_line: true,
        ..KubeletFacts::default()
    };
    for (name, v) in flags {
        let field = match name.as_str() {
            "anonymous-auth" => {
                k.anonymous_enabled = Some(parse_bool(name, v)?);
                "authentication.anonymous.enabled"
            }
            "authentication-token-webhook" => {
                k.webhook_authn = Some(parse_bool(name, v)?);
                "authentication.webhook.enabled"
            }
            "client-ca-file" => {
                k.client_ca_file = Some(v.clone());
                "authentication.x509.clientCAFile"
            }
            "authorization-mode" => {
                k.authorization_mode = Some(v.clone());
                "authorization.mode"
            }
            "read-only-port" => {
                k.read_only_port = Some(parse_int(name, v)?);
                "readOnlyPort"
            }
            "tls-cert-file" => {
                k.tls_cert_file = Some(v.clone());
                "tlsCertFile"
            }
            "tls-private-key-file" => {
                k.tls_private_key_file = Some(v.clone());
                "tlsPrivateKeyFile"
            }
            "rotate-server-certificates" => {
                k.server_tls_bootstrap = Some(parse_bool(name, v)?);
                "serverTLSBootstrap"
            }
            "rotate-certificates" => {
                k.rotate_certificates = Some(parse_bool(name, v)?);
                "rotateCertificates"
            }
            "streaming-connection-idle-timeout" => {
                k.streaming_idle_timeout = Some(v.clone());
                "streamingConnectionIdleTimeout"
            }
            "make-iptables-util-chains" => {
                k.make_iptables_util_chains = Some(parse_bool(name, v)?);
                "makeIPTablesUtilChains"
            }
            "protect-kernel-defaults" => {
                k.protect_kernel_defaults = Some(parse_bool(name, v)?);
                "protectKernelDefaults"
            }
            "seccomp-default" => {
                k.seccomp_default = Some(parse_bool(name, v)?);
                "seccompDefault"
            }
            "pod-max-pids" => {
                k.pod_pids_limit = Some(parse_int(name, v)?);
                "podPidsLimit"
            }
            "tls-cipher-suites" => {
                k.tls_cipher_suites = Some(v.clone());
                "tlsCipherSuites"
            }
            "feature-gates" => {
                let gate = v.value.split(',').find_map(|g| {
                    g.trim()
                        .strip_prefix("RotateKubeletServerCertificate=")
                        .map(str::to_owned)
                });
                let Some(g) = gate else { continue };
                let at = At {
                    value: g,
                    loc: v.loc.clone(),
                };
                k.rotate_server_certificate_gate = Some(parse_bool(name, &at)?);
                "featureGates.RotateKubeletServerCertificate"
            }
            "config" => {
                k.config_file = Some(v.clone());
                continue;
            }
            _ => continue,
        };
        k.from_flags.retain(|(f, _)| *f != field);
        k.from_flags.push((field, flag_name(name)));
    }
    Ok(k)
}

/// The kubelet's own defaults for a command line without `--config` (its "legacy defaults",
/// which differ from KubeletConfiguration's): anonymous requests allowed, no webhook
/// authentication, `AlwaysAllow` authorization and the read-only port 10255. Fields a flag set
/// are kept.
pub fn apply_legacy_defaults(k: &mut KubeletFacts) {
    let at = |v| At {
        value: v,
        loc: k.loc.clone(),
    };
    let mut set = Vec::new();
    if k.anonymous_enabled.is_none() {
        k.anonymous_enabled = Some(at(true));
        set.push((
            "authentication.anonymous.enabled",
            "--anonymous-auth (true by default without --config)",
        ));
    }
    if k.webhook_authn.is_none() {
        k.webhook_authn = Some(at(false));
        set.push((
            "authentication.webhook.enabled",
            "--authentication-token-webhook (false by default without --config)",
        ));
    }
    if k.authorization_mode.is_none() {
        k.authorization_mode = Some(At {
            value: "AlwaysAllow".to_owned(),
            loc: k.loc.clone(),
        });
        set.push((
            "authorization.mode",
            "--authorization-mode (AlwaysAllow by default without --config)",
        ));
    }
    if k.read_only_port.is_none() {
        k.read_only_port = Some(At {
            value: 10255,
            loc: k.loc.clone(),
        });
        set.push((
            "readOnlyPort",
            "--read-only-port (10255 by default without --config)",
        ));
    }
    k.from_flags.extend(set);
}

/// The `'static` spelling of a known flag (the names matched above).
fn flag_name(name: &str) -> &'static str {
    KNOWN
        .iter()
        .find(|k| k.strip_prefix("--") == Some(name))
        .copied()
        .unwrap_or("--")
}

const KNOWN: &[&str] = &[
    "--anonymous-auth",
    "--authentication-token-webhook",
    "--client-ca-file",
    "--authorization-mode",
    "--read-only-port",
    "--tls-cert-file",
    "--tls-private-key-file",
    "--rotate-server-certificates",
    "--rotate-certificates",
    "--streaming-connection-idle-timeout",
    "--make-iptables-util-chains",
    "--protect-kernel-defaults",
    "--seccomp-default",
    "--pod-max-pids",
    "--tls-cipher-suites",
    "--feature-gates",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kubeadm_drop_in_and_flags_file_give_their_flags() {
        let unit = "[Service]\nEnvironment=\"KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf\"\nEnvironment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\nEnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS --read-only-port 10255 --anonymous-auth\n";
        let f = flags_of_file(unit);
        let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "bootstrap-kubeconfig",
                "kubeconfig",
                "config",
                "read-only-port",
                "anonymous-auth"
            ]
        );
        let k = facts_from_flags(&f, Loc::default()).unwrap();
        assert_eq!(k.read_only_port.as_ref().map(|p| p.value), Some(10255));
        assert_eq!(
            k.anonymous_enabled.as_ref().map(|p| (p.value, p.loc.line)),
            Some((true, 6))
        );
        assert_eq!(
            k.config_file.map(|c| c.value).as_deref(),
            Some("/var/lib/kubelet/config.yaml")
        );
        let env = "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///run/containerd/containerd.sock --feature-gates=A=true,RotateKubeletServerCertificate=false\"\n";
        let k = facts_from_flags(&flags_of_file(env), Loc::default()).unwrap();
        assert_eq!(
            k.rotate_server_certificate_gate.map(|g| g.value),
            Some(false)
        );
    }

    #[test]
    fn a_bad_value_is_a_located_error_and_names_are_recognised() {
        let f = flags_of_file("\n\nKUBELET_EXTRA_ARGS=--anonymous-auth=maybe\n");
        let e = facts_from_flags(&f, Loc::default()).unwrap_err();
        assert_eq!(e.code(), "evidence.kubelet.bad_flag");
        assert_eq!(e.line(), Some(3));
        assert!(is_kubelet_flags_name(
            "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"
        ));
        assert!(is_kubelet_flags_name(
            "node/var/lib/kubelet/kubeadm-flags.env"
        ));
        assert!(is_kubelet_flags_name("etc/default/kubelet"));
        assert!(!is_kubelet_flags_name("etc/kubelet.conf"));
    }
}
