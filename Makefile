# Tilmash: `make demo` serves the demo, `make test` runs the whole suite.
# Both set everything up on a fresh machine (virtualenv, packages, database).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock | cksum | cut -d' ' -f1)
# `make serve` runs from its own virtualenv holding the runtime packages only.
SERVE_VENV := .venv-serve
SERVE_STAMP := $(SERVE_VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# The languages with a catalogue in locale/: make messages updates them, make check-messages checks them.
LOCALES ?= kk ru en

# The first interpreter >= 3.12 that actually runs (a pyenv shim for a version
# that is not selected fails when run, so each candidate is tried for real).
PYTHON_CANDIDATES := python3.13 python3.12 python3 $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python3) $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3) $(wildcard /usr/local/bin/python3.1[2-9])
find_python = $(firstword $(foreach candidate,$(PYTHON_CANDIDATES),$(shell $(candidate) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $(candidate))))

.PHONY: help venv install migrate demo test test-sqlite test-postgres serve bench bench-quick lint lock messages check-messages clean

help:
	@echo "make demo   - set up and serve the demo on http://$(HOST):$(PORT) (with a task worker)"
	@echo "make test   - set up and run the test suite (DATABASE_URL selects the database)"
	@echo "make serve  - production server (gunicorn, DEBUG off; needs SECRET_KEY, ALLOWED_HOSTS)"
	@echo "make check-messages - the catalogues in locale/ are complete and up to date"
	@echo "make bench  - benchmarks (bench/README.md); make bench-quick for a smoke run"

# The packages come from the lock files (every version and file hash pinned;
# `make lock` writes them from requirements*.txt), so two machines install the
# same bytes and a tampered download is refused.
define make_venv
	@if [ ! -x $(1)/bin/python ]; then \
		python="$(call find_python)"; \
		if [ -z "$$python" ]; then \
			echo "Tilmash needs Python 3.12 or newer (Django 6.1), and none was found."; \
			echo "Install one, e.g. 'pyenv install 3.13' or 'apt-get install python3.12 python3.12-venv',"; \
			echo "then run make again."; \
			exit 1; \
		fi; \
		echo "Creating $(1) with $$python ($$($$python --version))"; \
		$$python -m venv $(1) || exit 1; \
	fi
	$(1)/bin/python -m pip install --quiet --require-hashes -r $(2)
	rm -f $(1)/.installed-*
	touch $(3)
endef

$(STAMP): requirements-dev.lock
	$(call make_venv,$(VENV),requirements-dev.lock,$@)

$(SERVE_STAMP): requirements.lock
	$(call make_venv,$(SERVE_VENV),requirements.lock,$@)

venv install: $(STAMP)

migrate: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput

# The task worker (mail) runs beside the server and is stopped with it.
demo: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

serve: $(SERVE_STAMP)
	@echo "Mail is sent by task workers: run $(SERVE_VENV)/bin/python manage.py db_worker beside this (README, Production)."
	$(SERVE_VENV)/bin/python manage.py collectstatic --noinput
	$(SERVE_VENV)/bin/python manage.py migrate --noinput
	$(SERVE_VENV)/bin/python manage.py check --deploy --fail-level WARNING
	$(SERVE_VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --timeout 30 --graceful-timeout 30 --access-logfile -

bench: $(STAMP)
	$(PY) bench/run.py

bench-quick: $(STAMP)
	$(PY) bench/run.py --quick

# The lock files, from the pins in requirements.txt and requirements-dev.txt (with
# every dependency's version and hashes): run after changing either file.
lock: $(STAMP)
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements.lock requirements.txt
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements-dev.lock requirements-dev.txt

lint: $(STAMP)
	$(VENV)/bin/ruff check .

messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages $(foreach code,$(LOCALES),-l $(code)) --ignore=.venv --ignore=bench
	DEBUG=1 $(PY) manage.py messages_transliterate
	DEBUG=1 $(PY) manage.py compilemessages $(foreach code,$(LOCALES),-l $(code)) --ignore=.venv

# Fails on an untranslated or fuzzy message, on a catalogue makemessages would change,
# or on a tracked .mo that is not its .po compiled (on a tree with locale/ committed).
check-messages: $(STAMP)
	PYTHON=$(PY) .ci/check-messages $(LOCALES)

clean:
	rm -rf $(VENV) $(SERVE_VENV) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache
