"""Questions written in LiaScript quiz notation (see docs/content-format.md).

```
## Question text (Markdown), optionally followed by more paragraphs
<!-- id: k3f9a2; poin: 2; tag: regulasi -->
[( )] wrong option            single choice: exactly one [(X)]
[(X)] right option
[[ ]] / [[X]] option          multiple choice: at least one [[X]]
[[answer]]                    typed answer (one line; more answers in "terima")
> Explanation shown after submission.
```

:func:`parse_questions` turns the body of a quiz file into :class:`QuestionSpec` objects
whose ``data`` has the shape of :mod:`portal.quizzes.types`, and reports every mistake as a
:class:`~portal.courses.frontmatter.ContentError` with the file line.

``id`` in the settings comment is the question's stable key (:mod:`portal.courses.keys`):
the question's identity in its quiz, whatever its position. A question without one gets
one from ``flask content check --fix`` or on its first import; a key used twice is an
error. Each question keeps its Markdown source beside the rendered HTML (prompt,
options, explanation).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from portal.courses.frontmatter import ContentError
from portal.courses.keys import KEY_PATTERN
from portal.markdown import collect_urls, render_inline, render_markdown
from portal.numbers import NumberNotationError, parse_number

#: Keys of the per-question settings comment ``<!-- key: value; ... -->``.
SETTING_KEYS = ("poin", "terima", "toleransi", "tag", "id")

_QUESTION = re.compile(r"^##(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SINGLE = re.compile(r"^\[\(([ xX])\)\](.*)$")
_MULTIPLE = re.compile(r"^\[\[([ xX])\]\](.*)$")
_SHORT = re.compile(r"^\[\[(.*?)\]\](.*)$")
_COMMENT = re.compile(r"^<!--(.*?)-->$")
_FENCE = re.compile(r"^(```+|~~~+)")

KIND_NAMES = {"single": "[( )] single choice", "multiple": "[[ ]] multiple choice",
              "short": "[[answer]] typed answer"}


@dataclass
class QuestionSpec:
    """One question ready for the database (a question version, see
    :class:`portal.quizzes.models.QuestionVersion`).

    ``key`` is its stable key (``id`` in the settings comment; None when the file has none
    yet); ``qtype`` is a key of ``portal.quizzes.types.QUESTION_TYPES``; ``data`` holds
    options or accepted answers (the answer key); options carry ``md`` (their Markdown
    source) beside ``html``, and ids ``o1``, ``o2``, ... in file order, which the importer
    replaces with random per-version ids; ``points`` is the maximum mark (default 1);
    ``prompt_md``/``explanation_md`` the Markdown source of the prompt (heading line and
    the text under it) and of the explanation; ``line`` is the file line of its ``##``
    heading.
    """

    qtype: str
    prompt_html: str
    explanation_html: str
    data: dict
    points: float = 1.0
    tags: list[str] = field(default_factory=list)
    line: int = 0
    key: str | None = None
    prompt_md: str = ""
    explanation_md: str = ""


@dataclass
class LinkUse:
    """A URL written in a question, with its 1-based file line (for asset checks)."""

    url: str
    line: int


@dataclass
class _Answer:
    kind: str
    mark: str
    text: str
    line: int
    rest: str = ""


@dataclass
class _Draft:
    line: int
    heading: str
    prompt: list[tuple[int, str]] = field(default_factory=list)
    answers: list[_Answer] = field(default_factory=list)
    explanation: list[tuple[int, str]] = field(default_factory=list)
    settings: dict[str, tuple[int, str]] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    key: str | None = None
    key_line: int = 0


#: How the Indonesian number notation is explained in errors.
NOTATION = "a comma is the decimal mark and a dot groups thousands: 3,5 and 1.000"


def _number(raw: str) -> tuple[float | None, str | None]:
    """``(value, None)`` for a number in the Indonesian notation, ``(None, None)`` for text
    that is not number-like, ``(None, why)`` for a number-like text the notation refuses."""
    try:
        value = parse_number(raw.strip())
    except NumberNotationError as exc:
        hint = f"; write {exc.suggestion}" if exc.suggestion else ""
        return None, f'"{exc.text}" is not a number as Indonesian writes it ({NOTATION}){hint}'
    return (float(value) if value is not None else None), None


class _Parser:
    """Parses the body of one quiz file in two passes; collects errors, never raises.

    Pass 1 (:meth:`split`) cuts the lines into question drafts; pass 2 (:meth:`build`)
    checks each draft and turns it into a :class:`QuestionSpec`. ``errors`` collects every
    :class:`ContentError` (path ``path``, 1-based file lines); ``links`` every URL written
    (for the caller's asset checks); ``asset_base`` and ``link_map`` are passed to the
    Markdown renderer. :func:`parse_questions` appends the built questions to
    ``questions``.
    """

    def __init__(self, path: Path | str, asset_base: str | None,
                 link_map: Mapping[str, str] | None) -> None:
        self.path = path
        self.asset_base = asset_base
        self.link_map = link_map
        self.errors: list[ContentError] = []
        self.links: list[LinkUse] = []
        self.questions: list[QuestionSpec] = []

    def error(self, line: int, message: str) -> None:
        """Record a mistake at 1-based file ``line``."""
        self.errors.append(ContentError(self.path, line, message))

    # -- pass 1: split lines into questions ---------------------------------------------

    def split(self, body: str, first_line: int) -> list[_Draft]:
        """Pass 1: cut ``body`` (whose first line is file line ``first_line``) into drafts.

        Line rules: a ``##`` heading at the start of a line opens a question (its text is
        the question); before the first one only blank lines and a ``# Title`` are
        allowed. Within a question, text before the first answer line is the prompt;
        ``[( )]``/``[(X)]``, ``[[ ]]``/``[[X]]`` and ``[[answer]]`` lines are answers;
        after the answers only ``>`` explanation lines (and their lazy continuation
        lines) may follow; a one-line ``<!-- key: value; ... -->`` comment holds the
        settings (:data:`SETTING_KEYS`). Lines inside a fenced code block in the prompt are
        prompt text. LiaScript hints ``[[?]]`` and multi-line comments are errors.

        Returns:
            Every draft in file order; the errors found here are recorded in ``errors``
            but do not drop a draft.
        """
        drafts: list[_Draft] = []
        current: _Draft | None = None
        fence: str | None = None
        for offset, raw in enumerate(body.split("\n")):
            line = first_line + offset
            stripped = raw.strip()
            if fence is not None:
                if stripped.startswith(fence):
                    fence = None
                if current is not None:
                    self._add_text(current, line, raw)
                continue
            if current is None or not current.answers:
                opened = _FENCE.match(stripped)
                if opened:
                    fence = opened.group(1)
            match = _QUESTION.match(stripped) if not raw.startswith((" ", "\t")) else None
            if match:
                current = _Draft(line=line, heading=(match.group(1) or "").strip())
                drafts.append(current)
                continue
            if current is None:
                self._before_first(line, stripped)
                continue
            if not stripped:
                self._add_text(current, line, raw, blank=True)
                continue
            comment = _COMMENT.match(stripped)
            if comment:
                self._settings(current, line, comment.group(1))
                continue
            if stripped.startswith("<!--"):
                self.error(line, "a settings comment must open with <!-- and close with --> "
                                 "on the same line")
                continue
            if stripped.startswith("[[?]]"):
                self.error(line, "LiaScript hints [[?]] are not supported; put the help in the "
                                 "question text or in the explanation (> ...)")
                continue
            answer = self._answer(line, stripped)
            if answer is not None:
                if current.explanation:
                    self.error(line, "answer lines must come before the explanation (> ...)")
                current.answers.append(answer)
                continue
            self._add_text(current, line, raw)
        return drafts

    def _before_first(self, line: int, stripped: str) -> None:
        if not stripped or (stripped.startswith("# ") and not stripped.startswith("##")):
            return  # blank lines and a "# Title" line are allowed before the questions
        if _SINGLE.match(stripped) or _SHORT.match(stripped):
            self.error(line, "an answer line comes before any question; start each question "
                             "with a line beginning with ## ")
        elif _COMMENT.match(stripped):
            self.error(line, "a settings comment comes before any question; put it under "
                             "the question's ## line")
        else:
            self.error(line, "text before the first question; start each question with a "
                             "line beginning with ## ")

    def _add_text(self, draft: _Draft, line: int, raw: str, blank: bool = False) -> None:
        if not draft.answers:
            draft.prompt.append((line, raw))
            return
        stripped = raw.strip()
        if blank:
            if draft.explanation:
                draft.explanation.append((line, ""))
            return
        if stripped.startswith(">"):
            content = stripped[1:]
            draft.explanation.append((line, content[1:] if content.startswith(" ") else content))
        elif draft.explanation and draft.explanation[-1][1] != "":
            # A lazy continuation line of the explanation's paragraph.
            draft.explanation.append((line, raw))
        else:
            self.error(line, "text after the answers must be an explanation starting with > "
                             "(or start a new question with ## )")

    def _answer(self, line: int, stripped: str) -> _Answer | None:
        single = _SINGLE.match(stripped)
        if single:
            return _Answer("single", single.group(1), single.group(2).strip(), line)
        multiple = _MULTIPLE.match(stripped)
        if multiple:
            return _Answer("multiple", multiple.group(1), multiple.group(2).strip(), line)
        short = _SHORT.match(stripped)
        if short:
            return _Answer("short", "", short.group(1), line, short.group(2).strip())
        return None

    def _settings(self, draft: _Draft, line: int, content: str) -> None:
        for part in content.split(";"):
            if not part.strip():
                continue
            if ":" not in part:
                self.error(line, f'"{part.strip()}" is not a setting; write key: value '
                                 f'({", ".join(SETTING_KEYS)})')
                continue
            key, value = (s.strip() for s in part.split(":", 1))
            key = key.lower()
            if key not in SETTING_KEYS:
                self.error(line, f'unknown question setting "{key}" (allowed: '
                                 f'{", ".join(SETTING_KEYS)})')
                continue
            if key == "tag":
                for tag in (t.strip() for t in value.split("|")):
                    if tag and tag not in draft.tags:
                        draft.tags.append(tag)
                continue
            if key in draft.settings:
                self.error(line, f'"{key}" is given twice for this question')
                continue
            if key == "id":
                if not KEY_PATTERN.match(value):
                    self.error(line, f'"id: {value}" is not a key: use 3 to 32 letters, '
                                     'digits, - or _ (flask content check --fix writes one)')
                    continue
                draft.key, draft.key_line = value, line
            draft.settings[key] = (line, value)

    # -- pass 2: build questions -------------------------------------------------------

    def build(self, draft: _Draft) -> QuestionSpec | None:
        """Pass 2: check one draft and build its :class:`QuestionSpec`.

        Rules: the heading is not empty; there are answer lines, all of one kind; a choice
        question has at least two options, each with text, and exactly one ``[(X)]``
        (single) or at least one ``[[X]]`` (multiple), and no ``terima``/``toleransi``;
        a typed answer has one ``[[answer]]`` line with nothing after it and no ``|``,
        further accepted answers in ``terima: a | b``, and ``toleransi`` (a number ≥ 0,
        in the answer's own unit) only with a numeric answer; ``poin`` is a number > 0
        (default 1). Numbers are written the Indonesian way (:mod:`portal.numbers`:
        ``3,5``, ``1.000``); a number-like text in another notation (``3.5``) is an error
        that shows the Indonesian writing.

        Returns:
            The question (``data`` shaped as in :mod:`portal.quizzes.types`), or None
            when the draft has an error (recorded in ``errors``).
        """
        before = len(self.errors)
        if not draft.heading:
            self.error(draft.line, "the question text is empty: write it after ## ")
        if not draft.answers:
            self.error(draft.line, "the question has no answer lines: add [( )] / [(X)], "
                                   "[[ ]] / [[X]] options or a [[answer]] line")
            return None
        kinds = {a.kind for a in draft.answers}
        if len(kinds) > 1:
            first = draft.answers[0].kind
            odd = next(a for a in draft.answers if a.kind != first)
            self.error(odd.line, f"a question mixes answer kinds: {KIND_NAMES[first]} and "
                                 f"{KIND_NAMES[odd.kind]}")
            return None
        kind = draft.answers[0].kind
        points = self._points(draft)
        data = (self._short(draft) if kind == "short" else self._choices(draft, kind))
        if len(self.errors) > before or data is None:
            return None
        return QuestionSpec(
            qtype=kind,
            prompt_html=self._prompt(draft),
            explanation_html=self._markdown(draft.explanation),
            data=data,
            points=points,
            tags=list(draft.tags),
            line=draft.line,
            key=draft.key,
            prompt_md=self._source([(draft.line, draft.heading)] + draft.prompt),
            explanation_md=self._source(draft.explanation),
        )

    def _points(self, draft: _Draft) -> float:
        if "poin" not in draft.settings:
            return 1.0
        line, raw = draft.settings["poin"]
        value, why = _number(raw)
        if why:
            self.error(line, f'"poin": {why}')
            return 1.0
        if value is None or value <= 0:
            self.error(line, f'"poin" must be a number greater than 0, got "{raw}"')
            return 1.0
        return value

    def _choices(self, draft: _Draft, kind: str) -> dict | None:
        for key in ("terima", "toleransi"):
            if key in draft.settings:
                self.error(draft.settings[key][0],
                           f'"{key}" is only for typed answers ([[answer]])')
        options = []
        box = "[( )]" if kind == "single" else "[[ ]]"
        for n, answer in enumerate(draft.answers, start=1):
            if not answer.text:
                self.error(answer.line, f"the option has no text after {box}")
            self._link_uses(answer.text, answer.line)
            options.append({"id": f"o{n}", "md": answer.text,
                            "html": render_inline(answer.text, self.asset_base, self.link_map),
                            "correct": answer.mark in ("x", "X")})
        marked = [a for a in draft.answers if a.mark != " "]
        if len(options) < 2:
            self.error(draft.line, "a choice question needs at least two options")
        if kind == "single":
            if not marked:
                self.error(draft.line, "a single-choice question needs exactly one [(X)] "
                                       "option; none is marked")
            elif len(marked) > 1:
                self.error(marked[1].line, "a single-choice question needs exactly one [(X)] "
                                           "option; use [[X]] for several right answers")
        elif not marked:
            self.error(draft.line, "a multiple-choice question needs at least one [[X]] "
                                   "option")
        return {"options": options}

    def _short(self, draft: _Draft) -> dict | None:
        if len(draft.answers) > 1:
            self.error(draft.answers[1].line, "a typed-answer question has one [[answer]] "
                                              "line; put other accepted answers in "
                                              "<!-- terima: a | b -->")
            return None
        answer = draft.answers[0]
        if answer.rest:
            self.error(answer.line, "nothing may follow [[answer]] on its line")
            return None
        if "|" in answer.text:
            self.error(answer.line, "[[a | b]] is a drop-down list in LiaScript; write one "
                                    "answer in [[...]] and the others in <!-- terima: a | b -->")
            return None
        main = answer.text.strip()
        if not main:
            self.error(answer.line, "the typed answer in [[...]] is empty")
            return None
        _value, why = _number(main)
        if why:
            self.error(answer.line, f"[[{main}]]: {why}")
            return None
        answers = [main]
        if "terima" in draft.settings:
            line, raw = draft.settings["terima"]
            for extra in raw.split("|"):
                extra = extra.strip()
                _value, why = _number(extra)
                if why:
                    self.error(line, f'"terima": {why}')
                    return None
                if extra and extra not in answers:
                    answers.append(extra)
        tolerance = None
        if "toleransi" in draft.settings:
            line, raw = draft.settings["toleransi"]
            tolerance, why = _number(raw)
            if why:
                self.error(line, f'"toleransi": {why}')
                return None
            if tolerance is None or tolerance < 0:
                self.error(line, f'"toleransi" must be a number of 0 or more, got "{raw}"')
                return None
            if not any(_number(a)[0] is not None for a in answers):
                self.error(line, '"toleransi" needs a numeric answer, e.g. [[3,5]]')
                return None
        return {"answers": answers, "tolerance": tolerance}

    def _prompt(self, draft: _Draft) -> str:
        self._link_uses(draft.heading, draft.line)
        heading = render_inline(draft.heading, self.asset_base, self.link_map)
        rest = self._markdown(draft.prompt)
        return f"<p>{heading}</p>\n{rest}" if rest else heading

    @staticmethod
    def _source(numbered: list[tuple[int, str]]) -> str:
        """The Markdown source of numbered lines, outer blank lines dropped."""
        lines = [raw for _, raw in numbered]
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        return "\n".join(lines)

    def _markdown(self, numbered: list[tuple[int, str]]) -> str:
        while numbered and not numbered[-1][1].strip():
            numbered = numbered[:-1]
        while numbered and not numbered[0][1].strip():
            numbered = numbered[1:]
        if not numbered:
            return ""
        text = "\n".join(raw for _, raw in numbered)
        self._link_uses(text, numbered[0][0])
        return render_markdown(text, self.asset_base, self.link_map)

    def _link_uses(self, text: str, first_line: int) -> None:
        for ref in collect_urls(text):
            self.links.append(LinkUse(ref.url, first_line + ref.line))


@dataclass
class ParsedQuestions:
    """What :func:`parse_questions` found: the questions that :meth:`_Parser.build` accepted,
    every error, and every URL used (with its file line) for the caller's asset checks.

    A question whose only mistakes were found while splitting the lines (an unknown
    setting, stray text after the answers) is still in ``questions``; a caller rejects the
    whole quiz when ``errors`` is not empty, as the course loader does.
    """

    questions: list[QuestionSpec]
    errors: list[ContentError]
    links: list[LinkUse]


def parse_questions(body: str, path: Path | str, first_line: int = 1,
                    asset_base: str | None = None,
                    links: Mapping[str, str] | None = None) -> ParsedQuestions:
    """Parse the Markdown body of a quiz file.

    Args:
        body: the text after the front matter.
        path: the file path to print in errors.
        first_line: the file line of the body's first line (1-based).
        asset_base: prefix for ``assets/`` URLs, as in :func:`portal.markdown.render_markdown`.
        links: relative file names to rewrite, as in :func:`portal.markdown.render_markdown`.

    Returns:
        ParsedQuestions. Errors (each with its line): text or answers before the first
        question, an empty question, no answer lines, mixed answer kinds, a single choice
        without exactly one ``[(X)]``, a multiple choice without ``[[X]]``, fewer than two
        options, several ``[[answer]]`` lines, an unknown or repeated setting, a bad number
        in ``poin``/``toleransi``, ``terima``/``toleransi`` on a choice question, and no
        question at all.
    """
    parser = _Parser(path, asset_base, links)
    drafts = parser.split(body, first_line)
    seen: dict[str, int] = {}
    for draft in drafts:
        if draft.key is not None:
            if draft.key in seen:
                parser.error(draft.key_line, f'the key "id: {draft.key}" is also used by the '
                                             f'question at line {seen[draft.key]}; keys must '
                                             'be unique (delete this one and run flask content '
                                             'check --fix)')
            seen.setdefault(draft.key, draft.line)
    for draft in drafts:
        spec = parser.build(draft)
        if spec is not None:
            parser.questions.append(spec)
    if not drafts and not parser.errors:
        parser.error(first_line, "the quiz has no questions; start each question with a line "
                                 "beginning with ## ")
    parser.errors.sort(key=lambda e: e.line)
    return ParsedQuestions(parser.questions, parser.errors, parser.links)
