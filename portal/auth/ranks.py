"""Pangkat/golongan of PNS and golongan of PPPK, as offered on registration and the profile.

Sources:
- PNS: Peraturan Pemerintah Nomor 99 Tahun 2000 (kenaikan pangkat PNS), as amended by PP 12/2002:
  17 ranks from Juru Muda (I/a) to Pembina Utama (IV/e). "Tk. I" is the usual short form of
  "Tingkat I".
- PPPK: Peraturan Presiden Nomor 98 Tahun 2020 (gaji dan tunjangan PPPK): golongan I to XVII.

A PNS holds a PNS rank and a PPPK a PPPK grade, never the other: :func:`rank_mismatch` tells
which by the number (a NIP or an NI PPPK, :func:`portal.auth.nip.nip_kind`).

Each value is stored as typed here on ``User.pangkat_golongan`` and printed on certificates,
so the text is Indonesian and never translated.
"""

from __future__ import annotations

from portal.auth.nip import PNS, PPPK, nip_kind

PNS_RANKS: tuple[str, ...] = (
    "Juru Muda, I/a",
    "Juru Muda Tk. I, I/b",
    "Juru, I/c",
    "Juru Tk. I, I/d",
    "Pengatur Muda, II/a",
    "Pengatur Muda Tk. I, II/b",
    "Pengatur, II/c",
    "Pengatur Tk. I, II/d",
    "Penata Muda, III/a",
    "Penata Muda Tk. I, III/b",
    "Penata, III/c",
    "Penata Tk. I, III/d",
    "Pembina, IV/a",
    "Pembina Tk. I, IV/b",
    "Pembina Utama Muda, IV/c",
    "Pembina Utama Madya, IV/d",
    "Pembina Utama, IV/e",
)
"""The 17 PNS ranks, lowest first, as ``"<pangkat>, <golongan/ruang>"``."""

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
          "XIV", "XV", "XVI", "XVII")

PPPK_GRADES: tuple[str, ...] = tuple(f"PPPK Golongan {numeral}" for numeral in _ROMAN)
"""The 17 PPPK golongan, lowest first, as ``"PPPK Golongan <roman numeral>"``."""

ALL_RANKS: frozenset[str] = frozenset(PNS_RANKS + PPPK_GRADES)


def is_known_rank(value: str) -> bool:
    """True if ``value`` is one of :data:`PNS_RANKS` or :data:`PPPK_GRADES`."""
    return value in ALL_RANKS


def rank_kind(value: str) -> str | None:
    """:data:`portal.auth.nip.PNS` for a PNS rank, :data:`portal.auth.nip.PPPK` for a PPPK
    grade, None for anything else (empty, or a value saved before the lists existed)."""
    if value in _PNS_SET:
        return PNS
    if value in _PPPK_SET:
        return PPPK
    return None


_PNS_SET = frozenset(PNS_RANKS)
_PPPK_SET = frozenset(PPPK_GRADES)


def rank_mismatch(rank: str, nip: str | None) -> str | None:
    """Why ``rank`` cannot be held by the holder of ``nip``, or None when it can.

    Returns ``"pns_rank_for_pppk"`` when ``nip`` is an NI PPPK (digits 13–14 ``21``) and
    ``rank`` a PNS rank, ``"pppk_grade_for_pns"`` when ``nip`` is a NIP and ``rank`` a PPPK
    grade; None otherwise (the kinds agree, no or a malformed number, or a rank on neither
    list). A PPPK is not a PNS and has no pangkat (UU 20/2023 on ASN; golongan PPPK:
    Perpres 98/2020), and a PNS has no PPPK golongan.
    """
    kind, held = nip_kind(nip), rank_kind((rank or "").strip())
    if kind is None or held is None or kind == held:
        return None
    return "pns_rank_for_pppk" if kind == PPPK else "pppk_grade_for_pns"
