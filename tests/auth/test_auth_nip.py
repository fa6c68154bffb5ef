"""NIP parsing, grouping and masking (portal.auth.nip) and the form messages for each rule."""

from datetime import date

import pytest

from portal.auth.nip import InvalidNip, format_nip, mask_nip, normalize_nip, parse_nip

VALID = "198609262015051001"


def test_valid_nip_is_parsed_into_its_parts():
    nip = parse_nip(VALID)
    assert nip.value == VALID
    assert nip.birth_date == date(1986, 9, 26)
    assert (nip.appointment_year, nip.appointment_month) == (2015, 5)
    assert nip.gender == "L"
    assert nip.sequence == 1


def test_gender_digit_2_is_female():
    assert parse_nip("199003142015032001").gender == "P"


@pytest.mark.parametrize("typed", [
    "19860926 201505 1 001",
    " 19860926  201505 1 001 ",
    "19860926.201505.1.001",
    "19860926-201505-1-001",
])
def test_spaces_dots_and_dashes_are_accepted(typed):
    assert parse_nip(typed).value == VALID


@pytest.mark.parametrize("raw, code", [
    ("198602312015051001", "birth_date"),    # 31 February
    ("198613012015051001", "birth_date"),    # month 13 of birth
    ("198609262015131001", "appointment"),   # appointment month 13
    ("198609262015001001", "appointment"),   # appointment month 00
    ("198609262015053001", "gender"),        # gender digit 3
    ("198609262015050001", "gender"),        # gender digit 0
    ("19860926201505100", "length"),         # 17 digits
    ("1986092620150510011", "length"),       # 19 digits
    ("19860926201505100A", "digits"),
    ("1986O9262015051001", "digits"),        # letter O for zero
    ("١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١", "digits"),        # Arabic-Indic digits
    ("198609262015051000", "sequence"),
    ("198609261985051001", "order"),         # appointed before birth
])
def test_invalid_nips_name_the_rule_broken(raw, code):
    with pytest.raises(InvalidNip) as caught:
        parse_nip(raw)
    assert caught.value.code == code


def test_empty_nip_is_rejected():
    with pytest.raises(InvalidNip):
        parse_nip("")


def test_format_groups_the_nip():
    assert format_nip(VALID) == "19860926 201505 1 001"
    assert format_nip("19860926 201505 1 001") == "19860926 201505 1 001"


def test_format_leaves_other_values_alone():
    assert format_nip(None) == ""
    assert format_nip("12345") == "12345"


def test_mask_hides_birth_date_and_gender():
    masked = mask_nip(VALID)
    assert masked == "1986**** ****** * *01"
    assert "0926" not in masked
    assert mask_nip("") == ""
    assert mask_nip("1234") == "****"


def test_normalize_removes_separators():
    assert normalize_nip("19860926 201505-1.001") == VALID


@pytest.mark.parametrize("raw, expected", [
    ("198602312015051001", "The birth date in the NIP / NI PPPK (digits 1–8) is not a real date."),
    ("198609262015131001",
     "The appointment year and month in the NIP (digits 9–14) are not a real month. "
     "An NI PPPK has 21 in digits 13–14 instead of a month."),
    ("198609262015053001", "The 15th digit of the NIP / NI PPPK (gender) must be 1 or 2."),
    ("198208282015212004", "The appointment year in the NI PPPK (digits 9–12) is not a real "
                           "year: PPPK were first appointed in 2019."),
    ("19860926201505100", "A NIP / NI PPPK has 18 digits; you typed 17."),
    ("1986092620150510011", "A NIP / NI PPPK has 18 digits; you typed 19."),
    ("19860926201505100A", "A NIP / NI PPPK contains digits only; spaces between the groups "
                           "are fine."),
    ("198609262015051000", "The sequence number in the NIP / NI PPPK (last 3 digits) starts "
                           "at 001."),
    ("198609261985051001", "The appointment date in the NIP / NI PPPK (digits 9–14) must come "
                           "after the birth date (digits 1–8)."),
])
def test_every_rule_has_its_own_message(app, raw, expected):
    from portal.auth.forms import nip_error_message

    with app.test_request_context():
        from flask import session

        session["locale"] = "en"
        with pytest.raises(InvalidNip) as caught:
            parse_nip(raw)
        assert nip_error_message(caught.value, raw) == expected
