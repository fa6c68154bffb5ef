"""The snapshot: every field printed on a certificate, frozen at issue time.

The snapshot is a plain JSON dict of strings, ints and lists, written once when the
certificate is issued. The PDF and the public verification page are drawn from it alone, so
a later change of name, rank or course title never changes an issued certificate, and a PDF
edited afterwards no longer matches what the verification page shows.

Printed text is Indonesian whatever the reader's language: dates in the long Indonesian
style in WIB ("29 November 2026", PUEBI), scores with a decimal comma and a percent sign,
rounded down ("86,66%").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.numbers import format_percent
from portal.timeutil import format_date_long, to_local

#: Bump when keys are added or change meaning; older snapshots keep their version.
#: 2 added ``instansi`` (the unit's agency).
SNAPSHOT_VERSION = 2

#: Competency types (PermenPANRB 38/2017) as printed.
COMPETENCY_TYPES = {
    "teknis": "Teknis",
    "manajerial": "Manajerial",
    "sosial_kultural": "Sosial Kultural",
}

#: Managerial competencies of the catalogue (PermenPANRB 38/2017) as printed.
MANAGERIAL_COMPETENCIES = {
    "M.01": "Integritas",
    "M.02": "Kerjasama",
    "M.03": "Komunikasi",
    "M.04": "Orientasi pada Hasil",
    "M.05": "Pelayanan Publik",
    "M.06": "Pengembangan Diri dan Orang Lain",
    "M.07": "Mengelola Perubahan",
    "M.08": "Pengambilan Keputusan",
}

#: Delivery modes as printed.
MODES = {"e-learning": "e-learning", "klasikal": "klasikal", "blended": "blended"}


def format_score(percent: float | None) -> str | None:
    """A score in percent as printed in Indonesian, by the portal's one rule
    (:func:`portal.numbers.format_percent`: two decimals rounded down, so a printed score
    never reaches a mark the exact one missed): ``86,66%``, ``100%``; None stays None."""
    if percent is None:
        return None
    return format_percent(percent, "id")


def competency_labels(codes: list[str] | None) -> list[str]:
    """Printed competencies: ``M.05 Pelayanan Publik``; unknown codes as they are."""
    out = []
    for code in codes or []:
        code = str(code).strip()
        name = MANAGERIAL_COMPETENCIES.get(code)
        out.append(f"{code} {name}" if name else code)
    return out


def build_snapshot(
    *,
    code: str,
    number: str,
    user: Any,
    course: Any,
    enrolled_at: datetime,
    completed_at: datetime,
    issued_at: datetime,
    posttest_percent: float | None,
    settings: dict[str, Any],
) -> dict[str, Any]:
    """Collect every printed field into a JSON-ready dict.

    Args:
        code: canonical verification code (20 characters).
        number: the printed number, e.g. ``0007/BPSDM-JBI/PPBTI-01/2026``.
        user: the holder (``display_name``, ``nip``, ``pangkat_golongan``, ``jabatan``,
            ``opd`` with its ``agency``).
        course: the course (``title``, ``code``, ``jp``, ``competency_type``,
            ``competencies``, ``mode``, ``partner``).
        enrolled_at, completed_at, issued_at: aware UTC datetimes; printed as WIB dates.
        posttest_percent: the post-test grade in percent (0..100), or None if none counts.
        settings: the app config; reads ``PORTAL_TIMEZONE``, ``CERT_ISSUER``,
            ``CERT_CITY``, ``CERT_SIGNATORY_NAME``, ``CERT_SIGNATORY_TITLE``,
            ``CERT_SIGNATORY_NIP`` and ``PUBLIC_BASE_URL``.

    Returns:
        The snapshot (see the keys below); dates twice, as ISO ``YYYY-MM-DD`` (WIB) and as
        printed text; ``unit_kerja`` is the unit's name and ``instansi`` its agency's
        (``Pemerintah Kabupaten Kerinci``), both empty without a unit.
    """
    tz = settings.get("PORTAL_TIMEZONE") or "Asia/Jakarta"

    def day(value: datetime) -> tuple[str, str]:
        return to_local(value, tz).date().isoformat(), format_date_long(value, "id", tz)

    enrolled_iso, enrolled_text = day(enrolled_at)
    completed_iso, completed_text = day(completed_at)
    issued_iso, issued_text = day(issued_at)
    city = (settings.get("CERT_CITY") or "").strip()
    base_url = (settings.get("PUBLIC_BASE_URL") or "").strip().rstrip("/") or None
    competency_type = (course.competency_type or "").strip()
    return {
        "version": SNAPSHOT_VERSION,
        "code": code,
        "number": number,
        "name": user.display_name,
        "nip": user.nip or "",
        "pangkat_golongan": (user.pangkat_golongan or "").strip(),
        "jabatan": (user.jabatan or "").strip(),
        "unit_kerja": (user.opd.name if user.opd else "").strip(),
        "instansi": (user.opd.agency.name if user.opd else "").strip(),
        "course_title": course.title.strip(),
        "course_code": (course.code or "").strip(),
        "course_mode": MODES.get(course.mode, course.mode or ""),
        "partner": (course.partner or "").strip(),
        "jp": int(course.jp),
        "competency_type": competency_type,
        "competency_type_label": COMPETENCY_TYPES.get(competency_type, competency_type),
        "competencies": competency_labels(course.competencies),
        "enrolled_on": enrolled_iso,
        "enrolled_on_text": enrolled_text,
        "completed_on": completed_iso,
        "completed_on_text": completed_text,
        "posttest_score": format_score(posttest_percent),
        "issued_on": issued_iso,
        "issued_on_text": issued_text,
        "place_and_date": f"{city}, {issued_text}" if city else issued_text,
        "city": city,
        "issuer": (settings.get("CERT_ISSUER") or "").strip(),
        "signatory_name": (settings.get("CERT_SIGNATORY_NAME") or "").strip(),
        "signatory_title": (settings.get("CERT_SIGNATORY_TITLE") or "").strip(),
        "signatory_nip": (settings.get("CERT_SIGNATORY_NIP") or "").strip(),
        "verify_base_url": base_url,
    }
