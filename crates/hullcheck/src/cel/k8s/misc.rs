//! The rest of the Kubernetes libraries: regex `find` and `findAll`, `sets.contains`,
//! `sets.equivalent` and `sets.intersects`, and the list functions `isSorted`, `sum`, `min`,
//! `max`, `indexOf` and `lastIndexOf`.

use cel::common::types::{CelBool, CelDouble, CelInt, CelList, CelString, CelUInt, LIST_TYPE};
use cel::common::value::{CowVal, Val};
use cel::{DeclarationError, Env, ExecutionError};

use super::fail;

/// Registers the functions.
pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    cel::add_member_overload!(env, fn find: (CelString, CelString) -> Result<CelString>)?;
    cel::add_member_overload!(env, fn find_all: (CelString, CelString) -> Result<CelList>)?;
    cel::add_member_overload!(env, fn find_all_n: (CelString, CelString, CelInt) -> Result<CelList>, name = "findAll")?;
    env.add_overload(
        "sets.contains",
        "sets.contains(list,list)",
        vec![LIST_TYPE, LIST_TYPE],
        sets_contains,
    )?;
    env.add_overload(
        "sets.equivalent",
        "sets.equivalent(list,list)",
        vec![LIST_TYPE, LIST_TYPE],
        sets_equivalent,
    )?;
    env.add_overload(
        "sets.intersects",
        "sets.intersects(list,list)",
        vec![LIST_TYPE, LIST_TYPE],
        sets_intersects,
    )?;
    env.add_member_overload("isSorted", "list.isSorted()", LIST_TYPE, vec![], is_sorted)?;
    env.add_member_overload("sum", "list.sum()", LIST_TYPE, vec![], sum)?;
    env.add_member_overload("min", "list.min()", LIST_TYPE, vec![], min)?;
    env.add_member_overload("max", "list.max()", LIST_TYPE, vec![], max)?;
    env.add_member_overload(
        "indexOf",
        "list.indexOf(dyn)",
        LIST_TYPE,
        vec![cel::common::types::DYN_TYPE],
        index_of,
    )?;
    env.add_member_overload(
        "lastIndexOf",
        "list.lastIndexOf(dyn)",
        LIST_TYPE,
        vec![cel::common::types::DYN_TYPE],
        last_index_of,
    )?;
    Ok(())
}

fn regex(f: &str, pattern: &str) -> Result<regex::Regex, ExecutionError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            fail(
                f,
                format!("`{pattern}` is not a valid regular expression: {e}"),
            )
        })
}

fn find(s: &CelString<'_>, pattern: &CelString<'_>) -> Result<CelString<'static>, ExecutionError> {
    let re = regex("find", pattern.inner())?;
    Ok(re
        .find(s.inner())
        .map_or_else(String::new, |m| m.as_str().to_owned())
        .into())
}

fn find_all(
    s: &CelString<'_>,
    pattern: &CelString<'_>,
) -> Result<CelList<'static>, ExecutionError> {
    find_all_n(s, pattern, &CelInt::from(-1))
}

fn find_all_n(
    s: &CelString<'_>,
    pattern: &CelString<'_>,
    n: &CelInt,
) -> Result<CelList<'static>, ExecutionError> {
    let re = regex("findAll", pattern.inner())?;
    let limit = usize::try_from(*n.inner()).unwrap_or(usize::MAX);
    let found: Vec<Box<dyn Val>> = re
        .find_iter(s.inner())
        .take(limit)
        .map(|m| Box::new(CelString::from(m.as_str().to_owned())) as Box<dyn Val>)
        .collect();
    Ok(CelList::from(found))
}

/// The elements of a list.
fn items<'b, 'v>(list: &'b (dyn Val + 'v)) -> Result<Vec<&'b (dyn Val + 'v)>, ExecutionError> {
    let iterable = list
        .as_iterable()
        .ok_or_else(|| ExecutionError::UnexpectedType {
            got: list.get_type().name().to_owned(),
            want: "list".to_owned(),
        })?;
    let mut it = iterable.iter();
    let mut out = Vec::new();
    while let Some(x) = it.next() {
        out.push(x);
    }
    Ok(out)
}

fn one<'a, 'b, 'v>(args: &'a [CowVal<'b, 'v>]) -> Result<&'a (dyn Val + 'v), ExecutionError> {
    match args {
        [a] => Ok(a.as_ref()),
        _ => Err(ExecutionError::invalid_argument_count(1, args.len())),
    }
}

