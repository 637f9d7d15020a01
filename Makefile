# Policy Tracker: `make run` serves the site (and runs a task worker beside it), `make test` runs
# the suite.
# Both create .venv with Python 3.13 on first use and reinstall only when pyproject.toml or
# requirements.lock changes.

PYTHON ?= $(shell command -v python3.13 2>/dev/null || echo python3.13)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install npm lock run test coverage lint typecheck format migrations-check deploy-check bench lighthouse

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else "Python 3.13 is needed (see .python-version); found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The versions CI tested: requirements.lock, with hashes; the project itself on top, editable.
$(STAMP): pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

# The checkers the accessibility tests run on the public pages (axe-core, the Nu HTML Checker's
# jar), at the versions package-lock.json pins, into node_modules/. Without npm this says so and
# goes on: those tests then skip, except in CI. The packages' own install scripts are not run
# (vnu-jar's would fetch a Java runtime; the machine's Java 17 runs the jar).
NPM_STAMP := node_modules/.installed
$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $@; \
	else echo "npm is missing: the accessibility and HTML checks will skip (see docs/public-site.md)"; fi

npm: $(NPM_STAMP)

# Write requirements.lock anew from pyproject.toml's ranges (the newest versions they allow);
# then run the suites and raise pyproject's floors to what was tested.
lock: | $(PY)
	$(PY) -m pip install --quiet "uv>=0.13.9"
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.13 --generate-hashes \
		--quiet --custom-compile-command "make lock" -o requirements.lock

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_documents
	$(PY) manage.py rebuild_read_model
	@echo
	@echo "Policy Tracker is at http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/)."
	@echo "To log in, create an account first: $(PY) manage.py createsuperuser"
	@echo "Background work (docs/operations.md): a task worker runs beside the server, stopped with it."
	@echo
	$(PY) manage.py db_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)

# The suite on TEST_WORKERS processes (pytest-xdist; auto is one a core). --dist load hands each
# worker tests in collection order, where pytest-django puts the transactional tests (whose flush
# empties the rows the migrations wrote) after the others.
TEST_WORKERS ?= auto
test: install npm
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

# The suite under branch coverage of tracker, policies and sources, checked against the floor in
# pyproject.toml (CI runs it on PostgreSQL, which reaches its search and timeout paths too). About
# twice as slow: Python 3.13 traces every line for branch coverage. File by file afterwards:
# .venv/bin/coverage report
coverage: install npm
	@mkdir -p var
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load --cov --cov-report= $(PYTEST_ARGS)

lint: install typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# mypy over the core and the domain apps, strict on the core ([tool.mypy] in pyproject.toml).
typecheck: install
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

deploy-check: install
	DJANGO_ENV=production SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=policytracker.example $(PY) manage.py check --deploy --fail-level WARNING

# The benchmark (docs/performance.md) on a database of its own: DATABASE_URL when set (it
# refuses a database holding other entries), else var/bench.sqlite3. BENCH_ARGS=--scale 0.1
# On SQLite it also measures Datasette on the same file (bench/datasette.py), installed at a
# pinned version into an environment of its own, never into the project's.
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),sqlite:///$(CURDIR)/var/bench.sqlite3)
DATASETTE_VERSION := 0.65.5
DATASETTE_VENV := var/datasette-venv
DATASETTE_STAMP := $(DATASETTE_VENV)/.installed-$(DATASETTE_VERSION)
BENCH_ON_SQLITE := $(findstring sqlite,$(BENCH_DATABASE_URL))

$(DATASETTE_STAMP):
	@mkdir -p var
	$(PYTHON) -m venv $(DATASETTE_VENV)
	$(DATASETTE_VENV)/bin/pip install --quiet "datasette==$(DATASETTE_VERSION)"
	@touch $(DATASETTE_STAMP)

bench: install $(if $(BENCH_ON_SQLITE),$(DATASETTE_STAMP))
	@mkdir -p var
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --no-input
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=false $(PY) -m bench \
		$(if $(BENCH_ON_SQLITE),--datasette $(CURDIR)/$(DATASETTE_VENV)/bin/datasette) $(BENCH_ARGS)

# Lighthouse (performance, accessibility, best practices, SEO) on the home page and the policy
# page with the most commitments, desktop and mobile, against the shipped dataset served as in
# production on a free loopback port; reports in test-artifacts/lighthouse/, and a failure when
# a score is below 98 (docs/public-site.md). Needs Debian's Chromium, Node.js and npm.
lighthouse: install
	PY=$(PY) scripts/lighthouse.sh
