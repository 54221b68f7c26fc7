//! CNI network policies that can make a namespace default-deny: Cilium's
//! CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (`cilium.io/v2`), and Calico's
//! NetworkPolicy and GlobalNetworkPolicy (`projectcalico.org/v3`, or the
//! `crd.projectcalico.org/v1` form they are stored as).
//!
//! Only what decides "selects every pod of a namespace and allows nothing" is read, by each
//! project's documented semantics:
//! - Cilium: a rule whose `endpointSelector` is empty (for a clusterwide policy, or one that
//!   matches only on the namespace label) puts its endpoints into default deny for a direction
//!   when it has an `ingress`/`ingressDeny` (`egress`/`egressDeny`) section and
//!   `enableDefaultDeny` does not turn that off; it allows nothing when every item of that
//!   section has no peer or port field (`ingress: [{}]`). `nodeSelector` rules select nodes.
//! - Calico: `selector` empty or `all()` (and no narrower `serviceAccountSelector`), the
//!   direction in `types` (defaulted from the rules when absent), every rule `Deny` or `Log`
//!   (an `Allow` or `Pass` may let traffic through), no `doNotTrack` or `preDNAT`, and the
//!   `default` tier (whose default action is Deny).

use std::collections::BTreeSet;

use crate::evidence::error::EvidenceError;
use crate::evidence::node::Value;
use crate::evidence::read::Cursor;

/// The namespaces a policy covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The policy's own namespace (a namespaced policy selecting every pod).
    Own,
    /// Every namespace (a clusterwide policy selecting every endpoint).
    All,
    /// These namespaces only.
    Only(BTreeSet<String>),
    /// Every namespace but these.
    Except(BTreeSet<String>),
}

impl Scope {
    /// True when the policy, in namespace `own`, covers namespace `ns`.
    pub fn covers(&self, own: &str, ns: &str) -> bool {
        match self {
            Self::Own => own == ns,
            Self::All => true,
            Self::Only(s) => s.contains(ns),
            Self::Except(s) => !s.contains(ns),
        }
    }
}

/// One rule of a CNI policy that selects every pod of some namespaces and allows nothing in
/// at least one direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DenyRule {
    /// The namespaces whose every pod it selects.
    pub scope: Scope,
    /// It denies all ingress by default and allows none.
    pub ingress: bool,
    /// It denies all egress by default and allows none.
    pub egress: bool,
}

/// What a CNI policy does for default deny.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CniPolicyFacts {
    /// `cilium` or `calico`.
    pub engine: &'static str,
    /// Its default-deny rules (empty when it is none).
    pub rules: Vec<DenyRule>,
}

impl CniPolicyFacts {
    /// True when the policy, in namespace `own`, makes namespace `ns` default-deny for
    /// `direction`.
    pub fn denies_all(&self, own: &str, ns: &str, direction: &str) -> bool {
        self.rules.iter().any(|r| {
            (if direction == "Ingress" {
                r.ingress
            } else {
                r.egress
            }) && r.scope.covers(own, ns)
        })
    }
}

const CILIUM_INGRESS_GRANTS: &[&str] = &[
    "fromEndpoints",
    "fromCIDR",
    "fromCIDRSet",
    "fromEntities",
    "fromNodes",
    "fromGroups",
    "fromRequires",
    "toPorts",
    "icmps",
    "authentication",
];
const CILIUM_EGRESS_GRANTS: &[&str] = &[
    "toEndpoints",
    "toCIDR",
    "toCIDRSet",
    "toEntities",
    "toNodes",
    "toGroups",
    "toServices",
    "toFQDNs",
    "toRequires",
    "toPorts",
    "icmps",
    "authentication",
];
const NAMESPACE_LABELS: &[&str] = &[
    "k8s:io.kubernetes.pod.namespace",
    "io.kubernetes.pod.namespace",
];

