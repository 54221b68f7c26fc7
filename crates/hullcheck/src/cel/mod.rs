//! CEL, as Kubernetes admission uses it: expressions compiled once with a cost estimate and
//! a check of what they call, then evaluated against objects from the evidence under a
//! runtime cost bound. Nothing here fails open: every refusal is a [`CelError`].
//!
//! The interpreter is the `cel` crate (0.15) with its strings, lists, math and encoders
//! extensions and optional values (`a.?b.orValue(c)`), which is what Kubernetes enables
//! from cel-go, and the Kubernetes libraries in [`k8s`] (quantity, IP and CIDR, URL, semver,
//! regex `find`, sets and the list functions); see [`check::FUNCTIONS`].

pub mod check;
pub mod cost;
mod error;
pub mod k8s;
pub mod value;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

pub use cost::Bounds;
pub use error::CelError;

/// Longest expression accepted, in bytes.
pub const MAX_EXPRESSION_BYTES: usize = 16 * 1024;

/// Deepest syntax tree accepted (after macro expansion): every walk over it, the
/// interpreter's included, recurses at most this deep.
pub const MAX_DEPTH: usize = 128;

/// Stack for the parser, which recurses on long operator chains before any tree exists to
/// measure. One thread with it parses every expression of the process.
const PARSER_STACK: usize = 256 << 20;

/// What the parser thread answers: `None` when it failed, `Some(Ok(None))` for a tree deeper
/// than [`MAX_DEPTH`] (measured and dropped there: dropping recurses too).
type Parsed = Option<Result<Option<cel::Program>, String>>;

type Job = (String, std::sync::mpsc::Sender<Parsed>);

/// The parser thread, started on first use.
fn parser() -> Option<&'static std::sync::Mutex<std::sync::mpsc::Sender<Job>>> {
    static PARSER: OnceLock<Option<std::sync::Mutex<std::sync::mpsc::Sender<Job>>>> =
        OnceLock::new();
    PARSER
        .get_or_init(|| {
            let (tx, rx) = std::sync::mpsc::channel::<Job>();
            std::thread::Builder::new()
                .name("hullcheck-cel-parser".to_owned())
                .stack_size(PARSER_STACK)
                .spawn(move || {
                    for (source, reply) in rx {
                        let parsed = catch_unwind(AssertUnwindSafe(|| {
                            env()
                                .compile(&source)
                                .map_err(|e| first_line(&e.to_string()))
                        }))
                        .ok()
                        .map(|r| r.map(|p| (depth(p.expression()) <= MAX_DEPTH).then_some(p)));
                        let _ = reply.send(parsed);
                    }
                })
                .ok()?;
            Some(std::sync::Mutex::new(tx))
        })
        .as_ref()
}

/// Parses on the parser thread.
fn parse_on_parser_thread(source: &str) -> Parsed {
    let (reply, answer) = std::sync::mpsc::channel();
    parser()?
        .lock()
        .ok()?
        .send((source.to_owned(), reply))
        .ok()?;
    answer.recv().ok().flatten()
}

/// The depth of a syntax tree, measured without recursion.
fn depth(root: &cel::IdedExpr) -> usize {
    use cel::common::ast::{EntryExpr, Expr};
    let mut deepest = 0;
    let mut stack: Vec<(&cel::IdedExpr, usize)> = vec![(root, 1)];
    while let Some((e, d)) = stack.pop() {
        deepest = deepest.max(d);
        if deepest > MAX_DEPTH {
            return deepest;
        }
        match &e.expr {
            Expr::Select(s) => stack.push((&s.operand, d + 1)),
            Expr::Call(c) => {
                stack.extend(c.target.iter().map(|t| (t.as_ref(), d + 1)));
                stack.extend(c.args.iter().map(|a| (a, d + 1)));
            }
            Expr::List(l) => stack.extend(l.elements.iter().map(|x| (x, d + 1))),
            Expr::Map(m) => {
                for entry in &m.entries {
                    match &entry.expr {
                        EntryExpr::MapEntry(me) => {
                            stack.push((&me.key, d + 1));
                            stack.push((&me.value, d + 1));
                        }
                        EntryExpr::StructField(f) => stack.push((&f.value, d + 1)),
                    }
                }
            }
            Expr::Struct(st) => {
                for entry in &st.entries {
                    if let EntryExpr::StructField(f) = &entry.expr {
                        stack.push((&f.value, d + 1));
                    }
                }
            }
            Expr::Comprehension(c) => {
                for x in [
                    &c.iter_range,
                    &c.accu_init,
                    &c.loop_cond,
                    &c.loop_step,
                    &c.result,
                ] {
                    stack.push((x, d + 1));
                }
            }
            _ => {}
        }
    }
    deepest
}

