"""The agency-then-unit choice in a real browser: htmx narrows the unit list to the chosen
agency, a kabupaten employee with an NI PPPK registers, and without JavaScript the same form
works with the unit list grouped by agency."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.extensions import db

pytestmark = pytest.mark.browser


def _fill_the_rest(page, nip: str, email: str) -> None:
    page.fill("#nip", nip)
    page.fill("#full_name", "Sri Wahyuni")
    page.fill("#name_suffix", "S.Pd.")
    page.fill("#email", email)
    page.fill("#password", "Jambi-Sepucuk-2026")
    page.fill("#confirm", "Jambi-Sepucuk-2026")
    page.select_option("#pangkat_golongan", label="PPPK Golongan IX")
    page.fill("#jabatan", "Guru Ahli Pertama")


def _registered_unit(app, email: str) -> tuple[str, str]:
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        return user.opd.name, user.opd.agency.name


def test_choosing_an_agency_narrows_the_units_and_registers(live_server, browser):
    base, app = live_server
    page = browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/register")
    assert page.locator("#opd_id optgroup").count() == 12      # grouped before any choice
    with page.expect_response(lambda r: "/register/units" in r.url):
        page.select_option("#agency_id", label="Pemerintah Kabupaten Muaro Jambi")
    page.wait_for_function("document.querySelectorAll('#opd_id optgroup').length === 1")
    group = page.locator("#opd_id optgroup")
    assert group.get_attribute("label") == "Pemerintah Kabupaten Muaro Jambi"
    assert "Kecamatan Sekernan" in page.locator("#opd_id").inner_text()
    page.select_option("#opd_id", label="Dinas Pendidikan")
    _fill_the_rest(page, "19820828 202321 2 004", "sri@jambiprov.go.id")
    page.locator('main form [type="submit"]').last.click()
    page.wait_for_load_state()
    assert "/register" not in page.url
    assert _registered_unit(app, "sri@jambiprov.go.id") == (
        "Dinas Pendidikan", "Pemerintah Kabupaten Muaro Jambi")


def test_without_javascript_the_grouped_list_still_registers(live_server, browser):
    base, app = live_server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/register")
    page.select_option("#agency_id", label="Pemerintah Kota Sungai Penuh")
    assert page.locator("#opd_id optgroup").count() == 12      # nothing narrows it
    sungai_penuh = page.locator('#opd_id optgroup[label="Pemerintah Kota Sungai Penuh"] option',
                                has_text="Kecamatan Pondok Tinggi")
    page.select_option("#opd_id", value=sungai_penuh.get_attribute("value"))
    _fill_the_rest(page, "19820828 202321 2 005", "sri2@jambiprov.go.id")
    page.locator('main form [type="submit"]').last.click()
    page.wait_for_load_state()
    assert "/register" not in page.url
    assert _registered_unit(app, "sri2@jambiprov.go.id") == (
        "Kecamatan Pondok Tinggi", "Pemerintah Kota Sungai Penuh")
    context.close()