/// Reads a CiliumNetworkPolicy (`clusterwide` false) or a CiliumClusterwideNetworkPolicy.
pub fn read_cilium(c: &Cursor<'_>, clusterwide: bool) -> Result<CniPolicyFacts, EvidenceError> {
    let mut rules = Vec::new();
    if let Some(spec) = c.field("spec")? {
        rules.push(spec);
    }
    if let Some(specs) = c.field("specs")? {
        rules.extend(specs.items()?);
    }
    let mut facts = CniPolicyFacts {
        engine: "cilium",
        rules: Vec::new(),
    };
    for rule in rules {
        rule.expect_map()?;
        let Some(scope) = cilium_scope(&rule, clusterwide)? else {
            continue;
        };
        let ingress = cilium_direction(&rule, "ingress", "ingressDeny", CILIUM_INGRESS_GRANTS)?;
        let egress = cilium_direction(&rule, "egress", "egressDeny", CILIUM_EGRESS_GRANTS)?;
        if ingress || egress {
            facts.rules.push(DenyRule {
                scope,
                ingress,
                egress,
            });
        }
    }
    Ok(facts)
}

/// The namespaces a Cilium rule selects every endpoint of, if it does.
fn cilium_scope(rule: &Cursor<'_>, clusterwide: bool) -> Result<Option<Scope>, EvidenceError> {
    let Some(sel) = rule.field("endpointSelector")? else {
        return Ok(None);
    };
    let labels = match sel.field("matchLabels")? {
        Some(m) => m.entries()?,
        None => Vec::new(),
    };
    let exprs = match sel.field("matchExpressions")? {
        Some(e) => e.items()?,
        None => Vec::new(),
    };
    if !clusterwide {
        // A namespaced policy is scoped to its own namespace whatever it names.
        let all = labels.iter().all(|(k, _)| NAMESPACE_LABELS.contains(k)) && exprs.is_empty();
        return Ok(all.then_some(Scope::Own));
    }
    let mut scope = Scope::All;
    for (k, v) in &labels {
        if !NAMESPACE_LABELS.contains(k) {
            return Ok(None);
        }
        scope = narrow(scope, Scope::Only([v.string()?.value].into()));
    }
    for e in &exprs {
        let key = e.opt_string("key")?.map(|k| k.value).unwrap_or_default();
        if !NAMESPACE_LABELS.contains(&key.as_str()) {
            return Ok(None);
        }
        let values: BTreeSet<String> = e
            .string_list("values")?
            .into_iter()
            .map(|v| v.value)
            .collect();
        let op = e
            .opt_string("operator")?
            .map(|o| o.value)
            .unwrap_or_default();
        scope = match op.as_str() {
            "In" => narrow(scope, Scope::Only(values)),
            "NotIn" => narrow(scope, Scope::Except(values)),
            _ => return Ok(None),
        };
    }
    Ok(Some(scope))
}

/// True when a Cilium rule puts its endpoints into default deny for one direction and its
/// allow section for that direction grants nothing.
fn cilium_direction(
    rule: &Cursor<'_>,
    allow: &str,
    deny: &str,
    grants: &[&str],
) -> Result<bool, EvidenceError> {
    let allows = rule
        .field(allow)?
        .map(|a| a.items())
        .transpose()?
        .unwrap_or_default();
    let denies = rule
        .field(deny)?
        .map(|d| d.items())
        .transpose()?
        .unwrap_or_default();
    if allows.is_empty() && denies.is_empty() {
        return Ok(false);
    }
    let key = if allow == "ingress" {
        "ingress"
    } else {
        "egress"
    };
    let switched_off = rule
        .field("enableDefaultDeny")?
        .map(|e| e.opt_bool(key))
        .transpose()?
        .flatten()
        .is_some_and(|b| !b.value);
    if switched_off {
        return Ok(false);
    }
    for item in &allows {
        if let Value::Map(entries) = &item.node().value {
            if entries
                .iter()
                .any(|(k, v)| grants.contains(&k.as_str()) && !v.is_null())
            {
                return Ok(false);
            }
        } else {
            item.expect_map()?;
        }
    }
    Ok(true)
}

