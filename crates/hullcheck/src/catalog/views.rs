//! Catalog listings as the CLI and bindings print them (`hullcheck catalog …`).

use serde::Serialize;

use super::{Catalog, ParamDef, RegulatoryReference, SourceRef};
use crate::graph::{CatalogGraph, RequirementRef};

/// One mapping of a control onto a framework requirement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MappingView {
    /// Framework identifier.
    pub framework_id: String,
    /// Requirement identifier.
    pub requirement_id: String,
}

/// A control as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlView {
    /// Identifier.
    pub control_id: String,
    /// Layer.
    pub layer: String,
    /// Title.
    pub title: String,
    /// Severity.
    pub severity: String,
    /// What it checks.
    pub description: String,
    /// Why.
    pub rationale: String,
    /// How to fix.
    pub remediation: String,
    /// Evidence kinds read.
    pub evidence: Vec<String>,
    /// Profiles.
    pub profiles: Vec<String>,
    /// Practices evidenced.
    pub practices: Vec<String>,
    /// Sources.
    pub sources: Vec<SourceRef>,
    /// Direct mappings.
    pub mappings: Vec<MappingView>,
    /// Mappings reached through baselines (FedRAMP) that select a mapped requirement.
    pub inherited_mappings: Vec<MappingView>,
    /// Parameters.
    pub params: Vec<ParamDef>,
    /// The check, as `kind:name`.
    pub check: String,
}

/// A requirement as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementView {
    /// Identifier.
    pub requirement_id: String,
    /// Title.
    pub title: String,
    /// Controls that evidence it.
    pub controls: Vec<String>,
    /// How hullcheck addresses it (`automated`, `partial`, `attestation`, `not_applicable`,
    /// `organisational`), when the framework is accounted for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<&'static str>,
    /// What is and is not covered, or why it does not apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A framework as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkView {
    /// Identifier.
    pub framework_id: String,
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// Edition.
    pub version: String,
    /// For baselines, the framework selected from.
    pub baseline_of: Option<String>,
    /// Number of requirements.
    pub requirement_count: usize,
    /// Requirements with at least one control.
    pub covered: usize,
    /// How the requirements are addressed, when the catalog accounts for the framework.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accounting: Option<crate::report::Accounted>,
    /// The requirements.
    pub requirements: Vec<RequirementView>,
}

/// A practice as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PracticeView {
    /// Identifier.
    pub practice_id: String,
    /// Phase identifier.
    pub phase: String,
    /// Phase number.
    pub phase_number: u32,
    /// The practice.
    pub title: String,
    /// Controls that evidence it.
    pub controls: Vec<String>,
}

/// A layer as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerView {
    /// Identifier.
    pub layer_id: String,
    /// Title.
    pub title: String,
    /// What it covers.
    pub description: String,
    /// Primary standards.
    pub primary_standards: Vec<String>,
    /// Key control areas.
    pub key_controls: Vec<String>,
    /// Regulatory references.
    pub regulatory_references: Vec<RegulatoryReference>,
    /// Controls in the layer.
    pub controls: Vec<String>,
}

fn mapping(r: RequirementRef) -> MappingView {
    MappingView {
        framework_id: r.framework_id,
        requirement_id: r.requirement_id,
    }
}

impl Catalog {
    /// Every control as listed.
    pub fn control_views(&self, graph: &CatalogGraph) -> Vec<ControlView> {
        self.controls
            .iter()
            .map(|c| {
                let mut direct: Vec<MappingView> = c
                    .mappings
                    .iter()
                    .flat_map(|(fw, ids)| {
                        ids.iter().map(move |id| MappingView {
                            framework_id: fw.clone(),
                            requirement_id: id.clone(),
                        })
                    })
                    .collect();
                direct.sort();
                let inherited = graph
                    .requirements_for_control(&c.id)
                    .into_iter()
                    .map(mapping)
                    .filter(|m| !direct.contains(m))
                    .collect();
                ControlView {
                    control_id: c.id.clone(),
                    layer: c.layer.clone(),
                    title: c.title.clone(),
                    severity: c.severity.as_str().to_owned(),
                    description: c.description.clone(),
                    rationale: c.rationale.clone(),
                    remediation: c.remediation.clone(),
                    evidence: c.evidence.clone(),
                    profiles: c.profiles.clone(),
                    practices: c.practices.clone(),
                    sources: c.sources.clone(),
                    mappings: direct,
                    inherited_mappings: inherited,
                    params: c.params.clone(),
                    check: match &c.check {
                        super::CheckSpec::Builtin { name } => format!("builtin:{name}"),
                        super::CheckSpec::Cel(_) => "cel".to_owned(),
                        super::CheckSpec::Admission { policy } => format!("admission:{policy}"),
                    },
                }
            })
            .collect()
    }

    /// Every framework as listed.
    pub fn framework_views(&self, graph: &CatalogGraph) -> Vec<FrameworkView> {
        self.frameworks
            .iter()
            .map(|f| {
                let requirements: Vec<RequirementView> = f
                    .requirements
                    .iter()
                    .map(|r| RequirementView {
                        requirement_id: r.id.clone(),
                        title: self
                            .requirement_title(&f.id, &r.id)
                            .unwrap_or("")
                            .to_owned(),
                        controls: graph.controls_for_requirement(&f.id, &r.id),
                        coverage: self.coverage(&f.id, &r.id).map(|(c, _)| c.as_str()),
                        note: self
                            .coverage(&f.id, &r.id)
                            .and_then(|(_, n)| n.map(str::to_owned)),
                    })
                    .collect();
                let accounting = self.accounting_of(&f.id).map(|_| {
                    let mut a = crate::report::Accounted::default();
                    for r in &requirements {
                        match r.coverage {
                            Some("automated") => a.automated += 1,
                            Some("partial") => a.partial += 1,
                            Some("not_applicable") => a.not_applicable += 1,
                            Some("organisational") => a.organisational += 1,
                            _ => a.attestation += 1,
                        }
                    }
                    a
                });
                FrameworkView {
                    framework_id: f.id.clone(),
                    title: f.title.clone(),
                    publisher: f.publisher.clone(),
                    version: f.version.clone(),
                    baseline_of: f.baseline_of.clone(),
                    requirement_count: requirements.len(),
                    covered: requirements
                        .iter()
                        .filter(|r| !r.controls.is_empty())
                        .count(),
                    accounting,
                    requirements,
                }
            })
            .collect()
    }

    /// Every practice as listed.
    pub fn practice_views(&self, graph: &CatalogGraph) -> Vec<PracticeView> {
        self.phases
            .iter()
            .flat_map(|ph| {
                ph.practices.iter().map(move |p| PracticeView {
                    practice_id: p.id.clone(),
                    phase: ph.id.clone(),
                    phase_number: ph.number,
                    title: p.title.clone(),
                    controls: graph.controls_for_practice(&p.id),
                })
            })
            .collect()
    }

    /// Every layer as listed.
    pub fn layer_views(&self, graph: &CatalogGraph) -> Vec<LayerView> {
        self.layers
            .iter()
            .map(|l| LayerView {
                layer_id: l.id.clone(),
                title: l.title.clone(),
                description: l.description.clone(),
                primary_standards: l.primary_standards.clone(),
                key_controls: l.key_controls.clone(),
                regulatory_references: l.regulatory_references.clone(),
                controls: graph.controls_in_layer(&l.id),
            })
            .collect()
    }
}
