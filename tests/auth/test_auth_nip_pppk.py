"""NI PPPK: the 18-digit number of a contract civil servant (digits 13–14 are "21").

The number observed refused at /register although the form says "PNS dan PPPK":
``19820828 202321 2 004``.
"""

from datetime import date

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.auth.nip import (
    PNS, PPPK, InvalidNip, format_nip, mask_nip, nip_kind, nip_label, parse_nip,
)

OBSERVED = "19820828 202321 2 004"
TODAY = date(2026, 11, 29)


def test_the_observed_ni_pppk_is_accepted_and_read_as_pppk():
    number = parse_nip(OBSERVED, today=TODAY)
    assert number.value == "198208282023212004"
    assert number.kind == PPPK
    assert number.label == "NI PPPK"
    assert number.birth_date == date(1982, 8, 28)
    assert number.appointment_year == 2023
    assert number.appointment_month is None
    assert number.gender == "P"
    assert number.sequence == 4


def test_a_nip_is_read_as_pns():
    number = parse_nip("19860926 201505 1 001", today=TODAY)
    assert number.kind == PNS
    assert number.label == "NIP"
    assert number.appointment_month == 5


@pytest.mark.parametrize("raw, code", [
    ("198208282018212004", "pppk_year"),    # PPPK before PP 49/2018 took effect
    ("198208281990212004", "pppk_year"),
    ("198208282028212004", "pppk_year"),    # a year after the coming twelve months
    ("201908282019212004", "order"),        # appointed in the year of birth
    ("198208282023213004", "gender"),       # gender digit 3
    ("198208282023212000", "sequence"),     # sequence 000
    ("198202302023212004", "birth_date"),   # 30 February
    ("198208282023222004", "appointment"),  # 22 is neither a month nor the PPPK mark
    ("198208282023202004", "appointment"),  # 20 neither
    ("19820828202321200", "length"),
    ("19820828202321200X", "digits"),
])
def test_an_ni_pppk_is_checked_as_strictly_as_a_nip(raw, code):
    with pytest.raises(InvalidNip) as caught:
        parse_nip(raw, today=TODAY)
    assert caught.value.code == code


@pytest.mark.parametrize("raw", [
    "198208282019212004",   # the first PPPK year
    "200001012027211001",   # appointment year within the coming twelve months
])
def test_plausible_ni_pppk_years_are_accepted(raw):
    assert parse_nip(raw, today=TODAY).kind == PPPK


def test_kind_and_label_read_the_digits_only():
    assert nip_kind("198208282023212004") == PPPK
    assert nip_kind("19860926 201505 1 001") == PNS
    assert nip_kind("") is None and nip_kind(None) is None and nip_kind("12345") is None
    assert nip_label("198208282023212004") == "NI PPPK"
    assert nip_label("198609262015051001") == "NIP"
    assert nip_label(None) == "NIP"


def test_an_ni_pppk_is_grouped_and_masked_like_a_nip():
    assert format_nip("198208282023212004") == "19820828 202321 2 004"
    masked = mask_nip("198208282023212004")
    assert masked == "1982**** ****** * *04"
    assert "0828" not in masked


@pytest.mark.time_machine("2026-11-29 03:00:00+00:00", tick=False)
def test_registration_accepts_the_observed_ni_pppk(en_client, db, registration):
    response = en_client.post("/register", data={**registration, "nip": OBSERVED,
                                                 "pangkat_golongan": "PPPK Golongan IX"})
    assert response.status_code == 302
    user = db.session.scalars(sa.select(User).where(User.nip == "198208282023212004")).one()
    assert user.pangkat_golongan == "PPPK Golongan IX"
    profile = en_client.get("/profile").get_data(as_text=True)
    assert "<dt>NI PPPK</dt>" in profile
    assert '<span class="nip">19820828 202321 2 004</span>' in profile


def test_registration_names_the_pppk_rule_broken(en_client, registration):
    response = en_client.post("/register", data={**registration, "nip": "19820828 201521 2 004"})
    assert response.status_code == 422
    assert ('id="nip-error">The appointment year in the NI PPPK (digits 9–12) is not a real '
            'year: PPPK were first appointed in 2019.</p>') in response.get_data(as_text=True)


def test_registration_explains_the_pppk_mark_when_digits_13_14_are_no_month(en_client,
                                                                            registration):
    response = en_client.post("/register", data={**registration, "nip": "19820828 202322 2 004"})
    assert response.status_code == 422
    assert "An NI PPPK has 21 in digits 13–14 instead of a month." in response.get_data(
        as_text=True)


def test_the_form_says_both_numbers_are_welcome(en_client):
    page = en_client.get("/register").get_data(as_text=True)
    assert '<label for="nip">NIP / NI PPPK</label>' in page
    assert "NIP or NI PPPK" not in page
    assert "19820828 202321 2 004" in page


def test_login_with_an_ni_pppk(en_client, make_user):
    from tests.factories import DEFAULT_PASSWORD

    make_user(nip="198208282023212004")
    response = en_client.post("/login", data={"identifier": OBSERVED,
                                              "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_cli_creates_a_pppk_account_and_names_the_number(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--role", "peserta", "--email", "sri@example.com", "--name",
        "Sri Wahyuni", "--nip", OBSERVED, "--password", "Pinang-Masak-2026"])
    assert result.exit_code == 0, result.output
    assert "NI PPPK 19820828 202321 2 004" in result.output
