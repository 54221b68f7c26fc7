//! The cross-language conformance suite (`tests/conformance/`), run from Rust. pytest and
//! `node --test` run the same cases; see `tests/conformance/README.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::path::{Path, PathBuf};

use hullcheck::{Engine, NamedDocument, Options};
use serde_json::Value;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

/// Removes `prefix` wherever it occurs in a string (file names, and paths inside messages).
fn strip(v: &mut Value, prefix: &str) {
    match v {
        Value::String(s) if s.contains(prefix) => *s = s.replace(prefix, ""),
        Value::Array(a) => a.iter_mut().for_each(|x| strip(x, prefix)),
        Value::Object(o) => o.values_mut().for_each(|x| strip(x, prefix)),
        _ => {}
    }
}

fn options(o: &Value) -> Options {
    let list = |k: &str| -> Vec<String> {
        o[k].as_array()
            .map(|a| a.iter().map(|x| x.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    };
    Options {
        profiles: list("profiles"),
        controls: list("controls"),
        skip_controls: list("skip_controls"),
        params: o["params"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        now: o["now"].as_str().map(str::to_owned),
        kind: o["kind"].as_str().map(str::to_owned),
        waivers: serde_json::from_value(o["waivers"].clone()).unwrap_or_default(),
        ..Options::default()
    }
}

/// Every `expect.gates` entry: the gate with those options passes or fails for those reasons.
fn check_gates(dir: &Path, report: &hullcheck::Report, expect: &Value) {
    for g in expect["gates"].as_array().into_iter().flatten() {
        let gate: hullcheck::report::Gate = serde_json::from_value(g["options"].clone()).unwrap();
        let outcome = report.gate(&gate).unwrap();
        let codes: Vec<&str> = outcome.reasons.iter().map(|r| r.code.as_str()).collect();
        let want: Vec<&str> = g["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(codes, want, "{}: gate {}", dir.display(), g["options"]);
        assert_eq!(
            outcome.passed,
            g["passed"].as_bool().unwrap(),
            "{}",
            dir.display()
        );
    }
}

/// The fleet report without what changes with every catalog edit or release.
fn fleet_without_versions(fleet: &hullcheck::report::fleet::FleetReport) -> Value {
    let mut v = serde_json::to_value(fleet).unwrap();
    for c in v["clusters"].as_array_mut().unwrap() {
        let c = c.as_object_mut().unwrap();
        c.remove("tool_version");
        c.remove("catalog");
    }
    v["summary"].as_object_mut().unwrap().remove("catalogs");
    v
}

/// `case.fleet`: each cluster's inputs evaluated alone and merged; compared with `expect.fleet`.
fn check_fleet(dir: &Path, engine: &Engine, case: &Value, opts: &Options) {
    let Some(clusters) = case["fleet"]["clusters"].as_object() else {
        return;
    };
    let mut reports = Vec::new();
    for (name, inputs) in clusters {
        let docs: Vec<NamedDocument> = inputs
            .as_array()
            .unwrap()
            .iter()
            .map(|i| NamedDocument {
                name: i.as_str().unwrap().to_owned(),
                bytes: std::fs::read(dir.join(i.as_str().unwrap())).unwrap(),
            })
            .collect();
        reports.push((
            name.as_str(),
            engine.evaluate_documents(&docs, opts).unwrap(),
        ));
    }
    let fleet = hullcheck::Report::merge(
        reports.iter().map(|(n, r)| (*n, r)),
        case["fleet"]["reference"].as_str(),
    )
    .unwrap();
    let got = fleet_without_versions(&fleet);
    let file = dir.join(case["expect"]["fleet"].as_str().unwrap());
    if std::env::var_os("HULLCHECK_BLESS").is_some() {
        std::fs::write(&file, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
    }
    let want: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(got == want, "{}: fleet report differs", dir.display());
}

#[test]
fn every_conformance_case_holds() {
    let builtin = Engine::builtin().unwrap();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "too few cases");
    let mut ran = 0;
    for dir in &dirs {
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
        let inputs: Vec<String> = case["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_owned())
            .collect();
        let opts = options(&case["options"]);
        // `engine.controls`: directories of user controls, relative to the case.
        let dirs_of_controls: Vec<PathBuf> = case["engine"]["controls"]
            .as_array()
            .map(|a| a.iter().map(|d| dir.join(d.as_str().unwrap())).collect())
            .unwrap_or_default();
        let with_controls;
        let engine = if dirs_of_controls.is_empty() {
            &builtin
        } else {
            with_controls = builtin.with_user_dirs(&dirs_of_controls).unwrap();
            &with_controls
        };
        let prefix = format!("{}/", dir.display());
        let expect = &case["expect"];
        if case["mode"] == "paths" {
            // The bindings refuse a path that does not exist; Rust callers check first.
            let paths: Vec<PathBuf> = inputs.iter().map(|i| dir.join(i)).collect();
            if let Err(e) = hullcheck::check_paths(&paths) {
                assert_eq!(
                    Some(e.code()),
                    expect["error"].as_str(),
                    "{}",
                    dir.display()
                );
                ran += 1;
                continue;
            }
        }
        let result = match case["mode"].as_str().unwrap() {
            "paths" => engine.evaluate_paths(
                &inputs.iter().map(|i| dir.join(i)).collect::<Vec<_>>(),
                &opts,
            ),
            _ => {
                let docs: Vec<NamedDocument> = inputs
                    .iter()
                    .map(|i| NamedDocument {
                        name: i.clone(),
                        bytes: std::fs::read(dir.join(i)).unwrap(),
                    })
                    .collect();
                engine.evaluate_documents(&docs, &opts)
            }
        };
        if let Some(code) = expect["error"].as_str() {
            let err = result.expect_err(&format!("{}: expected error {code}", dir.display()));
            assert_eq!(err.code(), code, "{}", dir.display());
        } else {
            let report = result.unwrap();
            check_gates(dir, &report, expect);
            check_fleet(dir, engine, &case, &opts);
            let mut got = serde_json::to_value(report).unwrap();
            let obj = got.as_object_mut().unwrap();
            obj.remove("tool");
            obj.remove("catalog");
            strip(&mut got, &prefix);
            let file = dir.join(expect["report"].as_str().unwrap());
            if std::env::var_os("HULLCHECK_BLESS").is_some() {
                std::fs::write(&file, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            }
            let want: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            assert!(
                got == want,
                "{}: report differs from {}",
                dir.display(),
                file.display()
            );
        }
        ran += 1;
    }
    assert_eq!(ran, dirs.len());
}
