"""The certificate PDF: content, page, font, long and accented names, store-once, fetcher."""

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.certificates.codes import format_code
from portal.certificates.models import Certificate
from portal.certificates.pdf import (
    STATIC_DIR, RefusedUrl, StaticOnlyFetcher, certificate_pdf, render_certificate_pdf,
)
from tests.factories import ISSUE_MOMENT
from tests.factories import pdf_font_names, pdf_text, read_pdf


def test_pdf_is_one_landscape_a4_page_with_every_printed_field(app, make_user, issue,
                                                              freeze_now):
    freeze_now(ISSUE_MOMENT)
    user = make_user(name_prefix="Dr.", full_name="Siti Rahmawati", name_suffix="S.Kom., M.Si.",
                     nip="198609262015052001")
    certificate = issue(user=user)
    data = render_certificate_pdf(certificate)
    reader = read_pdf(data)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4 in points
    text = pdf_text(data)
    for expected in (
        "Dr. Siti Rahmawati, S.Kom., M.Si.",
        "19860926 201505 2 001",
        format_code(certificate.code),
        certificate.number,
        "Pelayanan Publik Berbasis Teknologi Informasi",
        "PPBTI-01",
        "2 November 2026",
        "29 November 2026",
        "20 JP",
        "Penata Muda Tk. I, III/b",
        "Analis Kebijakan Ahli Pertama",
        user.opd.name,
        "Manajerial",
        "Jambi, 29 November 2026",
        "Kepala Badan Pengembangan Sumber Daya Manusia Provinsi Jambi",
        f"http://portal.test/verify/{certificate.code}",
    ):
        assert expected in text, expected


def test_pdf_metadata_names_the_certificate_and_the_issuer(issue):
    certificate = issue()
    meta = read_pdf(render_certificate_pdf(certificate)).metadata
    assert meta.title == f"Sertifikat {certificate.number}"
    assert meta.author == "Badan Pengembangan Sumber Daya Manusia Provinsi Jambi"


