"""Links from the learner's pages to other features' pages (quizzes, certificates).

Each helper returns None when the target route is not registered, so a page still renders
(without the link) in an app built without that feature.
"""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import BuildError


def quiz_url(course, quiz) -> str | None:
    """URL of the quiz's intro page (``quizzes.quiz``), or None (no quiz, or no route)."""
    if course is None or quiz is None:
        return None
    try:
        return url_for("quizzes.quiz", slug=course.slug, quiz_slug=quiz.slug)
    except BuildError:
        return None


def certificate_url(certificate) -> str | None:
    """URL of the certificate's PDF (``certificates.download``), or None."""
    if certificate is None:
        return None
    try:
        return url_for("certificates.download", code=certificate.code)
    except BuildError:
        return None
