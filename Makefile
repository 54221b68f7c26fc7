# The two entry points of the README. Everything else is plain cargo.
CARGO ?= cargo

.PHONY: demo test test-python test-node lint conformance tools

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

PYVENV ?= target/venv

# Property tests draw from this seed, so a commit's test run is reproducible; explore other
# inputs with `make test PROPTEST_RNG_SEED=$$RANDOM` (the fuzz targets explore at random).
PROPTEST_RNG_SEED ?= 20261126

# Every test: formatting, lints, Rust unit, property, integration and CLI tests, then the
# Python and Node bindings built, installed and tested (each runs the shared conformance suite).
test: lint tools
	PROPTEST_RNG_SEED=$(PROPTEST_RNG_SEED) $(CARGO) test --workspace
	$(MAKE) test-python
	$(MAKE) test-node

test-python:
	python3 -m venv $(PYVENV)
	$(PYVENV)/bin/pip install -q ./bindings/python pytest mypy compliance-trestle
	$(PYVENV)/bin/python -m pytest -q bindings/python/tests

# The HTML report test drives Debian's Chromium; install it when it is missing.
test-node:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium)
	cd bindings/node && npm install --no-audit --no-fund && npm run build && npm test

# Helm 4 for the tests of `--render` and of piped `helm template` output (kubectl, with
# Kustomize built in, is expected on the machine).
tools:
	tools/fetch-helm.sh

# Steps that need ../shared beside the checkout (CI always has it).
conformance:
	$(CARGO) test -p hullcheck --test shared_conformance --test yaml_fast -- --ignored
	$(CARGO) test -p hullcheck-cli --test sarif_stable --test text -- --ignored
	$(CARGO) test --release -p hullcheck --test kubectl_differential -- --ignored
	../shared/checks/fail-closed
	../shared/checks/pss-conformance
	../shared/checks/deterministic-report
	../shared/checks/controls-evaluable
	../shared/checks/catalog-crosswalk
	../shared/checks/bindings-parity
	../shared/checks/report-formats
	python3 -m pip install -q --disable-pip-version-check xmlschema jsonschema
	../shared/checks/stig-checklist
