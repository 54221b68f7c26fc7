//! Differential: on any UTF-8 text, the fast YAML reader plus fallback must yield exactly what
//! the full reader yields (documents, lines, values and errors).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = hullcheck::Limits {
        max_depth: 40,
        ..hullcheck::Limits::default()
    };
    let fast: Vec<String> = hullcheck::evidence::yaml::documents(text, &limits)
        .map(|d| format!("{d:?}"))
        .collect();
    let full: Vec<String> = hullcheck::evidence::yaml::documents_full(text, &limits)
        .map(|d| format!("{d:?}"))
        .collect();
    assert_eq!(fast, full, "readers differ on {text:?}");
});
