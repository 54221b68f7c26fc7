//! Signatures and provenance: cosign verification output and in-toto statements
//! (SLSA provenance), plain or in a DSSE envelope.

use crate::evidence::error::EvidenceError;
use crate::evidence::image_ref::ImageRef;
use crate::evidence::kinds::dig;
use crate::evidence::read::{Cursor, Loc};

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
