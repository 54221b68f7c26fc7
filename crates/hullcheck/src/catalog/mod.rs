//! The catalog: layers, lifecycle practices, profiles, frameworks and controls, loaded from
//! YAML data (built in, or from a directory) and checked for referential integrity.

mod accounting;
pub mod docs;
pub mod error;
pub mod model;
mod validate;
pub mod views;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

pub use error::CatalogError;
pub use model::{
    CatalogFile, CatalogMeta, CheckSpec, Control, Framework, Layer, ParamDef, ParamType, Phase,
    Practice, Profile, RegulatoryReference, Requirement, Severity, SourceRef,
};

use crate::evidence::{yaml, Limits};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));
}

/// A loaded, validated catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// Identity of the catalog.
    pub meta: CatalogMeta,
    /// `sha256:` digest over every catalog file's path and text.
    pub digest: String,
    /// Layers, in lifecycle order.
    pub layers: Vec<Layer>,
    /// Profiles.
    pub profiles: Vec<Profile>,
    /// Lifecycle phases with their practices.
    pub phases: Vec<Phase>,
    /// Frameworks, sorted by identifier.
    pub frameworks: Vec<Framework>,
    /// Controls, sorted by identifier.
    pub controls: Vec<Control>,
    /// How every requirement of a framework is addressed, for the frameworks that say.
    pub accounting: Vec<model::Accounting>,
    /// Framework → requirement → index in its `requirements`, for fast lookups.
    requirement_index: BTreeMap<String, BTreeMap<String, usize>>,
}

/// The built-in catalog's files: path relative to `controls/`, and text.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    embedded::FILES
}

/// A control file, with the mappings its CIS citations imply.
pub(crate) fn parse_control(file: &str, text: &str) -> Result<Control, CatalogError> {
    let mut c: Control = parse_file(file, text)?;
    c.derive_cis_mappings();
    Ok(c)
}

pub(crate) fn parse_file<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, CatalogError> {
    let invalid = |message: String| CatalogError::Invalid {
        file: file.to_owned(),
        message,
    };
    let limits = Limits::default();
    let mut docs = yaml::documents(text, &limits);
    let doc = docs
        .next()
        .ok_or_else(|| invalid("the file is empty".to_owned()))?;
    if docs.next().is_some() {
        return Err(invalid(
            "a catalog file holds exactly one document".to_owned(),
        ));
    }
    let node = doc.result.map_err(|e| invalid(e.to_string()))?;
    serde_json::from_value(node.to_json()).map_err(|e| invalid(e.to_string()))
}

/// One catalog file, parsed.
enum Parsed {
    Meta(CatalogMeta),
    Layers(model::LayersFile),
    Profiles(model::ProfilesFile),
    Practices(model::PracticesFile),
    Framework(Box<Framework>),
    Accounting(Box<model::Accounting>),
    Control(Box<Control>),
}

impl Catalog {
    /// The catalog built into the library.
    pub fn builtin() -> Result<Self, CatalogError> {
        Self::from_files(
            builtin_files()
                .iter()
                .map(|(p, t)| ((*p).to_owned(), (*t).to_owned())),
        )
    }

    /// Loads a catalog from a directory laid out like `controls/`.
    pub fn from_dir(dir: &Path) -> Result<Self, CatalogError> {
        let mut files = Vec::new();
        read_dir_files(dir, dir, &mut files, 0)?;
        Self::from_files(files)
    }

