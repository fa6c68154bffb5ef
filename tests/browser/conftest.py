"""Browser tests: the live portal serving the shipped courses (fixtures in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def live_server(start_live_portal):
    """A live portal with the shipped courses; yields ``(base_url, app)``."""
    return start_live_portal()
