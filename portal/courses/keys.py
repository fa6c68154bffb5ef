"""Stable keys of modules and questions, written in the course files.

A key is a short random id (:data:`KEY_PATTERN`, e.g. ``k3f9a2``) that names a module or a
question for good: reordering, retitling or editing it keeps the key, so learners' attempts
and completions stay attached to what they answered and read.

- A module's key is its front matter's ``id:`` line (``id: m7c2qx``).
- A question's key is the ``id`` setting of its settings comment
  (``<!-- id: k3f9a2; tag: spbe -->``).

Keys are unique within a course (modules and questions together). :func:`add_missing_keys`
writes a fresh key into every module and question that has none, changing nothing else of
the file byte for byte; ``flask content check --fix`` and ``flask content import`` (before
it reads the files) both call it, so a course gets its keys on its first import.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

#: The letters of a generated key: lower-case letters and digits without look-alikes.
KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"

#: Length of a generated key (32^6, about a billion keys: collisions within a course are
#: checked anyway).
KEY_LENGTH = 6

#: What an author may write as a key: 3..32 letters, digits, ``-`` or ``_``.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{3,32}$")

#: A module file: ``NN-name.md``; a practice quiz: ``latihan-name.md`` (see the loader).
MODULE_FILE = re.compile(r"^(\d{1,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
PRACTICE_FILE = re.compile(r"^(?:latihan|practice)-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")

_FENCE = re.compile(r"^---[ \t]*$")
_ID_LINE = re.compile(r"^id[ \t]*:[ \t]*(\S.*?)[ \t]*$")
_QUESTION = re.compile(r"^##(?:[ \t]+.*)?$")
_COMMENT = re.compile(r"^<!--(.*?)-->$")
_ID_SETTING = re.compile(r"(?:^|;)\s*id\s*:\s*([^;]*?)\s*(?:;|$)", re.IGNORECASE)
_CODE_FENCE = re.compile(r"^(```+|~~~+)")


def new_key(taken: set[str], rng: secrets.SystemRandom | None = None) -> str:
    """A fresh key not in ``taken`` (which it is added to)."""
    source = rng or secrets.SystemRandom()
    while True:
        key = "".join(source.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))
        if key not in taken:
            taken.add(key)
            return key


def _lines(text: str) -> list[str]:
    """Lines with their line endings kept, so the file is rebuilt byte for byte."""
    return text.splitlines(keepends=True)


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):] or "\n"


def front_matter_key(text: str) -> str | None:
    """The ``id:`` of a module file's front matter, or None."""
    lines = _lines(text)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        return None
    for line in lines[1:]:
        bare = line.rstrip("\r\n")
        if _FENCE.match(bare):
            return None
        match = _ID_LINE.match(bare)
        if match:
            return match.group(1).strip("'\"")
    return None


def question_keys(text: str) -> list[str | None]:
    """The key of each question of a quiz file, in file order (None: none written)."""
    return [key for key, _line in _question_slots(_lines(text))]


def _question_slots(lines: list[str]) -> list[tuple[str | None, int]]:
    """``(key, index of the line after its heading)`` for each ``##`` question; the key
    is read from the question's settings comment."""
    slots: list[list] = []
    body = 0
    if lines and _FENCE.match(lines[0].rstrip("\r\n")):
        end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i].rstrip("\r\n"))),
                   None)
        body = (end + 1) if end is not None else len(lines)
    fence = None
    for index in range(body, len(lines)):
        raw = lines[index].rstrip("\r\n")
        stripped = raw.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        opened = _CODE_FENCE.match(stripped)
        if opened:
            fence = opened.group(1)
            continue
        if not raw.startswith((" ", "\t")) and _QUESTION.match(stripped):
            slots.append([None, index + 1])
            continue
        comment = _COMMENT.match(stripped)
        if comment and slots and slots[-1][0] is None:
            found = _ID_SETTING.search(comment.group(1))
            if found and found.group(1):
                slots[-1][0] = found.group(1)
    return [(key, index) for key, index in slots]


@dataclass
class FixedFile:
    """A file :func:`add_missing_keys` wrote: its path and how many keys it added."""

    path: Path
    added: int


def _fix_module(text: str, taken: set[str]) -> tuple[str, int]:
    lines = _lines(text)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")) or front_matter_key(text):
        return text, 0
    if not any(_FENCE.match(line.rstrip("\r\n")) for line in lines[1:]):
        return text, 0
    lines.insert(1, f"id: {new_key(taken)}{_ending(lines[0])}")
    return "".join(lines), 1


def _fix_quiz(text: str, taken: set[str]) -> tuple[str, int]:
    lines = _lines(text)
    added = 0
    # From the end, so the indexes of earlier questions stay right.
    for key, index in reversed(_question_slots(lines)):
        if key is not None:
            continue
        ending = _ending(lines[index - 1])
        following = lines[index].rstrip("\r\n").strip() if index < len(lines) else ""
        comment = _COMMENT.match(following)
        if comment:
            inner = comment.group(1).strip()
            lines[index] = (f"<!-- id: {new_key(taken)}; {inner} -->" if inner
                            else f"<!-- id: {new_key(taken)} -->") + _ending(lines[index])
        else:
            lines.insert(index, f"<!-- id: {new_key(taken)} -->{ending}")
        added += 1
    return "".join(lines), added


def course_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """``(module files, quiz files)`` of a course folder, as the loader finds them."""
    modules: list[Path] = []
    quizzes: list[Path] = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith((".", "_")) or path.suffix != ".md" or path.is_symlink() \
                or not path.is_file():
            continue
        if MODULE_FILE.match(name):
            modules.append(path)
        elif name in ("pretest.md", "posttest.md") or PRACTICE_FILE.match(name):
            quizzes.append(path)
    return modules, quizzes


def existing_keys(folder: Path) -> set[str]:
    """Every key already written in the course folder's module and quiz files."""
    modules, quizzes = course_files(folder)
    keys: set[str] = set()
    for path in modules:
        key = front_matter_key(path.read_text(encoding="utf-8-sig"))
        if key:
            keys.add(key)
    for path in quizzes:
        keys.update(k for k in question_keys(path.read_text(encoding="utf-8-sig")) if k)
    return keys


def add_missing_keys(folder: Path) -> list[FixedFile]:
    """Write a fresh key into every module and question of the course ``folder`` that has
    none; every other byte of the files stays as it was. Files that cannot be read as
    UTF-8 are left alone (the loader reports them).

    Returns:
        The files written, with the number of keys each received.
    """
    folder = Path(folder)
    try:
        taken = existing_keys(folder)
    except (OSError, UnicodeDecodeError):
        return []
    fixed: list[FixedFile] = []
    modules, quizzes = course_files(folder)
    for paths, fix in ((modules, _fix_module), (quizzes, _fix_quiz)):
        for path in paths:
            try:
                raw = path.read_bytes()
                bom = raw.startswith(b"\xef\xbb\xbf")
                text = raw.decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            new_text, added = fix(text, taken)
            if added:
                path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8"))
                fixed.append(FixedFile(path, added))
    return fixed
