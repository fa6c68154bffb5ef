"""Demo data of the needs analysis for ``flask demo setup``: a needs survey of two provincial
units (Diskominfo and BPSDM) with 30 ASN who answered, their two supervisors' ratings and
one FGD, so that the results and the needs report show real figures. Development and testing
only (the accounts share the public demo password)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.auth.opd import find_opd
from portal.auth.services import create_user, find_by_email
from portal.extensions import db
from portal.needs import services
from portal.needs.models import NeedsSurvey
from portal.timeutil import to_local

TITLE = "Analisis Kebutuhan Pelatihan 2027 — Diskominfo dan BPSDM"

#: Competency: (typical importance, typical own proficiency) the demo answers scatter around.
PROFILE = {"M.05": (4.6, 2.6), "M.04": (4.4, 2.9), "M.08": (4.0, 3.0), "M.03": (3.8, 3.4),
           "M.01": (4.8, 4.3), "SK.01": (3.6, 3.7)}

FIRST = ["Andi", "Bayu", "Citra", "Dian", "Eka", "Fitri", "Gilang", "Hana", "Indra", "Joko",
         "Kurnia", "Lestari", "Maya", "Nanda", "Oktavia"]
JABATAN = ["Pranata Komputer Ahli Pertama", "Analis Kebijakan Ahli Pertama",
           "Pengelola Layanan Operasional"]


def _score(rng: random.Random, centre: float) -> int:
    return max(1, min(5, round(rng.gauss(centre, 0.7))))


def ensure_demo_needs_survey(password: str, now: datetime, seed: int = 2027) -> str:
    """Create the demo survey with its answers unless a survey of that title exists
    (flushed, not committed). ``now`` is aware UTC; the survey opened a week before it and
    closes two weeks after. ``seed`` makes the answers the same on every machine.

    Returns:
        ``created`` or ``exists``.
    """
    if db.session.scalar(sa.select(NeedsSurvey.id).where(NeedsSurvey.title == TITLE)):
        return "exists"
    rng = random.Random(seed)
    units = [find_opd("DISKOMINFO", "15"), find_opd("BPSDM", "15")]
    survey = services.create_survey(
        title=TITLE, description="Survei kebutuhan pengembangan kompetensi manajerial dan "
        "sosial kultural untuk perencanaan pelatihan tahun 2027.",
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=14),
        competency_codes=list(PROFILE), opd_ids=[u.id for u in units if u])
    codes = list(PROFILE)
    for u_index, unit in enumerate(units):
        if unit is None:
            continue
        boss = find_by_email(f"kabid.{unit.code.lower()}@example.com") or create_user(
            email=f"kabid.{unit.code.lower()}@example.com", password=password,
            full_name=f"Kepala Bidang {unit.code.title()}", jabatan="Kepala Bidang",
            opd_id=unit.id)
        for n in range(15):
            email = f"asn{u_index + 1}{n + 1:02d}.{unit.code.lower()}@example.com"
            user = find_by_email(email) or create_user(
                email=email, password=password, opd_id=unit.id,
                full_name=f"{FIRST[n]} {'Saputra' if u_index == 0 else 'Wijaya'}",
                jabatan=JABATAN[n % len(JABATAN)])
            user.supervisor_id = boss.id
            answers = {}
            for code, (importance, proficiency) in PROFILE.items():
                answers[code] = (_score(rng, importance), _score(rng, proficiency))
            services.save_self_ratings(survey, user, answers, now)
            if n % 3 != 2:  # the supervisor rated two in three
                services.save_supervisor_ratings(
                    survey, boss, user,
                    {c: max(1, answers[c][1] - rng.choice((0, 0, 1))) for c in codes}, now)
    services.add_discussion(
        survey, kind="fgd", held_on=to_local(now).date() - timedelta(days=2),
        place="Aula BPSDM Provinsi Jambi", facilitator="Tim Analisis Kebutuhan BPSDM",
        participant_count=10, participant_groups="6 pelaksana, 4 pejabat pengawas",
        notes="- Layanan daring sering tertunda karena **alur kerja** belum jelas.\n"
              "- Peserta meminta pelatihan *pelayanan publik digital* dan pengambilan keputusan.",
        competency_codes=["M.05", "M.04"])
    db.session.flush()
    return "created"
