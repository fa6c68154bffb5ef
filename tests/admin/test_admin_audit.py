"""The audit log: written by one service in the change's transaction, searched on its page
with escaped content, filters (WIB dates) and pages."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from portal.audit.models import AuditEvent
from portal.audit.services import AuditFilter, record, search

T0 = datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)  # 10.00 WIB


def add(db, actor, action="user.profile", target=1, at=T0, before=None, after=None):
    event = record(actor=actor, action=action, target_kind="user", target_id=target,
                   before=before, after=after, now=at, client="10.0.0.1")
    db.session.commit()
    return event


def test_record_writes_one_row_with_everything(db, admin):
    event = add(db, admin, before={"email": "a@x.id"}, after={"email": "b@x.id"})
    stored = db.session.get(AuditEvent, event.id)
    assert (stored.actor_id, stored.action, stored.target_kind, stored.target_id) == (
        admin.id, "user.profile", "user", "1")
    assert stored.before == {"email": "a@x.id"} and stored.after == {"email": "b@x.id"}
    assert stored.at == T0 and stored.client_address == "10.0.0.1"
    assert stored.actor_label == f"{admin.display_name} (admin@jambiprov.go.id)"


def test_record_refuses_an_unknown_action(db, admin):
    with pytest.raises(ValueError):
        record(actor=admin, action="user.explode", target_kind="user", target_id=1,
               before=None, after=None, now=T0)


def test_the_row_rolls_back_with_the_change(db, admin):
    admin.full_name = "Changed"
    add_without_commit = record(actor=admin, action="user.profile", target_kind="user",
                                target_id=admin.id, before=None, after=None, now=T0)
    assert add_without_commit.id is not None  # flushed
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_search_filters_by_actor_action_target_and_wib_days(db, admin, make_user):
    other = make_user(full_name="Budi Santoso")
    add(db, admin, "user.deactivate", target=5)
    add(db, other, "user.roles", target=6)
    # 30 Nov 2026 16.59 UTC is 23.59 WIB on 30 Nov; 17.00 UTC is already 1 Dec in WIB.
    add(db, admin, "user.nip", target=7, at=datetime(2026, 11, 30, 16, 59, tzinfo=timezone.utc))
    add(db, admin, "user.nip", target=8, at=datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc))

    def targets(**filters):
        return [e.target_id for e in search(AuditFilter(**filters)).items]

    assert targets(actor="budi") == ["6"]
    assert targets(actor="ADMIN@jambiprov") == ["8", "7", "5"]
    assert targets(action="user.roles") == ["6"]
    assert targets(target_kind="user", target_id="5") == ["5"]
    day = datetime(2026, 11, 30).date()
    assert targets(date_from=day, date_to=day) == ["7"]
    assert targets(date_from=datetime(2026, 12, 1).date()) == ["8"]


def test_the_page_escapes_content_and_filters(db, admin_client, admin, make_user):
    villain = make_user(full_name="<script>alert(1)</script>")
    add(db, villain, "user.profile", target=villain.id,
        before={"full_name": "<b>old</b>"}, after={"full_name": "<script>x()</script>"})
    add(db, admin, "user.roles", target=99)
    response = admin_client.get("/admin/audit")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page and "<script>x()" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>old</b>" not in page
    assert "2 changes found." in page
    filtered = admin_client.get("/admin/audit?action=user.roles").get_data(as_text=True)
    assert "1 change found." in filtered and "user 99" in filtered


def test_the_page_is_paginated_keeping_the_filters(db, admin_client, admin):
    for number in range(35):
        record(actor=admin, action="user.unlock", target_kind="user", target_id=number,
               before=None, after=None, now=T0)
    db.session.commit()
    first = admin_client.get("/admin/audit?action=user.unlock").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert 'href="/admin/audit?action=user.unlock&amp;page=2"' in first
    second = admin_client.get("/admin/audit?action=user.unlock&page=2").get_data(as_text=True)
    assert second.count("<code>user.unlock</code>") == 5


def test_a_range_ending_before_it_starts_is_refused(admin_client):
    response = admin_client.get("/admin/audit?date_from=2026-11-30&date_to=2026-11-01")
    assert response.status_code == 422
    assert "The end date comes before the start date." in response.get_data(as_text=True)
