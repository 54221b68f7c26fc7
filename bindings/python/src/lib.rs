//! Python bindings of hullcheck: forwarders only. Value conversion lives in `convert`, error
//! mapping in `errors`, the fleet report in `fleet`; all evaluation logic is the `hullcheck`
//! crate's.

mod convert;
mod errors;
mod fleet;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use convert::{Paths, Source};

/// Runs `f` with the GIL released, turning a panic into a `HullcheckError`.
fn guarded<T: Send>(py: Python<'_>, what: &str, f: impl FnOnce() -> T + Send) -> PyResult<T> {
    py.detach(|| catch_unwind(AssertUnwindSafe(f)))
        .map_err(|_| errors::internal(what))
}

/// An evaluation engine over a catalog: the built-in one, or one loaded from a directory laid
/// out like `controls/`, with user controls added. Build it once and share it: it is immutable
/// and safe to use from many threads at once, and evaluation releases the GIL.
#[pyclass(frozen, module = "hullcheck")]
struct Engine {
    inner: Arc<hullcheck::Engine>,
    source: Arc<convert::EngineSource>,
}

#[pymethods]
impl Engine {
    /// The built-in catalog (or `catalog`, a directory laid out like `controls/`), with the
    /// user controls and frameworks of each directory in `controls` added. Raises
    /// `CatalogError` when a catalog or control file is refused.
    #[new]
    #[pyo3(signature = (catalog=None, controls=None))]
    fn new(py: Python<'_>, catalog: Option<PathBuf>, controls: Option<Paths>) -> PyResult<Self> {
        let source = convert::EngineSource {
            catalog,
            controls: controls.map(Paths::into_vec).unwrap_or_default(),
        };
        let inner = guarded(py, "loading the catalog", || source.load())??;
        Ok(Self {
            inner,
            source: Arc::new(source),
        })
    }

    /// Evaluates files and directories (one path, or a list), as `hullcheck evaluate` does.
    /// Keywords are the CLI's flags: `profiles`, `controls`, `skip_controls`, `params`, `now`
    /// (RFC 3339, for reproducible reports), `kind`, `policy` and `waivers` (a file path, or
    /// the parsed value), `exclude` (gitignore globs), `no_ignore` and
    /// `no_annotation_waivers`. Raises `EvidenceError` (code `evidence.missing_path`) when a
    /// path does not exist, and `OptionsError` when an option is refused.
    #[pyo3(signature = (paths, *, profiles=None, controls=None, skip_controls=None, params=None, now=None, kind=None, policy=None, waivers=None, exclude=None, no_ignore=false, no_annotation_waivers=false))]
    #[allow(clippy::too_many_arguments)]
    fn evaluate_paths(
        &self,
        py: Python<'_>,
        paths: Paths,
        profiles: Option<Vec<String>>,
        controls: Option<Vec<String>>,
        skip_controls: Option<Vec<String>>,
        params: Option<&Bound<'_, PyDict>>,
        now: Option<String>,
        kind: Option<String>,
        policy: Option<Source<'_>>,
        waivers: Option<Source<'_>>,
        exclude: Option<Vec<String>>,
        no_ignore: bool,
        no_annotation_waivers: bool,
    ) -> PyResult<Report> {
        let paths = paths.into_vec();
        convert::check_paths(&paths)?;
        let mut options = convert::options(
            convert::Selection {
                profiles,
                controls,
                skip_controls,
            },
            params,
            now,
            kind,
            policy,
            waivers,
        )?;
        options.walk.exclude = exclude.unwrap_or_default();
        options.walk.no_ignore_files = no_ignore;
        options.no_annotation_waivers = no_annotation_waivers;
        let engine = self.inner.clone();
        let report = guarded(py, "evaluating paths", move || {
            engine.evaluate_paths(&paths, &options)
        })?;
        report
            .map(|r| Report::new(r, self.inner.clone(), self.source.clone()))
            .map_err(|e| errors::options(&e))
    }

    /// Evaluates in-memory documents: an iterable of `(name, bytes | str)` pairs, the name
    /// standing for the file in findings. Keywords as for `evaluate_paths`.
    #[pyo3(signature = (documents, *, profiles=None, controls=None, skip_controls=None, params=None, now=None, kind=None, policy=None, waivers=None, no_annotation_waivers=false))]
    #[allow(clippy::too_many_arguments)]
    fn evaluate(
        &self,
        py: Python<'_>,
        documents: &Bound<'_, PyAny>,
        profiles: Option<Vec<String>>,
        controls: Option<Vec<String>>,
        skip_controls: Option<Vec<String>>,
        params: Option<&Bound<'_, PyDict>>,
        now: Option<String>,
        kind: Option<String>,
        policy: Option<Source<'_>>,
        waivers: Option<Source<'_>>,
        no_annotation_waivers: bool,
    ) -> PyResult<Report> {
        let docs = convert::documents(documents)?;
        let mut options = convert::options(
            convert::Selection {
                profiles,
                controls,
                skip_controls,
            },
            params,
            now,
            kind,
            policy,
            waivers,
        )?;
        options.no_annotation_waivers = no_annotation_waivers;
        let engine = self.inner.clone();
        let report = guarded(py, "evaluating documents", move || {
            engine.evaluate_documents(&docs, &options)
        })?;
        report
            .map(|r| Report::new(r, self.inner.clone(), self.source.clone()))
            .map_err(|e| errors::options(&e))
    }

