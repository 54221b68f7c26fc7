//! The public entry point: an [`Engine`] holds a catalog and its graph and evaluates evidence.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::catalog::{Catalog, Control};
use crate::eval::{bind_checks, Builtin, EngineError, Options, OptionsError, Plan};
use crate::evidence::{self, load, Input};
use crate::graph::CatalogGraph;
use crate::report::{
    rollup, CatalogInfo, Counts, DocumentReport, Finding, OptionsInfo, Report, Status, Summary,
    ToolInfo,
};

/// An evaluation engine over one catalog. Cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Engine {
    catalog: Catalog,
    graph: CatalogGraph,
    checks: Vec<Builtin>,
}

/// An in-memory evidence document: a name for reports, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedDocument {
    /// The name reported as the document's file.
    pub name: String,
    /// The document's bytes.
    pub bytes: Vec<u8>,
}

impl Engine {
    /// An engine over the built-in catalog.
    ///
    /// ```
    /// let engine = hullcheck::Engine::builtin().unwrap();
    /// assert!(engine.catalog().control("RUN-003").is_some());
    /// ```
    pub fn builtin() -> Result<Self, EngineError> {
        Self::new(Catalog::builtin()?)
    }

    /// An engine over a catalog loaded from a directory laid out like `controls/`.
    pub fn from_dir(dir: &std::path::Path) -> Result<Self, EngineError> {
        Self::new(Catalog::from_dir(dir)?)
    }

    /// An engine over a catalog.
    pub fn new(catalog: Catalog) -> Result<Self, EngineError> {
        let checks = bind_checks(&catalog)?;
        let graph = CatalogGraph::build(&catalog);
        Ok(Self {
            catalog,
            graph,
            checks,
        })
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The catalog graph.
    pub fn graph(&self) -> &CatalogGraph {
        &self.graph
    }

    /// Evaluates files and directories (recursively).
    ///
    /// Paths that do not exist are reported as document errors with code `evidence.not_found`.
    pub fn evaluate_paths(
        &self,
        paths: &[PathBuf],
        options: &Options,
    ) -> Result<Report, OptionsError> {
        let resolved = options.resolve(&self.catalog)?;
        let (mut inputs, missing) = load::collect(paths, &options.limits);
        for m in missing {
            inputs.push(Input {
                name: m.to_string_lossy().into_owned(),
                bytes: Err(evidence::EvidenceError::NotFound),
            });
        }
        Ok(self.run(inputs, options, &resolved))
    }

    /// Evaluates in-memory documents.
    ///
    /// ```
    /// use hullcheck::{Engine, NamedDocument, Options};
    /// let engine = Engine::builtin().unwrap();
    /// let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext: {privileged: true}\n";
    /// let docs = [NamedDocument { name: "pod.yaml".into(), bytes: pod.as_bytes().to_vec() }];
    /// let report = engine.evaluate_documents(&docs, &Options::default()).unwrap();
    /// assert!(report.findings.iter().any(|f| f.control_id == "RUN-003" && f.status.as_str() == "fail"));
    /// ```
    pub fn evaluate_documents(
        &self,
        documents: &[NamedDocument],
        options: &Options,
    ) -> Result<Report, OptionsError> {
        let resolved = options.resolve(&self.catalog)?;
        let mut total: u64 = 0;
        let inputs = documents
            .iter()
            .map(|d| {
                let size = d.bytes.len() as u64;
                total = total.saturating_add(size);
                let bytes = if size > options.limits.max_file_bytes {
                    Err(evidence::EvidenceError::FileTooLarge {
                        size,
                        limit: options.limits.max_file_bytes,
                    })
                } else if total > options.limits.max_total_bytes {
                    Err(evidence::EvidenceError::TotalTooLarge {
                        limit: options.limits.max_total_bytes,
                    })
                } else {
                    Ok(d.bytes.clone())
                };
                Input {
                    name: d.name.clone(),
                    bytes,
                }
            })
            .collect();
        Ok(self.run(inputs, options, &resolved))
    }

    fn run(
        &self,
        inputs: Vec<Input>,
        options: &Options,
        resolved: &crate::eval::Resolved,
    ) -> Report {
        let plan = Plan::new(&self.catalog, &self.checks, resolved);
        let limits = &options.limits;
        let per_file: Vec<(Vec<DocumentReport>, Vec<Finding>)> = inputs
            .into_par_iter()
            .map(|input| match input.bytes {
                Err(e) => (
                    vec![DocumentReport::from(&evidence::DocumentEntry {
                        file: input.name.as_str().into(),
                        index: 0,
                        path: String::new(),
                        line: e.line().unwrap_or(0),
                        meta: None,
                        error: Some(e),
                    })],
                    Vec::new(),
                ),
                Ok(bytes) => {
                    let parsed = evidence::parse_bytes(&input.name, &bytes, limits);
                    let mut findings = Vec::new();
                    for obj in &parsed.objects {
                        plan.evaluate_object(obj, &mut findings);
                    }
                    (
                        parsed.documents.iter().map(DocumentReport::from).collect(),
                        findings,
                    )
                }
            })
            .collect();
        let mut documents = Vec::new();
        let mut findings = Vec::new();
        for (d, f) in per_file {
            documents.extend(d);
            findings.extend(f);
        }
        documents.sort_by(|a, b| (&a.file, a.index, &a.path).cmp(&(&b.file, b.index, &b.path)));
        findings.sort_by(|a, b| {
            (&a.location, &a.control_id, &a.subject, a.status, &a.message).cmp(&(
                &b.location,
                &b.control_id,
                &b.subject,
                b.status,
                &b.message,
            ))
        });
        let selected: Vec<&Control> = plan.selected.iter().map(|s| s.control).collect();
        let controls = rollup::controls(&selected, &findings);
        let frameworks = rollup::frameworks(&self.catalog, &self.graph, &controls);
        let mut finding_counts = Counts::default();
        findings.iter().for_each(|f| finding_counts.add(f.status));
        let mut control_counts = Counts::default();
        controls.iter().for_each(|c| control_counts.add(c.status));
        let summary = Summary {
            documents: documents.len(),
            document_errors: documents.iter().filter(|d| d.error.is_some()).count(),
            result: if finding_counts.fail > 0 {
                Status::Fail
            } else {
                Status::Pass
            },
            findings: finding_counts,
            controls: control_counts,
        };
        Report {
            tool: ToolInfo {
                name: "hullcheck".to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            evaluated_at: resolved.now.to_string(),
            catalog: CatalogInfo {
                version: self.catalog.meta.version.clone(),
                digest: self.catalog.digest.clone(),
            },
            options: OptionsInfo {
                profiles: options.profiles.clone(),
                controls: options.controls.clone(),
                params: resolved.params.clone(),
            },
            summary,
            documents,
            findings,
            controls,
            frameworks,
        }
    }
}
