//! The requirement accounting (`accounting/<framework>.yaml`): every requirement of a framework
//! with how hullcheck addresses it, checked against the framework and the control mappings.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{Accounting, Coverage};
use super::{Catalog, CatalogError};

impl Catalog {
    /// The accounting of a framework, when the catalog has one: its own file, or for a baseline
    /// (FedRAMP) the accounting of the framework it selects from.
    pub fn accounting_of(&self, framework: &str) -> Option<&Accounting> {
        self.accounting
            .iter()
            .find(|a| a.framework == framework)
            .or_else(|| {
                let base = self.framework(framework)?.baseline_of.as_deref()?;
                self.accounting.iter().find(|a| a.framework == base)
            })
    }

    /// The coverage of one requirement, when its framework is accounted for.
    pub fn coverage(&self, framework: &str, requirement: &str) -> Option<(Coverage, Option<&str>)> {
        self.accounting_of(framework)?
            .requirements
            .iter()
            .find(|e| e.id == requirement)
            .map(|e| (e.status, e.note.as_deref()))
    }

    /// True when a control may map to the requirement: its framework is not accounted for,
    /// or the requirement is accounted `automated` or `partial`.
    pub fn automatable(&self, framework: &str, requirement: &str) -> bool {
        use super::model::Coverage;
        match self.coverage(framework, requirement) {
            None => self.accounting_of(framework).is_none(),
            Some((c, _)) => matches!(c, Coverage::Automated | Coverage::Partial),
        }
    }

    /// Every accounted framework exists; each of its requirements has exactly one status; a
    /// requirement is `automated` or `partial` exactly when a control maps to it; and every
    /// status but `automated` says why in a note.
    pub(super) fn check_accounting(&self) -> Result<(), CatalogError> {
        let mut seen = BTreeSet::new();
        for a in &self.accounting {
            let file = format!("accounting/{}.yaml", a.framework);
            let invalid = |message: String| CatalogError::Invalid {
                file: file.clone(),
                message,
            };
            if !seen.insert(a.framework.as_str()) {
                return Err(CatalogError::Duplicate {
                    file: file.clone(),
                    what: "accounting",
                    id: a.framework.clone(),
                });
            }
            let fw =
                self.framework(&a.framework)
                    .ok_or_else(|| CatalogError::UnknownReference {
                        file: file.clone(),
                        what: "framework",
                        id: a.framework.clone(),
                    })?;
            let mapped: BTreeSet<&str> = self
                .controls
                .iter()
                .filter_map(|c| c.mappings.get(&a.framework))
                .flatten()
                .map(String::as_str)
                .collect();
            let mut status: BTreeMap<&str, Coverage> = BTreeMap::new();
            for e in &a.requirements {
                let known = self
                    .requirement_index
                    .get(&a.framework)
                    .is_some_and(|reqs| reqs.contains_key(&e.id));
                if !known {
                    return Err(CatalogError::UnknownReference {
                        file: file.clone(),
                        what: "requirement",
                        id: e.id.clone(),
                    });
                }
                if status.insert(&e.id, e.status).is_some() {
                    return Err(invalid(format!(
                        "requirement `{}` is accounted for twice",
                        e.id
                    )));
                }
                if e.status != Coverage::Automated && e.note.as_deref().is_none_or(str::is_empty) {
                    return Err(invalid(format!(
                        "requirement `{}` is `{}` without a note saying why",
                        e.id,
                        e.status.as_str()
                    )));
                }
                let by_control = matches!(e.status, Coverage::Automated | Coverage::Partial);
                if by_control != mapped.contains(e.id.as_str()) {
                    return Err(invalid(format!(
                        "requirement `{}` is `{}`, but {} control maps to it",
                        e.id,
                        e.status.as_str(),
                        if by_control { "no" } else { "a" }
                    )));
                }
            }
            if let Some(r) = fw
                .requirements
                .iter()
                .find(|r| !status.contains_key(r.id.as_str()))
            {
                return Err(invalid(format!("requirement `{}` has no status", r.id)));
            }
        }
        Ok(())
    }
}

/// A STIG rule whose DISA-derived 800-53 controls share no control with the 800-53 mappings of
/// the controls that evidence it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StigMismatch {
    /// The rule (V-ID).
    pub rule: String,
    /// The 800-53 controls its CCIs derive from.
    pub stig: Vec<String>,
    /// The mapped controls, each with its 800-53 mappings.
    pub controls: Vec<(String, Vec<String>)>,
}

/// The base control of an 800-53 label: `IA-5(1)` → `IA-5`.
fn base(label: &str) -> &str {
    label.split('(').next().unwrap_or(label)
}

impl Catalog {
    /// The rules of a STIG framework whose 800-53 controls (from DISA's CCIs) are not consistent
    /// with the catalog's 800-53 mappings of the controls mapped to them: no control, or
    /// enhancement of the same base control, in common.
    pub fn stig_mismatches(&self, framework: &str) -> Vec<StigMismatch> {
        let Some(fw) = self.framework(framework) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for r in &fw.requirements {
            let Some(stig) = &r.stig else { continue };
            let controls: Vec<(String, Vec<String>)> = self
                .controls
                .iter()
                .filter(|c| {
                    c.mappings
                        .get(framework)
                        .is_some_and(|ids| ids.contains(&r.id))
                })
                .map(|c| {
                    let nist = c.mappings.get("nist-800-53r5").cloned().unwrap_or_default();
                    (c.id.clone(), nist)
                })
                .collect();
            if controls.is_empty() {
                continue;
            }
            let consistent = stig.nist_800_53r5.iter().any(|s| {
                controls
                    .iter()
                    .flat_map(|(_, n)| n)
                    .any(|n| n == s || base(n) == base(s))
            });
            if !consistent {
                out.push(StigMismatch {
                    rule: r.id.clone(),
                    stig: stig.nist_800_53r5.clone(),
                    controls,
                });
            }
        }
        out
    }
}
