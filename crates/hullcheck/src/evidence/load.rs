//! Walking paths into an ordered list of inputs, with symlink-loop and size protection.
//!
//! Files named on the command line are read whatever they are (a pipe, `/dev/stdin`, a process
//! substitution), unless their type is never evidence; inside directories only regular files
//! with evidence extensions are read, and everything else met is listed as skipped.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::EvidenceError;
use super::exclude::{Exclusions, WalkOptions};
use super::limits::Limits;
use super::skip::{self, SkipReason};

/// Where an input's bytes come from.
#[derive(Debug)]
pub enum Source<'a> {
    /// Bytes already in memory, owned or borrowed from the caller (never copied).
    Bytes(Cow<'a, [u8]>),
    /// A file to read when it is evaluated (so files are never all held at once).
    File(PathBuf),
    /// Why the input cannot be read.
    Error(EvidenceError),
    /// Why the input is not read at all: it is not evidence.
    Skipped(SkipReason),
}

/// Why an input produced no bytes to parse.
#[derive(Debug)]
pub enum NoBytes {
    /// It could not be read.
    Error(EvidenceError),
    /// It is not evidence.
    Skipped(SkipReason),
}

/// One file to evaluate: its display name and where its bytes come from.
#[derive(Debug)]
pub struct Input<'a> {
    /// The name reported for the file (its path as given, or a caller-chosen name).
    pub name: String,
    /// The file's bytes, or where to read them.
    pub source: Source<'a>,
}

impl<'a> Input<'a> {
    /// The input's bytes: read now when it is a file, bounded by `limits`.
    pub fn into_bytes(self, limits: &Limits) -> Result<Cow<'a, [u8]>, NoBytes> {
        match self.source {
            Source::Bytes(b) => Ok(b),
            Source::Error(e) => Err(NoBytes::Error(e)),
            Source::Skipped(s) => Err(NoBytes::Skipped(s)),
            Source::File(path) => read_bounded(&path, limits)
                .map(Cow::Owned)
                .map_err(NoBytes::Error),
        }
    }
}

/// What to evaluate: a path, standard input, or bytes the caller holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A file or directory.
    Path(PathBuf),
    /// Standard input, read once and named `<stdin>` (the CLI's `-`).
    Stdin,
    /// Bytes the caller already holds (for example a renderer's output), under a name.
    Document {
        /// The name reported as the file.
        name: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// An input the caller could not produce, reported as a located error under a name.
    Failed {
        /// The name reported as the file.
        name: String,
        /// Why.
        error: EvidenceError,
    },
}

/// True when a file is read during directory walks: `.yaml`, `.yml`, `.json`, Dockerfiles, and
/// the files that carry kubelet flags.
pub fn is_evidence_file(path: &Path) -> bool {
    if path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(super::dockerfile::is_dockerfile_name)
        || path
            .to_str()
            .is_some_and(super::kinds::kubelet_flags::is_kubelet_flags_name)
    {
        return true;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
        .unwrap_or(false)
}

/// A path given for evaluation that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("path `{}` does not exist", .0.display())]
pub struct MissingPath(pub std::path::PathBuf);

impl MissingPath {
    /// The stable dotted code.
    pub fn code(&self) -> &'static str {
        "evidence.missing_path"
    }
}

/// Fails on the first of `paths` that does not exist (`-`, standard input, is not a path).
/// [`crate::Engine::evaluate_paths`] reports such a path as a document error
/// (`evidence.not_found`, so the result is `error`); the CLI and the Python and Node bindings
/// call this first and refuse the evaluation instead, as callers that want that strictness
/// should.
pub fn check_paths(paths: &[std::path::PathBuf]) -> Result<(), MissingPath> {
    match paths.iter().find(|p| p.as_os_str() != "-" && !p.exists()) {
        Some(p) => Err(MissingPath(p.clone())),
        None => Ok(()),
    }
}

