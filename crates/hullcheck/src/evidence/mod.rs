//! Evidence: bytes → located documents → typed Kubernetes objects.
//!
//! This module owns reading. It never fails as a whole: every problem becomes a
//! [`DocumentEntry`] with an [`EvidenceError`], and every other document is still read.

pub mod apis;
pub mod dockerfile;
pub mod error;
pub mod exclude;
pub mod image_ref;
pub mod item;
pub mod k8s;
pub mod kinds;
pub mod limits;
pub mod load;
pub mod node;
pub mod pod;
pub mod provenance;
pub mod read;
pub mod scalar;
pub mod skip;
pub mod yaml;
pub mod yaml_compat;
pub mod yaml_fast;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

pub use error::EvidenceError;
pub use image_ref::ImageRef;
pub use item::{Evidence, EvidenceKind, Item, Origin, Subject};
pub use k8s::ObjectMeta;
pub use limits::Limits;
pub use load::{Input, Source, Target};
pub use node::{Node, Value};
pub use pod::{ContainerFacts, ContainerGroup, PodFacts, SecurityOpts, VolumeFacts};
pub use read::{At, Loc};
pub use skip::SkipReason;

/// Where a document sat in the rendered stream it was read from, when a provenance marker
/// (`# Source:` from Helm, Kustomize's origin annotation) placed it at its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The stream's file name (`<stdin>` for a pipe).
    pub file: Arc<str>,
    /// 0-based document index in the stream.
    pub document: usize,
    /// Subtracted from stream lines to give lines inside the rendered document.
    pub line_offset: u32,
}

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
    /// Why the document was skipped, when it is not evidence (never with an error).
    pub skipped: Option<SkipReason>,
    /// Where the document sat in its rendered stream, when it is reported at its source.
    pub rendered: Option<Arc<Rendered>>,
}

/// Everything read from one input.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// One entry per document or object.
    pub documents: Vec<DocumentEntry>,
    /// The evidence items.
    pub items: Vec<Item>,
    /// Documents of a rendered stream reported at their sources, by stream document index.
    pub remaps: Vec<provenance::Remap>,
}

impl ParsedFile {
    /// A file that could not be read at all.
    pub fn file_error(file: Arc<str>, error: EvidenceError) -> Self {
        Self {
            documents: vec![DocumentEntry {
                file,
                index: 0,
                path: "".into(),
                line: error.line().unwrap_or(0),
                meta: None,
                evidence: None,
                error: Some(error),
                skipped: None,
                rendered: None,
            }],
            ..Self::default()
        }
    }

    /// A file that is not evidence.
    pub fn file_skipped(file: Arc<str>, reason: SkipReason) -> Self {
        Self {
            documents: vec![DocumentEntry {
                file,
                index: 0,
                path: "".into(),
                line: 0,
                meta: None,
                evidence: None,
                error: None,
                skipped: Some(reason),
                rendered: None,
            }],
            ..Self::default()
        }
    }

    fn push_error(
        &mut self,
        file: &Arc<str>,
        index: usize,
        line: u32,
        path: Arc<str>,
        error: EvidenceError,
    ) {
        self.documents.push(DocumentEntry {
            file: file.clone(),
            index,
            path,
            line: error.line().unwrap_or(line),
            meta: None,
            evidence: None,
            error: Some(error),
            skipped: None,
            rendered: None,
        });
    }

    fn push_skipped(&mut self, file: &Arc<str>, index: usize, line: u32, reason: SkipReason) {
        self.documents.push(DocumentEntry {
            file: file.clone(),
            index,
            path: "".into(),
            line,
            meta: None,
            evidence: None,
            error: None,
            skipped: Some(reason),
            rendered: None,
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
                suppressions: None,
            }),
            evidence: Some(item.evidence.kind()),
            error: match &item.evidence {
                Evidence::Invalid(_, e) => Some(e.clone()),
                _ => None,
            },
            skipped: match &item.evidence {
                Evidence::OtherKubernetes => Some(SkipReason::KindNotModelled {
                    api_version: o.api_version.clone(),
                    kind: o.kind.to_string(),
                }),
                _ => None,
            },
            rendered: None,
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
        } else if forced.is_none() && kinds::kubelet_flags::is_kubelet_flags_name(name) {
            parse_kubelet_flags(&file, text)
        } else {
            parse_lenient(&file, text, limits, forced)
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
    whole_file(file, "Dockerfile", Evidence::Dockerfile(Box::new(facts)))
}

/// A unit or environment file of kubelet flags, as one kubelet item.
fn parse_kubelet_flags(file: &Arc<str>, text: &str) -> ParsedFile {
    let flags = kinds::kubelet_flags::flags_of_file(text);
    let loc = Loc {
        line: flags.first().map_or(1, |(_, v)| v.loc.line),
        path: "".into(),
    };
    let evidence = match kinds::kubelet_flags::facts_from_flags(&flags, loc) {
        Ok(k) => Evidence::Kubelet(Box::new(k)),
        Err(e) => Evidence::Invalid(EvidenceKind::Kubelet, e),
    };
    whole_file(file, "KubeletFlags", evidence)
}

/// A file that is one item as a whole (no YAML documents): a Dockerfile, a kubelet unit file.
fn whole_file(file: &Arc<str>, kind: &str, evidence: Evidence) -> ParsedFile {
    let mut out = ParsedFile::default();
    let kind: Arc<str> = kind.into();
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
            suppressions: None,
            tree: None,
        },
        evidence,
    });
    out
}

