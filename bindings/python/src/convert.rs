//! Value conversion between Python objects and the engine's types.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyBytes, PyDict, PyDictMethods, PyFloat, PyInt, PyList, PyString, PyTuple,
};

use crate::errors;

/// A JSON value as a Python object (dicts keep the report's key order).
pub fn to_py<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value as J;
    Ok(match value {
        J::Null => py.None().into_bound(py),
        J::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        J::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u), _) => u.into_pyobject(py)?.into_any(),
            (_, _, f) => PyFloat::new(py, f.unwrap_or(f64::NAN)).into_any(),
        },
        J::String(s) => PyString::new(py, s).into_any(),
        J::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        J::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A Python value (None, bool, int, float, str, list, tuple, dict) as JSON.
pub fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    use serde_json::Value as J;
    if obj.is_none() {
        return Ok(J::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(J::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(J::from(obj.extract::<i64>()?));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value()).map_or(J::Null, J::Number));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(J::String(s.extract::<String>()?));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l
            .iter()
            .map(|i| from_py(&i))
            .collect::<PyResult<Vec<_>>>()
            .map(J::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t
            .iter()
            .map(|i| from_py(&i))
            .collect::<PyResult<Vec<_>>>()
            .map(J::Array);
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, v) in d.iter() {
            map.insert(k.extract::<String>()?, from_py(&v)?);
        }
        return Ok(J::Object(map));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "unsupported value of type `{}`",
        obj.get_type().name()?
    )))
}

/// One path or a list of paths (`str`, `os.PathLike`, or a sequence of them).
#[derive(FromPyObject)]
pub enum Paths {
    /// A single path.
    One(PathBuf),
    /// A sequence of paths.
    Many(Vec<PathBuf>),
}

impl Paths {
    /// The paths as a list.
    pub fn into_vec(self) -> Vec<PathBuf> {
        match self {
            Self::One(p) => vec![p],
            Self::Many(v) => v,
        }
    }
}

/// A file path, or the value itself (for `policy=` and `waivers=`).
#[derive(FromPyObject)]
pub enum Source<'py> {
    /// A YAML or JSON file.
    File(PathBuf),
    /// The parsed value (a dict, or for waivers also a list of waivers).
    Value(Bound<'py, PyAny>),
}

/// Where an engine's catalog and user controls come from, kept so that a pickled report can
/// rebuild its engine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct EngineSource {
    /// The catalog directory (None: the built-in catalog).
    pub catalog: Option<PathBuf>,
    /// The user control directories.
    pub controls: Vec<PathBuf>,
}

impl EngineSource {
    /// Builds a new engine.
    pub fn load(&self) -> PyResult<Arc<hullcheck::Engine>> {
        hullcheck::Engine::load(self.catalog.as_deref(), &self.controls)
            .map(Arc::new)
            .map_err(|e| errors::engine(&e))
    }

    /// The engine of this source, built once per process (for reports read from JSON or
    /// unpickled, where one engine serves them all).
    pub fn load_shared(&self) -> PyResult<Arc<hullcheck::Engine>> {
        static ENGINES: Mutex<Vec<(EngineSource, Arc<hullcheck::Engine>)>> = Mutex::new(Vec::new());
        let mut engines = ENGINES
            .lock()
            .map_err(|_| errors::internal("loading a shared engine"))?;
        if let Some((_, e)) = engines.iter().find(|(s, _)| s == self) {
            return Ok(e.clone());
        }
        let engine = self.load()?;
        engines.push((self.clone(), engine.clone()));
        Ok(engine)
    }
}

/// Fails with `EvidenceError` (`evidence.missing_path`) on the first path that does not
/// exist, as the CLI exits 2 on one.
pub fn check_paths(paths: &[PathBuf]) -> PyResult<()> {
    hullcheck::check_paths(paths).map_err(|e| errors::evidence(e.to_string(), e.code()))
}

