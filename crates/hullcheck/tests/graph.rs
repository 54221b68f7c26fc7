//! Graph queries over the built-in catalog.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use hullcheck::graph::RequirementRef;
use hullcheck::Engine;

fn r(fw: &str, id: &str) -> RequirementRef {
    RequirementRef {
        framework_id: fw.into(),
        requirement_id: id.into(),
    }
}

#[test]
fn controls_for_a_requirement_include_baselines() {
    let e = Engine::builtin().unwrap();
    let g = e.graph();
    let direct = g.controls_for_requirement("nist-800-53r5", "AC-6(10)");
    assert_eq!(direct, ["RUN-003", "RUN-017"]);
    // FedRAMP Moderate selects AC-6(10); its controls come through the 800-53 mapping.
    assert_eq!(
        g.controls_for_requirement("fedramp-r5-moderate", "AC-6(10)"),
        direct
    );
    // FedRAMP Low does not select AC-6(10).
    assert!(g
        .controls_for_requirement("fedramp-r5-low", "AC-6(10)")
        .is_empty());
    assert!(g
        .controls_for_requirement("nist-800-53r5", "NOPE-1")
        .is_empty());
}

#[test]
fn requirements_for_a_control_follow_800_53_to_fedramp() {
    let e = Engine::builtin().unwrap();
    let reqs = e.graph().requirements_for_control("RUN-003");
    for want in [
        r("nist-800-53r5", "AC-6(10)"),
        r("fedramp-r5-moderate", "AC-6(10)"),
        r("fedramp-r5-high", "AC-6(10)"),
        r("fedramp-r5-low", "CM-7"),
        r("nist-csf-2.0", "PR.AA-05"),
        r("pci-dss-4.0.1", "2.2.6"),
    ] {
        assert!(reqs.contains(&want), "missing {want:?}");
    }
    assert!(!reqs.contains(&r("fedramp-r5-low", "AC-6(10)")));
}

#[test]
fn affected_requirements_and_coverage() {
    let e = Engine::builtin().unwrap();
    let g = e.graph();
    let affected = g.affected_requirements(["RUN-007"]);
    assert!(affected.contains(&r("nist-800-53r5", "SC-7")));
    assert!(affected.contains(&r("pci-dss-4.0.1", "1.2.5")));
    let cov = g.coverage(e.catalog());
    let nist = cov
        .iter()
        .find(|c| c.framework_id == "nist-800-53r5")
        .unwrap();
    assert_eq!(nist.requirements, 1011);
    assert!(nist.covered > 5 && nist.covered < nist.requirements);
    assert!((nist.ratio - nist.covered as f64 / nist.requirements as f64).abs() < 1e-12);
}

#[test]
fn layer_references_and_practices_are_edges() {
    let e = Engine::builtin().unwrap();
    let export = e.graph().export();
    let has = |from: &str, to: &str| export.edges.iter().any(|x| x.from == from && x.to == to);
    assert!(has("layer:registry", "requirement:nist-800-53r5:CM-3"));
    assert!(has(
        "layer:logging",
        "requirement:hipaa-security-rule:164.312(b)"
    ));
    assert!(has("layer:image", "framework:eo-14028"));
    assert!(has("layer:orchestration", "requirement:nist-800-53r5:AC-2"));
    assert!(has("control:RUN-003", "practice:runtime.no-privileged"));
    assert_eq!(
        e.graph().controls_for_practice("runtime.seccomp"),
        ["RUN-012", "RUN-013", "RUN-027"]
    );
    let dot = e.graph().to_dot();
    assert!(dot.starts_with("digraph hullcheck {"));
    assert!(dot.contains("\"control:RUN-003\" -> \"layer:runtime\""));
}

/// The roll-up index inverts the graph's per-control answers; it must equal the graph's
/// per-requirement answers, for every requirement of every framework.
#[test]
fn the_rollup_index_agrees_with_the_graph_both_ways() {
    let engine = hullcheck::Engine::builtin().unwrap();
    let (c, g) = (engine.catalog(), engine.graph());
    let index = hullcheck::report::rollup_index::RollupIndex::build(c, g);
    for (fi, f) in c.frameworks.iter().enumerate() {
        for (ri, r) in f.requirements.iter().enumerate() {
            let from_graph = g.controls_for_requirement(&f.id, &r.id);
            let from_index: Vec<String> = index.controls_of[fi][ri]
                .iter()
                .map(|ci| c.controls[*ci].id.clone())
                .collect();
            assert_eq!(from_index, from_graph, "{} {}", f.id, r.id);
        }
    }
}
