//! Inline suppressions: annotations on an object that waive a control for that object.
//!
//! hullcheck's own: `hullcheck.dev/waive.<CONTROL-ID>` with a YAML flow mapping as the value,
//! holding what a waivers file holds: `{justification: …, owner: …, expires: 2027-01-31}` and
//! optionally `ticket`, `approved_by` and `container` (to narrow it to one container). It has
//! a waiver's lifecycle: past `expires` it is reported as expired and not applied; an invalid
//! one (unknown control, a missing field, a bad date) is reported as invalid and not applied.
//!
//! Other tools': checkov's `checkov.io/skipN: CKV_K8S_20=reason`, kube-linter's
//! `ignore-check.kube-linter.io/<check>: reason` and Polaris'
//! `polaris.fairwinds.com/<check>-exempt: "true"` are read through the ID crosswalk
//! ([`crosswalk`]). An exact correspondence is applied as a waiver without expiry, flagged as a
//! foreign annotation; a partial one, or a check with no counterpart, is reported as not
//! applied. Whole-object exemptions (`kube-linter.io/ignore-all`,
//! `polaris.fairwinds.com/exempt`) are not honoured.
//!
//! Like the tools they come from, annotations are read from the object's own
//! `metadata.annotations`, not from a pod template's.

pub mod crosswalk;

use std::sync::Arc;

use crate::catalog::Catalog;
use crate::evidence::item::Origin;
use crate::evidence::read::Cursor;
use crate::waivers::{Waiver, WaiverSource, WaiverSubject};

/// hullcheck's annotation prefix; the control ID follows it.
pub const PREFIX: &str = "hullcheck.dev/waive.";

/// One suppression annotation as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// The key.
    pub key: String,
    /// The value, when it is a string (annotations always are; a YAML boolean is not).
    pub value: Option<String>,
    /// 1-based line of the value.
    pub line: u32,
}

fn relevant(key: &str) -> bool {
    key.starts_with(PREFIX)
        || key.contains("checkov.io/skip")
        || key.contains("bridgecrew.io/skip")
        || key.starts_with("ignore-check.kube-linter.io/")
        || (key.starts_with("polaris.fairwinds.com/") && key.ends_with("-exempt"))
}

/// The suppression annotations under `metadata` (never an error: anything unreadable is
/// simply not a suppression).
pub fn read(meta: &Cursor<'_>) -> Option<Arc<[Annotation]>> {
    let annotations = meta.field("annotations").ok()??;
    let entries = annotations.entries().ok()?;
    let found: Vec<Annotation> = entries
        .into_iter()
        .filter(|(k, _)| relevant(k))
        .map(|(k, v)| Annotation {
            key: k.to_owned(),
            value: v.node().as_str().map(str::to_owned),
            line: v.node().line,
        })
        .collect();
    (!found.is_empty()).then(|| found.into())
}

/// What one annotation amounts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// A waiver to apply (it may still turn out expired).
    Apply(Waiver),
    /// A suppression that is reported and not applied, with why.
    NotApplied(Waiver, String),
    /// hullcheck's own annotation that is not a valid waiver, with why.
    Invalid(Waiver, String),
}

fn source(kind: &str, a: &Annotation, origin: &Origin, tool: Option<(&str, &str)>) -> WaiverSource {
    WaiverSource {
        kind: kind.to_owned(),
        annotation: a.key.clone(),
        tool: tool.map(|(t, _)| t.to_owned()),
        check: tool.map(|(_, c)| c.to_owned()),
        file: origin.file.to_string(),
        line: a.line,
    }
}

fn subject(origin: &Origin) -> WaiverSubject {
    // Object names and kinds never hold glob characters; escaping keeps that true for any
    // name a custom resource might carry.
    let lit = |s: &str| globset::escape(s);
    WaiverSubject {
        kind: Some(lit(&origin.kind)),
        namespace: origin.namespace.as_deref().map(lit),
        name: origin.name.as_deref().map(lit),
        container: None,
        image: None,
    }
}

