"""An NI PPPK on the certificate, the public verification page and the HR register: grouped
where staff read it, masked where the public does, and always called by its name."""

import pytest

from tests.factories import pdf_text
from portal.certificates.pdf import render_certificate_pdf

NI_PPPK = "198208282023212004"


@pytest.fixture
def pppk_certificate(make_user, issue):
    user = make_user(full_name="Sri Wahyuni", name_suffix="S.Pd.", nip=NI_PPPK,
                     pangkat_golongan="PPPK Golongan IX")
    return issue(user=user)


def test_the_pdf_prints_ni_pppk_grouped(pppk_certificate):
    text = pdf_text(render_certificate_pdf(pppk_certificate))
    assert "NI PPPK 19820828 202321 2 004" in text
    assert "NIP 19820828" not in text


def test_the_pdf_of_a_pns_still_says_nip(make_user, issue):
    certificate = issue(user=make_user(nip="198609262015052001"))
    assert "NIP 19860926 201505 2 001" in pdf_text(render_certificate_pdf(certificate))


def test_verify_masks_the_ni_pppk_and_names_it(client, english, pppk_certificate):
    page = client.get(f"/verify/{pppk_certificate.code}").get_data(as_text=True)
    assert "<dt>NI PPPK</dt>" in page
    assert "1982**** ****** * *04" in page
    assert NI_PPPK not in page and "19820828 202321 2 004" not in page


def test_hr_register_and_detail_show_the_ni_pppk_grouped(client, login, make_user,
                                                         pppk_certificate):
    login(client, make_user(role="hr"))
    listing = client.get("/hr/certificates").get_data(as_text=True)
    assert '19820828 202321 2 004 <span class="badge">PPPK</span>' in listing
    detail = client.get(f"/hr/certificates/{pppk_certificate.code}").get_data(as_text=True)
    assert "<dt>NI PPPK</dt><dd>19820828 202321 2 004</dd>" in detail


def test_hr_finds_a_certificate_by_its_ni_pppk(client, login, make_user, pppk_certificate):
    login(client, make_user(role="hr"))
    page = client.get("/hr/certificates", query_string={"q": "19820828 202321"}).get_data(
        as_text=True)
    assert pppk_certificate.number in page
