"""Organizations, memberships and people through the API: validation, locking, isolation."""

import pytest
from django.test import Client

from clusterhub.registry.models import Membership, Organization
from tests.factories import MembershipFactory, OrganizationFactory, OrganizationRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(db):
    def make(person):
        client = Client()
        client.force_login(person)
        return client

    return make


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


# --- Reading -----------------------------------------------------------------------------


def test_the_directory_filters_by_cluster_kind_and_accreditation(client, member_org, other_org):
    lab = OrganizationFactory(name="Laboratorio Alfa", kind="research_lab", htn_accredited=True)
    MembershipFactory(organization=lab, cluster=member_org.memberships.get().cluster)

    def names(query):
        items = client.get(f"/api/organizations?{query}").json()["items"]
        return [organization["name"] for organization in items]

    assert names("cluster=agrifood") == ["Caseificio Esempio Srl", "Laboratorio Alfa"]
    assert names("cluster=mech") == ["Meccanica Esempio Spa"]
    assert names("kind=research_lab") == ["Laboratorio Alfa"]
    assert names("htn_accredited=true") == ["Laboratorio Alfa"]


def test_the_directory_pages_are_capped(client, member_org):
    assert client.get("/api/organizations?limit=200").status_code == 200
    response = client.get("/api/organizations?limit=201")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "limit"


def test_a_cluster_counts_its_active_members_by_kind(client, member_org, agrifood):
    suspended = OrganizationFactory(kind="university")
    MembershipFactory(organization=suspended, cluster=agrifood, status="suspended")
    cluster = client.get("/api/clusters/agrifood").json()
    assert cluster["member_count"] == 1
    assert cluster["members_by_kind"] == {"firm": 1}


def test_unknown_ids_and_slugs_are_404(client):
    assert client.get("/api/organizations/999999").status_code == 404
    assert client.get("/api/clusters/atlantis").status_code == 404


def test_a_bad_id_is_a_422_naming_the_parameter(client):
    response = client.get("/api/organizations/abc")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "organization_id"


# --- Changing organizations --------------------------------------------------------------


