//! The Pod Security Standards written as ValidatingAdmissionPolicies
//! (`examples/admission/pss-{baseline,restricted}.yaml`) against the built-in PSS controls,
//! object by object: on the synthetic bundles here, and on `../shared/corpus/k8s` with
//! `cargo test -p hullcheck --test admission_pss -- --ignored`. Any disagreement fails.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

#[path = "../benches/common/synth.rs"]
#[allow(dead_code)]
mod synth;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hullcheck::{Engine, NamedDocument, Options, Report, Status};

/// The built-in controls of the baseline level (restricted adds the others).
const BASELINE: &[&str] = &[
    "RUN-001", "RUN-002", "RUN-003", "RUN-004", "RUN-006", "RUN-007", "RUN-008", "RUN-009",
    "RUN-010", "RUN-012", "RUN-014", "RUN-015",
];
const RESTRICTED_ONLY: &[&str] = &[
    "RUN-005", "RUN-011", "RUN-013", "RUN-016", "RUN-017", "RUN-018", "RUN-019",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One level's built-in controls and its policy. The levels run apart: with both selected,
/// a restricted check supersedes the baseline one it tightens.
fn options(level: &str) -> Options {
    let extra: &[&str] = if level == "baseline" {
        &[]
    } else {
        RESTRICTED_ONLY
    };
    Options {
        controls: BASELINE
            .iter()
            .chain(extra)
            .map(|s| (*s).to_owned())
            .chain([format!("vap:pss-{level}")])
            .collect(),
        now: Some("2026-06-01T00:00:00Z".to_owned()),
        ..Options::default()
    }
}

type Key = (String, usize, String);
/// Per object and level: (built-in verdict, policy verdict).
type Verdicts = BTreeMap<(Key, &'static str), (Option<bool>, Option<bool>)>;

/// Per object and level: (built-in verdict, policy verdict); `true` is a failure.
fn verdicts(report: &Report, level: &'static str) -> Verdicts {
    let mut out = Verdicts::new();
    for f in &report.findings {
        let s = &f.subject;
        let key: Key = (
            f.location.file.to_string(),
            f.location.document,
            format!(
                "{}/{}/{}",
                s.kind.as_deref().unwrap_or(""),
                s.namespace.as_deref().unwrap_or(""),
                s.name.as_deref().unwrap_or("")
            ),
        );
        assert!(
            !matches!(f.status, Status::Error),
            "an error finding: {} {:?}: {}",
            f.control_id,
            key,
            f.message
        );
        let failed = matches!(f.status, Status::Fail);
        let id = &*f.control_id;
        let mut mark = |level: &'static str, builtin: bool| {
            let e = out.entry((key.clone(), level)).or_default();
            let slot = if builtin { &mut e.0 } else { &mut e.1 };
            *slot = Some(slot.unwrap_or(false) || failed);
        };
        if BASELINE.contains(&id) || RESTRICTED_ONLY.contains(&id) {
            mark(level, true);
        } else if id == format!("vap:pss-{level}") {
            mark(level, false);
        }
    }
    out
}

fn disagreements(report: &Report, level: &'static str) -> Vec<String> {
    verdicts(report, level)
        .into_iter()
        .filter(|(_, (b, p))| b != p)
        .map(|((k, level), (b, p))| format!("{level} {k:?}: built-in {b:?}, policy {p:?}"))
        .collect()
}

fn policy_documents() -> Vec<NamedDocument> {
    ["baseline", "restricted"]
        .iter()
        .map(|l| {
            let name = format!("examples/admission/pss-{l}.yaml");
            NamedDocument {
                bytes: std::fs::read(root().join(&name)).unwrap(),
                name,
            }
        })
        .collect()
}

/// A pod spec with the given lines spliced in, as a Deployment and as a Pod.
fn variants() -> Vec<NamedDocument> {
    let tweaks = [
        "",
        "      hostNetwork: true\n",
        "      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n",
        "      securityContext: {sysctls: [{name: kernel.shm_rmid_forced, value: '1'}, {name: net.core.somaxconn, value: '1024'}]}\n",
        "      volumes: [{name: h, hostPath: {path: /var/log}}]\n",
        "      volumes: [{name: c, configMap: {name: x}}, {name: e, emptyDir: {}}]\n",
        "      os: {name: windows}\n",
        "      hostUsers: false\n",
    ];
    let containers = [
        "      - name: c\n        image: nginx\n",
        "      - name: c\n        image: nginx\n        securityContext: {privileged: true}\n",
        "      - name: c\n        image: nginx\n        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n",
        "      - name: c\n        image: nginx\n        securityContext: {capabilities: {add: [SYS_ADMIN]}, runAsUser: 0}\n        ports: [{containerPort: 80, hostPort: 8080}]\n",
        "      - name: c\n        image: nginx\n        securityContext: {seLinuxOptions: {type: container_t}, procMount: Unmasked, appArmorProfile: {type: Unconfined}}\n",
        "      - name: c\n        image: nginx\n        livenessProbe: {httpGet: {host: example.com, port: 80}}\n        securityContext: {windowsOptions: {hostProcess: true}}\n",
    ];
    let mut out = Vec::new();
    for (t, tweak) in tweaks.iter().enumerate() {
        for (c, container) in containers.iter().enumerate() {
            let spec = format!("{tweak}      containers:\n{container}");
            let deployment = format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d-{t}-{c}, namespace: ns}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  template:\n    metadata: {{labels: {{a: b}}}}\n    spec:\n{spec}"
            );
            let pod_spec = spec.replace("\n      ", "\n  ");
            let pod_spec = pod_spec.strip_prefix("    ").unwrap_or(&pod_spec);
            let pod = format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: p-{t}-{c}, namespace: ns}}\nspec:\n  {pod_spec}"
            );
            out.push(NamedDocument {
                name: format!("variant-{t}-{c}.yaml"),
                bytes: format!("{deployment}---\n{pod}").into_bytes(),
            });
        }
    }
    out
}

