"""The question-type registry: how each kind of question is shown, read from a form and graded.

``QuestionVersion.data`` (stored JSON, see :mod:`portal.quizzes.models`) has one shape per
type:

- ``single`` / ``multiple``: ``{"options": [{"id": "3f9a02c1", "md": "Markdown source",
  "html": "<inline html>", "correct": true}, ...]}`` in file order — option ids are random
  per version (:func:`portal.quizzes.versions.random_option_ids`), so they never tell an
  option's place in the file (the parser's ``o1``, ``o2``, ... are replaced on import);
- ``short``: ``{"answers": ["20", "20 JP", "dua puluh"], "tolerance": None | number}``;
  answers are kept as written in the file, numbers in the Indonesian notation (``1.000``,
  ``3,5``; see :mod:`portal.numbers`).

A *response* (what is stored in ``AttemptAnswer.response``) is ``None`` when the question was left
unanswered, a list of option ids for ``single`` (at most one id) and ``multiple``, and a
string for ``short``.

The answer key (``correct`` flags, ``answers``, ``tolerance``) never leaves the server before
submission: templates of an attempt in progress only ever see :meth:`QuestionType.public_data`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from portal.numbers import NumberNotationError, looks_like_number, parse_number, to_decimal
from portal.quizzes.models import QuestionTypeKey

#: Longest response kept from a form field, in characters.
MAX_RESPONSE_LENGTH = 500

Response = list[str] | str | None


class QuestionType:
    """Base class of a question type; one subclass per type, registered in ``QUESTION_TYPES``.

    Attributes:
        key: the value of ``QuestionVersion.qtype`` (``single`` | ``multiple`` | ``short``).
        template: Jinja template that renders the input(s) of one question
            (``quizzes/types/<key>.html``).
    """

    key: str = ""
    template: str = ""

    def public_data(self, data: dict) -> dict:
        """What a template may see before submission. Never contains the answer key.

        Raises:
            NotImplementedError: in this base class; every registered type overrides it
                (likewise the other methods).
        """
        raise NotImplementedError

    def response_from_form(self, data: dict, values: list[str]) -> Response:
        """Normalise and validate ``values`` (``request.form.getlist(name)``).

        Returns the response to store, or None when nothing valid was given.

        Raises:
            NotImplementedError: in this base class.
        """
        raise NotImplementedError

    def grade(self, data: dict, response: Response) -> float:
        """Fraction of the question's points earned, in [0, 1]; an empty response earns 0.

        Raises:
            NotImplementedError: in this base class.
        """
        raise NotImplementedError

    def feedback(self, data: dict, response: Response) -> dict:
        """What the review page shows after submission (includes the answer key).

        Raises:
            NotImplementedError: in this base class.
        """
        raise NotImplementedError

    def problem(self, data: dict, response: Response) -> NumberNotationError | None:
        """Why a response cannot be read as meant (shown to the learner before submitting),
        or None. Only typed numbers have one today; the base class has none."""
        return None


# --- choice types ---------------------------------------------------------------------


def _options(data: dict) -> list[dict]:
    return list((data or {}).get("options") or [])


def _chosen_ids(response: Response) -> list[str]:
    """The option ids of a stored choice response (tolerates a bare string)."""
    if response is None:
        return []
    if isinstance(response, str):
        return [response]
    return [str(v) for v in response]


class _ChoiceType(QuestionType):
    """Shared behaviour of single- and multiple-choice questions."""

    many: bool = False

    def public_data(self, data: dict) -> dict:
        """``{"options": [{"id": "o1", "html": "..."}, ...]}``, in file order."""
        return {"options": [{"id": o["id"], "html": o["html"]} for o in _options(data)]}

    def response_from_form(self, data: dict, values: list[str]) -> list[str] | None:
        """Known option ids in the order of the options, without duplicates; unknown ids
        are dropped; ``single`` keeps at most one (the first given). None if none remain."""
        given = [v.strip()[:MAX_RESPONSE_LENGTH] for v in values if isinstance(v, str)]
        if not self.many:
            given = [v for v in given if v in {o["id"] for o in _options(data)}][:1]
        wanted = set(given)
        chosen = [o["id"] for o in _options(data) if o["id"] in wanted]
        return chosen or None

    def _correct_ids(self, data: dict) -> set[str]:
        return {o["id"] for o in _options(data) if o.get("correct")}

    def _is_correct(self, data: dict, response: Response) -> bool:
        chosen = set(_chosen_ids(response))
        known = {o["id"] for o in _options(data)}
        chosen &= known
        if not chosen:
            return False
        if not self.many and len(chosen) != 1:
            return False
        return chosen == self._correct_ids(data)

    def grade(self, data: dict, response: Response) -> float:
        """1.0 when the chosen set is exactly the correct set (all-or-nothing), else 0.0."""
        return 1.0 if self._is_correct(data, response) else 0.0

    def feedback(self, data: dict, response: Response) -> dict:
        """``{"correct": bool, "options": [{"id", "html", "correct", "chosen"}, ...]}``."""
        chosen = set(_chosen_ids(response))
        return {
            "correct": self._is_correct(data, response),
            "options": [
                {"id": o["id"], "html": o["html"], "correct": bool(o.get("correct")),
                 "chosen": o["id"] in chosen}
                for o in _options(data)
            ],
        }


class SingleChoice(_ChoiceType):
    """One right option among several (LiaScript ``[( )]`` / ``[(X)]``); radio buttons."""

    key = QuestionTypeKey.SINGLE
    template = "quizzes/types/single.html"
    many = False


class MultipleChoice(_ChoiceType):
    """Several right options (LiaScript ``[[ ]]`` / ``[[X]]``); checkboxes; all-or-nothing."""

    key = QuestionTypeKey.MULTIPLE
    template = "quizzes/types/multiple.html"
    many = True


# --- short answer ---------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Lower case (casefold), whitespace collapsed to single spaces, outer spaces and
    trailing periods removed: ``"  Kepastian   Hukum. "`` -> ``"kepastian hukum"``."""
    text = _SPACES.sub(" ", str(text)).strip().casefold()
    return text.rstrip(".").rstrip()


