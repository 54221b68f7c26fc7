//! The catalog loader: the built-in catalog with one control file replaced by fuzz input.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = hullcheck::catalog::builtin_files()
        .iter()
        .map(|(p, t)| ((*p).to_owned(), if *p == "runtime/RUN-003.yaml" { text.to_owned() } else { (*t).to_owned() }));
    let _ = hullcheck::Catalog::from_files(files);
});
