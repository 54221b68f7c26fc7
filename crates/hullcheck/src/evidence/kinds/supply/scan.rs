//! Vulnerability reports: Trivy JSON and Grype JSON.

use crate::evidence::error::EvidenceError;
use crate::evidence::image_ref::ImageRef;
use crate::evidence::kinds::{dig, scalar_text, strings};
use crate::evidence::read::{At, Cursor, Loc};

/// One vulnerability of a scan report.
#[derive(Debug, Clone, PartialEq)]
pub struct Vulnerability {
    /// CVE or advisory ID.
    pub id: String,
    /// Affected package.
    pub package: String,
    /// Lowercase severity (`critical`, `high`, `medium`, `low`, `unknown`).
    pub severity: String,
    /// A fixed version is available.
    pub fixable: bool,
    /// Where.
    pub loc: Loc,
}

/// A vulnerability scan report.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanFacts {
    /// `trivy` or `grype`.
    pub tool: &'static str,
    /// The scanned images.
    pub subjects: Vec<ImageRef>,
    /// The scanned artifact's name as the tool reports it.
    pub artifact: String,
    /// True when the artifact is a container image.
    pub is_image: bool,
    /// Scan time (RFC 3339), when the report has one.
    pub created: Option<At<String>>,
    /// OS family and version.
    pub os: Option<String>,
    /// The scanner says the OS is end-of-life.
    pub os_eol: Option<At<bool>>,
    /// Vulnerabilities.
    pub vulnerabilities: Vec<Vulnerability>,
    /// Secret findings (rule ID and location).
    pub secrets: Vec<At<String>>,
}

/// Reads a Trivy JSON report.
pub fn read_trivy(c: &Cursor<'_>) -> Result<ScanFacts, EvidenceError> {
    let artifact = c
        .opt_string("ArtifactName")?
        .map(|a| a.value)
        .unwrap_or_default();
    let is_image = c
        .opt_string("ArtifactType")?
        .is_some_and(|t| t.value == "container_image");
    let mut subjects = Vec::new();
    if is_image {
        subjects.extend(ImageRef::parse(&artifact));
    }
    let (mut os, mut os_eol) = (None, None);
    if let Some(meta) = c.field("Metadata")? {
        for key in ["RepoTags", "RepoDigests"] {
            subjects.extend(
                strings(&meta, key)?
                    .iter()
                    .filter_map(|t| ImageRef::parse(&t.value)),
            );
        }
        if let Some(o) = meta.field("OS")? {
            let fam = o.opt_string("Family")?.map(|f| f.value).unwrap_or_default();
            let name = o
                .field("Name")?
                .and_then(|n| scalar_text(&n))
                .unwrap_or_default();
            os = Some(format!("{fam} {name}").trim().to_owned());
            os_eol = o.opt_bool("EOSL")?;
        }
    }
    let mut vulnerabilities = Vec::new();
    let mut secrets = Vec::new();
    if let Some(results) = c.field("Results")? {
        for r in results.items()? {
            if let Some(vs) = r.field("Vulnerabilities")? {
                for v in vs.items()? {
                    vulnerabilities.push(Vulnerability {
                        id: v
                            .opt_string("VulnerabilityID")?
                            .map(|x| x.value)
                            .unwrap_or_default(),
                        package: v
                            .opt_string("PkgName")?
                            .map(|x| x.value)
                            .unwrap_or_default(),
                        severity: v
                            .opt_string("Severity")?
                            .map(|x| x.value.to_ascii_lowercase())
                            .unwrap_or_else(|| "unknown".into()),
                        fixable: v
                            .opt_string("FixedVersion")?
                            .is_some_and(|f| !f.value.is_empty()),
                        loc: v.loc(),
                    });
                }
            }
            if let Some(ss) = r.field("Secrets")? {
                for s in ss.items()? {
                    secrets.push(s.opt_string("RuleID")?.unwrap_or(At {
                        value: "secret".into(),
                        loc: s.loc(),
                    }));
                }
            }
        }
    }
    Ok(ScanFacts {
        tool: "trivy",
        subjects,
        artifact,
        is_image,
        created: c.opt_string("CreatedAt")?,
        os,
        os_eol,
        vulnerabilities,
        secrets,
    })
}

/// Reads a Grype JSON report.
pub fn read_grype(c: &Cursor<'_>) -> Result<ScanFacts, EvidenceError> {
    let mut subjects = Vec::new();
    let mut artifact = String::new();
    let mut is_image = false;
    if let Some(src) = c.field("source")? {
        is_image = src.opt_string("type")?.is_some_and(|t| t.value == "image");
        if let Some(t) = src.field("target")? {
            if let Some(ui) = t.opt_string("userInput")? {
                artifact = ui.value.clone();
                subjects.extend(ImageRef::parse(&ui.value));
                if let (Some(d), Some(base)) =
                    (t.opt_string("manifestDigest")?, ImageRef::parse(&ui.value))
                {
                    subjects.push(ImageRef {
                        tag: None,
                        digest: Some(d.value),
                        ..base
                    });
                }
            } else if let Some(s) = t.node().as_str() {
                artifact = s.to_owned();
            }
            for key in ["tags", "repoDigests"] {
                if t.node().get(key).is_some() {
                    subjects.extend(
                        strings(&t, key)?
                            .iter()
                            .filter_map(|x| ImageRef::parse(&x.value)),
                    );
                }
            }
        }
    }
    let os = match c.field("distro")? {
        Some(d) => {
            let name = d.opt_string("name")?.map(|n| n.value).unwrap_or_default();
            let version = d
                .field("version")?
                .and_then(|v| scalar_text(&v))
                .unwrap_or_default();
            Some(format!("{name} {version}").trim().to_owned()).filter(|s| !s.is_empty())
        }
        None => None,
    };
    let mut vulnerabilities = Vec::new();
    if let Some(ms) = c.field("matches")? {
        for m in ms.items()? {
            let v = m.field("vulnerability")?;
            let (id, severity, fixable) = match &v {
                Some(v) => (
                    v.opt_string("id")?.map(|x| x.value).unwrap_or_default(),
                    v.opt_string("severity")?
                        .map(|x| x.value.to_ascii_lowercase())
                        .unwrap_or_else(|| "unknown".into()),
                    dig(v, &["fix", "state"])?
                        .and_then(|s| s.node().as_str().map(|x| x == "fixed"))
                        .unwrap_or(false),
                ),
                None => (String::new(), "unknown".into(), false),
            };
            let package = dig(&m, &["artifact", "name"])?
                .and_then(|n| n.node().as_str().map(str::to_owned))
                .unwrap_or_default();
            vulnerabilities.push(Vulnerability {
                id,
                package,
                severity,
                fixable,
                loc: m.loc(),
            });
        }
    }
    let created = match c.field("descriptor")? {
        Some(d) => d.opt_string("timestamp")?.filter(|t| !t.value.is_empty()),
        None => None,
    };
    Ok(ScanFacts {
        tool: "grype",
        subjects,
        artifact,
        is_image,
        created,
        os,
        os_eol: None,
        vulnerabilities,
        secrets: Vec::new(),
    })
}
