"""The seeded catalogue (PermenPANRB 38/2017), technical competencies and course links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.competencies import services
from portal.competencies.catalogue_data import COMPETENCIES
from portal.competencies.models import Competency, CompetencyLevel, CourseCompetency
from portal.courses.importer import import_all
from portal.courses.models import Course

FIXTURES = Path(__file__).resolve().parent.parent / "content" / "fixtures" / "courses"


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A content folder holding a copy of the fixture course ``kursus-contoh``."""
    shutil.copytree(FIXTURES / "kursus-contoh", tmp_path / "content" / "kursus-contoh")
    return tmp_path / "content"


def test_migration_seeds_the_regulations_competencies_with_five_levels(db):
    rows = db.session.scalars(sa.select(Competency).order_by(Competency.code)).all()
    assert [c.code for c in rows] == [f"M.0{i}" for i in range(1, 9)] + ["SK.01"]
    assert {c.code: c.name for c in rows}["M.05"] == "Pelayanan Publik"
    assert {c.code: c.kind for c in rows}["SK.01"] == "sosial_kultural"
    for competency in rows:
        assert [lv.level for lv in competency.levels] == [1, 2, 3, 4, 5], competency.code
        assert all(lv.description and lv.indicators for lv in competency.levels)
        assert "38/2017" in competency.source
    assert len(COMPETENCIES) == 9


def test_catalogue_lists_technical_competencies_of_the_agency_only(db):
    agencies = db.session.scalars(sa.text("SELECT id FROM agency ORDER BY id")).all()
    services.create_technical(code="T.01", name="Pengelolaan Arsip Dinamis", definition="",
                              agency_id=agencies[0], jabatan="Arsiparis",
                              levels=["Dasar", "", "Mahir"])
    services.create_technical(code="T.02", name="Analisis Laporan Keuangan", definition="",
                              agency_id=agencies[1], jabatan="", levels=[])
    own = [c.code for c in services.catalogue(agencies[0])]
    assert own[:8] == [f"M.0{i}" for i in range(1, 9)] and own[8:] == ["SK.01", "T.01"]
    assert [c.code for c in services.catalogue()][-2:] == ["T.01", "T.02"]
    t01 = services.by_codes(["T.01"])["T.01"]
    assert [(lv.level, lv.description) for lv in t01.levels] == [(1, "Dasar"), (3, "Mahir")]
    with pytest.raises(services.CompetencyError) as error:
        services.create_technical(code="M.05", name="x", definition="", agency_id=agencies[0],
                                  jabatan="", levels=[])
    assert error.value.field == "code"


def _links(db, slug):
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    return sorted((link.competency_code, link.target_level) for link in db.session.scalars(
        sa.select(CourseCompetency).where(CourseCompetency.course_id == course.id)))


def test_import_links_the_course_to_its_competencies_and_target_level(db, content_dir):
    import_all(content_dir)
    assert _links(db, "kursus-contoh") == [("M.03", None), ("M.05", None)]
    course_md = content_dir / "kursus-contoh" / "course.md"
    text = course_md.read_text(encoding="utf-8")
    course_md.write_text(text.replace("competencies: [M.05, M.03]",
                                      "competencies: [M.05, M.08]\ntarget_level: 3"),
                         encoding="utf-8")
    import_all(content_dir)
    assert _links(db, "kursus-contoh") == [("M.05", 3), ("M.08", 3)]
    linked = services.courses_by_code(["M.05", "M.03"])
    assert list(linked) == ["M.05"] and linked["M.05"][0][1] == 3


def test_a_target_level_outside_1_to_5_is_a_content_error(db, content_dir):
    course_md = content_dir / "kursus-contoh" / "course.md"
    text = course_md.read_text(encoding="utf-8")
    course_md.write_text(text.replace("mode: e-learning", "mode: e-learning\ntarget_level: 6"),
                         encoding="utf-8")
    report = import_all(content_dir)
    assert not report.ok and "target_level" in str(report.failed[0].errors[0])
