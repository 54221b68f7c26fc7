//! The Pod Security Standards checks, one per upstream Pod Security Admission check, with the
//! upstream version gates from v1.0 to the newest policy version.

use crate::evidence::{At, ContainerFacts, Loc, PodFacts, SecurityOpts};

/// The newest policy version modelled; `latest` means this one.
pub const LATEST_MINOR: u32 = 37;

/// A Pod Security Standards policy version (`v1.<minor>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PssVersion(pub u32);

impl PssVersion {
    /// Parses `latest`, `v1.N` or `1.N`; versions newer than the newest known act as `latest`.
    pub fn parse(text: &str) -> Option<Self> {
        if text == "latest" {
            return Some(Self(LATEST_MINOR));
        }
        let rest = text.strip_prefix('v').unwrap_or(text);
        let (major, minor) = rest.split_once('.')?;
        if major != "1" || minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let minor: u32 = minor.parse().ok()?;
        Some(Self(minor.min(LATEST_MINOR)))
    }
}

/// The upstream checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PssCheck {
    /// Upstream `windowsHostProcess`.
    WindowsHostProcess,
    /// Upstream `hostNamespaces`.
    HostNamespaces,
    /// Upstream `privileged`.
    Privileged,
    /// Upstream `capabilities_baseline`.
    CapabilitiesBaseline,
    /// Upstream `hostPathVolumes`.
    HostPathVolumes,
    /// Upstream `hostPorts`.
    HostPorts,
    /// Upstream `hostProbesAndHostLifecycle`.
    HostProbesAndHostLifecycle,
    /// Upstream `appArmorProfile`.
    AppArmorProfile,
    /// Upstream `seLinuxOptions`.
    SeLinuxOptions,
    /// Upstream `procMount`.
    ProcMount,
    /// Upstream `seccompProfile_baseline`.
    SeccompProfileBaseline,
    /// Upstream `sysctls`.
    Sysctls,
    /// Upstream `restrictedVolumes`.
    RestrictedVolumes,
    /// Upstream `allowPrivilegeEscalation`.
    AllowPrivilegeEscalation,
    /// Upstream `runAsNonRoot`.
    RunAsNonRoot,
    /// Upstream `runAsUser`.
    RunAsUser,
    /// Upstream `seccompProfile_restricted`.
    SeccompProfileRestricted,
    /// Upstream `capabilities_restricted`.
    CapabilitiesRestricted,
    /// Upstream `procMount_restricted`.
    ProcMountRestricted,
}

/// All checks with their built-in names.
pub const ALL: &[(&str, PssCheck)] = &[
    ("pss.windows_host_process", PssCheck::WindowsHostProcess),
    ("pss.host_namespaces", PssCheck::HostNamespaces),
    ("pss.privileged", PssCheck::Privileged),
    ("pss.capabilities_baseline", PssCheck::CapabilitiesBaseline),
    ("pss.host_path_volumes", PssCheck::HostPathVolumes),
    ("pss.host_ports", PssCheck::HostPorts),
    (
        "pss.host_probes_and_host_lifecycle",
        PssCheck::HostProbesAndHostLifecycle,
    ),
    ("pss.app_armor_profile", PssCheck::AppArmorProfile),
    ("pss.se_linux_options", PssCheck::SeLinuxOptions),
    ("pss.proc_mount", PssCheck::ProcMount),
    (
        "pss.seccomp_profile_baseline",
        PssCheck::SeccompProfileBaseline,
    ),
    ("pss.sysctls", PssCheck::Sysctls),
    ("pss.restricted_volumes", PssCheck::RestrictedVolumes),
    (
        "pss.allow_privilege_escalation",
        PssCheck::AllowPrivilegeEscalation,
    ),
    ("pss.run_as_non_root", PssCheck::RunAsNonRoot),
    ("pss.run_as_user", PssCheck::RunAsUser),
    (
        "pss.seccomp_profile_restricted",
        PssCheck::SeccompProfileRestricted,
    ),
    (
        "pss.capabilities_restricted",
        PssCheck::CapabilitiesRestricted,
    ),
    ("pss.proc_mount_restricted", PssCheck::ProcMountRestricted),
];

