"""Shared fixtures.

Every test gets a database whose schema was built by the Alembic migrations (never by
``create_all``): the migrations run once per session into a template, which each test then
clones (a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL).

Set ``TEST_DATABASE_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) to
run the suite on PostgreSQL; without it the suite runs on SQLite files.
"""

from __future__ import annotations

import contextvars
import os
import shutil
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db as _db
from tests.factories import (  # noqa: F401  (kept importable by their old names)
    BASE_CONFIG, CONTENT_DIR, DEFAULT_PASSWORD, ISSUE_MOMENT, ROOT, create_user, next_nip,
)

os.environ.setdefault("PORTAL_ENV", "testing")


def _pg_admin_engine(url):
    return sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def _pg_recreate(url, name: str, template: str | None = None) -> None:
    engine = _pg_admin_engine(url)
    with engine.connect() as conn:
        conn.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        if template:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        else:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def _migrate(database_uri: str) -> None:
    from flask_migrate import upgrade

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_uri})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        _db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Build the schema once with the migrations; return how to clone it per test."""
    pg = os.environ.get("TEST_DATABASE_URL")
    if pg:
        url = make_url(pg)
        base = url.database or "test"
        template = f"{base}_tpl"
        _pg_recreate(url, template)
        _migrate(url.set(database=template).render_as_string(hide_password=False))
        yield ("postgresql", url, template)
        _pg_recreate(url, template)  # leaves an empty template; cheap to drop
        engine = _pg_admin_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{template}"'))
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{base}_run"'))
        engine.dispose()
    else:
        path = tmp_path_factory.mktemp("db") / "template.sqlite3"
        _migrate(f"sqlite:///{path}")
        yield ("sqlite", path, None)


@pytest.fixture
def database_uri(database_template, tmp_path):
    """A fresh database cloned from the migrated template, for one test."""
    kind, where, template = database_template
    if kind == "postgresql":
        name = f"{where.database or 'test'}_run"
        _pg_recreate(where, name, template)
        return where.set(database=name).render_as_string(hide_password=False)
    target = tmp_path / "portal.sqlite3"
    shutil.copyfile(where, target)
    return f"sqlite:///{target}"


@pytest.fixture
def app_config(database_uri, tmp_path):
    """Config for the test app; override keys by requesting this fixture and updating it."""
    return {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_uri}


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The test itself holds an app context (for ``db.session`` work); without isolation each
    request would share that context's ``g`` (Flask-Login's cached user, Flask-WTF's
    ``csrf_valid``, Flask-Babel's locale) and its database session, hiding a missing commit.
    Before a request the test's pending work is committed; afterwards its objects are
    expired, so the test reads what the request really stored. ``with client:`` blocks
    (preserved contexts) keep Flask's usual behaviour.
    """

    def open(self, *args, **kwargs):
        if self.preserve_context:
            return super().open(*args, **kwargs)
        if has_app_context():
            _db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            _db.session.expire_all()
        return response


@pytest.fixture
def app(app_config):
    """The Flask app bound to a fresh database, inside an app context; its test client
    runs each request in a separate app context (see :class:`IsolatedClient`)."""
    application = create_app(app_config)
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The Flask-SQLAlchemy handle, bound to this test's database."""
    return _db


@pytest.fixture
def client(app):
    """A test client. CSRF is off here; tests of CSRF use ``csrf_client``."""
    return app.test_client()


# --- the clock -------------------------------------------------------------------------

@pytest.fixture
def freeze_now(time_machine):
    """``freeze_now(aware_utc_datetime)``: stop the clock at that moment (every
    ``portal.timeutil.utcnow()`` returns it) until the test ends or moves it again.

    Any test that asserts a date or a duration freezes the clock, so the suite passes on
    any day (``.ci/run`` also runs it under a clock shifted to a WIB new year). Freeze
    before a client's session is made, or use ``@pytest.mark.time_machine(moment,
    tick=False)``, which freezes before every fixture: a session cookie signed at another
    moment is refused as expired.
    """

    def set_now(moment: datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return set_now


# --- users -----------------------------------------------------------------------------

@pytest.fixture
def make_user(db):
    """Factory: ``make_user(role="peserta", **fields) -> User`` (:func:`tests.factories.create_user`):
    committed, with ``DEFAULT_PASSWORD``, holding ``role`` and, as every account, ``peserta``."""

    def factory(role: str = "peserta", **fields):
        return create_user(db, role, **fields)

    return factory


@pytest.fixture
def login(app):
    """``login(client, user)``: start a logged-in session without the login form.

    Features other than auth use this; the login form itself is tested in tests/auth.
    The session is stamped as a real login is, at the current (possibly frozen) time.
    """
    from portal.auth.sessions import stamp_for
    from portal.timeutil import utcnow

    def do_login(test_client, user):
        with test_client.session_transaction() as sess:
            sess["_user_id"] = str(user.id)
            sess["_fresh"] = True
            sess.update(stamp_for(user, utcnow()))
        return test_client

    return do_login


# --- a live portal and a real browser ------------------------------------------------------

#: Flags for Debian's Chromium on a machine without internet access.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def start_live_portal(app_config):
    """Factory: ``start_live_portal(setup=None, **config) -> (base_url, app)``.

    Serves a fresh portal (migrated database, shipped courses imported, CSRF on) on
    127.0.0.1 at a free port, in a thread; ``setup(app)`` runs first (inside no context).
    Every server started is stopped at the end of the test.
    """
    import threading

    from werkzeug.serving import make_server

    started = []

    def start(setup=None, **overrides):
        config = {**app_config, "WTF_CSRF_ENABLED": True, "SERVER_NAME": None,
                  "TESTING": False, **overrides}
        application = create_app(config)
        result = application.test_cli_runner().invoke(args=["content", "import"])
        assert result.exit_code == 0, result.output
        if setup is not None:
            setup(application)
        server = make_server("127.0.0.1", 0, application, threaded=True)
        base_url = f"http://127.0.0.1:{server.server_port}"
        application.config["PUBLIC_BASE_URL"] = base_url
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append((server, thread, application))
        return base_url, application

    yield start
    for server, thread, application in started:
        server.shutdown()
        thread.join(timeout=10)
        with application.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def browser():
    """A headless Chromium (Debian's package, found on PATH) driven by Playwright.

    Playwright's own browser download does not work offline; ``make test`` installs
    Debian's ``chromium`` when it is missing.
    """
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is required: run `make test`, which installs it"
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
