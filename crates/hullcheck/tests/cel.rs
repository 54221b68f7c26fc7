//! CEL user controls and ValidatingAdmissionPolicies: what passes, what fails, and that an
//! expression hullcheck cannot run (does not compile, uses an unsupported feature, costs too
//! much, errs at run time, gives the wrong type) is an `error`, never a pass.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use hullcheck::{Catalog, Engine, NamedDocument, Options, Report, Status};

/// A user control `T-1` over Pods and ConfigMaps with these variables and validations.
fn control(variables: &[(&str, &str)], validations: &[&str]) -> String {
    let mut s = String::from(
        "id: T-1\nlayer: orchestration\ntitle: t\ndescription: d\nrationale: r\nremediation: m\nseverity: high\nevidence: []\nsources: []\nmappings: {nist-800-53r5: [CM-7]}\npractices: []\nprofiles: []\ncheck:\n  kind: cel\n  match:\n    resources: [{apiGroups: [''], kinds: [Pod, ConfigMap]}]\n",
    );
    if !variables.is_empty() {
        s.push_str("  variables:\n");
        for (n, e) in variables {
            s.push_str(&format!(
                "    - name: {n}\n      expression: {}\n",
                serde_json::to_string(e).unwrap()
            ));
        }
    }
    s.push_str("  validations:\n");
    for v in validations {
        s.push_str(&format!(
            "    - expression: {}\n      message: broken\n",
            serde_json::to_string(v).unwrap()
        ));
    }
    s
}

fn engine_with(control_text: &str) -> Engine {
    let catalog = Catalog::builtin()
        .unwrap()
        .extend_files([("orchestration/T-1.yaml".to_owned(), control_text.to_owned())])
        .unwrap();
    Engine::new(catalog).unwrap()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns, labels: {owner: a}}\nspec:\n  containers:\n  - {name: c, image: nginx}\n  - {name: d, image: redis}\n";

fn docs(texts: &[&str]) -> Vec<NamedDocument> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| NamedDocument {
            name: format!("doc-{i}.yaml"),
            bytes: t.as_bytes().to_vec(),
        })
        .collect()
}

fn run(engine: &Engine, control: &str, texts: &[&str]) -> Report {
    let options = Options {
        controls: vec![control.to_owned()],
        now: Some("2026-06-01T00:00:00Z".to_owned()),
        ..Options::default()
    };
    engine.evaluate_documents(&docs(texts), &options).unwrap()
}

fn statuses(r: &Report, control: &str) -> Vec<(Status, String)> {
    r.findings
        .iter()
        .filter(|f| &*f.control_id == control)
        .map(|f| (f.status, f.message.to_string()))
        .collect()
}

fn only(r: &Report, control: &str) -> (Status, String) {
    let s = statuses(r, control);
    assert_eq!(s.len(), 1, "{s:?}");
    s.into_iter().next().unwrap()
}

#[test]
fn a_user_control_passes_and_fails_with_its_messages() {
    let e = engine_with(&control(
        &[("images", "object.spec.containers.map(c, c.image)")],
        &[
            "variables.images.all(i, i != 'redis')",
            "has(object.metadata.labels.owner)",
        ],
    ));
    let (s, m) = only(&run(&e, "T-1", &[POD]), "T-1");
    assert_eq!((s, m.as_str()), (Status::Fail, "broken"));
    let ok = POD.replace("redis", "nginx");
    assert_eq!(only(&run(&e, "T-1", &[&ok]), "T-1").0, Status::Pass);
    // No object matches: not assessed, never a pass.
    let r = run(
        &e,
        "T-1",
        &["apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"],
    );
    assert!(statuses(&r, "T-1").is_empty());
    let c = r.controls.iter().find(|c| c.control_id == "T-1").unwrap();
    assert_eq!(c.status, Status::NotAssessed);
}

fn error_of(validation: &str) -> String {
    let e = engine_with(&control(&[], &[validation]));
    let (s, m) = only(&run(&e, "T-1", &[POD]), "T-1");
    assert_eq!(s, Status::Error, "`{validation}` gave {s:?}: {m}");
    m
}

