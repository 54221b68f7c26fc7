//! The catalog loader: fuzz input as RUN-003's control file, checked against the built-in
//! catalog without it (the other files are parsed once per process), and, when it passes, the
//! whole catalog rebuilt with it, which must then succeed too.
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
    if base.validate_control_file("runtime/RUN-003.yaml", text).is_ok() {
        let built = base.extend_files([("runtime/RUN-003.yaml".to_owned(), text.to_owned())]);
        assert!(built.is_ok(), "a control that validates must load: {:?}", built.err());
    }
});
