# The two entry points of the README. Everything else is plain cargo.
CARGO ?= cargo

.PHONY: demo test test-python test-node lint conformance tools dist dist-test

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

# The wheel is kept in target/wheels: the CI-definition tests install it as a user's CI would.
# Ray and Dask run examples/fleet on local 2-CPU clusters (tests/test_fleet_engines.py).
test-python:
	python3 -m venv $(PYVENV)
	$(PYVENV)/bin/pip install -q pytest mypy compliance-trestle pre-commit pyyaml "ray==2.60.0" "dask[distributed]==2026.8.0"
	rm -rf target/wheels && $(PYVENV)/bin/pip wheel -q --no-deps -w target/wheels ./bindings/python
	$(PYVENV)/bin/pip install -q --force-reinstall --no-deps target/wheels/hullcheck-*.whl
	$(PYVENV)/bin/python -m pytest -q bindings/python/tests

# The HTML report tests drive Chromium: tools/find-chromium.sh finds one (CHROMIUM_PATH or the
# usual names), installs Debian's only when running as root, and otherwise says how to.
# `npm run build` rewrites index.d.ts, so the committed copy is compared before the tests run:
# a stale one fails here (the rebuilt file is left in place, to be committed).
test-node:
	mkdir -p target && cp bindings/node/index.d.ts target/index.d.ts.committed
	CHROMIUM_PATH="$$(tools/find-chromium.sh)" && export CHROMIUM_PATH && \
	  cd bindings/node && npm install --no-audit --no-fund && npm run build && \
	  { cmp -s index.d.ts ../../target/index.d.ts.committed || \
	    { echo "bindings/node/index.d.ts was stale: npm run build regenerated it; commit it" >&2; exit 1; }; } && \
	  npm test

# Helm 4 for the tests of `--render` and of piped `helm template` output (kubectl, with
# Kustomize built in, is expected on the machine).
tools:
	tools/fetch-helm.sh

# Steps that need ../shared beside the checkout (CI always has it).
conformance:
	$(CARGO) test -p hullcheck --test shared_conformance --test yaml_fast --test admission_pss -- --ignored
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
	../shared/checks/cel-pss

# Every release artefact in target/dist (tools/dist.py says how the cross builds work), then
# each installed in a clean place and run (tools/dist_test.py).
dist:
	python3 tools/dist.py

dist-test:
	python3 tools/dist_test.py
