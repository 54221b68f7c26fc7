//! ConfigMaps: the text entries of `data`, each with its location, for the credential detector.

use super::string_map;
use crate::evidence::error::EvidenceError;
use crate::evidence::read::{At, Cursor};

/// A ConfigMap.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigMapFacts {
    /// `data`: key and text value (`binaryData` is not read: it is opaque bytes).
    pub data: Vec<(String, At<String>)>,
}

/// Reads a ConfigMap.
pub fn read_config_map(c: &Cursor<'_>) -> Result<ConfigMapFacts, EvidenceError> {
    Ok(ConfigMapFacts {
        data: string_map(c, "data")?,
    })
}
