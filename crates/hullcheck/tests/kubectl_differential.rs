//! Reading Kubernetes YAML as kubectl reads it: a differential test against kubectl's own reader,
//! offline. Each file becomes the one resource of a kustomization and `kubectl kustomize`
//! re-emits what it read (`kubectl create --dry-run=client` would need an API server). Where
//! kubectl reads a file, hullcheck must read it without a syntax error and find the same objects
//! (kind, name, namespace); where kubectl refuses it for its syntax, hullcheck must too.
//!
//! Inputs: every file of `../shared/corpus/k8s`, and documents generated from a fixed seed that
//! vary the constructs kubectl's reader and hullcheck's could disagree on (quoted scalars
//! continued at every indentation, block scalars with indicators, flow collections, anchors and
//! merge keys, comments, document markers, CRLF line ends, a byte-order mark).
//! Run with `cargo test -p hullcheck --test kubectl_differential -- --ignored` (CI does, through
//! `make conformance`); the differences that remain are listed in `docs/reliability.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use hullcheck::{Engine, NamedDocument, Options};

type Objects = BTreeSet<(String, String, String)>;

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap())
}

/// hullcheck's reading: `Err` with the first syntax error, or the objects read.
fn hullcheck(text: &[u8]) -> Result<Objects, String> {
    let docs = [NamedDocument {
        name: "res.yaml".into(),
        bytes: text.to_vec(),
    }];
    let options = Options {
        controls: vec!["ORC-022".into()],
        ..Options::default()
    };
    let r = engine().evaluate_documents(&docs, &options).unwrap();
    if let Some(e) = r.documents.iter().find_map(|d| {
        d.error
            .as_ref()
            .filter(|e| e.code.starts_with("evidence.syntax") || e.code == "evidence.encoding.utf8")
    }) {
        return Err(e.message.clone());
    }
    Ok(r.documents
        .iter()
        .filter_map(|d| {
            Some((
                d.kind.as_deref()?.to_owned(),
                d.name.as_deref().unwrap_or("").to_owned(),
                d.namespace.as_deref().unwrap_or("").to_owned(),
            ))
        })
        .collect())
}

/// kubectl's reading, through `kubectl kustomize`: `Err` with its message, or the objects.
fn kubectl(dir: &Path, text: &[u8]) -> Result<Objects, String> {
    std::fs::write(dir.join("res.yaml"), text).unwrap();
    std::fs::write(dir.join("kustomization.yaml"), "resources: [res.yaml]\n").unwrap();
    let out = Command::new("kubectl")
        .arg("kustomize")
        .arg(dir)
        .output()
        .expect("kubectl (with Kustomize built in) must be on PATH");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8(out.stdout).unwrap();
    let mut objects = Objects::new();
    for doc in text.split("\n---\n") {
        let v: serde_json::Value = match hullcheck::evidence::yaml::first_document_json(doc) {
            Ok(v) => v,
            Err(_) => continue,
        };
        let s = |p: &str| {
            v.pointer(p)
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .to_owned()
        };
        if !s("/kind").is_empty() {
            objects.insert((s("/kind"), s("/metadata/name"), s("/metadata/namespace")));
        }
    }
    Ok(objects)
}

/// True when kubectl refused the file for its YAML, not for what the objects hold.
fn syntax_refusal(message: &str) -> bool {
    [
        "yaml:",
        "error converting YAML",
        "mapping values",
        "did not find expected",
        "found character",
    ]
    .iter()
    .any(|m| message.contains(m))
}

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/k8s");
    assert!(
        root.is_dir(),
        "../shared/corpus/k8s is not beside the checkout"
    );
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A small deterministic generator (xorshift), so every run tests the same documents.
struct Rng(u64);

impl Rng {
    fn pick(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One generated object with a varied construct in its annotations and labels.
fn generated(rng: &mut Rng, i: usize) -> Vec<u8> {
    let indent = |n: usize| " ".repeat(n);
    let value = match rng.pick(9) {
        0 => format!(
            "'[\n{}{{\"a\": 1}}\n{}]'",
            indent(rng.pick(8)),
            indent(rng.pick(8))
        ),
        1 => format!(
            "\"first\n{}second \\\"q\\\"\n{}third\"",
            indent(rng.pick(8)),
            indent(rng.pick(8))
        ),
        2 => "|\n      line one\n        indented\n      line three".to_owned(),
        3 => ">-\n      folded\n      text\n\n      para".to_owned(),
        4 => "|2\n       two spaces kept".to_owned(),
        5 => "plain multi\n      line scalar".to_owned(),
        6 => "'it''s quoted'".to_owned(),
        7 => "\"tab\\there\"".to_owned(),
        _ => "\"\\u00e9t\\u00e9\"".to_owned(),
    };
    let labels = match rng.pick(4) {
        0 => "  labels: {app: web, tier: \"front\"}\n".to_owned(),
        1 => "  labels: &l\n    app: web\n".to_owned(),
        2 => "  labels:\n    app: web # a comment\n".to_owned(),
        _ => String::new(),
    };
    let mut doc = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gen-{i}\n{labels}  annotations:\n    note: {value}\ndata:\n  k: v\n"
    );
    if rng.pick(4) == 0 {
        doc = format!("---\n{doc}...\n");
    }
    if rng.pick(5) == 0 {
        doc = doc.replace('\n', "\r\n");
    }
    let mut bytes = Vec::new();
    if rng.pick(8) == 0 {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    bytes.extend_from_slice(doc.as_bytes());
    bytes
}

#[test]
#[ignore = "needs kubectl and ../shared/corpus/k8s"]
fn hullcheck_reads_what_kubectl_reads() {
    let dir = std::env::temp_dir().join(format!("hullcheck-kdiff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut inputs: Vec<(String, Vec<u8>)> = corpus()
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    let files = inputs.len();
    let mut rng = Rng(0x2026_1201);
    for i in 0..300 {
        inputs.push((format!("generated-{i}"), generated(&mut rng, i)));
    }
    let mut differences = Vec::new();
    let mut agreed = 0;
    for (name, bytes) in &inputs {
        let k = kubectl(&dir, bytes);
        let h = hullcheck(bytes);
        match (&k, &h) {
            (Ok(ko), Ok(ho)) if ko == ho => agreed += 1,
            // kubectl refused what the objects hold (no name, a List, …): not a reading matter.
            (Err(m), Ok(_)) if !syntax_refusal(m) => agreed += 1,
            (Err(_), Err(_)) => agreed += 1,
            _ => differences.push(format!("{name}: kubectl {k:?}, hullcheck {h:?}")),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(files >= 400, "the corpus is incomplete ({files} files)");
    assert!(
        differences.is_empty(),
        "{} of {} inputs differ:\n{}",
        differences.len(),
        inputs.len(),
        differences.join("\n")
    );
    assert_eq!(agreed, inputs.len());
}
