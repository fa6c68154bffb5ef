"""Error pages in the default locale (Indonesian): the right status, a translated page,
never a 500 for bad input, and a translated 500 page when something really breaks."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import CONTENT_DIR

COURSE = "pelayanan-publik-digital"


def main_text(response) -> str:
    """The visible text of the page's <main>, tags removed and spaces collapsed."""
    body = response.get_data(as_text=True)
    match = re.search(r"<main.*?</main>", body, re.S)
    assert match, body[:500]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


@pytest.fixture
def shipped(db):
    from portal.courses.importer import import_all

    report = import_all(CONTENT_DIR)
    db.session.commit()
    assert report.ok


def test_an_unexpected_error_gets_the_indonesian_500_page(app, client, monkeypatch):
    """A service that raises ends in the translated 500 page, not a traceback."""
    from portal.progress import summaries

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(summaries, "catalogue", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/courses")
    assert response.status_code == 500
    text = main_text(response)
    assert "Terjadi kesalahan" in text
    assert "Terjadi kesalahan di sisi kami." in text
    assert "Something went wrong" not in text and "boom" not in text
    assert "Traceback" not in response.get_data(as_text=True)


def test_the_500_page_is_english_after_the_switch(app, client, monkeypatch):
    from portal.progress import summaries

    monkeypatch.setattr(summaries, "catalogue", lambda *a, **k: 1 / 0)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client.post("/locale", data={"locale": "en"})
    response = client.get("/courses")
    assert response.status_code == 500
    assert "Something went wrong" in main_text(response)


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/courses/tidak-ada", 404, "Pelatihan tidak ditemukan."),
    (f"/courses/{COURSE}/modules/tidak-ada", 404, "Modul tidak ditemukan dalam pelatihan ini."),
    (f"/courses/{COURSE}/quizzes/posttest", 403, "Post-test dibuka setelah semua modul selesai."),
    ("/courses/tidak-ada/quizzes/pretest", 404, "Halaman tidak ditemukan"),
    ("/verify/K7M2Q9XDPA3HWTC8RNVB", 404, "Tidak ada sertifikat dengan kode verifikasi ini."),
    ("/certificates/K7M2Q9XDPA3HWTC8RNVB.pdf", 404, "Halaman tidak ditemukan"),
    ("/attempts/0123456789abcdef0123456789abcdef", 404, "Halaman tidak ditemukan"),
    ("/hr/certificates", 403, "Akun Anda tidak memiliki akses ke halaman ini."),
    ("/teaching", 403, "Akun Anda tidak memiliki akses ke halaman ini."),
])
def test_a_learner_gets_a_translated_page_and_the_right_status(client, login, make_user,
                                                              shipped, path, status, message):
    login(client, make_user())
    assert client.post(f"/courses/{COURSE}/enrol").status_code == 302
    response = client.get(path)
    assert response.status_code == status
    assert message in main_text(response)


def test_starting_a_locked_posttest_is_403_in_indonesian(client, login, make_user, shipped, db):
    from portal.quizzes.models import Attempt

    login(client, make_user())
    client.post(f"/courses/{COURSE}/enrol")
    response = client.post(f"/courses/{COURSE}/quizzes/posttest/start")
    assert response.status_code == 403
    assert "Post-test belum dibuka" in main_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 0


def test_duplicate_nip_and_invalid_nip_are_422_in_indonesian(client, make_user, db):
    from portal.auth.models import Opd

    taken = make_user(email="terpakai@jambiprov.go.id")
    opd = db.session.scalars(sa.select(Opd).order_by(Opd.id)).first()
    form = {"nip": taken.nip, "full_name": "Rina Marlina", "email": "Terpakai@jambiprov.go.id",
            "password": "Pinang-Masak-2026", "confirm": "Pinang-Masak-2026",
            "pangkat_golongan": "Penata Muda Tk. I, III/b", "jabatan": "Analis",
            "opd_id": str(opd.id)}
    response = client.post("/register", data=form)
    assert response.status_code == 422
    text = main_text(response)
    assert "Akun dengan NIP / NI PPPK ini sudah ada." in text
    assert "Alamat email ini sudah digunakan oleh akun lain." in text
    assert 'value="Rina Marlina"' in response.get_data(as_text=True)

    response = client.post("/register", data={**form, "nip": "198613262015051001",
                                               "email": "baru@jambiprov.go.id"})
    assert response.status_code == 422
    assert "Tanggal lahir pada NIP / NI PPPK (digit 1–8) bukan tanggal yang valid." in main_text(response)
    assert 'value="baru@jambiprov.go.id"' in response.get_data(as_text=True)


def test_wrong_password_is_401_then_429_in_indonesian(client, make_user):
    user = make_user()
    response = client.post("/login", data={"identifier": user.email, "password": "salah"})
    assert response.status_code == 401
    assert "NIP/email atau kata sandi salah." in main_text(response)
    for _ in range(5):
        response = client.post("/login", data={"identifier": user.email, "password": "salah"})
    assert response.status_code == 429
    assert "Terlalu banyak kata sandi salah untuk akun ini atau dari jaringan ini." \
        in main_text(response)
