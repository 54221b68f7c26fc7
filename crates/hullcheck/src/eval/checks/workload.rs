//! Workload checks beyond the Pod Security Standards: container hardening, service accounts,
//! credentials in manifests, and where images come from.

use crate::eval::ctx::{container_draft, draft, namespace_of, pass_or, Ctx, Draft, Outcome};
use crate::evidence::{ContainerFacts, ContainerGroup, ImageRef, Item, Loc, PodFacts};
use crate::report::Status;

const NO_WORKLOADS: &str = "no Kubernetes workloads (Pods or pod templates) in the evidence";

/// Runs `f` on every container of every workload; a workload with no failure gets one pass.
fn per_container(
    ctx: &Ctx<'_>,
    pass: &str,
    f: impl Fn(&Item, &PodFacts, &ContainerFacts) -> Option<(Loc, String)>,
) -> Outcome {
    let mut out = Vec::new();
    let mut any = false;
    let pass: std::sync::Arc<str> = pass.into();
    for (item, pod) in ctx.set.workloads() {
        any = true;
        // Failures go straight into the result; the workload passes when none was added.
        let before = out.len();
        out.extend(pod.containers.iter().filter_map(|c| {
            f(item, pod, c).map(|(loc, msg)| container_draft(item, c, &loc, Status::Fail, msg))
        }));
        if out.len() == before {
            out.push(draft(item, Some(&pod.loc), Status::Pass, pass.clone()));
        }
    }
    if any {
        Outcome::Findings(out)
    } else {
        Outcome::NotAssessed(NO_WORKLOADS.to_owned())
    }
}

/// Runs `f` on every workload.
fn per_workload(ctx: &Ctx<'_>, f: impl Fn(&Item, &PodFacts) -> Vec<Draft>) -> Outcome {
    let mut out = Vec::new();
    let mut any = false;
    for (item, pod) in ctx.set.workloads() {
        any = true;
        out.extend(f(item, pod));
    }
    if any {
        Outcome::Findings(out)
    } else {
        Outcome::NotAssessed(NO_WORKLOADS.to_owned())
    }
}

fn who(c: &ContainerFacts) -> Who<'_> {
    Who(c)
}

/// A container as messages name it, written straight into the message.
struct Who<'a>(&'a ContainerFacts);

impl std::fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "container `{}`", self.0.name)
    }
}

/// RUN-020: read-only root filesystem on every regular and init container.
pub fn read_only_root_fs(ctx: &Ctx<'_>) -> Outcome {
    per_container(
        ctx,
        "every container has a read-only root filesystem",
        |_, _, c| {
            if c.group == ContainerGroup::EphemeralContainers
                || c.read_only_root_fs.as_ref().is_some_and(|r| r.value)
            {
                return None;
            }
            let loc = c
                .read_only_root_fs
                .as_ref()
                .map_or(&c.loc, |r| &r.loc)
                .clone();
            Some((
                loc,
                format!(
                    "{} must set securityContext.readOnlyRootFilesystem=true",
                    who(c)
                ),
            ))
        },
    )
}

/// RUN-021: memory limit and CPU request on every regular container.
pub fn resources(ctx: &Ctx<'_>) -> Outcome {
    per_container(
        ctx,
        "every container sets a memory limit and a CPU request",
        |_, _, c| {
            if c.group != ContainerGroup::Containers || (c.memory_limit && c.cpu_request) {
                return None;
            }
            let mut missing = Vec::new();
            if !c.memory_limit {
                missing.push("resources.limits.memory");
            }
            if !c.cpu_request {
                missing.push("resources.requests.cpu");
            }
            Some((
                c.loc.clone(),
                format!("{} sets no {}", who(c), missing.join(" or ")),
            ))
        },
    )
}

/// RUN-022: liveness and readiness probes on long-running workloads.
pub fn probes(ctx: &Ctx<'_>) -> Outcome {
    per_workload(ctx, |item, pod| {
        if matches!(&*item.origin.kind, "Job" | "CronJob") {
            return vec![draft(
                item,
                Some(&pod.loc),
                Status::NotApplicable,
                "batch workloads run to completion; probes do not apply",
            )];
        }
        let fails = pod
            .containers
            .iter()
            .filter(|c| {
                c.group == ContainerGroup::Containers && !(c.liveness_probe && c.readiness_probe)
            })
            .map(|c| {
                let missing = match (c.liveness_probe, c.readiness_probe) {
                    (false, false) => "livenessProbe and readinessProbe",
                    (false, true) => "livenessProbe",
                    _ => "readinessProbe",
                };
                container_draft(
                    item,
                    c,
                    &c.loc,
                    Status::Fail,
                    format!("{} defines no {missing}", who(c)),
                )
            })
            .collect();
        pass_or(
            item,
            Some(&pod.loc),
            fails,
            "every container defines liveness and readiness probes",
        )
    })
}

