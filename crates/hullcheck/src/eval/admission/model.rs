//! `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy and
//! ValidatingAdmissionPolicyBinding, the fields hullcheck evaluates. Unknown fields are kept
//! out of the types and ignored, as the API server's decoder would keep them out of the
//! object.

use serde::Deserialize;

use crate::catalog::model::LabelSelector;

/// A ValidatingAdmissionPolicy's `spec`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySpec {
    /// The kind of the parameter objects.
    #[serde(default)]
    pub param_kind: Option<ParamKind>,
    /// Which requests the policy applies to.
    #[serde(default)]
    pub match_constraints: Option<MatchResources>,
    /// The validations.
    #[serde(default)]
    pub validations: Vec<Validation>,
    /// `Fail` (the default) or `Ignore`.
    #[serde(default)]
    pub failure_policy: Option<String>,
    /// Conditions a request must meet.
    #[serde(default)]
    pub match_conditions: Vec<NamedExpression>,
    /// Variables.
    #[serde(default)]
    pub variables: Vec<NamedExpression>,
}

/// `paramKind`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamKind {
    /// `group/version` of the parameter objects.
    #[serde(default)]
    pub api_version: String,
    /// Their kind.
    #[serde(default)]
    pub kind: String,
}

/// `matchConstraints` and a binding's `matchResources`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchResources {
    /// Selects namespaces by their labels.
    #[serde(default)]
    pub namespace_selector: Option<LabelSelector>,
    /// Selects objects by their labels.
    #[serde(default)]
    pub object_selector: Option<LabelSelector>,
    /// Rules a request must match.
    #[serde(default)]
    pub resource_rules: Vec<ResourceRule>,
    /// Rules that exclude a request.
    #[serde(default)]
    pub exclude_resource_rules: Vec<ResourceRule>,
    /// `Equivalent` (the default) or `Exact`.
    #[serde(default)]
    pub match_policy: Option<String>,
}

/// `NamedRuleWithOperations`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRule {
    /// Object names (empty: any).
    #[serde(default)]
    pub resource_names: Vec<String>,
    /// Operations (`CREATE`, `UPDATE`, `DELETE`, `CONNECT`, `*`).
    #[serde(default)]
    pub operations: Vec<String>,
    /// API groups.
    #[serde(default)]
    pub api_groups: Vec<String>,
    /// API versions.
    #[serde(default)]
    pub api_versions: Vec<String>,
    /// Resources (`pods`, `*`, `pods/status`, `*/*`).
    #[serde(default)]
    pub resources: Vec<String>,
    /// `Cluster`, `Namespaced` or `*` (the default).
    #[serde(default)]
    pub scope: Option<String>,
}

/// A named expression (`matchConditions`, `variables`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedExpression {
    /// The name.
    #[serde(default)]
    pub name: String,
    /// The expression.
    #[serde(default)]
    pub expression: String,
}

/// A validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Validation {
    /// The expression.
    #[serde(default)]
    pub expression: String,
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
    /// The message expression.
    #[serde(default)]
    pub message_expression: Option<String>,
    /// The reason.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A ValidatingAdmissionPolicyBinding's `spec`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BindingSpec {
    /// The policy bound.
    #[serde(default)]
    pub policy_name: String,
    /// Where the parameters come from.
    #[serde(default)]
    pub param_ref: Option<ParamRef>,
    /// Further limits on the requests.
    #[serde(default)]
    pub match_resources: Option<MatchResources>,
    /// `Deny`, `Warn`, `Audit`.
    #[serde(default)]
    pub validation_actions: Vec<String>,
}

/// `paramRef`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamRef {
    /// One parameter object by name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Parameter objects by label.
    #[serde(default)]
    pub selector: Option<LabelSelector>,
    /// `Allow` or `Deny` (the default) when no parameter object is found.
    #[serde(default)]
    pub parameter_not_found_action: Option<String>,
}
