//! A binding's `paramRef` resolved against the objects of the evidence.

use super::model::{ParamKind, ParamRef};
use crate::eval::cel::object::Admitted;
use crate::eval::cel::selector;
use crate::eval::EvidenceSet;
use crate::evidence::node::Node;

/// The parameters to evaluate a request with.
#[derive(Debug)]
pub enum Params<'a> {
    /// The policy takes none: evaluate once with `params` null.
    None,
    /// Evaluate once per parameter object.
    Objects(Vec<&'a Node>),
    /// None was found and the binding allows that: the request is admitted unevaluated.
    NotFoundAllowed,
    /// None was found and the binding denies that.
    NotFoundDenied(String),
    /// The binding and policy disagree on parameters.
    Misconfigured(String),
}

/// Resolves the parameters of one request.
pub fn resolve<'a>(
    kind: Option<&ParamKind>,
    reference: Option<&ParamRef>,
    request: &Admitted<'_>,
    request_ns: Option<&str>,
    set: &'a EvidenceSet,
) -> Params<'a> {
    let (kind, reference) = match (kind, reference) {
        (None, _) => return Params::None,
        (Some(k), None) => {
            return Params::Misconfigured(format!(
                "the policy takes parameters of kind `{}` but the binding has no `paramRef`",
                k.kind
            ))
        }
        (Some(k), Some(r)) => (k, r),
    };
    if reference.name.is_some() == reference.selector.is_some() {
        return Params::Misconfigured(
            "`paramRef` must set exactly one of `name` and `selector`".to_owned(),
        );
    }
    let candidates: Vec<Admitted<'a>> = set
        .items()
        .iter()
        .filter(|i| i.origin.api_version == kind.api_version && *i.origin.kind == *kind.kind)
        .filter_map(Admitted::of)
        .collect();
    // Namespaced parameter objects are looked up in `paramRef.namespace`, or else in the
    // request's namespace; cluster-scoped ones anywhere.
    let namespaced = candidates.iter().any(|c| c.namespace().is_some());
    let want_ns = reference.namespace.as_deref().or(request_ns);
    if namespaced && want_ns.is_none() {
        return Params::Misconfigured(format!(
            "parameters of kind `{}` are namespaced, but `paramRef.namespace` is unset and `{}` is cluster-scoped",
            kind.kind,
            request.kind()
        ));
    }
    let found: Vec<&'a Node> = candidates
        .iter()
        .filter(|c| !namespaced || c.namespace() == want_ns)
        .filter(|c| match (&reference.name, &reference.selector) {
            (Some(n), _) => c.name() == Some(n.as_str()),
            (None, Some(sel)) => selector::matches(sel, &selector::labels(c.object)),
            (None, None) => false,
        })
        .map(|c| c.object)
        .collect();
    if !found.is_empty() {
        return Params::Objects(found);
    }
    let what = match (&reference.name, want_ns) {
        (Some(n), Some(ns)) if namespaced => format!("`{}` `{ns}/{n}`", kind.kind),
        (Some(n), _) => format!("`{}` `{n}`", kind.kind),
        (None, _) => format!("`{}` matching the selector", kind.kind),
    };
    match reference.parameter_not_found_action.as_deref() {
        Some("Allow") => Params::NotFoundAllowed,
        _ => Params::NotFoundDenied(format!(
            "no parameter object {what} is in the evidence, and parameterNotFoundAction is Deny"
        )),
    }
}
