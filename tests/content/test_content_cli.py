"""``flask content check`` and ``flask content import``: output and exit codes."""

from __future__ import annotations

import shutil

import sqlalchemy as sa

from portal.courses.models import Course


def break_course(content_dir):
    bad = content_dir / "kursus-rusak"
    shutil.copytree(content_dir / "kursus-contoh", bad)
    (bad / "course.md").write_text((bad / "course.md").read_text()
                                   .replace("jp: 2", "jp: 0").replace("mode:", "moda:"))
    return bad


def test_check_valid_content(app, content_dir):
    result = app.test_cli_runner().invoke(args=["content", "check", str(content_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("kursus-contoh: 2 modules, 5 questions in 2 quizzes, 2 JP\n")


def test_check_one_course_folder(app, course_dir):
    result = app.test_cli_runner().invoke(args=["content", "check", str(course_dir)])
    assert result.exit_code == 0
    assert result.stdout.startswith("kursus-contoh: 2 modules")


def test_check_prints_every_error_and_fails(app, db, content_dir, monkeypatch):
    monkeypatch.chdir(content_dir.parent)
    break_course(content_dir)
    result = app.test_cli_runner().invoke(args=["content", "check", "content"])
    assert result.exit_code == 1
    assert result.stdout == "kursus-contoh: 2 modules, 5 questions in 2 quizzes, 2 JP\n"
    assert result.stderr.splitlines() == [
        'content/kursus-rusak/course.md:1: missing required key "mode"',
        'content/kursus-rusak/course.md:4: "jp" must be a whole number ≥ 1',
        'content/kursus-rusak/course.md:7: unknown key "moda" (allowed: title, code, jp, '
        'competency_type, competencies, target_level, mode, partner, pass_mark, summary, reviewed)',
        "1 of 2 courses have errors.",
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 0


def test_check_uses_content_dir_setting(app, content_dir):
    app.config["CONTENT_DIR"] = str(content_dir)
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0 and "kursus-contoh" in result.stdout


def test_check_missing_folder(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["content", "check", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "is not a folder" in result.output


def test_import_then_unchanged(app, db, content_dir):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["content", "import", str(content_dir)])
    assert first.exit_code == 0, first.output
    assert first.stdout == "kursus-contoh: created (2 modules, 5 questions, 2 JP)\n"
    second = runner.invoke(args=["content", "import", str(content_dir)])
    assert second.exit_code == 0
    assert second.stdout == "kursus-contoh: unchanged (2 modules, 5 questions, 2 JP)\n"
    db.session.remove()
    assert db.session.scalars(sa.select(Course.slug)).all() == ["kursus-contoh"]


def test_import_reports_failures_and_commits_the_good_courses(app, db, content_dir):
    break_course(content_dir)
    result = app.test_cli_runner().invoke(args=["content", "import", str(content_dir)])
    assert result.exit_code == 1
    assert result.stdout == "kursus-contoh: created (2 modules, 5 questions, 2 JP)\n"
    assert result.stderr.splitlines()[0] == "kursus-rusak: failed"
    assert len(result.stderr.splitlines()) == 5
    assert result.stderr.splitlines()[-1] == "1 of 2 courses were not imported."
    db.session.remove()
    assert db.session.scalars(sa.select(Course.slug)).all() == ["kursus-contoh"]


def test_import_prints_archive_notes(app, db, content_dir):
    runner = app.test_cli_runner()
    runner.invoke(args=["content", "import", str(content_dir)])
    (content_dir / "kursus-contoh" / "pretest.md").unlink()
    result = runner.invoke(args=["content", "import", str(content_dir)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "kursus-contoh: updated (2 modules, 3 questions, 2 JP)",
        "  quiz pretest: its file is gone; its questions are archived",
    ]
    assert lines[2].startswith("  pretest: questions removed: ")  # the two keys
    assert lines[3:] == []
