//! What hullcheck refuses before running an expression: functions and features it does not
//! implement, and variables its context does not declare. Kubernetes type-checks an
//! expression before it runs; without that, a call in a branch not taken would pass unseen.

use cel::common::ast::{EntryExpr, Expr};
use cel::IdedExpr;

use super::CelError;

/// Functions and methods hullcheck's CEL environment implements: the CEL standard library and
/// the strings, lists, math and encoders extensions Kubernetes enables, and the Kubernetes
/// libraries. Every name here is evaluated by a test.
#[rustfmt::skip]
pub const FUNCTIONS: &[&str] = &[
    // standard library
    "size", "matches", "contains", "startsWith", "endsWith", "int", "uint", "double", "string",
    "bytes", "bool", "dyn", "type", "duration", "timestamp", "getFullYear", "getMonth",
    "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes",
    "getSeconds", "getMilliseconds",
    // optional values
    "optional.of", "optional.none", "optional.ofNonZeroValue", "hasValue", "value", "orValue",
    "or",
    // strings extension
    "charAt", "indexOf", "lastIndexOf", "lowerAscii", "upperAscii", "replace", "split",
    "substring", "trim", "join", "reverse", "strings.quote", "format",
    // lists extension
    "sort", "slice", "flatten", "distinct", "lists.range",
    // math extension
    "math.greatest", "math.least", "math.abs", "math.ceil", "math.floor", "math.round",
    "math.trunc", "math.sign", "math.isNaN", "math.isInf", "math.isFinite", "math.sqrt",
    "math.bitAnd", "math.bitOr", "math.bitXor", "math.bitNot", "math.bitShiftLeft",
    "math.bitShiftRight",
    // encoders extension
    "base64.encode", "base64.decode",
    // Kubernetes: quantity
    "quantity", "isQuantity", "isGreaterThan", "isLessThan", "compareTo", "add", "sub",
    "asInteger", "isInteger", "asApproximateFloat", "sign",
    // Kubernetes: IP and CIDR
    "ip", "isIP", "family", "isUnspecified", "isLoopback", "isLinkLocalMulticast",
    "isLinkLocalUnicast", "isGlobalUnicast", "cidr", "isCIDR", "containsIP", "containsCIDR",
    "masked", "prefixLength",
    // Kubernetes: URL
    "url", "isURL", "getScheme", "getHost", "getHostname", "getPort", "getEscapedPath",
    "getQuery",
    // Kubernetes: semver
    "semver", "isSemver", "major", "minor", "patch",
    // Kubernetes: regex, sets and lists
    "find", "findAll", "sets.contains", "sets.equivalent", "sets.intersects", "isSorted",
    "sum", "min", "max",
];

/// Names that are types, usable as values (`type(x) == int`).
#[rustfmt::skip]
const TYPE_NAMES: &[&str] = &[
    "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type",
    "duration", "timestamp", "optional_type",
];

/// Functions of the Kubernetes CEL environment hullcheck does not implement: named in the error.
#[rustfmt::skip]
const KUBERNETES_ONLY: &[&str] = &[
    "cel.bind", "transformList", "transformMap", "transformMapEntry", "authorizer",
    "format.named", "jsonpatch.escapeKey", "isCanonical",
];

/// Namespaces of qualified function names.
#[rustfmt::skip]
const NAMESPACES: &[&str] = &[
    "optional", "strings", "lists", "math", "base64", "sets", "cel", "jsonpatch", "format",
];

/// Checks an expression's syntax tree against what hullcheck runs and the variables in scope.
pub fn check(source: &str, root: &IdedExpr, declared: &[&str]) -> Result<(), CelError> {
    let mut scope: Vec<String> = declared.iter().map(|s| (*s).to_owned()).collect();
    walk(source, root, &mut scope)
}

fn unsupported(source: &str, feature: String) -> CelError {
    CelError::Unsupported {
        expression: source.to_owned(),
        feature,
    }
}

/// The qualified name of a call: `math.greatest(…)` parses as a call on the identifier `math`.
fn call_name(func: &str, target: Option<&IdedExpr>) -> (String, bool) {
    match target.map(|t| &t.expr) {
        Some(Expr::Ident(ns)) if NAMESPACES.contains(&ns.as_str()) => {
            (format!("{ns}.{func}"), false)
        }
        Some(_) => (func.to_owned(), true),
        None => (func.to_owned(), false),
    }
}

fn walk(source: &str, e: &IdedExpr, scope: &mut Vec<String>) -> Result<(), CelError> {
    match &e.expr {
        Expr::Unspecified => Err(unsupported(source, "an empty expression".to_owned())),
        Expr::Literal(_) => Ok(()),
        Expr::Ident(name) => {
            if scope.iter().any(|s| s == name) || TYPE_NAMES.contains(&name.as_str()) {
                Ok(())
            } else if name == "authorizer" {
                Err(unsupported(
                    source,
                    "the `authorizer` variable (offline evaluation has no API server to ask)"
                        .to_owned(),
                ))
            } else {
                Err(CelError::Undeclared {
                    expression: source.to_owned(),
                    name: name.clone(),
                })
            }
        }
        Expr::Select(s) => walk(source, &s.operand, scope),
        Expr::Call(c) => {
            let (name, member) = call_name(&c.func_name, c.target.as_deref());
            let operator = name.starts_with('_') || name.contains('@') || name == "!_";
            if !operator {
                if member && matches!(name.as_str(), "all" | "exists" | "exists_one" | "existsOne")
                {
                    return Err(unsupported(
                        source,
                        format!(
                            "a two-variable comprehension (`{name}` with {} arguments)",
                            c.args.len()
                        ),
                    ));
                }
                if KUBERNETES_ONLY.contains(&name.as_str()) {
                    return Err(unsupported(
                        source,
                        format!("the Kubernetes CEL function `{name}`"),
                    ));
                }
                if !FUNCTIONS.contains(&name.as_str()) {
                    return Err(unsupported(
                        source,
                        format!("the unknown function `{name}`"),
                    ));
                }
            }
            if let Some(t) = c.target.as_deref() {
                if !(matches!(&t.expr, Expr::Ident(ns) if NAMESPACES.contains(&ns.as_str()))) {
                    walk(source, t, scope)?;
                }
            }
            c.args.iter().try_for_each(|a| walk(source, a, scope))
        }
        Expr::List(l) => l.elements.iter().try_for_each(|x| walk(source, x, scope)),
        Expr::Map(m) => m.entries.iter().try_for_each(|entry| match &entry.expr {
            EntryExpr::MapEntry(me) => {
                walk(source, &me.key, scope)?;
                walk(source, &me.value, scope)
            }
            EntryExpr::StructField(f) => walk(source, &f.value, scope),
        }),
        Expr::Struct(s) => Err(unsupported(
            source,
            format!("a message literal (`{}{{…}}`)", s.type_name),
        )),
        Expr::Comprehension(c) => {
            if c.iter_var2.is_some() {
                return Err(unsupported(
                    source,
                    "a two-variable comprehension".to_owned(),
                ));
            }
            walk(source, &c.iter_range, scope)?;
            walk(source, &c.accu_init, scope)?;
            let depth = scope.len();
            scope.push(c.accu_var.clone());
            scope.push(c.iter_var.clone());
            let inner =
                walk(source, &c.loop_cond, scope).and_then(|()| walk(source, &c.loop_step, scope));
            scope.truncate(depth + 1);
            let result = inner.and_then(|()| walk(source, &c.result, scope));
            scope.truncate(depth);
            result
        }
    }
}
