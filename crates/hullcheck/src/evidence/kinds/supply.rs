//! Supply-chain evidence: SBOMs (CycloneDX, SPDX), vulnerability reports (Trivy, Grype),
//! signature verification (cosign), provenance (in-toto / SLSA), image configs (`docker
//! inspect`) and registry settings (AWS ECR).

use super::{dig, scalar_text, strings};
use crate::evidence::error::EvidenceError;
use crate::evidence::image_ref::ImageRef;
use crate::evidence::read::{At, Cursor, Loc};

/// One SBOM component with the NTIA fields it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// Name.
    pub name: String,
    /// Version, when given.
    pub version: Option<String>,
    /// Has a purl, CPE or SWID identifier.
    pub has_identifier: bool,
    /// Has a supplier (an explicit `NOASSERTION` counts as a declared unknown).
    pub has_supplier: bool,
    /// Where.
    pub loc: Loc,
}

/// An SBOM.
#[derive(Debug, Clone, PartialEq)]
pub struct SbomFacts {
    /// `cyclonedx` or `spdx`.
    pub format: &'static str,
    /// Spec version (`1.4`, `SPDX-2.3`).
    pub spec_version: String,
    /// The images the SBOM describes.
    pub subjects: Vec<ImageRef>,
    /// Name of the described software.
    pub subject_name: Option<String>,
    /// Components.
    pub components: Vec<Component>,
    /// Author or tool recorded.
    pub has_author: bool,
    /// Creation time recorded.
    pub timestamp: Option<String>,
    /// Dependency relationships recorded.
    pub has_dependencies: bool,
}

fn image_from_purl(purl: &str) -> Option<ImageRef> {
    let rest = purl.strip_prefix("pkg:oci/")?;
    let (name_ver, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (name, version) = name_ver.split_once('@').unwrap_or((name_ver, ""));
    let repo_url = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("repository_url="))
        .map(|u| u.replace("%2F", "/").replace("%3A", ":"));
    let base = repo_url.unwrap_or_else(|| name.to_owned());
    let digest = version.replace("%3A", ":");
    ImageRef::parse(&if digest.is_empty() {
        base
    } else {
        format!("{base}@{digest}")
    })
}

/// Reads a CycloneDX JSON SBOM.
pub fn read_cyclonedx(c: &Cursor<'_>) -> Result<SbomFacts, EvidenceError> {
    let meta = c.field("metadata")?;
    let mut subjects = Vec::new();
    let mut subject_name = None;
    let (mut has_author, mut timestamp) = (false, None);
    if let Some(m) = &meta {
        if let Some(comp) = m.field("component")? {
            let name = comp.opt_string("name")?.map(|n| n.value);
            let version = comp.opt_string("version")?.map(|v| v.value);
            if let Some(p) = comp.opt_string("purl")? {
                subjects.extend(image_from_purl(&p.value));
            }
            if let Some(n) = &name {
                let full = match &version {
                    Some(v)
                        if !n.contains('@')
                            && !n.rsplit('/').next().unwrap_or("").contains(':') =>
                    {
                        if v.starts_with("sha256:") {
                            format!("{n}@{v}")
                        } else {
                            format!("{n}:{v}")
                        }
                    }
                    _ => n.clone(),
                };
                subjects.extend(ImageRef::parse(&full));
            }
            subject_name = name;
        }
        has_author = m.field("authors")?.is_some()
            || m.field("tools")?.is_some()
            || m.field("manufacture")?.is_some()
            || m.field("manufacturer")?.is_some();
        timestamp = m.opt_string("timestamp")?.map(|t| t.value);
    }
    let mut components = Vec::new();
    if let Some(list) = c.field("components")? {
        for item in list.items()? {
            components.push(Component {
                name: item
                    .opt_string("name")?
                    .map(|n| n.value)
                    .unwrap_or_default(),
                version: item.field("version")?.and_then(|v| scalar_text(&v)),
                has_identifier: item.field("purl")?.is_some()
                    || item.field("cpe")?.is_some()
                    || item.field("swid")?.is_some(),
                has_supplier: item.field("supplier")?.is_some()
                    || item.field("publisher")?.is_some()
                    || item.field("author")?.is_some(),
                loc: item.loc(),
            });
        }
    }
    let has_dependencies = c
        .field("dependencies")?
        .map(|d| d.items())
        .transpose()?
        .is_some_and(|d| !d.is_empty());
    Ok(SbomFacts {
        format: "cyclonedx",
        spec_version: c
            .field("specVersion")?
            .and_then(|v| scalar_text(&v))
            .unwrap_or_default(),
        subjects,
        subject_name,
        components,
        has_author,
        timestamp,
        has_dependencies,
    })
}

