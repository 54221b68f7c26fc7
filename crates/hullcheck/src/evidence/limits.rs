//! Bounds on what one evaluation will read, so hostile input cannot exhaust memory.

use serde::{Deserialize, Serialize};

/// Resource limits applied while reading evidence. Each breach is a located document error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest total of all files read, in bytes.
    pub max_total_bytes: u64,
    /// Most documents read from one file.
    pub max_documents_per_file: usize,
    /// Deepest nesting of lists and mappings in one document.
    pub max_depth: usize,
    /// Most nodes that aliases may copy into one document.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 64 * 1024 * 1024,
            max_total_bytes: 4 * 1024 * 1024 * 1024,
            max_documents_per_file: 100_000,
            max_depth: 256,
            max_alias_nodes: 100_000,
        }
    }
}
