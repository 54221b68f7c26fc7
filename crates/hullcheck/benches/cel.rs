//! CEL cost: the Pod Security Standards as ValidatingAdmissionPolicies
//! (`examples/admission/pss-restricted.yaml`) against the built-in PSS controls on the same
//! objects, and one expression on one object. Throughput is in object × expression
//! evaluations, so criterion's time per element is the cost of one expression on one object.
//! `cargo bench -p hullcheck --bench cel`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "common/synth.rs"]
mod synth;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hullcheck::{Engine, NamedDocument, Options};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn timed<T>(iters: u64, mut f: impl FnMut() -> T) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let t = Instant::now();
        let out = f();
        total += t.elapsed();
        drop(black_box(out));
    }
    total
}

/// The number of expressions of the policy: variables and validations.
fn expressions(policy: &str) -> usize {
    policy.matches("expression:").count()
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let policy =
        std::fs::read_to_string(root.join("examples/admission/pss-restricted.yaml")).unwrap();
    let engine = Engine::builtin().unwrap();
    // Deployments are two objects in six of the synthetic bundle.
    let n = 3_000;
    let mut docs: Vec<NamedDocument> = synth::bundle(n)
        .into_iter()
        .map(|(name, text)| NamedDocument {
            name,
            bytes: text.into_bytes(),
        })
        .collect();
    let workloads = (0..n).filter(|i| i % 6 < 2).count();
    docs.push(NamedDocument {
        name: "pss-restricted.yaml".into(),
        bytes: policy.clone().into_bytes(),
    });
    let exprs = expressions(&policy);
    eprintln!("{workloads} workloads × {exprs} expressions");
    let options = |controls: Vec<String>, profiles: Vec<String>| Options {
        controls,
        profiles,
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    };
    let policy_opts = options(vec!["vap:pss-restricted".into()], vec![]);
    let builtin_opts = options(vec![], vec!["pss-restricted".into()]);
    let mut group = c.benchmark_group("pss-restricted");
    group.sample_size(20);
    group.throughput(Throughput::Elements((workloads * exprs) as u64));
    group.bench_function("as-policy", |b| {
        b.iter_custom(|iters| timed(iters, || engine.evaluate_documents(&docs, &policy_opts)))
    });
    group.bench_function("built-in", |b| {
        b.iter_custom(|iters| timed(iters, || engine.evaluate_documents(&docs, &builtin_opts)))
    });
    group.finish();

    // One expression on one pod, the frame built once: the interpreter's own cost.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: nginx, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n  - {name: b, image: redis}\n";
    let parsed =
        hullcheck::evidence::parse_bytes("pod.yaml", pod.as_bytes(), &hullcheck::Limits::default());
    let object = parsed
        .items
        .first()
        .unwrap()
        .origin
        .object()
        .unwrap()
        .clone();
    let frame =
        hullcheck::cel::Frame::root(vec![("object", hullcheck::cel::value::from_node(&object))])
            .unwrap();
    let declared = ["object"];
    let cases = [
        ("field", "object.metadata.name == 'p'"),
        ("comprehension", "object.spec.containers.all(c, c.?securityContext.?allowPrivilegeEscalation.orValue(true) == false)"),
        ("nested", "object.spec.containers.all(c, c.?securityContext.?capabilities.?drop.orValue([]).exists(d, d == 'ALL'))"),
    ];
    let mut group = c.benchmark_group("expression");
    group.throughput(Throughput::Elements(1));
    for (name, src) in cases {
        let compiled = hullcheck::cel::compile(src, &declared).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut budget = hullcheck::cel::cost::POLICY_BUDGET;
                black_box(frame.eval(&compiled, &mut budget))
            })
        });
    }
    group.bench_function("bind-object", |b| {
        b.iter(|| {
            black_box(hullcheck::cel::Frame::root(vec![(
                "object",
                hullcheck::cel::value::from_node(&object),
            )]))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
