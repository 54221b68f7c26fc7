//! SARIF that code scanning can track: artifact URIs relative to the source root and
//! fingerprints that are unique per finding and the same however the paths were typed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// `(uri, uriBaseId, fingerprint)` of every result, in order.
fn results(args: &[&str], cwd: &Path) -> (Vec<(String, String, String)>, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_hullcheck"))
        .args([
            "evaluate",
            "--format",
            "sarif",
            "--now",
            "2026-06-01T00:00:00Z",
        ])
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            (
                a["uri"].as_str().unwrap().to_owned(),
                a["uriBaseId"].as_str().unwrap_or("").to_owned(),
                r["partialFingerprints"]["hullcheckFinding/v2"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    (list, sarif)
}

fn stable_over_spellings(root: &Path, dir: &str) -> usize {
    let root = root.to_path_buf();
    let absolute = root.join(dir).display().to_string();
    let dotted = format!("./{dir}");
    let (plain, sarif) = results(&[dir], &root);
    assert!(!plain.is_empty(), "{dir} gives results");
    let prints: BTreeSet<&String> = plain.iter().map(|(_, _, f)| f).collect();
    assert_eq!(prints.len(), plain.len(), "every fingerprint is unique");
    for (uri, base, _) in &plain {
        assert_eq!(base, "SRCROOT", "{uri}");
        assert!(uri.starts_with(dir), "{uri} is relative to the source root");
    }
    let srcroot = sarif["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        srcroot.starts_with("file:///") && srcroot.ends_with('/'),
        "{srcroot}"
    );
    assert_eq!(results(&[&dotted], &root).0, plain, "`./{dir}`");
    assert_eq!(results(&[&absolute], &root).0, plain, "the absolute path");
    // From elsewhere, with the source root given.
    let elsewhere = std::env::temp_dir();
    let root_arg = root.display().to_string();
    assert_eq!(
        results(&["--source-root", &root_arg, &absolute], &elsewhere).0,
        plain,
        "--source-root from another directory"
    );
    plain.len()
}

#[test]
fn the_example_s_fingerprints_are_unique_and_path_independent() {
    stable_over_spellings(&root(), "examples/cluster");
}

#[test]
#[ignore = "needs ../shared beside the checkout (make conformance)"]
fn the_corpus_fingerprints_are_unique_and_path_independent() {
    let n = stable_over_spellings(
        &root().join("..").canonicalize().unwrap(),
        "shared/corpus/k8s",
    );
    assert!(n > 1000, "{n} results");
}

#[test]
fn help_uri_points_at_the_control_s_section() {
    let root = root();
    let base = "https://example.org/docs/controls.md";
    let (_, sarif) = results(&["--help-base", base, "examples/cluster"], &root);
    let docs = std::fs::read_to_string(root.join("docs/controls.md")).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        let uri = rule["helpUri"].as_str().unwrap();
        let anchor = uri.strip_prefix(&format!("{base}#")).unwrap();
        let heading = format!(
            "### {} — {}",
            rule["id"].as_str().unwrap(),
            rule["shortDescription"]["text"].as_str().unwrap()
        );
        assert!(docs.contains(&heading), "docs/controls.md has `{heading}`");
        assert!(
            anchor.starts_with(&rule["id"].as_str().unwrap().to_lowercase()),
            "{anchor}"
        );
    }
}
