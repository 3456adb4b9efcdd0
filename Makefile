# hendelse: the two quick-start commands are `make demo` and `make test`.
# Both create a local virtual environment (.venv) and install what they need.

# The interpreter of .venv: Python 3.12 when the machine has one (on PATH or under
# pyenv), else python3 (3.11 or newer). spaCy's wheels for 3.12 parse about 40%
# faster than those for 3.11 here (docs/benchmarks.md). PYTHON=... chooses another.
PY312 := $(firstword $(foreach p,python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12),$(if $(shell $(p) -c 'import venv' 2>/dev/null && echo ok),$(p))))
PYTHON ?= $(or $(PY312),python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install browser demo test lint format model model-eval clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)  ## set up .venv with hendelse and its development tools

demo: $(STAMP)  ## set up, then run the main job on the bundled example articles
	$(BIN)/hendelse demo

browser:  ## install Debian's Chromium for the browser tests (needs root and apt; skipped if present)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium from Debian for the browser tests"; \
	    apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; \
	  else echo "chromium not found and cannot install it: the browser tests will be skipped"; fi; }

test: $(STAMP) browser  ## set up, then run the linter and the whole test suite
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff check and format check only
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

format: $(STAMP)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests scripts
	$(BIN)/ruff format src tests scripts

model: $(STAMP)  ## train the Norwegian pipeline from ../shared/data/norne (about 80 min on 2 cores)
	$(BIN)/hendelse-train all

model-eval: $(STAMP)  ## print the shipped model's test-split scores (needs ../shared)
	$(BIN)/hendelse-train convert
	$(BIN)/hendelse-train evaluate

clean:  ## remove the virtual environment and caches (keeps the shipped model)
	rm -rf $(VENV) .pytest_cache .ruff_cache training/output training/corpus
