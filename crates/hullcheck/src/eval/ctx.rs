//! What a check sees: the evidence set indexed by kind, parameters, time, and the helpers that
//! turn facts into located findings.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::catalog::Control;
use crate::evidence::{Evidence, EvidenceKind, Item, Loc, PodFacts};
use crate::report::{Location, Status, Subject};

/// All evidence of one evaluation, indexed by kind, in deterministic order.
#[derive(Debug, Default)]
pub struct EvidenceSet {
    items: Vec<Item>,
    by_kind: BTreeMap<EvidenceKind, Vec<usize>>,
    namespaces: std::sync::OnceLock<Vec<(Arc<str>, usize)>>,
}

impl EvidenceSet {
    /// Indexes items (kept in the order given).
    pub fn new(items: Vec<Item>) -> Self {
        let mut by_kind: BTreeMap<EvidenceKind, Vec<usize>> = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            by_kind.entry(item.evidence.kind()).or_default().push(i);
        }
        Self {
            items,
            by_kind,
            namespaces: std::sync::OnceLock::new(),
        }
    }

    /// Namespace names with the index of their item, sorted by name (the first of a name
    /// wins), built on first use.
    pub fn namespace_index(&self) -> &[(Arc<str>, usize)] {
        self.namespaces.get_or_init(|| {
            let mut index: Vec<(Arc<str>, usize)> = self
                .by_kind
                .get(&EvidenceKind::Namespace)
                .into_iter()
                .flatten()
                .filter_map(|i| Some((self.items.get(*i)?.origin.name.clone()?, *i)))
                .collect();
            // Stable: the first of two Namespaces of one name stays first, as `find` kept it.
            index.sort_by(|a, b| a.0.cmp(&b.0));
            index.dedup_by(|a, b| a.0 == b.0);
            index
        })
    }

    /// Items of one kind (valid or not).
    pub fn of(&self, kind: EvidenceKind) -> impl Iterator<Item = &Item> + '_ {
        self.by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .filter_map(|i| self.items.get(*i))
    }

    /// True when no item of the kind was read.
    pub fn none(&self, kind: EvidenceKind) -> bool {
        self.by_kind.get(&kind).is_none_or(|v| v.is_empty())
    }

    /// Valid workloads with their pod facts.
    pub fn workloads(&self) -> impl Iterator<Item = (&Item, &PodFacts)> + '_ {
        self.of(EvidenceKind::Workload)
            .filter_map(|i| match &i.evidence {
                Evidence::Workload(p) => Some((i, p.as_ref())),
                _ => None,
            })
    }

    /// Every item.
    pub fn items(&self) -> &[Item] {
        &self.items
    }
}

/// Typed access to parameter values.
#[derive(Debug, Clone, Default)]
pub struct Params(pub BTreeMap<String, serde_json::Value>);

impl Params {
    /// A string parameter.
    pub fn string(&self, name: &str) -> String {
        self.0
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    }

    /// The CIS Kubernetes Benchmark version to judge by: `cis.version`, or for `auto` the one
    /// for `kubernetes.target_version` (kube-bench's mapping, the newer benchmark where CIS's
    /// ranges overlap): 1.28 and earlier → 1.10, 1.29–1.31 → 1.11, 1.32–1.33 → 1.12, 1.34 and
    /// later → 2.0.
    pub fn cis_version(&self) -> String {
        let v = self.string("cis.version");
        if v != "auto" {
            return v;
        }
        let target = self.string("kubernetes.target_version");
        let minor = target
            .split('.')
            .nth(1)
            .and_then(|m| m.parse::<u32>().ok())
            .unwrap_or(0);
        match minor {
            0..=28 => "1.10",
            29..=31 => "1.11",
            32 | 33 => "1.12",
            _ => "2.0",
        }
        .to_owned()
    }

    /// An integer parameter.
    pub fn int(&self, name: &str) -> i64 {
        self.0
            .get(name)
            .and_then(serde_json::Value::as_i64)
            .unwrap_or_default()
    }

    /// A boolean parameter.
    pub fn bool(&self, name: &str) -> bool {
        self.0
            .get(name)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or_default()
    }

    /// A string-list parameter.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.0
            .get(name)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One result of a check, before the engine adds the control's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Status.
    pub status: Status,
    /// Message (shared when constant).
    pub message: Arc<str>,
    /// Subject.
    pub subject: Arc<Subject>,
    /// Location.
    pub location: Location,
}

/// What a check concluded.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Findings (possibly of several statuses).
    Findings(Vec<Draft>),
    /// No evidence to judge: the message names what is missing.
    NotAssessed(String),
}

/// The context of one check run.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// All evidence.
    pub set: &'a EvidenceSet,
    /// Parameter values.
    pub params: &'a Params,
    /// Evaluation time.
    pub now: jiff::Timestamp,
    /// The control being evaluated.
    pub control: &'a Control,
}

/// The subject of an item (no container), shared by the item's findings.
pub fn subject(item: &Item) -> Arc<Subject> {
    item.origin.subject.clone()
}

/// A location inside an item's document.
pub fn location(item: &Item, loc: Option<&Loc>) -> Location {
    Location {
        file: item.origin.file.clone(),
        document: item.origin.document,
        line: loc.map_or(item.origin.line, |l| l.line),
        path: loc.map_or_else(|| item.origin.path.clone(), |l| l.path.clone()),
        rendered: None,
    }
}

/// A draft about an item.
pub fn draft(
    item: &Item,
    loc: Option<&Loc>,
    status: Status,
    message: impl Into<Arc<str>>,
) -> Draft {
    Draft {
        status,
        message: message.into(),
        subject: subject(item),
        location: location(item, loc),
    }
}

/// A draft about one container of a workload.
pub fn container_draft(
    item: &Item,
    c: &crate::evidence::ContainerFacts,
    loc: &Loc,
    status: Status,
    message: impl Into<Arc<str>>,
) -> Draft {
    Draft {
        status,
        message: message.into(),
        subject: c.subject.clone().unwrap_or_else(|| {
            Arc::new(Subject {
                container: Some(c.name.clone()),
                image: c.image.clone(),
                ..Subject::clone(&item.origin.subject)
            })
        }),
        location: location(item, Some(loc)),
    }
}

/// Pass when nothing failed, otherwise the failures.
pub fn pass_or(
    item: &Item,
    loc: Option<&Loc>,
    failures: Vec<Draft>,
    pass_message: impl Into<Arc<str>>,
) -> Vec<Draft> {
    if failures.is_empty() {
        vec![draft(item, loc, Status::Pass, pass_message)]
    } else {
        failures
    }
}

/// The namespace of an item, `default` when unset (as `kubectl apply` would place it).
pub fn namespace_of(item: &Item) -> &str {
    item.origin.namespace.as_deref().unwrap_or("default")
}

#[cfg(test)]
mod tests {
    use super::Params;

    #[test]
    fn auto_picks_the_benchmark_for_the_target_kubernetes_version() {
        let with = |cis: &str, k8s: &str| {
            Params(
                [
                    ("cis.version".to_owned(), serde_json::json!(cis)),
                    (
                        "kubernetes.target_version".to_owned(),
                        serde_json::json!(k8s),
                    ),
                ]
                .into_iter()
                .collect(),
            )
            .cis_version()
        };
        assert_eq!(with("1.11", "1.33"), "1.11");
        assert_eq!(with("auto", "1.28"), "1.10");
        assert_eq!(with("auto", "1.31"), "1.11");
        assert_eq!(with("auto", "1.33"), "1.12");
        assert_eq!(with("auto", "1.34"), "2.0");
        assert_eq!(with("auto", "1.37"), "2.0");
    }
}
