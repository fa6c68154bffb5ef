"""Statement budgets: how many SQL statements each GET page may run, and that list pages run
the same number whatever their rows.

One portal is filled once for this module (the shipped courses, a learner part-way through
one course and done with another, other learners, extra courses, certificates, accesses) at
a size of N rows per list, every GET page is requested and its statements counted; then the
lists grow to 3N and every page is counted again. Each page then has its own test: the
answer is what it should be, the count is within the page's budget, and a list page runs
the same number of statements at 3N as at N.

Every GET route of the URL map has an entry in :data:`PAGES` (a test walks the map).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.extensions import db as _db
from tests.conftest import (
    BASE_CONFIG, CONTENT_DIR, IsolatedClient, _pg_admin_engine, _pg_recreate,
)
from tests.statements import count_request

N = 3
SHIPPED = "pelayanan-publik-digital"
OTHER = "manajemen-proyek-pemerintah"


@dataclass(frozen=True)
class Page:
    """A GET page: ``url`` (may hold ``{placeholders}`` filled from the world), who asks
    (``anonymous`` | ``me`` | ``instructor`` | ``hr`` | ``admin``), the status it answers, its
    statement ``budget`` and whether it lists rows (``grows``: same count at N and 3N)."""

    endpoint: str
    url: str
    who: str
    status: int
    budget: int
    grows: bool = False


#: Every GET page with its budget. Redirects and static files are pages too (they still
#: load the user, the course).
PAGES = [
    Page("main.index", "/", "anonymous", 200, 0),
    Page("main.healthz", "/healthz", "anonymous", 200, 1),
    Page("static", "/static/css/portal.css", "anonymous", 200, 0),
    Page("auth.login", "/login", "anonymous", 200, 0),
    Page("auth.register", "/register", "anonymous", 200, 2),
    Page("auth.unit_field", "/register/units?agency_id={agency_id}", "anonymous", 200, 2),
    Page("auth.profile", "/profile", "me", 200, 4),
    Page("auth.change_password", "/profile/password", "me", 200, 1),
    Page("auth.logout", "/logout", "me", 200, 1),
    Page("main.set_locale", "/locale?next=/courses", "anonymous", 302, 0),
    Page("courses.enrol", f"/courses/{SHIPPED}/enrol", "me", 302, 1),
    Page("courses.catalogue", "/courses", "me", 200, 5, grows=True),
    Page("courses.course", f"/courses/{SHIPPED}", "me", 200, 6),
    Page("courses.asset", f"/courses/{SHIPPED}/assets/arsitektur-spbe.svg", "anonymous",
         200, 1),
    Page("courses.resume", f"/courses/{SHIPPED}/resume", "me", 302, 7),
    Page("courses.module", f"/courses/{SHIPPED}/modules/{{module}}", "me", 200, 6),
    Page("courses.module_done", f"/courses/{SHIPPED}/modules/{{module}}/done", "me", 302, 3),
    Page("courses.instructor_overview", "/teaching", "instructor", 200, 6, grows=True),
    Page("progress.dashboard", "/dashboard", "me", 200, 8, grows=True),
    Page("quizzes.quiz", "/courses/{extra}/quizzes/pretest", "me", 200, 10, grows=True),
    Page("quizzes.start", "/courses/{extra}/quizzes/pretest/start", "me", 302, 1),
    Page("quizzes.attempt", "/attempts/{open_attempt}", "me", 200, 6),
    Page("quizzes.save", "/attempts/{open_attempt}/save", "me", 302, 3),
    Page("quizzes.finish", "/attempts/{open_attempt}/finish", "me", 302, 3),
    Page("quizzes.confirm", "/attempts/{open_attempt}/confirm", "me", 200, 6),
    Page("quizzes.submit", "/attempts/{open_attempt}/submit", "me", 302, 3),
    Page("quizzes.review", "/attempts/{finished_attempt}/review", "me", 200, 11),
    Page("certificates.verify_form", "/verify", "anonymous", 200, 0),
    Page("certificates.verify", "/verify/{code}", "anonymous", 200, 1),
    Page("certificates.download", "/certificates/{code}.pdf", "me", 200, 4),
    Page("certificates.hr_search", "/hr/certificates", "hr", 200, 3, grows=True),
    Page("certificates.hr_detail", "/hr/certificates/{code}", "hr", 200, 7, grows=True),
    Page("needs.my_surveys", "/needs", "me", 200, 6),
    Page("needs.answer", "/needs/{survey}", "me", 200, 5),
    Page("needs.team", "/needs/{survey}/team", "me", 200, 5, grows=True),
    Page("needs.rate_member", "/needs/{survey}/team/{member}", "me", 200, 6),
    Page("needs.admin_surveys", "/admin/needs", "admin", 200, 3, grows=True),
    Page("needs.admin_new_survey", "/admin/needs/new", "admin", 200, 5),
    Page("needs.admin_new_discussion", "/admin/needs/{survey}/discussions/new", "admin", 200,
         3),
    Page("needs.results_page", "/needs/{survey}/results", "hr", 200, 7, grows=True),
    Page("needs.results_xlsx", "/needs/{survey}/results.xlsx", "hr", 200, 5, grows=True),
    Page("needs.report", "/needs/{survey}/report", "hr", 200, 8, grows=True),
    Page("competencies.catalogue", "/competencies", "hr", 200, 3),
    Page("competencies.new_technical", "/admin/competencies/new", "admin", 200, 2),
    Page("admin.index", "/admin", "admin", 200, 5, grows=True),
    Page("admin.users", "/admin/users", "admin", 200, 6, grows=True),
    Page("admin.user", "/admin/users/{member}", "admin", 200, 6),
    Page("admin.audit_log", "/admin/audit", "admin", 200, 3, grows=True),
    Page("admin.agencies", "/admin/agencies", "admin", 200, 2),
    Page("admin.agency", "/admin/agencies/{agency_id}", "admin", 200, 3),
    Page("reset.reset_password", "/password-reset/{reset_token}", "anonymous", 200, 1),
]

#: Further list pages counted at N and 3N: a search and a second results page.
EXTRA = [
    Page("certificates.hr_search", "/hr/certificates?q=santoso", "hr", 200, 3, grows=True),
    Page("certificates.hr_search", "/hr/certificates?q=1986", "hr", 200, 3, grows=True),
    Page("courses.catalogue", "/courses?q=kursus", "anonymous", 200, 3, grows=True),
]


# --- the world ------------------------------------------------------------------------------


class World:
    """The rows the pages show, grown ``grow(k)`` rows at a time per list."""

    def __init__(self, db):
        from portal.auth.models import Opd
        from portal.courses.importer import import_all

        self.db = db
        assert import_all(CONTENT_DIR).ok
        db.session.commit()
        self.opd = db.session.scalars(sa.select(Opd).order_by(Opd.id)).first()
        self.seq = iter(range(1, 999))
        self.me = self._user("Siti Rahmawati", "peserta")
        self.instructor = self._user("Ahmad Fauzi", "instructor")
        self.hr = self._user("Dewi Lestari", "hr")
        self.admin = self._user("Rudi Hartono", "admin")
        self.shipped = self._course(SHIPPED)
        self.other = self._course(OTHER)
        self.extra_courses = []
        # Me: in progress in the shipped course (pre-test done, first module done), done
        # with the other course (certificate), an open pre-test attempt in an extra course.
        from portal.progress import services as progress
        from portal.timeutil import utcnow

        now = utcnow()
        mine = progress.enrol(self.me, self.shipped)
        db.session.flush()
        self._attempt(mine, self._quiz(self.shipped, "pretest"), 1, 40.0)
        first = self.shipped.modules[0]
        progress.record_visit(mine, first, now - timedelta(hours=2))
        progress.mark_module_done(mine, first, now)
        self.certificate = self._complete(self.me, self.other)
        db.session.commit()
        self.ids = {"module": self.shipped.modules[1].slug, "code": self.certificate.code,
                    "agency_id": self.opd.agency_id}
        # A needs survey of my unit; the learners grown below are my staff and answer it.
        from portal.admin.reset import make_link
        from portal.needs.services import create_survey

        self.survey = create_survey(
            title="Analisis kebutuhan", opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30), competency_codes=["M.01", "M.04"],
            opd_ids=[self.opd.id], created_by=self.admin)
        self.ids["survey"] = self.survey.public_id
        self.staff = []
        # Five answers before the grown ones: results of a group show from five respondents
        # (NEEDS_MIN_GROUP_SIZE), so the pages show figures at N and at 3N alike.
        for i in range(5):
            self._staff_member(f"Sari Wulandari {i}", now)
        link = make_link(self.me, actor=self.admin, now=now, client="127.0.0.1")
        self.ids["reset_token"] = link.rsplit("/", 1)[1]
        self.grow(N)
        self.ids["member"] = self.staff[0].id
        extra = self.extra_courses[0]
        enrolment = progress.get_enrolment(self.me, extra)
        quiz = self._quiz(extra, "pretest")
        self.ids["extra"] = extra.slug
        self.ids["finished_attempt"] = self._attempts_of(enrolment, quiz)[0].public_id
        from portal.quizzes import services as quizzes

        self.ids["open_attempt"] = quizzes.start_attempt(enrolment, quiz, now).public_id
        db.session.commit()

    # factories

    def _user(self, name: str, role: str):
        from werkzeug.security import generate_password_hash

        from portal.auth.models import User

        nip = f"19860926201505{2}{next(self.seq):03d}"
        user = User(nip=nip, email=f"{nip}@jambiprov.go.id", full_name=name,
                    password_hash=generate_password_hash("x", "pbkdf2:sha256:1"),
                    pangkat_golongan="Penata, III/c", jabatan="Analis", opd_id=self.opd.id,
                    roles={role, "peserta"}, locale="en")
        self.db.session.add(user)
        self.db.session.flush()
        return user

    def _course(self, slug: str):
        from portal.courses.models import Course

        return self.db.session.scalars(sa.select(Course).where(Course.slug == slug)).one()

    def _quiz(self, course, kind: str):
        from portal.quizzes.models import Quiz

        return self.db.session.scalars(sa.select(Quiz).where(
            Quiz.course_id == course.id, Quiz.kind == kind)).first()

    def _attempts_of(self, enrolment, quiz):
        from portal.quizzes.models import Attempt

        return list(self.db.session.scalars(sa.select(Attempt).where(
            Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id)
            .order_by(Attempt.number)))

    def _attempt(self, enrolment, quiz, number: int, score: float):
        from portal.quizzes.models import Attempt
        from portal.timeutil import utcnow

        now = utcnow()
        attempt = Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=number,
                          state="finished",
                          points=score / 10, max_points=10.0, score=score,
                          started_at=now - timedelta(minutes=10), submitted_at=now)
        self.db.session.add(attempt)
        return attempt

    def _complete(self, user, course):
        """Enrol ``user``, finish every module and both tests, complete, certify."""
        from portal.certificates.services import issue_certificate
        from portal.progress.models import Enrolment, ModuleCompletion, ModuleVisit
        from portal.timeutil import utcnow

        now = utcnow()
        enrolment = Enrolment(user_id=user.id, course_id=course.id,
                              enrolled_at=now - timedelta(days=3))
        self.db.session.add(enrolment)
        self.db.session.flush()
        for module in course.modules:
            self.db.session.add(ModuleVisit(enrolment_id=enrolment.id, module_id=module.id,
                                            first_opened_at=now - timedelta(days=2)))
            self.db.session.add(ModuleCompletion(enrolment_id=enrolment.id,
                                                 module_id=module.id, completed_at=now))
        self._attempt(enrolment, self._quiz(course, "pretest"), 1, 30.0)
        self._attempt(enrolment, self._quiz(course, "posttest"), 1, 90.0)
        enrolment.completed_at = now - timedelta(hours=1)
        enrolment.final_grade = 90.0
        self.db.session.flush()
        return issue_certificate(enrolment)

    def _staff_member(self, name: str, now):
        """A learner I supervise who answered the survey, rated by me; one audit row."""
        from portal.audit.services import record
        from portal.needs.services import save_self_ratings, save_supervisor_ratings

        learner = self._user(name, "peserta")
        learner.supervisor_id = self.me.id
        self.staff.append(learner)
        save_self_ratings(self.survey, learner, {"M.01": (5, 3), "M.04": (4, 2)}, now)
        save_supervisor_ratings(self.survey, self.me, learner, {"M.01": 3}, now)
        record(actor=self.admin, action="user.roles", target_kind="user", target_id=learner.id,
               before=None, after={"roles": ["peserta"]}, now=now, client="127.0.0.1")
        return learner

    def grow(self, k: int) -> None:
        """Add ``k`` rows to every list: learners with certificates in both shipped
        courses, courses the learner is enrolled in (with attempts), HR accesses."""
        from portal.certificates.services import AccessAction, record_access
        from portal.courses.models import Course, Module
        from portal.timeutil import utcnow
        from portal.progress.models import Enrolment
        from portal.quizzes.models import Quiz

        db = self.db
        for _ in range(k):
            learner = self._staff_member(f"Budi Santoso {next(self.seq)}", utcnow())
            self._complete(learner, self.shipped)
            self._complete(learner, self.other)
            number = len(self.extra_courses) + 1
            course = Course(slug=f"kursus-{number}", code=f"KRS-{number:02d}",
                            title=f"Kursus {number}", jp=2, competency_type="teknis",
                            competencies=[], mode="e-learning", pass_mark=70,
                            summary="Ringkasan.", description_html="<p>Kursus.</p>")
            db.session.add(course)
            db.session.flush()
            for i in range(1, 3):
                db.session.add(Module(course_id=course.id, slug=f"modul-{i}", position=i,
                                      title=f"Modul {i}", minutes=10,
                                      body_html=f"<p>Modul {i}.</p>"))
            for kind in ("pretest", "posttest"):
                db.session.add(Quiz(course_id=course.id, slug=kind, kind=kind,
                                    title=kind.title(), max_attempts=0))
            db.session.flush()
            enrolment = Enrolment(user_id=self.me.id, course_id=course.id)
            db.session.add(enrolment)
            db.session.flush()
            self._attempt(enrolment, self._quiz(course, "pretest"), 1, 50.0)
            self.extra_courses.append(course)
            # one more attempt and one more HR access on the lists that show them
            first = self.extra_courses[0]
            first_enrolment = db.session.scalars(sa.select(Enrolment).where(
                Enrolment.user_id == self.me.id, Enrolment.course_id == first.id)).one()
            quiz = self._quiz(first, "pretest")
            taken = self._attempts_of(first_enrolment, quiz)
            if first is not course:
                self._attempt(first_enrolment, quiz, max(a.number for a in taken) + 1, 60.0)
            record_access(self.certificate, self.hr, AccessAction.VIEW_DETAIL)
        db.session.commit()


# --- measuring ------------------------------------------------------------------------------


def _login(client, user):
    from portal.auth.sessions import stamp_for
    from portal.timeutil import utcnow

    with client.session_transaction() as sess:
        sess["_user_id"] = str(user.id)
        sess["_fresh"] = True
        sess.update(stamp_for(user, utcnow()))
    return client


def _measure(app, world: World) -> dict:
    clients = {"anonymous": app.test_client()}
    for who in ("me", "instructor", "hr", "admin"):
        clients[who] = _login(app.test_client(), getattr(world, who))
    seen = {}
    for page in PAGES + EXTRA:
        url = page.url.format(**world.ids)
        client = clients[page.who]
        client.get(url)  # warm: first visits write once; the count is of a repeat visit
        response, statements = count_request(_db, client, url)
        seen[page.url] = (response.status_code, statements)
    return seen


@pytest.fixture(scope="module")
def measured(database_template, tmp_path_factory):
    """``{url: ((status, statements) at N, (status, statements) at 3N)}``."""
    kind, where, template = database_template
    if kind == "postgresql":
        name = f"{where.database or 'test'}_budget"
        _pg_recreate(where, name, template)
        uri = where.set(database=name).render_as_string(hide_password=False)
    else:
        path = tmp_path_factory.mktemp("budget") / "portal.sqlite3"
        shutil.copyfile(where, path)
        uri = f"sqlite:///{path}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": uri})
    app.test_client_class = IsolatedClient
    with app.app_context():
        world = World(_db)
        small = _measure(app, world)
        world.grow(2 * N)
        large = _measure(app, world)
        _db.session.remove()
        _db.engine.dispose()
    if kind == "postgresql":
        admin = _pg_admin_engine(where)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
    yield {url: (small[url], large[url]) for url in small}


def test_every_get_page_has_a_budget(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    declared = {page.endpoint for page in PAGES}
    assert endpoints - declared == set(), "give these pages a statement budget"
    assert declared - endpoints == set(), "stale entries in the budget table"


@pytest.mark.parametrize("page", PAGES + EXTRA, ids=lambda p: f"{p.endpoint}:{p.url}")
def test_page_stays_within_its_statement_budget(measured, page):
    (status, small), (status_large, large) = measured[page.url]
    assert status == page.status and status_large == page.status, (status, status_large)
    assert small.count <= page.budget, f"{small.count} > {page.budget}:\n{small}"
    assert large.count <= page.budget, f"{large.count} > {page.budget}:\n{large}"
    if page.grows:
        assert large.count == small.count, (
            f"{small.count} statements at N, {large.count} at 3N:\n{large}")


def test_counting_sees_every_statement(app, db, client):
    """The counter itself: a page known to query counts its queries."""
    response, seen = count_request(db, client, "/healthz")
    assert response.status_code == 200
    assert seen.count >= 1 and "SELECT" in seen.sql[0].upper()