/// The profile and control selection keywords.
pub struct Selection {
    /// `profiles=`.
    pub profiles: Option<Vec<String>>,
    /// `controls=`.
    pub controls: Option<Vec<String>>,
    /// `skip_controls=`.
    pub skip_controls: Option<Vec<String>>,
}

fn policy(source: Source<'_>) -> PyResult<hullcheck::policy::PolicyFile> {
    match source {
        Source::File(path) => hullcheck::policy::PolicyFile::load(&path),
        Source::Value(v) => hullcheck::policy::PolicyFile::from_value(from_py(&v)?),
    }
    .map_err(|e| errors::options_code(e.to_string(), e.code()))
}

fn waivers(source: Source<'_>) -> PyResult<Vec<hullcheck::waivers::Waiver>> {
    match source {
        Source::File(path) => hullcheck::waivers::WaiversFile::load(&path).map(|w| w.waivers),
        Source::Value(v) => hullcheck::waivers::WaiversFile::waivers_from_value(from_py(&v)?),
    }
    .map_err(|e| errors::options_code(e.to_string(), e.code()))
}

/// Builds evaluation options from keyword arguments; a policy fills in what they leave out,
/// as the CLI's `--policy` does.
pub fn options(
    selection: Selection,
    params: Option<&Bound<'_, PyDict>>,
    now: Option<String>,
    kind: Option<String>,
    policy_source: Option<Source<'_>>,
    waivers_source: Option<Source<'_>>,
) -> PyResult<hullcheck::Options> {
    let waivers = match waivers_source {
        Some(w) => waivers(w)?,
        None => Vec::new(),
    };
    let mut map = BTreeMap::new();
    if let Some(p) = params {
        for (k, v) in p.iter() {
            map.insert(k.extract::<String>()?, from_py(&v)?);
        }
    }
    let mut options = hullcheck::Options {
        profiles: selection.profiles.unwrap_or_default(),
        controls: selection.controls.unwrap_or_default(),
        skip_controls: selection.skip_controls.unwrap_or_default(),
        params: map,
        now,
        kind,
        waivers,
        ..hullcheck::Options::default()
    };
    if let Some(p) = policy_source {
        policy(p)?.apply_under(&mut options);
    }
    Ok(options)
}

/// Reads `(name, bytes | str)` pairs into named documents.
pub fn documents(items: &Bound<'_, PyAny>) -> PyResult<Vec<hullcheck::NamedDocument>> {
    let mut out = Vec::new();
    for item in items.try_iter()? {
        let item = item?;
        let (name, content): (String, Bound<'_, PyAny>) = item.extract().map_err(|_| {
            errors::evidence(
                "each document must be a `(name, bytes | str)` pair".to_owned(),
                "evidence.invalid_document",
            )
        })?;
        let bytes = if let Ok(b) = content.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else if let Ok(s) = content.cast::<PyString>() {
            s.extract::<String>()?.into_bytes()
        } else {
            return Err(errors::evidence(
                format!("document `{name}` must be bytes or str"),
                "evidence.invalid_document",
            ));
        };
        out.push(hullcheck::NamedDocument { name, bytes });
    }
    Ok(out)
}

/// Any serialisable value as a Python object.
pub fn serialize<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| errors::evidence(e.to_string(), "internal.serialize"))?;
    to_py(py, &json)
}

/// The renderer's options: the checklists' target data and the OSCAL assessor and framework.
pub fn render_options(
    target: [Option<String>; 4],
    assessor: Option<String>,
    oscal_framework: Option<String>,
    links: [Option<String>; 3],
) -> hullcheck::report::RenderOptions {
    let [host, ip, fqdn, role] = target;
    let [link_base, source_root, help_base] = links;
    hullcheck::report::RenderOptions {
        target: hullcheck::report::stig::Target {
            host_name: host.unwrap_or_default(),
            host_ip: ip.unwrap_or_default(),
            host_fqdn: fqdn.unwrap_or_default(),
            role: role.unwrap_or_default(),
            ..Default::default()
        },
        link_base,
        assessor,
        oscal_framework,
        source_root,
        help_base,
        color: false,
    }
}

