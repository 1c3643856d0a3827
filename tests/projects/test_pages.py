"""Public project pages, the organization profile's section and the API."""

import pytest
from django.urls import reverse

from clusterhub.projects.importing import import_projects
from clusterhub.projects.models import Project
from tests.factories import MembershipFactory, OrganizationFactory
from tests.projects.helpers import INRAE_CSV, INRAE_JSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(agrifood):
    unibo = OrganizationFactory(
        name="ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA", city="Bologna", pic="999993953"
    )
    MembershipFactory(organization=unibo, cluster=agrifood)
    hidden = OrganizationFactory(name="Horta", pic="985480134", city="Piacenza", is_public=False)
    assert import_projects(INRAE_CSV, dry_run=False).ok
    assert import_projects(INRAE_JSON, dry_run=False).ok  # FISHEGG again: unchanged
    return unibo, hidden


def test_the_project_list_filters_by_programme_year_cluster_and_words(client, imported):
    page = client.get(reverse("projects:list"))
    assert page.status_code == 200
    listed = {p.acronym for p in page.context["page"].object_list}
    assert {"INNOVINE", "METAEXPLORE", "FISHEGG", "MARS"} <= listed
    by_year = client.get(reverse("projects:list"), {"year": 2013})
    assert {p.acronym for p in by_year.context["page"].object_list} == {"INNOVINE", "MARS"}
    by_cluster = client.get(reverse("projects:list"), {"cluster": "agrifood"})
    assert [p.acronym for p in by_cluster.context["page"].object_list] == ["MARS"]
    by_words = client.get(reverse("projects:list"), {"q": "vineyard"})
    assert [p.acronym for p in by_words.context["page"].object_list] == ["INNOVINE"]
    assert by_words.context["totals"]["projects"] == 1


def test_a_project_page_links_participants_to_the_profiles_the_visitor_may_see(
    client, imported, officer
):
    unibo, hidden = imported
    mars = Project.objects.get(cordis_id="613654")
    innovine = Project.objects.get(cordis_id="311775")

    page = client.get(reverse("projects:detail", args=[mars.pk])).content.decode()
    assert reverse("registry:organization_detail", args=[unibo.pk]) in page
    assert "https://cordis.europa.eu/project/id/613654" in page
    hidden_url = reverse("registry:organization_detail", args=[hidden.pk])
    assert (
        "HORTA SRL" in client.get(reverse("projects:detail", args=[innovine.pk])).content.decode()
    )
    assert (
        hidden_url
        not in client.get(reverse("projects:detail", args=[innovine.pk])).content.decode()
    )
    client.force_login(officer)
    assert hidden_url in client.get(reverse("projects:detail", args=[innovine.pk])).content.decode()


def test_an_unknown_project_is_404(client, db):
    assert client.get(reverse("projects:detail", args=[999999])).status_code == 404


def test_the_organization_profile_lists_its_eu_projects(client, imported):
    unibo, _hidden = imported

    page = client.get(reverse("registry:organization_detail", args=[unibo.pk])).content.decode()

    assert "EU projects" in page
    assert "MARS" in page
    assert reverse("projects:detail", args=[Project.objects.get(cordis_id="613654").pk]) in page


def test_the_api_lists_projects_with_filters_and_pages(client, imported):
    response = client.get("/api/projects", {"programme": "FP7", "limit": 2})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4
    assert len(data["items"]) == 2
    by_year = client.get("/api/projects", {"year": 2015}).json()
    assert [item["acronym"] for item in by_year["items"]] == ["FISHEGG"]
    by_cluster = client.get("/api/projects", {"cluster": "agrifood"}).json()
    assert [item["acronym"] for item in by_cluster["items"]] == ["MARS"]
    assert by_cluster["items"][0]["regional_participants"] == 2


def test_the_api_gives_a_project_with_its_participants(client, imported):
    unibo, hidden = imported
    innovine = Project.objects.get(cordis_id="311775")

    data = client.get(f"/api/projects/{innovine.pk}").json()

    assert (data["acronym"], data["framework"], data["eu_contribution"]) == (
        "INNOVINE",
        "FP7",
        5999990.0,
    )
    horta = next(p for p in data["participants"] if p["name"] == "HORTA SRL")
    assert (horta["in_region"], horta["organization_id"], horta["nuts3"]) == (True, None, "ITH51")
    assert len(data["participants"]) == 28
    assert client.get("/api/projects/999999").status_code == 404
