"""The kind of the number decides the rank (a PNS rank for a NIP, a PPPK grade for an NI
PPPK), and the birth date and appointment in the number must give a lawful age."""

from datetime import date

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.auth.nip import MIN_AGE_PNS, MIN_AGE_PPPK, InvalidNip, appointed_too_young, \
    parse_nip
from portal.auth.ranks import rank_kind, rank_mismatch
from portal.auth.services import AccountError, create_user, update_profile
from tests.auth.test_auth_profile import profile_data

TODAY = date(2026, 11, 30)
PNS_NIP = "19900314 201503 2 001"
NI_PPPK = "19820828 202321 2 004"


# --- age at the appointment ------------------------------------------------------------

def test_the_minimum_ages_are_18_for_a_pns_and_20_for_a_pppk():
    assert (MIN_AGE_PNS, MIN_AGE_PPPK) == (18, 20)


@pytest.mark.parametrize("raw, valid", [
    ("199706012015061001", True),    # 18 on 1 June 2015, the TMT
    ("199706022015061001", False),   # 17 on 1 June 2015: a day short
    ("199801012015061001", False),   # 17
    ("200002292018031001", True),    # born 29 Feb: 18 on 1 March 2018
    ("200002292018021001", False),   # 17 on 1 February 2018
    ("200312312023212001", True),    # PPPK: 20 on 31 December 2023, the latest TMT that year
    ("200401012023212001", False),   # PPPK: 19 all through 2023
    ("200501012023212001", False),   # PPPK: 18 is old enough for a PNS, not for a PPPK
])
def test_the_holder_is_old_enough_at_the_appointment(raw, valid):
    if valid:
        assert parse_nip(raw, today=TODAY).value == raw
    else:
        with pytest.raises(InvalidNip) as caught:
            parse_nip(raw, today=TODAY)
        assert caught.value.code == "age" and caught.value.field == "nip"


def test_appointed_too_young_reads_a_pns_month_and_a_pppk_year():
    assert appointed_too_young(date(1997, 6, 2), 2015, 6)
    assert not appointed_too_young(date(1997, 6, 1), 2015, 6)
    assert appointed_too_young(date(2004, 1, 1), 2023, None)
    assert not appointed_too_young(date(2003, 12, 31), 2023, None)


