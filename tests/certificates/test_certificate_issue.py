"""Issuing: completion rule, idempotence, codes, yearly numbers, the frozen snapshot."""

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from portal.certificates.codes import ALPHABET
from portal.certificates.models import Certificate, CertificateCounter
from portal.certificates.services import issue_certificate
from tests.factories import ISSUE_MOMENT


def test_an_enrolment_not_completed_gets_no_certificate(db, make_enrolment):
    enrolment = make_enrolment(completed=False)
    with pytest.raises(ValueError):
        issue_certificate(enrolment)
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0


def test_issuing_twice_returns_the_same_certificate(db, make_enrolment, freeze_now):
    freeze_now(ISSUE_MOMENT)
    enrolment = make_enrolment()
    first = issue_certificate(enrolment)
    db.session.commit()
    second = issue_certificate(enrolment)
    assert second.id == first.id
    assert second.number == first.number
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1
    counter = db.session.get(CertificateCounter, 2026)
    assert counter.last_number == 1


def test_issue_flushes_but_does_not_commit(db, make_enrolment):
    enrolment = make_enrolment()
    certificate = issue_certificate(enrolment)
    assert certificate.id is not None
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0


def test_code_is_twenty_characters_of_crockford_base32(issue):
    certificate = issue()
    assert len(certificate.code) == 20
    assert set(certificate.code) <= set(ALPHABET)
    assert certificate.snapshot["code"] == certificate.code


def test_numbers_are_sequential_and_unique_within_a_year(db, issue, make_user, make_course,
                                                         freeze_now):
    freeze_now(datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc))
    other_course = make_course(code="MPP-02", title="Manajemen Proyek Pemerintah")
    user = make_user()
    numbers = [issue().number, issue().number, issue(user=user, course=other_course).number]
    assert numbers == [
        "0001/BPSDM-JBI/PPBTI-01/2026",
        "0002/BPSDM-JBI/PPBTI-01/2026",
        "0003/BPSDM-JBI/MPP-02/2026",
    ]
    stored = db.session.scalars(sa.select(Certificate.number)).all()
    assert len(stored) == len(set(stored)) == 3


def test_numbering_restarts_in_a_new_wib_year(db, issue, freeze_now):
    # 31 Dec 2026 16:59 UTC is 23:59 WIB: still 2026.
    freeze_now(datetime(2026, 12, 31, 16, 59, tzinfo=timezone.utc))
    assert issue().number == "0001/BPSDM-JBI/PPBTI-01/2026"
    assert issue().number == "0002/BPSDM-JBI/PPBTI-01/2026"
    # 31 Dec 2026 17:30 UTC is already 1 Jan 2027 00:30 WIB.
    freeze_now(datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc))
    assert issue().number == "0001/BPSDM-JBI/PPBTI-01/2027"
    freeze_now(datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc))
    assert issue().number == "0003/BPSDM-JBI/PPBTI-01/2026"


def test_number_prefix_comes_from_the_settings(app, issue):
    app.config["CERT_NUMBER_PREFIX"] = "BPSDMD-JBI"
    assert issue().number.split("/")[1] == "BPSDMD-JBI"


def test_a_second_session_takes_the_next_number_not_a_stale_one(app, db, make_enrolment,
                                                                freeze_now):
    """Two app servers: the counter is read fresh under its lock, never from a cache."""
    freeze_now(datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc))
    first, second = make_enrolment(), make_enrolment()
    issue_certificate(first)
    db.session.commit()
    stale = db.session.get(CertificateCounter, 2026)
    assert stale.last_number == 1

    # Another server (its own session and connection) issues one meanwhile.
    with app.app_context():
        from portal.progress.models import Enrolment

        other = make_enrolment()
        issue_certificate(db.session.get(Enrolment, other.id))
        db.session.commit()
        db.session.remove()

    certificate = issue_certificate(second)
    db.session.commit()
    assert certificate.number.startswith("0003/")


def test_snapshot_holds_every_printed_field(app, db, make_user, make_course, make_enrolment,
                                            freeze_now):
    freeze_now(datetime(2026, 11, 28, 20, 31, tzinfo=timezone.utc))
    app.config.update(CERT_SIGNATORY_NAME="Dr. H. Ahmad Fauzi, S.E., M.M.",
                      CERT_SIGNATORY_NIP="197001011995031001")
    user = make_user(name_prefix="Dr.", full_name="Siti Rahmawati", name_suffix="S.Kom., M.Si.",
                     nip="198609262015052001")
    course = make_course(partner="Universitas Jambi")
    certificate = issue_certificate(make_enrolment(user=user, course=course))
    s = certificate.snapshot
    assert s["name"] == "Dr. Siti Rahmawati, S.Kom., M.Si."
    assert s["nip"] == "198609262015052001"
    assert s["pangkat_golongan"] == "Penata Muda Tk. I, III/b"
    assert s["jabatan"] == "Analis Kebijakan Ahli Pertama"
    assert s["unit_kerja"] == user.opd.name
    assert s["course_title"] == "Pelayanan Publik Berbasis Teknologi Informasi"
    assert s["course_code"] == "PPBTI-01"
    assert s["partner"] == "Universitas Jambi"
    assert s["jp"] == 20
    assert s["competency_type_label"] == "Manajerial"
    assert s["competencies"] == ["M.05 Pelayanan Publik", "M.03 Komunikasi"]
    assert s["enrolled_on_text"] == "2 November 2026"
    # Completed 28 Nov 20:30 UTC = 29 Nov 03:30 WIB.
    assert s["completed_on"] == "2026-11-29"
    assert s["completed_on_text"] == "29 November 2026"
    assert s["place_and_date"] == "Jambi, 29 November 2026"
    assert s["issuer"] == "Badan Pengembangan Sumber Daya Manusia Provinsi Jambi"
    assert s["signatory_name"] == "Dr. H. Ahmad Fauzi, S.E., M.M."
    assert s["signatory_nip"] == "197001011995031001"
    assert s["signatory_title"].startswith("Kepala Badan")
    assert s["verify_base_url"] == "http://portal.test"
    assert s["posttest_score"] is None
    assert certificate.holder_name == s["name"]
    assert certificate.holder_nip == s["nip"]
    assert certificate.status == "valid"


def test_snapshot_records_the_post_test_grade_in_indonesian(issue):
    """Printed by the portal's one rule: two decimals rounded down, decimal comma, % sign
    (86,6667 % is "86,66%", never a rounded-up 86,67). The grade is the course result
    fixed at completion (``Enrolment.final_grade``)."""
    assert issue(final_grade=86.6667).snapshot["posttest_score"] == "86,66%"


def test_snapshot_without_a_post_test_grade(issue):
    assert issue(final_grade=None).snapshot["posttest_score"] is None


def test_snapshot_is_frozen_against_later_profile_edits(db, make_user, issue):
    user = make_user(full_name="Siti Rahmawati", name_suffix="S.Kom.")
    certificate = issue(user=user)
    user.full_name = "Siti Rahmawati Hasibuan"
    user.name_suffix = "S.Kom., M.T."
    user.jabatan = "Kepala Bidang"
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Certificate, certificate.id)
    assert stored.snapshot["name"] == "Siti Rahmawati, S.Kom."
    assert stored.snapshot["jabatan"] == "Analis Kebijakan Ahli Pertama"