def read_number(text: str) -> Decimal | None:
    """The number in ``text`` in the Indonesian notation (:func:`portal.numbers.parse_number`),
    or None when ``text`` is words or a number-like text the notation refuses (``3.5``)."""
    try:
        return parse_number(text)
    except NumberNotationError:
        return None


class ShortAnswer(QuestionType):
    """A typed answer (LiaScript ``[[answer]]``), matched against accepted answers.

    Matching ignores letter case, extra spaces and a final period. When an accepted answer
    is a number (Indonesian notation: ``1.000`` is one thousand, ``3,5`` three and a half),
    a response that is the same number however it is written (``75``, ``75,00``,
    ``1.000``, ``1000``) matches, or one within ± ``tolerance`` when the question has one.
    A response that looks like a number but is not one in that notation (``3.5``, ``16.000``
    is sixteen thousand) is refused before submission (:meth:`problem`) and does not match
    a number.
    """

    key = QuestionTypeKey.SHORT
    template = "quizzes/types/short.html"

    @staticmethod
    def _numbers(data: dict) -> list[Decimal]:
        return [n for n in (read_number(a) for a in (data or {}).get("answers") or [])
                if n is not None]

    def public_data(self, data: dict) -> dict:
        """``{"numeric": bool}``: whether a number is expected (for the hint under the
        input). The accepted answers stay on the server."""
        return {"numeric": bool(self._numbers(data))}

    def response_from_form(self, data: dict, values: list[str]) -> str | None:
        """The first value, stripped and cut to ``MAX_RESPONSE_LENGTH`` characters;
        None if blank."""
        for value in values:
            if isinstance(value, str):
                text = value.strip()[:MAX_RESPONSE_LENGTH].strip()
                return text or None
        return None

    def problem(self, data: dict, response: Response) -> NumberNotationError | None:
        """For a question that expects a number: the :class:`NumberNotationError` of a
        response that looks like a number but is not one in the Indonesian notation
        (``"3.5"``), else None."""
        if not isinstance(response, str) or not self._numbers(data):
            return None
        if not looks_like_number(response):
            return None
        try:
            parse_number(response)
        except NumberNotationError as exc:
            return exc
        return None

    def _is_correct(self, data: dict, response: Response) -> bool:
        if isinstance(response, list):
            response = response[0] if response else None
        if not isinstance(response, str) or not response.strip():
            return False
        given = normalise_text(response)
        given_number = read_number(response)
        tolerance = (data or {}).get("tolerance")
        try:
            tolerance = abs(to_decimal(tolerance)) if tolerance is not None else Decimal(0)
        except TypeError:
            tolerance = Decimal(0)
        for answer in (data or {}).get("answers") or []:
            if normalise_text(answer) == given:
                return True
            expected = read_number(answer)
            if expected is not None and given_number is not None:
                if abs(given_number - expected) <= tolerance:
                    return True
        return False

    def grade(self, data: dict, response: Response) -> float:
        """1.0 when the response matches an accepted answer, else 0.0."""
        return 1.0 if self._is_correct(data, response) else 0.0

    def feedback(self, data: dict, response: Response) -> dict:
        """``{"correct": bool, "accepted": [answers as written in the file]}``."""
        return {
            "correct": self._is_correct(data, response),
            "accepted": list((data or {}).get("answers") or []),
        }


QUESTION_TYPES: dict[str, QuestionType] = {
    t.key: t for t in (SingleChoice(), MultipleChoice(), ShortAnswer())
}


def get_type(key: str) -> QuestionType:
    """The registered question type for ``key``.

    Raises:
        KeyError: ``key`` is not a registered type.
    """
    return QUESTION_TYPES[key]


def public_data_for(question: Any) -> dict:
    """Shortcut: ``get_type(question.qtype).public_data(question.data)``."""
    return get_type(question.qtype).public_data(question.data)
