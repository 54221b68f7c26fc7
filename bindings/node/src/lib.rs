//! Node bindings of hullcheck (napi-rs): forwarders only. Value conversion lives in `convert`,
//! error mapping in `errors`, the fleet report in `fleet`; all evaluation logic is the
//! `hullcheck` crate's. Options arrive as plain JSON and are read strictly (`convert::strict`),
//! so an unknown key is an error and no message names a Rust type.

mod convert;
mod errors;
mod fleet;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::{AbortSignal, AsyncTask, Unknown};
use napi::{Env, Task};
use napi_derive::napi;

use convert::{EngineOptions, GateOptions, RenderOptions};
use errors::Pending;

type Outcome = Result<hullcheck::Report, Pending>;

fn guarded(what: &str, f: impl FnOnce() -> Outcome) -> Outcome {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err(errors::internal(what)))
}

enum Input {
    Paths(Vec<PathBuf>),
    Documents(Vec<hullcheck::NamedDocument>),
}

/// Progress that only answers whether the caller's `AbortSignal` fired, so that an aborted
/// evaluation stops reading files and returns no report.
struct Abort(Arc<AtomicBool>);

impl hullcheck::Progress for Abort {
    fn start(&self, _files: usize) {}
    fn file_done(&self, _documents: usize) {}
    fn cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

fn run(
    engine: &hullcheck::Engine,
    input: &Input,
    options: &hullcheck::Options,
    progress: &dyn hullcheck::Progress,
) -> Outcome {
    guarded("evaluating evidence", || {
        match input {
            Input::Paths(p) => engine.evaluate_paths_with_progress(p, options, progress),
            Input::Documents(d) => engine.evaluate_documents_with_progress(d, options, progress),
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
    #[napi(
        constructor,
        ts_args_type = "options?: EngineOptions | undefined | null"
    )]
    pub fn new(env: Env, options: Option<serde_json::Value>) -> napi::Result<Self> {
        let o: EngineOptions =
            convert::strict("engine options", options).map_err(|e| e.into_napi(&env))?;
        let (dir, controls) = (o.catalog, o.controls);
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

    /// Evaluates files and directories (one path, or an array): as `hullcheck evaluate`. A
    /// path that does not exist throws (`evidence.missing_path`); an unknown option key
    /// throws (`options.invalid`).
    #[napi(ts_args_type = "paths: string | string[], options?: EvaluateOptions | undefined | null")]
    pub fn evaluate_paths(
        &self,
        env: Env,
        paths: serde_json::Value,
        options: Option<serde_json::Value>,
    ) -> napi::Result<Report> {
        let input = Input::Paths(convert::paths(paths).map_err(|e| e.into_napi(&env))?);
        self.run_sync(&env, &input, options)
    }

    /// Evaluates in-memory documents.
    #[napi(
        ts_args_type = "documents: Array<Document>, options?: EvaluateOptions | undefined | null"
    )]
    pub fn evaluate(
        &self,
        env: Env,
        documents: Unknown<'_>,
        options: Option<serde_json::Value>,
    ) -> napi::Result<Report> {
        let input = Input::Documents(convert::documents(documents).map_err(|e| e.into_napi(&env))?);
        self.run_sync(&env, &input, options)
    }

    /// `evaluatePaths` off the event loop. Aborting `signal` rejects the promise with an
    /// `AbortError`: at once when the evaluation has not started, else as soon as the running
    /// evaluation notices (it stops reading files; no report is made).
    #[napi(
        ts_args_type = "paths: string | string[], options?: EvaluateOptions | undefined | null, signal?: AbortSignal | undefined | null",
        ts_return_type = "Promise<Report>"
    )]
    pub fn evaluate_paths_async(
        &self,
        paths: serde_json::Value,
        options: Option<serde_json::Value>,
        signal: Option<AbortSignal>,
    ) -> AsyncTask<Evaluation> {
        let input = convert::paths(paths).map(Input::Paths);
        Evaluation::task(self.inner.clone(), input, options, signal)
    }

    /// `evaluate` off the event loop, with `signal` as for `evaluatePathsAsync`.
    #[napi(
        ts_args_type = "documents: Array<Document>, options?: EvaluateOptions | undefined | null, signal?: AbortSignal | undefined | null",
        ts_return_type = "Promise<Report>"
    )]
    pub fn evaluate_async(
        &self,
        documents: Unknown<'_>,
        options: Option<serde_json::Value>,
        signal: Option<AbortSignal>,
    ) -> AsyncTask<Evaluation> {
        let input = convert::documents(documents).map(Input::Documents);
        Evaluation::task(self.inner.clone(), input, options, signal)
    }

    /// Reads a report from its JSON (`toJSONString()` or the CLI's output), rendering with
    /// this engine's catalog.
    #[napi]
    pub fn report_from_json(&self, env: Env, text: String) -> napi::Result<Report> {
        Report::parse(&env, &text, self.inner.clone())
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
        options: Option<serde_json::Value>,
    ) -> napi::Result<Report> {
        let options = convert::options(options).map_err(|e| e.into_napi(env))?;
        run(&self.inner, input, &options, &hullcheck::NoProgress)
            .map(|r| Report::new(r, self.inner.clone()))
            .map_err(|e| e.into_napi(env))
    }
}

