//! One rule in CEL, compiled once and evaluated per object: match conditions, variables and
//! validations, with Kubernetes' semantics for each (a false match condition skips the
//! object; variables are computed in order and seen as `variables.<name>`; a false
//! validation is a violation; any error is reported, never taken as allowed).

use std::sync::Arc;

use cel::common::ast::Expr;
use cel::IdedExpr;

use crate::cel::{self as hcel, cost, CelError, Compiled, Frame};

/// The variables every admission expression may name.
pub const DECLARED: &[&str] = &[
    "object",
    "oldObject",
    "params",
    "namespaceObject",
    "request",
    "variables",
];

/// A named expression, compiled (or why not).
#[derive(Debug)]
pub struct Named {
    /// The name.
    pub name: String,
    /// The compiled expression.
    pub expr: Result<Compiled, CelError>,
}

/// A validation, compiled.
#[derive(Debug)]
pub struct Validation {
    /// The expression's source.
    pub source: String,
    /// The compiled expression.
    pub expr: Result<Compiled, CelError>,
    /// The fixed message.
    pub message: Option<String>,
    /// The message expression, compiled.
    pub message_expr: Option<Result<Compiled, CelError>>,
    /// The reason (`Forbidden`, `Invalid`, …).
    pub reason: Option<String>,
}

/// A compiled rule.
#[derive(Debug, Default)]
pub struct Rule {
    /// Conditions an object must meet for the rule to apply.
    pub match_conditions: Vec<Named>,
    /// Variables, in order.
    pub variables: Vec<Named>,
    /// Validations.
    pub validations: Vec<Validation>,
    /// True when an expression uses `variables` other than as `variables.<name>`.
    pub needs_variables_map: bool,
}

/// The input of one validation: expression, message, message expression, reason.
pub type ValidationSource<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

impl Rule {
    /// Compiles a rule from its sources.
    pub fn compile(
        match_conditions: &[(&str, &str)],
        variables: &[(&str, &str)],
        validations: &[ValidationSource<'_>],
    ) -> Self {
        let named = |(n, e): &(&str, &str)| Named {
            name: (*n).to_owned(),
            expr: hcel::compile(e, DECLARED),
        };
        let mut rule = Rule {
            match_conditions: match_conditions.iter().map(named).collect(),
            variables: variables.iter().map(named).collect(),
            validations: validations
                .iter()
                .map(|(e, m, me, r)| Validation {
                    source: (*e).to_owned(),
                    expr: hcel::compile(e, DECLARED),
                    message: m.map(str::to_owned),
                    message_expr: me.map(|me| hcel::compile(me, DECLARED)),
                    reason: r.map(str::to_owned),
                })
                .collect(),
            needs_variables_map: false,
        };
        let all = rule
            .match_conditions
            .iter()
            .chain(&rule.variables)
            .filter_map(|n| n.expr.as_ref().ok())
            .chain(rule.validations.iter().filter_map(|v| v.expr.as_ref().ok()))
            .chain(
                rule.validations
                    .iter()
                    .filter_map(|v| v.message_expr.as_ref().and_then(|m| m.as_ref().ok())),
            );
        let mut needs = false;
        for c in all {
            needs |= uses_variables_map(c.program_expr(), false);
        }
        rule.needs_variables_map = needs;
        rule
    }

    /// The compile errors of the rule, in order.
    pub fn compile_errors(&self) -> Vec<&CelError> {
        self.match_conditions
            .iter()
            .chain(&self.variables)
            .filter_map(|n| n.expr.as_ref().err())
            .chain(
                self.validations
                    .iter()
                    .filter_map(|v| v.expr.as_ref().err()),
            )
            .collect()
    }
}

/// True when `variables` appears other than as the operand of a plain `.name` selection.
fn uses_variables_map(e: &IdedExpr, under_select: bool) -> bool {
    match &e.expr {
        Expr::Ident(n) => n == "variables" && !under_select,
        Expr::Select(s) => uses_variables_map(&s.operand, !s.test),
        Expr::Call(c) => {
            c.target.iter().any(|t| uses_variables_map(t, false))
                || c.args.iter().any(|a| uses_variables_map(a, false))
        }
        Expr::List(l) => l.elements.iter().any(|x| uses_variables_map(x, false)),
        Expr::Map(m) => m.entries.iter().any(|entry| match &entry.expr {
            cel::common::ast::EntryExpr::MapEntry(me) => {
                uses_variables_map(&me.key, false) || uses_variables_map(&me.value, false)
            }
            cel::common::ast::EntryExpr::StructField(f) => uses_variables_map(&f.value, false),
        }),
        Expr::Comprehension(c) => [
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ]
        .iter()
        .any(|x| uses_variables_map(x, false)),
        _ => false,
    }
}

/// One failed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Index of the validation in the rule.
    pub index: usize,
    /// The message.
    pub message: String,
    /// The reason, when the validation gives one.
    pub reason: Option<String>,
}

