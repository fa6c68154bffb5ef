"""The module front-matter key ``min_minutes`` (minimum study time before a module can be
marked done): read, checked against ``minutes`` with file and line, and imported."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from portal.courses.importer import import_all
from portal.courses.loader import check_course, load_course
from portal.courses.models import Module


def _course(tmp_path: Path, module_front_matter: str) -> Path:
    folder = tmp_path / "etika-asn"
    folder.mkdir()
    (folder / "course.md").write_text(
        "---\ntitle: Etika ASN\ncode: ETK-01\njp: 2\ncompetency_type: manajerial\n"
        "competencies: [M.01]\nmode: e-learning\npass_mark: 70\nsummary: Ringkas.\n---\n"
        "Deskripsi.\n", encoding="utf-8")
    (folder / "01-pengantar.md").write_text(
        f"---\ntitle: Pengantar\n{module_front_matter}---\nIsi modul.\n", encoding="utf-8")
    (folder / "02-lanjutan.md").write_text(
        "---\ntitle: Lanjutan\nminutes: 30\n---\nIsi.\n", encoding="utf-8")
    return folder


def test_min_minutes_is_optional_and_read(tmp_path):
    spec = load_course(_course(tmp_path, "minutes: 45\nmin_minutes: 20\n"))
    assert [(m.slug, m.minutes, m.min_minutes) for m in spec.modules] == [
        ("pengantar", 45, 20), ("lanjutan", 30, None)]


def test_min_minutes_zero_exempts_a_module(tmp_path):
    assert load_course(_course(tmp_path, "minutes: 45\nmin_minutes: 0\n")).modules[0].min_minutes == 0


def test_min_minutes_longer_than_minutes_is_an_error_at_its_line(tmp_path):
    result = check_course(_course(tmp_path, "minutes: 45\nmin_minutes: 60\n"))
    assert [(Path(e.path).name, e.line) for e in result.errors] == [("01-pengantar.md", 4)]
    assert "min_minutes is 60 but the module's estimated time (minutes) is 45" in str(
        result.errors[0])


def test_a_negative_min_minutes_is_an_error(tmp_path):
    result = check_course(_course(tmp_path, "minutes: 45\nmin_minutes: -5\n"))
    assert [(Path(e.path).name, e.line) for e in result.errors] == [("01-pengantar.md", 4)]
    assert "whole number" in result.errors[0].message


def test_import_writes_and_updates_min_minutes(db, tmp_path):
    folder = _course(tmp_path, "minutes: 45\nmin_minutes: 20\n")
    assert import_all(tmp_path).ok
    db.session.commit()
    rows = dict(db.session.execute(sa.select(Module.slug, Module.min_minutes)).all())
    assert rows == {"pengantar": 20, "lanjutan": None}
    (folder / "01-pengantar.md").write_text("---\ntitle: Pengantar\nminutes: 45\n---\nIsi.\n",
                                            encoding="utf-8")
    assert import_all(tmp_path).ok
    db.session.commit()
    assert db.session.scalar(sa.select(Module.min_minutes).where(Module.slug == "pengantar")) is None
