//! Control-plane and node configuration: static-pod flags, KubeletConfiguration, the audit
//! Policy and EncryptionConfiguration.

use super::{dig, scalar_text, strings};
use crate::evidence::error::EvidenceError;
use crate::evidence::read::{At, Cursor, Loc};

/// The control-plane components read from static pod manifests.
pub const COMPONENTS: &[&str] = &[
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "etcd",
];

/// One control-plane component's command-line flags.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlPlaneFacts {
    /// `kube-apiserver`, `kube-controller-manager`, `kube-scheduler` or `etcd`.
    pub component: String,
    /// Flags in order (`--name=value`; a bare `--name` reads as `true`).
    pub flags: Vec<(String, At<String>)>,
    /// The container, for locating absent flags.
    pub loc: Loc,
}

impl ControlPlaneFacts {
    /// The last value given for a flag (later flags win, as in the binaries).
    pub fn flag(&self, name: &str) -> Option<&At<String>> {
        self.flags
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// A comma-separated flag as a list.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.flag(name)
            .map(|v| {
                v.value
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Finds the component a static pod runs, from its first container's command or name.
pub fn component_of<'a>(spec: &Cursor<'a>) -> Result<Option<(String, Cursor<'a>)>, EvidenceError> {
    let Some(containers) = spec.field("containers")? else {
        return Ok(None);
    };
    for c in containers.items()? {
        let command = strings(&c, "command")?;
        let first = command
            .first()
            .map(|a| a.value.rsplit('/').next().unwrap_or("").to_owned());
        let name = c.opt_string("name")?.map(|n| n.value).unwrap_or_default();
        for comp in COMPONENTS {
            if first.as_deref() == Some(*comp) || (first.is_none() && name == *comp) {
                return Ok(Some(((*comp).to_owned(), c)));
            }
        }
    }
    Ok(None)
}

/// The container of a static pod that runs the kubelet (`command[0]` is `kubelet`).
pub fn kubelet_container<'a>(spec: &Cursor<'a>) -> Result<Option<Cursor<'a>>, EvidenceError> {
    let Some(containers) = spec.field("containers")? else {
        return Ok(None);
    };
    for c in containers.items()? {
        let command = strings(&c, "command")?;
        if command
            .first()
            .is_some_and(|a| a.value.rsplit('/').next() == Some("kubelet"))
        {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// Reads a component's flags from its container's `command` and `args`.
pub fn read_flags(
    component: String,
    container: &Cursor<'_>,
) -> Result<ControlPlaneFacts, EvidenceError> {
    let mut flags = Vec::new();
    let mut words = strings(container, "command")?;
    words.extend(strings(container, "args")?);
    for w in words {
        if let Some(rest) = w.value.strip_prefix("--") {
            let (k, v) = rest.split_once('=').unwrap_or((rest, "true"));
            flags.push((
                k.to_owned(),
                At {
                    value: v.to_owned(),
                    loc: w.loc.clone(),
                },
            ));
        }
    }
    Ok(ControlPlaneFacts {
        component,
        flags,
        loc: container.loc(),
    })
}

/// A KubeletConfiguration (`kubelet.config.k8s.io/v1beta1`): the fields the controls read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KubeletFacts {
    /// `authentication.anonymous.enabled`.
    pub anonymous_enabled: Option<At<bool>>,
    /// `authentication.webhook.enabled`.
    pub webhook_authn: Option<At<bool>>,
    /// `authentication.x509.clientCAFile`.
    pub client_ca_file: Option<At<String>>,
    /// `authorization.mode`.
    pub authorization_mode: Option<At<String>>,
    /// `readOnlyPort`.
    pub read_only_port: Option<At<i64>>,
    /// `tlsCertFile`.
    pub tls_cert_file: Option<At<String>>,
    /// `tlsPrivateKeyFile`.
    pub tls_private_key_file: Option<At<String>>,
    /// `serverTLSBootstrap`.
    pub server_tls_bootstrap: Option<At<bool>>,
    /// `rotateCertificates`.
    pub rotate_certificates: Option<At<bool>>,
    /// `streamingConnectionIdleTimeout`.
    pub streaming_idle_timeout: Option<At<String>>,
    /// `makeIPTablesUtilChains`.
    pub make_iptables_util_chains: Option<At<bool>>,
    /// `protectKernelDefaults`.
    pub protect_kernel_defaults: Option<At<bool>>,
    /// `seccompDefault`.
    pub seccomp_default: Option<At<bool>>,
    /// `podPidsLimit`.
    pub pod_pids_limit: Option<At<i64>>,
    /// `featureGates.RotateKubeletServerCertificate`.
    pub rotate_server_certificate_gate: Option<At<bool>>,
    /// `tlsCipherSuites`, comma-joined as the flag gives it.
    pub tls_cipher_suites: Option<At<String>>,
    /// `--config`, on a command line.
    pub config_file: Option<At<String>>,
    /// True when read from a command line (flags), not a KubeletConfiguration.
    pub command_line: bool,
    /// The configuration fields a flag set, with the flag (`authorization.mode`,
    /// `--authorization-mode`): flags override the file, and messages name what was set.
    pub from_flags: Vec<(&'static str, &'static str)>,
    /// Where the configuration is.
    pub loc: Loc,
}

impl KubeletFacts {
    /// How messages name a setting: the flag when a flag set it, else the configuration field.
    pub fn name(&self, field: &'static str) -> &'static str {
        self.from_flags
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(field, |(_, flag)| *flag)
    }

    /// Lays `top` (a command line) over these settings: every field `top` sets wins.
    pub fn overlay(&mut self, top: &KubeletFacts) {
        fn over<T: Clone>(base: &mut Option<At<T>>, top: &Option<At<T>>) {
            if top.is_some() {
                base.clone_from(top);
            }
        }
        over(&mut self.anonymous_enabled, &top.anonymous_enabled);
        over(&mut self.webhook_authn, &top.webhook_authn);
        over(&mut self.client_ca_file, &top.client_ca_file);
        over(&mut self.authorization_mode, &top.authorization_mode);
        over(&mut self.read_only_port, &top.read_only_port);
        over(&mut self.tls_cert_file, &top.tls_cert_file);
        over(&mut self.tls_private_key_file, &top.tls_private_key_file);
        over(&mut self.server_tls_bootstrap, &top.server_tls_bootstrap);
        over(&mut self.rotate_certificates, &top.rotate_certificates);
        over(
            &mut self.streaming_idle_timeout,
            &top.streaming_idle_timeout,
        );
        over(
            &mut self.make_iptables_util_chains,
            &top.make_iptables_util_chains,
        );
        over(
            &mut self.protect_kernel_defaults,
            &top.protect_kernel_defaults,
        );
        over(&mut self.seccomp_default, &top.seccomp_default);
        over(&mut self.pod_pids_limit, &top.pod_pids_limit);
        over(
            &mut self.rotate_server_certificate_gate,
            &top.rotate_server_certificate_gate,
        );
        over(&mut self.tls_cipher_suites, &top.tls_cipher_suites);
        over(&mut self.config_file, &top.config_file);
        for (field, flag) in &top.from_flags {
            self.from_flags.retain(|(f, _)| f != field);
            self.from_flags.push((field, flag));
        }
    }

    /// The locations of the settings that came from flags.
    pub fn flag_locs(&self) -> Vec<Loc> {
        [
            self.anonymous_enabled.as_ref().map(|a| &a.loc),
            self.webhook_authn.as_ref().map(|a| &a.loc),
            self.read_only_port.as_ref().map(|a| &a.loc),
            self.server_tls_bootstrap.as_ref().map(|a| &a.loc),
            self.rotate_certificates.as_ref().map(|a| &a.loc),
            self.make_iptables_util_chains.as_ref().map(|a| &a.loc),
            self.protect_kernel_defaults.as_ref().map(|a| &a.loc),
            self.seccomp_default.as_ref().map(|a| &a.loc),
            self.pod_pids_limit.as_ref().map(|a| &a.loc),
            self.rotate_server_certificate_gate.as_ref().map(|a| &a.loc),
        ]
        .into_iter()
        .flatten()
        .chain(
            [
                &self.client_ca_file,
                &self.authorization_mode,
                &self.tls_cert_file,
                &self.tls_private_key_file,
                &self.streaming_idle_timeout,
                &self.tls_cipher_suites,
            ]
            .into_iter()
            .flatten()
            .map(|a| &a.loc),
        )
        .cloned()
        .collect()
    }
}

/// Reads a KubeletConfiguration.
pub fn read_kubelet(c: &Cursor<'_>) -> Result<KubeletFacts, EvidenceError> {
    let b = |p: &[&str]| -> Result<Option<At<bool>>, EvidenceError> {
        dig(c, p)?.map(|x| x.bool()).transpose()
    };
    let s = |p: &[&str]| -> Result<Option<At<String>>, EvidenceError> {
        dig(c, p)?.map(|x| x.string()).transpose()
    };
    let i = |p: &[&str]| -> Result<Option<At<i64>>, EvidenceError> {
        dig(c, p)?.map(|x| x.int()).transpose()
    };
    Ok(KubeletFacts {
        anonymous_enabled: b(&["authentication", "anonymous", "enabled"])?,
        webhook_authn: b(&["authentication", "webhook", "enabled"])?,
        client_ca_file: s(&["authentication", "x509", "clientCAFile"])?,
        authorization_mode: s(&["authorization", "mode"])?,
        read_only_port: i(&["readOnlyPort"])?,
        tls_cert_file: s(&["tlsCertFile"])?,
        tls_private_key_file: s(&["tlsPrivateKeyFile"])?,
        server_tls_bootstrap: b(&["serverTLSBootstrap"])?,
        rotate_certificates: b(&["rotateCertificates"])?,
        streaming_idle_timeout: s(&["streamingConnectionIdleTimeout"])?,
        make_iptables_util_chains: b(&["makeIPTablesUtilChains"])?,
        protect_kernel_defaults: b(&["protectKernelDefaults"])?,
        seccomp_default: b(&["seccompDefault"])?,
        pod_pids_limit: i(&["podPidsLimit"])?,
        rotate_server_certificate_gate: b(&["featureGates", "RotateKubeletServerCertificate"])?,
        tls_cipher_suites: match c.field("tlsCipherSuites")? {
            Some(list) => Some(At {
                value: strings(c, "tlsCipherSuites")?
                    .into_iter()
                    .map(|s| s.value)
                    .collect::<Vec<_>>()
                    .join(","),
                loc: list.loc(),
            }),
            None => None,
        },
        loc: c.loc(),
        ..KubeletFacts::default()
    })
}

/// One rule of an audit Policy.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRule {
    /// `level`.
    pub level: String,
    /// `(group, resource)` pairs; empty means every resource.
    pub resources: Vec<(String, String)>,
    /// `verbs`; empty means every verb.
    pub verbs: Vec<String>,
    /// True when the rule is narrowed to users, groups, namespaces or URLs.
    pub narrowed: bool,
    /// Where.
    pub loc: Loc,
}

impl AuditRule {
    /// True when the rule applies to `verb` on `group/resource` for every user.
    pub fn matches(&self, group: &str, resource: &str, verb: &str) -> bool {
        if self.narrowed {
            return false;
        }
        let verb_ok = self.verbs.is_empty() || self.verbs.iter().any(|v| v == verb);
        let res_ok = self.resources.is_empty()
            || self.resources.iter().any(|(g, r)| {
                (g == "*" || g == group)
                    && (r == "*"
                        || r == resource
                        || r.strip_suffix("/*")
                            .is_some_and(|base| resource.starts_with(&format!("{base}/"))))
            });
        verb_ok && res_ok
    }
}

/// An audit Policy (`audit.k8s.io/v1`).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditPolicyFacts {
    /// The rules, in order (first match wins).
    pub rules: Vec<AuditRule>,
    /// Where the policy is.
    pub loc: Loc,
}

impl AuditPolicyFacts {
    /// The level the policy gives a request, with the rule that decided it.
    pub fn level_for(&self, group: &str, resource: &str, verb: &str) -> (&str, Option<&Loc>) {
        self.rules
            .iter()
            .find(|r| r.matches(group, resource, verb))
            .map_or(("None", None), |r| (r.level.as_str(), Some(&r.loc)))
    }
}

/// Reads an audit Policy.
pub fn read_audit_policy(c: &Cursor<'_>) -> Result<AuditPolicyFacts, EvidenceError> {
    let mut rules = Vec::new();
    if let Some(list) = c.field("rules")? {
        for r in list.items()? {
            let level = r.opt_string("level")?.map(|l| l.value).unwrap_or_default();
            let mut resources = Vec::new();
            if let Some(groups) = r.field("resources")? {
                for g in groups.items()? {
                    let group = g.opt_string("group")?.map(|x| x.value).unwrap_or_default();
                    let names = strings(&g, "resources")?;
                    if names.is_empty() {
                        resources.push((group.clone(), "*".to_owned()));
                    }
                    for n in names {
                        resources.push((group.clone(), n.value));
                    }
                }
            }
            let mut narrowed = false;
            for key in ["users", "userGroups", "namespaces", "nonResourceURLs"] {
                narrowed |= !strings(&r, key)?.is_empty();
            }
            rules.push(AuditRule {
                level,
                resources,
                verbs: strings(&r, "verbs")?.into_iter().map(|v| v.value).collect(),
                narrowed,
                loc: r.loc(),
            });
        }
    }
    Ok(AuditPolicyFacts {
        rules,
        loc: c.loc(),
    })
}

/// One `resources[]` entry of an EncryptionConfiguration.
#[derive(Debug, Clone, PartialEq)]
pub struct EncryptionEntry {
    /// The resources it covers.
    pub resources: Vec<String>,
    /// Provider names in order, with the KMS `apiVersion` when given (`kms:v2`).
    pub providers: Vec<At<String>>,
}

/// An EncryptionConfiguration.
#[derive(Debug, Clone, PartialEq)]
pub struct EncryptionFacts {
    /// The entries.
    pub entries: Vec<EncryptionEntry>,
    /// Where.
    pub loc: Loc,
}

/// Reads an EncryptionConfiguration.
pub fn read_encryption(c: &Cursor<'_>) -> Result<EncryptionFacts, EvidenceError> {
    let mut entries = Vec::new();
    if let Some(list) = c.field("resources")? {
        for e in list.items()? {
            let mut providers = Vec::new();
            if let Some(ps) = e.field("providers")? {
                for p in ps.items()? {
                    for (name, body) in p.entries()? {
                        let version = body.field("apiVersion")?.and_then(|v| scalar_text(&v));
                        let value = match (name, version) {
                            ("kms", Some(v)) => format!("kms:{v}"),
                            ("kms", None) => "kms:v1".to_owned(),
                            (n, _) => n.to_owned(),
                        };
                        providers.push(At {
                            value,
                            loc: p.loc(),
                        });
                    }
                }
            }
            entries.push(EncryptionEntry {
                resources: strings(&e, "resources")?
                    .into_iter()
                    .map(|r| r.value)
                    .collect(),
                providers,
            });
        }
    }
    Ok(EncryptionFacts {
        entries,
        loc: c.loc(),
    })
}
