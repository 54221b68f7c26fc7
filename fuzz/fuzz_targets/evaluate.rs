//! Whole evaluation of one fuzzed document against the built-in catalog, every control, and
//! the report's serialisation. The engine is built once per process.
#![no_main]
use std::sync::OnceLock;

static ENGINE: OnceLock<Option<hullcheck::Engine>> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(engine) = ENGINE.get_or_init(|| {
        // One input at a time: evaluation runs on the fuzzing thread itself, so no time goes
        // to waking pool threads for a one-document evaluation.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(1).use_current_thread().build_global();
        hullcheck::Engine::builtin().ok()
    }) else {
        return;
    };
    let docs = [hullcheck::NamedDocument { name: "fuzz.yaml".into(), bytes: data.to_vec() }];
    let options = hullcheck::Options { now: Some("2026-06-01T00:00:00Z".into()), ..hullcheck::Options::default() };
    if let Ok(report) = engine.evaluate_documents(&docs, &options) {
        // Compact, into nothing: the same Serialize code as the CLI's JSON, without the cost of
        // pretty-printing a string that is thrown away. The framework results are the bulk of
        // a report and depend on the input only through control statuses: they are written
        // when a control failed, so each input still reaches their code.
        let _ = serde_json::to_writer(std::io::sink(), &(&report.summary, &report.documents, &report.findings, &report.controls, &report.waivers));
        if report.summary.findings.fail > 0 {
            let _ = serde_json::to_writer(std::io::sink(), &report.frameworks);
        }
        let _ = report.gate(&hullcheck::report::Gate::default());
    }
});
