//! Conformance against `../shared` (reference data beside the checkout, present in CI):
//! every upstream Pod Security Admission fixture, and every mapped ID in the official lists.
//! Run with `cargo test -p hullcheck --test shared_conformance -- --ignored`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use hullcheck::{Engine, Options, Status};

fn shared() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    assert!(p.is_dir(), "../shared is not beside the checkout");
    p
}

fn tsv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split('\t').map(str::to_owned))
                .collect()
        })
        .collect()
}

#[test]
#[ignore = "needs ../shared/conformance/pss"]
fn every_upstream_pss_fixture_gets_the_upstream_verdict() {
    let root = shared().join("conformance/pss");
    let engine = Engine::builtin().unwrap();
    // Controls whose sources name (or supersede) each upstream check.
    let mut by_check: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in &engine.catalog().controls {
        for s in c.sources.iter().filter(|s| s.standard == "pss") {
            by_check
                .entry(s.id.clone())
                .or_default()
                .insert(c.id.clone());
            if let Some(sup) = &s.supersedes {
                by_check
                    .entry(sup.clone())
                    .or_default()
                    .insert(c.id.clone());
            }
        }
    }
    let rows = tsv(&root.join("index.tsv"));
    type Row = BTreeMap<String, String>;
    type Key = (String, String, String);
    let mut groups: BTreeMap<Key, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        groups
            .entry((
                r["level"].clone(),
                r["version"].clone(),
                r["expect"].clone(),
            ))
            .or_default()
            .push(r);
    }
    let mut agree = 0;
    let mut misses = Vec::new();
    for ((level, version, expect), items) in &groups {
        let options = Options {
            profiles: vec![format!("pss-{level}")],
            params: [("pss.version".to_owned(), serde_json::json!(version))].into(),
            now: Some("2026-06-01T00:00:00Z".into()),
            ..Options::default()
        };
        let report = engine
            .evaluate_paths(&[root.join(level).join(version).join(expect)], &options)
            .unwrap();
        assert_eq!(report.summary.document_errors, 0);
        let mut failing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in report.findings.iter().filter(|f| f.status == Status::Fail) {
            let name = Path::new(&*f.location.file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            failing
                .entry(name)
                .or_default()
                .insert(f.control_id.to_string());
        }
        for r in items {
            let name = Path::new(&r["file"])
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let got = failing.get(&name).cloned().unwrap_or_default();
            let ok = if expect == "pass" {
                got.is_empty()
            } else {
                let want = by_check.get(&r["check_id"]).cloned().unwrap_or_default();
                !got.is_disjoint(&want)
            };
            if ok {
                agree += 1;
            } else {
                misses.push(format!("{}: {got:?}", r["file"]));
            }
        }
    }
    assert_eq!(rows.len(), 4537);
    assert!(
        misses.is_empty(),
        "{} misses, e.g. {:?}",
        misses.len(),
        &misses[..misses.len().min(5)]
    );
    assert_eq!(agree, 4537);
}

