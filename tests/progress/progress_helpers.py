"""Helpers for tests that need modules done. A module can be marked done only once its page
was opened (the minimum study time is 0 unless a test sets one), so the helper records an
opening first, without moving the enrolment's resume point (tests of resume set that
themselves)."""

from __future__ import annotations

from datetime import datetime

from portal.extensions import db
from portal.progress import services
from portal.progress.models import ModuleVisit
from portal.timeutil import utcnow


def open_and_mark_done(enrolment, module, now: datetime | None = None) -> bool:
    """Record an opening of ``module`` (unless there is one) and mark it done at ``now``
    (default: the clock). Returns what :func:`services.mark_module_done` returns."""
    moment = now or utcnow()
    if services.first_opened_at(enrolment, module) is None:
        db.session.add(ModuleVisit(enrolment_id=enrolment.id, module_id=module.id,
                                   first_opened_at=moment))
        db.session.flush()
    return services.mark_module_done(enrolment, module, moment)


def complete(enrolment, now: datetime | None = None):
    """Run the completion orchestrator (:func:`portal.completion.complete_enrolment_if_done`)
    at ``now`` (default: the clock); returns the certificate, or None when not complete."""
    from portal.completion import complete_enrolment_if_done

    completion = complete_enrolment_if_done(enrolment, now or utcnow())
    return completion.certificate if completion is not None else None


def completed_at(enrolment, moment: datetime):
    """Record ``enrolment`` as completed at ``moment`` (aware UTC) however far its modules
    got, as older data may hold, then let the orchestrator issue the certificate and write
    the JP credit for that completion. Returns the certificate."""
    enrolment.completed_at = moment
    db.session.flush()
    return complete(enrolment, moment)
