"""Users, roles, agencies (instansi) and their units (OPD, unit kerja)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, one_of
from portal.timeutil import UTCDateTime, utcnow


class Role(enum.StrEnum):
    """A role a user holds. A user holds a set of roles (:attr:`User.roles`): every account
    is a learner (``peserta``) unless stated otherwise, and a widyaiswara is an instructor
    and a learner; admins can do what HR and instructors can."""

    PESERTA = "peserta"
    INSTRUCTOR = "instructor"
    HR = "hr"
    ADMIN = "admin"


class AgencyKind(enum.StrEnum):
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
    __table_args__ = (one_of("kind", AgencyKind),)

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
    ("Dr.", "Ir."), ``name_suffix`` academic titles after it ("S.E., M.Si."). ``roles`` is
    the set of :class:`Role` the user holds. ``supervisor_id`` points at the account of the
    user's atasan langsung (direct supervisor), the official who appraises the user's
    performance (PP 30/2019 on PNS performance appraisal; PermenPANRB 6/2022 on managing ASN
    performance): None when unknown, never the user; it becomes None when that account is
    deleted. ``session_version`` is written into every login session;
    incrementing it ends them all (:func:`portal.auth.services.end_all_sessions`,
    :mod:`portal.auth.sessions`). ``created_at`` and ``last_login_at`` are aware UTC. Failed
    logins are throttled outside the database (:mod:`portal.auth.throttle`).
    """

    __tablename__ = "user"
    __table_args__ = (sa.CheckConstraint("supervisor_id <> id", name="supervisor_not_self"),)

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
    is_active_account: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    session_version: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    supervisor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))

    opd: Mapped[Opd | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True)
    supervisor: Mapped[User | None] = relationship(remote_side=[id])

    @property
    def roles(self) -> frozenset[Role]:
        """The roles the user holds (a set of :class:`Role`; rows of ``user_role``)."""
        return frozenset(Role(row.role) for row in self.role_rows)

    @roles.setter
    def roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        self.role_rows[:] = [row for row in self.role_rows if Role(row.role) in wanted]
        held = {Role(row.role) for row in self.role_rows}
        self.role_rows.extend(UserRole(role=r.value) for r in sorted(wanted - held))

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
        """True if the user holds one of ``roles``; admins pass every check."""
        held = {row.role for row in self.role_rows}
        return Role.ADMIN.value in held or any(str(r) in held for r in roles)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(db.Model):
    """One role (a :class:`Role` value) held by one user; a user holds a set of them."""

    __tablename__ = "user_role"
    __table_args__ = (one_of("role", Role),)

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")

    def __repr__(self) -> str:
        return f"<UserRole {self.user_id} {self.role}>"


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
