//! Hostile names and values from evidence pass through every renderer as inert text: no HTML or
//! script, no Markdown link, mention or table break, no terminal escape, and valid XML and JSON.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use hullcheck::report::{render_with, Format, RenderOptions};
use hullcheck::{Engine, NamedDocument, Options};

const HOSTILE: &str = r#"apiVersion: v1
kind: Namespace
metadata:
  name: "<img src=x onerror=alert(2)>"
---
apiVersion: v1
kind: Pod
metadata:
  name: "evil</script><script>alert(1)</script>"
  namespace: "<img src=x onerror=alert(2)>"
spec:
  containers:
  - name: "c` | [click](https://evil.example) @admin **x** \u001b[31mred"
    image: "registry.example.com/app:1.0"
    securityContext: {privileged: true}
"#;

fn report() -> (Engine, hullcheck::report::Report) {
    let engine = Engine::builtin().unwrap();
    let docs = [NamedDocument {
        name: "dir with space/<pod>|x.yaml".into(),
        bytes: HOSTILE.as_bytes().to_vec(),
    }];
    let options = Options {
        controls: vec!["RUN-003".into()],
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    };
    let r = engine.evaluate_documents(&docs, &options).unwrap();
    assert!(r.findings.iter().any(|f| f.status.as_str() == "fail"));
    (engine, r)
}

fn render(f: Format, link_base: Option<&str>) -> String {
    let (engine, r) = report();
    let options = RenderOptions {
        link_base: link_base.map(str::to_owned),
        ..RenderOptions::default()
    };
    render_with(&r, engine.catalog(), f, &options)
}

#[test]
fn markdown_escapes_everything_taken_from_evidence() {
    let md = render(Format::Markdown, Some("https://github.com/o/r/blob/abc"));
    assert!(!md.contains("<script"), "{md}");
    assert!(!md.contains("<img"), "{md}");
    assert!(!md.contains("](https://evil"), "{md}");
    assert!(!md.contains("@admin"), "{md}");
    assert!(!md.contains('\u{1b}'));
    let finding = md.lines().find(|l| l.starts_with("- **RUN-003**")).unwrap();
    // The only link is ours, to the percent-encoded path under the link base.
    assert!(
        finding
            .contains("(<https://github.com/o/r/blob/abc/dir%20with%20space/%3Cpod%3E%7Cx.yaml#L"),
        "{finding}"
    );
    assert_eq!(finding.matches("](").count(), 1, "{finding}");
    // No unescaped pipe or backtick from the evidence.
    let evidence_part = finding.split(" — ").next().unwrap();
    assert!(!evidence_part.replace("\\|", "").contains('|'), "{finding}");
    assert!(!evidence_part.replace("\\`", "").contains('`'), "{finding}");
}

#[test]
fn html_and_xml_formats_hold_no_live_markup() {
    let html = render(Format::Html, None);
    assert!(
        !html.contains("</script><script>alert"),
        "the embedded data closes the script"
    );
    assert!(!html.contains("<img src=x"));
    for f in [Format::Junit, Format::Ckl] {
        let xml = render(f, None);
        assert!(!xml.contains("<script>"), "{f:?}");
        assert!(!xml.contains("<img"), "{f:?}");
        assert!(!xml.contains('\u{1b}'), "{f:?}");
    }
}

#[test]
fn json_formats_round_trip_the_names_and_text_strips_escapes() {
    for f in [Format::Json, Format::Sarif, Format::Oscal, Format::Cklb] {
        let v: serde_json::Value = serde_json::from_str(&render(f, None)).unwrap();
        assert!(v.is_object(), "{f:?}");
    }
    let sarif = render(Format::Sarif, None);
    assert!(
        sarif.contains("evil</script><script>alert(1)</script>")
            || sarif.contains("evil\\u003c/script")
    );
    let text = render(Format::Text, None);
    assert!(!text.contains('\u{1b}'));
    assert!(
        text.contains("evil</script>"),
        "text keeps the name readable"
    );
}
