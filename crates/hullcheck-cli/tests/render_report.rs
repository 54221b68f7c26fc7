//! `hullcheck render REPORT.json`: a saved report renders to the same bytes as the run that
//! made it, and a report from another catalog or not a report at all is refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hullcheck"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

const NOW: &str = "2026-06-01T00:00:00Z";

#[test]
fn a_saved_report_renders_as_the_run_did() {
    let saved = std::env::temp_dir().join(format!("hullcheck-render-{}.json", std::process::id()));
    let saved_s = saved.to_str().unwrap();
    run(&[
        "evaluate",
        "--now",
        NOW,
        "--output",
        saved_s,
        "examples/cluster",
    ]);
    for format in [
        "json", "text", "sarif", "junit", "markdown", "html", "oscal", "ckl", "cklb",
    ] {
        let live = run(&[
            "evaluate",
            "--now",
            NOW,
            "--format",
            format,
            "examples/cluster",
        ]);
        let again = run(&["render", "--format", format, saved_s]);
        assert_eq!(
            again.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&again.stderr)
        );
        assert!(live.stdout == again.stdout, "{format} differs");
    }
    let _ = std::fs::remove_file(&saved);
}

#[test]
fn another_catalog_or_no_report_is_refused() {
    let dir = std::env::temp_dir().join(format!("hullcheck-render-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = run(&["evaluate", "--now", NOW, "examples/cluster"]);
    let mut report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["catalog"]["digest"] = "sha256:0".into();
    let other = dir.join("other.json");
    std::fs::write(&other, serde_json::to_vec(&report).unwrap()).unwrap();
    let refused = run(&["render", other.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("render.catalog_mismatch"));
    let junk = dir.join("junk.json");
    std::fs::write(&junk, r#"{"tool": {"name": "x"}}"#).unwrap();
    let refused = run(&["render", junk.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("render.bad_report") && err.contains("at `tool`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
