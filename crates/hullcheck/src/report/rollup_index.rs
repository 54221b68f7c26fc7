//! The catalog's control ↔ requirement links as integer indexes, built once per engine from the
//! graph, so the framework roll-up of an evaluation compares no strings and queries no graph.

use std::sync::Arc;

use crate::catalog::Catalog;
use crate::graph::CatalogGraph;

/// Control and requirement links by position: controls as indexes into `catalog.controls`,
/// requirements as `(framework index, requirement index)` into `catalog.frameworks`.
#[derive(Debug, Clone, Default)]
pub struct RollupIndex {
    /// Per control: the requirements it evidences, directly or through a baseline.
    pub requirements_of: Vec<Vec<(usize, usize)>>,
    /// Per framework, per requirement: the controls mapped to it, in control-ID order.
    pub controls_of: Vec<Vec<Vec<usize>>>,
    /// Per framework: its requirements' positions in requirement-ID order (the report's order).
    pub order: Vec<Vec<usize>>,
    /// Per framework: the positions, in that order, of the requirements the whole catalog's
    /// controls reach (the roll-up of an evaluation of every control, the usual case).
    pub reached_by_all: Vec<Vec<usize>>,
    /// Per framework, per requirement: its identifier and title (a baseline's titles come from
    /// its base framework), shared by every report.
    pub requirements: Vec<Vec<(Arc<str>, Arc<str>)>>,
    /// Per control: its identifier, shared by every report.
    pub control_ids: Vec<Arc<str>>,
    /// Per framework: how its requirements are addressed, when the catalog accounts for it.
    pub accounted: Vec<Option<crate::report::Accounted>>,
}

impl RollupIndex {
    /// Builds the index from the graph's answers, so it means exactly what the graph means.
    pub fn build(catalog: &Catalog, graph: &CatalogGraph) -> Self {
        let fw_pos = |id: &str| {
            catalog
                .frameworks
                .binary_search_by(|f| f.id.as_str().cmp(id))
                .ok()
        };
        let req_pos = |fw: usize, id: &str| {
            let f = catalog.frameworks.get(fw)?;
            catalog.requirement_position(&f.id, id)
        };
        let requirements_of: Vec<Vec<(usize, usize)>> = catalog
            .controls
            .iter()
            .map(|c| {
                graph
                    .requirements_for_control(&c.id)
                    .iter()
                    .filter_map(|r| {
                        let fw = fw_pos(&r.framework_id)?;
                        Some((fw, req_pos(fw, &r.requirement_id)?))
                    })
                    .collect()
            })
            .collect();
        // The inverse of `requirements_of`, which is the graph's answer per control: controls are
        // visited in catalog (control-ID) order, so each list comes out in that order.
        let mut controls_of: Vec<Vec<Vec<usize>>> = catalog
            .frameworks
            .iter()
            .map(|f| vec![Vec::new(); f.requirements.len()])
            .collect();
        for (c, reqs) in requirements_of.iter().enumerate() {
            for (fw, r) in reqs {
                if let Some(list) = controls_of.get_mut(*fw).and_then(|f| f.get_mut(*r)) {
                    if list.last() != Some(&c) {
                        list.push(c);
                    }
                }
            }
        }
        let order: Vec<Vec<usize>> = catalog
            .frameworks
            .iter()
            .map(|f| {
                let mut order: Vec<usize> = (0..f.requirements.len()).collect();
                order.sort_by(|a, b| {
                    let id = |i: &usize| f.requirements.get(*i).map(|r| r.id.as_str());
                    id(a).cmp(&id(b))
                });
                order
            })
            .collect();
        let requirements = catalog
            .frameworks
            .iter()
            .map(|f| {
                f.requirements
                    .iter()
                    .map(|r| {
                        let title = catalog.requirement_title(&f.id, &r.id).unwrap_or("");
                        (Arc::from(r.id.as_str()), Arc::from(title))
                    })
                    .collect()
            })
            .collect();
        let reached_by_all = order
            .iter()
            .enumerate()
            .map(|(fi, order)| {
                let mut reached = vec![false; order.len()];
                for reqs in &requirements_of {
                    for (fw, r) in reqs {
                        if *fw == fi {
                            if let Some(slot) = reached.get_mut(*r) {
                                *slot = true;
                            }
                        }
                    }
                }
                order
                    .iter()
                    .copied()
                    .filter(|r| reached.get(*r).copied().unwrap_or(false))
                    .collect()
            })
            .collect();
        Self {
            requirements_of,
            controls_of,
            order,
            reached_by_all,
            requirements,
            control_ids: catalog
                .controls
                .iter()
                .map(|c| c.id.as_str().into())
                .collect(),
            accounted: catalog
                .frameworks
                .iter()
                .map(|f| accounted(catalog, f))
                .collect(),
        }
    }
}

/// The accounting counts of one framework (a baseline counts its own requirements, with the
/// statuses of its base framework's accounting).
fn accounted(
    catalog: &Catalog,
    fw: &crate::catalog::model::Framework,
) -> Option<crate::report::Accounted> {
    use crate::catalog::model::Coverage;
    let a = catalog.accounting_of(&fw.id)?;
    let status: std::collections::BTreeMap<&str, Coverage> = a
        .requirements
        .iter()
        .map(|e| (e.id.as_str(), e.status))
        .collect();
    let mut out = crate::report::Accounted::default();
    for r in &fw.requirements {
        match status.get(r.id.as_str()) {
            Some(Coverage::Automated) => out.automated += 1,
            Some(Coverage::Partial) => out.partial += 1,
            Some(Coverage::Attestation) | None => out.attestation += 1,
            Some(Coverage::NotApplicable) => out.not_applicable += 1,
            Some(Coverage::Organisational) => out.organisational += 1,
        }
    }
    Some(out)
}
