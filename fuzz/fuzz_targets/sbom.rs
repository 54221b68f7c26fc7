//! SBOM readers (CycloneDX and SPDX) on any document.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let kind = Some(hullcheck::evidence::EvidenceKind::Sbom);
    let _ = hullcheck::evidence::parse_bytes_as("fuzz.json", data, &hullcheck::Limits::default(), kind);
});
