//! Walking paths into an ordered list of inputs, with symlink-loop and size protection.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::EvidenceError;
use super::limits::Limits;

/// Where an input's bytes come from.
#[derive(Debug)]
pub enum Source<'a> {
    /// Bytes already in memory, owned or borrowed from the caller (never copied).
    Bytes(Cow<'a, [u8]>),
    /// A file to read when it is evaluated (so files are never all held at once).
    File(PathBuf),
    /// Why the input cannot be read.
    Error(EvidenceError),
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
    pub fn into_bytes(self, limits: &Limits) -> Result<Cow<'a, [u8]>, EvidenceError> {
        match self.source {
            Source::Bytes(b) => Ok(b),
            Source::Error(e) => Err(e),
            Source::File(path) => read_bounded(&path, limits).map(Cow::Owned),
        }
    }
}

/// True when a file is read during directory walks: `.yaml`, `.yml`, `.json`, and Dockerfiles.
pub fn is_evidence_file(path: &Path) -> bool {
    if path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(super::dockerfile::is_dockerfile_name)
    {
        return true;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
        .unwrap_or(false)
}

/// Expands files and directories (recursively, in sorted order) into inputs.
///
/// Files named explicitly are always read; inside directories only evidence extensions are.
/// Returns the inputs and the paths that do not exist at all.
pub fn collect(paths: &[PathBuf], limits: &Limits) -> (Vec<Input<'static>>, Vec<PathBuf>) {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    let mut total: u64 = 0;
    for path in paths {
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
            Ok(meta) if meta.is_dir() => {
                let mut ancestors = BTreeSet::new();
                walk(path, limits, &mut total, &mut ancestors, &mut out);
            }
            Ok(_) => out.push(read_file(path, limits, &mut total)),
        }
    }
    (out, missing)
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn walk(
    dir: &Path,
    limits: &Limits,
    total: &mut u64,
    ancestors: &mut BTreeSet<PathBuf>,
    out: &mut Vec<Input<'static>>,
) {
    let canonical = match fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            out.push(Input {
                name: display(dir),
                source: Source::Error(EvidenceError::Directory {
                    message: e.to_string(),
                }),
            });
            return;
        }
    };
    if ancestors.contains(&canonical) {
        out.push(Input {
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
            out.push(Input {
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
    ancestors.insert(canonical.clone());
    for child in children {
        let hidden = child
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        match fs::metadata(&child) {
            Ok(meta) if meta.is_dir() => walk(&child, limits, total, ancestors, out),
            Ok(_) => {
                if is_evidence_file(&child) {
                    out.push(read_file(&child, limits, total));
                }
            }
            Err(e) => {
                if is_evidence_file(&child) || fs::symlink_metadata(&child).is_ok() {
                    out.push(Input {
                        name: display(&child),
                        source: Source::Error(EvidenceError::Io {
                            message: e.to_string(),
                        }),
                    });
                }
            }
        }
    }
    ancestors.remove(&canonical);
}

/// Plans the read of a file: sizes are checked now (in walk order, so the total limit is
/// deterministic) and the bytes are read later, by the worker that parses them.
fn read_file(path: &Path, limits: &Limits, total: &mut u64) -> Input<'static> {
    let name = display(path);
    let size = match fs::metadata(path) {
        // Pipes, sockets and devices could block or never end: only regular files are read.
        Ok(m) if !m.is_file() => {
            return Input {
                name,
                source: Source::Error(EvidenceError::Io {
                    message: "not a regular file".to_owned(),
                }),
            }
        }
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
