"""A live portal on a real socket, and Debian's Chromium driven by Playwright.

Playwright's own browser download does not work offline; the suite uses the system
``chromium`` (installed by ``make test`` when missing).
"""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db as _db

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live_server(app_config):
    """Serve a fresh portal (migrated database, shipped courses imported, CSRF on) on
    127.0.0.1 at a free port; yields ``(base_url, app)``."""
    config = {**app_config, "WTF_CSRF_ENABLED": True, "SERVER_NAME": None, "TESTING": False}
    app = create_app(config)
    result = app.test_cli_runner().invoke(args=["content", "import"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url, app
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def browser():
    """A headless Chromium (Debian's package) under Playwright."""
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