/// The shared CEL environment (functions and macros), built once.
fn env() -> &'static Arc<cel::Env> {
    static ENV: OnceLock<Arc<cel::Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = cel::Env::stdlib().with_optional_support(true);
        // Each extension registers distinct names; a clash would only drop that extension,
        // and the functions it holds are then refused at run time, never passed.
        let _ = env.add_extension(cel::extensions::strings);
        let _ = env.add_extension(cel::extensions::lists);
        let _ = env.add_extension(cel::extensions::math);
        let _ = env.add_extension(cel::extensions::encoders);
        let _ = env.add_extension(k8s::extension);
        Arc::new(env)
    })
}

/// A compiled expression.
#[derive(Debug)]
pub struct Compiled {
    /// The source text.
    pub source: Arc<str>,
    /// Its estimated cost.
    pub estimated_cost: u64,
    program: cel::Program,
}

impl Compiled {
    /// The expression's syntax tree.
    pub fn program_expr(&self) -> &cel::IdedExpr {
        self.program.expression()
    }
}

/// Compiles an expression for a context that declares `declared` variables.
pub fn compile(source: &str, declared: &[&str]) -> Result<Compiled, CelError> {
    if source.len() > MAX_EXPRESSION_BYTES {
        return Err(CelError::Unsupported {
            expression: clip(source),
            feature: format!("an expression over {MAX_EXPRESSION_BYTES} bytes"),
        });
    }
    let parsed = parse_on_parser_thread(source);
    let program = match parsed {
        Some(Ok(Some(p))) => p,
        Some(Ok(None)) => {
            return Err(CelError::Unsupported {
                expression: clip(source),
                feature: format!("an expression nested deeper than {MAX_DEPTH}"),
            })
        }
        Some(Err(message)) => {
            return Err(CelError::Syntax {
                expression: clip(source),
                message,
            })
        }
        None => {
            return Err(CelError::Syntax {
                expression: clip(source),
                message: "the parser failed".to_owned(),
            })
        }
    };
    check::check(source, program.expression(), declared)?;
    let estimated_cost = cost::cost(program.expression(), Bounds::STATIC);
    if estimated_cost > cost::ESTIMATED_LIMIT {
        return Err(CelError::EstimatedCost {
            expression: clip(source),
            estimated: estimated_cost,
            limit: cost::ESTIMATED_LIMIT,
        });
    }
    Ok(Compiled {
        source: source.into(),
        estimated_cost,
        program,
    })
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// The expression as quoted in messages: at most 200 characters.
fn clip(source: &str) -> String {
    let one_line: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", one_line.get(..i).unwrap_or("")),
        None => one_line,
    }
}

/// Variables bound for evaluation, with the size bounds of what they hold.
pub struct Frame<'p> {
    ctx: cel::Context<'p, 'static>,
    bounds: Bounds,
}

impl Frame<'static> {
    /// A frame binding `vars` over the shared environment.
    pub fn root(vars: Vec<(&str, value::Boxed)>) -> Result<Self, CelError> {
        let mut frame = Frame {
            ctx: cel::Context::with_env(env().clone()),
            bounds: Bounds {
                collection: 0,
                string: 0,
            },
        };
        frame.bind(vars)?;
        Ok(frame)
    }
}

