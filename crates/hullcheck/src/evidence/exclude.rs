//! What a directory walk leaves out: `--exclude` globs, the `.gitignore` and `.hullcheckignore`
//! files met on the way (gitignore syntax, through the `ignore` crate's matcher), and the
//! directories skipped by default (`.git` and other hidden entries, `node_modules`, `vendor`).
//! What is left out is listed as skipped, never read, and never an error.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// The ignore files honoured in every walked directory, in the order they are read (a later
/// file's patterns win over an earlier one's, as in git).
pub const IGNORE_FILES: &[&str] = &[".gitignore", ".hullcheckignore"];

/// Directories never walked into unless named as a path: dependencies vendored into a
/// repository are not the repository's evidence.
pub const DEFAULT_SKIPPED_DIRS: &[&str] = &["node_modules", "vendor"];

/// What the walk leaves out, as set by the options.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WalkOptions {
    /// Globs in gitignore syntax, relative to the working directory (`--exclude`): a pattern
    /// without `/` matches a name at any depth (`*.tpl.yaml`), one with `/` is anchored
    /// (`charts/*/tests/`), `**` spans directories. They apply to named files too.
    pub exclude: Vec<String>,
    /// Read `.gitignore` and `.hullcheckignore` files while walking (false: `--no-ignore`).
    /// On by default.
    pub no_ignore_files: bool,
    /// Walk into `node_modules` and `vendor` as well.
    pub include_default_skipped: bool,
}

impl WalkOptions {
    /// Whether these are the defaults (nothing excluded beyond the ignore files and the
    /// default directories).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// Why a path was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excluded {
    /// A `--exclude` glob.
    Glob(String),
    /// A pattern of an ignore file: the file and the pattern.
    IgnoreFile {
        /// The ignore file.
        file: String,
        /// The pattern as written.
        pattern: String,
    },
    /// A directory skipped by default.
    Default(String),
}

impl Excluded {
    /// A lowercase clause naming the rule.
    pub fn describe(&self) -> String {
        match self {
            Self::Glob(g) => format!("excluded by `--exclude {g}`"),
            Self::IgnoreFile { file, pattern } => format!("ignored by `{pattern}` in `{file}`"),
            Self::Default(d) => format!(
                "`{d}` directories are not walked by default (name the directory to read it)"
            ),
        }
    }
}

/// Why an exclusion rule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `--exclude` glob `{glob}`: {message}")]
pub struct ExcludeError {
    /// The glob.
    pub glob: String,
    /// The matcher's complaint.
    pub message: String,
}

/// The matchers of one walk: the `--exclude` globs, and a stack of ignore files, one entry per
/// directory being walked.
pub struct Exclusions {
    globs: Option<Gitignore>,
    cwd: PathBuf,
    honour_files: bool,
    default_dirs: bool,
    stack: Vec<Gitignore>,
}

impl Exclusions {
    /// Builds the matchers; a glob the matcher refuses is an error.
    pub fn new(options: &WalkOptions) -> Result<Self, ExcludeError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let globs = if options.exclude.is_empty() {
            None
        } else {
            let mut b = GitignoreBuilder::new(&cwd);
            for g in &options.exclude {
                b.add_line(None, g).map_err(|e| ExcludeError {
                    glob: g.clone(),
                    message: e.to_string(),
                })?;
            }
            Some(b.build().map_err(|e| ExcludeError {
                glob: options.exclude.join(" "),
                message: e.to_string(),
            })?)
        };
        Ok(Self {
            globs,
            cwd,
            honour_files: !options.no_ignore_files,
            default_dirs: !options.include_default_skipped,
            stack: Vec::new(),
        })
    }

    /// `path` absolute and lexically normal (no `.`, `..` resolved), as the matchers compare
    /// paths component by component from their roots.
    fn absolute(&self, path: &Path) -> PathBuf {
        use std::path::Component;
        let mut out = if path.is_absolute() {
            PathBuf::new()
        } else {
            self.cwd.clone()
        };
        for c in path.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    }

    /// Whether a `--exclude` glob leaves out `path` (named or walked).
    pub fn glob(&self, path: &Path, is_dir: bool) -> Option<Excluded> {
        let globs = self.globs.as_ref()?;
        let abs = self.absolute(path);
        // The matcher asserts that a path it walks up from is under its root.
        let matched = if abs.starts_with(&self.cwd) {
            globs.matched_path_or_any_parents(&abs, is_dir)
        } else {
            globs.matched(&abs, is_dir)
        };
        match matched {
            ignore::Match::Ignore(g) => Some(Excluded::Glob(g.original().to_owned())),
            _ => None,
        }
    }

    /// Why `path`, met while walking, is left out, if it is.
    pub fn walked(&self, path: &Path, is_dir: bool) -> Option<Excluded> {
        if let Some(e) = self.glob(path, is_dir) {
            return Some(e);
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if is_dir && self.default_dirs && DEFAULT_SKIPPED_DIRS.contains(&name) {
            return Some(Excluded::Default(name.to_owned()));
        }
        // The deepest directory's files decide; a `!pattern` there re-includes.
        let abs = self.absolute(path);
        for gi in self.stack.iter().rev() {
            match gi.matched(&abs, is_dir) {
                ignore::Match::Ignore(g) => {
                    return Some(Excluded::IgnoreFile {
                        file: g
                            .from()
                            .map(|f| f.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        pattern: g.original().to_owned(),
                    })
                }
                ignore::Match::Whitelist(_) => return None,
                ignore::Match::None => {}
            }
        }
        None
    }

    /// Enters `dir`: reads its ignore files (a file that cannot be read or parsed adds what
    /// it could; the walk goes on). Pair with [`Self::leave`].
    pub fn enter(&mut self, dir: &Path) {
        if !self.honour_files {
            return;
        }
        let dir = self.absolute(dir);
        let mut b = GitignoreBuilder::new(&dir);
        let mut any = false;
        for name in IGNORE_FILES {
            let file = dir.join(name);
            if file.is_file() {
                any = true;
                // A bad line is dropped by the builder, which reports it; the others hold.
                let _ = b.add(&file);
            }
        }
        let gi = if any {
            b.build().unwrap_or_else(|_| Gitignore::empty())
        } else {
            Gitignore::empty()
        };
        self.stack.push(gi);
    }

    /// Leaves the directory entered last.
    pub fn leave(&mut self) {
        if self.honour_files {
            self.stack.pop();
        }
    }
}
