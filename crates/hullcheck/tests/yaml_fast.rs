//! The fast YAML reader is held equal to the full reader: on every project fixture, on the shared
//! corpus, on hand-picked edge cases, and on generated block-style documents.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::path::{Path, PathBuf};

use hullcheck::evidence::limits::Limits;
use hullcheck::evidence::yaml::{documents, documents_full};
use proptest::prelude::*;

/// Both readers' documents, rendered with `Debug` (so NaN equals NaN), and how many documents
/// the fast reader produced.
fn compare(text: &str, limits: &Limits) -> (usize, usize) {
    let mut fast = documents(text, limits);
    let got: Vec<String> = fast.by_ref().map(|d| format!("{d:?}")).collect();
    let want: Vec<String> = documents_full(text, limits)
        .map(|d| format!("{d:?}"))
        .collect();
    assert_eq!(got, want, "readers differ on:\n{text}");
    (fast.fast_documents(), want.len())
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
        {
            out.push(p);
        }
    }
}

fn compare_tree(root: &Path) -> (usize, usize, usize) {
    let mut files = Vec::new();
    yaml_files(root, &mut files);
    files.sort();
    let limits = Limits::default();
    let (mut fast, mut total) = (0, 0);
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let (a, b) = compare(&text, &limits);
        fast += a;
        total += b;
    }
    (files.len(), fast, total)
}

#[test]
fn project_fixtures_read_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut totals = (0, 0, 0);
    for dir in ["tests", "examples", "controls"] {
        let (f, a, b) = compare_tree(&root.join(dir));
        totals = (totals.0 + f, totals.1 + a, totals.2 + b);
    }
    let (files, fast, total) = totals;
    assert!(files > 300, "{files} files");
    // The fast reader must carry most of the load, or it is not earning its place.
    assert!(fast * 10 > total * 6, "fast reader read {fast} of {total}");
}

#[test]
#[ignore = "reads ../shared; run by `make conformance`"]
fn shared_corpus_reads_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let (files, fast, total) = compare_tree(&root);
    assert!(files > 400, "{files} files");
    assert!(fast * 10 > total * 6, "fast reader read {fast} of {total}");
}