    /// Reads a report from its JSON (`Report.to_json()` or the CLI's output), rendering it
    /// with this engine's catalog.
    fn report_from_json(&self, text: &str) -> PyResult<Report> {
        Report::from_text(text, self.inner.clone(), self.source.clone())
    }

    /// Catalog and graph queries.
    #[getter]
    fn catalog(&self) -> Catalog {
        Catalog {
            inner: self.inner.clone(),
        }
    }

    fn __repr__(&self) -> String {
        let c = self.inner.catalog();
        format!(
            "<hullcheck.Engine catalog {} with {} controls>",
            c.meta.version,
            c.controls.len()
        )
    }
}

/// Catalog and graph queries: the controls, frameworks, practices and layers, and the graph
/// that maps controls onto framework requirements.
#[pyclass(frozen, module = "hullcheck")]
struct Catalog {
    inner: Arc<hullcheck::Engine>,
}

#[pymethods]
impl Catalog {
    /// The catalog's version.
    #[getter]
    fn version(&self) -> String {
        self.inner.catalog().meta.version.clone()
    }

    /// The `sha256:` digest of the catalog files.
    #[getter]
    fn digest(&self) -> String {
        self.inner.catalog().digest.clone()
    }

    /// Every control, with its check, mappings and practices.
    fn controls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.controls())
    }

    /// Every framework with its requirements.
    fn frameworks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.frameworks())
    }

    /// Every lifecycle practice of the seed.
    fn practices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.practices())
    }

    /// The six layers.
    fn layers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.layers())
    }

    /// The framework requirements a control evidences, directly or through a baseline.
    fn requirements_for_control<'py>(
        &self,
        py: Python<'py>,
        control_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.requirements_for_control(control_id))
    }

    /// The controls that evidence a framework requirement.
    fn controls_for_requirement(&self, framework_id: &str, requirement_id: &str) -> Vec<String> {
        self.inner
            .controls_for_requirement(framework_id, requirement_id)
    }

    /// Per framework: how many requirements the catalog evidences, and how.
    fn coverage<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.coverage())
    }

    /// The catalog graph as nodes and edges.
    fn graph<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.graph_json())
    }

    /// The catalog graph in Graphviz DOT syntax.
    fn graph_dot(&self) -> String {
        self.inner.graph_dot()
    }
}

/// An evaluation report: the CLI's JSON report, with typed read access (`findings`,
/// `controls`, `frameworks`, `documents`, `summary`: converted once, on first access, and the
/// same objects after), rendering in every format, the CI gate, and fleet merging. Reports
/// pickle (through their JSON), so they cross `multiprocessing`, Ray and Dask.
#[pyclass(frozen, module = "hullcheck")]
struct Report {
    inner: Arc<hullcheck::Report>,
    engine: Arc<hullcheck::Engine>,
    source: Arc<convert::EngineSource>,
    cache: [PyOnceLock<Py<PyAny>>; 5],
}

/// The cached fields, in `Report::cache` order.
#[derive(Clone, Copy)]
enum Field {
    Findings,
    Controls,
    Frameworks,
    Documents,
    Summary,
}

impl Report {
    fn new(
        report: hullcheck::Report,
        engine: Arc<hullcheck::Engine>,
        source: Arc<convert::EngineSource>,
    ) -> Self {
        Self {
            inner: Arc::new(report),
            engine,
            source,
            cache: std::array::from_fn(|_| PyOnceLock::new()),
        }
    }

    fn from_text(
        text: &str,
        engine: Arc<hullcheck::Engine>,
        source: Arc<convert::EngineSource>,
    ) -> PyResult<Self> {
        let report: hullcheck::Report = serde_json::from_str(text).map_err(|e| {
            errors::evidence(
                format!("not a hullcheck JSON report: {e}"),
                "evidence.not_a_report",
            )
        })?;
        Ok(Self::new(report, engine, source))
    }

