"""Counting the SQL statements a request runs, for the statement budgets of the pages.

A listener on the engine's ``before_cursor_execute`` event counts every statement sent to the
database (``BEGIN``/``COMMIT`` are not cursor executions and are not counted; savepoints
are). :func:`count_request` commits the test's own pending work first, so only what the
request itself runs is counted.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event


@dataclass
class Statements:
    """The statements seen while counting: ``sql`` holds their text, in order."""

    sql: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many statements ran."""
        return len(self.sql)

    def __str__(self) -> str:
        return "\n".join(f"{i + 1:3}. {' '.join(s.split())[:160]}"
                         for i, s in enumerate(self.sql))


@contextmanager
def counting(engine):
    """``with counting(db.engine) as seen:`` count the statements run inside the block."""
    seen = Statements()

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.sql.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def count_request(db, client, url: str, method: str = "GET", **kwargs):
    """``(response, Statements)`` of one request through the test client (the test's own
    pending work is committed before counting starts)."""
    db.session.commit()
    with counting(db.engine) as seen:
        response = client.open(url, method=method, **kwargs)
    return response, seen
