"""Front matter of course files: split, parse (PyYAML, with line numbers) and validate.

Every problem becomes a :class:`ContentError` carrying the file path and the 1-based line
in that file, so ``flask content check`` can print ``path:line: message`` for an editor
to jump to. The accepted keys of each kind of file are in ``COURSE_FIELDS``,
``MODULE_FIELDS`` and ``QUIZ_FIELDS`` (see docs/content-format.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

import yaml

from portal.courses.keys import KEY_PATTERN
from portal.courses.models import CompetencyType, DeliveryMode
from portal.errors import DomainError
from portal.quizzes.models import Grading, QuizKind


class ContentError(DomainError):
    """A mistake in a content file. ``str(error)`` is ``"path:line: message"``, or
    ``"path: message"`` when the mistake is the file itself (a symbolic link) and has no line.
    Its ``code`` is ``content``; ``params`` holds ``path`` and ``line``.

    Attributes:
        path: the file, as given to the loader (relative paths stay relative).
        line: 1-based line in that file, or None.
        message: what is wrong, in plain words.
    """

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = None if line is None else int(line)
        self.message = message
        super().__init__("content", str(self), params={"path": self.path, "line": self.line})

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"

    def __repr__(self) -> str:
        return f"ContentError({self.path!r}, {self.line}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContentError) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


@dataclass
class Document:
    """A content file split into front matter and Markdown body.

    ``meta`` holds the validated values (defaults filled in); ``lines`` maps each key that
    was written to its 1-based line; ``body`` is the Markdown after the closing ``---``;
    ``body_line`` is the file line of the body's first line.
    """

    path: Path
    meta: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    front_matter_end: int = 1


# --- field validators ---------------------------------------------------------------------
# Each takes the YAML value and returns (value, None) or (None, "error message").

Check = Callable[[Any], "tuple[Any, str | None]"]


def text(value: Any) -> tuple[Any, str | None]:
    """Non-empty text; numbers are accepted as their text (``code: 2024``)."""
    if isinstance(value, bool) or value is None:
        return None, "must be text"
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None, "must be non-empty text"
    return value.strip(), None


def printed_text(value: Any) -> tuple[Any, str | None]:
    """Non-empty text that certificates print (course title, code, partner): as
    :func:`text`, normalized (:func:`portal.printable.normalize_printed`) and refused when it
    has a character the certificate cannot print, named by code point and Unicode name."""
    from portal.printable import character_name, normalize_printed, unprintable_characters

    value, error = text(value)
    if error:
        return None, error
    value = normalize_printed(value)
    chars = unprintable_characters(value)
    if chars:
        return None, ("has a character a certificate cannot print: "
                      + "; ".join(character_name(ch) for ch in chars))
    return value, None


def whole(minimum: int, maximum: int | None = None) -> Check:
    """A check for a whole number in [minimum, maximum] (no upper bound when ``maximum`` is
    None); ``3.0`` counts as 3, ``true``/``false`` are refused."""

    def check(value: Any) -> tuple[Any, str | None]:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            span = f"{minimum}–{maximum}" if maximum is not None else f"≥ {minimum}"
            return None, f"must be a whole number ({span})"
        if value < minimum:
            return None, f"must be a whole number ≥ {minimum}"
        if maximum is not None and value > maximum:
            return None, f"must be a whole number from {minimum} to {maximum}"
        return value, None

    return check


def one_of(*choices: str) -> Check:
    """One of the given words."""

    def check(value: Any) -> tuple[Any, str | None]:
        if isinstance(value, str) and value.strip() in choices:
            return value.strip(), None
        return None, "must be one of: " + " | ".join(choices)

    return check


def boolean(value: Any) -> tuple[Any, str | None]:
    """``true`` or ``false``."""
    if isinstance(value, bool):
        return value, None
    return None, "must be true or false"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(value: Any) -> tuple[Any, str | None]:
    """A calendar date written ``YYYY-MM-DD`` (``reviewed: 2026-11-30``); YAML reads it
    as a date, and the same text in quotes is accepted. A date with a time is refused."""
    if isinstance(value, datetime):
        return None, "must be a date without a time, e.g. 2026-11-30"
    if isinstance(value, date):
        return value, None
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()), None
        except ValueError:
            pass
    return None, "must be a date written as YYYY-MM-DD, e.g. 2026-11-30"


def review_policy(value: Any) -> tuple[Any, str | None]:
    """A quiz's review policy: moments mapped to what the review shows (see
    :func:`portal.quizzes.review.parse_policy`)."""
    from portal.quizzes.review import parse_policy  # the quizzes package imports its views

    return parse_policy(value)


COMPETENCY_CODE = re.compile(r"^[A-Z]{1,4}(\.[0-9]{1,3})+$")


def competency_codes(value: Any) -> tuple[Any, str | None]:
    """A non-empty list of catalogue codes such as ``M.05`` (letters, a dot, digits;
    PermenPANRB 38/2017). A single code is taken as a one-item list; repeats are dropped."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        return None, 'must be a list of competency codes, e.g. [M.05, M.03]'
    codes = []
    for item in value:
        if not isinstance(item, str) or not COMPETENCY_CODE.match(item.strip()):
            return None, (f'has "{item}", which is not a competency code '
                          '(letters, a dot and digits, e.g. M.05)')
        if item.strip() not in codes:
            codes.append(item.strip())
    return codes, None


