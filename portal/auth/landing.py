"""Where each role lands after logging in."""

from __future__ import annotations

from flask import url_for

from portal.auth.models import Role, User

LANDING = (
    (Role.ADMIN, "admin.index"),
    (Role.HR, "certificates.hr_search"),
    (Role.INSTRUCTOR, "courses.instructor_overview"),
)
"""Roles from the highest down, each with its work page; any other account (a learner, or
one holding no role) lands on the learner's dashboard."""


def landing_url(user: User) -> str:
    """The work page of the highest role ``user`` holds (admin > HR > instructor > learner)."""
    held = user.roles
    for role, endpoint in LANDING:
        if role in held:
            return url_for(endpoint)
    return url_for("progress.dashboard")