const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

const RESTRICTED_VOLUMES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Safe sysctls and the policy version that first allows each.
const SAFE_SYSCTLS: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

/// One reason a pod fails a check: which container (if any), what, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Index into [`PodFacts::containers`], for container-level violations.
    pub container: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub loc: Loc,
}

/// The result of one check on one pod.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The pod satisfies the check.
    Pass,
    /// The check does not apply, and why.
    NotApplicable(String),
    /// The pod violates the check.
    Fail(Vec<Violation>),
}

impl PssCheck {
    /// The upstream check ID.
    pub fn upstream_id(self) -> &'static str {
        match self {
            Self::WindowsHostProcess => "windowsHostProcess",
            Self::HostNamespaces => "hostNamespaces",
            Self::Privileged => "privileged",
            Self::CapabilitiesBaseline => "capabilities_baseline",
            Self::HostPathVolumes => "hostPathVolumes",
            Self::HostPorts => "hostPorts",
            Self::HostProbesAndHostLifecycle => "hostProbesAndHostLifecycle",
            Self::AppArmorProfile => "appArmorProfile",
            Self::SeLinuxOptions => "seLinuxOptions",
            Self::ProcMount => "procMount",
            Self::SeccompProfileBaseline => "seccompProfile_baseline",
            Self::Sysctls => "sysctls",
            Self::RestrictedVolumes => "restrictedVolumes",
            Self::AllowPrivilegeEscalation => "allowPrivilegeEscalation",
            Self::RunAsNonRoot => "runAsNonRoot",
            Self::RunAsUser => "runAsUser",
            Self::SeccompProfileRestricted => "seccompProfile_restricted",
            Self::CapabilitiesRestricted => "capabilities_restricted",
            Self::ProcMountRestricted => "procMount_restricted",
        }
    }

    /// The first policy minor version that has the check.
    pub fn introduced(self) -> u32 {
        match self {
            Self::AllowPrivilegeEscalation => 8,
            Self::SeccompProfileRestricted => 19,
            Self::CapabilitiesRestricted => 22,
            Self::RunAsUser => 23,
            Self::HostProbesAndHostLifecycle => 34,
            Self::ProcMountRestricted => 35,
            _ => 0,
        }
    }

    /// The baseline check this restricted check replaces, when it applies.
    pub fn supersedes(self) -> Option<PssCheck> {
        match self {
            Self::RestrictedVolumes => Some(Self::HostPathVolumes),
            Self::CapabilitiesRestricted => Some(Self::CapabilitiesBaseline),
            Self::SeccompProfileRestricted => Some(Self::SeccompProfileBaseline),
            Self::ProcMountRestricted => Some(Self::ProcMount),
            _ => None,
        }
    }

    /// Evaluates the check on one pod at one policy version.
    pub fn evaluate(self, pod: &PodFacts, v: PssVersion) -> Outcome {
        if v.0 < self.introduced() {
            return Outcome::NotApplicable(format!(
                "`{}` is not part of the Pod Security Standards before v1.{}",
                self.upstream_id(),
                self.introduced()
            ));
        }
        let windows_exempt = matches!(
            self,
            Self::AllowPrivilegeEscalation
                | Self::SeccompProfileRestricted
                | Self::CapabilitiesRestricted
        );
        if windows_exempt && v.0 >= 25 && pod.is_windows() {
            return Outcome::NotApplicable("not required for Windows pods".to_owned());
        }
        let userns_relaxed = matches!(self, Self::RunAsNonRoot | Self::RunAsUser | Self::ProcMount);
        if userns_relaxed && v.0 >= 35 && pod.uses_user_namespace() {
            return Outcome::NotApplicable(
                "relaxed for pods in a user namespace (hostUsers: false)".to_owned(),
            );
        }
        let mut out = Vec::new();
        self.collect(pod, v, &mut out);
        if out.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail(out)
        }
    }

    fn collect(self, pod: &PodFacts, v: PssVersion, out: &mut Vec<Violation>) {
        match self {
            Self::WindowsHostProcess => {
                flag(
                    out,
                    None,
                    &pod.opts.host_process,
                    |b| *b,
                    || "pod sets windowsOptions.hostProcess=true".to_owned(),
                );
                each(pod, out, |c, out, i| {
                    flag(
                        out,
                        Some(i),
                        &c.opts.host_process,
                        |b| *b,
                        || format!("{} sets windowsOptions.hostProcess=true", who(c)),
                    );
                });
            }
            Self::HostNamespaces => {
                flag(
                    out,
                    None,
                    &pod.host_network,
                    |b| *b,
                    || "pod sets hostNetwork=true".to_owned(),
                );
                flag(
                    out,
                    None,
                    &pod.host_pid,
                    |b| *b,
                    || "pod sets hostPID=true".to_owned(),
                );
                flag(
                    out,
                    None,
                    &pod.host_ipc,
                    |b| *b,
                    || "pod sets hostIPC=true".to_owned(),
                );
            }
            Self::Privileged => each(pod, out, |c, out, i| {
                flag(
                    out,
                    Some(i),
                    &c.privileged,
                    |b| *b,
                    || format!("{} sets securityContext.privileged=true", who(c)),
                );
            }),
            Self::CapabilitiesBaseline => each(pod, out, |c, out, i| {
                for cap in &c.capabilities_add {
                    if !BASELINE_CAPABILITIES.contains(&cap.value.as_str()) {
                        push(
                            out,
                            Some(i),
                            &cap.loc,
                            format!("{} adds non-default capability `{}`", who(c), cap.value),
                        );
                    }
                }
            }),
            Self::HostPathVolumes => {
                for vol in &pod.volumes {
                    if vol.sources.iter().any(|s| s == "hostPath") {
                        push(
                            out,
                            None,
                            &vol.loc,
                            format!("volume `{}` is a hostPath volume", vol.name),
                        );
                    }
                }
            }
            Self::HostPorts => each(pod, out, |c, out, i| {
                for port in &c.host_ports {
                    if port.value != 0 {
                        push(
                            out,
                            Some(i),
                            &port.loc,
                            format!("{} uses hostPort {}", who(c), port.value),
                        );
                    }
                }
            }),
            Self::HostProbesAndHostLifecycle => each(pod, out, |c, out, i| {
                for host in &c.probe_hosts {
                    if !host.value.is_empty() {
                        push(
                            out,
                            Some(i),
                            &host.loc,
                            format!(
                                "{} has a probe or lifecycle handler aimed at host `{}`",
                                who(c),
                                host.value
                            ),
                        );
                    }
                }
            }),
            Self::AppArmorProfile => {
                let ok = |t: &String| t == "RuntimeDefault" || t == "Localhost";
                flag(
                    out,
                    None,
                    &pod.opts.app_armor_type,
                    |t| !ok(t),
                    || "pod sets a forbidden appArmorProfile type".to_owned(),
                );
                each(pod, out, |c, out, i| {
                    flag(
                        out,
                        Some(i),
                        &c.opts.app_armor_type,
                        |t| !ok(t),
                        || format!("{} sets a forbidden appArmorProfile type", who(c)),
                    );
                });
                for (key, value) in &pod.annotations {
                    if let Some(name) =
                        key.strip_prefix("container.apparmor.security.beta.kubernetes.io/")
                    {
                        let v = &value.value;
                        if !(v.is_empty() || v == "runtime/default" || v.starts_with("localhost/"))
                        {
                            push(
                                out,
                                container_named(pod, name),
                                &value.loc,
                                format!("annotation `{key}` sets AppArmor profile `{v}`"),
                            );
                        }
                    }
                }
            }
            Self::SeLinuxOptions => {
                selinux(out, None, &pod.opts, &|| "pod".to_owned(), v);
                each(pod, out, |c, out, i| {
                    selinux(out, Some(i), &c.opts, &|| who(c), v)
                });
            }
            Self::ProcMount | Self::ProcMountRestricted => each(pod, out, |c, out, i| {
                flag(
                    out,
                    Some(i),
                    &c.proc_mount,
                    |m| m != "Default",
                    || format!("{} sets a non-default procMount", who(c)),
                );
            }),
            Self::SeccompProfileBaseline => seccomp_baseline(pod, v, out),
            Self::Sysctls => {
                for s in &pod.sysctls {
                    let safe = SAFE_SYSCTLS
                        .iter()
                        .any(|(name, since)| *name == s.value && v.0 >= *since);
                    if !safe {
                        push(
                            out,
                            None,
                            &s.loc,
                            format!(
                                "pod sets sysctl `{}`, which is not in the safe set",
                                s.value
                            ),
                        );
                    }
                }
            }
            Self::RestrictedVolumes => {
                for vol in &pod.volumes {
                    for src in &vol.sources {
                        if !RESTRICTED_VOLUMES.contains(&src.as_str()) {
                            push(
                                out,
                                None,
                                &vol.loc,
                                format!("volume `{}` uses restricted type `{src}`", vol.name),
                            );
                        }
                    }
                }
            }
            Self::AllowPrivilegeEscalation => each(pod, out, |c, out, i| {
                if c.allow_privilege_escalation
                    .as_ref()
                    .is_none_or(|a| a.value)
                {
                    let loc = c
                        .allow_privilege_escalation
                        .as_ref()
                        .map_or(&c.loc, |a| &a.loc);
                    push(
                        out,
                        Some(i),
                        loc,
                        format!(
                            "{} must set securityContext.allowPrivilegeEscalation=false",
                            who(c)
                        ),
                    );
                }
            }),
            Self::RunAsNonRoot => {
                let pod_value = pod.opts.run_as_non_root.as_ref();
                flag(
                    out,
                    None,
                    &pod.opts.run_as_non_root,
                    |b| !*b,
                    || "pod sets runAsNonRoot=false".to_owned(),
                );
                let pod_true = pod_value.is_some_and(|b| b.value);
                each(pod, out, |c, out, i| match &c.opts.run_as_non_root {
                    Some(b) if !b.value => push(
                        out,
                        Some(i),
                        &b.loc,
                        format!("{} sets runAsNonRoot=false", who(c)),
                    ),
                    None if !pod_true => push(
                        out,
                        Some(i),
                        &c.loc,
                        format!("{} must set runAsNonRoot=true (or the pod must)", who(c)),
                    ),
                    _ => {}
                });
            }
            Self::RunAsUser => {
                flag(
                    out,
                    None,
                    &pod.opts.run_as_user,
                    |u| *u == 0,
                    || "pod sets runAsUser=0".to_owned(),
                );
                each(pod, out, |c, out, i| {
                    flag(
                        out,
                        Some(i),
                        &c.opts.run_as_user,
                        |u| *u == 0,
                        || format!("{} sets runAsUser=0", who(c)),
                    );
                });
            }
            Self::SeccompProfileRestricted => {
                let valid = |t: &String| t == "RuntimeDefault" || t == "Localhost";
                flag(
                    out,
                    None,
                    &pod.opts.seccomp_type,
                    |t| !valid(t),
                    || {
                        "pod sets a seccompProfile type other than RuntimeDefault or Localhost"
                            .to_owned()
                    },
                );
                let pod_set = pod.opts.seccomp_type.is_some();
                each(pod, out, |c, out, i| {
                    match &c.opts.seccomp_type {
                    Some(t) if !valid(&t.value) => push(out, Some(i), &t.loc, format!("{} sets seccompProfile type `{}`", who(c), t.value)),
                    None if !pod_set => push(out, Some(i), &c.loc, format!("{} must set seccompProfile to RuntimeDefault or Localhost (or the pod must)", who(c))),
                    _ => {}
                }
                });
            }
            Self::CapabilitiesRestricted => each(pod, out, |c, out, i| {
                if !c.capabilities_drop.iter().any(|d| d.value == "ALL") {
                    push(
                        out,
                        Some(i),
                        &c.loc,
                        format!("{} must drop ALL capabilities", who(c)),
                    );
                }
                for cap in &c.capabilities_add {
                    if cap.value != "NET_BIND_SERVICE" {
                        push(
                            out,
                            Some(i),
                            &cap.loc,
                            format!(
                                "{} adds capability `{}` (only NET_BIND_SERVICE is allowed)",
                                who(c),
                                cap.value
                            ),
                        );
                    }
                }
            }),
        }
    }
}

