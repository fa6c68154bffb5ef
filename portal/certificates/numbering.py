"""Certificate numbers: sequential per year, e.g. ``0007/BPSDM-JBI/PPBTI-01/2026``.

The number reads: sequence in the year's register (four digits, more if ever needed), the
issuer's prefix (setting ``CERT_NUMBER_PREFIX``), the course code and the year of issue in
WIB. One sequence per year runs across every course, so the sequence alone identifies a
certificate in the year's register; it starts again at 0001 on 1 January (WIB).
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.certificates.models import CertificateCounter
from portal.extensions import db


def format_number(sequence: int, prefix: str, course_code: str, year: int) -> str:
    """Compose the printed number: ``0007/BPSDM-JBI/PPBTI-01/2026``.

    ``sequence`` is padded to four digits; ``year`` is the WIB year of issue; an empty
    ``prefix`` or ``course_code`` is left out with its slash.
    """
    parts = [f"{sequence:04d}", prefix.strip(), course_code.strip(), str(year)]
    return "/".join(part for part in parts if part)


def lock_year(year: int) -> CertificateCounter:
    """Lock the counter row of ``year`` (the WIB year of issue), creating it at 0 if
    needed, and return it fresh.

    On PostgreSQL the row stays locked (``SELECT ... FOR UPDATE``) until the transaction
    ends, so concurrent issuers take numbers one after the other; on SQLite the insert
    already holds the database's write lock. Call :func:`take_next` afterwards.
    """
    session = db.session
    dialect = session.get_bind().dialect.name
    values = {"year": year, "last_number": 0}
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the portal runs on PostgreSQL and SQLite only
        insert = None
    if insert is not None:
        session.execute(insert(CertificateCounter).values(**values)
                        .on_conflict_do_nothing(index_elements=["year"]))
    elif session.get(CertificateCounter, year) is None:  # pragma: no cover
        session.add(CertificateCounter(**values))
        session.flush()
    return session.scalars(
        sa.select(CertificateCounter)
        .where(CertificateCounter.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def take_next(counter: CertificateCounter) -> int:
    """Advance a counter locked by :func:`lock_year`; return the new sequence (1, 2, ...)."""
    counter.last_number += 1
    return counter.last_number