/// Expands files and directories (recursively, in sorted order) into inputs.
///
/// Files named explicitly are read, pipes and devices included (those at once, bounded, in
/// argument order), unless their extension is never evidence and `any_type` is false; inside
/// directories only regular files with evidence extensions are read, and the other files are
/// listed as skipped. Returns the inputs and the paths that do not exist at all.
pub fn collect(
    targets: &[Target],
    limits: &Limits,
    any_type: bool,
    walk_options: &WalkOptions,
) -> (Vec<Input<'static>>, Vec<PathBuf>) {
    // The options were resolved before (which refuses a bad glob); should the matcher still
    // fail, every named path is refused rather than read unfiltered.
    let mut excl = match Exclusions::new(walk_options) {
        Ok(e) => e,
        Err(e) => {
            let out = targets
                .iter()
                .map(|t| Input {
                    name: match t {
                        Target::Path(p) => display(p),
                        _ => "<input>".to_owned(),
                    },
                    source: Source::Error(EvidenceError::Directory {
                        message: e.to_string(),
                    }),
                })
                .collect();
            return (out, Vec::new());
        }
    };
    let mut out = Vec::new();
    let mut missing = Vec::new();
    let mut total: u64 = 0;
    let mut stdin_read = false;
    for target in targets {
        let path = match target {
            Target::Path(p) => p,
            Target::Document { name, bytes } => {
                let size = bytes.len() as u64;
                let source = if size > limits.max_file_bytes {
                    Source::Error(EvidenceError::FileTooLarge {
                        size,
                        limit: limits.max_file_bytes,
                    })
                } else if total.saturating_add(size) > limits.max_total_bytes {
                    Source::Error(EvidenceError::TotalTooLarge {
                        limit: limits.max_total_bytes,
                    })
                } else {
                    total = total.saturating_add(size);
                    Source::Bytes(Cow::Owned(bytes.clone()))
                };
                out.push(Input {
                    name: name.clone(),
                    source,
                });
                continue;
            }
            Target::Failed { name, error } => {
                out.push(Input {
                    name: name.clone(),
                    source: Source::Error(error.clone()),
                });
                continue;
            }
            Target::Stdin => {
                // Standard input can be read once; naming it twice reads it once.
                if !std::mem::replace(&mut stdin_read, true) {
                    let mut input = read_stdin(limits);
                    if let Source::Bytes(b) = &input.source {
                        let size = b.len() as u64;
                        if total.saturating_add(size) > limits.max_total_bytes {
                            input.source = Source::Error(EvidenceError::TotalTooLarge {
                                limit: limits.max_total_bytes,
                            });
                        } else {
                            total = total.saturating_add(size);
                        }
                    }
                    out.push(input);
                }
                continue;
            }
        };
        match fs::metadata(path) {
            Err(_) => {
                if fs::symlink_metadata(path).is_ok() {
                    out.push(Input {
                        name: display(path),
                        source: Source::Error(EvidenceError::Io {
                            message: "broken symbolic link".to_owned(),
                        }),
                    });
                } else {
                    missing.push(path.clone());
                }
            }
            Ok(meta) if excl.glob(path, meta.is_dir()).is_some() => {
                let by = excl
                    .glob(path, meta.is_dir())
                    .map(|e| e.describe())
                    .unwrap_or_default();
                out.push(Input {
                    name: display(path),
                    source: Source::Skipped(SkipReason::Excluded { by }),
                });
            }
            Ok(meta) if meta.is_dir() => {
                let mut ancestors = BTreeSet::new();
                let mut w = Walk {
                    limits,
                    total: &mut total,
                    ancestors: &mut ancestors,
                    out: &mut out,
                    excl: &mut excl,
                };
                w.walk(path, None);
            }
            Ok(meta) => match skip::named_file_skip(path).filter(|_| !any_type) {
                Some(reason) => out.push(Input {
                    name: display(path),
                    source: Source::Skipped(reason),
                }),
                None if !meta.is_file() => out.push(read_stream(path, limits, &mut total)),
                None => out.push(read_file(path, limits, &mut total)),
            },
        }
    }
    (out, missing)
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The file names that make a directory a Helm chart or a Kustomize kustomization.
const CHART_FILE: &str = "Chart.yaml";
const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// A directory that must be rendered before it is evidence, with the file that says so.
fn unrendered(dir: &Path, children: &[PathBuf]) -> Option<(PathBuf, SkipReason)> {
    let named = |n: &str| {
        children
            .iter()
            .find(|c| c.file_name().is_some_and(|f| f == n))
    };
    let dir = display(dir);
    if let Some(chart) = named(CHART_FILE) {
        return Some((chart.clone(), SkipReason::PartOfChart { dir }));
    }
    KUSTOMIZATION_FILES
        .iter()
        .find_map(|n| named(n))
        .map(|k| (k.clone(), SkipReason::PartOfKustomization { dir }))
}

/// One directory walk's state.
struct Walk<'a> {
    limits: &'a Limits,
    total: &'a mut u64,
    ancestors: &'a mut BTreeSet<PathBuf>,
    out: &'a mut Vec<Input<'static>>,
    excl: &'a mut Exclusions,
}