const RUNTIME_SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/run/k3s/containerd/containerd.sock",
];

/// RUN-023: no hostPath volume exposes a container runtime socket (or its directory).
pub fn runtime_socket(ctx: &Ctx<'_>) -> Outcome {
    per_workload(ctx, |item, pod| {
        let fails = pod
            .volumes
            .iter()
            .filter_map(|v| {
                let p = v.host_path.as_ref()?;
                let path = p.value.trim_end_matches('/');
                let hit = RUNTIME_SOCKETS.iter().any(|s| *s == path || s.starts_with(&format!("{path}/")) || path.is_empty());
                hit.then(|| draft(item, Some(&p.loc), Status::Fail, format!("volume `{}` mounts the host path `{}`, which exposes the container runtime socket", v.name, p.value)))
            })
            .collect();
        pass_or(
            item,
            Some(&pod.loc),
            fails,
            "no container runtime socket is mounted",
        )
    })
}

/// RUN-028: no group ID 0 (runAsGroup, fsGroup, supplementalGroups).
pub fn non_root_groups(ctx: &Ctx<'_>) -> Outcome {
    per_workload(ctx, |item, pod| {
        let mut fails = Vec::new();
        let mut flag = |loc: &Loc, what: &str| {
            fails.push(draft(
                item,
                Some(loc),
                Status::Fail,
                format!("{what} is 0 (the root group)"),
            ))
        };
        if let Some(g) = pod.opts.run_as_group.as_ref().filter(|g| g.value == 0) {
            flag(&g.loc, "pod runAsGroup");
        }
        if let Some(g) = pod.fs_group.as_ref().filter(|g| g.value == 0) {
            flag(&g.loc, "pod fsGroup");
        }
        for g in pod.supplemental_groups.iter().filter(|g| g.value == 0) {
            flag(&g.loc, "a pod supplementalGroups entry");
        }
        for c in &pod.containers {
            if let Some(g) = c.opts.run_as_group.as_ref().filter(|g| g.value == 0) {
                fails.push(container_draft(
                    item,
                    c,
                    &g.loc,
                    Status::Fail,
                    format!("{} runAsGroup is 0 (the root group)", who(c)),
                ));
            }
        }
        pass_or(item, Some(&pod.loc), fails, "no root group is requested")
    })
}

/// RUN-030: an AppArmor or SELinux profile is explicitly applied (Linux pods).
pub fn mac_profile_set(ctx: &Ctx<'_>) -> Outcome {
    per_workload(ctx, |item, pod| {
        if pod.is_windows() {
            return vec![draft(
                item,
                Some(&pod.loc),
                Status::NotApplicable,
                "Windows pods have no AppArmor or SELinux",
            )];
        }
        let pod_level = pod.opts.app_armor_type.is_some() || pod.opts.selinux_type.is_some();
        let fails = pod
            .containers
            .iter()
            .filter(|c| {
                let annotated = pod.annotations.iter().any(|(k, _)| {
                    k == &format!("container.apparmor.security.beta.kubernetes.io/{}", c.name)
                });
                !(pod_level
                    || annotated
                    || c.opts.app_armor_type.is_some()
                    || c.opts.selinux_type.is_some())
            })
            .map(|c| {
                container_draft(
                    item,
                    c,
                    &c.loc,
                    Status::Fail,
                    format!("{} has no AppArmor profile or SELinux type applied", who(c)),
                )
            })
            .collect();
        pass_or(
            item,
            Some(&pod.loc),
            fails,
            "a mandatory access control profile is applied",
        )
    })
}

/// ORC-011: workloads use a dedicated service account, not `default`.
pub fn default_service_account(ctx: &Ctx<'_>) -> Outcome {
    per_workload(ctx, |item, pod| match &pod.service_account {
        Some(sa) if sa.value != "default" => vec![draft(
            item,
            Some(&sa.loc),
            Status::Pass,
            format!("runs as service account `{}`", sa.value),
        )],
        Some(sa) => vec![draft(
            item,
            Some(&sa.loc),
            Status::Fail,
            "runs as the `default` service account",
        )],
        None => vec![draft(
            item,
            Some(&pod.loc),
            Status::Fail,
            "sets no serviceAccountName, so it runs as the `default` service account",
        )],
    })
}

