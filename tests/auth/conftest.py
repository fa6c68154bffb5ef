"""Fixtures for the auth tests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.extensions import db as _db

from tests.factories import NEW_PASSWORD, set_english


@pytest.fixture
def en_client(client):
    """The CSRF-less test client, with the UI in English."""
    set_english(client)
    return client


@pytest.fixture
def opd(db):
    """The Dinas Komunikasi dan Informatika row (seeded by migration 0002)."""
    from portal.auth.models import Opd

    return db.session.scalars(sa.select(Opd).where(Opd.code == "DISKOMINFO",
            Opd.agency.has(code="15"))).one()


@pytest.fixture
def registration(opd):
    """A valid registration form post (as a dict of strings)."""
    return {
        "nip": "19900314 201503 2 001",
        "name_prefix": "",
        "full_name": "Rina Marlina",
        "name_suffix": "S.E.",
        "email": "Rina.Marlina@Jambiprov.go.id",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "pangkat_golongan": "Penata Muda Tk. I, III/b",
        "jabatan": "Pranata Komputer Ahli Pertama",
        "opd_id": str(opd.id),
    }


@pytest.fixture
def csrf_app(app_config):
    """An app on this test's database with CSRF protection switched on.

    No app context stays pushed, so every request gets its own ``g`` as in production
    (``g.csrf_valid`` of one request must not leak into the next). Use
    ``with csrf_app.app_context():`` for database work in the test.
    """
    application = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()
