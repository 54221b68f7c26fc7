//! Error mapping: every hullcheck error becomes a `HullcheckError` subclass carrying `.code`.
//! The classes live in module `hullcheck` (their `__module__`), so they pickle by reference.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pyo3::create_exception!(
    hullcheck,
    HullcheckError,
    PyException,
    "Base class of hullcheck errors; `.code` is the stable dotted code."
);
pyo3::create_exception!(
    hullcheck,
    CatalogError,
    HullcheckError,
    "The catalog could not be loaded or validated."
);
pyo3::create_exception!(
    hullcheck,
    EvidenceError,
    HullcheckError,
    "Evidence passed to the engine is not usable."
);
pyo3::create_exception!(
    hullcheck,
    OptionsError,
    HullcheckError,
    "Evaluation options were refused."
);

fn with_code(err: PyErr, code: &str) -> PyErr {
    Python::attach(|py| {
        let _ = err.value(py).setattr("code", code);
    });
    err
}

/// A catalog or engine-construction error.
pub fn engine(e: &hullcheck::EngineError) -> PyErr {
    with_code(CatalogError::new_err(e.to_string()), e.code())
}

/// An options error.
pub fn options(e: &hullcheck::OptionsError) -> PyErr {
    with_code(OptionsError::new_err(e.to_string()), e.code())
}

/// An options error known only by message and code.
pub fn options_code(message: String, code: &str) -> PyErr {
    with_code(OptionsError::new_err(message), code)
}

/// A problem with the evidence arguments themselves.
pub fn evidence(message: String, code: &str) -> PyErr {
    with_code(EvidenceError::new_err(message), code)
}

/// A panic caught at the boundary: never an abort of the interpreter.
pub fn internal(what: &str) -> PyErr {
    with_code(
        HullcheckError::new_err(format!("internal error while {what}")),
        "internal.panic",
    )
}

/// Registers the exception classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("HullcheckError", py.get_type::<HullcheckError>())?;
    m.add("CatalogError", py.get_type::<CatalogError>())?;
    m.add("EvidenceError", py.get_type::<EvidenceError>())?;
    m.add("OptionsError", py.get_type::<OptionsError>())?;
    Ok(())
}
