//! Policies: parameter values, profiles and controls from a policy file (`--policy`) or from
//! `Policy` documents carried in the evidence. Values set on the command line win.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::eval::options::coerce;
use crate::evidence::{DocumentEntry, Evidence, EvidenceError, Item};

/// A policy file: `--policy FILE`, YAML or JSON. Unknown keys are errors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// Optional `hullcheck.dev/v1alpha1`.
    #[serde(
        default,
        rename = "apiVersion",
        skip_serializing_if = "Option::is_none"
    )]
    pub api_version: Option<String>,
    /// Optional `Policy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Optional metadata (a name for the policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, serde_json::Value>>,
    /// Parameter values.
    #[serde(default)]
    pub params: BTreeMap<String, serde_json::Value>,
    /// Profiles to evaluate.
    #[serde(default)]
    pub profiles: Vec<String>,
    /// Controls to evaluate.
    #[serde(default)]
    pub controls: Vec<String>,
    /// Controls left out (added to `--skip-control`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skip_controls: Vec<String>,
    /// The severity threshold of the exit code (`critical`, `high`, `medium`, `low`, `never`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<String>,
    /// Let the gate pass although documents could not be read or checks errored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_unreadable: Option<bool>,
    /// Let the gate pass although no control reached a verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_empty: Option<bool>,
}

/// Why a policy file was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid policy file `{file}`: {message}")]
pub struct PolicyError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

impl PolicyError {
    /// The stable dotted code.
    pub fn code(&self) -> &'static str {
        "options.policy_file"
    }
}

impl PolicyFile {
    /// Parses a policy file's text (YAML or JSON).
    pub fn parse(file: &str, text: &str) -> Result<Self, PolicyError> {
        let err = |message: String| PolicyError {
            file: file.to_owned(),
            message,
        };
        let json = crate::evidence::yaml::first_document_json(text).map_err(err)?;
        serde_json::from_value(json).map_err(|e| err(e.to_string()))
    }

    /// Reads and parses the policy file at `path`.
    pub fn load(path: &std::path::Path) -> Result<Self, PolicyError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| PolicyError {
            file: file.clone(),
            message: format!("cannot read it: {e}"),
        })?;
        Self::parse(&file, &text)
    }

    /// A policy given as a value, as the bindings take it: a string is a file's path, anything
    /// else the policy itself.
    pub fn from_value(value: serde_json::Value) -> Result<Self, PolicyError> {
        match value {
            serde_json::Value::String(path) => Self::load(std::path::Path::new(&path)),
            v => Self::parse("policy", &v.to_string()),
        }
    }

    /// Fills `options` from the policy as the CLI's `--policy` does: a parameter, profile list
    /// or control list already given in `options` wins; skipped controls add up.
    pub fn apply_under(&self, options: &mut crate::Options) {
        for (k, v) in &self.params {
            options.params.entry(k.clone()).or_insert_with(|| v.clone());
        }
        if options.profiles.is_empty() {
            options.profiles = self.profiles.clone();
        }
        if options.controls.is_empty() {
            options.controls = self.controls.clone();
        }
        let given = std::mem::take(&mut options.skip_controls);
        options.skip_controls = self.skip_controls.iter().cloned().chain(given).collect();
    }
}

/// Applies `Policy` documents found in the evidence to the parameters. Values given explicitly
/// in the options (`explicit`) win; unknown names and bad values become document errors.
pub fn apply_evidence_policies(
    catalog: &Catalog,
    resolved: &BTreeMap<String, serde_json::Value>,
    explicit: &BTreeMap<String, serde_json::Value>,
    items: &[Item],
    entries: &mut [DocumentEntry],
) -> BTreeMap<String, serde_json::Value> {
    let mut params = resolved.clone();
    let declared = catalog.params();
    for item in items {
        let Evidence::Policy(p) = &item.evidence else {
            continue;
        };
        let mut error = None;
        for (name, value) in &p.params {
            if explicit.contains_key(name) {
                continue;
            }
            let Some(def) = declared.get(name.as_str()) else {
                error = Some(EvidenceError::Unrecognized {
                    line: value.loc.line,
                    reason: format!("unknown parameter `{name}`"),
                });
                continue;
            };
            match coerce(name, def.kind, &value.value).and_then(|v| {
                crate::eval::options::check_allowed(name, &def.allowed, &v).map(|()| v)
            }) {
                Ok(v) => {
                    params.insert(name.clone(), v);
                }
                Err(e) => {
                    error = Some(EvidenceError::Unrecognized {
                        line: value.loc.line,
                        reason: e.to_string(),
                    })
                }
            }
        }
        if let Some(e) = error {
            if let Some(entry) = entries.iter_mut().find(|d| {
                d.file == item.origin.file
                    && d.index == item.origin.document
                    && *d.path == *item.origin.path
            }) {
                entry.error = Some(e);
            }
        }
    }
    params
}
