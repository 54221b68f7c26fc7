//! Failing closed and reading the inputs people have: empty and unreadable evaluations fail the
//! gate, `-` and named pipes are read, rendered Helm and Kustomize streams are located at their
//! sources, unrendered charts and kustomizations are named, and `--render` renders them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const NOW: &str = "2026-06-01T00:00:00Z";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inputs")
}

fn cmd(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hullcheck"));
    c.arg("evaluate").arg("--now").arg(NOW).args(args);
    c.current_dir(fixtures());
    c
}

fn run(args: &[&str]) -> Output {
    cmd(args).output().unwrap()
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = cmd(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("hullcheck-inputs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn fails<'a>(r: &'a Value, control: &str) -> Vec<&'a Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["control_id"] == control && f["status"] == "fail")
        .collect()
}

/// The helm binary `tools/fetch-helm.sh` installs (`make test` runs it), or `HULLCHECK_HELM`.
fn helm_dir() -> PathBuf {
    let helm = std::env::var_os("HULLCHECK_HELM")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/tools/helm/helm"));
    assert!(
        helm.is_file(),
        "helm not found at {} (run tools/fetch-helm.sh)",
        helm.display()
    );
    helm.parent().unwrap().to_path_buf()
}

/// Findings without their stream positions (a rendered stream is named by how it was read).
fn placed(r: &Value) -> Vec<Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f["location"].as_object_mut().unwrap().remove("rendered");
            f
        })
        .collect()
}

fn path_with(dir: &Path) -> String {
    let old = std::env::var("PATH").unwrap_or_default();
    format!("{}:{old}", dir.display())
}

