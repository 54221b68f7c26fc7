//! Running one policy's control: every binding of the policy, over every object of the
//! evidence that the policy and the binding match, with each parameter object.
//!
//! How verdicts are reported:
//! - a violated validation is a `fail` citing the binding, the validation and its message;
//!   when the binding's `validationActions` hold no `Deny` (only `Warn` or `Audit`), the
//!   cluster would admit the object, and the message says so, but it is still a `fail`;
//! - an expression that does not compile, exceeds its cost, or errs is an `error` whatever
//!   the `failurePolicy` (`Ignore` would admit the object unevaluated, which offline would be
//!   a pass for evidence never judged);
//! - an object that every validation admits is a `pass`; one whose parameters are missing
//!   under `parameterNotFoundAction: Allow` is `not_applicable`.

use rayon::prelude::*;

use super::matching::{self, Match};
use super::model::{BindingSpec, PolicySpec};
use super::params::{self, Params};
use crate::cel::value;
use crate::eval::cel::object::Admitted;
use crate::eval::cel::rule::{self, Rule, ValidationSource};
use crate::eval::ctx::draft;
use crate::eval::{Ctx, Draft, Outcome};
use crate::evidence::Item;
use crate::report::Status;

/// A binding of the policy, read.
struct Binding<'a> {
    name: &'a str,
    spec: BindingSpec,
}

/// Compiles a policy's rule.
pub fn compile(spec: &PolicySpec) -> Rule {
    let conditions: Vec<(&str, &str)> = spec
        .match_conditions
        .iter()
        .map(|m| (m.name.as_str(), m.expression.as_str()))
        .collect();
    let variables: Vec<(&str, &str)> = spec
        .variables
        .iter()
        .map(|m| (m.name.as_str(), m.expression.as_str()))
        .collect();
    let validations: Vec<ValidationSource<'_>> = spec
        .validations
        .iter()
        .map(|v| {
            (
                v.expression.as_str(),
                v.message.as_deref(),
                v.message_expression.as_deref(),
                v.reason.as_deref(),
            )
        })
        .collect();
    Rule::compile(&conditions, &variables, &validations)
}

/// Runs the control of the policy named `name`.
pub fn run(ctx: &Ctx<'_>, name: &str) -> Outcome {
    let items = ctx.set.items();
    let Some((policy_item, policy)) =
        super::policies(items).find(|(i, _)| i.origin.name.as_deref() == Some(name))
    else {
        return Outcome::NotAssessed(format!(
            "no ValidatingAdmissionPolicy `{name}` is in the evidence"
        ));
    };
    let spec: PolicySpec = match super::spec(policy) {
        Ok(s) => s,
        Err(e) => {
            return Outcome::Findings(vec![draft(
                policy_item,
                None,
                Status::Error,
                format!("cannot read the policy: {e}"),
            )])
        }
    };
    let mut out: Vec<Draft> = Vec::new();
    match super::controls::mappings(policy) {
        Err(e) => out.push(draft(policy_item, None, Status::Error, e)),
        Ok(raw) => {
            let dropped: Vec<String> = raw
                .iter()
                .flat_map(|(fw, ids)| ids.iter().map(move |id| (fw, id)))
                .filter(|(fw, id)| {
                    !ctx.control
                        .mappings
                        .get(fw.as_str())
                        .is_some_and(|kept| kept.contains(id))
                })
                .map(|(fw, id)| format!("`{fw}` `{id}`"))
                .collect();
            if !dropped.is_empty() {
                out.push(draft(
                    policy_item,
                    None,
                    Status::Error,
                    format!(
                        "annotation `{}` maps to {}, which the catalog does not have as an automatable requirement; the mapping is left off",
                        super::controls::MAPPINGS,
                        dropped.join(", ")
                    ),
                ));
            }
        }
    }
    let Some(constraints) = &spec.match_constraints else {
        out.push(draft(
            policy_item,
            None,
            Status::Error,
            "the policy has no `matchConstraints`, which the API server requires",
        ));
        return Outcome::Findings(out);
    };
    let mut bindings: Vec<Binding<'_>> = Vec::new();
    for item in items
        .iter()
        .filter(|i| super::is(i, "ValidatingAdmissionPolicyBinding"))
    {
        let Some(object) = item.origin.object() else {
            continue;
        };
        match super::spec::<BindingSpec>(object) {
            Ok(b) if b.policy_name == name => bindings.push(Binding {
                name: item.origin.name.as_deref().unwrap_or(""),
                spec: b,
            }),
            Ok(_) => {}
            Err(e)
                if object
                    .get("spec")
                    .and_then(|s| s.get("policyName"))
                    .and_then(|n| n.as_str())
                    == Some(name) =>
            {
                out.push(draft(
                    item,
                    None,
                    Status::Error,
                    format!("cannot read the binding: {e}"),
                ))
            }
            Err(_) => {}
        }
    }
    if bindings.is_empty() {
        if out.is_empty() {
            return Outcome::NotAssessed(format!(
                "no ValidatingAdmissionPolicyBinding in the evidence binds `{name}`, so the API server enforces nothing of it"
            ));
        }
        return Outcome::Findings(out);
    }
    let rule = compile(&spec);
    let objects: Vec<Admitted<'_>> = items
        .iter()
        .filter_map(Admitted::of)
        .filter(|o| !std::ptr::eq(o.item, policy_item))
        .collect();
    let judged: Vec<Draft> = objects
        .par_iter()
        .flat_map_iter(|o| judge(ctx, &spec, constraints, &bindings, &rule, o))
        .collect();
    if judged.is_empty() && out.is_empty() {
        return Outcome::NotAssessed(format!(
            "no object in the evidence matches the constraints of `{name}` and a binding of it"
        ));
    }
    out.extend(judged);
    Outcome::Findings(out)
}

