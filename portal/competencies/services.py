"""Competency catalogue services: plain functions that flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.competencies.catalogue_data import TEKNIS
from portal.competencies.models import Competency, CompetencyLevel, CourseCompetency
from portal.courses.models import Course
from portal.extensions import db


class CompetencyError(ValueError):
    """A competency cannot be saved; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def link_course(course_id: int, codes: Sequence[str], target_level: int | None) -> None:
    """Make the course's competency links exactly ``codes`` (each with ``target_level``,
    1..5 or None). Links whose code is gone are deleted; nothing else is touched."""
    existing = {link.competency_code: link for link in db.session.scalars(
        sa.select(CourseCompetency).where(CourseCompetency.course_id == course_id))}
    for code in codes:
        link = existing.pop(code, None)
        if link is None:
            db.session.add(CourseCompetency(course_id=course_id, competency_code=code,
                                            target_level=target_level))
        elif link.target_level != target_level:
            link.target_level = target_level
    for link in existing.values():
        db.session.delete(link)
    db.session.flush()


def catalogue(agency_id: int | None = None) -> list[Competency]:
    """Active competencies: managerial, socio-cultural, then technical (of ``agency_id``
    only, when given), each by code."""
    query = sa.select(Competency).where(Competency.is_active.is_(True))
    if agency_id is not None:
        query = query.where(sa.or_(Competency.kind != TEKNIS, Competency.agency_id == agency_id))
    order = sa.case((Competency.kind == "manajerial", 0), (Competency.kind == "sosial_kultural", 1),
                    else_=2)
    return list(db.session.scalars(query.order_by(order, Competency.code)
                                   .options(selectinload(Competency.levels))))


def by_codes(codes: Iterable[str]) -> dict[str, Competency]:
    """``{code: Competency}`` for the codes that exist."""
    codes = list(codes)
    if not codes:
        return {}
    return {c.code: c for c in db.session.scalars(
        sa.select(Competency).where(Competency.code.in_(codes)))}


def create_technical(*, code: str, name: str, definition: str, agency_id: int, jabatan: str,
                     levels: Sequence[str]) -> Competency:
    """Add a technical competency (kompetensi teknis) of one agency and, optionally, one
    jabatan ("" for all), with up to five level descriptions (level 1 first; blank ones are
    skipped).

    Raises:
        CompetencyError: the code is already used (``field="code"``).
    """
    code = code.strip()
    if db.session.scalar(sa.select(Competency.id).where(Competency.code == code)) is not None:
        raise CompetencyError("code", code)
    competency = Competency(code=code, kind=TEKNIS, name=name.strip(),
                            definition=definition.strip(), agency_id=agency_id,
                            jabatan=jabatan.strip(), source="", is_active=True)
    db.session.add(competency)
    db.session.flush()
    for number, text in enumerate(levels, start=1):
        if text and text.strip():
            db.session.add(CompetencyLevel(competency_id=competency.id, level=number,
                                           description=text.strip(), indicators=[]))
    db.session.flush()
    return competency


def courses_by_code(codes: Iterable[str]) -> dict[str, list]:
    """``{code: [(Course, target_level), ...]}`` for the published courses linked to each
    code (courses ordered by title); codes without a course are absent."""
    codes = list(codes)
    if not codes:
        return {}
    rows = db.session.execute(
        sa.select(CourseCompetency.competency_code, Course, CourseCompetency.target_level)
        .join(Course, Course.id == CourseCompetency.course_id)
        .where(CourseCompetency.competency_code.in_(codes), Course.is_published.is_(True))
        .order_by(Course.title)).all()
    out: dict[str, list] = {}
    for code, course, level in rows:
        out.setdefault(code, []).append((course, level))
    return out
