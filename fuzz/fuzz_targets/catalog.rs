//! The catalog loader: the built-in catalog with one control file (RUN-003's) replaced by fuzz
//! input. The other files are parsed once per process, so each input costs one file's parse and
//! the catalog's validation.
#![no_main]
use std::sync::OnceLock;

static BASE: OnceLock<Option<hullcheck::Catalog>> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let base = BASE.get_or_init(|| {
        let files = hullcheck::catalog::builtin_files()
            .iter()
            .filter(|(p, _)| *p != "runtime/RUN-003.yaml")
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()));
        hullcheck::Catalog::from_files(files).ok()
    });
    let Some(base) = base else { return };
    let _ = base.extend_files([("runtime/RUN-003.yaml".to_owned(), text.to_owned())]);
});
