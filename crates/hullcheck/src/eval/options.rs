//! Evaluation options and their resolution against a catalog: selection and parameters.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::error::OptionsError;
use crate::catalog::{Catalog, ParamType};
use crate::evidence::Limits;

/// What to evaluate and how.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Profiles to evaluate (empty: no narrowing by profile).
    pub profiles: Vec<String>,
    /// Controls to evaluate (empty: no narrowing by control).
    pub controls: Vec<String>,
    /// Controls left out of the evaluation (`--skip-control`); each must exist.
    pub skip_controls: Vec<String>,
    /// Parameter values; strings are parsed by the parameter's declared type.
    pub params: BTreeMap<String, serde_json::Value>,
    /// The evaluation time (RFC 3339); the clock when absent.
    pub now: Option<String>,
    /// Input limits.
    pub limits: Limits,
    /// Read every input as this evidence kind instead of detecting it (`--kind`).
    pub kind: Option<String>,
    /// Waivers to apply.
    pub waivers: Vec<crate::waivers::Waiver>,
    /// Ignore suppression annotations on objects (hullcheck's and other tools'): only waivers
    /// files waive (`--no-annotation-waivers`, for an audit that accepts no inline waiver).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_annotation_waivers: bool,
    /// What directory walks leave out: `--exclude` globs, ignore files, default skips.
    #[serde(
        default,
        skip_serializing_if = "crate::evidence::exclude::WalkOptions::is_default"
    )]
    pub walk: crate::evidence::exclude::WalkOptions,
}

/// Options checked against a catalog.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Indices into the catalog's controls, sorted by control ID.
    pub controls: Vec<usize>,
    /// Every declared parameter with its effective value.
    pub params: BTreeMap<String, serde_json::Value>,
    /// The evaluation time.
    pub now: jiff::Timestamp,
}

impl Options {
    /// Checks the options against a catalog.
    pub fn resolve(&self, catalog: &Catalog) -> Result<Resolved, OptionsError> {
        self.resolve_with(catalog, false)
    }

    /// True when the options name a control of an admission policy (`vap:<name>`), which
    /// only the evidence can define.
    pub fn names_admission_controls(&self) -> bool {
        self.controls
            .iter()
            .chain(&self.skip_controls)
            .any(|c| c.starts_with(crate::eval::admission::PREFIX))
    }

    /// [`Options::resolve`] before the evidence is read: controls of admission policies
    /// (`vap:<name>`) are not known yet, so they are not refused (the selection is resolved
    /// again once the evidence has defined them).
    pub fn resolve_before_evidence(&self, catalog: &Catalog) -> Result<Resolved, OptionsError> {
        self.resolve_with(catalog, true)
    }

