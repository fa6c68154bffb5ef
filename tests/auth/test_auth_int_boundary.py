"""Ids taken from a query string or a form are checked at the boundary
(portal.request_boundary.parse_id): a number no id column can hold gets the form's error or
the unnarrowed list, never a 500 (PostgreSQL: "integer out of range")."""

import pytest

from tests.auth.test_auth_reauth import log_in, profile_form

HUGE = ["99999999999999999999", "2147483648", "-1", "0", "1e3", "١٢"]


@pytest.mark.parametrize("value", HUGE)
def test_the_unit_list_with_an_out_of_range_agency_lists_every_unit(en_client, opd, value):
    response = en_client.get("/register/units", query_string={"agency_id": value,
                                                              "opd_id": value})
    assert response.status_code == 200
    assert f'value="{opd.id}"' in response.get_data(as_text=True)


@pytest.mark.parametrize("value", HUGE)
def test_registration_refuses_out_of_range_ids_with_the_form_errors(en_client, registration,
                                                                    value):
    response = en_client.post("/register", data={**registration, "agency_id": value})
    assert response.status_code == 422
    assert "Choose an agency from the list." in response.get_data(as_text=True)
    response = en_client.post("/register", data={**registration, "opd_id": value})
    assert response.status_code == 422
    assert "Choose a work unit from the list." in response.get_data(as_text=True)


@pytest.mark.parametrize("value", HUGE[:2])
def test_the_profile_refuses_out_of_range_ids_with_the_form_errors(en_client, make_user,
                                                                   value):
    user = make_user()
    assert log_in(en_client, user).status_code == 302
    response = en_client.post("/profile", data=profile_form(user, opd_id=value))
    assert response.status_code == 422
    assert "Choose a work unit from the list." in response.get_data(as_text=True)
    response = en_client.post("/profile", data=profile_form(user, agency_id=value))
    assert response.status_code == 422
    assert "Choose an agency from the list." in response.get_data(as_text=True)
