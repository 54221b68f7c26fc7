//! A cancelled evaluation returns `evaluation.cancelled`, never a report (partial or not).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use hullcheck::{Engine, NamedDocument, Options, Progress};

/// Cancels once `after` files have been read.
struct CancelAfter {
    after: usize,
    read: AtomicUsize,
    stop: AtomicBool,
}

impl Progress for CancelAfter {
    fn start(&self, _files: usize) {}
    fn file_done(&self, _documents: usize) {
        if self.read.fetch_add(1, Ordering::SeqCst) + 1 >= self.after {
            self.stop.store(true, Ordering::SeqCst);
        }
    }
    fn cancelled(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

fn cancel_after(after: usize) -> CancelAfter {
    CancelAfter {
        after,
        read: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    }
}

#[test]
fn a_cancelled_evaluation_gives_no_report() {
    let engine = Engine::builtin().unwrap();
    let cluster = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/cluster");
    let options = Options::default();
    let err = engine
        .evaluate_paths_with_progress(std::slice::from_ref(&cluster), &options, &cancel_after(1))
        .unwrap_err();
    assert_eq!(err.code(), "evaluation.cancelled");
    // Never cancelled: the same report as without progress.
    let whole = engine
        .evaluate_paths_with_progress(
            std::slice::from_ref(&cluster),
            &options,
            &cancel_after(usize::MAX),
        )
        .unwrap();
    assert_eq!(whole, engine.evaluate_paths(&[cluster], &options).unwrap());
    let docs = [NamedDocument {
        name: "pod.yaml".into(),
        bytes: b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n".to_vec(),
    }];
    let err = engine
        .evaluate_documents_with_progress(&docs, &options, &cancel_after(1))
        .unwrap_err();
    assert_eq!(err.code(), "evaluation.cancelled");
}
