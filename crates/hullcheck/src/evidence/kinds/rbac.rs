//! RBAC: Roles, ClusterRoles, their bindings, and ServiceAccounts.

use super::strings;
use crate::evidence::error::EvidenceError;
use crate::evidence::read::{At, Cursor, Loc};

/// One policy rule of a Role or ClusterRole.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// `apiGroups`.
    pub api_groups: Vec<String>,
    /// `resources`.
    pub resources: Vec<String>,
    /// `verbs`.
    pub verbs: Vec<String>,
    /// `nonResourceURLs`.
    pub non_resource_urls: Vec<String>,
    /// `resourceNames`: when set, the rule grants only requests naming one of them, so never
    /// `create` or `deletecollection` (whose requests carry no name).
    pub resource_names: Vec<String>,
    /// Where the rule is.
    pub loc: Loc,
}

impl Rule {
    /// True when the rule grants `verb` on `resource` (`name` or `name/subresource`) in API
    /// group `group`, as the RBAC authorizer matches rules: `*` matches any group, verb or
    /// resource (subresources included), `*/sub` matches subresource `sub` of any resource, and
    /// `pods` alone does not match `pods/exec`.
    pub fn grants(&self, group: &str, resource: &str, verb: &str) -> bool {
        let any = |list: &[String], v: &str| list.iter().any(|x| x == "*" || x == v);
        any(&self.api_groups, group)
            && any(&self.verbs, verb)
            && self.matches_resource(resource)
            && self.names_allow(verb)
    }

    /// False when `resourceNames` restricts the rule and `verb`'s requests carry no name.
    fn names_allow(&self, verb: &str) -> bool {
        self.resource_names.is_empty() || !matches!(verb, "create" | "deletecollection")
    }

    /// True when the rule's resources match `resource` as the RBAC authorizer matches them.
    pub fn matches_resource(&self, resource: &str) -> bool {
        let sub = resource.split_once('/').map(|(_, s)| s);
        self.resources.iter().any(|r| {
            r == "*" || r == resource || sub.is_some_and(|s| r.strip_prefix("*/") == Some(s))
        })
    }

    /// True when the rule grants `verb` in `group` on any resource whose name starts with
    /// `prefix` (`userextras/` for every user extra).
    pub fn grants_prefix(&self, group: &str, prefix: &str, verb: &str) -> bool {
        let any = |list: &[String], v: &str| list.iter().any(|x| x == "*" || x == v);
        any(&self.api_groups, group)
            && any(&self.verbs, verb)
            && self.names_allow(verb)
            && self
                .resources
                .iter()
                .any(|r| r == "*" || r.starts_with(prefix) || r.starts_with("*/"))
    }
}

/// One requirement of a label selector's `matchExpressions`.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectorRequirement {
    /// The label key.
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    pub operator: String,
    /// The values.
    pub values: Vec<String>,
}

/// A label selector (`matchLabels` and `matchExpressions`, all of which must hold).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelSelector {
    /// `matchLabels`.
    pub match_labels: Vec<(String, String)>,
    /// `matchExpressions`.
    pub match_expressions: Vec<SelectorRequirement>,
}

impl LabelSelector {
    /// True when `labels` satisfy the selector. An empty selector matches everything, as the
    /// Kubernetes label-selector conversion makes it (an aggregation selector of `{}` selects
    /// every ClusterRole).
    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let get = |k: &str| labels.iter().find(|(l, _)| l == k).map(|(_, v)| v.as_str());
        self.match_labels
            .iter()
            .all(|(k, v)| get(k) == Some(v.as_str()))
            && self
                .match_expressions
                .iter()
                .all(|e| match e.operator.as_str() {
                    "In" => get(&e.key).is_some_and(|v| e.values.iter().any(|x| x == v)),
                    "NotIn" => get(&e.key).is_none_or(|v| !e.values.iter().any(|x| x == v)),
                    "Exists" => get(&e.key).is_some(),
                    "DoesNotExist" => get(&e.key).is_none(),
                    _ => false,
                })
    }
}

/// Reads a label selector.
pub fn read_selector(c: &Cursor<'_>) -> Result<LabelSelector, EvidenceError> {
    let mut sel = LabelSelector::default();
    if let Some(m) = c.field("matchLabels")? {
        for (k, v) in m.entries()? {
            sel.match_labels.push((k.to_owned(), v.string()?.value));
        }
    }
    if let Some(list) = c.field("matchExpressions")? {
        for e in list.items()? {
            sel.match_expressions.push(SelectorRequirement {
                key: e.opt_string("key")?.map(|k| k.value).unwrap_or_default(),
                operator: e
                    .opt_string("operator")?
                    .map(|k| k.value)
                    .unwrap_or_default(),
                values: plain(e.string_list("values")?),
            });
        }
    }
    Ok(sel)
}

/// A Role or ClusterRole.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleFacts {
    /// True for a ClusterRole.
    pub cluster: bool,
    /// The role's name.
    pub name: String,
    /// True when rules are aggregated from other roles.
    pub aggregated: bool,
    /// `aggregationRule.clusterRoleSelectors`: the ClusterRoles whose rules it gathers.
    pub aggregation: Vec<LabelSelector>,
    /// Where `aggregationRule` is.
    pub aggregation_loc: Option<Loc>,
    /// `metadata.labels`.
    pub labels: Vec<(String, String)>,
    /// The rules.
    pub rules: Vec<Rule>,
}

