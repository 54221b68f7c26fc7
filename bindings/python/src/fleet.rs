//! The fleet report class: forwarders to `hullcheck::report::fleet`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyMapping;

use hullcheck::report::fleet::{self as core, render::FleetFormat};

use crate::{convert, errors, Report};

fn refused(e: &core::FleetError) -> PyErr {
    errors::options_code(e.to_string(), e.code())
}

/// The reports of named clusters merged: the clusters with their results, the control ×
/// cluster and framework × cluster matrices, and the divergence from a reference cluster.
/// Made by `Report.merge` and `FleetReport.merge`; merging is order-independent, so fleet
/// reports are a reduce step of any distributed engine. Fleet reports pickle (through their
/// JSON).
#[pyclass(frozen, module = "hullcheck")]
pub struct FleetReport {
    inner: core::FleetReport,
    dict: PyOnceLock<Py<PyAny>>,
}

impl FleetReport {
    fn new(inner: core::FleetReport) -> Self {
        Self {
            inner,
            dict: PyOnceLock::new(),
        }
    }

    fn part<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        self.to_dict(py)?.get_item(key)
    }
}

/// `Report.merge`: a mapping of names to reports, or `(name, report)` pairs.
pub fn merge_reports(
    reports: &Bound<'_, PyAny>,
    reference: Option<String>,
) -> PyResult<FleetReport> {
    let pairs: Vec<(String, Bound<'_, PyAny>)> = match reports.cast::<PyMapping>() {
        Ok(m) => m.items()?.extract()?,
        Err(_) => reports
            .try_iter()?
            .map(|i| i.and_then(|i| i.extract()))
            .collect::<PyResult<_>>()
            .map_err(|_| {
                errors::options_code(
                    "`reports` must map cluster names to reports, or be `(name, report)` pairs"
                        .to_owned(),
                    "options.merge",
                )
            })?,
    };
    let mut parts = Vec::with_capacity(pairs.len());
    for (name, report) in pairs {
        let report = report.cast::<Report>().map_err(|_| {
            errors::options_code(
                format!("the value for cluster `{name}` is not a hullcheck Report"),
                "options.merge",
            )
        })?;
        parts.push(
            core::FleetReport::from_report(&name, &report.get().inner).map_err(|e| refused(&e))?,
        );
    }
    core::FleetReport::merge(parts, reference.as_deref())
        .map(FleetReport::new)
        .map_err(|e| refused(&e))
}

#[pymethods]
impl FleetReport {
    /// Merges fleet reports (made by `Report.merge`, or read with `from_json`) into one;
    /// `reference` names the cluster the others are compared with. Any order and grouping of
    /// the same clusters give the same report; a cluster given twice is an `OptionsError`.
    #[staticmethod]
    #[pyo3(signature = (fleets, *, reference=None))]
    fn merge(fleets: Vec<PyRef<'_, FleetReport>>, reference: Option<String>) -> PyResult<Self> {
        core::FleetReport::merge(fleets.iter().map(|f| f.inner.clone()), reference.as_deref())
            .map(Self::new)
            .map_err(|e| refused(&e))
    }

    /// Reads a fleet report from its JSON (`to_json()` or `hullcheck merge`).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        core::FleetReport::from_json(text)
            .map(Self::new)
            .map_err(|e| refused(&e))
    }

    /// The fleet report as JSON text, byte-identical to `hullcheck merge`.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The fleet report as a dict (`FleetReportData`), converted once and cached.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = self.dict.get_or_try_init(py, || {
            convert::serialize(py, &self.inner).map(Bound::unbind)
        })?;
        Ok(v.bind(py).clone())
    }

    /// Renders the fleet report: json, text, markdown or html.
    fn render(&self, format: &str) -> PyResult<String> {
        let f: FleetFormat = format
            .parse()
            .map_err(|e: core::render::UnknownFleetFormat| {
                errors::options_code(e.to_string(), e.code())
            })?;
        Ok(core::render::render(&self.inner, f))
    }

    /// The reference cluster, when one is named.
    #[getter]
    fn reference(&self) -> Option<String> {
        self.inner.reference.clone()
    }

    /// The clusters, sorted by name (`Cluster` dicts).
    #[getter]
    fn clusters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.part(py, "clusters")
    }

    /// The control × cluster matrix (`ControlRow` dicts, sorted by control).
    #[getter]
    fn controls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.part(py, "controls")
    }

    /// The framework × cluster matrix (`FrameworkRow` dicts, sorted by framework).
    #[getter]
    fn frameworks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.part(py, "frameworks")
    }

    /// Controls that pass on the reference cluster and not on others (`Divergence` dicts).
    #[getter]
    fn divergence<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.part(py, "divergence")
    }

    /// Totals over the fleet (a `FleetSummary` dict).
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.part(py, "summary")
    }

    /// True unless every cluster passed.
    #[getter]
    fn has_failures(&self) -> bool {
        self.inner.has_failures()
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let rebuild = py
            .import("hullcheck._hullcheck")?
            .getattr("FleetReport")?
            .getattr("from_json")?;
        (rebuild, (self.inner.to_json(),))
            .into_pyobject(py)
            .map(Bound::into_any)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<FleetReport>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        let s = &self.inner.summary;
        format!(
            "<hullcheck.FleetReport {} clusters, result {}, {} divergent controls>",
            s.clusters,
            s.result.as_str(),
            s.divergent_controls
        )
    }
}
