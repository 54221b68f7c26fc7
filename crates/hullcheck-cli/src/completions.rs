//! `hullcheck completions SHELL` and `hullcheck man`: shell completion scripts (`clap_complete`)
//! and the man page (`clap_mangen`), both generated from the one argument definition.

use clap::CommandFactory;

use crate::output;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    shell: clap_complete::Shell,
}

/// Writes the completion script for `shell` to stdout.
pub fn run<C: CommandFactory>(args: Args) -> u8 {
    let mut cmd = C::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "hullcheck", &mut buf);
    emit(&buf)
}

/// Writes the roff man page to stdout.
pub fn man<C: CommandFactory>() -> u8 {
    let mut buf = Vec::new();
    match clap_mangen::Man::new(C::command()).render(&mut buf) {
        Ok(()) => emit(&buf),
        Err(e) => {
            output::error(&format!("cannot render the man page: {e}"));
            output::USAGE
        }
    }
}

fn emit(bytes: &[u8]) -> u8 {
    if output::emit(&String::from_utf8_lossy(bytes), None) {
        output::OK
    } else {
        output::USAGE
    }
}
