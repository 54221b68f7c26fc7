//! Container image references: parsing and normalisation, so evidence about one image can be
//! linked across workloads, SBOMs, scan reports, signatures and provenance.

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ImageRef {
    /// Registry host (`docker.io` when the reference names none).
    pub registry: String,
    /// Repository path (`library/nginx` for Docker Hub official images).
    pub repository: String,
    /// Tag, when present.
    pub tag: Option<String>,
    /// `sha256:…` digest, when present.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference such as `nginx`, `nginx:1.27`, `ghcr.io/o/r@sha256:…`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text
            .strip_prefix("docker://")
            .or_else(|| text.strip_prefix("oci://"))
            .unwrap_or(text);
        if text.is_empty() || text.contains(char::is_whitespace) {
            return None;
        }
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d.to_owned())),
            None => (text, None),
        };
        let (name, tag) = match rest.rfind(':') {
            Some(i) if !rest.get(i..)?.contains('/') => {
                (rest.get(..i)?, Some(rest.get(i + 1..)?.to_owned()))
            }
            _ => (rest, None),
        };
        if name.is_empty() {
            return None;
        }
        let (registry, repository) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_owned(), path.to_owned())
            }
            Some(_) => ("docker.io".to_owned(), name.to_owned()),
            None => ("docker.io".to_owned(), format!("library/{name}")),
        };
        let registry = if registry == "index.docker.io" || registry == "registry-1.docker.io" {
            "docker.io".to_owned()
        } else {
            registry
        };
        Some(Self {
            registry,
            repository,
            tag: tag.filter(|t| !t.is_empty()),
            digest: digest.filter(|d| !d.is_empty()),
        })
    }

    /// `registry/repository`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// True when the reference pins a digest.
    pub fn is_pinned(&self) -> bool {
        self.digest
            .as_deref()
            .is_some_and(|d| d.starts_with("sha256:") && d.len() == 71)
    }

    /// True when the reference has no tag and no digest, or uses `latest`.
    pub fn is_latest(&self) -> bool {
        self.digest.is_none() && self.tag.as_deref().is_none_or(|t| t == "latest")
    }

    /// Whether evidence about `other` describes this image: same digest when both have one,
    /// otherwise the same name and tag.
    pub fn matches(&self, other: &ImageRef) -> bool {
        match (&self.digest, &other.digest) {
            (Some(a), Some(b)) => a == b,
            _ => self.name() == other.name() && self.tag.is_some() && self.tag == other.tag,
        }
    }
}

impl std::fmt::Display for ImageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name())?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_docker_hub_and_ports() {
        let r = ImageRef::parse("nginx").unwrap();
        assert_eq!(r.name(), "docker.io/library/nginx");
        assert!(r.is_latest());
        let r = ImageRef::parse("localhost:5000/app:1.0").unwrap();
        assert_eq!(
            (r.registry.as_str(), r.tag.as_deref()),
            ("localhost:5000", Some("1.0"))
        );
        let d = format!("sha256:{}", "a".repeat(64));
        let r = ImageRef::parse(&format!("ghcr.io/o/r:v1@{d}")).unwrap();
        assert!(r.is_pinned() && !r.is_latest());
        assert!(r.matches(&ImageRef::parse(&format!("ghcr.io/o/r@{d}")).unwrap()));
    }
}
