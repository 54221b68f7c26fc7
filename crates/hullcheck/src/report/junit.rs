//! JUnit XML: a test suite per layer, a test case per control and subject.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::render::subject_line;
use super::{Report, Status};

/// Escapes text for XML attributes and content.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Default)]
struct Suite {
    cases: String,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

/// Renders JUnit XML.
pub fn render(report: &Report) -> String {
    let mut suites: BTreeMap<&str, Suite> = BTreeMap::new();
    for f in &report.findings {
        let s = suites.entry(&*f.layer).or_default();
        s.tests += 1;
        let name = format!("{} {}", f.control_id, subject_line(&f.subject));
        let loc = format!("{}:{}", f.location.file, f.location.line);
        let _ = write!(
            s.cases,
            "    <testcase classname=\"{}.{}\" name=\"{}\" file=\"{}\" line=\"{}\"",
            xml(&f.layer),
            xml(&f.control_id),
            xml(&name),
            xml(&f.location.file),
            f.location.line
        );
        match f.status {
            Status::Pass => s.cases.push_str("/>\n"),
            Status::Fail => {
                s.failures += 1;
                let _ = write!(s.cases, ">\n      <failure message=\"{}\" type=\"{}\">{}\n{}</failure>\n    </testcase>\n", xml(&f.message), xml(&f.severity), xml(&loc), xml(&f.message));
            }
            Status::Error => {
                s.errors += 1;
                let _ = write!(s.cases, ">\n      <error message=\"{}\" type=\"evidence\">{}</error>\n    </testcase>\n", xml(&f.message), xml(&loc));
            }
            Status::Waived | Status::NotApplicable | Status::NotAssessed => {
                s.skipped += 1;
                let _ = write!(
                    s.cases,
                    ">\n      <skipped message=\"{}: {}\"/>\n    </testcase>\n",
                    f.status.as_str(),
                    xml(&f.message)
                );
            }
        }
    }
    for c in report
        .controls
        .iter()
        .filter(|c| c.status == Status::NotAssessed && c.counts.total() == 0)
    {
        let s = suites.entry(c.layer.as_str()).or_default();
        s.tests += 1;
        s.skipped += 1;
        let _ = write!(s.cases, "    <testcase classname=\"{}.{}\" name=\"{} (no evidence)\">\n      <skipped message=\"not assessed: {}\"/>\n    </testcase>\n", xml(&c.layer), xml(&c.control_id), xml(&c.control_id), xml(c.note.as_deref().unwrap_or("")));
    }
    // Documents that could not be read are errors, and an evaluation that assessed nothing is
    // one too: a CI test view must never show green for evidence it never judged.
    let docs = suites.entry("documents").or_default();
    for d in report.documents.iter().filter(|d| d.error.is_some()) {
        if let Some(err) = &d.error {
            let line = err.line.unwrap_or(d.line);
            docs.tests += 1;
            docs.errors += 1;
            let _ = write!(docs.cases, "    <testcase classname=\"documents\" name=\"{} document {}\" file=\"{}\" line=\"{line}\">\n      <error message=\"{}\" type=\"{}\">{}:{line}</error>\n    </testcase>\n", xml(&d.file), d.index, xml(&d.file), xml(&err.message), xml(&err.code), xml(&d.file));
        }
    }
    if report.summary.controls_assessed == 0 {
        docs.tests += 1;
        docs.errors += 1;
        let _ = write!(docs.cases, "    <testcase classname=\"documents\" name=\"evaluation\">\n      <error message=\"{}\" type=\"not_assessed\"/>\n    </testcase>\n", xml(&report.summary.explanation()));
    }
    if docs.tests == 0 {
        suites.remove("documents");
    }
    let (t, f, e, sk) = suites.values().fold((0, 0, 0, 0), |a, s| {
        (
            a.0 + s.tests,
            a.1 + s.failures,
            a.2 + s.errors,
            a.3 + s.skipped,
        )
    });
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"hullcheck\" tests=\"{t}\" failures=\"{f}\" errors=\"{e}\" skipped=\"{sk}\" timestamp=\"{}\">", xml(&report.evaluated_at));
    for (i, (layer, s)) in suites.iter().enumerate() {
        let _ = writeln!(out, "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" timestamp=\"{}\">", xml(layer), s.tests, s.failures, s.errors, s.skipped, xml(&report.evaluated_at));
        // The per-framework results and what is left to collect, once, on the first suite.
        if i == 0 && !report.frameworks.is_empty() {
            out.push_str("    <properties>\n");
            for f in &report.frameworks {
                let collect = f.accounting.as_ref().map_or_else(
                    || "not accounted".to_owned(),
                    |a| {
                        format!(
                            "{} to collect ({} partial, {} attestation, {} organisational)",
                            a.to_collect(),
                            a.partial,
                            a.attestation,
                            a.organisational
                        )
                    },
                );
                let _ = writeln!(
                    out,
                    "      <property name=\"framework.{}\" value=\"{}: {} pass, {} fail, {} not assessed of {} requirements; {}\"/>",
                    xml(&f.framework_id),
                    f.status.as_str(),
                    f.counts.pass,
                    f.counts.fail,
                    f.counts.not_assessed,
                    f.requirement_count,
                    xml(&collect)
                );
            }
            out.push_str("    </properties>\n");
        }
        out.push_str(&s.cases);
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
