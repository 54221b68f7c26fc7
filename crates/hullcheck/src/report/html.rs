//! A self-contained HTML page, complete without JavaScript: the scope, summary, frameworks with
//! their accounting, the layer × status map, failing findings, controls not assessed with their
//! notes, waivers and unreadable documents are rendered here. The inline script only adds
//! filtering and drill-down, from the report data embedded as JSON; nothing is fetched.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::json;

use super::junit::xml;
use super::render::{subject_line, RenderOptions};
use super::{Report, Status};
use crate::catalog::Catalog;

const TEMPLATE: &str = include_str!("assets/report.html");
const CSS: &str = include_str!("assets/report.css");
const JS: &str = include_str!("assets/report.js");
const STATUSES: [Status; 6] = [
    Status::Pass,
    Status::Fail,
    Status::Waived,
    Status::NotApplicable,
    Status::NotAssessed,
    Status::Error,
];

fn label(s: Status) -> &'static str {
    match s {
        Status::NotApplicable => "n/a",
        Status::NotAssessed => "not assessed",
        other => other.as_str(),
    }
}

fn badge(s: Status) -> String {
    format!("<span class=\"badge s-{}\">{}</span>", s.as_str(), label(s))
}

fn count_of(c: &super::Counts, s: Status) -> usize {
    match s {
        Status::Pass => c.pass,
        Status::Fail => c.fail,
        Status::Waived => c.waived,
        Status::NotApplicable => c.not_applicable,
        Status::NotAssessed => c.not_assessed,
        Status::Error => c.error,
    }
}

/// Renders the HTML page.
pub fn render(report: &Report, catalog: &Catalog) -> String {
    render_with(report, catalog, &RenderOptions::default())
}

/// [`render`], naming who ran the assessment (`options.assessor`) in the scope.
pub fn render_with(report: &Report, catalog: &Catalog, options: &RenderOptions) -> String {
    // The frameworks each control reaches (directly or through a baseline), for the filter.
    let mut control_frameworks: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for fw in &report.frameworks {
        for r in &fw.requirements {
            for c in &r.controls {
                let list = control_frameworks.entry(&*c.control_id).or_default();
                if !list.contains(&fw.framework_id.as_str()) {
                    list.push(fw.framework_id.as_str());
                }
            }
        }
    }
    let data = json!({
        "frameworks": report.frameworks,
        "controls": report.controls,
        "findings": report.findings.iter().filter(|f| f.status != Status::NotApplicable).collect::<Vec<_>>(),
    });
    // Inside a script element only `</` could end it early; JSON allows `<` to be escaped.
    let data = serde_json::to_string(&data)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let verdict = report.summary.result;
    TEMPLATE
        .replace("__CSS__", CSS)
        .replace("__JS__", JS)
        .replace("__TITLE__", &xml(&report.evaluated_at))
        .replace("__CATALOG__", &xml(&report.catalog.version))
        .replace("__VERSION__", &xml(&report.tool.version))
        .replace("__VERDICT_CLASS__", verdict.as_str())
        .replace("__VERDICT__", &verdict.as_str().replace('_', " "))
        .replace("__REASON__", &xml(&report.summary.explanation()))
        .replace("__SCOPE__", &scope(report, catalog, options))
        .replace("__CARDS__", &cards(report))
        .replace("__FRAMEWORKS__", &frameworks(report))
        .replace("__HEAT__", &heat(report))
        .replace("__FILTERS__", &filters(report, &control_frameworks))
        .replace(
            "__FAILING_COUNT__",
            &report.summary.findings.fail.to_string(),
        )
        .replace("__FAILING__", &failing(report, &control_frameworks))
        .replace("__NOT_ASSESSED__", &not_assessed(report))
        .replace("__WAIVERS__", &waivers(report))
        .replace("__DOC_ERRORS__", &doc_errors(report))
        .replace("__DATA__", &data)
}