#[test]
fn expressions_that_cannot_run_are_errors() {
    // Does not compile.
    assert!(error_of("object.spec.containers.all(c,").contains("does not compile"));
    // Unsupported: a two-variable comprehension, a Kubernetes library not implemented, an
    // unknown function, a message literal, the authorizer.
    assert!(error_of("object.metadata.labels.all(k, v, v != '')")
        .contains("two-variable comprehension"));
    assert!(error_of("true || jsonpatch.escapeKey('a/b') == 'a~1b'")
        .contains("Kubernetes CEL function `jsonpatch.escapeKey`"));
    // A Kubernetes library function that fails at run time.
    assert!(
        error_of("quantity('1 Gi').isGreaterThan(quantity('1Mi'))").contains("is not a quantity")
    );
    assert!(error_of("false && nosuch(object)").contains("unknown function `nosuch`"));
    assert!(error_of("true || cel.bind(x, 1, x > 0)").contains("cel.bind"));
    assert!(error_of("authorizer.group('').check('get').allowed()").contains("authorizer"));
    // An undeclared variable, even in a branch not taken.
    assert!(error_of("true || self.x").contains("undeclared variable `self`"));
    // Fails at run time: a missing field, a division by zero.
    assert!(error_of("object.spec.nosuch == 1").contains("failed"));
    assert!(error_of("object.spec.containers.size() / 0 == 1").contains("failed"));
    // The wrong type.
    assert!(error_of("object.metadata.name").contains("not a bool"));
}

#[test]
fn the_kubernetes_libraries_judge_objects() {
    let e = engine_with(&control(
        &[],
        &["object.spec.containers.all(c, !has(c.resources) || quantity(c.resources.limits.memory).isLessThan(quantity('1Gi')))",
          "object.metadata.?annotations.?endpoint.orValue('https://ok.example/') .startsWith('https://') && url(object.metadata.?annotations.?endpoint.orValue('https://ok.example/')).getScheme() == 'https'"],
    ));
    let big = POD.replace(
        "{name: c, image: nginx}",
        "{name: c, image: nginx, resources: {limits: {memory: 2Gi}}}",
    );
    assert_eq!(only(&run(&e, "T-1", &[&big]), "T-1").0, Status::Fail);
    let small = POD.replace(
        "{name: c, image: nginx}",
        "{name: c, image: nginx, resources: {limits: {memory: 512Mi}}}",
    );
    assert_eq!(only(&run(&e, "T-1", &[&small]), "T-1").0, Status::Pass);
}

#[test]
fn costs_over_the_limits_are_errors() {
    // Estimated: four nested comprehensions over the evidence are refused before any object.
    let m = error_of(
        "object.spec.containers.all(a, object.spec.containers.all(b, object.spec.containers.all(c, object.spec.containers.all(d, a == d))))",
    );
    assert!(m.contains("estimated cost"), "{m}");
    // Exponential blow-up over literals is refused whatever the evidence.
    let m = error_of("[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, [1,2,3,4,5,6,7,8,9,10].all(g, true)))))))");
    assert!(m.contains("estimated cost"), "{m}");
    // At run time: two nested loops are fine in the estimate, but not over 3,000 items.
    let e = engine_with(&control(
        &[],
        &["object.data.all(a, object.data.all(b, a != b || a == b))"],
    ));
    let keys: Vec<String> = (0..3000).map(|i| format!("  k{i}: v")).collect();
    let big = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big, namespace: ns}}\ndata:\n{}\n",
        keys.join("\n")
    );
    let (s, m) = only(&run(&e, "T-1", &[&big]), "T-1");
    assert_eq!(s, Status::Error);
    assert!(m.contains("would cost up to"), "{m}");
    let small = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: small, namespace: ns}\ndata: {a: b, c: d}\n";
    assert_eq!(only(&run(&e, "T-1", &[small]), "T-1").0, Status::Pass);
}

#[test]
fn hostile_expressions_are_refused_without_harm() {
    let deep = format!("{}true{}", "(".repeat(5000), ")".repeat(5000));
    assert!(error_of(&deep).contains("does not compile") || error_of(&deep).contains("bytes"));
    let long = format!("'{}' == ''", "a".repeat(20_000));
    assert!(error_of(&long).contains("bytes"));
    // An even run of negations folds to `true`: a pass, and no harm.
    let e = engine_with(&control(&[], &[&format!("{}true", "!".repeat(3000))]));
    assert_eq!(only(&run(&e, "T-1", &[POD]), "T-1").0, Status::Pass);
    // Logical chains are balanced by the parser: evaluated, and right.
    let and = (0..2000).map(|_| "true").collect::<Vec<_>>().join(" && ");
    let e = engine_with(&control(&[], &[&and]));
    assert_eq!(only(&run(&e, "T-1", &[POD]), "T-1").0, Status::Pass);
    for chain in [
        (0..3000).map(|_| "1").collect::<Vec<_>>().join(" + ") + " == 1",
        format!("{}1{} == 1", "[".repeat(3000), "]".repeat(3000)),
        (0..1000).map(|_| "true ? true :").collect::<String>() + " false",
    ] {
        let m = error_of(&chain);
        assert!(
            m.contains("nested deeper") || m.contains("does not compile"),
            "{m}"
        );
    }
}

