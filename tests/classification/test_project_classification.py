"""Projects get suggested clusters and S3 themes; a manager's decision survives new runs."""

import pytest

from clusterhub.projects.classification import (
    classify_projects,
    programme_label,
    project_cluster_decide,
    suggest_for_text,
)
from clusterhub.projects.models import Framework, Project, ProjectCluster, SuggestionSource


def make_project(cordis_id, title, objective="", programme=""):
    return Project.objects.create(
        cordis_id=cordis_id,
        framework=Framework.H2020,
        title=title,
        objective=objective,
        programme=programme,
    )


@pytest.fixture
def dairy(db):
    return make_project(
        "1001",
        "Compostable packaging for fresh cheese",
        "Bio-based trays with an oxygen barrier extend the shelf life of dairy products.",
        programme="H2020-EU.3.2.",
    )


def slugs(project, **filters):
    links = ProjectCluster.objects.filter(project=project, **filters)
    return list(links.order_by("-confidence").values_list("cluster__slug", flat=True))


def test_a_project_gets_its_clusters_with_a_confidence_and_s3_themes(dairy):
    assert classify_projects() == 1
    assert slugs(dairy)[0] == "agrifood"
    link = ProjectCluster.objects.get(project=dairy, cluster__slug="agrifood")
    assert link.source == SuggestionSource.AUTOMATIC
    assert 0 < link.confidence <= 1
    themes = dairy.theme_links.select_related("theme__parent")
    assert themes.exists()
    assert all(link.theme.level == 2 for link in themes)


def test_the_programme_code_labels_a_project_through_the_preset():
    project = Project(programme="H2020-EU.3.2.;H2020-EU.3.2.1.")
    assert programme_label(project) == "agrifood"
    assert programme_label(Project(programme="H2020-EU.3.2.;H2020-EU.3.3.")) is None
    assert programme_label(Project(programme="")) is None


def test_a_rejected_cluster_stays_rejected_and_a_confirmed_one_stays_after_a_new_run(
    dairy, agrifood, mech
):
    classify_projects()
    project_cluster_decide(project=dairy, cluster=agrifood, keep=False)
    project_cluster_decide(project=dairy, cluster=mech, keep=True)
    classify_projects()
    agrifood_link = ProjectCluster.objects.get(project=dairy, cluster=agrifood)
    assert (agrifood_link.source, agrifood_link.rejected) == (SuggestionSource.MANUAL, True)
    mech_link = ProjectCluster.objects.get(project=dairy, cluster=mech)
    assert (mech_link.source, mech_link.rejected) == (SuggestionSource.MANUAL, False)
    assert ProjectCluster.objects.filter(project=dairy, cluster=agrifood).count() == 1


def test_an_italian_profile_text_gets_suggestions_too(db):
    found = suggest_for_text("Laboratorio di robotica industriale e automazione di macchine")
    assert found["clusters"][0].label == "mech"
    assert found["themes"]


def test_the_command_classifies_every_project(dairy):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("classify_projects", "--no-progress", stdout=out)
    assert "1 projects classified." in out.getvalue()
    assert slugs(dairy)