    /// Builds a catalog from `(relative path, text)` pairs.
    pub fn from_files(
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, CatalogError> {
        let mut files: Vec<(String, String)> = files.into_iter().collect();
        files.sort();
        let mut hasher = Sha256::new();
        for (path, text) in &files {
            hasher.update(path.as_bytes());
            hasher.update([0u8]);
            hasher.update(text.as_bytes());
            hasher.update([0u8]);
        }
        let digest = format!("sha256:{}", hex(&hasher.finalize()));
        let (mut meta, mut layers, mut profiles, mut phases) = (None, None, None, None);
        let mut frameworks = Vec::new();
        let mut accounting = Vec::new();
        let mut controls = Vec::new();
        // Files parse in parallel; they are taken in path order, so the first error is stable.
        let parsed: Vec<Result<Parsed, CatalogError>> = files
            .par_iter()
            .map(|(path, text)| {
                Ok(match path.as_str() {
                    "catalog.yaml" => Parsed::Meta(parse_file(path, text)?),
                    "layers.yaml" => Parsed::Layers(parse_file(path, text)?),
                    "profiles.yaml" => Parsed::Profiles(parse_file(path, text)?),
                    "practices.yaml" => Parsed::Practices(parse_file(path, text)?),
                    p if p.starts_with("frameworks/") => {
                        Parsed::Framework(Box::new(parse_file(path, text)?))
                    }
                    p if p.starts_with("accounting/") => {
                        Parsed::Accounting(Box::new(parse_file(path, text)?))
                    }
                    _ => Parsed::Control(Box::new(parse_control(path, text)?)),
                })
            })
            .collect();
        for ((path, _), p) in files.iter().zip(parsed) {
            match p? {
                Parsed::Meta(m) => meta = Some(m),
                Parsed::Layers(l) => layers = Some(l.layers),
                Parsed::Profiles(p) => profiles = Some(p.profiles),
                Parsed::Practices(p) => phases = Some(p.phases),
                Parsed::Framework(f) => frameworks.push(*f),
                Parsed::Accounting(a) => accounting.push(*a),
                Parsed::Control(c) => controls.push((path.clone(), *c)),
            }
        }
        let missing = |f: &str| CatalogError::Missing { file: f.to_owned() };
        let catalog = Catalog {
            meta: meta.ok_or_else(|| missing("catalog.yaml"))?,
            digest,
            layers: layers.ok_or_else(|| missing("layers.yaml"))?,
            profiles: profiles.ok_or_else(|| missing("profiles.yaml"))?,
            phases: phases.ok_or_else(|| missing("practices.yaml"))?,
            frameworks,
            controls: Vec::new(),
            accounting,
            requirement_index: BTreeMap::new(),
        };
        catalog.finish(controls)
    }

    /// This catalog with more control and framework files added (paths as under `controls/`:
    /// `frameworks/…` for frameworks, anything else for controls). A control or framework
    /// whose identifier is already in the catalog is an error; the digest covers the new files.
    pub fn extend_files(
        &self,
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, CatalogError> {
        let mut files: Vec<(String, String)> = files.into_iter().collect();
        files.sort();
        let mut hasher = Sha256::new();
        hasher.update(self.digest.as_bytes());
        let mut next = Catalog {
            controls: Vec::new(),
            requirement_index: BTreeMap::new(),
            ..self.clone()
        };
        let mut controls: Vec<(String, Control)> = self
            .controls
            .iter()
            .map(|c| (format!("{}/{}.yaml", c.layer, c.id), c.clone()))
            .collect();
        for (path, text) in &files {
            hasher.update(path.as_bytes());
            hasher.update([0u8]);
            hasher.update(text.as_bytes());
            hasher.update([0u8]);
            if path.starts_with("frameworks/") {
                next.frameworks.push(parse_file(path, text)?);
            } else if path.starts_with("accounting/") {
                next.accounting.push(parse_file(path, text)?);
            } else {
                controls.push((path.clone(), parse_control(path, text)?));
            }
        }
        next.digest = format!("sha256:{}", hex(&hasher.finalize()));
        next.finish(controls)
    }

    /// This catalog with more controls (built in memory: the controls of the evidence's
    /// admission policies). The digest is unchanged: it identifies the catalog's files.
    pub fn with_controls(&self, extra: Vec<Control>) -> Result<Self, CatalogError> {
        let next = Catalog {
            controls: Vec::new(),
            requirement_index: BTreeMap::new(),
            ..self.clone()
        };
        let controls: Vec<(String, Control)> = self
            .controls
            .iter()
            .cloned()
            .chain(extra)
            .map(|c| (format!("{}/{}.yaml", c.layer, c.id), c))
            .collect();
        next.finish(controls)
    }

    /// This catalog with the controls and frameworks of a user directory added: every
    /// `.yaml` file under it, `frameworks/…` and `accounting/…` as under `controls/`, any other
    /// path a control. A clashing identifier is an error, as in [`Catalog::extend_files`].
    pub fn with_user_dir(&self, dir: &Path) -> Result<Self, CatalogError> {
        let mut files = Vec::new();
        read_dir_files(dir, dir, &mut files, 0)?;
        if files.is_empty() {
            return Err(CatalogError::Io {
                file: dir.display().to_string(),
                message: "the directory holds no `.yaml` control or framework files".to_owned(),
            });
        }
        self.extend_files(files)
    }

    fn finish(mut self, controls: Vec<(String, Control)>) -> Result<Self, CatalogError> {
        self.frameworks.sort_by(|a, b| a.id.cmp(&b.id));
        let dup = |file: &str, what, id: &str| CatalogError::Duplicate {
            file: file.to_owned(),
            what,
            id: id.to_owned(),
        };
        let unknown = |file: &str, what, id: &str| CatalogError::UnknownReference {
            file: file.to_owned(),
            what,
            id: id.to_owned(),
        };
        unique(self.layers.iter().map(|l| l.id.as_str()), |id| {
            dup("layers.yaml", "layer", id)
        })?;
        unique(self.profiles.iter().map(|p| p.id.as_str()), |id| {
            dup("profiles.yaml", "profile", id)
        })?;
        unique(
            self.phases.iter().flat_map(|p| {
                std::iter::once(p.id.as_str()).chain(p.practices.iter().map(|x| x.id.as_str()))
            }),
            |id| dup("practices.yaml", "practice", id),
        )?;
        unique(self.frameworks.iter().map(|f| f.id.as_str()), |id| {
            dup("frameworks/", "framework", id)
        })?;
        let layer_ids: BTreeSet<&str> = self.layers.iter().map(|l| l.id.as_str()).collect();
        for phase in &self.phases {
            if !layer_ids.contains(phase.layer.as_str()) {
                return Err(unknown("practices.yaml", "layer", &phase.layer));
            }
        }
        let mut requirements: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for fw in &self.frameworks {
            let file = format!("frameworks/{}.yaml", fw.id);
            unique(fw.requirements.iter().map(|r| r.id.as_str()), |id| {
                dup(&file, "requirement", id)
            })?;
            requirements.insert(
                &fw.id,
                fw.requirements.iter().map(|r| r.id.as_str()).collect(),
            );
        }
        for fw in &self.frameworks {
            if let Some(base) = &fw.baseline_of {
                let file = format!("frameworks/{}.yaml", fw.id);
                let base_reqs = requirements
                    .get(base.as_str())
                    .ok_or_else(|| unknown(&file, "framework", base))?;
                for r in &fw.requirements {
                    if !base_reqs.contains(r.id.as_str()) {
                        return Err(unknown(&file, "requirement", &r.id));
                    }
                }
            }
        }
        for layer in &self.layers {
            for r in &layer.regulatory_references {
                if let Some(fw) = &r.framework {
                    let reqs = requirements
                        .get(fw.as_str())
                        .ok_or_else(|| unknown("layers.yaml", "framework", fw))?;
                    if let Some(req) = &r.requirement {
                        if !reqs.contains(req.as_str()) {
                            return Err(unknown("layers.yaml", "requirement", req));
                        }
                    }
                }
            }
        }
        let practice_ids: BTreeSet<&str> = self
            .phases
            .iter()
            .flat_map(|p| p.practices.iter().map(|x| x.id.as_str()))
            .collect();
        let profile_ids: BTreeSet<&str> = self.profiles.iter().map(|p| p.id.as_str()).collect();
        let mut params: BTreeMap<String, (String, ParamDef)> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for (file, c) in &controls {
            if !seen.insert(c.id.clone()) {
                return Err(dup(file, "control", &c.id));
            }
            if !layer_ids.contains(c.layer.as_str()) {
                return Err(unknown(file, "layer", &c.layer));
            }
            for p in &c.practices {
                if !practice_ids.contains(p.as_str()) {
                    return Err(unknown(file, "practice", p));
                }
            }
            for p in &c.profiles {
                if !profile_ids.contains(p.as_str()) {
                    return Err(unknown(file, "profile", p));
                }
            }
            for (fw, ids) in &c.mappings {
                let reqs = requirements
                    .get(fw.as_str())
                    .ok_or_else(|| unknown(file, "framework", fw))?;
                for id in ids {
                    if !reqs.contains(id.as_str()) {
                        return Err(unknown(file, "requirement", &format!("{fw}:{id}")));
                    }
                }
            }
            for p in &c.params {
                check_param(file, p)?;
                if let Some((first_file, first)) = params.get(&p.name) {
                    if first.kind != p.kind || first.default != p.default {
                        return Err(CatalogError::BadParam {
                            file: file.clone(),
                            name: p.name.clone(),
                            message: format!("declared differently in `{first_file}`"),
                        });
                    }
                } else {
                    params.insert(p.name.clone(), (file.clone(), p.clone()));
                }
            }
        }
        self.requirement_index = self
            .frameworks
            .iter()
            .map(|f| {
                (
                    f.id.clone(),
                    f.requirements
                        .iter()
                        .enumerate()
                        .map(|(i, r)| (r.id.clone(), i))
                        .collect(),
                )
            })
            .collect();
        self.controls = controls.into_iter().map(|(_, c)| c).collect();
        self.controls.sort_by(|a, b| a.id.cmp(&b.id));
        self.accounting
            .sort_by(|a, b| a.framework.cmp(&b.framework));
        self.check_accounting()?;
        Ok(self)
    }

    /// The control with this identifier.
    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.controls.get(i))
    }

