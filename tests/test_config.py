"""Settings: what production refuses to start without, the public address and its hosts."""

from __future__ import annotations

import secrets

import pytest

from portal import create_app
from portal.config import (
    DEVELOPMENT_BASE_URL, ConfigError, load_config, parse_public_base_url, secret_key_problem,
)

GOOD_KEY = "4f9c1d7e2b8a6035c1e9f4a7d2b06e8c"  # 32 hex characters, 16 distinct
PUBLIC = "https://portal.bpsdm.jambiprov.go.id"

SETTINGS = ("PORTAL_ENV", "SECRET_KEY", "PUBLIC_BASE_URL", "EXTRA_TRUSTED_HOSTS",
            "LOGIN_MAX_FAILURES", "CERT_SIGNATORY_NIP", "DATABASE_URL", "PORTAL_TIMEZONE",
            "RATELIMIT_STORAGE_URI")
SIGNATORY_NIP = "197001011995031001"


@pytest.fixture
def environ(monkeypatch):
    """``environ(**settings)``: exactly these settings in the environment, others unset."""

    def set_env(**values: str) -> None:
        for name in SETTINGS:
            monkeypatch.delenv(name, raising=False)
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def production(**extra: str) -> dict[str, str]:
    return {"PORTAL_ENV": "production", "SECRET_KEY": GOOD_KEY, "PUBLIC_BASE_URL": PUBLIC,
            "CERT_SIGNATORY_NIP": SIGNATORY_NIP, **extra}


# --- production refuses to start without what it needs -------------------------------


def test_production_names_every_missing_setting_in_one_line(environ, tmp_path):
    environ()  # PORTAL_ENV unset means production
    with pytest.raises(ConfigError) as caught:
        load_config(str(tmp_path))
    message = str(caught.value)
    assert "\n" not in message
    assert "SECRET_KEY is not set" in message
    assert "PUBLIC_BASE_URL is not set" in message
    assert "token_hex(32)" in message  # says how to make a key


def test_production_refuses_to_start_without_public_base_url(environ, tmp_path):
    environ(**production(PUBLIC_BASE_URL=""))
    with pytest.raises(ConfigError, match="^PUBLIC_BASE_URL is not set"):
        load_config(str(tmp_path))


@pytest.mark.parametrize("key, reason", [
    ("kunci", "too short (5 characters, at least 32)"),
    ("0123456789abcdef0123456789abcde", "too short (31 characters"),
    ("dev-only-insecure-key", "publicly known"),
    ("test-secret-key", "publicly known"),
    ("CHANGEME", "publicly known"),
    # The sample key in Flask's documentation: long and varied, but published.
    ("192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf", "publicly known"),
    ("a" * 64, "too easy to guess"),
    ("changeme" * 4, "too easy to guess"),
])
def test_production_refuses_a_short_or_known_secret_key(environ, tmp_path, key, reason):
    environ(**production(SECRET_KEY=key))
    with pytest.raises(ConfigError) as caught:
        load_config(str(tmp_path))
    assert reason in str(caught.value)
    assert key not in str(caught.value)  # a secret is never printed


def test_production_accepts_a_generated_key(environ, tmp_path):
    key = secrets.token_hex(32)
    environ(**production(SECRET_KEY=key))
    config = load_config(str(tmp_path))
    assert config["SECRET_KEY"] == key
    assert secret_key_problem(GOOD_KEY) is None


def test_portal_env_must_be_a_known_name(environ, tmp_path):
    environ(**production(PORTAL_ENV="prod"))
    with pytest.raises(ConfigError, match="PORTAL_ENV must be production, development or "
                                          "testing, got 'prod'"):
        load_config(str(tmp_path))


def test_a_malformed_number_is_one_clear_line(environ, tmp_path):
    environ(PORTAL_ENV="development", QUIZ_GRACE_SECONDS="lima")
    with pytest.raises(ConfigError) as caught:
        load_config(str(tmp_path))
    assert str(caught.value) == "QUIZ_GRACE_SECONDS must be a whole number, got 'lima'."


# --- development and testing ------------------------------------------------------------