/// What a rule concluded about one object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Verdict {
    /// False when a match condition was false: the rule does not apply.
    pub matched: bool,
    /// Failed validations.
    pub violations: Vec<Violation>,
    /// Errors: an object with any is never allowed.
    pub errors: Vec<String>,
}

/// Evaluates a rule in a frame that binds the object and its context.
pub fn evaluate(rule: &Rule, base: &Frame<'_>) -> Verdict {
    let mut budget = cost::POLICY_BUDGET;
    let mut verdict = Verdict {
        matched: true,
        ..Verdict::default()
    };
    let mut frame = match base.child(Vec::new()) {
        Ok(f) => f,
        Err(e) => {
            verdict.errors.push(e.to_string());
            return verdict;
        }
    };
    // Match conditions: any false skips the object; otherwise any error is an error.
    let mut condition_errors = Vec::new();
    for m in &rule.match_conditions {
        match m
            .expr
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|c| frame.eval_bool(c, &mut budget))
        {
            Ok(true) => {}
            Ok(false) => {
                verdict.matched = false;
                return verdict;
            }
            Err(e) => condition_errors.push(format!("match condition `{}`: {e}", m.name)),
        }
    }
    if !condition_errors.is_empty() {
        verdict.errors = condition_errors;
        return verdict;
    }
    // Variables, in order; a failed one is left unbound and named if a validation errs.
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut values: Vec<(String, hcel::value::Boxed)> = Vec::new();
    for v in &rule.variables {
        let result = v
            .expr
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|c| frame.eval_owned(c, &mut budget));
        match result {
            Ok(value) => {
                let qualified = format!("variables.{}", v.name);
                let mut bind = Vec::with_capacity(2);
                if rule.needs_variables_map {
                    values.push((v.name.clone(), value.clone_as_boxed()));
                    let map = hcel::value::map_of(
                        values.iter().map(|(n, x)| (n.clone(), x.clone_as_boxed())),
                    );
                    bind.push(("variables", map));
                }
                bind.push((qualified.as_str(), value));
                if let Err(e) = frame.bind(bind) {
                    failed.push((v.name.clone(), e.to_string()));
                }
            }
            Err(e) => failed.push((v.name.clone(), e.to_string())),
        }
    }
    let hint = |source: &str| -> String {
        failed
            .iter()
            .filter(|(n, _)| source.contains(&format!("variables.{n}")))
            .map(|(n, e)| format!(" (variable `{n}`: {e})"))
            .collect()
    };
    for (index, v) in rule.validations.iter().enumerate() {
        let compiled = match &v.expr {
            Ok(c) => c,
            Err(e) => {
                verdict.errors.push(e.to_string());
                continue;
            }
        };
        match frame.eval_bool(compiled, &mut budget) {
            Ok(true) => {}
            Ok(false) => verdict.violations.push(Violation {
                index,
                message: message(v, &frame, &mut budget),
                reason: v.reason.clone(),
            }),
            Err(e) => verdict.errors.push(format!("{e}{}", hint(&v.source))),
        }
    }
    verdict
}

/// The message of a failed validation: the message expression's value when it gives a
/// non-empty single-line string, else the message, else the failed expression.
fn message(v: &Validation, frame: &Frame<'_>, budget: &mut u64) -> String {
    if let Some(Ok(me)) = &v.message_expr {
        if let Ok(s) = frame.eval_string(me, budget) {
            let s = s.trim();
            if !s.is_empty() && !s.contains('\n') {
                return s.to_owned();
            }
        }
    }
    match &v.message {
        Some(m) if !m.trim().is_empty() => m.clone(),
        _ => format!("failed expression: {}", v.source.trim()),
    }
}

/// A shared compiled rule.
pub type SharedRule = Arc<Rule>;