fn who(c: &ContainerFacts) -> String {
    format!(
        "{} `{}`",
        match c.group {
            crate::evidence::ContainerGroup::Containers => "container",
            crate::evidence::ContainerGroup::InitContainers => "init container",
            crate::evidence::ContainerGroup::EphemeralContainers => "ephemeral container",
        },
        c.name
    )
}

fn container_named(pod: &PodFacts, name: &str) -> Option<usize> {
    pod.containers.iter().position(|c| &*c.name == name)
}

fn each(
    pod: &PodFacts,
    out: &mut Vec<Violation>,
    mut f: impl FnMut(&ContainerFacts, &mut Vec<Violation>, usize),
) {
    for (i, c) in pod.containers.iter().enumerate() {
        f(c, out, i);
    }
}

fn push(out: &mut Vec<Violation>, container: Option<usize>, loc: &Loc, message: String) {
    out.push(Violation {
        container,
        message,
        loc: loc.clone(),
    });
}

fn flag<T>(
    out: &mut Vec<Violation>,
    container: Option<usize>,
    field: &Option<At<T>>,
    bad: impl Fn(&T) -> bool,
    message: impl FnOnce() -> String,
) {
    if let Some(at) = field {
        if bad(&at.value) {
            push(out, container, &at.loc, message());
        }
    }
}