@dataclass(frozen=True)
class Field:
    """One front-matter key: ``required``, its check, and the default used when an
    optional key is absent or empty (YAML null)."""

    check: Check
    required: bool = True
    default: Any = None


COURSE_FIELDS: dict[str, Field] = {
    "title": Field(printed_text),
    "code": Field(printed_text),
    "jp": Field(whole(1)),
    "competency_type": Field(one_of(*CompetencyType)),
    "competencies": Field(competency_codes),
    # The level (1-5, PermenPANRB 38/2017) the course aims its competencies at; optional.
    "target_level": Field(whole(1, 5), required=False),
    "mode": Field(one_of(*DeliveryMode)),
    "partner": Field(printed_text, required=False),
    "pass_mark": Field(whole(0, 100)),
    "summary": Field(text),
    "reviewed": Field(iso_date, required=False),
}

def module_key(value: Any) -> tuple[Any, str | None]:
    """A module's stable key (:mod:`portal.courses.keys`): 3..32 letters, digits, - or _."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not KEY_PATTERN.match(value.strip()):
        return None, ("must be a key of 3 to 32 letters, digits, - or _ "
                      "(flask content check --fix writes one)")
    return value.strip(), None


MODULE_FIELDS: dict[str, Field] = {
    "title": Field(text),
    "minutes": Field(whole(1)),
    "reviewed": Field(iso_date, required=False),
    # Minimum study time in minutes before the module can be marked done, counted from its
    # first opening (portal/progress/study_time.py); at most ``minutes``; 0: none.
    "min_minutes": Field(whole(0), required=False),
    # The module's stable key (portal/courses/keys.py), written by flask content check --fix.
    "id": Field(module_key, required=False),
}

QUIZ_FIELDS: dict[str, Field] = {
    "kind": Field(one_of(*QuizKind)),
    "title": Field(text),
    "time_limit": Field(whole(1), required=False),
    "attempts": Field(whole(0), required=False, default=0),
    "grading": Field(one_of(*Grading), required=False,
                     default=Grading.HIGHEST.value),
    "shuffle": Field(boolean, required=False, default=False),
    "shuffle_options": Field(boolean, required=False, default=True),
    "draw": Field(whole(1), required=False),
    "review": Field(review_policy, required=False),
}


# --- reading ------------------------------------------------------------------------------

_FENCE = re.compile(r"^---[ \t]*$")


def _yaml_error_line(exc: yaml.YAMLError, first_line: int) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return first_line + (mark.line if mark is not None else 0)


def read_document(path: Path, fields: dict[str, Field], display: Path | str | None = None,
                  ) -> tuple[Document, list[ContentError]]:
    """Read ``path`` and validate its front matter against ``fields``.

    Args:
        path: the file to read (UTF-8).
        fields: the accepted keys (``COURSE_FIELDS``, ``MODULE_FIELDS`` or ``QUIZ_FIELDS``).
        display: the path to print in errors (defaults to ``path``).

    Returns:
        The document (values that failed their check are left out of ``meta``) and the
        list of errors: missing or unclosed front matter, malformed YAML, unknown,
        duplicate or missing keys, wrong types. An empty list means the file is valid.
    """
    shown = display if display is not None else path
    doc = Document(path=path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return doc, [ContentError(shown, line, "the file is not UTF-8 text")]
    except OSError as exc:
        return doc, [ContentError(shown, 1, f"cannot read the file ({exc.strerror})")]
    return parse_document(raw, fields, shown, doc)


def parse_document(raw: str, fields: dict[str, Field], shown: Path | str,
                   doc: Document | None = None) -> tuple[Document, list[ContentError]]:
    """Like :func:`read_document` for text already read (``shown`` is the path to print)."""
    doc = doc or Document(path=Path(str(shown)))
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return doc, [ContentError(shown, 1, "the file must start with front matter: a line "
                                            "with ---, the settings, then another ---")]
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        return doc, [ContentError(shown, 1, "the front matter is not closed by a --- line")]
    doc.front_matter_end = end + 1
    doc.body = "\n".join(lines[end + 1:])
    doc.body_line = end + 2
    errors: list[ContentError] = []
    yaml_text = "\n".join(lines[1:end])
    first = 2  # file line of the first YAML line

    try:
        loader = yaml.SafeLoader(yaml_text)
        try:
            root = loader.get_single_node()
            if root is None:
                mapping: list = []
            elif not isinstance(root, yaml.MappingNode):
                return doc, [ContentError(shown, first + root.start_mark.line,
                                          "the front matter must be a list of key: value "
                                          "lines")]
            else:
                mapping = root.value
            values: dict[str, Any] = {}
            broken: set[str] = set()
            for key_node, value_node in mapping:
                line = first + key_node.start_mark.line
                if not isinstance(key_node, yaml.ScalarNode):
                    errors.append(ContentError(shown, line, "a key must be a plain word"))
                    continue
                key = str(key_node.value)
                if key not in fields:
                    errors.append(ContentError(
                        shown, line, f'unknown key "{key}" (allowed: {", ".join(fields)})'))
                    continue
                if key in doc.lines:
                    errors.append(ContentError(shown, line, f'key "{key}" is given twice'))
                    continue
                doc.lines[key] = line
                try:
                    values[key] = loader.construct_object(value_node, deep=True)
                except ValueError as exc:  # e.g. a date that does not exist: 2026-02-30
                    errors.append(ContentError(shown, line,
                                               f'"{key}" is not a valid value ({exc})'))
                    broken.add(key)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = _yaml_error_line(exc, first)
        context = getattr(exc, "context_mark", None)
        if context is not None and first + context.line != line:
            problem += f" (in the value that starts on line {first + context.line})"
        if "mapping values are not allowed" in problem:
            problem += '; put text that contains ": " in quotes'
        return doc, [ContentError(shown, line, f"the front matter is not valid YAML: {problem}")]

    for key, spec in fields.items():
        if key in broken:
            continue
        if key not in doc.lines:
            if spec.required:
                errors.append(ContentError(shown, 1, f'missing required key "{key}"'))
            else:
                doc.meta[key] = spec.default
            continue
        value = values[key]
        if value is None and not spec.required:
            doc.meta[key] = spec.default
            continue
        checked, problem = spec.check(value)
        if problem:
            errors.append(ContentError(shown, doc.lines[key], f'"{key}" {problem}'))
        else:
            doc.meta[key] = checked
    errors.sort(key=lambda e: e.line)
    return doc, errors