/// The waivers the annotations of one object give.
pub fn inline(origin: &Origin, annotations: &[Annotation], catalog: &Catalog) -> Vec<Inline> {
    let mut out = Vec::new();
    for a in annotations {
        if let Some(control) = a.key.strip_prefix(PREFIX) {
            out.push(own(origin, a, control, catalog));
            continue;
        }
        for (tool, check, reason) in foreign(a) {
            let rows: Vec<_> = crosswalk::lookup(tool, &check).collect();
            let base = |control: &str| Waiver {
                control_id: control.to_owned(),
                subject: subject(origin),
                justification: if reason.is_empty() {
                    format!("suppressed by the {tool} annotation `{}`", a.key)
                } else {
                    reason.clone()
                },
                owner: String::new(),
                expires: String::new(),
                ticket: None,
                approved_by: None,
                source: Some(source(
                    "foreign-annotation",
                    a,
                    origin,
                    Some((tool, &check)),
                )),
            };
            if rows.is_empty() {
                out.push(Inline::NotApplied(
                    base(""),
                    format!("no hullcheck control corresponds to {tool} check `{check}`"),
                ));
            }
            for row in rows {
                match row.matches {
                    crosswalk::Match::Exact => out.push(Inline::Apply(base(&row.control))),
                    crosswalk::Match::Partial => out.push(Inline::NotApplied(
                        base(&row.control),
                        format!(
                            "{tool} check `{check}` covers only part of {} ({}); waive the control itself with a `{PREFIX}{}` annotation",
                            row.control, row.about, row.control
                        ),
                    )),
                }
            }
        }
    }
    out
}

/// The (tool, check, reason) suppressions another tool's annotation holds.
fn foreign(a: &Annotation) -> Vec<(&'static str, String, String)> {
    let value = a.value.clone().unwrap_or_default();
    if a.key.contains("checkov.io/skip") || a.key.contains("bridgecrew.io/skip") {
        // `CKV_K8S_20=reason` or just `CKV_K8S_20`.
        let (id, reason) = value.split_once('=').unwrap_or((value.as_str(), ""));
        return vec![("checkov", id.trim().to_owned(), reason.trim().to_owned())];
    }
    if let Some(check) = a.key.strip_prefix("ignore-check.kube-linter.io/") {
        return vec![("kube-linter", check.to_owned(), value.trim().to_owned())];
    }
    if let Some(rest) = a.key.strip_prefix("polaris.fairwinds.com/") {
        if let Some(check) = rest.strip_suffix("-exempt") {
            if value.trim().eq_ignore_ascii_case("true") {
                return vec![("polaris", check.to_owned(), String::new())];
            }
        }
    }
    Vec::new()
}

/// hullcheck's own annotation for `control`.
fn own(origin: &Origin, a: &Annotation, control: &str, catalog: &Catalog) -> Inline {
    let mut w = Waiver {
        control_id: control.to_owned(),
        subject: subject(origin),
        justification: String::new(),
        owner: String::new(),
        expires: String::new(),
        ticket: None,
        approved_by: None,
        source: Some(source("annotation", a, origin, None)),
    };
    let invalid = |w: Waiver, why: String| Inline::Invalid(w, why);
    if catalog.control(control).is_none() {
        let hint = crate::eval::error::did_you_mean(
            control,
            catalog.controls.iter().map(|c| c.id.as_str()),
        );
        return invalid(w, format!("unknown control `{control}`{hint}"));
    }
    let Some(value) = &a.value else {
        return invalid(w, "the value is not a string".to_owned());
    };
    let map = match crate::evidence::yaml::first_document_json(value) {
        Ok(serde_json::Value::Object(m)) => m,
        Ok(_) | Err(_) => {
            return invalid(
                w,
                "the value is not a mapping such as `{justification: …, owner: …, expires: YYYY-MM-DD}`".to_owned(),
            )
        }
    };
    let text = |k: &str| match map.get(k) {
        Some(serde_json::Value::String(s)) => Some(s.trim().to_owned()),
        Some(serde_json::Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    };
    for key in map.keys() {
        if ![
            "justification",
            "owner",
            "expires",
            "ticket",
            "approved_by",
            "container",
        ]
        .contains(&key.as_str())
        {
            return invalid(w, format!("unknown key `{key}`"));
        }
    }
    w.justification = text("justification").unwrap_or_default();
    w.owner = text("owner").unwrap_or_default();
    w.expires = text("expires").unwrap_or_default();
    w.ticket = text("ticket");
    w.approved_by = text("approved_by");
    w.subject.container = text("container").map(|c| globset::escape(&c));
    for (field, v) in [
        ("justification", &w.justification),
        ("owner", &w.owner),
        ("expires", &w.expires),
    ] {
        if v.is_empty() {
            return invalid(w.clone(), format!("no `{field}`"));
        }
    }
    if crate::evidence::kinds::hullcheck::parse_time(&w.expires).is_none() {
        let why = format!(
            "`expires` value `{}` is not a date or an RFC 3339 time",
            w.expires
        );
        return invalid(w, why);
    }
    Inline::Apply(w)
}