const EDGE_CASES: &[&str] = &[
    "",
    "\n\n",
    "# only a comment\n",
    "a: 1",
    "a: 1\n",
    "a: 1\n---\n",
    "a: 1\n---",
    "---\na: 1\n---\nb: 2\n",
    "--- # c\na: 1\n",
    "--- a\n",
    "---\n---\n",
    "# c\n---\na: 1\n",
    "a: 1\n...\n",
    "a: 1\n--- |\n  x\n",
    "\u{feff}a: 1\n",
    "a:\n- x\n-\n- \n-   # c\n  y: 1\n",
    "a:\n  - x\n  -\n    - y\n",
    "a:\n- - x\n",
    "a: b: c\n",
    "a: b:\n",
    "a: b #c\nd: e#f\n",
    "a:b\n",
    "a: 'it''s'\nb: \"q\\\"x\\u00e9\\x41\\t\"\n",
    "a: \"\\ud800\"\n",
    "a: \"bad \\q escape\"\n",
    "a: 'unterminated\n  rest'\n",
    "a: \"unterminated\n  rest\"\n",
    "a: plain\n  continued\n",
    "- a\n  b\n",
    "a: 1\n a: 2\n",
    "  a: 1\n  b: 2\n",
    "  a: 1\n b: 2\n",
    "a: 1\na: 2\n",
    "y: 1\nn: 2\n~: 3\n1: 4\n0x10: 5\n1.5: 6\n.nan: 7\n",
    "a: yes\nb: 0755\nc: 1_000\nd: -1\ne: +1\nf: .inf\ng: 1e3\nh: 0o17\ni: 0b101\nj: 1.0\n",
    "a: -\n",
    "a: --x\nb: ---\n",
    "-a: 1\n",
    "a: ?x\nb: :x\n",
    "? a\n: b\n",
    "a: [1, 2]\nb: {c: d}\n",
    "a: []\nb: {}\nc: [ ]\nd: []x\ne: [] # c\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "<<: {a: 1}\n",
    "a: |\n  x\n",
    "a: >-\n  x\n",
    "a:\tb\n",
    "a: b\r\nc: d\r\n",
    "a: \"x\" y\n",
    "a: \"x\"#y\n",
    "a: \"x\" #y\n",
    "\"k\": 1\n'q': 2\n\"k2\" : 3\n",
    "a: 1 # c\n# c\nb:\n  # c\n\n  c: 2\n",
    "a:\n\n\n  - b\nv: -1\n",
    "a:\n- b: 1\n  c: 2\n- d\n",
    "a:\n- b: 1\n   c: 2\n",
    "- a: 1\n  b:\n  - c\n  - d: 2\n    e: 3\n",
    "- \n- x\n",
    "plain scalar\n",
    "\"quoted\"\n",
    "- x\n- y\n",
    "a: %x\n",
    "a: @x\n",
    "a: `x\n",
    "a: x,y\nb: x]\nc: ,x\n",
    "a: \u{85}x\nb: \u{a0}x\n",
    "a: \u{80}\n",
    "key with spaces: value with spaces   \n",
    "a: 1\n\n---\n\n# c\nb: 2\n\n",
    "a: 1\n---\n- x\n---\nb: {}\n",
    // Found by the yaml_diff fuzz target.
    "{a\n:h}",
    "[39mxyex  - -,e,ek ,e,ek2!%    =\n,39xyx,e,e ,e,ek;]",
    "{\\P:\n{\\:\n{\\:{\n\n}}}}",
    "{a:{b: 1}}\n",
    "{a:[1]}\n",
    "{a:1}\n",
    "{\"a\":{\"b\":1},\"c\":[1,2],\"d\":\"e\"}\n",
    "apiVer\rs:nio\r\u{5}piVersiICT\n---\nap\n---\napiVersiotyc.authobio\r\r\rname\r\r\r",    // Found by the generated-documents property test: saphyr's event parser keeps anchors from
    // one document to the next, a fresh parser does not.
    "{\n -'.\": \"t44\",\n &a: #':\"-6r,\n -k-g:: [\n ],\n #5 i:j3h: a: b\n}\n---\n{\n}\n---\n*a:\n- x\n",
    "&a x\n---\n*a\n---\nb: 1\n",
    "a: &a x\n---\nb: {c: 1, c: 2, d: *a}\n---\ne: 1\n",
    "a: &a x\n...\n*a\n...\nb: 1\n",
    // Recovery at the next marker after a broken document.
    "a: 1\n---\nb: [\n---\nc: 3\n",
    "a: 1\n---\nb: ]\nc: 2\n---\nd: 4\n",
    "--- ]\n--- a: 1\n---\nb: 2\n",
    "a: \"x\n---\nb: 1\n",
    "a: 1\n...\nb: ]\n...\nc: 3\n",
    "a: 1\r\n---\r\nb: ]\r\n---\r\nc: 3\r\n",
    "a: 1\na: 2\n---\nb: 1\n",
    "]\n---\na: 1\n",
    "%YAML 1.2\n%YAML 1.2\n---\na: 1\n---\nb: 1\n",
];

#[test]
fn edge_cases_read_the_same() {
    let limits = Limits::default();
    for text in EDGE_CASES {
        compare(text, &limits);
    }
}

#[test]
fn limits_are_applied_identically() {
    let deep: String = (0..80).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    let mut limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    for text in [
        "a:\n  b:\n    c:\n      d: 1\n",
        "a:\n- - x\n",
        "a: [[1]]\n",
        "a: [[[1]]]\n",
        "{\"a\": {\"b\": {\"c\": 1}}}\n",
        "[[[]]]\n",
        &deep,
    ] {
        compare(text, &limits);
    }
    limits.max_depth = 256;
    compare(&deep, &limits);
    limits.max_documents_per_file = 2;
    compare("a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n", &limits);
}

