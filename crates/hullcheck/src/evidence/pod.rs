//! The security-relevant facts of a pod spec, typed and located.
//!
//! Every container group (`containers`, `initContainers`, `ephemeralContainers`) is read.
//! Reading is strict: a field of the wrong type makes the whole workload a document error,
//! as the API server would reject it.

use super::error::EvidenceError;
use super::read::{At, Cursor, Loc};

/// Security settings that exist both on the pod and on each container.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SecurityOpts {
    /// `runAsNonRoot`.
    pub run_as_non_root: Option<At<bool>>,
    /// `runAsUser`.
    pub run_as_user: Option<At<i64>>,
    /// `runAsGroup`.
    pub run_as_group: Option<At<i64>>,
    /// `seccompProfile.type` (an empty string when the profile has no type).
    pub seccomp_type: Option<At<String>>,
    /// `appArmorProfile.type` (an empty string when the profile has no type).
    pub app_armor_type: Option<At<String>>,
    /// `seLinuxOptions.type`.
    pub selinux_type: Option<At<String>>,
    /// `seLinuxOptions.user`.
    pub selinux_user: Option<At<String>>,
    /// `seLinuxOptions.role`.
    pub selinux_role: Option<At<String>>,
    /// `windowsOptions.hostProcess`.
    pub host_process: Option<At<bool>>,
}

/// Which list of the pod spec a container belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ContainerGroup {
    /// `spec.containers`.
    Containers,
    /// `spec.initContainers`.
    InitContainers,
    /// `spec.ephemeralContainers`.
    EphemeralContainers,
}

impl ContainerGroup {
    /// The field name of the group in a pod spec.
    pub fn field(self) -> &'static str {
        match self {
            Self::Containers => "containers",
            Self::InitContainers => "initContainers",
            Self::EphemeralContainers => "ephemeralContainers",
        }
    }
}

/// One container's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerFacts {
    /// The list the container is in.
    pub group: ContainerGroup,
    /// The container's name (empty when unnamed).
    pub name: std::sync::Arc<str>,
    /// The container's image reference, when set.
    pub image: Option<std::sync::Arc<str>>,
    /// The image reference parsed once here, for every check that reads it (`None` when the
    /// image is unset or not a valid reference).
    pub image_ref: Option<super::ImageRef>,
    /// The container as a finding subject (set once the owning object is known).
    pub subject: Option<std::sync::Arc<super::Subject>>,
    /// Location of the container entry.
    pub loc: Loc,
    /// Settings shared with the pod level.
    pub opts: SecurityOpts,
    /// `securityContext.privileged`.
    pub privileged: Option<At<bool>>,
    /// `securityContext.allowPrivilegeEscalation`.
    pub allow_privilege_escalation: Option<At<bool>>,
    /// `securityContext.capabilities.add`.
    pub capabilities_add: Vec<At<String>>,
    /// `securityContext.capabilities.drop`.
    pub capabilities_drop: Vec<At<String>>,
    /// `securityContext.procMount`.
    pub proc_mount: Option<At<String>>,
    /// Non-null `ports[*].hostPort` values.
    pub host_ports: Vec<At<i64>>,
    /// Non-null `host` fields of probes and lifecycle handlers.
    pub probe_hosts: Vec<At<String>>,
    /// `securityContext.readOnlyRootFilesystem`.
    pub read_only_root_fs: Option<At<bool>>,
    /// `resources.limits.memory` is set.
    pub memory_limit: bool,
    /// `resources.requests.cpu` is set.
    pub cpu_request: bool,
    /// `livenessProbe` is set.
    pub liveness_probe: bool,
    /// `readinessProbe` is set.
    pub readiness_probe: bool,
    /// `imagePullPolicy`.
    pub image_pull_policy: Option<At<String>>,
    /// Location of the `image` field.
    pub image_loc: Loc,
    /// `env[*]` entries with a literal `value`: name and value.
    pub env_literals: Vec<(String, At<String>)>,
    /// Secrets passed as environment variables: `env[*].valueFrom.secretKeyRef` (described as
    /// ``variable `X` from Secret `s` key `k` ``) and `envFrom[*].secretRef`.
    pub secret_env: Vec<At<String>>,
    /// `command` then `args`, each element with its location.
    pub command_args: Vec<At<String>>,
}