/// [`parse_text`], then, where a document failed only because of something kubectl's reader
/// accepts, again on text adjusted as `yaml_compat` describes (a bounded number of times).
fn parse_lenient(
    file: &Arc<str>,
    text: &str,
    limits: &Limits,
    forced: Option<EvidenceKind>,
) -> ParsedFile {
    let mut parsed = parse_text(file, text, limits, forced);
    let mut owned: Option<String> = None;
    // Each round fixes the first such scalar of every document that has one, so a file costs
    // at most a few more parses however many documents need it.
    for _ in 0..MAX_COMPAT_ROUNDS {
        let mut lines: Vec<u32> = parsed
            .documents
            .iter()
            .filter_map(|d| match &d.error {
                Some(EvidenceError::Syntax { line, message })
                    if message.contains(yaml_compat::QUOTED_INDENT) =>
                {
                    Some(*line)
                }
                _ => None,
            })
            .collect();
        if lines.is_empty() {
            break;
        }
        // Later lines first, so earlier fixes do not move them (no fix adds a line anyway).
        lines.sort_unstable_by(|a, b| b.cmp(a));
        let current = owned.as_deref().unwrap_or(text);
        let mut fixed = current.to_owned();
        for line in lines {
            if let Some(f) = yaml_compat::reindent_quoted(&fixed, line) {
                fixed = f;
            }
        }
        if fixed == current {
            break;
        }
        parsed = parse_text(file, &fixed, limits, forced);
        owned = Some(fixed);
    }
    parsed
}

/// Most re-reads of one file for what kubectl's reader accepts and saphyr's does not.
const MAX_COMPAT_ROUNDS: usize = 8;

fn parse_text(
    file: &Arc<str>,
    text: &str,
    limits: &Limits,
    forced: Option<EvidenceKind>,
) -> ParsedFile {
    let mut out = ParsedFile::default();
    let markers = provenance::Markers::scan(text);
    let mut placer = Placer {
        file,
        markers: &markers,
        sources: provenance::SourceCounter::default(),
    };
    let mut docs = yaml::documents(text, limits).peekable();
    while let Some(doc) = docs.next() {
        let first_entry = out.documents.len();
        // Lines of this document: up to where the next one starts.
        let end = docs.peek().map_or(u32::MAX, |d| d.line);
        let root = match doc.result {
            Ok(root) => root,
            Err(error) => {
                let error = match markers.action_in(doc.line, end, false) {
                    Some(line) if !markers.no_actions() => EvidenceError::HelmUnrendered {
                        line,
                        what: "the document holds Go template actions (`{{ … }}`)".to_owned(),
                        chart: error::chart_dir(file),
                    },
                    _ => error,
                };
                out.push_error(file, doc.index, doc.line, "".into(), error);
                placer.place(&mut out, doc.index, doc.line, None, first_entry);
                continue;
            }
        };
        if root.is_null() {
            continue;
        }
        if let Some(line) = markers.action_in(doc.line, end, true) {
            out.push_error(
                file,
                doc.index,
                root.line,
                "".into(),
                EvidenceError::HelmUnrendered {
                    line,
                    what: "the document holds template actions that name Helm objects (`.Values`, `.Release`, `include`, …)".to_owned(),
                    chart: error::chart_dir(file),
                },
            );
            placer.place(&mut out, doc.index, root.line, None, first_entry);
            continue;
        }
        let tree = Arc::new(root);
        let root = tree.as_ref();
        for outcome in k8s::classify(file, doc.index, root, forced) {
            match outcome {
                k8s::Outcome::Item(mut i) => {
                    if !i.origin.api_version.is_empty() {
                        i.origin.tree = Some(tree.clone());
                    }
                    out.push_item(i)
                }
                k8s::Outcome::Error { line, path, error } => {
                    out.push_error(file, doc.index, line, path, error)
                }
                k8s::Outcome::Skipped { line, reason } => {
                    out.push_skipped(file, doc.index, line, reason)
                }
            }
        }
        let origin = provenance::annotated_origin(root);
        placer.place(&mut out, doc.index, root.line, origin, first_entry);
    }
    if out.documents.is_empty() {
        out.push_skipped(file, 0, 0, SkipReason::Empty);
    }
    out
}

/// Places the documents of a rendered stream at their sources, numbering each source's
/// documents in stream order.
struct Placer<'a> {
    file: &'a Arc<str>,
    markers: &'a provenance::Markers,
    sources: provenance::SourceCounter,
}

impl Placer<'_> {
    /// When a provenance marker names the source of the document starting at `line`, rewrites
    /// the entries from `first_entry` on and keeps a remap for the findings.
    fn place(
        &mut self,
        out: &mut ParsedFile,
        document: usize,
        line: u32,
        annotated: Option<Arc<str>>,
        first_entry: usize,
    ) {
        let (file, markers) = (self.file, self.markers);
        let sources = &mut self.sources;
        let helm = markers.helm_source(line);
        let (source, offset) = match (helm, annotated) {
            (Some((at, path)), _) => (path, at),
            (None, Some(path)) => (path, markers.document_offset(line)),
            (None, None) => return,
        };
        let remap = provenance::Remap {
            stream: file.clone(),
            document,
            source_document: sources.next(&source),
            file: source,
            line_offset: offset,
        };
        let rendered = Arc::new(Rendered {
            file: file.clone(),
            document,
            line_offset: offset,
        });
        for e in out.documents.iter_mut().skip(first_entry) {
            e.file = remap.file.clone();
            e.index = remap.source_document;
            e.line = remap.line(e.line);
            e.rendered = Some(rendered.clone());
        }
        out.remaps.push(remap);
    }
}
