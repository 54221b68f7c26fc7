//! Rendered streams: `helm template` `# Source:` comments and Kustomize origin annotations.
//! Every document and finding placed at a source keeps its stream position, and a line inside
//! a rendered document is never past its line in the stream.
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
    let docs = [hullcheck::NamedDocument { name: "<stdin>".into(), bytes: data.to_vec() }];
    let options = hullcheck::Options {
        now: Some("2026-06-01T00:00:00Z".into()),
        controls: vec!["RUN-003".into(), "RUN-001".into()],
        ..hullcheck::Options::default()
    };
    let Ok(report) = engine.evaluate_documents(&docs, &options) else { return };
    for f in &report.findings {
        let l = &f.location;
        match &l.rendered {
            Some(r) => {
                assert_eq!(&*r.file, "<stdin>");
                assert!(l.line <= r.line.max(1), "line {} inside, {} in the stream", l.line, r.line);
            }
            None => assert_eq!(&*l.file, "<stdin>", "moved without a stream position"),
        }
    }
    for d in &report.documents {
        match &d.rendered {
            Some(r) => assert!(d.line <= r.line.max(1)),
            None => assert_eq!(d.file, "<stdin>"),
        }
    }
});