/// `path` made absolute against the working directory (SARIF's source root).
pub fn absolute(path: std::path::PathBuf) -> String {
    std::path::absolute(&path)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Python strings for the engine's shared strings, made once per `Arc` (a control's ID,
/// severity, layer and constant messages, and file names, recur across findings).
struct Strings<'py> {
    py: Python<'py>,
    made: std::collections::HashMap<usize, Bound<'py, PyString>>,
}

impl<'py> Strings<'py> {
    fn get(&mut self, s: &Arc<str>) -> Bound<'py, PyString> {
        let py = self.py;
        self.made
            .entry(Arc::as_ptr(s).cast::<u8>() as usize)
            .or_insert_with(|| PyString::new(py, s))
            .clone()
    }

    fn opt(&mut self, s: Option<&Arc<str>>) -> Bound<'py, PyAny> {
        match s {
            Some(s) => self.get(s).into_any(),
            None => self.py.None().into_bound(self.py),
        }
    }
}

/// The findings as Python dicts, equal to their JSON (`tests/test_library.py` checks it against
/// `json.loads(report.to_json())`): built directly, with each shared string and subject converted
/// once, which is several times faster than going through a JSON value.
pub fn findings<'py>(
    py: Python<'py>,
    findings: &[hullcheck::report::Finding],
) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::intern;
    let mut strings = Strings {
        py,
        made: std::collections::HashMap::new(),
    };
    let mut subjects: std::collections::HashMap<usize, Bound<'py, PyDict>> =
        std::collections::HashMap::new();
    let status = |s: hullcheck::report::Status| PyString::intern(py, s.as_str());
    let mut items = Vec::with_capacity(findings.len());
    for f in findings {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "control_id"), strings.get(&f.control_id))?;
        d.set_item(intern!(py, "status"), status(f.status))?;
        d.set_item(intern!(py, "severity"), strings.get(&f.severity))?;
        d.set_item(intern!(py, "layer"), strings.get(&f.layer))?;
        d.set_item(intern!(py, "message"), strings.get(&f.message))?;
        let key = Arc::as_ptr(&f.subject) as usize;
        let subject = match subjects.get(&key) {
            Some(s) => s.copy()?,
            None => {
                let s = PyDict::new(py);
                let sub = &f.subject;
                s.set_item(intern!(py, "kind"), strings.opt(sub.kind.as_ref()))?;
                s.set_item(
                    intern!(py, "namespace"),
                    strings.opt(sub.namespace.as_ref()),
                )?;
                s.set_item(intern!(py, "name"), strings.opt(sub.name.as_ref()))?;
                s.set_item(
                    intern!(py, "container"),
                    strings.opt(sub.container.as_ref()),
                )?;
                s.set_item(intern!(py, "image"), strings.opt(sub.image.as_ref()))?;
                let copy = s.copy()?;
                subjects.insert(key, s);
                copy
            }
        };
        d.set_item(intern!(py, "subject"), subject)?;
        let l = &f.location;
        let loc = PyDict::new(py);
        loc.set_item(intern!(py, "file"), strings.get(&l.file))?;
        loc.set_item(intern!(py, "document"), l.document)?;
        loc.set_item(intern!(py, "line"), l.line)?;
        loc.set_item(intern!(py, "path"), strings.get(&l.path))?;
        if let Some(r) = &l.rendered {
            let rd = PyDict::new(py);
            rd.set_item(intern!(py, "file"), PyString::new(py, &r.file))?;
            rd.set_item(intern!(py, "document"), r.document)?;
            rd.set_item(intern!(py, "line"), r.line)?;
            loc.set_item(intern!(py, "rendered"), rd)?;
        }
        d.set_item(intern!(py, "location"), loc)?;
        items.push(d);
    }
    Ok(PyList::new(py, items)?.into_any())
}
