//! Whether an admission request for creating an evidence object matches a policy's
//! `matchConstraints` or a binding's `matchResources`, as the API server decides it.

use super::model::{MatchResources, ResourceRule};
use crate::eval::cel::object::{namespace_named, Admitted};
use crate::eval::cel::selector;
use crate::eval::EvidenceSet;

/// Kinds the API server serves cluster-scoped (the built-in ones hullcheck knows).
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "StorageClass",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "PriorityClass",
    "RuntimeClass",
    "IngressClass",
    "CustomResourceDefinition",
    "APIService",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "CertificateSigningRequest",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "ClusterIssuer",
    "ClusterPolicy",
    "ClusterRoleTemplate",
];

/// Groups that serve the same resources under the matchPolicy `Equivalent`.
const EQUIVALENT_GROUPS: &[(&str, &[&str])] = &[
    ("extensions", &["apps", "networking.k8s.io", "policy"]),
    ("apps", &["extensions"]),
    ("networking.k8s.io", &["extensions"]),
    ("policy", &["extensions"]),
];

/// True when the object's kind is cluster-scoped.
pub fn cluster_scoped(o: &Admitted<'_>) -> bool {
    CLUSTER_SCOPED.contains(&o.kind())
}

/// The namespace a namespaced object is created in (`default` when unset, as `kubectl
/// apply` places it).
pub fn namespace<'a>(o: &Admitted<'a>) -> Option<&'a str> {
    if cluster_scoped(o) {
        None
    } else {
        Some(o.namespace().unwrap_or("default"))
    }
}

/// Whether a request matches: yes, no, or unknown (the reason), which the caller must
/// report as an error rather than skip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// It matches.
    Yes,
    /// It does not.
    No,
    /// The evidence does not say: the namespace to test a selector on is missing, say.
    Unknown(String),
}

fn any(list: &[String], x: &str) -> bool {
    list.iter().any(|v| v == "*" || v == x)
}

fn rule_matches(rule: &ResourceRule, o: &Admitted<'_>, equivalent: bool) -> bool {
    if !rule.operations.is_empty() && !any(&rule.operations, "CREATE") {
        return false;
    }
    let resource = o.resource();
    // `*` is every resource, `*/*` every resource and subresource; `pods/status` names a
    // subresource, which creating a pod is not a request for.
    let resource_ok = rule
        .resources
        .iter()
        .any(|r| r == "*" || r == "*/*" || *r == resource);
    if !resource_ok {
        return false;
    }
    let group_ok = any(&rule.api_groups, o.group())
        || (equivalent
            && EQUIVALENT_GROUPS.iter().any(|(g, others)| {
                *g == o.group() && others.iter().any(|x| any(&rule.api_groups, x))
            }));
    if !group_ok {
        return false;
    }
    if !equivalent && !any(&rule.api_versions, o.version()) {
        return false;
    }
    if !rule.resource_names.is_empty() && !o.name().is_some_and(|n| any(&rule.resource_names, n)) {
        return false;
    }
    match rule.scope.as_deref() {
        Some("Cluster") => cluster_scoped(o),
        Some("Namespaced") => !cluster_scoped(o),
        _ => true,
    }
}

/// Matches a request against `matchConstraints` or `matchResources`.
pub fn matches(m: &MatchResources, o: &Admitted<'_>, set: &EvidenceSet) -> Match {
    let equivalent = m.match_policy.as_deref() != Some("Exact");
    if !m
        .resource_rules
        .iter()
        .any(|r| rule_matches(r, o, equivalent))
    {
        return Match::No;
    }
    if m.exclude_resource_rules
        .iter()
        .any(|r| rule_matches(r, o, equivalent))
    {
        return Match::No;
    }
    if let Some(sel) = &m.object_selector {
        if !selector::matches(sel, &selector::labels(o.object)) {
            return Match::No;
        }
    }
    if let Some(sel) = &m.namespace_selector {
        let empty = sel.match_labels.is_empty() && sel.match_expressions.is_empty();
        if o.kind() == "Namespace" && o.group().is_empty() {
            if !selector::matches(sel, &selector::labels(o.object)) {
                return Match::No;
            }
        } else if let (Some(ns), false) = (namespace(o), empty) {
            match namespace_named(set, ns) {
                Some(nsobj) => {
                    let mut labels = selector::labels(nsobj);
                    // The API server sets this label on every namespace.
                    if !labels
                        .iter()
                        .any(|(k, _)| *k == "kubernetes.io/metadata.name")
                    {
                        labels.push(("kubernetes.io/metadata.name", ns));
                    }
                    if !selector::matches(sel, &labels) {
                        return Match::No;
                    }
                }
                None => {
                    let only_name = [("kubernetes.io/metadata.name", ns)];
                    // A selector on the namespace's name alone is decidable without it.
                    let names_only = sel
                        .match_labels
                        .keys()
                        .all(|k| k == "kubernetes.io/metadata.name")
                        && sel
                            .match_expressions
                            .iter()
                            .all(|r| r.key == "kubernetes.io/metadata.name");
                    if names_only {
                        if !selector::matches(sel, &only_name) {
                            return Match::No;
                        }
                    } else {
                        return Match::Unknown(format!(
                            "namespace `{ns}` is not in the evidence, so its labels cannot be matched against the namespaceSelector"
                        ));
                    }
                }
            }
        }
    }
    Match::Yes
}
