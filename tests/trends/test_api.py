"""The trends API: read runs and topics with their evidence, start a run."""

import pytest

from clusterhub.trends.models import RunStatus, TrendRun
from tests.trends.builders import contribution, evidence, stored_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, manager):
    client.force_login(manager)
    return client


def test_the_latest_run_of_a_cluster_comes_with_its_topics(api, agrifood):
    run = stored_run(agrifood, label="food waste, packaging")

    body = api.get("/api/trends/latest", {"cluster": "agrifood"}).json()

    assert body["id"] == run.pk and body["cluster"] == "agrifood"
    assert body["periods"] == ["2025-Q3", "2025-Q4", "2026-Q1"]
    assert [(t["label"], t["status"], t["counts"]) for t in body["topics"]] == [
        ("food waste, packaging", "emerging", [1.0, 1.0, 2.0])
    ]


def test_a_topic_comes_with_its_evidence(api, agrifood, member_org):
    topic = stored_run(agrifood).topics.first()
    need = contribution(member_org, agrifood, "Shelf life sensors")
    evidence(topic, need)

    body = api.get(f"/api/trends/topics/{topic.pk}").json()

    assert body["run_id"] == topic.run_id
    assert [(e["source"], e["id"], e["organization_id"]) for e in body["evidence"]] == [
        ("contribution", need.pk, member_org.pk)
    ]


def test_a_manager_starts_a_run_and_a_second_one_waits(api, agrifood):
    first = api.post(
        "/api/trends/runs",
        {"cluster": "agrifood", "period": "year"},
        content_type="application/json",
    )
    second = api.post("/api/trends/runs", {"cluster": "agrifood"}, content_type="application/json")

    assert first.status_code == 202
    assert first.json()["status"] == RunStatus.QUEUED and first.json()["period"] == "year"
    assert second.status_code == 409
    assert TrendRun.objects.count() == 1


def test_bad_parameters_are_named_and_nothing_is_queued(api):
    response = api.post(
        "/api/trends/runs",
        {"cluster": "agrifood", "params": {"window": 1, "colour": "red"}},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "colour" in response.content.decode()
    assert not TrendRun.objects.exists()
