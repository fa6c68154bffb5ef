"""The whole learner path through the test client on a shipped course: registration →
enrolment → pre-test → every module → post-test → certificate PDF → public verification."""

from __future__ import annotations

import io

import sqlalchemy as sa

from tests.factories import CONTENT_DIR

COURSE = "pelayanan-publik-digital"
PASSWORD = "Pinang-Masak-2026"


def answers(db, attempt, right: bool) -> dict[str, list[str]]:
    """Form values for every question of ``attempt``: all right, or all wrong."""
    from portal.quizzes.models import Question

    form = {}
    for question_id in attempt.question_ids:
        question = db.session.get(Question, question_id)
        if question.qtype in ("single", "multiple"):
            options = question.data["options"]
            chosen = [o["id"] for o in options if bool(o.get("correct")) == right]
            form[f"q{question_id}"] = chosen[:1] if not right else chosen
        else:
            form[f"q{question_id}"] = [question.data["answers"][0] if right else "tidak tahu"]
    return form


def take(db, client, quiz_slug: str, right: bool):
    from portal.quizzes.models import Attempt

    response = client.post(f"/courses/{COURSE}/quizzes/{quiz_slug}/start")
    assert response.status_code == 302
    public_id = response.location.rstrip("/").rsplit("/", 1)[-1]
    attempt = db.session.scalars(sa.select(Attempt).where(Attempt.public_id == public_id)).one()
    page = client.get(f"/attempts/{public_id}").get_data(as_text=True)
    assert "correct" not in page.lower()           # no answer key before submission
    response = client.post(f"/attempts/{public_id}/submit", data=answers(db, attempt, right))
    assert response.status_code == 302 and response.location.endswith("/review")
    db.session.expire_all()
    return db.session.get(Attempt, attempt.id)


def test_registration_to_verified_certificate(app, db, client):
    from pypdf import PdfReader

    from portal.auth.models import Opd
    from portal.certificates.models import Certificate
    from portal.courses.importer import import_all
    from portal.courses.models import Course
    from portal.progress.models import Enrolment

    assert import_all(CONTENT_DIR).ok
    db.session.commit()
    opd = db.session.scalars(sa.select(Opd).where(Opd.code == "DISKOMINFO",
            Opd.agency.has(code="15"))).one()

    response = client.post("/register", data={
        "nip": "19900314 201503 2 001", "name_prefix": "Dr.", "full_name": "Nur'aini Siregar",
        "name_suffix": "S.E., M.Si.", "email": "nuraini@jambiprov.go.id",
        "password": PASSWORD, "confirm": PASSWORD,
        "pangkat_golongan": "Penata Muda Tk. I, III/b",
        "jabatan": "Pranata Komputer Ahli Pertama", "opd_id": str(opd.id)})
    assert response.status_code == 302

    response = client.post(f"/courses/{COURSE}/enrol")
    assert response.location.endswith(f"/courses/{COURSE}/quizzes/pretest")

    pretest = take(db, client, "pretest", right=False)
    assert pretest.score == 0.0                    # kept, and it does not block passing

    course = db.session.scalars(sa.select(Course).where(Course.slug == COURSE)).one()
    modules = [m for m in course.modules if not m.is_archived]
    assert len(modules) >= 4
    for module in modules:
        page = client.get(f"/courses/{COURSE}/modules/{module.slug}")
        assert page.status_code == 200 and module.title in page.get_data(as_text=True)
        assert client.post(f"/courses/{COURSE}/modules/{module.slug}/done").status_code == 302

    posttest = take(db, client, "posttest", right=True)
    assert posttest.score == 100.0
    enrolment = db.session.scalars(sa.select(Enrolment)).one()
    assert enrolment.completed_at is not None      # completed in the submitting request
    certificate = db.session.scalars(sa.select(Certificate)).one()

    first = client.get(f"/certificates/{certificate.code}.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert client.get(f"/certificates/{certificate.code}.pdf").data == first.data
    reader = PdfReader(io.BytesIO(first.data))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "Dr. Nur'aini Siregar, S.E., M.Si." in text
    assert "19900314 201503 2 001" in text
    assert certificate.code in text
    assert course.title in text

    verify = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Dr. Nur&#39;aini Siregar, S.E., M.Si." in verify
    assert course.title in verify
    assert "19900314 201503 2 001" not in verify   # masked on the public page
    assert "1990**** ****** * *01" in verify

    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert f'href="/certificates/{certificate.code}.pdf"' in dashboard