impl Walk<'_> {
    fn walk(&mut self, dir: &Path, within: Option<&SkipReason>) {
        let canonical = match fs::canonicalize(dir) {
            Ok(c) => c,
            Err(e) => {
                self.out.push(Input {
                    name: display(dir),
                    source: Source::Error(EvidenceError::Directory {
                        message: e.to_string(),
                    }),
                });
                return;
            }
        };
        if self.ancestors.contains(&canonical) {
            self.out.push(Input {
                name: display(dir),
                source: Source::Error(EvidenceError::SymlinkLoop {
                    target: display(&canonical),
                }),
            });
            return;
        }
        let entries = match fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                self.out.push(Input {
                    name: display(dir),
                    source: Source::Error(EvidenceError::Directory {
                        message: e.to_string(),
                    }),
                });
                return;
            }
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        self.ancestors.insert(canonical.clone());
        self.excl.enter(dir);
        // A chart or kustomization is judged only once rendered: its marker file is read (and is
        // an `unrendered` error), every other file in it is skipped as a part of it.
        let found = match within {
            Some(_) => None,
            None => unrendered(dir, &children),
        };
        let (marker, within) = match &found {
            Some((m, reason)) => (Some(m), Some(reason)),
            None => (None, within),
        };
        for child in children {
            let hidden = child
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            let is_dir = fs::metadata(&child).is_ok_and(|m| m.is_dir());
            if let Some(e) = self.excl.walked(&child, is_dir) {
                self.out.push(Input {
                    name: display(&child),
                    source: Source::Skipped(SkipReason::Excluded { by: e.describe() }),
                });
                continue;
            }
            if let Some(reason) = within.filter(|_| marker != Some(&child)) {
                if is_dir {
                    self.walk(&child, Some(reason));
                } else {
                    self.out.push(Input {
                        name: display(&child),
                        source: Source::Skipped(reason.clone()),
                    });
                }
                continue;
            }
            match fs::metadata(&child) {
                Ok(meta) if meta.is_dir() => self.walk(&child, within),
                // Pipes, sockets and devices could block or never end: in a walk they are not read.
                Ok(meta) if !meta.is_file() => self.out.push(Input {
                    name: display(&child),
                    source: Source::Skipped(SkipReason::NotRegularFile),
                }),
                Ok(_) => self.out.push(if is_evidence_file(&child) {
                    read_file(&child, self.limits, self.total)
                } else {
                    Input {
                        name: display(&child),
                        source: Source::Skipped(skip::walked_file_skip(&child)),
                    }
                }),
                Err(e) => {
                    if is_evidence_file(&child) || fs::symlink_metadata(&child).is_ok() {
                        self.out.push(Input {
                            name: display(&child),
                            source: Source::Error(EvidenceError::Io {
                                message: e.to_string(),
                            }),
                        });
                    }
                }
            }
        }
        self.excl.leave();
        self.ancestors.remove(&canonical);
    }
}

