//! Network evidence: NetworkPolicy, Service, Ingress, and Istio security policies.

use super::{dig, string_map, strings};
use crate::evidence::error::EvidenceError;
use crate::evidence::read::{At, Cursor, Loc};

/// An egress `ipBlock` of a NetworkPolicy.
#[derive(Debug, Clone, PartialEq)]
pub struct IpBlock {
    /// `cidr`.
    pub cidr: String,
    /// `except`.
    pub except: Vec<String>,
    /// Where.
    pub loc: Loc,
}

/// A NetworkPolicy.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkPolicyFacts {
    /// `podSelector` selects every pod (`{}`).
    pub selects_all: bool,
    /// Effective policy types (as the API server defaults them).
    pub policy_types: Vec<String>,
    /// Number of ingress rules.
    pub ingress_rules: usize,
    /// Number of egress rules.
    pub egress_rules: usize,
    /// True when an egress rule has no `to` (allows every destination).
    pub egress_to_anywhere: Option<Loc>,
    /// Egress ipBlocks.
    pub egress_blocks: Vec<IpBlock>,
}

impl NetworkPolicyFacts {
    /// A namespace-wide default deny for `direction` (`Ingress` or `Egress`).
    pub fn denies_all(&self, direction: &str) -> bool {
        let rules = if direction == "Ingress" {
            self.ingress_rules
        } else {
            self.egress_rules
        };
        self.selects_all && self.policy_types.iter().any(|t| t == direction) && rules == 0
    }
}

/// Reads a NetworkPolicy.
pub fn read_network_policy(c: &Cursor<'_>) -> Result<NetworkPolicyFacts, EvidenceError> {
    let spec = c.field("spec")?;
    let Some(spec) = spec else {
        return Ok(NetworkPolicyFacts {
            selects_all: false,
            policy_types: Vec::new(),
            ingress_rules: 0,
            egress_rules: 0,
            egress_to_anywhere: None,
            egress_blocks: Vec::new(),
        });
    };
    let selects_all = match spec.field("podSelector")? {
        None => true,
        Some(sel) => sel.entries()?.iter().all(|(_, v)| {
            v.node().is_null()
                || matches!(&v.node().value, crate::evidence::Value::Map(m) if m.is_empty())
                || matches!(&v.node().value, crate::evidence::Value::Seq(s) if s.is_empty())
        }),
    };
    let ingress = spec
        .field("ingress")?
        .map(|i| i.items())
        .transpose()?
        .unwrap_or_default();
    let egress = spec
        .field("egress")?
        .map(|i| i.items())
        .transpose()?
        .unwrap_or_default();
    let mut policy_types: Vec<String> = strings(&spec, "policyTypes")?
        .into_iter()
        .map(|a| a.value)
        .collect();
    if spec.field("policyTypes")?.is_none() {
        policy_types.push("Ingress".to_owned());
        if spec.field("egress")?.is_some() {
            policy_types.push("Egress".to_owned());
        }
    }
    let mut egress_blocks = Vec::new();
    let mut egress_to_anywhere = None;
    for rule in &egress {
        let to = rule
            .field("to")?
            .map(|t| t.items())
            .transpose()?
            .unwrap_or_default();
        if to.is_empty() && egress_to_anywhere.is_none() {
            egress_to_anywhere = Some(rule.loc());
        }
        for peer in to {
            if let Some(block) = peer.field("ipBlock")? {
                egress_blocks.push(IpBlock {
                    cidr: block
                        .opt_string("cidr")?
                        .map(|c| c.value)
                        .unwrap_or_default(),
                    except: strings(&block, "except")?
                        .into_iter()
                        .map(|a| a.value)
                        .collect(),
                    loc: block.loc(),
                });
            }
        }
    }
    Ok(NetworkPolicyFacts {
        selects_all,
        policy_types,
        ingress_rules: ingress.len(),
        egress_rules: egress.len(),
        egress_to_anywhere,
        egress_blocks,
    })
}

/// A Service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceFacts {
    /// `spec.type` (`ClusterIP` when absent).
    pub service_type: At<String>,
    /// `spec.externalIPs`.
    pub external_ips: Vec<At<String>>,
}

/// Reads a Service.
pub fn read_service(c: &Cursor<'_>) -> Result<ServiceFacts, EvidenceError> {
    let spec = c.field("spec")?;
    let (service_type, external_ips) = match &spec {
        Some(s) => (
            s.opt_string("type")?.unwrap_or(At {
                value: "ClusterIP".to_owned(),
                loc: s.loc(),
            }),
            strings(s, "externalIPs")?,
        ),
        None => (
            At {
                value: "ClusterIP".to_owned(),
                loc: c.loc(),
            },
            Vec::new(),
        ),
    };
    Ok(ServiceFacts {
        service_type,
        external_ips,
    })
}