def test_an_org_admin_updates_their_organization_and_the_version_moves_on(
    api_as, org_admin, member_org
):
    response = patch(
        api_as(org_admin),
        f"/api/organizations/{member_org.pk}",
        {"version": 1, "city": "Parma", "competences": ["66"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert [c["code"] for c in response.json()["competences"]] == ["66"]
    member_org.refresh_from_db()
    assert (member_org.city, member_org.version) == ("Parma", 2)


def test_a_stale_version_is_a_409_and_changes_nothing(api_as, org_admin, member_org):
    client = api_as(org_admin)
    patch(client, f"/api/organizations/{member_org.pk}", {"version": 1, "city": "Parma"})
    response = patch(client, f"/api/organizations/{member_org.pk}", {"version": 1, "city": "Carpi"})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert "changed by someone else" in response.json()["detail"]
    member_org.refresh_from_db()
    assert member_org.city == "Parma"


@pytest.mark.parametrize("field", ["source", "search_text", "normalized_name", "id", "created_at"])
def test_protected_fields_are_refused_by_name(api_as, org_admin, member_org, field):
    response = patch(
        api_as(org_admin), f"/api/organizations/{member_org.pk}", {"version": 1, field: "x"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", field]
    member_org.refresh_from_db()
    assert member_org.version == 1


def test_a_patch_without_version_is_refused(api_as, org_admin, member_org):
    response = patch(api_as(org_admin), f"/api/organizations/{member_org.pk}", {"city": "Parma"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "version"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"vat_number": "12345678901"}, "vat_number"),
        ({"website": "not a url"}, "website"),
        ({"competences": ["no-such-code"]}, "competences"),
        ({"name": "x" * 300}, "name"),
        ({"kind": "spaceship"}, "kind"),
    ],
)
def test_invalid_values_are_a_422_naming_the_field_and_nothing_is_stored(
    api_as, org_admin, member_org, body, field
):
    response = patch(
        api_as(org_admin), f"/api/organizations/{member_org.pk}", {"version": 1, **body}
    )
    assert response.status_code == 422
    assert field in [error["loc"][-1] for error in response.json()["detail"]]
    member_org.refresh_from_db()
    assert member_org.version == 1


def test_a_manager_creates_an_organization_in_their_cluster(api_as, manager, agrifood):
    response = post(
        api_as(manager),
        "/api/organizations",
        {"name": "Nuova Cantina Srl", "kind": "firm", "postcode": "41121", "cluster": "agrifood"},
    )
    assert response.status_code == 201, response.content
    created = Organization.objects.get(pk=response.json()["id"])
    assert created.source == "api"
    assert created.memberships.get().cluster == agrifood


def test_a_manager_cannot_create_into_a_foreign_cluster_and_nothing_is_created(api_as, manager):
    before = Organization.objects.count()
    response = post(
        api_as(manager),
        "/api/organizations",
        {"name": "Intrusa Srl", "kind": "firm", "cluster": "mech"},
    )
    assert response.status_code == 404
    assert Organization.objects.count() == before


def test_a_manager_must_name_their_cluster(api_as, manager):
    response = post(api_as(manager), "/api/organizations", {"name": "Orfana Srl", "kind": "firm"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "cluster"
    assert not Organization.objects.filter(name="Orfana Srl").exists()


# --- Memberships and people: tenant isolation --------------------------------------------


def test_a_manager_sees_invited_and_suspended_members_of_their_cluster(
    api_as, manager, agrifood, member_org
):
    MembershipFactory(cluster=agrifood, status="invited")
    MembershipFactory(cluster=agrifood, status="suspended")
    items = api_as(manager).get("/api/clusters/agrifood/memberships").json()["items"]
    assert sorted(m["status"] for m in items) == ["active", "invited", "suspended"]


def test_a_manager_of_agrifood_gets_404_on_mech_and_changes_nothing(
    api_as, manager, other_org, member_org
):
    client = api_as(manager)
    foreign = other_org.memberships.get()
    assert client.get("/api/clusters/mech/memberships").status_code == 404
    assert client.get("/api/clusters/mech/people").status_code == 404
    assert (
        post(
            client, "/api/clusters/mech/memberships", {"organization_id": member_org.pk}
        ).status_code
        == 404
    )
    assert (
        patch(
            client, f"/api/clusters/mech/memberships/{foreign.pk}", {"status": "ended"}
        ).status_code
        == 404
    )
    # The foreign membership's id under the manager's own cluster is no way round.
    assert (
        patch(
            client, f"/api/clusters/agrifood/memberships/{foreign.pk}", {"status": "ended"}
        ).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.status == "active"
    assert not Membership.objects.filter(organization=member_org, cluster__slug="mech").exists()


def test_membership_upsert_creates_then_updates(api_as, manager, other_org):
    client = api_as(manager)
    first = post(
        client,
        "/api/clusters/agrifood/memberships",
        {"organization_id": other_org.pk, "status": "invited"},
    )
    again = post(
        client,
        "/api/clusters/agrifood/memberships",
        {"organization_id": other_org.pk, "status": "active"},
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert (
        Membership.objects.get(organization=other_org, cluster__slug="agrifood").status == "active"
    )


def test_a_membership_for_an_unknown_organization_is_404(api_as, manager):
    response = post(
        api_as(manager), "/api/clusters/agrifood/memberships", {"organization_id": 987654}
    )
    assert response.status_code == 404


def test_a_membership_ending_before_it_starts_is_refused(api_as, manager, member_org):
    membership = member_org.memberships.get()
    response = patch(
        api_as(manager),
        f"/api/clusters/agrifood/memberships/{membership.pk}",
        {"since": "2024-05-01", "until": "2023-01-01"},
    )
    assert response.status_code == 422
    membership.refresh_from_db()
    assert membership.since is None


def test_a_manager_sees_the_emails_of_their_members_people_only(api_as, manager, member, other_org):
    OrganizationRoleFactory(organization=other_org, person__email="mech-person@example.org")
    response = api_as(manager).get("/api/clusters/agrifood/people")
    emails = [p["email"] for p in response.json()["items"]]
    assert emails == ["member@example.org"]
    assert "mech-person@example.org" not in response.content.decode()


def test_no_public_operation_shows_an_email(client, member, member_org):
    for url in [
        "/api/organizations",
        f"/api/organizations/{member_org.pk}",
        "/api/clusters/agrifood",
    ]:
        assert "@example.org" not in client.get(url).content.decode()


def test_me_lists_my_roles(api_as, org_admin, member_org):
    me = api_as(org_admin).get("/api/people/me").json()
    assert me["role"] == "org_admin"
    assert me["organizations"] == [
        {"organization_id": member_org.pk, "organization_name": member_org.name, "role": "admin"}
    ]
