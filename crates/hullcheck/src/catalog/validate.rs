//! Checking one more control file against a built catalog, without rebuilding the catalog:
//! the checks `Catalog::from_files` makes of each control, against the layers, practices,
//! profiles, frameworks and parameters already there.

use super::model::Control;
use super::{check_param, parse_control, Catalog, CatalogError};

impl Catalog {
    /// Parses `text` as the control file `path` and checks it as loading would: a new
    /// identifier, a known layer, known practices and profiles, mappings to requirements that
    /// exist, and parameters that agree with the catalog's.
    pub fn validate_control_file(&self, path: &str, text: &str) -> Result<Control, CatalogError> {
        let c: Control = parse_control(path, text)?;
        let unknown = |what, id: &str| CatalogError::UnknownReference {
            file: path.to_owned(),
            what,
            id: id.to_owned(),
        };
        if self.control(&c.id).is_some() {
            return Err(CatalogError::Duplicate {
                file: path.to_owned(),
                what: "control",
                id: c.id.clone(),
            });
        }
        if !self.layers.iter().any(|l| l.id == c.layer) {
            return Err(unknown("layer", &c.layer));
        }
        for p in &c.practices {
            let known = self
                .phases
                .iter()
                .any(|ph| ph.practices.iter().any(|x| &x.id == p));
            if !known {
                return Err(unknown("practice", p));
            }
        }
        for p in &c.profiles {
            if !self.profiles.iter().any(|x| &x.id == p) {
                return Err(unknown("profile", p));
            }
        }
        for (fw, ids) in &c.mappings {
            let reqs = self
                .requirement_index
                .get(fw)
                .ok_or_else(|| unknown("framework", fw))?;
            for id in ids {
                if !reqs.contains_key(id) {
                    return Err(unknown("requirement", &format!("{fw}:{id}")));
                }
            }
        }
        let declared = self.params();
        for p in &c.params {
            check_param(path, p)?;
            if let Some(first) = declared.get(p.name.as_str()) {
                if first.kind != p.kind || first.default != p.default {
                    return Err(CatalogError::BadParam {
                        file: path.to_owned(),
                        name: p.name.clone(),
                        message: "declared differently by a control already in the catalog"
                            .to_owned(),
                    });
                }
            }
        }
        Ok(c)
    }
}
