"""Immutable question versions: when a question gets a new one, and what it holds.

A :class:`~portal.quizzes.models.QuestionVersion` is written once and never updated. The
importer (:mod:`portal.courses.importer`) records a new version only when
:func:`content_hash` of the question changes: what grading and the pages show (type,
prompt, options and which are right, accepted answers and tolerance, points, explanation).
Option ids do not count (they are random per version), nor does the Markdown source
alone, so the hash of a version recorded before the source was kept (migration 0007) is
the same as that of the unchanged question read from its file.

These functions flush, never commit.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from portal.extensions import db
from portal.quizzes.models import Question, QuestionVersion, Quiz
from portal.timeutil import utcnow

#: Length in hex digits of a random option id (8: four billion ids per question).
OPTION_ID_HEX = 4


def _hashed_data(data: dict | None) -> dict:
    """``data`` without option ids and Markdown sources: what the hash covers."""
    data = dict(data or {})
    if "options" in data:
        data["options"] = [{"html": o.get("html", ""), "correct": bool(o.get("correct"))}
                           for o in data.get("options") or []]
    return data


def content_hash(qtype: str, prompt_html: str, explanation_html: str, data: dict | None,
                 points: float) -> str:
    """sha256 (hex) of a question's content as graded and shown (see the module
    docstring); the same for the same content whatever its option ids."""
    payload = {"qtype": qtype, "prompt_html": prompt_html or "",
               "explanation_html": explanation_html or "", "data": _hashed_data(data),
               "points": float(points)}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def random_option_ids(data: dict, rng: Any = None) -> dict:
    """A copy of ``data`` whose options get random, distinct ids (``OPTION_ID_HEX`` bytes
    of hex), so an option's id never tells its place in the file."""
    if not data or "options" not in data:
        return dict(data or {})
    source = rng or secrets.SystemRandom()
    used: set[str] = set()
    options = []
    for option in data["options"]:
        while True:
            new_id = "%0*x" % (OPTION_ID_HEX * 2, source.getrandbits(OPTION_ID_HEX * 8))
            if new_id not in used:
                used.add(new_id)
                break
        options.append({**option, "id": new_id})
    return {**data, "options": options}


def add_version(question: Question, *, qtype: str, prompt_html: str, data: dict,
                points: float = 1.0, explanation_html: str = "", prompt_md: str | None = None,
                explanation_md: str | None = None, now=None) -> QuestionVersion:
    """Record a new version of ``question`` (numbered after its newest) and make it the
    current one. ``data`` is stored as given (the importer passes option ids made by
    :func:`random_option_ids`). Returns the version, flushed."""
    number = (question.current_version.number + 1) if question.current_version else 1
    version = QuestionVersion(
        question_id=question.id, number=number, qtype=qtype, prompt_md=prompt_md,
        prompt_html=prompt_html, explanation_md=explanation_md,
        explanation_html=explanation_html or "", data=data, points=float(points),
        content_hash=content_hash(qtype, prompt_html, explanation_html, data, points),
        created_at=now or utcnow())
    db.session.add(version)
    db.session.flush()
    question.current_version = version
    db.session.flush()
    return version


def add_question(quiz: Quiz, position: int, *, key: str | None = None, tags=None,
                 **content) -> Question:
    """A new question of ``quiz`` at ``position`` with its first version (``content``: the
    keyword arguments of :func:`add_version`). ``key`` defaults to a fresh random one."""
    from portal.courses.keys import new_key  # portal.courses imports this package

    question = Question(quiz_id=quiz.id, position=position, key=key or new_key(set()),
                        tags=list(tags or []))
    db.session.add(question)
    db.session.flush()
    add_version(question, **content)
    return question
