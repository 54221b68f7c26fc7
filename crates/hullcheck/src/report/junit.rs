//! JUnit XML (written with `quick-junit`): a test suite per layer, a test case per control and
//! subject, named with its file and line so that every name is unique.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

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

/// Test-case names made unique: a second case of the same name gets ` #2`, and so on.
#[derive(Default)]
struct Names(HashMap<String, usize>);

impl Names {
    fn unique(&mut self, name: String) -> String {
        let n = self.0.entry(name.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            name
        } else {
            format!("{name} #{n}")
        }
    }
}

/// A case with its location; hullcheck judges evidence, so each case takes no time (the
/// attribute is written because CI test views expect it, and zero keeps reports deterministic).
fn case(name: String, classname: &str, status: TestCaseStatus, file: &str, line: u32) -> TestCase {
    let mut c = TestCase::new(name, status);
    c.set_classname(classname);
    c.set_time(Duration::ZERO);
    if !file.is_empty() {
        c.extra.insert("file".into(), file.into());
        c.extra.insert("line".into(), line.to_string().into());
    }
    c
}

fn status(kind: NonSuccessKind, message: &str, ty: &str, description: String) -> TestCaseStatus {
    let mut s = TestCaseStatus::non_success(kind);
    s.set_message(message);
    s.set_type(ty);
    s.set_description(description);
    s
}

fn skipped(message: String) -> TestCaseStatus {
    let mut s = TestCaseStatus::skipped();
    s.set_message(message);
    s
}

/// The per-framework results and what is left to collect.
fn framework_properties(report: &Report) -> Vec<Property> {
    report
        .frameworks
        .iter()
        .map(|f| {
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
            Property::new(
                format!("framework.{}", f.framework_id),
                format!(
                    "{}: {} pass, {} fail, {} not assessed of {} requirements; {collect}",
                    f.status.as_str(),
                    f.counts.pass,
                    f.counts.fail,
                    f.counts.not_assessed,
                    f.requirement_count
                ),
            )
        })
        .collect()
}

/// Renders JUnit XML.
pub fn render(report: &Report) -> String {
    let mut names = Names::default();
    let mut suites: BTreeMap<String, Vec<TestCase>> = BTreeMap::new();
    for f in &report.findings {
        let name = names.unique(format!(
            "{} {} @ {}:{}",
            f.control_id,
            subject_line(&f.subject),
            f.location.file,
            f.location.line
        ));
        let loc = format!("{}:{}", f.location.file, f.location.line);
        let st = match f.status {
            Status::Pass => TestCaseStatus::success(),
            Status::Fail => status(
                NonSuccessKind::Failure,
                &f.message,
                &f.severity,
                format!("{loc}\n{}", f.message),
            ),
            Status::Error => status(NonSuccessKind::Error, &f.message, "evidence", loc),
            Status::Waived | Status::NotApplicable | Status::NotAssessed => {
                skipped(format!("{}: {}", f.status.as_str(), f.message))
            }
        };
        let classname = format!("{}.{}", f.layer, f.control_id);
        suites.entry(f.layer.to_string()).or_default().push(case(
            name,
            &classname,
            st,
            &f.location.file,
            f.location.line,
        ));
    }
    for c in report
        .controls
        .iter()
        .filter(|c| c.status == Status::NotAssessed && c.counts.total() == 0)
    {
        let name = names.unique(format!("{} (no evidence)", c.control_id));
        let st = skipped(format!("not assessed: {}", c.note.as_deref().unwrap_or("")));
        let classname = format!("{}.{}", c.layer, c.control_id);
        suites
            .entry(c.layer.clone())
            .or_default()
            .push(case(name, &classname, st, "", 0));
    }
    // Documents that could not be read are errors, and an evaluation that assessed nothing is
    // one too: a CI test view must never show green for evidence it never judged.
    let mut docs = Vec::new();
    for d in &report.documents {
        if let Some(err) = &d.error {
            let line = err.line.unwrap_or(d.line);
            let name = names.unique(format!(
                "{} document {} @ {}:{line}",
                d.file, d.index, d.file
            ));
            let st = status(
                NonSuccessKind::Error,
                &err.message,
                &err.code,
                format!("{}:{line}", d.file),
            );
            docs.push(case(name, "documents", st, &d.file, line));
        }
    }
    if report.summary.controls_assessed == 0 {
        let st = status(
            NonSuccessKind::Error,
            &report.summary.explanation(),
            "not_assessed",
            String::new(),
        );
        docs.push(case(
            names.unique("evaluation".to_owned()),
            "documents",
            st,
            "",
            0,
        ));
    }
    if !docs.is_empty() {
        suites.insert("documents".to_owned(), docs);
    }
    let mut out = quick_junit::Report::new("hullcheck");
    out.set_time(Duration::ZERO);
    for (i, (layer, cases)) in suites.into_iter().enumerate() {
        let mut suite = TestSuite::new(layer);
        suite.set_time(Duration::ZERO);
        suite
            .extra
            .insert("timestamp".into(), report.evaluated_at.as_str().into());
        if i == 0 {
            suite.add_properties(framework_properties(report));
        }
        suite.add_test_cases(cases);
        out.add_test_suite(suite);
    }
    match out.to_string() {
        Ok(mut xml) => {
            if !xml.ends_with('\n') {
                xml.push('\n');
            }
            xml
        }
        // Serialising to a string only fails on I/O, which a String does not do; say so
        // rather than write a report that could read as empty.
        Err(e) => format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hullcheck\" tests=\"1\" failures=\"0\" errors=\"1\"><testsuite name=\"render\" tests=\"1\" failures=\"0\" errors=\"1\"><testcase name=\"render\"><error message=\"{}\"/></testcase></testsuite></testsuites>\n", xml(&e.to_string())),
    }
}