    /// The framework with this identifier.
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks
            .binary_search_by(|f| f.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.frameworks.get(i))
    }

    /// Every parameter any control declares, by name (one definition each).
    pub fn params(&self) -> BTreeMap<&str, &ParamDef> {
        let mut out = BTreeMap::new();
        for c in &self.controls {
            for p in &c.params {
                out.entry(p.name.as_str()).or_insert(p);
            }
        }
        out
    }

    /// The position of a requirement in its framework's `requirements`.
    pub fn requirement_position(&self, framework: &str, id: &str) -> Option<usize> {
        self.requirement_index.get(framework)?.get(id).copied()
    }

    /// The title of a requirement (a baseline's from its base framework).
    pub fn requirement_title(&self, framework: &str, id: &str) -> Option<&str> {
        let fw = self.framework(framework)?;
        let index = *self.requirement_index.get(framework)?.get(id)?;
        let req = fw.requirements.get(index)?;
        match (&req.title, &fw.baseline_of) {
            (Some(t), _) => Some(t),
            (None, Some(base)) => self.requirement_title(base, id),
            (None, None) => None,
        }
    }
}

pub(crate) fn check_param(file: &str, p: &ParamDef) -> Result<(), CatalogError> {
    let ok = match p.kind {
        ParamType::String => p.default.is_string(),
        ParamType::Integer => p.default.is_i64(),
        ParamType::Boolean => p.default.is_boolean(),
        ParamType::StringList => p
            .default
            .as_array()
            .is_some_and(|a| a.iter().all(serde_json::Value::is_string)),
    };
    if ok {
        Ok(())
    } else {
        Err(CatalogError::BadParam {
            file: file.to_owned(),
            name: p.name.clone(),
            message: "default does not have the declared type".to_owned(),
        })
    }
}

fn unique<'a>(
    ids: impl Iterator<Item = &'a str>,
    err: impl Fn(&str) -> CatalogError,
) -> Result<(), CatalogError> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(err(id));
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn read_dir_files(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, String)>,
    depth: usize,
) -> Result<(), CatalogError> {
    let io = |p: &Path, e: std::io::Error| CatalogError::Io {
        file: p.display().to_string(),
        message: e.to_string(),
    };
    if depth > 8 {
        return Err(CatalogError::Io {
            file: dir.display().to_string(),
            message: "directory nesting too deep".to_owned(),
        });
    }
    let entries = fs::read_dir(dir).map_err(|e| io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| io(dir, e))?.path();
        if path.is_dir() {
            read_dir_files(root, &path, out, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let text = fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, text));
        }
    }
    Ok(())
}
