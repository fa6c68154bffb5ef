"""Regressions: HR's certificate search ignores case in every script, on SQLite as on
PostgreSQL (SQLite's built-in lower() only knows A-Z)."""

from __future__ import annotations

import pytest

from portal.certificates.services import search_certificates


@pytest.mark.parametrize("query", ["Ṣāliḥ", "ṣāliḥ", "ÉLIA", "élia", "ümit"])
def test_search_matches_names_with_accented_capitals_in_any_case(db, make_user, issue, query):
    wanted = issue(user=make_user(full_name="Ṣāliḥ Élia Ümit"))
    issue(user=make_user(full_name="Budi Santoso"))
    found = search_certificates(query).items
    assert [c.id for c in found] == [wanted.id]


def test_sql_lower_still_passes_null_and_ascii_through(db):
    assert db.session.execute(db.text("SELECT lower(NULL), lower('ABC'), lower('ÀÉÎ')")).one() \
        == (None, "abc", "àéî")
