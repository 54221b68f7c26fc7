//! Typed facts of every evidence kind other than workloads, each read from a located tree.

pub mod cluster;
pub mod cni;
pub mod config;
pub mod configmap;
pub mod hullcheck;
pub mod kubelet_flags;
pub mod network;
pub mod rbac;
pub mod supply;

use super::error::EvidenceError;
use super::read::{At, Cursor};

/// A string list child that may also be given as one string.
pub(crate) fn strings(c: &Cursor<'_>, key: &str) -> Result<Vec<At<String>>, EvidenceError> {
    match c.field(key)? {
        None => Ok(Vec::new()),
        Some(v) if v.node().as_str().is_some() => Ok(vec![v.string()?]),
        Some(_) => c.string_list(key),
    }
}

/// String-valued mapping entries (labels, annotations).
pub(crate) fn string_map(
    c: &Cursor<'_>,
    key: &str,
) -> Result<Vec<(String, At<String>)>, EvidenceError> {
    let mut out = Vec::new();
    if let Some(m) = c.field(key)? {
        for (k, v) in m.entries()? {
            out.push((k.to_owned(), v.string()?));
        }
    }
    Ok(out)
}

/// Follows a path of keys, returning `None` when any is absent.
pub(crate) fn dig<'a>(c: &Cursor<'a>, path: &[&str]) -> Result<Option<Cursor<'a>>, EvidenceError> {
    let mut cur = c.clone();
    for key in path {
        match cur.field(key)? {
            Some(next) => cur = next,
            None => return Ok(None),
        }
    }
    Ok(Some(cur))
}

/// A scalar read as text whatever its YAML type (numbers and booleans as written by JSON).
pub(crate) fn scalar_text(c: &Cursor<'_>) -> Option<String> {
    use super::node::Value;
    match &c.node().value {
        Value::Str(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        _ => None,
    }
}
