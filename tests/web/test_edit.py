import pytest

from clusterhub.regions.models import Competence
from clusterhub.registry.models import Organization
from clusterhub.registry.services import organization_update

pytestmark = pytest.mark.django_db


def edit_url(organization):
    return f"/organizations/{organization.pk}/edit/"


def form_data(organization, **changes):
    data = {
        "version": organization.version,
        "name": organization.name,
        "kind": organization.kind,
        "postcode": organization.postcode,
        "city": organization.city,
        "country": organization.country,
        "competences": [c.pk for c in organization.competences.all()],
    }
    data.update(changes)
    return data


def test_an_org_admin_edits_the_profile_of_their_organization(client, org_admin, member_org):
    client.force_login(org_admin)
    robotics = Competence.objects.get(code="10")
    response = client.post(
        edit_url(member_org),
        form_data(member_org, description="Formaggi stagionati", competences=[robotics.pk]),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/{member_org.pk}/"
    member_org.refresh_from_db()
    assert member_org.description == "Formaggi stagionati"
    assert list(member_org.competences.all()) == [robotics]
    assert member_org.version == 2


def test_the_edit_form_shows_the_current_values(client, org_admin, member_org):
    client.force_login(org_admin)
    response = client.get(edit_url(member_org))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Caseificio Esempio Srl"' in html
    assert f'name="version" value="{member_org.version}"' in html


def test_an_org_admin_of_another_organization_gets_not_found(client, org_admin, other_org):
    client.force_login(org_admin)
    assert client.get(edit_url(other_org)).status_code == 404
    assert client.post(edit_url(other_org), form_data(other_org, name="Hijack")).status_code == 404
    other_org.refresh_from_db()
    assert other_org.name == "Meccanica Esempio Spa"


def test_a_manager_edits_members_of_their_cluster_only(client, manager, member_org, other_org):
    client.force_login(manager)
    assert client.get(edit_url(member_org)).status_code == 200
    assert client.get(edit_url(other_org)).status_code == 404


def test_a_member_user_may_not_edit(client, member, member_org):
    client.force_login(member)
    assert client.get(edit_url(member_org)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, member_org):
    response = client.get(edit_url(member_org))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_stale_edit_is_refused_and_keeps_the_input(client, org_admin, member_org):
    client.force_login(org_admin)
    stale = form_data(member_org, description="My careful description")
    organization_update(organization=member_org, city="Carpi")  # someone else saves first
    response = client.post(edit_url(member_org), stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this profile" in html
    assert "My careful description" in html  # the user's input is kept
    assert "Carpi" in html  # and the newer saved value is shown
    member_org.refresh_from_db()
    assert member_org.description == ""
    assert member_org.city == "Carpi"
    # Saving the kept input again is a deliberate overwrite of the newer version.
    assert f'name="version" value="{member_org.version}"' in html


def test_an_invalid_vat_number_is_reported_and_nothing_is_saved(client, org_admin, member_org):
    client.force_login(org_admin)
    response = client.post(
        edit_url(member_org), form_data(member_org, vat_number="12345678901", city="Sassuolo")
    )
    assert response.status_code == 400
    assert "wrong check digit" in response.content.decode()
    member_org.refresh_from_db()
    assert member_org.city == "Modena"


def test_a_vat_number_is_stored_without_spaces_and_prefix(client, org_admin, member_org):
    client.force_login(org_admin)
    response = client.post(edit_url(member_org), form_data(member_org, vat_number="IT 01114601006"))
    assert response.status_code == 302
    member_org.refresh_from_db()
    assert member_org.vat_number == "01114601006"


def test_only_a_regional_officer_changes_the_accreditation(client, org_admin, officer, member_org):
    client.force_login(org_admin)
    client.post(edit_url(member_org), form_data(member_org, htn_accredited="on"))
    assert Organization.objects.get(pk=member_org.pk).htn_accredited is False
    client.force_login(officer)
    member_org.refresh_from_db()
    client.post(edit_url(member_org), form_data(member_org, htn_accredited="on"))
    assert Organization.objects.get(pk=member_org.pk).htn_accredited is True
