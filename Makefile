# Baken — run `make help` for the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= baken.settings.dev

.DEFAULT_GOAL := help
.PHONY: help run test test-suite check fuzz bench deploy-test lint checkcontent messages lock clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.lock
	@touch $@

$(VENV)/.installed-test: requirements/test.lock $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.lock
	@touch $@

# The browser tests' checkers, pinned in package-lock.json: axe-core and vnu.jar. No install
# scripts: vnu-jar's would download a Java runtime; the tests use the machine's own.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d locale -D django -l $* 2>&1 | sed 's/^/  /'

CATALOGS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

build: $(VENV)/.installed $(CATALOGS)
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: build ## Install, migrate and serve the site at http://127.0.0.1:8000
	$(BIN)/python manage.py migrate --noinput --verbosity 1
	$(BIN)/gunicorn baken.wsgi --config baken/gunicorn.conf.py --bind 127.0.0.1:$(PORT)

# pytest exits 5 when it collected no test: say so, and fail (a suite that ran nothing is broken).
PYTEST = $(BIN)/pytest -n auto
define run-pytest
	@$(PYTEST) $(1) $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose." >&2; fi; exit $$rc
endef

# Chromium, Java and npm first (installed when root, else the command to run is printed), so
# that nothing else has started when one is missing.
test: ## Install what the suite needs and run all of it (lint, content, browser and live tests)
	@tools/test-prerequisites
	@$(MAKE) --no-print-directory test-suite

test-suite: export DJANGO_SETTINGS_MODULE = baken.settings.test
test-suite: $(VENV)/.installed-test node_modules/.installed build
	$(lint-steps)
	$(BIN)/python manage.py checkcontent
	$(call run-pytest)

check: export DJANGO_SETTINGS_MODULE = baken.settings.test
check: $(VENV)/.installed-test build ## The inner loop: make test without the browser, gunicorn and deployment tests (under a minute)
	$(lint-steps)
	$(BIN)/python manage.py checkcontent
	$(call run-pytest,-m "not browser and not live and not fuzz and not deploy")

fuzz: export DJANGO_SETTINGS_MODULE = baken.settings.test
fuzz: $(VENV)/.installed-test build ## 10,000 odd posts to every form; none may get a 500 (FUZZ_POSTS, FUZZ_SEED)
	FUZZ_POSTS=$${FUZZ_POSTS:-10000} $(BIN)/pytest -s -p no:randomly tests/system/test_fuzz.py

# The deployment (deploy/) run for real, step by step: nginx, Tor and age are installed first
# when root (tools/test-prerequisites deploy), else the command to run is printed.
deploy-test: export DJANGO_SETTINGS_MODULE = baken.settings.test
deploy-test: $(VENV)/.installed-test build ## Run deploy/ for real: PostgreSQL, two app servers, nginx, Tor, backup and restore (docs/deploy.md)
	@tools/test-prerequisites deploy
	$(BIN)/pytest -v -s -m deploy tests/deploy

bench: build ## Load-test the production server on SQLite and PostgreSQL (docs/performance.md)
	$(BIN)/python -m bench

# Lint, formatting, types and the layers (.importlinter): one list, for lint, check and test.
define lint-steps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
endef

lint: $(VENV)/.installed-test ## Lint, check formatting and types, and that imports point the way .importlinter says
	$(lint-steps)

checkcontent: $(VENV)/.installed ## Validate every content file
	$(BIN)/python manage.py checkcontent

messages: $(VENV)/.installed ## Extract interface strings and update the catalogs
	$(BIN)/pybabel extract --no-location --sort-by-file -F babel.cfg -k gettext_lazy -k pgettext:1c,2 -k pgettext_lazy:1c,2 -o locale/django.pot .
	$(BIN)/python tools/catalogs.py

lock: ## Re-pin dependencies into requirements/*.lock (needs uv)
	uv pip compile pyproject.toml -p 3.11 --generate-hashes -o requirements/base.lock
	uv pip compile pyproject.toml -p 3.11 --extra test --generate-hashes -o requirements/test.lock

clean: ## Remove the virtual environment and generated files
	rm -rf $(VENV) node_modules var staticfiles locale/*/LC_MESSAGES/*.mo
