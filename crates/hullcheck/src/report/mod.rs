//! Reports: the JSON model, the roll-up over the graph, and the renderers.

pub mod diff;
pub mod fleet;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod model;
pub mod order;
pub mod oscal;
pub mod paths;
pub mod relocate;
pub mod render;
pub mod rollup;
pub mod rollup_index;
pub mod sarif;
pub mod stig;
pub mod text;

pub use render::{render, render_with, Format, RenderOptions};

pub use model::{
    Accounted, CatalogInfo, ControlResult, Counts, DocumentError, DocumentReport, DocumentSkip,
    DocumentStatus, Finding, FrameworkResult, Gate, GateOutcome, GateReason, Location, OptionsInfo,
    RenderedAt, Report, RequirementControl, RequirementResult, Status, Subject, Summary, ToolInfo,
};

use crate::evidence::DocumentEntry;

impl From<&DocumentEntry> for DocumentReport {
    fn from(d: &DocumentEntry) -> Self {
        let offset = d.rendered.as_ref().map_or(0, |r| r.line_offset);
        let inside = |line: u32| {
            if offset == 0 {
                line
            } else {
                line.saturating_sub(offset).max(1)
            }
        };
        Self {
            file: d.file.to_string(),
            index: d.index,
            path: d.path.clone(),
            line: d.line,
            kind: d.meta.as_ref().map(|m| m.kind.clone()),
            evidence: d.evidence.map(|k| k.name().to_owned()),
            api_version: d.meta.as_ref().map(|m| m.api_version.clone()),
            name: d.meta.as_ref().and_then(|m| m.name.clone()),
            namespace: d.meta.as_ref().and_then(|m| m.namespace.clone()),
            status: if d.error.is_some() {
                DocumentStatus::Error
            } else if d.skipped.is_some() {
                DocumentStatus::Skipped
            } else {
                DocumentStatus::Read
            },
            error: d.error.as_ref().map(|e| DocumentError {
                code: e.code().to_owned(),
                message: e.to_string(),
                line: e.line().map(inside),
                path: e.path().map(str::to_owned),
            }),
            skipped: d.skipped.as_ref().map(|s| DocumentSkip {
                code: s.code().to_owned(),
                reason: s.reason(),
            }),
            rendered: d.rendered.as_ref().map(|r| RenderedAt {
                file: r.file.clone(),
                document: r.document,
                line: d.line.saturating_add(r.line_offset),
            }),
        }
    }
}

/// The JSON Schema of the report.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default()
}
