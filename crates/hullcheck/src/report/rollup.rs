//! Roll-up over the graph: findings → control results → requirement and framework results.

use std::collections::BTreeMap;

use super::model::{
    ControlResult, Counts, Finding, FrameworkResult, RequirementControl, RequirementResult, Status,
};
use super::rollup_index::RollupIndex;
use crate::catalog::{Catalog, Control};

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
    index: &RollupIndex,
    results: &[ControlResult],
) -> Vec<FrameworkResult> {
    // Status by catalog position; controls that were not selected are not assessed.
    let mut status_of = vec![Status::NotAssessed; catalog.controls.len()];
    let mut selected = Vec::with_capacity(results.len());
    for r in results {
        if let Ok(i) = catalog
            .controls
            .binary_search_by(|c| c.id.as_str().cmp(&r.control_id))
        {
            if let Some(s) = status_of.get_mut(i) {
                *s = r.status;
            }
            selected.push(i);
        }
    }
    // The requirements the selected controls reach, in report order: precomputed when every
    // control is selected, otherwise picked from flags (no sort per evaluation).
    let touched: Vec<Vec<usize>> = if selected.len() == catalog.controls.len() {
        index.reached_by_all.clone()
    } else {
        let mut flags: Vec<Vec<bool>> = catalog
            .frameworks
            .iter()
            .map(|f| vec![false; f.requirements.len()])
            .collect();
        for c in selected {
            for (fw, req) in index.requirements_of.get(c).into_iter().flatten() {
                if let Some(t) = flags.get_mut(*fw).and_then(|t| t.get_mut(*req)) {
                    *t = true;
                }
            }
        }
        index
            .order
            .iter()
            .zip(flags)
            .map(|(order, flags)| {
                order
                    .iter()
                    .copied()
                    .filter(|r| flags.get(*r).copied().unwrap_or(false))
                    .collect()
            })
            .collect()
    };
    catalog
        .frameworks
        .iter()
        .zip(touched)
        .enumerate()
        .map(|(fi, (fw, reached))| {
            let mut counts = Counts::default();
            let requirements: Vec<RequirementResult> = reached
                .into_iter()
                .filter_map(|ri| {
                    let (id, title) = index.requirements.get(fi)?.get(ri)?;
                    let controls: Vec<RequirementControl> = index
                        .controls_of
                        .get(fi)
                        .and_then(|f| f.get(ri))
                        .into_iter()
                        .flatten()
                        .filter_map(|c| {
                            Some(RequirementControl {
                                control_id: index.control_ids.get(*c)?.clone(),
                                status: status_of.get(*c).copied().unwrap_or(Status::NotAssessed),
                            })
                        })
                        .collect();
                    let status = requirement_status(&controls);
                    counts.add(status);
                    Some(RequirementResult {
                        requirement_id: id.clone(),
                        title: title.clone(),
                        status,
                        controls,
                    })
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
                accounting: index.accounted.get(fi).cloned().flatten(),
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
