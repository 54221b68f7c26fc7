//! Throughput: parse-only versus parse+evaluate, on the shared corpus and on synthetic bundles
//! of 10k and 100k objects. `cargo bench -p hullcheck --bench throughput`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "common/synth.rs"]
mod synth;

use std::path::Path;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hullcheck::{Engine, Limits, NamedDocument, Options};
use rayon::prelude::*;

/// The allocator the CLI ships with, so the figures are the ones users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/k8s");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            {
                out.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap_or_default(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn objects(files: &[(String, String)]) -> usize {
    let limits = Limits::default();
    files
        .iter()
        .map(|(n, t)| {
            hullcheck::evidence::parse_bytes(n, t.as_bytes(), &limits)
                .items
                .len()
        })
        .sum()
}

/// Runs `f` `iters` times, timing only the calls, not the freeing of their results.
fn timed<T>(iters: u64, mut f: impl FnMut() -> T) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let start = Instant::now();
        let out = black_box(f());
        total += start.elapsed();
        drop(out);
    }
    total
}

fn bench(c: &mut Criterion) {
    let engine = Engine::builtin().unwrap();
    let options = Options {
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    };
    let sets = [
        ("corpus-k8s", corpus()),
        ("synthetic-10k", synth::bundle(10_000)),
        ("synthetic-100k", synth::bundle(100_000)),
    ];
    for (name, files) in &sets {
        if files.is_empty() {
            eprintln!("{name}: no files (../shared/corpus/k8s is absent); skipped");
            continue;
        }
        let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
        let n = objects(files);
        let docs: Vec<NamedDocument> = files
            .iter()
            .map(|(n, t)| NamedDocument {
                name: n.clone(),
                bytes: t.as_bytes().to_vec(),
            })
            .collect();
        let mut group = c.benchmark_group(*name);
        group.sample_size(if n > 50_000 { 10 } else { 20 });
        // Bytes per second; objects per second is that times objects per byte, printed here.
        group.throughput(Throughput::Bytes(bytes as u64));
        eprintln!("{name}: {bytes} bytes, {n} objects");
        let limits = Limits::default();
        // Each run's result is freed outside the timed region: the CLI exits without freeing
        // its report, and freeing is not the work being measured.
        group.bench_function("parse", |b| {
            b.iter_custom(|iters| {
                timed(iters, || {
                    files
                        .par_iter()
                        .map(|(n, t)| hullcheck::evidence::parse_bytes(n, t.as_bytes(), &limits))
                        .collect::<Vec<_>>()
                })
            })
        });
        group.bench_function("evaluate", |b| {
            b.iter_custom(|iters| timed(iters, || engine.evaluate_documents(&docs, &options)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