#[test]
fn variables_are_seen_in_both_spellings_and_a_failed_one_is_named() {
    let e = engine_with(&control(
        &[
            ("num", "object.spec.containers.size()"),
            ("bad", "object.spec.nosuch"),
        ],
        &[
            "variables.num == 2 && has(variables.num)",
            "variables.bad == 1",
        ],
    ));
    let s = statuses(&run(&e, "T-1", &[POD]), "T-1");
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].0, Status::Error);
    assert!(s[0].1.contains("variable `bad`"), "{}", s[0].1);
}

const POLICY: &str = r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-containers
  annotations:
    hullcheck.dev/mappings: '{"nist-800-53r5": ["CM-7"], "nosuch-framework": ["X"]}'
    hullcheck.dev/severity: high
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
    namespaceSelector:
      matchExpressions: [{key: env, operator: In, values: [prod]}]
  matchConditions:
  - {name: not-exempt, expression: "!has(object.metadata.labels) || !('exempt' in object.metadata.labels)"}
  variables:
  - {name: count, expression: "object.spec.containers.size()"}
  validations:
  - expression: "variables.count <= int(params.data.max)"
    messageExpression: "'%d containers, at most %s allowed'.format([variables.count, params.data.max])"
    reason: Invalid
"#;

fn binding(name: &str, extra: &str) -> String {
    format!("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {{name: {name}}}\nspec:\n  policyName: max-containers\n{extra}")
}

const PROD: &str = "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns, labels: {env: prod}}\n";
const LIMIT: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: limits, namespace: ns}\ndata: {max: '1'}\n";

#[test]
fn a_policy_is_evaluated_through_its_binding_with_params() {
    let e = Engine::builtin().unwrap();
    let b = binding(
        "b",
        "  validationActions: [Deny]\n  paramRef: {name: limits, parameterNotFoundAction: Deny}\n",
    );
    let r = run(&e, "vap:max-containers", &[POLICY, &b, PROD, LIMIT, POD]);
    let s = statuses(&r, "vap:max-containers");
    let fails: Vec<_> = s.iter().filter(|(st, _)| *st == Status::Fail).collect();
    assert_eq!(fails.len(), 1, "{s:?}");
    assert!(
        fails[0]
            .1
            .contains("binding `b`, validation 1: 2 containers, at most 1 allowed [Invalid]"),
        "{}",
        fails[0].1
    );
    // The unknown framework of the annotation is reported, and the known mapping counts.
    assert!(
        s.iter()
            .any(|(st, m)| *st == Status::Error && m.contains("`nosuch-framework` `X`")),
        "{s:?}"
    );
    let c = r
        .controls
        .iter()
        .find(|c| c.control_id == "vap:max-containers")
        .unwrap();
    assert_eq!(c.severity, "high");
    let fw = r
        .frameworks
        .iter()
        .find(|f| f.framework_id == "nist-800-53r5")
        .unwrap();
    assert!(fw
        .requirements
        .iter()
        .any(|q| &*q.requirement_id == "CM-7" && q.status == Status::Fail));
    // A higher limit admits it.
    let high = LIMIT.replace("'1'", "'5'");
    let r = run(&e, "vap:max-containers", &[POLICY, &b, PROD, &high, POD]);
    assert!(statuses(&r, "vap:max-containers")
        .iter()
        .any(|(s, m)| *s == Status::Pass && m.contains("binding `b`")));
}

