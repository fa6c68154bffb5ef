"""``flask content check`` refuses every symbolic link in a course folder, as ``path: message``
(a link has no line), and ``flask content import`` does not import such a course."""

from __future__ import annotations

import os

import sqlalchemy as sa

from portal.courses.frontmatter import ContentError
from portal.courses.loader import check_course
from portal.courses.models import Course

LINK = "symbolic links are not allowed in a course folder; copy what it points to into the folder"


def check(app, monkeypatch, content_dir):
    monkeypatch.chdir(content_dir.parent)
    return app.test_cli_runner().invoke(args=["content", "check", "content"])


def test_a_link_in_assets_is_refused_as_path_and_message(app, monkeypatch, content_dir,
                                                        course_dir):
    os.symlink("/etc/passwd", course_dir / "assets" / "passwd.png")
    result = check(app, monkeypatch, content_dir)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"content/kursus-contoh/assets/passwd.png: {LINK}",
        "1 of 1 courses have errors.",
    ]
    assert result.stdout == ""


def test_every_link_is_refused_hidden_inside_the_folder_or_to_a_folder(
        app, monkeypatch, content_dir, course_dir, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    os.symlink("01-pengantar.md", course_dir / "03-salinan.md")      # stays in the folder
    os.symlink(tmp_path / "elsewhere", course_dir / ".cache")        # hidden, to a folder
    os.symlink(tmp_path / "elsewhere", course_dir / "assets" / "luar")
    os.symlink("missing.svg", course_dir / "assets" / "rusak.svg")    # dangling
    result = check(app, monkeypatch, content_dir)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"content/kursus-contoh/.cache: {LINK}",
        f"content/kursus-contoh/03-salinan.md: {LINK}",
        f"content/kursus-contoh/assets/luar: {LINK}",
        f"content/kursus-contoh/assets/rusak.svg: {LINK}",
        "1 of 1 courses have errors.",
    ]


def test_a_linked_course_folder_is_refused(app, monkeypatch, content_dir, course_dir, tmp_path):
    os.symlink(course_dir, content_dir / "kursus-tautan")
    result = check(app, monkeypatch, content_dir)
    assert result.exit_code == 1
    assert result.stdout.startswith("kursus-contoh: 2 modules")
    assert result.stderr.splitlines() == [
        "content/kursus-tautan: the course folder is a symbolic link; put the course folder "
        "itself in the content folder",
        "1 of 2 courses have errors.",
    ]


def test_a_course_with_a_link_is_not_imported(app, db, content_dir, course_dir):
    os.symlink("/etc/hostname", course_dir / "assets" / "host.txt")
    result = app.test_cli_runner().invoke(args=["content", "import", str(content_dir)])
    assert result.exit_code == 1
    assert "assets/host.txt: symbolic links are not allowed" in result.stderr
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 0


def test_the_loader_reports_a_link_without_a_line(course_dir):
    os.symlink("diagram.svg", course_dir / "assets" / "alias.svg")
    result = check_course(course_dir)
    assert not result.ok
    [error] = result.errors
    assert error.line is None
    assert error.path.endswith("kursus-contoh/assets/alias.svg")
    assert str(error) == f"{error.path}: {LINK}"


def test_a_content_error_with_a_line_keeps_path_line_message():
    assert str(ContentError("c/course.md", 4, "x")) == "c/course.md:4: x"
    assert str(ContentError("c/assets/a.png", None, "x")) == "c/assets/a.png: x"
