//! Fleet reports: any order and grouping of the same cluster reports merge to the same bytes,
//! a fleet read back from JSON is recomputed, and the divergence from the reference cluster
//! holds every control that passes there and not elsewhere.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::sync::OnceLock;

use hullcheck::report::fleet::{render, FleetReport};
use hullcheck::report::{Counts, Report, Status};
use hullcheck::{Engine, Options};
use proptest::prelude::*;

fn base() -> &'static Report {
    static R: OnceLock<Report> = OnceLock::new();
    R.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/cluster");
        let options = Options {
            now: Some("2026-06-01T00:00:00Z".into()),
            ..Options::default()
        };
        Engine::builtin()
            .unwrap()
            .evaluate_paths(&[root], &options)
            .unwrap()
    })
}

const STATUSES: [Status; 6] = [
    Status::Pass,
    Status::Fail,
    Status::Error,
    Status::NotAssessed,
    Status::Waived,
    Status::NotApplicable,
];

/// The base report with control `i` given the status `codes[i]` (6 drops the control, 7 keeps
/// it passing under another title), and totals whose result is `STATUSES[result % 4]`.
fn cluster(codes: &[u8], result: u8) -> Report {
    let mut r = base().clone();
    let mut controls = Vec::new();
    for (i, c) in r.controls.iter().enumerate() {
        let code = codes.get(i % codes.len()).copied().unwrap_or(0);
        let mut c = c.clone();
        match code {
            0..=5 => c.status = STATUSES[usize::from(code)],
            6 => continue,
            _ => {
                c.status = Status::Pass;
                c.title = format!("{} (renamed)", c.title);
            }
        }
        controls.push(c);
    }
    r.controls = controls;
    // Totals that give the result `STATUSES[result % 4]` (fleets derive it from them).
    let s = &mut r.summary;
    s.findings = Counts::default();
    s.controls = Counts::default();
    s.document_errors = 0;
    match result % 4 {
        0 => s.controls.pass = 1,
        1 => s.findings.fail = 1,
        2 => s.findings.error = 1,
        _ => {}
    }
    s.result = STATUSES[usize::from(result % 4)];
    r
}

/// A permutation of `0..n` drawn from `seed`.
fn permutation(n: usize, mut seed: u64) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from(seed >> 33).unwrap() % (i + 1);
        v.swap(i, j);
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_order_and_grouping_give_the_same_bytes(
        clusters in prop::collection::vec((prop::collection::vec(0u8..8, 1..24), 0u8..4), 1..7),
        seed in any::<u64>(),
        cuts in prop::collection::vec(any::<bool>(), 6),
        reference in prop::option::of(0usize..7),
    ) {
        let names: Vec<String> = (0..clusters.len()).map(|i| format!("cluster-{i}")).collect();
        let reference = reference.filter(|r| *r < names.len()).map(|r| names[r].clone());
        let singles: Vec<FleetReport> = clusters
            .iter()
            .zip(&names)
            .map(|((codes, result), name)| FleetReport::from_report(name, &cluster(codes, *result)).unwrap())
            .collect();
        let canonical = FleetReport::merge(singles.clone(), reference.as_deref()).unwrap();
        // Shuffled, cut into groups, each group merged, then the groups merged (the reference
        // given to the first group only).
        let order = permutation(singles.len(), seed);
        let mut groups: Vec<Vec<FleetReport>> = vec![Vec::new()];
        for (k, i) in order.iter().enumerate() {
            if k > 0 && cuts[k % cuts.len()] {
                groups.push(Vec::new());
            }
            groups.last_mut().unwrap().push(singles[*i].clone());
        }
        let mut merged_groups = Vec::new();
        for (g, group) in groups.into_iter().enumerate() {
            let r = if g == 0 { reference.as_deref() } else { None };
            merged_groups.push(FleetReport::merge(group, r).unwrap());
        }
        merged_groups.reverse();
        let regrouped = FleetReport::merge(merged_groups, None).unwrap();
        prop_assert_eq!(regrouped.to_json(), canonical.to_json());
        // Read back from JSON, the fleet is the same.
        let back = FleetReport::from_json(&canonical.to_json()).unwrap();
        prop_assert_eq!(back.to_json(), canonical.to_json());
        // Every renderer is a function of the merged data.
        for f in [render::FleetFormat::Text, render::FleetFormat::Markdown, render::FleetFormat::Html] {
            prop_assert_eq!(render::render(&regrouped, f), render::render(&canonical, f));
        }
    }
}

