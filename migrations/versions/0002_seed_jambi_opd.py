"""seed the list of Jambi provincial OPDs (unit kerja)

Reference data every deployment needs: registration offers these as the learner's unit
kerja. Names follow the Pemerintah Provinsi Jambi organisation structure (Perda Provinsi
Jambi on perangkat daerah); admins can correct them later.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 11:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPDS = [
    ("SETDA", "Sekretariat Daerah Provinsi Jambi"),
    ("SETWAN", "Sekretariat DPRD Provinsi Jambi"),
    ("INSPEKTORAT", "Inspektorat Provinsi Jambi"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah"),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("BAPENDA", "Badan Pendapatan Daerah"),
    ("BKD", "Badan Kepegawaian Daerah"),
    ("BPSDM", "Badan Pengembangan Sumber Daya Manusia"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah"),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik"),
    ("BRIDA", "Badan Riset dan Inovasi Daerah"),
    ("BADAN-PENGHUBUNG", "Badan Penghubung Daerah"),
    ("DISDIK", "Dinas Pendidikan"),
    ("DINKES", "Dinas Kesehatan"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("DISPERKIM", "Dinas Perumahan Rakyat dan Kawasan Permukiman"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja"),
    ("DINSOS", "Dinas Sosial"),
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("DISNAKERTRANS", "Dinas Tenaga Kerja dan Transmigrasi"),
    ("DP3AP2", "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana"),
    ("DKP", "Dinas Ketahanan Pangan"),
    ("DLH", "Dinas Lingkungan Hidup"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa"),
    ("DISHUB", "Dinas Perhubungan"),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika"),
    ("DISKOPUKM", "Dinas Koperasi dan Usaha Kecil Menengah"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("DISPORA", "Dinas Pemuda dan Olahraga"),
    ("DISPUSIP", "Dinas Perpustakaan dan Kearsipan"),
    ("DKP-PERIKANAN", "Dinas Kelautan dan Perikanan"),
    ("DTPH", "Dinas Tanaman Pangan dan Hortikultura"),
    ("DISBUN", "Dinas Perkebunan"),
    ("DISNAKKESWAN", "Dinas Peternakan dan Kesehatan Hewan"),
    ("DISHUT", "Dinas Kehutanan"),
    ("DESDM", "Dinas Energi dan Sumber Daya Mineral"),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan"),
    ("DISBUDPAR", "Dinas Kebudayaan dan Pariwisata"),
    ("RSUD-RM", "RSUD Raden Mattaher"),
    ("RSJD", "Rumah Sakit Jiwa Daerah Provinsi Jambi"),
]


def upgrade():
    opd = sa.table(
        "opd",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("is_active", sa.Boolean),
    )
    op.bulk_insert(opd, [{"code": c, "name": n, "is_active": True} for c, n in OPDS])


def downgrade():
    opd = sa.table("opd", sa.column("code", sa.String))
    op.execute(opd.delete().where(opd.c.code.in_([c for c, _ in OPDS])))