#[test]
fn policies_agree_with_the_built_in_controls_on_synthetic_objects() {
    let engine = Engine::builtin().unwrap();
    let mut docs: Vec<NamedDocument> = synth::bundle(600)
        .into_iter()
        .map(|(name, text)| NamedDocument {
            name,
            bytes: text.into_bytes(),
        })
        .collect();
    docs.extend(variants());
    docs.extend(policy_documents());
    for level in ["baseline", "restricted"] {
        let report = engine.evaluate_documents(&docs, &options(level)).unwrap();
        let v = verdicts(&report, level);
        let failing = v.values().filter(|(b, _)| *b == Some(true)).count();
        assert!(
            v.len() > 200 && failing > 20,
            "{level}: {} objects, {failing} failing",
            v.len()
        );
        let d = disagreements(&report, level);
        assert!(
            d.is_empty(),
            "{level}: {} disagreements:\n{}",
            d.len(),
            d.join("\n")
        );
    }
}

#[test]
#[ignore = "needs ../shared beside the checkout"]
fn policies_agree_with_the_built_in_controls_on_the_shared_corpus() {
    let corpus = root().join("../shared/corpus/k8s");
    assert!(corpus.is_dir(), "../shared is not beside the checkout");
    let engine = Engine::builtin().unwrap();
    let mut paths = vec![corpus];
    paths.push(root().join("examples/admission/pss-baseline.yaml"));
    paths.push(root().join("examples/admission/pss-restricted.yaml"));
    for level in ["baseline", "restricted"] {
        let report = engine.evaluate_paths(&paths, &options(level)).unwrap();
        let v = verdicts(&report, level);
        assert!(v.len() > 200, "{level}: only {} objects judged", v.len());
        let d = disagreements(&report, level);
        assert!(
            d.is_empty(),
            "{level}: {} disagreements:\n{}",
            d.len(),
            d.join("\n")
        );
    }
}
