"""Warnings about a course's currency and fairness, for ``flask content check``.

Two checks, both pure functions of what the loader read (no database, no app):

- **Stale regulations.** Course material that names regulations (UU, PP, Perpres,
  Permen..., Peraturan LAN/LKPP/BKN, Perda ...) goes out of date when those texts are
  amended or revoked. A ``reviewed: YYYY-MM-DD`` front-matter date says when an editor last
  checked them against the official texts; :func:`stale_review_warnings` warns when the
  files a date vouches for name regulations and that date is missing, after today, or
  more than a year before today.
- **Pre-test and post-test overlap.** A question that appears in both quizzes lets the
  pre-test review give away a post-test answer and inflates the measured gain (Hake's
  normalized gain assumes parallel, not identical, tests). :func:`shared_question_warnings`
  finds questions with the same normalised prompt.

Warnings never stop an import; they are printed as ``path:line: warning: message``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "Citation", "ContentWarning", "ReviewScope", "find_citations", "normalise_prompt",
    "review_due", "shared_question_warnings", "stale_review_warnings",
]


@dataclass(frozen=True)
class ContentWarning:
    """Something in a content file an editor should look at; not an error.

    ``str(warning)`` is ``"path:line: warning: message"`` (``line`` is 1-based).
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: warning: {self.message}"


@dataclass(frozen=True)
class Citation:
    """A regulation named in a content file: ``text`` as written (e.g. ``"Perpres
    95/2018"``, whitespace collapsed) at 1-based ``line`` of ``path``."""

    text: str
    path: str
    line: int


@dataclass
class ReviewScope:
    """The files one ``reviewed`` date vouches for.

    ``path``/``line``: where that date is written (or, when it is missing, where it
    belongs: line 1 of the file); ``reviewed``: the date, or None; ``citations``: the
    regulations named in the files it covers, in reading order.
    """

    path: str
    line: int
    reviewed: date | None
    citations: list[Citation] = field(default_factory=list)


# --- finding regulation names ---------------------------------------------------------------

# Kinds of Indonesian regulation as they are cited in running text (UU 12/2011 Pasal 7-8
# lists the hierarchy; ministries and agencies abbreviate their own, e.g. PermenPANRB,
# Permendagri, Perka BKN). A kind is followed by "N/YYYY" or "Nomor N Tahun YYYY".
_NAME_WORD = r"(?:\s+(?:[A-Z][\w&-]*|dan|dan/atau))"
_KIND = (
    r"(?:UU|Undang-Undang|Perppu|PP|Perpres|Keppres|Inpres|Perda|Pergub|Perbup|Perwal"
    r"|Permen[A-Za-z]*|Kepmen[A-Za-z]*|Perka" + _NAME_WORD + r"{1,3}"
    r"|Peraturan\s+(?:Pemerintah|Presiden|Daerah|Gubernur|Bupati|Wali\s*Kota|Walikota)"
    r"|(?:Peraturan|Keputusan|Instruksi)\s+(?:Menteri|Presiden)" + _NAME_WORD + r"{0,12}"
    r"|Peraturan\s+(?:LAN|LKPP|BKN|BPS|BSSN|BPKP|BPOM|Lembaga|Badan|Kepala)"
    + _NAME_WORD + r"{0,12}"
    r"|(?:SE|Surat\s+Edaran)" + _NAME_WORD + r"{1,12})"
)
_NUMBER = r"(?:\s+(?:Nomor|No\.)\s*|\s+)\d{1,4}[A-Z]?(?:\s*/\s*|\s+Tahun\s+)(?:19|20)\d{2}(?!\d)"
REGULATION = re.compile(r"(?<![\w-])" + _KIND + _NUMBER)


