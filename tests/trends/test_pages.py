"""The trends pages: radar, comparison, a trend with its evidence, runs and their progress,
training needs, reported opportunities, CSV exports."""

import csv
import io
import json

import numpy as np
import pytest
from django.urls import reverse

from clusterhub.trends.models import RunStatus, TrendRun
from tests.factories import OrganizationFactory
from tests.trends.builders import contribution, evidence, project, stored_run, stored_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def _csv(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_radar_draws_each_topic_by_size_and_growth_with_its_table(manager_client, agrifood):
    run = stored_run(agrifood, label="food waste, packaging")
    stored_topic(run, label="precision farming, drones", size=9, status="stable")

    response = manager_client.get(reverse("trends:cluster_radar", args=["agrifood"]))

    assert response.status_code == 200
    chart = response.context["chart"]
    assert [p["label"] for p in chart["points"]] == [
        "food waste, packaging",
        "precision farming, drones",
    ]
    assert chart["points"][1]["size"] == 9 and chart["points"][0]["growth"] == 50.0
    content = response.content.decode()
    assert 'id="trend-radar-data"' in content
    assert reverse("trends:topic", args=[run.topics.first().pk]) in content
    assert "Emerging" in content and "+50%" in content


def test_the_trends_link_takes_a_manager_to_the_radar_of_the_cluster(manager_client):
    response = manager_client.get(reverse("trends:radar"))

    assert response.status_code == 302
    assert response.url == reverse("trends:cluster_radar", args=["agrifood"])


def test_comparing_two_runs_says_which_topics_are_new_grown_and_gone(manager_client, agrifood):
    east, north, west = np.eye(8, dtype="<f4")[:3]
    old = stored_run(agrifood, label="unused")
    old.topics.all().delete()
    old.document_count = 20
    old.save()
    stored_topic(old, label="cheese ripening", size=4, centroid=east)
    stored_topic(old, label="olive oil mills", size=5, centroid=north)
    new = TrendRun.objects.create(
        cluster=agrifood, status=RunStatus.DONE, encoder="use-m3", document_count=20
    )
    stored_topic(new, label="cheese ripening sensors", size=8, centroid=east)
    stored_topic(new, label="insect proteins", size=4, centroid=west)

    response = manager_client.get(
        reverse("trends:cluster_radar", args=["agrifood"]), {"run": new.pk, "compare": old.pk}
    )

    changes = {c.label: c.change for c in response.context["comparison"].changes}
    assert changes == {
        "cheese ripening sensors": "grown",
        "insect proteins": "new",
        "olive oil mills": "gone",
    }
    content = response.content.decode()
    assert "Gone since the other run" in content and "olive oil mills" in content


def test_a_trend_page_links_its_evidence_and_the_members_behind_it(
    manager_client, agrifood, member_org
):
    need = contribution(member_org, agrifood, "Shelf life of fresh cheese")
    run = stored_run(agrifood)
    topic = run.topics.first()
    evidence(topic, need)
    source = project("Cheese microbiome", "Ripening", need.created_at.date())
    topic.documents.create(source="project", project=source, title=source.title, score=0.7)
    topic.member_counts = {str(member_org.pk): 1.0}
    topic.save()

    response = manager_client.get(reverse("trends:topic", args=[topic.pk]))

    content = response.content.decode()
    assert reverse("contributions:detail", args=[need.pk]) in content
    assert reverse("projects:detail", args=[source.pk]) in content
    assert reverse("registry:organization_detail", args=[member_org.pk]) in content
    assert json.loads(response.context["series"] and json.dumps(response.context["series"]))[
        "y"
    ] == [1.0, 1.0, 2.0]
    assert reverse("trends:topic_labs", args=[topic.pk]) in content


def test_a_hostile_label_is_shown_as_text(manager_client, agrifood):
    topic = stored_run(agrifood, label="<script>alert(1)</script>").topics.first()

    content = manager_client.get(reverse("trends:topic", args=[topic.pk])).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_related_labs_are_labs_only(manager_client, agrifood):
    topic = stored_run(agrifood, label="cheese ripening, lactic bacteria").topics.first()
    lab = OrganizationFactory(
        name="Laboratorio Batteri Lattici",
        kind="research_lab",
        description="Cheese ripening and lactic bacteria research.",
    )
    firm = OrganizationFactory(
        name="Caseificio Batteri Lattici", description="Cheese ripening with lactic bacteria."
    )

    response = manager_client.get(
        reverse("trends:topic_labs", args=[topic.pk]), HTTP_HX_REQUEST="true"
    )

    found = [result.organization for result in response.context["labs"]]
    assert lab in found and firm not in found


def test_the_run_status_polls_while_running_then_sends_the_browser_to_the_radar(
    manager_client, agrifood
):
    run = TrendRun.objects.create(
        cluster=agrifood, status=RunStatus.RUNNING, progress=0.4, message="embedding"
    )
    url = reverse("trends:run", args=[run.pk])

    running = manager_client.get(url, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in running.content.decode()
    assert (
        "Reading the texts" in running.content.decode() and 'value="40"' in running.content.decode()
    )
    assert "HX-Redirect" not in running

    TrendRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)
    done = manager_client.get(url, HTTP_HX_REQUEST="true")
    assert (
        done["HX-Redirect"] == reverse("trends:cluster_radar", args=["agrifood"]) + f"?run={run.pk}"
    )


def test_an_officer_starts_a_run_from_the_radar_and_the_worker_finishes_it(
    client, officer, mech_voices, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trends:cluster_run_start", args=["mech"]),
            {"period": "quarter", "min_topic_size": "4"},
        )

    run = TrendRun.objects.get()
    assert response.status_code == 302 and response.url.startswith("/clusters/mech/trends/")
    assert run.status == RunStatus.DONE and run.created_by == officer
    assert run.topics.exists()
    radar = client.get(reverse("trends:cluster_radar", args=["mech"]))
    assert radar.context["run"] == run


def test_a_bad_start_form_says_what_is_wrong_and_starts_nothing(manager_client):
    response = manager_client.post(
        reverse("trends:cluster_run_start", args=["agrifood"]),
        {"period": "quarter", "min_topic_size": "1"},
    )

    assert response.status_code == 400
    assert "greater than or equal to 2" in response.content.decode()
    assert not TrendRun.objects.exists()


def test_a_run_cannot_start_while_another_runs(manager_client, agrifood):
    TrendRun.objects.create(cluster=agrifood, status=RunStatus.RUNNING)

    response = manager_client.post(
        reverse("trends:cluster_run_start", args=["agrifood"]), {"period": "year"}
    )

    assert response.status_code == 400
    assert "already running" in response.content.decode()
    assert TrendRun.objects.count() == 1


def test_the_topics_csv_has_every_topic_and_defuses_formulas(manager_client, agrifood):
    run = stored_run(agrifood, label="=HYPERLINK(1)")

    rows = _csv(manager_client.get(reverse("trends:run_topics_csv", args=[run.pk])))

    assert [row["label"] for row in rows] == ["'=HYPERLINK(1)"]
    assert rows[0]["status"] == "emerging"
    assert rows[0]["counts_per_period"] == "2025-Q3=1; 2025-Q4=1; 2026-Q1=2"


def test_the_evidence_csv_lists_the_documents_and_who_raised_them(
    manager_client, agrifood, member_org
):
    topic = stored_run(agrifood).topics.first()
    evidence(topic, contribution(member_org, agrifood, "Cold chain sensors"))

    rows = _csv(manager_client.get(reverse("trends:topic_evidence_csv", args=[topic.pk])))

    assert [(r["source"], r["title"], r["organization"]) for r in rows] == [
        ("contribution", "Cold chain sensors", member_org.name)
    ]


def test_training_needs_are_grouped_by_their_trend(manager_client, agrifood, member_org):
    wanted = contribution(member_org, agrifood, "Corso HACCP digitale", kind="training")
    loose = contribution(member_org, agrifood, "Corso di inglese", kind="training")
    contribution(member_org, agrifood, "Bisogno qualsiasi", kind="need")
    contribution(member_org, agrifood, "In attesa", kind="training", status="pending")
    topic = stored_run(agrifood, label="food safety, haccp").topics.first()
    evidence(topic, wanted)

    response = manager_client.get(reverse("trends:training", args=["agrifood"]))

    groups = [(g.label, [c.pk for c in g.contributions]) for g in response.context["needs"].groups]
    assert groups == [("food safety, haccp", [wanted.pk]), ("In no topic yet", [loose.pk])]
    rows = _csv(manager_client.get(reverse("trends:training_csv", args=["agrifood"])))
    assert [(r["group"], r["title"]) for r in rows] == [
        ("food safety, haccp", "Corso HACCP digitale"),
        ("In no topic yet", "Corso di inglese"),
    ]


def test_without_a_run_training_needs_are_grouped_by_competence(
    manager_client, agrifood, member_org
):
    from clusterhub.regions.models import Competence

    competence = Competence.objects.order_by("code").first()
    need = contribution(member_org, agrifood, "Corso di robotica", kind="training")
    need.competences.add(competence)

    needs = manager_client.get(reverse("trends:training", args=["agrifood"])).context["needs"]

    assert needs.by == "competence"
    assert [(g.label, len(g.contributions)) for g in needs.groups] == [(competence.name, 1)]


def test_reported_opportunities_are_the_approved_financing_and_international_ones(
    manager_client, agrifood, member_org
):
    call = contribution(member_org, agrifood, "Bando PR FESR", kind="financing")
    fair = contribution(member_org, agrifood, "Fiera a Dubai", kind="internationalization")
    contribution(member_org, agrifood, "Bando in attesa", kind="financing", status="pending")
    contribution(member_org, agrifood, "Un bisogno", kind="need")

    response = manager_client.get(reverse("trends:opportunities", args=["agrifood"]))

    assert set(response.context["opportunities"]) == {call, fair}
    rows = _csv(manager_client.get(reverse("trends:opportunities_csv", args=["agrifood"])))
    assert {r["title"] for r in rows} == {"Bando PR FESR", "Fiera a Dubai"}


def test_a_hidden_organization_behind_a_trend_is_not_named_to_who_may_not_see_it(
    client, member, officer, agrifood, mech
):
    from tests.factories import MembershipFactory

    hidden = OrganizationFactory(name="Riservata Srl", is_public=False)
    MembershipFactory(organization=hidden, cluster=mech)
    topic = stored_run(agrifood).topics.first()
    evidence(topic, contribution(hidden, agrifood, "Old need of a former member"))
    topic.member_counts = {str(hidden.pk): 1}
    topic.save()
    url = reverse("trends:topic", args=[topic.pk])

    client.force_login(member)
    as_member = client.get(url).content.decode()
    client.force_login(officer)
    as_officer = client.get(url).content.decode()

    assert "Riservata Srl" not in as_member
    assert "profile is not public" in as_member
    assert "Riservata Srl" in as_officer
