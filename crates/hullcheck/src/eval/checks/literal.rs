//! ORC-026: no literal credentials in Kubernetes manifests. Container environment values,
//! command and args, and ConfigMap `data` go through the credential detector; one finding per
//! value that holds a credential, none repeating it.

use super::credentials::{assignments, config_lines, format_of, judge};
use crate::eval::ctx::{container_draft, draft, pass_or, Ctx, Draft, Outcome};
use crate::evidence::{ContainerFacts, Evidence, EvidenceKind, Item};
use crate::report::Status;

/// ORC-026: no credential is written into a workload or a ConfigMap.
pub fn literal_credentials(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    let mut any = false;
    for (item, pod) in ctx.set.workloads() {
        any = true;
        let fails: Vec<Draft> = pod
            .containers
            .iter()
            .flat_map(|c| container(item, c))
            .collect();
        out.extend(pass_or(
            item,
            Some(&pod.loc),
            fails,
            "no credential is written into an environment value, command or argument",
        ));
    }
    for item in ctx.set.of(EvidenceKind::ConfigMap) {
        let Evidence::ConfigMap(cm) = &item.evidence else {
            continue;
        };
        any = true;
        let mut fails = Vec::new();
        for (key, value) in &cm.data {
            let found = if value.value.contains('\n') {
                format_of(&value.value)
                    .map(|what| format!("holds what looks like {what}"))
                    .or_else(|| {
                        config_lines(&value.value).into_iter().find_map(|(k, v)| {
                            judge(Some(&k), &v).map(|why| format!("sets `{k}` and {why}"))
                        })
                    })
            } else {
                judge(Some(key), &value.value)
            };
            if let Some(why) = found {
                fails.push(draft(
                    item,
                    Some(&value.loc),
                    Status::Fail,
                    format!("ConfigMap key `{key}` {why}"),
                ));
            }
        }
        out.extend(pass_or(
            item,
            None,
            fails,
            "no credential is written into the ConfigMap's data",
        ));
    }
    if any {
        Outcome::Findings(out)
    } else {
        Outcome::NotAssessed("no Kubernetes workloads or ConfigMaps in the evidence".to_owned())
    }
}

fn container(item: &Item, c: &ContainerFacts) -> Vec<Draft> {
    let mut fails = Vec::new();
    let name = &c.name;
    for (n, v) in &c.env_literals {
        if let Some(why) = judge(Some(n), &v.value) {
            fails.push(container_draft(
                item,
                c,
                &v.loc,
                Status::Fail,
                format!("container `{name}` env `{n}` {why}"),
            ));
        }
    }
    for arg in &c.command_args {
        let why = format_of(&arg.value)
            .map(|what| format!("holds what looks like {what}"))
            .or_else(|| {
                // Only a word with `=`, or a flag followed by a value, can assign.
                let flag_and_value = arg.value.contains(' ') && arg.value.contains('-');
                if !arg.value.contains('=') && !flag_and_value {
                    return None;
                }
                let words: Vec<&str> = arg.value.split_whitespace().collect();
                assignments(&words).into_iter().find_map(|(k, v)| {
                    judge(Some(&k), &v).map(|why| format!("sets `{k}` and {why}"))
                })
            });
        if let Some(why) = why {
            fails.push(container_draft(
                item,
                c,
                &arg.loc,
                Status::Fail,
                format!("container `{name}` command line {why}"),
            ));
        }
    }
    // A flag and its value in separate elements: `["--password", "hunter2"]`.
    let words: Vec<&str> = c.command_args.iter().map(|a| a.value.as_str()).collect();
    for (i, w) in words.iter().enumerate() {
        let Some(next) = words.get(i + 1) else {
            break;
        };
        if w.starts_with('-') && !w.contains('=') && !w.contains(' ') {
            if let (Some(why), Some(at)) = (judge(Some(w), next), c.command_args.get(i + 1)) {
                if format_of(next).is_none() {
                    fails.push(container_draft(
                        item,
                        c,
                        &at.loc,
                        Status::Fail,
                        format!("container `{name}` command line passes `{w}` and {why}"),
                    ));
                }
            }
        }
    }
    fails
}
