"""The courses shipped in content/ are valid, import cleanly and grade consistently."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa

from portal.courses.loader import load_all
from portal.courses.models import Course
from portal.quizzes.types import get_type

SHIPPED = {"pelayanan-publik-digital", "manajemen-proyek-pemerintah"}


def test_content_check_passes_on_shipped_content(app):
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert {line.split(":")[0] for line in result.stdout.splitlines()} >= SHIPPED


def test_shipped_content_was_reviewed_on_30_november_2026_and_has_no_warnings(app,
                                                                              freeze_now):
    # 30 November 2026, 10.00 WIB: the day the regulations cited were checked.
    freeze_now(datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc))
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no stale review, no post-test question in the pre-test


def test_shipped_content_asks_for_a_new_review_a_year_and_a_day_later(app, freeze_now):
    # 1 December 2027, 00.30 WIB.
    freeze_now(datetime(2027, 11, 30, 17, 30, tzinfo=timezone.utc))
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    stale = [line for line in result.stderr.splitlines() if ": warning: reviewed " in line]
    files = [line.split(":")[0] for line in stale]
    assert sorted(path.rsplit("/", 2)[-2:] for path in files) == sorted(
        [slug, "course.md"] for slug in SHIPPED)
    assert all("reviewed 2026-11-30, more than a year before today (2027-12-01)" in line
               for line in stale)


def test_shipped_courses_import_then_stay_unchanged(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["content", "import"])
    assert first.exit_code == 0, first.output
    for slug in SHIPPED:
        assert f"{slug}: created" in first.stdout
    second = runner.invoke(args=["content", "import"])
    assert second.exit_code == 0
    assert "created" not in second.stdout and "updated" not in second.stdout
    db.session.remove()
    courses = db.session.scalars(sa.select(Course).where(Course.slug.in_(SHIPPED))).all()
    assert len(courses) == 2
    assert all(course.modules for course in courses)


def test_shipped_questions_grade_their_own_key(app):
    for result in load_all(app.config["CONTENT_DIR"]):
        assert result.ok, [str(e) for e in result.errors]
        for quiz in result.spec.quizzes:
            for question in quiz.questions:
                qtype = get_type(question.qtype)
                public = json.dumps(qtype.public_data(question.data))
                assert '"correct"' not in public and '"answers"' not in public
                if question.qtype == "short":
                    right = question.data["answers"][0]
                else:
                    right = [o["id"] for o in question.data["options"] if o["correct"]]
                assert qtype.grade(question.data, right) == 1.0, (quiz.slug, question.line)
