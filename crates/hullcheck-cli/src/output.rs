//! Writing results to stdout or a file, and reporting errors on stderr.

use std::io::Write as _;
use std::path::Path;

/// Exit code: success, no failing finding.
pub const OK: u8 = 0;
/// Exit code: failing findings.
pub const FAILURES: u8 = 1;
/// Exit code: usage error or unreadable input.
pub const USAGE: u8 = 2;

/// A reader that closed the pipe (`hullcheck … | head`) has what it wanted: no error, and the
/// exit code stays the gate's.
fn quiet_on_closed_pipe(r: std::io::Result<()>) -> std::io::Result<()> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes `text` to `path`, or to stdout when `path` is `None`. Returns false on error.
pub fn emit(text: &str, path: Option<&Path>) -> bool {
    let result = match path {
        Some(p) => {
            std::fs::write(p, text).map_err(|e| format!("cannot write `{}`: {e}", p.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            quiet_on_closed_pipe(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
                .map_err(|e| format!("cannot write to stdout: {e}"))
        }
    };
    match result {
        Ok(()) => true,
        Err(msg) => {
            error(&msg);
            false
        }
    }
}

/// Streams a JSON report to `path` or stdout. Returns false on error.
pub fn emit_report(report: &hullcheck::Report, path: Option<&Path>) -> bool {
    let result = match path {
        Some(p) => std::fs::File::create(p)
            .and_then(|f| report.write_json(std::io::BufWriter::with_capacity(1 << 20, f)))
            .map_err(|e| format!("cannot write `{}`: {e}", p.display())),
        None => quiet_on_closed_pipe(report.write_json(std::io::BufWriter::with_capacity(
            1 << 20,
            std::io::stdout().lock(),
        )))
        .map_err(|e| format!("cannot write to stdout: {e}")),
    };
    match result {
        Ok(()) => true,
        Err(msg) => {
            error(&msg);
            false
        }
    }
}

/// Prints an error on stderr.
pub fn error(message: &str) {
    eprintln!("hullcheck: error: {message}");
}

/// Reports a non-error message (such as why the gate failed) on stderr.
pub fn note(message: &str) {
    eprintln!("hullcheck: {message}");
}

/// Pretty JSON with a trailing newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// The engine over `--catalog DIR`, or the built-in catalog; an error is reported and becomes
/// the usage exit code.
pub fn engine(catalog: Option<&Path>) -> Result<hullcheck::Engine, u8> {
    engine_with(catalog, &[])
}

/// [`engine`], with the user controls of `--controls DIR` added.
pub fn engine_with(
    catalog: Option<&Path>,
    controls: &[std::path::PathBuf],
) -> Result<hullcheck::Engine, u8> {
    let built = hullcheck::Engine::load(catalog, controls);
    built.map_err(|e| {
        error(&format!("{e} [{}]", e.code()));
        USAGE
    })
}
