//! CEL, as Kubernetes admission uses it: expressions compiled once with a cost estimate and
//! a check of what they call, then evaluated against objects from the evidence under a
//! runtime cost bound. Nothing here fails open: every refusal is a [`CelError`].
//!
//! The interpreter is the `cel` crate (0.15) with its strings, lists, math and encoders
//! extensions and optional values (`a.?b.orValue(c)`), which is what Kubernetes enables
//! from cel-go. The Kubernetes-specific libraries (quantity, IP and CIDR, URL, semver, regex
//! `find`) are refused by name until hullcheck implements them; see [`check::FUNCTIONS`].

pub mod check;
pub mod cost;
mod error;
pub mod value;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

pub use cost::Bounds;
pub use error::CelError;

/// Longest expression accepted, in bytes.
pub const MAX_EXPRESSION_BYTES: usize = 16 * 1024;

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
    let parsed = catch_unwind(AssertUnwindSafe(|| env().compile(source)));
    let program = match parsed {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => {
            return Err(CelError::Syntax {
                expression: clip(source),
                message: first_line(&e.to_string()),
            })
        }
        Err(_) => {
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
    pub fn root(vars: Vec<(&str, cel::Value)>) -> Result<Self, CelError> {
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
    pub fn child(&'p self, vars: Vec<(&str, cel::Value)>) -> Result<Frame<'p>, CelError> {
        let mut frame = Frame {
            ctx: self.ctx.new_inner_scope(),
            bounds: self.bounds,
        };
        frame.bind(vars)?;
        Ok(frame)
    }

    /// Binds (or rebinds) variables in this frame.
    pub fn bind(&mut self, vars: Vec<(&str, cel::Value)>) -> Result<(), CelError> {
        for (name, v) in vars {
            if !value::bindable(&v) {
                return Err(CelError::Runtime {
                    expression: name.to_owned(),
                    message: "the value cannot be bound as a variable".to_owned(),
                });
            }
            self.bounds = self.bounds.max(value::bounds(&v));
            let ctx = &mut self.ctx;
            catch_unwind(AssertUnwindSafe(|| ctx.add_variable_from_value(name, v))).map_err(
                |_| CelError::Runtime {
                    expression: name.to_owned(),
                    message: "the value cannot be bound as a variable".to_owned(),
                },
            )?;
        }
        Ok(())
    }

    /// The runtime cost bound of an expression in this frame.
    pub fn cost(&self, e: &Compiled) -> u64 {
        cost::cost(e.program.expression(), self.bounds)
    }

    /// Evaluates an expression, charging its runtime bound to `budget` first: over the
    /// per-call limit or the remaining budget, it does not run.
    pub fn eval(&self, e: &Compiled, budget: &mut u64) -> Result<cel::Value, CelError> {
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
        match catch_unwind(AssertUnwindSafe(|| e.program.execute(ctx))) {
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

    /// Evaluates an expression that must give a `bool`.
    pub fn eval_bool(&self, e: &Compiled, budget: &mut u64) -> Result<bool, CelError> {
        match self.eval(e, budget)? {
            cel::Value::Bool(b) => Ok(b),
            other => Err(CelError::Type {
                expression: clip(&e.source),
                want: "bool",
                got: value::type_name(&other),
            }),
        }
    }

    /// Evaluates an expression that must give a `string`.
    pub fn eval_string(&self, e: &Compiled, budget: &mut u64) -> Result<String, CelError> {
        match self.eval(e, budget)? {
            cel::Value::String(s) => Ok(s.to_string()),
            other => Err(CelError::Type {
                expression: clip(&e.source),
                want: "string",
                got: value::type_name(&other),
            }),
        }
    }
}
