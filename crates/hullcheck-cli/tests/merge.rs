//! `hullcheck merge`: cluster reports into a fleet report, the same bytes in any argument
//! order, fleet reports merged in, and refusals with exit code 2.
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

/// A fresh directory under cargo's scratch space for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hullcheck"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

/// Writes the JSON reports of two clusters: the example as it is, and the example evaluated
/// with one control only.
fn reports(dir: &Path) -> (String, String) {
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    let now = ["--now", "2026-06-01T00:00:00Z"];
    let base = ["evaluate", "--output"];
    let out = run(&[
        &base[..],
        &[a.to_str().unwrap()],
        &now[..],
        &["examples/cluster"],
    ]
    .concat());
    assert_eq!(out.status.code(), Some(1));
    let out = run(&[
        &base[..],
        &[b.to_str().unwrap(), "--control", "RUN-003"],
        &now[..],
        &["examples/cluster"],
    ]
    .concat());
    assert!(out.status.code().unwrap() <= 1);
    (
        format!("prod={}", a.display()),
        format!("stage={}", b.display()),
    )
}

#[test]
fn any_argument_order_gives_the_same_fleet_report() {
    let dir = scratch("merge-order");
    let (a, b) = reports(&dir);
    let one = run(&["merge", "--reference", "prod", &a, &b]);
    let two = run(&["merge", &b, "--reference", "prod", &a]);
    assert_eq!(
        one.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(one.stdout, two.stdout);
    let fleet: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(fleet["kind"], "hullcheck-fleet");
    assert_eq!(fleet["reference"], "prod");
    assert_eq!(fleet["summary"]["clusters"], 2);
    assert_eq!(fleet["clusters"][0]["name"], "prod");
    // A fleet report merges in like a cluster's: (prod) + (stage) is (prod + stage).
    let part = dir.join("prod-fleet.json");
    let out = run(&["merge", "--output", part.to_str().unwrap(), &a]);
    assert_eq!(out.status.code(), Some(1));
    let three = run(&["merge", "--reference", "prod", part.to_str().unwrap(), &b]);
    assert_eq!(three.stdout, one.stdout);
    for format in ["text", "markdown", "html"] {
        let out = run(&["merge", "--format", format, "--reference", "prod", &a, &b]);
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("stage"), "{format}: {text:.200}");
    }
}

#[test]
fn refusals_exit_2_with_a_message() {
    let dir = scratch("merge-refusals");
    let (a, b) = reports(&dir);
    let missing = format!("x={}", dir.join("nope.json").display());
    let not_json = format!("x={}", root().join("README.md").display());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["merge", &a, &a], "more than once"),
        (
            vec!["merge", "--reference", "dev", &a, &b],
            "not in the fleet",
        ),
        (vec!["merge", &missing], "cannot read"),
        (vec!["merge", &not_json], "not a hullcheck JSON report"),
        (vec!["merge", "README.md"], "not a hullcheck fleet report"),
        (vec!["merge", "=x.json"], "not valid"),
    ];
    for (args, needle) in cases {
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}
