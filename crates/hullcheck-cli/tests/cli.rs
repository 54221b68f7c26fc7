//! The CLI contract: arguments, exit codes, and the shapes of its JSON.
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

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

const NOW: &str = "2026-06-01T00:00:00Z";

#[test]
fn failing_findings_exit_1_with_the_json_report() {
    let out = run(&["evaluate", "--now", NOW, "examples/cluster"]);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    assert_eq!(r["evaluated_at"], NOW);
    assert_eq!(r["tool"]["name"], "hullcheck");
    assert!(r["catalog"]["digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    let findings = r["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["status"] == "fail"));
    let f = findings.iter().find(|f| f["status"] == "fail").unwrap();
    for key in [
        "control_id",
        "status",
        "severity",
        "message",
        "subject",
        "location",
    ] {
        assert!(f.get(key).is_some(), "finding has no {key}");
    }
    for key in ["file", "document", "line", "path"] {
        assert!(f["location"].get(key).is_some(), "location has no {key}");
    }
    assert!(r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d.get("kind").is_some() && d.get("error").is_some()));
    assert!(r["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["framework_id"] == "fedramp-r5-moderate"));
}

#[test]
fn passing_evidence_exits_0() {
    let out = run(&[
        "evaluate",
        "--profile",
        "pss-restricted",
        "--now",
        NOW,
        "examples/cluster/payments",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["summary"]["result"], "pass");
}

#[test]
fn an_unreadable_path_exits_2_and_still_writes_the_report() {
    let out = run(&[
        "evaluate",
        "--now",
        NOW,
        "examples/cluster/payments",
        "no/such/dir",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let r = json(&out);
    let docs = r["documents"].as_array().unwrap();
    assert!(docs
        .iter()
        .any(|d| d["file"] == "no/such/dir" && d["error"]["code"] == "evidence.not_found"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/dir"));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["evaluate", "--profile", "nope", "examples/cluster"],
        vec!["evaluate", "--control", "NOPE-1", "examples/cluster"],
        vec!["evaluate", "--set", "pss.version=v2.0", "examples/cluster"],
        vec!["evaluate", "--set", "nope=1", "examples/cluster"],
        vec!["evaluate", "--now", "yesterday", "examples/cluster"],
        vec!["evaluate"],
        vec!["catalog", "controls", "--format", "dot"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn profiles_controls_and_params_narrow_the_evaluation() {
    let out = run(&[
        "evaluate",
        "--profile",
        "pss-baseline",
        "--set",
        "pss.version=v1.25",
        "--now",
        NOW,
        "examples/cluster",
    ]);
    let r = json(&out);
    let ids: Vec<&str> = r["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"RUN-003") && !ids.contains(&"RUN-013"));
    assert_eq!(r["options"]["params"]["pss.version"], "v1.25");
    let out = run(&[
        "evaluate",
        "--control",
        "RUN-007",
        "--now",
        NOW,
        "examples/cluster",
    ]);
    let r = json(&out);
    assert!(r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["control_id"] == "RUN-007"));
}

#[test]
fn text_format_and_output_file() {
    let dir = std::env::temp_dir().join(format!("hullcheck-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.txt");
    let out = run(&[
        "evaluate",
        "--format",
        "text",
        "--output",
        file.to_str().unwrap(),
        "--now",
        NOW,
        "examples/cluster",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("failing controls, most severe first"));
    assert!(
        text.contains("RUN-003  No privileged containers")
            && text
                .contains("examples/cluster/platform/debug.yaml:15  Pod/platform/netshoot-debug"),
        "{text}"
    );
    assert!(text.contains("controls by layer"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn catalog_listings_have_the_documented_keys() {
    let c = json(&run(&["catalog", "controls", "--format", "json"]));
    let controls = c["controls"].as_array().unwrap();
    assert!(controls.len() >= 19);
    for key in [
        "control_id",
        "layer",
        "title",
        "severity",
        "profiles",
        "sources",
        "mappings",
    ] {
        assert!(controls[0].get(key).is_some(), "control has no {key}");
    }
    let m = &controls[0]["mappings"][0];
    assert!(m.get("framework_id").is_some() && m.get("requirement_id").is_some());
    let f = json(&run(&["catalog", "frameworks", "--format", "json"]));
    let fws = f["frameworks"].as_array().unwrap();
    let moderate = fws
        .iter()
        .find(|x| x["framework_id"] == "fedramp-r5-moderate")
        .unwrap();
    assert_eq!(moderate["requirements"].as_array().unwrap().len(), 323);
    assert!(moderate.get("title").is_some());
    let p = json(&run(&["catalog", "practices", "--format", "json"]));
    let practices = p["practices"].as_array().unwrap();
    assert!(practices.len() >= 27);
    assert!(practices.iter().all(|x| x.get("practice_id").is_some()
        && x.get("phase").is_some()
        && x.get("controls").is_some()));
    let l = json(&run(&["catalog", "layers", "--format", "json"]));
    assert_eq!(l["layers"].as_array().unwrap().len(), 6);
    let g = json(&run(&["catalog", "graph", "--format", "json"]));
    assert!(g["nodes"].as_array().unwrap().len() > 1000);
    let dot = run(&["catalog", "graph", "--format", "dot"]);
    assert!(String::from_utf8_lossy(&dot.stdout).starts_with("digraph"));
    let text = run(&["catalog", "controls"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("RUN-003"));
}

#[test]
fn schema_subcommand_prints_the_committed_schemas() {
    for (which, file) in [
        ("report", "docs/schema/report.schema.json"),
        ("fleet", "docs/schema/fleet.schema.json"),
        ("catalog", "docs/schema/catalog.schema.json"),
    ] {
        let out = run(&["schema", which]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            std::fs::read_to_string(root().join(file)).unwrap()
        );
    }
}

#[test]
fn the_report_validates_against_its_schema_shape() {
    let r = json(&run(&["evaluate", "--now", NOW, "examples/cluster"]));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let required = schema["required"].as_array().unwrap();
    for key in required {
        assert!(r.get(key.as_str().unwrap()).is_some(), "report lacks {key}");
    }
}

#[test]
fn policy_files_and_kind_overrides() {
    let dir = std::env::temp_dir().join(format!("hullcheck-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.yaml");
    std::fs::write(
        &policy,
        "params:\n  registry.approved: [registry.example.com]\ncontrols: [REG-001]\n",
    )
    .unwrap();
    let out = run(&[
        "evaluate",
        "--policy",
        policy.to_str().unwrap(),
        "--now",
        NOW,
        "tests/fixtures/controls/REG-002/pass",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    assert_eq!(r["controls"].as_array().unwrap().len(), 1);
    assert_eq!(r["controls"][0]["status"], "pass");
    std::fs::write(&policy, "params:\n  scan.max_age_hours: soon\n").unwrap();
    let out = run(&[
        "evaluate",
        "--policy",
        policy.to_str().unwrap(),
        "examples/cluster",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("scan.max_age_hours"));
    std::fs::write(&policy, "parameters: {}\n").unwrap();
    let out = run(&[
        "evaluate",
        "--policy",
        policy.to_str().unwrap(),
        "examples/cluster",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // A Dockerfile under an unusual name is read when its kind is given.
    let df = dir.join("build.txt");
    std::fs::write(&df, "FROM alpine:3.20\nUSER root\n").unwrap();
    let out = run(&[
        "evaluate",
        "--kind",
        "image.dockerfile",
        "--control",
        "IMG-001",
        "--now",
        NOW,
        df.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["findings"][0]["location"]["line"], 2);
    let out = run(&["evaluate", "--kind", "nonsense", df.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_example_cluster_shows_all_six_layers_and_every_framework() {
    let r = json(&run(&["evaluate", "--now", NOW, "examples/cluster"]));
    let layers: std::collections::BTreeSet<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["layer"].as_str().unwrap())
        .collect();
    assert_eq!(layers.len(), 6, "{layers:?}");
    for f in r["frameworks"].as_array().unwrap() {
        assert!(
            !f["requirements"].as_array().unwrap().is_empty(),
            "{} has no results",
            f["framework_id"]
        );
    }
    assert_eq!(r["summary"]["document_errors"], 0);
    let kinds: std::collections::BTreeSet<&str> = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["evidence"].as_str())
        .collect();
    for k in [
        "kubernetes.workload",
        "controlplane.flags",
        "kubelet.config",
        "audit.policy",
        "encryption.config",
        "image.dockerfile",
        "image.config",
        "sbom",
        "scan.vulnerabilities",
        "signature.cosign",
        "provenance.intoto",
        "registry.ecr_repositories",
        "registry.ecr_scanning",
        "attestation",
        "hullcheck.policy",
        "admission.policy",
        "istio.peer_authentication",
    ] {
        assert!(kinds.contains(k), "example cluster has no {k}");
    }
}

#[test]
fn gating_exit_codes_match_the_readme() {
    // examples/cluster has critical failures and failing PCI DSS requirements.
    let code = |args: &[&str]| {
        run(&[
            &["evaluate", "--now", NOW, "--output", "/dev/null"],
            args,
            &["examples/cluster"],
        ]
        .concat())
        .status
        .code()
    };
    assert_eq!(code(&[]), Some(1));
    assert_eq!(code(&["--fail-on", "critical"]), Some(1));
    assert_eq!(code(&["--fail-on", "never"]), Some(0));
    assert_eq!(
        code(&["--fail-on", "never", "--fail-on-framework", "pci-dss-4.0.1"]),
        Some(1)
    );
    assert_eq!(code(&["--fail-on", "bogus"]), Some(2));
    assert_eq!(code(&["--fail-on-framework", "nope"]), Some(2));
    // Only medium failures: the high threshold passes, medium fails.
    let medium = [
        "evaluate",
        "--now",
        NOW,
        "--control",
        "RUN-007",
        "--output",
        "/dev/null",
        "tests/fixtures/controls/RUN-007/fail",
    ];
    assert_eq!(
        run(&[&medium[..], &["--fail-on", "high"]].concat())
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&[&medium[..], &["--fail-on", "medium"]].concat())
            .status
            .code(),
        Some(1)
    );
    // A policy file can set the threshold; the flag wins over it.
    let dir = std::env::temp_dir().join(format!("hullcheck-gate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.yaml");
    std::fs::write(&policy, "fail_on: high\n").unwrap();
    assert_eq!(
        run(&[&medium[..], &["--policy", policy.to_str().unwrap()]].concat())
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&[
            &medium[..],
            &["--policy", policy.to_str().unwrap(), "--fail-on", "low"]
        ]
        .concat())
        .status
        .code(),
        Some(1)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_format_is_written() {
    for (format, needle) in [
        ("sarif", "\"version\": \"2.1.0\""),
        ("oscal", "assessment-results"),
        ("junit", "<testsuites"),
        ("markdown", "## hullcheck"),
        ("html", "<!DOCTYPE html>"),
        ("text", "failing findings"),
        ("json", "\"findings\""),
    ] {
        let out = run(&[
            "evaluate",
            "--now",
            NOW,
            "--format",
            format,
            "examples/cluster",
        ]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(needle),
            "{format}"
        );
    }
}

#[test]
fn waivers_file_errors_are_usage_errors() {
    let dir = std::env::temp_dir().join(format!("hullcheck-waivers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("waivers.yaml");
    std::fs::write(
        &file,
        "waivers:\n  - control_id: RUN-003\n    justification: accepted\n    expires: 2027-01-01\n",
    )
    .unwrap();
    let out = run(&[
        "evaluate",
        "--waivers",
        file.to_str().unwrap(),
        "examples/cluster",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`owner`"));
    std::fs::write(&file, "waivers:\n  - control_id: RUN-003\n    subject: {kind: Pod, namespace: platform, name: netshoot-debug}\n    justification: accepted\n    owner: sec\n    expires: 2027-01-01\n").unwrap();
    let r = json(&run(&[
        "evaluate",
        "--now",
        NOW,
        "--waivers",
        file.to_str().unwrap(),
        "examples/cluster",
    ]));
    assert_eq!(r["waivers"][0]["state"], "applied");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diff_exits_1_on_new_failures() {
    let dir = std::env::temp_dir().join(format!("hullcheck-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (old, new) = (dir.join("old.json"), dir.join("new.json"));
    let before = run(&[
        "evaluate",
        "--now",
        NOW,
        "--profile",
        "pss-restricted",
        "--output",
        old.to_str().unwrap(),
        "examples/cluster/payments",
    ]);
    assert_eq!(before.status.code(), Some(0));
    let after = run(&[
        "evaluate",
        "--now",
        NOW,
        "--profile",
        "pss-restricted",
        "--output",
        new.to_str().unwrap(),
        "examples/cluster/payments",
        "examples/cluster/platform/debug.yaml",
    ]);
    assert_eq!(after.status.code(), Some(1));
    let d = run(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(d.status.code(), Some(1));
    let text = String::from_utf8_lossy(&d.stdout);
    assert!(
        text.contains("new failures:") && text.contains("RUN-003"),
        "{text}"
    );
    let same = run(&[
        "diff",
        "--format",
        "json",
        old.to_str().unwrap(),
        old.to_str().unwrap(),
    ]);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(json(&same)["new_failures"].as_array().unwrap().len(), 0);
    let md = run(&[
        "diff",
        "--format",
        "markdown",
        new.to_str().unwrap(),
        old.to_str().unwrap(),
    ]);
    assert_eq!(md.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&md.stdout).contains("### Fixed"));
    assert_eq!(
        run(&["diff", old.to_str().unwrap(), "no/such.json"])
            .status
            .code(),
        Some(2)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_progress_output_when_stderr_is_not_a_terminal() {
    let out = run(&["evaluate", "--now", NOW, "examples/cluster"]);
    // Only the gate's reasons are written, one line each; no progress bar.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .lines()
            .all(|l| l.starts_with("hullcheck: gate failed: ")),
        "{stderr}"
    );
    let quiet = run(&["evaluate", "--quiet", "--now", NOW, "examples/cluster"]);
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
    let quiet = run(&["evaluate", "--quiet", "--now", NOW, "examples/cluster"]);
    assert_eq!(out.stdout, quiet.stdout);
}

#[test]
fn limits_are_configurable_from_the_command_line() {
    let out = run(&[
        "evaluate",
        "--now",
        NOW,
        "--max-file-size",
        "100",
        "--max-documents",
        "1",
        "examples/cluster/namespaces.yaml",
        "examples/cluster/payments/ledger-api.yaml",
    ]);
    let r = json(&out);
    let codes: Vec<&str> = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["error"]["code"].as_str())
        .collect();
    assert!(codes.contains(&"evidence.limit.file_size"), "{codes:?}");
    let out = run(&[
        "evaluate",
        "--now",
        NOW,
        "--max-documents",
        "1",
        "examples/cluster/namespaces.yaml",
    ]);
    let r = json(&out);
    assert!(r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["error"]["code"] == "evidence.limit.documents"));
}

#[test]
fn typos_get_a_did_you_mean() {
    let out = run(&[
        "evaluate",
        "--control",
        "RUN-03",
        "--profile",
        "pss-restricted",
        "examples/cluster",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown control `RUN-03`; did you mean `RUN-003`?"),
        "{err}"
    );
    let out = run(&["evaluate", "--profile", "pss-restriced", "examples/cluster"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `pss-restricted`?"), "{err}");
    let out = run(&[
        "evaluate",
        "--set",
        "registry.aproved=x",
        "examples/cluster",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `registry.approved`?"), "{err}");
    let out = run(&[
        "evaluate",
        "--fail-on-framework",
        "nist-800-53",
        "examples/cluster",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `nist-800-53r5`?"), "{err}");
    // Nothing close: no guess.
    let out = run(&["evaluate", "--control", "ZZZZZZZZ", "examples/cluster"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("did you mean"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::process::Stdio;
    for args in [
        &["catalog", "graph", "--format", "json"][..],
        &["evaluate", "--quiet", "examples/cluster"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hullcheck"))
            .args(args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written (`hullcheck … | head -c0`).
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(2), "{args:?}: {err}");
    }
}

#[test]
fn skip_control_leaves_controls_out_and_an_unknown_one_is_an_error() {
    let all = json(&run(&[
        "evaluate",
        "--now",
        "2026-06-01T00:00:00Z",
        "examples/cluster",
    ]));
    let skipped = json(&run(&[
        "evaluate",
        "--now",
        "2026-06-01T00:00:00Z",
        "--skip-control",
        "RUN-003",
        "--skip-control",
        "ORC-015",
        "examples/cluster",
    ]));
    let ids = |r: &serde_json::Value| -> std::collections::BTreeSet<String> {
        r["controls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["control_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (a, s) = (ids(&all), ids(&skipped));
    assert_eq!(a.len(), s.len() + 2);
    assert!(!s.contains("RUN-003") && !s.contains("ORC-015"));
    assert_eq!(
        skipped["options"]["skipped_controls"],
        serde_json::json!(["RUN-003", "ORC-015"])
    );
    let out = run(&["evaluate", "--skip-control", "RUN-0003", "examples/cluster"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `RUN-003`?"));
}

#[test]
fn catalog_lists_profiles_and_shows_one_control_whole() {
    let out = run(&["catalog", "profiles", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let restricted = v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["profile_id"] == "pss-restricted")
        .unwrap();
    assert!(restricted["controls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "RUN-003"));
    let out = run(&["catalog", "show", "RUN-003"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for part in [
        "What it checks:",
        "Why:",
        "How to fix it:",
        "Sources:",
        "Mappings:",
        "nist-800-53r5:",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let v = json(&run(&["catalog", "show", "ORC-026", "--format", "json"]));
    assert_eq!(v["control"]["control_id"], "ORC-026");
    let out = run(&["catalog", "show", "RUN-03"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `RUN-003`?"));
    assert_eq!(run(&["catalog", "show"]).status.code(), Some(2));
}

#[test]
fn completions_and_the_man_page_come_from_the_argument_definition() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("evaluate") && text.contains("skip-control"),
            "{shell}"
        );
    }
    let out = run(&["man"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(".TH hullcheck 1"), "{text}");
    assert!(text.contains("evaluate"));
}
