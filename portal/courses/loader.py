"""Course folders (Markdown files) to plain dataclasses; no database, no app needed.

A course folder (docs/content-format.md) holds ``course.md``, modules ``NN-name.md``, quizzes
``pretest.md``, ``posttest.md`` and ``latihan-<name>.md`` (practice), and an ``assets/``
folder. :func:`load_course` reads one folder and collects *every* mistake it can find as a
:class:`ContentError` (``path:line: message``) before giving up; :func:`load_all` does so
for each course folder under the content directory.

Other files in the course folder (not ``.md``), sub-folders other than ``assets/`` and
anything whose name starts with ``.`` or ``_`` are ignored; any other ``.md`` file is an
error, so a misnamed module never disappears silently. A symbolic link anywhere in the folder
is an error (``path: message``), hidden or not.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from portal.courses.frontmatter import (
    COURSE_FIELDS,
    MODULE_FIELDS,
    QUIZ_FIELDS,
    ContentError,
    Document,
    read_document,
)
from portal.courses.keys import MODULE_FILE, PRACTICE_FILE
from portal.courses.review import (
    ContentWarning,
    ReviewScope,
    find_citations,
    shared_question_warnings,
    stale_review_warnings,
)
from portal.errors import DomainError
from portal.markdown import (
    RENDERER_VERSION, asset_path, collect_urls, is_external, render_markdown,
)
from portal.quizzes.parser import LinkUse, QuestionSpec, parse_questions

__all__ = [
    "ContentError", "ContentErrors", "CourseSpec", "LoadResult", "ModuleSpec", "QuestionSpec",
    "QuizSpec", "course_folders", "load_all", "load_course", "check_course",
]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Longest slug the database accepts (``String(100)``).
MAX_SLUG = 100
#: URL schemes an author may link to; everything else is refused by the sanitiser anyway.
LINK_SCHEMES = ("http", "https", "mailto")


class ContentErrors(DomainError):
    """A course could not be loaded; ``errors`` lists every :class:`ContentError` found."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = list(errors)
        super().__init__("content", "\n".join(str(e) for e in self.errors))


@dataclass
class ModuleSpec:
    """One module: ``slug`` from the file name, ``position`` 1.. in file-number order,
    ``minutes`` of estimated study, ``body_html`` sanitised; ``min_minutes`` the minimum
    study time before it can be marked done (None: the ``MIN_STUDY_RATIO`` setting
    decides; 0 <= min_minutes <= minutes); ``key`` the stable key of its front matter's
    ``id:`` (None: not written yet, see :mod:`portal.courses.keys`); ``body_md`` the
    Markdown source of the body."""

    slug: str
    position: int
    title: str
    minutes: int
    body_html: str
    min_minutes: int | None = None
    key: str | None = None
    body_md: str = ""


@dataclass
class QuizSpec:
    """One quiz: ``slug`` = file stem; ``kind`` pretest | posttest | practice;
    ``time_limit`` minutes or None; ``max_attempts`` 0 = unlimited; ``grading`` highest |
    average | first | last; ``draw`` None = all questions; ``shuffle_options`` shuffles
    the options of choice questions per attempt; ``review_policy`` the moments set by
    ``review:`` (None: the kind's default, see :mod:`portal.quizzes.review`)."""

    slug: str
    kind: str
    title: str
    time_limit: int | None
    max_attempts: int
    grading: str
    shuffle: bool
    draw: int | None
    questions: list[QuestionSpec] = field(default_factory=list)
    shuffle_options: bool = True
    review_policy: dict | None = None


