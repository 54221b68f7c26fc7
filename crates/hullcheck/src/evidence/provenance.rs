//! Where a rendered document came from: the markers `helm template` and `kustomize build` write,
//! and the Go template actions that show a document was never rendered.
//!
//! - `helm template` writes `# Source: CHART/templates/FILE.yaml` before each document.
//! - `kubectl kustomize` / `kustomize build` with `buildMetadata: [originAnnotations]` write the
//!   annotation `config.kubernetes.io/origin` (a YAML text with `path`, or `configuredIn` for a
//!   generated object, and `repo`/`ref` for a remote base). kyaml's functions write
//!   `config.kubernetes.io/path` (and the `internal.config.kubernetes.io/path` form).
//!
//! A document with a source is reported at that source, with lines counted inside the rendered
//! document (line 1 is the first line after the marker, or after the `---` before it).

use std::sync::Arc;

use super::node::Node;

/// Helm-only names inside a template action: a document that still holds one was not rendered.
/// Go templates that rendered manifests carry on purpose (Alertmanager's `{{ .Labels.x }}` and
/// `{{ template "slack.title" . }}`, Argo's `{{inputs.parameters.x}}`) use none of them, so
/// Go's own `template` and `define` are not among them.
const HELM_MARKERS: &[&str] = &[
    ".Values.",
    ".Release.",
    ".Chart.",
    ".Capabilities.",
    ".Files.",
    "include \"",
    "tpl ",
    "toYaml ",
    "required \"",
];

/// The annotations that name a document's origin, best first.
const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";
const PATH_ANNOTATIONS: &[&str] = &[
    "config.kubernetes.io/path",
    "internal.config.kubernetes.io/path",
];

/// Line facts of one text, found in one pass (only when the text can hold any of them).
#[derive(Debug, Default)]
pub struct Markers {
    /// Lines (1-based) that are a `---` document marker.
    separators: Vec<u32>,
    /// `# Source:` comments: line and path.
    sources: Vec<(u32, Arc<str>)>,
    /// Lines holding `{{`, and whether the action names a Helm-only object.
    actions: Vec<(u32, bool)>,
}

impl Markers {
    /// Scans `text` for document markers, `# Source:` comments and template actions. Plain
    /// manifests cost three substring searches; the lines are counted only up to what is found.
    pub fn scan(text: &str) -> Self {
        use memchr::memmem;
        let bytes = text.as_bytes();
        let has_source = memmem::find(bytes, b"# Source: ").is_some();
        let has_action = memmem::find(bytes, b"{{").is_some();
        let has_origin = memmem::find(bytes, b"config.kubernetes.io/").is_some();
        let mut m = Self::default();
        if !has_source && !has_action && !has_origin {
            return m;
        }
        let line_start = |at: usize| at == 0 || bytes.get(at - 1) == Some(&b'\n');
        // (offset, what): 0 a separator, 1 a source comment, 2 a template action.
        let mut found: Vec<(usize, u8)> = Vec::new();
        if has_source || has_origin {
            found.extend(
                memmem::find_iter(bytes, b"---")
                    .filter(|at| {
                        line_start(*at)
                            && matches!(
                                bytes.get(at + 3),
                                None | Some(b' ' | b'\t' | b'\r' | b'\n')
                            )
                    })
                    .map(|at| (at, 0)),
            );
        }
        if has_source {
            found.extend(
                memmem::find_iter(bytes, b"# Source: ")
                    .filter(|at| line_start(*at))
                    .map(|at| (at, 1)),
            );
        }
        if has_action {
            found.extend(memmem::find_iter(bytes, b"{{").map(|at| (at, 2)));
        }
        found.sort_unstable();
        let (mut line, mut counted) = (1u32, 0usize);
        for (at, what) in found {
            let gap = bytes.get(counted..at).unwrap_or_default();
            let breaks = memchr::memchr_iter(b'\n', gap).count();
            line = line.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
            counted = at;
            let end = memchr::memchr(b'\n', bytes.get(at..).unwrap_or_default())
                .map_or(bytes.len(), |e| at + e);
            let rest = text.get(at..end).unwrap_or_default();
            match what {
                0 => m.separators.push(line),
                1 => {
                    let path = rest.trim_start_matches("# Source: ").trim();
                    if !path.is_empty() {
                        m.sources.push((line, path.into()));
                    }
                }
                _ => {
                    // One entry per line: the first action decides, or a later Helm one.
                    let helm = HELM_MARKERS.iter().any(|h| rest.contains(h));
                    match m.actions.last_mut() {
                        Some((l, h)) if *l == line => *h |= helm,
                        _ => m.actions.push((line, helm)),
                    }
                }
            }
        }
        m
    }

