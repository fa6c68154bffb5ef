"""Download, public verification and the HR register, with their access rules."""

import hashlib
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from portal.certificates.codes import format_code
from portal.certificates.models import Certificate, CertificateAccess
from tests.factories import ISSUE_MOMENT


def pdf_url(certificate):
    return f"/certificates/{certificate.code}.pdf"


def accesses(db, certificate):
    return db.session.execute(
        sa.select(CertificateAccess.user_id, CertificateAccess.action)
        .where(CertificateAccess.certificate_id == certificate.id)
    ).all()


# --- download --------------------------------------------------------------------------

def test_owner_downloads_the_pdf(db, client, login, make_user, issue, freeze_now):
    freeze_now(ISSUE_MOMENT)
    owner = make_user()
    certificate = issue(user=owner)
    login(client, owner)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="sertifikat-0001-BPSDM-JBI-PPBTI-01-2026.pdf"' in disposition
    digest = hashlib.sha256(response.data).hexdigest()
    assert response.headers["ETag"] == f'"{digest}"'
    assert response.data.startswith(b"%PDF-")
    assert "no-store" in response.headers["Cache-Control"]
    assert accesses(db, certificate) == []  # the holder's own downloads are not logged


def test_every_download_returns_the_same_bytes(client, login, make_user, issue):
    owner = make_user()
    certificate = issue(user=owner)
    login(client, owner)
    first = client.get(pdf_url(certificate))
    second = client.get(pdf_url(certificate))
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]


