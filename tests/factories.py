"""The one set of test factories: users with roles, units (OPD), courses (as rows, or through
the real importer), enrolments and attempts, plus the constants tests share.

Plain functions that take the database handle; the conftests wrap them as fixtures
(``make_user``, ``make_course``, ``make_enrolment``, ``finish_attempt``, ...) with the defaults
their tests were written for. Tests import helpers from here, never from a conftest.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from itertools import count
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"

DEFAULT_PASSWORD = "Rahasia-Jambi-2026"
"""The password of every account :func:`create_user` makes."""
NEW_PASSWORD = "Pinang-Masak-2026"
"""A second valid password (registration, password changes)."""

BASE_CONFIG = {
    "TESTING": True,
    "PORTAL_ENV": "testing",
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "CONTENT_DIR": str(CONTENT_DIR),
    "SERVER_NAME": "portal.test",
    "PUBLIC_BASE_URL": "http://portal.test",
    # One PBKDF2 round: hashing with scrypt was half the suite's time. Production keeps scrypt
    # (tests/auth/test_auth_services.py checks the default).
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
}
"""The test app's settings; the conftest adds the per-test database."""

#: A fixed moment for tests that assert dates: 29 November 2026, 10.00 WIB (03:00 UTC).
ISSUE_MOMENT = datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)

#: When :func:`create_enrolment` enrols, and (completed) completes: 28 Nov 2026 20:30 UTC
#: is 29 Nov 2026 03:30 WIB, so a printed date must be the WIB one.
ENROLLED_AT = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)
COMPLETED_AT = datetime(2026, 11, 28, 20, 30, tzinfo=timezone.utc)

_nip_counter = iter(range(1, 999))
_course_counter = count(1)


def next_nip(gender: str = "1") -> str:
    """A valid, unique NIP: born 26 Sep 1986, appointed May 2015, sequence counting up."""
    return f"19860926201505{gender}{next(_nip_counter):03d}"


# --- units and users ----------------------------------------------------------------------

def first_opd(db):
    """The first unit (OPD) seeded by the migrations (the province's secretariat)."""
    from portal.auth.models import Opd

    return db.session.scalars(sa.select(Opd).order_by(Opd.id)).first()


