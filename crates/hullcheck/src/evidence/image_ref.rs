//! Container image references: parsing and normalisation, so evidence about one image can be
//! linked across workloads, SBOMs, scan reports, signatures and provenance.

/// What an image reference's digest is, by the OCI image specification's digest grammar
/// (`algorithm ":" encoded`, algorithm components `[a-z0-9]+` joined by `+._-`, encoded
/// `[a-zA-Z0-9=_-]+`) and its registered algorithms (`sha256`: 64 lowercase hex, `sha512`: 128).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestStatus {
    /// No digest.
    Absent,
    /// A registered algorithm with a well-formed encoding.
    Valid,
    /// Fits the grammar but names an algorithm that is not registered.
    Unrecognised {
        /// The algorithm.
        algorithm: String,
    },
    /// Does not fit the grammar or its algorithm's encoding.
    Invalid {
        /// What is wrong, in lowercase.
        reason: String,
    },
}

/// Classifies a digest string.
pub fn digest_status(digest: &str) -> DigestStatus {
    let Some((algorithm, encoded)) = digest.split_once(':') else {
        return DigestStatus::Invalid {
            reason: "it has no `algorithm:` prefix".to_owned(),
        };
    };
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if !algorithm.split(['+', '.', '_', '-']).all(component_ok) {
        return DigestStatus::Invalid {
            reason: format!("algorithm `{algorithm}` is not lowercase letters and digits"),
        };
    }
    if encoded.is_empty()
        || !encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'=' | b'_' | b'-'))
    {
        return DigestStatus::Invalid {
            reason: "its encoded part has characters the digest grammar does not allow".to_owned(),
        };
    }
    let hex_len = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        other => {
            return DigestStatus::Unrecognised {
                algorithm: other.to_owned(),
            }
        }
    };
    if encoded.bytes().any(|b| b.is_ascii_uppercase()) {
        return DigestStatus::Invalid {
            reason: format!(
                "{algorithm} digests are lowercase hex, and this one has uppercase letters"
            ),
        };
    }
    if !encoded.bytes().all(|b| b.is_ascii_hexdigit()) {
        return DigestStatus::Invalid {
            reason: format!("{algorithm} digests are hex, and this one has other characters"),
        };
    }
    if encoded.len() != hex_len {
        return DigestStatus::Invalid {
            reason: format!(
                "{algorithm} digests have {hex_len} hex characters, and this one has {}",
                encoded.len()
            ),
        };
    }
    DigestStatus::Valid
}

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
        // As distribution/reference splits a domain off: a first component with `.` or `:`,
        // `localhost`, or any uppercase letter (repository paths are lowercase).
        let (registry, repository) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.')
                    || first.contains(':')
                    || first == "localhost"
                    || first.bytes().any(|b| b.is_ascii_uppercase()) =>
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

    /// True when the reference pins a valid digest of a registered algorithm.
    pub fn is_pinned(&self) -> bool {
        self.digest_status() == DigestStatus::Valid
    }

    /// What the reference's digest is.
    pub fn digest_status(&self) -> DigestStatus {
        self.digest
            .as_deref()
            .map_or(DigestStatus::Absent, digest_status)
    }

    /// True when the image comes from `approved` (`host[:port][/path]`): the host compares
    /// case-insensitively and with its port (`registry.example.com:443` is another host than
    /// `registry.example.com`), the path by whole components.
    pub fn from_registry(&self, approved: &str) -> bool {
        let approved = approved.trim().trim_end_matches('/');
        let (host, path) = approved.split_once('/').unwrap_or((approved, ""));
        let host = match host.to_ascii_lowercase().as_str() {
            "index.docker.io" | "registry-1.docker.io" => "docker.io".to_owned(),
            h => h.to_owned(),
        };
        if !self.registry.eq_ignore_ascii_case(&host) {
            return false;
        }
        path.is_empty()
            || self.repository == path
            || self
                .repository
                .strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('/'))
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
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn digests_follow_the_oci_grammar() {
        let hex = |n: usize| "a".repeat(n);
        assert_eq!(
            digest_status(&format!("sha256:{}", hex(64))),
            DigestStatus::Valid
        );
        assert_eq!(
            digest_status(&format!("sha512:{}", hex(128))),
            DigestStatus::Valid
        );
        let invalid = |d: &str| matches!(digest_status(d), DigestStatus::Invalid { .. });
        assert!(invalid(&format!("sha256:{}", "A".repeat(64))));
        assert!(invalid(&format!("sha256:{}", hex(63))));
        assert!(invalid(&format!("sha256:{}z", hex(63))));
        assert!(invalid(&format!("sha512:{}", hex(64))));
        assert!(invalid("sha256"));
        assert!(invalid(&format!("SHA256:{}", hex(64))));
        assert!(invalid("sha256:"));
        assert_eq!(
            digest_status(&format!("multihash+base58:{}", "Qm".repeat(20))),
            DigestStatus::Unrecognised {
                algorithm: "multihash+base58".to_owned()
            }
        );
        assert_eq!(
            digest_status("sha384:abc"),
            DigestStatus::Unrecognised {
                algorithm: "sha384".to_owned()
            }
        );
    }

    #[test]
    fn registries_compare_case_insensitively_and_with_their_port() {
        let r = ImageRef::parse("Registry.Example.com/team/app:1").unwrap();
        assert!(r.from_registry("registry.example.com"));
        assert!(r.from_registry("REGISTRY.example.com/team"));
        assert!(!r.from_registry("registry.example.com/te"));
        assert!(!r.from_registry("registry.example.com:443"));
        let p = ImageRef::parse("registry.example.com:443/team/app:1").unwrap();
        assert!(p.from_registry("registry.example.com:443"));
        assert!(!p.from_registry("registry.example.com"));
        assert!(ImageRef::parse("nginx").unwrap().from_registry("docker.io"));
        assert!(ImageRef::parse("nginx")
            .unwrap()
            .from_registry("index.docker.io/library"));
        // A first component with uppercase letters is a domain, as distribution/reference says.
        assert_eq!(ImageRef::parse("Foo/bar").unwrap().registry, "Foo");
        assert_eq!(ImageRef::parse("foo/bar").unwrap().registry, "docker.io");
        assert_eq!(
            ImageRef::parse("[2001:db8::1]:5000/repo:t")
                .unwrap()
                .registry,
            "[2001:db8::1]:5000"
        );
    }

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
