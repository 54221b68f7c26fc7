//! Evidence: bytes → located documents → typed Kubernetes objects.
//!
//! This module owns reading. It never fails as a whole: every problem becomes a
//! [`DocumentEntry`] with an [`EvidenceError`], and every other document is still read.

pub mod dockerfile;
pub mod error;
pub mod image_ref;
pub mod item;
pub mod k8s;
pub mod kinds;
pub mod limits;
pub mod load;
pub mod node;
pub mod pod;
pub mod read;
pub mod scalar;
pub mod yaml;
pub mod yaml_fast;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

pub use error::EvidenceError;
pub use image_ref::ImageRef;
pub use item::{Evidence, EvidenceKind, Item, Origin, Subject};
pub use k8s::ObjectMeta;
pub use limits::Limits;
pub use load::{Input, Source};
pub use node::{Node, Value};
pub use pod::{ContainerFacts, ContainerGroup, PodFacts, SecurityOpts, VolumeFacts};
pub use read::{At, Loc};

/// One document (or `List` item) that was read, with its identity or its error.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentEntry {
    /// The file's reported name.
    pub file: Arc<str>,
    /// 0-based index of the document in its file.
    pub index: usize,
    /// JSON pointer of the object within the document (empty for the root).
    pub path: Arc<str>,
    /// 1-based line of the document or object (0 when unknown).
    pub line: u32,
    /// Identity, when the document was recognised.
    pub meta: Option<ObjectMeta>,
    /// The evidence kind, when the document was recognised.
    pub evidence: Option<EvidenceKind>,
    /// The error, when the document could not be fully read.
    pub error: Option<EvidenceError>,
}

/// Everything read from one input.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// One entry per document or object.
    pub documents: Vec<DocumentEntry>,
    /// The evidence items.
    pub items: Vec<Item>,
}

impl ParsedFile {
    fn file_error(file: Arc<str>, error: EvidenceError) -> Self {
        Self {
            documents: vec![DocumentEntry {
                file,
                index: 0,
                path: "".into(),
                line: error.line().unwrap_or(0),
                meta: None,
                evidence: None,
                error: Some(error),
            }],
            items: Vec::new(),
        }
    }

    fn push_error(&mut self, file: &Arc<str>, index: usize, line: u32, error: EvidenceError) {
        self.documents.push(DocumentEntry {
            file: file.clone(),
            index,
            path: "".into(),
            line: error.line().unwrap_or(line),
            meta: None,
            evidence: None,
            error: Some(error),
        });
    }

    fn push_item(&mut self, item: Item) {
        let o = &item.origin;
        self.documents.push(DocumentEntry {
            file: o.file.clone(),
            index: o.document,
            path: o.path.clone(),
            line: o.line,
            meta: Some(ObjectMeta {
                api_version: o.api_version.clone(),
                kind: o.kind.clone(),
                name: o.name.clone(),
                namespace: o.namespace.clone(),
            }),
            evidence: Some(item.evidence.kind()),
            error: match &item.evidence {
                Evidence::Invalid(_, e) => Some(e.clone()),
                _ => None,
            },
        });
        self.items.push(item);
    }
}

/// Reads one input's bytes into documents and evidence items. Never panics outward.
///
/// `forced` overrides detection (`--kind`); Dockerfiles are recognised by file name.
pub fn parse_bytes(name: &str, bytes: &[u8], limits: &Limits) -> ParsedFile {
    parse_bytes_as(name, bytes, limits, None)
}

/// [`parse_bytes`] with an explicit evidence kind.
pub fn parse_bytes_as(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    forced: Option<EvidenceKind>,
) -> ParsedFile {
    let file: Arc<str> = Arc::from(name);
    let text = match load::decode(bytes) {
        Ok(t) => t,
        Err(e) => return ParsedFile::file_error(file, e),
    };
    let caught = catch_unwind(AssertUnwindSafe(|| {
        let dockerfile = forced == Some(EvidenceKind::Dockerfile)
            || (forced.is_none() && dockerfile::is_dockerfile_name(name));
        if dockerfile {
            parse_dockerfile(&file, text)
        } else {
            parse_text(&file, text, limits, forced)
        }
    }));
    match caught {
        Ok(parsed) => parsed,
        Err(_) => ParsedFile::file_error(
            file,
            EvidenceError::Internal {
                message: "the parser stopped unexpectedly on this file".to_owned(),
            },
        ),
    }
}

fn parse_dockerfile(file: &Arc<str>, text: &str) -> ParsedFile {
    let facts = dockerfile::parse(text);
    let mut out = ParsedFile::default();
    let kind: Arc<str> = "Dockerfile".into();
    out.push_item(Item {
        origin: Origin {
            file: file.clone(),
            document: 0,
            path: "".into(),
            line: 1,
            subject: Subject::object(&kind, None, None),
            kind,
            api_version: String::new(),
            name: None,
            namespace: None,
        },
        evidence: Evidence::Dockerfile(Box::new(facts)),
    });
    out
}

fn parse_text(
    file: &Arc<str>,
    text: &str,
    limits: &Limits,
    forced: Option<EvidenceKind>,
) -> ParsedFile {
    let mut out = ParsedFile::default();
    for doc in yaml::documents(text, limits) {
        let root = match doc.result {
            Ok(root) => root,
            Err(error) => {
                out.push_error(file, doc.index, doc.line, error);
                continue;
            }
        };
        if root.is_null() {
            continue;
        }
        match k8s::classify(file, doc.index, &root, forced) {
            Err(error) => out.push_error(file, doc.index, root.line, error),
            Ok(items) => items.into_iter().for_each(|i| out.push_item(i)),
        }
    }
    out
}
