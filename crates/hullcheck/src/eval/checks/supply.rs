//! Supply-chain checks: every deployed image has an SBOM, a fresh scan within thresholds, a
//! verified signature and provenance; SBOMs carry the NTIA minimum elements.

use crate::eval::ctx::{container_draft, draft, Ctx, Outcome};
use crate::evidence::kinds::hullcheck::parse_time;
use crate::evidence::kinds::supply::ScanFacts;
use crate::evidence::{ContainerFacts, Evidence, EvidenceKind, ImageRef, Item};
use crate::report::Status;
use std::collections::HashMap;

/// Each distinct deployed image with the first workload container that runs it.
fn deployed<'a>(ctx: &'a Ctx<'_>) -> Vec<(ImageRef, &'a Item, &'a ContainerFacts)> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<(ImageRef, &Item, &ContainerFacts)> = Vec::new();
    for (item, pod) in ctx.set.workloads() {
        for c in &pod.containers {
            let Some(image) = c.image_ref.clone() else {
                continue;
            };
            if seen.insert(image.clone()) {
                out.push((image, item, c));
            }
        }
    }
    out
}

fn subjects(e: &Evidence) -> &[ImageRef] {
    match e {
        Evidence::Sbom(s) => &s.subjects,
        Evidence::Scan(s) => &s.subjects,
        Evidence::Provenance(p) => &p.subjects,
        Evidence::ImageConfig(c) => &c.subjects,
        Evidence::Signature(s) => s.image.as_slice(),
        _ => &[],
    }
}

/// The evidence items of one kind, indexed by the images they are about, so each deployed image
/// is matched in constant time rather than against every item. Lookups give the first item, in
/// evidence order, with a subject that [`ImageRef::matches`] the image.
struct ImageIndex<'a> {
    items: Vec<&'a Item>,
    by_digest: HashMap<&'a str, usize>,
    /// Subjects without a digest, by name and tag.
    undigested: HashMap<(String, &'a str), usize>,
    /// All subjects with a tag, by name and tag.
    tagged: HashMap<(String, &'a str), usize>,
}

impl<'a> ImageIndex<'a> {
    fn new(items: impl Iterator<Item = &'a Item>, accept: impl Fn(&Item) -> bool) -> Self {
        let mut index = Self {
            items: Vec::new(),
            by_digest: HashMap::new(),
            undigested: HashMap::new(),
            tagged: HashMap::new(),
        };
        for item in items.filter(|i| accept(i)) {
            let at = index.items.len();
            index.items.push(item);
            for s in subjects(&item.evidence) {
                if let Some(d) = &s.digest {
                    index.by_digest.entry(d.as_str()).or_insert(at);
                }
                if let Some(t) = &s.tag {
                    let name = s.name();
                    if s.digest.is_none() {
                        index
                            .undigested
                            .entry((name.clone(), t.as_str()))
                            .or_insert(at);
                    }
                    index.tagged.entry((name, t.as_str())).or_insert(at);
                }
            }
        }
        index
    }

    fn find(&self, image: &ImageRef) -> Option<&'a Item> {
        let name = image.name();
        let by_tag = |map: &HashMap<(String, &str), usize>| {
            image
                .tag
                .as_deref()
                .and_then(|t| map.get(&(name.clone(), t)).copied())
        };
        let at = match &image.digest {
            Some(d) => [
                self.by_digest.get(d.as_str()).copied(),
                by_tag(&self.undigested),
            ]
            .into_iter()
            .flatten()
            .min(),
            None => by_tag(&self.tagged),
        };
        at.and_then(|i| self.items.get(i).copied())
    }
}