/// Reads an SPDX JSON SBOM.
pub fn read_spdx(c: &Cursor<'_>) -> Result<SbomFacts, EvidenceError> {
    let creation = c.field("creationInfo")?;
    let (has_author, timestamp) = match &creation {
        Some(ci) => (
            !strings(ci, "creators")?.is_empty(),
            ci.opt_string("created")?.map(|t| t.value),
        ),
        None => (false, None),
    };
    let mut described: Vec<String> = strings(c, "documentDescribes")?
        .into_iter()
        .map(|a| a.value)
        .collect();
    let mut has_dependencies = false;
    if let Some(rels) = c.field("relationships")? {
        for r in rels.items()? {
            let kind = r
                .opt_string("relationshipType")?
                .map(|k| k.value)
                .unwrap_or_default();
            if kind == "DESCRIBES" {
                described.extend(r.opt_string("relatedSpdxElement")?.map(|e| e.value));
            } else if matches!(
                kind.as_str(),
                "DEPENDS_ON" | "CONTAINS" | "DEPENDENCY_OF" | "CONTAINED_BY"
            ) {
                has_dependencies = true;
            }
        }
    }
    let mut components = Vec::new();
    let mut subjects = Vec::new();
    let mut subject_name = None;
    if let Some(list) = c.field("packages")? {
        for p in list.items()? {
            let name = p.opt_string("name")?.map(|n| n.value).unwrap_or_default();
            let id = p.opt_string("SPDXID")?.map(|n| n.value).unwrap_or_default();
            let mut purls = Vec::new();
            let mut has_identifier = false;
            if let Some(refs) = p.field("externalRefs")? {
                for r in refs.items()? {
                    let t = r
                        .opt_string("referenceType")?
                        .map(|x| x.value)
                        .unwrap_or_default();
                    if matches!(t.as_str(), "purl" | "cpe23Type" | "cpe22Type" | "swid") {
                        has_identifier = true;
                    }
                    if t == "purl" {
                        purls.extend(r.opt_string("referenceLocator")?.map(|x| x.value));
                    }
                }
            }
            let version = p.field("versionInfo")?.and_then(|v| scalar_text(&v));
            if described.contains(&id) {
                subjects.extend(purls.iter().filter_map(|u| image_from_purl(u)));
                let full = match &version {
                    Some(v) => format!("{name}:{v}"),
                    None => name.clone(),
                };
                subjects.extend(ImageRef::parse(&full));
                subject_name = Some(name.clone());
            }
            components.push(Component {
                name,
                version,
                has_identifier,
                has_supplier: p.field("supplier")?.is_some(),
                loc: p.loc(),
            });
        }
    }
    Ok(SbomFacts {
        format: "spdx",
        spec_version: c
            .opt_string("spdxVersion")?
            .map(|v| v.value)
            .unwrap_or_default(),
        subjects,
        subject_name,
        components,
        has_author,
        timestamp,
        has_dependencies,
    })
}

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

