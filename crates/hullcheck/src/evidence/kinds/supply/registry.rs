//! Image configs as `docker inspect` prints them, and AWS ECR registry settings.

use crate::evidence::error::EvidenceError;
use crate::evidence::image_ref::ImageRef;
use crate::evidence::kinds::{dig, strings};
use crate::evidence::read::{At, Cursor, Loc};

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