/// For every deployed image, finds evidence of `kind` about it (see [`ImageIndex`]) among the
/// items `accept` admits.
fn per_image(
    ctx: &Ctx<'_>,
    kind: EvidenceKind,
    what: &str,
    accept: impl Fn(&Item) -> bool,
) -> Outcome {
    // Checked before listing the images, which is the costly part.
    let any_image = ctx
        .set
        .workloads()
        .any(|(_, pod)| pod.containers.iter().any(|c| c.image_ref.is_some()));
    if !any_image {
        return Outcome::NotAssessed(
            "no deployed images (workload containers) in the evidence".to_owned(),
        );
    }
    if ctx.set.none(kind) {
        return Outcome::NotAssessed(format!("no {what} in the evidence"));
    }
    let images = deployed(ctx);
    let index = ImageIndex::new(ctx.set.of(kind), accept);
    let out = images
        .iter()
        .map(|(image, item, c)| {
            let found = index.find(image);
            match found {
                Some(e) => container_draft(
                    item,
                    c,
                    &c.image_loc,
                    Status::Pass,
                    format!("`{image}` has a {what} in `{}`", e.origin.file),
                ),
                None => container_draft(
                    item,
                    c,
                    &c.image_loc,
                    Status::Fail,
                    format!("no {what} for deployed image `{image}`"),
                ),
            }
        })
        .collect();
    Outcome::Findings(out)
}

/// IMG-008: every deployed image has an SBOM bound to it.
pub fn sbom_for_images(ctx: &Ctx<'_>) -> Outcome {
    per_image(ctx, EvidenceKind::Sbom, "SBOM", |_| true)
}

/// IMG-010: every deployed image has a vulnerability scan report.
pub fn scan_for_images(ctx: &Ctx<'_>) -> Outcome {
    per_image(ctx, EvidenceKind::Scan, "vulnerability scan report", |_| {
        true
    })
}

/// REG-003: every deployed image has a verified signature.
pub fn signature_for_images(ctx: &Ctx<'_>) -> Outcome {
    per_image(ctx, EvidenceKind::Signature, "verified signature", |e| {
        matches!(&e.evidence, Evidence::Signature(_))
    })
}

/// IMG-014: every deployed image has SLSA provenance, signed, from a trusted builder.
pub fn provenance(ctx: &Ctx<'_>) -> Outcome {
    let trusted = ctx.params.list("slsa.trusted_builders");
    per_image(
        ctx,
        EvidenceKind::Provenance,
        "signed SLSA provenance from a trusted builder",
        |e| match &e.evidence {
            Evidence::Provenance(p) => {
                p.is_slsa()
                    && p.signed
                    && (trusted.is_empty()
                        || p.builder_id.as_ref().is_some_and(|b| trusted.contains(b)))
            }
            _ => false,
        },
    )
}

