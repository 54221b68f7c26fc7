//! Cluster-scoped policy evidence: Namespaces with their Pod Security Admission labels, and
//! admission policies (Kyverno, Gatekeeper, ValidatingAdmissionPolicy).

use super::{dig, string_map, strings};
use crate::evidence::error::EvidenceError;
use crate::evidence::read::{At, Cursor};

/// A Namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct NamespaceFacts {
    /// `metadata.labels`.
    pub labels: Vec<(String, At<String>)>,
}

impl NamespaceFacts {
    /// The value of a label.
    pub fn label(&self, key: &str) -> Option<&At<String>> {
        self.labels.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Reads a Namespace.
pub fn read_namespace(c: &Cursor<'_>) -> Result<NamespaceFacts, EvidenceError> {
    let labels = match c.field("metadata")? {
        Some(m) => string_map(&m, "labels")?,
        None => Vec::new(),
    };
    Ok(NamespaceFacts { labels })
}

/// The engine behind an admission policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AdmissionEngine {
    /// Kyverno ClusterPolicy or Policy.
    Kyverno,
    /// An OPA Gatekeeper constraint.
    Gatekeeper,
    /// A ValidatingAdmissionPolicyBinding.
    ValidatingAdmissionPolicy,
}

/// An admission policy.
#[derive(Debug, Clone, PartialEq)]
pub struct AdmissionFacts {
    /// The engine.
    pub engine: AdmissionEngine,
    /// True when violations are denied (Kyverno Enforce, Gatekeeper deny, VAP Deny).
    pub enforcing: bool,
    /// True when the policy verifies image signatures or attestations (Kyverno verifyImages).
    pub verifies_images: bool,
}

/// Reads a Kyverno ClusterPolicy or Policy.
pub fn read_kyverno(c: &Cursor<'_>) -> Result<AdmissionFacts, EvidenceError> {
    let spec = c.field("spec")?;
    let mut enforcing = false;
    let mut verifies_images = false;
    if let Some(spec) = &spec {
        let policy_level = spec
            .opt_string("validationFailureAction")?
            .map(|a| a.value.eq_ignore_ascii_case("enforce"));
        if let Some(rules) = spec.field("rules")? {
            for rule in rules.items()? {
                if let Some(v) = rule.field("validate")? {
                    let per_rule = v
                        .opt_string("failureAction")?
                        .map(|a| a.value.eq_ignore_ascii_case("enforce"));
                    enforcing |= per_rule.or(policy_level).unwrap_or(false);
                }
                if let Some(vi) = rule.field("verifyImages")? {
                    if !vi.items()?.is_empty() {
                        verifies_images = true;
                        // verifyImages rules block unsigned images unless set to Audit.
                        let audit = vi.items()?.iter().any(|i| {
                            i.opt_string("failureAction")
                                .ok()
                                .flatten()
                                .is_some_and(|a| a.value.eq_ignore_ascii_case("audit"))
                        });
                        enforcing |= !audit && policy_level.unwrap_or(true);
                    }
                }
            }
        }
    }
    Ok(AdmissionFacts {
        engine: AdmissionEngine::Kyverno,
        enforcing,
        verifies_images,
    })
}

/// Reads a Gatekeeper constraint (`constraints.gatekeeper.sh`).
pub fn read_gatekeeper(c: &Cursor<'_>) -> Result<AdmissionFacts, EvidenceError> {
    let action = match c.field("spec")? {
        Some(s) => s.opt_string("enforcementAction")?.map(|a| a.value),
        None => None,
    };
    Ok(AdmissionFacts {
        engine: AdmissionEngine::Gatekeeper,
        enforcing: action.as_deref().is_none_or(|a| a == "deny"),
        verifies_images: false,
    })
}

/// Reads a ValidatingAdmissionPolicyBinding.
pub fn read_vap_binding(c: &Cursor<'_>) -> Result<AdmissionFacts, EvidenceError> {
    let actions = match dig(c, &["spec"])? {
        Some(s) => strings(&s, "validationActions")?,
        None => Vec::new(),
    };
    Ok(AdmissionFacts {
        engine: AdmissionEngine::ValidatingAdmissionPolicy,
        enforcing: actions.iter().any(|a| a.value == "Deny"),
        verifies_images: false,
    })
}
