//! Errors found while reading evidence; each becomes a located entry in the report's `documents`.

use thiserror::Error;

/// Why a file or document could not be turned into evidence.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EvidenceError {
    /// The file could not be read.
    #[error("cannot read file: {message}")]
    Io {
        /// The operating system's message.
        message: String,
    },
    /// A directory could not be listed.
    #[error("cannot read directory: {message}")]
    Directory {
        /// The operating system's message.
        message: String,
    },
    /// A directory symlink leads back to one of its ancestors.
    #[error("symbolic link loop: `{target}` is already being read")]
    SymlinkLoop {
        /// The directory the link resolves to.
        target: String,
    },
    /// The path does not exist.
    #[error("path does not exist")]
    NotFound,
    /// The file is larger than the configured limit.
    #[error("file is {size} bytes, over the limit of {limit} bytes")]
    FileTooLarge {
        /// Size of the file.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// All input together passed the configured limit.
    #[error("total input passed the limit of {limit} bytes; file not read")]
    TotalTooLarge {
        /// The limit.
        limit: u64,
    },
    /// The file is not valid UTF-8.
    #[error("invalid UTF-8 at line {line}, byte offset {offset}")]
    InvalidUtf8 {
        /// 1-based line of the first invalid byte.
        line: u32,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The text is not valid YAML or JSON.
    #[error("syntax error at line {line}: {message}")]
    Syntax {
        /// 1-based line of the error.
        line: u32,
        /// The parser's description.
        message: String,
    },
    /// Nesting deeper than the configured limit.
    #[error("nesting deeper than {limit} levels at line {line}")]
    TooDeep {
        /// 1-based line where the limit was passed.
        line: u32,
        /// The limit.
        limit: usize,
    },
    /// Aliases expand to more nodes than allowed.
    #[error("aliases expand to more than {limit} nodes at line {line}")]
    AliasBudget {
        /// 1-based line of the alias that passed the limit.
        line: u32,
        /// The limit.
        limit: usize,
    },
    /// An alias names no anchor seen before it in the document.
    #[error("alias at line {line} refers to no earlier anchor")]
    UnknownAlias {
        /// 1-based line of the alias.
        line: u32,
    },
    /// The same key appears twice in one mapping.
    #[error("duplicate key `{key}` at line {line}")]
    DuplicateKey {
        /// 1-based line of the second occurrence.
        line: u32,
        /// The key.
        key: String,
    },
    /// A mapping key is itself a list or mapping.
    #[error("complex mapping key at line {line} is not supported")]
    ComplexKey {
        /// 1-based line of the key.
        line: u32,
    },
    /// More documents in one file than allowed.
    #[error("more than {limit} documents in one file (from line {line})")]
    TooManyDocuments {
        /// 1-based line of the first document over the limit.
        line: u32,
        /// The limit.
        limit: usize,
    },
    /// The document is not an evidence type hullcheck knows.
    #[error("not a recognised evidence document: {reason}")]
    Unrecognized {
        /// 1-based line of the document.
        line: u32,
        /// Why it was not recognised.
        reason: String,
    },
    /// A field has the wrong type for its Kubernetes schema.
    #[error("`{path}` at line {line} must be {expected}, found {found}")]
    WrongType {
        /// 1-based line of the field.
        line: u32,
        /// JSON pointer to the field.
        path: String,
        /// The expected type.
        expected: &'static str,
        /// The type found.
        found: &'static str,
    },
    /// A field Kubernetes requires is absent.
    #[error("required field `{path}` is missing (object at line {line})")]
    MissingField {
        /// 1-based line of the object.
        line: u32,
        /// JSON pointer of the missing field.
        path: String,
    },
    /// A Helm chart or template that was never rendered: its objects are not known until it is.
    #[error("unrendered helm template: {what}; render the chart first: `helm template {chart} | hullcheck evaluate -`, or `hullcheck evaluate --render {chart}`")]
    HelmUnrendered {
        /// 1-based line of the first template action, or of the chart's metadata.
        line: u32,
        /// What was found.
        what: String,
        /// The chart directory, as far as the file's path tells (`CHART` when it does not).
        chart: String,
    },
    /// A Kustomize kustomization that was never built: its objects are not known until it is.
    #[error("unbuilt kustomization: the objects it makes are not in this file; build it first: `kubectl kustomize {dir} | hullcheck evaluate -`, or `hullcheck evaluate --render {dir}`")]
    KustomizeUnrendered {
        /// 1-based line of the kustomization.
        line: u32,
        /// The kustomization's directory.
        dir: String,
    },
    /// A built-in kind under an API version that never served it (`v1` Deployment).
    #[error("`{kind}` is not served by `{api_version}` (it is served by {served}); the document was not read as some other object")]
    UnservedApiVersion {
        /// 1-based line of the object.
        line: u32,
        /// The kind.
        kind: String,
        /// The API version given.
        api_version: String,
        /// The versions that serve the kind, quoted and comma-separated.
        served: String,
    },
    /// `--render` needs a renderer that is not on `PATH`.
    #[error("cannot render: `{tool}` was not found on PATH; install it, or render the directory yourself and pipe the output to `hullcheck evaluate -`")]
    RendererMissing {
        /// The program.
        tool: String,
    },
    /// `--render` ran the renderer and it failed.
    #[error("`{tool}` failed: {message}")]
    RenderFailed {
        /// The command.
        tool: String,
        /// What went wrong (exit status and its first lines of stderr, or the timeout).
        message: String,
    },
    /// A kubelet command-line flag whose value the kubelet would refuse.
    #[error("kubelet flag `--{flag}` is `{value}`, which is not {expected}; the kubelet refuses to start with it (line {line})")]
    BadFlag {
        /// 1-based line of the flag.
        line: u32,
        /// The flag, without dashes.
        flag: String,
        /// The value given.
        value: String,
        /// What the flag takes.
        expected: &'static str,
    },
    /// The parser failed internally; the document is skipped.
    #[error("internal parser failure: {message}")]
    Internal {
        /// What was caught.
        message: String,
    },
}

/// The chart directory a Helm file's path shows: the folder holding `templates/`, or the one
/// `CHART` when the path does not show it.
pub fn chart_dir(file: &str) -> String {
    if let Some(i) = file.rfind("/templates/") {
        return file.get(..i).unwrap_or("CHART").to_owned();
    }
    if file.starts_with("templates/") {
        return ".".to_owned();
    }
    "CHART".to_owned()
}

/// The folder of a file's path (`.` for a bare name), or `None` for a stream (`<stdin>`).
pub fn parent_dir(file: &str) -> Option<String> {
    if file.starts_with('<') {
        return None;
    }
    Some(match file.rfind(['/', '\\']) {
        Some(0) => "/".to_owned(),
        Some(i) => file.get(..i).unwrap_or(".").to_owned(),
        None => ".".to_owned(),
    })
}

impl EvidenceError {
    /// The stable dotted code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "evidence.io",
            Self::Directory { .. } => "evidence.directory",
            Self::SymlinkLoop { .. } => "evidence.symlink_loop",
            Self::NotFound => "evidence.not_found",
            Self::FileTooLarge { .. } => "evidence.limit.file_size",
            Self::TotalTooLarge { .. } => "evidence.limit.total_size",
            Self::InvalidUtf8 { .. } => "evidence.encoding.utf8",
            Self::Syntax { .. } => "evidence.syntax",
            Self::TooDeep { .. } => "evidence.limit.depth",
            Self::AliasBudget { .. } => "evidence.limit.alias_expansion",
            Self::UnknownAlias { .. } => "evidence.syntax.unknown_alias",
            Self::DuplicateKey { .. } => "evidence.syntax.duplicate_key",
            Self::ComplexKey { .. } => "evidence.syntax.complex_key",
            Self::TooManyDocuments { .. } => "evidence.limit.documents",
            Self::Unrecognized { .. } => "evidence.unrecognized",
            Self::WrongType { .. } => "evidence.kubernetes.wrong_type",
            Self::MissingField { .. } => "evidence.kubernetes.missing_field",
            Self::HelmUnrendered { .. } => "evidence.helm.unrendered",
            Self::KustomizeUnrendered { .. } => "evidence.kustomize.unrendered",
            Self::UnservedApiVersion { .. } => "evidence.kubernetes.unserved_api_version",
            Self::RendererMissing { .. } => "evidence.render.missing_renderer",
            Self::RenderFailed { .. } => "evidence.render.failed",
            Self::BadFlag { .. } => "evidence.kubelet.bad_flag",
            Self::Internal { .. } => "evidence.internal",
        }
    }

    /// The 1-based line the error points at, when it has one.
    pub fn line(&self) -> Option<u32> {
        match self {
            Self::InvalidUtf8 { line, .. }
            | Self::Syntax { line, .. }
            | Self::TooDeep { line, .. }
            | Self::AliasBudget { line, .. }
            | Self::UnknownAlias { line }
            | Self::DuplicateKey { line, .. }
            | Self::ComplexKey { line }
            | Self::TooManyDocuments { line, .. }
            | Self::Unrecognized { line, .. }
            | Self::WrongType { line, .. }
            | Self::MissingField { line, .. }
            | Self::HelmUnrendered { line, .. }
            | Self::KustomizeUnrendered { line, .. }
            | Self::UnservedApiVersion { line, .. }
            | Self::BadFlag { line, .. } => Some(*line).filter(|l| *l > 0),
            _ => None,
        }
    }

    /// The JSON pointer the error points at, when it has one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::WrongType { path, .. } | Self::MissingField { path, .. } => Some(path),
            _ => None,
        }
    }
}
