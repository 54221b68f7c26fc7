//! Why a CEL expression could not be compiled or evaluated. Every one of these becomes an
//! `error` finding: an expression hullcheck cannot run is never a pass.

use thiserror::Error;

/// A CEL failure, at compile time or at run time.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CelError {
    /// The expression does not parse.
    #[error("expression `{expression}` does not compile: {message}")]
    Syntax {
        /// The expression.
        expression: String,
        /// The parser's message (first line).
        message: String,
    },
    /// The expression uses a CEL feature or function hullcheck does not implement.
    #[error("expression `{expression}` uses {feature}, which hullcheck does not support")]
    Unsupported {
        /// The expression.
        expression: String,
        /// The feature, described.
        feature: String,
    },
    /// The expression names a variable its context does not declare.
    #[error("expression `{expression}` names undeclared variable `{name}`")]
    Undeclared {
        /// The expression.
        expression: String,
        /// The variable.
        name: String,
    },
    /// The estimated cost is over the limit, so the expression is refused.
    #[error(
        "expression `{expression}` has an estimated cost of {estimated}, over the limit of {limit}"
    )]
    EstimatedCost {
        /// The expression.
        expression: String,
        /// The estimate.
        estimated: u64,
        /// The limit.
        limit: u64,
    },
    /// On this object, the expression's cost bound is over the per-expression or policy budget.
    #[error("expression `{expression}` would cost up to {bound} on this object, over the budget of {limit}")]
    RuntimeCost {
        /// The expression.
        expression: String,
        /// The bound computed from the object's sizes.
        bound: u64,
        /// The budget.
        limit: u64,
    },
    /// Evaluation failed.
    #[error("expression `{expression}` failed: {message}")]
    Runtime {
        /// The expression.
        expression: String,
        /// What went wrong.
        message: String,
    },
    /// The expression gave a value of the wrong type.
    #[error("expression `{expression}` gave a {got}, not a {want}")]
    Type {
        /// The expression.
        expression: String,
        /// The type wanted.
        want: &'static str,
        /// The type given.
        got: String,
    },
}

impl CelError {
    /// The stable dotted code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Syntax { .. } => "cel.syntax",
            Self::Unsupported { .. } => "cel.unsupported",
            Self::Undeclared { .. } => "cel.undeclared",
            Self::EstimatedCost { .. } => "cel.estimated_cost",
            Self::RuntimeCost { .. } => "cel.runtime_cost",
            Self::Runtime { .. } => "cel.runtime",
            Self::Type { .. } => "cel.type",
        }
    }
}
