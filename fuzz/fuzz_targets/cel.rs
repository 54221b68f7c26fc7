//! CEL expressions over objects: the first line of the input is an expression, the rest a
//! JSON object. The expression is compiled (syntax, feature and cost checks) and evaluated
//! against the object directly, then again as a ValidatingAdmissionPolicy's validation with
//! the object as evidence through the whole engine. Nothing may panic, hang or exhaust memory.
#![no_main]
use std::sync::OnceLock;

static ENGINE: OnceLock<Option<hullcheck::Engine>> = OnceLock::new();

const DECLARED: &[&str] = &["object", "oldObject", "params", "namespaceObject", "request", "variables"];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(engine) = ENGINE.get_or_init(|| {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(1).use_current_thread().build_global();
        hullcheck::Engine::builtin().ok()
    }) else {
        return;
    };
    let text = String::from_utf8_lossy(data);
    let (expr, rest) = text.split_once('\n').unwrap_or((&text, "{}"));
    let object: serde_json::Value = serde_json::from_str(rest).unwrap_or(serde_json::Value::Null);
    if let Ok(compiled) = hullcheck::cel::compile(expr, DECLARED) {
        if let Ok(frame) = hullcheck::cel::Frame::root(vec![("object", hullcheck::cel::value::from_json(&object))]) {
            let mut budget = hullcheck::cel::cost::POLICY_BUDGET;
            let _ = frame.eval(&compiled, &mut budget);
        }
    }
    // The same expression as a policy's validation, over the object as a Pod.
    let Ok(quoted) = serde_json::to_string(expr) else { return };
    let mut pod = match object {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    pod.insert("apiVersion".into(), "v1".into());
    pod.insert("kind".into(), "Pod".into());
    pod.entry("metadata").or_insert_with(|| serde_json::json!({"name": "p", "namespace": "ns"}));
    let Ok(pod) = serde_json::to_string(&pod) else { return };
    let policy = format!(
        "{{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"ValidatingAdmissionPolicy\",\"metadata\":{{\"name\":\"fuzz\"}},\"spec\":{{\"matchConstraints\":{{\"resourceRules\":[{{\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"operations\":[\"CREATE\"],\"resources\":[\"pods\"]}}]}},\"variables\":[{{\"name\":\"v\",\"expression\":{quoted}}}],\"validations\":[{{\"expression\":{quoted},\"messageExpression\":{quoted}}}]}}}}\n---\n{{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"ValidatingAdmissionPolicyBinding\",\"metadata\":{{\"name\":\"fuzz\"}},\"spec\":{{\"policyName\":\"fuzz\",\"validationActions\":[\"Deny\"]}}}}\n"
    );
    let docs = [
        hullcheck::NamedDocument { name: "policy.yaml".into(), bytes: policy.into_bytes() },
        hullcheck::NamedDocument { name: "pod.json".into(), bytes: pod.into_bytes() },
    ];
    let options = hullcheck::Options {
        controls: vec!["vap:fuzz".into()],
        now: Some("2026-06-01T00:00:00Z".into()),
        ..hullcheck::Options::default()
    };
    if let Ok(report) = engine.evaluate_documents(&docs, &options) {
        // Nothing unassessed may pass: a finding of the policy is never a pass with an error
        // elsewhere in the same object.
        let statuses: Vec<_> = report.findings.iter().map(|f| f.status).collect();
        assert!(
            !(statuses.contains(&hullcheck::Status::Pass) && statuses.contains(&hullcheck::Status::Error)),
            "a pass beside an error for one object"
        );
        let _ = serde_json::to_writer(std::io::sink(), &report.findings);
    }
});