/// Reads the `vulnerabilities` of a CycloneDX document as a scan report, when it has any.
/// Vulnerabilities a VEX analysis marks `not_affected`, `false_positive` or `resolved` are left out.
pub fn read_cyclonedx_vulnerabilities(
    c: &Cursor<'_>,
    sbom: &SbomFacts,
) -> Result<Option<ScanFacts>, EvidenceError> {
    let Some(list) = c.field("vulnerabilities")? else {
        return Ok(None);
    };
    let items = list.items()?;
    if items.is_empty() {
        return Ok(None);
    }
    // bom-ref → component name, to name the affected package.
    let mut names = Vec::new();
    if let Some(comps) = c.field("components")? {
        for comp in comps.items()? {
            if let (Some(r), Some(n)) = (comp.opt_string("bom-ref")?, comp.opt_string("name")?) {
                names.push((r.value, n.value));
            }
        }
    }
    let mut vulnerabilities = Vec::new();
    for v in items {
        let state =
            dig(&v, &["analysis", "state"])?.and_then(|s| s.node().as_str().map(str::to_owned));
        if matches!(
            state.as_deref(),
            Some("not_affected" | "false_positive" | "resolved")
        ) {
            continue;
        }
        let mut severity = "unknown".to_owned();
        if let Some(ratings) = v.field("ratings")? {
            let rank = |s: &str| {
                ["none", "info", "low", "medium", "high", "critical"]
                    .iter()
                    .position(|x| *x == s)
                    .unwrap_or(0)
            };
            for r in ratings.items()? {
                if let Some(sev) = r.opt_string("severity")? {
                    let sev = sev.value.to_ascii_lowercase();
                    if severity == "unknown" || rank(&sev) > rank(&severity) {
                        severity = sev;
                    }
                }
            }
        }
        let mut package = String::new();
        if let Some(affects) = v.field("affects")? {
            if let Some(first) = affects.items()?.first() {
                let r = first
                    .opt_string("ref")?
                    .map(|x| x.value)
                    .unwrap_or_default();
                package = names
                    .iter()
                    .find(|(b, _)| *b == r)
                    .map_or(r, |(_, n)| n.clone());
            }
        }
        vulnerabilities.push(Vulnerability {
            id: v.opt_string("id")?.map(|x| x.value).unwrap_or_default(),
            package,
            severity,
            fixable: v.field("recommendation")?.is_some(),
            loc: v.loc(),
        });
    }
    let created = match c.field("metadata")? {
        Some(m) => m.opt_string("timestamp")?,
        None => None,
    };
    Ok(Some(ScanFacts {
        tool: "cyclonedx",
        subjects: sbom.subjects.clone(),
        artifact: sbom.subject_name.clone().unwrap_or_default(),
        is_image: !sbom.subjects.is_empty(),
        created,
        os: None,
        os_eol: None,
        vulnerabilities,
        secrets: Vec::new(),
    }))
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

/// A verified image signature (one item of `cosign verify --output json`).
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureFacts {
    /// The signed image (reference plus manifest digest).
    pub image: Option<ImageRef>,
    /// `optional.Issuer` (keyless).
    pub issuer: Option<String>,
    /// `optional.Subject` (keyless).
    pub subject: Option<String>,
    /// Where.
    pub loc: Loc,
}

/// Reads one cosign verification item.
pub fn read_cosign_item(c: &Cursor<'_>) -> Result<SignatureFacts, EvidenceError> {
    let reference = dig(c, &["critical", "identity", "docker-reference"])?
        .map(|r| r.string())
        .transpose()?;
    let digest = dig(c, &["critical", "image", "docker-manifest-digest"])?
        .map(|r| r.string())
        .transpose()?;
    let image = reference
        .and_then(|r| ImageRef::parse(&r.value))
        .map(|base| ImageRef {
            tag: if digest.is_some() {
                None
            } else {
                base.tag.clone()
            },
            digest: digest.map(|d| d.value).or(base.digest.clone()),
            ..base
        });
    let optional = c.field("optional")?;
    let get = |k: &str| -> Option<String> {
        optional
            .as_ref()
            .and_then(|o| o.node().get(k))
            .and_then(|n| n.as_str().map(str::to_owned))
    };
    Ok(SignatureFacts {
        image,
        issuer: get("Issuer"),
        subject: get("Subject"),
        loc: c.loc(),
    })
}

/// An in-toto statement (SLSA provenance or another predicate), possibly from a DSSE envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvenanceFacts {
    /// Subjects: name and `sha256:` digest.
    pub subjects: Vec<ImageRef>,
    /// `predicateType`.
    pub predicate_type: String,
    /// The builder ID (`runDetails.builder.id` in v1, `builder.id` in v0.2).
    pub builder_id: Option<String>,
    /// True when read from a DSSE envelope carrying at least one signature.
    pub signed: bool,
    /// Where.
    pub loc: Loc,
}

impl ProvenanceFacts {
    /// True for SLSA provenance predicates.
    pub fn is_slsa(&self) -> bool {
        self.predicate_type
            .starts_with("https://slsa.dev/provenance/")
    }
}

/// Reads an in-toto statement.
pub fn read_statement(c: &Cursor<'_>, signed: bool) -> Result<ProvenanceFacts, EvidenceError> {
    let mut subjects = Vec::new();
    if let Some(list) = c.field("subject")? {
        for s in list.items()? {
            let name = s.opt_string("name")?.map(|n| n.value).unwrap_or_default();
            let digest = dig(&s, &["digest", "sha256"])?
                .map(|d| d.string())
                .transpose()?;
            let text = match digest {
                Some(d) => format!(
                    "{}@sha256:{}",
                    name.split('@').next().unwrap_or(""),
                    d.value
                ),
                None => name,
            };
            subjects.extend(ImageRef::parse(&text));
        }
    }
    let predicate = c.field("predicate")?;
    let builder_id = match &predicate {
        Some(p) => dig(p, &["runDetails", "builder", "id"])?
            .or(dig(p, &["builder", "id"])?)
            .and_then(|b| b.node().as_str().map(str::to_owned)),
        None => None,
    };
    Ok(ProvenanceFacts {
        subjects,
        predicate_type: c
            .opt_string("predicateType")?
            .map(|p| p.value)
            .unwrap_or_default(),
        builder_id,
        signed,
        loc: c.loc(),
    })
}

