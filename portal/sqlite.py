"""SQLite connection settings, so the embedded database enforces what PostgreSQL does.

Foreign keys are enforced (SQLite leaves them off by default), so ``ON DELETE`` rules and
dangling references behave the same on both databases, a writer waits up to 15 s for
another's lock instead of failing at once, and ``lower()`` lowercases every letter as
PostgreSQL's does (SQLite's own only knows A-Z, so a search for "Ṣāliḥ" or "Élia" would
miss the names it is looking for). A database in a file runs in WAL mode with
``synchronous=NORMAL``: readers no longer wait for a writer, and a commit does not wait for
the disk twice (a power cut may lose the last commits, never corrupt the file; see
https://www.sqlite.org/wal.html). In-memory databases keep their default journal.

Known difference kept on purpose: Python's ``sqlite3`` driver opens transactions lazily (at
the first write), so a ``SAVEPOINT`` taken before any write is not nested in an outer
transaction. Code that must be all-or-nothing validates before it writes (the content
importer) or serialises on a locked row (certificate numbering) rather than relying on a
savepoint. SQLite is for a demo or a single small office; production runs on PostgreSQL.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if _is_file(cursor):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _is_file(cursor) -> bool:
    """True when the main database of the connection is a file (not ``:memory:``)."""
    for _seq, name, path in cursor.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return bool(path)
    return False


def _unicode_lower(value):
    """SQL ``lower(x)`` for any script: text lowercased by Python, anything else unchanged
    (NULL stays NULL)."""
    return value.lower() if isinstance(value, str) else value