fn scope(report: &Report, catalog: &Catalog, options: &RenderOptions) -> String {
    let mut dirs: BTreeSet<&str> = BTreeSet::new();
    for d in &report.documents {
        dirs.insert(d.file.rsplit_once('/').map_or(".", |(dir, _)| dir));
    }
    let shown: Vec<String> = dirs
        .iter()
        .take(12)
        .map(|d| format!("<code>{}</code>", xml(d)))
        .collect();
    let more = dirs.len().saturating_sub(12);
    let defaults = catalog.params();
    let changed: Vec<String> = report
        .options
        .params
        .iter()
        .filter(|(k, v)| defaults.get(k.as_str()).is_none_or(|d| &d.default != *v))
        .map(|(k, v)| format!("<code>{}={}</code>", xml(k), xml(&v.to_string())))
        .collect();
    let selection = if report.options.profiles.is_empty() && report.options.controls.is_empty() {
        "every control".to_owned()
    } else {
        xml([
            report.options.profiles.join(", "),
            report.options.controls.join(", "),
        ]
        .join(" ")
        .trim())
    };
    let mut o = String::from("<dl class=\"scope\">");
    let mut row = |k: &str, v: String| {
        let _ = write!(o, "<dt>{k}</dt><dd>{v}</dd>");
    };
    row(
        "Evidence",
        format!(
            "{} documents in {}{}",
            report.summary.documents,
            shown.join(" "),
            if more > 0 {
                format!(" and {more} more folders")
            } else {
                String::new()
            }
        ),
    );
    row(
        "Catalog",
        format!(
            "{} · <code>{}</code>",
            xml(&report.catalog.version),
            xml(&report.catalog.digest)
        ),
    );
    row(
        "Controls",
        format!(
            "{selection}; {} of {} assessed",
            report.summary.controls_assessed,
            report.controls.len()
        ),
    );
    row(
        "Parameters",
        if changed.is_empty() {
            "all at their defaults".to_owned()
        } else {
            changed.join(" ")
        },
    );
    row(
        "Evaluated",
        format!(
            "{} by hullcheck {}",
            xml(&report.evaluated_at),
            xml(&report.tool.version)
        ),
    );
    row(
        "Run by",
        xml(options
            .assessor
            .as_deref()
            .unwrap_or("not named (set --assessor)")),
    );
    o.push_str("</dl>");
    o
}

fn cards(report: &Report) -> String {
    let s = &report.summary;
    let mut o = String::new();
    let mut card = |id: &str, n: usize, l: &str| {
        let _ = write!(o, "<div class=\"card\"><div class=\"n\" id=\"count-{id}\">{n}</div><div class=\"l\">{l}</div></div>");
    };
    card("documents", s.documents, "documents");
    card("document-errors", s.document_errors, "document errors");
    for st in STATUSES {
        card(
            st.as_str(),
            count_of(&s.findings, st),
            &format!("{} findings", label(st)),
        );
    }
    o
}

fn frameworks(report: &Report) -> String {
    let mut o = String::new();
    for fw in &report.frameworks {
        let mut bar = String::new();
        for st in [
            Status::Pass,
            Status::Fail,
            Status::Waived,
            Status::NotAssessed,
            Status::Error,
        ] {
            let n = count_of(&fw.counts, st);
            if n > 0 {
                // Widths in whole permille keep the output byte-stable.
                let w = n * 1000 / fw.requirement_count.max(1);
                let _ = write!(
                    bar,
                    "<span class=\"s-{}\" style=\"width:{}.{}%\"></span>",
                    st.as_str(),
                    w / 10,
                    w % 10
                );
            }
        }
        let accounted = fw.accounting.as_ref().map_or_else(
            || "not accounted".to_owned(),
            |a| {
                format!(
                    "{} automated, {} partial, {} attestation, {} n/a, {} organisational",
                    a.automated, a.partial, a.attestation, a.not_applicable, a.organisational
                )
            },
        );
        let collect = fw
            .accounting
            .as_ref()
            .map_or(0, super::Accounted::to_collect);
        let _ = write!(
            o,
            "<tr class=\"clickable\" data-framework=\"{id}\"><td><strong>{title}</strong><div class=\"muted\">{id}</div></td><td>{badge}</td><td><div class=\"bar\">{bar}</div></td><td>{touched} of {total} ({pass} pass, {fail} fail)</td><td>{collect}<div class=\"muted\">{accounted}</div></td></tr>",
            id = xml(&fw.framework_id),
            title = xml(&fw.title),
            badge = badge(fw.status),
            touched = fw.requirements.len(),
            total = fw.requirement_count,
            pass = fw.counts.pass,
            fail = fw.counts.fail,
        );
    }
    o
}

fn heat(report: &Report) -> String {
    let mut counts: BTreeMap<&str, [usize; 6]> = BTreeMap::new();
    for c in &report.controls {
        counts.entry(&c.layer).or_default();
    }
    for f in &report.findings {
        let row = counts.entry(&f.layer).or_default();
        if let Some(i) = STATUSES.iter().position(|s| *s == f.status) {
            if let Some(n) = row.get_mut(i) {
                *n += 1;
            }
        }
    }
    let max = counts.values().flatten().copied().max().unwrap_or(1).max(1);
    let mut o = String::from("<tr><th>layer</th>");
    for st in STATUSES {
        let _ = write!(o, "<th>{}</th>", label(st));
    }
    o.push_str("</tr>");
    for (layer, row) in &counts {
        let _ = write!(o, "<tr><th>{}</th>", xml(layer));
        for (st, n) in STATUSES.iter().zip(row) {
            let alpha = if *n == 0 { 0 } else { 15 + 85 * n / max };
            let _ = write!(
                o,
                "<td class=\"cell h-{s}\" data-layer=\"{l}\" data-status=\"{s}\" style=\"--a:{alpha}%\">{n}</td>",
                s = st.as_str(),
                l = xml(layer)
            );
        }
        o.push_str("</tr>");
    }
    o
}

