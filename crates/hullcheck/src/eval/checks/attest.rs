//! Attested controls: what no file can show is judged from a signed-off statement that names
//! the control, who attested, when, and when it expires.

use crate::eval::ctx::{draft, Ctx, Draft, Outcome};
use crate::evidence::kinds::hullcheck::AttestationFacts;
use crate::evidence::{Evidence, EvidenceKind, Item};
use crate::report::Status;

fn judge(ctx: &Ctx<'_>, extra: impl Fn(&AttestationFacts) -> Option<String>) -> Outcome {
    let mut out: Vec<Draft> = Vec::new();
    let atts: Vec<(&Item, &AttestationFacts)> = ctx
        .set
        .of(EvidenceKind::Attestation)
        .filter_map(|i| match &i.evidence {
            Evidence::Attestation(a) if a.control.value == ctx.control.id => Some((i, a)),
            _ => None,
        })
        .collect();
    if atts.is_empty() {
        return Outcome::NotAssessed(format!(
            "no attestation for `{}` in the evidence",
            ctx.control.id
        ));
    }
    for (item, a) in atts {
        let d = if a.attested_at.value > ctx.now {
            draft(
                item,
                Some(&a.attested_at.loc),
                Status::Fail,
                format!(
                    "attested by {} at {}, after the evaluation time",
                    a.attested_by, a.attested_at.value
                ),
            )
        } else if a.expires.value <= ctx.now {
            draft(
                item,
                Some(&a.expires.loc),
                Status::Fail,
                format!(
                    "attestation by {} expired at {}",
                    a.attested_by, a.expires.value
                ),
            )
        } else if let Some(why) = extra(a) {
            draft(item, Some(&a.control.loc), Status::Fail, why)
        } else {
            draft(
                item,
                Some(&a.control.loc),
                Status::Pass,
                format!(
                    "attested by {} until {}: {}",
                    a.attested_by, a.expires.value, a.statement
                ),
            )
        };
        out.push(d);
    }
    Outcome::Findings(out)
}

/// A control met by a live attestation.
pub fn attested(ctx: &Ctx<'_>) -> Outcome {
    judge(ctx, |_| None)
}

/// LOG-005: an attested log retention of at least `logging.retention_days`.
pub fn retention(ctx: &Ctx<'_>) -> Outcome {
    let min = ctx.params.int("logging.retention_days");
    judge(ctx, |a| {
        match a
            .values
            .get("retention_days")
            .and_then(serde_json::Value::as_i64)
        {
            Some(d) if d >= min => None,
            Some(d) => Some(format!(
                "attested retention of {d} days is below the required {min}"
            )),
            None => Some("the attestation states no `values.retention_days`".to_owned()),
        }
    })
}