/// ORC-012: the service-account token is not mounted unless the workload needs API access.
pub fn automount_token(ctx: &Ctx<'_>) -> Outcome {
    // ServiceAccounts that disable automount, by namespace/name.
    let sa_off: std::collections::HashSet<(&str, &str)> = ctx
        .set
        .of(crate::evidence::EvidenceKind::ServiceAccount)
        .filter_map(|i| match &i.evidence {
            crate::evidence::Evidence::ServiceAccount(sa)
                if sa.automount.as_ref().is_some_and(|a| !a.value) =>
            {
                Some((
                    namespace_of(i),
                    i.origin.name.as_deref().unwrap_or_default(),
                ))
            }
            _ => None,
        })
        .collect();
    per_workload(ctx, |item, pod| {
        if let Some(a) = &pod.automount_token {
            return vec![if a.value {
                draft(
                    item,
                    Some(&a.loc),
                    Status::Fail,
                    "sets automountServiceAccountToken=true",
                )
            } else {
                draft(
                    item,
                    Some(&a.loc),
                    Status::Pass,
                    "sets automountServiceAccountToken=false",
                )
            }];
        }
        let sa = pod
            .service_account
            .as_ref()
            .map_or("default", |s| s.value.as_str());
        if sa_off.contains(&(namespace_of(item), sa)) {
            vec![draft(
                item,
                Some(&pod.loc),
                Status::Pass,
                format!("service account `{sa}` disables token automount"),
            )]
        } else {
            vec![draft(item, Some(&pod.loc), Status::Fail, format!("the token of service account `{sa}` is mounted (automountServiceAccountToken is not false on the pod or the service account)"))]
        }
    })
}

/// ORC-013 (CIS 5.4.1): Secrets reach containers as files, not as environment variables.
pub fn secrets_as_files(ctx: &Ctx<'_>) -> Outcome {
    per_workload(ctx, |item, pod| {
        let fails: Vec<Draft> = pod
            .containers
            .iter()
            .flat_map(|c| {
                c.secret_env.iter().map(move |s| {
                    container_draft(
                        item,
                        c,
                        &s.loc,
                        Status::Fail,
                        format!(
                            "{} receives {} as an environment variable; mount the Secret as a volume instead",
                            who(c),
                            s.value
                        ),
                    )
                })
            })
            .collect();
        pass_or(
            item,
            Some(&pod.loc),
            fails,
            "no Secret is passed to a container as an environment variable",
        )
    })
}

/// ORC-014: workloads are not placed in the `default` namespace.
pub fn not_default_namespace(ctx: &Ctx<'_>) -> Outcome {
    per_workload(ctx, |item, pod| {
        if namespace_of(item) == "default" {
            let why = if item.origin.namespace.is_none() {
                "has no namespace, so it lands in `default`"
            } else {
                "is in the `default` namespace"
            };
            vec![draft(item, Some(&pod.loc), Status::Fail, why)]
        } else {
            vec![draft(
                item,
                Some(&pod.loc),
                Status::Pass,
                format!("is in namespace `{}`", namespace_of(item)),
            )]
        }
    })
}

fn image_of(c: &ContainerFacts) -> Option<&ImageRef> {
    c.image_ref.as_ref()
}

/// REG-001: every image comes from an approved registry (`registry.approved`).
pub fn approved_registry(ctx: &Ctx<'_>) -> Outcome {
    let approved = ctx.params.list("registry.approved");
    if approved.is_empty() {
        return Outcome::NotAssessed(
            "parameter `registry.approved` lists no approved registry".to_owned(),
        );
    }
    per_container(
        ctx,
        "every image comes from an approved registry",
        |_, _, c| {
            let image = image_of(c)?;
            let ok = approved.iter().any(|a| image.from_registry(a));
            (!ok).then(|| {
                (
                    c.image_loc.clone(),
                    format!(
                        "{} pulls `{}` from `{}`, which is not an approved registry",
                        who(c),
                        c.image.clone().unwrap_or_default(),
                        image.registry
                    ),
                )
            })
        },
    )
}

