//! Error mapping: every hullcheck error becomes a JS `Error` whose `code` is the stable dotted code.

use napi::bindgen_prelude::JsError;
use napi::bindgen_prelude::JsObjectValue as _;
use napi::Env;
use napi::JsValue as _;

/// A JS error object with `code`, carried as a `napi::Error` so it can be thrown or rejected.
pub fn coded(env: &Env, code: &str, message: String) -> napi::Error {
    let err = napi::Error::new(code.to_owned(), message);
    let js = JsError::from(err).into_unknown(*env);
    napi::Error::from(js)
}

/// An error that is not tied to an environment (built lazily on the JS thread).
#[derive(Debug, Clone)]
pub struct Pending {
    /// Stable code.
    pub code: String,
    /// Message.
    pub message: String,
}

impl Pending {
    /// Turns the pending error into a JS error.
    pub fn into_napi(self, env: &Env) -> napi::Error {
        coded(env, &self.code, self.message)
    }
}

/// Maps an engine-construction error.
pub fn engine(e: &hullcheck::EngineError) -> Pending {
    Pending {
        code: e.code().to_owned(),
        message: e.to_string(),
    }
}

/// Maps an options error.
pub fn options(e: &hullcheck::OptionsError) -> Pending {
    Pending {
        code: e.code().to_owned(),
        message: e.to_string(),
    }
}

/// A panic caught at the boundary: never an abort of the Node process.
pub fn internal(what: &str) -> Pending {
    Pending {
        code: "internal.panic".to_owned(),
        message: format!("internal error while {what}"),
    }
}

/// The rejection of an aborted evaluation: an `Error` named `AbortError` with code `ABORT_ERR`,
/// as Node's own aborted calls give.
pub fn aborted(env: &Env) -> napi::Error {
    let err = napi::Error::new(
        "ABORT_ERR".to_owned(),
        "the evaluation was aborted".to_owned(),
    );
    let js = JsError::from(err).into_unknown(*env);
    if let Ok(mut obj) = js.coerce_to_object() {
        let _ = obj.set_named_property("name", "AbortError");
    }
    napi::Error::from(js)
}
