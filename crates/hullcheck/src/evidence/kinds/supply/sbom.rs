//! SBOMs: CycloneDX and SPDX JSON, read for the NTIA minimum elements and the image they
//! describe; CycloneDX vulnerabilities are also read as a scan report.

use super::scan::{ScanFacts, Vulnerability};
use crate::evidence::error::EvidenceError;
use crate::evidence::image_ref::ImageRef;
use crate::evidence::kinds::{dig, scalar_text, strings};
use crate::evidence::read::{Cursor, Loc};

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
