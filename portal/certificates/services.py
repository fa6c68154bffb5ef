"""Issuing certificates, rendering their PDFs and verifying them."""

from __future__ import annotations

from portal.certificates.models import Certificate
from portal.progress.models import Enrolment


def issue_certificate(enrolment: Enrolment) -> Certificate:
    """Issue (or return the existing) certificate for a completed enrolment: random code
    (≥ 80 bits), sequential number, snapshot of every printed field. Flushes, no commit.

    Raises:
        ValueError: the enrolment is not completed.
    """
    raise NotImplementedError
