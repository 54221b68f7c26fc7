//! The `hullcheck` binary: the CLI library's [`hullcheck_cli::run`] on the process arguments.

#![forbid(unsafe_code)]

use std::process::ExitCode;

/// mimalloc: evidence trees are many small, short-lived allocations, which it serves faster
/// than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(hullcheck_cli::run(std::env::args_os()))
}
