# Talent Harbor: `make run` serves the demo hall, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install lock browser run migrate demo test test-postgres lint typecheck format check messages

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt -c requirements.lock
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install requirements.txt within requirements.lock

lock: install ## Rewrite requirements.lock from the packages installed in .venv
	{ echo "# Constraints: every package of a working .venv, exactly (make lock)."; \
	  $(PIP) freeze --exclude pip; } > requirements.lock
	touch $(STAMP)

browser: node_modules/.package-lock.json ## Install Debian's Chromium and CJK fonts, and axe-core (npm ci), for browser tests
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh family | grep -q . || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

# axe-core at the version package-lock.json pins; npm ci rewrites this file, so it runs again only after the lock changes.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null)
	npm ci --no-audit --no-fund --ignore-scripts

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo city (idempotent)
	$(PY) manage.py load_demo

run: demo ## Install, migrate, load the demo city and serve http://127.0.0.1:8000
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install browser ## Install everything and run the whole suite
	$(PY) manage.py makemigrations --check --dry-run --settings=cms.settings.test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install ## ruff check, format check and the type check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MAKE) typecheck

typecheck: install ## mypy with django-stubs on forms/ and search/ (settings in pyproject.toml)
	$(VENV)/bin/mypy

format: install ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install ## Django system checks, development and production settings
	$(PY) manage.py check
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))') ALLOWED_HOSTS=example.org \
		DATA_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
		DATA_HASH_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(40))') \
		CARD_SIGNING_KEYS=$$($(PY) -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="))') \
		$(PY) manage.py check --deploy --fail-level WARNING --settings=cms.settings.production

messages: install ## Update and compile the translation catalogues (needs gettext)
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv
