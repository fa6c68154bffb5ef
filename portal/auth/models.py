"""Users, roles, agencies (instansi) and their units (OPD, unit kerja)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class Role(str, enum.Enum):
    """A user's role. One role per user; admins can do what HR and instructors can."""

    PESERTA = "peserta"
    INSTRUCTOR = "instructor"
    HR = "hr"
    ADMIN = "admin"


class AgencyKind(str, enum.Enum):
    """What level of government an agency is (UU 23/2014 on regional government)."""

    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KOTA = "kota"


class Agency(db.Model):
    """An instansi: the Jambi provincial government or one of its 11 kabupaten/kota
    governments, each with its own units (:class:`Opd`).

    ``code`` is the region's code in Kemendagri's list of administrative regions (``15`` for
    the province, ``15.01`` for Kabupaten Kerinci, ``15.71`` for Kota Jambi); ``kind`` is an
    :class:`AgencyKind` value. Lists show active agencies by ``position``, then by name.
    Seeded by migration 0005.
    """

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    opds: Mapped[list[Opd]] = relationship(back_populates="agency")

    def __repr__(self) -> str:
        return f"<Agency {self.code}>"


class Opd(db.Model):
    """A unit kerja (organisasi perangkat daerah: sekretariat, inspektorat, badan, dinas,
    rumah sakit daerah, kecamatan, ...) of one :class:`Agency`.

    ``code`` is unique within its agency (``DINKES`` exists in several); kecamatan carry their
    Kemendagri region code (``15.01.01``). Lists show active units by ``position`` (the kind
    of unit: secretariats first, kecamatan last), then by name. Seeded by migrations 0002
    (the provincial units) and 0005 (the kabupaten/kota units).
    """

    __tablename__ = "opd"
    __table_args__ = (sa.UniqueConstraint("agency_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    agency: Mapped[Agency] = relationship(back_populates="opds", lazy="joined")

    def __repr__(self) -> str:
        return f"<Opd {self.code}>"


class User(UserMixin, db.Model):
    """A portal account. ASN accounts carry a NIP (18 digits, personal data).

    Name parts follow Indonesian usage: ``name_prefix`` holds titles written before the name
    ("Dr.", "Ir."), ``name_suffix`` academic titles after it ("S.E., M.Si."). ``role`` is a
    :class:`Role` value. ``session_version`` is written into every login session;
    incrementing it ends them all (:func:`portal.auth.services.end_all_sessions`,
    :mod:`portal.auth.sessions`). ``created_at`` and ``last_login_at`` are aware UTC. Failed
    logins are throttled outside the database (:mod:`portal.auth.throttle`).
    """

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    name_prefix: Mapped[str] = mapped_column(sa.String(60), default="")
    full_name: Mapped[str] = mapped_column(sa.String(150))
    name_suffix: Mapped[str] = mapped_column(sa.String(100), default="")
    pangkat_golongan: Mapped[str] = mapped_column(sa.String(80), default="")
    jabatan: Mapped[str] = mapped_column(sa.String(200), default="")
    opd_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opd.id"))
    role: Mapped[str] = mapped_column(sa.String(20), default=Role.PESERTA.value)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    session_version: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    opd: Mapped[Opd | None] = relationship()

    @property
    def is_active(self) -> bool:  # flask-login
        """Flask-Login's flag: False for a deactivated account (``is_active_account``)."""
        return self.is_active_account

    @property
    def display_name(self) -> str:
        """Name with titles, e.g. ``Dr. Budi Santoso, S.E., M.Si.``."""
        name = self.full_name.strip()
        if self.name_prefix.strip():
            name = f"{self.name_prefix.strip()} {name}"
        if self.name_suffix.strip():
            name = f"{name}, {self.name_suffix.strip().lstrip(',').strip()}"
        return name

    def has_role(self, *roles: Role | str) -> bool:
        """True if the user's role is one of ``roles``; admins pass every check."""
        wanted = {r.value if isinstance(r, Role) else r for r in roles}
        return self.role == Role.ADMIN.value or self.role in wanted

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class CarriedPostRecord(db.Model):
    """The server's record of a form post carried across a login (:mod:`portal.auth.reauth`).

    The signed token in the login form names its record by ``nonce`` (random, URL-safe, 32
    bytes of entropy). Only the record decides when the post arrived (``arrived_at``, aware
    UTC) and for whom it may be trusted (``user_id``: the account whose ended session sent
    it). ``used_at`` (aware UTC) is set when a login trusts it, so it is trusted once; only
    the newest record of an account and ``target`` (path posted to) is ever trusted.
    """

    __tablename__ = "carried_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                         index=True)
    target: Mapped[str] = mapped_column(sa.String(255))
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<CarriedPostRecord {self.id} user={self.user_id} {self.target}>"
