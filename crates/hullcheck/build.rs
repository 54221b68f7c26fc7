//! Embeds the catalog under `controls/` into the library at build time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            if let Ok(rel) = path.strip_prefix(root) {
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, path.clone()));
            }
        }
    }
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    // `controls` is the workspace catalog (a symlink in the repository, a copy in the package).
    let root = manifest.join("controls");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    // A library without its catalog would start and then fail every evaluation: refuse to build.
    let has = |name: &str| files.iter().any(|(rel, _)| rel == name);
    if !has("catalog.yaml") || !has("layers.yaml") || files.len() < 20 {
        println!(
            "cargo::error=the built-in catalog is missing: expected the control files under {} (found {} files)",
            root.display(),
            files.len()
        );
        return;
    }
    let mut code =
        String::from("/// The built-in catalog files: path relative to `controls/`, and text.\n");
    code.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for (rel, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let abs = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let _ = writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("catalog_files.rs");
    if let Err(e) = fs::write(&out, code) {
        println!("cargo::error=cannot write {}: {e}", out.display());
    }
}
