# govgraph: `make run` sets up and runs the main job on the bundled samples; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-virtuoso browser serve bench bench-smoke docs clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "govgraph needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

## run: load the bundled samples into the embedded store and print the coverage-gap report
run: $(STAMP)
	$(BIN)/govgraph load samples/documents samples/trackers
	$(BIN)/govgraph gaps
	@echo
	@echo "Next: '$(BIN)/govgraph serve' and open http://127.0.0.1:8000/ ; '$(BIN)/govgraph query --list' for more questions."

## test: the whole test suite (installs headless Chromium for the browser tests where it can: root with apt)
test: $(STAMP) browser
	$(BIN)/python -m pytest

## test-virtuoso: the SPARQL-server-store cases against Virtuoso (installs Debian's virtuoso-opensource as root
## with apt when it is missing; starts virtuoso-t on loopback ports with a temporary database; see docs/backends.md)
test-virtuoso: $(STAMP)
	@if command -v virtuoso-t >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's virtuoso-opensource ..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; \
	else \
		echo "*** virtuoso-t is missing and cannot be installed here (needs root and apt-get): install the"; \
		echo "*** 'virtuoso-opensource' package and run 'make test-virtuoso' again"; exit 1; \
	fi
	$(BIN)/python tests/virtuoso.py

## browser: Debian's Chromium for the browser tests; without root and apt, say how to get it (the tests then skip)
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests ..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "*** headless Chromium is missing and cannot be installed here (needs root and apt-get):"; \
		echo "*** the browser tests will be SKIPPED. Install the 'chromium' package to run them."; \
	fi

serve: $(STAMP)
	$(BIN)/govgraph serve

BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	@touch $(BENCH_STAMP)

## bench: every benchmark at full size (1M and 10M triples, 1-1,000 councils); writes benchmarks/RESULTS.md. Long:
## the corpora and stores are generated once into benchmarks/.work and reused by later runs
bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run

## bench-smoke: every benchmark at a tiny size (under a minute), to check the harness works
bench-smoke: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run --smoke

## docs: regenerate the ontology reference from the Turtle
docs: $(STAMP)
	$(BIN)/python -m govgraph.ontology.reference > docs/ontology.md

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
