//! YAML/JSON evidence: any bytes read as a document stream, with detection; and the same bytes
//! as a kubelet unit or flags file, which is detected by name.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let limits = hullcheck::Limits::default();
    let _ = hullcheck::evidence::parse_bytes("fuzz.yaml", data, &limits);
    let _ = hullcheck::evidence::parse_bytes("kubelet.service.d/10-kubeadm.conf", data, &limits);
});
