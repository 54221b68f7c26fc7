//! Python bindings of hullcheck: forwarders only. Value conversion lives in `convert`, error
//! mapping in `errors`; all evaluation logic is the `hullcheck` crate's.

mod convert;
mod errors;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Runs `f` with the GIL released, turning a panic into a `HullcheckError`.
fn guarded<T: Send>(py: Python<'_>, what: &str, f: impl FnOnce() -> T + Send) -> PyResult<T> {
    py.detach(|| catch_unwind(AssertUnwindSafe(f)))
        .map_err(|_| errors::internal(what))
}

/// An evaluation engine over a catalog; safe to share between threads.
#[pyclass(frozen, module = "hullcheck._hullcheck")]
struct Engine {
    inner: Arc<hullcheck::Engine>,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (catalog=None, controls=None))]
    fn new(
        py: Python<'_>,
        catalog: Option<PathBuf>,
        controls: Option<Vec<PathBuf>>,
    ) -> PyResult<Self> {
        let controls = controls.unwrap_or_default();
        let built = guarded(py, "loading the catalog", || {
            hullcheck::Engine::load(catalog.as_deref(), &controls)
        })?;
        built
            .map(|e| Self { inner: Arc::new(e) })
            .map_err(|e| errors::engine(&e))
    }

    #[pyo3(signature = (paths, *, profiles=None, controls=None, skip_controls=None, params=None, now=None, kind=None, waivers=None, exclude=None, no_ignore=false, no_annotation_waivers=false))]
    #[allow(clippy::too_many_arguments)]
    fn evaluate_paths(
        &self,
        py: Python<'_>,
        paths: Vec<PathBuf>,
        profiles: Option<Vec<String>>,
        controls: Option<Vec<String>>,
        skip_controls: Option<Vec<String>>,
        params: Option<&Bound<'_, PyDict>>,
        now: Option<String>,
        kind: Option<String>,
        waivers: Option<&Bound<'_, PyAny>>,
        exclude: Option<Vec<String>>,
        no_ignore: bool,
        no_annotation_waivers: bool,
    ) -> PyResult<Report> {
        let mut options = convert::options(
            profiles,
            controls,
            skip_controls,
            params,
            now,
            kind,
            waivers,
        )?;
        options.walk.exclude = exclude.unwrap_or_default();
        options.walk.no_ignore_files = no_ignore;
        options.no_annotation_waivers = no_annotation_waivers;
        let engine = self.inner.clone();
        let report = guarded(py, "evaluating paths", move || {
            engine.evaluate_paths(&paths, &options)
        })?;
        let engine = self.inner.clone();
        report
            .map(|r| Report::new(r, engine))
            .map_err(|e| errors::options(&e))
    }

    #[pyo3(signature = (documents, *, profiles=None, controls=None, skip_controls=None, params=None, now=None, kind=None, waivers=None, no_annotation_waivers=false))]
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
        waivers: Option<&Bound<'_, PyAny>>,
        no_annotation_waivers: bool,
    ) -> PyResult<Report> {
        let docs = convert::documents(documents)?;
        let mut options = convert::options(
            profiles,
            controls,
            skip_controls,
            params,
            now,
            kind,
            waivers,
        )?;
        options.no_annotation_waivers = no_annotation_waivers;
        let engine = self.inner.clone();
        let report = guarded(py, "evaluating documents", move || {
            engine.evaluate_documents(&docs, &options)
        })?;
        let engine = self.inner.clone();
        report
            .map(|r| Report::new(r, engine))
            .map_err(|e| errors::options(&e))
    }

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

/// Catalog and graph queries.
#[pyclass(frozen, module = "hullcheck._hullcheck")]
struct Catalog {
    inner: Arc<hullcheck::Engine>,
}

#[pymethods]
impl Catalog {
    #[getter]
    fn version(&self) -> String {
        self.inner.catalog().meta.version.clone()
    }

    #[getter]
    fn digest(&self) -> String {
        self.inner.catalog().digest.clone()
    }

    fn controls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.controls())
    }

    fn frameworks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.frameworks())
    }

    fn practices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.practices())
    }

    fn layers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.layers())
    }

    fn requirements_for_control<'py>(
        &self,
        py: Python<'py>,
        control_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.requirements_for_control(control_id))
    }

    fn controls_for_requirement(&self, framework_id: &str, requirement_id: &str) -> Vec<String> {
        self.inner
            .controls_for_requirement(framework_id, requirement_id)
    }

    fn coverage<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.coverage())
    }

    fn graph<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize(py, &self.inner.graph_json())
    }

    fn graph_dot(&self) -> String {
        self.inner.graph_dot()
    }
}

/// An evaluation report.
#[pyclass(frozen, module = "hullcheck._hullcheck")]
struct Report {
    inner: Arc<hullcheck::Report>,
    engine: Arc<hullcheck::Engine>,
    json: serde_json::Value,
}

impl Report {
    fn new(report: hullcheck::Report, engine: Arc<hullcheck::Engine>) -> Self {
        let json = serde_json::to_value(&report).unwrap_or(serde_json::Value::Null);
        Self {
            inner: Arc::new(report),
            engine,
            json,
        }
    }

    fn field<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, self.json.get(key).unwrap_or(&serde_json::Value::Null))
    }
}

#[pymethods]
impl Report {
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.json)
    }

    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Renders the report: json, text, sarif, oscal, junit, markdown, html, ckl or cklb. The
    /// `target_*` keywords fill the STIG checklists' target data; `assessor` and
    /// `oscal_framework` name OSCAL's assessor and the framework of its findings.
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

    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "findings")
    }

    #[getter]
    fn frameworks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "frameworks")
    }

    #[getter]
    fn controls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "controls")
    }

    #[getter]
    fn documents<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "documents")
    }

    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "summary")
    }

    #[getter]
    fn evaluated_at(&self) -> String {
        self.inner.evaluated_at.clone()
    }

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

/// Proves the boundary: a Rust panic inside the engine surfaces as `HullcheckError` with code
/// `internal.panic`, never as an abort of the interpreter. Used by the test suite.
#[pyfunction]
fn _boundary_check(py: Python<'_>) -> PyResult<()> {
    guarded(py, "running the boundary self-check", || {
        std::panic::resume_unwind(Box::new("boundary self-check"))
    })
}

/// The native module.
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
    errors::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
