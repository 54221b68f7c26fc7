//! `.hullcheck.yaml` and `HULLCHECK_*`: found upwards to the repository root, filled in below
//! the environment and the flags, printed by `hullcheck config`, refused with the key's path.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/app:1.0\n    securityContext: {privileged: true}\n";

fn repo(test: &str, config: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hullcheck-config-{test}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join(".git")).unwrap();
    fs::create_dir_all(dir.join("manifests")).unwrap();
    fs::create_dir_all(dir.join("deep/er")).unwrap();
    fs::write(dir.join("manifests/pod.yaml"), POD).unwrap();
    fs::write(dir.join(".hullcheck.yaml"), config).unwrap();
    dir
}

fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hullcheck"));
    c.args(args).current_dir(cwd);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("HULLCHECK_")) {
        c.env_remove(k);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

const CONFIG: &str =
    "paths: [manifests]\ncontrols: [RUN-003]\nformat: sarif\nfail_on: critical\nnow: x\n";

#[test]
fn the_file_is_found_upwards_and_fills_what_flags_and_environment_leave() {
    let dir = repo("found", &CONFIG.replace("now: x\n", ""));
    // From a subdirectory: the file at the repository root is found, its paths are its own.
    let out = run(
        &dir.join("deep/er"),
        &["evaluate", "--now", "2026-06-01T00:00:00Z"],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0", "format from the file");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    // The environment beats the file, a flag beats the environment.
    let env = [("HULLCHECK_FORMAT", "text")];
    let text = run(&dir, &["evaluate"], &env);
    assert!(String::from_utf8_lossy(&text.stdout).contains("RUN-003"));
    assert!(serde_json::from_slice::<serde_json::Value>(&text.stdout).is_err());
    let json = run(&dir, &["evaluate", "--format", "json"], &env);
    let r: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(r["options"]["controls"], serde_json::json!(["RUN-003"]));
    // `--no-config` reads nothing: no paths left.
    let none = run(&dir, &["evaluate", "--no-config"], &[]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("options.no_paths"));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn hullcheck_config_names_each_origin() {
    let dir = repo("print", &CONFIG.replace("now: x\n", ""));
    let out = run(
        &dir,
        &["config", "--fail-on", "high"],
        &[("HULLCHECK_FORMAT", "junit")],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("format: \"junit\"  # environment HULLCHECK_FORMAT"),
        "{text}"
    );
    assert!(text.contains("fail_on: \"high\"  # flag"), "{text}");
    assert!(text.contains("controls: [\"RUN-003\"]  # file"), "{text}");
    assert!(text.contains("accept_empty: false  # default"), "{text}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_search_stops_at_the_repository_root() {
    let outer = std::env::temp_dir().join(format!("hullcheck-config-outer-{}", std::process::id()));
    let _ = fs::remove_dir_all(&outer);
    fs::create_dir_all(outer.join("repo/.git")).unwrap();
    fs::write(outer.join(".hullcheck.yaml"), "paths: [nowhere]\n").unwrap();
    let out = run(&outer.join("repo"), &["config"], &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("# file: none"));
    let _ = fs::remove_dir_all(&outer);
}

#[test]
fn errors_name_the_file_and_the_key() {
    let dir = repo("bad", CONFIG);
    let out = run(&dir, &["evaluate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".hullcheck.yaml") && err.contains("`now`") && err.contains("config.invalid"),
        "{err}"
    );
    fs::write(
        dir.join(".hullcheck.yaml"),
        "outputs:\n- {format: sarif, path: [x]}\n",
    )
    .unwrap();
    let err = String::from_utf8_lossy(&run(&dir, &["evaluate"], &[]).stderr).into_owned();
    assert!(err.contains("at `outputs[0].path`"), "{err}");
    fs::write(dir.join(".hullcheck.yaml"), "format: yaml\n").unwrap();
    let err = String::from_utf8_lossy(&run(&dir, &["evaluate"], &[]).stderr).into_owned();
    assert!(err.contains("at `format`: unknown format `yaml`"), "{err}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn one_run_writes_several_reports() {
    let dir = repo(
        "outputs",
        "paths: [manifests]\noutputs:\n- {format: junit, path: out/report.xml}\n",
    );
    fs::create_dir_all(dir.join("out")).unwrap();
    let out = run(
        &dir,
        &[
            "evaluate",
            "--write",
            "sarif=out/report.sarif",
            "--output",
            "out/report.json",
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fs::read_to_string(dir.join("out/report.json"))
        .unwrap()
        .contains("\"findings\""));
    assert!(fs::read_to_string(dir.join("out/report.sarif"))
        .unwrap()
        .contains("2.1.0"));
    // The flag replaced the file's list.
    assert!(!dir.join("out/report.xml").exists());
    let both = run(&dir, &["evaluate", "--write", "text"], &[]);
    assert_eq!(both.status.code(), Some(2), "json and text both to stdout");
    let _ = fs::remove_dir_all(&dir);
}
