# Mini Police Hub. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.setup-stamp
FRONT_STAMP := minipolice/static/build/.stamp
# Welsh catalogues: one per app (minipolice/<app>/locale) and one for the project-wide
# templates (minipolice/locale). Compiled (.mo, not committed) at setup.
APPS := $(patsubst minipolice/%/apps.py,%,$(wildcard minipolice/*/apps.py))
PO_FILES := $(wildcard minipolice/locale/cy/LC_MESSAGES/django.po minipolice/*/locale/cy/LC_MESSAGES/django.po)
MO_STAMP := minipolice/locale/.compiled
MAKEMESSAGES := DEBUG=true PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=minipolice.settings \
  $(CURDIR)/$(VENV)/bin/django-admin makemessages -l cy --no-obsolete --no-location --no-wrap -i tests -i migrations

.PHONY: setup run test lint format migrate demo worker browser-deps check-deploy clean messages translations bench loadtest

setup: $(STAMP) $(FRONT_STAMP) $(MO_STAMP) ## install Python and npm dependencies, build the front end, compile the translations

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

$(FRONT_STAMP): frontend/package.json frontend/package-lock.json frontend/build.mjs $(wildcard frontend/scss/*.scss frontend/js/*.js)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	cd frontend && npm run --silent build
	touch $(FRONT_STAMP)

$(MO_STAMP): $(STAMP) $(PO_FILES)
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: install gettext (apt-get install gettext)"; exit 1; }
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=frontend --ignore=staticfiles -v 0
	mkdir -p $(dir $(MO_STAMP)) && touch $(MO_STAMP)

translations: ## compile the Welsh catalogues again (make setup does it when a .po changes)
	rm -f $(MO_STAMP)
	$(MAKE) $(MO_STAMP)

messages: setup ## gather every translatable string into the Welsh catalogues, keeping translations
	@for app in $(APPS); do \
	  mkdir -p minipolice/$$app/locale && (cd minipolice/$$app && $(MAKEMESSAGES) -v 0) || exit 1; \
	done
	mkdir -p minipolice/locale && cd minipolice && $(MAKEMESSAGES) -v 0 -i static $(foreach app,$(APPS),-i $(app))
	$(MAKE) translations

migrate: setup
	DEBUG=true $(PY) manage.py migrate --no-input

demo: migrate
	DEBUG=true $(PY) manage.py load_demo

run: demo ## migrate, load the demo, start the task worker and serve on 127.0.0.1:$(PORT)
	@echo "Serving http://127.0.0.1:$(PORT) (task worker running alongside). Ctrl-C stops both."
	@trap 'kill 0' EXIT INT TERM; \
	  DEBUG=true $(PY) manage.py task_worker & \
	  DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: setup
	DEBUG=true $(PY) manage.py task_worker

test: setup ## the whole suite; browser tests run when Debian's chromium is installed
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
	  echo "Browser tests: on (Debian chromium found)"; \
	else \
	  echo "Browser tests: SKIPPED - chromium and chromium-driver are not installed (run 'make browser-deps')"; \
	fi
	MINIPOLICE_TESTING=true $(PY) -m pytest $(PYTEST_ARGS)

SCALE ?= national
bench: $(STAMP) ## measure every page against the framework floor, write bench/RESULTS.md (SCALE=small for a quick run)
	$(PY) bench/harness.py --scale $(SCALE) $(BENCH_ARGS)

browser-deps: ## Debian's headless Chromium and its driver, for the browser tests
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: setup
	DEBUG=false SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" ALLOWED_HOSTS=minipolice.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

# The load test (bench/loadtest.sh, bench/README.md "Load test"): locust against gunicorn and
# PostgreSQL in production mode; the figures go to bench/RESULTS.md. The database is made and the
# dataset generated on the first run, then kept.
SCALE ?= national
USERS ?= 100
LOADTEST_TIME ?= 2m
SPAWN_RATE ?= 2
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/minipolice_load_$(SCALE)
loadtest: setup
	DATABASE_URL=$(LOADTEST_DATABASE_URL) SCALE=$(SCALE) USERS=$(USERS) \
	  LOADTEST_TIME=$(LOADTEST_TIME) SPAWN_RATE=$(SPAWN_RATE) bash bench/loadtest.sh

clean:
	rm -rf $(VENV) frontend/node_modules minipolice/static/build staticfiles