def test_pdf_embeds_noto_sans_and_no_other_font(issue):
    data = render_certificate_pdf(issue())
    names = {name.replace("-", "") for name in pdf_font_names(data)}
    assert names
    assert all(name.startswith("NotoSans") for name in names), names
    reader = read_pdf(data)
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        descendant = ref.get_object()["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded


def test_a_120_character_name_wraps_and_stays_on_one_page(make_user, issue):
    full_name = ("Raden Ngabehi Ni Kadek Ayu Pradnyaswari Wicaksono Hadiningrat "
                 "Purbakusuma Sastrawinata")
    user = make_user(name_prefix="Prof. Dr. Ir.", full_name=full_name,
                     name_suffix="S.Ked., M.Kes., Ph.D.",
                     jabatan="Analis Kebijakan Ahli Madya pada Bidang Pengembangan " * 3,
                     pangkat_golongan="Pembina Utama Muda, IV/c")
    assert len(user.display_name) >= 120
    data = render_certificate_pdf(issue(user=user))
    assert len(read_pdf(data).pages) == 1
    assert user.display_name in pdf_text(data)


def test_the_longest_possible_texts_still_fit_on_one_page(make_user, make_course, issue):
    user = make_user(name_prefix="Prof. Dr. Ir. H.", full_name=("Pradnyaswari Hadiningrat " * 6)[:150],
                     name_suffix=("S.Ked., M.Kes., " * 7)[:100],
                     jabatan=("Analis Kebijakan Ahli Madya " * 8)[:200],
                     pangkat_golongan=("Pembina Utama Muda, IV/c " * 4)[:80])
    course = make_course(title=("Pelayanan Publik Berbasis Teknologi Informasi " * 6)[:250],
                         partner=("Universitas Jambi " * 14)[:250])
    data = render_certificate_pdf(issue(user=user, course=course))
    assert len(read_pdf(data).pages) == 1
    assert user.display_name.split()[-1] in pdf_text(data)


def test_accents_and_apostrophes_render_with_the_embedded_font(make_user, issue):
    user = make_user(name_prefix="Dr.", full_name="Ni Kadek Ayu Pradnyaswari Ṣ'Ōrmān",
                     name_suffix="S.Ked., M.Kes.")
    data = render_certificate_pdf(issue(user=user))
    text = pdf_text(data)
    assert "Dr. Ni Kadek Ayu Pradnyaswari Ṣ'Ōrmān, S.Ked., M.Kes." in text
    # The Latin Extended letters come from Noto Sans too (its own PDF font, so no glyph
    # of one subset is drawn with another's).
    assert any(name.replace("-", "").startswith("NotoSansExt")
               for name in pdf_font_names(data))


def test_pdf_shows_the_post_test_score_when_there_is_one(issue):
    assert "Nilai post-test: 92,5" in pdf_text(render_certificate_pdf(issue(final_grade=92.5)))


def test_a_snapshot_without_a_base_url_takes_the_setting_never_a_request(app, db, issue):
    """Certificates issued before PUBLIC_BASE_URL was required froze no base URL: the first
    render takes the setting (not a request's host) and stores the PDF for good."""
    certificate = issue()
    certificate.snapshot = {**certificate.snapshot, "verify_base_url": None}
    db.session.commit()
    app.config["PUBLIC_BASE_URL"] = ""
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        render_certificate_pdf(certificate)
    app.config["PUBLIC_BASE_URL"] = "https://sertifikat.example"
    with app.test_request_context("/", base_url="http://evil.example"):
        data = render_certificate_pdf(certificate)
    text = pdf_text(data)
    assert f"https://sertifikat.example/verify/{certificate.code}" in text
    assert "evil.example" not in text


def test_pdf_is_rendered_once_and_served_identically_after(db, issue, monkeypatch):
    certificate = issue()
    first = certificate_pdf(certificate)
    db.session.commit()
    assert certificate.pdf_sha256 == hashlib.sha256(first).hexdigest()

    import portal.certificates.pdf as pdf

    def must_not_render(*args, **kwargs):
        raise AssertionError("a stored PDF is rendered again")

    monkeypatch.setattr(pdf, "render_certificate_pdf", must_not_render)
    db.session.expire_all()
    again = certificate_pdf(db.session.get(Certificate, certificate.id))
    assert again == first


def test_a_racing_render_serves_the_pdf_stored_first(app, db, issue):
    certificate = issue()
    assert certificate.pdf_sha256 is None
    # Another request (its own session) stores its render first.
    with app.app_context():
        other = db.session.get(Certificate, certificate.id)
        stored = certificate_pdf(other)
        db.session.commit()
        db.session.remove()
    # This request still holds the certificate as it was before: it renders, finds the
    # PDF already stored, and serves those bytes.
    served = certificate_pdf(certificate)
    db.session.commit()
    assert served == stored
    assert certificate.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    count = db.session.scalar(sa.select(sa.func.count(Certificate.id))
                              .where(Certificate.pdf_sha256.is_not(None)))
    assert count == 1


# --- the URL fetcher -------------------------------------------------------------------

def test_fetcher_serves_the_portal_static_files():
    fetcher = StaticOnlyFetcher(STATIC_DIR)
    css = fetcher.fetch((STATIC_DIR / "css" / "certificate.css").as_uri())
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    font = fetcher.fetch((STATIC_DIR / "fonts/noto-sans/noto-sans-latin-400-normal.woff2").as_uri())
    assert font.read()[:4] in (b"\x00\x01\x00\x00", b"OTTO")  # decompressed for WeasyPrint


def test_fetcher_serves_data_uris():
    response = StaticOnlyFetcher(STATIC_DIR).fetch("data:text/plain;base64,SmFtYmk=")
    assert response.read() == b"Jambi"


@pytest.mark.parametrize("url", [
    "https://example.com/logo.png",
    "http://127.0.0.1:5000/static/css/portal.css",
    "ftp://example.com/font.woff2",
    "file:///etc/passwd",
    "file://fileserver/share/logo.png",
])
def test_fetcher_refuses_the_network_and_files_elsewhere(url):
    with pytest.raises(RefusedUrl):
        StaticOnlyFetcher(STATIC_DIR).fetch(url)


def test_fetcher_refuses_a_path_that_climbs_out_of_static():
    escaping = (STATIC_DIR.as_uri() + "/../config.py")
    assert (STATIC_DIR / ".." / "config.py").resolve().is_file()
    with pytest.raises(RefusedUrl):
        StaticOnlyFetcher(STATIC_DIR).fetch(escaping)


def test_fetcher_refuses_a_symlink_out_of_static(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (root / "link.txt").symlink_to(secret)
    with pytest.raises(RefusedUrl):
        StaticOnlyFetcher(root).fetch((root / "link.txt").as_uri())


def test_rendering_never_fetches_an_external_url(app, issue, monkeypatch):
    """A certificate that somehow names an external image still renders, without it."""
    import portal.certificates.pdf as pdf

    fetched, refused = [], []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        try:
            return original(self, url, headers)
        except RefusedUrl:
            refused.append(url)
            raise

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    certificate = issue()
    html = pdf.certificate_html(certificate).replace(
        "</body>", '<img src="https://example.com/tracker.png" alt=""></body>')
    monkeypatch.setattr(pdf, "certificate_html", lambda *args, **kwargs: html)
    data = pdf.render_certificate_pdf(certificate)
    assert len(read_pdf(data).pages) >= 1
    assert refused == ["https://example.com/tracker.png"]
    assert all(url.startswith(("data:", Path(STATIC_DIR).as_uri()))
               for url in fetched if url not in refused)
    assert "Sertifikat" in pdf_text(data) or "SERTIFIKAT" in pdf_text(data)


def test_markup_in_a_name_is_printed_as_text(make_user, issue):
    user = make_user(full_name="Siti <b>Rahma</b> & Co")
    html_name = "Siti <b>Rahma</b> & Co"
    text = pdf_text(render_certificate_pdf(issue(user=user)))
    assert html_name in text