/// An evaluation running on the libuv thread pool.
pub struct Evaluation {
    engine: Arc<hullcheck::Engine>,
    input: Result<Input, Pending>,
    options: Result<hullcheck::Options, Pending>,
    aborted: Arc<AtomicBool>,
    outcome: Option<Pending>,
}

impl Evaluation {
    fn task(
        engine: Arc<hullcheck::Engine>,
        input: Result<Input, Pending>,
        options: Option<serde_json::Value>,
        signal: Option<AbortSignal>,
    ) -> AsyncTask<Self> {
        let aborted = Arc::new(AtomicBool::new(false));
        if let Some(s) = &signal {
            let flag = aborted.clone();
            s.on_abort(move || flag.store(true, Ordering::SeqCst));
        }
        AsyncTask::with_optional_signal(
            Self {
                engine,
                input,
                options: convert::options(options),
                aborted,
                outcome: None,
            },
            signal,
        )
    }
}

impl Task for Evaluation {
    type Output = Option<hullcheck::Report>;
    type JsValue = Report;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let (input, options) = match (&self.input, &self.options) {
            (Ok(i), Ok(o)) => (i, o),
            (Err(p), _) | (_, Err(p)) => {
                self.outcome = Some(p.clone());
                return Ok(None);
            }
        };
        match run(&self.engine, input, options, &Abort(self.aborted.clone())) {
            Ok(r) => Ok(Some(r)),
            Err(p) => {
                self.outcome = Some(p);
                Ok(None)
            }
        }
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        if self.aborted.load(Ordering::SeqCst) {
            return Err(errors::aborted(&env));
        }
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
    #[napi(js_name = "toJSON", ts_return_type = "ReportData")]
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
    #[napi(ts_args_type = "format: string, options?: RenderOptions | undefined | null")]
    pub fn render(
        &self,
        env: Env,
        format: String,
        options: Option<serde_json::Value>,
    ) -> napi::Result<String> {
        let options: RenderOptions =
            convert::strict("render options", options).map_err(|e| e.into_napi(&env))?;
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

    /// Every finding, sorted by file, document, line and control (converted once; the same array on every access).
    #[napi(getter, ts_return_type = "Finding[]")]
    pub fn findings(&self) -> serde_json::Value {
        convert::json(&self.inner.findings)
    }

    /// The findings as a table (see `findingsTable` in index.js, which builds `findings` from it).
    #[napi(js_name = "_findingsTable")]
    pub fn findings_table(&self) -> convert::FindingsTable {
        convert::findings_table(&self.inner.findings)
    }

    /// Per-framework results, sorted by framework (cached).
    #[napi(getter, ts_return_type = "FrameworkResult[]")]
    pub fn frameworks(&self) -> serde_json::Value {
        convert::json(&self.inner.frameworks)
    }

    /// Per-control results, sorted by control (cached).
    #[napi(getter, ts_return_type = "ControlResult[]")]
    pub fn controls(&self) -> serde_json::Value {
        convert::json(&self.inner.controls)
    }

    /// Every document read, skipped or in error (cached).
    #[napi(getter, ts_return_type = "DocumentReport[]")]
    pub fn documents(&self) -> serde_json::Value {
        convert::json(&self.inner.documents)
    }

    /// The totals and the overall result (cached).
    #[napi(getter, ts_return_type = "Summary")]
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
        ts_args_type = "options?: GateOptions | undefined | null",
        ts_return_type = "{ passed: boolean; result: string; reasons: { code: string; message: string }[] }"
    )]
    pub fn gate(
        &self,
        env: Env,
        options: Option<serde_json::Value>,
    ) -> napi::Result<serde_json::Value> {
        let options: GateOptions =
            convert::strict("gate options", options).map_err(|e| e.into_napi(&env))?;
        let outcome = self
            .inner
            .gate(&convert::gate(options))
            .map_err(|e| errors::options(&e).into_napi(&env))?;
        Ok(convert::json(&outcome))
    }
}

