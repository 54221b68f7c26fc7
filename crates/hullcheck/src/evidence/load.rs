//! Walking paths into an ordered list of inputs, with symlink-loop and size protection.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::EvidenceError;
use super::limits::Limits;

/// One file to evaluate: its display name and either its bytes or why they could not be read.
#[derive(Debug)]
pub struct Input {
    /// The name reported for the file (its path as given, or a caller-chosen name).
    pub name: String,
    /// The file's bytes, or the error that prevented reading them.
    pub bytes: Result<Vec<u8>, EvidenceError>,
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
pub fn collect(paths: &[PathBuf], limits: &Limits) -> (Vec<Input>, Vec<PathBuf>) {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    let mut total: u64 = 0;
    for path in paths {
        match fs::metadata(path) {
            Err(_) => {
                if fs::symlink_metadata(path).is_ok() {
                    out.push(Input {
                        name: display(path),
                        bytes: Err(EvidenceError::Io {
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
    out: &mut Vec<Input>,
) {
    let canonical = match fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            out.push(Input {
                name: display(dir),
                bytes: Err(EvidenceError::Directory {
                    message: e.to_string(),
                }),
            });
            return;
        }
    };
    if ancestors.contains(&canonical) {
        out.push(Input {
            name: display(dir),
            bytes: Err(EvidenceError::SymlinkLoop {
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
                bytes: Err(EvidenceError::Directory {
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
                        bytes: Err(EvidenceError::Io {
                            message: e.to_string(),
                        }),
                    });
                }
            }
        }
    }
    ancestors.remove(&canonical);
}

fn read_file(path: &Path, limits: &Limits, total: &mut u64) -> Input {
    let name = display(path);
    let bytes = read_bounded(path, limits, total);
    Input { name, bytes }
}

fn read_bounded(path: &Path, limits: &Limits, total: &mut u64) -> Result<Vec<u8>, EvidenceError> {
    let file = fs::File::open(path).map_err(|e| EvidenceError::Io {
        message: e.to_string(),
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > limits.max_file_bytes {
        return Err(EvidenceError::FileTooLarge {
            size,
            limit: limits.max_file_bytes,
        });
    }
    if total.saturating_add(size) > limits.max_total_bytes {
        return Err(EvidenceError::TotalTooLarge {
            limit: limits.max_total_bytes,
        });
    }
    let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // Read one byte past the limit so files that grow while being read are still caught.
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
    *total = total.saturating_add(read);
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
