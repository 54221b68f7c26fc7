//! Registry checks on AWS ECR settings: tag immutability, scanning on push, continuous
//! re-scanning, and encryption with customer-managed keys.

use crate::eval::ctx::{draft, Ctx, Outcome};
use crate::evidence::kinds::supply::{EcrRepository, EcrScanningFacts};
use crate::evidence::{Evidence, EvidenceKind, Item};
use crate::report::Status;

fn repositories<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Item, &'a EcrRepository)> {
    ctx.set
        .of(EvidenceKind::EcrRepositories)
        .flat_map(|i| match &i.evidence {
            Evidence::EcrRepositories(r) => r.iter().map(|x| (i, x)).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .collect()
}

fn scanning<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Item, &'a EcrScanningFacts)> {
    ctx.set
        .of(EvidenceKind::EcrScanning)
        .filter_map(|i| match &i.evidence {
            Evidence::EcrScanning(s) => Some((i, s)),
            _ => None,
        })
        .collect()
}

/// ECR wildcard filters: `*` matches any run of characters.
pub fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, rest)) => {
            let Some(tail) = name.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len()).any(|i| tail.get(i..).is_some_and(|t| glob(rest, t)))
        }
    }
}

fn repo_draft(
    item: &Item,
    r: &EcrRepository,
    status: Status,
    message: String,
) -> crate::eval::Draft {
    let mut d = draft(item, Some(&r.loc), status, message);
    let s = std::sync::Arc::make_mut(&mut d.subject);
    s.kind = Some("ECR repository".into());
    s.name = Some(r.name.as_str().into());
    d
}

/// REG-006: tags are immutable.
pub fn tag_immutability(ctx: &Ctx<'_>) -> Outcome {
    let out: Vec<_> = repositories(ctx)
        .into_iter()
        .map(|(item, r)| match &r.tag_mutability {
            Some(m) if m.value.starts_with("IMMUTABLE") => repo_draft(
                item,
                r,
                Status::Pass,
                format!("`{}` has immutable tags", r.name),
            ),
            _ => repo_draft(
                item,
                r,
                Status::Fail,
                format!("`{}` allows tags to be overwritten", r.name),
            ),
        })
        .collect();
    if out.is_empty() {
        Outcome::NotAssessed("no ECR repository settings in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

/// REG-007: every repository is scanned on push (its own setting or a registry rule).
pub fn scan_on_push(ctx: &Ctx<'_>) -> Outcome {
    let rules: Vec<(String, Vec<String>)> = scanning(ctx)
        .iter()
        .flat_map(|(_, s)| {
            s.rules
                .iter()
                .map(|(f, filters)| (f.value.clone(), filters.clone()))
        })
        .collect();
    let out: Vec<_> = repositories(ctx)
        .into_iter()
        .map(|(item, r)| {
            let own = r.scan_on_push.as_ref().is_some_and(|s| s.value);
            let by_rule = rules.iter().any(|(freq, filters)| {
                (freq == "SCAN_ON_PUSH" || freq == "CONTINUOUS_SCAN")
                    && filters.iter().any(|f| glob(f, &r.name))
            });
            if own || by_rule {
                repo_draft(
                    item,
                    r,
                    Status::Pass,
                    format!("`{}` is scanned on push", r.name),
                )
            } else {
                repo_draft(
                    item,
                    r,
                    Status::Fail,
                    format!("`{}` is not scanned on push", r.name),
                )
            }
        })
        .collect();
    if out.is_empty() {
        Outcome::NotAssessed("no ECR repository settings in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

/// REG-008: the registry re-scans stored images continuously (enhanced scanning).
pub fn continuous_scan(ctx: &Ctx<'_>) -> Outcome {
    let out: Vec<_> = scanning(ctx)
        .into_iter()
        .map(|(item, s)| {
            let enhanced = s.scan_type.as_ref().is_some_and(|t| t.value == "ENHANCED");
            let continuous = s.rules.iter().find(|(f, _)| f.value == "CONTINUOUS_SCAN");
            match (enhanced, continuous) {
                (true, Some((f, filters))) => draft(item, Some(&f.loc), Status::Pass, format!("enhanced scanning re-scans `{}` continuously", filters.join(", "))),
                (false, _) => draft(item, s.scan_type.as_ref().map(|t| &t.loc), Status::Fail, "registry scanning is BASIC, which scans only on push or manually"),
                (true, None) => draft(item, Some(&s.loc), Status::Fail, "no CONTINUOUS_SCAN rule, so stored images are not re-scanned as new CVEs appear"),
            }
        })
        .collect();
    if out.is_empty() {
        Outcome::NotAssessed("no ECR registry scanning configuration in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

/// REG-009: repositories are encrypted with customer-managed KMS keys.
pub fn encryption(ctx: &Ctx<'_>) -> Outcome {
    let out: Vec<_> = repositories(ctx)
        .into_iter()
        .map(|(item, r)| match &r.encryption {
            Some(e) if e.value.starts_with("KMS") => repo_draft(
                item,
                r,
                Status::Pass,
                format!("`{}` is encrypted with a KMS key", r.name),
            ),
            Some(e) => repo_draft(
                item,
                r,
                Status::Fail,
                format!("`{}` uses `{}`, an AWS-owned key", r.name, e.value),
            ),
            None => repo_draft(
                item,
                r,
                Status::Fail,
                format!("`{}` reports no encryption configuration", r.name),
            ),
        })
        .collect();
    if out.is_empty() {
        Outcome::NotAssessed("no ECR repository settings in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}
