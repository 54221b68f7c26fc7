//! Image checks on Dockerfiles and `docker inspect` configs (CIS Docker Benchmark section 4).

use super::credentials::{format_of, judge};
use crate::eval::ctx::{draft, pass_or, Ctx, Draft, Outcome};
use crate::evidence::dockerfile::{key_values, DockerfileFacts};
use crate::evidence::{Evidence, EvidenceKind, ImageRef, Item, Loc};
use crate::report::Status;

fn dockerfiles<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Item, &'a DockerfileFacts)> {
    ctx.set
        .of(EvidenceKind::Dockerfile)
        .filter_map(|i| match &i.evidence {
            Evidence::Dockerfile(d) => Some((i, d.as_ref())),
            _ => None,
        })
        .collect()
}

fn at(line: u32, path: String) -> Loc {
    Loc {
        line,
        path: path.into(),
    }
}

fn finish(out: Vec<Draft>, what: &str) -> Outcome {
    if out.is_empty() {
        Outcome::NotAssessed(format!("no {what} in the evidence"))
    } else {
        Outcome::Findings(out)
    }
}

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("").trim();
    name.is_empty() || name == "root" || name == "0"
}

/// IMG-001: the image runs as a non-root user.
pub fn non_root_user(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for (item, d) in dockerfiles(ctx) {
        let last = d.stages.len().saturating_sub(1);
        out.push(match d.effective_user(last) {
            Some((u, s)) if !is_root(&u.args) => draft(
                item,
                Some(&at(u.line, format!("/stages/{s}/user"))),
                Status::Pass,
                format!("final stage runs as `{}`", u.args),
            ),
            Some((u, s)) => draft(
                item,
                Some(&at(u.line, format!("/stages/{s}/user"))),
                Status::Fail,
                format!("final stage runs as `{}`", u.args),
            ),
            None => {
                let line = d.final_stage().map_or(1, |s| s.from.loc.line);
                draft(
                    item,
                    Some(&at(line, format!("/stages/{last}"))),
                    Status::Fail,
                    "final stage sets no USER, so the image runs as root",
                )
            }
        });
    }
    for item in ctx.set.of(EvidenceKind::ImageConfig) {
        let Evidence::ImageConfig(c) = &item.evidence else {
            continue;
        };
        out.push(match &c.user {
            Some(u) if !is_root(&u.value) => draft(
                item,
                Some(&u.loc),
                Status::Pass,
                format!("image config user is `{}`", u.value),
            ),
            Some(u) => draft(
                item,
                Some(&u.loc),
                Status::Fail,
                format!("image config user is `{}`", u.value),
            ),
            None => draft(
                item,
                Some(&c.loc),
                Status::Fail,
                "image config sets no user, so it runs as root",
            ),
        });
    }
    finish(out, "Dockerfile or image config")
}

/// IMG-002: every external base image is pinned by digest.
pub fn base_pinned(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for (item, d) in dockerfiles(ctx) {
        let fails = d
            .stages
            .iter()
            .filter(|s| s.base_stage.is_none() && !s.from.value.eq_ignore_ascii_case("scratch"))
            .filter(|s| !ImageRef::parse(&s.from.value).is_some_and(|r| r.is_pinned()))
            .map(|s| {
                draft(
                    item,
                    Some(&s.from.loc),
                    Status::Fail,
                    format!("FROM `{}` is not pinned by digest", s.from.value),
                )
            })
            .collect();
        out.extend(pass_or(
            item,
            None,
            fails,
            "every base image is pinned by digest",
        ));
    }
    finish(out, "Dockerfile")
}

/// IMG-003: no credentials in ENV, ARG defaults or LABELs, in image config env, or in secret scans.
pub fn no_secrets(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for (item, d) in dockerfiles(ctx) {
        let mut fails = Vec::new();
        for (si, stage) in d.stages.iter().enumerate() {
            for (ii, inst) in stage.instructions.iter().enumerate() {
                let loc = DockerfileFacts::loc(si, ii, inst.line);
                let mut fail = |why: String| {
                    fails.push(draft(item, Some(&loc), Status::Fail, why));
                };
                match inst.keyword.as_str() {
                    "ENV" | "ARG" | "LABEL" => {
                        for (k, v) in key_values(&inst.raw) {
                            if let Some(why) = judge(Some(&k), &v) {
                                fail(format!(
                                    "{} `{k}` {why}, and it ships in the image",
                                    inst.keyword
                                ));
                            }
                        }
                    }
                    // A credential typed into a RUN line stays in the image history.
                    "RUN" => {
                        if let Some(what) = format_of(&inst.raw) {
                            fail(format!("RUN holds what looks like {what}, and it stays in the image history"));
                        }
                    }
                    _ => {}
                }
            }
        }
        out.extend(pass_or(
            item,
            None,
            fails,
            "no credentials in ENV, ARG or LABEL",
        ));
    }
    for item in ctx.set.of(EvidenceKind::ImageConfig) {
        let Evidence::ImageConfig(c) = &item.evidence else {
            continue;
        };
        let fails = c
            .env
            .iter()
            .filter_map(|e| {
                let (k, v) = e.value.split_once('=')?;
                let why = judge(Some(k), v)?;
                Some(draft(
                    item,
                    Some(&e.loc),
                    Status::Fail,
                    format!("image env `{k}` {why}"),
                ))
            })
            .collect();
        out.extend(pass_or(
            item,
            Some(&c.loc),
            fails,
            "no credentials in the image environment",
        ));
    }
    for item in ctx.set.of(EvidenceKind::Scan) {
        let Evidence::Scan(s) = &item.evidence else {
            continue;
        };
        for secret in &s.secrets {
            out.push(draft(
                item,
                Some(&secret.loc),
                Status::Fail,
                format!(
                    "{} found a secret ({}) in `{}`",
                    s.tool, secret.value, s.artifact
                ),
            ));
        }
    }
    finish(out, "Dockerfile, image config or secret scan")
}

