"""Routes of the quizzes blueprint."""

from portal.quizzes import bp  # noqa: F401
