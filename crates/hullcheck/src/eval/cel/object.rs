//! The admission view of an evidence object: its group, version, kind and resource, the
//! `request` Kubernetes would send for creating it, and the frame CEL evaluates it in.

use crate::cel::{value, CelError, Frame};
use crate::eval::EvidenceSet;
use crate::evidence::node::Node;
use crate::evidence::Item;

/// An evidence item seen as an object being admitted.
#[derive(Debug, Clone, Copy)]
pub struct Admitted<'a> {
    /// The item.
    pub item: &'a Item,
    /// Its object.
    pub object: &'a Node,
}

impl<'a> Admitted<'a> {
    /// The item as an admitted object, when it is a Kubernetes object. An object whose
    /// fields the typed reader refused is still one: CEL judges it as written (an expression
    /// reading a field of the wrong type errs), so it is never left unjudged.
    pub fn of(item: &'a Item) -> Option<Self> {
        let object = item.origin.object()?;
        Some(Self { item, object })
    }

    /// The API group (empty for the core group).
    pub fn group(&self) -> &'a str {
        match self.item.origin.api_version.split_once('/') {
            Some((g, _)) => g,
            None => "",
        }
    }

    /// The API version.
    pub fn version(&self) -> &'a str {
        let v = self.item.origin.api_version.as_str();
        v.split_once('/').map_or(v, |(_, v)| v)
    }

    /// The kind.
    pub fn kind(&self) -> &'a str {
        &self.item.origin.kind
    }

    /// The resource (plural, lowercase), as the API server names it.
    pub fn resource(&self) -> String {
        plural(self.kind())
    }

    /// The namespace, when set.
    pub fn namespace(&self) -> Option<&'a str> {
        self.item.origin.namespace.as_deref()
    }

    /// The name, when set.
    pub fn name(&self) -> Option<&'a str> {
        self.item.origin.name.as_deref()
    }

    /// The `request` of a CREATE of this object. The requesting user is unknown offline, so
    /// `userInfo` is absent and an expression reading it errs.
    pub fn request(&self) -> value::Boxed {
        let s = value::string;
        let gvk = || {
            value::map_of([
                ("group".to_owned(), s(self.group())),
                ("version".to_owned(), s(self.version())),
                ("kind".to_owned(), s(self.kind())),
            ])
        };
        let gvr = || {
            value::map_of([
                ("group".to_owned(), s(self.group())),
                ("version".to_owned(), s(self.version())),
                ("resource".to_owned(), s(&self.resource())),
            ])
        };
        value::map_of([
            ("kind".to_owned(), gvk()),
            ("resource".to_owned(), gvr()),
            ("requestKind".to_owned(), gvk()),
            ("requestResource".to_owned(), gvr()),
            ("name".to_owned(), s(self.name().unwrap_or(""))),
            ("namespace".to_owned(), s(self.namespace().unwrap_or(""))),
            ("operation".to_owned(), s("CREATE")),
            (
                "dryRun".to_owned(),
                Box::new(cel::common::types::CelBool::from(false)),
            ),
        ])
    }

    /// The object's Namespace in the evidence, when it is namespaced and the Namespace was
    /// read.
    pub fn namespace_object(&self, set: &'a EvidenceSet) -> Option<&'a Node> {
        let ns = self.namespace()?;
        namespace_named(set, ns)
    }

    /// The frame binding `object`, `oldObject` (null: a create), `request` and
    /// `namespaceObject` (null when cluster-scoped or not in the evidence).
    pub fn frame(&self, set: &EvidenceSet) -> Result<Frame<'static>, CelError> {
        let null = || -> value::Boxed { Box::new(cel::common::types::CelNull) };
        let ns = self
            .namespace_object(set)
            .map_or_else(null, value::from_node);
        Frame::root(vec![
            ("object", value::from_node(self.object)),
            ("oldObject", null()),
            ("request", self.request()),
            ("namespaceObject", ns),
        ])
    }
}

/// The Namespace object of that name in the evidence. The index is built once per evidence
/// set, so each object's lookup is a search, not a scan of every Namespace.
pub fn namespace_named<'a>(set: &'a EvidenceSet, name: &str) -> Option<&'a Node> {
    let index = set.namespace_index();
    let i = index.binary_search_by(|(n, _)| n.as_ref().cmp(name)).ok()?;
    let (_, item) = index.get(i)?;
    set.items().get(*item)?.origin.object()
}

/// The resource name of a kind: lowercase and plural, as the API server's REST mapper gives
/// it for the built-in kinds.
pub fn plural(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    match lower.as_str() {
        "endpoints" => lower,
        k if k.ends_with("policy") => format!("{}ies", k.trim_end_matches('y')),
        k if k.ends_with('s') || k.ends_with("ch") || k.ends_with('x') => format!("{k}es"),
        k if k.ends_with('y') && !k.ends_with("ay") && !k.ends_with("ey") => {
            format!("{}ies", k.trim_end_matches('y'))
        }
        _ => format!("{lower}s"),
    }
}
