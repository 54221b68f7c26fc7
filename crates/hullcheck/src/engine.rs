//! The public entry point: an [`Engine`] holds a catalog and its graph and evaluates evidence.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::catalog::{Catalog, Control};
use crate::eval::pss::PssCheck;
use crate::eval::{
    self, bind_checks, Bound, Builtin, EngineError, EvidenceSet, Options, OptionsError, Params,
};
use crate::evidence::{self, load, EvidenceKind, Input, Target};
use crate::graph::CatalogGraph;
use crate::policy;
use crate::report::{
    rollup, CatalogInfo, Counts, DocumentReport, Finding, OptionsInfo, Report, Summary, ToolInfo,
};

/// An evaluation engine over one catalog. Cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Engine {
    catalog: Catalog,
    graph: CatalogGraph,
    checks: Vec<Bound>,
    rollup: crate::report::rollup_index::RollupIndex,
}

/// Receives progress while files are read (for example to draw a progress bar).
pub trait Progress: Sync {
    /// The number of files about to be read.
    fn start(&self, files: usize);
    /// One file was read, with this many documents.
    fn file_done(&self, documents: usize);
    /// True to stop: files not yet read are skipped, and the evaluation returns
    /// [`OptionsError::Cancelled`] instead of a report (never a partial one). Polled while
    /// files are read and between the stages.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _files: usize) {}
    fn file_done(&self, _documents: usize) {}
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

    /// The engine every front end builds: the built-in catalog or one loaded from `catalog`,
    /// with the user controls and frameworks of `controls` added.
    pub fn load(
        catalog: Option<&std::path::Path>,
        controls: &[std::path::PathBuf],
    ) -> Result<Self, EngineError> {
        let engine = match catalog {
            Some(dir) => Self::from_dir(dir)?,
            None => Self::builtin()?,
        };
        if controls.is_empty() {
            Ok(engine)
        } else {
            engine.with_user_dirs(controls)
        }
    }

    /// This engine's catalog with the user controls and frameworks of `dirs` added (see
    /// [`Catalog::with_user_dir`]).
    pub fn with_user_dirs(&self, dirs: &[std::path::PathBuf]) -> Result<Self, EngineError> {
        let mut catalog = self.catalog.clone();
        for d in dirs {
            catalog = catalog.with_user_dir(d)?;
        }
        Self::new(catalog)
    }