fn filters(report: &Report, control_frameworks: &BTreeMap<&str, Vec<&str>>) -> String {
    let failing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    let mut o = String::new();
    let mut select = |id: &str, values: Vec<String>| {
        let _ = write!(
            o,
            "<label>{} <select id=\"filter-{id}\"><option value=\"\">all</option>",
            id
        );
        for v in values {
            let _ = write!(o, "<option value=\"{v}\">{v}</option>", v = xml(&v));
        }
        o.push_str("</select></label>");
    };
    let set = |f: &dyn Fn(&&super::Finding) -> String| -> Vec<String> {
        failing
            .iter()
            .map(f)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    select("layer", set(&|f| f.layer.to_string()));
    let fws: BTreeSet<&str> = failing
        .iter()
        .flat_map(|f| {
            control_frameworks
                .get(&*f.control_id)
                .into_iter()
                .flatten()
                .copied()
        })
        .collect();
    select(
        "framework",
        report
            .frameworks
            .iter()
            .map(|f| f.framework_id.clone())
            .filter(|f| fws.contains(f.as_str()))
            .collect(),
    );
    let sevs = set(&|f| f.severity.to_string());
    select(
        "severity",
        ["critical", "high", "medium", "low", "info"]
            .iter()
            .filter(|s| sevs.iter().any(|x| x == *s))
            .map(|s| (*s).to_owned())
            .collect(),
    );
    select(
        "namespace",
        set(&|f| {
            f.subject
                .namespace
                .as_deref()
                .unwrap_or("(none)")
                .to_owned()
        }),
    );
    o
}

fn failing(report: &Report, control_frameworks: &BTreeMap<&str, Vec<&str>>) -> String {
    let mut o = String::new();
    for f in report.findings.iter().filter(|f| f.status == Status::Fail) {
        let fws = control_frameworks
            .get(&*f.control_id)
            .map(|v| v.join(" "))
            .unwrap_or_default();
        let _ = write!(
            o,
            "<tr class=\"finding\" data-layer=\"{layer}\" data-severity=\"{sev}\" data-namespace=\"{ns}\" data-frameworks=\"{fws}\"><td><span class=\"badge s-fail\">{sev}</span></td><td><code class=\"id\">{control}</code></td><td>{layer}</td><td>{subject}</td><td>{message}</td><td><code class=\"loc\">{file}:{line}</code></td></tr>",
            layer = xml(&f.layer),
            sev = xml(&f.severity),
            ns = xml(f.subject.namespace.as_deref().unwrap_or("(none)")),
            fws = xml(&fws),
            control = xml(&f.control_id),
            subject = xml(&subject_line(&f.subject)),
            message = xml(&f.message),
            file = xml(&f.location.file),
            line = f.location.line,
        );
    }
    if o.is_empty() {
        o.push_str("<tr><td colspan=\"6\" class=\"muted\">No failing findings.</td></tr>");
    }
    o
}

fn not_assessed(report: &Report) -> String {
    let mut o = String::new();
    for c in report
        .controls
        .iter()
        .filter(|c| c.status == Status::NotAssessed)
    {
        let _ = write!(
            o,
            "<tr class=\"not-assessed\"><td><code class=\"id\">{}</code></td><td>{}</td><td>{}</td></tr>",
            xml(&c.control_id),
            xml(&c.title),
            xml(c.note.as_deref().unwrap_or("no evidence of the kinds it reads"))
        );
    }
    if o.is_empty() {
        o.push_str(
            "<tr><td colspan=\"3\" class=\"muted\">Every selected control was assessed.</td></tr>",
        );
    }
    o
}

fn waivers(report: &Report) -> String {
    let mut o = String::new();
    for w in &report.waivers {
        let state = serde_json::to_value(w.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = write!(
            o,
            "<tr class=\"waiver\" data-state=\"{state}\"><td><code class=\"id\">{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><span class=\"badge {}\">{state}</span></td><td>{}</td></tr>",
            xml(&w.waiver.control_id),
            xml(&serde_json::to_string(&w.waiver.subject).unwrap_or_default()),
            xml(&w.waiver.owner),
            xml(&w.waiver.expires),
            if state == "applied" { "s-waived" } else { "s-not_assessed" },
            w.findings.len()
        );
    }
    if o.is_empty() {
        o.push_str("<tr><td colspan=\"6\" class=\"muted\">No waivers were given.</td></tr>");
    }
    o
}

fn doc_errors(report: &Report) -> String {
    let mut o = String::new();
    for d in &report.documents {
        if let Some(e) = &d.error {
            let _ = write!(
                o,
                "<tr><td><code class=\"loc\">{}:{}</code></td><td><code class=\"id\">{}</code></td><td>{}</td></tr>",
                xml(&d.file),
                e.line.unwrap_or(d.line),
                xml(&e.code),
                xml(&e.message)
            );
        }
    }
    if o.is_empty() {
        o.push_str("<tr><td colspan=\"3\" class=\"muted\">Every document was read.</td></tr>");
    }
    o
}
