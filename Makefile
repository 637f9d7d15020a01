# Policy Tracker: `make run` serves the site, `make test` runs the suite.
# Both create .venv with Python 3.13 on first use and reinstall only when pyproject.toml changes.

PYTHON ?= $(shell command -v python3.13 2>/dev/null || echo python3.13)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint typecheck format migrations-check deploy-check bench

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else "Python 3.13 is needed (see .python-version); found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_documents
	@echo
	@echo "Policy Tracker is at http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/)."
	@echo "To log in, create an account first: $(PY) manage.py createsuperuser"
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite on TEST_WORKERS processes (pytest-xdist; auto is one a core). --dist load hands each
# worker tests in collection order, where pytest-django puts the transactional tests (whose flush
# empties the rows the migrations wrote) after the others. Branch coverage of tracker, policies
# and sources is checked against the floor in pyproject.toml and summed up in one line; the
# file by file report: .venv/bin/coverage report. Part of the suite falls short of the floor:
# make test PYTEST_ARGS="--no-cov tests/test_dates.py".
TEST_WORKERS ?= auto
test: install
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
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),sqlite:///$(CURDIR)/var/bench.sqlite3)
bench: install
	@mkdir -p var
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --no-input
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=false $(PY) -m bench $(BENCH_ARGS)