#[test]
fn params_not_found_namespaces_and_actions_follow_the_api_server() {
    let e = Engine::builtin().unwrap();
    let deny = binding(
        "b",
        "  validationActions: [Deny]\n  paramRef: {name: missing, parameterNotFoundAction: Deny}\n",
    );
    let s = statuses(
        &run(&e, "vap:max-containers", &[POLICY, &deny, PROD, POD]),
        "vap:max-containers",
    );
    assert!(
        s.iter()
            .any(|(st, m)| *st == Status::Fail && m.contains("no parameter object")),
        "{s:?}"
    );
    let allow = binding("b", "  validationActions: [Deny]\n  paramRef: {name: missing, parameterNotFoundAction: Allow}\n");
    let s = statuses(
        &run(&e, "vap:max-containers", &[POLICY, &allow, PROD, POD]),
        "vap:max-containers",
    );
    assert!(
        s.iter().any(|(st, _)| *st == Status::NotApplicable),
        "{s:?}"
    );
    // The namespace is not in the evidence: whether the selector matches is unknown.
    let b = binding(
        "b",
        "  validationActions: [Deny]\n  paramRef: {name: limits}\n",
    );
    let s = statuses(
        &run(&e, "vap:max-containers", &[POLICY, &b, LIMIT, POD]),
        "vap:max-containers",
    );
    assert!(
        s.iter()
            .any(|(st, m)| *st == Status::Error
                && m.contains("namespace `ns` is not in the evidence")),
        "{s:?}"
    );
    // A namespace the selector does not select: not matched at all.
    let dev = PROD.replace("prod", "dev");
    let r = run(&e, "vap:max-containers", &[POLICY, &b, &dev, LIMIT, POD]);
    assert!(!statuses(&r, "vap:max-containers")
        .iter()
        .any(|(st, _)| *st == Status::Fail || *st == Status::Pass));
    // A false match condition skips the object.
    let exempt = POD.replace("owner: a", "owner: a, exempt: 'yes'");
    let r = run(
        &e,
        "vap:max-containers",
        &[POLICY, &b, PROD, LIMIT, &exempt],
    );
    assert!(!statuses(&r, "vap:max-containers")
        .iter()
        .any(|(st, _)| *st == Status::Fail));
    // Warn only: still a fail, saying the cluster admits it.
    let warn = binding(
        "b",
        "  validationActions: [Warn, Audit]\n  paramRef: {name: limits}\n",
    );
    let s = statuses(
        &run(&e, "vap:max-containers", &[POLICY, &warn, PROD, LIMIT, POD]),
        "vap:max-containers",
    );
    assert!(
        s.iter()
            .any(|(st, m)| *st == Status::Fail && m.contains("the cluster admits it")),
        "{s:?}"
    );
    // A binding's matchResources narrows: excluding pods leaves nothing to judge.
    let narrow = binding("b", "  validationActions: [Deny]\n  paramRef: {name: limits}\n  matchResources:\n    resourceRules: [{apiGroups: [apps], apiVersions: ['*'], operations: ['*'], resources: [deployments]}]\n");
    let clean = POLICY.replace(r#", "nosuch-framework": ["X"]"#, "");
    let r = run(
        &e,
        "vap:max-containers",
        &[&clean, &narrow, PROD, LIMIT, POD],
    );
    let c = r
        .controls
        .iter()
        .find(|c| c.control_id == "vap:max-containers")
        .unwrap();
    assert_eq!(
        c.status,
        Status::NotAssessed,
        "{:?}",
        statuses(&r, "vap:max-containers")
    );
    // No binding: the API server enforces nothing; not assessed.
    let r = run(&e, "vap:max-containers", &[&clean, PROD, LIMIT, POD]);
    let c = r
        .controls
        .iter()
        .find(|c| c.control_id == "vap:max-containers")
        .unwrap();
    assert_eq!(c.status, Status::NotAssessed);
    assert!(c
        .note
        .as_deref()
        .unwrap_or("")
        .contains("no ValidatingAdmissionPolicyBinding"));
}

#[test]
fn a_policy_control_must_exist_in_the_evidence() {
    let e = Engine::builtin().unwrap();
    let options = Options {
        controls: vec!["vap:nosuch".to_owned()],
        ..Options::default()
    };
    let err = e.evaluate_documents(&docs(&[POD]), &options).unwrap_err();
    assert_eq!(err.code(), "options.unknown_control");
}

#[test]
fn user_controls_add_to_the_catalog_and_a_clashing_id_is_an_error() {
    let clash = control(&[], &["true"]).replace("id: T-1", "id: RUN-003");
    let err = Catalog::builtin()
        .unwrap()
        .extend_files([("orchestration/RUN-003.yaml".to_owned(), clash)])
        .unwrap_err();
    assert_eq!(err.code(), "catalog.duplicate_id");
    // The example directory adds its controls and its framework beside the built-in ones.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/controls");
    let builtin = Catalog::builtin().unwrap();
    let extended = builtin.with_user_dir(&dir).unwrap();
    assert_eq!(extended.controls.len(), builtin.controls.len() + 2);
    assert!(extended.control("TEAM-001").is_some() && extended.control("RUN-003").is_some());
    assert!(extended.framework("acme-platform-standard").is_some());
    // A framework ID already in the catalog is refused too.
    let fw = "id: nist-800-53r5\ntitle: t\npublisher: p\nversion: '1'\nderived_from: d\nrequirements: [{id: X, title: x}]\n";
    assert!(builtin
        .extend_files([("frameworks/nist-800-53r5.yaml".to_owned(), fw.to_owned())])
        .is_err());
}

#[test]
fn an_object_the_typed_reader_refuses_is_still_judged() {
    // `containers` is a string: the built-in readers refuse the pod; CEL still sees it, and
    // an expression over it errs rather than leaving the object out.
    let bad = "apiVersion: v1\nkind: Pod\nmetadata: {name: bad, namespace: ns}\nspec:\n  containers: nope\n";
    let e = engine_with(&control(
        &[],
        &["object.spec.containers.all(c, has(c.image))"],
    ));
    let (s, _) = only(&run(&e, "T-1", &[bad]), "T-1");
    assert_eq!(s, Status::Error);
}
