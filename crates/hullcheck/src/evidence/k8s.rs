//! Recognising Kubernetes objects: `List` expansion, identity, and workload pod specs.

use super::error::EvidenceError;
use super::node::{Node, Value};
use super::pod::PodFacts;
use super::read::Cursor;

/// Where a workload kind keeps its pod template, as JSON-pointer segments from the object root.
struct WorkloadShape {
    kind: &'static str,
    groups: &'static [&'static str],
    spec: &'static [&'static str],
    metadata: &'static [&'static str],
}

const APPS: &[&str] = &["apps", "extensions"];
const CORE: &[&str] = &[""];
const BATCH: &[&str] = &["batch"];

const SHAPES: &[WorkloadShape] = &[
    WorkloadShape {
        kind: "Pod",
        groups: CORE,
        spec: &["spec"],
        metadata: &["metadata"],
    },
    WorkloadShape {
        kind: "PodTemplate",
        groups: CORE,
        spec: &["template", "spec"],
        metadata: &["template", "metadata"],
    },
    WorkloadShape {
        kind: "ReplicationController",
        groups: CORE,
        spec: &["spec", "template", "spec"],
        metadata: &["spec", "template", "metadata"],
    },
    WorkloadShape {
        kind: "Deployment",
        groups: APPS,
        spec: &["spec", "template", "spec"],
        metadata: &["spec", "template", "metadata"],
    },
    WorkloadShape {
        kind: "StatefulSet",
        groups: APPS,
        spec: &["spec", "template", "spec"],
        metadata: &["spec", "template", "metadata"],
    },
    WorkloadShape {
        kind: "DaemonSet",
        groups: APPS,
        spec: &["spec", "template", "spec"],
        metadata: &["spec", "template", "metadata"],
    },
    WorkloadShape {
        kind: "ReplicaSet",
        groups: APPS,
        spec: &["spec", "template", "spec"],
        metadata: &["spec", "template", "metadata"],
    },
    WorkloadShape {
        kind: "Job",
        groups: BATCH,
        spec: &["spec", "template", "spec"],
        metadata: &["spec", "template", "metadata"],
    },
    WorkloadShape {
        kind: "CronJob",
        groups: BATCH,
        spec: &["spec", "jobTemplate", "spec", "template", "spec"],
        metadata: &["spec", "jobTemplate", "spec", "template", "metadata"],
    },
];

/// The identity of a Kubernetes object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectMeta {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name` (or `generateName`).
    pub name: Option<String>,
    /// `metadata.namespace`.
    pub namespace: Option<String>,
}

impl ObjectMeta {
    /// The API group of the object (empty for the core group).
    pub fn group(&self) -> &str {
        match self.api_version.split_once('/') {
            Some((group, _)) => group,
            None => "",
        }
    }
}

/// What hullcheck could read from one Kubernetes object.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A workload and its pod spec facts.
    Workload(Box<PodFacts>),
    /// A workload whose fields do not type-check.
    InvalidWorkload(EvidenceError),
    /// A Kubernetes object no control reads yet.
    Other,
}

/// One Kubernetes object found in a document (a `List` yields one per item).
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// JSON pointer of the object inside its document (empty for the document root).
    pub path: String,
    /// 1-based line of the object.
    pub line: u32,
    /// Identity.
    pub meta: ObjectMeta,
    /// Facts read.
    pub content: Content,
}

/// Reads the Kubernetes objects of one document root.
pub fn objects(root: &Node) -> Result<Vec<Object>, EvidenceError> {
    let mut out = Vec::new();
    collect(&Cursor::new(root, ""), &mut out, 0)?;
    Ok(out)
}

fn identity(c: &Cursor<'_>) -> Result<ObjectMeta, EvidenceError> {
    let node = c.node();
    let Value::Map(_) = node.value else {
        return Err(EvidenceError::Unrecognized {
            line: node.line,
            reason: format!(
                "the document is a {}, not a Kubernetes object",
                node.type_name()
            ),
        });
    };
    let api_version = c.opt_string("apiVersion")?;
    let kind = c.opt_string("kind")?;
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        return Err(EvidenceError::Unrecognized {
            line: node.line,
            reason: "no `apiVersion` and `kind`, so not a Kubernetes object".to_owned(),
        });
    };
    let (mut name, mut namespace) = (None, None);
    if let Some(meta) = c.field("metadata")? {
        name = meta.opt_string("name")?.map(|n| n.value);
        if name.is_none() {
            name = meta.opt_string("generateName")?.map(|n| n.value);
        }
        namespace = meta.opt_string("namespace")?.map(|n| n.value);
    }
    Ok(ObjectMeta {
        api_version: api_version.value,
        kind: kind.value,
        name,
        namespace,
    })
}

fn collect(c: &Cursor<'_>, out: &mut Vec<Object>, depth: usize) -> Result<(), EvidenceError> {
    let meta = identity(c)?;
    let is_list =
        meta.kind == "List" || (meta.kind.ends_with("List") && c.node().get("items").is_some());
    if is_list && depth == 0 {
        if let Some(items) = c.field("items")? {
            for item in items.items()? {
                match identity(&item) {
                    Ok(_) => collect(&item, out, depth + 1)?,
                    Err(e) => {
                        return Err(e);
                    }
                }
            }
        }
        return Ok(());
    }
    let content = match SHAPES
        .iter()
        .find(|s| s.kind == meta.kind && s.groups.contains(&meta.group()))
    {
        Some(shape) => match read_workload(c, shape) {
            Ok(facts) => Content::Workload(Box::new(facts)),
            Err(e) => Content::InvalidWorkload(e),
        },
        None => Content::Other,
    };
    out.push(Object {
        path: c.path().to_owned(),
        line: c.node().line,
        meta,
        content,
    });
    Ok(())
}

fn descend<'a>(c: &Cursor<'a>, path: &[&str]) -> Result<Option<Cursor<'a>>, EvidenceError> {
    let mut cur = c.clone();
    for seg in path {
        match cur.field(seg)? {
            Some(next) => cur = next,
            None => return Ok(None),
        }
    }
    Ok(Some(cur))
}

fn read_workload(c: &Cursor<'_>, shape: &WorkloadShape) -> Result<PodFacts, EvidenceError> {
    let metadata = descend(c, shape.metadata)?;
    match descend(c, shape.spec)? {
        Some(spec) => PodFacts::read(&spec, metadata.as_ref()),
        None => Err(EvidenceError::MissingField {
            line: c.node().line,
            path: format!("{}/{}", c.path(), shape.spec.join("/")),
        }),
    }
}
