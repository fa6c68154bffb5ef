"""agencies (instansi) and their units: the province and Jambi's 11 kabupaten/kota

Until now only the 40 units of the provincial government could be chosen, so staff of the
kabupaten/kota governments could not register. This migration adds the table ``agency``
(instansi), makes every existing ``opd`` row a unit of the provincial agency (ids kept, so no
user loses their unit), lets a unit code repeat across agencies (``DINKES`` exists in each),
and seeds the units of the 11 kabupaten/kota governments.

Where the lists come from:
- Agencies and their codes: Kemendagri's codes of administrative regions (structure in
  Permendagri 137/2017 on kode dan data wilayah administrasi pemerintahan): Provinsi Jambi 15,
  its 9 kabupaten 15.01-15.09 and 2 kota 15.71-15.72.
- Kecamatan of each kabupaten/kota: the same code list at district level (141 kecamatan),
  as tabulated in the public dataset emsifa/api-wilayah-indonesia (data/districts.csv).
- Secretariats, inspectorate, badan, dinas, Satpol PP and the regional hospital of each
  kabupaten/kota: the perangkat daerah that UU 23/2014 and PP 18/2016 (perangkat daerah) give
  every kabupaten/kota for its mandatory affairs, under their standard names. Each
  government's own Perda on the make-up of its perangkat daerah may merge or rename some of
  them; the rows carry active flags, codes and positions so an admin can correct the list.

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-30 09:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None

PROVINCE = "15"

AGENCIES = [
    # (code, name, kind, position): the province first, then kabupaten, then kota, by name.
    ("15", "Pemerintah Provinsi Jambi", "provinsi", 0),
    ("15.04", "Pemerintah Kabupaten Batanghari", "kabupaten", 10),
    ("15.08", "Pemerintah Kabupaten Bungo", "kabupaten", 11),
    ("15.01", "Pemerintah Kabupaten Kerinci", "kabupaten", 12),
    ("15.02", "Pemerintah Kabupaten Merangin", "kabupaten", 13),
    ("15.05", "Pemerintah Kabupaten Muaro Jambi", "kabupaten", 14),
    ("15.03", "Pemerintah Kabupaten Sarolangun", "kabupaten", 15),
    ("15.06", "Pemerintah Kabupaten Tanjung Jabung Barat", "kabupaten", 16),
    ("15.07", "Pemerintah Kabupaten Tanjung Jabung Timur", "kabupaten", 17),
    ("15.09", "Pemerintah Kabupaten Tebo", "kabupaten", 18),
    ("15.71", "Pemerintah Kota Jambi", "kota", 20),
    ("15.72", "Pemerintah Kota Sungai Penuh", "kota", 21),
]

# Positions: the kind of unit, as governments list them; names order units within a kind.
SECRETARIAT, COUNCIL_SECRETARIAT, INSPECTORATE = 1, 2, 3
BADAN, DINAS, SATPOL, HOSPITAL, SUBDISTRICT = 10, 20, 30, 40, 50

PROVINCIAL_POSITIONS = {
    "SETDA": SECRETARIAT, "SETWAN": COUNCIL_SECRETARIAT, "INSPEKTORAT": INSPECTORATE,
    "BAPPEDA": BADAN, "BPKAD": BADAN, "BAPENDA": BADAN, "BKD": BADAN, "BPSDM": BADAN,
    "BPBD": BADAN, "KESBANGPOL": BADAN, "BRIDA": BADAN, "BADAN-PENGHUBUNG": BADAN,
    "SATPOLPP": SATPOL, "RSUD-RM": HOSPITAL, "RSJD": HOSPITAL,
}
"""Positions of the provincial units seeded by 0002; the others (dinas) get DINAS."""

REGIONAL_UNITS = [
    ("SETDA", "Sekretariat Daerah", SECRETARIAT),
    ("SETWAN", "Sekretariat DPRD", COUNCIL_SECRETARIAT),
    ("INSPEKTORAT", "Inspektorat", INSPECTORATE),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", BADAN),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", BADAN),
    ("BAPENDA", "Badan Pendapatan Daerah", BADAN),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", BADAN),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", BADAN),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", BADAN),
    ("DISDIK", "Dinas Pendidikan", DINAS),
    ("DINKES", "Dinas Kesehatan", DINAS),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", DINAS),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", DINAS),
    ("DINSOS", "Dinas Sosial", DINAS),
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", DINAS),
    ("DISNAKER", "Dinas Tenaga Kerja", DINAS),
    ("DPPKBP3A", "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan "
                 "dan Perlindungan Anak", DINAS),
    ("DKP", "Dinas Ketahanan Pangan", DINAS),
    ("DLH", "Dinas Lingkungan Hidup", DINAS),
    ("DISHUB", "Dinas Perhubungan", DINAS),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", DINAS),
    ("DISKOPUKM", "Dinas Koperasi dan Usaha Kecil Menengah", DINAS),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", DINAS),
    ("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", DINAS),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", DINAS),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", SATPOL),
    ("RSUD", "Rumah Sakit Umum Daerah", HOSPITAL),
]
"""Units of every kabupaten/kota government (see the module docstring for the source)."""

KABUPATEN_UNITS = [
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", DINAS),
    ("DISPERTAN", "Dinas Pertanian", DINAS),
]
"""Units of a kabupaten only: villages (desa) and farming are kabupaten affairs."""

KECAMATAN = {
    # agency code: [(Kemendagri district code, name), ...]
    "15.01": [
        ("15.01.01", "Gunung Raya"), ("15.01.02", "Danau Kerinci"), ("15.01.04", "Sitinjau Laut"),
        ("15.01.05", "Air Hangat"), ("15.01.06", "Gunung Kerinci"),
        ("15.01.07", "Batang Merangin"), ("15.01.08", "Keliling Danau"), ("15.01.09", "Kayu Aro"),
        ("15.01.11", "Air Hangat Timur"), ("15.01.15", "Gunung Tujuh"), ("15.01.16", "Siulak"),
        ("15.01.17", "Depati Tujuh"), ("15.01.18", "Siulak Mukai"), ("15.01.19", "Kayu Aro Barat"),
        ("15.01.20", "Bukitkerman"), ("15.01.21", "Air Hangat Barat"),
    ],
    "15.02": [
        ("15.02.01", "Jangkat"), ("15.02.02", "Bangko"), ("15.02.03", "Muara Siau"),
        ("15.02.04", "Sungai Manau"), ("15.02.05", "Tabir"), ("15.02.06", "Pamenang"),
        ("15.02.07", "Tabir Ulu"), ("15.02.08", "Tabir Selatan"), ("15.02.09", "Lembah Masurai"),
        ("15.02.10", "Bangko Barat"), ("15.02.11", "Nalo Tatan"), ("15.02.12", "Batang Masumai"),
        ("15.02.13", "Pamenang Barat"), ("15.02.14", "Tabir Ilir"), ("15.02.15", "Tabir Timur"),
        ("15.02.16", "Renah Pembarap"), ("15.02.17", "Pangkalan Jambu"),
        ("15.02.18", "Jangkat Timur"), ("15.02.19", "Renah Pamenang"),
        ("15.02.20", "Pamenang Selatan"), ("15.02.21", "Margo Tabir"),
        ("15.02.22", "Tabir Lintas"), ("15.02.23", "Tabir Barat"), ("15.02.24", "Tiang Pumpung"),
    ],
    "15.03": [
        ("15.03.01", "Batang Asai"), ("15.03.02", "Limun"), ("15.03.03", "Sarolangun"),
        ("15.03.04", "Pauh"), ("15.03.05", "Pelawan"), ("15.03.06", "Mandiangin"),
        ("15.03.07", "Air Hitam"), ("15.03.08", "Bathin VIII"), ("15.03.09", "Singkut"),
        ("15.03.10", "Cermin Nan Gedang"),
    ],
    "15.04": [
        ("15.04.01", "Mersam"), ("15.04.02", "Muara Tembesi"), ("15.04.03", "Muara Bulian"),
        ("15.04.04", "Batin XXIV"), ("15.04.05", "Pemayung"), ("15.04.06", "Maro Sebo Ulu"),
        ("15.04.07", "Bajubang"), ("15.04.08", "Maro Sebo Ilir"),
    ],
    "15.05": [
        ("15.05.01", "Jambi Luar Kota"), ("15.05.02", "Sekernan"), ("15.05.03", "Kumpeh"),
        ("15.05.04", "Maro Sebo"), ("15.05.05", "Mestong"), ("15.05.06", "Kumpeh Ulu"),
        ("15.05.07", "Sungai Bahar"), ("15.05.08", "Sungai Gelam"), ("15.05.09", "Bahar Utara"),
        ("15.05.10", "Bahar Selatan"), ("15.05.11", "Taman Rajo"),
    ],
    "15.06": [
        ("15.06.01", "Tungkal Ulu"), ("15.06.02", "Tungkal Ilir"), ("15.06.03", "Pengabuan"),
        ("15.06.04", "Betara"), ("15.06.05", "Merlung"), ("15.06.06", "Tebing Tinggi"),
        ("15.06.07", "Batang Asam"), ("15.06.08", "Renah Mendaluh"), ("15.06.09", "Muara Papalik"),
        ("15.06.10", "Seberang Kota"), ("15.06.11", "Bram Itam"), ("15.06.12", "Kuala Betara"),
        ("15.06.13", "Senyerang"),
    ],
    "15.07": [
        ("15.07.01", "Muara Sabak Timur"), ("15.07.02", "Nipah Panjang"),
        ("15.07.03", "Mendahara"), ("15.07.04", "Rantau Rasau"), ("15.07.05", "Sadu"),
        ("15.07.06", "Dendang"), ("15.07.07", "Muara Sabak Barat"), ("15.07.08", "Kuala Jambi"),
        ("15.07.09", "Mendahara Ulu"), ("15.07.10", "Geragai"), ("15.07.11", "Berbak"),
    ],
    "15.08": [
        ("15.08.01", "Tanah Tumbuh"), ("15.08.02", "Rantau Pandan"),
        ("15.08.03", "Pasar Muaro Bungo"), ("15.08.04", "Jujuhan"),
        ("15.08.05", "Tanah Sepenggal"), ("15.08.06", "Pelepat"),
        ("15.08.07", "Limbur Lubuk Mengkuang"), ("15.08.08", "Muko-muko Bathin VII"),
        ("15.08.09", "Pelepat Ilir"), ("15.08.10", "Batin II Babeko"), ("15.08.11", "Bathin III"),
        ("15.08.12", "Bungo Dani"), ("15.08.13", "Rimbo Tengah"), ("15.08.14", "Bathin III Ulu"),
        ("15.08.15", "Bathin II Pelayang"), ("15.08.16", "Jujuhan Ilir"),
        ("15.08.17", "Tanah Sepenggal Lintas"),
    ],
    "15.09": [
        ("15.09.01", "Tebo Tengah"), ("15.09.02", "Tebo Ilir"), ("15.09.03", "Tebo Ulu"),
        ("15.09.04", "Rimbo Bujang"), ("15.09.05", "Sumay"), ("15.09.06", "VII Koto"),
        ("15.09.07", "Rimbo Ulu"), ("15.09.08", "Rimbo Ilir"), ("15.09.09", "Tengah Ilir"),
        ("15.09.10", "Serai Serumpun"), ("15.09.11", "VII Koto Ilir"), ("15.09.12", "Muara Tabir"),
    ],
    "15.71": [
        ("15.71.01", "Telanaipura"), ("15.71.02", "Jambi Selatan"), ("15.71.03", "Jambi Timur"),
        ("15.71.04", "Pasar Jambi"), ("15.71.05", "Pelayangan"), ("15.71.06", "Danau Teluk"),
        ("15.71.07", "Kota Baru"), ("15.71.08", "Jelutung"), ("15.71.09", "Alam Barajo"),
        ("15.71.10", "Danau Sipin"), ("15.71.11", "Paal Merah"),
    ],
    "15.72": [
        ("15.72.01", "Sungai Penuh"), ("15.72.02", "Pesisir Bukit"),
        ("15.72.03", "Hamparan Rawang"), ("15.72.04", "Tanah Kampung"),
        ("15.72.05", "Kumun Debai"), ("15.72.06", "Pondok Tinggi"), ("15.72.07", "Koto Baru"),
        ("15.72.08", "Sungai Bungkal"),
    ],
}


def _agency_table():
    return sa.table("agency", sa.column("id", sa.Integer), sa.column("code", sa.String),
                    sa.column("name", sa.String), sa.column("kind", sa.String),
                    sa.column("position", sa.Integer), sa.column("is_active", sa.Boolean))


def _opd_table():
    return sa.table("opd", sa.column("id", sa.Integer), sa.column("agency_id", sa.Integer),
                    sa.column("code", sa.String), sa.column("name", sa.String),
                    sa.column("position", sa.Integer), sa.column("is_active", sa.Boolean))


def _user_table():
    return sa.table("user", sa.column("id", sa.Integer), sa.column("opd_id", sa.Integer))


def _detach_users_on_sqlite():
    """On SQLite, unset ``user.opd_id`` for the time ``opd`` is rebuilt, and return the
    ``(user id, opd id)`` pairs to restore with :func:`_reattach_users`.

    Batch mode rebuilds the table (copy, drop, rename); SQLite checks foreign keys at each
    statement and the pragma that would turn them off is ignored inside a transaction, so
    dropping the old ``opd`` while users point at its rows would fail, although the rebuilt
    table holds the same ids. PostgreSQL alters the table in place: nothing to do there.
    """
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return []
    user = _user_table()
    pairs = conn.execute(sa.select(user.c.id, user.c.opd_id)
                         .where(user.c.opd_id.is_not(None))).all()
    conn.execute(user.update().values(opd_id=None))
    return pairs


def _reattach_users(pairs):
    """Put back the units unset by :func:`_detach_users_on_sqlite` (ids are unchanged)."""
    if pairs:
        user = _user_table()
        op.get_bind().execute(
            user.update().where(user.c.id == sa.bindparam("uid")).values(
                opd_id=sa.bindparam("oid")),
            [{"uid": uid, "oid": oid} for uid, oid in pairs])


def upgrade():
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("code", name=op.f("uq_agency_code")),
    )
    agency = _agency_table()
    op.bulk_insert(agency, [{"code": c, "name": n, "kind": k, "position": p, "is_active": True}
                            for c, n, k, p in AGENCIES])

    with op.batch_alter_table("opd", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False,
                                      server_default="0"))

    conn = op.get_bind()
    ids = dict(conn.execute(sa.select(agency.c.code, agency.c.id)).all())
    opd = _opd_table()
    # Every unit so far is one of the province's (0002 seeded only those): same rows, same
    # ids, so every user keeps their unit.
    conn.execute(opd.update().values(agency_id=ids[PROVINCE], position=DINAS))
    for code, position in PROVINCIAL_POSITIONS.items():
        conn.execute(opd.update().where(opd.c.code == code).values(position=position))

    detached = _detach_users_on_sqlite()
    with op.batch_alter_table("opd", schema=None) as batch_op:
        batch_op.alter_column("agency_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("position", existing_type=sa.Integer(), server_default=None)
        batch_op.drop_constraint("uq_opd_code", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_opd_agency_id_code"),
                                          ["agency_id", "code"])
        batch_op.create_foreign_key(batch_op.f("fk_opd_agency_id_agency"), "agency",
                                    ["agency_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_opd_agency_id"), ["agency_id"], unique=False)
    _reattach_users(detached)

    rows = []
    for code, _name, kind, _position in AGENCIES:
        if code == PROVINCE:
            continue
        units = REGIONAL_UNITS + (KABUPATEN_UNITS if kind == "kabupaten" else [])
        rows += [{"agency_id": ids[code], "code": c, "name": n, "position": p,
                  "is_active": True} for c, n, p in units]
        rows += [{"agency_id": ids[code], "code": c, "name": f"Kecamatan {n}",
                  "position": SUBDISTRICT, "is_active": True} for c, n in KECAMATAN[code]]
    op.bulk_insert(opd, rows)


def downgrade():
    conn = op.get_bind()
    agency, opd = _agency_table(), _opd_table()
    province = conn.execute(sa.select(agency.c.id).where(agency.c.code == PROVINCE)).scalar()
    others = sa.select(opd.c.id).where(opd.c.agency_id != province)
    user = _user_table()
    # Before 0005 only provincial units existed: users of the others lose their unit.
    conn.execute(user.update().where(user.c.opd_id.in_(others)).values(opd_id=None))
    conn.execute(opd.delete().where(opd.c.agency_id != province))

    detached = _detach_users_on_sqlite()
    with op.batch_alter_table("opd", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opd_agency_id"))
        batch_op.drop_constraint(batch_op.f("fk_opd_agency_id_agency"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_opd_agency_id_code"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_opd_code"), ["code"])
        batch_op.drop_column("position")
        batch_op.drop_column("agency_id")
    _reattach_users(detached)
    op.drop_table("agency")