/// One volume: its name and the source types it sets.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeFacts {
    /// The volume's name.
    pub name: String,
    /// Location of the volume entry.
    pub loc: Loc,
    /// Field names of the volume sources set (`hostPath`, `emptyDir`, …).
    pub sources: Vec<String>,
    /// `hostPath.path`, for hostPath volumes.
    pub host_path: Option<At<String>>,
}

/// The facts of one pod spec (of a Pod or of a workload's pod template).
#[derive(Debug, Clone, PartialEq)]
pub struct PodFacts {
    /// Location of the pod spec.
    pub loc: Loc,
    /// Pod (template) metadata annotations.
    pub annotations: Vec<(String, At<String>)>,
    /// `hostNetwork`.
    pub host_network: Option<At<bool>>,
    /// `hostPID`.
    pub host_pid: Option<At<bool>>,
    /// `hostIPC`.
    pub host_ipc: Option<At<bool>>,
    /// `hostUsers`.
    pub host_users: Option<At<bool>>,
    /// `os.name`.
    pub os_name: Option<At<String>>,
    /// Pod-level security settings.
    pub opts: SecurityOpts,
    /// `securityContext.sysctls[*].name`.
    pub sysctls: Vec<At<String>>,
    /// `volumes`.
    pub volumes: Vec<VolumeFacts>,
    /// All containers, in group order then list order.
    pub containers: Vec<ContainerFacts>,
    /// `serviceAccountName` (or the deprecated `serviceAccount`).
    pub service_account: Option<At<String>>,
    /// `automountServiceAccountToken`.
    pub automount_token: Option<At<bool>>,
    /// `securityContext.fsGroup`.
    pub fs_group: Option<At<i64>>,
    /// `securityContext.supplementalGroups`.
    pub supplemental_groups: Vec<At<i64>>,
    /// The kinds in `metadata.ownerReferences` (a Pod's owning controllers).
    pub owner_kinds: Vec<String>,
}

impl PodFacts {
    /// True for pods that declare `spec.os.name: windows`.
    pub fn is_windows(&self) -> bool {
        self.os_name.as_ref().is_some_and(|o| o.value == "windows")
    }

    /// True for pods that set `spec.hostUsers: false` (user namespaces).
    pub fn uses_user_namespace(&self) -> bool {
        self.host_users.as_ref().is_some_and(|h| !h.value)
    }

