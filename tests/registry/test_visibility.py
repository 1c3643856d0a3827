"""A hidden profile (is_public off) is seen by its own people, its clusters and the Region only."""

import pytest
from django.urls import reverse

from clusterhub.registry.selectors import DirectoryFilters, organizations_visible_to
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory


@pytest.fixture
def hidden_in_agrifood(agrifood):
    org = OrganizationFactory(name="Riservata Agroalimentare Srl", is_public=False)
    MembershipFactory(organization=org, cluster=agrifood)
    return org


@pytest.fixture
def hidden_in_mech(mech):
    org = OrganizationFactory(name="Riservata Meccanica Srl", is_public=False)
    MembershipFactory(organization=org, cluster=mech)
    return org


def visible_names(user):
    return set(organizations_visible_to(user).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("role", "sees_agrifood", "sees_mech"),
    [
        (None, False, False),
        ("member", True, False),  # a member of an agrifood organization
        ("org_admin", True, False),
        ("manager", True, False),  # manages agrifood
        ("officer", True, True),
    ],
)
def test_who_sees_a_hidden_profile(
    role, sees_agrifood, sees_mech, person_for_role, hidden_in_agrifood, hidden_in_mech, other_org
):
    names = visible_names(person_for_role(role))
    assert ("Riservata Agroalimentare Srl" in names) is sees_agrifood
    assert ("Riservata Meccanica Srl" in names) is sees_mech
    assert other_org.name in names  # public profiles are seen by everyone


def test_a_person_of_no_cluster_sees_only_public_profiles(db, hidden_in_agrifood, other_org):
    outsider = PersonFactory(email="outsider@example.org")
    assert visible_names(outsider) == {other_org.name}


def test_a_hidden_profile_is_not_in_the_public_directory_or_open_data(client, hidden_in_agrifood):
    directory = client.get(reverse("registry:directory"), {"cluster": "agrifood"}).content.decode()
    assert "Riservata Agroalimentare" not in directory
    response = client.get(reverse("registry_export:organizations_csv"))
    export = b"".join(response.streaming_content).decode()
    assert "Riservata Agroalimentare" not in export
    profile = reverse("registry:organization_detail", args=[hidden_in_agrifood.pk])
    assert client.get(profile).status_code == 404


def test_a_cluster_member_finds_a_hidden_fellow_member_in_the_directory(
    client, member, hidden_in_agrifood
):
    client.force_login(member)
    directory = client.get(reverse("registry:directory"), {"cluster": "agrifood"}).content.decode()
    assert "Riservata Agroalimentare" in directory
    profile = reverse("registry:organization_detail", args=[hidden_in_agrifood.pk])
    assert client.get(profile).status_code == 200


def test_the_api_hides_it_from_outsiders_and_shows_it_to_the_region(
    client, officer, hidden_in_mech
):
    url = f"/api/organizations/{hidden_in_mech.pk}"
    assert client.get(url).status_code == 404
    assert "Riservata" not in client.get("/api/organizations").content.decode()
    client.force_login(officer)
    assert client.get(url).json()["is_public"] is False
    assert "Riservata Meccanica" in client.get("/api/organizations").content.decode()


def test_an_admin_can_hide_the_profile(client, org_admin, member_org):
    client.force_login(org_admin)
    response = client.patch(
        f"/api/organizations/{member_org.pk}",
        {"is_public": False, "version": member_org.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_public"] is False
    client.logout()
    assert client.get(f"/api/organizations/{member_org.pk}").status_code == 404


def test_filters_still_apply_to_what_the_viewer_may_see(officer, hidden_in_agrifood, other_org):
    from clusterhub.registry.selectors import organization_directory

    found = organization_directory(DirectoryFilters(cluster="agrifood"), viewer=officer)
    assert list(found.values_list("name", flat=True)) == ["Riservata Agroalimentare Srl"]