    /// True when no template action was found.
    pub fn no_actions(&self) -> bool {
        self.actions.is_empty()
    }

    /// The last `---` marker on or before `line` (0 when there is none).
    fn separator_before(&self, line: u32) -> u32 {
        let i = self.separators.partition_point(|s| *s <= line);
        i.checked_sub(1)
            .and_then(|i| self.separators.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// The `# Source:` comment that heads the document whose content starts at `line`: the last
    /// one before it and after the document marker before it.
    pub fn helm_source(&self, line: u32) -> Option<(u32, Arc<str>)> {
        let sep = self.separator_before(line);
        let i = self.sources.partition_point(|(l, _)| *l < line);
        let (at, path) = self.sources.get(i.checked_sub(1)?)?;
        (*at > sep).then(|| (*at, path.clone()))
    }

    /// The first template action in lines `[from, to)`; with `helm_only`, only actions that
    /// name a Helm object count.
    pub fn action_in(&self, from: u32, to: u32, helm_only: bool) -> Option<u32> {
        let i = self.actions.partition_point(|(l, _)| *l < from);
        self.actions
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|(l, _)| *l < to)
            .find(|(_, h)| *h || !helm_only)
            .map(|(l, _)| *l)
    }

    /// The line the document containing `line` starts after: its `---` marker (0 for the first
    /// document without one).
    pub fn document_offset(&self, line: u32) -> u32 {
        self.separator_before(line)
    }
}

/// The path an object's origin annotations name (kustomize's `config.kubernetes.io/origin`,
/// or kyaml's path annotations).
pub fn annotated_origin(root: &Node) -> Option<Arc<str>> {
    let annotations = root.get("metadata")?.get("annotations")?;
    if let Some(origin) = annotations.get(ORIGIN_ANNOTATION).and_then(Node::as_str) {
        if let Some(p) = origin_path(origin) {
            return Some(p.into());
        }
    }
    PATH_ANNOTATIONS
        .iter()
        .find_map(|k| annotations.get(k).and_then(Node::as_str))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Into::into)
}

/// Reads `path` (or `configuredIn` for generated objects) from kustomize's origin text, with the
/// remote `repo` and `ref` when there are any (`repo//path?ref=REF`, as kustomize spells remote
/// resources).
fn origin_path(origin: &str) -> Option<String> {
    let field = |key: &str| {
        origin.lines().find_map(|l| {
            let v = l.strip_prefix(key)?.strip_prefix(':')?.trim();
            (!v.is_empty()).then(|| v.trim_matches(|c| c == '"' || c == '\'').to_owned())
        })
    };
    let path = field("path").or_else(|| field("configuredIn"))?;
    Some(match (field("repo"), field("ref")) {
        (Some(repo), Some(r)) => format!("{repo}//{path}?ref={r}"),
        (Some(repo), None) => format!("{repo}//{path}"),
        _ => path,
    })
}

/// Where a document of a rendered stream is reported: its source file, its index among the
/// documents of that source, and the line before its first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remap {
    /// The stream's file name.
    pub stream: Arc<str>,
    /// The document's index in the stream.
    pub document: usize,
    /// The source (template or kustomize resource) path.
    pub file: Arc<str>,
    /// The document's index among the stream's documents from the same source.
    pub source_document: usize,
    /// Subtracted from stream lines to give lines inside the rendered document.
    pub line_offset: u32,
}

impl Remap {
    /// A stream line as a line inside the rendered document (at least 1).
    pub fn line(&self, line: u32) -> u32 {
        if line == 0 {
            0
        } else {
            line.saturating_sub(self.line_offset).max(1)
        }
    }
}

/// Counts the documents seen per source, to number each source's documents in stream order.
#[derive(Debug, Default)]
pub struct SourceCounter(std::collections::HashMap<Arc<str>, usize>);

impl SourceCounter {
    /// The next index for `source`.
    pub fn next(&mut self, source: &Arc<str>) -> usize {
        let n = self.0.entry(source.clone()).or_insert(0);
        let i = *n;
        *n += 1;
        i
    }
}
