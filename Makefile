# Two commands for a newcomer: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FLASK_APP := wsgi

.PHONY: run test setup translations messages browser faketime check clean migration-regen bench

## run: set everything up, then serve the portal on http://127.0.0.1:5000 (SQLite, demo data)
run: setup
	@mkdir -p instance
	PORTAL_ENV=development $(BIN)/flask db upgrade
	PORTAL_ENV=development $(BIN)/flask content import
	PORTAL_ENV=development $(BIN)/flask demo setup
	PORTAL_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

## test: set everything up, then run the whole test suite (SQLite; see .ci/run for PostgreSQL)
test: setup browser
	$(BIN)/python -m pytest

setup: $(STAMP) translations

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