@pytest.mark.parametrize("env", ["development", "testing"])
def test_development_runs_without_secrets_on_the_flask_run_address(environ, tmp_path, env):
    environ(PORTAL_ENV=env)
    config = load_config(str(tmp_path))
    assert config["SECRET_KEY"]
    assert config["PUBLIC_BASE_URL"] == DEVELOPMENT_BASE_URL == "http://127.0.0.1:5000"
    assert config["TRUSTED_HOSTS"] is None


def test_development_takes_the_address_make_run_gives(environ, tmp_path):
    environ(PORTAL_ENV="development", PUBLIC_BASE_URL="http://127.0.0.1:5001")
    assert load_config(str(tmp_path))["PUBLIC_BASE_URL"] == "http://127.0.0.1:5001"


# --- the public address ---------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("https://portal.bpsdm.jambiprov.go.id", PUBLIC),
    ("HTTPS://Portal.BPSDM.JambiProv.go.id/", PUBLIC),
    ("  https://portal.bpsdm.jambiprov.go.id/  ", PUBLIC),
    ("http://127.0.0.1:5001", "http://127.0.0.1:5001"),
    ("https://jambiprov.go.id/pembinaan/", "https://jambiprov.go.id/pembinaan"),
    ("http://[::1]:8080", "http://[::1]:8080"),
])
def test_public_base_url_is_normalised(raw, expected):
    assert parse_public_base_url(raw) == expected


@pytest.mark.parametrize("raw", [
    "portal.bpsdm.jambiprov.go.id",
    "//portal.bpsdm.jambiprov.go.id",
    "ftp://portal.bpsdm.jambiprov.go.id",
    "https://",
    "https://admin:rahasia@portal.bpsdm.jambiprov.go.id",
    "https://portal.bpsdm.jambiprov.go.id/?next=x",
    "https://portal.bpsdm.jambiprov.go.id/#verify",
    "https://portal.bpsdm.jambiprov.go.id:99999",
    "https://portal bpsdm.go.id",
])
def test_a_malformed_public_base_url_is_refused(environ, tmp_path, raw):
    environ(**production(PUBLIC_BASE_URL=raw))
    with pytest.raises(ConfigError, match="^PUBLIC_BASE_URL must be"):
        load_config(str(tmp_path))


def test_production_trusts_the_public_host_and_the_extra_hosts(environ, tmp_path):
    environ(**production(EXTRA_TRUSTED_HOSTS="10.0.0.5, Portal.Jambiprov.go.id .bpsdm.go.id"))
    config = load_config(str(tmp_path))
    assert config["TRUSTED_HOSTS"] == ["portal.bpsdm.jambiprov.go.id", "10.0.0.5",
                                       "portal.jambiprov.go.id", ".bpsdm.go.id"]


def test_an_extra_host_must_be_a_host_name(environ, tmp_path):
    environ(**production(EXTRA_TRUSTED_HOSTS="https://10.0.0.5/"))
    with pytest.raises(ConfigError, match="EXTRA_TRUSTED_HOSTS lists host names only"):
        load_config(str(tmp_path))


# --- requests for another host, in production -------------------------------------------


@pytest.fixture
def production_client(environ, database_uri):
    environ(**production(EXTRA_TRUSTED_HOSTS="10.0.0.5"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri})
    assert app.config["PORTAL_ENV"] == "production"
    return app.test_client()


def test_production_serves_its_public_host_and_the_extra_hosts(production_client):
    for host in ("portal.bpsdm.jambiprov.go.id", "portal.bpsdm.jambiprov.go.id:443",
                 "10.0.0.5:8000"):
        response = production_client.get("/healthz", headers={"Host": host})
        assert response.status_code == 200, host
        assert response.data == b"ok"


def test_production_answers_a_forged_host_with_a_clear_400(production_client):
    response = production_client.get("/courses", headers={"Host": "evil.example"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Permintaan tidak valid" in page  # the Indonesian 400 page
    assert "Portal ini tidak dilayani di alamat ini" in page
    assert PUBLIC in page
    assert "evil.example" not in page
    assert 'href="/"' in page  # its links are paths, never to the forged host


def test_production_never_serves_a_certificate_to_a_forged_host(production_client):
    response = production_client.get("/certificates/ABCDEFGHJKMNPQRSTVWX.pdf",
                                     headers={"Host": "evil.example"})
    assert response.status_code == 400
