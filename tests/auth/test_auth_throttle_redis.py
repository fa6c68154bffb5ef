"""Throttling against the real Redis at 127.0.0.1:6379, database 1: failed logins counted by
one app server hold on another, and the keys name no NIP, email or address."""

from __future__ import annotations

import uuid

import pytest
import redis

from portal import create_app
from portal.extensions import db as _db
from tests.factories import DEFAULT_PASSWORD

REDIS_URL = "redis://127.0.0.1:6379/1"


@pytest.fixture
def redis_db():
    """Database 1 of the local Redis; the keys a test made (its prefix) are deleted after."""
    connection = redis.Redis.from_url(REDIS_URL)
    connection.ping()  # Redis is a real part of the test set-up: fail loudly without it
    prefix = f"portal-test-{uuid.uuid4().hex}/"
    yield connection, prefix
    for key in connection.scan_iter(match=f"*{prefix}*"):
        connection.delete(key)
    connection.close()


@pytest.fixture
def app_servers(app_config, redis_db):
    """``server() -> app``: a new app (as on another app server) on the same database and
    Redis."""
    _, prefix = redis_db
    made = []

    def server():
        application = create_app({**app_config, "RATELIMIT_STORAGE_URI": REDIS_URL,
                                  "RATELIMIT_KEY_PREFIX": prefix})
        made.append(application)
        return application

    yield server
    for application in made:
        with application.app_context():
            _db.session.remove()
            _db.engine.dispose()


def login(client, identifier, password="not-the-password"):
    return client.post("/login", data={"identifier": identifier, "password": password},
                       environ_base={"REMOTE_ADDR": "10.1.2.3"})


def test_failures_counted_on_one_server_hold_on_another(app_servers, redis_db, make_user):
    connection, prefix = redis_db
    user = make_user()
    first = app_servers().test_client()
    for _ in range(5):
        assert login(first, user.email).status_code == 401

    keys = [key.decode() for key in connection.scan_iter(match=f"*{prefix}*")]
    assert len(keys) == 3  # account and client, account, client
    for key in keys:
        assert user.email not in key and user.nip not in key and "10.1.2.3" not in key

    # another app server (a fresh storage object: the counts can only come from Redis)
    second = app_servers().test_client()
    assert login(second, user.email, DEFAULT_PASSWORD).status_code == 429
    assert login(second, user.email, DEFAULT_PASSWORD).headers["Retry-After"]