    fn resolve_with(&self, catalog: &Catalog, defer: bool) -> Result<Resolved, OptionsError> {
        let deferred = |c: &str| defer && c.starts_with(crate::eval::admission::PREFIX);
        crate::evidence::exclude::Exclusions::new(&self.walk)?;
        for p in &self.profiles {
            if !catalog.profiles.iter().any(|x| &x.id == p) {
                return Err(OptionsError::UnknownProfile {
                    name: p.clone(),
                    hint: super::error::did_you_mean(
                        p,
                        catalog.profiles.iter().map(|x| x.id.as_str()),
                    ),
                });
            }
        }
        for c in &self.controls {
            if catalog.control(c).is_none() && !deferred(c) {
                return Err(OptionsError::UnknownControl {
                    name: c.clone(),
                    hint: super::error::did_you_mean(
                        c,
                        catalog.controls.iter().map(|x| x.id.as_str()),
                    ),
                });
            }
        }
        for c in &self.skip_controls {
            if catalog.control(c).is_none() && !deferred(c) {
                return Err(OptionsError::UnknownControl {
                    name: c.clone(),
                    hint: super::error::did_you_mean(
                        c,
                        catalog.controls.iter().map(|x| x.id.as_str()),
                    ),
                });
            }
        }
        let skipped: BTreeSet<&str> = self.skip_controls.iter().map(String::as_str).collect();
        let named: BTreeSet<&str> = self.controls.iter().map(String::as_str).collect();
        let controls: Vec<usize> = catalog
            .controls
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                self.profiles.is_empty() || c.profiles.iter().any(|p| self.profiles.contains(p))
            })
            .filter(|(_, c)| named.is_empty() || named.contains(c.id.as_str()))
            .filter(|(_, c)| !skipped.contains(c.id.as_str()))
            .map(|(i, _)| i)
            .collect();
        if controls.is_empty() && !(defer && self.names_admission_controls()) {
            return Err(OptionsError::EmptySelection);
        }
        if let Some(k) = &self.kind {
            if crate::evidence::EvidenceKind::by_name(k).is_none() {
                return Err(OptionsError::UnknownKind {
                    kind: k.clone(),
                    known: crate::evidence::item::KIND_NAMES
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        let declared = catalog.params();
        let mut params: BTreeMap<String, serde_json::Value> = declared
            .iter()
            .map(|(k, d)| ((*k).to_owned(), d.default.clone()))
            .collect();
        for (name, value) in &self.params {
            let Some(def) = declared.get(name.as_str()) else {
                return Err(OptionsError::UnknownParam {
                    name: name.clone(),
                    hint: super::error::did_you_mean(name, declared.keys().copied()),
                    known: declared.keys().copied().collect::<Vec<_>>().join(", "),
                });
            };
            let v = coerce(name, def.kind, value)?;
            check_allowed(name, &def.allowed, &v)?;
            params.insert(name.clone(), v);
        }
        if let Some(v) = params.get("pss.version").and_then(|v| v.as_str()) {
            if super::pss::PssVersion::parse(v).is_none() {
                return Err(OptionsError::BadParamValue {
                    name: "pss.version".to_owned(),
                    value: v.to_owned(),
                    reason: "expected `latest` or `v1.N`".to_owned(),
                });
            }
        }
        for w in &self.waivers {
            if catalog.control(&w.control_id).is_none() {
                return Err(OptionsError::UnknownWaiverControl {
                    name: w.control_id.clone(),
                    hint: super::error::did_you_mean(
                        &w.control_id,
                        catalog.controls.iter().map(|x| x.id.as_str()),
                    ),
                });
            }
        }
        crate::waivers::WaiversFile {
            waivers: self.waivers.clone(),
        }
        .validate()
        .map_err(OptionsError::BadWaiver)?;
        let now = match &self.now {
            Some(text) => text
                .parse::<jiff::Timestamp>()
                .map_err(|_| OptionsError::BadNow(text.clone()))?,
            None => {
                let now = jiff::Timestamp::now();
                jiff::Timestamp::from_second(now.as_second()).unwrap_or(now)
            }
        };
        Ok(Resolved {
            controls,
            params,
            now,
        })
    }
}

/// Refuses string values outside a parameter's `allowed` list.
pub fn check_allowed(
    name: &str,
    allowed: &[String],
    value: &serde_json::Value,
) -> Result<(), OptionsError> {
    match value.as_str() {
        Some(v) if !allowed.is_empty() && !allowed.iter().any(|a| a == v) => {
            Err(OptionsError::BadParamValue {
                name: name.to_owned(),
                value: v.to_owned(),
                reason: format!("expected one of {}", allowed.join(", ")),
            })
        }
        _ => Ok(()),
    }
}

/// Parses a parameter value by its declared type (strings are parsed; lists may be comma-separated).
pub fn coerce(
    name: &str,
    kind: ParamType,
    value: &serde_json::Value,
) -> Result<serde_json::Value, OptionsError> {
    let bad = |reason: &str| OptionsError::BadParamValue {
        name: name.to_owned(),
        value: match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        },
        reason: reason.to_owned(),
    };
    use serde_json::Value as J;
    match (kind, value) {
        (ParamType::String, J::String(_)) => Ok(value.clone()),
        (ParamType::Integer, J::Number(n)) if n.is_i64() => Ok(value.clone()),
        (ParamType::Integer, J::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(J::from)
            .map_err(|_| bad("expected an integer")),
        (ParamType::Boolean, J::Bool(_)) => Ok(value.clone()),
        (ParamType::Boolean, J::String(s)) => match s.as_str() {
            "true" => Ok(J::Bool(true)),
            "false" => Ok(J::Bool(false)),
            _ => Err(bad("expected `true` or `false`")),
        },
        (ParamType::StringList, J::Array(items)) if items.iter().all(J::is_string) => {
            Ok(value.clone())
        }
        (ParamType::StringList, J::String(s)) => Ok(J::Array(
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(|x| J::String(x.to_owned()))
                .collect(),
        )),
        (ParamType::String, _) => Err(bad("expected a string")),
        (ParamType::Integer, _) => Err(bad("expected an integer")),
        (ParamType::Boolean, _) => Err(bad("expected a boolean")),
        (ParamType::StringList, _) => Err(bad("expected a list of strings")),
    }
}
