# pantau: `make demo` runs the demo, `make test` runs the tests (nothing beside the clone needed),
# `make test-fast` skips the slow ones, `make gates` checks the quality floors on the corpora in
# PANTAU_CORPORA (default ../shared/data). Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: the demo needs hunspell-id + enchant (KBBI spelling) and fonts (PDFs, emoji
# included: citizens write them); the tests also need Chromium (browser tests), poppler (reading
# PDFs back) and the PostgreSQL server.
RUNTIME_PACKAGES := hunspell-id libenchant-2-2 fonts-dejavu-core fonts-noto-color-emoji
TEST_PACKAGES := $(RUNTIME_PACKAGES) chromium poppler-utils postgresql systemd
PYTEST_ARGS ?=
# Test processes (pytest-xdist). Each has its own PostgreSQL server and temp folders; tests that
# start pantau processes of their own share one of them (see tests/conftest.py), and a module's
# shared fixtures are built once. 2 fits the 2-core CI box; 0 runs everything in one process.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist loadgroup
# The corpus gates need datasets that may not ship (eval-only licences): their own target.
GATES := tests/gates
PANTAU_CORPORA ?= $(abspath ../shared/data)
export PANTAU_CORPORA

PACKAGES ?= $(TEST_PACKAGES)

.PHONY: demo test test-fast gates fuzz lint bench deps venv clean catalogs

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing -- install them (sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

demo: PACKAGES = $(RUNTIME_PACKAGES)
demo: deps venv
	$(BIN)/pantau demo

test: PACKAGES = $(TEST_PACKAGES)
test: deps venv
	$(BIN)/pytest $(XDIST) --ignore=$(GATES) $(PYTEST_ARGS)

test-fast: PACKAGES = $(TEST_PACKAGES)
test-fast: deps venv
	$(BIN)/pytest $(XDIST) --ignore=$(GATES) -m "not slow" $(PYTEST_ARGS)

gates: PACKAGES = $(RUNTIME_PACKAGES)
gates: deps venv
	@test -d "$(PANTAU_CORPORA)" || { echo "corpora not found at $(PANTAU_CORPORA): set PANTAU_CORPORA"; exit 1; }
	$(BIN)/pytest $(XDIST) $(GATES) $(PYTEST_ARGS)

# The import fuzzer with FUZZ_SCALE times CI's budget (CI: 10,400 files and push batches in
# the derandomized `fuzz-ci` profile, inside `make test`), searching with fresh random seeds.
FUZZ_SCALE ?= 10
fuzz: venv
	FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/pytest -m fuzz -p no:cacheprovider tests/ingest/test_fuzz.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: venv
	$(BIN)/python benchmarks/run_all.py

catalogs: venv
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -o src/pantau/locale/messages.pot .
	$(BIN)/pybabel update -i src/pantau/locale/messages.pot -d src/pantau/locale --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
