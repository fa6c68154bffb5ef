"""Pangkat/golongan of PNS and golongan of PPPK, as offered on registration and the profile.

Sources:
- PNS: Peraturan Pemerintah Nomor 99 Tahun 2000 (kenaikan pangkat PNS), as amended by PP 12/2002:
  17 ranks from Juru Muda (I/a) to Pembina Utama (IV/e). "Tk. I" is the usual short form of
  "Tingkat I".
- PPPK: Peraturan Presiden Nomor 98 Tahun 2020 (gaji dan tunjangan PPPK): golongan I to XVII.

Each value is stored as typed here on ``User.pangkat_golongan`` and printed on certificates,
so the text is Indonesian and never translated.
"""

from __future__ import annotations

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
