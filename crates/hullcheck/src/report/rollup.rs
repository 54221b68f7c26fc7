//! Roll-up over the graph: findings → control results → requirement and framework results.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{
    ControlResult, Counts, Finding, FrameworkResult, RequirementControl, RequirementResult, Status,
};
use crate::catalog::{Catalog, Control};
use crate::graph::CatalogGraph;

fn rank(s: Status) -> u8 {
    match s {
        Status::Fail => 5,
        Status::Error => 4,
        Status::Waived => 3,
        Status::Pass => 2,
        Status::NotApplicable => 1,
        Status::NotAssessed => 0,
    }
}

/// Per-control results for the selected controls, sorted by control ID.
pub fn controls(
    selected: &[&Control],
    findings: &[Finding],
    notes: &BTreeMap<String, String>,
) -> Vec<ControlResult> {
    // A control's findings share one `control_id` allocation and, before the report is sorted,
    // lie together: count each run of one allocation, then add the runs up by name.
    let mut runs: Vec<(&str, Counts)> = Vec::new();
    let mut last: Option<&std::sync::Arc<str>> = None;
    for f in findings {
        match (last, runs.last_mut()) {
            (Some(l), Some((_, c))) if std::sync::Arc::ptr_eq(l, &f.control_id) => c.add(f.status),
            _ => {
                let mut c = Counts::default();
                c.add(f.status);
                runs.push((&*f.control_id, c));
            }
        }
        last = Some(&f.control_id);
    }
    let mut counts: BTreeMap<&str, Counts> = BTreeMap::new();
    for (id, c) in runs {
        counts.entry(id).or_default().merge(&c);
    }
    let mut out: Vec<ControlResult> = selected
        .iter()
        .map(|c| {
            let counts = counts.get(c.id.as_str()).cloned().unwrap_or_default();
            let status = [
                (counts.fail, Status::Fail),
                (counts.error, Status::Error),
                (counts.waived, Status::Waived),
                (counts.pass, Status::Pass),
                (counts.not_applicable, Status::NotApplicable),
            ]
            .into_iter()
            .find(|(n, _)| *n > 0)
            .map_or(Status::NotAssessed, |(_, s)| s);
            let note = notes.get(&c.id).cloned().or_else(|| {
                (counts.total() == 0).then(|| {
                    format!(
                        "no evidence of the kind this control reads ({})",
                        c.evidence.join(", ")
                    )
                })
            });
            ControlResult {
                control_id: c.id.clone(),
                title: c.title.clone(),
                layer: c.layer.clone(),
                severity: c.severity.as_str().to_owned(),
                status,
                counts,
                note,
            }
        })
        .collect();
    out.sort_by(|a, b| a.control_id.cmp(&b.control_id));
    out
}

/// Per-framework results: every requirement a selected control maps to (directly or through a
/// baseline), judged over all the controls the catalog maps to it.
pub fn frameworks(
    catalog: &Catalog,
    graph: &CatalogGraph,
    results: &[ControlResult],
) -> Vec<FrameworkResult> {
    let status_of: BTreeMap<&str, Status> = results
        .iter()
        .map(|r| (r.control_id.as_str(), r.status))
        .collect();
    let mut touched: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in results {
        for req in graph.requirements_for_control(&r.control_id) {
            touched
                .entry(req.framework_id)
                .or_default()
                .insert(req.requirement_id);
        }
    }
    catalog
        .frameworks
        .iter()
        .map(|fw| {
            let mut counts = Counts::default();
            let requirements: Vec<RequirementResult> = touched
                .get(&fw.id)
                .into_iter()
                .flatten()
                .map(|req| {
                    let controls: Vec<RequirementControl> = graph
                        .controls_for_requirement(&fw.id, req)
                        .into_iter()
                        .map(|c| RequirementControl {
                            status: status_of
                                .get(c.as_str())
                                .copied()
                                .unwrap_or(Status::NotAssessed),
                            control_id: c,
                        })
                        .collect();
                    let status = requirement_status(&controls);
                    counts.add(status);
                    RequirementResult {
                        requirement_id: req.clone(),
                        title: catalog
                            .requirement_title(&fw.id, req)
                            .unwrap_or("")
                            .to_owned(),
                        status,
                        controls,
                    }
                })
                .collect();
            let status = if counts.fail > 0 {
                Status::Fail
            } else if !requirements.is_empty() && counts.pass == requirements.len() {
                Status::Pass
            } else {
                Status::NotAssessed
            };
            FrameworkResult {
                framework_id: fw.id.clone(),
                title: fw.title.clone(),
                status,
                requirement_count: fw.requirements.len(),
                counts,
                requirements,
            }
        })
        .collect()
}

/// Fail if any control fails; pass only if every control was assessed (pass, not applicable or
/// waived) and at least one passed; otherwise not assessed.
fn requirement_status(controls: &[RequirementControl]) -> Status {
    if controls.iter().any(|c| c.status == Status::Fail) {
        return Status::Fail;
    }
    let assessed = controls.iter().all(|c| {
        matches!(
            c.status,
            Status::Pass | Status::NotApplicable | Status::Waived
        )
    });
    if assessed && controls.iter().any(|c| c.status == Status::Pass) {
        Status::Pass
    } else {
        Status::NotAssessed
    }
}

/// The worst status by roll-up rank.
pub fn worst(statuses: impl IntoIterator<Item = Status>) -> Status {
    statuses
        .into_iter()
        .max_by_key(|s| rank(*s))
        .unwrap_or(Status::NotAssessed)
}