    /// Reads the pod facts from a pod spec and its metadata (either may be absent).
    pub fn read(spec: &Cursor<'_>, metadata: Option<&Cursor<'_>>) -> Result<Self, EvidenceError> {
        spec.expect_map()?;
        let mut annotations = Vec::new();
        let mut owner_kinds = Vec::new();
        if let Some(meta) = metadata {
            if let Some(ann) = meta.field("annotations")? {
                for (k, v) in ann.entries()? {
                    annotations.push((k.to_owned(), v.string()?));
                }
            }
            if let Some(owners) = meta.field("ownerReferences")? {
                for o in owners.items()? {
                    owner_kinds.push(o.opt_string("kind")?.map(|k| k.value).unwrap_or_default());
                }
            }
        }
        let sc = spec.field("securityContext")?;
        let (fs_group, supplemental_groups) = match &sc {
            Some(sc) => (
                sc.opt_int("fsGroup")?,
                match sc.field("supplementalGroups")? {
                    Some(l) => l
                        .items()?
                        .iter()
                        .map(Cursor::int)
                        .collect::<Result<_, _>>()?,
                    None => Vec::new(),
                },
            ),
            None => (None, Vec::new()),
        };
        let (opts, sysctls) = match &sc {
            Some(sc) => {
                let mut sysctls = Vec::new();
                if let Some(list) = sc.field("sysctls")? {
                    for item in list.items()? {
                        let name = item.opt_string("name")?.unwrap_or(At {
                            value: String::new(),
                            loc: item.loc(),
                        });
                        sysctls.push(name);
                    }
                }
                (read_opts(sc)?, sysctls)
            }
            None => (SecurityOpts::default(), Vec::new()),
        };
        let mut volumes = Vec::new();
        if let Some(list) = spec.field("volumes")? {
            for item in list.items()? {
                let mut name = String::new();
                let mut sources = Vec::new();
                let mut host_path = None;
                for (k, v) in item.entries()? {
                    if k == "name" {
                        name = v.string()?.value;
                    } else if !v.node().is_null() {
                        v.expect_map()?;
                        if k == "hostPath" {
                            host_path = v.opt_string("path")?;
                        }
                        sources.push(k.to_owned());
                    }
                }
                volumes.push(VolumeFacts {
                    name,
                    loc: item.loc(),
                    sources,
                    host_path,
                });
            }
        }
        let mut containers = Vec::new();
        for group in [
            ContainerGroup::Containers,
            ContainerGroup::InitContainers,
            ContainerGroup::EphemeralContainers,
        ] {
            if let Some(list) = spec.field(group.field())? {
                for item in list.items()? {
                    containers.push(read_container(group, &item)?);
                }
            }
        }
        // Kept for the whole evaluation: no spare capacity (a first push reserves four
        // containers of almost 900 bytes each).
        containers.shrink_to_fit();
        volumes.shrink_to_fit();
        annotations.shrink_to_fit();
        let os_name = match spec.field("os")? {
            Some(os) => os.opt_string("name")?,
            None => None,
        };
        Ok(Self {
            loc: spec.loc(),
            annotations,
            host_network: spec.opt_bool("hostNetwork")?,
            host_pid: spec.opt_bool("hostPID")?,
            host_ipc: spec.opt_bool("hostIPC")?,
            host_users: spec.opt_bool("hostUsers")?,
            os_name,
            opts,
            sysctls,
            volumes,
            containers,
            service_account: match spec.opt_string("serviceAccountName")? {
                Some(sa) => Some(sa),
                None => spec.opt_string("serviceAccount")?,
            },
            automount_token: spec.opt_bool("automountServiceAccountToken")?,
            fs_group,
            supplemental_groups,
            owner_kinds,
        })
    }
}

/// Reads a profile's `type`, giving an empty string when the profile is set without one.
fn profile_type(sc: &Cursor<'_>, key: &str) -> Result<Option<At<String>>, EvidenceError> {
    match sc.field(key)? {
        None => Ok(None),
        Some(profile) => Ok(Some(profile.opt_string("type")?.unwrap_or(At {
            value: String::new(),
            loc: profile.loc(),
        }))),
    }
}

fn read_opts(sc: &Cursor<'_>) -> Result<SecurityOpts, EvidenceError> {
    let (selinux_type, selinux_user, selinux_role) = match sc.field("seLinuxOptions")? {
        Some(se) => (
            se.opt_string("type")?,
            se.opt_string("user")?,
            se.opt_string("role")?,
        ),
        None => (None, None, None),
    };
    let host_process = match sc.field("windowsOptions")? {
        Some(w) => w.opt_bool("hostProcess")?,
        None => None,
    };
    Ok(SecurityOpts {
        run_as_non_root: sc.opt_bool("runAsNonRoot")?,
        run_as_user: sc.opt_int("runAsUser")?,
        run_as_group: sc.opt_int("runAsGroup")?,
        seccomp_type: profile_type(sc, "seccompProfile")?,
        app_armor_type: profile_type(sc, "appArmorProfile")?,
        selinux_type,
        selinux_user,
        selinux_role,
        host_process,
    })
}