    fn field<'py>(&self, py: Python<'py>, field: Field) -> PyResult<Bound<'py, PyAny>> {
        let r = &self.inner;
        let cell = self
            .cache
            .get(field as usize)
            .ok_or_else(|| errors::internal("reading a report field"))?;
        let value = cell.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            let obj = match field {
                Field::Findings => convert::findings(py, &r.findings)?,
                Field::Controls => convert::serialize(py, &r.controls)?,
                Field::Frameworks => convert::serialize(py, &r.frameworks)?,
                Field::Documents => convert::serialize(py, &r.documents)?,
                Field::Summary => convert::serialize(py, &r.summary)?,
            };
            Ok(obj.unbind())
        })?;
        Ok(value.bind(py).clone())
    }
}

#[pymethods]
impl Report {
    /// Reads a report from its JSON (`to_json()` or the CLI's output). It renders with the
    /// built-in catalog unless `engine` is given.
    #[staticmethod]
    #[pyo3(signature = (text, engine=None))]
    fn from_json(py: Python<'_>, text: &str, engine: Option<&Engine>) -> PyResult<Self> {
        match engine {
            Some(e) => Self::from_text(text, e.inner.clone(), e.source.clone()),
            None => {
                let source = convert::EngineSource::default();
                let engine = guarded(py, "loading the catalog", || source.load_shared())??;
                Self::from_text(text, engine, Arc::new(source))
            }
        }
    }

    /// Merges the reports of named clusters (`{"prod": report, ...}`, or `(name, report)`
    /// pairs) into a fleet report: the control × cluster matrix and, with `reference`, the
    /// controls that pass on that cluster and not on others. Any order gives the same result.
    #[staticmethod]
    #[pyo3(signature = (reports, *, reference=None))]
    fn merge(
        reports: &Bound<'_, PyAny>,
        reference: Option<String>,
    ) -> PyResult<fleet::FleetReport> {
        fleet::merge_reports(reports, reference)
    }

    /// The report as a dict, equal to `json.loads(self.to_json())`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &*self.inner)
    }

    /// The report as JSON text, byte-identical to the CLI's `--format json`.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Renders the report: json, text, sarif, oscal, junit, markdown, html, ckl or cklb. The
    /// `target_*` keywords fill the STIG checklists' target data; `assessor` and
    /// `oscal_framework` name OSCAL's assessor and the framework of its findings; `link_base`
    /// links Markdown findings, `source_root` and `help_base` shape SARIF.
    #[pyo3(signature = (format, *, target_host=None, target_ip=None, target_fqdn=None, target_role=None, assessor=None, oscal_framework=None, link_base=None, source_root=None, help_base=None))]
    #[allow(clippy::too_many_arguments)]
    fn render(
        &self,
        format: &str,
        target_host: Option<String>,
        target_ip: Option<String>,
        target_fqdn: Option<String>,
        target_role: Option<String>,
        assessor: Option<String>,
        oscal_framework: Option<String>,
        link_base: Option<String>,
        source_root: Option<PathBuf>,
        help_base: Option<String>,
    ) -> PyResult<String> {
        let f: hullcheck::report::Format =
            format
                .parse()
                .map_err(|e: hullcheck::report::render::UnknownFormat| {
                    errors::options_code(e.to_string(), e.code())
                })?;
        let options = convert::render_options(
            [target_host, target_ip, target_fqdn, target_role],
            assessor,
            oscal_framework,
            [link_base, source_root.map(convert::absolute), help_base],
        );
        options
            .check(self.engine.catalog())
            .map_err(|e| errors::options_code(e.to_string(), e.code()))?;
        Ok(hullcheck::report::render_with(
            &self.inner,
            self.engine.catalog(),
            f,
            &options,
        ))
    }

    /// Every finding, sorted by file, document, line and control (a list of `Finding`
    /// dicts, converted once and shared by every access).
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, Field::Findings)
    }

    /// Per-framework results, sorted by framework (`FrameworkResult` dicts, cached).
    #[getter]
    fn frameworks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, Field::Frameworks)
    }

    /// Per-control results, sorted by control (`ControlResult` dicts, cached).
    #[getter]
    fn controls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, Field::Controls)
    }

    /// Every document read, skipped or in error (`DocumentReport` dicts, cached).
    #[getter]
    fn documents<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, Field::Documents)
    }

    /// The totals and the overall result (a `Summary` dict, cached).
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, Field::Summary)
    }

    /// The evaluation time, RFC 3339 UTC.
    #[getter]
    fn evaluated_at(&self) -> String {
        self.inner.evaluated_at.clone()
    }

    /// True when any unwaived finding fails.
    #[getter]
    fn has_failures(&self) -> bool {
        self.inner.has_failures()
    }

    /// The CI gate, as the CLI's exit code decides it: fails on an unwaived failure at or
    /// above `fail_on`, on a failing requirement of a framework in `frameworks`, on documents
    /// that could not be read (unless `accept_unreadable`) and on an evaluation that assessed
    /// nothing (unless `accept_empty`). Returns `{"passed", "result", "reasons"}`.
    #[pyo3(signature = (*, fail_on = "low", frameworks = None, accept_unreadable = false, accept_empty = false))]
    fn gate<'py>(
        &self,
        py: Python<'py>,
        fail_on: &str,
        frameworks: Option<Vec<String>>,
        accept_unreadable: bool,
        accept_empty: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let gate = hullcheck::report::Gate {
            fail_on: fail_on.to_owned(),
            frameworks: frameworks.unwrap_or_default(),
            accept_unreadable,
            accept_empty,
        };
        let outcome = self.inner.gate(&gate).map_err(|e| errors::options(&e))?;
        convert::serialize(py, &outcome)
    }

    /// One framework's result, or None when the report does not hold it.
    fn framework<'py>(&self, py: Python<'py>, framework_id: &str) -> PyResult<Bound<'py, PyAny>> {
        match self
            .inner
            .frameworks
            .iter()
            .find(|f| f.framework_id == framework_id)
        {
            Some(f) => convert::serialize(py, f),
            None => Ok(py.None().into_bound(py)),
        }
    }

    /// Pickles through the JSON, with the catalog and control directories the report was made
    /// with (rebuilt, once per process, where it is unpickled).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let rebuild = py
            .import("hullcheck._hullcheck")?
            .getattr("_report_from_pickle")?;
        let args = (
            self.inner.to_json(),
            self.source.catalog.clone(),
            self.source.controls.clone(),
        );
        (rebuild, args).into_pyobject(py).map(Bound::into_any)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Report>()
            .is_ok_and(|o| *o.get().inner == *self.inner)
    }

    fn __repr__(&self) -> String {
        let s = &self.inner.summary;
        format!(
            "<hullcheck.Report {}: {} findings, {} failing, {} documents>",
            self.inner.evaluated_at,
            self.inner.findings.len(),
            s.findings.fail,
            s.documents
        )
    }
}

