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
    /// Where the rule is.
    pub loc: Loc,
}

impl Rule {
    /// True when the rule grants `verb` on `resource` in the core or any group.
    pub fn grants(&self, group: &str, resource: &str, verb: &str) -> bool {
        let any = |list: &[String], v: &str| list.iter().any(|x| x == "*" || x == v);
        any(&self.api_groups, group) && any(&self.resources, resource) && any(&self.verbs, verb)
    }
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
    /// The rules.
    pub rules: Vec<Rule>,
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
                loc: r.loc(),
            });
        }
    }
    Ok(RoleFacts {
        cluster,
        name,
        aggregated: c.field("aggregationRule")?.is_some(),
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
    })
}

/// Reads a ServiceAccount.
pub fn read_service_account(c: &Cursor<'_>) -> Result<ServiceAccountFacts, EvidenceError> {
    Ok(ServiceAccountFacts {
        automount: c.opt_bool("automountServiceAccountToken")?,
    })
}