/// Reads a Calico NetworkPolicy (`global` false) or GlobalNetworkPolicy.
pub fn read_calico(c: &Cursor<'_>, global: bool) -> Result<CniPolicyFacts, EvidenceError> {
    let mut facts = CniPolicyFacts {
        engine: "calico",
        rules: Vec::new(),
    };
    let Some(spec) = c.field("spec")? else {
        return Ok(facts);
    };
    let selects_all = |key: &str| -> Result<bool, EvidenceError> {
        Ok(spec
            .opt_string(key)?
            .is_none_or(|s| matches!(s.value.trim(), "" | "all()")))
    };
    let tier = spec.opt_string("tier")?.map(|t| t.value);
    let untracked = spec.opt_bool("doNotTrack")?.is_some_and(|b| b.value)
        || spec.opt_bool("preDNAT")?.is_some_and(|b| b.value);
    let selected_ns = if global {
        calico_global_scope(&spec)?
    } else if selects_all("selector")? {
        Some(Scope::Own)
    } else {
        None
    };
    if untracked
        || !selects_all("serviceAccountSelector")?
        || tier.as_deref().is_some_and(|t| t != "default")
    {
        return Ok(facts);
    }
    let ingress = spec
        .field("ingress")?
        .map(|r| r.items())
        .transpose()?
        .unwrap_or_default();
    let egress = spec
        .field("egress")?
        .map(|r| r.items())
        .transpose()?
        .unwrap_or_default();
    let types: Vec<String> = match spec.field("types")? {
        Some(_) => spec
            .string_list("types")?
            .into_iter()
            .map(|t| t.value)
            .collect(),
        None => {
            let mut t = Vec::new();
            if !ingress.is_empty() || egress.is_empty() {
                t.push("Ingress".to_owned());
            }
            if !egress.is_empty() {
                t.push("Egress".to_owned());
            }
            t
        }
    };
    let denies = |rules: &[Cursor<'_>]| -> Result<bool, EvidenceError> {
        for r in rules {
            let action = r.opt_string("action")?.map(|a| a.value).unwrap_or_default();
            if !matches!(action.as_str(), "Deny" | "Log") {
                return Ok(false);
            }
        }
        Ok(true)
    };
    let ingress = types.iter().any(|t| t == "Ingress") && denies(&ingress)?;
    let egress = types.iter().any(|t| t == "Egress") && denies(&egress)?;
    if let Some(scope) = selected_ns.filter(|_| ingress || egress) {
        facts.rules.push(DenyRule {
            scope,
            ingress,
            egress,
        });
    }
    Ok(facts)
}

/// The namespaces a GlobalNetworkPolicy selects every pod of: `namespaceSelector` absent or
/// `all()`, or `projectcalico.org/name == "X"`; a `selector` that is `all()` or
/// `projectcalico.org/namespace == "X"`.
fn calico_global_scope(spec: &Cursor<'_>) -> Result<Option<Scope>, EvidenceError> {
    let one = |expr: &str, label: &str| -> Option<Option<Scope>> {
        let e = expr.trim();
        if e.is_empty() || e == "all()" {
            return Some(Some(Scope::All));
        }
        let rest = e
            .strip_prefix(label)?
            .trim_start()
            .strip_prefix("==")?
            .trim();
        let name = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .or_else(|| rest.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))?;
        Some(Some(Scope::Only([name.to_owned()].into())))
    };
    let ns = spec
        .opt_string("namespaceSelector")?
        .map(|s| s.value)
        .unwrap_or_default();
    let sel = spec
        .opt_string("selector")?
        .map(|s| s.value)
        .unwrap_or_default();
    let (Some(a), Some(b)) = (
        one(&ns, "projectcalico.org/name"),
        one(&sel, "projectcalico.org/namespace"),
    ) else {
        return Ok(None);
    };
    Ok(match (a, b) {
        (Some(a), Some(b)) => Some(narrow(a, b)),
        _ => None,
    })
}

/// The namespaces both scopes cover.
fn narrow(a: Scope, b: Scope) -> Scope {
    match (a, b) {
        (Scope::All, s) | (s, Scope::All) => s,
        (Scope::Own, _) | (_, Scope::Own) => Scope::Own,
        (Scope::Only(x), Scope::Only(y)) => Scope::Only(x.intersection(&y).cloned().collect()),
        (Scope::Only(x), Scope::Except(y)) | (Scope::Except(y), Scope::Only(x)) => {
            Scope::Only(x.difference(&y).cloned().collect())
        }
        (Scope::Except(x), Scope::Except(y)) => Scope::Except(x.union(&y).cloned().collect()),
    }
}
