"""The certificate snapshot, the PDF and the HR pages show the holder's unit and its agency
(instansi), frozen at issue."""

import sqlalchemy as sa

from portal.auth.models import Agency, Opd


def unit(db, agency_code, code) -> Opd:
    return db.session.scalars(sa.select(Opd).join(Opd.agency).where(
        Agency.code == agency_code, Opd.code == code)).one()


def test_certificate_and_hr_pages_show_the_unit_and_its_agency(db, client, login, make_user,
                                                               make_enrolment):
    from portal.certificates.pdf import render_certificate_pdf
    from portal.certificates.services import issue_certificate
    from tests.factories import pdf_text

    holder = make_user(opd_id=unit(db, "15.02", "15.02.02").id)
    certificate = issue_certificate(make_enrolment(user=holder))
    db.session.commit()
    assert certificate.snapshot["unit_kerja"] == "Kecamatan Bangko"
    assert certificate.snapshot["instansi"] == "Pemerintah Kabupaten Merangin"
    text = pdf_text(render_certificate_pdf(certificate))
    assert "Unit Kerja Kecamatan Bangko" in text
    assert "Instansi Pemerintah Kabupaten Merangin" in text

    login(client, make_user(role="hr"))
    listing = client.get("/hr/certificates").get_data(as_text=True)
    assert ('Kecamatan Bangko<br><span class="muted small">Pemerintah Kabupaten Merangin'
            '</span>') in listing
    detail = client.get(f"/hr/certificates/{certificate.code}").get_data(as_text=True)
    assert "Kecamatan Bangko" in detail and "Pemerintah Kabupaten Merangin" in detail
    # The snapshot is frozen: moving the holder changes nothing printed.
    holder.opd_id = unit(db, "15", "BKD").id
    db.session.commit()
    assert "Pemerintah Kabupaten Merangin" in client.get(
        f"/hr/certificates/{certificate.code}").get_data(as_text=True)
