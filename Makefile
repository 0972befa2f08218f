# CCKG: every target creates the virtual environment first; nothing else is needed but
# Python 3.11+, Java (for HermiT) and make.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The browser test drives Debian's chromium (playwright's own browser download is not used).
CHROMIUM ?= /usr/bin/chromium
# The engine tests start Debian's Virtuoso Open Source (and Oxigraph server from PyPI).
VIRTUOSO ?= /usr/bin/virtuoso-t

.PHONY: all install build validate reason serve test test-fast lint bench release clean

all: build

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Re-installs when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

$(CHROMIUM):
	@echo "installing Debian's chromium for the browser test (needs root and apt)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

build: install
	$(BIN)/cckg build

validate: install
	$(BIN)/cckg validate

reason: install
	$(BIN)/cckg reason

serve: install
	$(BIN)/cckg serve --host $(HOST) --port $(PORT)

$(VIRTUOSO):
	@echo "installing Debian's virtuoso-opensource for the engine tests (needs root and apt)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource

# Coverage of src/cckg is reported; the run fails under [tool.coverage.report] fail_under.
# Tests run on every core (pytest-xdist), each test file on one worker.
test: install $(CHROMIUM) $(VIRTUOSO)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest --cov -n auto --dist loadgroup --durations=15

# The fast subset: no real engines, browsers or end-to-end CLI walks.
test-fast: install
	$(BIN)/pytest -n auto --dist loadgroup -m "not engines and not browser and not slow"

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Peers (rdflib-endpoint) are measured side by side; they are only installed for benchmarks.
# The load generator is Debian's wrk.
WRK ?= /usr/bin/wrk

$(WRK):
	@echo "installing Debian's wrk for the benchmarks (needs root and apt)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

bench: install $(WRK) $(VIRTUOSO)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.scale

release: install
	$(BIN)/cckg release

clean:
	rm -rf $(VENV) dist var .pytest_cache .ruff_cache
