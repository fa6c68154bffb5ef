"""Routes of the courses blueprint (placeholder)."""

from flask import abort

from portal.courses import bp


@bp.get("/courses")
def catalogue():
    abort(404)


@bp.get("/teaching")
def instructor_overview():
    abort(404)
