//! The Dockerfile parser.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = hullcheck::evidence::parse_bytes("Dockerfile", data, &hullcheck::Limits::default());
});
