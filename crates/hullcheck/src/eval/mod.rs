//! Evaluation: typed evidence → findings, one per control and subject.
//!
//! Built-in checks are registered by name; a control's `check` names one. Evidence is read per
//! file in parallel; checks then run over the whole evidence set, so cross-evidence controls
//! (an SBOM for every deployed image, a default-deny policy in every namespace) are natural.

pub mod admission;
pub mod cel;
pub mod checks;
pub mod ctx;
pub mod error;
pub mod options;
pub mod pss;

use std::sync::Arc;

use crate::catalog::{Catalog, CheckSpec, Control};
use crate::evidence::{Evidence, EvidenceKind};
use crate::report::{Finding, Status};

pub use ctx::{Ctx, Draft, EvidenceSet, Outcome, Params};
pub use error::{EngineError, OptionsError};
pub use options::{Options, Resolved};

/// A check implemented in Rust.
pub type CheckFn = fn(&Ctx<'_>) -> Outcome;

/// A control's check: built in, or compiled from CEL.
#[derive(Debug, Clone)]
pub enum Builtin {
    /// A Pod Security Standards check.
    Pss(pss::PssCheck),
    /// Any other built-in check.
    Func(CheckFn),
    /// A check in CEL.
    Cel(Arc<cel::control::CelControl>),
    /// A ValidatingAdmissionPolicy of the evidence, by name.
    Admission(Arc<str>),
}

impl Builtin {
    /// Looks a built-in check up by its registered name.
    pub fn by_name(name: &str) -> Option<Self> {
        if let Some((_, c)) = pss::ALL.iter().find(|(n, _)| *n == name) {
            return Some(Builtin::Pss(*c));
        }
        checks::REGISTRY
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| Builtin::Func(*f))
    }

    /// Every registered name.
    pub fn names() -> impl Iterator<Item = &'static str> {
        pss::ALL
            .iter()
            .map(|(n, _)| *n)
            .chain(checks::REGISTRY.iter().map(|(n, _)| *n))
    }
}

/// A control bound to its check and the evidence kinds it reads.
#[derive(Debug, Clone)]
pub struct Bound {
    /// The check.
    pub check: Builtin,
    /// The evidence kinds of the control's `evidence:` list.
    pub kinds: Vec<EvidenceKind>,
}

/// Resolves each control's check and evidence kinds, failing on unknown names.
pub fn bind_checks(catalog: &Catalog) -> Result<Vec<Bound>, EngineError> {
    catalog
        .controls
        .iter()
        .map(|c| {
            let check = match &c.check {
                CheckSpec::Builtin { name } => {
                    Builtin::by_name(name).ok_or_else(|| EngineError::UnknownCheck {
                        control: c.id.clone(),
                        name: name.clone(),
                    })?
                }
                CheckSpec::Cel(spec) => {
                    Builtin::Cel(Arc::new(cel::control::CelControl::compile(spec)))
                }
                CheckSpec::Admission { policy } => Builtin::Admission(policy.as_str().into()),
            };
            let kinds = c
                .evidence
                .iter()
                .map(|k| {
                    EvidenceKind::by_name(k).ok_or_else(|| EngineError::UnknownEvidenceKind {
                        control: c.id.clone(),
                        kind: k.clone(),
                    })
                })
                .collect::<Result<_, _>>()?;
            Ok(Bound { check, kinds })
        })
        .collect()
}

/// Runs one control over the evidence set. Returns its findings, or why it was not assessed.
pub fn run_control(
    control: &Control,
    bound: &Bound,
    set: &EvidenceSet,
    params: &Params,
    now: jiff::Timestamp,
    superseder: Option<(pss::PssCheck, &str)>,
) -> (Vec<Finding>, Option<String>) {
    let ctx = Ctx {
        set,
        params,
        now,
        control,
    };
    let outcome = match &bound.check {
        Builtin::Pss(p) => checks::pss::run(&ctx, *p, superseder),
        Builtin::Func(f) => f(&ctx),
        Builtin::Cel(c) => cel::control::run(&ctx, c),
        Builtin::Admission(p) => admission::run::run(&ctx, p),
    };
    let (mut drafts, note) = match outcome {
        Outcome::Findings(d) => (d, None),
        Outcome::NotAssessed(why) => (Vec::new(), Some(why)),
    };
    // Documents of the kinds this control reads that could not be read are errors, never passes.
    for kind in &bound.kinds {
        for item in set.of(*kind) {
            if let Evidence::Invalid(_, e) = &item.evidence {
                let loc = crate::evidence::Loc {
                    line: e.line().unwrap_or(item.origin.line),
                    path: e
                        .path()
                        .map_or_else(|| item.origin.path.clone(), Into::into),
                };
                drafts.push(ctx::draft(
                    item,
                    Some(&loc),
                    Status::Error,
                    format!("cannot evaluate: {e}"),
                ));
            }
        }
    }
    let (id, severity, layer): (Arc<str>, Arc<str>, Arc<str>) = (
        control.id.as_str().into(),
        control.severity.as_str().into(),
        control.layer.as_str().into(),
    );
    let findings = drafts
        .into_iter()
        .map(|d| Finding {
            control_id: id.clone(),
            status: d.status,
            severity: severity.clone(),
            layer: layer.clone(),
            message: d.message,
            subject: d.subject,
            location: d.location,
        })
        .collect();
    (findings, note)
}
