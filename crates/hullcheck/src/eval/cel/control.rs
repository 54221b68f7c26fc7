//! User controls with a `cel` check: every Kubernetes object of the evidence that the
//! control's `match` selects is evaluated against its validations.

use rayon::prelude::*;

use super::object::Admitted;
use super::rule::{self, Rule, ValidationSource};
use super::selector;
use crate::catalog::model::{CelCheck, CelMatch};
use crate::eval::ctx::draft;
use crate::eval::{Ctx, Draft, Outcome};
use crate::report::Status;

/// A compiled `cel` check.
#[derive(Debug)]
pub struct CelControl {
    /// Which objects it applies to.
    pub matches: CelMatch,
    /// Its variables and validations.
    pub rule: Rule,
}

impl CelControl {
    /// Compiles a check; expressions that do not compile are kept as errors to report.
    pub fn compile(spec: &CelCheck) -> Self {
        let variables: Vec<(&str, &str)> = spec
            .variables
            .iter()
            .map(|v| (v.name.as_str(), v.expression.as_str()))
            .collect();
        let validations: Vec<ValidationSource<'_>> = spec
            .validations
            .iter()
            .map(|v| {
                (
                    v.expression.as_str(),
                    v.message.as_deref(),
                    v.message_expression.as_deref(),
                    None,
                )
            })
            .collect();
        Self {
            matches: spec.matches.clone(),
            rule: Rule::compile(&[], &variables, &validations),
        }
    }

    /// True when the control applies to the object.
    pub fn applies(&self, o: &Admitted<'_>) -> bool {
        let m = &self.matches;
        let any = |list: &[String], x: &str| list.iter().any(|v| v == "*" || v == x);
        if !m
            .resources
            .iter()
            .any(|r| any(&r.api_groups, o.group()) && any(&r.kinds, o.kind()))
        {
            return false;
        }
        let ns = o.namespace();
        if !m.namespaces.is_empty() && !ns.is_some_and(|n| m.namespaces.iter().any(|x| x == n)) {
            return false;
        }
        if ns.is_some_and(|n| m.exclude_namespaces.iter().any(|x| x == n)) {
            return false;
        }
        m.label_selector
            .as_ref()
            .is_none_or(|s| selector::matches(s, &selector::labels(o.object)))
    }
}

/// Runs a `cel` control over the evidence.
pub fn run(ctx: &Ctx<'_>, control: &CelControl) -> Outcome {
    if let Some(why) = control
        .matches
        .label_selector
        .as_ref()
        .and_then(selector::invalid)
    {
        return Outcome::NotAssessed(format!("the control's match is invalid: {why}"));
    }
    let objects: Vec<Admitted<'_>> = ctx
        .set
        .items()
        .iter()
        .filter_map(Admitted::of)
        .filter(|o| control.applies(o))
        .collect();
    if objects.is_empty() {
        let errors = control.rule.compile_errors();
        let mut note = "no Kubernetes object in the evidence matches the control".to_owned();
        if let Some(e) = errors.first() {
            note.push_str(&format!("; its expressions do not compile: {e}"));
        }
        return Outcome::NotAssessed(note);
    }
    let drafts: Vec<Draft> = objects
        .par_iter()
        .flat_map_iter(|o| judge(ctx, control, o))
        .collect();
    Outcome::Findings(drafts)
}

fn judge(ctx: &Ctx<'_>, control: &CelControl, o: &Admitted<'_>) -> Vec<Draft> {
    let frame = match o.frame(ctx.set) {
        Ok(f) => f,
        Err(e) => return vec![draft(o.item, None, Status::Error, e.to_string())],
    };
    let verdict = rule::evaluate(&control.rule, &frame);
    let mut out: Vec<Draft> = verdict
        .errors
        .iter()
        .map(|e| draft(o.item, None, Status::Error, format!("cannot evaluate: {e}")))
        .collect();
    out.extend(
        verdict
            .violations
            .iter()
            .map(|v| draft(o.item, None, Status::Fail, v.message.clone())),
    );
    if out.is_empty() {
        out.push(draft(o.item, None, Status::Pass, "every validation holds"));
    }
    out
}
