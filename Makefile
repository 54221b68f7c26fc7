# The two entry points of the README. Everything else is plain cargo.
CARGO ?= cargo

.PHONY: demo test lint conformance

# Build and evaluate the bundled example cluster (exit code 1 from hullcheck means
# "failing findings", which this example has on purpose).
demo:
	$(CARGO) build --release -p hullcheck-cli
	./target/release/hullcheck evaluate --format text --output target/example-report.txt examples/cluster; \
	  rc=$$?; cat target/example-report.txt; \
	  ./target/release/hullcheck evaluate --output target/example-report.json examples/cluster; \
	  echo "JSON report: target/example-report.json (hullcheck exit code $$rc)"; test $$rc -le 1

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Every test: formatting, lints, unit, property, integration and CLI tests.
test: lint
	$(CARGO) test --workspace

# Steps that need ../shared beside the checkout (CI always has it).
conformance:
	$(CARGO) test -p hullcheck --test shared_conformance -- --ignored
	../shared/checks/pss-conformance
	../shared/checks/deterministic-report
	../shared/checks/controls-evaluable
	../shared/checks/catalog-crosswalk
