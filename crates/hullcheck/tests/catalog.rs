//! The built-in catalog: schema freshness, every file valid against it, integrity, fixtures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::path::{Path, PathBuf};

use hullcheck::catalog::{builtin_files, Catalog};
use hullcheck::{Engine, Options};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Compares a generated file with its committed copy; `HULLCHECK_BLESS=1` rewrites it.
pub fn check_fresh(rel: &str, generated: &str) {
    let path = root().join(rel);
    if std::env::var_os("HULLCHECK_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{rel} is stale: run `HULLCHECK_BLESS=1 cargo test -p hullcheck` and commit the result"
    );
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap();
    s.push('\n');
    s
}

#[test]
fn schemas_are_fresh() {
    check_fresh(
        "docs/schema/catalog.schema.json",
        &pretty(&hullcheck::catalog_schema()),
    );
    check_fresh(
        "docs/schema/report.schema.json",
        &pretty(&hullcheck::report::schema()),
    );
    check_fresh(
        "docs/schema/fleet.schema.json",
        &pretty(&hullcheck::report::fleet::schema()),
    );
}

#[test]
fn every_catalog_file_validates_against_the_schema() {
    let schema = hullcheck::catalog_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let limits = hullcheck::Limits::default();
    assert!(builtin_files().len() > 20);
    for (path, text) in builtin_files() {
        let doc = hullcheck::evidence::yaml::documents(text, &limits)
            .next()
            .unwrap();
        let json = doc.result.unwrap().to_json();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
}

#[test]
fn schema_rejects_unknown_fields() {
    let schema = hullcheck::catalog_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let bad = serde_json::json!({"profiles": [{"id": "x", "title": "x", "description": "x", "extra": 1}]});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn builtin_catalog_matches_the_directory() {
    let embedded = Catalog::builtin().unwrap();
    let from_dir = Catalog::from_dir(&root().join("controls")).unwrap();
    assert_eq!(embedded, from_dir);
    assert!(embedded.digest.starts_with("sha256:"));
}

#[test]
fn catalog_models_the_seed() {
    let c = Catalog::builtin().unwrap();
    let layers: Vec<&str> = c.layers.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        layers,
        [
            "image",
            "registry",
            "orchestration",
            "runtime",
            "network",
            "logging"
        ]
    );
    assert_eq!(c.phases.len(), 6);
    assert!(c.phases.iter().map(|p| p.practices.len()).sum::<usize>() >= 27);
    let fw: Vec<&str> = c.frameworks.iter().map(|f| f.id.as_str()).collect();
    for want in [
        "nist-800-53r5",
        "fedramp-r5-low",
        "fedramp-r5-moderate",
        "fedramp-r5-high",
        "hipaa-security-rule",
        "pci-dss-4.0.1",
        "nist-csf-2.0",
        "eo-14028",
    ] {
        assert!(fw.contains(&want), "missing framework {want}");
    }
    let count = |id: &str| c.framework(id).unwrap().requirements.len();
    assert_eq!(count("fedramp-r5-low"), 156);
    assert_eq!(count("fedramp-r5-moderate"), 323);
    assert_eq!(count("fedramp-r5-high"), 410);
    for p in ["pss-baseline", "pss-restricted"] {
        assert!(c.profiles.iter().any(|x| x.id == p));
    }
}

#[test]
fn catalog_rejects_dangling_references() {
    let mut files: Vec<(String, String)> = builtin_files()
        .iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect();
    let (_, text) = files
        .iter_mut()
        .find(|(p, _)| p == "runtime/RUN-003.yaml")
        .unwrap();
    *text = text.replace("\"AC-6(10)\"", "\"AC-6(99)\"");
    let err = Catalog::from_files(files).unwrap_err();
    assert_eq!(err.code(), "catalog.unknown_reference");
    assert!(err.to_string().contains("AC-6(99)"), "{err}");
}

#[test]
fn pss_controls_name_one_upstream_check_each() {
    let c = Catalog::builtin().unwrap();
    let mut ids: Vec<&str> = c
        .controls
        .iter()
        .flat_map(|ctl| {
            ctl.sources
                .iter()
                .filter(|s| s.standard == "pss")
                .map(|s| s.id.as_str())
        })
        .collect();
    ids.sort_unstable();
    let mut upstream: Vec<&str> = hullcheck::eval::pss::ALL
        .iter()
        .map(|(_, c)| c.upstream_id())
        .collect();
    upstream.sort_unstable();
    assert_eq!(ids, upstream);
}

/// Every control passes on its `pass` fixtures and fails on its `fail` fixtures.
#[test]
fn every_control_passes_and_fails_on_its_fixtures() {
    let engine = Engine::builtin().unwrap();
    let mut lone = Vec::new();
    for control in &engine.catalog().controls {
        for expect in ["pass", "fail"] {
            let dir = root()
                .join("tests/fixtures/controls")
                .join(&control.id)
                .join(expect);
            assert!(dir.is_dir(), "{}: no {expect} fixtures", control.id);
            let options = Options {
                controls: vec![control.id.clone()],
                now: Some("2026-06-01T00:00:00Z".into()),
                ..Options::default()
            };
            let statuses = |paths: &[std::path::PathBuf]| -> Vec<String> {
                let report = engine.evaluate_paths(paths, &options).unwrap();
                report
                    .findings
                    .iter()
                    .filter(|f| *f.control_id == control.id)
                    .map(|f| f.status.as_str().to_owned())
                    .collect()
            };
            if expect == "pass" {
                let s = statuses(std::slice::from_ref(&dir));
                assert!(
                    s.iter().any(|x| x == "pass") && !s.iter().any(|x| x == "fail"),
                    "{}: {s:?}",
                    control.id
                );
                continue;
            }
            // Each fail fixture (a file, or a directory evaluated together) fails on its own,
            // so every edge case it stands for is proven, not hidden by another file.
            let mut entries: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for entry in entries {
                let s = statuses(std::slice::from_ref(&entry));
                if !s.iter().any(|x| x == "fail") {
                    lone.push(format!(
                        "{}: {} does not fail: {s:?}",
                        control.id,
                        entry.display()
                    ));
                }
            }
        }
    }
    assert!(lone.is_empty(), "{}", lone.join("\n"));
}

#[test]
fn a_real_report_validates_against_the_report_schema() {
    let engine = Engine::builtin().unwrap();
    let options = Options {
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    };
    let report = engine
        .evaluate_paths(&[root().join("examples/cluster")], &options)
        .unwrap();
    let validator = jsonschema::validator_for(&hullcheck::report::schema()).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn generated_control_reference_is_fresh() {
    let engine = Engine::builtin().unwrap();
    check_fresh(
        "docs/controls.md",
        &hullcheck::catalog::docs::render(engine.catalog(), engine.graph()),
    );
    check_fresh(
        "docs/frameworks.md",
        &hullcheck::catalog::docs::render_frameworks(engine.catalog(), engine.graph()),
    );
}

#[test]
fn one_more_control_file_is_checked_as_loading_checks_it() {
    let catalog = hullcheck::Catalog::builtin().unwrap();
    let text = std::fs::read_to_string(root().join("controls/runtime/RUN-003.yaml")).unwrap();
    // Already in the catalog: a duplicate, both ways.
    let dup = catalog
        .validate_control_file("runtime/RUN-003.yaml", &text)
        .unwrap_err();
    assert_eq!(dup.code(), "catalog.duplicate_id");
    assert!(catalog
        .extend_files([("runtime/RUN-003.yaml".to_owned(), text.clone())])
        .is_err());
    // A new identifier loads, and the digest changes with it.
    let new = text.replace("id: RUN-003", "id: TEAM-001");
    assert!(catalog
        .validate_control_file("team/TEAM-001.yaml", &new)
        .is_ok());
    let extended = catalog
        .extend_files([("team/TEAM-001.yaml".to_owned(), new.clone())])
        .unwrap();
    assert!(extended.control("TEAM-001").is_some());
    assert_eq!(extended.controls.len(), catalog.controls.len() + 1);
    assert_ne!(extended.digest, catalog.digest);
    // A mapping to a requirement that does not exist is refused by both.
    let bad = new.replace("nist-800-53r5: [", "nist-800-53r5: [\"XX-99\", ");
    assert_ne!(bad, new);
    let e = catalog
        .validate_control_file("team/TEAM-001.yaml", &bad)
        .unwrap_err();
    assert_eq!(e.code(), "catalog.unknown_reference");
    assert!(catalog
        .extend_files([("team/TEAM-001.yaml".to_owned(), bad)])
        .is_err());
}

/// Every CIS Kubernetes citation names its benchmark version and is a mapping into that
/// version's framework, so coverage is reported per version (the IDs themselves are checked
/// at load against the framework files, and against the benchmark lists in `shared_conformance`).
#[test]
fn cis_citations_are_versioned_and_mapped_into_their_version() {
    let c = Catalog::builtin().unwrap();
    let mut per_version: std::collections::BTreeMap<String, usize> = Default::default();
    for ctl in &c.controls {
        for s in ctl
            .sources
            .iter()
            .filter(|s| s.standard == "cis-kubernetes")
        {
            let v = s
                .version
                .as_deref()
                .unwrap_or_else(|| panic!("{}: CIS {} has no version", ctl.id, s.id));
            let fw = format!("cis-kubernetes-{v}");
            assert!(c.framework(&fw).is_some(), "{}: no framework {fw}", ctl.id);
            assert!(
                ctl.mappings[&fw].contains(&s.id),
                "{}: {fw} {} not mapped",
                ctl.id,
                s.id
            );
            *per_version.entry(v.to_owned()).or_default() += 1;
        }
    }
    assert_eq!(
        per_version.keys().collect::<Vec<_>>(),
        ["1.10", "1.11", "1.12", "2.0"]
    );
    // 5.2.9 (added capabilities) is gone from 1.12, so 1.12 has one citation fewer.
    assert_eq!(per_version["1.11"], per_version["1.12"] + 1);
    assert_eq!(per_version["1.12"], per_version["2.0"]);
}

/// Every requirement of every framework has exactly one status (a FedRAMP baseline through its
/// base framework), and `automated` and `partial` are exactly the requirements controls map to
/// (checked at load; here, that no framework is left unaccounted).
#[test]
fn every_requirement_of_every_framework_is_accounted_for() {
    let c = Catalog::builtin().unwrap();
    for fw in &c.frameworks {
        assert!(
            c.accounting_of(&fw.id).is_some(),
            "{}: no accounting",
            fw.id
        );
        for r in &fw.requirements {
            assert!(
                c.coverage(&fw.id, &r.id).is_some(),
                "{} {}: no status",
                fw.id,
                r.id
            );
        }
        let own = c.accounting.iter().find(|a| a.framework == fw.id);
        if let Some(a) = own {
            assert_eq!(a.requirements.len(), fw.requirements.len(), "{}", fw.id);
        } else {
            assert!(
                fw.baseline_of.is_some(),
                "{}: only baselines inherit",
                fw.id
            );
        }
    }
}