/// An Ingress.
#[derive(Debug, Clone, PartialEq)]
pub struct IngressFacts {
    /// Hosts covered by `spec.tls[].hosts`.
    pub tls_hosts: Vec<String>,
    /// Number of `spec.tls` entries.
    pub tls_entries: usize,
    /// `spec.rules[].host` (an empty host is a catch-all rule).
    pub rule_hosts: Vec<At<String>>,
    /// `metadata.annotations`.
    pub annotations: Vec<(String, At<String>)>,
}

/// Reads an Ingress.
pub fn read_ingress(c: &Cursor<'_>) -> Result<IngressFacts, EvidenceError> {
    let annotations = match c.field("metadata")? {
        Some(m) => string_map(&m, "annotations")?,
        None => Vec::new(),
    };
    let mut facts = IngressFacts {
        tls_hosts: Vec::new(),
        tls_entries: 0,
        rule_hosts: Vec::new(),
        annotations,
    };
    if let Some(spec) = c.field("spec")? {
        if let Some(tls) = spec.field("tls")? {
            for t in tls.items()? {
                facts.tls_entries += 1;
                facts
                    .tls_hosts
                    .extend(strings(&t, "hosts")?.into_iter().map(|a| a.value));
            }
        }
        if let Some(rules) = spec.field("rules")? {
            for r in rules.items()? {
                facts.rule_hosts.push(r.opt_string("host")?.unwrap_or(At {
                    value: String::new(),
                    loc: r.loc(),
                }));
            }
        }
    }
    Ok(facts)
}

/// An Istio PeerAuthentication.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerAuthenticationFacts {
    /// True when `spec.selector` narrows it to some workloads.
    pub has_selector: bool,
    /// `spec.mtls.mode`.
    pub mode: Option<At<String>>,
    /// `spec.portLevelMtls.*.mode`.
    pub port_modes: Vec<At<String>>,
}

/// Reads a PeerAuthentication.
pub fn read_peer_authentication(c: &Cursor<'_>) -> Result<PeerAuthenticationFacts, EvidenceError> {
    let spec = c.field("spec")?;
    let mut facts = PeerAuthenticationFacts {
        has_selector: false,
        mode: None,
        port_modes: Vec::new(),
    };
    if let Some(spec) = spec {
        facts.has_selector = spec.field("selector")?.is_some();
        facts.mode = dig(&spec, &["mtls", "mode"])?
            .map(|m| m.string())
            .transpose()?;
        if let Some(ports) = spec.field("portLevelMtls")? {
            for (_, p) in ports.entries()? {
                if let Some(m) = p.opt_string("mode")? {
                    facts.port_modes.push(m);
                }
            }
        }
    }
    Ok(facts)
}

/// An Istio AuthorizationPolicy.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorizationPolicyFacts {
    /// `spec.action` (`ALLOW` when absent).
    pub action: String,
    /// True when `spec.selector` narrows it.
    pub has_selector: bool,
    /// Number of rules (`None` when `rules` is absent).
    pub rules: Option<usize>,
    /// True when some rule is empty (`{}`), which matches every request.
    pub has_empty_rule: bool,
}

impl AuthorizationPolicyFacts {
    /// The allow-nothing default: an ALLOW policy with no rules.
    pub fn allows_nothing(&self) -> bool {
        self.action == "ALLOW" && self.rules.unwrap_or(0) == 0 && !self.has_empty_rule
    }

    /// An ALLOW policy with an empty rule, which allows everything it selects.
    pub fn allows_everything(&self) -> bool {
        self.action == "ALLOW" && self.has_empty_rule
    }
}

/// Reads an AuthorizationPolicy.
pub fn read_authorization_policy(
    c: &Cursor<'_>,
) -> Result<AuthorizationPolicyFacts, EvidenceError> {
    let mut facts = AuthorizationPolicyFacts {
        action: "ALLOW".to_owned(),
        has_selector: false,
        rules: None,
        has_empty_rule: false,
    };
    if let Some(spec) = c.field("spec")? {
        if let Some(a) = spec.opt_string("action")? {
            facts.action = a.value;
        }
        facts.has_selector = spec.field("selector")?.is_some();
        if let Some(rules) = spec.field("rules")? {
            let items = rules.items()?;
            facts.has_empty_rule = items
                .iter()
                .any(|r| r.entries().map(|e| e.is_empty()).unwrap_or(false));
            facts.rules = Some(items.len());
        }
    }
    Ok(facts)
}