    /// An engine over a catalog.
    pub fn new(catalog: Catalog) -> Result<Self, EngineError> {
        let checks = bind_checks(&catalog)?;
        let graph = CatalogGraph::build(&catalog);
        let rollup = crate::report::rollup_index::RollupIndex::build(&catalog, &graph);
        Ok(Self {
            catalog,
            graph,
            checks,
            rollup,
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
        self.evaluate_paths_with_progress(paths, options, &NoProgress)
    }

    /// [`Engine::evaluate_paths`], reporting progress as files are read.
    pub fn evaluate_paths_with_progress(
        &self,
        paths: &[PathBuf],
        options: &Options,
        progress: &dyn Progress,
    ) -> Result<Report, OptionsError> {
        let targets: Vec<Target> = paths.iter().cloned().map(Target::Path).collect();
        self.evaluate_targets_with_progress(&targets, options, progress)
    }

    /// Evaluates paths and standard input ([`Target::Stdin`], read once as `<stdin>`), in the
    /// order given, reporting progress as files are read.
    pub fn evaluate_targets_with_progress(
        &self,
        targets: &[Target],
        options: &Options,
        progress: &dyn Progress,
    ) -> Result<Report, OptionsError> {
        let resolved = options.resolve_before_evidence(&self.catalog)?;
        let (mut inputs, missing) = load::collect(
            targets,
            &options.limits,
            options.kind.is_some(),
            &options.walk,
        );
        for m in missing {
            inputs.push(Input {
                name: m.to_string_lossy().into_owned(),
                source: evidence::Source::Error(evidence::EvidenceError::NotFound),
            });
        }
        progress.start(inputs.len());
        self.run(inputs, options, &resolved, progress)
    }

    /// The waivers of the objects' suppression annotations, once per object.
    fn inline_waivers(&self, items: &[evidence::Item]) -> Vec<crate::suppressions::Inline> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for item in items {
            let o = &item.origin;
            if let Some(annotations) = &o.suppressions {
                if seen.insert((o.file.clone(), o.document, o.path.clone())) {
                    out.extend(crate::suppressions::inline(o, annotations, &self.catalog));
                }
            }
        }
        out
    }

    /// Evaluates in-memory documents.
    ///
    /// ```
    /// use hullcheck::{Engine, NamedDocument, Options};
    /// let engine = Engine::builtin().unwrap();
    /// let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext: {privileged: true}\n";
    /// let docs = [NamedDocument { name: "pod.yaml".into(), bytes: pod.as_bytes().to_vec() }];
    /// let report = engine.evaluate_documents(&docs, &Options::default()).unwrap();
    /// assert!(report.findings.iter().any(|f| &*f.control_id == "RUN-003" && f.status.as_str() == "fail"));
    /// ```
    pub fn evaluate_documents(
        &self,
        documents: &[NamedDocument],
        options: &Options,
    ) -> Result<Report, OptionsError> {
        self.evaluate_documents_with_progress(documents, options, &NoProgress)
    }

    /// [`Engine::evaluate_documents`], reporting progress (and polling for cancellation) as
    /// documents are read.
    pub fn evaluate_documents_with_progress(
        &self,
        documents: &[NamedDocument],
        options: &Options,
        progress: &dyn Progress,
    ) -> Result<Report, OptionsError> {
        let resolved = options.resolve_before_evidence(&self.catalog)?;
        let mut total: u64 = 0;
        let inputs = documents
            .iter()
            .map(|d| {
                let size = d.bytes.len() as u64;
                total = total.saturating_add(size);
                let skip = options
                    .kind
                    .is_none()
                    .then(|| evidence::skip::named_file_skip(std::path::Path::new(&d.name)))
                    .flatten();
                let source = if let Some(reason) = skip {
                    evidence::Source::Skipped(reason)
                } else if size > options.limits.max_file_bytes {
                    evidence::Source::Error(evidence::EvidenceError::FileTooLarge {
                        size,
                        limit: options.limits.max_file_bytes,
                    })
                } else if total > options.limits.max_total_bytes {
                    evidence::Source::Error(evidence::EvidenceError::TotalTooLarge {
                        limit: options.limits.max_total_bytes,
                    })
                } else {
                    evidence::Source::Bytes(std::borrow::Cow::Borrowed(&d.bytes))
                };
                Input {
                    name: d.name.clone(),
                    source,
                }
            })
            .collect();
        self.run(inputs, options, &resolved, progress)
    }

    fn run(
        &self,
        inputs: Vec<Input<'_>>,
        options: &Options,
        resolved: &crate::eval::Resolved,
        progress: &dyn Progress,
    ) -> Result<Report, OptionsError> {
        let limits = &options.limits;
        let forced = options.kind.as_deref().and_then(EvidenceKind::by_name);
        let per_file: Vec<evidence::ParsedFile> = inputs
            .into_par_iter()
            .map(|input| {
                let name = input.name.clone();
                if progress.cancelled() {
                    // Not read: the evaluation is abandoned below.
                    return (
                        name,
                        Err(load::NoBytes::Error(evidence::EvidenceError::NotFound)),
                    );
                }
                (name, input.into_bytes(limits))
            })
            .map(|(name, bytes)| match bytes {
                Err(load::NoBytes::Error(e)) => {
                    evidence::ParsedFile::file_error(name.as_str().into(), e)
                }
                Err(load::NoBytes::Skipped(r)) => {
                    evidence::ParsedFile::file_skipped(name.as_str().into(), r)
                }
                Ok(bytes) => evidence::parse_bytes_as(&name, &bytes, limits, forced),
            })
            .inspect(|parsed| progress.file_done(parsed.documents.len()))
            .collect();
        if progress.cancelled() {
            return Err(OptionsError::Cancelled);
        }
        // Exact capacities: no doubling of the largest vectors of the run.
        let mut entries = Vec::with_capacity(per_file.iter().map(|p| p.documents.len()).sum());
        let mut items: Vec<evidence::Item> =
            Vec::with_capacity(per_file.iter().map(|p| p.items.len()).sum());
        let mut remaps = crate::report::relocate::Remaps::default();
        for p in per_file {
            remaps.extend(p.remaps);
            entries.extend(p.documents);
            items.extend(p.items);
        }
        // The evidence's admission policies become controls: an engine with them added runs
        // the rest, and the selection is resolved again against it.
        let admission = crate::eval::admission::controls::from_items(&self.catalog, &items);
        if admission.is_empty() && !options.names_admission_controls() {
            // Only CEL reads the parsed documents: without it they are freed now, in parallel,
            // as parsing freed them before they were kept.
            let cel = resolved.controls.iter().any(|i| {
                matches!(
                    self.checks.get(*i).map(|b| &b.check),
                    Some(Builtin::Cel(_) | Builtin::Admission(_))
                )
            });
            if !cel {
                items.par_iter_mut().for_each(|i| i.origin.tree = None);
            }
            let report = self.finish(entries, items, remaps, options, resolved);
            return if progress.cancelled() {
                Err(OptionsError::Cancelled)
            } else {
                Ok(report)
            };
        }
        let extended = self
            .catalog
            .with_controls(admission)
            .map_err(|e| OptionsError::AdmissionControls(e.to_string()))
            .and_then(|c| {
                Engine::new(c).map_err(|e| OptionsError::AdmissionControls(e.to_string()))
            })?;
        let resolved = crate::eval::Resolved {
            controls: options.resolve(&extended.catalog)?.controls,
            ..resolved.clone()
        };
        let report = extended.finish(entries, items, remaps, options, &resolved);
        if progress.cancelled() {
            return Err(OptionsError::Cancelled);
        }
        Ok(report)
    }

    /// The evaluation once the evidence is read: checks, waivers, rollup and the report.
    fn finish(
        &self,
        mut entries: Vec<evidence::DocumentEntry>,
        items: Vec<evidence::Item>,
        mut remaps: crate::report::relocate::Remaps,
        options: &Options,
        resolved: &crate::eval::Resolved,
    ) -> Report {
        let params = policy::apply_evidence_policies(
            &self.catalog,
            &resolved.params,
            &options.params,
            &items,
            &mut entries,
        );
        let mut documents: Vec<DocumentReport> =
            entries.par_iter().map(DocumentReport::from).collect();
        drop(entries);
        let inline = if options.no_annotation_waivers {
            Vec::new()
        } else {
            self.inline_waivers(&items)
        };
        let set = EvidenceSet::new(items);
        let selected: Vec<&Control> = resolved
            .controls
            .iter()
            .filter_map(|i| self.catalog.controls.get(*i))
            .collect();
        let bound: Vec<&Bound> = resolved
            .controls
            .iter()
            .filter_map(|i| self.checks.get(*i))
            .collect();
        let superseders: Vec<Option<(PssCheck, &str)>> =
            bound
                .iter()
                .map(|b| match &b.check {
                    Builtin::Pss(base) => selected.iter().zip(&bound).find_map(|(c, ob)| match &ob
                        .check
                    {
                        Builtin::Pss(r) if r.supersedes() == Some(*base) => {
                            Some((*r, c.id.as_str()))
                        }
                        _ => None,
                    }),
                    Builtin::Func(_) | Builtin::Cel(_) | Builtin::Admission(_) => None,
                })
                .collect();
        let params = Params(params);
        let results: Vec<(Vec<Finding>, Option<String>)> = selected
            .par_iter()
            .zip(bound.par_iter())
            .zip(superseders.par_iter())
            .map(|((control, b), sup)| {
                eval::run_control(control, b, &set, &params, resolved.now, *sup)
            })
            .collect();
        let mut findings = Vec::with_capacity(results.iter().map(|(f, _)| f.len()).sum());
        let mut notes = std::collections::BTreeMap::new();
        for (control, (f, note)) in selected.iter().zip(results) {
            findings.extend(f);
            if let Some(n) = note {
                notes.insert(control.id.clone(), n);
            }
        }
        // Findings from rendered streams are placed at their sources before waivers see them.
        remaps.apply(&mut findings);
        let waivers = crate::waivers::apply(&options.waivers, inline, &mut findings, resolved.now);
        // Counted while each control's findings still lie together (any order counts the same).
        let controls = rollup::controls(&selected, &findings, &notes);
        // The evidence is freed beside the sort, off the critical path.
        rayon::join(
            || {
                drop(set);
                documents
                    .sort_by(|a, b| (&a.file, a.index, &a.path).cmp(&(&b.file, b.index, &b.path)))
            },
            || crate::report::order::sort_findings(&mut findings),
        );
        let frameworks = rollup::frameworks(&self.catalog, &self.rollup, &controls);
        // Every finding belongs to one selected control, so the controls' counts add up to them.
        let mut finding_counts = Counts::default();
        controls
            .iter()
            .for_each(|c| finding_counts.merge(&c.counts));
        let mut control_counts = Counts::default();
        controls.iter().for_each(|c| control_counts.add(c.status));
        let document_errors = documents.iter().filter(|d| d.error.is_some()).count();
        let documents_skipped = documents.iter().filter(|d| d.skipped.is_some()).count();
        let summary = Summary {
            documents: documents.len(),
            documents_read: documents.len() - document_errors - documents_skipped,
            documents_skipped,
            document_errors,
            controls_assessed: control_counts.pass + control_counts.fail + control_counts.waived,
            result: Summary::result_of(&finding_counts, &control_counts, document_errors),
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
                skipped_controls: options.skip_controls.clone(),
                params: params.0.clone(),
            },
            summary,
            documents,
            findings,
            controls,
            frameworks,
            waivers,
        }
    }
}