/// The built-in engine, built once per process, for reports read with `Report.fromJSON`.
fn builtin() -> Result<Arc<hullcheck::Engine>, Pending> {
    static BUILTIN: std::sync::OnceLock<Result<Arc<hullcheck::Engine>, Pending>> =
        std::sync::OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            hullcheck::Engine::builtin()
                .map(Arc::new)
                .map_err(|e| errors::engine(&e))
        })
        .clone()
}

impl Report {
    fn parse(env: &Env, text: &str, engine: Arc<hullcheck::Engine>) -> napi::Result<Report> {
        serde_json::from_str::<hullcheck::Report>(text)
            .map(|r| Report::new(r, engine))
            .map_err(|e| {
                errors::coded(
                    env,
                    "evidence.not_a_report",
                    format!("not a hullcheck JSON report: {e}"),
                )
            })
    }
}

#[napi]
impl Report {
    /// Reads a report from its JSON (`toJSONString()` or the CLI's output). It renders with
    /// `engine`'s catalog, or the built-in one.
    #[napi(js_name = "fromJSON")]
    pub fn from_json(env: Env, text: String, engine: Option<&Engine>) -> napi::Result<Report> {
        let engine = match engine {
            Some(e) => e.inner.clone(),
            None => builtin().map_err(|e| e.into_napi(&env))?,
        };
        Report::parse(&env, &text, engine)
    }

    /// Merges the reports of named clusters (`{ prod: report, ... }`) into a fleet report:
    /// the control × cluster matrix and, with `options.reference`, the controls that pass on
    /// that cluster and not on others. Any order gives the same result.
    #[napi(
        ts_args_type = "reports: Record<string, Report>, options?: MergeOptions | undefined | null"
    )]
    pub fn merge(
        env: Env,
        reports: napi::bindgen_prelude::Object,
        options: Option<serde_json::Value>,
    ) -> napi::Result<fleet::FleetReport> {
        let o: fleet::MergeOptions =
            convert::strict("merge options", options).map_err(|e| e.into_napi(&env))?;
        let mut parts = Vec::new();
        for name in napi::bindgen_prelude::Object::keys(&reports)? {
            let report: Option<napi::bindgen_prelude::ClassInstance<Report>> =
                reports.get(&name).map_err(|_| {
                    errors::coded(
                        &env,
                        "options.merge",
                        format!("the value for cluster `{name}` is not a hullcheck Report"),
                    )
                })?;
            let Some(report) = report else { continue };
            parts.push(
                hullcheck::report::fleet::FleetReport::from_report(&name, &report.inner)
                    .map_err(|e| errors::coded(&env, e.code(), e.to_string()))?,
            );
        }
        fleet::merged(&env, parts, o.reference)
    }
}

/// Compares two reports: the findings failing in `newer` and not in `older`, those fixed, and
/// the requirements whose status changed (as `hullcheck diff`). Returns an object, or the
/// rendering when `format` is `text`, `json` or `markdown`.
#[napi(ts_return_type = "any")]
pub fn diff(
    env: Env,
    older: &Report,
    newer: &Report,
    format: Option<String>,
) -> napi::Result<serde_json::Value> {
    let d = hullcheck::report::diff::diff(&older.inner, &newer.inner);
    match format.as_deref() {
        None => Ok(convert::json(&d)),
        Some(f @ ("text" | "json" | "markdown")) => Ok(serde_json::Value::String(
            hullcheck::report::diff::render(&d, f),
        )),
        Some(other) => Err(errors::coded(
            &env,
            "options.unknown_format",
            format!("unknown diff format `{other}`: use text, json or markdown"),
        )),
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
