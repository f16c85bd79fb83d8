# govgraph: `make run` sets up and runs the main job on the bundled samples; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test serve bench docs clean

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

## test: the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/govgraph serve

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## docs: regenerate the ontology reference from the Turtle
docs: $(STAMP)
	$(BIN)/python -m govgraph.ontology.reference > docs/ontology.md

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
