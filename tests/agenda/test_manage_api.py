"""The agenda API for managers: the same rules as the pages, as status codes (409 for a
stale revision, 422 for a frozen version or a step out of order)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clusterhub.agenda.models import AgendaItem, ItemStatus
from tests.agenda.core_helpers import contribution, draft, item, kpi, publish

pytestmark = pytest.mark.django_db

BASE = "/api/clusters/agrifood/agenda"


@pytest.fixture
def api(manager):
    client = Client()
    client.force_login(manager)

    def call(method, path, body=None):
        return client.generic(
            method,
            BASE + path,
            json.dumps(body) if body is not None else "",
            content_type="application/json",
        )

    return call


def test_a_manager_drafts_a_version_adds_an_item_and_reads_it_back(api, agrifood):
    need = contribution(agrifood, "Latte tracciato", "Tracciare il latte.")

    created = api("POST", "/versions", {"title": "Agenda 2026"})
    assert created.status_code == 201
    added = api(
        "POST",
        "/versions/1/items",
        {
            "title": "Tracciabilità",
            "objective": "Filiera del latte tracciata.",
            "priority_area": None,
            "contributions": [need.pk],
        },
    )
    assert added.status_code == 201, added.content
    body = api("GET", "/versions/1").json()

    assert body["phase"] == "draft"
    assert [(i["title"], i["revision"], i["contributions"]) for i in body["items"]] == [
        ("Tracciabilità", 1, [need.pk])
    ]


def test_patch_with_a_stale_revision_is_409_and_writes_nothing(api, agrifood, manager):
    target = item(draft(agrifood, manager), manager, title="Originale")

    first = api("PATCH", f"/items/{target.pk}", {"revision": 1, "title": "Primo"})
    second = api("PATCH", f"/items/{target.pk}", {"revision": 1, "title": "Secondo"})

    assert first.status_code == 200
    assert first.json()["revision"] == 2
    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    assert "revision 2" in second.json()["detail"]
    target.refresh_from_db()
    assert target.title == "Primo"


def test_patch_without_a_revision_is_422(api, agrifood, manager):
    target = item(draft(agrifood, manager), manager)

    response = api("PATCH", f"/items/{target.pk}", {"title": "Senza revisione"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "revision"


def test_bad_input_names_the_field(api, agrifood, manager):
    draft(agrifood, manager)

    blank = api("POST", "/versions/1/items", {"title": "\u0001 ", "objective": "x"})
    unknown_theme = api(
        "POST", "/versions/1/items", {"title": "T", "objective": "O", "priority_area": "nope"}
    )
    backwards = api(
        "POST",
        "/versions/1/items",
        {"title": "T", "objective": "O", "starts_on": "2026-05-01", "ends_on": "2026-01-01"},
    )

    assert blank.status_code == 422
    assert unknown_theme.status_code == 422
    assert "priority_area" in unknown_theme.json()["detail"][0]["loc"]
    assert backwards.status_code == 422
    assert "ends_on" in backwards.json()["detail"][0]["loc"]
    assert AgendaItem.objects.count() == 0


def test_split_and_merge(api, agrifood, manager):
    version = draft(agrifood, manager)
    original = item(version, manager, title="Digitale")
    measure = kpi(original, manager, name="Sensori", target=100)
    other = item(version, manager, title="Verde")

    split = api(
        "POST",
        f"/items/{original.pk}/split",
        {
            "revision": 1,
            "parts": [
                {"title": "Tracciabilità", "objective": "a"},
                {"title": "Sensori", "objective": "b", "kpi_ids": [measure.pk]},
            ],
        },
    )
    assert split.status_code == 201, split.content
    parts = split.json()
    assert [p["kpis"][0]["name"] if p["kpis"] else None for p in parts] == [None, "Sensori"]
    stale_merge = api(
        "POST",
        "/versions/1/merge",
        {
            "items": [parts[0]["id"], other.pk],
            "revisions": {str(other.pk): 5},
            "title": "Insieme",
            "objective": "Uniti.",
        },
    )
    assert stale_merge.status_code == 409
    merged = api(
        "POST",
        "/versions/1/merge",
        {"items": [parts[0]["id"], other.pk], "title": "Insieme", "objective": "Uniti."},
    )
    assert merged.status_code == 201
    assert AgendaItem.objects.get(pk=other.pk).status == ItemStatus.MERGED


def test_phases_through_the_api(api, agrifood, manager):
    version = draft(agrifood, manager)
    now = timezone.now()
    empty = api(
        "POST",
        "/versions/1/phase",
        {
            "step": "open",
            "opens_at": now.isoformat(),
            "closes_at": (now + timedelta(days=3)).isoformat(),
        },
    )
    assert empty.status_code == 422  # no item yet
    item(version, manager)
    missing = api("POST", "/versions/1/phase", {"step": "open"})
    assert missing.status_code == 422

    steps = [
        {
            "step": "open",
            "opens_at": (now - timedelta(days=1)).isoformat(),
            "closes_at": (now + timedelta(days=3)).isoformat(),
            "voting_method": "approval",
        },
        {"step": "close"},
        {"step": "approve"},
        {"step": "publish"},
    ]
    phases = [api("POST", "/versions/1/phase", step).json()["phase"] for step in steps]

    assert phases == ["consultation", "consultation", "approved", "published"]


def test_a_published_version_refuses_edits_with_422(api, agrifood, manager):
    version = draft(agrifood, manager)
    frozen = item(version, manager)
    publish(version, manager)

    response = api("PATCH", f"/items/{frozen.pk}", {"revision": 1, "title": "Nuovo"})

    assert response.status_code == 422
    assert "frozen" in response.json()["detail"][0]["msg"]


def test_the_public_lists_only_published_versions(client, agrifood, manager):
    published = draft(agrifood, manager, title="Pubblicata")
    item(published, manager)
    publish(published, manager)
    draft(agrifood, manager, title="Bozza", based_on=published)

    listed = client.get(f"{BASE}/versions").json()

    assert [v["title"] for v in listed] == ["Pubblicata"]
    assert client.get(f"{BASE}/versions/2").status_code == 404
