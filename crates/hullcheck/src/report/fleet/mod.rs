//! Fleet reports: the reports of named clusters merged into one control × cluster matrix, with
//! the divergence from a reference cluster.
//!
//! A fleet report holds, per cluster, its summary and the status of every control and framework;
//! everything else (the totals, the per-row counts, the divergence) is derived from that. A merge
//! is therefore a union of clusters: it is associative and commutative, so any order and any
//! grouping of the same reports give the same bytes, and a fleet report read back from JSON is
//! recomputed rather than trusted.

pub mod render;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CatalogInfo, Counts, Report, Status, Summary};

/// The `kind` every fleet report carries.
pub const KIND: &str = "hullcheck-fleet";
/// The version of the fleet report's shape.
pub const VERSION: u32 = 1;
const MAX_NAME: usize = 253;

/// Why reports could not be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FleetError {
    /// A cluster name that is empty, too long, padded or holds a control character or `=`.
    #[error("cluster name `{0}` is not valid: it must be 1 to 253 characters without `=`, control characters or surrounding spaces")]
    BadName(String),
    /// The same cluster twice.
    #[error("cluster `{0}` is given more than once")]
    Duplicate(String),
    /// Parts that name different reference clusters.
    #[error("the parts name different reference clusters: `{0}` and `{1}`")]
    ReferenceConflict(String, String),
    /// A reference cluster that is not in the fleet.
    #[error("the reference cluster `{0}` is not in the fleet")]
    UnknownReference(String),
    /// JSON that is not a fleet report of this version.
    #[error("not a hullcheck fleet report: {0}")]
    NotFleet(String),
}

impl FleetError {
    /// The stable dotted code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadName(_) => "fleet.bad_name",
            Self::Duplicate(_) => "fleet.duplicate_cluster",
            Self::ReferenceConflict(..) => "fleet.reference_conflict",
            Self::UnknownReference(_) => "fleet.unknown_reference",
            Self::NotFleet(_) => "fleet.not_a_fleet",
        }
    }
}

/// The reports of named clusters, merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FleetReport {
    /// Always `hullcheck-fleet`.
    pub kind: String,
    /// The version of this shape (1).
    pub fleet_version: u32,
    /// The cluster the others are compared with, when one is named.
    pub reference: Option<String>,
    /// Totals over the fleet.
    pub summary: FleetSummary,
    /// Every cluster, sorted by name.
    pub clusters: Vec<Cluster>,
    /// The control × cluster matrix, sorted by control.
    pub controls: Vec<ControlRow>,
    /// The framework × cluster matrix, sorted by framework.
    pub frameworks: Vec<FrameworkRow>,
    /// Controls that pass on the reference cluster and not on others, sorted by control.
    pub divergence: Vec<Divergence>,
}

/// Totals over the fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FleetSummary {
    /// Clusters in the fleet.
    pub clusters: usize,
    /// The worst cluster result: `fail`, else `error`, else `not_assessed`, else `pass`
    /// (`not_assessed` for an empty fleet).
    pub result: Status,
    /// Clusters per result.
    pub results: Counts,
    /// Controls in the matrix.
    pub controls: usize,
    /// Controls that diverge from the reference cluster.
    pub divergent_controls: usize,
    /// The distinct catalogs the clusters were evaluated against, sorted.
    pub catalogs: Vec<CatalogInfo>,
}

/// One cluster of the fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Cluster {
    /// The cluster's name, as given to the merge.
    pub name: String,
    /// When its report was evaluated.
    pub evaluated_at: String,
    /// The hullcheck version that evaluated it.
    pub tool_version: String,
    /// The catalog it was evaluated against.
    pub catalog: CatalogInfo,
    /// Its report's totals.
    pub summary: Summary,
}

/// One control across the fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ControlRow {
    /// The control.
    pub control_id: String,
    /// Title (from the first cluster by name that reports the control).
    pub title: String,
    /// Layer.
    pub layer: String,
    /// Severity.
    pub severity: String,
    /// Clusters per status; a cluster whose report lacks the control counts as `not_assessed`.
    pub counts: Counts,
    /// The control's result on each cluster that reports it, by cluster name.
    pub clusters: BTreeMap<String, Cell>,
}

/// A control's result on one cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Cell {
    /// The control's rolled-up status there.
    pub status: Status,
    /// Its failing findings there.
    pub failing: usize,
}

/// One framework across the fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FrameworkRow {
    /// The framework.
    pub framework_id: String,
    /// Title (from the first cluster by name that reports the framework).
    pub title: String,
    /// Clusters per status; a cluster whose report lacks the framework counts as `not_assessed`.
    pub counts: Counts,
    /// The framework's result on each cluster that reports it, by cluster name.
    pub clusters: BTreeMap<String, FrameworkCell>,
}

/// A framework's result on one cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FrameworkCell {
    /// The framework's status there.
    pub status: Status,
    /// Its failing requirements there.
    pub failing_requirements: usize,
}

