//! Node bindings of hullcheck (napi-rs): forwarders only. Value conversion lives in `convert`,
//! error mapping in `errors`; all evaluation logic is the `hullcheck` crate's.

mod convert;
mod errors;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;

use convert::{Document, EngineOptions, EvaluateOptions};
use errors::Pending;

type Outcome = Result<hullcheck::Report, Pending>;

fn guarded(what: &str, f: impl FnOnce() -> Outcome) -> Outcome {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err(errors::internal(what)))
}

enum Input {
    Paths(Vec<PathBuf>),
    Documents(Vec<hullcheck::NamedDocument>),
}

fn run(engine: &hullcheck::Engine, input: &Input, options: &hullcheck::Options) -> Outcome {
    guarded("evaluating evidence", || {
        match input {
            Input::Paths(p) => engine.evaluate_paths(p, options),
            Input::Documents(d) => engine.evaluate_documents(d, options),
        }
        .map_err(|e| errors::options(&e))
    })
}

/// Runs the `hullcheck` command line on `argv` (program name first) and returns its exit code:
/// the same CLI as the binary, for the package's `bin`. An internal failure returns 70.
#[napi]
pub fn run_cli(argv: Vec<String>) -> u32 {
    catch_unwind(AssertUnwindSafe(|| hullcheck_cli::run(argv))).map_or(70, u32::from)
}

/// An evaluation engine over a catalog.
#[napi]
pub struct Engine {
    inner: Arc<hullcheck::Engine>,
}

#[napi]
impl Engine {
    /// The built-in catalog, or one loaded from `options.catalog`, with the user controls of
    /// `options.controls` added.
    #[napi(constructor)]
    pub fn new(env: Env, options: Option<EngineOptions>) -> napi::Result<Self> {
        let (dir, controls) = options.map_or((None, None), |o| (o.catalog, o.controls));
        let controls: Vec<std::path::PathBuf> = controls
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let built = catch_unwind(AssertUnwindSafe(|| {
            hullcheck::Engine::load(dir.as_deref().map(std::path::Path::new), &controls)
        }))
        .map_err(|_| errors::internal("loading the catalog").into_napi(&env))?;
        built
            .map(|e| Self { inner: Arc::new(e) })
            .map_err(|e| errors::engine(&e).into_napi(&env))
    }

    /// Evaluates files and directories.
    #[napi]
    pub fn evaluate_paths(
        &self,
        env: Env,
        paths: Vec<String>,
        options: Option<EvaluateOptions>,
    ) -> napi::Result<Report> {
        let input = Input::Paths(paths.into_iter().map(PathBuf::from).collect());
        self.run_sync(&env, &input, options)
    }

    /// Evaluates in-memory documents.
    #[napi]
    pub fn evaluate(
        &self,
        env: Env,
        documents: Vec<Document>,
        options: Option<EvaluateOptions>,
    ) -> napi::Result<Report> {
        let input = Input::Documents(convert::documents(documents));
        self.run_sync(&env, &input, options)
    }

    /// `evaluatePaths` off the event loop.
    #[napi(ts_return_type = "Promise<Report>")]
    pub fn evaluate_paths_async(
        &self,
        paths: Vec<String>,
        options: Option<EvaluateOptions>,
    ) -> AsyncTask<Evaluation> {
        let input = Input::Paths(paths.into_iter().map(PathBuf::from).collect());
        Evaluation::task(self.inner.clone(), input, options)
    }

    /// `evaluate` off the event loop.
    #[napi(ts_return_type = "Promise<Report>")]
    pub fn evaluate_async(
        &self,
        documents: Vec<Document>,
        options: Option<EvaluateOptions>,
    ) -> AsyncTask<Evaluation> {
        let input = Input::Documents(convert::documents(documents));
        Evaluation::task(self.inner.clone(), input, options)
    }