/// IMG-004: the image defines a HEALTHCHECK.
pub fn healthcheck(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for (item, d) in dockerfiles(ctx) {
        let hc = d.final_stage().and_then(|s| s.last("HEALTHCHECK"));
        out.push(match hc {
            Some(h) if !h.args.trim().eq_ignore_ascii_case("none") => draft(
                item,
                Some(&at(h.line, String::new())),
                Status::Pass,
                "final stage defines a HEALTHCHECK",
            ),
            Some(h) => draft(
                item,
                Some(&at(h.line, String::new())),
                Status::Fail,
                "HEALTHCHECK NONE disables health checking",
            ),
            None => draft(
                item,
                None,
                Status::Fail,
                "final stage defines no HEALTHCHECK",
            ),
        });
    }
    for item in ctx.set.of(EvidenceKind::ImageConfig) {
        let Evidence::ImageConfig(c) = &item.evidence else {
            continue;
        };
        let ok = c.healthcheck.first().is_some_and(|t| t != "NONE");
        out.push(draft(
            item,
            Some(&c.loc),
            if ok { Status::Pass } else { Status::Fail },
            if ok {
                "image config defines a health check"
            } else {
                "image config defines no health check"
            },
        ));
    }
    finish(out, "Dockerfile or image config")
}

/// IMG-005: COPY is used instead of ADD.
pub fn copy_not_add(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for (item, d) in dockerfiles(ctx) {
        let mut fails = Vec::new();
        for (si, s) in d.stages.iter().enumerate() {
            for (ii, inst) in s
                .instructions
                .iter()
                .enumerate()
                .filter(|(_, i)| i.keyword == "ADD")
            {
                let remote = inst.args.contains("://") || inst.args.contains("git@");
                let why = if remote {
                    "fetches a remote source"
                } else {
                    "may auto-extract archives; use COPY"
                };
                fails.push(draft(
                    item,
                    Some(&DockerfileFacts::loc(si, ii, inst.line)),
                    Status::Fail,
                    format!("ADD {why}"),
                ));
            }
        }
        out.extend(pass_or(item, None, fails, "no ADD instructions"));
    }
    finish(out, "Dockerfile")
}

const PM_INSTALL: &[&str] = &[
    "apt-get install",
    "apt install",
    "apk add",
    "yum install",
    "dnf install",
    "microdnf install",
    "zypper install",
];

/// IMG-006: no remote-shell or admin tooling in the image (`image.denied_packages`).
pub fn minimal_packages(ctx: &Ctx<'_>) -> Outcome {
    let denied = ctx.params.list("image.denied_packages");
    let mut out = Vec::new();
    for (item, d) in dockerfiles(ctx) {
        let mut fails = Vec::new();
        if let Some(si) = d.stages.len().checked_sub(1) {
            for (ii, inst) in d
                .stages
                .iter()
                .last()
                .into_iter()
                .flat_map(|s| s.instructions.iter().enumerate())
                .filter(|(_, i)| i.keyword == "RUN")
            {
                if !PM_INSTALL.iter().any(|p| inst.args.contains(p)) {
                    continue;
                }
                let words: Vec<&str> = inst
                    .args
                    .split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|')
                    .collect();
                for pkg in denied.iter().filter(|p| {
                    words
                        .iter()
                        .any(|w| w == p || w.starts_with(&format!("{p}=")))
                }) {
                    fails.push(draft(
                        item,
                        Some(&DockerfileFacts::loc(si, ii, inst.line)),
                        Status::Fail,
                        format!("final stage installs `{pkg}`"),
                    ));
                }
            }
        }
        out.extend(pass_or(
            item,
            None,
            fails,
            "final stage installs no denied package",
        ));
    }
    for item in ctx.set.of(EvidenceKind::Sbom) {
        let Evidence::Sbom(s) = &item.evidence else {
            continue;
        };
        let fails = s
            .components
            .iter()
            .filter(|c| denied.contains(&c.name))
            .map(|c| {
                draft(
                    item,
                    Some(&c.loc),
                    Status::Fail,
                    format!("SBOM lists denied package `{}`", c.name),
                )
            })
            .collect();
        out.extend(pass_or(item, None, fails, "SBOM lists no denied package"));
    }
    finish(out, "Dockerfile or SBOM")
}

/// IMG-007: package-index updates are never alone in a RUN (CIS Docker 4.7).
pub fn update_not_alone(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for (item, d) in dockerfiles(ctx) {
        let mut fails = Vec::new();
        for (si, s) in d.stages.iter().enumerate() {
            for (ii, inst) in s
                .instructions
                .iter()
                .enumerate()
                .filter(|(_, i)| i.keyword == "RUN")
            {
                let a = &inst.args;
                let updates = a.contains("apt-get update")
                    || a.contains("apt update")
                    || a.contains("apk update")
                    || a.contains("yum makecache");
                if updates && !PM_INSTALL.iter().any(|p| a.contains(p)) && !a.contains("upgrade") {
                    fails.push(draft(item, Some(&DockerfileFacts::loc(si, ii, inst.line)), Status::Fail, "RUN updates the package index without installing in the same layer, so later layers use a stale cache"));
                }
            }
        }
        out.extend(pass_or(
            item,
            None,
            fails,
            "package-index updates are combined with installs",
        ));
    }
    finish(out, "Dockerfile")
}
