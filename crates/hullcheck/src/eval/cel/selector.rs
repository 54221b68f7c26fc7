//! Kubernetes label selectors (`matchLabels`, `matchExpressions`) over an object's labels.

use crate::catalog::model::LabelSelector;
use crate::evidence::node::{Node, Value};

/// The labels of an object (`metadata.labels`) as pairs; non-string values are skipped.
pub fn labels(object: &Node) -> Vec<(&str, &str)> {
    let Some(Node {
        value: Value::Map(entries),
        ..
    }) = object.get("metadata").and_then(|m| m.get("labels"))
    else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
        .collect()
}

/// Why a selector is invalid (an unknown operator, or values where none belong).
pub fn invalid(selector: &LabelSelector) -> Option<String> {
    selector.match_expressions.iter().find_map(|r| {
        match (r.operator.as_str(), r.values.is_empty()) {
            ("In" | "NotIn", false) | ("Exists" | "DoesNotExist", true) => None,
            ("In" | "NotIn", true) => Some(format!(
                "label selector requirement on `{}`: `{}` needs values",
                r.key, r.operator
            )),
            ("Exists" | "DoesNotExist", false) => Some(format!(
                "label selector requirement on `{}`: `{}` takes no values",
                r.key, r.operator
            )),
            (op, _) => Some(format!(
                "label selector requirement on `{}`: unknown operator `{op}`",
                r.key
            )),
        }
    })
}

/// True when the labels satisfy the selector (an empty selector matches everything; an
/// invalid one matches nothing).
pub fn matches(selector: &LabelSelector, labels: &[(&str, &str)]) -> bool {
    if invalid(selector).is_some() {
        return false;
    }
    let get = |key: &str| labels.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    selector
        .match_labels
        .iter()
        .all(|(k, v)| get(k) == Some(v.as_str()))
        && selector.match_expressions.iter().all(|r| {
            let value = get(&r.key);
            match r.operator.as_str() {
                "In" => value.is_some_and(|v| r.values.iter().any(|x| x == v)),
                "NotIn" => value.is_none_or(|v| !r.values.iter().any(|x| x == v)),
                "Exists" => value.is_some(),
                "DoesNotExist" => value.is_none(),
                _ => false,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::LabelRequirement;

    fn req(key: &str, op: &str, values: &[&str]) -> LabelRequirement {
        LabelRequirement {
            key: key.into(),
            operator: op.into(),
            values: values.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn selectors_follow_kubernetes_semantics() {
        let labels = [("app", "web"), ("tier", "front")];
        let sel = |exprs: Vec<LabelRequirement>| LabelSelector {
            match_labels: Default::default(),
            match_expressions: exprs,
        };
        assert!(matches(&LabelSelector::default(), &labels));
        assert!(matches(
            &sel(vec![req("app", "In", &["web", "api"])]),
            &labels
        ));
        assert!(!matches(&sel(vec![req("app", "NotIn", &["web"])]), &labels));
        assert!(matches(&sel(vec![req("env", "NotIn", &["prod"])]), &labels));
        assert!(matches(&sel(vec![req("tier", "Exists", &[])]), &labels));
        assert!(!matches(
            &sel(vec![req("tier", "DoesNotExist", &[])]),
            &labels
        ));
        assert!(!matches(&sel(vec![req("app", "In", &[])]), &labels));
        assert!(!matches(&sel(vec![req("app", "Like", &["w"])]), &labels));
        let mut by_label = LabelSelector::default();
        by_label.match_labels.insert("app".into(), "api".into());
        assert!(!matches(&by_label, &labels));
    }
}
