"""Regressions: a NIP must carry a birth date and an appointment month that can be real."""

from __future__ import annotations

from datetime import date

import pytest

from portal.auth.nip import InvalidNip, parse_nip

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("raw, code", [
    ("203001012035011001", "birth_date"),    # born in 2030
    ("202612012027011001", "birth_date"),    # born next month
    ("000101011900011001", "birth_date"),    # born in the year 1
    ("188912311910011001", "birth_date"),    # born before 1900
    ("199001012035011001", "appointment"),   # appointed nine years from now
    ("199001012028011001", "appointment"),   # 14 months ahead
])
def test_dates_that_cannot_be_real_are_refused(raw, code):
    with pytest.raises(InvalidNip) as caught:
        parse_nip(raw, today=TODAY)
    assert caught.value.code == code


@pytest.mark.parametrize("raw", [
    "198609262015051001",   # the usual case
    "200411292026111001",   # born today 22 years ago, appointed this month
    "200401012027111001",   # appointment takes effect within the coming year
    "190001011918011001",   # born 1 January 1900
])
def test_plausible_dates_are_accepted(raw):
    assert parse_nip(raw, today=TODAY).value == raw


def test_registration_refuses_a_nip_born_in_the_future(client, db):
    with client.session_transaction() as session:
        session["locale"] = "en"
    response = client.post("/register", data={
        "nip": "20300101 203501 1 001", "full_name": "Budi", "email": "budi@jambiprov.go.id",
        "password": "Rahasia-12345", "confirm": "Rahasia-12345",
        "pangkat_golongan": "Penata, III/c", "jabatan": "Staf", "opd_id": "1",
    })
    assert response.status_code == 422
    assert b"not a real date" in response.data
