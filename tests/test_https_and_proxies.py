"""Transport settings at the request boundary: Secure cookies and HSTS when PUBLIC_BASE_URL
is https, and the client address taken from X-Forwarded-For only through ProxyFix with a
configured number of trusted proxies."""

from __future__ import annotations

import pytest
from flask import request

from portal import create_app
from portal.config import ConfigError
from portal.extensions import db as _db
from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def make_app(app_config):
    """``make_app(**config) -> app`` on this test's database; disposed at the end."""
    made = []

    def factory(**overrides):
        application = create_app({**app_config, **overrides})
        made.append(application)
        return application

    yield factory
    for application in made:
        with application.app_context():
            _db.session.remove()
            _db.engine.dispose()


def session_cookie_header(response) -> str:
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


def test_https_base_url_makes_cookies_secure_and_sends_hsts(make_app, make_user):
    user = make_user()
    application = make_app(PUBLIC_BASE_URL="https://portal.bpsdm.jambiprov.go.id")
    client = application.test_client()

    response = client.get("/")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    response = client.post("/locale", data={"locale": "en"})
    assert "; Secure" in session_cookie_header(response)
    response = client.post("/login", data={"identifier": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert "; Secure" in session_cookie_header(response)
    assert "; HttpOnly" in session_cookie_header(response)
    assert application.config["REMEMBER_COOKIE_SECURE"] is True


def test_http_base_url_sends_neither(make_app):
    client = make_app(PUBLIC_BASE_URL="http://127.0.0.1:5000").test_client()
    response = client.post("/locale", data={"locale": "en"})
    assert "Secure" not in session_cookie_header(response)
    assert "Strict-Transport-Security" not in response.headers


def add_address_route(application):
    application.add_url_rule("/_address", "address", lambda: request.remote_addr or "")
    return application.test_client()


def test_x_forwarded_for_is_ignored_without_trusted_proxies(make_app):
    client = add_address_route(make_app())
    response = client.get("/_address", headers={"X-Forwarded-For": "203.0.113.9"},
                          environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert response.get_data(as_text=True) == "10.0.0.5"


def test_one_trusted_proxy_gives_the_address_it_saw(make_app):
    client = add_address_route(make_app(TRUSTED_PROXY_COUNT=1))
    # the client forged the first entry; the proxy appended the address it really saw
    response = client.get("/_address", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"},
                          environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert response.get_data(as_text=True) == "203.0.113.9"


def test_a_negative_proxy_count_is_a_configuration_error(app_config):
    with pytest.raises(ConfigError, match="TRUSTED_PROXY_COUNT"):
        create_app({**app_config, "TRUSTED_PROXY_COUNT": -1})