#[test]
#[ignore = "needs ../shared/reference"]
fn every_mapped_id_is_in_the_official_lists_and_active() {
    let refdir = shared().join("reference");
    let nist: BTreeMap<String, String> = tsv(&refdir.join("nist-800-53r5-controls.tsv"))
        .into_iter()
        .map(|r| (r["label"].clone(), r["withdrawn"].clone()))
        .collect();
    let csf: BTreeSet<String> = tsv(&refdir.join("nist-csf-2.0.tsv"))
        .into_iter()
        .filter(|r| r["status"] == "active" && r["level"] == "subcategory")
        .map(|r| r["id"].clone())
        .collect();
    let pci: BTreeSet<String> = tsv(&refdir.join("pci-dss-4.0.1-requirements.tsv"))
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    let hipaa: BTreeSet<String> = tsv(&refdir.join("hipaa-security-rule.tsv"))
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    let stig: BTreeMap<String, BTreeMap<String, String>> =
        tsv(&refdir.join("stig/kubernetes-stig-v2r6.tsv"))
            .into_iter()
            .map(|r| (r["vuln_id"].clone(), r))
            .collect();
    let engine = Engine::builtin().unwrap();
    let mut checked = 0;
    for c in &engine.catalog().controls {
        for (fw, ids) in &c.mappings {
            for id in ids {
                let ok = match fw.as_str() {
                    "nist-800-53r5" => nist.get(id).is_some_and(|w| w == "no"),
                    "nist-csf-2.0" => csf.contains(id),
                    "pci-dss-4.0.1" => pci.contains(id),
                    "hipaa-security-rule" => hipaa.contains(id),
                    "eo-14028" => id.starts_with("4(e)(") && id.ends_with(')'),
                    // Checked against the benchmark lists in the CIS test below.
                    f if f.starts_with("cis-kubernetes-") => true,
                    "disa-k8s-stig-v2r6" => stig.contains_key(id),
                    other => panic!("{}: mapping to unexpected framework {other}", c.id),
                };
                assert!(ok, "{}: {fw} {id} is not an active official ID", c.id);
                checked += 1;
            }
        }
    }
    assert!(checked > 50);
    // Every requirement of every framework file is an official, active ID.
    for fw in &engine.catalog().frameworks {
        for r in &fw.requirements {
            let ok = match fw.id.as_str() {
                "nist-800-53r5" | "fedramp-r5-low" | "fedramp-r5-moderate" | "fedramp-r5-high" => {
                    nist.get(&r.id).is_some_and(|w| w == "no")
                }
                "nist-csf-2.0" => csf.contains(&r.id),
                "pci-dss-4.0.1" => pci.contains(&r.id),
                "hipaa-security-rule" => hipaa.contains(&r.id),
                _ => true,
            };
            assert!(ok, "{}: {} is not an active official ID", fw.id, r.id);
        }
    }
    // The STIG framework holds exactly the 92 rules, with the identifiers DISA gives them.
    let fw = engine.catalog().framework("disa-k8s-stig-v2r6").unwrap();
    assert_eq!(fw.requirements.len(), stig.len());
    for r in &fw.requirements {
        let row = &stig[&r.id];
        let s = r.stig.as_ref().unwrap();
        assert_eq!(
            (&s.rule_id, &s.stig_id, &s.severity, &s.srg),
            (
                &row["rule_id"],
                &row["stig_id"],
                &row["severity"],
                &row["srg_id"]
            ),
            "{}",
            r.id
        );
        assert_eq!(s.cci.join(","), row["cci"].replace(' ', ""), "{}", r.id);
    }
    // FedRAMP baselines hold exactly the official membership.
    let label: BTreeMap<String, String> = tsv(&refdir.join("nist-800-53r5-controls.tsv"))
        .into_iter()
        .map(|r| (r["id"].clone(), r["label"].clone()))
        .collect();
    for level in ["low", "moderate", "high"] {
        let want: BTreeSet<String> = tsv(&refdir.join("fedramp-r5-baselines.tsv"))
            .into_iter()
            .filter(|r| r[level] == "yes")
            .map(|r| label[&r["control_id"]].clone())
            .collect();
        let got: BTreeSet<String> = engine
            .catalog()
            .framework(&format!("fedramp-r5-{level}"))
            .unwrap()
            .requirements
            .iter()
            .map(|r| r.id.clone())
            .collect();
        assert_eq!(got, want, "fedramp-r5-{level}");
    }
}

const CIS_VERSIONS: [&str; 4] = ["1.10", "1.11", "1.12", "2.0"];

/// The other versions' IDs of a recommendation (`renumbering.tsv`; no row means the same ID in
/// every version that lists it; 2.0 numbers as 1.12).
fn cis_counterparts(
    lists: &BTreeMap<&str, Vec<String>>,
    renumbering: &[BTreeMap<String, String>],
    version: &str,
    id: &str,
) -> BTreeSet<(String, String)> {
    let column = |v: &str| {
        if v == "2.0" {
            "id_1.12".to_owned()
        } else {
            format!("id_{v}")
        }
    };
    if let Some(row) = renumbering.iter().find(|r| r[&column(version)] == id) {
        return CIS_VERSIONS
            .iter()
            .filter(|v| !row[&column(v)].is_empty())
            .map(|v| ((*v).to_owned(), row[&column(v)].clone()))
            .collect();
    }
    CIS_VERSIONS
        .iter()
        .filter(|v| lists[*v].iter().any(|x| x == id))
        .map(|v| ((*v).to_owned(), id.to_owned()))
        .collect()
}