def find_citations(text: str, path: str, first_line: int = 1) -> list[Citation]:
    """The regulations named in ``text``, whose first line is line ``first_line`` of
    ``path``.

    A citation is a kind of regulation followed by its number and year: ``PP 5/2021``,
    ``Perpres 16/2018``, ``UU Nomor 27 Tahun 2022``, ``Peraturan LKPP 12/2021``,
    ``PermenPANRB 59/2020``, ``Perka BKN 22/2007``. A name without a number and year
    (``UU PDP``) is not counted. A citation broken across lines is reported at its
    first line.

    Returns:
        The citations in reading order (each occurrence, not each distinct regulation).
    """
    found = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    index = 0
    for match in REGULATION.finditer(text):
        while index + 1 < len(line_starts) and line_starts[index + 1] <= match.start():
            index += 1
        found.append(Citation(" ".join(match.group(0).split()), path, first_line + index))
    return found


# --- stale reviews --------------------------------------------------------------------------

def review_due(reviewed: date) -> date:
    """The day a review made on ``reviewed`` falls due again: the same date one year
    later (a review of 29 February falls due on 28 February)."""
    try:
        return reviewed.replace(year=reviewed.year + 1)
    except ValueError:
        return reviewed.replace(year=reviewed.year + 1, day=28)


def stale_review_warnings(scopes: list[ReviewScope], today: date) -> list[ContentWarning]:
    """A warning for each scope that names regulations and whose ``reviewed`` date is
    missing, later than ``today``, or more than a year before ``today`` (that is,
    ``today`` is after :func:`review_due`).

    Args:
        scopes: from the loader; a scope without citations never warns.
        today: the calendar day in the portal's zone (``portal.timeutil.today_local()``).

    Returns:
        Warnings at each scope's ``path:line`` (the line of its ``reviewed`` key).
    """
    warnings = []
    for scope in scopes:
        if not scope.citations:
            continue
        first = scope.citations[0]
        count = len(scope.citations)
        named = (f'names regulations ({count} mention{"s" if count != 1 else ""}, first '
                 f'"{first.text}" at {first.path}:{first.line})')
        if scope.reviewed is None:
            message = (f'{named} but has no "reviewed" date: check them against the '
                       'official texts, then add reviewed: YYYY-MM-DD')
        elif scope.reviewed > today:
            message = (f'"reviewed" is {scope.reviewed.isoformat()}, after today '
                       f'({today.isoformat()}): write the day the texts were checked')
        elif today > review_due(scope.reviewed):
            message = (f'reviewed {scope.reviewed.isoformat()}, more than a year before '
                       f'today ({today.isoformat()}), and {named}: check them against the '
                       'official texts, then update "reviewed"')
        else:
            continue
        warnings.append(ContentWarning(scope.path, scope.line, message))
    return warnings


# --- pre-test and post-test overlap ---------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_TRAILING = ".?!:;…"


def normalise_prompt(prompt_html: str) -> str:
    """The text of a question's prompt for comparison: tags dropped, entities decoded,
    Unicode NFKC, case folded, runs of whitespace made one space, final punctuation
    (``. ? ! : ; …``) and surrounding spaces removed."""
    text = html.unescape(_TAG.sub(" ", prompt_html))
    text = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return text.rstrip(_TRAILING + " ")


def shared_question_warnings(pretest: list[tuple[int, str]], pretest_path: str,
                             posttest: list[tuple[int, str]], posttest_path: str,
                             ) -> list[ContentWarning]:
    """A warning for each post-test question whose normalised prompt (see
    :func:`normalise_prompt`) is also a pre-test question's.

    Args:
        pretest, posttest: ``(line, prompt_html)`` of each question, ``line`` being its
            ``##`` line in the file.
        pretest_path, posttest_path: the files, as printed.

    Returns:
        Warnings at the post-test question's ``path:line``, naming the pre-test's.
    """
    seen: dict[str, int] = {}
    for line, prompt in pretest:
        seen.setdefault(normalise_prompt(prompt), line)
    warnings = []
    for line, prompt in posttest:
        key = normalise_prompt(prompt)
        if key and key in seen:
            warnings.append(ContentWarning(
                posttest_path, line,
                f"the same question is in the pre-test ({pretest_path}:{seen[key]}); "
                "learners who read the pre-test review know this answer: ask for the "
                "same competency with a different question"))
    return warnings
