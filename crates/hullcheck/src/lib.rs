//! hullcheck: a container-security compliance engine.
//!
//! Data flows one way: bytes → typed evidence with source locations ([`evidence`]) → findings
//! ([`eval`]) → roll-up over the catalog graph ([`graph`], [`report`]) → renderers.
//! The catalog ([`catalog`]) is data, embedded at build time or loaded from a directory.

#![forbid(unsafe_code)]

pub mod catalog;
pub mod cel;
pub mod engine;
pub mod eval;
pub mod evidence;
pub mod graph;
pub mod policy;
pub mod queries;
pub mod report;
pub mod suppressions;
pub mod waivers;

pub use catalog::{Catalog, CatalogError};
pub use engine::{Engine, NamedDocument, NoProgress, Progress};
pub use eval::{EngineError, Options, OptionsError};
pub use evidence::load::{check_paths, MissingPath};
pub use evidence::{EvidenceError, Limits};
pub use graph::CatalogGraph;
pub use report::{Report, Status};

/// The JSON Schema of a catalog file (any of the file kinds under `controls/`).
pub fn catalog_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(catalog::CatalogFile)).unwrap_or_default()
}
