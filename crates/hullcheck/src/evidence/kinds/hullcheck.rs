//! hullcheck's own documents: attestations (statements for what no file can show) and
//! policies carried in an evidence bundle (parameter values).

use std::collections::BTreeMap;

use super::scalar_text;
use crate::evidence::error::EvidenceError;
use crate::evidence::read::{At, Cursor};

/// The API version of hullcheck's own documents.
pub const API_VERSION: &str = "hullcheck.dev/v1alpha1";

/// An attestation: a person's dated, expiring statement that a control is met.
#[derive(Debug, Clone, PartialEq)]
pub struct AttestationFacts {
    /// The control attested.
    pub control: At<String>,
    /// The statement.
    pub statement: String,
    /// Who attested.
    pub attested_by: String,
    /// When.
    pub attested_at: At<jiff::Timestamp>,
    /// When it stops counting.
    pub expires: At<jiff::Timestamp>,
    /// Figures that back the statement (for example `retention_days`).
    pub values: BTreeMap<String, serde_json::Value>,
}

fn time(c: &Cursor<'_>, key: &str) -> Result<At<jiff::Timestamp>, EvidenceError> {
    let at = required(c, key)?;
    let ts = parse_time(&at.value).ok_or_else(|| EvidenceError::WrongType {
        line: at.loc.line,
        path: at.loc.path.to_string(),
        expected: "an RFC 3339 time or a YYYY-MM-DD date",
        found: "string",
    })?;
    Ok(At {
        value: ts,
        loc: at.loc,
    })
}

/// Parses an RFC 3339 time, or a date (midnight UTC).
pub fn parse_time(text: &str) -> Option<jiff::Timestamp> {
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts);
    }
    let date: jiff::civil::Date = text.parse().ok()?;
    date.to_datetime(jiff::civil::Time::midnight())
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

fn required(c: &Cursor<'_>, key: &str) -> Result<At<String>, EvidenceError> {
    c.opt_string(key)?
        .ok_or_else(|| EvidenceError::MissingField {
            line: c.node().line,
            path: format!("{}/{key}", c.path()),
        })
}

/// Reads an Attestation's `spec`.
pub fn read_attestation(c: &Cursor<'_>) -> Result<AttestationFacts, EvidenceError> {
    let spec = c
        .field("spec")?
        .ok_or_else(|| EvidenceError::MissingField {
            line: c.node().line,
            path: format!("{}/spec", c.path()),
        })?;
    let mut values = BTreeMap::new();
    if let Some(v) = spec.field("values")? {
        for (k, n) in v.entries()? {
            values.insert(k.to_owned(), n.node().to_json());
        }
    }
    Ok(AttestationFacts {
        control: required(&spec, "control")?,
        statement: required(&spec, "statement")?.value,
        attested_by: required(&spec, "attested_by")?.value,
        attested_at: time(&spec, "attested_at")?,
        expires: time(&spec, "expires")?,
        values,
    })
}

/// Parameter values carried by a `Policy` document in the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyFacts {
    /// Parameter name → value (as JSON), with where it was set.
    pub params: Vec<(String, At<serde_json::Value>)>,
}

/// Reads a Policy document's `params`.
pub fn read_policy(c: &Cursor<'_>) -> Result<PolicyFacts, EvidenceError> {
    let mut params = Vec::new();
    if let Some(p) = c.field("params")? {
        for (k, v) in p.entries()? {
            let value = match scalar_text(&v) {
                Some(_) => v.node().to_json(),
                None => v.node().to_json(),
            };
            params.push((
                k.to_owned(),
                At {
                    value,
                    loc: v.loc(),
                },
            ));
        }
    }
    Ok(PolicyFacts { params })
}