@pytest.mark.time_machine("2026-11-30 03:00:00+00:00", tick=False)
@pytest.mark.parametrize("nip, message", [
    ("19980101 201506 1 001", "By the birth date (digits 1–8) and the appointment month "
                              "(digits 9–14), this NIP's holder was under 18 when appointed; "
                              "a PNS is at least 18. Check the number."),
    ("20040101 202321 1 001", "By the birth date (digits 1–8) and the appointment year (digits "
                              "9–12), this NI PPPK's holder was under 20 when appointed; a "
                              "PPPK is at least 20. Check the number."),
])
def test_registration_says_the_holder_was_too_young(en_client, registration, nip, message):
    response = en_client.post("/register", data={
        **registration, "nip": nip, "pangkat_golongan": "PPPK Golongan V"
        if "202321" in nip else "Pengatur, II/c"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="nip-error">{message}' in page.replace("&#39;", "'")
    assert 'value="Rina Marlina"' in page                 # nothing typed is lost


@pytest.mark.time_machine("2026-11-30 03:00:00+00:00", tick=False)
def test_the_age_rule_is_said_in_indonesian(client, registration):
    response = client.post("/register", data={**registration, "nip": "19980101 201506 1 001"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("pemilik NIP ini berusia di bawah 18 tahun saat diangkat; PNS berusia paling "
            "rendah 18 tahun.") in page


# --- rank of the number's kind ---------------------------------------------------------

def test_rank_kind_and_mismatch():
    assert rank_kind("Penata, III/c") == "PNS"
    assert rank_kind("PPPK Golongan IX") == "PPPK"
    assert rank_kind("Honorer") is None and rank_kind("") is None
    assert rank_mismatch("Penata, III/c", NI_PPPK) == "pns_rank_for_pppk"
    assert rank_mismatch("PPPK Golongan IX", PNS_NIP) == "pppk_grade_for_pns"
    assert rank_mismatch("PPPK Golongan IX", NI_PPPK) is None
    assert rank_mismatch("Penata, III/c", PNS_NIP) is None
    assert rank_mismatch("Honorer", NI_PPPK) is None      # a value saved before the lists
    assert rank_mismatch("Penata, III/c", None) is None   # an account without a NIP
    assert rank_mismatch("Penata, III/c", "123") is None  # the NIP field reports that


PNS_RANK_FOR_PPPK = ("An NI PPPK (21 in digits 13–14) belongs to a PPPK: choose a PPPK grade "
                     "(golongan I–XVII), not a PNS rank.")
PPPK_GRADE_FOR_PNS = ("A NIP belongs to a PNS: choose a PNS rank (pangkat, golongan/ruang), "
                      "not a PPPK grade.")


@pytest.mark.parametrize("nip, rank, message", [
    (NI_PPPK, "Penata Muda Tk. I, III/b", PNS_RANK_FOR_PPPK),
    (PNS_NIP, "PPPK Golongan IX", PPPK_GRADE_FOR_PNS),
])
def test_registration_refuses_a_rank_of_the_other_kind(en_client, db, registration, nip, rank,
                                                      message):
    response = en_client.post("/register", data={**registration, "nip": nip,
                                                 "pangkat_golongan": rank})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="pangkat_golongan-error">{message}' in page
    assert 'id="nip-error"' not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_registration_says_the_rank_rule_in_indonesian(client, registration):
    response = client.post("/register", data={**registration, "nip": NI_PPPK})
    assert response.status_code == 422
    assert ('id="pangkat_golongan-error">NI PPPK (angka 21 pada digit 13–14) milik PPPK: '
            'pilih golongan PPPK (golongan I–XVII), bukan pangkat PNS.'
            in response.get_data(as_text=True))


def test_registration_accepts_a_pns_rank_with_a_nip(en_client, db, registration):
    assert en_client.post("/register", data=registration).status_code == 302


def test_the_profile_refuses_a_rank_of_the_other_kind(en_client, make_user, login, db):
    user = make_user(nip=NI_PPPK.replace(" ", ""), pangkat_golongan="PPPK Golongan IX")
    login(en_client, user)
    response = en_client.post("/profile", data=profile_data(
        user, pangkat_golongan="Penata, III/c", jabatan="Guru Ahli Muda"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="pangkat_golongan-error">{PNS_RANK_FOR_PPPK}' in page
    assert 'value="Guru Ahli Muda"' in page               # what was typed stays
    db.session.refresh(user)
    assert user.pangkat_golongan == "PPPK Golongan IX"
    ok = en_client.post("/profile", data=profile_data(user, pangkat_golongan="PPPK Golongan X"))
    assert ok.status_code == 302


def test_the_profile_of_a_pns_refuses_a_pppk_grade(en_client, make_user, login):
    user = make_user()
    login(en_client, user)
    response = en_client.post("/profile", data=profile_data(
        user, pangkat_golongan="PPPK Golongan IX"))
    assert response.status_code == 422
    assert f'id="pangkat_golongan-error">{PPPK_GRADE_FOR_PNS}' in response.get_data(
        as_text=True)


def test_the_services_refuse_a_rank_of_the_other_kind(db, make_user):
    with pytest.raises(AccountError) as caught:
        create_user(email="sri@jambiprov.go.id", password="Jambi-Sepucuk-2026",
                    full_name="Sri Wahyuni", nip=NI_PPPK, pangkat_golongan="Penata, III/c")
    assert (caught.value.code, caught.value.field) == ("pns_rank_for_pppk", "pangkat_golongan")
    user = make_user()
    with pytest.raises(AccountError) as caught:
        update_profile(user, email=user.email, full_name=user.full_name, name_prefix="",
                       name_suffix="", pangkat_golongan="PPPK Golongan I",
                       jabatan=user.jabatan, opd_id=user.opd_id, locale=None)
    assert caught.value.code == "pppk_grade_for_pns"
