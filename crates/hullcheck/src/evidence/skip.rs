//! Why an input or document was passed over without being an error: it is not evidence.
//!
//! A skipped document never fails the gate, unlike an [`super::EvidenceError`]: a Helm
//! `values.yaml`, a `package.json`, a README met while walking or a Kubernetes kind no control
//! reads is not evidence that could not be read, it is simply no evidence.

use std::path::Path;

/// Why an input or document was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A file met while walking a directory whose type is not evidence (by its extension).
    FileType {
        /// The file's extension, or empty when it has none.
        extension: String,
    },
    /// A pipe, socket or device met while walking a directory (it could block).
    NotRegularFile,
    /// A YAML or JSON document with no `apiVersion`/`kind` and no known tool-output fields.
    NotEvidence {
        /// What the document was.
        what: String,
    },
    /// A Kubernetes object of a kind no control reads.
    KindNotModelled {
        /// `apiVersion`.
        api_version: String,
        /// `kind`.
        kind: String,
    },
    /// A file with no document in it (empty, or only comments).
    Empty,
    /// A file or directory left out by an exclusion rule (`--exclude`, an ignore file, or a
    /// directory skipped by default).
    Excluded {
        /// The rule, as a clause (`excluded by `--exclude x``).
        by: String,
    },
    /// A file inside a Helm chart directory, which is judged only once rendered.
    PartOfChart {
        /// The chart directory.
        dir: String,
    },
    /// A file inside a Kustomize directory, which is judged only once built.
    PartOfKustomization {
        /// The kustomization's directory.
        dir: String,
    },
}

impl SkipReason {
    /// The stable dotted code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::FileType { .. } => "skipped.file_type",
            Self::NotRegularFile => "skipped.not_regular_file",
            Self::NotEvidence { .. } => "skipped.not_evidence",
            Self::KindNotModelled { .. } => "skipped.kind_not_modelled",
            Self::Empty => "skipped.empty",
            Self::Excluded { .. } => "skipped.excluded",
            Self::PartOfChart { .. } => "skipped.helm_chart_file",
            Self::PartOfKustomization { .. } => "skipped.kustomization_file",
        }
    }

    /// A lowercase sentence on why the input was skipped.
    pub fn reason(&self) -> String {
        match self {
            Self::FileType { extension } if extension.is_empty() => {
                "not an evidence file type (only `.yaml`, `.yml`, `.json`, Dockerfiles and kubelet unit and flags files are read in directories)".to_owned()
            }
            Self::FileType { extension } => format!(
                "`.{extension}` is not an evidence file type (only `.yaml`, `.yml`, `.json`, Dockerfiles and kubelet unit and flags files are read in directories)"
            ),
            Self::NotRegularFile => {
                "not a regular file (pipes, sockets and devices are read only when named on the command line)".to_owned()
            }
            Self::NotEvidence { what } => format!(
                "{what}: no `apiVersion` and `kind`, and no known tool-output fields"
            ),
            Self::KindNotModelled { api_version, kind } => {
                format!("`{kind}` (`{api_version}`) is a kind no control reads")
            }
            Self::Empty => "the file holds no document".to_owned(),
            Self::Excluded { by } => by.clone(),
            Self::PartOfChart { dir } => format!(
                "a file of the helm chart `{dir}`, judged only once rendered (see the error on its `Chart.yaml`)"
            ),
            Self::PartOfKustomization { dir } => format!(
                "a file of the kustomization in `{dir}`, judged only once built (see the error on its kustomization)"
            ),
        }
    }
}

/// Extensions that are never parsed as YAML, even when a file is named on the command line:
/// documentation, images, archives, templates and source code.
const NEVER_EVIDENCE: &[&str] = &[
    "md", "markdown", "rst", "adoc", "asciidoc", "png", "jpg", "jpeg", "gif", "svg", "ico", "webp",
    "bmp", "pdf", "zip", "gz", "tgz", "tar", "xz", "bz2", "html", "htm", "css", "js", "mjs", "ts",
    "py", "go", "rs", "sh", "tpl", "toml", "lock", "mod", "sum",
];

/// When a file named on the command line is of a type that is never evidence, why it is
/// skipped. Files without an extension (such as `/dev/stdin`) are read.
pub fn named_file_skip(path: &Path) -> Option<SkipReason> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    NEVER_EVIDENCE
        .contains(&ext.as_str())
        .then_some(SkipReason::FileType { extension: ext })
}

/// Why a file met while walking is skipped, by its extension.
pub fn walked_file_skip(path: &Path) -> SkipReason {
    SkipReason::FileType {
        extension: path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_owned(),
    }
}
