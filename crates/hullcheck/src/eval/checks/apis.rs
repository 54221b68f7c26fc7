//! ORC-022: Kubernetes objects under API versions removed (or deprecated) at a target release.

use std::cmp::Ordering;

use crate::eval::ctx::{draft, Ctx, Outcome};
use crate::evidence::apis::{apis, release_cmp};
use crate::evidence::Evidence;
use crate::report::Status;

/// ORC-022: every Kubernetes object's `apiVersion` is still served at the target release.
pub fn removed(ctx: &Ctx<'_>) -> Outcome {
    let table = apis();
    let target = ctx.params.string("kubernetes.target_version");
    let fail_deprecated = ctx.params.bool("kubernetes.fail_on_deprecated");
    let served: std::sync::Arc<str> =
        format!("the API version is served at Kubernetes {target}").into();
    let mut out = Vec::new();
    for item in ctx.set.items() {
        let o = &item.origin;
        // Tool outputs have no apiVersion; hullcheck's own documents are not Kubernetes objects.
        if o.api_version.is_empty() || o.api_version.starts_with("hullcheck.dev/") {
            continue;
        }
        // An object that could not be read gets no pass from here.
        if matches!(item.evidence, Evidence::Invalid(..)) {
            continue;
        }
        // Kinds no other control reads are judged only when their version is removed or
        // deprecated: a served ConfigMap alone is no assessment.
        let modelled = !matches!(item.evidence, Evidence::OtherKubernetes);
        let Some(r) = table.removal(&o.api_version, &o.kind) else {
            if modelled {
                out.push(draft(item, None, Status::Pass, served.clone()));
            }
            continue;
        };
        let instead = r.replacement.as_deref().map_or_else(
            || "; it has no replacement".to_owned(),
            |v| format!("; use `{v}`"),
        );
        let removed = release_cmp(&r.removed_in, &target) != Ordering::Greater;
        let deprecated = r
            .deprecated_in
            .as_deref()
            .is_some_and(|d| release_cmp(d, &target) != Ordering::Greater);
        let (status, msg) = if removed {
            (
                Status::Fail,
                format!(
                    "`{}` `{}` was removed in Kubernetes {} (target {target}){instead}",
                    o.api_version, o.kind, r.removed_in
                ),
            )
        } else if deprecated {
            let status = if fail_deprecated {
                Status::Fail
            } else {
                Status::Pass
            };
            (
                status,
                format!(
                    "`{}` `{}` is deprecated at Kubernetes {target} and removed in {}{instead}",
                    o.api_version, o.kind, r.removed_in
                ),
            )
        } else {
            if modelled {
                out.push(draft(item, None, Status::Pass, served.clone()));
            }
            continue;
        };
        out.push(draft(item, None, status, msg));
    }
    if out.is_empty() {
        Outcome::NotAssessed("no Kubernetes objects in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}
