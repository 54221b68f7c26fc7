//! Evidence: bytes → located documents → typed Kubernetes objects.
//!
//! This module owns reading. It never fails as a whole: every problem becomes a
//! [`DocumentEntry`] with an [`EvidenceError`], and every other document is still read.

pub mod error;
pub mod k8s;
pub mod limits;
pub mod load;
pub mod node;
pub mod pod;
pub mod read;
pub mod scalar;
pub mod yaml;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

pub use error::EvidenceError;
pub use k8s::{Content, Object, ObjectMeta};
pub use limits::Limits;
pub use load::Input;
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
    pub path: String,
    /// 1-based line of the document or object (0 when unknown).
    pub line: u32,
    /// Identity, when the document is a Kubernetes object.
    pub meta: Option<ObjectMeta>,
    /// The error, when the document could not be fully read.
    pub error: Option<EvidenceError>,
}

/// A Kubernetes object with the document it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedObject {
    /// The file's reported name.
    pub file: Arc<str>,
    /// 0-based index of the document in its file.
    pub document: usize,
    /// The object.
    pub object: Object,
}

/// Everything read from one input.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// One entry per document or object.
    pub documents: Vec<DocumentEntry>,
    /// The Kubernetes objects.
    pub objects: Vec<LocatedObject>,
}

impl ParsedFile {
    fn file_error(file: Arc<str>, error: EvidenceError) -> Self {
        Self {
            documents: vec![DocumentEntry {
                file,
                index: 0,
                path: String::new(),
                line: error.line().unwrap_or(0),
                meta: None,
                error: Some(error),
            }],
            objects: Vec::new(),
        }
    }
}

/// Reads one input's bytes into documents and objects. Never panics outward.
pub fn parse_bytes(name: &str, bytes: &[u8], limits: &Limits) -> ParsedFile {
    let file: Arc<str> = Arc::from(name);
    let text = match load::decode(bytes) {
        Ok(t) => t,
        Err(e) => return ParsedFile::file_error(file, e),
    };
    let caught = catch_unwind(AssertUnwindSafe(|| parse_text(&file, text, limits)));
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

fn parse_text(file: &Arc<str>, text: &str, limits: &Limits) -> ParsedFile {
    let mut out = ParsedFile::default();
    for doc in yaml::documents(text, limits) {
        let root = match doc.result {
            Ok(root) => root,
            Err(error) => {
                out.documents.push(DocumentEntry {
                    file: file.clone(),
                    index: doc.index,
                    path: String::new(),
                    line: error.line().unwrap_or(doc.line),
                    meta: None,
                    error: Some(error),
                });
                continue;
            }
        };
        if root.is_null() {
            continue;
        }
        match k8s::objects(&root) {
            Err(error) => out.documents.push(DocumentEntry {
                file: file.clone(),
                index: doc.index,
                path: String::new(),
                line: error.line().unwrap_or(root.line),
                meta: None,
                error: Some(error),
            }),
            Ok(objects) => {
                for object in objects {
                    let error = match &object.content {
                        Content::InvalidWorkload(e) => Some(e.clone()),
                        _ => None,
                    };
                    out.documents.push(DocumentEntry {
                        file: file.clone(),
                        index: doc.index,
                        path: object.path.clone(),
                        line: object.line,
                        meta: Some(object.meta.clone()),
                        error,
                    });
                    out.objects.push(LocatedObject {
                        file: file.clone(),
                        document: doc.index,
                        object,
                    });
                }
            }
        }
    }
    out
}
