//! `quantity`: Kubernetes resource quantities (`100m`, `1.5Gi`, `2e3`), held exactly in
//! nano-units, as the API server's `resource.Quantity` compares them.

use cel::common::types::{CelBool, CelDouble, CelInt, CelString};
use cel::{DeclarationError, Env, ExecutionError};

use super::{fail, opaque};

/// A quantity, in units of 10⁻⁹.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(i128);

opaque!(Quantity, QUANTITY_TYPE, "kubernetes.Quantity");

const NANO: i128 = 1_000_000_000;
/// Largest magnitude held (far beyond any real quantity; Kubernetes caps them too).
const LIMIT: i128 = 1 << 120;

impl Quantity {
    /// Parses Kubernetes' quantity syntax: a signed decimal number, then a binary suffix
    /// (`Ki` … `Ei`), a decimal one (`n`, `u`, `m`, `k`, `M` … `E`) or an exponent (`e3`).
    pub fn parse(s: &str) -> Option<Self> {
        let (negative, rest) = match s.as_bytes().first()? {
            b'-' => (true, s.get(1..)?),
            b'+' => (false, s.get(1..)?),
            _ => (false, s),
        };
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
        if (whole.is_empty() && frac.is_empty()) || frac.contains('.') {
            return None;
        }
        let digits = format!("{whole}{frac}");
        let mut mantissa: i128 = 0;
        for d in digits.bytes() {
            mantissa = mantissa
                .checked_mul(10)?
                .checked_add(i128::from(d - b'0'))?;
            if mantissa > LIMIT {
                return None;
            }
        }
        // value = mantissa × 10^(exp10 - frac digits) × 2^exp2, in nano-units (+9).
        let (exp10, exp2): (i64, u32) = match suffix {
            "Ki" => (0, 10),
            "Mi" => (0, 20),
            "Gi" => (0, 30),
            "Ti" => (0, 40),
            "Pi" => (0, 50),
            "Ei" => (0, 60),
            "n" => (-9, 0),
            "u" => (-6, 0),
            "m" => (-3, 0),
            "" => (0, 0),
            "k" => (3, 0),
            "M" => (6, 0),
            "G" => (9, 0),
            "T" => (12, 0),
            "P" => (15, 0),
            "E" => (18, 0),
            e if e.starts_with(['e', 'E']) => {
                let exp = e.get(1..)?;
                let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
                if digits.is_empty()
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                    || digits.len() > 4
                {
                    return None;
                }
                (exp.parse::<i64>().ok()?, 0)
            }
            _ => return None,
        };
        let scale = exp10 + 9 - frac.len() as i64;
        let mut value = mantissa.checked_mul(1i128.checked_shl(exp2)?)?;
        if scale >= 0 {
            for _ in 0..scale {
                value = value.checked_mul(10)?;
                if value > LIMIT {
                    return None;
                }
            }
        } else {
            // Finer than a nano-unit: rounded up, as the API server rounds.
            let mut div: i128 = 1;
            for _ in 0..(-scale).min(38) {
                div = div.checked_mul(10)?;
            }
            value = if value == 0 {
                0
            } else {
                (value + div - 1) / div
            };
        }
        if value > LIMIT {
            return None;
        }
        Some(Self(if negative { -value } else { value }))
    }

    fn checked(v: Option<i128>, f: &str) -> Result<Self, ExecutionError> {
        match v {
            Some(v) if v.abs() <= LIMIT => Ok(Self(v)),
            _ => Err(fail(f, "quantity out of range")),
        }
    }
}

/// Registers `quantity`, `isQuantity` and the quantity methods.
pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    cel::add_overload!(env, fn quantity: (CelString) -> Result<Quantity>)?;
    cel::add_overload!(env, fn is_quantity: (CelString) -> CelBool)?;
    cel::add_member_overload!(env, fn is_greater_than: (Quantity, Quantity) -> CelBool)?;
    cel::add_member_overload!(env, fn is_less_than: (Quantity, Quantity) -> CelBool)?;
    cel::add_member_overload!(env, fn compare_to: (Quantity, Quantity) -> CelInt)?;
    cel::add_member_overload!(env, fn add: (Quantity, Quantity) -> Result<Quantity>)?;
    cel::add_member_overload!(env, fn add_int: (Quantity, CelInt) -> Result<Quantity>, name = "add")?;
    cel::add_member_overload!(env, fn sub: (Quantity, Quantity) -> Result<Quantity>)?;
    cel::add_member_overload!(env, fn sub_int: (Quantity, CelInt) -> Result<Quantity>, name = "sub")?;
    cel::add_member_overload!(env, fn as_integer: (Quantity) -> Result<CelInt>)?;
    cel::add_member_overload!(env, fn is_integer: (Quantity) -> CelBool)?;
    cel::add_member_overload!(env, fn as_approximate_float: (Quantity) -> CelDouble)?;
    cel::add_member_overload!(env, fn sign: (Quantity) -> CelInt)?;
    Ok(())
}