fn read_container(group: ContainerGroup, c: &Cursor<'_>) -> Result<ContainerFacts, EvidenceError> {
    c.expect_map()?;
    let name = c.opt_string("name")?.map(|n| n.value).unwrap_or_default();
    let image_at = c.opt_string("image")?;
    let image_loc = image_at.as_ref().map_or_else(|| c.loc(), |i| i.loc.clone());
    let image = image_at.map(|n| n.value);
    let (mut env_literals, secret_env) = read_env(c)?;
    env_literals.shrink_to_fit();
    let mut command_args = c.string_list("command")?;
    command_args.extend(c.string_list("args")?);
    let (mut memory_limit, mut cpu_request) = (false, false);
    if let Some(res) = c.field("resources")? {
        if let Some(l) = res.field("limits")? {
            memory_limit = l.field("memory")?.is_some();
        }
        if let Some(r) = res.field("requests")? {
            cpu_request = r.field("cpu")?.is_some();
        }
    }
    let mut facts = ContainerFacts {
        group,
        name: name.into(),
        image_ref: image.as_deref().and_then(super::ImageRef::parse),
        image: image.map(Into::into),
        subject: None,
        loc: c.loc(),
        opts: SecurityOpts::default(),
        privileged: None,
        allow_privilege_escalation: None,
        capabilities_add: Vec::new(),
        capabilities_drop: Vec::new(),
        proc_mount: None,
        host_ports: Vec::new(),
        probe_hosts: Vec::new(),
        read_only_root_fs: None,
        memory_limit,
        cpu_request,
        liveness_probe: c.field("livenessProbe")?.is_some(),
        readiness_probe: c.field("readinessProbe")?.is_some(),
        image_pull_policy: c.opt_string("imagePullPolicy")?,
        image_loc,
        env_literals,
        secret_env,
        command_args,
    };
    if let Some(sc) = c.field("securityContext")? {
        facts.opts = read_opts(&sc)?;
        facts.privileged = sc.opt_bool("privileged")?;
        facts.allow_privilege_escalation = sc.opt_bool("allowPrivilegeEscalation")?;
        facts.proc_mount = sc.opt_string("procMount")?;
        facts.read_only_root_fs = sc.opt_bool("readOnlyRootFilesystem")?;
        if let Some(caps) = sc.field("capabilities")? {
            facts.capabilities_add = caps.string_list("add")?;
            facts.capabilities_drop = caps.string_list("drop")?;
        }
    }
    if let Some(ports) = c.field("ports")? {
        for port in ports.items()? {
            port.expect_map()?;
            if let Some(hp) = port.opt_int("hostPort")? {
                facts.host_ports.push(hp);
            }
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = c.field(probe)? {
            read_handler_hosts(&p, &mut facts.probe_hosts)?;
        }
    }
    if let Some(lc) = c.field("lifecycle")? {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = lc.field(hook)? {
                read_handler_hosts(&h, &mut facts.probe_hosts)?;
            }
        }
    }
    Ok(facts)
}

/// Literal environment values and Secrets passed as environment variables.
type EnvRead = (Vec<(String, At<String>)>, Vec<At<String>>);

fn read_env(c: &Cursor<'_>) -> Result<EnvRead, EvidenceError> {
    let (mut literals, mut secrets) = (Vec::new(), Vec::new());
    if let Some(env) = c.field("env")? {
        for e in env.items()? {
            let Some(n) = e.opt_string("name")? else {
                continue;
            };
            if let Some(v) = e.opt_string("value")? {
                literals.push((n.value, v));
            } else if let Some(r) = super::kinds::dig(&e, &["valueFrom", "secretKeyRef"])? {
                let secret = r.opt_string("name")?.map(|s| s.value).unwrap_or_default();
                let key = r.opt_string("key")?.map(|s| s.value).unwrap_or_default();
                secrets.push(At {
                    value: format!("variable `{}` from Secret `{secret}` key `{key}`", n.value),
                    loc: r.loc(),
                });
            }
        }
    }
    if let Some(from) = c.field("envFrom")? {
        for f in from.items()? {
            if let Some(r) = f.field("secretRef")? {
                let secret = r.opt_string("name")?.map(|s| s.value).unwrap_or_default();
                secrets.push(At {
                    value: format!("every key of Secret `{secret}` (envFrom)"),
                    loc: r.loc(),
                });
            }
        }
    }
    Ok((literals, secrets))
}

fn read_handler_hosts(
    handler: &Cursor<'_>,
    out: &mut Vec<At<String>>,
) -> Result<(), EvidenceError> {
    for action in ["httpGet", "tcpSocket"] {
        if let Some(a) = handler.field(action)? {
            if let Some(host) = a.opt_string("host")? {
                out.push(host);
            }
        }
    }
    Ok(())
}