#[test]
#[ignore = "needs ../shared/reference/cis"]
fn every_cis_citation_exists_in_its_version_and_every_version_is_cited() {
    let dir = shared().join("reference/cis");
    let lists: BTreeMap<&str, Vec<String>> = CIS_VERSIONS
        .iter()
        .map(|v| {
            let rows = tsv(&dir.join(format!("cis-kubernetes-{v}.tsv")));
            (*v, rows.into_iter().map(|r| r["id"].clone()).collect())
        })
        .collect();
    let renumbering = tsv(&dir.join("renumbering.tsv"));
    let engine = Engine::builtin().unwrap();
    // Each version is a framework whose requirements are exactly that benchmark's IDs, in order.
    for v in CIS_VERSIONS {
        let fw = engine
            .catalog()
            .framework(&format!("cis-kubernetes-{v}"))
            .unwrap();
        let ids: Vec<String> = fw.requirements.iter().map(|r| r.id.clone()).collect();
        assert_eq!(ids, lists[v], "cis-kubernetes-{v}");
    }
    let mut cited = 0;
    for c in &engine.catalog().controls {
        let own: BTreeSet<(String, String)> = c
            .sources
            .iter()
            .filter(|s| s.standard == "cis-kubernetes")
            .map(|s| {
                let v = s.version.clone().unwrap_or_default();
                assert!(
                    lists.get(v.as_str()).is_some_and(|l| l.contains(&s.id)),
                    "{}: CIS {} is not in benchmark version `{v}`",
                    c.id,
                    s.id
                );
                (v, s.id.clone())
            })
            .collect();
        for (v, id) in &own {
            cited += 1;
            // The recommendation is cited in every version it is in, under that version's ID.
            for other in cis_counterparts(&lists, &renumbering, v, id) {
                assert!(
                    own.contains(&other),
                    "{}: cites CIS {v} {id} but not {other:?}",
                    c.id
                );
            }
            // And the citation is a mapping into that version's framework, so coverage counts it.
            assert!(
                c.mappings
                    .get(&format!("cis-kubernetes-{v}"))
                    .is_some_and(|ids| ids.contains(id)),
                "{}: CIS {v} {id} is not mapped",
                c.id
            );
        }
    }
    assert!(cited > 300, "{cited}");
    // The renumbered items are cited under their new numbers.
    let ids_of = |control: &str, v: &str| -> Vec<String> {
        engine
            .catalog()
            .control(control)
            .unwrap()
            .sources
            .iter()
            .filter(|s| s.standard == "cis-kubernetes" && s.version.as_deref() == Some(v))
            .map(|s| s.id.clone())
            .collect()
    };
    assert_eq!(ids_of("ORC-014", "1.10"), ["5.7.4"]);
    assert_eq!(ids_of("ORC-014", "1.11"), ["5.6.4"]);
    assert_eq!(ids_of("RUN-007", "1.12"), ["5.2.12"]);
    assert_eq!(ids_of("RUN-004", "1.12"), ["5.2.8"]);
    assert_eq!(ids_of("RUN-004", "1.11"), ["5.2.8", "5.2.9"]);
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn the_whole_k8s_corpus_is_read_without_internal_errors() {
    let engine = Engine::builtin().unwrap();
    let report = engine
        .evaluate_paths(
            &[shared().join("corpus/k8s")],
            &Options {
                now: Some("2026-06-01T00:00:00Z".into()),
                ..Options::default()
            },
        )
        .unwrap();
    assert!(report.summary.documents >= 839);
    assert!(report.documents.iter().all(|d| d
        .error
        .as_ref()
        .is_none_or(|e| e.code != "evidence.internal")));
    assert!(report.summary.findings.fail > 0 && report.summary.findings.pass > 0);
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn corpus_sboms_scans_and_dockerfiles_parse_with_the_expected_facts() {
    use hullcheck::evidence::{parse_bytes, Evidence, Limits};
    let corpus = shared().join("corpus");
    let mut files = Vec::new();
    for sub in ["sbom", "scans", "dockerfile"] {
        let mut stack = vec![corpus.join(sub)];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "json")
                    || p.file_name().is_some_and(|n| n == "Dockerfile")
                {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    let (mut sboms, mut scans, mut dockerfiles) = (0, 0, 0);
    let mut scan_files = std::collections::BTreeSet::new();
    let mut packages = Vec::new();
    let mut cves = Vec::new();
    let mut users = Vec::new();
    for path in &files {
        let name = path.to_string_lossy().into_owned();
        let parsed = parse_bytes(&name, &std::fs::read(path).unwrap(), &Limits::default());
        for d in &parsed.documents {
            assert!(d.error.is_none(), "{name}: {:?}", d.error);
        }
        assert!(!parsed.items.is_empty(), "{name}: nothing read");
        for item in &parsed.items {
            match &item.evidence {
                Evidence::Sbom(s) => {
                    sboms += 1;
                    packages.extend(
                        s.components
                            .iter()
                            .map(|c| (name.clone(), c.name.clone(), c.version.clone())),
                    );
                }
                Evidence::Scan(s) => {
                    scans += 1;
                    scan_files.insert(name.clone());
                    cves.extend(s.vulnerabilities.iter().map(|v| {
                        (
                            name.clone(),
                            v.id.clone(),
                            v.severity.clone(),
                            v.package.clone(),
                        )
                    }));
                }
                Evidence::Dockerfile(d) => {
                    dockerfiles += 1;
                    if let Some((u, _)) = d.effective_user(d.stages.len() - 1) {
                        users.push((name.clone(), u.args.clone(), u.line));
                    }
                }
                other => panic!("{name}: unexpected evidence {:?}", other.kind()),
            }
        }
    }
    assert_eq!(
        (sboms, dockerfiles),
        (10, 25),
        "every SBOM and Dockerfile is read as such"
    );
    // Every file under scans/ is a vulnerability report; CycloneDX SBOMs with vulnerabilities are too.
    for f in files
        .iter()
        .filter(|f| f.to_string_lossy().contains("/corpus/scans/"))
    {
        assert!(
            scan_files.contains(&f.to_string_lossy().into_owned()),
            "{} was not read as a scan report",
            f.display()
        );
    }
    assert!(scans >= 10);
    // A named package with its version, from the Trivy SPDX SBOM of a conda environment.
    assert!(packages
        .iter()
        .any(|(f, n, v)| f.ends_with("conda.spdx.json")
            && n == "openssl"
            && v.as_deref() == Some("1.1.1q")));
    // A CVE with its severity and package, from the Trivy report of Alpine 3.10.
    assert!(
        cves.iter()
            .any(|(f, id, sev, pkg)| f.ends_with("alpine-310.trivy.json")
                && id == "CVE-2019-1549"
                && sev == "medium"
                && pkg == "libcrypto1.1"),
        "{cves:?}"
    );
    // A CVE from Grype, normalised to lower-case severity.
    assert!(cves
        .iter()
        .any(|(f, id, sev, _)| f.ends_with("keycloak.grype.json")
            && id == "CVE-2020-12413"
            && sev == "low"));
    // The USER line of a named Dockerfile, with its line number.
    assert!(
        users.iter().any(|(f, u, line)| f
            .ends_with("microservices-demo/src/cartservice/src/Dockerfile")
            && u == "1000"
            && *line == 43),
        "{users:?}"
    );
    assert!(users
        .iter()
        .any(|(f, u, _)| f.ends_with("ingress-nginx/rootfs/Dockerfile") && u == "www-data"));
}

#[test]
#[ignore = "needs ../shared/reference/schemas"]
fn sarif_output_validates_against_the_official_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared().join("reference/schemas/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let engine = Engine::builtin().unwrap();
    let cluster = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/cluster");
    let waiver = hullcheck::waivers::Waiver {
        control_id: "RUN-003".into(),
        subject: hullcheck::waivers::WaiverSubject {
            name: Some("netshoot-debug".into()),
            ..Default::default()
        },
        justification: "test".into(),
        owner: "o".into(),
        expires: "2027-01-01".into(),
        ticket: None,
        approved_by: None,
        source: None,
    };
    let options = Options {
        now: Some("2026-06-01T00:00:00Z".into()),
        waivers: vec![waiver],
        ..Options::default()
    };
    for paths in [vec![cluster], vec![shared().join("corpus/k8s")]] {
        let report = engine.evaluate_paths(&paths, &options).unwrap();
        let sarif: serde_json::Value = serde_json::from_str(&hullcheck::report::render(
            &report,
            engine.catalog(),
            hullcheck::report::Format::Sarif,
        ))
        .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .take(5)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    }
}
