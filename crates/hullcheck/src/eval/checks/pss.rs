//! Runs a Pod Security Standards check over every workload, at the policy version that applies
//! to the workload's namespace.

use std::collections::BTreeMap;

use crate::eval::ctx::{container_draft, draft, namespace_of, Ctx, Draft, Outcome};
use crate::eval::pss::{Outcome as PssOutcome, PssCheck, PssVersion, LATEST_MINOR};
use crate::report::Status;

/// The policy version per namespace: `pss.namespace_versions` (`ns=v1.N`) first, then
/// `pss.version`, then the latest.
#[derive(Debug, Clone)]
pub struct Versions {
    pinned: Vec<(String, Option<PssVersion>)>,
    default: PssVersion,
}

impl Versions {
    /// Reads the parameters once.
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let pinned = ctx
            .params
            .list("pss.namespace_versions")
            .iter()
            .filter_map(|e| e.split_once('='))
            .map(|(ns, v)| (ns.trim().to_owned(), PssVersion::parse(v.trim())))
            .collect();
        let default = PssVersion::parse(&ctx.params.string("pss.version"))
            .unwrap_or(PssVersion(LATEST_MINOR));
        Self { pinned, default }
    }

    /// The version for a namespace.
    pub fn of(&self, namespace: &str) -> PssVersion {
        self.pinned
            .iter()
            .find(|(ns, _)| ns == namespace)
            .and_then(|(_, v)| *v)
            .unwrap_or(self.default)
    }
}

/// Evaluates `check` on every workload.
///
/// `superseder` is the selected Restricted check (and its control) that replaces this one
/// wherever the evaluated version has it, as Pod Security Admission does.
pub fn run(ctx: &Ctx<'_>, check: PssCheck, superseder: Option<(PssCheck, &str)>) -> Outcome {
    let mut out: Vec<Draft> = Vec::new();
    let mut any = false;
    let versions = Versions::new(ctx);
    // Constant messages are built once and shared by the findings that carry them.
    let satisfies: std::sync::Arc<str> = format!("satisfies `{}`", check.upstream_id()).into();
    let superseded: Option<std::sync::Arc<str>> = superseder.map(|(_, id)| {
        format!("superseded by `{id}` at this Pod Security Standards version").into()
    });
    for (item, pod) in ctx.set.workloads() {
        any = true;
        let at = Some(&pod.loc);
        let version = versions.of(namespace_of(item));
        if let (Some((by, _)), Some(message)) = (superseder, &superseded) {
            if version.0 >= by.introduced() {
                out.push(draft(item, at, Status::NotApplicable, message.clone()));
                continue;
            }
        }
        match check.evaluate(pod, version) {
            PssOutcome::Pass => out.push(draft(item, at, Status::Pass, satisfies.clone())),
            PssOutcome::NotApplicable(why) => out.push(draft(item, at, Status::NotApplicable, why)),
            PssOutcome::Fail(violations) => {
                let mut groups: BTreeMap<Option<usize>, Vec<_>> = BTreeMap::new();
                for v in violations {
                    groups.entry(v.container).or_default().push(v);
                }
                for (container, vs) in groups {
                    let Some(first) = vs.first() else { continue };
                    let mut messages: Vec<&str> = vs.iter().map(|v| v.message.as_str()).collect();
                    messages.sort_unstable();
                    messages.dedup();
                    let message = messages.join("; ");
                    match container.and_then(|i| pod.containers.get(i)) {
                        Some(c) => {
                            out.push(container_draft(item, c, &first.loc, Status::Fail, message))
                        }
                        None => out.push(draft(item, Some(&first.loc), Status::Fail, message)),
                    }
                }
            }
        }
    }
    if any || !ctx.set.none(crate::evidence::EvidenceKind::Workload) {
        Outcome::Findings(out)
    } else {
        Outcome::NotAssessed(
            "no Kubernetes workloads (Pods or pod templates) in the evidence".to_owned(),
        )
    }
}
