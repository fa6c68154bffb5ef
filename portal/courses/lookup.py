"""Finding the course a URL names, for the views of every blueprint under ``/courses``."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from portal.courses.models import Course
from portal.progress.services import visible_course


def course_or_404(slug: str) -> Course:
    """The course with ``slug`` if the current user may see it
    (:func:`portal.progress.services.visible_course`), else abort with HTTP 404 and the
    translated "Course not found" message."""
    course = visible_course(slug, current_user)
    if course is None:
        abort(404, description=_("Course not found. It may have been renamed or withdrawn."))
    return course
