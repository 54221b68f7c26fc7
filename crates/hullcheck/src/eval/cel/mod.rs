//! CEL in evaluation: rules written in CEL ([`rule`]), run as user controls ([`control`])
//! over the Kubernetes objects of the evidence ([`object`]), with label selectors
//! ([`selector`]).

pub mod control;
pub mod object;
pub mod rule;
pub mod selector;