#[test]
fn the_matrix_and_the_divergence_from_the_reference() {
    let all_pass = cluster(&[0], 0);
    let some_fail = cluster(&[0, 1, 2, 6], 1);
    let fleet = FleetReport::merge(
        [
            FleetReport::from_report("prod", &all_pass).unwrap(),
            FleetReport::from_report("stage", &some_fail).unwrap(),
        ],
        Some("prod"),
    )
    .unwrap();
    assert_eq!(fleet.summary.clusters, 2);
    assert_eq!(fleet.summary.result, Status::Fail);
    assert_eq!(fleet.summary.results.pass, 1);
    let n = base().controls.len();
    assert_eq!(fleet.controls.len(), n);
    // Every control but those stage passes diverges: failing, erroring, or absent from stage's
    // report (`not_assessed`).
    let expect: Vec<(String, Status)> = base()
        .controls
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 4 != 0)
        .map(|(i, c)| {
            let s = [
                Status::Pass,
                Status::Fail,
                Status::Error,
                Status::NotAssessed,
            ][i % 4];
            (c.control_id.clone(), s)
        })
        .collect();
    let got: Vec<(String, Status)> = fleet
        .divergence
        .iter()
        .map(|d| {
            assert_eq!(d.clusters.len(), 1);
            assert_eq!(d.clusters[0].cluster, "stage");
            (d.control_id.clone(), d.clusters[0].status)
        })
        .collect();
    assert_eq!(got, expect);
    assert_eq!(fleet.summary.divergent_controls, expect.len());
    // A control absent from stage's report has no cell there and counts as not assessed.
    let absent = &fleet.controls[3];
    assert!(!absent.clusters.contains_key("stage"));
    assert_eq!(absent.counts.not_assessed, 1);
    let text = render::render(&fleet, render::FleetFormat::Text);
    assert!(text.contains("Divergence from prod:"), "{text}");
    let html = render::render(&fleet, render::FleetFormat::Html);
    assert!(html.contains("<table id=\"matrix\">"));
}

#[test]
fn refusals_have_codes() {
    let r = cluster(&[0], 0);
    let one = |n: &str| FleetReport::from_report(n, &r);
    for bad in ["", " prod", "a=b", "tab\there", &"x".repeat(254)] {
        assert_eq!(one(bad).unwrap_err().code(), "fleet.bad_name", "{bad:?}");
    }
    let dup = FleetReport::merge([one("a").unwrap(), one("a").unwrap()], None).unwrap_err();
    assert_eq!(dup.code(), "fleet.duplicate_cluster");
    let a = FleetReport::merge([one("a").unwrap()], Some("a")).unwrap();
    let b = FleetReport::merge([one("b").unwrap()], Some("b")).unwrap();
    assert_eq!(
        FleetReport::merge([a, b], None).unwrap_err().code(),
        "fleet.reference_conflict"
    );
    let missing = FleetReport::merge([one("a").unwrap()], Some("z")).unwrap();
    assert_eq!(
        missing.check_reference().unwrap_err().code(),
        "fleet.unknown_reference"
    );
    assert!(missing.divergence.is_empty());
    for text in [
        "{}",
        "[]",
        r#"{"kind":"other","fleet_version":1}"#,
        &one("a")
            .unwrap()
            .to_json()
            .replace("\"fleet_version\": 1", "\"fleet_version\": 9"),
        &one("a")
            .unwrap()
            .to_json()
            .replacen("\"name\": \"a\"", "\"name\": \"b\"", 1),
    ] {
        assert_eq!(
            FleetReport::from_json(text).unwrap_err().code(),
            "fleet.not_a_fleet",
            "{text:.80}"
        );
    }
    // A cluster's result is derived from its counts: a report (or fleet) saying `pass` over
    // failing findings still fails.
    let mut lying = cluster(&[1], 1);
    lying.summary.result = Status::Pass;
    let fleet = Report::merge([("a", &lying)], None).unwrap();
    assert_eq!(fleet.clusters[0].summary.result, Status::Fail);
    assert_eq!(fleet.summary.result, Status::Fail);
    let edited = fleet
        .to_json()
        .replace("\"result\": \"fail\"", "\"result\": \"pass\"");
    assert_eq!(
        FleetReport::from_json(&edited).unwrap().summary.result,
        Status::Fail
    );
    // An empty fleet is not a pass.
    let empty = FleetReport::merge(Vec::new(), None).unwrap();
    assert_eq!(empty.summary.result, Status::NotAssessed);
    assert!(empty.has_failures());
}