/// REG-002: every image is referenced by digest.
pub fn digest_pinned(ctx: &Ctx<'_>) -> Outcome {
    use crate::evidence::image_ref::DigestStatus;
    per_container(ctx, "every image is pinned by digest", |_, _, c| {
        let image = image_of(c)?;
        let text = c.image.clone().unwrap_or_default();
        let msg = match image.digest_status() {
            DigestStatus::Valid => return None,
            DigestStatus::Absent if image.tag.is_some() => {
                format!("{} references `{text}` by tag, not by digest", who(c))
            }
            DigestStatus::Absent => {
                format!("{} references `{text}` with neither tag nor digest", who(c))
            }
            DigestStatus::Unrecognised { algorithm } => format!(
                "{} pins `{text}` with digest algorithm `{algorithm}`, which is not a registered one (sha256, sha512)",
                who(c)
            ),
            DigestStatus::Invalid { reason } => format!(
                "{} references `{text}` with an invalid digest: {reason}",
                who(c)
            ),
        };
        Some((c.image_loc.clone(), msg))
    })
}

/// REG-004: no image uses the `latest` tag or no tag at all.
pub fn no_latest(ctx: &Ctx<'_>) -> Outcome {
    per_container(ctx, "no image uses the latest tag", |_, _, c| {
        let image = image_of(c)?;
        image.is_latest().then(|| {
            (
                c.image_loc.clone(),
                format!(
                    "{} uses `{}`, which resolves to the mutable latest tag",
                    who(c),
                    c.image.clone().unwrap_or_default()
                ),
            )
        })
    })
}

/// REG-005: images referenced by a mutable tag are pulled with `imagePullPolicy: Always`.
pub fn pull_policy(ctx: &Ctx<'_>) -> Outcome {
    per_container(
        ctx,
        "every image is digest-pinned or pulled with imagePullPolicy Always",
        |_, _, c| {
            let image = image_of(c)?;
            if image.is_pinned() {
                return None;
            }
            let policy = c.image_pull_policy.as_ref().map(|p| p.value.as_str());
            // The API defaults the policy to Always for latest or untagged images.
            let effective = policy.unwrap_or(if image.is_latest() {
                "Always"
            } else {
                "IfNotPresent"
            });
            (effective != "Always").then(|| {
                let loc = c
                    .image_pull_policy
                    .as_ref()
                    .map_or(&c.loc, |p| &p.loc)
                    .clone();
                (
                    loc,
                    format!(
                        "{} uses mutable tag `{}` with imagePullPolicy {effective}",
                        who(c),
                        c.image.clone().unwrap_or_default()
                    ),
                )
            })
        },
    )
}

/// Images of tools that are themselves a way into the cluster: the Kubernetes Dashboard and
/// Helm 2's Tiller (repository path suffixes, any registry).
const RISKY_TOOLS: &[(&str, &str)] = &[
    ("kubernetesui/dashboard", "the Kubernetes Dashboard"),
    ("kubernetes-dashboard-amd64", "the Kubernetes Dashboard"),
    ("kubernetes-dashboard", "the Kubernetes Dashboard"),
    ("kubernetes-helm/tiller", "Helm 2's Tiller"),
    ("helm/tiller", "Helm 2's Tiller"),
];

/// ORC-023: no workload runs the Kubernetes Dashboard or Tiller.
pub fn risky_tools(ctx: &Ctx<'_>) -> Outcome {
    per_container(
        ctx,
        "runs neither the Kubernetes Dashboard nor Tiller",
        |_, _, c| {
            let image = image_of(c)?;
            let repo = image.repository.as_str();
            let (_, what) = RISKY_TOOLS.iter().find(|(suffix, _)| {
                repo == *suffix
                    || repo
                        .strip_suffix(suffix)
                        .is_some_and(|head| head.ends_with('/'))
                    || repo
                        .strip_prefix(suffix)
                        .is_some_and(|rest| rest.starts_with('-'))
            })?;
            Some((
                c.image_loc.clone(),
                format!(
                    "{} runs {what} (`{}`), a privileged way into the cluster",
                    who(c),
                    c.image.clone().unwrap_or_default()
                ),
            ))
        },
    )
}

/// ORC-024: every Pod has an owning controller (a bare Pod is not rescheduled).
pub fn naked_pods(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for (item, pod) in ctx.set.workloads() {
        if &*item.origin.kind != "Pod" {
            continue;
        }
        out.push(if pod.owner_kinds.is_empty() {
            draft(
                item,
                Some(&pod.loc),
                Status::Fail,
                "a bare Pod with no owning controller: it is not recreated if its node fails, and its spec escapes the review a Deployment or Job gets",
            )
        } else {
            draft(
                item,
                Some(&pod.loc),
                Status::Pass,
                format!("owned by {}", pod.owner_kinds.join(", ")),
            )
        });
    }
    if out.is_empty() {
        Outcome::NotAssessed(
            "no Pods (only pod templates, or no workloads) in the evidence".to_owned(),
        )
    } else {
        Outcome::Findings(out)
    }
}