/// A control that passes on the reference cluster and not on others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Divergence {
    /// The control.
    pub control_id: String,
    /// Title.
    pub title: String,
    /// Severity.
    pub severity: String,
    /// The clusters where it does not pass, by name, with their status (`not_assessed` where the
    /// cluster's report lacks the control).
    pub clusters: Vec<Deviation>,
}

/// Where a divergent control stands on one cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Deviation {
    /// The cluster.
    pub cluster: String,
    /// The control's status there: `fail`, `error` or `not_assessed`.
    pub status: Status,
}

/// Checks a cluster name (see [`FleetError::BadName`]).
pub fn check_name(name: &str) -> Result<(), FleetError> {
    let bad = name.is_empty()
        || name.chars().count() > MAX_NAME
        || name.trim() != name
        || name.chars().any(|c| c == '=' || c.is_control());
    if bad {
        Err(FleetError::BadName(name.to_owned()))
    } else {
        Ok(())
    }
}

impl FleetReport {
    /// The fleet of one cluster: `report`, named `name`.
    pub fn from_report(name: &str, report: &Report) -> Result<Self, FleetError> {
        check_name(name)?;
        let cell_of = |status, failing| Cell { status, failing };
        let controls = report
            .controls
            .iter()
            .map(|c| ControlRow {
                control_id: c.control_id.clone(),
                title: c.title.clone(),
                layer: c.layer.clone(),
                severity: c.severity.clone(),
                counts: Counts::default(),
                clusters: BTreeMap::from([(name.to_owned(), cell_of(c.status, c.counts.fail))]),
            })
            .collect();
        let frameworks = report
            .frameworks
            .iter()
            .map(|f| FrameworkRow {
                framework_id: f.framework_id.clone(),
                title: f.title.clone(),
                counts: Counts::default(),
                clusters: BTreeMap::from([(
                    name.to_owned(),
                    FrameworkCell {
                        status: f.status,
                        failing_requirements: f.counts.fail,
                    },
                )]),
            })
            .collect();
        let cluster = Cluster {
            name: name.to_owned(),
            evaluated_at: report.evaluated_at.clone(),
            tool_version: report.tool.version.clone(),
            catalog: report.catalog.clone(),
            summary: report.summary.clone(),
        };
        Ok(Self::assemble(None, vec![cluster], controls, frameworks))
    }

    /// Merges fleet reports (each possibly of one cluster) into one, comparing with `reference`
    /// when it is given. Any order and grouping of the same clusters give the same report.
    pub fn merge<I>(parts: I, reference: Option<&str>) -> Result<Self, FleetError>
    where
        I: IntoIterator<Item = FleetReport>,
    {
        let mut clusters: BTreeMap<String, Cluster> = BTreeMap::new();
        let mut controls: BTreeMap<String, ControlRow> = BTreeMap::new();
        let mut frameworks: BTreeMap<String, FrameworkRow> = BTreeMap::new();
        let mut references: Vec<String> = reference.map(str::to_owned).into_iter().collect();
        for part in parts {
            references.extend(part.reference);
            for c in part.clusters {
                if clusters.contains_key(&c.name) {
                    return Err(FleetError::Duplicate(c.name));
                }
                clusters.insert(c.name.clone(), c);
            }
            for row in part.controls {
                match controls.get_mut(&row.control_id) {
                    Some(have) => {
                        if first_key(&row.clusters) < first_key(&have.clusters) {
                            have.title = row.title;
                            have.layer = row.layer;
                            have.severity = row.severity;
                        }
                        have.clusters.extend(row.clusters);
                    }
                    None => {
                        controls.insert(row.control_id.clone(), row);
                    }
                }
            }
            for row in part.frameworks {
                match frameworks.get_mut(&row.framework_id) {
                    Some(have) => {
                        if first_key(&row.clusters) < first_key(&have.clusters) {
                            have.title = row.title;
                        }
                        have.clusters.extend(row.clusters);
                    }
                    None => {
                        frameworks.insert(row.framework_id.clone(), row);
                    }
                }
            }
        }
        references.sort();
        references.dedup();
        if let [a, b, ..] = references.as_slice() {
            return Err(FleetError::ReferenceConflict(a.clone(), b.clone()));
        }
        if let Some(r) = references.first() {
            check_name(r)?;
        }
        Ok(Self::assemble(
            references.into_iter().next(),
            clusters.into_values().collect(),
            controls.into_values().collect(),
            frameworks.into_values().collect(),
        ))
    }

