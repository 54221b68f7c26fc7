//! Writes a synthetic evidence bundle of N objects to a directory, for benchmarks:
//! `cargo run --release -p hullcheck --example synth -- 100000 /tmp/synth-100k`.

#[path = "../benches/common/synth.rs"]
mod synth;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| format!("target/synth-{n}")));
    std::fs::create_dir_all(&dir)?;
    let mut bytes = 0;
    for (name, text) in synth::bundle(n) {
        bytes += text.len();
        std::fs::write(dir.join(name), text)?;
    }
    println!("{n} objects, {bytes} bytes in {}", dir.display());
    Ok(())
}
