//! What a walk leaves out: `--exclude` globs, `.gitignore` and `.hullcheckignore` files, and
//! the `node_modules` and `vendor` directories skipped by default; each is listed as skipped
//! with its rule, never read.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - {name: c, image: registry.example.com/app:1.0}\n";

fn tree(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("hullcheck-excludes-{test}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    for f in [
        "apps/web.yaml",
        "apps/web.draft.yaml",
        "apps/keep/important.draft.yaml",
        "apps/keep/other.draft.yaml",
        "generated/out.yaml",
        "scratch.tmp.yaml",
        "legacy/old.yaml",
        "node_modules/pkg/pod.yaml",
        "vendor/lib/pod.yaml",
    ] {
        let p = dir.join(f);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, POD).unwrap();
    }
    fs::write(dir.join(".gitignore"), "generated/\n*.tmp.yaml\n").unwrap();
    fs::write(
        dir.join(".hullcheckignore"),
        "# drafts are not evidence\n*.draft.yaml\n",
    )
    .unwrap();
    fs::write(
        dir.join("apps/keep/.hullcheckignore"),
        "!important.draft.yaml\n",
    )
    .unwrap();
    dir
}

/// Relative file → `read` or the skip code and reason.
fn outcome(dir: &Path, args: &[&str]) -> BTreeMap<String, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_hullcheck"))
        .args([
            "evaluate",
            "--now",
            "2026-06-01T00:00:00Z",
            "--accept-empty",
        ])
        .args(args)
        .arg(".")
        .current_dir(dir)
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"]
                .as_str()
                .unwrap()
                .trim_start_matches("./")
                .to_owned();
            let what = match d["skipped"]["code"].as_str() {
                Some(code) => format!("{code}: {}", d["skipped"]["reason"].as_str().unwrap()),
                None => "read".to_owned(),
            };
            (file, what)
        })
        .collect()
}

#[test]
fn ignore_files_and_default_directories_are_honoured() {
    let dir = tree("ignore");
    let got = outcome(&dir, &[]);
    let read: Vec<&str> = got
        .iter()
        .filter(|(_, w)| *w == "read")
        .map(|(f, _)| f.as_str())
        .collect();
    assert_eq!(
        read,
        [
            "apps/keep/important.draft.yaml",
            "apps/web.yaml",
            "legacy/old.yaml"
        ],
        "{got:#?}"
    );
    assert!(
        got["generated"].contains("ignored by `generated/`"),
        "{got:#?}"
    );
    assert!(got["scratch.tmp.yaml"].starts_with("skipped.excluded"));
    assert!(got["apps/web.draft.yaml"].contains("`*.draft.yaml`"));
    assert!(got["apps/keep/other.draft.yaml"].contains(".hullcheckignore"));
    assert!(got["node_modules"].contains("not walked by default"));
    assert!(got["vendor"].contains("not walked by default"));
    // Nothing inside a left-out directory is listed: it was never walked.
    assert!(!got
        .keys()
        .any(|f| f.starts_with("node_modules/") || f.starts_with("generated/")));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn exclude_globs_and_the_switches() {
    let dir = tree("globs");
    let got = outcome(&dir, &["--exclude", "legacy/", "--exclude", "apps/*.yaml"]);
    assert!(
        got["legacy"].contains("excluded by `--exclude legacy/`"),
        "{got:#?}"
    );
    assert!(got["apps/web.yaml"].contains("--exclude apps/*.yaml"));
    assert_eq!(
        got["apps/keep/important.draft.yaml"], "read",
        "`apps/*.yaml` is one level"
    );
    let all = outcome(&dir, &["--no-ignore", "--no-default-excludes"]);
    for f in [
        "generated/out.yaml",
        "scratch.tmp.yaml",
        "apps/web.draft.yaml",
        "node_modules/pkg/pod.yaml",
        "vendor/lib/pod.yaml",
    ] {
        assert_eq!(
            all.get(f).map(String::as_str),
            Some("read"),
            "{f}: {all:#?}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_named_file_is_excluded_by_a_glob_and_a_bad_glob_is_refused() {
    let dir = tree("named");
    let out = Command::new(env!("CARGO_BIN_EXE_hullcheck"))
        .args([
            "evaluate",
            "--accept-empty",
            "--exclude",
            "*.draft.yaml",
            "apps/web.draft.yaml",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["documents"][0]["skipped"]["code"], "skipped.excluded");
    let bad = Command::new(env!("CARGO_BIN_EXE_hullcheck"))
        .args(["evaluate", "--exclude", "a{b", "."])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("`a{b`") && err.contains("options.bad_exclude"),
        "{err}"
    );
    let _ = fs::remove_dir_all(&dir);
}
