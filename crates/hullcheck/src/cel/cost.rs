//! Cost bounds for CEL expressions, in the spirit of Kubernetes' cost model: one unit per
//! node visited, comprehensions multiply their body by the size of what they range over, and
//! string functions add a tenth of a unit per byte they may scan.
//!
//! The same walk gives both bounds hullcheck enforces:
//! - the **estimated** cost, with every collection from the evidence taken to hold
//!   [`Bounds::STATIC`] items, refused at compile time over [`ESTIMATED_LIMIT`];
//! - the **runtime** bound, with the real largest collection and string of the object (and
//!   params, namespace and variables) an expression sees, refused before it runs over
//!   [`PER_CALL_LIMIT`], and summed over a policy against [`POLICY_BUDGET`].
//!
//! Literal lists and maps count exactly, so an expression that nests comprehensions over
//! literals (an exponential blow-up) is refused whatever the evidence.

use cel::common::ast::{EntryExpr, Expr, LiteralValue};
use cel::IdedExpr;

/// Estimated cost over which an expression is refused at compile time (Kubernetes'
/// `StaticEstimatedCostLimit`).
pub const ESTIMATED_LIMIT: u64 = 10_000_000;
/// Runtime cost limit of one expression on one object (Kubernetes' `PerCallLimit`).
pub const PER_CALL_LIMIT: u64 = 1_000_000;
/// Runtime cost budget of one policy or control on one object (Kubernetes'
/// `RuntimeCELCostBudget`).
pub const POLICY_BUDGET: u64 = 10_000_000;

/// Size bounds of the data an expression sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// The most items any list or map holds.
    pub collection: u64,
    /// The longest string, in bytes.
    pub string: u64,
}

impl Bounds {
    /// The sizes assumed at compile time, when no evidence is at hand.
    pub const STATIC: Bounds = Bounds {
        collection: 100,
        string: 256,
    };

    /// The larger of two bounds, field by field.
    pub fn max(self, other: Bounds) -> Bounds {
        Bounds {
            collection: self.collection.max(other.collection),
            string: self.string.max(other.string),
        }
    }
}

/// Functions whose cost grows with the length of the strings (or lists) they scan.
const SCANNING: &[&str] = &[
    "matches",
    "contains",
    "startsWith",
    "endsWith",
    "split",
    "replace",
    "indexOf",
    "lastIndexOf",
    "lowerAscii",
    "upperAscii",
    "trim",
    "substring",
    "charAt",
    "format",
    "join",
    "reverse",
    "strings.quote",
    "string",
    "_+_",
    "_==_",
    "_!=_",
    "_<_",
    "_<=_",
    "_>_",
    "_>=_",
    "sort",
    "flatten",
    "distinct",
    "@in",
    "base64.encode",
    "base64.decode",
];

/// The cost bound of an expression under `bounds`.
pub fn cost(e: &IdedExpr, bounds: Bounds) -> u64 {
    walk(e, bounds).0
}

/// (cost, size bound of the value if it is a collection).
fn walk(e: &IdedExpr, b: Bounds) -> (u64, u64) {
    match &e.expr {
        Expr::Unspecified => (1, 0),
        Expr::Literal(LiteralValue::String(s)) => (1, s.inner().len() as u64),
        Expr::Literal(_) => (1, 0),
        Expr::Ident(_) => (1, b.collection),
        Expr::Select(s) => (walk(&s.operand, b).0.saturating_add(1), b.collection),
        Expr::Call(c) => {
            let mut total: u64 = 1;
            let mut sizes = Vec::with_capacity(c.args.len() + 1);
            for a in c.target.iter().map(|t| t.as_ref()).chain(c.args.iter()) {
                let (ac, sz) = walk(a, b);
                total = total.saturating_add(ac);
                sizes.push(sz);
            }
            if SCANNING.contains(&c.func_name.as_str()) {
                // A scan reads strings up to the longest, or lists up to the largest.
                total = total.saturating_add(b.string.max(b.collection) / 10 + 1);
            }
            let size = match c.func_name.as_str() {
                "_+_" => sizes.iter().fold(0u64, |acc, s| acc.saturating_add(*s)),
                // A string split into a list holds at most one item per byte.
                "split" => b.string.max(b.collection),
                _ => b.collection,
            };
            (total, size)
        }
        Expr::List(l) => {
            let total = l
                .elements
                .iter()
                .fold(1u64, |acc, x| acc.saturating_add(walk(x, b).0));
            (total, l.elements.len() as u64)
        }
        Expr::Map(m) => {
            let total = m.entries.iter().fold(1u64, |acc, entry| {
                let c = match &entry.expr {
                    EntryExpr::MapEntry(me) => {
                        walk(&me.key, b).0.saturating_add(walk(&me.value, b).0)
                    }
                    EntryExpr::StructField(f) => walk(&f.value, b).0,
                };
                acc.saturating_add(c)
            });
            (total, m.entries.len() as u64)
        }
        Expr::Struct(s) => {
            let total = s.entries.iter().fold(1u64, |acc, entry| {
                let c = match &entry.expr {
                    EntryExpr::MapEntry(me) => walk(&me.value, b).0,
                    EntryExpr::StructField(f) => walk(&f.value, b).0,
                };
                acc.saturating_add(c)
            });
            (total, 0)
        }
        Expr::Comprehension(c) => {
            let (range_cost, n) = walk(&c.iter_range, b);
            let (init_cost, init_size) = walk(&c.accu_init, b);
            let body = walk(&c.loop_cond, b)
                .0
                .saturating_add(walk(&c.loop_step, b).0);
            let (result_cost, result_size) = walk(&c.result, b);
            let total = range_cost
                .saturating_add(init_cost)
                .saturating_add(n.saturating_mul(body))
                .saturating_add(result_cost)
                .saturating_add(1);
            // `map` and `filter` accumulate at most one item per iteration.
            let size = match &c.result.expr {
                Expr::Ident(name) if *name == c.accu_var => init_size.saturating_add(n),
                _ => result_size,
            };
            (total, size)
        }
    }
}
