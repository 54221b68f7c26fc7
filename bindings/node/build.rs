//! Build script: links the N-API symbols.

fn main() {
    napi_build::setup();
}
