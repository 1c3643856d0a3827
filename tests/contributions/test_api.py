import json

import pytest

from clusterhub.contributions.models import Contribution
from tests.contributions.conftest import SPINDLES_EN, SPINDLES_IT

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


NEW = {
    "kind": "need",
    "title": SPINDLES_IT[0],
    "text": SPINDLES_IT[1],
    "clusters": ["agrifood"],
}


def test_posting_without_tags_takes_the_suggested_ones(client, member):
    client.force_login(member)

    response = _post(client, "/api/contributions", NEW)

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "pending" and data["language"] == "it"
    assert data["s3_themes"] and data["competences"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "\x00"}, "title"),
        ({"title": " \x01 "}, "title"),
        ({"text": "x" * 5001}, "text"),
        ({"clusters": [""]}, "clusters"),
        ({"clusters": ["mech"]}, "clusters"),
        ({"visibility": "everyone"}, "visibility"),
    ],
)
def test_bad_data_is_refused_naming_the_field(client, member, change, field):
    client.force_login(member)

    response = _post(client, "/api/contributions", {**NEW, **change})

    assert response.status_code == 422
    assert field in json.dumps(response.json()["detail"])
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    "change",
    [{"clusters": ["nowhere"]}, {"s3_themes": ["no-such-code"]}, {"competences": ["0"]}],
)
def test_an_unknown_cluster_or_tag_is_not_found(client, member, change):
    client.force_login(member)

    response = _post(client, "/api/contributions", {**NEW, **change})

    assert response.status_code == 404
    assert "Unknown" in response.json()["detail"]
    assert not Contribution.objects.exists()


def test_the_draft_check_finds_the_english_twin_of_an_italian_need(client, member, manager, post):
    existing = post(title=SPINDLES_IT[0], text=SPINDLES_IT[1], approve_by=manager)
    client.force_login(member)

    response = _post(
        client,
        "/api/contributions/drafts/check",
        {"title": SPINDLES_EN[0], "text": SPINDLES_EN[1], "clusters": ["agrifood"]},
    )

    data = response.json()
    assert data["language"] == "en"
    assert [s["id"] for s in data["similar"]] == [existing.pk]


def test_a_manager_closes_with_a_reason_and_merges_through_the_api(client, post, manager):
    kept = post(title=SPINDLES_IT[0], text=SPINDLES_IT[1], approve_by=manager)
    duplicate = post(title=SPINDLES_EN[0], text=SPINDLES_EN[1])
    other = post(title="Fuori tema", text="Vendo auto usate")
    client.force_login(manager)

    no_reason = _post(client, f"/api/contributions/{other.pk}/moderation", {"action": "close"})
    closed = _post(
        client,
        f"/api/contributions/{other.pk}/moderation",
        {"action": "close", "reason": "Non pertinente"},
    )
    merged = _post(
        client,
        f"/api/contributions/{duplicate.pk}/moderation",
        {"action": "merge", "into": kept.pk},
    )

    assert no_reason.status_code == 422
    assert closed.json()["close_reason"] == "Non pertinente"
    assert merged.status_code == 200 and merged.json()["id"] == kept.pk
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept


def test_endorsing_twice_keeps_one_endorsement(client, post, manager, peer):
    contribution = post(approve_by=manager)
    client.force_login(peer)

    _post(client, f"/api/contributions/{contribution.pk}/endorsement", {})
    response = _post(client, f"/api/contributions/{contribution.pk}/endorsement", {})

    assert response.status_code == 201
    assert response.json()["endorsed_by"] == ["Latteria Vicina Srl"]
