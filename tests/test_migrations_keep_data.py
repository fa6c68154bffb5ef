"""Upgrading keeps every learner's data: a database filled at revision 0002 (the first
release's schema) is upgraded to head, and no row of its tables is lost or changed.

On SQLite, Alembic's batch mode rebuilds a table (copy, DROP, rename); with foreign keys
enforced that DROP would run the ON DELETE actions of every table pointing at it, deleting
enrolments, attempts and completions (CASCADE) or refusing (RESTRICT). migrations/env.py
switches the keys off for the migration and checks them afterwards; this test proves it
on both databases (``TEST_DATABASE_URL`` for PostgreSQL).
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from tests.factories import ROOT

#: The tables of revision 0002 that hold people's records, with the columns compared.
KEPT = {
    "user": "id, nip, email, full_name, opd_id, is_active_account",
    "course": "id, slug, title, jp, pass_mark",
    "module": "id, course_id, slug, title",
    "quiz": "id, course_id, slug, kind",
    "question": "id, quiz_id, position",
    "enrolment": "id, user_id, course_id, completed_at, last_module_id",
    "module_completion": "id, enrolment_id, module_id",
    "attempt": "id, public_id, enrolment_id, quiz_id, number, state, points, score",
    "certificate": "id, code, number, enrolment_id, user_id, holder_name, holder_nip, status",
    "certificate_access": "id, certificate_id, user_id, action",
    "certificate_counter": "year, last_number",
}

T = "2026-11-02 01:00:00"


def _fill(conn) -> None:
    """One course with two modules and a post-test; two learners, one completed with a
    certificate (looked at by the other, an HR officer), one mid-course."""
    opd = conn.scalar(sa.text("SELECT min(id) FROM opd"))
    run = lambda sql, **values: conn.execute(sa.text(sql), values)  # noqa: E731
    for uid, nip, email, role in ((1, "198609262015052001", "siti@jambiprov.go.id", "peserta"),
                                  (2, "198507212010012003", "dewi@jambiprov.go.id", "hr")):
        run('INSERT INTO "user" (id, nip, email, password_hash, name_prefix, full_name, '
            "name_suffix, pangkat_golongan, jabatan, opd_id, role, is_active_account, "
            "failed_logins, created_at) VALUES (:id, :nip, :email, 'x', '', 'Siti Rahmawati', "
            "'S.Kom.', 'Penata Muda, III/a', 'Analis', :opd, :role, :active, 0, :t)",
            id=uid, nip=nip, email=email, opd=opd, role=role, active=True, t=T)
    run("INSERT INTO course (id, slug, code, title, jp, competency_type, competencies, mode, "
        "pass_mark, summary, description_html, content_hash, is_published, imported_at) "
        "VALUES (1, 'etika-asn', 'ETK-01', 'Etika ASN', 12, 'manajerial', :comp, "
        "'e-learning', 70, 'Ringkas', '<p>D</p>', 'h', :pub, :t)",
        comp=json.dumps(["M.01"]), pub=True, t=T)
    for mid in (1, 2):
        run("INSERT INTO module (id, course_id, slug, position, title, minutes, body_html, "
            "is_archived) VALUES (:id, 1, :slug, :id, :title, 30, '<p>x</p>', :arch)",
            id=mid, slug=f"modul-{mid}", title=f"Modul {mid}", arch=False)
    run("INSERT INTO quiz (id, course_id, slug, kind, title, max_attempts, grading, shuffle) "
        "VALUES (1, 1, 'posttest', 'posttest', 'Post-test', 3, 'highest', :f)", f=False)
    run("INSERT INTO question (id, quiz_id, position, qtype, prompt_html, explanation_html, "
        "data, points, tags, is_archived) VALUES (1, 1, 1, 'short', '<p>Q</p>', '', :data, "
        "1.0, :tags, :arch)", data=json.dumps({"answers": ["20"], "tolerance": None}),
        tags="[]", arch=False)
    run("INSERT INTO enrolment (id, user_id, course_id, enrolled_at, completed_at, "
        "last_module_id) VALUES (1, 1, 1, :t, :t, 2)", t=T)
    run("INSERT INTO enrolment (id, user_id, course_id, enrolled_at, last_module_id) "
        "VALUES (2, 2, 1, :t, 1)", t=T)
    for cid, (enrolment, module) in enumerate(((1, 1), (1, 2), (2, 1)), 1):
        run("INSERT INTO module_completion (id, enrolment_id, module_id, completed_at) "
            "VALUES (:id, :e, :m, :t)", id=cid, e=enrolment, m=module, t=T)
    run("INSERT INTO attempt (id, public_id, enrolment_id, quiz_id, number, state, "
        "question_ids, answers, marks, points, max_points, score, started_at, submitted_at) "
        "VALUES (1, :pid, 1, 1, 1, 'finished', '[1]', :answers, :marks, 1.0, 1.0, 100.0, "
        ":t, :t)", pid="a" * 32, answers=json.dumps({"1": "20"}),
        marks=json.dumps({"1": 1.0}), t=T)
    snapshot = {"name": "Siti Rahmawati, S.Kom.", "nip": "198609262015052001", "jp": 12,
                "course_title": "Etika ASN", "score": 100.0}
    run("INSERT INTO certificate (id, code, number, enrolment_id, user_id, issued_at, "
        "snapshot, holder_name, holder_nip, status) VALUES (1, 'ABCDEFGHJKMNPQRSTVWX', "
        "'0001/BPSDM-JBI/ETK-01/2026', 1, 1, :t, :snap, 'Siti Rahmawati, S.Kom.', "
        "'198609262015052001', 'valid')", snap=json.dumps(snapshot), t=T)
    run("INSERT INTO certificate_access (id, certificate_id, user_id, action, at) "
        "VALUES (1, 1, 2, 'view_detail', :t)", t=T)
    run("INSERT INTO certificate_counter (year, last_number) VALUES (2026, 1)")


def _rows(conn) -> dict[str, list]:
    rows = {}
    for table, columns in KEPT.items():
        quoted = '"user"' if table == "user" else table
        rows[table] = [tuple(r) for r in conn.execute(
            sa.text(f"SELECT {columns} FROM {quoted} ORDER BY 1"))]
    return rows


def test_upgrading_a_filled_first_release_database_loses_and_changes_nothing(app_config):
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from portal.extensions import db

    directory = str(ROOT / "migrations")
    application = create_app(app_config)  # the per-test database, at head
    with application.app_context():
        try:
            downgrade(directory=directory, revision="0002")
            with db.engine.begin() as conn:
                _fill(conn)
            with db.engine.connect() as conn:
                before = _rows(conn)
            assert all(before.values())

            upgrade(directory=directory)

            with db.engine.connect() as conn:
                after = _rows(conn)
                # 0007: the question's content is its version 1; the attempt's answers
                # are one row per question, with the same mark.
                versions = conn.execute(sa.text(
                    "SELECT question_id, number, qtype, points FROM question_version")).all()
                rows = conn.execute(sa.text(
                    "SELECT attempt_id, slot, question_id, CAST(response AS TEXT), mark "
                    "FROM attempt_answer")).all()
            assert after == before
            assert [tuple(v) for v in versions] == [(1, 1, "short", 1.0)]
            assert [(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in rows] == [
                (1, 1, 1, "20", 1.0)]
        finally:
            db.session.remove()
            db.engine.dispose()
