//! Evaluates files and directories with the built-in catalog and prints the JSON report:
//! `cargo run -p hullcheck --example evaluate -- examples/cluster`. The packaging test runs it
//! from the packaged crate to show that the crate carries its catalog.

fn main() -> std::process::ExitCode {
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let engine = match hullcheck::Engine::builtin() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e} [{}]", e.code());
            return std::process::ExitCode::from(2);
        }
    };
    let options = hullcheck::Options {
        now: std::env::var("HULLCHECK_NOW").ok(),
        ..hullcheck::Options::default()
    };
    match engine.evaluate_paths(&paths, &options) {
        Ok(report) => match report.write_json(std::io::stdout().lock()) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("error: {e} [{}]", e.code());
            std::process::ExitCode::from(2)
        }
    }
}
