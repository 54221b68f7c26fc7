//! Evaluation: typed evidence → findings, one per control and subject.
//!
//! Built-in checks are registered by name; a control's `check` names one. Evaluation runs per
//! file in parallel and never fails as a whole: unreadable evidence becomes document errors.

pub mod error;
pub mod options;
pub mod pss;

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::{Catalog, CheckSpec, Control};
use crate::evidence::{Content, LocatedObject, PodFacts};
use crate::report::{Finding, Location, Status, Subject};

pub use error::{EngineError, OptionsError};
pub use options::{Options, Resolved};
use pss::{Outcome, PssCheck, PssVersion};

/// A built-in check implemented in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// A Pod Security Standards check.
    Pss(PssCheck),
}

impl Builtin {
    /// Looks a built-in check up by its registered name.
    pub fn by_name(name: &str) -> Option<Self> {
        pss::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| Builtin::Pss(*c))
    }

    /// Every registered name.
    pub fn names() -> impl Iterator<Item = &'static str> {
        pss::ALL.iter().map(|(n, _)| *n)
    }
}

/// Resolves each control's check, failing on unknown built-in names.
pub fn bind_checks(catalog: &Catalog) -> Result<Vec<Builtin>, EngineError> {
    catalog
        .controls
        .iter()
        .map(|c| match &c.check {
            CheckSpec::Builtin { name } => {
                Builtin::by_name(name).ok_or_else(|| EngineError::UnknownCheck {
                    control: c.id.clone(),
                    name: name.clone(),
                })
            }
        })
        .collect()
}

/// A control selected for this evaluation, with its bound check.
#[derive(Debug, Clone)]
pub struct Selected<'a> {
    /// The control.
    pub control: &'a Control,
    /// Its check.
    pub check: Builtin,
    /// When set, the control is superseded by this control and reports not applicable.
    pub superseded_by: Option<&'a str>,
}

/// Everything the checks need that does not come from evidence.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    /// The selected controls.
    pub selected: Vec<Selected<'a>>,
    /// The Pod Security Standards version.
    pub pss_version: PssVersion,
}

impl<'a> Plan<'a> {
    /// Builds the plan of a resolved selection.
    pub fn new(catalog: &'a Catalog, checks: &[Builtin], resolved: &Resolved) -> Self {
        let pss_version = resolved
            .params
            .get("pss.version")
            .and_then(|v| v.as_str())
            .and_then(PssVersion::parse)
            .unwrap_or(PssVersion(pss::LATEST_MINOR));
        let chosen: Vec<(&'a Control, Builtin)> = resolved
            .controls
            .iter()
            .filter_map(|i| Some((catalog.controls.get(*i)?, *checks.get(*i)?)))
            .collect();
        // A restricted check replaces the baseline check it supersedes when both are selected
        // and the restricted one exists at the evaluated version, as Pod Security Admission does.
        let mut replaced: BTreeMap<PssCheck, &'a str> = BTreeMap::new();
        for (control, check) in &chosen {
            let Builtin::Pss(p) = check;
            if let Some(base) = p.supersedes() {
                if pss_version.0 >= p.introduced() {
                    replaced.insert(base, control.id.as_str());
                }
            }
        }
        let selected = chosen
            .into_iter()
            .map(|(control, check)| {
                let Builtin::Pss(p) = check;
                Selected {
                    control,
                    check,
                    superseded_by: replaced.get(&p).copied(),
                }
            })
            .collect();
        Self {
            selected,
            pss_version,
        }
    }

    /// Evaluates every selected control on one object.
    pub fn evaluate_object(&self, obj: &LocatedObject, out: &mut Vec<Finding>) {
        match &obj.object.content {
            Content::Workload(pod) => {
                for sel in &self.selected {
                    self.evaluate_workload(sel, obj, pod, out);
                }
            }
            Content::InvalidWorkload(err) => {
                for sel in &self.selected {
                    out.push(finding(
                        sel.control,
                        Status::Error,
                        format!("cannot evaluate: {err}"),
                        subject(obj, None),
                        Location {
                            file: obj.file.to_string(),
                            document: obj.document,
                            line: err.line().unwrap_or(obj.object.line),
                            path: err.path().unwrap_or(&obj.object.path).to_owned(),
                        },
                    ));
                }
            }
            Content::Other => {}
        }
    }

    fn evaluate_workload(
        &self,
        sel: &Selected<'_>,
        obj: &LocatedObject,
        pod: &PodFacts,
        out: &mut Vec<Finding>,
    ) {
        let Builtin::Pss(check) = sel.check;
        let here = |line: u32, path: &str| Location {
            file: obj.file.to_string(),
            document: obj.document,
            line,
            path: path.to_owned(),
        };
        if let Some(by) = sel.superseded_by {
            out.push(finding(
                sel.control,
                Status::NotApplicable,
                format!("superseded by `{by}` at this Pod Security Standards version"),
                subject(obj, None),
                here(pod.loc.line, &pod.loc.path),
            ));
            return;
        }
        match check.evaluate(pod, self.pss_version) {
            Outcome::Pass => out.push(finding(
                sel.control,
                Status::Pass,
                format!("satisfies `{}`", check.upstream_id()),
                subject(obj, None),
                here(pod.loc.line, &pod.loc.path),
            )),
            Outcome::NotApplicable(why) => out.push(finding(
                sel.control,
                Status::NotApplicable,
                why,
                subject(obj, None),
                here(pod.loc.line, &pod.loc.path),
            )),
            Outcome::Fail(violations) => {
                // One finding per container (or the pod), listing all of its violations.
                let mut groups: BTreeMap<Option<usize>, Vec<pss::Violation>> = BTreeMap::new();
                for v in violations {
                    groups.entry(v.container).or_default().push(v);
                }
                for (container, vs) in groups {
                    let Some(first) = vs.first() else { continue };
                    let loc = here(first.loc.line, &first.loc.path);
                    let messages: BTreeSet<&str> = vs.iter().map(|v| v.message.as_str()).collect();
                    let message = messages.into_iter().collect::<Vec<_>>().join("; ");
                    let c = container.and_then(|i| pod.containers.get(i));
                    out.push(finding(
                        sel.control,
                        Status::Fail,
                        message,
                        subject(obj, c),
                        loc,
                    ));
                }
            }
        }
    }
}

fn subject(obj: &LocatedObject, container: Option<&crate::evidence::ContainerFacts>) -> Subject {
    Subject {
        kind: Some(obj.object.meta.kind.clone()),
        namespace: obj.object.meta.namespace.clone(),
        name: obj.object.meta.name.clone(),
        container: container.map(|c| c.name.clone()),
        image: container.and_then(|c| c.image.clone()),
    }
}

fn finding(
    control: &Control,
    status: Status,
    message: String,
    subject: Subject,
    location: Location,
) -> Finding {
    Finding {
        control_id: control.id.clone(),
        status,
        severity: control.severity.as_str().to_owned(),
        layer: control.layer.clone(),
        message,
        subject,
        location,
    }
}