@dataclass
class CourseSpec:
    """A whole course as read from its folder (see docs/content-format.md).

    ``jp`` learning hours (JP) credited on completion; ``pass_mark`` percent 0..100;
    ``content_hash`` sha256 (hex) of every non-hidden file of the folder, names included
    (see :func:`content_hash`).
    """

    slug: str
    title: str
    code: str
    jp: int
    competency_type: str
    competencies: list[str]
    mode: str
    partner: str | None
    pass_mark: int
    summary: str
    description_html: str
    modules: list[ModuleSpec]
    quizzes: list[QuizSpec]
    content_hash: str
    target_level: int | None = None

    @property
    def question_count(self) -> int:
        """Questions in all quizzes together."""
        return sum(len(q.questions) for q in self.quizzes)

    @property
    def minutes(self) -> int:
        """Estimated study time of all modules, in minutes."""
        return sum(m.minutes for m in self.modules)


@dataclass
class LoadResult:
    """The outcome of loading one course folder: ``spec`` when valid, else ``errors``.

    ``review_scopes`` says which ``reviewed`` date vouches for which regulations named
    in the files (see :mod:`portal.courses.review`); it is filled for valid courses.
    """

    folder: Path
    slug: str
    spec: CourseSpec | None = None
    errors: list[ContentError] = field(default_factory=list)
    review_scopes: list[ReviewScope] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the course loaded without a single error."""
        return self.spec is not None and not self.errors

    def warnings(self, today: date) -> list[ContentWarning]:
        """What an editor should look at in a valid course (an invalid one has none):
        regulations whose ``reviewed`` date is missing, after ``today`` or more than a
        year before it, and post-test questions that repeat a pre-test question.

        Args:
            today: the calendar day in the portal's zone
                (``portal.timeutil.today_local()``).

        Returns:
            Warnings sorted by file and line.
        """
        if not self.ok:
            return []
        assert self.spec is not None
        found = stale_review_warnings(self.review_scopes, today)
        quizzes = {quiz.kind: quiz for quiz in self.spec.quizzes}
        pre, post = quizzes.get("pretest"), quizzes.get("posttest")
        if pre is not None and post is not None:
            shown = display_path(self.folder)
            found += shared_question_warnings(
                [(q.line, q.prompt_html) for q in pre.questions], str(shown / "pretest.md"),
                [(q.line, q.prompt_html) for q in post.questions], str(shown / "posttest.md"))
        return sorted(found, key=lambda w: (w.path, w.line, w.message))


def display_path(path: Path) -> Path:
    """``path`` relative to the working directory when it lies below it (for messages).

    Links in ``path`` are kept as written when that works, so a message names a symbolic
    link itself rather than where it points.
    """
    cwd = Path.cwd().resolve()
    for candidate in (Path(os.path.abspath(path)), path.resolve()):
        try:
            return candidate.relative_to(cwd)
        except ValueError:
            continue
    return path


def content_hash(folder: Path) -> str:
    """sha256 (hex) of every non-hidden file below ``folder`` (relative names and bytes) and
    of :data:`portal.markdown.RENDERER_VERSION`, so a course is imported again when its
    files or the HTML made from them change."""
    digest = hashlib.sha256(f"renderer {RENDERER_VERSION}\0".encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        data = path.read_bytes()
        digest.update(rel.as_posix().encode() + b"\0" + str(len(data)).encode() + b"\0")
        digest.update(data)
    return digest.hexdigest()


def asset_base_for(slug: str) -> str:
    """URL prefix of a course's assets (the ``courses.asset`` route)."""
    return f"/courses/{slug}/assets/"