fn quantity(s: &CelString<'_>) -> Result<Quantity, ExecutionError> {
    Quantity::parse(s.inner())
        .ok_or_else(|| fail("quantity", format!("`{}` is not a quantity", s.inner())))
}

fn is_quantity(s: &CelString<'_>) -> CelBool {
    CelBool::from(Quantity::parse(s.inner()).is_some())
}

fn is_greater_than(a: &Quantity, b: &Quantity) -> CelBool {
    CelBool::from(a > b)
}

fn is_less_than(a: &Quantity, b: &Quantity) -> CelBool {
    CelBool::from(a < b)
}

fn compare_to(a: &Quantity, b: &Quantity) -> CelInt {
    CelInt::from(a.cmp(b) as i64)
}

fn add(a: &Quantity, b: &Quantity) -> Result<Quantity, ExecutionError> {
    Quantity::checked(a.0.checked_add(b.0), "add")
}

fn add_int(a: &Quantity, b: &CelInt) -> Result<Quantity, ExecutionError> {
    Quantity::checked(
        i128::from(*b.inner())
            .checked_mul(NANO)
            .and_then(|b| a.0.checked_add(b)),
        "add",
    )
}

fn sub(a: &Quantity, b: &Quantity) -> Result<Quantity, ExecutionError> {
    Quantity::checked(a.0.checked_sub(b.0), "sub")
}

fn sub_int(a: &Quantity, b: &CelInt) -> Result<Quantity, ExecutionError> {
    Quantity::checked(
        i128::from(*b.inner())
            .checked_mul(NANO)
            .and_then(|b| a.0.checked_sub(b)),
        "sub",
    )
}

fn as_integer(q: &Quantity) -> Result<CelInt, ExecutionError> {
    if q.0 % NANO != 0 {
        return Err(fail("asInteger", "the quantity is not an integer"));
    }
    i64::try_from(q.0 / NANO)
        .map(CelInt::from)
        .map_err(|_| fail("asInteger", "the quantity overflows an int"))
}

fn is_integer(q: &Quantity) -> CelBool {
    CelBool::from(q.0 % NANO == 0 && i64::try_from(q.0 / NANO).is_ok())
}

fn as_approximate_float(q: &Quantity) -> CelDouble {
    CelDouble::from(q.0 as f64 / NANO as f64)
}

fn sign(q: &Quantity) -> CelInt {
    CelInt::from(q.0.signum() as i64)
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    #[test]
    fn quantities_parse_as_the_api_server_reads_them() {
        let q = |s: &str| Quantity::parse(s).map(|q| q.0);
        assert_eq!(q("1"), Some(1_000_000_000));
        assert_eq!(q("100m"), Some(100_000_000));
        assert_eq!(q("1.5Gi"), Some(1_610_612_736_000_000_000));
        assert_eq!(q("1Ki"), Some(1_024_000_000_000));
        assert_eq!(q("2e3"), Some(2_000_000_000_000));
        assert_eq!(q("-1k"), Some(-1_000_000_000_000));
        assert_eq!(q(".5"), Some(500_000_000));
        assert_eq!(q("1n"), Some(1));
        assert_eq!(q("0.1n"), Some(1));
        for bad in ["", "Gi", "1.2.3", "1 Gi", "1Gb", "--1", "1e", "1e+", "abc"] {
            assert_eq!(q(bad), None, "{bad}");
        }
        assert!(Quantity::parse("1Gi") > Quantity::parse("1000Mi"));
        assert_eq!(Quantity::parse("1000m"), Quantity::parse("1"));
    }
}