impl<'p> Frame<'p> {
    /// A child frame that sees this one's variables and binds `vars` over them.
    pub fn child(&'p self, vars: Vec<(&str, value::Boxed)>) -> Result<Frame<'p>, CelError> {
        let mut frame = Frame {
            ctx: self.ctx.new_inner_scope(),
            bounds: self.bounds,
        };
        frame.bind(vars)?;
        Ok(frame)
    }

    /// Binds (or rebinds) variables in this frame.
    pub fn bind(&mut self, vars: Vec<(&str, value::Boxed)>) -> Result<(), CelError> {
        for (name, v) in vars {
            self.bounds = self.bounds.max(value::bounds(v.as_ref()));
            self.ctx.add_variable_as_val(name, v);
        }
        Ok(())
    }

    /// The runtime cost bound of an expression in this frame. Cost only grows with the
    /// bounds, so within the compile-time sizes the estimate stands for it.
    pub fn cost(&self, e: &Compiled) -> u64 {
        let s = Bounds::STATIC;
        let within = self.bounds.collection <= s.collection && self.bounds.string <= s.string;
        if within && e.estimated_cost <= cost::PER_CALL_LIMIT {
            return e.estimated_cost;
        }
        cost::cost(e.program.expression(), self.bounds)
    }

    /// Evaluates an expression to the interpreter's value (borrowed from the frame where it
    /// can be), charging its runtime bound to `budget` first: over the per-call limit or the
    /// remaining budget, it does not run.
    pub fn eval_val<'a>(
        &'a self,
        e: &'a Compiled,
        budget: &mut u64,
    ) -> Result<cel::common::value::CowVal<'a, 'static>, CelError> {
        let bound = self.cost(e);
        let limit = cost::PER_CALL_LIMIT.min(*budget);
        if bound > limit {
            return Err(CelError::RuntimeCost {
                expression: clip(&e.source),
                bound,
                limit,
            });
        }
        *budget = budget.saturating_sub(bound);
        let ctx = &self.ctx;
        let expr = e.program.expression();
        match catch_unwind(AssertUnwindSafe(|| cel::Value::resolve_val(expr, ctx))) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(err)) => Err(CelError::Runtime {
                expression: clip(&e.source),
                message: first_line(&err.to_string()),
            }),
            Err(_) => Err(CelError::Runtime {
                expression: clip(&e.source),
                message: "the interpreter failed".to_owned(),
            }),
        }
    }

    /// Evaluates an expression to an owned value, to bind as a variable.
    pub fn eval_owned(&self, e: &Compiled, budget: &mut u64) -> Result<value::Boxed, CelError> {
        self.eval_val(e, budget)
            .map(cel::common::value::CowVal::into_owned)
    }

    /// Evaluates an expression to a plain [`cel::Value`].
    pub fn eval(&self, e: &Compiled, budget: &mut u64) -> Result<cel::Value, CelError> {
        let v = self.eval_val(e, budget)?;
        cel::Value::try_from(v.as_ref()).map_err(|err| CelError::Runtime {
            expression: clip(&e.source),
            message: first_line(&err.to_string()),
        })
    }

    /// Evaluates an expression that must give a `bool`.
    pub fn eval_bool(&self, e: &Compiled, budget: &mut u64) -> Result<bool, CelError> {
        let v = self.eval_val(e, budget)?;
        match v.downcast_ref::<cel::common::types::CelBool>() {
            Some(b) => Ok(*b.inner()),
            None => Err(CelError::Type {
                expression: clip(&e.source),
                want: "bool",
                got: value::type_name(v.as_ref()),
            }),
        }
    }

    /// Evaluates an expression that must give a `string`.
    pub fn eval_string(&self, e: &Compiled, budget: &mut u64) -> Result<String, CelError> {
        let v = self.eval_val(e, budget)?;
        match v.downcast_ref::<cel::common::types::CelString>() {
            Some(s) => Ok(s.inner().to_owned()),
            None => Err(CelError::Type {
                expression: clip(&e.source),
                want: "string",
                got: value::type_name(v.as_ref()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// One expression per supported function, each true when the function works.
    const SAMPLES: &[&str] = &[
        "size('abc') == 3 && 'abc'.matches('^a') && 'abc'.contains('b')",
        "'abc'.startsWith('a') && 'abc'.endsWith('c')",
        "int('2') == 2 && uint(2) == 2u && double(1) == 1.0 && string(1) == '1'",
        "bytes('a') == b'a' && bool('true') && dyn(1) == 1 && type(1) == int",
        "duration('1s') < duration('2s')",
        "timestamp('2020-03-04T05:06:07.008Z').getFullYear() == 2020",
        "timestamp('2020-03-04T05:06:07.008Z').getMonth() == 2",
        "timestamp('2020-03-04T05:06:07.008Z').getDate() == 4",
        "timestamp('2020-03-04T05:06:07.008Z').getDayOfMonth() == 3",
        "timestamp('2020-03-04T05:06:07.008Z').getDayOfWeek() == 3",
        "timestamp('2020-03-04T05:06:07.008Z').getDayOfYear() == 63",
        "timestamp('2020-03-04T05:06:07.008Z').getHours() == 5",
        "timestamp('2020-03-04T05:06:07.008Z').getMinutes() == 6",
        "timestamp('2020-03-04T05:06:07.008Z').getSeconds() == 7",
        "timestamp('2020-03-04T05:06:07.008Z').getMilliseconds() == 8",
        "optional.of(1).hasValue() && optional.none().orValue(2) == 2",
        "optional.ofNonZeroValue(0).or(optional.of(3)).value() == 3",
        "'abc'.charAt(1) == 'b' && 'abc'.indexOf('c') == 2 && 'abca'.lastIndexOf('a') == 3",
        "'Ab'.lowerAscii() == 'ab' && 'ab'.upperAscii() == 'AB' && 'ab'.replace('b', 'c') == 'ac'",
        "'a,b'.split(',') == ['a', 'b'] && 'abc'.substring(1) == 'bc' && ' a '.trim() == 'a'",
        "['a', 'b'].join('-') == 'a-b' && 'ab'.reverse() == 'ba' && strings.quote('a') == '\"a\"'",
        "'%s-%d'.format(['a', 1]) == 'a-1'",
        "[2, 1].sort() == [1, 2] && [1, 2, 3].slice(1, 2) == [2] && [[1], [2]].flatten() == [1, 2]",
        "[1, 1].distinct() == [1] && lists.range(2) == [0, 1]",
        "math.greatest(1, 2) == 2 && math.least(1, 2) == 1 && math.abs(-1) == 1",
        "math.ceil(1.2) == 2.0 && math.floor(1.8) == 1.0 && math.round(1.5) == 2.0",
        "math.trunc(1.8) == 1.0 && math.sign(-3) == -1 && !math.isNaN(1.0)",
        "!math.isInf(1.0) && math.isFinite(1.0) && math.sqrt(4) == 2.0",
        "math.bitAnd(3, 1) == 1 && math.bitOr(2, 1) == 3 && math.bitXor(3, 1) == 2",
        "math.bitNot(0) == -1 && math.bitShiftLeft(1, 2) == 4 && math.bitShiftRight(4, 2) == 1",
        "base64.decode(base64.encode(b'hi')) == b'hi'",
        "quantity('1Gi').isGreaterThan(quantity('1000Mi')) && isQuantity('100m') && !isQuantity('x')",
        "quantity('1').isLessThan(quantity('1.5')) && quantity('2k').compareTo(quantity('2000')) == 0",
        "quantity('1').add(quantity('500m')) == quantity('1.5') && quantity('2').add(1) == quantity('3')",
        "quantity('2').sub(quantity('1')) == quantity('1') && quantity('2').sub(1).asInteger() == 1",
        "quantity('1.5').isInteger() == false && quantity('1.5').asApproximateFloat() == 1.5",
        "quantity('-3').sign() == -1",
        "ip('10.0.0.1').family() == 4 && isIP('::1') && !isIP('::ffff:1.2.3.4') && !isIP('1.2.3')",
        "ip('0.0.0.0').isUnspecified() && ip('127.0.0.1').isLoopback() && ip('224.0.0.1').isLinkLocalMulticast()",
        "ip('fe80::1').isLinkLocalUnicast() && ip('8.8.8.8').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast()",
        "cidr('10.0.0.0/8').containsIP(ip('10.1.2.3')) && cidr('10.0.0.0/8').containsIP('10.0.0.1') && !cidr('10.0.0.0/8').containsIP('11.0.0.1')",
        "cidr('10.0.0.0/8').containsCIDR(cidr('10.1.0.0/16')) && !cidr('10.1.0.0/16').containsCIDR('10.0.0.0/8')",
        "cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8') && cidr('10.0.0.0/8').prefixLength() == 8",
        "cidr('10.1.2.3/8').ip() == ip('10.1.2.3') && isCIDR('::/0') && !isCIDR('10.0.0.0/33')",
        "url('https://example.com:8443/a/b?x=1&x=2').getScheme() == 'https' && isURL('/path') && !isURL('relative')",
        "url('https://example.com:8443/a').getHost() == 'example.com:8443' && url('https://example.com:8443/a').getHostname() == 'example.com'",
        "url('https://example.com:8443/a').getPort() == '8443' && url('https://[::1]:80/').getHostname() == '::1'",
        "url('https://example.com/a%20b').getEscapedPath() == '/a%20b'",
        "url('https://example.com/?x=1&x=2&y=a+b').getQuery() == {'x': ['1', '2'], 'y': ['a b']}",
        "semver('1.2.3').major() == 1 && semver('1.2.3').minor() == 2 && semver('1.2.3').patch() == 3",
        "isSemver('1.2.3-rc.1') && !isSemver('v1.2') && isSemver('v1.2', true) && semver('v01.2', true) == semver('1.2.0')",
        "semver('1.2.3').isLessThan(semver('1.10.0')) && semver('2.0.0').isGreaterThan(semver('2.0.0-rc.1'))",
        "semver('1.0.0+a').compareTo(semver('1.0.0+b')) == 0",
        "'abc123def456'.find('[0-9]+') == '123' && 'abc'.find('x') == ''",
        "'a1b2c3'.findAll('[0-9]') == ['1', '2', '3'] && 'a1b2c3'.findAll('[0-9]', 2) == ['1', '2']",
        "sets.contains([1, 2, 3], [3, 1]) && !sets.contains([1], [2])",
        "sets.equivalent([1, 2, 1], [2, 1]) && sets.intersects([1, 2], [2, 5]) && !sets.intersects([1], [])",
        "[1, 2, 2].isSorted() && ![2, 1].isSorted() && [1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0",
        "[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && ['b', 'a'].min() == 'a'",
        "[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && [1].indexOf(5) == -1",
    ];

    #[test]
    fn every_supported_function_is_evaluated() {
        for name in check::FUNCTIONS {
            let short = name.rsplit('.').next().unwrap_or(name);
            assert!(
                SAMPLES.iter().any(|s| s.contains(&format!("{short}("))),
                "no sample calls `{name}`"
            );
        }
        let frame = Frame::root(Vec::new()).unwrap();
        for s in SAMPLES {
            let c = compile(s, &[]).unwrap_or_else(|e| panic!("{s}: {e}"));
            let mut budget = cost::POLICY_BUDGET;
            assert_eq!(frame.eval_bool(&c, &mut budget), Ok(true), "{s}");
        }
    }
}
