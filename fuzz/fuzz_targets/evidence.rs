//! YAML/JSON evidence: any bytes read as a document stream, with detection.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = hullcheck::evidence::parse_bytes("fuzz.yaml", data, &hullcheck::Limits::default());
});
