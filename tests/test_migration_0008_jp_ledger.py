"""Migration 0008 on data written before it: every completed enrolment becomes one JP
ledger row with the JP it was completed with (what its certificate printed; the course's
JP for a completion without certificate), dated in WIB; every learner's yearly JP and every
certificate stay as they were."""

from __future__ import annotations

from datetime import date, datetime, timezone

import sqlalchemy as sa

from tests.conftest import ROOT

UTC = timezone.utc
WIB_NEW_YEAR = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)   # 1 January 2027, 03.00 WIB
JUNE = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)


def _old_yearly_jp(conn) -> dict[tuple[int, int], int]:
    """{(user id, WIB year): JP} as revision 0004 computed it: completed enrolments joined
    to the course's current JP."""
    from portal.timeutil import UTCDateTime, WIB

    rows = conn.execute(sa.select(
        sa.column("user_id"), sa.column("completed_at", UTCDateTime()), sa.column("jp"))
        .select_from(sa.text("enrolment JOIN course ON course.id = enrolment.course_id"))
        .where(sa.text("completed_at IS NOT NULL"))).all()
    totals: dict[tuple[int, int], int] = {}
    for user_id, completed_at, jp in rows:
        key = (user_id, completed_at.astimezone(WIB).year)
        totals[key] = totals.get(key, 0) + jp
    return totals


def _certificates(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute(sa.text(
        "SELECT id, code, number, enrolment_id, user_id, holder_name, holder_nip, status, "
        "snapshot FROM certificate ORDER BY id"))]


def test_upgrade_credits_every_completion_with_the_jp_it_was_completed_with(app_config):
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from portal.auth.models import User
    from portal.completion import complete_enrolment_if_done
    from portal.courses.models import Course
    from portal.extensions import db
    from portal.ledger import services as ledger
    from portal.ledger.models import JpCredit
    from portal.progress.models import Enrolment

    directory = str(ROOT / "migrations")
    application = create_app(app_config)
    with application.app_context():
        try:
            users = [User(nip=f"19860926201505100{i}", email=f"u{i}@jambiprov.go.id",
                          password_hash="x", full_name=f"Peserta {i}", roles={"peserta"})
                     for i in range(1, 4)]
            courses = [Course(slug=f"k{jp}", code=f"K-{jp}", title=f"Kursus {jp}", jp=jp,
                              competency_type="manajerial", competencies=["M.05"],
                              mode="e-learning", pass_mark=70) for jp in (2, 5, 12)]
            db.session.add_all(users + courses)
            db.session.flush()
            two, five, twelve = courses

            def completed(user, course, moment, certificate=True):
                enrolment = Enrolment(user_id=user.id, course_id=course.id,
                                      enrolled_at=JUNE, completed_at=moment, final_grade=80.0)
                db.session.add(enrolment)
                db.session.flush()
                if certificate:  # issued as the portal did before 0008
                    complete_enrolment_if_done(enrolment, moment)

            completed(users[0], two, JUNE)
            completed(users[0], five, WIB_NEW_YEAR)
            completed(users[1], twelve, JUNE, certificate=False)
            completed(users[2], five, JUNE)
            db.session.add(Enrolment(user_id=users[2].id, course_id=twelve.id))  # not done
            db.session.commit()
            ids = [u.id for u in users]
            db.session.remove()

            downgrade(directory=directory, revision="0004")
            with db.engine.connect() as conn:
                old_yearly = _old_yearly_jp(conn)
                certificates = _certificates(conn)
            assert len(certificates) == 3

            upgrade(directory=directory)

            with db.engine.connect() as conn:
                assert _certificates(conn) == certificates
            for (user_id, year), jp in old_yearly.items():
                assert ledger.jp_in_year(user_id, year) == jp
            assert {(u, y): ledger.jp_in_year(u, y) for u in ids for y in (2026, 2027)
                    if ledger.jp_in_year(u, y)} == old_yearly
            credits = db.session.scalars(sa.select(JpCredit).order_by(JpCredit.id)).all()
            assert [(c.user_id, c.jp, c.minutes_per_jp, c.minutes, c.credited_on, c.year,
                     c.result, c.source, c.certificate_id is not None) for c in credits] == [
                (ids[0], 2, 45, 90, date(2026, 6, 10), 2026, 80.0, "completion", True),
                (ids[0], 5, 45, 225, date(2027, 1, 1), 2027, 80.0, "completion", True),
                (ids[1], 12, 45, 540, date(2026, 6, 10), 2026, 80.0, "completion", False),
                (ids[2], 5, 45, 225, date(2026, 6, 10), 2026, 80.0, "completion", True),
            ]
        finally:
            db.session.remove()
            db.engine.dispose()


def test_upgrade_credits_the_jp_the_certificate_printed_when_the_course_changed(app_config):
    """A course whose JP was edited after a learner completed it (2 became 10): the ledger
    credits the 2 JP the certificate printed, not the course's 10."""
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from portal.auth.models import User
    from portal.completion import complete_enrolment_if_done
    from portal.courses.models import Course
    from portal.extensions import db
    from portal.ledger import services as ledger
    from portal.progress.models import Enrolment

    directory = str(ROOT / "migrations")
    application = create_app(app_config)
    with application.app_context():
        try:
            user = User(nip="198609262015051001", email="rina@jambiprov.go.id",
                        password_hash="x", full_name="Rina", roles={"peserta"})
            course = Course(slug="uji", code="U-01", title="Uji", jp=2,
                            competency_type="manajerial", competencies=["M.05"],
                            mode="e-learning", pass_mark=70)
            db.session.add_all([user, course])
            db.session.flush()
            enrolment = Enrolment(user_id=user.id, course_id=course.id, completed_at=JUNE)
            db.session.add(enrolment)
            db.session.flush()
            complete_enrolment_if_done(enrolment, JUNE)
            db.session.commit()
            user_id, course_id = user.id, course.id
            db.session.remove()

            downgrade(directory=directory, revision="0004")
            with db.engine.begin() as conn:
                conn.execute(sa.text("UPDATE course SET jp = 10 WHERE id = :id"),
                             {"id": course_id})
            upgrade(directory=directory)

            assert ledger.jp_in_year(user_id, 2026) == 2
        finally:
            db.session.remove()
            db.engine.dispose()