def test_a_matching_etag_gets_304(client, login, make_user, issue):
    owner = make_user()
    certificate = issue(user=owner)
    login(client, owner)
    etag = client.get(pdf_url(certificate)).headers["ETag"]
    response = client.get(pdf_url(certificate), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""


def test_download_accepts_a_typed_code(client, login, make_user, issue):
    owner = make_user()
    certificate = issue(user=owner)
    login(client, owner)
    response = client.get(f"/certificates/{format_code(certificate.code).lower()}.pdf")
    assert response.status_code == 200


def test_another_peserta_gets_404_not_403(client, login, make_user, issue):
    certificate = issue(user=make_user())
    login(client, make_user())
    assert client.get(pdf_url(certificate)).status_code == 404


def test_instructor_gets_404(client, login, make_user, issue):
    certificate = issue(user=make_user())
    login(client, make_user(role="instructor"))
    assert client.get(pdf_url(certificate)).status_code == 404


def test_unknown_code_download_is_404(client, login, make_user):
    login(client, make_user(role="hr"))
    assert client.get("/certificates/K7M2Q9XDPA3HWTC8RNVB.pdf").status_code == 404
    assert client.get("/certificates/not-a-code.pdf").status_code == 404


def test_hr_downloads_and_the_access_is_logged(db, client, login, make_user, issue):
    certificate = issue(user=make_user())
    hr = make_user(role="hr")
    login(client, hr)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert accesses(db, certificate) == [(hr.id, "download_pdf")]


def test_admin_downloads_and_the_access_is_logged(db, client, login, make_user, issue):
    certificate = issue(user=make_user())
    admin = make_user(role="admin")
    login(client, admin)
    assert client.get(pdf_url(certificate)).status_code == 200
    assert accesses(db, certificate) == [(admin.id, "download_pdf")]


def test_anonymous_download_goes_to_login(client, make_user, issue):
    certificate = issue(user=make_user())
    response = client.get(pdf_url(certificate))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_revoked_certificate_still_downloads_for_hr(db, client, login, make_user, issue):
    certificate = issue(user=make_user())
    certificate.status = "revoked"
    db.session.commit()
    login(client, make_user(role="hr"))
    assert client.get(pdf_url(certificate)).status_code == 200


# --- public verification ---------------------------------------------------------------

def test_verify_shows_what_confirms_the_certificate_and_masks_the_nip(
        client, english, make_user, issue):
    user = make_user(name_prefix="Dr.", full_name="Siti Rahmawati", name_suffix="S.Kom., M.Si.",
                     nip="198609262015052001", jabatan="Kepala Seksi Pelayanan")
    certificate = issue(user=user)
    response = client.get(f"/verify/{certificate.code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Dr. Siti Rahmawati, S.Kom., M.Si." in page
    assert "1986**** ****** * *01" in page
    assert "198609262015052001" not in page
    assert "19860926 201505 2 001" not in page
    assert "Pelayanan Publik Berbasis Teknologi Informasi" in page
    assert "20 JP" in page
    assert "November 29, 2026" in page      # completion date, in the reader's language
    assert certificate.number in page
    assert "Badan Pengembangan Sumber Daya Manusia Provinsi Jambi" in page
    assert "Valid" in page
    assert format_code(certificate.code) in page
    # Only what confirms the certificate: no position, rank or unit.
    assert "Kepala Seksi Pelayanan" not in page
    assert "Penata Muda" not in page
    assert '<meta name="robots" content="noindex">' in page
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_verify_shows_the_score_to_the_holder_and_hr_only(db, app, client, english, login,
                                                          make_user, issue):
    holder = make_user(locale="en")
    certificate = issue(user=holder)
    certificate.snapshot = {**certificate.snapshot, "posttest_score": "86,66%"}
    db.session.commit()
    url = f"/verify/{certificate.code}"
    public = client.get(url)
    assert "86,66" not in public.get_data(as_text=True)
    assert "Completed" in public.get_data(as_text=True)
    assert "Valid" in public.get_data(as_text=True)
    assert "private" in public.headers["Cache-Control"]
    stranger = login(app.test_client(), make_user(locale="en"))
    assert "86,66" not in stranger.get(url).get_data(as_text=True)
    owner = login(app.test_client(), holder)
    assert "Post-test score 86,66%" in owner.get(url).get_data(as_text=True)
    hr = login(app.test_client(), make_user(role="hr", locale="en"))
    assert "Post-test score 86,66%" in hr.get(url).get_data(as_text=True)


def test_verify_says_when_there_is_no_fingerprint_yet(client, english, issue):
    certificate = issue()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "has not been downloaded yet" in page
    assert "The original PDF has this SHA-256 fingerprint" not in page


def test_verify_shows_the_pdf_fingerprint_once_downloaded(client, english, login, make_user,
                                                         issue):
    owner = make_user()
    certificate = issue(user=owner)
    login(client, owner)
    data = client.get(pdf_url(certificate)).data
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "The original PDF has this SHA-256 fingerprint" in page
    assert hashlib.sha256(data).hexdigest() in page


def test_verify_in_the_default_indonesian_ui_shows_indonesian_dates(client, issue):
    certificate = issue()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert "29 November 2026" in page


def test_verify_shows_the_snapshot_not_the_edited_profile(db, client, make_user, issue):
    user = make_user(full_name="Siti Rahmawati", name_suffix="S.Kom.")
    certificate = issue(user=user)
    user.full_name = "Siti Rahmawati Hasibuan"
    user.name_suffix = "S.Kom., M.T."
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Siti Rahmawati, S.Kom." in page
    assert "Hasibuan" not in page


def test_verify_accepts_lowercase_dashes_and_lookalike_letters(client, issue):
    certificate = issue()
    typed = format_code(certificate.code).lower().replace("0", "o").replace("1", "l")
    assert client.get(f"/verify/{typed}").status_code == 200


def test_verify_unknown_code_is_a_clear_404(client, english, issue):
    certificate = issue()
    near = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    for code in (near, "K7M2Q9XDPA3HWTC8RNVB", "short", "x" * 200):
        response = client.get(f"/verify/{code}")
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "No certificate with this code" in page
        assert certificate.number not in page
        assert '<meta name="robots" content="noindex">' in page


def test_verify_shows_a_revoked_certificate_with_date_and_reason(db, client, english, issue):
    certificate = issue()
    certificate.status = "revoked"
    certificate.revoked_at = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
    certificate.revoked_reason = "Issued by mistake."
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Revoked" in page
    assert "December 1, 2026" in page
    assert "Issued by mistake." in page
    assert "is valid" not in page


def test_verify_form_page(client, english):
    response = client.get("/verify")
    assert response.status_code == 200
    assert 'name="code"' in response.get_data(as_text=True)


def test_verify_form_redirects_to_the_normalized_code(client, issue):
    certificate = issue()
    typed = format_code(certificate.code).lower()
    response = client.get("/verify", query_string={"code": f"  {typed} "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.code}")


def test_verify_form_explains_a_malformed_code_and_keeps_it(client, english):
    response = client.get("/verify", query_string={"code": "ABC-123"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "20 letters and digits" in page
    assert 'value="ABC-123"' in page


def test_verify_form_asks_for_a_code_when_empty(client, english):
    response = client.get("/verify", query_string={"code": ""})
    assert response.status_code == 422
    assert "Type the code printed on the certificate." in response.get_data(as_text=True)


# --- HR register -----------------------------------------------------------------------

@pytest.mark.parametrize("role", ["peserta", "instructor"])
def test_peserta_and_instructor_get_403_on_the_register(db, client, login, make_user, issue,
                                                        role):
    certificate = issue()
    login(client, make_user(role=role))
    assert client.get("/hr/certificates").status_code == 403
    assert client.get(f"/hr/certificates/{certificate.code}").status_code == 403
    assert accesses(db, certificate) == []


def test_anonymous_register_goes_to_login(client):
    response = client.get("/hr/certificates")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.fixture
def hr_client(client, english, login, make_user):
    """``client`` logged in as HR, UI in English."""
    return login(client, make_user(role="hr", full_name="Rina Marlina", name_suffix="S.H."))


def _register(client, **query):
    response = client.get("/hr/certificates", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_hr_lists_certificates_with_full_grouped_nip(hr_client, make_user, issue):
    user = make_user(full_name="Siti Rahmawati", nip="198609262015052001")
    certificate = issue(user=user)
    page = _register(hr_client)
    assert certificate.number in page
    assert "Siti Rahmawati" in page
    assert "19860926 201505 2 001" in page
    assert user.opd.name in page
    assert "Pelayanan Publik Berbasis Teknologi Informasi" in page
    assert "29 November 2026" in page
    assert "Valid" in page


def test_admin_sees_the_register(client, login, make_user, issue):
    certificate = issue()
    login(client, make_user(role="admin"))
    assert certificate.number in _register(client)


def test_hr_searches_by_part_of_a_name(hr_client, make_user, issue):
    issue(user=make_user(full_name="Siti Rahmawati"))
    issue(user=make_user(full_name="Budi Santoso"))
    page = _register(hr_client, q="rahma")
    assert "Siti Rahmawati" in page
    assert "Budi Santoso" not in page


def test_hr_searches_by_nip_with_or_without_spaces(hr_client, make_user, issue):
    issue(user=make_user(full_name="Siti Rahmawati", nip="198609262015052001"))
    issue(user=make_user(full_name="Budi Santoso", nip="199001012018011002"))
    for q in ("19860926 201505 2 001", "198609262015052001", "2015052"):
        page = _register(hr_client, q=q)
        assert "Siti Rahmawati" in page
        assert "Budi Santoso" not in page


def test_hr_searches_by_certificate_number(hr_client, make_user, make_course, issue):
    first = issue(user=make_user(full_name="Siti Rahmawati"))
    issue(user=make_user(full_name="Budi Santoso"),
          course=make_course(code="MPP-02", title="Manajemen Proyek Pemerintah"))
    page = _register(hr_client, q=first.number)
    assert "Siti Rahmawati" in page
    assert "Budi Santoso" not in page
    page = _register(hr_client, q="mpp-02")
    assert "Budi Santoso" in page
    assert "Siti Rahmawati" not in page


def test_hr_search_treats_like_wildcards_literally(hr_client, make_user, issue):
    issue(user=make_user(full_name="Siti Rahmawati"))
    page = _register(hr_client, q="%")
    assert "Siti Rahmawati" not in page
    assert "No certificate matches this search." in page


def test_hr_register_is_paginated(hr_client, make_user, issue):
    for n in range(23):
        issue(user=make_user(full_name=f"Peserta Nomor {n:02d}"))
    first = _register(hr_client)
    second = _register(hr_client, page=2)
    assert "23 certificates in the register." in first
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    # Newest first: 22 ... 03 on page one, 02 ... 00 on page two.
    assert "Peserta Nomor 22" in first and "Peserta Nomor 03" in first
    assert "Peserta Nomor 02" not in first
    assert "Peserta Nomor 02" in second and "Peserta Nomor 00" in second
    assert "Peserta Nomor 03" not in second
    # A page out of range shows the last one instead of an error.
    assert "Page 2 of 2" in _register(hr_client, page=99)
    for page in ("99999999999999999999", "-1", "x"):  # outside any page: the first one
        assert "Page 1 of 2" in _register(hr_client, page=page)


def test_hr_search_refuses_an_overlong_query_and_keeps_it(hr_client):
    response = hr_client.get("/hr/certificates", query_string={"q": "x" * 121})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "x" * 121 in page
    assert 'class="error"' in page


def test_hr_detail_shows_the_snapshot_and_logs_the_access(db, client, english, login,
                                                         make_user, issue):
    user = make_user(full_name="Siti Rahmawati", nip="198609262015052001",
                     jabatan="Kepala Seksi Pelayanan")
    certificate = issue(user=user)
    hr = make_user(role="hr", full_name="Rina Marlina", name_suffix="S.H.")
    login(client, hr)
    response = client.get(f"/hr/certificates/{format_code(certificate.code)}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "19860926 201505 2 001" in page
    assert "Kepala Seksi Pelayanan" in page
    assert "Penata Muda Tk. I, III/b" in page
    assert certificate.number in page
    assert pdf_url(certificate) in page
    assert accesses(db, certificate) == [(hr.id, "view_detail")]
    # The access log lists who looked.
    assert "Rina Marlina, S.H." in page
    assert "Opened the details" in page


def test_hr_detail_of_an_unknown_code_is_404(client, english, login, make_user):
    login(client, make_user(role="hr"))
    response = client.get("/hr/certificates/K7M2Q9XDPA3HWTC8RNVB")
    assert response.status_code == 404
    assert "No certificate with this code." in response.get_data(as_text=True)


def test_hr_search_results_are_logged_per_certificate_shown(db, client, english, login,
                                                            make_user, issue):
    """A result row shows the full NIP: each certificate listed gets an access entry."""
    shown = issue(user=make_user(full_name="Siti Rahmawati"))
    hidden = issue(user=make_user(full_name="Budi Santoso"))
    hr = make_user(role="hr", full_name="Rina Marlina", name_suffix="S.H.")
    login(client, hr)
    assert client.get("/hr/certificates", query_string={"q": "rahma"}).status_code == 200
    assert accesses(db, shown) == [(hr.id, "listed_in_search")]
    assert accesses(db, hidden) == []
    page = client.get(f"/hr/certificates/{format_code(shown.code)}").get_data(as_text=True)
    assert "Saw it in a search result" in page


def test_an_hr_search_without_results_logs_nothing(db, client, login, make_user, issue):
    certificate = issue(user=make_user(full_name="Siti Rahmawati"))
    login(client, make_user(role="hr"))
    assert client.get("/hr/certificates", query_string={"q": "zzz"}).status_code == 200
    assert accesses(db, certificate) == []
