"""Constants and helpers for the quiz tests (imported by tests/quizzes/*)."""

from __future__ import annotations

from datetime import datetime, timezone

#: A fixed "now" for service tests (aware UTC).
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)

#: The answer key of the standard quiz built by ``make_quiz`` (question position -> data).
SINGLE = {"options": [
    {"id": "o1", "html": "Sistem Pemerintahan Berbasis Ekonomi", "correct": False},
    {"id": "o2", "html": "Sistem Pemerintahan Berbasis Elektronik", "correct": True},
]}
MULTIPLE = {"options": [
    {"id": "o1", "html": "Kepentingan umum", "correct": True},
    {"id": "o2", "html": "Kepastian hukum", "correct": True},
    {"id": "o3", "html": "Keuntungan finansial", "correct": False},
]}
SHORT = {"answers": ["20", "20 JP", "dua puluh"], "tolerance": None}

STANDARD_QUESTIONS = [
    dict(qtype="single", prompt_html="<p>Apa kepanjangan SPBE?</p>", data=SINGLE, points=1.0,
         explanation_html="<p>SPBE diatur dalam Perpres 95/2018.</p>"),
    dict(qtype="multiple", prompt_html="<p>Pilih semua asas pelayanan publik.</p>",
         data=MULTIPLE, points=2.0, explanation_html=""),
    dict(qtype="short", prompt_html="<p>Berapa JP minimal per tahun?</p>", data=SHORT,
         points=1.0, explanation_html="<p>PP 17/2020 menetapkan paling sedikit 20 JP.</p>"),
]


def qid(quiz, position: int) -> int:
    """The id of the quiz's question at ``position`` (1-based)."""
    return next(q.id for q in quiz.questions if q.position == position)


def right_answers(quiz) -> dict[int, list[str]]:
    """Form values answering the standard quiz fully right."""
    return {qid(quiz, 1): ["o2"], qid(quiz, 2): ["o1", "o2"], qid(quiz, 3): ["20 JP"]}
