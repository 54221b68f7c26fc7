//! ValidatingAdmissionPolicies found in the evidence, evaluated offline against the
//! evidence's objects as the API server would admit them: each policy is a control
//! `vap:<name>` ([`controls`]), matched per binding ([`matching`]) with its parameters
//! resolved from the evidence ([`params`]), and judged by its CEL rule ([`run`]).

pub mod controls;
pub mod matching;
pub mod model;
pub mod params;
pub mod run;

use crate::evidence::node::Node;
use crate::evidence::Item;

/// The API group of admission policies.
pub const GROUP: &str = "admissionregistration.k8s.io";

/// The prefix of a policy's control ID.
pub const PREFIX: &str = "vap:";

/// True when the item is an object of this kind in the admission group (any version).
pub fn is(item: &Item, kind: &str) -> bool {
    &*item.origin.kind == kind
        && item
            .origin
            .api_version
            .split_once('/')
            .is_some_and(|(g, _)| g == GROUP)
}

/// The policies of the evidence: item and object, in evidence order.
pub fn policies(items: &[Item]) -> impl Iterator<Item = (&Item, &Node)> {
    items
        .iter()
        .filter(|i| is(i, "ValidatingAdmissionPolicy"))
        .filter_map(|i| Some((i, i.origin.object()?)))
}

/// Reads an object's `spec` into a typed spec, the error naming the field's path.
pub fn spec<T: serde::de::DeserializeOwned + Default>(object: &Node) -> Result<T, String> {
    let Some(spec) = object.get("spec") else {
        return Ok(T::default());
    };
    let json = spec.to_json();
    serde_path_to_error::deserialize(json).map_err(|e| {
        let path = e.path().to_string();
        format!("`spec.{path}`: {}", e.into_inner())
    })
}
