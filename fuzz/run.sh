#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 45) with coverage instrumentation on the
# stable toolchain (RUSTC_BOOTSTRAP enables the sanitizer-coverage flags cargo-fuzz passes).
# Crashes are saved under fuzz/artifacts/<target>/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-45}
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
export RUSTC_BOOTSTRAP=1
targets="evidence yaml_diff dockerfile sbom scan catalog evaluate stdin provenance cel"
cargo fuzz build -s none --release
for t in $targets; do
  mkdir -p "fuzz/corpus/$t"
  # Seed each corpus with the project's own fixtures.
  case $t in
    dockerfile) find tests/fixtures/controls -name Dockerfile -exec cp -n {} "fuzz/corpus/$t/" \; 2>/dev/null || true ;;
    catalog) cp -n controls/runtime/RUN-00*.yaml "fuzz/corpus/$t/" 2>/dev/null || true ;;
    # Rendered streams and charts: the CLI's input fixtures and the rendered-streams case.
    stdin|provenance) cp -n crates/hullcheck-cli/tests/fixtures/inputs/*.yaml tests/conformance/rendered-streams/input/*.yaml "fuzz/corpus/$t/" 2>/dev/null || true ;;
    # Expressions of the example policies and controls, each over a small pod.
    cel) n=0; grep -rhoE 'expression: ".*"' examples/controls examples/admission | sed -E 's/^expression: "(.*)"$/\1/' | head -40 | while read -r e; do n=$((n+1)); printf '%s\n{"spec":{"containers":[{"name":"c","image":"nginx"}]}}' "$e" > "fuzz/corpus/$t/seed-$n"; done || true ;;
    # `|| true`: head closing the pipe early is not a failure.
    yaml_diff) find tests/fixtures/controls examples -name '*.y*ml' -size -16k | head -60 | while read -r f; do cp -n "$f" "fuzz/corpus/$t/$(echo "$f" | tr / _)"; done || true ;;
    *) find tests/fixtures/controls examples/cluster -name '*.json' -size -64k | head -40 | while read -r f; do cp -n "$f" "fuzz/corpus/$t/$(echo "$f" | tr / _)"; done || true ;;
  esac
  echo "fuzz: $t for ${secs}s"
  cargo fuzz run -s none --release "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 2>&1 \
    | grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs|ERROR|panicked" || true
  if ls "fuzz/artifacts/$t"/crash-* >/dev/null 2>&1; then echo "fuzz: $t crashed"; exit 1; fi
done
