"""Agencies (instansi) and their units: the province and Jambi's 9 kabupaten and 2 kota,
chosen agency first, then unit (htmx narrows the list; without JavaScript it is grouped by
agency), on registration, the profile, the certificate and the HR pages."""

import re

import pytest
import sqlalchemy as sa

from portal.auth.models import Agency, Opd, User
from portal.printable import unprintable_characters
from tests.factories import user_count

AGENCIES_IN_ORDER = [
    "Pemerintah Provinsi Jambi",
    "Pemerintah Kabupaten Batanghari", "Pemerintah Kabupaten Bungo",
    "Pemerintah Kabupaten Kerinci", "Pemerintah Kabupaten Merangin",
    "Pemerintah Kabupaten Muaro Jambi", "Pemerintah Kabupaten Sarolangun",
    "Pemerintah Kabupaten Tanjung Jabung Barat", "Pemerintah Kabupaten Tanjung Jabung Timur",
    "Pemerintah Kabupaten Tebo", "Pemerintah Kota Jambi", "Pemerintah Kota Sungai Penuh",
]

#: Kecamatan per agency code (Kemendagri code list).
KECAMATAN_COUNT = {"15.01": 16, "15.02": 24, "15.03": 10, "15.04": 8, "15.05": 11, "15.06": 13,
                   "15.07": 11, "15.08": 17, "15.09": 12, "15.71": 11, "15.72": 8}


def agency(db, code) -> Agency:
    return db.session.scalars(sa.select(Agency).where(Agency.code == code)).one()


def unit(db, agency_code, code) -> Opd:
    return db.session.scalars(sa.select(Opd).join(Opd.agency).where(
        Agency.code == agency_code, Opd.code == code)).one()


def test_the_twelve_agencies_are_seeded_in_order(db):
    from portal.auth.opd import active_agencies

    assert [a.name for a in active_agencies()] == AGENCIES_IN_ORDER
    kinds = {a.code: a.kind for a in active_agencies()}
    assert kinds["15"] == "provinsi" and kinds["15.01"] == "kabupaten" and kinds["15.71"] == "kota"


def test_every_kabupaten_and_kota_has_its_units_and_kecamatan(db):
    for code, kecamatan in KECAMATAN_COUNT.items():
        units = db.session.scalars(sa.select(Opd).where(
            Opd.agency_id == agency(db, code).id)).all()
        names = {u.name for u in units}
        assert {"Sekretariat Daerah", "Sekretariat DPRD", "Inspektorat", "Dinas Pendidikan",
                "Dinas Kesehatan", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                "Satuan Polisi Pamong Praja", "Rumah Sakit Umum Daerah"} <= names, code
        assert sum(name.startswith("Kecamatan ") for name in names) == kecamatan, code
        assert ("Dinas Pemberdayaan Masyarakat dan Desa" in names) == (not code.startswith("15.7"))
    assert unit(db, "15.01", "15.01.01").name == "Kecamatan Gunung Raya"
    assert unit(db, "15.71", "15.71.01").name == "Kecamatan Telanaipura"
    assert unit(db, "15.72", "15.72.08").name == "Kecamatan Sungai Bungkal"


def test_the_forty_provincial_units_belong_to_the_province(db):
    province = agency(db, "15")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Opd).where(
        Opd.agency_id == province.id)) == 40
    assert unit(db, "15", "DISKOMINFO").name == "Dinas Komunikasi dan Informatika"


def test_every_seeded_name_can_be_printed_on_a_certificate(db):
    names = db.session.scalars(sa.select(Opd.name)).all() + db.session.scalars(
        sa.select(Agency.name)).all()
    assert [name for name in names if unprintable_characters(name)] == []


def test_units_are_listed_by_agency_then_kind_then_name(db):
    from portal.auth.opd import active_opds

    kerinci = active_opds(agency(db, "15.01").id)
    assert kerinci[0].name == "Sekretariat Daerah"
    assert kerinci[-1].name.startswith("Kecamatan ")
    kecamatan = [u.name for u in kerinci if u.name.startswith("Kecamatan ")]
    assert kecamatan == sorted(kecamatan, key=str.lower)
    everything = active_opds()
    assert everything[0].agency.code == "15" and everything[-1].agency.code == "15.72"


# --- registration ----------------------------------------------------------------------

def test_the_form_offers_agencies_then_units_grouped_by_agency(en_client, db):
    page = en_client.get("/register").get_data(as_text=True)
    agency_select = page[page.index('<select hx-get='):]
    agency_select = agency_select[:agency_select.index("</select>")]
    assert re.findall(r'<option value="\d+">([^<]+)</option>', agency_select) == \
        AGENCIES_IN_ORDER
    assert 'hx-get="/register/units"' in agency_select
    assert '<optgroup label="Pemerintah Kabupaten Kerinci">' in page
    assert '<optgroup label="Pemerintah Kota Sungai Penuh">' in page
    assert "Kecamatan Gunung Raya" in page
    assert page.index("Agency (instansi)") < page.index("Work unit (unit kerja)")