#[test]
fn large_mappings_and_late_duplicates_read_the_same() {
    let limits = Limits::default();
    for n in [15, 16, 17, 40] {
        let keys: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
        let block: String = keys.iter().map(|k| format!("{k}: 1\n")).collect();
        let flow = format!(
            "{{{}}}\n",
            keys.iter()
                .map(|k| format!("\"{k}\": 1"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert_eq!(compare(&block, &limits).0, 1);
        assert_eq!(compare(&flow, &limits).0, 1);
        // The same key again at the end: a duplicate, reported by the full reader.
        compare(&format!("{block}k0: 2\n"), &limits);
        compare(&flow.replace("}\n", ", \"k0\": 2}\n"), &limits);
    }
}

#[test]
fn fast_reader_reads_a_typical_manifest() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app # main\n        image: \"nginx:1.27\"\n        args: []\n        ports:\n        - containerPort: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n";
    let limits = Limits::default();
    let (fast, total) = compare(text, &limits);
    assert_eq!((fast, total), (2, 2));
}

#[test]
fn fallback_keeps_lines_and_indexes() {
    let text = "a: 1\n---\nb: &x 1\n---\nc: 3\n";
    let limits = Limits::default();
    let docs: Vec<_> = documents(text, &limits).collect();
    assert_eq!(docs.len(), 3);
    assert_eq!((docs[1].index, docs[1].line), (1, 2));
    assert_eq!((docs[2].index, docs[2].line), (2, 4));
    assert_eq!(docs[2].result.as_ref().unwrap().get("c").unwrap().line, 5);
    // The full reader reads only the document the fast one could not; the fast one goes on after.
    let (fast, _) = compare(text, &limits);
    assert_eq!(fast, 2);
}

// Generated block-style documents: random shapes, scalars from a pool of awkward values, and
// random layout choices (indentation, indentless sequences, comments, blank lines).

#[derive(Debug, Clone)]
enum Gen {
    Scalar(String),
    Seq(Vec<Gen>),
    Map(Vec<(String, Gen)>),
}

const SCALARS: &[&str] = &[
    "x",
    "nginx:1.27",
    "yes",
    "No",
    "on",
    "~",
    "null",
    "",
    "0755",
    "0x1F",
    "1_000",
    "-1",
    "+3",
    "1e3",
    "1.5",
    ".inf",
    "-.Inf",
    ".nan",
    "true",
    "a b",
    "a#b",
    "a #b",
    "a: b",
    "a:b",
    "-x",
    "- x",
    "---",
    "...",
    "[]",
    "{}",
    "[a]",
    "'q'",
    "\"d\"",
    "it's",
    "tab\there",
    "é",
    "日本",
    "#c",
    ":",
    "?",
    "*a",
    "&a",
    "!t",
    "|",
    ">",
    "%",
    "@",
    "`",
    ",",
    "a,b",
    "\\",
    "\\n",
    "x ",
    " x",
    "<<",
];

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(SCALARS).prop_map(str::to_owned),
        "[a-z0-9:#.\\- '\"]{0,8}",
    ]
}

fn tree() -> impl Strategy<Value = Gen> {
    let leaf = scalar().prop_map(Gen::Scalar);
    leaf.prop_recursive(5, 40, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Gen::Seq),
            proptest::collection::vec((scalar(), inner), 0..5).prop_map(Gen::Map),
        ]
    })
}

#[derive(Debug, Clone)]
struct Layout {
    indent: usize,
    indentless: bool,
    quote: u8,
    comments: bool,
    /// 0: block style; 1: collections below the root in one-line flow style; 2: the whole
    /// document as multi-line flow (JSON-like).
    flow: u8,
}

fn layout() -> impl Strategy<Value = Layout> {
    (1usize..4, any::<bool>(), 0u8..3, any::<bool>(), 0u8..3).prop_map(
        |(indent, indentless, quote, comments, flow)| Layout {
            indent,
            indentless,
            quote,
            comments,
            flow,
        },
    )
}

