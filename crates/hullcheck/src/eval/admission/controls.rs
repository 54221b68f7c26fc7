//! The control of each policy in the evidence, `vap:<policy name>`, with its metadata and
//! framework mappings taken from annotations on the policy:
//!
//! | annotation | value | default |
//! |---|---|---|
//! | `hullcheck.dev/mappings` | JSON object: framework ID → requirement IDs | none |
//! | `hullcheck.dev/severity` | `info`, `low`, `medium`, `high`, `critical` | `medium` |
//! | `hullcheck.dev/title` | the control's title | `ValidatingAdmissionPolicy <name>` |
//! | `hullcheck.dev/layer` | a layer ID | `orchestration` |
//! | `hullcheck.dev/practices` | practice IDs, comma-separated | none |
//! | `hullcheck.dev/profiles` | profile IDs, comma-separated | none |
//!
//! An annotation that does not parse, or names a framework, requirement, layer, practice or
//! profile the catalog does not have, is dropped from the control and reported as an `error`
//! finding of the control: the policy is still evaluated.

use std::collections::BTreeMap;

use crate::catalog::model::{CheckSpec, Severity};
use crate::catalog::{Catalog, Control};
use crate::evidence::node::Node;
use crate::evidence::Item;

/// The annotation holding a policy's framework mappings.
pub const MAPPINGS: &str = "hullcheck.dev/mappings";

fn annotation<'a>(policy: &'a Node, key: &str) -> Option<&'a str> {
    policy
        .get("metadata")?
        .get("annotations")?
        .get(key)?
        .as_str()
}

/// The framework mappings of a policy's annotation (empty when it has none).
pub fn mappings(policy: &Node) -> Result<BTreeMap<String, Vec<String>>, String> {
    match annotation(policy, MAPPINGS) {
        None => Ok(BTreeMap::new()),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            format!("annotation `{MAPPINGS}` is not a JSON object of framework IDs to lists of requirement IDs: {e}")
        }),
    }
}

fn list(policy: &Node, key: &str) -> Vec<String> {
    annotation(policy, key)
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The control of one policy, its annotations checked against the catalog (what does not
/// check out is left off; the run reports it).
pub fn control(catalog: &Catalog, name: &str, policy: &Node) -> Control {
    let severity = match annotation(policy, "hullcheck.dev/severity") {
        Some("info") => Severity::Info,
        Some("low") => Severity::Low,
        Some("high") => Severity::High,
        Some("critical") => Severity::Critical,
        _ => Severity::Medium,
    };
    let layer = annotation(policy, "hullcheck.dev/layer")
        .filter(|l| catalog.layers.iter().any(|x| x.id == *l))
        .unwrap_or("orchestration")
        .to_owned();
    let mut mappings = mappings(policy).unwrap_or_default();
    mappings.retain(|fw, ids| {
        ids.retain(|id| {
            catalog.requirement_position(fw, id).is_some() && catalog.automatable(fw, id)
        });
        !ids.is_empty()
    });
    let practices = list(policy, "hullcheck.dev/practices")
        .into_iter()
        .filter(|p| {
            catalog
                .phases
                .iter()
                .any(|ph| ph.practices.iter().any(|x| x.id == *p))
        })
        .collect();
    let profiles = list(policy, "hullcheck.dev/profiles")
        .into_iter()
        .filter(|p| catalog.profiles.iter().any(|x| x.id == *p))
        .collect();
    Control {
        id: format!("{}{name}", super::PREFIX),
        layer,
        title: annotation(policy, "hullcheck.dev/title")
            .map_or_else(|| format!("ValidatingAdmissionPolicy {name}"), str::to_owned),
        description: format!(
            "The admission policy `{name}` from the evidence, evaluated offline against the evidence's objects as the API server would admit them, through each of its bindings."
        ),
        rationale: "The cluster's own admission rules, checked before deployment and mapped to the frameworks they evidence.".to_owned(),
        remediation: "Change the object so that every validation of the policy holds, or exclude it from the policy's bindings.".to_owned(),
        severity,
        evidence: Vec::new(),
        sources: Vec::new(),
        mappings,
        practices,
        profiles,
        params: Vec::new(),
        check: CheckSpec::Admission {
            policy: name.to_owned(),
        },
    }
}

/// The controls of the policies in the evidence that the catalog does not already hold (a
/// catalog control with the same ID, or one whose check names the policy, wins), in ID order.
pub fn from_items(catalog: &Catalog, items: &[Item]) -> Vec<Control> {
    let mut out: BTreeMap<String, Control> = BTreeMap::new();
    for (item, policy) in super::policies(items) {
        let Some(name) = item.origin.name.as_deref() else {
            continue;
        };
        let named = catalog
            .controls
            .iter()
            .any(|c| matches!(&c.check, CheckSpec::Admission { policy } if policy == name));
        let c = control(catalog, name, policy);
        if !named && catalog.control(&c.id).is_none() {
            out.entry(c.id.clone()).or_insert(c);
        }
    }
    out.into_values().collect()
}