#[test]
fn an_empty_directory_is_not_assessed_and_fails_the_gate() {
    let d = tmp("empty");
    let out = run(&["--format", "text", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    let head: Vec<&str> = t.lines().take(5).collect();
    assert!(head[1].starts_with("result:    NOT_ASSESSED"), "{t}");
    assert!(head[2].contains("0 read as evidence"), "{t}");
    assert!(t.contains("NOTHING WAS ASSESSED"), "{t}");
    let r = json(&run(&[d.to_str().unwrap()]));
    assert_eq!(r["summary"]["result"], "not_assessed");
    assert_eq!(r["summary"]["controls_assessed"], 0);
    // The opt-out, on the command line and in a policy file.
    assert_eq!(
        run(&["--accept-empty", d.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let policy = d.join("policy.yaml");
    std::fs::write(&policy, "accept_empty: true\n").unwrap();
    let other = tmp("empty-2");
    assert_eq!(
        run(&[
            "--policy",
            policy.to_str().unwrap(),
            other.to_str().unwrap()
        ])
        .status
        .code(),
        Some(0)
    );
    std::fs::remove_dir_all(&d).unwrap();
    std::fs::remove_dir_all(&other).unwrap();
}

#[test]
fn a_directory_of_broken_yaml_is_an_error_and_fails_the_gate() {
    let d = tmp("broken");
    std::fs::write(
        d.join("a.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a\n",
    )
    .unwrap();
    std::fs::write(d.join("b.json"), "{\"apiVersion\": \"v1\", \"kind\": ").unwrap();
    std::fs::write(d.join("README.md"), "# notes\nkey: value\n").unwrap();
    let out = run(&["--format", "text", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(
        t.lines().nth(1).unwrap().starts_with("result:    ERROR"),
        "{t}"
    );
    assert!(
        t.contains("UNREADABLE: 2 documents could not be read"),
        "{t}"
    );
    let r = json(&run(&[d.to_str().unwrap()]));
    assert_eq!(r["summary"]["result"], "error");
    assert_eq!(r["summary"]["document_errors"], 2);
    // The README met while walking is skipped with a reason, not parsed.
    let readme = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"].as_str().unwrap().ends_with("README.md"))
        .unwrap();
    assert_eq!(readme["status"], "skipped");
    assert_eq!(readme["skipped"]["code"], "skipped.file_type");
    // Accepting unreadable documents alone still leaves nothing assessed.
    let out = run(&["--accept-unreadable", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("gate.not_assessed"));
    assert_eq!(
        run(&["--accept-unreadable", "--accept-empty", d.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn unreadable_evidence_beside_a_pass_fails_the_gate_in_every_format() {
    let d = tmp("half");
    std::fs::write(
        d.join("good.yaml"),
        std::fs::read_to_string(fixtures().join("pod.yaml"))
            .unwrap()
            .replace("privileged: true", "privileged: false"),
    )
    .unwrap();
    std::fs::write(
        d.join("bad.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: b\n",
    )
    .unwrap();
    let dir = d.to_str().unwrap();
    let out = run(&["--control", "RUN-003", dir]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["summary"]["result"], "error");
    let sarif: Value =
        serde_json::from_slice(&run(&["--control", "RUN-003", "--format", "sarif", dir]).stdout)
            .unwrap();
    let inv = &sarif["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let n = &inv["toolExecutionNotifications"][0];
    assert_eq!(n["descriptor"]["id"], "evidence.syntax");
    assert!(
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("bad.yaml")
    );
    assert_eq!(
        n["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    let junit = text(&run(&["--control", "RUN-003", "--format", "junit", dir]));
    assert!(junit.contains("<error message=\"syntax error"), "{junit}");
    assert!(junit.contains("errors=\"1\""), "{junit}");
    let md = text(&run(&["--control", "RUN-003", "--format", "markdown", dir]));
    assert!(md.starts_with("## hullcheck: ⛔ error"), "{md}");
    let html = text(&run(&["--control", "RUN-003", "--format", "html", dir]));
    assert!(html.contains("class=\"v-error\">error</span>"), "{html}");
    let oscal = text(&run(&["--control", "RUN-003", "--format", "oscal", dir]));
    assert!(oscal.contains("unreadable evidence: "), "{oscal}");
    assert!(oscal.contains("Result: error"), "{oscal}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn dash_reads_standard_input_once_within_the_limits() {
    let pod = std::fs::read(fixtures().join("pod.yaml")).unwrap();
    let r = json(&run_stdin(&["-"], &pod));
    let f = fails(&r, "RUN-003");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["location"]["file"], "<stdin>");
    assert_eq!(f[0]["location"]["line"], 8);
    // Named twice, standard input is read once.
    let r = json(&run_stdin(&["-", "-"], &pod));
    assert_eq!(fails(&r, "RUN-003").len(), 1);
    // The file-size limit applies to standard input too.
    let r = json(&run_stdin(&["--max-file-size", "10", "-"], &pod));
    assert_eq!(
        r["documents"][0]["error"]["code"],
        "evidence.limit.file_size"
    );
    assert_eq!(r["summary"]["result"], "error");
}

#[test]
fn dev_stdin_and_process_substitution_are_read() {
    let pod = std::fs::read(fixtures().join("pod.yaml")).unwrap();
    let r = json(&run_stdin(&["/dev/stdin"], &pod));
    assert_eq!(fails(&r, "RUN-003").len(), 1);
    let script = format!(
        "{} evaluate --now {NOW} <(cat pod.yaml)",
        env!("CARGO_BIN_EXE_hullcheck")
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(fixtures())
        .output()
        .unwrap();
    assert_eq!(fails(&json(&out), "RUN-003").len(), 1);
}

#[test]
fn named_files_of_other_types_are_skipped_not_parsed() {
    let d = tmp("named");
    let md = d.join("notes.md");
    std::fs::write(&md, "apiVersion: v1\nkind: Pod\n").unwrap();
    let r = json(&run(&[md.to_str().unwrap()]));
    assert_eq!(r["documents"][0]["skipped"]["code"], "skipped.file_type");
    assert_eq!(r["summary"]["result"], "not_assessed");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn piped_helm_output_is_located_at_the_templates() {
    let stream = std::fs::read(fixtures().join("helm-template.yaml")).unwrap();
    let r = json(&run_stdin(&["-"], &stream));
    let f = fails(&r, "RUN-003");
    assert_eq!(f.len(), 1, "{f:?}");
    let loc = &f[0]["location"];
    assert_eq!(loc["file"], "shop/templates/pod.yaml");
    assert_eq!(loc["document"], 0);
    // Line 11 inside the rendered document; the stream position is kept.
    assert_eq!(loc["line"], 11);
    assert_eq!(loc["rendered"]["file"], "<stdin>");
    assert_eq!(loc["rendered"]["line"], 22);
    let docs: Vec<&Value> = r["documents"].as_array().unwrap().iter().collect();
    assert!(docs
        .iter()
        .any(|d| d["file"] == "shop/templates/pod.yaml" && d["index"] == 1));
    assert!(docs
        .iter()
        .any(|d| d["file"] == "shop/templates/service.yaml"));
    let sarif: Value =
        serde_json::from_slice(&run_stdin(&["--format", "sarif", "-"], &stream).stdout).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"shop/templates/pod.yaml"), "{uris:?}");
}

#[test]
fn real_helm_output_piped_and_rendered_give_the_same_findings() {
    let helm = helm_dir();
    let rendered = Command::new(helm.join("helm"))
        .args(["template", "shop"])
        .current_dir(fixtures())
        .output()
        .unwrap();
    assert!(rendered.status.success());
    let piped = json(&run_stdin(&["-"], &rendered.stdout));
    let f = fails(&piped, "RUN-003");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["location"]["file"], "shop/templates/pod.yaml");
    let direct = cmd(&["--render", "shop"])
        .env("PATH", path_with(&helm))
        .output()
        .unwrap();
    let direct = json(&direct);
    assert_eq!(placed(&direct), placed(&piped));
    let f = fails(&direct, "RUN-003");
    assert_eq!(f[0]["location"]["rendered"]["file"], "<helm template shop>");
    assert_eq!(direct["summary"]["result"], "fail");
}

#[test]
fn an_unrendered_chart_directory_is_named_and_fails_the_gate() {
    let out = run(&["--format", "text", "shop"]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("[evidence.helm.unrendered]"), "{t}");
    assert!(
        t.contains("helm template shop | hullcheck evaluate -"),
        "{t}"
    );
    let r = json(&run(&["shop"]));
    assert_eq!(r["summary"]["result"], "error");
    let docs = r["documents"].as_array().unwrap();
    let chart = docs
        .iter()
        .find(|d| d["file"] == "shop/Chart.yaml")
        .unwrap();
    assert_eq!(chart["error"]["code"], "evidence.helm.unrendered");
    // The templates and values are parts of the chart: skipped, never read as objects.
    for d in docs.iter().filter(|d| d["file"] != "shop/Chart.yaml") {
        assert_eq!(d["skipped"]["code"], "skipped.helm_chart_file", "{d}");
    }
    // A template named on its own gets the same code, never a generic syntax error.
    let r = json(&run(&["shop/templates/pod.yaml"]));
    assert_eq!(
        r["documents"][0]["error"]["code"],
        "evidence.helm.unrendered"
    );
}

#[test]
fn kustomize_overlays_are_judged_as_built() {
    // Unbuilt, the overlay is an error: it is never judged as its base.
    let r = json(&run(&["kustomize/overlay"]));
    assert_eq!(r["summary"]["result"], "error");
    let k = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "kustomize/overlay/kustomization.yaml")
        .unwrap();
    assert_eq!(k["error"]["code"], "evidence.kustomize.unrendered");
    // Built and piped, the overlay's privileged container is found, at its origin.
    let built = Command::new("kubectl")
        .args(["kustomize", "kustomize/overlay"])
        .current_dir(fixtures())
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let piped = json(&run_stdin(&["-"], &built.stdout));
    let f = fails(&piped, "RUN-003");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["location"]["file"], "../base/deploy.yaml");
    assert_eq!(f[0]["location"]["rendered"]["file"], "<stdin>");
    // `--render` gives the same findings.
    let direct = json(&run(&["--render", "kustomize/overlay"]));
    assert_eq!(placed(&direct), placed(&piped));
}

#[test]
fn a_missing_renderer_is_a_located_error_that_names_it() {
    let empty = tmp("no-path");
    let out = cmd(&["--render", "shop"])
        .env("PATH", &empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    let e = &r["documents"][0]["error"];
    assert_eq!(e["code"], "evidence.render.missing_renderer");
    assert!(e["message"].as_str().unwrap().contains("`helm`"), "{e}");
    std::fs::remove_dir_all(&empty).unwrap();
}

#[test]
fn snapshot_makes_absence_evidence() {
    let r = json(&run(&["--control", "NET-001", "pod.yaml"]));
    assert_eq!(r["controls"][0]["status"], "not_assessed");
    assert!(r["controls"][0]["note"]
        .as_str()
        .unwrap()
        .contains("--snapshot"));
    let r = json(&run(&["--snapshot", "--control", "NET-001", "pod.yaml"]));
    assert_eq!(fails(&r, "NET-001").len(), 1);
    assert_eq!(r["options"]["params"]["evidence.snapshot"], true);
}
