# `make run` and `make test` work on a fresh machine: they create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The PostgreSQL that every development and CI machine runs; `make test` runs the web tests on it too.
POSTGRES ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres browser bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/frombelow serve --demo 127.0.0.1:8000

test: $(STAMP) browser
	$(BIN)/ruff check --quiet src tests benchmarks
	$(BIN)/python -m pytest -n 2 -q
	DATABASE_URL=$(POSTGRES) $(BIN)/python -m pytest -n 2 -q tests/web
	# a real server (gunicorn) on PostgreSQL: concurrency and crashes, at 50 members (200 by default)
	DATABASE_URL=$(POSTGRES) FROMBELOW_LOAD_MEMBERS=50 $(BIN)/python -m pytest -q tests/load
	FROMBELOW_BROWSER=1 $(BIN)/python -m pytest -q tests/browser

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads its own).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/tally.py

clean:
	rm -rf $(VENV) build *.egg-info var