    /// Catalog and graph queries.
    #[napi(getter)]
    pub fn catalog(&self) -> Catalog {
        Catalog {
            inner: self.inner.clone(),
        }
    }
}

impl Engine {
    fn run_sync(
        &self,
        env: &Env,
        input: &Input,
        options: Option<EvaluateOptions>,
    ) -> napi::Result<Report> {
        let options = convert::options(options).map_err(|e| e.into_napi(env))?;
        run(&self.inner, input, &options)
            .map(|r| Report::new(r, self.inner.clone()))
            .map_err(|e| e.into_napi(env))
    }
}

/// An evaluation running on the libuv thread pool.
pub struct Evaluation {
    engine: Arc<hullcheck::Engine>,
    input: Input,
    options: Result<hullcheck::Options, Pending>,
    outcome: Option<Pending>,
}

impl Evaluation {
    fn task(
        engine: Arc<hullcheck::Engine>,
        input: Input,
        options: Option<EvaluateOptions>,
    ) -> AsyncTask<Self> {
        AsyncTask::new(Self {
            engine,
            input,
            options: convert::options(options),
            outcome: None,
        })
    }
}

impl Task for Evaluation {
    type Output = Option<hullcheck::Report>;
    type JsValue = Report;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let options = match &self.options {
            Ok(o) => o,
            Err(p) => {
                self.outcome = Some(p.clone());
                return Ok(None);
            }
        };
        match run(&self.engine, &self.input, options) {
            Ok(r) => Ok(Some(r)),
            Err(p) => {
                self.outcome = Some(p);
                Ok(None)
            }
        }
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match (output, self.outcome.take()) {
            (Some(r), _) => Ok(Report::new(r, self.engine.clone())),
            (None, Some(p)) => Err(p.into_napi(&env)),
            (None, None) => Err(errors::internal("evaluating evidence").into_napi(&env)),
        }
    }
}

/// Catalog and graph queries.
#[napi]
pub struct Catalog {
    inner: Arc<hullcheck::Engine>,
}

#[napi]
impl Catalog {
    /// Catalog version.
    #[napi(getter)]
    pub fn version(&self) -> String {
        self.inner.catalog().meta.version.clone()
    }

    /// Catalog digest.
    #[napi(getter)]
    pub fn digest(&self) -> String {
        self.inner.catalog().digest.clone()
    }

    /// Every control.
    #[napi]
    pub fn controls(&self) -> serde_json::Value {
        convert::json(&self.inner.controls())
    }

    /// Every framework with its requirements.
    #[napi]
    pub fn frameworks(&self) -> serde_json::Value {
        convert::json(&self.inner.frameworks())
    }

    /// Every lifecycle practice.
    #[napi]
    pub fn practices(&self) -> serde_json::Value {
        convert::json(&self.inner.practices())
    }

    /// The six layers.
    #[napi]
    pub fn layers(&self) -> serde_json::Value {
        convert::json(&self.inner.layers())
    }

    /// Requirements a control evidences.
    #[napi]
    pub fn requirements_for_control(&self, control_id: String) -> serde_json::Value {
        convert::json(&self.inner.requirements_for_control(&control_id))
    }

    /// Controls that evidence a requirement.
    #[napi]
    pub fn controls_for_requirement(
        &self,
        framework_id: String,
        requirement_id: String,
    ) -> Vec<String> {
        self.inner
            .controls_for_requirement(&framework_id, &requirement_id)
    }

    /// Per-framework coverage.
    #[napi]
    pub fn coverage(&self) -> serde_json::Value {
        convert::json(&self.inner.coverage())
    }

    /// The catalog graph as nodes and edges.
    #[napi]
    pub fn graph(&self) -> serde_json::Value {
        convert::json(&self.inner.graph_json())
    }

    /// The catalog graph in Graphviz DOT syntax.
    #[napi]
    pub fn graph_dot(&self) -> String {
        self.inner.graph_dot()
    }
}

