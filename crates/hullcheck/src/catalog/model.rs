//! The catalog's file formats: what each YAML file under `controls/` holds.
//!
//! These types are the single source of the catalog JSON Schema (`hullcheck schema catalog`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How severe a failure of a control is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

/// `catalog.yaml`: the catalog's identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogMeta {
    /// Catalog version, reported with every evaluation.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The document the catalog implements.
    pub implements: String,
}

/// `layers.yaml`: the six security layers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayersFile {
    /// The layers, in lifecycle order.
    pub layers: Vec<Layer>,
}

/// One security layer with its row of the seed's reference table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Stable identifier (`image`, `registry`, `orchestration`, `runtime`, `network`, `logging`).
    pub id: String,
    /// Human title.
    pub title: String,
    /// What the layer covers.
    pub description: String,
    /// The primary standards for the layer.
    pub primary_standards: Vec<String>,
    /// The key control areas of the layer.
    pub key_controls: Vec<String>,
    /// The regulatory references the layer carries.
    pub regulatory_references: Vec<RegulatoryReference>,
}

/// A layer's regulatory reference: a whole framework, a family of it, or one requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegulatoryReference {
    /// Framework identifier in this catalog, when the reference is to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// A control family prefix (`CM`, `AC`), when the reference is a family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// One requirement identifier, when the reference is a requirement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<String>,
    /// A document outside the catalog's frameworks (for example a DISA STIG).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// `profiles.yaml`: named selections of controls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilesFile {
    /// The profiles.
    pub profiles: Vec<Profile>,
}

/// A named selection of controls; controls name the profiles they belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Stable identifier.
    pub id: String,
    /// Human title.
    pub title: String,
    /// What the profile is for.
    pub description: String,
}

/// `practices.yaml`: the lifecycle phases and their checklist items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticesFile {
    /// The phases, in order.
    pub phases: Vec<Phase>,
}

/// One lifecycle phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Stable identifier.
    pub id: String,
    /// Position in the lifecycle (1-based).
    pub number: u32,
    /// Human title.
    pub title: String,
    /// The layer the phase hardens.
    pub layer: String,
    /// The checklist items.
    pub practices: Vec<Practice>,
}

/// One checklist item of a phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    /// Stable identifier.
    pub id: String,
    /// The practice, in a sentence.
    pub title: String,
}

/// `frameworks/<id>.yaml`: a framework and its requirements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Stable identifier (`nist-800-53r5`, `fedramp-r5-moderate`, …).
    pub id: String,
    /// Human title.
    pub title: String,
    /// Who publishes it.
    pub publisher: String,
    /// The edition modelled.
    pub version: String,
    /// For a baseline: the framework whose requirements it selects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_of: Option<String>,
    /// Where the list of requirements was taken from.
    pub derived_from: String,
    /// The requirements.
    pub requirements: Vec<Requirement>,
}

/// One requirement of a framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The official identifier.
    pub id: String,
    /// A short title (for a baseline, may be omitted and taken from the base framework).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// For a STIG rule: the identifiers a STIG Viewer checklist carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stig: Option<StigRule>,
}

/// How hullcheck addresses a requirement.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Controls evidence it in full.
    Automated,
    /// Controls evidence part of it; the note says which part.
    Partial,
    /// It needs a signed statement (the Attestation kind), or evidence hullcheck does not read.
    Attestation,
    /// It does not apply to a container platform; the note says why.
    NotApplicable,
    /// Policy or process outside the platform.
    Organisational,
}

impl Coverage {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Automated => "automated",
            Self::Partial => "partial",
            Self::Attestation => "attestation",
            Self::NotApplicable => "not_applicable",
            Self::Organisational => "organisational",
        }
    }
}

/// One requirement's coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountingEntry {
    /// The requirement.
    pub id: String,
    /// How hullcheck addresses it.
    pub status: Coverage,
    /// What is and is not covered, or why it does not apply (required unless `automated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `accounting/<framework>.yaml`: how hullcheck addresses every requirement of a framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accounting {
    /// The framework.
    pub framework: String,
    /// Every requirement, once.
    pub requirements: Vec<AccountingEntry>,
}

/// The identifiers of one STIG rule, as STIG Viewer checklists carry them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StigRule {
    /// The rule ID with its revision (`SV-242376r960759_rule`).
    pub rule_id: String,
    /// The STIG ID (`CNTR-K8-000150`).
    pub stig_id: String,
    /// `high`, `medium` or `low` (CAT I, II, III).
    pub severity: String,
    /// The SRG requirement (`SRG-APP-000014-CTR-000035`).
    pub srg: String,
    /// The CCIs, in the order DISA lists them.
    pub cci: Vec<String>,
    /// The NIST SP 800-53 Rev. 5 controls the CCIs derive from, in DISA's order.
    #[serde(default)]
    pub nist_800_53r5: Vec<String>,
}

/// A citation of a standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// The standard (`pss`, `cis-kubernetes`, `nist-800-190`, …).
    pub standard: String,
    /// The item within the standard (a check ID, section or benchmark number).
    pub id: String,
    /// The edition of the standard, when numbering depends on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// An item of the same standard that this one replaces when both apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
}

