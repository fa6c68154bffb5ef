"""Links from the learner's pages to other features' pages (quizzes, certificates)."""

from __future__ import annotations

from flask import url_for


def quiz_url(course, quiz) -> str | None:
    """URL of the quiz's intro page (``quizzes.quiz``), or None when there is no quiz."""
    if course is None or quiz is None:
        return None
    return url_for("quizzes.quiz", slug=course.slug, quiz_slug=quiz.slug)


def certificate_url(certificate) -> str | None:
    """URL of the certificate's PDF (``certificates.download``), or None when there is no
    certificate."""
    if certificate is None:
        return None
    return url_for("certificates.download", code=certificate.code)