fn judge(
    ctx: &Ctx<'_>,
    spec: &PolicySpec,
    constraints: &super::model::MatchResources,
    bindings: &[Binding<'_>],
    rule: &Rule,
    o: &Admitted<'_>,
) -> Vec<Draft> {
    let item: &Item = o.item;
    let mut out = Vec::new();
    match matching::matches(constraints, o, ctx.set) {
        Match::No => return out,
        Match::Unknown(why) => {
            out.push(draft(
                item,
                None,
                Status::Error,
                format!("cannot match: {why}"),
            ));
            return out;
        }
        Match::Yes => {}
    }
    let frame = match o.frame(ctx.set) {
        Ok(f) => f,
        Err(e) => {
            out.push(draft(item, None, Status::Error, e.to_string()));
            return out;
        }
    };
    let request_ns = matching::namespace(o);
    for b in bindings {
        let cite = format!("binding `{}`", b.name);
        if let Some(m) = &b.spec.match_resources {
            match matching::matches(m, o, ctx.set) {
                Match::No => continue,
                Match::Unknown(why) => {
                    out.push(draft(
                        item,
                        None,
                        Status::Error,
                        format!("{cite}: cannot match: {why}"),
                    ));
                    continue;
                }
                Match::Yes => {}
            }
        }
        let deny = b.spec.validation_actions.iter().any(|a| a == "Deny");
        let admitted_note = if deny || b.spec.validation_actions.is_empty() {
            String::new()
        } else {
            format!(
                " (actions {}: the cluster admits it and reports the violation)",
                b.spec.validation_actions.join(", ")
            )
        };
        let params = params::resolve(
            spec.param_kind.as_ref(),
            b.spec.param_ref.as_ref(),
            o,
            request_ns,
            ctx.set,
        );
        let values: Vec<value::Boxed> = match params {
            Params::None => vec![Box::new(cel::common::types::CelNull)],
            Params::Objects(objs) => objs.into_iter().map(value::from_node).collect(),
            Params::NotFoundAllowed => {
                out.push(draft(
                    item,
                    None,
                    Status::NotApplicable,
                    format!("{cite}: no parameter object is in the evidence, and parameterNotFoundAction Allow admits the object"),
                ));
                continue;
            }
            Params::NotFoundDenied(why) => {
                out.push(draft(
                    item,
                    None,
                    Status::Fail,
                    format!("{cite}: {why}{admitted_note}"),
                ));
                continue;
            }
            Params::Misconfigured(why) => {
                out.push(draft(item, None, Status::Error, format!("{cite}: {why}")));
                continue;
            }
        };
        let before = out.len();
        let mut matched = false;
        for p in values {
            let pframe = match frame.child(vec![("params", p)]) {
                Ok(f) => f,
                Err(e) => {
                    out.push(draft(item, None, Status::Error, format!("{cite}: {e}")));
                    continue;
                }
            };
            let verdict = rule::evaluate(rule, &pframe);
            if !verdict.matched {
                continue;
            }
            matched = true;
            out.extend(verdict.errors.iter().map(|e| {
                draft(
                    item,
                    None,
                    Status::Error,
                    format!("{cite}: cannot evaluate: {e}"),
                )
            }));
            out.extend(verdict.violations.iter().map(|v| {
                let reason = v
                    .reason
                    .as_deref()
                    .map(|r| format!(" [{r}]"))
                    .unwrap_or_default();
                draft(
                    item,
                    None,
                    Status::Fail,
                    format!(
                        "{cite}, validation {}: {}{reason}{admitted_note}",
                        v.index + 1,
                        v.message
                    ),
                )
            }));
        }
        if matched && out.len() == before {
            out.push(draft(
                item,
                None,
                Status::Pass,
                format!("{cite}: every validation admits the object"),
            ));
        }
    }
    out
}
