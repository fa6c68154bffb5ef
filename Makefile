# Two commands for a newcomer: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FLASK_APP := wsgi

## HOST, PORT: where `make run` serves (`make run PORT=5001`); certificates issued by that
## portal print the same address, and the demo logins printed go with it.
HOST ?= 127.0.0.1
PORT ?= 5000
RUN_ENV := PORTAL_ENV=development PUBLIC_BASE_URL=http://$(HOST):$(PORT)

.PHONY: run test setup pdf-libs translations messages browser faketime check clean migration-regen bench

## run: set everything up, then serve the portal on http://$(HOST):$(PORT) (SQLite, demo data)
run: setup .env
	@mkdir -p instance
	$(RUN_ENV) $(BIN)/flask db upgrade
	$(RUN_ENV) $(BIN)/flask content import
	$(RUN_ENV) $(BIN)/flask demo setup
	$(RUN_ENV) $(BIN)/flask run --host $(HOST) --port $(PORT)

## test: set everything up, then run the whole test suite (SQLite; see .ci/run for PostgreSQL)
test: setup .env browser
	$(BIN)/python -m pytest

setup: pdf-libs $(STAMP) translations

## pdf-libs: the system libraries WeasyPrint loads (Pango, HarfBuzz, fontconfig, GLib), with
## Debian's apt-get when one is missing; the Debian packages are listed in README.md.
PDF_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz.so.0 libharfbuzz-subset.so.0 \
	libfontconfig.so.1 libgobject-2.0.so.0
pdf-libs:
	@missing=""; for lib in $(PDF_LIBS); do \
	  /sbin/ldconfig -p 2>/dev/null | grep -q "$$lib " || missing="$$missing $$lib"; done; \
	if [ -n "$$missing" ]; then echo "missing for PDF certificates:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; fi

## .env: local development settings that the `flask` command reads (python-dotenv), so the
## README's commands run as written; written once with a random SECRET_KEY, never committed.
## Settings in the environment win over it. A server gets its settings from the environment.
.env:
	@umask 077 && printf '%s\n' \
	  '# Local development settings for the flask command, written by make (not committed).' \
	  'PORTAL_ENV=development' \
	  "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_hex(32))')" > $@
	@echo "wrote $@ (PORTAL_ENV=development and a random SECRET_KEY)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

## translations: compile the gettext catalogues (.po -> .mo)
translations: $(STAMP)
	$(BIN)/pybabel -q compile -d portal/translations -D "messages wtforms"

## messages: extract the UI strings to portal/translations/messages.pot and merge them into
## each catalogue (then translate the new entries in portal/translations/id/LC_MESSAGES/messages.po);
## also merge WTForms' own template into wtforms.po, for messages a WTForms upgrade adds.
## English is the msgids themselves, so only Indonesian (the default locale) has catalogues.
## New entries come untranslated (no fuzzy guesses); tests/i18n lists any left empty.
PYBABEL_EXTRACT := -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 \
	--sort-by-file --add-location=file --no-wrap -c TRANSLATORS: \
	--project "Portal Pembinaan ASN" --ignore-dirs ".* node_modules"
messages: $(STAMP)
	$(BIN)/pybabel -q extract $(PYBABEL_EXTRACT) -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations \
	  --no-wrap --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel update -D wtforms -d portal/translations --no-wrap --no-fuzzy-matching \
	  --ignore-obsolete -i "$$($(BIN)/python -c 'from wtforms.i18n import messages_path as p; print(p())')/wtforms.pot"

## browser: Debian's Chromium for the browser test (Playwright cannot download its own here)
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq chromium >/dev/null; }

## faketime: libfaketime, for .ci/run's pass under a shifted clock
faketime:
	@command -v faketime >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq faketime >/dev/null; }

## check: validate the course files in content/ without importing them
check: setup
	PORTAL_ENV=development $(BIN)/flask content check

clean:
	rm -rf $(VENV) instance/portal.sqlite3 .pytest_cache

## migration-regen: rebuild migration 0001 from the models (allowed only until the first release)
migration-regen: setup
	@flock /tmp/portal-migration-regen.lock sh -c '\
	  set -e; tmp=$$(mktemp -d); mv migrations/versions/*.py $$tmp/; \
	  DATABASE_URL=sqlite:///$$tmp/empty.sqlite3 PORTAL_ENV=development \
	    $(BIN)/flask db migrate --rev-id 0001 -m "initial schema" >/dev/null; \
	  for f in $$tmp/*.py; do case $$f in */0001_*) ;; *) mv $$f migrations/versions/;; esac; done; \
	  rm -rf $$tmp'
	@ls migrations/versions

## bench: page and certificate benchmarks, as ratios against a bare Flask endpoint
bench: setup
	$(BIN)/python bench/bench_pages.py