/// Decodes standard or URL-safe base64 (padding optional).
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in text.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b'\n' | b'\r' | b' ' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// An image configuration as `docker inspect` prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageConfigFacts {
    /// The image (first of `RepoDigests`, else `RepoTags`).
    pub subjects: Vec<ImageRef>,
    /// `Config.User`.
    pub user: Option<At<String>>,
    /// `Config.Env`.
    pub env: Vec<At<String>>,
    /// `Config.Healthcheck.Test`.
    pub healthcheck: Vec<String>,
    /// `Created`.
    pub created: Option<String>,
    /// Where.
    pub loc: Loc,
}

/// Reads one `docker inspect` image object.
pub fn read_image_config(c: &Cursor<'_>) -> Result<ImageConfigFacts, EvidenceError> {
    let mut subjects = Vec::new();
    for key in ["RepoDigests", "RepoTags"] {
        subjects.extend(
            strings(c, key)?
                .iter()
                .filter_map(|t| ImageRef::parse(&t.value)),
        );
    }
    let config = c.field("Config")?;
    let (user, env, healthcheck) = match &config {
        Some(cfg) => (
            cfg.opt_string("User")?,
            strings(cfg, "Env")?,
            match dig(cfg, &["Healthcheck"])? {
                Some(h) => strings(&h, "Test")?.into_iter().map(|t| t.value).collect(),
                None => Vec::new(),
            },
        ),
        None => (None, Vec::new(), Vec::new()),
    };
    Ok(ImageConfigFacts {
        subjects,
        user,
        env,
        healthcheck,
        created: c.opt_string("Created")?.map(|x| x.value),
        loc: c.loc(),
    })
}

/// One ECR repository's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct EcrRepository {
    /// `repositoryName`.
    pub name: String,
    /// `imageTagMutability`.
    pub tag_mutability: Option<At<String>>,
    /// `imageScanningConfiguration.scanOnPush`.
    pub scan_on_push: Option<At<bool>>,
    /// `encryptionConfiguration.encryptionType`.
    pub encryption: Option<At<String>>,
    /// Where.
    pub loc: Loc,
}

/// Reads `aws ecr describe-repositories` output.
pub fn read_ecr_repositories(c: &Cursor<'_>) -> Result<Vec<EcrRepository>, EvidenceError> {
    let mut out = Vec::new();
    if let Some(list) = c.field("repositories")? {
        for r in list.items()? {
            out.push(EcrRepository {
                name: r
                    .opt_string("repositoryName")?
                    .map(|n| n.value)
                    .unwrap_or_default(),
                tag_mutability: r.opt_string("imageTagMutability")?,
                scan_on_push: dig(&r, &["imageScanningConfiguration", "scanOnPush"])?
                    .map(|b| b.bool())
                    .transpose()?,
                encryption: dig(&r, &["encryptionConfiguration", "encryptionType"])?
                    .map(|b| b.string())
                    .transpose()?,
                loc: r.loc(),
            });
        }
    }
    Ok(out)
}

/// ECR registry scanning configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct EcrScanningFacts {
    /// `scanType` (`BASIC` or `ENHANCED`).
    pub scan_type: Option<At<String>>,
    /// `rules[].scanFrequency` with the rule's repository filters.
    pub rules: Vec<(At<String>, Vec<String>)>,
    /// Where.
    pub loc: Loc,
}

/// Reads `aws ecr get-registry-scanning-configuration` output.
pub fn read_ecr_scanning(c: &Cursor<'_>) -> Result<EcrScanningFacts, EvidenceError> {
    let sc = c.field("scanningConfiguration")?;
    let mut facts = EcrScanningFacts {
        scan_type: None,
        rules: Vec::new(),
        loc: c.loc(),
    };
    if let Some(sc) = sc {
        facts.scan_type = sc.opt_string("scanType")?;
        if let Some(rules) = sc.field("rules")? {
            for r in rules.items()? {
                let freq = r.opt_string("scanFrequency")?.unwrap_or(At {
                    value: String::new(),
                    loc: r.loc(),
                });
                let mut filters = Vec::new();
                if let Some(fs) = r.field("repositoryFilters")? {
                    for f in fs.items()? {
                        filters.extend(f.opt_string("filter")?.map(|x| x.value));
                    }
                }
                facts.rules.push((freq, filters));
            }
        }
    }
    Ok(facts)
}