/// An evaluation report.
#[napi]
pub struct Report {
    inner: Arc<hullcheck::Report>,
    engine: Arc<hullcheck::Engine>,
}

impl Report {
    fn new(report: hullcheck::Report, engine: Arc<hullcheck::Engine>) -> Self {
        Self {
            inner: Arc::new(report),
            engine,
        }
    }
}

#[napi]
impl Report {
    /// The report as a plain object, equal to the CLI's JSON.
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> serde_json::Value {
        convert::json(&*self.inner)
    }

    /// The report as JSON text, byte-identical to the CLI's output.
    #[napi(js_name = "toJSONString")]
    pub fn to_json_string(&self) -> String {
        self.inner.to_json()
    }

    /// Renders the report: json, text, sarif, oscal, junit, markdown, html, ckl or cklb;
    /// `options` fills the STIG checklists' target data.
    #[napi]
    pub fn render(
        &self,
        env: Env,
        format: String,
        options: Option<convert::RenderOptions>,
    ) -> napi::Result<String> {
        let f: hullcheck::report::Format =
            format
                .parse()
                .map_err(|e: hullcheck::report::render::UnknownFormat| {
                    errors::coded(&env, e.code(), e.to_string())
                })?;
        let options = convert::render_options(options);
        options
            .check(self.engine.catalog())
            .map_err(|e| errors::coded(&env, e.code(), e.to_string()))?;
        Ok(hullcheck::report::render_with(
            &self.inner,
            self.engine.catalog(),
            f,
            &options,
        ))
    }

    /// Findings.
    #[napi(getter)]
    pub fn findings(&self) -> serde_json::Value {
        convert::json(&self.inner.findings)
    }

    /// Per-framework results.
    #[napi(getter)]
    pub fn frameworks(&self) -> serde_json::Value {
        convert::json(&self.inner.frameworks)
    }

    /// Per-control results.
    #[napi(getter)]
    pub fn controls(&self) -> serde_json::Value {
        convert::json(&self.inner.controls)
    }

    /// Documents read.
    #[napi(getter)]
    pub fn documents(&self) -> serde_json::Value {
        convert::json(&self.inner.documents)
    }

    /// Totals.
    #[napi(getter)]
    pub fn summary(&self) -> serde_json::Value {
        convert::json(&self.inner.summary)
    }

    /// Evaluation time.
    #[napi(getter)]
    pub fn evaluated_at(&self) -> String {
        self.inner.evaluated_at.clone()
    }

    /// True when any finding fails.
    #[napi(getter)]
    pub fn has_failures(&self) -> bool {
        self.inner.has_failures()
    }

    /// The CI gate, as the CLI's exit code decides it: fails on an unwaived failure at or
    /// above `failOn`, on a failing requirement of a framework in `frameworks`, on documents
    /// that could not be read (unless `acceptUnreadable`) and on an evaluation that assessed
    /// nothing (unless `acceptEmpty`). Returns `{ passed, result, reasons }`.
    #[napi(
        ts_return_type = "{ passed: boolean; result: string; reasons: { code: string; message: string }[] }"
    )]
    pub fn gate(
        &self,
        env: Env,
        options: Option<convert::GateOptions>,
    ) -> napi::Result<serde_json::Value> {
        let outcome = self
            .inner
            .gate(&convert::gate(options))
            .map_err(|e| errors::options(&e).into_napi(&env))?;
        Ok(convert::json(&outcome))
    }
}

/// Proves the boundary: a Rust panic inside the engine surfaces as an `Error` with code
/// `internal.panic`, never as an abort of the Node process. Used by the test suite.
#[napi]
pub fn boundary_check(env: Env) -> napi::Result<()> {
    let outcome: Outcome = guarded("running the boundary self-check", || {
        std::panic::resume_unwind(Box::new("boundary self-check"))
    });
    outcome.map(|_| ()).map_err(|e| e.into_napi(&env))
}