def create_user(db, role: str = "peserta", password: str = DEFAULT_PASSWORD, **fields):
    """A committed account holding ``role`` and, as every account, ``peserta`` (``roles=``
    gives the exact set instead), with ``password``. Unique NIP and email are generated
    unless given; the unit is the first OPD unless ``opd_id`` is given."""
    from werkzeug.security import generate_password_hash

    from portal.auth.models import User

    nip = fields.pop("nip", None) or next_nip()
    opd = first_opd(db)
    user = User(
        nip=nip,
        email=fields.pop("email", f"{nip}@jambiprov.go.id"),
        password_hash=generate_password_hash(password),
        full_name=fields.pop("full_name", "Siti Rahmawati"),
        name_prefix=fields.pop("name_prefix", ""),
        name_suffix=fields.pop("name_suffix", "S.Kom."),
        pangkat_golongan=fields.pop("pangkat_golongan", "Penata Muda Tk. I, III/b"),
        jabatan=fields.pop("jabatan", "Analis Kebijakan Ahli Pertama"),
        opd_id=fields.pop("opd_id", opd.id if opd else None),
        roles=fields.pop("roles", {role, "peserta"}),
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def user_count() -> int:
    """How many accounts exist."""
    from portal.auth.models import User
    from portal.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


# --- courses ------------------------------------------------------------------------------

def create_course(db, slug: str | None = None, modules: int = 0, pretest: bool = False,
                  posttest: bool = False, **fields):
    """A committed course written as rows (no import), with modules ``modul-1`` ..
    ``modul-N`` (30 minutes each) and quizzes ``pretest`` / ``posttest`` (grading highest)
    when asked. The slug counts up unless given."""
    from portal.courses.models import Course, Module
    from portal.quizzes.models import Quiz

    course = Course(
        slug=slug or f"pelayanan-publik-{next(_course_counter)}",
        code=fields.pop("code", "PPBTI-01"),
        title=fields.pop("title", "Pelayanan Publik Berbasis Teknologi Informasi"),
        jp=fields.pop("jp", 20),
        competency_type=fields.pop("competency_type", "manajerial"),
        competencies=fields.pop("competencies", ["M.05", "M.03"]),
        mode=fields.pop("mode", "e-learning"),
        pass_mark=fields.pop("pass_mark", 70),
        **fields,
    )
    db.session.add(course)
    db.session.flush()
    for i in range(1, modules + 1):
        db.session.add(Module(course_id=course.id, slug=f"modul-{i}", position=i,
                              title=f"Modul {i}", minutes=30, body_html=f"<p>Isi modul {i}.</p>"))
    if pretest:
        db.session.add(Quiz(course_id=course.id, slug="pretest", kind="pretest",
                            title="Pre-test Etika", max_attempts=1))
    if posttest:
        db.session.add(Quiz(course_id=course.id, slug="posttest", kind="posttest",
                            title="Post-test Etika", max_attempts=3))
    db.session.commit()
    db.session.refresh(course)
    return course


def import_courses(app, content_dir: Path | str | None = None) -> None:
    """Import courses through the real importer (``flask content import``): the shipped
    content, or the course folders under ``content_dir``."""
    if content_dir is not None:
        app.config["CONTENT_DIR"] = str(content_dir)
    result = app.test_cli_runner().invoke(args=["content", "import"])
    assert result.exit_code == 0, result.output


def course_by_slug(db, slug: str):
    """The course with ``slug``."""
    from portal.courses.models import Course

    return db.session.scalars(sa.select(Course).where(Course.slug == slug)).one()


# --- enrolments and attempts ----------------------------------------------------------------

def create_enrolment(db, user, course, completed: bool = True, **fields):
    """A committed enrolment written as a row (no service): enrolled at ``ENROLLED_AT`` and,
    when ``completed``, completed at ``COMPLETED_AT``."""
    from portal.progress.models import Enrolment

    enrolment = Enrolment(
        user_id=user.id, course_id=course.id,
        enrolled_at=fields.pop("enrolled_at", ENROLLED_AT),
        completed_at=fields.pop("completed_at", COMPLETED_AT if completed else None),
        **fields,
    )
    db.session.add(enrolment)
    db.session.commit()
    return enrolment


def enrol(db, user, course):
    """A committed enrolment through the progress service."""
    from portal.progress import services

    enrolment = services.enrol(user, course)
    db.session.commit()
    return enrolment


def finish_attempt(db, enrolment, quiz, score: float, state: str = "finished"):
    """A submitted attempt with ``score`` percent (of 10 points), written as a row and
    committed; its number follows the enrolment's last attempt at ``quiz``."""
    from portal.quizzes.models import Attempt
    from portal.timeutil import utcnow

    number = 1 + (db.session.scalar(sa.select(sa.func.max(Attempt.number)).where(
        Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id)) or 0)
    attempt = Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=number,
                      state=state,
                      points=score / 10, max_points=10.0, score=score,
                      started_at=utcnow() - timedelta(minutes=10), submitted_at=utcnow())
    db.session.add(attempt)
    db.session.commit()
    return attempt


# --- reading what pages and PDFs say ------------------------------------------------------------

def set_english(test_client) -> None:
    """Show the UI in English (the msgids) for this client's session."""
    with test_client.session_transaction() as sess:
        sess["locale"] = "en"


def read_pdf(data: bytes):
    """Parse PDF bytes with pypdf."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """All text of a PDF, lines joined by single spaces (a wrapped name reads whole)."""
    reader = read_pdf(data)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_font_names(data: bytes) -> set[str]:
    """The base names of every font used on the PDF's pages, subset tags removed."""
    names = set()
    for page in read_pdf(data).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            base = str(ref.get_object()["/BaseFont"]).lstrip("/")
            names.add(base.split("+", 1)[-1])
    return names