    /// Reads a fleet report from its JSON, checking its shape and recomputing what is derived.
    pub fn from_json(text: &str) -> Result<Self, FleetError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let fleet: FleetReport = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| FleetError::NotFleet(e.to_string()))?;
        if fleet.kind != KIND || fleet.fleet_version != VERSION {
            return Err(FleetError::NotFleet(format!(
                "kind `{}` version {}, where `{KIND}` version {VERSION} is read",
                fleet.kind, fleet.fleet_version
            )));
        }
        let names: std::collections::BTreeSet<&str> =
            fleet.clusters.iter().map(|c| c.name.as_str()).collect();
        if names.len() != fleet.clusters.len() {
            return Err(FleetError::NotFleet("a cluster is listed twice".to_owned()));
        }
        for name in &names {
            check_name(name)?;
        }
        let stray = fleet
            .controls
            .iter()
            .flat_map(|r| r.clusters.keys())
            .chain(fleet.frameworks.iter().flat_map(|r| r.clusters.keys()))
            .find(|k| !names.contains(k.as_str()));
        if let Some(k) = stray {
            return Err(FleetError::NotFleet(format!(
                "a matrix cell names cluster `{k}`, which is not in `clusters`"
            )));
        }
        // Parts of one merge: the union recomputes every derived field.
        Self::merge([fleet], None)
    }

    /// The report as pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }

    /// Fails unless the reference cluster, when one is named, is in the fleet.
    pub fn check_reference(&self) -> Result<(), FleetError> {
        match &self.reference {
            Some(r) if !self.clusters.iter().any(|c| &c.name == r) => {
                Err(FleetError::UnknownReference(r.clone()))
            }
            _ => Ok(()),
        }
    }

    /// True unless every cluster passed.
    pub fn has_failures(&self) -> bool {
        self.summary.result != Status::Pass
    }

    fn assemble(
        reference: Option<String>,
        mut clusters: Vec<Cluster>,
        mut controls: Vec<ControlRow>,
        mut frameworks: Vec<FrameworkRow>,
    ) -> Self {
        // A cluster's result is derived from its counts, never taken as given (a hand-edited
        // report or fleet saying `pass` over failures stays failing).
        for c in &mut clusters {
            let s = &mut c.summary;
            s.result = Summary::result_of(&s.findings, &s.controls, s.document_errors);
        }
        controls.retain(|r| !r.clusters.is_empty());
        frameworks.retain(|r| !r.clusters.is_empty());
        for row in &mut controls {
            row.counts = counts_over(&clusters, |n| row.clusters.get(n).map(|c| c.status));
        }
        for row in &mut frameworks {
            row.counts = counts_over(&clusters, |n| row.clusters.get(n).map(|c| c.status));
        }
        let divergence = reference
            .as_deref()
            .filter(|r| clusters.iter().any(|c| c.name == *r))
            .map(|r| diverging(r, &clusters, &controls))
            .unwrap_or_default();
        let mut results = Counts::default();
        for c in &clusters {
            results.add(c.summary.result);
        }
        let mut catalogs: Vec<CatalogInfo> = clusters.iter().map(|c| c.catalog.clone()).collect();
        catalogs.sort_by(|a, b| (&a.version, &a.digest).cmp(&(&b.version, &b.digest)));
        catalogs.dedup();
        let summary = FleetSummary {
            clusters: clusters.len(),
            result: worst(clusters.iter().map(|c| c.summary.result)),
            results,
            controls: controls.len(),
            divergent_controls: divergence.len(),
            catalogs,
        };
        Self {
            kind: KIND.to_owned(),
            fleet_version: VERSION,
            reference,
            summary,
            clusters,
            controls,
            frameworks,
            divergence,
        }
    }
}

fn first_key<V>(m: &BTreeMap<String, V>) -> Option<&String> {
    m.keys().next()
}

fn counts_over(clusters: &[Cluster], status: impl Fn(&str) -> Option<Status>) -> Counts {
    let mut counts = Counts::default();
    for c in clusters {
        counts.add(status(&c.name).unwrap_or(Status::NotAssessed));
    }
    counts
}

fn diverging(reference: &str, clusters: &[Cluster], controls: &[ControlRow]) -> Vec<Divergence> {
    let mut out = Vec::new();
    for row in controls {
        if row.clusters.get(reference).map(|c| c.status) != Some(Status::Pass) {
            continue;
        }
        let deviations: Vec<Deviation> = clusters
            .iter()
            .filter(|c| c.name != reference)
            .filter_map(|c| {
                let status = row
                    .clusters
                    .get(&c.name)
                    .map_or(Status::NotAssessed, |cell| cell.status);
                matches!(status, Status::Fail | Status::Error | Status::NotAssessed).then(|| {
                    Deviation {
                        cluster: c.name.clone(),
                        status,
                    }
                })
            })
            .collect();
        if !deviations.is_empty() {
            out.push(Divergence {
                control_id: row.control_id.clone(),
                title: row.title.clone(),
                severity: row.severity.clone(),
                clusters: deviations,
            });
        }
    }
    out
}

/// The worst of cluster results, as [`FleetSummary::result`] orders them.
fn worst(results: impl Iterator<Item = Status>) -> Status {
    let rank = |s: Status| match s {
        Status::Fail => 3,
        Status::Error => 2,
        Status::NotAssessed => 1,
        _ => 0,
    };
    let mut any = false;
    let mut out = Status::Pass;
    for r in results {
        any = true;
        if rank(r) > rank(out) {
            out = r;
        }
    }
    if any {
        out
    } else {
        Status::NotAssessed
    }
}

/// The JSON Schema of the fleet report.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(FleetReport)).unwrap_or_default()
}