fn selinux(
    out: &mut Vec<Violation>,
    container: Option<usize>,
    opts: &SecurityOpts,
    who: &dyn Fn() -> String,
    v: PssVersion,
) {
    let type_ok = |t: &String| {
        matches!(
            t.as_str(),
            "" | "container_t" | "container_init_t" | "container_kvm_t"
        ) || (v.0 >= 31 && t == "container_engine_t")
    };
    flag(
        out,
        container,
        &opts.selinux_type,
        |t| !type_ok(t),
        || format!("{} sets a forbidden seLinuxOptions.type", who()),
    );
    flag(
        out,
        container,
        &opts.selinux_user,
        |u| !u.is_empty(),
        || format!("{} sets seLinuxOptions.user", who()),
    );
    flag(
        out,
        container,
        &opts.selinux_role,
        |r| !r.is_empty(),
        || format!("{} sets seLinuxOptions.role", who()),
    );
}

fn seccomp_baseline(pod: &PodFacts, v: PssVersion, out: &mut Vec<Violation>) {
    if v.0 >= 19 {
        let ok = |t: &String| t == "RuntimeDefault" || t == "Localhost";
        flag(
            out,
            None,
            &pod.opts.seccomp_type,
            |t| !ok(t),
            || "pod sets seccompProfile type Unconfined or unknown".to_owned(),
        );
        each(pod, out, |c, out, i| {
            flag(
                out,
                Some(i),
                &c.opts.seccomp_type,
                |t| !ok(t),
                || format!("{} sets seccompProfile type Unconfined or unknown", who(c)),
            );
        });
        return;
    }
    let ok = |v: &str| {
        v.is_empty()
            || v == "runtime/default"
            || v == "docker/default"
            || v.starts_with("localhost/")
    };
    for (key, value) in &pod.annotations {
        if key == "seccomp.security.alpha.kubernetes.io/pod" && !ok(&value.value) {
            push(
                out,
                None,
                &value.loc,
                format!("annotation `{key}` sets seccomp profile `{}`", value.value),
            );
        } else if let Some(name) =
            key.strip_prefix("container.seccomp.security.alpha.kubernetes.io/")
        {
            if !ok(&value.value) {
                push(
                    out,
                    container_named(pod, name),
                    &value.loc,
                    format!("annotation `{key}` sets seccomp profile `{}`", value.value),
                );
            }
        }
    }
}