/// Plans the read of a file: sizes are checked now (in walk order, so the total limit is
/// deterministic) and the bytes are read later, by the worker that parses them.
fn read_file(path: &Path, limits: &Limits, total: &mut u64) -> Input<'static> {
    let name = display(path);
    let size = match fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => {
            return Input {
                name,
                source: Source::Error(EvidenceError::Io {
                    message: e.to_string(),
                }),
            }
        }
    };
    if size > limits.max_file_bytes {
        return Input {
            name,
            source: Source::Error(EvidenceError::FileTooLarge {
                size,
                limit: limits.max_file_bytes,
            }),
        };
    }
    if total.saturating_add(size) > limits.max_total_bytes {
        return Input {
            name,
            source: Source::Error(EvidenceError::TotalTooLarge {
                limit: limits.max_total_bytes,
            }),
        };
    }
    *total = total.saturating_add(size);
    Input {
        name,
        source: Source::File(path.to_path_buf()),
    }
}

/// Reads a pipe, device or socket named on the command line at once, in argument order, so the
/// total limit stays deterministic: never more than `limits.max_file_bytes`.
fn read_stream(path: &Path, limits: &Limits, total: &mut u64) -> Input<'static> {
    let name = display(path);
    let source = match read_bounded(path, limits) {
        Err(e) => Source::Error(e),
        Ok(bytes) => {
            let size = bytes.len() as u64;
            if total.saturating_add(size) > limits.max_total_bytes {
                Source::Error(EvidenceError::TotalTooLarge {
                    limit: limits.max_total_bytes,
                })
            } else {
                *total = total.saturating_add(size);
                Source::Bytes(Cow::Owned(bytes))
            }
        }
    };
    Input { name, source }
}

/// Reads standard input once, never more than `limits.max_file_bytes` (one byte more is read to
/// know the limit was passed); the input is named `<stdin>`.
pub fn read_stdin(limits: &Limits) -> Input<'static> {
    read_stream_as(STDIN_NAME, std::io::stdin().lock(), limits)
}

/// Reads a stream to its end under a name, never more than `limits.max_file_bytes`.
pub fn read_stream_as(name: &str, reader: impl Read, limits: &Limits) -> Input<'static> {
    let mut buf = Vec::new();
    let read = reader
        .take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut buf);
    let source = match read {
        Err(e) => Source::Error(EvidenceError::Io {
            message: e.to_string(),
        }),
        Ok(n) if n as u64 > limits.max_file_bytes => Source::Error(EvidenceError::FileTooLarge {
            size: n as u64,
            limit: limits.max_file_bytes,
        }),
        Ok(_) => Source::Bytes(Cow::Owned(buf)),
    };
    Input {
        name: name.to_owned(),
        source,
    }
}

/// The name standard input is reported under.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads a file, never more than `limits.max_file_bytes` (files that grow are caught too).
fn read_bounded(path: &Path, limits: &Limits) -> Result<Vec<u8>, EvidenceError> {
    let file = fs::File::open(path).map_err(|e| EvidenceError::Io {
        message: e.to_string(),
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut buf = Vec::with_capacity(usize::try_from(size.min(limits.max_file_bytes)).unwrap_or(0));
    file.take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| EvidenceError::Io {
            message: e.to_string(),
        })?;
    let read = buf.len() as u64;
    if read > limits.max_file_bytes {
        return Err(EvidenceError::FileTooLarge {
            size: read,
            limit: limits.max_file_bytes,
        });
    }
    Ok(buf)
}

/// Decodes bytes as UTF-8 (a leading byte-order mark is dropped), locating the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<&str, EvidenceError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes
            .get(..offset)
            .map(|b| b.iter().filter(|c| **c == b'\n').count() + 1)
            .unwrap_or(1);
        EvidenceError::InvalidUtf8 {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            offset,
        }
    })
}