/// IMG-009: SBOMs carry the NTIA minimum elements.
pub fn sbom_ntia(ctx: &Ctx<'_>) -> Outcome {
    let min_supplier = ctx.params.int("sbom.min_supplier_percent");
    let mut out = Vec::new();
    for item in ctx.set.of(EvidenceKind::Sbom) {
        let Evidence::Sbom(s) = &item.evidence else {
            continue;
        };
        let mut missing = Vec::new();
        if !s.has_author {
            missing.push("the SBOM author".to_owned());
        }
        if s.timestamp.is_none() {
            missing.push("a timestamp".to_owned());
        }
        if !s.components.is_empty() && !s.has_dependencies {
            missing.push("dependency relationships".to_owned());
        }
        let count = |f: &dyn Fn(&crate::evidence::kinds::supply::Component) -> bool| {
            s.components.iter().filter(|c| !f(c)).count()
        };
        for (what, n) in [
            ("a name", count(&|c| !c.name.is_empty())),
            ("a version", count(&|c| c.version.is_some())),
            (
                "a unique identifier (purl, CPE or SWID)",
                count(&|c| c.has_identifier),
            ),
        ] {
            if n > 0 {
                missing.push(format!(
                    "{what} for {n} of {} components",
                    s.components.len()
                ));
            }
        }
        let total = s.components.len().max(1) as i64;
        let suppliers = s.components.iter().filter(|c| c.has_supplier).count() as i64;
        if !s.components.is_empty() && suppliers * 100 < min_supplier * total {
            missing.push(format!(
                "a supplier for {} of {} components",
                s.components.len() as i64 - suppliers,
                s.components.len()
            ));
        }
        if s.components.is_empty() {
            missing.push("any component".to_owned());
        }
        out.push(if missing.is_empty() {
            draft(
                item,
                None,
                Status::Pass,
                format!(
                    "{} {} SBOM carries the NTIA minimum elements",
                    s.format, s.spec_version
                ),
            )
        } else {
            draft(
                item,
                None,
                Status::Fail,
                format!("SBOM lacks {}", missing.join("; ")),
            )
        });
    }
    if out.is_empty() {
        Outcome::NotAssessed("no SBOM in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

fn scans<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Item, &'a ScanFacts)> {
    ctx.set
        .of(EvidenceKind::Scan)
        .filter_map(|i| match &i.evidence {
            Evidence::Scan(s) => Some((i, s.as_ref())),
            _ => None,
        })
        .collect()
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "critical" => 4,
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        _ => 0,
    }
}

/// IMG-011: no vulnerability at or above `vulnerabilities.fail_on`, and no fixable one at or
/// above `vulnerabilities.fail_on_fixable`, except IDs in `vulnerabilities.accepted`.
pub fn vulnerability_threshold(ctx: &Ctx<'_>) -> Outcome {
    let fail_on = severity_rank(&ctx.params.string("vulnerabilities.fail_on"));
    let fail_fixable = severity_rank(&ctx.params.string("vulnerabilities.fail_on_fixable"));
    let accepted = ctx.params.list("vulnerabilities.accepted");
    let mut out = Vec::new();
    for (item, s) in scans(ctx) {
        let bad: Vec<&crate::evidence::kinds::supply::Vulnerability> = s
            .vulnerabilities
            .iter()
            .filter(|v| !accepted.contains(&v.id))
            .filter(|v| {
                let r = severity_rank(&v.severity);
                (fail_on > 0 && r >= fail_on)
                    || (v.fixable && fail_fixable > 0 && r >= fail_fixable)
            })
            .collect();
        if bad.is_empty() {
            out.push(draft(
                item,
                None,
                Status::Pass,
                format!(
                    "`{}`: {} vulnerabilities, none above the thresholds",
                    s.artifact,
                    s.vulnerabilities.len()
                ),
            ));
        }
        for v in bad {
            let fix = if v.fixable {
                "fix available"
            } else {
                "no fix yet"
            };
            let mut d = draft(
                item,
                Some(&v.loc),
                Status::Fail,
                format!(
                    "`{}`: {} {} in `{}` ({fix})",
                    s.artifact, v.severity, v.id, v.package
                ),
            );
            std::sync::Arc::make_mut(&mut d.subject).image = Some(s.artifact.as_str().into());
            out.push(d);
        }
    }
    if out.is_empty() {
        Outcome::NotAssessed("no vulnerability scan report in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

/// IMG-012: the base OS is still supported (not end-of-life per the scanner).
pub fn os_supported(ctx: &Ctx<'_>) -> Outcome {
    let mut out = Vec::new();
    for (item, s) in scans(ctx) {
        let Some(os) = &s.os else { continue };
        out.push(match (&s.os_eol, s.tool) {
            (Some(e), _) if e.value => draft(
                item,
                Some(&e.loc),
                Status::Fail,
                format!("`{}` runs {os}, which is end-of-life", s.artifact),
            ),
            (Some(e), _) => draft(
                item,
                Some(&e.loc),
                Status::Pass,
                format!("`{}` runs supported {os}", s.artifact),
            ),
            (None, "trivy") => draft(
                item,
                None,
                Status::Pass,
                format!("`{}` runs {os}; Trivy reports no end-of-life", s.artifact),
            ),
            (None, _) => draft(
                item,
                None,
                Status::NotAssessed,
                format!("{} does not report end-of-life status for {os}", s.tool),
            ),
        });
    }
    if out.is_empty() {
        Outcome::NotAssessed("no scan report with operating-system data in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

/// REG-012: scan reports are younger than `scan.max_age_hours` at `--now`.
pub fn scan_fresh(ctx: &Ctx<'_>) -> Outcome {
    let max = ctx.params.int("scan.max_age_hours");
    let mut out = Vec::new();
    for (item, s) in scans(ctx) {
        out.push(match &s.created {
            None => draft(
                item,
                None,
                Status::Fail,
                format!(
                    "`{}`: the report has no scan time, so its age cannot be shown",
                    s.artifact
                ),
            ),
            Some(t) => match parse_time(&t.value) {
                None => draft(
                    item,
                    Some(&t.loc),
                    Status::Error,
                    format!("scan time `{}` is not an RFC 3339 time", t.value),
                ),
                Some(ts) => {
                    let hours = ctx.now.as_second().saturating_sub(ts.as_second()) / 3600;
                    if ts > ctx.now {
                        draft(
                            item,
                            Some(&t.loc),
                            Status::Fail,
                            format!(
                                "`{}` was scanned at {}, after the evaluation time",
                                s.artifact, t.value
                            ),
                        )
                    } else if hours > max {
                        draft(
                            item,
                            Some(&t.loc),
                            Status::Fail,
                            format!(
                                "`{}` was last scanned {hours} hours ago (limit {max})",
                                s.artifact
                            ),
                        )
                    } else {
                        draft(
                            item,
                            Some(&t.loc),
                            Status::Pass,
                            format!(
                                "`{}` was scanned {hours} hours ago (limit {max})",
                                s.artifact
                            ),
                        )
                    }
                }
            },
        });
    }
    if out.is_empty() {
        Outcome::NotAssessed("no vulnerability scan report in the evidence".to_owned())
    } else {
        Outcome::Findings(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::kinds::supply::SbomFacts;
    use crate::evidence::Origin;
    use proptest::prelude::*;

    fn image((repo, tag, digest): (u8, Option<u8>, Option<u8>)) -> ImageRef {
        ImageRef {
            registry: "docker.io".to_owned(),
            repository: format!("r{repo}"),
            tag: tag.map(|t| format!("t{t}")),
            digest: digest.map(|d| format!("sha256:{d}")),
        }
    }

    fn sbom(subjects: Vec<ImageRef>) -> Item {
        Item {
            origin: Origin::default(),
            evidence: Evidence::Sbom(Box::new(SbomFacts {
                format: "cyclonedx",
                spec_version: String::new(),
                subjects,
                subject_name: None,
                components: Vec::new(),
                has_author: false,
                timestamp: None,
                has_dependencies: false,
            })),
        }
    }

    fn parts() -> impl Strategy<Value = (u8, Option<u8>, Option<u8>)> {
        (
            0u8..3,
            proptest::option::of(0u8..2),
            proptest::option::of(0u8..2),
        )
    }

    proptest! {
        /// The index finds exactly the item a linear search with `ImageRef::matches` finds.
        #[test]
        fn index_equals_linear_search(
            items in proptest::collection::vec(proptest::collection::vec(parts(), 0..3), 0..8),
            wanted in parts(),
        ) {
            let items: Vec<Item> = items
                .into_iter()
                .map(|subjects| sbom(subjects.into_iter().map(image).collect()))
                .collect();
            let wanted = image(wanted);
            let linear = items
                .iter()
                .position(|e| subjects(&e.evidence).iter().any(|s| s.matches(&wanted)));
            let index = ImageIndex::new(items.iter(), |_| true);
            let indexed = index
                .find(&wanted)
                .and_then(|f| items.iter().position(|e| std::ptr::eq(e, f)));
            prop_assert_eq!(indexed, linear);
        }
    }
}