/// Rebuilds a pickled report (see `Report.__reduce__`).
#[pyfunction]
#[pyo3(signature = (text, catalog=None, controls=None))]
fn _report_from_pickle(
    py: Python<'_>,
    text: &str,
    catalog: Option<PathBuf>,
    controls: Option<Vec<PathBuf>>,
) -> PyResult<Report> {
    let source = convert::EngineSource {
        catalog,
        controls: controls.unwrap_or_default(),
    };
    let engine = guarded(py, "loading the catalog", || source.load_shared())??;
    Report::from_text(text, engine, Arc::new(source))
}

/// Compares two reports: the findings failing in `new` and not in `old`, those fixed, and the
/// requirements whose status changed (as `hullcheck diff`). Returns a dict, or the rendering
/// when `format` is `text`, `json` or `markdown`.
#[pyfunction]
#[pyo3(signature = (old, new, *, format=None))]
fn diff<'py>(
    py: Python<'py>,
    old: &Report,
    new: &Report,
    format: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let d = hullcheck::report::diff::diff(&old.inner, &new.inner);
    match format {
        None => convert::serialize(py, &d),
        Some(f @ ("text" | "json" | "markdown")) => {
            Ok(pyo3::types::PyString::new(py, &hullcheck::report::diff::render(&d, f)).into_any())
        }
        Some(other) => Err(errors::options_code(
            format!("unknown diff format `{other}`: use text, json or markdown"),
            "options.unknown_format",
        )),
    }
}

/// Proves the boundary: a Rust panic inside the engine surfaces as `HullcheckError` with code
/// `internal.panic`, never as an abort of the interpreter. Used by the test suite.
#[pyfunction]
fn _boundary_check(py: Python<'_>) -> PyResult<()> {
    guarded(py, "running the boundary self-check", || {
        std::panic::resume_unwind(Box::new("boundary self-check"))
    })
}

/// Runs the `hullcheck` command line on `argv` (program name first) and returns its exit code:
/// the same CLI as the binary, for the package's `hullcheck` command.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> PyResult<u8> {
    guarded(py, "running the command line", move || {
        hullcheck_cli::run(argv)
    })
}

#[pymodule]
fn _hullcheck(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add_function(wrap_pyfunction!(_boundary_check, m)?)?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add_class::<Catalog>()?;
    m.add_class::<Report>()?;
    m.add_class::<fleet::FleetReport>()?;
    m.add_function(wrap_pyfunction!(_report_from_pickle, m)?)?;
    m.add_function(wrap_pyfunction!(diff, m)?)?;
    errors::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
