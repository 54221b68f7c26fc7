//! `semver`: semantic versions (`1.2.3-rc.1`), strict as Kubernetes parses them, or with
//! `normalize` (a leading `v`, missing minor or patch, leading zeros) allowed.

use cel::common::types::{CelBool, CelInt, CelString};
use cel::{DeclarationError, Env, ExecutionError};

use super::{fail, opaque};

/// A semantic version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Semver(::semver::Version);

opaque!(Semver, SEMVER_TYPE, "kubernetes.Semver");

fn normalized(s: &str) -> String {
    let s = s.strip_prefix('v').unwrap_or(s);
    let split = s.find(['-', '+']).unwrap_or(s.len());
    let (core, rest) = s.split_at(split);
    let mut parts: Vec<String> = core
        .split('.')
        .map(|p| {
            let t = p.trim_start_matches('0');
            if t.is_empty() && !p.is_empty() {
                "0".to_owned()
            } else {
                t.to_owned()
            }
        })
        .collect();
    while parts.len() < 3 {
        parts.push("0".to_owned());
    }
    format!("{}{rest}", parts.join("."))
}

fn parse(s: &str, normalize: bool) -> Option<Semver> {
    let text = if normalize {
        normalized(s)
    } else {
        s.to_owned()
    };
    ::semver::Version::parse(&text).ok().map(Semver)
}

/// Registers `semver`, `isSemver` and the semver methods.
pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    cel::add_overload!(env, fn semver: (CelString) -> Result<Semver>)?;
    cel::add_overload!(env, fn semver_normalize: (CelString, CelBool) -> Result<Semver>, name = "semver")?;
    cel::add_overload!(env, fn is_semver: (CelString) -> CelBool)?;
    cel::add_overload!(env, fn is_semver_normalize: (CelString, CelBool) -> CelBool, name = "isSemver")?;
    cel::add_member_overload!(env, fn major: (Semver) -> CelInt)?;
    cel::add_member_overload!(env, fn minor: (Semver) -> CelInt)?;
    cel::add_member_overload!(env, fn patch: (Semver) -> CelInt)?;
    cel::add_member_overload!(env, fn is_greater_than: (Semver, Semver) -> CelBool)?;
    cel::add_member_overload!(env, fn is_less_than: (Semver, Semver) -> CelBool)?;
    cel::add_member_overload!(env, fn compare_to: (Semver, Semver) -> CelInt)?;
    Ok(())
}

fn semver(s: &CelString<'_>) -> Result<Semver, ExecutionError> {
    semver_normalize(s, &CelBool::from(false))
}

fn semver_normalize(s: &CelString<'_>, normalize: &CelBool) -> Result<Semver, ExecutionError> {
    parse(s.inner(), *normalize.inner()).ok_or_else(|| {
        fail(
            "semver",
            format!("`{}` is not a semantic version", s.inner()),
        )
    })
}

fn is_semver(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse(s.inner(), false).is_some())
}

fn is_semver_normalize(s: &CelString<'_>, normalize: &CelBool) -> CelBool {
    CelBool::from(parse(s.inner(), *normalize.inner()).is_some())
}

fn clamp(n: u64) -> CelInt {
    CelInt::from(i64::try_from(n).unwrap_or(i64::MAX))
}

fn major(v: &Semver) -> CelInt {
    clamp(v.0.major)
}

fn minor(v: &Semver) -> CelInt {
    clamp(v.0.minor)
}

fn patch(v: &Semver) -> CelInt {
    clamp(v.0.patch)
}

/// Precedence as semver defines it: build metadata does not count.
fn precedence(a: &Semver, b: &Semver) -> std::cmp::Ordering {
    a.0.cmp_precedence(&b.0)
}

fn is_greater_than(a: &Semver, b: &Semver) -> CelBool {
    CelBool::from(precedence(a, b).is_gt())
}

fn is_less_than(a: &Semver, b: &Semver) -> CelBool {
    CelBool::from(precedence(a, b).is_lt())
}

fn compare_to(a: &Semver, b: &Semver) -> CelInt {
    CelInt::from(precedence(a, b) as i64)
}