def test_a_kabupaten_employee_registers(en_client, db, registration):
    kerinci = agency(db, "15.01")
    dinkes = unit(db, "15.01", "DINKES")
    response = en_client.post("/register", data={**registration, "agency_id": str(kerinci.id),
                                                 "opd_id": str(dinkes.id)})
    assert response.status_code == 302
    user = db.session.scalars(sa.select(User)).one()
    assert (user.opd.name, user.opd.agency.name) == ("Dinas Kesehatan",
                                                     "Pemerintah Kabupaten Kerinci")


def test_a_unit_of_another_agency_is_refused_and_named(en_client, db, registration, opd):
    kerinci = agency(db, "15.01")
    response = en_client.post("/register", data={**registration, "agency_id": str(kerinci.id),
                                                 "opd_id": str(opd.id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ('id="opd_id-error">Dinas Komunikasi dan Informatika is a unit of Pemerintah '
            'Provinsi Jambi, not of the agency you chose.') in page
    assert f'<option selected value="{kerinci.id}">' in page      # kept as chosen
    assert user_count() == 0


def test_the_unit_alone_is_enough_when_no_agency_is_posted(en_client, db, registration):
    """A post without the agency (an older form) takes the agency from the unit."""
    kecamatan = unit(db, "15.71", "15.71.01")
    data = {**registration, "opd_id": str(kecamatan.id)}
    data.pop("agency_id", None)
    assert en_client.post("/register", data=data).status_code == 302
    user = db.session.scalars(sa.select(User)).one()
    assert user.opd.agency.name == "Pemerintah Kota Jambi"


@pytest.mark.parametrize("posted", ["999999", "abc"])
def test_an_unknown_agency_is_refused(en_client, registration, posted):
    response = en_client.post("/register", data={**registration, "agency_id": posted})
    assert response.status_code == 422
    assert 'id="agency_id-error">Choose an agency from the list.' in response.get_data(
        as_text=True)


def test_an_inactive_agency_and_its_units_are_not_offered(en_client, db, registration):
    tebo = agency(db, "15.09")
    tebo.is_active = False
    db.session.commit()
    page = en_client.get("/register").get_data(as_text=True)
    assert "Pemerintah Kabupaten Tebo" not in page and "Kecamatan Rimbo Bujang" not in page
    response = en_client.post("/register", data={**registration,
                                                 "opd_id": str(unit(db, "15.09", "DINKES").id)})
    assert response.status_code == 422


# --- the htmx-dependent select ------------------------------------------------------------

def test_choosing_an_agency_narrows_the_units(en_client, db):
    kerinci = agency(db, "15.01")
    response = en_client.get("/register/units", query_string={"agency_id": kerinci.id},
                             headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<div id="unit-field">' in fragment and "<html" not in fragment
    assert fragment.count("<optgroup") == 1
    assert '<optgroup label="Pemerintah Kabupaten Kerinci">' in fragment
    assert "Kecamatan Gunung Raya" in fragment
    assert "Badan Pengembangan Sumber Daya Manusia" not in fragment   # a provincial unit


def test_the_chosen_unit_is_kept_when_it_belongs_to_the_agency(en_client, db):
    kerinci, dinkes = agency(db, "15.01"), unit(db, "15.01", "DINKES")
    kept = en_client.get("/register/units", query_string={
        "agency_id": kerinci.id, "opd_id": dinkes.id}).get_data(as_text=True)
    assert f'<option selected value="{dinkes.id}">Dinas Kesehatan</option>' in kept
    bungo = agency(db, "15.08")
    dropped = en_client.get("/register/units", query_string={
        "agency_id": bungo.id, "opd_id": dinkes.id}).get_data(as_text=True)
    assert f'selected value="{dinkes.id}"' not in dropped
    assert '<option selected value="">Choose your work unit</option>' in dropped
    assert "Kecamatan Gunung Raya" not in dropped and "Kecamatan Tanah Tumbuh" in dropped


def test_no_agency_lists_every_unit_grouped(en_client):
    fragment = en_client.get("/register/units", query_string={"agency_id": ""}).get_data(
        as_text=True)
    assert fragment.count("<optgroup") == 12


# --- profile ------------------------------------------------------------------------------

def test_profile_preselects_the_users_agency_and_moves_to_a_kota(en_client, db, make_user,
                                                                 login):
    from tests.auth.test_auth_profile import profile_data

    user = make_user(opd_id=unit(db, "15.05", "DISDIK").id)
    login(en_client, user)
    page = en_client.get("/profile").get_data(as_text=True)
    assert f'<option selected value="{agency(db, "15.05").id}">Pemerintah Kabupaten Muaro ' \
           f'Jambi</option>' in page
    assert "<dt>Agency</dt><dd>Pemerintah Kabupaten Muaro Jambi</dd>" in page
    target = unit(db, "15.72", "DISKOMINFO")
    response = en_client.post("/profile", data=profile_data(
        user, agency_id=str(target.agency_id), opd_id=str(target.id)))
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.opd.agency.name == "Pemerintah Kota Sungai Penuh"