/// Flow style: on one line, or one entry per line indented by `col` when `lines` is set.
fn render_flow(g: &Gen, l: &Layout, col: usize, lines: bool, out: &mut String) {
    let sep = |out: &mut String, col: usize| {
        if lines {
            out.push('\n');
            out.push_str(&" ".repeat(col));
        } else {
            out.push(' ');
        }
    };
    match g {
        Gen::Scalar(s) => out.push_str(&render_scalar(s, l)),
        Gen::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                sep(out, col + l.indent);
                render_flow(item, l, col + l.indent, lines, out);
            }
            sep(out, col);
            out.push(']');
        }
        Gen::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                sep(out, col + l.indent);
                out.push_str(&render_scalar(k, l));
                out.push_str(if l.quote == 2 { ":" } else { ": " });
                render_flow(v, l, col + l.indent, lines, out);
            }
            sep(out, col);
            out.push('}');
        }
    }
}

fn render_scalar(s: &str, l: &Layout) -> String {
    match l.quote {
        1 => format!("'{}'", s.replace('\'', "''")),
        2 => format!("{s:?}"),
        _ => s.to_owned(),
    }
}

fn render(g: &Gen, l: &Layout, col: usize, out: &mut String) {
    let pad = " ".repeat(col);
    match g {
        Gen::Scalar(s) => {
            out.push(' ');
            out.push_str(&render_scalar(s, l));
            if l.comments {
                out.push_str(" # c");
            }
            out.push('\n');
        }
        Gen::Seq(items) if items.is_empty() => out.push_str(" []\n"),
        Gen::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Gen::Seq(_) | Gen::Map(_) if l.flow == 1 && col > 0 => {
            out.push(' ');
            render_flow(g, l, col, false, out);
            out.push('\n');
        }
        Gen::Seq(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&pad);
                out.push('-');
                render(item, l, col + l.indent + 1, out);
                if l.comments {
                    out.push_str(&pad);
                    out.push_str("# between\n\n");
                }
            }
        }
        Gen::Map(entries) => {
            out.push('\n');
            for (k, v) in entries {
                out.push_str(&pad);
                out.push_str(&render_scalar(k, l));
                out.push(':');
                let child = match v {
                    Gen::Seq(_) if l.indentless => col,
                    _ => col + l.indent,
                };
                render(v, l, child, out);
            }
        }
    }
}

fn document(g: &Gen, l: &Layout) -> String {
    let mut out = String::new();
    if l.flow == 2 {
        render_flow(g, l, 0, true, &mut out);
        out.push('\n');
        return out;
    }
    render(g, l, 0, &mut out);
    out.trim_start_matches('\n').to_owned()
}

/// 2,000 cases per property; `YAML_FAST_CASES` asks for more (a release build reads about
/// 25,000 generated streams a second).
fn cases() -> u32 {
    std::env::var("YAML_FAST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn generated_documents_read_the_same(docs in proptest::collection::vec((tree(), layout()), 1..4)) {
        let text: Vec<String> = docs.iter().map(|(g, l)| document(g, l)).collect();
        let text = text.join("---\n");
        compare(&text, &Limits::default());
    }

    #[test]
    fn arbitrary_text_reads_the_same(text in "[a-z:#\\-\\[\\]{}'\" \n]{0,80}") {
        compare(&text, &Limits::default());
    }
}

#[test]
fn generated_documents_exercise_the_fast_reader() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (tree(), layout());
    let (mut fast, mut total) = (0, 0);
    for _ in 0..1000 {
        let (g, l) = strategy.new_tree(&mut runner).unwrap().current();
        let (a, b) = compare(&document(&g, &l), &Limits::default());
        fast += a;
        total += b;
    }
    println!("fast reader read {fast} of {total} generated documents");
    assert!(fast * 10 > total * 3, "fast reader read {fast} of {total}");
}
