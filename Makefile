# The two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Packages the portal needs from Debian: WeasyPrint's Pango, fonts for the PDFs.
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
# What the tests need besides: the PostgreSQL server, Chromium, pdftotext, LibreOffice Calc (reads the XLSX exports back).
TEST_DEBS := postgresql chromium poppler-utils libreoffice-calc-nogui
TEST_ENV := DJANGO_DEBUG=0 DJANGO_STATIC_MANIFEST=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECRET_KEY=test-only-secret-key DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1,testserver

.PHONY: help run test check check-deploy bench loadtest backup restore messages clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || bash scripts/system-packages.sh python3-venv python3-pip
	bash scripts/system-packages.sh $(RUNTIME_DEBS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.installed ## Install, migrate, load reference and demo data, serve at 127.0.0.1:$(PORT) with the worker
	$(PY) scripts/old-demo-database.py
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py import_besturen
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	@echo "Het portaal draait op http://127.0.0.1:$(PORT), met de worker voor e-mail, verzegelde PDF's en planning (stoppen: Ctrl+C)"
	DJANGO_DEBUG=1 bash scripts/serve.sh $(PY) $(PORT)

test: $(VENV)/.installed-test ## Install test needs, start a throwaway PostgreSQL, run checks and the suite
	bash scripts/system-packages.sh $(RUNTIME_DEBS) $(TEST_DEBS)
	$(TEST_ENV) bash scripts/with-postgres.sh $(MAKE) --no-print-directory check

check: ## Lint, types, migrations, import contracts and pytest (needs DATABASE_URL; `make test` provides one)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

bench: $(VENV)/.installed-test ## Time the PDF of a large aanvraag against a plain document, count the SQL queries of every main page at 1x and 10x data (fails if a count differs), time the upload check; writes bench/results.json
	bash scripts/system-packages.sh $(RUNTIME_DEBS) postgresql
	$(TEST_ENV) bash scripts/with-postgres.sh $(PY) -m bench $(BENCH_ARGS)

check-deploy: $(VENV)/.installed ## Django's deployment checks on the production settings (debug off); no warning allowed
	DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-regierol.example.be}" \
	$(PY) manage.py check --deploy --fail-level WARNING

loadtest: $(VENV)/.installed-test ## 50 users on gunicorn and a throwaway PostgreSQL, without and with think time: latency per page, throughput against the empty logged-in page; writes loadtest/results.json (LOADTEST_ARGS="--scale 0.25 --seconds 20" for a quick run, "--servers 2" for two instances)
	$(PY) -m pip install -q -e '.[load]'
	bash scripts/system-packages.sh $(RUNTIME_DEBS) postgresql
	bash scripts/with-postgres.sh $(PY) -m loadtest $(LOADTEST_ARGS)

backup: $(VENV)/.installed ## Back up the database and private files into backups/ (or MAP=DIR); needs the production environment
	bash scripts/system-packages.sh postgresql-client
	$(PY) manage.py backup $(if $(MAP),--map $(MAP))

restore: $(VENV)/.installed ## Restore a backup: MAP=DIR make restore (JA=1 replaces a database that is not empty)
	@test -n "$(MAP)" || { echo "Geef de map van de backup: MAP=backups/regierol-... make restore" >&2; exit 1; }
	bash scripts/system-packages.sh postgresql-client
	$(PY) manage.py restore --map $(MAP) $(if $(JA),--ja)

messages: $(VENV)/.installed ## Update and compile the translations (locale/)
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l en

clean: ## Remove the virtualenv, the SQLite file and collected files
	rm -rf $(VENV) db.sqlite3 staticfiles
