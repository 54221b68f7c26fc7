//! The API versions that serve Kubernetes' built-in kinds, now and in the past (`apis.yaml`):
//! reading refuses a built-in kind under a version that never served it, and the deprecated-API
//! control reports versions removed at a target Kubernetes release.

use std::collections::{BTreeMap, BTreeSet};

use std::sync::OnceLock;

use serde::Deserialize;

const DATA: &str = include_str!("apis.yaml");

/// One group of kinds served at one API version.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Served {
    /// `group/version` (`v1` for the core group).
    pub api_version: String,
    /// The kinds.
    pub kinds: Vec<String>,
}

/// Kinds of one API version that were removed in one release.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    /// `group/version`.
    pub api_version: String,
    /// The kinds.
    pub kinds: Vec<String>,
    /// The release that deprecated it, when published (`1.16`).
    #[serde(default)]
    pub deprecated_in: Option<String>,
    /// The first release that no longer serves it.
    pub removed_in: String,
    /// The version to use instead, when there is one.
    #[serde(default)]
    pub replacement: Option<String>,
    /// False when the row rests on Kubernetes' lifecycle data alone.
    #[serde(default = "yes")]
    pub confirmed: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    served: Vec<Served>,
    removed: Vec<Removed>,
}

/// The table, indexed.
#[derive(Debug, Default)]
pub struct Apis {
    /// Removed rows, in file order.
    pub removed: Vec<Removed>,
    /// Kind → every API version that serves or served it, and whether it still does.
    versions: BTreeMap<String, BTreeMap<String, bool>>,
    /// The API groups of the table (the built-in groups).
    groups: BTreeSet<String>,
}

fn group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

/// The table, parsed once (an unreadable table is empty, which a test rules out).
pub fn apis() -> &'static Apis {
    static APIS: OnceLock<Apis> = OnceLock::new();
    APIS.get_or_init(|| {
        let json = super::yaml::first_document_json(DATA).unwrap_or_default();
        let Ok(file) = serde_json::from_value::<File>(json) else {
            return Apis::default();
        };
        let mut apis = Apis::default();
        let rows = file
            .served
            .iter()
            .map(|s| (&s.api_version, &s.kinds, true))
            .chain(
                file.removed
                    .iter()
                    .map(|r| (&r.api_version, &r.kinds, false)),
            );
        for (av, kinds, current) in rows {
            apis.groups.insert(group(av).to_owned());
            for k in kinds {
                let v = apis.versions.entry(k.clone()).or_default();
                *v.entry(av.clone()).or_insert(current) |= current;
            }
        }
        apis.removed = file.removed;
        apis
    })
}

impl Apis {
    /// When `kind` is a built-in kind under a built-in group that never served it, the
    /// versions that serve it now and those that did (a custom resource of the same name in
    /// another group is not refused).
    pub fn unserved(&self, api_version: &str, kind: &str) -> Option<(Vec<&str>, Vec<&str>)> {
        let versions = self.versions.get(kind)?;
        if !self.groups.contains(group(api_version)) || versions.contains_key(api_version) {
            return None;
        }
        let pick = |now: bool| {
            versions
                .iter()
                .filter(|(_, c)| **c == now)
                .map(|(v, _)| v.as_str())
                .collect()
        };
        Some((pick(true), pick(false)))
    }

    /// The removal row of an object's API version and kind, if it was removed.
    pub fn removal(&self, api_version: &str, kind: &str) -> Option<&Removed> {
        self.removed
            .iter()
            .find(|r| r.api_version == api_version && r.kinds.iter().any(|k| k == kind))
    }

    /// True when the table was read.
    pub fn is_loaded(&self) -> bool {
        !self.versions.is_empty()
    }
}

/// Compares Kubernetes release numbers (`1.9` < `1.16`); unparsable parts compare as 0.
pub fn release_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &str| -> Vec<u64> {
        s.trim_start_matches('v')
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    parts(a).cmp(&parts(b))
}
