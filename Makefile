# roundtrace — two commands matter: `make serve` and `make test`.
# The first of these that can make a venv. Debian's CPython (built with profile-guided
# optimisation) extracted 11-16 % faster than a default pyenv build here (benchmarks/README.md).
PYTHON ?= $(shell for p in /usr/bin/python3.11 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import ensurepip, venv' 2>/dev/null; then \
	command -v $$p; break; fi; done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-test

.PHONY: serve test build validate lint clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

## make serve: create .venv, install, build dist/ when stale, serve on http://127.0.0.1:8001
serve: $(VENV)/.installed
	$(BIN)/roundtrace serve --host 127.0.0.1 --port 8001

## make test: create .venv with test extras, lint, run the whole suite
test: $(STAMP)
	$(BIN)/ruff check build tests datasette-plugins benchmarks
	$(BIN)/python -m pytest

build: $(VENV)/.installed
	$(BIN)/roundtrace build

validate: $(VENV)/.installed
	$(BIN)/roundtrace validate dist

clean:
	rm -rf dist .venv
