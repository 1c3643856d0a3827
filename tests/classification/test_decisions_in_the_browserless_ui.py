"""On a project's page managers confirm or reject its suggested clusters and themes."""

import pytest
from django.urls import reverse

from clusterhub.projects.classification import classify_projects
from clusterhub.projects.models import Framework, Project, ProjectCluster, ProjectTheme


@pytest.fixture
def project(db):
    made = Project.objects.create(
        cordis_id="2002",
        framework=Framework.H2020,
        title="Robots for cheese factories",
        objective="Automated handling of dairy products with collaborative robots.",
    )
    classify_projects(projects=[made])
    return made


def decide(client, project, **data):
    return client.post(reverse("projects:classification_decide", args=[project.pk]), data)


def test_the_page_shows_each_suggestion_with_its_confidence(client, project):
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Clusters and S3 themes" in html
    assert "suggested, confidence 0." in html
    assert "Confirm" not in html  # a visitor decides nothing


def test_a_manager_confirms_a_cluster_of_their_own(client, manager, project):
    client.force_login(manager)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'name="code" value="agrifood"' in page or not project.cluster_links.filter(
        cluster__slug="agrifood"
    )
    response = decide(client, project, kind="cluster", code="agrifood", decision="keep")
    assert response.status_code == 302
    link = ProjectCluster.objects.get(project=project, cluster__slug="agrifood")
    assert (link.source, link.rejected) == ("manual", False)


def test_a_manager_cannot_decide_for_another_cluster(client, manager, project):
    client.force_login(manager)
    assert decide(client, project, kind="cluster", code="mech", decision="keep").status_code == 404
    assert not ProjectCluster.objects.filter(project=project, source="manual").exists()


def test_a_manager_rejects_a_theme_and_a_new_run_keeps_it_rejected(client, manager, project):
    client.force_login(manager)
    theme = project.theme_links.select_related("theme").first().theme
    decide(client, project, kind="theme", code=theme.code, decision="reject")
    classify_projects(projects=[project])
    link = ProjectTheme.objects.get(project=project, theme=theme)
    assert (link.source, link.rejected) == ("manual", True)


def test_a_malformed_decision_is_refused_with_a_message(client, officer, project):
    client.force_login(officer)
    response = decide(client, project, kind="cluster", code="agrifood", decision="maybe")
    assert response.status_code == 302
    assert not ProjectCluster.objects.filter(project=project, source="manual").exists()
    assert decide(client, project, kind="theme", code="nope", decision="keep").status_code == 404


def test_the_edit_page_loads_clusters_and_themes_suggested_from_the_profile(
    client, org_admin, member_org
):
    member_org.description = "Caseificio: produzione di formaggi freschi e yogurt da latte locale"
    member_org.save()
    client.force_login(org_admin)
    edit = client.get(reverse("registry:organization_edit", args=[member_org.pk])).content.decode()
    url = reverse("projects:organization_suggestions", args=[member_org.pk])
    assert f'hx-get="{url}"' in edit
    block = client.get(url).content.decode()
    assert "Suggested from this profile" in block
    assert "Agrifood and foodtech" in block