impl RoleFacts {
    /// True for Kubernetes' own bootstrap roles: the label `kubernetes.io/bootstrapping:
    /// rbac-defaults`, which the API server sets on the roles it creates. A name proves
    /// nothing: a manifest's author chooses it.
    pub fn is_bootstrap(&self) -> bool {
        self.labels
            .iter()
            .any(|(k, v)| k == "kubernetes.io/bootstrapping" && v == "rbac-defaults")
    }
}

/// A subject of a binding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BindingSubject {
    /// `User`, `Group` or `ServiceAccount`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Namespace (service accounts).
    pub namespace: Option<String>,
}

impl std::fmt::Display for BindingSubject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{}:{}/{}", self.kind, ns, self.name),
            None => write!(f, "{}:{}", self.kind, self.name),
        }
    }
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone, PartialEq)]
pub struct BindingFacts {
    /// True for a ClusterRoleBinding.
    pub cluster: bool,
    /// `roleRef.kind`.
    pub role_kind: String,
    /// `roleRef.name`.
    pub role_name: At<String>,
    /// The subjects.
    pub subjects: Vec<BindingSubject>,
    /// Kubernetes' own bootstrap binding (label `kubernetes.io/bootstrapping: rbac-defaults`).
    pub bootstrap: bool,
    /// Where `subjects` is.
    pub subjects_loc: Option<Loc>,
}

/// A ServiceAccount.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceAccountFacts {
    /// `automountServiceAccountToken`.
    pub automount: Option<At<bool>>,
}

fn plain(list: Vec<At<String>>) -> Vec<String> {
    list.into_iter().map(|a| a.value).collect()
}

/// Reads a Role or ClusterRole.
pub fn read_role(c: &Cursor<'_>, cluster: bool, name: String) -> Result<RoleFacts, EvidenceError> {
    let mut rules = Vec::new();
    if let Some(list) = c.field("rules")? {
        for r in list.items()? {
            rules.push(Rule {
                api_groups: plain(strings(&r, "apiGroups")?),
                resources: plain(strings(&r, "resources")?),
                verbs: plain(strings(&r, "verbs")?),
                non_resource_urls: plain(strings(&r, "nonResourceURLs")?),
                resource_names: plain(strings(&r, "resourceNames")?),
                loc: r.loc(),
            });
        }
    }
    let aggregation_rule = c.field("aggregationRule")?;
    let mut aggregation = Vec::new();
    if let Some(a) = &aggregation_rule {
        if let Some(list) = a.field("clusterRoleSelectors")? {
            for s in list.items()? {
                aggregation.push(read_selector(&s)?);
            }
        }
    }
    let mut labels = Vec::new();
    if let Some(meta) = c.field("metadata")? {
        if let Some(l) = meta.field("labels")? {
            for (k, v) in l.entries()? {
                labels.push((k.to_owned(), v.string()?.value));
            }
        }
    }
    Ok(RoleFacts {
        cluster,
        name,
        aggregated: aggregation_rule.is_some(),
        aggregation_loc: aggregation_rule.as_ref().map(Cursor::loc),
        aggregation,
        labels,
        rules,
    })
}

/// Reads a RoleBinding or ClusterRoleBinding.
pub fn read_binding(
    c: &Cursor<'_>,
    cluster: bool,
    namespace: Option<&str>,
) -> Result<BindingFacts, EvidenceError> {
    let role_ref = c.field("roleRef")?;
    let (role_kind, role_name) = match &role_ref {
        Some(r) => (
            r.opt_string("kind")?.map(|k| k.value).unwrap_or_default(),
            r.opt_string("name")?.unwrap_or(At {
                value: String::new(),
                loc: r.loc(),
            }),
        ),
        None => {
            return Err(EvidenceError::MissingField {
                line: c.node().line,
                path: format!("{}/roleRef", c.path()),
            })
        }
    };
    let mut subjects = Vec::new();
    let subjects_loc = c.field("subjects")?.map(|s| s.loc());
    let bootstrap = match c.field("metadata")? {
        Some(m) => match m.field("labels")? {
            Some(l) => l
                .opt_string("kubernetes.io/bootstrapping")?
                .is_some_and(|v| v.value == "rbac-defaults"),
            None => false,
        },
        None => false,
    };
    if let Some(list) = c.field("subjects")? {
        for s in list.items()? {
            let kind = s.opt_string("kind")?.map(|k| k.value).unwrap_or_default();
            let ns = s.opt_string("namespace")?.map(|n| n.value);
            subjects.push(BindingSubject {
                namespace: if kind == "ServiceAccount" {
                    ns.or_else(|| namespace.map(str::to_owned))
                } else {
                    ns
                },
                kind,
                name: s.opt_string("name")?.map(|n| n.value).unwrap_or_default(),
            });
        }
    }
    Ok(BindingFacts {
        cluster,
        role_kind,
        role_name,
        subjects,
        bootstrap,
        subjects_loc,
    })
}

/// Reads a ServiceAccount.
pub fn read_service_account(c: &Cursor<'_>) -> Result<ServiceAccountFacts, EvidenceError> {
    Ok(ServiceAccountFacts {
        automount: c.opt_bool("automountServiceAccountToken")?,
    })
}
