"""``flask content ...``: validate and import the courses written as Markdown files.

Examples::

    flask content check                  # every course under CONTENT_DIR, nothing written
    flask content check content/pelayanan-publik-digital
    flask content check --fix            # also write missing keys (id) into the files
    flask content import                 # create/update courses; unchanged ones are skipped
    flask content import --force         # rewrite even unchanged courses

PATH may be the content folder (one sub-folder per course) or a single course folder (one
that holds ``course.md``). Errors are printed as ``path:line: message``; the exit status is
1 when any course has an error, else 0. ``check`` also prints warnings (stale regulation
reviews, pre-test questions repeated in the post-test; see :mod:`portal.courses.review`)
as ``path:line: warning: message``; warnings never change the exit status.

Modules and questions carry stable keys (``id:``, see :mod:`portal.courses.keys`).
``check --fix`` writes the missing ones into the files, changing nothing else; ``import``
does the same before reading a course, so a course gets its keys on its first import. For
each course written, ``import`` prints what changed (modules and questions added, edited,
removed, reordered; for an edited question how many attempts answered its previous
version, which they keep) and how many attempts and enrolments the changes touch.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.courses.importer import FAILED, ImportReport, import_loaded
from portal.courses.keys import add_missing_keys
from portal.courses.loader import LoadResult, check_course, load_all
from portal.timeutil import today_local

content_cli = AppGroup("content", help="Check and import the courses in the content folder.")


def _load(path: str | None) -> list[LoadResult]:
    """The courses at ``path`` (default CONTENT_DIR): a content folder or one course."""
    folder = Path(path or current_app.config["CONTENT_DIR"])
    if not folder.is_dir():
        raise click.ClickException(f"{folder} is not a folder.")
    if (folder / "course.md").is_file():
        return [check_course(folder)]
    return load_all(folder)


def _summary(result: LoadResult) -> str:
    spec = result.spec
    assert spec is not None
    return (f"{spec.slug}: {len(spec.modules)} modules, {spec.question_count} questions in "
            f"{len(spec.quizzes)} quizzes, {spec.jp} JP")


def _folders(path: str | None) -> list[Path]:
    folder = Path(path or current_app.config["CONTENT_DIR"])
    if not folder.is_dir():
        raise click.ClickException(f"{folder} is not a folder.")
    if (folder / "course.md").is_file():
        return [folder]
    return sorted(p for p in folder.iterdir() if p.is_dir() and (p / "course.md").is_file())


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--fix", is_flag=True, help="Write missing keys (id) of modules and questions "
                                          "into the files.")
def check_command(path: str | None, fix: bool) -> None:
    """Validate course files without writing anything (with --fix: write missing keys).

    \f
    ``--fix`` first writes a key into every module and question that has none (one line
    per file written: ``path: N key(s) added``), then checks as usual.
    Prints one summary line per valid course, and on stderr ``path:line: message`` per
    error and ``path:line: warning: message`` per warning of a valid course (today is the
    portal clock's day in WIB). Raises ``click.ClickException`` when PATH is not a folder
    and exits with status 1 when any course has an error; warnings alone exit with 0.
    """
    if fix:
        for folder in _folders(path):
            for fixed in add_missing_keys(folder):
                click.echo(f"{fixed.path}: {fixed.added} key(s) added")
    results = _load(path)
    today = today_local()
    failed = warned = 0
    for result in results:
        if result.ok:
            click.echo(_summary(result))
            for warning in result.warnings(today):
                warned += 1
                click.echo(str(warning), err=True)
        else:
            failed += 1
            for error in result.errors:
                click.echo(str(error), err=True)
    if not results:
        click.echo("No course folders found.")
    if warned:
        click.echo(f"{warned} warning{'s' if warned != 1 else ''}.", err=True)
    if failed:
        click.echo(f"{failed} of {len(results)} courses have errors.", err=True)
        raise SystemExit(1)


@content_cli.command("import")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Rewrite courses even when their files did not "
                                            "change.")
def import_command(path: str | None, force: bool) -> None:
    """Create or update courses from their files; a course with errors is not written.

    \f
    Commits once, after every course is written. Raises ``click.ClickException`` when PATH
    is not a folder and exits with status 1 when any course was not imported.
    """
    from portal.extensions import db

    report = ImportReport([import_loaded(r, force=force) for r in _load(path)])
    db.session.commit()
    for result in report.results:
        if result.status == FAILED:
            click.echo(f"{result.slug}: failed", err=True)
            for error in result.errors:
                click.echo(str(error), err=True)
            continue
        line = f"{result.slug}: {result.status}"
        if result.spec is not None:
            line += (f" ({len(result.spec.modules)} modules, {result.spec.question_count} "
                     f"questions, {result.spec.jp} JP)")
        click.echo(line)
        lines = (result.changes.lines()
                 if result.changes is not None and result.status != "created" else [])
        for line in result.notes + lines:
            click.echo(f"  {line}")
    if not report.results:
        click.echo("No course folders found.")
    if report.failed:
        click.echo(f"{len(report.failed)} of {len(report.results)} courses were not imported.",
                   err=True)
        raise SystemExit(1)


def register_cli(app: Flask) -> None:
    """Attach ``flask content check`` and ``flask content import`` to ``app``."""
    app.cli.add_command(content_cli)