impl std::fmt::Display for SourceRef {
    /// The citation as docs and the CLI print it: `cis-kubernetes 5.1.3 (1.12)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.version {
            Some(v) => write!(f, "{} {} ({v})", self.standard, self.id),
            None => write!(f, "{} {}", self.standard, self.id),
        }
    }
}

/// The type of a control parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParamType {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A boolean.
    Boolean,
    /// A list of strings (comma-separated on the command line).
    StringList,
}

/// A typed, defaulted parameter of a control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamDef {
    /// Dotted key, shared by every control that declares it (`pss.version`).
    pub name: String,
    /// The value type.
    #[serde(rename = "type")]
    pub kind: ParamType,
    /// The default value.
    pub default: serde_json::Value,
    /// What the parameter changes.
    pub description: String,
    /// For string parameters: the only values allowed (empty allows any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
}

/// How a control is checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CheckSpec {
    /// A check implemented in Rust and referenced by name.
    Builtin {
        /// The registered name of the check.
        name: String,
    },
    /// Rules in CEL over Kubernetes objects, as a ValidatingAdmissionPolicy writes them.
    Cel(CelCheck),
    /// A ValidatingAdmissionPolicy of the evidence, by name, evaluated through its bindings
    /// (what the `vap:<name>` controls run; a catalog control may name a policy to give it
    /// its own metadata and mappings).
    Admission {
        /// The policy's `metadata.name`.
        policy: String,
    },
}

/// A check written in CEL: which objects it applies to, named intermediate values, and the
/// validations each matched object must satisfy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CelCheck {
    /// The objects the check applies to.
    #[serde(rename = "match")]
    pub matches: CelMatch,
    /// Named expressions, evaluated in order; later ones and the validations see them as
    /// `variables.<name>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<CelVariable>,
    /// Expressions each matched object must make true.
    pub validations: Vec<CelValidation>,
}

/// Which Kubernetes objects a CEL check applies to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CelMatch {
    /// API groups and kinds; an object matches when any entry does.
    pub resources: Vec<CelResource>,
    /// Only objects in these namespaces (empty: any namespace, and cluster-scoped objects).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// Never objects in these namespaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_namespaces: Vec<String>,
    /// Only objects whose labels match this selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
}

/// API groups and kinds (`""` is the core group, `"*"` any group or kind).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CelResource {
    /// API groups.
    pub api_groups: Vec<String>,
    /// Kinds, as in the objects' `kind`.
    pub kinds: Vec<String>,
}

/// A Kubernetes label selector.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LabelSelector {
    /// Labels that must have exactly these values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
    /// Requirements on labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelRequirement>,
}

/// One requirement of a label selector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LabelRequirement {
    /// The label key.
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    pub operator: String,
    /// The values, for `In` and `NotIn`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// A named CEL expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CelVariable {
    /// The name, a CEL identifier.
    pub name: String,
    /// The expression.
    pub expression: String,
}

/// One validation: the object fails it when the expression is false.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CelValidation {
    /// A CEL expression giving a bool.
    pub expression: String,
    /// The failure message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// A CEL expression giving the failure message (falls back to `message`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_expression: Option<String>,
}

impl Control {
    /// Adds the framework mapping each versioned CIS Kubernetes citation implies: a source
    /// `cis-kubernetes 5.1.3 (1.12)` evidences requirement `5.1.3` of `cis-kubernetes-1.12`, so
    /// every benchmark version is a framework in the graph without restating the citation.
    pub(crate) fn derive_cis_mappings(&mut self) {
        for s in &self.sources {
            if let ("cis-kubernetes", Some(v)) = (s.standard.as_str(), &s.version) {
                let ids = self
                    .mappings
                    .entry(format!("cis-kubernetes-{v}"))
                    .or_default();
                if !ids.contains(&s.id) {
                    ids.push(s.id.clone());
                }
            }
        }
    }
}

/// `<layer>/<ID>.yaml`: one control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// Stable identifier.
    pub id: String,
    /// The layer the control belongs to.
    pub layer: String,
    /// Short title.
    pub title: String,
    /// What the control checks.
    pub description: String,
    /// Why it matters.
    pub rationale: String,
    /// How to fix a failure.
    pub remediation: String,
    /// Severity of a failure.
    pub severity: Severity,
    /// The evidence kinds the control reads.
    pub evidence: Vec<String>,
    /// The standards the control implements.
    pub sources: Vec<SourceRef>,
    /// Framework ID → requirement IDs the control evidences.
    pub mappings: BTreeMap<String, Vec<String>>,
    /// Lifecycle practices the control evidences.
    pub practices: Vec<String>,
    /// Profiles the control belongs to.
    pub profiles: Vec<String>,
    /// Typed parameters with defaults.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamDef>,
    /// How the control is checked.
    pub check: CheckSpec,
}

/// Any one catalog file; the catalog schema accepts exactly these shapes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum CatalogFile {
    /// `catalog.yaml`.
    Meta(CatalogMeta),
    /// `layers.yaml`.
    Layers(LayersFile),
    /// `profiles.yaml`.
    Profiles(ProfilesFile),
    /// `practices.yaml`.
    Practices(PracticesFile),
    /// `frameworks/<id>.yaml`.
    Framework(Framework),
    /// `accounting/<framework>.yaml`.
    Accounting(Accounting),
    /// `<layer>/<ID>.yaml`.
    Control(Box<Control>),
}