fn two<'a, 'b, 'v>(
    args: &'a [CowVal<'b, 'v>],
) -> Result<(&'a (dyn Val + 'v), &'a (dyn Val + 'v)), ExecutionError> {
    match args {
        [a, b] => Ok((a.as_ref(), b.as_ref())),
        _ => Err(ExecutionError::invalid_argument_count(2, args.len())),
    }
}

fn contains_all(a: &dyn Val, b: &dyn Val) -> Result<bool, ExecutionError> {
    let (a, b) = (items(a)?, items(b)?);
    Ok(b.iter().all(|x| a.iter().any(|y| y.equals(*x))))
}

fn sets_contains<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let (a, b) = two(&args)?;
    Ok(CowVal::owned(CelBool::from(contains_all(a, b)?)))
}

fn sets_equivalent<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let (a, b) = two(&args)?;
    Ok(CowVal::owned(CelBool::from(
        contains_all(a, b)? && contains_all(b, a)?,
    )))
}

fn sets_intersects<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let (a, b) = two(&args)?;
    let (a, b) = (items(a)?, items(b)?);
    Ok(CowVal::owned(CelBool::from(
        b.iter().any(|x| a.iter().any(|y| y.equals(*x))),
    )))
}

fn order(a: &dyn Val, b: &dyn Val) -> Result<std::cmp::Ordering, ExecutionError> {
    a.as_comparer()
        .ok_or_else(|| ExecutionError::UnexpectedType {
            got: a.get_type().name().to_owned(),
            want: "comparable".to_owned(),
        })?
        .compare(b)
}

fn is_sorted<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let xs = items(one(&args)?)?;
    for pair in xs.windows(2) {
        if let [a, b] = pair {
            if order(*a, *b)?.is_gt() {
                return Ok(CowVal::owned(CelBool::from(false)));
            }
        }
    }
    Ok(CowVal::owned(CelBool::from(true)))
}

fn sum<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let xs = items(one(&args)?)?;
    let (mut i, mut u, mut d) = (Some(0i64), Some(0u64), 0f64);
    let (mut ints, mut uints, mut doubles) = (0, 0, 0);
    for x in &xs {
        if let Some(v) = x.downcast_ref::<CelInt>() {
            ints += 1;
            i = i.and_then(|s| s.checked_add(*v.inner()));
        } else if let Some(v) = x.downcast_ref::<CelUInt>() {
            uints += 1;
            u = u.and_then(|s| s.checked_add(*v.inner()));
        } else if let Some(v) = x.downcast_ref::<CelDouble>() {
            doubles += 1;
            d += *v.inner();
        } else {
            return Err(fail("sum", format!("cannot sum a {}", x.get_type().name())));
        }
    }
    let n = xs.len();
    match (ints == n, uints == n && n > 0, doubles == n && n > 0) {
        (true, _, _) => i
            .map(|s| CowVal::owned(CelInt::from(s)))
            .ok_or_else(|| fail("sum", "int overflow")),
        (_, true, _) => u
            .map(|s| CowVal::owned(CelUInt::from(s)))
            .ok_or_else(|| fail("sum", "uint overflow")),
        (_, _, true) => Ok(CowVal::owned(CelDouble::from(d))),
        _ => Err(fail("sum", "the list mixes numeric types")),
    }
}

fn extreme<'b, 'v>(
    args: Vec<CowVal<'b, 'v>>,
    f: &str,
    want: std::cmp::Ordering,
) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let xs = items(one(&args)?)?;
    let mut best = *xs.first().ok_or_else(|| fail(f, "the list is empty"))?;
    for x in xs.iter().skip(1) {
        if order(*x, best)? == want {
            best = *x;
        }
    }
    Ok(CowVal::Owned(best.clone_as_boxed()))
}

fn min<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    extreme(args, "min", std::cmp::Ordering::Less)
}

fn max<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    extreme(args, "max", std::cmp::Ordering::Greater)
}

fn position<'b, 'v>(
    args: Vec<CowVal<'b, 'v>>,
    last: bool,
) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let (list, x) = two(&args)?;
    let xs = items(list)?;
    let found = if last {
        xs.iter().rposition(|y| y.equals(x))
    } else {
        xs.iter().position(|y| y.equals(x))
    };
    Ok(CowVal::owned(CelInt::from(found.map_or(-1, |p| p as i64))))
}

fn index_of<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    position(args, false)
}

fn last_index_of<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    position(args, true)
}
