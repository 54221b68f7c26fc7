//! Paths as CI systems want them: relative to a source root, lexically normalised, so that a
//! file named `x`, `./x` or by its absolute path is one artifact with one fingerprint.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// What may not appear unescaped in a URI path: everything but RFC 3986's unreserved
/// characters, sub-delimiters, `:`, `@` and `/`.
const URI_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Percent-encodes `path` for a URI reference (non-ASCII bytes as UTF-8 escapes).
pub fn uri(path: &str) -> String {
    utf8_percent_encode(path, URI_PATH).to_string()
}

/// Where a finding's file is, as CI reports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourcePath {
    /// Under the source root: the normalised path relative to it (`/`-separated, no `.`).
    Relative(String),
    /// Outside the source root, or no root known: the normalised absolute path.
    Absolute(String),
    /// Not a file: standard input, or a name the evaluation gave (`<stdin>`).
    Other(String),
}

impl SourcePath {
    /// The normalised path, relative or absolute.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Relative(p) | Self::Absolute(p) | Self::Other(p) => p,
        }
    }
}

/// Removes `.` and empty components, and resolves `..` against what precedes it (a leading
/// `..` of a relative path is kept).
fn lexical(path: &str) -> (bool, Vec<&str>) {
    let absolute = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match out.last() {
                Some(&last) if last != ".." => {
                    out.pop();
                }
                _ if absolute => {}
                _ => out.push(".."),
            },
            p => out.push(p),
        }
    }
    (absolute, out)
}

/// Classifies `file` against `root` (an absolute directory, normally the working directory).
/// A relative `file` is taken as relative to `root`.
pub fn source_path(file: &str, root: Option<&str>) -> SourcePath {
    if file.starts_with('<') || file.is_empty() {
        return SourcePath::Other(file.to_owned());
    }
    let (absolute, parts) = lexical(file);
    if !absolute {
        if parts.first() == Some(&"..") {
            if let Some(root) = root {
                return source_path(&format!("{root}/{file}"), Some(root));
            }
        }
        return SourcePath::Relative(parts.join("/"));
    }
    if let Some(root) = root {
        let (_, root_parts) = lexical(root);
        if parts.len() > root_parts.len() && parts.starts_with(&root_parts) {
            return SourcePath::Relative(
                parts.get(root_parts.len()..).unwrap_or_default().join("/"),
            );
        }
    }
    SourcePath::Absolute(format!("/{}", parts.join("/")))
}

/// The GitHub/GitLab anchor of a Markdown heading: lowercased, punctuation but `-` and `_`
/// dropped, spaces as `-`.
pub fn heading_anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_however_it_was_named() {
        let root = Some("/work/repo");
        let want = SourcePath::Relative("manifests/app.yaml".to_owned());
        for typed in [
            "manifests/app.yaml",
            "./manifests/app.yaml",
            "manifests//./app.yaml",
            "/work/repo/manifests/app.yaml",
            "/work/repo/./manifests/../manifests/app.yaml",
            "../repo/manifests/app.yaml",
        ] {
            assert_eq!(source_path(typed, root), want, "{typed}");
        }
    }

    #[test]
    fn outside_the_root_and_not_files() {
        assert_eq!(
            source_path(
                "/etc/kubernetes/manifests/kube-apiserver.yaml",
                Some("/work/repo")
            ),
            SourcePath::Absolute("/etc/kubernetes/manifests/kube-apiserver.yaml".to_owned())
        );
        assert_eq!(
            source_path("/work/repository/x.yaml", Some("/work/repo")),
            SourcePath::Absolute("/work/repository/x.yaml".to_owned())
        );
        assert_eq!(
            source_path("<stdin>", None),
            SourcePath::Other("<stdin>".to_owned())
        );
        assert_eq!(
            source_path("../x.yaml", None),
            SourcePath::Relative("../x.yaml".to_owned())
        );
    }

    #[test]
    fn uris_and_anchors() {
        assert_eq!(uri("a b/ü#1.yaml"), "a%20b/%C3%BC%231.yaml");
        assert_eq!(uri("charts/app:v1/@x.yaml"), "charts/app:v1/@x.yaml");
        assert_eq!(
            heading_anchor("RUN-003 — No privileged containers"),
            "run-003--no-privileged-containers"
        );
    }
}