class _CourseReader:
    """Reads one course folder and collects every mistake as a :class:`ContentError`.

    The rules of the folder (docs/content-format.md): the folder name is the course slug
    (lowercase letters, digits, hyphens; at most :data:`MAX_SLUG` characters);
    ``course.md`` is required; modules are ``NN-name.md`` (1-3 digit number, unique number
    and name), quizzes ``pretest.md``, ``posttest.md`` and ``latihan-<name>.md`` /
    ``practice-<name>.md``; any other ``.md`` file is an error; links must resolve (see
    :meth:`check_links`). Errors accumulate in ``errors`` (paths as :attr:`shown`, i.e.
    relative to the working directory when possible); nothing is raised for content
    mistakes. ``links`` maps each module and quiz file name to its portal URL, for
    rewriting links between the course's files.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.shown = display_path(folder)
        self.slug = folder.name
        self.asset_base = asset_base_for(self.slug)
        self.errors: list[ContentError] = []
        self.links: dict[str, str] = {}
        #: One scope per ``reviewed`` date: the course's (``course.md``, its quizzes and
        #: the modules without a date of their own) first, then each dated module's.
        self.review_scopes: list[ReviewScope] = []
        self.course_scope: ReviewScope | None = None
        #: The key (``id:``) of each module file that has one, and its front-matter line.
        self.module_keys: dict[str, str] = {}
        self.module_key_lines: dict[str, int] = {}

    def shown_path(self, name: str) -> Path:
        """The path to print for the file ``name`` of this course."""
        return self.shown / name

    def error(self, name: str, line: int | None, message: str) -> None:
        """Record a mistake in the file ``name`` at 1-based ``line`` (None: the file itself)."""
        self.errors.append(ContentError(self.shown_path(name), line, message))

    # -- symbolic links --------------------------------------------------------------

    def check_symlinks(self) -> bool:
        """Refuse every symbolic link in the course folder, the folder itself included,
        hidden names too, as ``path: message``. A link would publish (through the asset
        route) or import whatever file it points to, anywhere on the server; links are
        not followed into folders.

        Returns:
            True when the folder holds no link (its files can be read).
        """
        if self.folder.is_symlink():
            self.errors.append(ContentError(self.shown, None, (
                "the course folder is a symbolic link; put the course folder itself in the "
                "content folder")))
            return False
        found = False
        for current, dirs, files in os.walk(self.folder, followlinks=False):
            base = Path(current)
            for name in sorted(dirs + files):
                if (base / name).is_symlink():
                    found = True
                    rel = (base / name).relative_to(self.folder).as_posix()
                    self.error(rel, None, "symbolic links are not allowed in a course "
                                          "folder; copy what it points to into the folder")
        return not found

    # -- links and assets ------------------------------------------------------------

    def check_links(self, name: str, uses: list[LinkUse]) -> None:
        """Each URL must be external (http/https/mailto), a fragment, a portal path, a
        file in ``assets/`` that exists, or another file of this course; a path with
        ``..`` is refused. Each broken link becomes an error at its line."""
        assets = (self.folder / "assets").resolve()
        for use in uses:
            url = use.url
            if not url or url.startswith("#"):
                continue
            if is_external(url):
                scheme = urlsplit(url).scheme.lower()
                if scheme not in LINK_SCHEMES:
                    self.error(name, use.line, f'links may use http, https or mailto only, '
                                               f'not "{url}"')
                continue
            if url.startswith("/"):
                continue
            path = urlsplit(url).path
            if ".." in path.replace("\\", "/").split("/"):
                self.error(name, use.line, f'"{url}" points outside the course folder; put '
                                           'the file in assets/ and link to assets/...')
                continue
            inner = asset_path(url)
            if inner is not None:
                target = (assets / inner).resolve()
                if not target.is_relative_to(assets) or not target.is_file():
                    self.error(name, use.line, f'"{url}": there is no file assets/{inner} '
                                               'in the course folder')
                continue
            bare = path[2:] if path.startswith("./") else path
            if bare not in self.links:
                self.error(name, use.line, f'"{url}" is not a file of this course; link to a '
                                           'file in assets/, a module or quiz file, or a '
                                           'full https:// address')

    def _markdown_links(self, text: str, first_line: int) -> list[LinkUse]:
        return [LinkUse(ref.url, first_line + ref.line) for ref in collect_urls(text)]

    # -- review dates ------------------------------------------------------------------

    def review_scope(self, name: str, doc: Document) -> ReviewScope:
        """A review scope for the ``reviewed`` date of file ``name`` (at its line, or
        line 1 when the date is missing)."""
        scope = ReviewScope(str(self.shown_path(name)), doc.lines.get("reviewed", 1),
                            doc.meta.get("reviewed"))
        self.review_scopes.append(scope)
        return scope

    def cite(self, scope: ReviewScope | None, name: str, doc: Document) -> None:
        """Add the regulations named anywhere in file ``name`` (front matter included)
        to ``scope`` (the course's when None)."""
        scope = scope if scope is not None else self.course_scope
        if scope is None:  # course.md has errors: the course is invalid anyway
            return
        text = doc.path.read_text(encoding="utf-8-sig")
        scope.citations += find_citations(text, str(self.shown_path(name)))

    # -- files -------------------------------------------------------------------------

    def read(self) -> CourseSpec | None:
        """Read the whole folder: sort its files into modules and quizzes, then read
        ``course.md``, every module and every quiz (pre-test first, practice quizzes by
        name, post-test last).

        Returns:
            The :class:`CourseSpec`, or None when any error was recorded (see ``errors``).
        """
        if not self.check_symlinks():
            return None
        if not SLUG.match(self.slug) or len(self.slug) > MAX_SLUG:
            self.error("course.md", 1, f'the folder name "{self.slug}" is not a valid course '
                                       'address: use lowercase letters, digits and hyphens')
        if not (self.folder / "course.md").is_file():
            self.error("course.md", 1, "course.md is missing: every course folder needs one")
            return None

        module_files: list[tuple[int, str, Path]] = []
        quiz_files: list[Path] = []
        for path in sorted(self.folder.iterdir()):
            name = path.name
            if name.startswith((".", "_")) or not path.is_file() or path.suffix != ".md":
                continue
            if name == "course.md":
                continue
            match = MODULE_FILE.match(name)
            if match:
                module_files.append((int(match.group(1)), match.group(2), path))
            elif name in ("pretest.md", "posttest.md") or PRACTICE_FILE.match(name):
                quiz_files.append(path)
            else:
                self.error(name, 1, "unknown file: a module is named NN-name.md (e.g. "
                                    "01-pengantar.md, lowercase letters, digits and hyphens); "
                                    "quizzes are pretest.md, posttest.md or latihan-name.md")

        module_files.sort(key=lambda m: (m[0], m[1]))
        for number, slug, path in module_files:
            self.links[path.name] = f"/courses/{self.slug}/modules/{slug}"
        for path in quiz_files:
            self.links[path.name] = f"/courses/{self.slug}/quizzes/{path.stem}"

        course = self.read_course_md()
        modules = self.read_modules(module_files)
        order = {"pretest.md": 0, "posttest.md": 2}
        quiz_files.sort(key=lambda p: (order.get(p.name, 1), p.name))
        quizzes = [q for q in (self.read_quiz(p) for p in quiz_files) if q is not None]
        self.check_keys(module_files, quizzes)
        if self.errors or course is None:
            return None
        return CourseSpec(slug=self.slug, modules=modules, quizzes=quizzes,
                          content_hash=content_hash(self.folder), **course)

    def check_keys(self, module_files: list[tuple[int, str, Path]],
                   quizzes: list[QuizSpec]) -> None:
        """Keys are unique within the course, modules and questions together: a key used
        again is an error at the later ``path:line``."""
        seen: dict[str, str] = {}
        for _number, _slug, path in module_files:
            key = self.module_keys.get(path.name)
            if key is None:
                continue
            where = f"{self.shown_path(path.name)}:{self.module_key_lines[path.name]}"
            if key in seen:
                self.error(path.name, self.module_key_lines[path.name],
                           f'the key "id: {key}" is also used at {seen[key]}; keys must be '
                           'unique within the course (delete this one and run flask content '
                           'check --fix)')
            seen.setdefault(key, where)
        for quiz in quizzes:
            name = f"{quiz.slug}.md"
            for question in quiz.questions:
                if question.key is None:
                    continue
                where = f"{self.shown_path(name)}:{question.line}"
                if question.key in seen and not seen[question.key].startswith(
                        f"{self.shown_path(name)}:"):
                    self.error(name, question.line,
                               f'the key "id: {question.key}" is also used at '
                               f'{seen[question.key]}; keys must be unique within the course '
                               '(delete this one and run flask content check --fix)')
                seen.setdefault(question.key, where)

    def read_course_md(self) -> dict | None:
        """Validate ``course.md`` against ``COURSE_FIELDS`` and render its description.

        Returns:
            The :class:`CourseSpec` fields it provides (``title`` ... ``summary``,
            ``description_html``), or None when its front matter has errors.
        """
        doc, errors = read_document(self.folder / "course.md", COURSE_FIELDS,
                                    self.shown_path("course.md"))
        self.errors.extend(errors)
        if errors:
            return None
        self.course_scope = self.review_scope("course.md", doc)
        self.cite(self.course_scope, "course.md", doc)
        self.check_links("course.md", self._markdown_links(doc.body, doc.body_line))
        meta = doc.meta
        return {
            "title": meta["title"], "code": meta["code"], "jp": meta["jp"],
            "competency_type": meta["competency_type"], "competencies": meta["competencies"],
            "mode": meta["mode"], "partner": meta["partner"], "pass_mark": meta["pass_mark"],
            "summary": meta["summary"], "target_level": meta["target_level"],
            "description_html": render_markdown(doc.body, self.asset_base, self.links,
                                                link_images=True),
        }

    def read_modules(self, files: list[tuple[int, str, Path]]) -> list[ModuleSpec]:
        """Read the module files, given as ``(number, slug, path)`` in reading order.

        Errors: a number or a name used twice, front matter against ``MODULE_FIELDS``
        (``title``, ``minutes``, ``min_minutes``), a ``min_minutes`` above ``minutes``, an
        empty body, broken links, and no module at all.

        Returns:
            The valid modules, ``position`` 1.. in the order given.
        """
        modules: list[ModuleSpec] = []
        numbers: dict[int, str] = {}
        slugs: dict[str, str] = {}
        for number, slug, path in files:
            if number in numbers:
                self.error(path.name, 1, f"module number {number:02d} is also used by "
                                         f"{numbers[number]}; give each module its own number")
            numbers.setdefault(number, path.name)
            if slug in slugs:
                self.error(path.name, 1, f'module name "{slug}" is also used by {slugs[slug]}; '
                                         'module names must be unique')
            slugs.setdefault(slug, path.name)
            doc, errors = read_document(path, MODULE_FIELDS, self.shown_path(path.name))
            self.errors.extend(errors)
            if doc.meta.get("id"):
                self.module_keys[path.name] = doc.meta["id"]
                self.module_key_lines[path.name] = doc.lines.get("id", 1)
            if errors:
                continue
            if not doc.body.strip():
                self.error(path.name, doc.body_line, "the module has no text after its front "
                                                     "matter")
                continue
            self.check_links(path.name, self._markdown_links(doc.body, doc.body_line))
            own = doc.meta["reviewed"] is not None
            self.cite(self.review_scope(path.name, doc) if own else None, path.name, doc)
            min_minutes = doc.meta["min_minutes"]
            if min_minutes is not None and min_minutes > doc.meta["minutes"]:
                self.error(path.name, doc.lines["min_minutes"],
                           f"min_minutes is {min_minutes} but the module's estimated time "
                           f"(minutes) is {doc.meta['minutes']}; the minimum cannot be longer")
                continue
            modules.append(ModuleSpec(
                slug=slug, position=len(modules) + 1, title=doc.meta["title"],
                minutes=doc.meta["minutes"], min_minutes=min_minutes,
                key=doc.meta.get("id"), body_md=doc.body.strip("\n"),
                body_html=render_markdown(doc.body, self.asset_base, self.links,
                                          link_images=True)))
        if not files:
            self.error("course.md", 1, "the course has no modules: add files named "
                                       "01-name.md, 02-name.md, ...")
        return modules

    def read_quiz(self, path: Path) -> QuizSpec | None:
        """Read one quiz file: front matter against ``QUIZ_FIELDS``, questions with
        :func:`portal.quizzes.parser.parse_questions`.

        Errors besides the front matter's and the questions': a ``kind`` that does not
        match the file name (``pretest.md`` holds a pretest, ``posttest.md`` a posttest,
        ``latihan-*``/``practice-*`` a practice quiz), a ``draw`` larger than the number
        of questions, and broken links.

        Returns:
            The :class:`QuizSpec` (``time_limit`` in minutes), or None on any error in
            the front matter or the questions.
        """
        name = path.name
        doc, errors = read_document(path, QUIZ_FIELDS, self.shown_path(name))
        self.errors.extend(errors)
        if errors:
            return None
        expected = path.stem if path.stem in ("pretest", "posttest") else "practice"
        if doc.meta["kind"] != expected:
            self.error(name, doc.lines["kind"], f'kind is "{doc.meta["kind"]}" but the file '
                                                f'{name} holds a {expected} quiz')
        parsed = parse_questions(doc.body, self.shown_path(name), doc.body_line,
                                 self.asset_base, self.links)
        self.errors.extend(parsed.errors)
        self.check_links(name, parsed.links)
        draw = doc.meta["draw"]
        if draw is not None and not parsed.errors and draw > len(parsed.questions):
            self.error(name, doc.lines["draw"], f"draw is {draw} but the quiz has only "
                                                f"{len(parsed.questions)} questions")
        if parsed.errors:
            return None
        self.cite(None, name, doc)
        return QuizSpec(
            slug=path.stem, kind=doc.meta["kind"], title=doc.meta["title"],
            time_limit=doc.meta["time_limit"], max_attempts=doc.meta["attempts"],
            grading=doc.meta["grading"], shuffle=doc.meta["shuffle"], draw=draw,
            questions=parsed.questions, shuffle_options=doc.meta["shuffle_options"],
            review_policy=({m: list(items) for m, items in doc.meta["review"].items()}
                           if doc.meta["review"] else None))


def check_course(folder: Path) -> LoadResult:
    """Load one course folder; never raises for content mistakes.

    Returns:
        LoadResult with ``spec`` when the course is valid, else every error found (sorted
        by file and line).
    """
    reader = _CourseReader(Path(folder))
    spec = reader.read()
    errors = sorted(set(reader.errors), key=lambda e: (e.path, e.line or 0, e.message))
    return LoadResult(folder=Path(folder), slug=Path(folder).name,
                      spec=None if errors else spec, errors=errors,
                      review_scopes=[] if errors else reader.review_scopes)


def load_course(folder: Path) -> CourseSpec:
    """Load one course folder.

    Raises:
        ContentErrors: the course has mistakes; ``.errors`` lists all of them.
    """
    result = check_course(folder)
    if not result.ok:
        raise ContentErrors(result.errors)
    assert result.spec is not None
    return result.spec


def course_folders(content_dir: Path) -> list[Path]:
    """The course folders under ``content_dir``, by name (``.``/``_`` folders skipped).

    Raises:
        OSError: ``content_dir`` cannot be listed (e.g. FileNotFoundError).
    """
    return sorted(p for p in Path(content_dir).iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")))


def load_all(content_dir: Path) -> list[LoadResult]:
    """Load every course folder under ``content_dir``; one :class:`LoadResult` each, so
    valid courses are usable even when others have errors.

    Raises:
        FileNotFoundError: ``content_dir`` is not a folder.
    """
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise FileNotFoundError(f"{content_dir} is not a folder")
    return [check_course(folder) for folder in course_folders(content_dir)]
