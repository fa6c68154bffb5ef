"""Fixtures of the admin pages' tests: an admin logged in, an English client."""

from __future__ import annotations

import pytest

from tests.factories import set_english


@pytest.fixture
def admin(make_user):
    """A committed admin account (also a learner, as every account)."""
    return make_user(role="admin", full_name="Rahmat Hidayat", email="admin@jambiprov.go.id")


@pytest.fixture
def admin_client(client, admin, login):
    """The test client, logged in as :func:`admin`, showing English."""
    login(client, admin)
    set_english(client)
    return client
