//! Standard input as the CLI reads `-`: a bounded read of a stream (the first byte sets a small
//! limit, so the over-limit path is reached), then the bytes read as `<stdin>`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let limits = hullcheck::Limits { max_file_bytes: u64::from(first) * 64, ..hullcheck::Limits::default() };
    let input = hullcheck::evidence::load::read_stream_as("<stdin>", rest, &limits);
    match input.into_bytes(&limits) {
        Ok(bytes) => {
            assert!(bytes.len() as u64 <= limits.max_file_bytes, "read past the limit");
            let _ = hullcheck::evidence::parse_bytes("<stdin>", &bytes, &limits);
        }
        Err(hullcheck::evidence::load::NoBytes::Error(e)) => {
            assert!(rest.len() as u64 > limits.max_file_bytes, "refused a stream within the limit: {e}");
        }
        Err(hullcheck::evidence::load::NoBytes::Skipped(_)) => panic!("a stream is never skipped"),
    }
});
